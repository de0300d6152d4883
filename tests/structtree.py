"""A tagged PDF read as an assistive technology reads it: the structure tree from
StructTreeRoot, each marked-content sequence (page, MCID) with its text, and each page's
painting order from its content stream. Written on pypdf, independent of the renderer.

    tagged = read(pdf_bytes)
    tagged.elements("Table")        # every Table element, in reading order
    element.text()                  # the text of an element's marked content
    tagged.reading_order(page)      # MCIDs of a page in structure-tree order
    tagged.painted[page]            # MCIDs of a page in the order they are painted
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NumberObject,
)

from wordcheck import pdf_reader


@dataclass(eq=False)
class Content:
    """One marked-content sequence: where it is painted and what it says."""

    page: int  # 1-based
    mcid: int
    parent: Element
    text: str = ""


@dataclass(eq=False)
class Element:
    tag: str  # without the slash: "Table", "TH", "Figure"
    parent: Element | None
    attributes: dict[str, Any] = field(default_factory=dict)
    alt: str | None = None
    kids: list[Element | Content] = field(default_factory=list)

    def walk(self) -> Iterator[Element]:
        yield self
        for kid in self.kids:
            if isinstance(kid, Element):
                yield from kid.walk()

    def contents(self) -> list[Content]:
        out: list[Content] = []
        for kid in self.kids:
            out.extend(kid.contents() if isinstance(kid, Element) else [kid])
        return out

    def text(self) -> str:
        """The element's text; a word hyphenated at a line end joined again."""
        joined = ""
        for content in self.contents():
            piece = content.text
            if joined.endswith(("-", "\u2010")) and piece[:1].islower():
                joined = joined[:-1] + piece
            else:
                joined += (" " if joined and not joined.endswith(" ") and piece
                           and not piece.startswith(" ") else "") + piece
        return re.sub(r"\s+", " ", joined).strip()

    def ancestors(self) -> Iterator[Element]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def children(self, tag: str | None = None) -> list[Element]:
        return [k for k in self.kids if isinstance(k, Element) and tag in (None, k.tag)]

    def pages(self) -> list[int]:
        return sorted({c.page for c in self.contents()})


@dataclass
class Tagged:
    root: Element
    painted: dict[int, list[int]]  # page -> MCIDs in painting order
    artifact_text: dict[int, str]  # page -> text painted as /Artifact
    untagged_text: dict[int, str]  # page -> text neither tagged nor an artifact

    def elements(self, tag: str | None = None) -> list[Element]:
        return [e for e in self.root.walk() if tag in (None, e.tag)]

    def reading_order(self, page: int) -> list[int]:
        return [c.mcid for c in self.root.contents() if c.page == page]


# The operators this reader needs, from a content stream as WeasyPrint writes it (one
# operator a line, text as hex strings): marked content, font changes, shown text.
_TOKENS = re.compile(rb"/(\w+)\s*(<<[^>]*>>)?\s*(BDC|BMC)\b|\bEMC\b|/(\S+)\s+[-\d.]+\s+Tf\b"
                     rb"|\[([^\]]*)\]\s*TJ\b|<([0-9a-fA-F]*)>\s*Tj\b")


def _unicode_map(font: DictionaryObject) -> dict[str, str]:
    """A font's ToUnicode CMap (bfchar and bfrange) as code bytes -> text."""
    stream = font.get("/ToUnicode")
    if stream is None:
        return {}
    data = stream.get_object().get_data().decode("latin-1")
    out: dict[str, str] = {}

    def text(hex_: str) -> str:
        return bytes.fromhex(hex_).decode("utf-16-be", errors="replace")

    for block in re.findall(r"beginbfchar(.*?)endbfchar", data, re.S):
        for code, target in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            out[code.lower()] = text(target)
    for block in re.findall(r"beginbfrange(.*?)endbfrange", data, re.S):
        for low, high, target in re.findall(
                r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            width, start = len(low) // 2, int(target, 16)
            for offset, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                out[f"{code:0{2 * width}x}"] = chr(start + offset)
    return out


def _decode(hex_: str, cmap: dict[str, str]) -> str:
    width = len(next(iter(cmap))) if cmap else 2
    hex_ = hex_.lower()
    return "".join(cmap.get(hex_[i:i + width], "") for i in range(0, len(hex_), width))


def read(pdf: bytes) -> Tagged:
    reader = pdf_reader(pdf)
    page_of = {p.indirect_reference.idnum: n for n, p in enumerate(reader.pages, start=1)
               if p.indirect_reference is not None}
    by_key: dict[tuple[int, int], Content] = {}

    def build(node: Any, parent: Element, page: int) -> None:
        if isinstance(node, NumberObject | int):
            content = Content(page, int(node), parent)
            by_key[(page, int(node))] = content
            parent.kids.append(content)
            return
        obj = node.get_object()
        if not isinstance(obj, DictionaryObject):
            return
        pg = obj.raw_get("/Pg") if "/Pg" in obj else None
        if isinstance(pg, IndirectObject):
            page = page_of.get(pg.idnum, page)
        if obj.get("/Type") == "/MCR":
            build(obj["/MCID"], parent, page)
            return
        if obj.get("/Type") == "/OBJR":
            return
        attributes = obj.get("/A")
        element = Element(str(obj.get("/S", "/?"))[1:], parent,
                          dict(attributes) if isinstance(attributes, DictionaryObject) else {},
                          str(obj["/Alt"]) if "/Alt" in obj else None)
        parent.kids.append(element)
        kids = obj.get("/K")
        for kid in kids if isinstance(kids, ArrayObject) else [] if kids is None else [kids]:
            build(kid, element, page)

    root = Element("StructTreeRoot", None)
    catalog = reader.trailer["/Root"]
    assert isinstance(catalog, DictionaryObject)
    tree = catalog["/StructTreeRoot"].get_object()
    assert isinstance(tree, DictionaryObject)
    kids = tree.get("/K")
    for kid in kids if isinstance(kids, ArrayObject) else [kids]:
        build(kid, root, 0)

    painted: dict[int, list[int]] = {}
    artifacts: dict[int, str] = {}
    untagged: dict[int, str] = {}
    for number, page in enumerate(reader.pages, start=1):
        resources = page["/Resources"].get_object()
        assert isinstance(resources, DictionaryObject)
        fonts = resources.get("/Font", DictionaryObject()).get_object()
        assert isinstance(fonts, DictionaryObject)
        cmaps = {name[1:]: _unicode_map(f.get_object()) for name, f in fonts.items()}
        cmap: dict[str, str] = {}
        stack: list[tuple[str, int | None]] = []
        order = painted.setdefault(number, [])
        data = page.get_contents().get_data()  # type: ignore[union-attr]
        for match in _TOKENS.finditer(data):
            tag, props, mark, font, shown, single = match.groups()
            if mark:
                mcid = re.search(rb"/MCID\s+(\d+)", props or b"")
                stack.append((tag.decode(), int(mcid.group(1)) if mcid else None))
                if mcid:
                    order.append(int(mcid.group(1)))
            elif match.group(0) == b"EMC":
                if stack:
                    stack.pop()
            elif font:
                cmap = cmaps.get(font.decode(), {})
            else:
                hexes = re.findall(rb"<([0-9a-fA-F]*)>", shown) if shown is not None \
                    else [single]
                text = "".join(_decode(h.decode(), cmap) for h in hexes)
                mcids = [m for _, m in stack if m is not None]
                if any(t == "Artifact" for t, _ in stack):
                    artifacts[number] = artifacts.get(number, "") + text
                elif mcids and (number, mcids[-1]) in by_key:
                    by_key[(number, mcids[-1])].text += text
                else:
                    untagged[number] = untagged.get(number, "") + text
    return Tagged(root, painted, artifacts, untagged)
