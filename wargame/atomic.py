"""Writing files so that a crash, a full disk or a failed disk never leaves half of one.

Every file wargame writes whole (a new save's header, settings, bookmarks, exports) goes through
here: the bytes go to a temporary file beside the target, are flushed to the disk (`fsync`),
then take the target's name in one step (`os.replace`, or `os.link` when an existing file must
not be replaced), and the folder itself is flushed so that the new name survives a power cut.
A reader sees the old file or the new one, never a mix. A temporary file left by a process
that died is swept by `sweep`.

This module imports nothing of wargame's, so every layer may use it.
"""

from __future__ import annotations

import errno
import os
import re
import secrets
import time
from pathlib import Path

_TEMP = re.compile(r"^\..+\.(\d+)\.[0-9a-f]{8}\.tmp$")
STALE_AFTER = 24 * 3600
"""Seconds after which a temporary file is stale even if a process with its pid is running
(pids are reused)."""


def _temp_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")


def fsync_folder(folder: Path) -> None:
    """Make a new or renamed name in `folder` durable (where the system allows it)."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return  # a platform that cannot open folders (Windows) keeps names durable itself
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EBADF):
            raise
    finally:
        os.close(fd)


def _write_temp(path: Path, data: bytes) -> Path:
    temp = _temp_path(path)
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o644)
    try:
        view = memoryview(data)
        while view:
            n = os.write(fd, view)
            view = view[n:]
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        _unlink_quietly(temp)
        raise
    os.close(fd)
    return temp


def _unlink_quietly(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def write(path: str | os.PathLike[str], data: bytes) -> None:
    """Replace `path` with `data`, whole or not at all. Raises OSError (nothing is harmed)."""
    path = Path(path)
    temp = _write_temp(path, data)
    try:
        os.replace(temp, path)
    except BaseException:
        _unlink_quietly(temp)
        raise
    fsync_folder(path.parent)


def create(path: str | os.PathLike[str], data: bytes) -> None:
    """Create `path` holding `data`, whole or not at all; FileExistsError if it exists (an
    existing file is never replaced)."""
    path = Path(path)
    temp = _write_temp(path, data)
    try:
        try:
            os.link(temp, path)
        except OSError as exc:
            if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
                raise
            # A file system without hard links: the name is checked first, then replaced.
            if path.exists():
                raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(path)) from None
            os.replace(temp, path)
    finally:
        _unlink_quietly(temp)
    fsync_folder(path.parent)


def sweep(folder: str | os.PathLike[str], *, now: float | None = None) -> list[Path]:
    """Remove the temporary files a process that died left in `folder`; returns them."""
    folder = Path(folder)
    now = time.time() if now is None else now
    removed = []
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    for name in names:
        m = _TEMP.match(name)
        if m is None:
            continue
        p = folder / name
        try:
            age = now - p.lstat().st_mtime
        except OSError:
            continue
        if age < STALE_AFTER and _alive(int(m.group(1))):
            continue
        try:
            p.unlink()
        except OSError:
            continue
        removed.append(p)
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    except OSError:
        return False
    return True
