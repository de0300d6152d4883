"""Structured logging: one logger, `planbuilder`, and stage timings at INFO level (shown by
`planbuilder -v`). Each record carries `stage`, `subject` and `seconds` as attributes, so a
handler can emit them as fields; the default format prints them in one line."""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

logger = logging.getLogger("planbuilder")


@contextmanager
def stage(name: str, subject: str) -> Iterator[None]:
    """Time one stage of the pipeline for one subject (a plan, a document)."""
    start = time.perf_counter()
    try:
        yield
    finally:
        seconds = time.perf_counter() - start
        logger.info("%-10s %7.3f s  %s", name, seconds, subject,
                    extra={"stage": name, "subject": subject, "seconds": round(seconds, 4)})


class _Stderr(logging.Handler):
    """Writes to whatever sys.stderr is when a record comes (tests swap it)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sys.stderr.write(self.format(record) + "\n")
        except Exception:  # never let logging break a build
            self.handleError(record)


def configure(verbose: bool) -> None:
    """Log to stderr: stage timings with -v, otherwise warnings only."""
    handler = _Stderr()
    handler.setFormatter(logging.Formatter("planbuilder: %(message)s"))
    logger.handlers[:] = [handler]
    logger.setLevel(logging.INFO if verbose else logging.WARNING)
    logger.propagate = False
