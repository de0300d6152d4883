"""The house Word template (`templates/house.docx`), made reproducibly from the house style.

The DOCX renderer starts every document from this reference document, so a clerk who
replaces it with the municipality's own template gets documents in that template's styles.
Styles the renderer needs but a replacement template lacks are added from `style_xml()`,
and the numbering definitions are always (re)written by `numbering_xml()`.

Only the styles the documents use are defined; built-in styles keep Word's internal names
(Word shows them in the user's language, e.g. "Otsikko 1"), planbuilder's own styles take
their names from `style.yaml` (`word_styles`).
"""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape, quoteattr

from planbuilder.render.style import HouseStyle

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
LANGS = {"fi": "fi-FI", "sv": "sv-FI"}

# Numbering definitions owned by planbuilder (ids kept high so a municipality's own
# template can keep its lists): headings, bullets, numbered lists.
NUM_HEADINGS, NUM_BULLETS, NUM_ORDERED = 90, 91, 92
FIRST_RESTART_NUM = 100  # each ordered list restarts at 1 with its own w:num from here

# styleId -> (kind, built-in name or None for planbuilder's own). Order is the order in
# styles.xml.
STYLE_IDS: tuple[tuple[str, str, str | None], ...] = (
    ("Normal", "paragraph", "Normal"),
    ("DefaultParagraphFont", "character", "Default Paragraph Font"),
    ("TableNormal", "table", "Normal Table"),
    ("NoList", "numbering", "No List"),
    ("Heading1", "paragraph", "heading 1"),
    ("Heading2", "paragraph", "heading 2"),
    ("Heading3", "paragraph", "heading 3"),
    ("Heading4", "paragraph", "heading 4"),
    ("Heading1Unnumbered", "paragraph", None),
    ("Title", "paragraph", "Title"),
    ("Subtitle", "paragraph", "Subtitle"),
    ("TOCHeading", "paragraph", "TOC Heading"),
    ("TOC1", "paragraph", "toc 1"),
    ("TOC2", "paragraph", "toc 2"),
    ("TOC3", "paragraph", "toc 3"),
    ("Caption", "paragraph", "caption"),
    ("ListBullet", "paragraph", "List Bullet"),
    ("ListNumber", "paragraph", "List Number"),
    ("Header", "paragraph", "header"),
    ("Footer", "paragraph", "footer"),
    ("Strong", "character", "Strong"),
    ("Hyperlink", "character", "Hyperlink"),
    ("TableGrid", "table", "Table Grid"),
    ("PlanTable", "table", None),
    ("TableText", "paragraph", None),
    ("TableNumber", "paragraph", None),
    ("TableHeading", "paragraph", None),
    ("TableHeadingNumber", "paragraph", None),
    ("TableNote", "paragraph", None),
    ("Note", "paragraph", None),
    ("LegalReference", "paragraph", None),
    ("FigureParagraph", "paragraph", None),
    ("CoverMark", "paragraph", None),
    ("CoverText", "paragraph", None),
    ("SignatureLine", "paragraph", None),
    ("SignatureLabel", "paragraph", None),
    ("DraftMark", "character", None),
)


def _twips(points: float) -> int:
    return round(points * 20)


def _half(points: float) -> int:
    return round(points * 2)


def _hex(colour: str) -> str:
    return colour.lstrip("#").upper()


def text_width_twips(style: HouseStyle) -> int:
    return round((210 - style.margins.left - style.margins.right) / 25.4 * 1440)


def _fonts(family: str) -> str:
    f = quoteattr(family)
    return f"<w:rFonts w:ascii={f} w:hAnsi={f} w:eastAsia={f} w:cs={f}/>"


def _style(style_id: str, kind: str, name: str, body: str, *, based_on: str = "",
           next_: str = "", default: bool = False, priority: int = 0,
           qformat: bool = False) -> str:
    attrs = f' w:type="{kind}" w:styleId="{style_id}"' + (' w:default="1"' if default else "")
    parts = [f"<w:name w:val={quoteattr(name)}/>"]
    if based_on:
        parts.append(f'<w:basedOn w:val="{based_on}"/>')
    if next_:
        parts.append(f'<w:next w:val="{next_}"/>')
    if priority:
        parts.append(f'<w:uiPriority w:val="{priority}"/>')
    if qformat:
        parts.append("<w:qFormat/>")
    return f"<w:style{attrs}>{''.join(parts)}{body}</w:style>"


def style_xml(style: HouseStyle) -> dict[str, str]:
    """styleId -> <w:style> element text, for every style the renderer uses."""
    s = style
    names = {sid: (builtin or s.word_styles.get(sid, sid)) for sid, _, builtin in STYLE_IDS}
    width = text_width_twips(s)
    heading = _hex(s.heading_colour)
    small = s.base_size * 0.85
    border = _hex(s.table_border_colour)
    cell_rpr = f'<w:rPr><w:sz w:val="{_half(small)}"/><w:szCs w:val="{_half(small)}"/></w:rPr>'
    cell_ppr = '<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'
    out: dict[str, str] = {}

    def add(sid: str, body: str, **kw: object) -> None:
        kind = next(k for i, k, _ in STYLE_IDS if i == sid)
        out[sid] = _style(sid, kind, names[sid], body, **kw)  # type: ignore[arg-type]

    add("Normal", "", default=True, qformat=True)
    add("DefaultParagraphFont", "", default=True, priority=1)
    add("TableNormal",
        '<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar>'
        '<w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
        '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/>'
        "</w:tblCellMar></w:tblPr>", default=True, priority=99)
    add("NoList", "", default=True, priority=99)
    spacing = {1: (18, 8), 2: (14, 6), 3: (12, 4), 4: (10, 4)}
    for level, size in enumerate(s.heading_sizes, start=1):
        before, after = spacing[level]
        numbered = f'<w:numPr><w:numId w:val="{NUM_HEADINGS}"/></w:numPr>' if level == 1 else ""
        add(f"Heading{level}",
            f'<w:pPr><w:keepNext/><w:keepLines/>{numbered}<w:spacing w:before="{_twips(before)}" '
            f'w:after="{_twips(after)}" w:line="240" w:lineRule="auto"/>'
            f'<w:outlineLvl w:val="{level - 1}"/></w:pPr>'
            f'<w:rPr><w:b/><w:bCs/><w:color w:val="{heading}"/><w:sz w:val="{_half(size)}"/>'
            f'<w:szCs w:val="{_half(size)}"/></w:rPr>',
            based_on="Normal", next_="Normal", priority=9, qformat=True)
    size = s.heading_sizes[0]
    add("Heading1Unnumbered",
        f'<w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="{_twips(18)}" '
        f'w:after="{_twips(8)}" w:line="240" w:lineRule="auto"/><w:outlineLvl w:val="0"/>'
        f'</w:pPr><w:rPr><w:b/><w:bCs/><w:color w:val="{heading}"/><w:sz w:val="{_half(size)}"/>'
        f'<w:szCs w:val="{_half(size)}"/></w:rPr>',
        based_on="Normal", next_="Normal", priority=9, qformat=True)
    add("Title",
        '<w:pPr><w:spacing w:before="3600" w:after="240" w:line="240" w:lineRule="auto"/>'
        '<w:contextualSpacing/></w:pPr>'
        f'<w:rPr><w:b/><w:bCs/><w:color w:val="{heading}"/><w:kern w:val="28"/>'
        '<w:sz w:val="48"/><w:szCs w:val="48"/></w:rPr>',
        based_on="Normal", next_="Subtitle", priority=10, qformat=True)
    add("Subtitle", '<w:pPr><w:spacing w:after="600"/></w:pPr>'
        '<w:rPr><w:sz w:val="30"/><w:szCs w:val="30"/></w:rPr>',
        based_on="Normal", next_="Normal", priority=11, qformat=True)
    add("TOCHeading",
        '<w:pPr><w:pageBreakBefore/><w:outlineLvl w:val="9"/></w:pPr>',
        based_on="Heading1Unnumbered", next_="Normal", priority=39, qformat=True)
    for level in (1, 2, 3):
        indent = 440 * (level - 1)
        add(f"TOC{level}",
            f'<w:pPr><w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{width}"/></w:tabs>'
            f'<w:spacing w:after="{60 if level == 1 else 20}"/>'
            f'<w:ind w:left="{indent}"/></w:pPr>'
            + ("<w:rPr><w:b/><w:bCs/></w:rPr>" if level == 1 else ""),
            based_on="Normal", next_="Normal", priority=39)
    add("Caption",
        f'<w:pPr><w:keepNext/><w:spacing w:before="{_twips(8)}" w:after="{_twips(3)}"/></w:pPr>'
        f'<w:rPr><w:b/><w:bCs/><w:color w:val="{_hex(s.caption_colour)}"/>'
        f'<w:sz w:val="{_half(s.base_size * 0.9)}"/><w:szCs w:val="{_half(s.base_size * 0.9)}"/>'
        "</w:rPr>", based_on="Normal", next_="Normal", priority=35, qformat=True)
    add("ListBullet",
        f'<w:pPr><w:numPr><w:numId w:val="{NUM_BULLETS}"/></w:numPr>'
        '<w:spacing w:after="60"/></w:pPr>', based_on="Normal", priority=99)
    add("ListNumber",
        f'<w:pPr><w:numPr><w:numId w:val="{NUM_ORDERED}"/></w:numPr>'
        '<w:spacing w:after="60"/></w:pPr>', based_on="Normal", priority=99)
    add("Header",
        f'<w:pPr><w:tabs><w:tab w:val="right" w:pos="{width}"/></w:tabs>'
        '<w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
        '<w:rPr><w:color w:val="555555"/><w:sz w:val="15"/><w:szCs w:val="15"/></w:rPr>',
        based_on="Normal", priority=99)
    add("Footer",
        '<w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/><w:jc w:val="right"/>'
        '</w:pPr><w:rPr><w:color w:val="555555"/><w:sz w:val="16"/><w:szCs w:val="16"/></w:rPr>',
        based_on="Normal", priority=99)
    add("Strong", "<w:rPr><w:b/><w:bCs/></w:rPr>", based_on="DefaultParagraphFont",
        priority=22, qformat=True)
    add("Hyperlink", '<w:rPr><w:color w:val="0563C1"/><w:u w:val="single"/></w:rPr>',
        based_on="DefaultParagraphFont", priority=99)
    borders = "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="{border}"/>'
                      for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    add("TableGrid",
        f'<w:pPr>{cell_ppr}</w:pPr><w:tblPr><w:tblBorders>{borders}</w:tblBorders></w:tblPr>',
        based_on="TableNormal", priority=59)
    add("PlanTable",
        f"<w:pPr>{cell_ppr}</w:pPr>{cell_rpr}"
        f'<w:tblPr><w:tblBorders>{borders}</w:tblBorders><w:tblCellMar>'
        '<w:top w:w="45" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>'
        '<w:bottom w:w="45" w:type="dxa"/><w:right w:w="85" w:type="dxa"/>'
        "</w:tblCellMar></w:tblPr>"
        '<w:tblStylePr w:type="firstRow"><w:rPr><w:b/><w:bCs/></w:rPr><w:tcPr>'
        f'<w:shd w:val="clear" w:color="auto" w:fill="{_hex(s.table_header_background)}"/>'
        "</w:tcPr></w:tblStylePr>",
        based_on="TableNormal", priority=59, qformat=True)
    add("TableText", f"<w:pPr>{cell_ppr}</w:pPr>{cell_rpr}", based_on="Normal", qformat=True)
    add("TableNumber", '<w:pPr><w:jc w:val="right"/></w:pPr>', based_on="TableText",
        qformat=True)
    # a column heading is never hyphenated (the columns are as wide as its longest word)
    add("TableHeading", "<w:pPr><w:keepNext/><w:suppressAutoHyphens/></w:pPr>"
        "<w:rPr><w:b/><w:bCs/></w:rPr>",
        based_on="TableText", qformat=True)
    add("TableHeadingNumber", '<w:pPr><w:jc w:val="right"/></w:pPr>',
        based_on="TableHeading", qformat=True)
    add("TableNote",
        f'<w:pPr><w:spacing w:before="{_twips(3)}" w:after="{_twips(8)}"/></w:pPr>'
        f'<w:rPr><w:color w:val="444444"/><w:sz w:val="{_half(small)}"/>'
        f'<w:szCs w:val="{_half(small)}"/></w:rPr>', based_on="Normal", qformat=True)
    add("Note",
        f'<w:pPr><w:ind w:left="284"/></w:pPr><w:rPr><w:color w:val="444444"/>'
        f'<w:sz w:val="{_half(s.base_size * 0.9)}"/><w:szCs w:val="{_half(s.base_size * 0.9)}"/>'
        "</w:rPr>", based_on="Normal", qformat=True)
    add("LegalReference", "<w:pPr><w:keepNext/></w:pPr><w:rPr><w:i/><w:iCs/></w:rPr>",
        based_on="Normal", qformat=True)
    add("FigureParagraph", '<w:pPr><w:keepNext/><w:spacing w:before="120"/></w:pPr>',
        based_on="Normal", qformat=True)
    add("CoverMark",
        '<w:pPr><w:spacing w:before="2400" w:after="0"/></w:pPr>'
        f'<w:rPr><w:b/><w:bCs/><w:color w:val="{_hex(s.draft_colour)}"/><w:spacing w:val="40"/>'
        '<w:sz w:val="44"/><w:szCs w:val="44"/></w:rPr>', based_on="Normal", next_="Title",
        qformat=True)
    add("CoverText", '<w:pPr><w:spacing w:before="40" w:after="40"/></w:pPr>',
        based_on="Normal", qformat=True)
    add("SignatureLine",
        '<w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="640" w:after="0"/></w:pPr>',
        based_on="Normal")
    # The signature line is the label's top border: no underscores to wrap, no empty lines.
    add("SignatureLabel",
        '<w:pPr><w:keepNext/><w:pBdr><w:top w:val="single" w:sz="6" w:space="1" '
        'w:color="auto"/></w:pBdr><w:spacing w:before="720" w:after="240"/>'
        '<w:ind w:right="284"/></w:pPr>'
        '<w:rPr><w:sz w:val="16"/><w:szCs w:val="16"/></w:rPr>', based_on="Normal")
    add("DraftMark",
        f'<w:rPr><w:b/><w:bCs/><w:color w:val="{_hex(s.draft_colour)}"/><w:sz w:val="20"/>'
        '<w:szCs w:val="20"/></w:rPr>', based_on="DefaultParagraphFont")
    return out


def styles_part(style: HouseStyle, lang: str = "fi") -> str:
    s = style
    line = round(240 * s.line_height * 0.85)
    defaults = (
        f"<w:docDefaults><w:rPrDefault><w:rPr>{_fonts(s.word_font)}"
        f'<w:color w:val="{_hex(s.text_colour)}"/>'
        f'<w:sz w:val="{_half(s.base_size)}"/><w:szCs w:val="{_half(s.base_size)}"/>'
        f'<w:lang w:val="{LANGS[lang]}" w:eastAsia="{LANGS[lang]}" w:bidi="ar-SA"/>'
        f"</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>"
        f'<w:spacing w:after="{_twips(s.base_size * 0.6)}" w:line="{line}" w:lineRule="auto"/>'
        "</w:pPr></w:pPrDefault></w:docDefaults>"
    )
    body = "".join(style_xml(s).values())
    return (f'{_DECL}<w:styles xmlns:w="{W_NS}" xmlns:r="{R_NS}">{defaults}{body}'
            "</w:styles>")


def _level(ilvl: int, fmt: str, text: str, indent: int, hanging: int, *,
           style: str = "", font: str = "") -> str:
    pstyle = f'<w:pStyle w:val="{style}"/>' if style else ""
    rpr = f"<w:rPr>{_fonts(font)}</w:rPr>" if font else ""
    return (f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>{pstyle}'
            f"<w:lvlText w:val={quoteattr(text)}/>"
            f'<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="{indent}" w:hanging="{hanging}"/>'
            f"</w:pPr>{rpr}</w:lvl>")


def abstract_nums(heading_format: str = "%1") -> list[str]:
    """planbuilder's three abstract numberings; `heading_format` is Word's level text for
    level-1 headings ("%1" for a plan's sections, "%1 §" for an agreement's clauses)."""
    width = max(567, 284 * len(heading_format.replace("%1", "00")))
    # Multi-level: level 1 is linked to Heading 1; levels 2-3 ("1.1", "1.1.1") are there
    # for a reviewer who numbers subsections of a section.
    headings = (f'<w:abstractNum w:abstractNumId="{NUM_HEADINGS}">'
                '<w:multiLevelType w:val="multilevel"/>'
                + _level(0, "decimal", heading_format, width, width, style="Heading1")
                + _level(1, "decimal", "%1.%2", 851, 851)
                + _level(2, "decimal", "%1.%2.%3", 1134, 1134)
                + "</w:abstractNum>")
    bullets = (f'<w:abstractNum w:abstractNumId="{NUM_BULLETS}">'
               '<w:multiLevelType w:val="hybridMultilevel"/>'
               + "".join(_level(i, "bullet", "•" if i % 2 == 0 else "–", 360 * (i + 1), 360)
                         for i in range(3))
               + "</w:abstractNum>")
    ordered = (f'<w:abstractNum w:abstractNumId="{NUM_ORDERED}">'
               '<w:multiLevelType w:val="hybridMultilevel"/>'
               + "".join(_level(i, ("decimal", "lowerLetter", "lowerRoman")[i],
                                ("%1.", "%2)", "%3.")[i], 360 * (i + 1), 360)
                         for i in range(3))
               + "</w:abstractNum>")
    return [headings, bullets, ordered]


def num(num_id: int, abstract: int, restart: bool = False) -> str:
    override = ('<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>'
                if restart else "")
    return f'<w:num w:numId="{num_id}"><w:abstractNumId w:val="{abstract}"/>{override}</w:num>'


def numbering_part(heading_format: str = "%1") -> str:
    nums = [num(NUM_HEADINGS, NUM_HEADINGS), num(NUM_BULLETS, NUM_BULLETS),
            num(NUM_ORDERED, NUM_ORDERED)]
    return (f'{_DECL}<w:numbering xmlns:w="{W_NS}">{"".join(abstract_nums(heading_format))}'
            f'{"".join(nums)}</w:numbering>')


def settings_part(lang: str = "fi") -> str:
    compat = "".join(
        f'<w:compatSetting w:name="{name}" w:uri="http://schemas.microsoft.com/office/word" '
        f'w:val="{val}"/>'
        for name, val in (("compatibilityMode", "15"),
                          ("overrideTableStyleFontSizeAndJustification", "1"),
                          ("enableOpenTypeFeatures", "1"), ("doNotFlipMirrorIndents", "1"),
                          ("differentiateMultirowTableHeaders", "1")))
    return (f'{_DECL}<w:settings xmlns:w="{W_NS}" xmlns:r="{R_NS}">'
            '<w:zoom w:percent="100"/>'
            '<w:defaultTabStop w:val="1304"/>'  # 2,3 cm: the Finnish office standard tab
            '<w:autoHyphenation/><w:hyphenationZone w:val="357"/>'
            '<w:characterSpacingControl w:val="doNotCompress"/>'
            f"<w:compat>{compat}</w:compat>"
            f'<w:themeFontLang w:val="{LANGS[lang]}"/>'
            '<w:decimalSymbol w:val=","/><w:listSeparator w:val=";"/>'
            "</w:settings>")


def font_table(style: HouseStyle) -> str:
    return (f'{_DECL}<w:fonts xmlns:w="{W_NS}">'
            f'<w:font w:name={quoteattr(style.word_font)}><w:charset w:val="00"/>'
            '<w:family w:val="swiss"/><w:pitch w:val="variable"/></w:font></w:fonts>')


def _document(style: HouseStyle) -> str:
    m = style.margins

    def tw(mm: float) -> int:
        return round(mm / 25.4 * 1440)

    return (f'{_DECL}<w:document xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:body>'
            '<w:p><w:pPr><w:pStyle w:val="Normal"/></w:pPr></w:p>'
            '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/>'
            f'<w:pgMar w:top="{tw(m.top)}" w:right="{tw(m.right)}" w:bottom="{tw(m.bottom)}" '
            f'w:left="{tw(m.left)}" w:header="567" w:footer="567" w:gutter="0"/>'
            '<w:cols w:space="708"/></w:sectPr></w:body></w:document>')


_OOXML = "http://schemas.openxmlformats.org"
_REL = f"{_OOXML}/officeDocument/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument"
_WML = f"{_CT}.wordprocessingml"
OVERRIDES = (
    ("/word/document.xml", f"{_WML}.document.main+xml"),
    ("/word/styles.xml", f"{_WML}.styles+xml"),
    ("/word/settings.xml", f"{_WML}.settings+xml"),
    ("/word/numbering.xml", f"{_WML}.numbering+xml"),
    ("/word/fontTable.xml", f"{_WML}.fontTable+xml"),
    ("/word/theme/theme1.xml", f"{_CT}.theme+xml"),
    ("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
    ("/docProps/app.xml", f"{_CT}.extended-properties+xml"),
)
PACKAGE_RELS = (
    (f"{_REL}/officeDocument", "word/document.xml"),
    (f"{_OOXML}/package/2006/relationships/metadata/core-properties", "docProps/core.xml"),
    (f"{_REL}/extended-properties", "docProps/app.xml"),
)
DOCUMENT_RELS = (
    (f"{_REL}/styles", "styles.xml"), (f"{_REL}/settings", "settings.xml"),
    (f"{_REL}/numbering", "numbering.xml"), (f"{_REL}/fontTable", "fontTable.xml"),
    (f"{_REL}/theme", "theme/theme1.xml"),
)
CUSTOM_PROPERTIES = ("/docProps/custom.xml", f"{_CT}.custom-properties+xml",
                     f"{_REL}/custom-properties")


def _content_types() -> str:
    overrides = "".join(f'<Override PartName="{name}" ContentType="{kind}"/>'
                        for name, kind in OVERRIDES)
    return (f'{_DECL}<Types xmlns="{_OOXML}/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            f'<Default Extension="xml" ContentType="application/xml"/>{overrides}</Types>')


def _relationships(rels: tuple[tuple[str, str], ...]) -> str:
    items = "".join(f'<Relationship Id="rId{i}" Type="{kind}" Target="{target}"/>'
                    for i, (kind, target) in enumerate(rels, start=1))
    return (f'{_DECL}<Relationships xmlns="{_OOXML}/package/2006/relationships">{items}'
            "</Relationships>")


def _core(title: str) -> str:
    return (f'{_DECL}<cp:coreProperties '
            f'xmlns:cp="{_OOXML}/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{escape(title)}</dc:title><dc:language>fi-FI</dc:language>"
            '<dcterms:created xsi:type="dcterms:W3CDTF">2025-01-01T00:00:00Z</dcterms:created>'
            '<dcterms:modified xsi:type="dcterms:W3CDTF">2025-01-01T00:00:00Z</dcterms:modified>'
            "</cp:coreProperties>")


def app_part(pages: int = 1, words: int = 0, characters: int = 0, paragraphs: int = 0,
             company: str = "") -> str:
    return (f'{_DECL}<Properties xmlns="{_OOXML}/officeDocument/2006/extended-properties" '
            f'xmlns:vt="{_OOXML}/officeDocument/2006/docPropsVTypes">'
            f"<Template>house.docx</Template><TotalTime>0</TotalTime><Pages>{pages}</Pages>"
            f"<Words>{words}</Words><Characters>{characters}</Characters>"
            "<Application>planbuilder</Application><DocSecurity>0</DocSecurity>"
            f"<Paragraphs>{paragraphs}</Paragraphs><ScaleCrop>false</ScaleCrop>"
            f"<Company>{escape(company)}</Company><LinksUpToDate>false</LinksUpToDate>"
            f"<CharactersWithSpaces>{characters + words}</CharactersWithSpaces>"
            "<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged>"
            "</Properties>")


def theme_part(style: HouseStyle) -> str:
    """A plain Office theme whose fonts are the house font (Word expects a theme part)."""
    colours = (("dk1", '<a:sysClr val="windowText" lastClr="000000"/>'),
               ("lt1", '<a:sysClr val="window" lastClr="FFFFFF"/>'),
               ("dk2", f'<a:srgbClr val="{_hex(style.heading_colour)}"/>'),
               ("lt2", '<a:srgbClr val="E7E6E6"/>'),
               ("accent1", f'<a:srgbClr val="{_hex(style.heading_colour)}"/>'),
               ("accent2", '<a:srgbClr val="ED7D31"/>'), ("accent3", '<a:srgbClr val="A5A5A5"/>'),
               ("accent4", '<a:srgbClr val="FFC000"/>'), ("accent5", '<a:srgbClr val="5B9BD5"/>'),
               ("accent6", '<a:srgbClr val="70AD47"/>'), ("hlink", '<a:srgbClr val="0563C1"/>'),
               ("folHlink", '<a:srgbClr val="954F72"/>'))
    font = quoteattr(style.word_font)
    faces = f'<a:latin typeface={font}/><a:ea typeface=""/><a:cs typeface=""/>'
    solid = '<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>'
    line = (f'<a:ln w="6350" cap="flat" cmpd="sng" algn="ctr">{solid}'
            '<a:prstDash val="solid"/></a:ln>')
    effect = "<a:effectStyle><a:effectLst/></a:effectStyle>"
    return (f'{_DECL}<a:theme xmlns:a="{_OOXML}/drawingml/2006/main" '
            'name="planbuilder"><a:themeElements><a:clrScheme name="planbuilder">'
            + "".join(f"<a:{n}>{c}</a:{n}>" for n, c in colours)
            + '</a:clrScheme><a:fontScheme name="planbuilder">'
            f"<a:majorFont>{faces}</a:majorFont><a:minorFont>{faces}</a:minorFont>"
            '</a:fontScheme><a:fmtScheme name="planbuilder">'
            f"<a:fillStyleLst>{solid * 3}</a:fillStyleLst>"
            f"<a:lnStyleLst>{line * 3}</a:lnStyleLst>"
            f"<a:effectStyleLst>{effect * 3}</a:effectStyleLst>"
            f"<a:bgFillStyleLst>{solid * 3}</a:bgFillStyleLst>"
            "</a:fmtScheme></a:themeElements></a:theme>")


def house_docx(style: HouseStyle) -> bytes:
    """The house reference document: same style, same bytes."""
    parts = {
        "[Content_Types].xml": _content_types(),
        "_rels/.rels": _relationships(PACKAGE_RELS),
        "docProps/app.xml": app_part(),
        "docProps/core.xml": _core("planbuilder"),
        "word/_rels/document.xml.rels": _relationships(DOCUMENT_RELS),
        "word/document.xml": _document(style),
        "word/fontTable.xml": font_table(style),
        "word/numbering.xml": numbering_part(),
        "word/settings.xml": settings_part(),
        "word/styles.xml": styles_part(style),
        "word/theme/theme1.xml": theme_part(style),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in ["[Content_Types].xml", *sorted(n for n in parts if n[0] != "[")]:
            info = zipfile.ZipInfo(name, date_time=_FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, parts[name].encode("utf-8"))
    return out.getvalue()
