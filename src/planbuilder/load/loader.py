"""YAML -> Plan. The only module that reads plan files.

Every problem is collected (not just the first) as a located Finding. Safety: YAML is
composed with the safe loader (no Python objects), aliases are expanded under a node budget
(no "billion laughs"), nesting depth, file size, string length and file count are bounded,
and bytes that are not UTF-8 or characters a Word document cannot hold are refused.
"""

from __future__ import annotations

import contextlib
import os
import re
import types
import typing
import unicodedata
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from planbuilder.errors import IO_RULE, PlanLoadError
from planbuilder.findings import (
    NOTHING,
    Finding,
    KeyPath,
    Location,
    did_you_mean,
    position,
    shown_path,
)
from planbuilder.messages import Msg, catalogue, has, msg, placeholders
from planbuilder.model import CHECK_ERROR, ID_PATTERN, Plan

MAX_FILE_BYTES = 2_000_000
MAX_FILES = 50
MAX_NODES = 200_000
MAX_DEPTH = 60
MAX_STRING = 200_000
MAX_NUMBER = 100  # characters in one number
MAX_EXPONENT = 15  # powers of ten a number may reach, either way
MAX_HINTS = 100  # unknown keys given a 'did you mean'

# Characters XML 1.0 (and so Word) cannot hold, plus other C0/C1 controls that are never
# meant in a plan. Tab, newline and carriage return are fine.
_FORBIDDEN = {c for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)} | {0x7F, 0xFFFE, 0xFFFF}
_FORBIDDEN |= set(range(0x80, 0xA0)) | set(range(0xD800, 0xE000))

# What the loader reports, by finding id. All are errors; `rules` lists them beside the
# checks. Their titles, explanations and messages are in the catalogues.
LOAD_RULES: tuple[str, ...] = (IO_RULE, "LOAD-LIMIT", "LOAD-ENCODING", "LOAD-CHAR",
                               "LOAD-SYNTAX", "LOAD-DUPLICATE", "SCHEMA-UNKNOWN",
                               "SCHEMA-MISSING", "SCHEMA-TYPE")


_BLANK = " \t\r\n"
_ESCAPE_WIDTH = {"x": 4, "u": 6, "U": 10}


@dataclass(frozen=True)
class TextSource:
    """A text written over several lines, as written: so a finding about a place inside it
    (a figure in a paragraph) can point at that line and column, not at the key."""

    file: str
    line: int  # of the scalar's first character (a block indicator, a quote or the text)
    column: int
    style: str  # '|', '>', "'", '"', or '' for a plain scalar
    written: str  # the scalar as written, from its first character to its end
    value: str

    @cached_property
    def _ranks(self) -> list[int]:
        """For each offset into the value, how many non-blank characters come before it."""
        ranks, seen = [], 0
        for char in self.value:
            ranks.append(seen)
            seen += char not in _BLANK
        ranks.append(seen)
        return ranks

    @cached_property
    def _places(self) -> list[tuple[int, int]]:
        """Line and column of each non-blank character of the value, as written. Folding,
        indentation and escapes change only blanks and escaped characters, so the n-th
        non-blank character of the value is the n-th written (an escape counting as one)."""
        text, line, column, i = self.written, self.line, self.column, 0
        if self.style in ("|", ">"):  # the header line holds no text
            i = text.find("\n") + 1 if "\n" in text else len(text)
            line, column = line + 1, 1
        elif self.style:
            i, column = 1, column + 1
        places = []
        while i < len(text):
            char, width = text[i], 1
            if char == "\n":
                line, column, i = line + 1, 1, i + 1
                continue
            if char in _BLANK:
                column, i = column + 1, i + 1
                continue
            if self.style == "'" and text.startswith("''", i):
                width = 2
            elif self.style == '"' and char == "\\":
                after = text[i + 1:i + 2]
                if after in ("\n", "\r"):  # an escaped line break: nothing in the value
                    column, i = column + 1, i + 1
                    continue
                if after in (" ", "\t", "t", "n", "r"):  # an escaped blank
                    column, i = column + 2, i + 2
                    continue
                width = _ESCAPE_WIDTH.get(after, 2)
            places.append((line, column))
            column, i = column + width, i + width
        return places

    def locate(self, offset: int) -> Location:
        """Where the value's character at `offset` is written (its first non-blank
        character from there); where the text starts when that cannot be told."""
        ranks = self._ranks
        rank = ranks[max(0, min(offset, len(ranks) - 1))]
        if rank < len(self._places):
            return Location(self.file, *self._places[rank])
        return Location(self.file, self.line, self.column)


@dataclass
class SourceMap:
    """Key path -> where it is written. Longest known prefix answers for deeper paths."""

    locations: dict[KeyPath, Location] = field(default_factory=dict)
    root: Location = field(default_factory=lambda: Location("<plan>", 1, 1))
    texts: dict[KeyPath, TextSource] = field(default_factory=dict)  # texts of several lines

    def locate(self, path: KeyPath) -> Location:
        for end in range(len(path), -1, -1):
            loc = self.locations.get(tuple(path[:end]))
            if loc is not None:
                return loc
        return self.root

    def locate_in_text(self, path: KeyPath, offset: int) -> Location:
        """Where character `offset` of the text at `path` (or at the longest prefix of it
        the files have: a plain string is the Finnish text) is written; the key's location
        when the text is written on one line."""
        for end in range(len(path), -1, -1):
            prefix = tuple(path[:end])
            if prefix in self.locations:
                text = self.texts.get(prefix)
                return text.locate(offset) if text is not None else self.locations[prefix]
        return self.root


@dataclass
class LoadedPlan:
    plan: Plan
    source: SourceMap
    folder: Path
    files: dict[str, bytes]  # display name -> raw bytes (embedded in archival PDFs)


def _finding(rule_id: str, message: Msg, loc: Location, path: KeyPath = ()) -> Finding:
    assert rule_id in LOAD_RULES, rule_id
    return Finding(rule_id, "error", message, loc, path, "")


class _Invalid:
    """Marks a scalar that could not be turned into a value (the problem is reported)."""


_INVALID = _Invalid()
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MERGE = "tag:yaml.org,2002:merge"
_VALUE = "tag:yaml.org,2002:value"
# What an explicitly tagged scalar must look like. The implicit resolvers define the forms;
# PyYAML's constructors crash (IndexError, KeyError, AttributeError) on anything else.
_SCALAR_FORMS: dict[str, re.Pattern[str]] = {
    tag: regexp
    for resolvers in yaml.SafeLoader.yaml_implicit_resolvers.values()
    for tag, regexp in resolvers
    if tag in (_INT, _BOOL, _NULL)
}
_SCALAR_FORMS[_TIMESTAMP] = yaml.SafeLoader.timestamp_regexp
_SCALAR_KINDS = {
    _INT: msg("load.scalar.int"),
    _BOOL: msg("load.scalar.bool"),
    _NULL: msg("load.scalar.null"),
    _TIMESTAMP: msg("load.scalar.date"),
    _FLOAT: msg("load.scalar.number"),
}

Key = str | int
Pair = tuple[Key, yaml.Node, yaml.Node]


def _show(text: str, limit: int = 40) -> str:
    """Text quoted in a message: shortened, with line breaks and controls escaped."""
    short = text if len(text) <= limit else text[: limit - 3] + "..."
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in short)


_A_MAPPING = msg("load.kind.mapping")
_A_LIST = msg("load.kind.list")


def _kind(node: yaml.Node) -> Msg:
    if isinstance(node, yaml.MappingNode):
        return _A_MAPPING if node.tag == _MAP else \
            msg("load.kind.tagged_mapping", tag=_show(node.tag, 80))
    if isinstance(node, yaml.SequenceNode):
        return _A_LIST if node.tag == _SEQ else \
            msg("load.kind.tagged_list", tag=_show(node.tag, 80))
    return msg("load.kind.value", text=_show(str(node.value)))


def _what(value: Any) -> Msg:
    if value is None:
        return msg("load.kind.empty")
    if isinstance(value, bool):
        return msg("load.kind.bool")
    if isinstance(value, (date, datetime)):
        return msg("load.kind.date")
    if isinstance(value, Decimal):
        return msg("load.kind.decimal")
    return msg("load.kind.other", name=type(value).__name__)


class _Converter:
    """Turns composed YAML nodes into plain Python data, recording each key's location."""

    def __init__(self, display: str, source: SourceMap, findings: list[Finding],
                 text: str = ""):
        self.display = display
        self.text = text  # the file, for the texts written over several lines
        self.written: dict[int, TextSource] = {}
        self.source = source
        self.findings = findings
        self.nodes = 0
        self.constructor = yaml.SafeLoader("")

    def loc(self, node: yaml.Node) -> Location:
        return Location(self.display, node.start_mark.line + 1, node.start_mark.column + 1)

    def report(self, rule_id: str, message: Msg, node: yaml.Node, path: KeyPath) -> None:
        self.findings.append(_finding(rule_id, message, self.loc(node), path))

    def count(self, node: yaml.Node, path: KeyPath, depth: int) -> None:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _Abort(_finding("LOAD-LIMIT", msg("load.too_many_nodes", limit=MAX_NODES),
                                  self.loc(node), path))
        if depth > MAX_DEPTH:
            raise _Abort(_finding("LOAD-LIMIT", msg("load.too_deep", limit=MAX_DEPTH),
                                  self.loc(node), path))

    def convert(self, node: yaml.Node, path: KeyPath, depth: int) -> Any:
        self.count(node, path, depth)
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.tag not in (
            _MAP, _SEQ):
            self.report("SCHEMA-TYPE", msg("load.tag_not_allowed", tag=_show(node.tag, 80)),
                        node, path)
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            out = []
            for i, item in enumerate(node.value):
                self.source.locations.setdefault((*path, i), self.loc(item))
                out.append(self.convert(item, (*path, i), depth + 1))
            return out
        value = self._scalar(node, path)
        if (isinstance(value, str) and isinstance(node, yaml.ScalarNode)
                and node.start_mark.line != node.end_mark.line):
            written = self.written.get(id(node))  # one copy for a text aliased many times
            if written is None:
                written = self.written[id(node)] = TextSource(
                    self.display, node.start_mark.line + 1, node.start_mark.column + 1,
                    node.style or "", self.text[node.start_mark.index:node.end_mark.index],
                    value)
            self.source.texts.setdefault(path, written)
        return None if value is _INVALID else value

    def _mapping(self, node: yaml.MappingNode, path: KeyPath, depth: int) -> dict[Any, Any]:
        explicit, merge = self._entries(node, path, depth)
        # YAML 1.1 merge keys: explicit keys override merged ones, and of merged mappings the
        # first given wins. PyYAML's flatten_mapping is not used: it edits shared (aliased)
        # nodes in place, reports overrides as duplicates, and expands merges unbudgeted.
        merged = self._merged(merge, path, depth, {id(node)}) if merge else []
        out: dict[Any, Any] = {}
        given = {key for key, _, _ in explicit}
        for key, key_node, value_node in merged:
            if key not in given and key not in out:
                self._put(out, key, key_node, value_node, path, depth)
        for key, key_node, value_node in explicit:
            self._put(out, key, key_node, value_node, path, depth)
        return out

    def _put(self, out: dict[Any, Any], key: Key, key_node: yaml.Node, value_node: yaml.Node,
             path: KeyPath, depth: int) -> None:
        self.source.locations.setdefault((*path, key), self.loc(key_node))
        out[key] = self.convert(value_node, (*path, key), depth + 1)

    def _entries(self, node: yaml.MappingNode, path: KeyPath,
                 depth: int) -> tuple[list[Pair], yaml.Node | None]:
        """The mapping's own keys (valid, first of duplicates) and its merge (<<) value."""
        explicit: list[Pair] = []
        seen: set[Key] = set()
        merge: yaml.Node | None = None
        for key_node, value_node in node.value:
            self.count(key_node, path, depth + 1)
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag == _MERGE:
                if merge is not None:
                    self.report("LOAD-DUPLICATE", msg("load.duplicate_merge"), key_node, path)
                else:
                    merge = value_node
                continue
            key = self._key(key_node, path)
            if key is None:
                continue
            if key in seen:
                # {a: x, b: c, HR), d: y} twice over: the pieces of an unquoted text with
                # commas become keys without values, the mistake SCHEMA-UNKNOWN hints at too
                comma = node.flow_style and isinstance(value_node, yaml.ScalarNode) \
                    and value_node.tag == "tag:yaml.org,2002:null"
                self.report("LOAD-DUPLICATE", msg(
                    "load.duplicate_key", name=_show(str(key)),
                    hint=msg("schema.hint.comma") if comma else NOTHING), key_node, (*path, key))
                continue
            seen.add(key)
            explicit.append((key, key_node, value_node))
        return explicit, merge

    def _merged(self, value_node: yaml.Node, path: KeyPath, depth: int,
                active: set[int]) -> list[Pair]:
        """The pairs a merge key brings, in precedence order (duplicates left to the caller).
        `active` holds the mappings being expanded: a mapping merged into itself adds nothing."""
        if isinstance(value_node, yaml.MappingNode) and value_node.tag == _MAP:
            sources = [value_node]
        elif isinstance(value_node, yaml.SequenceNode) and value_node.tag == _SEQ:
            sources = value_node.value
        else:
            self.report("SCHEMA-TYPE", msg("load.merge_value", kind=_kind(value_node)),
                        value_node, path)
            return []
        pairs: list[Pair] = []
        for source in sources:
            self.count(source, path, depth + 1)
            if not (isinstance(source, yaml.MappingNode) and source.tag == _MAP):
                self.report("SCHEMA-TYPE", msg("load.merge_item", kind=_kind(source)), source,
                            path)
                continue
            if id(source) in active:
                continue
            active.add(id(source))
            explicit, inner = self._entries(source, path, depth + 1)
            pairs += explicit
            if inner is not None:
                pairs += self._merged(inner, path, depth + 1, active)
            active.discard(id(source))
        return pairs

    def _key(self, node: yaml.Node, path: KeyPath) -> Key | None:
        if not isinstance(node, yaml.ScalarNode):
            self.report("SCHEMA-TYPE", msg("load.key_kind", kind=_kind(node)), node, path)
            return None
        key = self._scalar(node, path)
        if key is _INVALID:
            return None
        if isinstance(key, bool) or not isinstance(key, (str, int)):
            self.report("SCHEMA-TYPE", msg("load.key_value", kind=_what(key),
                                           text=_show(str(node.value))), node, path)
            return None
        return key

    def _scalar(self, node: yaml.Node, path: KeyPath) -> Any:
        tag, text = node.tag, str(node.value)
        if tag == _VALUE:  # a lone '=' (YAML 1.1 "value" key) is plain text
            tag = _STR
        if tag not in (_STR, *_SCALAR_KINDS):
            self.report("SCHEMA-TYPE", msg("load.tag_not_allowed", tag=_show(tag, 80)), node,
                        path)
            return _INVALID
        if tag in (_INT, _FLOAT) and len(text) > MAX_NUMBER:
            self.report("LOAD-LIMIT", msg("load.long_number", length=len(text),
                                          limit=MAX_NUMBER), node, path)
            return _INVALID
        if tag == _FLOAT:
            return self._decimal(node, path)
        form = _SCALAR_FORMS.get(tag)
        if form is not None and not form.match(text):
            self.report("SCHEMA-TYPE", msg("load.invalid_scalar", text=_show(text),
                                           kind=_SCALAR_KINDS[tag]), node, path)
            return _INVALID
        try:
            value = text if tag == _STR else self.constructor.construct_object(node)
        except (ValueError, OverflowError) as exc:
            if tag == _TIMESTAMP:  # e.g. the date 2024-02-30: say what is wrong with it
                self.report("SCHEMA-TYPE", msg("load.invalid_date", text=_show(text),
                                               problem=_show(str(exc), 200)), node, path)
            else:
                self.report("SCHEMA-TYPE", msg("load.invalid_scalar", text=_show(text),
                                               kind=_SCALAR_KINDS[tag]), node, path)
            return _INVALID
        except (yaml.YAMLError, LookupError, AttributeError, TypeError):
            self.report("SCHEMA-TYPE", msg("load.invalid_scalar", text=_show(text),
                                           kind=_SCALAR_KINDS[tag]), node, path)
            return _INVALID
        if isinstance(value, str):
            if len(value) > MAX_STRING:
                self.report("LOAD-LIMIT", msg("load.long_text", length=len(value),
                                              limit=MAX_STRING), node, path)
                return value[:0]
            bad = next((c for c in value if ord(c) in _FORBIDDEN), None)
            if bad is not None:
                self.report("LOAD-CHAR", msg("load.control_char_in_text", code=f"{ord(bad):04X}"),
                            node, path)
        return value

    def _decimal(self, node: yaml.Node, path: KeyPath) -> Decimal | _Invalid:
        text = str(node.value)
        value: Decimal | None = None
        # Decimal would also take spaces and non-ASCII digits, which YAML does not.
        if text.isascii() and text.strip() == text:
            with contextlib.suppress(InvalidOperation):
                value = Decimal(text.replace("_", ""))
        if value is None and text.lstrip("+-").lower() not in (".inf", ".nan"):
            self.report("SCHEMA-TYPE", msg("load.invalid_scalar", text=_show(text),
                                           kind=_SCALAR_KINDS[_FLOAT]), node, path)
            return _INVALID
        if value is None or not value.is_finite():
            self.report("SCHEMA-TYPE", msg("load.not_finite", text=_show(text)), node, path)
            return _INVALID
        # A short text can name a number of a hundred million digits (1e-99999999); every
        # later step (validation, money) would spend minutes on it. Plans need nothing
        # beyond 10^15 or finer than 10^-15.
        if value and not -MAX_EXPONENT <= value.adjusted() <= MAX_EXPONENT:
            self.report("LOAD-LIMIT", msg("load.number_out_of_range", text=_show(text),
                                          limit=MAX_EXPONENT), node, path)
            return _INVALID
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
        return None, _finding("LOAD-ENCODING", msg("load.not_utf8", byte=f"{data[exc.start]:02X}"),
                              Location(display, line, col))
    return text.removeprefix("\ufeff"), None


def _position(text: str, index: int) -> tuple[int, int]:
    before = text[:index]
    return before.count("\n") + 1, index - (before.rfind("\n") + 1) + 1


_CComposer: Any = None
if yaml.__with_libyaml__:
    from yaml._yaml import CParser

    class _CComposer(yaml.composer.Composer, CParser, yaml.resolver.Resolver):  # type: ignore[no-redef]
        """libyaml's parser with PyYAML's own composer and safe resolver: the nodes
        yaml.SafeLoader builds, about five times faster (the pure-Python scanner took over
        3 s for a 400 KB file). libyaml also takes a few spec-valid forms the pure scanner
        refuses (a tab inside a plain scalar, '?' inside a flow scalar). The composer stays in
        Python, so deep nesting ends in a RecursionError rather than overflowing the C
        stack."""

        def __init__(self, text: str) -> None:
            CParser.__init__(self, text)
            yaml.composer.Composer.__init__(self)
            yaml.resolver.Resolver.__init__(self)


def _compose_fast(text: str) -> yaml.Node | _Invalid | None:
    """The node tree, or _INVALID when libyaml is missing or the text has a problem (the
    pure-Python reader then says what and where, in its established wording)."""
    if _CComposer is None:
        return _INVALID
    loader = _CComposer(text)
    try:
        node: yaml.Node | None = loader.get_single_node()
        return node
    except Exception:
        return _INVALID
    finally:
        loader.dispose()


def _reader_location(loader: yaml.SafeLoader | None, display: str) -> Location:
    """Where the YAML reader stopped (for errors that carry no position of their own)."""
    if loader is None:
        return Location(display, 1, 1)
    mark = loader.get_mark()
    return Location(display, mark.line + 1, mark.column + 1)


# What the YAML parser's problem usually means, in the preparer's words: by a phrase of
# PyYAML's message (its own text stays, for the exact detail), the hint to add.
_SYNTAX_HINTS = (
    ("found character '\\t'", "tab"),
    ("mapping values are not allowed", "colon"),
    ("quoted scalar", "quote"),
    ("could not find expected ':'", "simple_key"),
    ("expected ',' or", "flow"),
    ("flow mapping", "flow"),
    ("flow sequence", "flow"),
    ("expected <block end>", "indentation"),
    ("did not find expected key", "indentation"),
    ("did not find expected '-'", "indentation"),
)


def _syntax_hint(said: str) -> Msg:
    for phrase, hint in _SYNTAX_HINTS:
        if phrase in said:
            return msg(f"load.syntax_hint.{hint}")
    return NOTHING


def parse_file(data: bytes, display: str, source: SourceMap, findings: list[Finding]) -> Any:
    """Bytes of one YAML file -> plain data (None on a fatal problem, reported in findings);
    the location of every key is recorded in `source`."""
    if len(data) > MAX_FILE_BYTES:
        findings.append(_finding("LOAD-LIMIT", msg("load.file_too_large", size=len(data),
                                                   limit=MAX_FILE_BYTES), Location(display, 1, 1)))
        return None
    text, problem = _decode(data, display)
    if problem is not None or text is None:
        findings.append(problem)  # type: ignore[arg-type]
        return None
    fast = _compose_fast(text)
    loader: yaml.SafeLoader | None = None
    try:
        if isinstance(fast, _Invalid):
            loader = yaml.SafeLoader(text)
            node = loader.get_single_node()
        else:
            node = fast
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        loc = Location(display, mark.line + 1, mark.column + 1) if mark else Location(display, 1, 1)
        problem_text = exc.problem or ""
        said: Msg | str = problem_text or msg("load.invalid_yaml")
        if "non-printable" in problem_text or "special characters" in problem_text:
            findings.append(_finding("LOAD-CHAR", msg("load.reader_char", problem=said), loc))
        elif exc.context:
            findings.append(_finding("LOAD-SYNTAX", msg(
                "load.syntax_context", problem=said, context=exc.context,
                hint=_syntax_hint(f"{exc.context} {problem_text}")), loc))
        else:
            findings.append(_finding("LOAD-SYNTAX", msg(
                "load.syntax", problem=said, hint=_syntax_hint(problem_text)), loc))
        return None
    except yaml.reader.ReaderError as exc:
        line, col = _position(text, exc.position)
        findings.append(_finding("LOAD-CHAR", msg("load.control_char",
                                                  code=f"{exc.character:04X}"),
                                 Location(display, line, col)))
        return None
    except RecursionError:
        findings.append(_finding("LOAD-LIMIT", msg("load.too_deep_reader"),
                                 _reader_location(loader, display)))
        return None
    except ValueError as exc:
        # The scanner turns an escape such as "\U00110000" into a character unchecked.
        message = (msg("load.bad_escape") if "chr()" in str(exc)
                   else msg("load.unreadable", problem=_show(str(exc), 200)))
        findings.append(_finding("LOAD-SYNTAX", message, _reader_location(loader, display)))
        return None
    except yaml.YAMLError as exc:
        findings.append(_finding("LOAD-SYNTAX", msg("load.syntax", problem=_show(str(exc), 200),
                                                    hint=NOTHING),
                                 _reader_location(loader, display)))
        return None
    except Exception as exc:  # the parser is third-party code fed hostile input
        findings.append(_finding("LOAD-SYNTAX", msg("load.unreadable_error",
                                                    error=type(exc).__name__,
                                                    problem=_show(str(exc), 200)),
                                 _reader_location(loader, display)))
        return None
    finally:
        if loader is not None:
            loader.dispose()
    if node is None:
        return {}
    found: list[Finding] = []
    converter = _Converter(display, source, found, text)
    try:
        return converter.convert(node, (), 0)
    except _Abort as abort:
        found.append(abort.finding)
        return None
    except RecursionError:
        found.append(_finding("LOAD-LIMIT", msg("load.too_deep", limit=MAX_DEPTH),
                              Location(display, 1, 1)))
        return None
    finally:
        # Keys are checked before their values are converted; report in reading order.
        findings.extend(sorted(_distinct(found), key=lambda f: f.location or Location("", 0, 0)))


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


def _read_files(path: Path, files: list[Path], findings: list[Finding]) -> dict[str, bytes]:
    """The bytes of each plan file by the name it is reported under; a link out of the plan
    folder is refused, an unreadable file reported."""
    raw: dict[str, bytes] = {}
    folder = (path if path.is_dir() else path.parent).resolve()
    for file in files:
        display = _display(file)
        if not file.resolve().is_relative_to(folder):
            findings.append(_finding(IO_RULE, msg("load.outside_link"), Location(display, 1, 1)))
            continue
        try:
            with file.open("rb") as handle:
                raw[display] = handle.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            findings.append(_finding(IO_RULE, msg("load.cannot_read", reason=exc.strerror),
                                     Location(display, 1, 1)))
    return raw


def plan_bytes(path: Path) -> dict[str, bytes] | None:
    """The plan's files as `load_plan` would read them, without parsing them; None when
    reading them gives any finding (the full load reports it)."""
    findings: list[Finding] = []
    try:
        files = plan_files(path) if path.exists() else []
    except OSError:
        return None
    raw = _read_files(path, files, findings)
    return raw if files and not findings and len(files) <= MAX_FILES else None


def read_plan(path: Path) -> tuple[dict[str, Any], SourceMap, dict[str, bytes], list[Finding]]:
    """Read and merge the YAML files of one plan folder (or one file) into plain data."""
    findings: list[Finding] = []
    source = SourceMap(root=Location(_display(path), 1, 1))
    merged: dict[str, Any] = {}
    raw: dict[str, bytes] = {}
    if not path.exists():
        findings.append(_finding(IO_RULE, msg("load.no_such_path"), source.root))
        return merged, source, raw, findings
    try:
        files = plan_files(path)
    except OSError as exc:
        findings.append(_finding(IO_RULE, msg("load.cannot_read_folder",
                                              reason=exc.strerror or exc), source.root))
        return merged, source, raw, findings
    if not files:
        findings.append(_finding(IO_RULE, msg("load.no_yaml_files"), source.root))
    if len(files) > MAX_FILES:
        findings.append(_finding("LOAD-LIMIT", msg("load.too_many_files", count=len(files),
                                                   limit=MAX_FILES), source.root))
        return merged, source, raw, findings
    if path.is_dir() and files:
        source.root = Location(_display(files[0]), 1, 1)
    raw = _read_files(path, files, findings)
    for display, data in raw.items():
        part_source = SourceMap(root=Location(display, 1, 1))
        part = parse_file(data, display, part_source, findings)
        if part is None:
            continue
        if not isinstance(part, dict):
            findings.append(_finding("SCHEMA-TYPE", msg("load.file_not_mapping"),
                                     Location(display, 1, 1)))
            continue
        # Grouped once: scanning all locations for each top-level key was quadratic.
        by_key: dict[str | int, list[tuple[KeyPath, Location]]] = {}
        for p, loc in part_source.locations.items():
            if p:
                by_key.setdefault(p[0], []).append((p, loc))
        texts_by_key: dict[str | int, list[tuple[KeyPath, TextSource]]] = {}
        for p, written in part_source.texts.items():
            if p:
                texts_by_key.setdefault(p[0], []).append((p, written))
        for key, value in part.items():
            if key in merged:
                findings.append(_finding("LOAD-DUPLICATE", msg(
                    "load.key_in_two_files", name=_show(str(key)),
                    file=source.locate((key,)).file), part_source.locate((key,)), (key,)))
                continue
            merged[key] = value
            source.locations.update(by_key.get(key, ()))
            source.texts.update(texts_by_key.get(key, ()))
    return merged, source, raw, findings


def _unique(findings: list[Finding], key: Callable[[Finding], Hashable]) -> list[Finding]:
    seen: set[Hashable] = set()
    out = []
    for f in findings:
        k = key(f)
        if k not in seen:
            seen.add(k)
            out.append(f)
    return out


def _distinct(findings: list[Finding]) -> list[Finding]:
    """One finding per problem: a value reached again by an alias or merge is reported once."""
    return _unique(findings, lambda f: (f.rule, f.message, f.location))


# --- pydantic errors -> findings ------------------------------------------------------------

# What a value should be, by the first word of pydantic's error type ("int_parsing": int).
_EXPECTED = {
    "int": msg("schema.kind.whole_number"),
    "decimal": msg("schema.kind.number"),
    "float": msg("schema.kind.number"),
    "date": msg("schema.kind.date"),
    "datetime": msg("schema.kind.date"),
    "string": msg("schema.kind.text"),
    "bool": msg("schema.kind.bool"),
    "list": msg("schema.kind.list"),
    "dict": msg("schema.kind.mapping"),
    "model": msg("schema.kind.mapping"),
}
# A number written as Finns write it in text: grouped with spaces, a decimal comma, a unit.
_WRITTEN_AS_IN_FINLAND = re.compile(r"\d[\s\u00a0\u202f]\d|\d,\d|[%€]")
# Pydantic's errors that count something: the value counted picks `_one` for one.
_COUNTED = {
    "string_too_short": "min_length",
    "string_too_long": "max_length",
    "too_short": "min_length",
    "too_long": "max_length",
    "decimal_max_digits": "max_digits",
    "decimal_max_places": "decimal_places",
    "decimal_whole_digits": "whole_digits",
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


def _as_id(text: str) -> str:
    """An id a preparer may write for a name: 'Borgå' -> 'borga', 'Pedersöre kommun' ->
    'pedersore-kommun'."""
    plain = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    plain = re.sub(r"[^a-z0-9_-]+", "-", plain).strip("-_")
    plain = plain if plain[:1].isalpha() else f"k{plain}"
    return plain[:64] or "kunta"


def _describe_input(value: Any) -> Msg | str:
    if isinstance(value, dict):
        return _A_MAPPING
    if isinstance(value, list):
        return _A_LIST
    text = repr(value) if not isinstance(value, Decimal) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _problem(kind: str, err: ErrorDetails) -> Msg | str:
    """Pydantic's error in the catalogue's words with its values; a type the catalogue does
    not word keeps pydantic's English (first letter lower-case, as it follows a key)."""
    values: dict[str, Any] = dict(err.get("ctx") or {})
    key = f"schema.problem.{kind}"  # pydantic's words for the type, with its ctx values
    counted = _COUNTED.get(kind)
    if counted is not None and values.get(counted) == 1:
        key += "_one"
    if "field_type" in values:
        collection = f"schema.collection.{values['field_type']}"  # List, Dictionary
        values["field_type"] = msg(collection) if has(collection) else None
    if has(key) and None not in values.values() and \
            placeholders(catalogue("en")[key]) <= set(values):
        return msg(key, **values)
    text = err["msg"]
    return text[:1].lower() + text[1:]


def _check(err: ErrorDetails) -> Msg:
    """A plan model's own check (model.py): the catalogue key and values it raised."""
    values = dict(err.get("ctx") or {})
    return msg(str(values.pop("key")), **values)


def _one_of(expected: str) -> Msg | str:
    """Pydantic's "'a', 'b' or 'c'" with its "or" in the reader's language."""
    head, sep, last = expected.rpartition(" or ")
    return msg("schema.one_of", options=head, last=last) if sep else expected


def errors_to_findings(exc: ValidationError, source: SourceMap) -> list[Finding]:
    findings: list[Finding] = []
    allowed: dict[KeyPath, list[str]] = {}  # per parent: a plan may have thousands of errors
    hints = 0
    for err in exc.errors(include_url=False):
        loc: KeyPath = tuple(p for p in err["loc"] if p != "[key]")
        # Text accepts a plain string or {fi, sv}; report the mapping branch only once.
        kind = err["type"]
        field_name = str(loc[-1]) if loc else "plan"
        location = source.locate(loc)
        if kind == "extra_forbidden":
            if loc[:-1] not in allowed:
                allowed[loc[:-1]] = _allowed_keys(Plan, loc[:-1])
            hints += 1
            # A suggestion is for a typo; thousands of unknown keys are not typos, and
            # difflib for each of them took seconds.
            hint = did_you_mean(field_name, allowed[loc[:-1]]) if hints <= MAX_HINTS else None
            if hint is None and (" " in field_name.strip() or err.get("input") is None):
                hint = msg("schema.hint.comma")
            elif hint is None and hints <= MAX_HINTS and allowed[loc[:-1]]:
                keys = allowed[loc[:-1]]
                hint = msg("schema.hint.allowed", keys=keys) if len(keys) <= 12 else \
                    msg("schema.hint.allowed_more", keys=keys[:12])
            findings.append(_finding("SCHEMA-UNKNOWN", msg(
                "schema.unknown_key", name=_show(field_name, 80), hint=hint or NOTHING),
                location, loc))
        elif kind == "missing":
            parent = source.locate(loc[:-1])
            where = shown_path(loc[:-1])
            findings.append(_finding(
                "SCHEMA-MISSING", msg("schema.missing", where=where, name=field_name) if where
                else msg("schema.missing_in_plan", name=field_name), parent, loc))
        elif kind == "literal_error":
            expected = str(err.get("ctx", {}).get("expected", ""))
            options = [o.strip(" '") for o in expected.replace(" or ", ",").split(",")]
            got = err.get("input")
            hint = did_you_mean(str(got), options) if isinstance(got, str) else \
                msg("schema.hint.quote", value=str(got)) \
                if isinstance(got, int | Decimal | float) and str(got) in options else None
            values = {"name": field_name, "got": _describe_input(got),
                      "options": _one_of(expected), "hint": hint or NOTHING}
            findings.append(_finding(
                "SCHEMA-TYPE", msg("schema.key_not_one_of", **values)
                if err["loc"] and err["loc"][-1] == "[key]"
                else msg("schema.not_one_of", **values), location, loc))
        else:
            base = kind.split("_")[0]
            expected_kind = _EXPECTED.get(base)
            got = _describe_input(err.get("input"))
            # a list item is named by its parent and its position from 1 ("pools[1]")
            name = field_name if not isinstance(loc[-1] if loc else None, int) \
                else position(loc) if len(loc) > 1 else field_name
            if kind == "invalid_key" and len(loc) > 2:  # {rate: 8,5} gives the key 5
                message = msg("schema.key_not_text", name=position(loc[:-1]),
                              given=str(loc[-1]))
            elif expected_kind and kind.endswith(("_type", "_parsing")):
                number = base in ("int", "decimal", "float") and \
                    _WRITTEN_AS_IN_FINLAND.search(str(err.get("input", "")))
                message = msg("schema.expected", name=name, expected=expected_kind, got=got,
                              hint=msg("schema.hint.number_format") if number else NOTHING)
            elif kind == CHECK_ERROR:  # a model's own check: its message says it all
                message = msg("schema.check", name=name, problem=_check(err))
            elif kind == "value_error":
                message = msg("schema.check", name=name,
                              problem=err["msg"].removeprefix("Value error, "))
            elif kind == "string_pattern_mismatch" and \
                    (err.get("ctx") or {}).get("pattern") == ID_PATTERN:
                message = msg("schema.identifier", name=name, got=got,
                              suggestion=_as_id(str(err.get("input", ""))))
            else:
                message = msg("schema.invalid", name=name, problem=_problem(kind, err), got=got)
            findings.append(_finding("SCHEMA-TYPE", message, location, loc))
    return _dedupe_text_unions(findings)


def _dedupe_text_unions(findings: list[Finding]) -> list[Finding]:
    out = _unique(findings, lambda f: (f.rule, f.path, f.message))
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
        raise PlanLoadError([_finding("LOAD-LIMIT", msg("load.too_deep_model"),
                                      source.root)]) from None
    return LoadedPlan(plan, source, plan_folder(path), raw)


def plan_folder(path: Path) -> Path:
    """The folder a plan path names: itself, or a single plan file's folder."""
    return path if path.is_dir() else path.parent


def discover(paths: list[Path]) -> list[Path]:
    """Plan folders under the given paths: a folder with YAML files is a plan; a folder
    without them is searched one level down (so `planbuilder validate plans` works)."""
    found: list[Path] = []
    for path in paths:
        try:
            if path.is_dir() and not plan_files(path):
                subs = sorted(p for p in path.iterdir() if p.is_dir() and plan_files(p))
                found.extend(subs or [path])
                continue
        except OSError:  # unreadable: loading it reports why, with the path
            pass
        found.append(path)
    return found
