"""What plan prose may refer to. Documents never fetch anything a plan names; a plan that
tries (an image, a local file, a loopback or private address, raw HTML that would load
something) is refused here with the line to edit, so the refusal is visible and located."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from planbuilder.model import Plan
from planbuilder.rules.base import Violation, rule
from planbuilder.rules.language import texts

_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]*)")
_LINK = re.compile(r"(?<!!)\[[^\]]*\]\(\s*<?([^)\s>]*)|<((?:[a-zA-Z][a-zA-Z0-9+.-]*):[^>\s]*)>")
_TAG = re.compile(r"<\s*(img|script|iframe|link|object|embed|style|svg|video|audio)\b", re.I)


def _refused_target(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme.lower() in ("file", "data", "javascript", "ftp"):
        return f"{parts.scheme}: URLs"
    if "../" in url or url.startswith(("/", "..", "~")):
        return "paths outside the document"
    host = (parts.hostname or "").lower()
    if host in ("localhost", "") and parts.scheme:
        return "local addresses"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return None
    if address.is_loopback or address.is_private or address.is_link_local:
        return "loopback or private addresses"
    return None


@rule("PB-CONTENT", "", "error", "Prose fetches nothing",
      "Plan prose may not embed images or raw HTML elements, nor link to local files, "
      "loopback or private addresses; documents never fetch what a plan names.")
def content(plan: Plan) -> Iterator[Violation]:
    for path, text in texts(plan):
        for value in filter(None, (text.fi, text.sv)):
            for match in _IMAGE.finditer(value):
                yield Violation(path, f"image '{match.group(1)}' in text: images are not "
                                "embedded from plan prose and nothing is fetched")
            for match in _LINK.finditer(value):
                url = match.group(1) or match.group(2) or ""
                why = _refused_target(url)
                if why:
                    yield Violation(path, f"link to '{url}' refused: {why} are not allowed")
            for match in _TAG.finditer(value):
                yield Violation(path, f"raw HTML <{match.group(1)}> is not allowed in text")
