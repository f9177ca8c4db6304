"""Reading a file of an untrusted repository: once, regular files only, never past a limit.

A `*.yaml` in a cloned repository may be a FIFO (opening it for reading waits for a writer
forever), a symlink to `/dev/zero` (an endless read) or a symlink that is switched to a file
outside the workspace between a check and the read. So a file is opened once, without
blocking; what was opened is checked on the descriptor (a regular file, its real path inside
the allowed folders), and at most ``limit`` bytes are read from it.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
_FLAGS |= getattr(os, "O_CLOEXEC", 0)


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class FileRead:
    """The bytes of a file, or why they could not be read."""

    data: bytes | None = None
    #: (mtime_ns, size) of the descriptor that was read, for caches.
    key: tuple[int, int] | None = None
    #: "missing", "not-a-file", "outside", "too-large", "unreadable"; None when ``data`` is set.
    error: str | None = None
    detail: str = ""


def descriptor_path(fd: int, fallback: Path) -> Path:
    """The real path of an open descriptor (Linux: /proc/self/fd), else of ``fallback``."""
    try:
        return Path(os.readlink(f"/proc/self/fd/{fd}"))
    except OSError:
        return Path(os.path.realpath(fallback))


def read_file(
    path: Path,
    limit: int,
    *,
    allowed: Callable[[Path], bool] | None = None,
    known: tuple[int, int] | None = None,
) -> FileRead:
    """At most ``limit`` bytes of the regular file at ``path``.

    ``allowed`` is asked about the real path of the opened descriptor (not of the name, which
    may have changed since). With ``known`` equal to the file's (mtime_ns, size), nothing is
    read and ``data`` stays None (the caller's cached copy is current).
    """
    try:
        fd = os.open(path, _FLAGS)
    except FileNotFoundError:
        return FileRead(error="missing")
    except (OSError, ValueError) as exc:  # permission, loop, name too long, NUL in the name
        if isinstance(exc, OSError) and exc.errno == errno.ENOTDIR:  # a parent is a file
            return FileRead(error="missing")
        return FileRead(error="unreadable", detail=_reason(exc))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = "folder" if stat.S_ISDIR(info.st_mode) else "special file"
            return FileRead(error="not-a-file", detail=kind)
        if allowed is not None and not allowed(descriptor_path(fd, path)):
            return FileRead(error="outside")
        key = (info.st_mtime_ns, info.st_size)
        if info.st_size > limit:
            return FileRead(key=key, error="too-large")
        if known is not None and known == key:
            return FileRead(key=key)
        os.set_blocking(fd, True)
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:  # grew while being read
            return FileRead(key=key, error="too-large")
        return FileRead(data=b"".join(chunks), key=key)
    except OSError as exc:
        return FileRead(error="unreadable", detail=_reason(exc))
    finally:
        os.close(fd)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    return str(exc)
