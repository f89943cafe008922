"""Open user files safely: regular files only, size checked before a byte is read.

A path may name a device (``/dev/zero`` never ends), a FIFO (opening it waits for a
writer), a folder, or a symbolic link to any of these. Every reader in :mod:`zopa.io`
goes through :func:`read_bytes` (or :func:`read_prefix` to sniff a format), which follows
links, refuses anything but a regular file, checks its size against
:data:`MAX_FILE_BYTES`, opens it without blocking, checks the opened file again (it may
have been swapped in between) and never reads more than the limit plus one byte.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from zopa.io.errors import Problem

MAX_FILE_BYTES = 10 * 1024 * 1024
"""Largest file zopa reads (10 MiB): far above any real scenario, far below harm."""

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
)


class FileReadError(Exception):
    """A file that cannot be read: ``problem`` says why, located at the file."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.format())
        self.problem = problem


def _kind(mode: int) -> str:
    return next((word for test, word in _KINDS if test(mode)), "not a regular file")


def _not_regular(file: str, path: str, mode: int) -> Problem:
    return Problem(
        file,
        None,
        "",
        "not a regular file",
        got=_kind(mode),
        expected="a regular file (links are followed to one)",
        hint=None if file == path else f"{path} is what the name leads to",
    )


def _too_large(file: str, size: int, limit: int) -> Problem:
    return Problem(
        file,
        None,
        "",
        "file is too large",
        got=f"{size} bytes",
        expected=f"at most {limit} bytes",
    )


def check_file(path: Path | str, file: str | None = None, *, limit: int = MAX_FILE_BYTES) -> int:
    """The size of ``path``, a regular file within ``limit`` bytes.

    Raises:
        FileReadError: The path does not exist, is not a regular file (after following
            links) or is too large.
    """
    name = file if file is not None else str(path)
    try:
        info = os.stat(path)
    except OSError as exc:
        raise FileReadError(
            Problem(name, None, "", f"cannot read file: {exc.strerror or exc}")
        ) from None
    if not stat.S_ISREG(info.st_mode):
        raise FileReadError(_not_regular(name, os.path.realpath(path), info.st_mode))
    if info.st_size > limit:
        raise FileReadError(_too_large(name, info.st_size, limit))
    return info.st_size


def read_bytes(path: Path | str, file: str | None = None, *, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes.

    Args:
        path: The file; symbolic links are followed.
        file: The name to use in problems (``str(path)`` by default).
        limit: The largest size read.

    Raises:
        FileReadError: The file is missing, unreadable, not a regular file or too large.
    """
    name = file if file is not None else str(path)
    check_file(path, name, limit=limit)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise FileReadError(
            Problem(name, None, "", f"cannot read file: {exc.strerror or exc}")
        ) from None
    try:
        info = os.fstat(fd)  # what was opened, not what was looked at before
        if not stat.S_ISREG(info.st_mode):
            raise FileReadError(_not_regular(name, os.path.realpath(path), info.st_mode))
        chunks: list[bytes] = []
        total = 0
        while total <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as exc:
        raise FileReadError(
            Problem(name, None, "", f"cannot read file: {exc.strerror or exc}")
        ) from None
    finally:
        os.close(fd)
    if total > limit:  # the file grew after it was measured
        raise FileReadError(_too_large(name, total, limit))
    return b"".join(chunks)


def read_prefix(path: Path | str, size: int = 64 * 1024) -> bytes:
    """Up to ``size`` first bytes of a regular file, to tell its format (b"" otherwise).

    The reader that follows reports why a file that gives nothing here cannot be read.
    """
    try:
        check_file(path)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except (FileReadError, OSError):
        return b""
    try:
        return os.read(fd, size) if stat.S_ISREG(os.fstat(fd).st_mode) else b""
    except OSError:
        return b""
    finally:
        os.close(fd)


def decode_error(file: str, raw: bytes, exc: UnicodeDecodeError) -> Problem:
    """The problem of text that is not UTF-8, located at the line and column of the byte."""
    line = raw.count(b"\n", 0, exc.start) + 1
    column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
    return Problem(
        file,
        line,
        "",
        f"not UTF-8 text: byte 0x{raw[exc.start]:02x} at column {column}",
        expected="a UTF-8 file",
        hint="save the file as UTF-8",
    )
