"""Writing outputs: never a half-written file, never a mixed set.

A single file goes to a temporary file in the same folder, is flushed to disk and renamed
over the target (atomic on POSIX). A plan's set of outputs is written whole into a sibling
folder and swapped in with one atomic exchange of the two folders (Linux renameat2
RENAME_EXCHANGE; elsewhere two renames with recovery), so a reader - or a build killed at
any moment - sees the complete old set or the complete new set. Debris of an interrupted
build is cleaned, or recovered, at the next build of the same plan.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import fcntl
import os
import shutil
import tempfile
from pathlib import Path

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _fsync(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_atomic(path: Path, data: bytes) -> None:
    if path.is_symlink():
        raise IsADirectoryError(f"{path} is a symbolic link; not writing through it")
    if path.is_dir():
        raise IsADirectoryError(f"{path} is a folder")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (both must exist); False where the system cannot."""
    libc_name = ctypes.util.find_library("c")
    if libc_name is None:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b),
                       _RENAME_EXCHANGE)
    if result != 0:
        errno = ctypes.get_errno()
        if errno in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: not supported here
            return False
        raise OSError(errno, os.strerror(errno), str(a))
    return True


def replace_together(files: dict[Path, bytes]) -> None:
    """Replace several existing files with new contents, all or none: each new content is
    written and flushed beside its file first, then each is swapped in (Linux renameat2
    RENAME_EXCHANGE, so the old content stays at hand); when any step fails, the files
    already swapped get their old content back. A symbolic link is followed to the file it
    names, which is the one replaced (the link stays)."""
    staged: list[tuple[Path, Path]] = []  # (target, staged new content or swapped-out old)
    swapped: list[tuple[Path, Path]] = []
    try:
        for path, data in files.items():
            target = path.resolve(strict=True)
            if not target.is_file():
                raise IsADirectoryError(f"{path} is not a file")
            fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.",
                                        suffix=".tmp")
            staged.append((target, Path(name)))
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(name, target.stat().st_mode & 0o7777)
        for target, tmp in staged:
            if _exchange(tmp, target):
                swapped.append((target, tmp))
            else:  # no atomic exchange here: keep a copy of the old content to restore
                backup = tmp.with_suffix(".old")
                os.link(target, backup)
                os.replace(tmp, target)
                os.replace(backup, tmp)
                swapped.append((target, tmp))
    except BaseException:
        for target, tmp in reversed(swapped):
            with contextlib.suppress(OSError):
                if not _exchange(tmp, target):
                    os.replace(tmp, target)
        raise
    finally:
        for _, tmp in staged:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            with contextlib.suppress(OSError):
                os.unlink(tmp.with_suffix(".old"))
    for target, _ in staged:
        _fsync(target.parent)


def _debris(folder: Path) -> tuple[list[Path], list[Path]]:
    parent = folder.parent
    if not parent.is_dir():
        return [], []
    new = sorted(parent.glob(f".{folder.name}.new-*"))
    old = sorted(parent.glob(f".{folder.name}.old-*"))
    return new, old


def recover(folder: Path) -> None:
    """Clean up after a build that was interrupted: a set that was being written is
    dropped; if the interruption fell between the two renames of the fallback swap, the
    previous set is put back."""
    new, old = _debris(folder)
    if old and not folder.exists():
        os.replace(old[-1], folder)
        old = old[:-1]
    for path in (*new, *old):
        shutil.rmtree(path, ignore_errors=True)


def _lock(path: Path) -> int:
    """An exclusive lock on the file `path`, made if missing. The holder removes the file
    before it lets go, so a waiter that then holds a removed file tries again."""
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            if os.stat(path).st_ino == os.fstat(fd).st_ino:
                return fd
        except FileNotFoundError:
            pass
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)


def write_set(folder: Path, files: dict[str, bytes]) -> list[Path]:
    """Replace `folder` with exactly `files` (name -> bytes), as one step. Builds of the
    same plan at the same time take turns (a lock file beside the folder while it is
    written, removed after)."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    path = folder.parent / f".{folder.name}.lock"
    lock = _lock(path)
    try:
        return _write_set(folder, files)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)
        os.close(lock)


def _write_set(folder: Path, files: dict[str, bytes]) -> list[Path]:
    recover(folder)
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise NotADirectoryError(f"{folder} is not a folder; not replacing it")
    staging = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}.new-"))
    try:
        for name, data in sorted(files.items()):
            target = staging / name
            with open(target, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(target, 0o644)
        os.chmod(staging, 0o755)
        _fsync(staging)
        if not folder.exists():
            os.replace(staging, folder)
        elif _exchange(staging, folder):
            shutil.rmtree(staging, ignore_errors=True)  # now holds the previous set
        else:
            retired = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}.old-"))
            os.rmdir(retired)
            os.replace(folder, retired)
            os.replace(staging, folder)
            shutil.rmtree(retired, ignore_errors=True)
        _fsync(folder.parent)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return [folder / name for name in sorted(files)]
