"""Editing a plan file's text values in place, for `planbuilder review --apply`.

Only the characters of each edited scalar change: the rest of the file (comments, quoting,
line endings, indentation of lists, other values) keeps its bytes. A value is written in its
own style (plain, quoted, literal `|` or folded `>`), folded at the width it had; when that
style cannot hold the new text exactly - a plain `on`, `NO` or `9:30` that YAML 1.1 reads
as true, false or 570, a `: ` inside a plain scalar - it is double-quoted instead. Every
result is read back with the loader's YAML (1.1, like PyYAML's safe loader) and must give
the old data with exactly the edited values changed, or nothing is written."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import yaml

from planbuilder.data import SafeLoader
from planbuilder.findings import KeyPath

_Loader: Any = SafeLoader


class EditError(Exception):
    """The text at `path` cannot be written into the file as it is."""

    def __init__(self, path: KeyPath, reason: str):
        super().__init__(f"{'.'.join(map(str, path))}: {reason}")
        self.path = path
        self.reason = reason  # "missing", "not_text", "unwritable"


@dataclass(frozen=True)
class _Scalar:
    node: yaml.ScalarNode
    start: int
    end: int


def _node_at(root: yaml.Node | None, path: KeyPath) -> yaml.Node | None:
    node = root
    for key in path:
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value
                         if isinstance(k, yaml.ScalarNode) and k.value == str(key)), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) \
                and 0 <= key < len(node.value):
            node = node.value[key]
        else:
            return None
    return node


def text_path(text: str, keys: KeyPath, lang: str) -> KeyPath | None:
    """Where the `lang` text of the plan text at `keys` is written: the key itself (a plain
    string is the Finnish text), or its `fi`/`sv` value; None when the file has none."""
    node = _node_at(yaml.compose(text, Loader=_Loader), keys)
    if isinstance(node, yaml.ScalarNode):
        return keys if lang == "fi" else None
    if isinstance(node, yaml.MappingNode) and \
            isinstance(_node_at(node, (lang,)), yaml.ScalarNode):
        return (*keys, lang)
    return None


def _newline(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def wrap(words: list[str], first: int, width: int) -> list[str]:
    """Words into lines: the first line has `first` characters room, the others `width`. A
    word that would begin a line and read as Markdown block syntax (a list item, heading,
    quote) stays on the line before."""
    lines: list[str] = []
    line = ""
    for word in words:
        room = first if not lines else width
        if line and len(line) + 1 + len(word) > room and not _MARKER.fullmatch(word):
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return lines


_MARKER = re.compile(r"[-+*>#=]+|\d+[.)]|[-_*]{3,}")


def _folded_lines(value: str, first: int, width: int) -> list[str]:
    """`value` as the lines of a folded scalar: a single break folds to a space, so each
    line break of the value is an empty line."""
    out: list[str] = []
    for k, part in enumerate(value.split("\n")):
        if k:
            out.append("")
        if part:
            if part != part.strip(" ") or "  " in part:
                raise ValueError("spaces a folded line cannot keep")
            out.extend(wrap(part.split(" "), first if not out else width, width))
    return out


def _double_quoted(value: str) -> str:
    out = []
    for c in value:
        if c in '"\\':
            out.append("\\" + c)
        elif c == "\n":
            out.append("\\n")
        elif c == "\t":
            out.append("\\t")
        elif ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 or c in "\ufeff\u2028\u2029":
            out.append(f"\\u{ord(c):04x}")
        else:
            out.append(c)
    return '"' + "".join(out) + '"'


def _render(text: str, s: _Scalar, value: str, style: str) -> str:
    """The new characters for text[s.start:s.end]."""
    nl = _newline(text)
    old = text[s.start:s.end]
    column = s.start - _line_start(text, s.start)
    old_lines = old.replace("\r\n", "\n").split("\n")
    if style in ("|", ">"):
        header, _, rest = old.replace("\r\n", "\n").partition("\n")
        body = [line for line in rest.split("\n") if line.strip()]
        indent = min((len(line) - len(line.lstrip(" ")) for line in body), default=column + 2)
        trailer = old[len(old.rstrip(" \t\r\n")):]
        if "\n" not in trailer:
            trailer = nl
        content = value[:-1] if value.endswith("\n") else value
        if style == "|":
            lines = content.split("\n")
        else:
            width = max((len(line) for line in body), default=80) - indent
            lines = _folded_lines(content, max(width, 20), max(width, 20))
        pad = " " * indent
        return header + nl + nl.join(pad + line if line else "" for line in lines) + trailer
    if len(old_lines) == 1:  # a one-line value stays on one line, however long
        if style == "'":
            return "'" + value.replace("'", "''").replace("\n", "\n\n") + "'"
        return _double_quoted(value) if style == '"' else value.replace("\n", "\n\n")
    # a value folded over lines: the same width, continuation lines at their indentation
    indent = len(old_lines[1]) - len(old_lines[1].lstrip(" "))
    width = max(len(old_lines[0]) + column, *(len(line) for line in old_lines[1:]))
    if style == '"':
        words = _double_quoted(value).split(" ")
        if any(w == "" for w in words):
            raise ValueError("spaces a folded line cannot keep")
        lines = wrap(words, width - column, width - indent)
    else:
        quoted = value.replace("'", "''") if style == "'" else value
        lines = _folded_lines(quoted, width - column, width - indent)
        if style == "'":
            lines[0], lines[-1] = "'" + lines[0], lines[-1] + "'"
    pad = " " * indent
    return (nl.join([lines[0], *(pad + line if line else "" for line in lines[1:])]))


def _set(data: Any, path: KeyPath, value: Any) -> None:
    for key in path[:-1]:
        data = data[key]
    data[path[-1]] = value


def replace_texts(text: str, edits: Mapping[KeyPath, str]) -> str:
    """`text` (a YAML file, decoded) with the string at each key path replaced by its new
    value; raises EditError when a path is not a string there or a value cannot be written
    so that the file reads back exactly as intended."""
    root = yaml.compose(text, Loader=_Loader)
    expected = yaml.load(text, Loader=_Loader)
    scalars: dict[KeyPath, _Scalar] = {}
    for path, value in edits.items():
        node = _node_at(root, path)
        if node is None:
            raise EditError(path, "missing")
        if not isinstance(node, yaml.ScalarNode) or node.tag != "tag:yaml.org,2002:str":
            raise EditError(path, "not_text")
        scalars[path] = _Scalar(node, node.start_mark.index, node.end_mark.index)
        _set(expected, path, value)
    chosen: dict[KeyPath, str] = {}
    for path, value in edits.items():
        s = scalars[path]
        style = s.node.style or ""
        for candidate in dict.fromkeys((style, '"')):
            try:
                written = _render(text, s, value, candidate)
            except ValueError:
                continue
            trial = text[:s.start] + written + text[s.end:]
            try:
                back = _node_at(yaml.compose(trial, Loader=_Loader), path)
            except yaml.YAMLError:
                continue
            if isinstance(back, yaml.ScalarNode) and back.tag == "tag:yaml.org,2002:str" \
                    and back.value == value:
                chosen[path] = written
                break
        else:
            raise EditError(path, "unwritable")
    out = text
    for path in sorted(chosen, key=lambda p: scalars[p].start, reverse=True):
        s = scalars[path]
        out = out[:s.start] + chosen[path] + out[s.end:]
    try:
        if yaml.load(out, Loader=_Loader) != expected:
            raise EditError(next(iter(edits)), "unwritable")
    except yaml.YAMLError:
        raise EditError(next(iter(edits)), "unwritable") from None
    return out


# --- whole values: a statistic's figure, date and source (`stats update`) -------------------

class _FlowDumper(yaml.SafeDumper):
    pass


def _decimal(dumper: yaml.SafeDumper, value: Any) -> yaml.Node:
    text = format(value, "f")
    tag = "tag:yaml.org,2002:int" if "." not in text else "tag:yaml.org,2002:float"
    return dumper.represent_scalar(tag, text)


_FlowDumper.add_representer(Decimal, _decimal)


def flow(value: Any) -> str:
    """`value` as one line of YAML flow style: `{value: 51700, date: 2024-12-31, ...}`."""
    text = yaml.dump(value, Dumper=_FlowDumper, default_flow_style=True, allow_unicode=True,
                     width=1_000_000, sort_keys=False)
    return text.strip().removesuffix("...").strip()


def _plain_data(value: Any) -> Any:
    """What the loader's YAML gives back for `value` (Decimals as numbers)."""
    return yaml.load(flow(value), Loader=_Loader)


def set_values(text: str, values: Mapping[KeyPath, Any]) -> str:
    """`text` (a YAML file) with the value at each key path replaced, written in flow style
    where the old value was; a key its mapping lacks is added as the mapping's last entry
    (the mapping must be in block style). Everything else keeps its bytes; the result must
    read back as the old data with exactly these values set, or EditError is raised."""
    expected = yaml.load(text, Loader=_Loader)
    out = text
    for path, value in values.items():
        root = yaml.compose(out, Loader=_Loader)
        node = _node_at(root, path)
        rendered = flow(value)
        if node is not None:
            if isinstance(node, yaml.ScalarNode) or getattr(node, "flow_style", False):
                start, end = node.start_mark.index, node.end_mark.index
                out = out[:start] + rendered + out[end:]
            else:  # a block mapping or sequence: the value goes on the key's line
                start = out.rfind("\n", 0, node.start_mark.index)
                end = node.end_mark.index
                if end and out[end - 1] == "\n":
                    end -= 1
                out = out[:start] + " " + rendered + out[end:]
        else:
            parent = _node_at(root, path[:-1])
            if not isinstance(parent, yaml.MappingNode) or parent.flow_style \
                    or not parent.value:
                raise EditError(path, "missing")
            last_key, last_value = parent.value[-1]
            column = last_key.start_mark.column
            end = last_value.end_mark.index
            line_end = out.find("\n", end - 1 if out[end - 1:end] == "\n" else end)
            line_end = len(out) if line_end < 0 else line_end
            nl = _newline(out)
            out = out[:line_end] + nl + " " * column + f"{path[-1]}: {rendered}" \
                + out[line_end:]
        _set(expected, path, _plain_data(value))
    try:
        if yaml.load(out, Loader=_Loader) != expected:
            raise EditError(next(iter(values)), "unwritable")
    except yaml.YAMLError:
        raise EditError(next(iter(values)), "unwritable") from None
    return out
