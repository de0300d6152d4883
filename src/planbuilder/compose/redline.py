"""Redlines: the differences between two versions of a document, made on planbuilder's own
document tree (block by block, then word by word inside a changed paragraph, cell by cell
inside a table), so unchanged content stays quiet and a changed euro figure is one changed
cell. The result is an ordinary `Document` whose spans and cells carry their changes; the
DOCX renderer writes them as Word's tracked changes, the PDF as underlined and struck text.

Also the change summary: which statutory sections, budget lines, shares and agreement
clauses changed between two plans, with their old and new values."""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from planbuilder.document import (
    Block,
    BulletList,
    Cell,
    Cover,
    Document,
    Heading,
    Inline,
    Paragraph,
    Span,
    Table,
    plain,
)
from planbuilder.model import STATUTORY_SECTIONS, Plan
from planbuilder.money import Money

_WORDS = re.compile(r"\s+|[\w\u00a0%€.,:;–-]+|\S")


def _key(block: Block) -> tuple[str, str]:
    """What identifies a block across versions: tables by their anchor (their content is
    compared cell by cell), text blocks by their text."""
    match block:
        case Table():
            return ("table", block.anchor)
        case Heading():
            return ("heading", block.full_text)
        case Paragraph():
            return ("paragraph", plain(block.content))
        case BulletList():
            return ("list", "\n".join(plain(i) for i in block.items))
        case Cover():
            return ("cover", block.title)
        case _:
            return (type(block).__name__, "")


def _marked(spans: Inline, change: str) -> Inline:
    return tuple(dataclasses.replace(s, change=change, ref="", field="")  # type: ignore[arg-type]
                 for s in spans if s.text)


def words(old: str, new: str) -> Inline:
    """`new` as spans, with what differs from `old` word by word deleted and inserted."""
    a, b = _WORDS.findall(old), _WORDS.findall(new)
    out: list[Span] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(Span("".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(Span("".join(a[i1:i2]), change="del"))
        if j2 > j1:
            out.append(Span("".join(b[j1:j2]), change="ins"))
    return tuple(out)


def _rows(old: Sequence[tuple[Cell, ...]], new: Sequence[tuple[Cell, ...]]
          ) -> tuple[tuple[Cell, ...], ...]:
    """Rows matched by their first cell (a member, a budget line), else by position; a
    changed cell keeps its old text; rows gone are kept as deleted, new rows as inserted."""
    def label(row: tuple[Cell, ...]) -> str:
        return row[0].text if row else ""

    a, b = [label(r) for r in old], [label(r) for r in new]
    if len(set(a)) != len(a) or len(set(b)) != len(b):  # labels repeat: by position
        a, b = [str(i) for i in range(len(old))], [str(i) for i in range(len(new))]
    out: list[tuple[Cell, ...]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            for o, n in zip(old[i1:i2], new[j1:j2], strict=True):
                out.append(tuple(dataclasses.replace(c, old=o[k].text if k < len(o) else "")
                                 if k >= len(o) or o[k].text != c.text else c
                                 for k, c in enumerate(n)))
            continue
        out += [tuple(dataclasses.replace(c, deleted=True) for c in r) for r in old[i1:i2]]
        out += [tuple(dataclasses.replace(c, old="") for c in r) for r in new[j1:j2]]
    return tuple(out)


def _table(old: Table, new: Table) -> Table:
    return dataclasses.replace(new, rows=_rows(old.rows, new.rows),
                               footer=_rows(old.footer, new.footer))


def _deleted(block: Block) -> list[Block]:
    match block:
        case Paragraph():
            return [dataclasses.replace(block, content=_marked(block.content, "del"))]
        case Heading():
            return [Paragraph((Span(block.full_text, bold=True, change="del"),))]
        case BulletList():
            return [dataclasses.replace(block, items=tuple(_marked(i, "del")
                                                           for i in block.items))]
        case Table():
            return [dataclasses.replace(block, rows=tuple(
                tuple(dataclasses.replace(c, deleted=True) for c in r) for r in block.rows),
                footer=())]
        case _:
            return []


def _inserted(block: Block) -> Block:
    match block:
        case Paragraph():
            return dataclasses.replace(block, content=_marked(block.content, "ins"))
        case BulletList():
            return dataclasses.replace(block, items=tuple(_marked(i, "ins")
                                                          for i in block.items))
        case Table():
            return _table(dataclasses.replace(block, rows=(), footer=()), block)
        case _:
            return block


def _changed(old: Block, new: Block) -> list[Block]:
    """A block that changed in place, or the old one deleted and the new one inserted."""
    match old, new:
        case Paragraph(), Paragraph():
            return [dataclasses.replace(new, content=words(plain(old.content),
                                                           plain(new.content)))]
        case BulletList(), BulletList() if len(old.items) == len(new.items):
            return [dataclasses.replace(new, items=tuple(
                words(plain(o), plain(n)) for o, n in zip(old.items, new.items, strict=True)))]
        case Heading(), Heading():
            return [*_deleted(old), new]
        case _:
            return [*_deleted(old), _inserted(new)]


def redline(old: Document, new: Document, when: str) -> Document:
    """`new` with what changed since `old` marked; `when` (ISO 8601) dates the changes."""
    a, b = [_key(x) for x in old.blocks], [_key(x) for x in new.blocks]
    out: list[Block] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            for o, n in zip(old.blocks[i1:i2], new.blocks[j1:j2], strict=True):
                out.append(_table(o, n) if isinstance(o, Table) and isinstance(n, Table)
                           else n)
            continue
        olds, news = list(old.blocks[i1:i2]), list(new.blocks[j1:j2])
        while olds and news:  # pair blocks of one kind in order; the rest go or come
            o, n = olds.pop(0), news.pop(0)
            if type(o) is type(n):
                out += _changed(o, n)
            else:
                out += _deleted(o)
                news.insert(0, n)
        for o in olds:
            out += _deleted(o)
        out += [_inserted(n) for n in news]
    meta = dataclasses.replace(new.meta, revision_date=when)
    return dataclasses.replace(new, blocks=tuple(out), meta=meta, archival=False,
                               attachments=())


def has_changes(doc: Document) -> bool:
    for b in doc.blocks:
        spans: list[Span] = []
        match b:
            case Paragraph():
                spans = list(b.content)
            case BulletList():
                spans = [s for i in b.items for s in i]
            case Table():
                if any(c.old is not None or c.deleted for r in (*b.rows, *b.footer)
                       for c in r):
                    return True
        if any(s.change for s in spans):
            return True
    return False


# -- the change summary ---------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    kind: str  # "section", "budget", "share", "clause"
    what: str  # the section, line, member or clause (its id)
    old: str  # "" when added
    new: str  # "" when removed
    delta: Decimal | None = None  # for money: new - old
    percent: Decimal | None = None  # for shares: the change in percent of the old


def summary(old: Plan, new: Plan, old_money: Money | None, new_money: Money | None
            ) -> list[Change]:
    """What changed between two versions of a plan, in the plan's own terms."""
    out: list[Change] = []
    for section in STATUTORY_SECTIONS:
        a, b = getattr(old.sections, section.key), getattr(new.sections, section.key)
        if a != b:
            out.append(Change("section", section.key, "" if a is None else "…",
                              "" if b is None else "…"))
    if old_money is not None and new_money is not None:
        a_lines = {r.line.id: r.signed for r in old_money.budget.lines}
        b_lines = {r.line.id: r.signed for r in new_money.budget.lines}
        for line in [*a_lines, *(x for x in b_lines if x not in a_lines)]:
            x, y = a_lines.get(line), b_lines.get(line)
            if x != y:
                out.append(Change("budget", line, "" if x is None else str(x),
                                  "" if y is None else str(y),
                                  (y or Decimal(0)) - (x or Decimal(0))))
        a_shares = {s.member: s.total for s in old_money.summaries}
        b_shares = {s.member: s.total for s in new_money.summaries}
        for member in [*a_shares, *(x for x in b_shares if x not in a_shares)]:
            x, y = a_shares.get(member), b_shares.get(member)
            if x != y:
                delta = (y or Decimal(0)) - (x or Decimal(0))
                pct = (delta * 100 / x).quantize(Decimal("0.1")) if x else None
                out.append(Change("share", member, "" if x is None else str(x),
                                  "" if y is None else str(y), delta, pct))
    a_clauses = {c.id: c for c in old.agreement.clauses} if old.agreement else {}
    b_clauses = {c.id: c for c in new.agreement.clauses} if new.agreement else {}
    for clause in [*a_clauses, *(k for k in b_clauses if k not in a_clauses)]:
        before, after = a_clauses.get(clause), b_clauses.get(clause)
        if before != after:
            out.append(Change("clause", clause, "" if before is None else before.title.fi,
                              "" if after is None else after.title.fi))
    return out
