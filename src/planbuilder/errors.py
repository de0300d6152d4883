"""Every error planbuilder raises on purpose, and the one place that maps them to exit codes.

Exit codes: 0 success (warnings allowed), 1 the plan has errors, 2 usage, environment or
I/O failure (including templates and rendering), 3 an internal error (a bug in planbuilder,
never the plan's fault). Any exception that is not a `PlanbuilderError` is a bug.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from planbuilder.findings import Finding, KeyPath
from planbuilder.messages import Msg

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
IO_RULE = "LOAD-IO"  # the loader's finding for a plan that cannot be read at all


class PlanbuilderError(Exception):
    """An expected failure with a message for the user."""

    exit_code = EXIT_USAGE


class UsageError(PlanbuilderError):
    """The command cannot run as asked (environment, arguments); not a plan error."""


class TemplateError(PlanbuilderError):
    """A template, translation or style file is missing or malformed."""


class RenderError(PlanbuilderError):
    """A document could not be rendered (e.g. a template asked for a forbidden URL)."""


class EngineMissing(UsageError):
    """The PDF engine (WeasyPrint or a library it loads) is missing on this machine; the
    message says what to install. Kept as a message so it is worded when shown."""

    def __init__(self, message: Msg):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message.text()


class MoneyError(PlanbuilderError):
    """The plan's money cannot be computed; `path` points at the YAML to edit. `message`
    is kept as a message (key and values), so a rule can report it in the reader's
    language; `str(exc)` is it worded in the reader's language."""

    exit_code = EXIT_FINDINGS

    def __init__(self, path: KeyPath, message: Msg):
        super().__init__(message)
        self.path = path
        self.message = message

    def __str__(self) -> str:
        return self.message.text()


class NotMadeByPlanbuilder(PlanbuilderError):
    """`verify` was given a file that is not a document planbuilder made (or cannot be
    read): it carries no planbuilder record. `message` is worded when shown."""

    def __init__(self, message: Msg):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message.text()


def io_failure(findings: Sequence[Finding]) -> bool:
    """True when the plan could not be read at all (a usage problem, not a plan error)."""
    return any(f.rule == IO_RULE for f in findings)


class FindingsError(PlanbuilderError):
    """The plan has errors; `findings` say what and where."""

    def __init__(self, message: str, findings: list[Finding]):
        super().__init__(message)
        self.findings = findings
        self.exit_code = EXIT_USAGE if io_failure(findings) else EXIT_FINDINGS


class PlanLoadError(FindingsError):
    """Raised by `load_plan` when the plan cannot be turned into a model."""

    def __init__(self, findings: list[Finding]):
        super().__init__("", findings)

    def __str__(self) -> str:
        # Worded when shown, in the reader's language: a plan may have thousands of findings
        # that the caller only counts.
        return "\n".join(f.format() for f in self.findings)


class BuildError(FindingsError):
    """The plan cannot be built."""

    def __init__(self, path: Path, findings: list[Finding]):
        super().__init__(f"{path}: {len(findings)} problem(s)", findings)
        self.path = path


def exit_code(exc: BaseException) -> int:
    """The exit code for an exception that ended a command."""
    if isinstance(exc, PlanbuilderError):
        return exc.exit_code
    if isinstance(exc, OSError):
        return EXIT_USAGE
    return EXIT_INTERNAL
