"""`planbuilder import agreement`: a cooperation agreement written in Word becomes the plan's
agreement and its agreement in force.

The document's clauses are found from their headings ("1 §", "§ 1", a Word heading style, or
a numbered paragraph), each clause's kind from its heading (the customary headings in
`data/clause_headings.yaml`), its text as Markdown (lists, bold and italic, tables as pipe
tables). Nothing is dropped silently: every paragraph is imported or reported with its
paragraph number. Text the plan writes itself from its data (the parties list, the seats
table, the cost-sharing tables, the validity sentence, the signature table) is recognised by
building the plan's own agreement without its clause texts and comparing, so a document
planbuilder made imports back to the clauses it was made from. Pure until `write_import`:
`import_agreement` returns what would be written and what was found."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from planbuilder.data import SafeLoader, read_data
from planbuilder.load.docxread import Item, plain, read_items
from planbuilder.messages import Msg, msg
from planbuilder.model import GENERATED_CLAUSES, ID_PATTERN, Lang, Plan

Certainty = Literal["sure", "likely", "uncertain", "unknown"]
_SECTION = re.compile(r"^(?:(\d{1,3})\s*§|§\s*(\d{1,3}))\.?\s*(.*)$")
_NUMBERED = re.compile(r"^(\d{1,3})[.)]\s+(\S.*)$")
_DATE = re.compile(r"\b(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})\b")
_DATE_LABELS = ("päivämäärä", "päiväys", "pvm", "datum", "date")
_CAPTION_NUMBER = re.compile(r"^\S+ \d+\.\s*")
_MAX_HEADING = 150


@dataclass(frozen=True)
class Recognised:
    kind: str
    certainty: Certainty
    word: str = ""  # the customary heading or word it was recognised from
    other: str = ""  # another kind the heading also fits (certainty uncertain)


def _vocabulary() -> dict[str, Any]:
    return read_data("clause_headings.yaml")


def _folded(text: str) -> str:
    return plain(text).casefold().strip(" .:")


def recognise(title: str, lang: Lang) -> Recognised:
    """The clause kind a heading names, and how surely."""
    folded = _folded(title)
    vocabulary = _vocabulary()
    for kind, words in vocabulary.items():
        if any(_folded(h) == folded for h in words["headings"][lang]):
            return Recognised(kind, "sure", title)
    hits: list[tuple[int, int, str, str]] = []  # (position, -length, kind, stem)
    for kind, words in vocabulary.items():
        for stem in words["words"][lang]:
            m = re.search(r"(?:^|[\s(/-])" + re.escape(stem.casefold()), folded)
            if m:
                hits.append((m.start(), -len(stem), kind, stem))
    if not hits:
        return Recognised("other", "unknown")
    hits.sort()
    kinds = list(dict.fromkeys(h[2] for h in hits))
    if len(kinds) == 1:
        return Recognised(kinds[0], "likely", hits[0][3])
    return Recognised(kinds[0], "uncertain", hits[0][3], kinds[1])


@dataclass
class ReadClause:
    number: int
    place: int
    title: str
    recognised: Recognised
    items: list[Item] = field(default_factory=list)
    text: str = ""  # Markdown of the imported items
    generated: list[Item] = field(default_factory=list)  # the plan's own text, not imported


@dataclass
class ReadAgreement:
    lang: Lang
    title: str | None
    title_place: int
    date: dt.date | None
    clauses: list[ReadClause]
    front: list[Item]  # before the first clause, not imported (the title excepted)
    toc: list[Item]
    empty: int


def _date(text: str) -> dt.date | None:
    for d, m, y in _DATE.findall(text):
        try:
            return dt.date(int(y), int(m), int(d))
        except ValueError:
            continue
    return None


def _heading_of(item: Item, top: int) -> tuple[int | None, str] | None:
    """(number or None, title) when the item begins a clause."""
    if item.kind != "paragraph" or not item.text or item.toc or item.title \
            or len(item.text) > _MAX_HEADING:
        return None
    m = _SECTION.match(item.text)
    if m:
        return int(m[1] or m[2]), m[3].strip()
    if "§" in item.number_format and item.list_level == 0:
        return None, item.text
    if top and item.heading == top:
        m = _NUMBERED.match(item.text)
        return (int(m[1]), m[2].strip()) if m else (None, item.text)
    return None


def _numbered_heading(item: Item, lang: Lang) -> tuple[int | None, str] | None:
    """A clause written as a numbered paragraph: a short first-level numbered line that is
    bold or names a customary clause, without a sentence's end."""
    if item.kind != "paragraph" or not item.text or item.toc or item.title \
            or len(item.text) > 100 or item.text.endswith((".", ":", ";", ",")):
        return None
    m = _NUMBERED.match(item.text)
    auto = item.list_level == 0 and item.ordered
    if not (auto or m):
        return None
    title = m[2].strip() if m and not auto else item.text
    if item.bold or recognise(title, lang).certainty in ("sure", "likely"):
        return (int(m[1]) if m and not auto else None), title
    return None


def _blocks(items: Sequence[Item]) -> str:
    """The clause's items as Markdown: paragraphs, lists (consecutive list items), tables."""
    blocks: list[str] = []
    lines: list[str] = []
    counters: dict[int, int] = {}
    base = 0  # a list's first level: its items at the margin however Word indented them
    for k, item in enumerate(items):
        if item.list_level >= 0 and item.kind == "paragraph" and not item.heading:
            if not lines:
                group = []
                for nxt in items[k:]:
                    if nxt.list_level < 0 or nxt.kind != "paragraph" or nxt.heading:
                        break
                    group.append(nxt.list_level)
                base = min(group)
            level = max(item.list_level - base, 0)
            counters = {k: v for k, v in counters.items() if k <= level}
            counters[level] = counters.get(level, 0) + 1
            marker = f"{counters[level]}." if item.ordered else "-"
            lines.append(("   " if item.ordered else "  ") * level + f"{marker} {item.markdown}")
            continue
        if lines:
            blocks.append("\n".join(lines))
            lines, counters = [], {}
        if item.kind == "table":
            blocks.append(item.markdown)
        elif item.heading:
            blocks.append(f"**{item.markdown}**")
        else:
            blocks.append(item.markdown)
    if lines:
        blocks.append("\n".join(lines))
    return "\n\n".join(b for b in blocks if b)


def _same_generated(item: Item, generated: Sequence[Item]) -> bool:
    if item.kind == "table":
        return any(g.kind == "table" and g.rows == item.rows for g in generated)
    text = plain(item.text)
    for g in generated:
        if g.kind != "paragraph":
            continue
        if plain(g.text) == text:
            return True
        if item.caption and g.caption and _CAPTION_NUMBER.sub("", plain(g.text)) == \
                _CAPTION_NUMBER.sub("", text):
            return True
    return False


def read_agreement(items: Sequence[Item], lang: Lang,
                   generated: dict[str, list[Item]] | None = None) -> ReadAgreement:
    """The clauses of a document's items. `generated`: by clause kind, the items the plan
    writes itself into a clause of that kind (not imported as the clause's text)."""
    styled = [i.heading for i in items if i.heading and not i.toc and not i.title
              and i.kind == "paragraph" and i.text]
    top = min(styled) if styled else 0
    heads: dict[int, tuple[int | None, str]] = {}
    for k, item in enumerate(items):
        found = _heading_of(item, top)
        if found is not None:
            heads[k] = found
    if not heads:
        for k, item in enumerate(items):
            found = _numbered_heading(item, lang)
            if found is not None:
                heads[k] = found
    clauses: list[ReadClause] = []
    front: list[Item] = []
    toc: list[Item] = []
    empty = 0
    title: Item | None = None
    skip: set[int] = set()
    for k, item in enumerate(items):
        if k in skip:
            continue
        if k in heads:
            number, heading = heads[k]
            if not heading:  # "1 §" on its own line, the title on the next
                nxt = next((j for j in range(k + 1, len(items)) if items[j].text), None)
                if nxt is not None and nxt not in heads and items[nxt].kind == "paragraph" \
                        and len(items[nxt].text) <= _MAX_HEADING:
                    heading = items[nxt].text
                    skip.add(nxt)
            previous = clauses[-1].number if clauses else 0
            clauses.append(ReadClause(number if number is not None else previous + 1,
                                      item.place, heading, recognise(heading, lang)))
            continue
        if item.kind == "paragraph" and not item.text:
            empty += 1
        elif item.toc:
            toc.append(item)
        elif not clauses:
            if title is None and item.title:
                title = item
            else:
                front.append(item)
        else:
            clauses[-1].items.append(item)
    if title is None:  # no Title style: the first paragraph before the clauses
        first = next((i for i in front if i.kind == "paragraph"), None)
        if first is not None:
            title = first
            front.remove(first)
    for clause in clauses:
        own = (generated or {}).get(clause.recognised.kind) \
            if clause.recognised.kind in GENERATED_CLAUSES else None
        if own:
            clause.generated = [i for i in clause.items if _same_generated(i, own)]
            clause.items = [i for i in clause.items if i not in clause.generated]
        clause.text = _blocks(clause.items)
    return ReadAgreement(lang, title.text if title else None, title.place if title else 0,
                         _front_date(front) or _signature_date(clauses), clauses, front, toc,
                         empty)


def _front_date(front: Sequence[Item]) -> dt.date | None:
    for item in front:
        for row in item.rows:
            if len(row) >= 2 and _folded(row[0]).startswith(_DATE_LABELS):
                found = _date(row[1])
                if found:
                    return found
        if item.kind == "paragraph" and _folded(item.text).startswith(_DATE_LABELS):
            found = _date(item.text)
            if found:
                return found
    return next((d for i in front if i.kind == "paragraph" and (d := _date(i.text))), None)


def _signature_date(clauses: Sequence[ReadClause]) -> dt.date | None:
    dates = [d for c in clauses if c.recognised.kind == "signatures"
             for i in (*c.items, *c.generated) for d in [_date(i.text)] if d]
    return max(dates) if dates else None


# --- what the text states: validity, parties, the cost-sharing model -----------------------

_MONTH_WORDS = {
    "yksi": 1, "kaksi": 2, "kolme": 3, "neljä": 4, "viisi": 5, "kuusi": 6, "seitsemän": 7,
    "kahdeksan": 8, "yhdeksän": 9, "kymmenen": 10, "yksitoista": 11, "kaksitoista": 12,
    "kahdeksantoista": 18, "kaksikymmentäneljä": 24,
    "en": 1, "ett": 1, "två": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6, "sju": 7,
    "åtta": 8, "nio": 9, "tio": 10, "elva": 11, "tolv": 12, "arton": 18, "tjugofyra": 24,
}
_NUMBER = r"(\d{1,2}|" + "|".join(sorted(_MONTH_WORDS, key=len, reverse=True)) + \
    r")(?:\s*\(\d{1,2}\))?"
_D = r"(\d{1,2}\.\s?\d{1,2}\.\s?\d{4})"
_START = {"fi": re.compile(r"voimaan\s+" + _D, re.I),
          "sv": re.compile(r"(?:träder|trätt)\s+i\s+kraft\s+(?:den\s+)?" + _D, re.I)}
_NOTICE = {"fi": re.compile(r"irtisanomisaika\s+on\s+" + _NUMBER + r"\s+kuukau", re.I),
           "sv": re.compile(r"uppsägningstid(?:en)?\s+är\s+" + _NUMBER + r"\s+månad", re.I)}
_EARLIEST = {"fi": re.compile(r"aikaisintaan\s+" + _D, re.I),
             "sv": re.compile(r"tidigast\s+(?:den\s+)?" + _D, re.I)}


def _months(word: str) -> int:
    return int(word) if word.isdigit() else _MONTH_WORDS[word.casefold()]


def stated_validity(text: str, lang: Lang) -> dict[str, Any]:
    """Start, notice period in months and earliest termination, where the text says them."""
    out: dict[str, Any] = {}
    if m := _START[lang].search(text):
        out["start"] = _date(m[1])
    if m := _NOTICE[lang].search(text):
        out["notice_months"] = _months(m[1])
    if m := _EARLIEST[lang].search(text):
        out["earliest_termination"] = _date(m[1])
    return {k: v for k, v in out.items() if v is not None}


def _full_text(clause: ReadClause) -> str:
    return " ".join(i.text for i in sorted((*clause.items, *clause.generated),
                                           key=lambda i: i.place))


def named_parties(read: ReadAgreement, plan: Plan | None,
                  names: Iterable[tuple[str, str]] = ()) -> list[str]:
    """The municipalities the parties (or signatures) clause names: plan members by id
    first, then other municipalities of the classification (`names`: (code, name))."""
    clauses = [c for c in read.clauses if c.recognised.kind == "parties"] or \
        [c for c in read.clauses if c.recognised.kind == "signatures"]
    text = " ".join(_full_text(c) for c in clauses)
    found: list[str] = []
    for m in plan.members if plan else []:
        words = [m.name.fi, m.name.sv or "", *(
            (m.formal_name.fi, m.formal_name.sv or "") if m.formal_name else ())]
        if any(w and re.search(r"\b" + re.escape(w) + r"\b", text) for w in words):
            found.append(m.id)
    known = {n for m in (plan.members if plan else []) for n in (m.name.fi, m.name.sv)}
    for _code, name in names:
        if name not in known and re.search(r"\b" + re.escape(name) + r"\b", text):
            found.append(name)
    return found


def stated_model(read: ReadAgreement, plan: Plan | None) -> str | None:
    """The cost-sharing model the finances clause names, when it names exactly one."""
    if plan is None or plan.cost_sharing is None:
        return None
    text = plain(" ".join(_full_text(c) for c in read.clauses
                          if c.recognised.kind == "finances"))
    named = [m.id for m in plan.cost_sharing.models if plain(m.name.get(read.lang)) in text]
    if len(named) > 1:  # a model's name can also be a statistic's ("Asukasluku"): the
        # clause names its model first, quoted as the agreement writes it (”…”), before the
        # preparation costs' statistic
        quoted = {m.id: text.find(plain(f"”{m.name.get(read.lang)}”"))
                  for m in plan.cost_sharing.models}
        found = sorted((at, model) for model, at in quoted.items() if at >= 0)
        named = [found[0][1]] if found else named
    return named[0] if len(named) == 1 else None


# --- the plan's own text, to be recognised -------------------------------------------------

GeneratedReader = Callable[[Plan, Lang], dict[str, list[Item]] | None]


def generated_items(plan: Plan, lang: Lang) -> dict[str, list[Item]] | None:
    """By clause kind, the paragraphs and tables the plan writes itself into its agreement
    (its agreement built without the clause texts, read back); None when the plan cannot
    build an agreement."""
    from planbuilder.compose import compose_agreement
    from planbuilder.compose.templates import TemplateSet
    from planbuilder.errors import PlanbuilderError
    from planbuilder.money import compute
    from planbuilder.render.docx import render_docx
    from planbuilder.render.style import load_style

    if plan.agreement is None or lang not in plan.languages:
        return None
    bare = plan.model_copy(update={"agreement": plan.agreement.model_copy(update={
        "clauses": [c.model_copy(update={"text": None}) for c in plan.agreement.clauses]})})
    try:
        money = compute(bare) if bare.budget and bare.cost_sharing else None
        templates = TemplateSet.load()
        doc = compose_agreement(bare, lang, templates, money, plan.area.date)
        data = render_docx(doc, load_style(templates.folder))
    except (PlanbuilderError, ValueError, KeyError):
        return None
    read = read_agreement(read_items(data), lang)
    out: dict[str, list[Item]] = {}
    for clause, own in zip(read.clauses, bare.agreement.clauses if bare.agreement else [],
                           strict=False):
        out.setdefault(own.kind, []).extend(clause.items)
    return out


# --- the plan files ------------------------------------------------------------------------

@dataclass
class Imported:
    """What `import agreement` found and would write."""

    fi: ReadAgreement
    sv: ReadAgreement | None
    agreement: dict[str, Any]
    in_force: dict[str, Any]
    validity: dict[str, Any]  # what the text stated
    parties: list[str]
    unnamed: list[str]  # plan members the parties clause does not name
    model: str | None
    notes: list[Msg]
    missing: list[str]  # required agreement keys the document does not give


_ID = re.compile(ID_PATTERN)


def _clause_ids(titles: Sequence[str], kinds: Sequence[str], plan: Plan | None) -> list[str]:
    """Each clause keeps the id the plan's draft (or agreement in force) gives the clause of
    the same kind or title; otherwise an id from its title."""
    from planbuilder.compose.markdown import slug

    known = [*(plan.agreement.clauses if plan and plan.agreement else []),
             *(plan.agreement_in_force.clauses if plan and plan.agreement_in_force else [])]
    by_kind: dict[str, list[str]] = {}
    for c in known:
        if c.id not in by_kind.setdefault(c.kind, []):
            by_kind[c.kind].append(c.id)
    by_title = {_folded(c.title.fi): c.id for c in known}
    used: set[str] = set()
    out: list[str] = []
    for title, kind in zip(titles, kinds, strict=True):
        ident = by_title.get(_folded(title))
        if ident is None and kind != "other" and len(by_kind.get(kind, [])) == 1:
            ident = by_kind[kind][0]
        if ident is None or ident in used:
            base = slug(title)[:50].strip("-") or "clause"
            base = base if _ID.match(base) else f"c-{base}"
            ident, n = base, 2
            while ident in used:
                ident, n = f"{base}-{n}", n + 1
        used.add(ident)
        out.append(ident)
    return out


def _text(fi: str, sv: str | None) -> Any:
    return fi if sv is None else {"fi": fi, "sv": sv}


def import_agreement(fi_items: Sequence[Item], sv_items: Sequence[Item] | None,
                     plan: Plan | None, names: Iterable[tuple[str, str]] = (),
                     generated: GeneratedReader = generated_items) -> Imported:
    """The plan's agreement and agreement in force from the document(s)."""
    fi = read_agreement(fi_items, "fi", generated(plan, "fi") if plan else None)
    sv = read_agreement(sv_items, "sv", generated(plan, "sv") if plan else None) \
        if sv_items is not None else None
    notes: list[Msg] = []
    if sv is not None and len(sv.clauses) != len(fi.clauses):
        notes.append(msg("import.sv_count", fi=len(fi.clauses), sv=len(sv.clauses)))
    ids = _clause_ids([c.title for c in fi.clauses], [c.recognised.kind for c in fi.clauses],
                      plan)
    clauses: list[dict[str, Any]] = []
    for k, (ident, c) in enumerate(zip(ids, fi.clauses, strict=True)):
        other = sv.clauses[k] if sv is not None and k < len(sv.clauses) else None
        if other is not None and other.recognised.kind != c.recognised.kind \
                and "unknown" not in (other.recognised.certainty, c.recognised.certainty):
            notes.append(msg("import.sv_kind", number=c.number, fi=c.recognised.kind,
                             sv=other.recognised.kind))
        entry: dict[str, Any] = {"id": ident, "kind": c.recognised.kind,
                                 "title": _text(c.title, other.title if other else None)}
        if c.text or (other is not None and other.text):
            entry["text"] = _text(c.text, other.text if other is not None else None)
        clauses.append(entry)
    validity_clauses = [c for c in fi.clauses if c.recognised.kind == "validity"]
    stated = stated_validity(" ".join(_full_text(c) for c in validity_clauses)
                             or " ".join(i.text for c in fi.clauses for i in c.items), "fi")
    existing = plan.agreement if plan else None
    title = _text(fi.title or "", sv.title if sv else None)
    agreement: dict[str, Any] = {"title": title}
    missing: list[str] = []
    if existing is not None:
        agreement.update({"status": existing.status, "version": existing.version})
    else:
        agreement.update({"status": "draft", "version": "1"})
    if fi.date is not None:
        agreement["date"] = fi.date
    elif existing is not None:
        agreement["date"] = existing.date
    else:
        missing.append("date")
    for key in ("leading_official", "presenter"):
        if existing is not None:
            agreement[key] = getattr(existing, key).model_dump(exclude_none=True)
        else:
            missing.append(key)
    if existing is not None:
        agreement["seats"] = [s.model_dump(exclude_defaults=True) for s in existing.seats]
    else:
        missing.append("seats")
    validity = {**(existing.validity.model_dump(exclude_defaults=True) if existing else {}),
                **stated}
    if "start" in validity and "notice_months" in validity:
        agreement["validity"] = validity
    else:
        missing.append("validity")
    agreement["clauses"] = clauses
    if existing is not None and existing.approvals:
        agreement["approvals"] = [a.model_dump(exclude_none=True) for a in existing.approvals]
    if existing is not None and existing.special_reason is not None:
        agreement["special_reason"] = existing.special_reason.model_dump(exclude_none=True)
    model = stated_model(fi, plan)
    in_force: dict[str, Any] = {"title": title}
    if fi.date is not None:
        in_force["date"] = fi.date
    old = plan.agreement_in_force if plan else None
    in_force["decisions"] = [d.model_dump(exclude_none=True) for d in old.decisions] \
        if old else []
    if model is not None:
        in_force["model"] = model
    in_force["clauses"] = clauses
    parties = named_parties(fi, plan, names)
    unnamed = [m.id for m in plan.committed] if plan and parties else []
    return Imported(fi, sv, agreement, in_force, stated, parties,
                    [m for m in unnamed if m not in parties], model, notes, missing)


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    if "\n" in value and not any(line != line.rstrip() for line in value.split("\n")):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _str)


def yaml_block(key: str, value: Any, comment: str = "") -> str:
    """`key: value` as a top-level YAML block, readable (texts of several lines literal)."""
    body = yaml.dump({key: value}, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     width=100, default_flow_style=False)
    return (f"# {comment}\n" if comment else "") + body


def top_level_span(text: str, key: str) -> tuple[int, int] | None:
    """Where the top-level `key:` and its value are in a YAML file's text: from the key's
    line to the next top-level key's line (comments between them go with the value)."""
    root = yaml.compose(text, Loader=SafeLoader)
    if not isinstance(root, yaml.MappingNode):
        return None
    pairs = root.value
    for n, (k, _v) in enumerate(pairs):
        if isinstance(k, yaml.ScalarNode) and k.value == key:
            start = text.rfind("\n", 0, k.start_mark.index) + 1
            end = len(text) if n + 1 == len(pairs) else \
                text.rfind("\n", 0, pairs[n + 1][0].start_mark.index) + 1
            # comments just above the next key belong to it
            lines = text[start:end].split("\n")
            while len(lines) > 1 and lines[-2].startswith("#"):
                lines.pop(-2)
            return start, start + len("\n".join(lines))
    return None


def with_block(text: str, key: str, block: str) -> str:
    """The file's text with its top-level `key` replaced by `block` (or `block` appended)."""
    span = top_level_span(text, key)
    if span is None:
        sep = "" if not text or text.endswith("\n") else "\n"
        return text + sep + ("\n" if text else "") + block
    start, end = span
    head, tail = text[:start], text[end:]
    first = block.split("\n", 1)[0]
    if first.startswith("#") and head.endswith(first + "\n"):  # imported before: one comment
        head = head[:-len(first) - 1]
    return head + block + ("\n" if tail and not tail.startswith("\n") else "") + tail


def holder(folder: Path, files: Sequence[Path], key: str) -> Path | None:
    """The plan file that has the top-level `key`."""
    for f in files:
        try:
            if top_level_span(f.read_text(encoding="utf-8"), key) is not None:
                return f
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue
    return None


# --- what the preparer is shown ------------------------------------------------------------

def _short(text: str, limit: int = 70) -> str:
    text = plain(text)
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _item_msg(key: str, item: Item, **params: object) -> Msg:
    what = "import.place_table" if item.kind == "table" else "import.place_paragraph"
    return msg(key, place=msg(what, n=item.place), text=_short(item.text), **params)


def report(imported: Imported, files: dict[Lang, str]) -> list[Msg]:
    """Every clause with its recognised kind and how surely, and every paragraph that was
    not imported as a clause's text, with its place; then what the text stated."""
    out: list[Msg] = []
    for read in (imported.fi, imported.sv):
        if read is None:
            continue
        out.append(msg("import.document", file=files[read.lang], clauses=len(read.clauses)))
        if read.title is not None:
            out.append(msg("import.title", place=msg("import.place_paragraph",
                                                        n=read.title_place),
                           text=_short(read.title, 120)))
        else:
            out.append(msg("import.no_title"))
        for item in read.front:
            out.append(_item_msg("import.front", item))
        if read.toc:
            out.append(msg("import.toc", first=read.toc[0].place, last=read.toc[-1].place))
        for c in read.clauses:
            r = c.recognised
            how = msg(f"import.certainty.{r.certainty}", word=r.word, other=r.other)
            out.append(msg("import.clause", number=c.number, title=_short(c.title, 80),
                           kind=r.kind, how=how,
                           place=msg("import.place_paragraph", n=c.place)))
            out.extend(_item_msg("import.generated", item, number=c.number)
                       for item in c.generated)
        numbers = [c.number for c in read.clauses]
        if numbers != list(range(1, len(numbers) + 1)):
            out.append(msg("import.renumbered", numbers=", ".join(map(str, numbers))))
        if read.empty:
            out.append(msg("import.empty", count=read.empty))
    out.extend(imported.notes)
    v = imported.validity
    if v:
        out.append(msg("import.validity", start=str(v.get("start", "–")),
                       months=str(v.get("notice_months", "–")),
                       earliest=str(v.get("earliest_termination", "–"))))
    else:
        out.append(msg("import.no_validity"))
    if imported.parties:
        out.append(msg("import.parties", parties=", ".join(imported.parties)))
    if imported.unnamed:
        out.append(msg("import.unnamed", members=", ".join(imported.unnamed)))
    if imported.model is not None:
        out.append(msg("import.model", model=imported.model))
    out.extend(msg("import.missing", name=f"agreement.{key}") for key in imported.missing)
    out.append(msg("import.decisions"))
    return out


# --- writing -------------------------------------------------------------------------------

FILES = {"agreement": "agreement.yaml", "agreement_in_force": "agreement_in_force.yaml"}


class ImportRefused(Exception):
    """The plan already has what would be written (and no --force), or a file cannot be
    edited so that it reads back as intended."""

    def __init__(self, message: Msg):
        super().__init__(message.text("en"))
        self.message = message


def planned_files(folder: Path, files: Sequence[Path], imported: Imported, force: bool,
                  comment: str) -> dict[Path, bytes]:
    """The new content of each plan file the import writes: the top-level `agreement:` and
    `agreement_in_force:` replaced where a file has them (with `force`), else written to
    agreement.yaml and agreement_in_force.yaml; every other key keeps its bytes."""
    out: dict[Path, str] = {}
    values = {"agreement": imported.agreement, "agreement_in_force": imported.in_force}
    for key, value in values.items():
        where = holder(folder, files, key)
        if where is not None and not force:
            raise ImportRefused(msg("import.exists", file=str(where), name=key))
        target = where or folder / FILES[key]
        if target in out:
            text = out[target]
        elif target.exists():
            text = target.read_bytes().decode("utf-8").removeprefix("\ufeff")
        else:
            text = ""
        before = yaml.safe_load(text) if text.strip() else {}
        new = with_block(text, key, yaml_block(key, value, comment))
        after = yaml.safe_load(new)
        expected = {**(before or {}), key: yaml.safe_load(yaml_block(key, value))[key]}
        if after != expected:
            raise ImportRefused(msg("import.unwritable", file=str(target), name=key))
        out[target] = new
    return {path: text.encode("utf-8") for path, text in out.items()}


def write_files(contents: dict[Path, bytes]) -> None:
    """All files or none: new files are created, existing ones replaced together; when the
    replacing fails, the files just created are removed again."""
    import contextlib

    from planbuilder.render.output import replace_together, write_atomic

    created: list[Path] = []
    try:
        for path, data in contents.items():
            if not path.exists():
                write_atomic(path, data)
                created.append(path)
        replace_together({p: d for p, d in contents.items() if p not in created})
    except BaseException:
        for path in created:
            with contextlib.suppress(OSError):
                path.unlink()
        raise
