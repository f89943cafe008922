"""Write user files safely: to a temporary file beside the target, then rename."""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

_NEW_FILE_MODE = 0o666
"""The mode a new file is created with, before the umask (as ``open()`` does)."""


def _temporary(folder: Path, name: str) -> tuple[int, str]:
    """A new, empty file beside the target; the kernel applies the user's umask to it."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    flags |= getattr(os, "O_BINARY", 0)
    for _ in range(100):
        tmp = str(folder / f".{name}.{secrets.token_hex(6)}.tmp")
        try:
            return os.open(tmp, flags, _NEW_FILE_MODE), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name beside {folder / name}")


def atomic_write(path: Path | str, content: str | bytes) -> None:
    """Replace ``path`` with ``content`` atomically; the old file survives any failure.

    A new file gets the permissions any program would give it (0666 less the umask); a
    replaced file keeps its own.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    data = content.encode("utf-8") if isinstance(content, str) else content
    fd, tmp = _temporary(target.parent, target.name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if target.exists():
            os.chmod(tmp, target.stat().st_mode & 0o777)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
