"""Findings for CI services: SARIF locations anchored at the repository root, and GitLab's
code-quality report (`validate --format gitlab`)."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from planbuilder.findings import Finding

SRCROOT = "%SRCROOT%"
# GitLab's code-quality severities: info, minor, major, critical, blocker.
GITLAB_SEVERITY = {"error": "major", "warning": "minor", "info": "info"}


def repository_root(start: Path) -> Path:
    """The nearest folder at or above `start` holding .git (a repository's root, where a
    code-scanning service anchors paths); `start` itself outside any repository."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return start


def relative_uri(file: str, root: Path, cwd: Path) -> str | None:
    """A finding's file (relative to the working folder) as a URI relative to `root`, or
    None when the file lies outside it."""
    try:
        return quote((cwd / file).resolve().relative_to(root).as_posix())
    except ValueError:
        return None


def sarif_rooted(log: dict[str, Any], cwd: Path | None = None) -> dict[str, Any]:
    """The SARIF log with every artifact URI relative to the repository root and marked
    `uriBaseId: %SRCROOT%` (declared in the run's originalUriBaseIds), so annotations land
    on the right file whichever folder `validate` ran in."""
    cwd = (cwd or Path.cwd()).resolve()
    root = repository_root(cwd)
    for run in log.get("runs", []):
        run["originalUriBaseIds"] = {SRCROOT: {"uri": root.as_uri() + "/"}}
        for result in run.get("results", []):
            for location in result.get("locations", []):
                artifact = location.get("physicalLocation", {}).get("artifactLocation")
                if artifact is None or "uri" not in artifact:
                    continue
                rooted = relative_uri(artifact["uri"], root, cwd)
                if rooted is None:  # outside the repository: an absolute file URI
                    artifact["uri"] = (cwd / artifact["uri"]).resolve().as_uri()
                else:
                    artifact["uri"] = rooted
                    artifact["uriBaseId"] = SRCROOT
    return log


def gitlab_report(results: Sequence[tuple[str, Sequence[Finding]]],
                  cwd: Path | None = None) -> list[dict[str, Any]]:
    """GitLab's code-quality report (a JSON array, the CodeClimate subset GitLab reads):
    one issue per finding not acknowledged, at its file and line relative to the
    repository root; a finding without a place points at the plan folder. The fingerprint
    is stable for the same finding at the same place, so GitLab tells new from fixed."""
    cwd = (cwd or Path.cwd()).resolve()
    root = repository_root(cwd)
    issues: list[dict[str, Any]] = []
    for plan, findings in results:
        for f in findings:
            if f.acknowledged:
                continue
            file = f.location.file if f.location else plan
            line = f.location.line if f.location else 1
            path = relative_uri(file, root, cwd) or os.path.relpath(cwd / file, root)
            text = f.text() + (f" [{f.citation}]" if f.citation else "")
            digest = hashlib.sha256(
                "\0".join((f.rule, path, str(line), f.message.key,
                           repr(f.message.params))).encode()).hexdigest()
            issues.append({"description": text, "check_name": f.rule,
                           "fingerprint": digest, "severity": GITLAB_SEVERITY[f.severity],
                           "location": {"path": path, "lines": {"begin": line}}})
    return issues
