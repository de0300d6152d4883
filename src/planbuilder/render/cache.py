"""What the last build of a plan wrote, so the next build does no work twice.

Two keys: the plan's *input key* (its files, the template folder, planbuilder's own code,
the languages and the build clock) — unchanged means the outputs are current and nothing is
rendered or written; and per document the *document key* (the composed document tree, the
template folder and the code) — unchanged means that document's previous bytes are reused
instead of rendered again. The record lives in `output/.planbuilder-cache/<plan>.json`,
written after the output set itself, so a record never claims outputs that were not
written."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import pickle
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from planbuilder import __version__
from planbuilder.document import Document
from planbuilder.findings import Finding, Location
from planbuilder.messages import Msg

CACHE_DIR = ".planbuilder-cache"


def _digest(*parts: bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(len(part).to_bytes(8, "big"))
        h.update(part)
    return h.hexdigest()


@cache
def code_fingerprint() -> str:
    """planbuilder's version and every file of the package (code and its data)."""
    root = Path(__file__).resolve().parent.parent
    files = sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return _digest(__version__.encode(), *(f"{p.relative_to(root)}".encode() + p.read_bytes()
                                           for p in files))


def folder_fingerprint(folder: Path) -> str:
    """Every file of a folder (the template set: templates, translations, style, fonts).
    Read and digested once per process while no file's size or time changes (a build of
    many plans shares one template folder)."""
    files = sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    stats = tuple((str(p), s.st_size, s.st_mtime_ns) for p in files for s in (p.stat(),))
    return _folder_digest(folder, stats)


@cache
def _folder_digest(folder: Path, stats: tuple[tuple[str, int, int], ...]) -> str:
    return _digest(*(f"{Path(name).relative_to(folder)}".encode() + Path(name).read_bytes()
                     for name, _, _ in stats))


def input_key(plan_files: dict[str, bytes], templates: Path,
              langs: Sequence[str] | None) -> str:
    return _digest(code_fingerprint().encode(), folder_fingerprint(templates).encode(),
                   repr(sorted(langs) if langs else None).encode(),
                   os.environ.get("SOURCE_DATE_EPOCH", "").strip().encode(),
                   *(name.encode() + data for name, data in sorted(plan_files.items())))


# What the renderers read from the template folder; the document templates and the
# translations reach a document only through its composed tree, which is in its key.
RENDER_INPUTS = ("css", "html", "fonts", "style.yaml", "house.docx")


def render_fingerprint(templates: Path) -> str:
    """What the renderers read from the template folder, digested (once per build)."""
    return _digest(code_fingerprint().encode(),
                   *(folder_fingerprint(templates / name).encode() if (templates / name).is_dir()
                     else _file(templates / name) for name in RENDER_INPUTS))


def document_keys(document: Document, formats: tuple[str, ...], render_inputs: str
                  ) -> tuple[str, str]:
    """The document key, and its layout key: the key without the attachments' content
    (their names, descriptions and relationships stay in it), so the same layout key means
    the same pages. The tree is pickled once, without the attachments' bytes; the document
    key adds them."""
    bare = dataclasses.replace(document, attachments=tuple(
        dataclasses.replace(a, data=b"") for a in document.attachments))
    layout = _digest(render_inputs.encode(), repr(formats).encode(),
                     pickle.dumps(bare, protocol=5))
    return _digest(layout.encode(), *(a.data for a in document.attachments)), \
        "layout-" + layout


def _file(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""


def _finding_data(f: Finding) -> dict[str, Any]:
    where = f.location
    return {"rule": f.rule, "severity": f.severity,
            "message": f.message.as_data(),
            "location": [where.file, where.line, where.column] if where else None,
            "path": list(f.path), "citation": f.citation, "acknowledged": f.acknowledged}


def _finding(data: dict[str, Any]) -> Finding:
    where = data["location"]
    return Finding(str(data["rule"]), data["severity"], Msg.from_data(data["message"]),
                   Location(str(where[0]), int(where[1]), int(where[2])) if where else None,
                   tuple(data["path"]), str(data["citation"]), str(data["acknowledged"]))


@dataclass
class Record:
    key: str = ""
    documents: dict[str, str] = field(default_factory=dict)  # stem -> document key
    files: dict[str, str] = field(default_factory=dict)  # file name -> sha256 of its bytes
    findings: list[Finding] = field(default_factory=list)  # what validation said of the plan
    layouts: dict[str, str] = field(default_factory=dict)  # stem -> layout key
    kept: dict[str, str] = field(default_factory=dict)  # stem -> sha256 of its laid-out PDF
    charts: dict[str, str] = field(default_factory=dict)  # chart key -> sha256 of its file

    def for_stem(self, output: Path, name: str, stem: str
                 ) -> tuple[str | None, str | None, Path | None, str | None]:
        """What the last build left of one document: its key, its layout key, and its
        laid-out PDF (`render.laid`) with that file's sha256."""
        found = self.kept.get(stem)
        return (self.documents.get(stem), self.layouts.get(stem),
                _kept_folder(output, name) / stem if found else None, found)

    def current(self, folder: Path) -> bool:
        """Every recorded file is there with the recorded bytes, and nothing else."""
        try:
            names = {p.name for p in folder.iterdir()}
        except OSError:
            return False
        return names == set(self.files) and all(
            hashlib.sha256((folder / n).read_bytes()).hexdigest() == h
            for n, h in self.files.items())

    def reusable(self, folder: Path, stem: str, key: str,
                 names: list[str]) -> dict[str, bytes] | None:
        """The previous bytes of a document whose key has not changed, when intact."""
        if self.documents.get(stem) != key:
            return None
        found: dict[str, bytes] = {}
        for name in names:
            try:
                data = (folder / name).read_bytes()
            except OSError:
                return None
            if hashlib.sha256(data).hexdigest() != self.files.get(name):
                return None
            found[name] = data
        return found


def _path(output: Path, name: str) -> Path:
    return output / CACHE_DIR / f"{name}.json"


def _kept_folder(output: Path, name: str) -> Path:
    return output / CACHE_DIR / f"{name}.laid"


def charts_folder(output: Path, name: str) -> Path:
    return output / CACHE_DIR / f"{name}.charts"


@dataclass
class ChartStore:
    """The charts of one document's composition (`compose.charts.Store`): each found
    among those the last build of the plan drew (files in `folder`, trusted only with the
    sha256 its record has) or drawn now; `used` has them by key, the bytes of a chart drawn
    now, None for one found. The key digests what a chart is drawn from with `salt` (the
    renderers' inputs: planbuilder's code, the template set's fonts)."""

    salt: str
    folder: Path | None = None
    recorded: dict[str, str] = field(default_factory=dict)
    used: dict[str, bytes | None] = field(default_factory=dict)

    def _key(self, what: str) -> str:
        return _digest(self.salt.encode(), what.encode())

    def get(self, what: str) -> bytes | None:
        key = self._key(what)
        if self.folder is None or key not in self.recorded:
            return None
        data = read_kept(self.folder / key, self.recorded[key])
        if data is not None:
            self.used.setdefault(key, None)
        return data

    def put(self, what: str, packed: bytes) -> None:
        self.used[self._key(what)] = packed


def read_kept(path: Path, sha256: str | None) -> bytes | None:
    """A laid-out PDF the record names, when it is there with the recorded bytes."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return data if hashlib.sha256(data).hexdigest() == sha256 else None


def write_kept(output: Path, name: str, laid: dict[str, bytes | None],
               previous: dict[str, str]) -> dict[str, str]:
    """Keep each document's laid-out PDF: the new ones written (None: the one kept before
    stands), those of documents the set no longer has removed; their sha256 by stem."""
    return _keep(_kept_folder(output, name), laid, previous)


def write_charts(output: Path, name: str, used: dict[str, bytes | None],
                 previous: dict[str, str]) -> dict[str, str]:
    """Keep the charts the plan's documents used (`ChartStore.used`): those drawn now
    written, those found kept, the others removed; their sha256 by key."""
    return _keep(charts_folder(output, name), used, previous)


def _keep(folder: Path, items: dict[str, bytes | None], previous: dict[str, str]
          ) -> dict[str, str]:
    from planbuilder.render.output import write_atomic

    hashes: dict[str, str] = {}
    for item, data in items.items():
        if data:
            write_atomic(folder / item, data)
            hashes[item] = hashlib.sha256(data).hexdigest()
        elif item in previous:
            hashes[item] = previous[item]
    try:
        stale = [p for p in folder.iterdir()
                 if p.name not in hashes and not p.name.startswith(".")]
    except OSError:
        stale = []
    for path in stale:
        path.unlink(missing_ok=True)
    return hashes


def read(output: Path, name: str) -> Record | None:
    try:
        data = json.loads(_path(output, name).read_text(encoding="utf-8"))
        return Record(str(data["key"]), dict(data["documents"]), dict(data["files"]),
                      [_finding(f) for f in data["findings"]],
                      dict(data.get("layouts", {})), dict(data.get("kept", {})),
                      dict(data.get("charts", {})))
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None  # no record, or one we cannot trust: build everything


def write(output: Path, name: str, record: Record) -> None:
    from planbuilder.render.output import write_atomic

    text = json.dumps({"key": record.key, "documents": record.documents,
                       "files": record.files, "layouts": record.layouts, "kept": record.kept,
                       "charts": record.charts,
                       "findings": [_finding_data(f) for f in record.findings]},
                      indent=1, sort_keys=True, ensure_ascii=False)
    write_atomic(_path(output, name), text.encode("utf-8"))


def file_hashes(files: dict[str, bytes]) -> dict[str, str]:
    return {name: hashlib.sha256(data).hexdigest() for name, data in files.items()}
