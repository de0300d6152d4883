"""Archival and accessible at once: every PDF is PDF/A-3a (ISO 19005-3, tagged, with the
source files attached where the document has them) and PDF/UA-1 (ISO 14289-1).

WeasyPrint writes one variant at a time; it writes PDF/A-3a here, and this finisher adds
what both standards ask for together: one XMP packet (uncompressed) that identifies the
file as PDF/A-3a and PDF/UA-1 (with the PDF/A extension schema that declares the PDF/UA
identification property), the document's title and language; images that are not
interpolated; and a transparency group with a blending colour space on every page.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

_EXTENSION = (
    '<rdf:Description rdf:about="" '
    'xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" '
    'xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" '
    'xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">'
    "<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType=\"Resource\">"
    "<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>"
    "<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>"
    "<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>"
    "<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType=\"Resource\">"
    "<pdfaProperty:name>part</pdfaProperty:name>"
    "<pdfaProperty:valueType>Integer</pdfaProperty:valueType>"
    "<pdfaProperty:category>internal</pdfaProperty:category>"
    "<pdfaProperty:description>Part of ISO 14289 the file conforms to</pdfaProperty:description>"
    "</rdf:li></rdf:Seq></pdfaSchema:property>"
    "</rdf:li></rdf:Bag></pdfaExtension:schemas></rdf:Description>")


def xmp(title: str, lang: str, author: str, subject: str, keywords: str, created: str,
        producer: str) -> bytes:
    """The document's XMP packet."""
    def text(value: str) -> str:
        return escape(value)

    body = (
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">'
        "<pdfaid:part>3</pdfaid:part><pdfaid:conformance>A</pdfaid:conformance>"
        "</rdf:Description>"
        '<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">'
        "<pdfuaid:part>1</pdfuaid:part></rdf:Description>"
        + _EXTENSION +
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{text(title)}</rdf:li></rdf:Alt>'
        f"</dc:title><dc:language><rdf:Bag><rdf:li>{text(lang)}</rdf:li></rdf:Bag>"
        f"</dc:language><dc:creator><rdf:Seq><rdf:li>{text(author)}</rdf:li></rdf:Seq>"
        f'</dc:creator><dc:description><rdf:Alt><rdf:li xml:lang="x-default">{text(subject)}'
        "</rdf:li></rdf:Alt></dc:description></rdf:Description>"
        '<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">'
        f"<pdf:Producer>{text(producer)}</pdf:Producer><pdf:Keywords>{text(keywords)}"
        "</pdf:Keywords></rdf:Description>"
        '<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">'
        f"<xmp:CreatorTool>planbuilder</xmp:CreatorTool><xmp:CreateDate>{text(created)}"
        f"</xmp:CreateDate><xmp:ModifyDate>{text(created)}</xmp:ModifyDate>"
        f"<xmp:MetadataDate>{text(created)}</xmp:MetadataDate></rdf:Description>"
        "</rdf:RDF>")
    return ('<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
            f'<x:xmpmeta xmlns:x="adobe:ns:meta/">{body}</x:xmpmeta>'
            '<?xpacket end="r"?>').encode()


# zlib level of every stream: measured on the example plans' PDFs (bench/floor.py, 2.12.2026),
# level 6 writes them with about 12 % less CPU than 9 for about 4 % more bytes; below 6 the
# bytes grow faster than the time falls.
ZLIB_LEVEL = 6


def _item_bytes(item: Any) -> bytes:
    """One item of a stream or an object as PDF bytes (pydyf's own rules: numbers as
    written by pydyf, objects by their `data`)."""
    if isinstance(item, bytes):
        return item
    if isinstance(item, float):
        return str(int(item)).encode("ascii") if item.is_integer() \
            else f"{item:f}".rstrip("0").encode("ascii")
    import pydyf

    if isinstance(item, pydyf.Object):
        return bytes(item.data)
    return str(item).encode("ascii")


def _stream_data(stream: Any, level: int) -> bytes:
    """A stream object's bytes as pydyf writes them, except that data ending in CR is
    followed by CRLF before 'endstream': after a bare LF, the CR would read as part of a
    CRLF end-of-line and make the stream one byte shorter than its /Length for a
    conforming reader."""
    import zlib

    import pydyf

    data = b"\n".join(_item_bytes(item) for item in stream.stream)
    extra = pydyf.Dictionary(stream.extra.copy())
    if stream.compress:
        extra["Filter"] = "/FlateDecode"
        compressor = zlib.compressobj(level=level)
        data = compressor.compress(data) + compressor.flush()
    extra["Length"] = len(data)
    end = b"\r\nendstream" if data.endswith(b"\r") else b"\nendstream"
    return b"\n".join((extra.data, b"stream", data)) + end


@dataclass(frozen=True)
class Entry:
    """One object of a written PDF: its number, generation, whether it is free or goes
    into the object stream, and its bytes (empty when free)."""

    number: int
    generation: int
    free: bool
    compressible: bool
    data: bytes


@dataclass(frozen=True)
class EmbeddedFile:
    """An attachment's stream among the entries: where (its entry), its name, and its
    dictionary as written except the two values its content decides (Params' CheckSum and
    Size), so the same stream can be made again for other content."""

    index: int
    name: str
    compress: bool
    extra: tuple[tuple[str, bytes], ...]  # in order; Params' value is its own items, below
    params: tuple[tuple[str, bytes], ...]


@dataclass(frozen=True)
class Written:
    """A PDF as `write_pdf` lays it out, before its offsets, object stream and
    cross-reference: enough to write it again with other attachment content."""

    version: bytes
    identifier: bytes | bool
    level: int
    catalog: bytes  # the catalog's and the information dictionary's references
    info: bytes
    entries: tuple[Entry, ...]
    files: tuple[EmbeddedFile, ...]


def write_pdf(pdf: Any, output: Any, version: Any = b"1.7", identifier: Any = False,
              compress: bool = False, *, level: int = ZLIB_LEVEL,
              keep: Callable[[Written], None] | None = None) -> None:
    """Write a pydyf PDF the way `pydyf.PDF.write` does (objects, a compressed object
    stream and a cross-reference stream), with two differences: every stream is written
    by `_stream_data` (unambiguous ends, zlib `level`), and each object's bytes are made
    once (pydyf makes them twice when the file has an identifier: every stream was
    compressed twice). Local to this one PDF: nothing of pydyf is replaced, so builds in
    other threads are untouched. Relies on pydyf's public object model only (PDF.objects,
    catalog, info, add_object; Object number, generation, free, compressible, data,
    reference; Stream stream, extra, compress), pinned in pyproject.toml. `keep` receives
    the written objects (`Written`), from which `assemble` makes the same bytes."""
    import pydyf

    version = version if isinstance(version, bytes) else str(version or "1.7").encode()
    if identifier not in (False, True, None) and not isinstance(identifier, bytes):
        identifier = str(identifier).encode("ascii")
    if not (version >= b"1.5" and compress):
        raise ValueError("archival PDFs are written with object streams (PDF 1.5+)")
    if pdf.info:
        pdf.add_object(pdf.info)
    entries = tuple(
        Entry(int(obj.number), int(obj.generation), obj.free == "f", bool(obj.compressible),
              b"" if obj.free == "f" else
              _stream_data(obj, level) if isinstance(obj, pydyf.Stream) else bytes(obj.data))
        for obj in pdf.objects)
    written = Written(version, identifier or False, level, bytes(pdf.catalog.reference),
                      bytes(pdf.info.reference) if pdf.info else b"", entries,
                      _embedded_files(pdf))
    if keep is not None:
        keep(written)
    output.write(assemble(written))


def _embedded_files(pdf: Any) -> tuple[EmbeddedFile, ...]:
    """The attachments' streams, found from their file specifications (WeasyPrint's
    /Filespec with /UF, the name, and /EF /F, the stream)."""
    import pydyf

    found = []
    for obj in pdf.objects:
        if not (isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/Filespec"):
            continue
        number = int(bytes(_item_bytes(obj["EF"]["F"])).split()[0])
        stream = pdf.objects[number]
        name = obj["UF"]
        found.append(EmbeddedFile(
            number, str(getattr(name, "string", name)), bool(stream.compress),
            tuple((str(k), b"" if k == "Params" else _item_bytes(v))
                  for k, v in stream.extra.items()),
            tuple((str(k), _item_bytes(v)) for k, v in stream.extra["Params"].items())))
    return tuple(found)


def embedded_stream(file: EmbeddedFile, content: bytes, level: int) -> bytes:
    """The bytes of `file`'s stream holding `content`, as `write_pdf` writes it."""
    from hashlib import md5

    import pydyf

    values = {"CheckSum": f"<{md5(content, usedforsecurity=False).hexdigest()}>".encode(),
              "Size": str(len(content)).encode()}
    params = pydyf.Dictionary({k: values.get(k, v) for k, v in file.params})
    extra = {k: params if k == "Params" else v for k, v in file.extra}
    return _stream_data(pydyf.Stream([content], extra, file.compress), level)


def assemble(written: Written) -> bytes:
    """The file's bytes from its objects: each stream object at its offset, the others in
    one compressed object stream, then the cross-reference stream with the file's /ID."""
    from hashlib import md5
    from math import ceil, log

    import pydyf

    out: list[bytes] = []
    position = 0

    def line(content: bytes) -> None:
        nonlocal position
        position += len(content) + 1
        out.append(content + b"\n")

    def indirect(number: int, generation: int, data: bytes) -> bytes:
        return f"{number} {generation} obj\n".encode() + data + b"\nendobj"

    entries = written.entries
    line(b"%PDF-" + written.version)
    line(b"%\xf0\x9f\x96\xa4")
    offsets: dict[int, int] = {}
    packed = []
    for entry in entries:
        if entry.free:
            continue
        if entry.compressible:
            packed.append(entry)
        else:
            offsets[entry.number] = position
            line(indirect(entry.number, entry.generation, entry.data))
    index: list[int] = []
    parts: list[Any] = [[]]
    at = 0
    for entry in packed:
        parts.append(entry.data)
        index += [entry.number, at]
        at += len(entry.data) + 1
    parts[0] = " ".join(str(i) for i in index)
    stream_number = len(entries)
    objects = _stream_data(pydyf.Stream(parts, {"Type": "/ObjStm", "N": len(packed),
                                                "First": len(parts[0]) + 1}, True),
                           written.level)
    objects_at = position
    line(indirect(stream_number, 0, objects))
    xref: list[tuple[int, int, int]] = []
    at = 0
    for entry in entries:
        if entry.compressible:
            xref.append((2, stream_number, at))
            at += 1
        else:
            xref.append((int(bool(entry.number)), offsets.get(entry.number, 0),
                         entry.generation))
    xref.append((1, objects_at, 0))
    xref.append((1, position, 0))
    widths = (1, ceil(log(position + 1, 256)),
              ceil(log(max(max(e.generation for e in entries), len(packed)) + 1, 256)))
    table = b"".join(value.to_bytes(width, "big")
                     for entry in xref for width, value in zip(widths, entry, strict=True))
    size = len(entries) + 2
    extra: dict[str, Any] = {"Type": "/XRef", "Index": pydyf.Array((0, size)),
                             "W": pydyf.Array(widths), "Size": size,
                             "Root": written.catalog}
    if written.info:
        extra["Info"] = written.info
    if written.identifier:
        digest = md5(b"".join([*(e.data for e in entries if not e.free), objects]),
                     usedforsecurity=False).hexdigest().encode()
        first = digest if written.identifier is True else written.identifier
        assert isinstance(first, bytes)
        extra["ID"] = pydyf.Array((pydyf.String(first).data, pydyf.String(digest).data))
    xref_at = position
    line(indirect(size - 1, 0, _stream_data(pydyf.Stream([table], extra, True),
                                            written.level)))
    line(b"startxref")
    line(str(xref_at).encode())
    line(b"%%EOF")
    return b"".join(out)


def _fixed_font_time(stream: Any) -> None:
    """Subset fonts carry the time of subsetting in their 'head' table; the creation time
    of the original font stands in for it, so the same input gives the same bytes."""
    import io

    from fontTools.ttLib import TTFont

    data = b"".join(item if isinstance(item, bytes) else str(item).encode()
                    for item in stream.stream)
    font = TTFont(io.BytesIO(data), recalcTimestamp=False, lazy=True)
    font["head"].modified = font["head"].created
    out = io.BytesIO()
    font.save(out, reorderTables=False)
    stream.stream = [out.getvalue()]
    stream.extra["Length1"] = len(out.getvalue())


def _number(reference: Any) -> int | None:
    text = reference.decode() if isinstance(reference, bytes) else str(reference)
    parts = text.split()
    return int(parts[0]) if len(parts) == 3 and parts[2] == "R" and parts[0].isdigit() \
        else None


def _margin_boxes_as_artifacts(pdf: Any) -> None:
    """WeasyPrint marks the running header, the draft mark and the page number as tagged
    content that no structure element of the document reaches; a reader would meet them
    on every page. They become artifacts (PDF/UA-1 7.8): every marked-content sequence whose
    structure element is not in the document's tree is re-marked /Artifact."""
    import pydyf

    root_number = _number(pdf.catalog.get("StructTreeRoot"))
    if root_number is None:
        return
    root = pdf.objects[root_number]
    reachable: set[int] = set()
    stack = [root]
    while stack:
        kids = stack.pop().get("K")
        for kid in kids if isinstance(kids, list) else [kids]:
            number = _number(kid) if isinstance(kid, bytes | str) else None
            if number is not None and number not in reachable:
                reachable.add(number)
                if isinstance(pdf.objects[number], dict):
                    stack.append(pdf.objects[number])
    parent_tree = pdf.objects[_number(root["ParentTree"])]
    nums = parent_tree["Nums"]
    detached: dict[int, set[int]] = {}
    for key, value in zip(nums[::2], nums[1::2], strict=False):
        if isinstance(value, list):
            detached[key] = {mcid for mcid, ref in enumerate(value)
                             if _number(ref) not in reachable}
    for page in pdf.objects:
        if not (isinstance(page, dict) and page.get("Type") == "/Page"):
            continue
        key = page.get("StructParents")
        mcids = detached.get(key, set()) if isinstance(key, int) else set()
        contents = pdf.objects[_number(page["Contents"])] if mcids else None
        if contents is None:
            continue
        items, out, i = contents.stream, [], 0
        while i < len(items):
            item = items[i]
            if (i + 2 < len(items) and isinstance(items[i + 1], pydyf.Dictionary)
                    and items[i + 1].get("MCID") in mcids and items[i + 2] == b"BDC"):
                out += ["/Artifact", b"BMC"]
                i += 3
                continue
            out.append(item)
            i += 1
        contents.stream = out


def _table_fragments(document: Any) -> dict[int, list[Any]]:
    """Each HTML table's laid-out boxes, one a page it appears on, in page order."""
    from weasyprint.formatting_structure import boxes

    found: dict[int, list[Any]] = {}
    for page in document.pages:
        stack = [page._page_box]
        while stack:
            box = stack.pop()
            if isinstance(box, boxes.TableBox) and box.element is not None:
                found.setdefault(id(box.element), []).append(box)
            elif isinstance(box, boxes.ParentBox):
                stack.extend(reversed(box.children))
    return found


def _cells(table: Any, header: bool) -> list[Any]:
    return [cell for group in table.children if group.is_header == header
            for row in group.children for cell in row.children
            if getattr(cell, "mark", None) is not None]


def _key(value: Any) -> str:
    """A header cell's ID as text (pydyf strings keep it in `.string`)."""
    return str(getattr(value, "string", value))


def _up(pdf: Any, element: Any, levels: int) -> Any:
    for _ in range(levels):
        element = pdf.objects[_number(element["P"])]
    return element


def _detach(pdf: Any, element: Any) -> None:
    parent = pdf.objects[_number(element["P"])]
    parent["K"] = type(parent["K"])([k for k in parent["K"] if _number(k) != element.number])


def _one_table_each(document: Any, pdf: Any) -> None:
    """WeasyPrint tags every page on its own: a table that runs over pages becomes a Table a
    page, each repeating the caption and the column headings as header cells, and the
    caption row of a long table is a header cell spanning the columns. Here a table is one
    Table: the caption row becomes its Caption, the rows of the following pages join it,
    and the caption and headings repeated there leave the tree (the artifact pass then marks
    them /Artifact, PDF/UA-1 7.8). Data cells' Headers point at the first page's headings."""
    import pydyf

    for fragments in _table_fragments(document).values():
        heads = _cells(fragments[0], header=True)
        if not heads:
            continue
        first = _up(pdf, heads[0].mark, 3)  # TH -> TR -> THead -> Table
        dropped: set[str] = set()
        for cell in heads:
            if "caption" not in (cell.element.get("class") or "").split():
                continue
            caption, row = cell.mark, _up(pdf, cell.mark, 1)
            dropped.add(_key(caption.pop("ID", "")))
            caption.pop("A", None)
            caption["S"] = "/Caption"
            caption["P"] = first.reference
            _detach(pdf, row)
            first["K"] = pydyf.Array([caption.reference, *first["K"]])
        moved = []
        for later in fragments[1:]:
            cells = _cells(later, header=False)
            later_heads = _cells(later, header=True)
            if not cells:
                continue
            table = _up(pdf, cells[0].mark, 3)
            for group in {_number(k) for k in table["K"]} - {None}:
                element = pdf.objects[group]
                if element.get("S") in ("/TBody", "/TFoot"):
                    element["P"] = first.reference
                    moved.append(element.reference)
            _detach(pdf, table)
            for cell in later_heads:
                dropped.add(_key(cell.mark.get("ID", "")))
            prefix = f"{table.number}-"
            for cell in cells:
                attributes = cell.mark.get("A")
                headers = attributes.get("Headers") if isinstance(attributes, dict) else None
                if headers is not None:
                    attributes["Headers"] = pydyf.Array(
                        pydyf.String(f"{first.number}-{_key(h)[len(prefix):]}")
                        if _key(h).startswith(prefix) else h for h in headers)
        first["K"] = pydyf.Array([*first["K"], *moved])
        for cell in _cells(fragments[0], header=False) + [
                c for later in fragments[1:] for c in _cells(later, header=False)]:
            attributes = cell.mark.get("A")
            headers = attributes.get("Headers") if isinstance(attributes, dict) else None
            if headers is not None:
                attributes["Headers"] = pydyf.Array(
                    h for h in headers if _key(h) not in dropped)


def _list_bodies(pdf: Any) -> None:
    """With the marker inside the first line (print.css), WeasyPrint puts a list item's text
    straight under LI beside its Lbl; PDF/UA wants it in an LBody (ISO 32000-1 14.8.4.3.3)."""
    import pydyf

    for item in list(pdf.objects):
        if not (isinstance(item, pydyf.Dictionary) and item.get("S") == "/LI"):
            continue
        kids = [k for k in item["K"] if _number(k) is not None]
        loose = [k for k in kids if pdf.objects[_number(k)].get("S") not in ("/Lbl", "/LBody")]
        if not loose:
            continue
        body = pydyf.Dictionary({"Type": "/StructElem", "S": "/LBody", "K": pydyf.Array(loose),
                                 "Pg": item["Pg"], "P": item.reference})
        pdf.add_object(body)
        for kid in loose:
            pdf.objects[_number(kid)]["P"] = body.reference
        item["K"] = pydyf.Array([k for k in item["K"] if k not in loose] + [body.reference])


def _object(pdf: Any, reference: Any) -> Any:
    try:
        return pdf.objects[int(str(getattr(reference, "data", reference)).split()[0]
                               .strip("b'"))]
    except (ValueError, IndexError):
        return None


def _scope(pdf: Any, th: Any) -> None:
    """A header cell in a row of header cells heads its column; one beside data cells heads
    its row (PDF/UA: table headers carry their scope)."""
    import pydyf

    row = _object(pdf, th.get("P"))
    kids = row.get("K", []) if isinstance(row, dict) else []
    siblings = [_object(pdf, k) for k in kids] if isinstance(kids, list) else []
    has_data = any(isinstance(k, dict) and k.get("S") == "/TD" for k in siblings)
    attributes = th.get("A")
    if not isinstance(attributes, dict):
        attributes = pydyf.Dictionary({"O": "/Table"})
        th["A"] = attributes
    attributes["Scope"] = "/Row" if has_data else "/Column"


def finisher(packet: bytes, link_names: dict[str, str] | None = None,
             level: int = ZLIB_LEVEL, keep: Callable[[Written], None] | None = None) -> Any:
    """A WeasyPrint finisher that makes the PDF/A-3a file PDF/UA-1 as well. `link_names`
    gives in-document links a readable description (the heading or caption they lead to)
    instead of the anchor's slug."""
    import pydyf

    names = link_names or {}

    def finish(document: Any, pdf: Any) -> None:
        reference = pdf.catalog["Metadata"]
        number = int(bytes(reference).split()[0]) if isinstance(reference, bytes) \
            else int(str(reference).split()[0])
        stream = pdf.objects[number]
        stream.stream = [packet]
        stream.compress = False
        stream.extra.pop("Filter", None)
        pdf.catalog["PageMode"] = "/UseOutlines"  # open with the bookmarks shown
        _one_table_each(document, pdf)
        _list_bodies(pdf)
        _margin_boxes_as_artifacts(pdf)
        # This PDF only is written by `write_pdf` (WeasyPrint calls `pdf.write` next).
        pdf.write = functools.partial(write_pdf, pdf, level=level, keep=keep)
        for obj in pdf.objects:
            if isinstance(obj, pydyf.Stream) and obj.extra.get("Subtype") == "/Image":
                obj.extra["Interpolate"] = "false"
            if isinstance(obj, pydyf.Stream) and "Length1" in obj.extra:
                _fixed_font_time(obj)
            if isinstance(obj, pydyf.Dictionary) and obj.get("S") == "/TH":
                _scope(pdf, obj)
            if isinstance(obj, pydyf.Dictionary) and obj.get("Subtype") == "/Link":
                dest = obj.get("Dest")
                target = getattr(dest, "string", None)
                if isinstance(target, str) and target in names:
                    obj["Contents"] = pydyf.String(names[target])
            if isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/Page":
                obj["Group"] = pydyf.Dictionary({
                    "Type": "/Group", "S": "/Transparency", "CS": "/DeviceRGB"})

    return finish
