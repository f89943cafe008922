"""A report folder written whole: staged beside the target, swapped in at the end, locked.

:func:`report_folder` takes a lock on the target folder (a second run on the same folder
fails at once with :class:`FolderBusy` instead of interleaving its files), lets the caller
write every file into a fresh staging folder next to the target, and only when all of
them are written renames the previous report aside, renames the staging folder into its
place and deletes the previous one. A run that fails or is interrupted leaves the
previous report as it was (and no stale file of an earlier run, e.g. a ``tables.json``
that this run did not write, survives a successful one).

An existing folder is only ever replaced when it is empty or holds a report (its
``report.md`` or the marker file :data:`MARKER`); any other folder is refused with
:class:`FolderNotReport`, so that a report never deletes a user's files.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator

MARKER = ".zopa-report"
"""The file that marks a folder as a zopa report (and so safe to replace)."""


class FolderBusy(Exception):  # noqa: N818  (reads as what happened)
    """Another run is writing a report into the same folder."""


class FolderNotReport(Exception):  # noqa: N818
    """The folder exists, holds other files, and is not a report: it is not replaced."""


def lock_path(folder: Path) -> Path:
    """The lock file of a report folder: hidden, beside it (the swap leaves it alone)."""
    return folder.parent / f".{folder.name}.lock"


if sys.platform == "win32":  # pragma: no cover - Windows
    import msvcrt

    def _try_lock(handle: IO[bytes]) -> bool:
        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

else:
    import fcntl

    def _try_lock(handle: IO[bytes]) -> bool:
        """Take the lock of an open file without waiting; ``False`` if another holds it."""
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True


def is_replaceable(folder: Path) -> bool:
    """Whether ``folder`` may be replaced: missing, empty, or a report."""
    if not folder.exists():
        return True
    if not folder.is_dir():
        return False
    return (
        (folder / MARKER).exists() or (folder / "report.md").exists() or not any(folder.iterdir())
    )


@contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """Hold the report folder's lock; :class:`FolderBusy` at once if another run holds it.

    The lock file is removed while the lock is still held, so none is left behind; a run
    that locked a file removed meanwhile (its inode no longer the path's) counts as busy.
    """
    folder.parent.mkdir(parents=True, exist_ok=True)
    path = lock_path(folder)
    with open(path, "a+b") as handle:
        busy = FolderBusy(f"{folder}: another report is being written into this folder")
        if not _try_lock(handle):
            raise busy
        try:
            if os.stat(path).st_ino != os.fstat(handle.fileno()).st_ino:
                raise busy
        except FileNotFoundError:
            raise busy from None
        try:
            yield
        finally:
            path.unlink(missing_ok=True)  # still locked: no other run holds this file


def check_folder(folder: Path) -> None:
    """Raise if a report cannot go into ``folder`` (busy, or not a report folder)."""
    if not is_replaceable(folder):
        raise FolderNotReport(
            f"{folder}: the folder holds other files and is not a zopa report; "
            "expected a new or empty folder, or an earlier report"
        )
    with folder_lock(folder):
        pass


@contextmanager
def report_folder(folder: Path) -> Iterator[Path]:
    """Lock ``folder``, yield a staging folder to write into, and swap it in on success.

    Raises:
        FolderBusy: Another run holds the lock.
        FolderNotReport: ``folder`` holds files and is not a report.
    """
    folder = Path(folder)
    with folder_lock(folder):
        if not is_replaceable(folder):
            raise FolderNotReport(
                f"{folder}: the folder holds other files and is not a zopa report; "
                "expected a new or empty folder, or an earlier report"
            )
        staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.new-", dir=folder.parent))
        try:
            (staging / MARKER).write_text("written by zopa report; safe to replace\n")
            yield staging
            os.chmod(staging, 0o777 & ~_umask())
            _swap(staging, folder)
        finally:
            shutil.rmtree(staging, ignore_errors=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _swap(staging: Path, folder: Path) -> None:
    """Put ``staging`` where ``folder`` is; the previous folder is kept until then."""
    old = None
    if folder.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{folder.name}.old-", dir=folder.parent))
        old.rmdir()
        folder.rename(old)
    try:
        staging.rename(folder)
    except OSError:
        if old is not None:
            old.rename(folder)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
