"""Markdown -> document blocks, with markdown-it-py (raw HTML off: nothing passes through).

Document templates emit Markdown; tables, figures and other structured blocks that Markdown
cannot express are registered with a `Directives` object and appear in the Markdown as a
fenced block  ```pb  <key>```. User prose (from plan YAML) is registered the same way so its
headings can be nested under the template's heading and it can never inject directives.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Literal

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup

from planbuilder.document import (
    Block,
    BulletList,
    Cell,
    Heading,
    Inline,
    Paragraph,
    Span,
    Table,
    plain,
)

# CommonMark plus GFM pipe tables, which become real tables in both formats.
_MD = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_MD.enable("table")
_CAPTION = re.compile(r"^(?:Table|Taulukko|Tabell)?\s*:\s*(.+)$", re.IGNORECASE | re.DOTALL)
_NUMBER = re.compile(r"^[\s\u2212+-]*[\d\s\u00a0.,]+(?:\s*(?:€|%|htv))?$")
_FENCE = "pb"


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60] or "section"


@dataclass
class Directives:
    """Blocks registered by template functions, referenced from Markdown by key."""

    blocks: dict[str, list[Block]] = field(default_factory=dict)
    prose: dict[str, tuple[str, int, str]] = field(default_factory=dict)  # text, level, source

    def add(self, blocks: list[Block]) -> Markup:
        key = f"b{len(self.blocks) + len(self.prose)}"
        self.blocks[key] = blocks
        return _fence(key)

    def add_prose(self, markdown: str, base_level: int, source: str = "") -> Markup:
        """User prose; `source` is the key path of the plan text it comes from, which its
        paragraphs carry (a reviewer's edit in Word maps back to that YAML)."""
        key = f"p{len(self.blocks) + len(self.prose)}"
        self.prose[key] = (markdown, base_level, source)
        return _fence(key)


def _fence(key: str) -> Markup:
    return Markup(f"\n\n```{_FENCE}\n{key}\n```\n\n")


class _Anchors:
    def __init__(self) -> None:
        self.used: set[str] = set()

    def make(self, text: str) -> str:
        base = slug(text)
        if not base[0].isalpha():  # Word bookmark names must start with a letter
            base = f"h-{base}"
        anchor, n = base, 1
        while anchor in self.used:
            n += 1
            anchor = f"{base}-{n}"
        self.used.add(anchor)
        return anchor


def to_blocks(markdown: str, directives: Directives | None = None) -> list[Block]:
    """Parse template Markdown; expand directives and user prose."""
    return _Converter(directives or Directives(), _Anchors()).convert(markdown, 0)


class _Converter:
    def __init__(self, directives: Directives, anchors: _Anchors):
        self.directives = directives
        self.anchors = anchors

    def convert(self, markdown: str, level_shift: int, user: bool = False) -> list[Block]:
        tokens = _MD.parse(markdown)
        out: list[Block] = []
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            if tok.type == "heading_open":
                level = min(4, int(tok.tag[1]) + level_shift)
                text = _plain(tokens[i + 1])
                out.append(Heading(level, text, self.anchors.make(text)))
                i += 3
            elif tok.type == "paragraph_open":
                out.append(Paragraph(_inline(tokens[i + 1])))
                i += 3
            elif tok.type in ("bullet_list_open", "ordered_list_open"):
                i, items = self._list(tokens, i)
                out.append(BulletList(tuple(items), ordered=tok.type == "ordered_list_open"))
            elif tok.type == "table_open":
                i, table = self._table(tokens, i)
                caption = tokens[i + 1] if i + 2 < len(tokens) and \
                    tokens[i].type == "paragraph_open" else None
                match = _CAPTION.match(_plain(caption)) if caption is not None else None
                if match:  # ": Caption" or "Taulukko: Caption" under a table (pandoc's form)
                    table = dataclasses.replace(table, caption=match.group(1).strip())
                    i += 3
                out.append(table)
            elif tok.type == "fence" and tok.info.strip() == _FENCE and not user:
                out.extend(self._directive(tok.content.strip()))
                i += 1
            elif tok.type in ("fence", "code_block"):
                out.append(Paragraph((Span(tok.content.rstrip("\n")),), style="note"))
                i += 1
            elif tok.type == "blockquote_open":
                # Everything inside a quote, nested quotes and code included, is kept as
                # indented note paragraphs.
                depth, j = 1, i + 1
                while depth:
                    inner = tokens[j]
                    depth += {"blockquote_open": 1, "blockquote_close": -1}.get(inner.type, 0)
                    if inner.type == "inline":
                        out.append(Paragraph(_inline(inner), style="note"))
                    elif inner.type in ("fence", "code_block"):
                        out.append(Paragraph((Span(inner.content.rstrip("\n")),), style="note"))
                    j += 1
                i = j
            else:  # hr, html_block (never produced with html off), closing tokens
                i += 1
        return out

    def _list(self, tokens: list[Token], i: int) -> tuple[int, list[Inline]]:
        items: list[Inline] = []
        depth = 0
        close = tokens[i].type.replace("_open", "_close")
        j = i
        while True:
            tok = tokens[j]
            if tok.type in ("bullet_list_open", "ordered_list_open"):
                depth += 1
            elif tok.type in ("bullet_list_close", "ordered_list_close"):
                depth -= 1
                if depth == 0 and tok.type == close:
                    return j + 1, items
            elif tok.type == "inline":
                prefix = (Span("– " * (depth - 1)),) if depth > 1 else ()
                items.append(prefix + _inline(tok))
            elif tok.type in ("fence", "code_block"):  # code inside a list item is kept
                prefix = (Span("– " * (depth - 1)),) if depth > 1 else ()
                items.append((*prefix, Span(tok.content.rstrip("\n"))))
            j += 1

    def _table(self, tokens: list[Token], i: int) -> tuple[int, Table]:
        """A pipe table: its header row and body rows; a column aligned right in the
        Markdown, or holding only numbers, is right-aligned."""
        header: list[tuple[Cell, ...]] = []
        rows: list[tuple[Cell, ...]] = []
        row: list[Cell] = []
        in_head = False
        j = i
        while tokens[j].type != "table_close":
            tok = tokens[j]
            if tok.type == "thead_open":
                in_head = True
            elif tok.type == "thead_close":
                in_head = False
            elif tok.type == "tr_open":
                row = []
            elif tok.type == "tr_close":
                (header if in_head else rows).append(tuple(row))
            elif tok.type in ("th_open", "td_open"):
                style = str(tok.attrs.get("style", ""))
                text = plain(_inline(tokens[j + 1]))
                align: Literal["left", "right", "center"] = (
                    "right" if "right" in style else "center" if "center" in style else "left")
                row.append(Cell(text, align))
            j += 1
        width = max((len(r) for r in (*header, *rows)), default=0)
        numeric = [all(_NUMBER.match(r[k].text) for r in rows if k < len(r) and r[k].text)
                   and any(k < len(r) and r[k].text for r in rows) for k in range(width)]

        def aligned(r: tuple[Cell, ...]) -> tuple[Cell, ...]:
            return tuple(dataclasses.replace(c, align="right") if numeric[k] and c.align ==
                         "left" else c for k, c in enumerate(r))

        anchor = self.anchors.make("table-prose")
        return j + 1, Table(anchor, "", tuple(aligned(r) for r in header),
                            tuple(aligned(r) for r in rows))

    def _directive(self, key: str) -> list[Block]:
        if key in self.directives.blocks:
            return [dataclasses.replace(b, anchor=self.anchors.make(b.anchor or b.text))
                    if isinstance(b, Heading) else b for b in self.directives.blocks[key]]
        if key in self.directives.prose:
            markdown, base, source = self.directives.prose[key]
            blocks = self.convert(markdown, base, user=True)
            if not source:
                return blocks
            paragraphs = iter(range(len(blocks)))
            return [dataclasses.replace(b, source=f"{source}#{next(paragraphs)}")
                    if isinstance(b, Paragraph) else b for b in blocks]
        return []


def paragraph_lines(markdown: str) -> list[tuple[int, int] | None]:
    """For each Paragraph block that user prose `markdown` gives (in the order `convert`
    gives them, which a paragraph's "#n" in its source counts), the lines [start, end) of
    its Markdown when it is an ordinary top-level paragraph, else None (a quote or code)."""
    tokens = _MD.parse(markdown)
    out: list[tuple[int, int] | None] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.type == "paragraph_open" and tok.level == 0:
            out.append((tok.map[0], tok.map[1]) if tok.map else None)
            i += 3
        elif tok.type == "table_open":
            while tokens[i].type != "table_close":
                i += 1
            i += 1
            caption = tokens[i + 1] if i + 2 < len(tokens) and \
                tokens[i].type == "paragraph_open" else None
            if caption is not None and _CAPTION.match(_plain(caption)):
                i += 3
        elif tok.type in ("fence", "code_block") and tok.level == 0:
            out.append(None)
            i += 1
        elif tok.type == "blockquote_open":
            depth, j = 1, i + 1
            while depth:
                inner = tokens[j]
                depth += {"blockquote_open": 1, "blockquote_close": -1}.get(inner.type, 0)
                if inner.type in ("inline", "fence", "code_block"):
                    out.append(None)
                j += 1
            i = j
        elif tok.type in ("bullet_list_open", "ordered_list_open"):
            depth, j = 1, i + 1
            while depth:
                depth += {"bullet_list_open": 1, "ordered_list_open": 1,
                          "bullet_list_close": -1, "ordered_list_close": -1
                          }.get(tokens[j].type, 0)
                j += 1
            i = j
        else:
            i += 1
    return out


def _plain(inline: Token) -> str:
    return "".join(s.text for s in _inline(inline))


def _inline(inline: Token) -> Inline:
    spans: list[Span] = []
    bold = italic = False
    links: list[tuple[str, int]] = []
    for child in inline.children or []:
        kind = child.type
        if kind == "strong_open":
            bold = True
        elif kind == "strong_close":
            bold = False
        elif kind == "em_open":
            italic = True
        elif kind == "em_close":
            italic = False
        elif kind in ("text", "code_inline"):
            spans.append(Span(child.content, bold, italic))
        elif kind == "softbreak":
            spans.append(Span(" ", bold, italic))
        elif kind == "hardbreak":
            spans.append(Span("\n", bold, italic))
        elif kind == "image":
            # Images in prose are never fetched; their alt text stands in for them.
            spans.append(Span(child.content, bold, italic))
        elif kind == "link_open":
            links.append((str(child.attrs.get("href", "")), len(spans)))
        elif kind == "link_close" and links:
            href, start = links.pop()
            if href.startswith("#") and len(href) > 1:
                # A link inside the document is a cross-reference to a heading or table.
                spans[start:] = [Span(s.text, s.bold, s.italic, ref=href[1:])
                                 for s in spans[start:]]
            elif href and "".join(s.text for s in spans[start:]) != href:
                # Documents are printed: show where a link points unless its text says it.
                spans.append(Span(f" ({href})", bold, italic))
    return _merge(spans)


def _merge(spans: list[Span]) -> Inline:
    merged: list[Span] = []
    for span in spans:
        last = merged[-1] if merged else None
        if last and (last.bold, last.italic, last.ref) == (span.bold, span.italic, span.ref):
            merged[-1] = Span(last.text + span.text, span.bold, span.italic, span.ref)
        elif span.text:
            merged.append(span)
    return tuple(merged)
