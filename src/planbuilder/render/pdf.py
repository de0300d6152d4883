"""Document tree -> HTML (Jinja template in templates/html, sandboxed, autoescaped) -> PDF
(WeasyPrint): every PDF is PDF/A-3a and PDF/UA-1 (see pdfa.py), with attachments where the
document has them."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import hashlib
import io
from collections.abc import Callable
from functools import cache
from pathlib import Path

from jinja2 import StrictUndefined, select_autoescape
from markupsafe import Markup

from planbuilder.document import (
    KEEP_WHOLE_ROWS,
    Block,
    BulletList,
    Cell,
    Document,
    Figure,
    Heading,
    Inline,
    Paragraph,
    Table,
    page_label_parts,
    plain,
)
from planbuilder.errors import RenderError, TemplateError
from planbuilder.messages import t
from planbuilder.render.hyphenate import hyphenate, text_language
from planbuilder.render.pdfa import Written, finisher, xmp
from planbuilder.render.style import HouseStyle
from planbuilder.render.xml import clean_text
from planbuilder.sandbox import BoundedSandbox, ContainedLoader, environment, render_bounded


@cache
def _env(folder: Path) -> BoundedSandbox:
    return environment(
        ContainedLoader([str(folder / "html"), str(folder / "css")]),
        autoescape=select_autoescape(enabled_extensions=("html", "html.j2"),
                                     default_for_string=True, default=True),
        undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def _css_string(text: str) -> Markup:
    """A CSS string literal (content: "…"); quotes, backslashes and newlines escaped."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\A ")
    return Markup(f'"{escaped}"')


def _page_content(template: str) -> Markup:
    """'sivu {page} / {pages}' -> "sivu " counter(page) " / " counter(pages)."""
    parts: list[str] = []
    for literal, counter in page_label_parts(template):
        if literal:
            parts.append(str(_css_string(literal)))
        if counter:
            parts.append(f"counter({counter})")
    return Markup(" ".join(parts) or '""')


def _hyphenated(doc: Document) -> Document:
    """Soft hyphens in running text and table cells, each block by its own language."""
    lang = doc.meta.lang

    def spans(content: Inline, block_lang: str) -> Inline:
        return tuple(dataclasses.replace(s, text=hyphenate(s.text, block_lang))
                     for s in content)

    def cells(rows: tuple[tuple[Cell, ...], ...]) -> tuple[tuple[Cell, ...], ...]:
        """Words in body cells may break; figures (right-aligned cells) never do, nor the
        first column's, the rows' headings ("Rautavaara (harkitsee)", a budget line)."""
        return tuple(tuple(c if c.align == "right" or j == 0 else dataclasses.replace(
            c, text=hyphenate(c.text, text_language(c.text, lang))) for j, c in enumerate(row))
            for row in rows)

    blocks: list[Block] = []
    for b in doc.blocks:
        if isinstance(b, Paragraph):
            b = dataclasses.replace(b, content=spans(
                b.content, text_language(plain(b.content), lang)))
        elif isinstance(b, BulletList):
            b = dataclasses.replace(b, items=tuple(
                spans(i, text_language(plain(i), lang)) for i in b.items))
        elif isinstance(b, Table):
            # a column heading is never broken ("Työvoiman ul-kopuolella"): the columns are
            # as wide as its longest word (document.content_widths)
            b = dataclasses.replace(b, rows=cells(b.rows), footer=cells(b.footer),
                                    note=hyphenate(b.note, text_language(b.note, lang)))
        blocks.append(b)
    return dataclasses.replace(doc, blocks=tuple(blocks))


def render_html(doc: Document, style: HouseStyle, fonts_url: str | None = None
                ) -> tuple[str, str]:
    """(html, css) for the document; `fonts_url` is where the CSS finds the fonts (default:
    the template folder's fonts as file: URLs, for WeasyPrint)."""
    doc = _hyphenated(clean_text(doc))
    env = _env(style.folder.resolve())
    fonts = fonts_url or (style.folder / "fonts").resolve().as_uri()
    images = {b.anchor: ("data:image/svg+xml;base64," + base64.b64encode(b.svg).decode()
                         if b.svg else
                         "data:image/png;base64," + base64.b64encode(b.png).decode())
              for b in doc.blocks if isinstance(b, Figure)}
    toc = [b for b in doc.blocks if isinstance(b, Heading) and b.level <= 3]
    blocks = [(type(b).__name__, b) for b in doc.blocks]
    contexts: dict[str, dict[str, object]] = {
        "print.css.j2": {"style": style, "fonts": Markup(fonts),
                         "header": _css_string(doc.meta.header),
                         "mark": _css_string(doc.meta.draft_mark),
                         "page": _page_content(doc.meta.footer_page)},
        "document.html.j2": {"meta": doc.meta, "blocks": blocks, "toc": toc,
                             "images": images, "unhandled": _unhandled,
                             "keep_rows": KEEP_WHOLE_ROWS},
    }
    out: dict[str, str] = {}
    for name, context in contexts.items():
        try:
            out[name] = render_bounded(env, name, context)
        except Exception as exc:  # syntax errors, undefined names, sandbox refusals
            where = getattr(exc, "lineno", None)
            kind = "css" if name.endswith(".css.j2") else "html"
            loc = f"{kind}/{name}:{where}" if where else f"{kind}/{name}"
            raise TemplateError(f"{style.folder.name}/{loc}: {exc}") from None
    return out["document.html.j2"], out["print.css.j2"]


def _unhandled(kind: str) -> str:
    raise TemplateError(t("errors.template.no_branch", kind=kind))


def load_engine() -> None:
    """Import WeasyPrint now: a build's worker processes fork after it, so each starts warm."""
    import weasyprint  # noqa: F401


def render_pdf(doc: Document, style: HouseStyle) -> bytes:
    return render_pdf_pages(doc, style)[0]


def render_pdf_pages(doc: Document, style: HouseStyle,
                     keep: Callable[[Written], None] | None = None
                     ) -> tuple[bytes, dict[str, int], int]:
    """The PDF, the page number (1-based) on which each anchor (heading, table) lands, and
    the page count: the DOCX's table of contents shows them before Word refreshes it.
    `keep` receives the PDF's objects as written (render/laid.py keeps them)."""
    # WeasyPrint (and the C libraries it loads) only here: everything else, the HTML
    # preview included, works on a machine without them (render/engine.py).
    from weasyprint import CSS, HTML, Attachment
    from weasyprint.text.fonts import FontConfiguration

    from planbuilder.render.fetch import RefusedURL, RestrictedFetcher

    html, css = render_html(doc, style)
    fetcher = RestrictedFetcher(style.folder)
    stamp = dt.datetime.fromisoformat(doc.meta.created_iso.replace("Z", "+00:00"))
    identifier = hashlib.md5(html.encode() + css.encode(), usedforsecurity=False).hexdigest()
    options: dict[str, object] = {
        "pdf_identifier": identifier.encode(),
        "pdf_tags": True,
        "pdf_variant": "pdf/a-3a",
        "custom_metadata": True,
        "full_fonts": False,
    }
    if doc.archival:
        options["attachments"] = [
            Attachment(string=a.data, name=a.name, description=a.description,
                       created=stamp, modified=stamp, relationship=a.relationship)
            for a in doc.attachments]
    base = style.folder.resolve().as_uri() + "/"
    out = io.BytesIO()
    try:
        document = HTML(string=html, base_url=base, url_fetcher=fetcher)
        # The house fonts of @font-face (templates/fonts) only, never what the system has.
        fonts = FontConfiguration()
        stylesheet = CSS(string=css, base_url=base, url_fetcher=fetcher, font_config=fonts)
        rendered = document.render(font_config=fonts, stylesheets=[stylesheet], **options)
        meta = doc.meta
        packet = xmp(meta.title, meta.lang, meta.author, meta.subject, meta.keywords,
                     meta.created_iso, "planbuilder (WeasyPrint)")
        names = {b.anchor: (b.full_text if isinstance(b, Heading)
                            else b.caption)
                 for b in doc.blocks if isinstance(b, Heading | Table | Figure)}
        rendered.write_pdf(out, finisher=finisher(packet, names, keep=keep), **options)
    except RefusedURL as exc:
        raise RenderError(str(exc)) from None
    if fetcher.refused:  # a refused non-fatal fetch (e.g. an image) still fails the build
        raise RenderError(t("errors.template.refused_fetch", url=fetcher.refused[0]))
    pages: dict[str, int] = {}
    for number, page in enumerate(rendered.pages, start=1):
        for anchor in page.anchors:
            pages.setdefault(anchor, number)
    return out.getvalue(), pages, len(rendered.pages)
