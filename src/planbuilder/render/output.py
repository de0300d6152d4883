"""Writing outputs: never a half-written file. Each file goes to a temporary file in the
same folder, is flushed to disk and then renamed over the target (atomic on POSIX)."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes) -> None:
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


def write_all(files: dict[Path, bytes]) -> None:
    """Write already-rendered files; each one atomically, so a reader sees the old or the
    new file, never a mix within a file."""
    for path in sorted(files):
        write_atomic(path, files[path])
