"""A build's render workers end with the build (issue 26): `build --jobs 2` killed with
SIGTERM or SIGKILL left both workers running, about 140 MB each, for as long as watched."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT


def _children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL])
def test_workers_end_with_a_killed_build(sig: signal.Signals, tmp_path: Path) -> None:
    shutil.copytree(ROOT / "plans" / "porvoo", tmp_path / "porvoo")
    env = {**os.environ, "PLANBUILDER_JOBS": "2"}
    build = subprocess.Popen([sys.executable, "-m", "planbuilder", "build", "porvoo",
                              "--jobs", "2", "--output", "out"], cwd=tmp_path, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 240
        workers: set[int] = set()
        while len(workers) < 2:
            assert build.poll() is None, "the build ended before its workers started"
            assert time.monotonic() < deadline, "no workers started"
            workers = {p for p in _children(build.pid) if _alive(p)}
            time.sleep(0.2)
        build.send_signal(sig)
        build.wait(60)
        deadline = time.monotonic() + 20
        while any(_alive(p) for p in workers):
            assert time.monotonic() < deadline, "workers still running after the build ended"
            time.sleep(0.2)
    finally:
        if build.poll() is None:
            build.kill()
            build.wait()
    assert not (tmp_path / "out" / "porvoo").exists() or \
        sorted(p.name for p in (tmp_path / "out" / "porvoo").iterdir())  # never half a set
