"""A bound on work for the tests that guard against hangs and blow-ups (linear loading,
bounded regular expressions, bounded templates): CPU seconds of this process
(`time.process_time`), never wall time, so a machine busy with other work cannot fail
them. The budgets are far above what the work takes (about a second) and far below what
the bug each test guards against took (minutes); timings belong in bench/limits.py."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def cpu_budget(seconds: float) -> Iterator[None]:
    """Fail when the block uses more than `seconds` of this process's CPU time."""
    start = time.process_time()
    yield
    used = time.process_time() - start
    assert used < seconds, f"used {used:.1f} CPU seconds, more than the {seconds} s budget"
