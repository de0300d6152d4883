"""Text that Word's XML and PDF text cannot hold is removed in one place, for both
renderers (the loader already refuses such characters in plans; this guards templates
and translations too); and a number keeps its unit on its line."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from planbuilder.document import Document

_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


# A number and its unit or sign stay on one line: "45 %", "15 §", "1 088 809 €", "71 htv".
_UNIT = re.compile(r"(?<=\d) (?=(?:%|§|€|htv\b|årsv\.))")


def clean(text: str) -> str:
    return _UNIT.sub("\u00a0", _BAD.sub("", text))


def _walk(value: Any) -> Any:
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, tuple):
        return tuple(_walk(v) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _walk(getattr(value, f.name)) for f in dataclasses.fields(value)
                   if not isinstance(getattr(value, f.name), bytes)}
        return dataclasses.replace(value, **changes)
    return value


def clean_text(doc: Document) -> Document:
    result: Document = _walk(doc)
    return result
