"""A plan folder as it was at a git revision (a commit, a tag such as `valtuusto-2025`,
`HEAD~3`), copied out of git into a temporary folder so it loads like any plan folder."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from planbuilder.errors import UsageError
from planbuilder.messages import t


def _git(folder: Path, *args: str) -> bytes:
    try:
        done = subprocess.run(["git", "-C", str(folder), *args], capture_output=True,
                              timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise UsageError(t("errors.git_needed", problem=str(exc))) from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise UsageError(f"git: {message[-1]}" if message else t("errors.git_failed"))
    return done.stdout


def at_revision(revision: str, folder: Path, into: Path) -> Path:
    """Write `folder`'s YAML files as they were at `revision` into `into`/<folder name>;
    the folder written. Names are listed NUL-separated (`-z`), so a file name with any
    characters (ä, a space, a newline) is neither quoted nor lost; the folder may be the
    repository's top."""
    folder = folder.resolve()
    top = Path(os.fsdecode(_git(folder, "rev-parse", "--show-toplevel").rstrip(b"\n")))
    relative = folder.relative_to(top.resolve()).as_posix()
    prefix = "" if relative == "." else f"{relative}/"
    listing = _git(top, "ls-tree", "-z", f"{revision}:{prefix}")
    names = []
    for entry in listing.split(b"\0"):
        meta, _, raw = entry.partition(b"\t")
        if meta.split(b" ")[1:2] == [b"blob"]:
            names.append(os.fsdecode(raw))
    target = into / folder.name
    target.mkdir(parents=True)
    found = [n for n in names if n.endswith((".yaml", ".yml"))]
    if not found:
        raise UsageError(t("errors.no_plan_files_at", revision=revision,
                           folder=relative))
    for name in found:
        (target / name).write_bytes(_git(top, "show", f"{revision}:{prefix}{name}"))
    return target


def plan_version(spec: str, like: Path, scratch: Path) -> Path:
    """A plan folder given as a path, or as a git revision of the folder `like` (copied
    into `scratch`)."""
    path = Path(spec)
    if path.is_dir():
        return path
    return at_revision(spec, like, scratch)
