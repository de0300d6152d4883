"""What a document carries so that anyone who receives it can check it (`planbuilder
verify`): `planbuilder.json`, the record of the build (planbuilder's version, the plan and
its version, the document's kind, member and language, the build date, a SHA-256 over the
plan files attached beside it) and every figure the document prints, where it prints it.

The figures are read from the composed `Document`, not from the money engine: verify checks
what is printed, whatever computed it. A figure is a number with its unit as planbuilder
prints them (`316 833 €`, `12,5 %`, `71 htv`, `5 årsv.`; groups and unit joined by no-break
spaces) anywhere in the text, and a table cell that holds a number alone (a statistic). The
record's format is described in docs/verify.md, with its JSON schema."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from planbuilder.document import (
    Attachment,
    BulletList,
    Cover,
    Document,
    Figure,
    Heading,
    PageBreak,
    Paragraph,
    SignatureBlock,
    Table,
    TableOfContents,
    plain,
)

FORMAT = 1
NAME = "planbuilder.json"
MIME = "application/json"

_GROUP = "[\u00a0\u202f]"
_NUMBER = rf"[\u2212-]?\d{{1,3}}(?:{_GROUP}\d{{3}})*(?:,\d+)?"
# A number with its unit; not the tail of a longer number or of a word ("2025", "v2").
FIGURE = re.compile(rf"(?<![\w.,\u2212-]){_NUMBER}{_GROUP}?(?:€|%|htv\b|årsv\.)\*?")
# A table cell (or, in a rendered document, a line) that is a number alone.
ALONE = re.compile(rf"{_NUMBER}\*?")


@dataclass(frozen=True)
class Printed:
    """One figure as the document prints it: where (caption or heading, row, column) and
    the exact text."""

    where: str
    printed: str

    def data(self) -> dict[str, str]:
        return {"where": self.where, "printed": self.printed}


def in_text(text: str) -> list[str]:
    """The figures with units in a text, in order."""
    return FIGURE.findall(text)


def in_cell(text: str) -> list[str]:
    """The figures of a table cell: a number alone, or the numbers with units in it."""
    text = text.strip()
    return [text] if ALONE.fullmatch(text) else in_text(text)


def _numbered(where: str, found: list[str]) -> Iterator[tuple[str, str]]:
    if len(found) == 1:
        yield where, found[0]
        return
    for i, figure in enumerate(found, start=1):
        yield f"{where} › #{i}", figure


def figures(doc: Document) -> list[Printed]:
    """Every figure the document prints, in reading order. `doc` is the document as
    rendered (after `render.xml.clean_text`, which joins a number to its unit)."""
    out: list[tuple[str, str]] = []
    context = doc.meta.title
    paragraph = 0
    for block in doc.blocks:
        match block:
            case Heading():
                context, paragraph = block.full_text, 0
                out += _numbered(context, in_text(block.full_text))
            case Paragraph():
                paragraph += 1
                out += _numbered(f"{context} › ¶{paragraph}", in_text(plain(block.content)))
            case BulletList():
                paragraph += 1
                for n, item in enumerate(block.items, start=1):
                    out += _numbered(f"{context} › ¶{paragraph}.{n}", in_text(plain(item)))
            case Table():
                out += _table(block)
            case Figure():
                out += _numbered(block.caption, in_text(block.caption))
            case Cover():
                for label, value in block.lines:
                    out += _numbered(f"{block.title} › {label}", in_text(value))
            case PageBreak() | TableOfContents() | SignatureBlock():
                pass
    seen: Counter[str] = Counter()
    unique: list[Printed] = []
    for where, printed in out:
        seen[where] += 1
        unique.append(Printed(where if seen[where] == 1 else f"{where} ({seen[where]})",
                              printed))
    return unique


def _table(table: Table) -> Iterator[tuple[str, str]]:
    caption = table.caption
    yield from _numbered(caption, in_text(caption))
    width = max((len(r) for r in (*table.header, *table.rows, *table.footer)), default=0)
    heads = []
    for j in range(width):
        names = [r[j].text.strip() for r in table.header if j < len(r) and r[j].text.strip()]
        heads.append(names[-1] if names else f"{j + 1}")
    for r in table.header:
        for j, cell in enumerate(r):
            yield from _numbered(f"{caption} › {heads[j]}", in_text(cell.text))
    for i, row in enumerate((*table.rows, *table.footer), start=1):
        label = row[0].text.strip() if row else ""
        if not label or in_cell(label):
            label = f"#{i}"
        for j, cell in enumerate(row):
            found = in_cell(cell.text)
            if j == 0 and label == f"#{i}":
                yield from _numbered(f"{caption} › {label}", found)
            elif found:
                yield from _numbered(f"{caption} › {label} › {heads[j]}", found)
    if table.note:
        yield from _numbered(f"{caption} › *", in_text(table.note))


def content_hash(files: Sequence[tuple[str, bytes]]) -> str:
    """SHA-256 over the plan files: the lines `<sha256 of the file>  <name>\\n` in the order
    of the names' code points, exactly what `LC_ALL=C sha256sum *.yaml` prints, hashed
    again (so `LC_ALL=C sha256sum *.yaml | sha256sum` in the attachments' folder gives it)."""
    listing = "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n"
                      for name, data in sorted(files))
    return hashlib.sha256(listing.encode("utf-8")).hexdigest()


PLAN_MIME = "application/yaml"


def record(doc: Document, *, kind: str, member: str | None, stem: str, area: str,
           version: str, status: str, built: str, planbuilder: str,
           templates_default: bool) -> dict[str, Any]:
    """The record of one document, from its rendered tree and its attachments (the plan
    files are those of mime type `PLAN_MIME`)."""
    plan_files = [(a.name, a.data) for a in doc.attachments if a.mime == PLAN_MIME]
    return {
        "format": FORMAT,
        "planbuilder": planbuilder,
        "document": {"kind": kind, "member": member, "lang": doc.meta.lang, "file": stem,
                     "title": doc.meta.title},
        "plan": {"area": area, "version": version, "status": status},
        "built": built,
        # Whether the default templates were used, not a digest of them: a digest would
        # make every document change with any template file, and a build re-renders only
        # the documents whose content changed.
        "templates": {"default": templates_default},
        "content_hash": content_hash(plan_files),
        "files": [{"name": a.name, "sha256": hashlib.sha256(a.data).hexdigest(),
                   "role": "plan" if a.mime == PLAN_MIME else "computed"}
                  for a in doc.attachments],
        "figures": [f.data() for f in figures(doc)],
    }


def encode(data: dict[str, Any]) -> bytes:
    """The record as bytes: the same record always gives the same bytes."""
    return (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode()


def sealed(doc: Document, data: dict[str, Any], description: str) -> Document:
    """The document with its record attached (after the plan files), archival."""
    attachment = Attachment(NAME, description, encode(data), MIME)
    return dataclasses.replace(doc, attachments=(*doc.attachments, attachment),
                               archival=True)
