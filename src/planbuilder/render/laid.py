"""A document's PDF kept as laid out, for the next build.

When only a document's attachments change (a decision proposal carries the plan's YAML: a
section's text edited changes every proposal's attachment and none of its pages), the next
build writes the kept objects again with the new attachment streams instead of laying the
pages out again. The bytes are those a fresh build gives: the same objects, and the same
`assemble` making the offsets, the object stream, the cross-reference and the /ID.

Kept as a plain container (a JSON header and the objects' bytes), never pickled: the cache
folder is read on every build, and a damaged or foreign file only means a full layout."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass

from planbuilder.render.pdfa import EmbeddedFile, Entry, Written, assemble, embedded_stream

MAGIC = b"planbuilder laid-out PDF 1\n"


@dataclass(frozen=True)
class Laid:
    """A PDF's objects as written, and where its anchors landed (the DOCX's contents list
    and page count come from the PDF's layout)."""

    written: Written
    pages: int
    anchors: Mapping[str, int]


def _text(data: bytes) -> str:
    return data.decode("latin-1")


def dump(laid: Laid) -> bytes:
    w = laid.written
    header = {
        "version": _text(w.version),
        "identifier": w.identifier if isinstance(w.identifier, bool) else _text(w.identifier),
        "level": w.level, "catalog": _text(w.catalog), "info": _text(w.info),
        "entries": [[e.number, e.generation, e.free, e.compressible, len(e.data)]
                    for e in w.entries],
        "files": [[f.index, f.name, f.compress, [[k, _text(v)] for k, v in f.extra],
                   [[k, _text(v)] for k, v in f.params]] for f in w.files],
        "pages": laid.pages, "anchors": dict(laid.anchors),
    }
    head = json.dumps(header, ensure_ascii=True, separators=(",", ":")).encode("ascii")
    return MAGIC + str(len(head)).encode() + b"\n" + head + b"".join(e.data for e in w.entries)


def load(data: bytes) -> Laid:
    """The kept PDF; ValueError when `data` is not one (damaged, foreign, another format)."""
    if not data.startswith(MAGIC):
        raise ValueError("not a laid-out PDF")
    rest = data[len(MAGIC):]
    size, _, rest = rest.partition(b"\n")
    try:
        header = json.loads(rest[:int(size)])
        body = rest[int(size):]
        entries = []
        at = 0
        for number, generation, free, compressible, length in header["entries"]:
            entries.append(Entry(int(number), int(generation), bool(free), bool(compressible),
                                 body[at:at + int(length)]))
            at += int(length)
        if at != len(body):
            raise ValueError("the objects do not fill the file")
        identifier = header["identifier"]
        files = tuple(EmbeddedFile(int(i), str(n), bool(c),
                                   tuple((str(k), str(v).encode("latin-1")) for k, v in e),
                                   tuple((str(k), str(v).encode("latin-1")) for k, v in p))
                      for i, n, c, e, p in header["files"])
        written = Written(str(header["version"]).encode("latin-1"),
                          identifier if isinstance(identifier, bool)
                          else str(identifier).encode("latin-1"),
                          int(header["level"]), str(header["catalog"]).encode("latin-1"),
                          str(header["info"]).encode("latin-1"), tuple(entries), files)
        return Laid(written, int(header["pages"]),
                    {str(k): int(v) for k, v in dict(header["anchors"]).items()})
    except (KeyError, TypeError, ValueError, UnicodeError) as exc:
        raise ValueError(f"not a laid-out PDF: {exc}") from None


def reattached(laid: Laid, attachments: Mapping[str, bytes]) -> bytes | None:
    """The PDF with these attachment contents in place of the kept ones, or None when they
    do not fit the kept layout: other names, or two files with the same content (the PDF
    engine relates each file to the document by its checksum, so equal contents would
    share one relationship and the file specifications could differ from a fresh build's)."""
    w = laid.written
    names = [f.name for f in w.files]
    if sorted(names) != sorted(attachments) or len(set(names)) != len(names):
        return None
    digests = [hashlib.md5(attachments[n], usedforsecurity=False).digest() for n in names]
    old = [dict(f.params).get("CheckSum") for f in w.files]
    if len(set(digests)) != len(digests) or len(set(old)) != len(old):
        return None
    entries = list(w.entries)
    for file in w.files:
        if not (0 <= file.index < len(entries)) or entries[file.index].number != file.index:
            return None
        entries[file.index] = Entry(file.index, entries[file.index].generation, False, False,
                                    embedded_stream(file, attachments[file.name], w.level))
    return assemble(Written(w.version, w.identifier, w.level, w.catalog, w.info,
                            tuple(entries), w.files))
