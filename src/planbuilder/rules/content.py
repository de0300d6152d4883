"""What plan prose may refer to. Documents never fetch anything a plan names; a plan that
tries (an image, a local file, a loopback or private address, raw HTML that would load
something) is refused here with the line to edit, so the refusal is visible and located.

The prose is checked as Markdown, not as text: each value is parsed with markdown-it-py in
the preset the documents use, and every link and image the parser produces is checked, so
reference-style links, nested brackets and autolinks are seen exactly as the renderer sees
them. A second parse with raw HTML on finds HTML elements that load something (the documents
never pass HTML through, but a plan that writes them is refused all the same)."""

from __future__ import annotations

import ipaddress
import re
import socket
import unicodedata
from collections.abc import Iterator
from contextlib import suppress
from encodings.idna import nameprep
from types import ModuleType
from urllib.parse import unquote

from markdown_it import MarkdownIt, helpers
from markdown_it.common.utils import unescapeAll
from markdown_it.helpers.parse_link_destination import _Result as _Destination
from markdown_it.helpers.parse_link_title import _State as _Title
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from planbuilder.messages import Msg, msg
from planbuilder.model import Plan
from planbuilder.rules.base import Violation, rule
from planbuilder.rules.language import texts

Address = ipaddress.IPv4Address | ipaddress.IPv6Address

# Elements that load or run something; matched case-insensitively.
_LOADING_TAGS = frozenset({
    "img", "script", "iframe", "link", "object", "embed", "style", "svg", "video", "audio",
    "frame", "frameset", "applet", "base", "meta", "source", "track", "picture", "portal",
    "image", "bgsound",
})
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_ALLOWED_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
_SPECIAL_SCHEMES = frozenset({"http", "https"})  # schemes whose authority is a host
# Names that resolve to the loopback address whatever the subdomain.
_LOOPBACK_DOMAINS = ("localhost", "localtest.me", "lvh.me", "vcap.me", "localho.st")
# Wildcard DNS services: a name resolves to the address written in it, also in hex or, for
# IPv6, with dashes for colons (10-0-0-1.nip.io, app.0a000001.nip.io, --1.sslip.io).
_WILDCARD_DOMAINS = ("nip.io", "sslip.io", "xip.io", "traefik.me", "nip.direct")
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")
_MAX_LABEL = 63  # longer DNS labels do not resolve
_HEX8 = re.compile(r"[0-9a-f]{8}")
_SHOWN = 200
_C0_OR_SPACE = "".join(map(chr, range(0x21)))
# Why a link target is refused: what is not allowed, as a plural phrase.
_OUTSIDE = msg("rules.PB-CONTENT.outside_paths")
_LOCAL = msg("rules.PB-CONTENT.local_addresses")
_PRIVATE = msg("rules.PB-CONTENT.private_addresses")

# The characters at which the parser can find a link, an image or an element ('[', '!',
# '<'), end a link text (']'), hide one in code ('`') or escape one ('\\'), and line breaks.
MARKUP = "[]!<`\\\n"
_PLAIN = re.compile("[^" + re.escape(MARKUP) + "]+")
# markdown-it-py costs microseconds per markup character and, inside an unclosed bracket,
# rescans up to 20 nesting levels; prose has tens of them. A text with more is refused rather
# than left unchecked or checked slowly.
MAX_MARKUP = 5_000


def _plain_text(state: StateInline, silent: bool) -> bool:
    """markdown-it's text rule with only this parser's markup ending a run of text, so text
    the check does not need (emphasis, punctuation) costs one regular expression match."""
    found = _PLAIN.match(state.src, state.pos, state.posMax)
    if found is None:
        return False
    if not silent:
        state.append_pending(found.group())
    state.pos = found.end()
    return True


# markdown-it-py scans a link destination or title one character at a time, up to 33 times
# over the same text when '(' repeats; these do the same scans but skip runs of characters
# that cannot end them with one regular expression match, returning identical results.
_DESTINATION_RUN = re.compile(r"[^\x00-\x20\x7f\\()]+")
_ANGLE_DESTINATION_RUN = re.compile(r"[^\n<>\\]+")
_TITLE_RUNS = {marker: re.compile("[^" + re.escape(marker) + r"(\\]+") for marker in "\"')"}


def _parse_link_destination(string: str, pos: int, maximum: int) -> _Destination:
    start = pos
    result = _Destination()
    if pos < len(string) and string[pos] == "<":
        pos += 1
        while pos < maximum:
            run = _ANGLE_DESTINATION_RUN.match(string, pos, maximum)
            if run:
                pos = run.end()
                continue
            char = string[pos]
            if char in "\n<":
                return result
            if char == ">":
                result.pos = pos + 1
                result.str = unescapeAll(string[start + 1:pos])
                result.ok = True
                return result
            pos += 2 if char == "\\" and pos + 1 < maximum else 1
        return result
    level = 0
    while pos < maximum:
        run = _DESTINATION_RUN.match(string, pos, maximum)
        if run:
            pos = run.end()
            continue
        char = string[pos]
        if char <= " " or char == "\x7f":
            break
        if char == "\\" and pos + 1 < maximum:
            if string[pos + 1] == " ":
                break
            pos += 2
            continue
        if char == "(":
            level += 1
            if level > 32:
                return result
        if char == ")":
            if level == 0:
                break
            level -= 1
        pos += 1
    if start == pos or level != 0:
        return result
    result.str = unescapeAll(string[start:pos])
    result.pos = pos
    result.ok = True
    return result


def _parse_link_title(string: str, start: int, maximum: int,
                      prev_state: _Title | None = None) -> _Title:
    pos = start
    state = _Title()
    if prev_state is not None:
        state.str = prev_state.str
        state.marker = prev_state.marker
    else:
        if pos >= maximum:
            return state
        marker = string[pos]
        if marker not in "\"'(":
            return state
        start += 1
        pos += 1
        state.marker = ord(")" if marker == "(" else marker)
    closing = chr(state.marker)
    runs = _TITLE_RUNS.get(closing) or re.compile("[^" + re.escape(closing) + r"(\\]+")
    while pos < maximum:
        run = runs.match(string, pos, maximum)
        if run:
            pos = run.end()
            continue
        char = string[pos]
        if char == closing:
            state.pos = pos + 1
            state.str += unescapeAll(string[start:pos])
            state.ok = True
            return state
        if char == "(" and closing == ")":
            return state
        if char == "\\" and pos + 1 < maximum:
            pos += 1
        pos += 1
    state.can_continue = True
    state.str += unescapeAll(string[start:pos])
    return state


_HELPERS = ModuleType("planbuilder.rules.content.link_helpers")
vars(_HELPERS).update(parseLinkLabel=helpers.parseLinkLabel,
                      parseLinkDestination=_parse_link_destination,
                      parseLinkTitle=_parse_link_title)


class _AllLinks(MarkdownIt):
    """The documents' parser, except that no link is dropped by markdown-it's own filter
    (a refused link is reported, not silently turned into text) and targets are kept as
    written (entities and escapes decoded) so a message quotes what the plan says.

    Rules that never decide what is a link, an image or an element (emphasis, entities) are
    off, and plain text is skipped by `_plain_text`; block rules are all kept, since blocks
    decide what is prose and what is code."""

    def __init__(self, html: bool):
        super().__init__("commonmark", {"html": html, "linkify": False, "typographer": False})
        self.disable(["emphasis", "balance_pairs", "fragments_join", "entity"])
        self.inline.ruler.at("text", _plain_text)
        self.helpers = _HELPERS

    def validateLink(self, url: str) -> bool:
        return True

    def normalizeLink(self, url: str) -> str:
        return url

    def normalizeLinkText(self, link: str) -> str:
        return link


_LINKS = _AllLinks(html=False)
_HTML = _AllLinks(html=True)
_DOCUMENT = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_DOCUMENT.enable("table")  # as compose parses prose: pipe tables are real tables


def _walk(tokens: list[Token]) -> Iterator[Token]:
    stack = list(reversed(tokens))
    while stack:
        token = stack.pop()
        yield token
        if token.children:
            stack.extend(reversed(token.children))


def _internal(address: Address) -> bool:
    """Loopback, private, link-local, unspecified or otherwise not a public address; an IPv6
    address that carries an IPv4 one (mapped, 6to4, Teredo, NAT64) is judged by that too."""
    if isinstance(address, ipaddress.IPv6Address):
        carried: list[ipaddress.IPv4Address] = []
        if address.ipv4_mapped is not None:
            carried.append(address.ipv4_mapped)
        if address.sixtofour is not None:
            carried.append(address.sixtofour)
        if address.teredo is not None:
            carried.extend(address.teredo)
        if address in _NAT64 or (address in _IPV4_COMPATIBLE and int(address) > 1):
            carried.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
        if any(_internal(v4) for v4 in carried):
            return True
        if address.is_site_local:
            return True
    return (address.is_loopback or address.is_private or address.is_link_local
            or address.is_unspecified or address.is_reserved or address.is_multicast
            or not address.is_global)


def _ip(host: str) -> Address | None:
    """The address a host names literally, in any form the C library accepts for IPv4
    (2130706433, 127.1, 0x7f000001, 0177.0.0.1) or as IPv6 (brackets already removed)."""
    if ":" in host:
        try:
            return ipaddress.IPv6Address(host)
        except ValueError:
            return None
    if not host or not host.isascii() or not host[0].isalnum():
        return None
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except (OSError, ValueError):
        return None


def _octets(parts: list[str]) -> Iterator[ipaddress.IPv4Address]:
    """IPv4 addresses written as four consecutive decimal parts (127.0.0.1, 127-0-0-1)."""
    for i in range(len(parts) - 3):
        window = parts[i:i + 4]
        if all(p.isascii() and p.isdigit() and len(p) <= 3 and int(p) <= 255 for p in window):
            yield ipaddress.IPv4Address(".".join(str(int(p)) for p in window))


def _embedded(host: str, wildcard: bool) -> Iterator[Address]:
    """Addresses a name carries for wildcard DNS to resolve to: 127.0.0.1.nip.io,
    127-0-0-1.example.com, 10.0.0.5.anything.test; on a wildcard service also hex
    (app-7f000001.nip.io) and dashed IPv6 (--1.sslip.io, fe80--1.sslip.io)."""
    labels = host.split(".")
    yield from _octets(labels)
    for label in labels:
        if len(label) > _MAX_LABEL:
            continue
        parts = label.split("-")
        yield from _octets(parts)
        if not wildcard:
            continue
        for part in parts:
            if _HEX8.fullmatch(part):
                yield ipaddress.IPv4Address(int(part, 16))
        if "-" in label:
            for start in range(len(label)):
                if start == 0 or label[start - 1] == "-":
                    with suppress(ValueError):
                        yield ipaddress.IPv6Address(label[start:].replace("-", ":"))


def _host(authority_and_rest: str) -> str:
    """The host of an http(s) URL after 'scheme:', as a browser reads it: any number of
    slashes (or backslashes) before it, userinfo and port removed, percent-decoded,
    Unicode-mapped as IDNA does, lowercased, without IPv6 brackets or a trailing dot."""
    rest = authority_and_rest.lstrip("/")
    end = len(rest)
    for stop in "/?#":
        found = rest.find(stop)
        if found != -1:
            end = min(end, found)
    host = rest[:end].rpartition("@")[2]
    host = host[1:].partition("]")[0] if host.startswith("[") else host.partition(":")[0]
    host = unicodedata.normalize("NFKC", unquote(host)).replace("\u3002", ".")
    if not host.isascii():
        labels = []
        for label in host.split("."):
            try:
                labels.append(nameprep(label) if len(label) <= _MAX_LABEL else label)
            except UnicodeError:
                labels.append(label)
        host = ".".join(labels)
    return host.lower().rstrip(".")


def _clean(url: str) -> str:
    """The URL as a browser parses it: leading and trailing controls and spaces removed, tabs
    and newlines inside dropped, backslashes read as slashes."""
    url = url.strip(_C0_OR_SPACE)
    return url.replace("\t", "").replace("\n", "").replace("\r", "").replace("\\", "/")


def _refused_target(url: str) -> Msg | None:
    """Why a link target is refused (a plural phrase), or None when it may be linked."""
    url = _clean(url)
    scheme_match = _SCHEME.match(url)
    if scheme_match is None:
        path = unquote(re.split(r"[?#]", url, maxsplit=1)[0])
        if path.startswith(("/", "~")) or any(
                len(segment) > 1 and not segment.strip(". ") for segment in path.split("/")):
            return _OUTSIDE
        return None
    scheme = scheme_match.group(1).lower()
    if len(scheme) == 1:  # a Windows drive letter (C:/...)
        return _OUTSIDE
    if scheme not in _ALLOWED_SCHEMES:
        return msg("rules.PB-CONTENT.scheme_urls", scheme=scheme)
    if scheme not in _SPECIAL_SCHEMES:
        return None
    host = _host(url[scheme_match.end():])
    if not host or host.split(".")[-1] == "localhost":
        return _LOCAL
    if any(host == domain or host.endswith("." + domain) for domain in _LOOPBACK_DOMAINS):
        return _LOCAL
    address = _ip(host)
    if address is not None:
        return _PRIVATE if _internal(address) else None
    if len(host) > 253:  # a name this long does not resolve
        return None
    wildcard = any(host == d or host.endswith("." + d) for d in _WILDCARD_DOMAINS)
    if any(_internal(embedded) for embedded in _embedded(host, wildcard)):
        return _PRIVATE
    return None


def _may_refer(value: str) -> bool:
    """Whether a text can hold a link, an image or HTML at all: an inline link or image needs
    '](', a reference-style one a definition '[label]:', an autolink or element '<'."""
    return "](" in value or "]:" in value or "<" in value


def _shown(url: str) -> str:
    """A URL as quoted in a message: whole unless it is very long."""
    return url if len(url) <= _SHOWN else url[:_SHOWN] + "…"


def _problems(value: str) -> Iterator[Msg]:
    # Counted for every text: the documents parse all prose, and past this much markup the
    # parser (and the layout of what it leaves as text) is what makes a build slow.
    markup = sum(value.count(char) for char in MARKUP)
    if markup > MAX_MARKUP:
        yield msg("rules.PB-CONTENT.too_much_markup", count=markup, most=MAX_MARKUP)
        return
    if not _may_refer(value):
        return
    for token in _walk(_LINKS.parse(value)):
        if token.type == "image":
            src = _shown(str(token.attrs.get("src", "")))
            yield msg("rules.PB-CONTENT.image", src=src)
        elif token.type == "link_open":
            href = str(token.attrs.get("href", ""))
            why = _refused_target(href) or _refused_target(_DOCUMENT.normalizeLink(href))
            if why:
                yield msg("rules.PB-CONTENT.link_refused", target=_shown(href), why=why)
    if "<" not in value:
        return
    for token in _walk(_HTML.parse(value)):
        if token.type == "html_inline":
            found = _TAG.match(token.content)
            tags = [found] if found else []
        elif token.type == "html_block":
            tags = list(_TAG.finditer(token.content))
        else:
            continue
        for tag in tags:
            name = tag.group(2).lower()
            if not tag.group(1) and name in _LOADING_TAGS:  # opening tags load; closing don't
                yield msg("rules.PB-CONTENT.raw_html", tag=name)


@rule("PB-CONTENT", "", "error")
def content(plan: Plan) -> Iterator[Violation]:
    for path, text in texts(plan):
        for value in filter(None, (text.fi, text.sv)):
            seen: set[Msg] = set()
            for message in _problems(value):
                if message not in seen:
                    seen.add(message)
                    yield Violation(path, message)
