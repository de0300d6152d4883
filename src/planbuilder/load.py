"""YAML -> Plan. The only module that reads plan files.

Every problem is collected (not just the first) as a located Finding. Safety: YAML is
composed with the safe loader (no Python objects), aliases are expanded under a node budget
(no "billion laughs"), nesting depth, file size, string length and file count are bounded,
and bytes that are not UTF-8 or characters a Word document cannot hold are refused.
"""

from __future__ import annotations

import difflib
import os
import types
import typing
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from planbuilder.findings import Finding, KeyPath, Location
from planbuilder.model import Plan
from planbuilder.rules.base import describe

MAX_FILE_BYTES = 2_000_000
MAX_FILES = 50
MAX_NODES = 200_000
MAX_DEPTH = 60
MAX_STRING = 200_000

# Characters XML 1.0 (and so Word) cannot hold, plus other C0/C1 controls that are never
# meant in a plan. Tab, newline and carriage return are fine.
_FORBIDDEN = {c for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)} | {0x7F, 0xFFFE, 0xFFFF}
_FORBIDDEN |= set(range(0x80, 0xA0)) | set(range(0xD800, 0xE000))

LOAD_RULES = {
    "LOAD-IO": describe("LOAD-IO", "", "error", "Plan cannot be read",
                        "The path does not exist, is not readable or holds no .yaml files."),
    "LOAD-LIMIT": describe("LOAD-LIMIT", "", "error", "Plan too large",
                           "A file, string, nesting depth or alias expansion exceeds a "
                           "safe limit."),
    "LOAD-ENCODING": describe("LOAD-ENCODING", "", "error", "Not UTF-8",
                              "Plan files must be UTF-8 text."),
    "LOAD-CHAR": describe("LOAD-CHAR", "", "error", "Forbidden character",
                          "Control characters cannot be stored in Word or PDF documents."),
    "LOAD-SYNTAX": describe("LOAD-SYNTAX", "", "error", "YAML syntax error",
                            "The file is not valid YAML."),
    "LOAD-DUPLICATE": describe("LOAD-DUPLICATE", "", "error", "Duplicate key",
                               "A key appears twice in one mapping or in two files of a plan."),
    "SCHEMA-UNKNOWN": describe("SCHEMA-UNKNOWN", "", "error", "Unknown key",
                               "The key is not part of the plan format (often a misspelling)."),
    "SCHEMA-MISSING": describe("SCHEMA-MISSING", "", "error", "Missing key",
                               "A required key is absent."),
    "SCHEMA-TYPE": describe("SCHEMA-TYPE", "", "error", "Wrong type or value",
                            "The value does not have the expected type or allowed value."),
}


class PlanLoadError(Exception):
    """Raised by `load_plan` when the plan cannot be turned into a model."""

    def __init__(self, findings: list[Finding]):
        super().__init__("\n".join(f.format() for f in findings))
        self.findings = findings


@dataclass
class SourceMap:
    """Key path -> where it is written. Longest known prefix answers for deeper paths."""

    locations: dict[KeyPath, Location] = field(default_factory=dict)
    root: Location = field(default_factory=lambda: Location("<plan>", 1, 1))

    def locate(self, path: KeyPath) -> Location:
        for end in range(len(path), -1, -1):
            loc = self.locations.get(tuple(path[:end]))
            if loc is not None:
                return loc
        return self.root


@dataclass
class LoadedPlan:
    plan: Plan
    source: SourceMap
    folder: Path
    files: dict[str, bytes]  # display name -> raw bytes (embedded in archival PDFs)


def _finding(rule_id: str, message: str, loc: Location, path: KeyPath = ()) -> Finding:
    r = LOAD_RULES[rule_id]
    return Finding(rule_id, r.severity, message, loc, path, r.citation)


class _Converter:
    """Turns composed YAML nodes into plain Python data, recording each key's location."""

    def __init__(self, display: str, source: SourceMap, findings: list[Finding]):
        self.display = display
        self.source = source
        self.findings = findings
        self.nodes = 0
        self.constructor = yaml.SafeLoader("")

    def loc(self, node: yaml.Node) -> Location:
        return Location(self.display, node.start_mark.line + 1, node.start_mark.column + 1)

    def convert(self, node: yaml.Node, path: KeyPath, depth: int) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _Abort(_finding("LOAD-LIMIT", f"more than {MAX_NODES} YAML nodes "
                                  "(alias expansion or file too large)", self.loc(node), path))
        if depth > MAX_DEPTH:
            raise _Abort(_finding("LOAD-LIMIT", f"nesting deeper than {MAX_DEPTH} levels",
                                  self.loc(node), path))
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.tag not in (
            "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"):
            self.findings.append(_finding("SCHEMA-TYPE", f"the tag {node.tag} is not allowed "
                                          "in plan files", self.loc(node), path))
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            out = []
            for i, item in enumerate(node.value):
                self.source.locations.setdefault((*path, i), self.loc(item))
                out.append(self.convert(item, (*path, i), depth + 1))
            return out
        return self._scalar(node, path)

    def _mapping(self, node: yaml.MappingNode, path: KeyPath, depth: int) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        self.constructor.flatten_mapping(node)  # merge keys (<<) as YAML defines them
        for key_node, value_node in node.value:
            key = self._scalar(key_node, path) if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, (str, int)) or isinstance(key, bool):
                self.findings.append(_finding("SCHEMA-TYPE", "keys must be plain words or "
                                              "years", self.loc(key_node), path))
                continue
            if key in out:
                self.findings.append(_finding("LOAD-DUPLICATE", f"duplicate key '{key}'",
                                              self.loc(key_node), (*path, key)))
                continue
            self.source.locations.setdefault((*path, key), self.loc(key_node))
            out[key] = self.convert(value_node, (*path, key), depth + 1)
        return out

    def _scalar(self, node: yaml.Node, path: KeyPath) -> Any:
        if node.tag == "tag:yaml.org,2002:float":
            try:
                value = Decimal(str(node.value).replace("_", ""))
            except InvalidOperation:
                value = None
            if value is None or not value.is_finite():
                self.findings.append(_finding("SCHEMA-TYPE", f"'{node.value}' is not a finite "
                                              "number", self.loc(node), path))
                return None
            return value
        if node.tag == "tag:yaml.org,2002:binary":
            self.findings.append(_finding("SCHEMA-TYPE", "binary values are not allowed",
                                          self.loc(node), path))
            return None
        try:
            value = self.constructor.construct_object(node, deep=True)
        except yaml.YAMLError as exc:
            self.findings.append(_finding("SCHEMA-TYPE", str(exc).splitlines()[0],
                                          self.loc(node), path))
            return None
        except (ValueError, OverflowError) as exc:  # e.g. the date 2024-02-30
            self.findings.append(_finding("SCHEMA-TYPE", f"'{node.value}' is not a valid "
                                          f"value: {exc}", self.loc(node), path))
            return None
        if isinstance(value, str):
            if len(value) > MAX_STRING:
                self.findings.append(_finding("LOAD-LIMIT", f"text of {len(value)} characters "
                                              f"(at most {MAX_STRING})", self.loc(node), path))
                return value[:0]
            bad = next((c for c in value if ord(c) in _FORBIDDEN), None)
            if bad is not None:
                self.findings.append(_finding(
                    "LOAD-CHAR", f"control character U+{ord(bad):04X} is not allowed in text "
                    "(Word and PDF documents cannot hold it)", self.loc(node), path))
        return value


class _Abort(Exception):
    def __init__(self, finding: Finding):
        self.finding = finding


def _decode(data: bytes, display: str) -> tuple[str | None, Finding | None]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        line_start = before[before.rfind(b"\n") + 1 :]
        col = len(line_start.decode("utf-8", errors="replace")) + 1
        return None, _finding("LOAD-ENCODING", f"byte 0x{data[exc.start]:02X} is not UTF-8 "
                              "(save the file as UTF-8)", Location(display, line, col))
    return text.removeprefix("\ufeff"), None


def _position(text: str, index: int) -> tuple[int, int]:
    before = text[:index]
    return before.count("\n") + 1, index - (before.rfind("\n") + 1) + 1


def parse_file(data: bytes, display: str, source: SourceMap, findings: list[Finding]) -> Any:
    """Bytes of one YAML file -> plain data (None on a fatal problem, reported in findings);
    the location of every key is recorded in `source`."""
    if len(data) > MAX_FILE_BYTES:
        findings.append(_finding("LOAD-LIMIT", f"file is {len(data)} bytes (at most "
                                 f"{MAX_FILE_BYTES})", Location(display, 1, 1)))
        return None
    text, problem = _decode(data, display)
    if problem is not None or text is None:
        findings.append(problem)  # type: ignore[arg-type]
        return None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        loc = Location(display, mark.line + 1, mark.column + 1) if mark else Location(display, 1, 1)
        problem_text = exc.problem or "invalid YAML"
        if "non-printable" in problem_text or "special characters" in problem_text:
            findings.append(_finding("LOAD-CHAR", f"{problem_text} (control characters cannot "
                                     "be stored in documents)", loc))
        else:
            context = f" {exc.context}" if exc.context else ""
            findings.append(_finding("LOAD-SYNTAX", f"{problem_text}{context}", loc))
        return None
    except yaml.reader.ReaderError as exc:
        line, col = _position(text, exc.position)
        findings.append(_finding("LOAD-CHAR", f"control character U+{exc.character:04X} is not "
                                 "allowed (Word and PDF documents cannot hold it)",
                                 Location(display, line, col)))
        return None
    except (yaml.YAMLError, RecursionError) as exc:
        message = "nesting too deep" if isinstance(exc, RecursionError) else str(exc)
        findings.append(_finding("LOAD-SYNTAX", message, Location(display, 1, 1)))
        return None
    if node is None:
        return {}
    converter = _Converter(display, source, findings)
    try:
        return converter.convert(node, (), 0)
    except _Abort as abort:
        findings.append(abort.finding)
        return None
    except RecursionError:
        findings.append(_finding("LOAD-LIMIT", f"nesting deeper than {MAX_DEPTH} levels",
                                 Location(display, 1, 1)))
        return None


def plan_files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    return sorted(p for p in path.glob("*.yaml") if p.is_file()) + sorted(
        p for p in path.glob("*.yml") if p.is_file()
    )


def _display(path: Path) -> str:
    """The path as the user named it, relative to the working folder when inside it (links
    are not followed: a refused symlink is reported under its own name)."""
    absolute = Path(os.path.abspath(path))
    cwd = Path(os.path.abspath(Path.cwd()))
    return str(absolute.relative_to(cwd)) if absolute.is_relative_to(cwd) else str(path)


def read_plan(path: Path) -> tuple[dict[str, Any], SourceMap, dict[str, bytes], list[Finding]]:
    """Read and merge the YAML files of one plan folder (or one file) into plain data."""
    findings: list[Finding] = []
    source = SourceMap(root=Location(_display(path), 1, 1))
    merged: dict[str, Any] = {}
    raw: dict[str, bytes] = {}
    if not path.exists():
        findings.append(_finding("LOAD-IO", "no such file or folder", source.root))
        return merged, source, raw, findings
    files = plan_files(path)
    if not files:
        findings.append(_finding("LOAD-IO", "no .yaml files in this folder", source.root))
    if len(files) > MAX_FILES:
        findings.append(_finding("LOAD-LIMIT", f"{len(files)} YAML files (at most {MAX_FILES})",
                                 source.root))
        return merged, source, raw, findings
    if path.is_dir() and files:
        source.root = Location(_display(files[0]), 1, 1)
    folder = (path if path.is_dir() else path.parent).resolve()
    for file in files:
        display = _display(file)
        if not file.resolve().is_relative_to(folder):
            findings.append(_finding("LOAD-IO", "refused: the file is a link to outside the plan "
                                     "folder", Location(display, 1, 1)))
            continue
        try:
            with file.open("rb") as handle:
                data = handle.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            findings.append(_finding("LOAD-IO", f"cannot read: {exc.strerror}",
                                     Location(display, 1, 1)))
            continue
        raw[display] = data
        part_source = SourceMap(root=Location(display, 1, 1))
        part = parse_file(data, display, part_source, findings)
        if part is None:
            continue
        if not isinstance(part, dict):
            findings.append(_finding("SCHEMA-TYPE", "a plan file must be a mapping of keys "
                                     "such as 'area:' and 'members:'", Location(display, 1, 1)))
            continue
        for key, value in part.items():
            if key in merged:
                findings.append(_finding("LOAD-DUPLICATE", f"key '{key}' is already given in "
                                         f"{source.locate((key,)).file}",
                                         part_source.locate((key,)), (key,)))
                continue
            merged[key] = value
            source.locations.update(
                (p, loc) for p, loc in part_source.locations.items() if p[:1] == (key,))
    return merged, source, raw, findings


# --- pydantic errors -> findings ------------------------------------------------------------

_EXPECTED = {
    "int": "a whole number",
    "decimal": "a number",
    "float": "a number",
    "date": "a date such as 2025-01-01",
    "datetime": "a date such as 2025-01-01",
    "string": "text",
    "bool": "true or false",
    "list": "a list (lines starting with '- ')",
    "dict": "a mapping (key: value lines)",
    "model": "a mapping (key: value lines)",
}


def _allowed_keys(model: Any, path: KeyPath) -> list[str]:
    """Field names of the model reached by following `path` through the annotations."""
    current: Any = model
    for part in path:
        current = _step(current, part)
        if current is None:
            return []
    models = [t for t in _union_members(current) if isinstance(t, type)
              and issubclass(t, BaseModel)]
    return [name for m in models for name in m.model_fields]


def _union_members(tp: Any) -> list[Any]:
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return _union_members(typing.get_args(tp)[0])
    if origin in (typing.Union, types.UnionType):
        return [m for a in typing.get_args(tp) for m in _union_members(a)]
    return [tp]


def _step(tp: Any, part: str | int) -> Any:
    for member in _union_members(tp):
        origin = typing.get_origin(member)
        if isinstance(member, type) and issubclass(member, BaseModel) and isinstance(part, str):
            info = member.model_fields.get(part)
            if info is not None:
                return info.annotation
        elif origin is list and isinstance(part, int):
            return typing.get_args(member)[0]
        elif origin is dict:
            return typing.get_args(member)[1]
    return None


def _did_you_mean(word: str, options: list[str]) -> str:
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _describe_input(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = repr(value) if not isinstance(value, Decimal) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def errors_to_findings(exc: ValidationError, source: SourceMap) -> list[Finding]:
    findings: list[Finding] = []
    for err in exc.errors(include_url=False):
        loc: KeyPath = tuple(p for p in err["loc"] if p != "[key]")
        # Text accepts a plain string or {fi, sv}; report the mapping branch only once.
        kind = err["type"]
        field_name = str(loc[-1]) if loc else "plan"
        location = source.locate(loc)
        if kind == "extra_forbidden":
            hint = _did_you_mean(field_name, _allowed_keys(Plan, loc[:-1]))
            if not hint and (" " in field_name.strip() or err.get("input") is None):
                hint = " (a comma inside { } starts a new key: put the text in quotes)"
            findings.append(_finding("SCHEMA-UNKNOWN", f"unknown key '{field_name}'{hint}",
                                     location, loc))
        elif kind == "missing":
            parent = source.locate(loc[:-1])
            where = ".".join(str(p) for p in loc[:-1]) or "the plan"
            findings.append(_finding("SCHEMA-MISSING", f"'{where}' needs the key "
                                     f"'{field_name}'", parent, loc))
        elif kind == "literal_error":
            expected = err.get("ctx", {}).get("expected", "")
            options = [o.strip(" '") for o in expected.replace(" or ", ",").split(",")]
            got = err.get("input")
            hint = _did_you_mean(str(got), options) if isinstance(got, str) else ""
            what = "key" if err["loc"] and err["loc"][-1] == "[key]" else "value"
            findings.append(_finding("SCHEMA-TYPE", f"{field_name}: {what} "
                                     f"{_describe_input(got)} is not one of {expected}{hint}",
                                     location, loc))
        else:
            base = kind.split("_")[0]
            expected = _EXPECTED.get(base)
            got = _describe_input(err.get("input"))
            if expected and kind.endswith(("_type", "_parsing")):
                message = f"{field_name}: expected {expected}, got {got}"
            else:
                message = f"{field_name}: {err['msg'][0].lower()}{err['msg'][1:]} (got {got})"
            findings.append(_finding("SCHEMA-TYPE", message, location, loc))
    return _dedupe_text_unions(findings)


def _dedupe_text_unions(findings: list[Finding]) -> list[Finding]:
    seen: set[tuple[str, KeyPath, str]] = set()
    out = []
    for f in findings:
        key = (f.rule, f.path, f.message)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return sorted(out, key=lambda f: (f.location or Location("", 0, 0), f.rule))


def load_plan(path: Path) -> LoadedPlan:
    """Load one plan folder (or single file). Raises PlanLoadError with every problem found."""
    data, source, raw, findings = read_plan(path)
    if findings:
        raise PlanLoadError(findings)
    try:
        plan = Plan.model_validate(data)
    except ValidationError as exc:
        raise PlanLoadError(errors_to_findings(exc, source)) from None
    except RecursionError:
        raise PlanLoadError([_finding("LOAD-LIMIT", "nesting too deep", source.root)]) from None
    folder = path if path.is_dir() else path.parent
    return LoadedPlan(plan, source, folder, raw)


def discover(paths: list[Path]) -> list[Path]:
    """Plan folders under the given paths: a folder with YAML files is a plan; a folder
    without them is searched one level down (so `planbuilder validate plans` works)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir() and not plan_files(path):
            subs = sorted(p for p in path.iterdir() if p.is_dir() and plan_files(p))
            found.extend(subs or [path])
        else:
            found.append(path)
    return found
