"""The plan format for people: docs/format.md (English) and docs/format.fi.md (Finnish),
generated from the model so they cannot drift (`planbuilder schema --format markdown`; a test
keeps the committed files current).

What each field means is in the catalogue `templates/i18n/format/<lang>.yaml`, keyed
`Model.field`, in English (en.yaml) as in Finnish and Swedish: the model declares each field
once and says nothing of its meaning. Finnish and Swedish also key `Model` (what the model's
docstring says in English) and `statistic_definition.<name>` (the built-in statistics, whose
English is model.STATISTIC_DEFINITIONS).
The generator's own words (headings, column names, type names) are in the message
catalogues under `format.`. A meaning a language lacks is an error, never English."""

from __future__ import annotations

import datetime as dt
import functools
import types
import typing
from collections.abc import Mapping
from decimal import Decimal
from functools import reduce
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

import yaml
from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from planbuilder.compose.templates import TemplateSet, Translations
from planbuilder.errors import TemplateError
from planbuilder.messages import UniqueKeyLoader, t
from planbuilder.model import (
    STATISTIC_DEFINITIONS,
    STATISTIC_NAMES,
    Plan,
    Text,
)

_SCALARS: dict[Any, str] = {str: "format.type.string", int: "format.type.whole_number",
                            bool: "format.type.boolean", Decimal: "format.type.number",
                            dt.date: "format.type.date"}


def _type(annotation: Any, seen: list[type[BaseModel]], lang: str = "en",
          labels: Mapping[str, str] | None = None) -> str:
    origin = get_origin(annotation)
    args = get_args(annotation)
    if annotation is Text:
        return t("format.type.text", lang)
    if origin is typing.Annotated:
        return _type(args[0], seen, lang, labels)
    if origin in (typing.Union, types.UnionType):
        inner = [_type(a, seen, lang, labels) for a in args if a is not type(None)]
        return reduce(lambda first, second: t("format.type.either", lang, first=first,
                                              second=second), inner)
    if origin is Literal:
        labels = labels or {}
        return t("format.type.one_of", lang, values=", ".join(
            f"`{a}`" + (f" ({labels[str(a)]})" if str(a) in labels else "") for a in args))
    if origin is list:
        return t("format.type.list", lang, item=_type(args[0], seen, lang, labels))
    if origin is dict:
        return t("format.type.mapping", lang, key_type=_type(args[0], seen, lang),
                 value_type=_type(args[1], seen, lang))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation not in seen:
            seen.append(annotation)
        return f"[{annotation.__name__}](#{annotation.__name__.lower()})"
    key = _SCALARS.get(annotation)
    return t(key, lang) if key else str(annotation)


def _default(field: Any, lang: str = "en") -> str:
    if field.is_required():
        return t("format.required", lang)
    value = field.default
    if value is PydanticUndefined or value is None or value == [] or value == {}:
        return t("format.optional", lang)
    if field.default_factory is not None:
        return t("format.optional", lang)
    return t("format.default", lang,
             value=str(value).lower() if isinstance(value, bool) else value)


def _model_doc(model: type[BaseModel]) -> str:
    """The model's docstring as one line; '' for a model without one of its own."""
    doc = " ".join((model.__doc__ or "").split())
    return "" if doc.startswith(("Usage docs", "!!!")) else doc


def models() -> list[type[BaseModel]]:
    """Every model the reference lists, in its order: the plan, then each model as a field
    first names it."""
    seen: list[type[BaseModel]] = [Plan]
    for model in seen:  # grows as it goes
        for field in model.model_fields.values():
            _type(field.annotation, seen)
    return seen


# Allowed values a reference in another language explains: by field, the section of the
# documents' translations (templates/i18n/<lang>.yaml) whose label the documents print for
# each value, or None where the meanings file explains each value (`Model.field.value`).
VALUE_LABELS: dict[str, str | None] = {
    "Area.status": "status", "Agreement.status": "status", "Member.language": "language",
    "Member.membership": "membership", "AreaException.ground": "exception_ground",
    "BudgetLine.kind": "line_kind", "StaffLine.origin": "origin", "Service.modes": "mode",
    "Office.kind": "office_kind", "Partner.kind": "partner_kind", "Measure.theme": "theme",
    "Clause.kind": None, "NamedMember.role": None, "NamedMember.gender": None,
}


def _values(annotation: Any) -> list[str]:
    """The allowed values of a field (inside lists and optionals)."""
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is Literal:
        return [str(a) for a in args]
    if origin in (typing.Annotated, list, typing.Union, types.UnionType):
        return [v for a in args for v in _values(a)]
    return []


def meaning_keys() -> list[str]:
    """The keys a language's meanings file must give: `Model` for every model with a
    docstring, `Model.field` for every field, `Model.field.value` for each value of the
    fields VALUE_LABELS leaves to it, `statistic_definition.<name>` for every built-in
    statistic."""
    out: list[str] = []
    for model in models():
        if _model_doc(model):
            out.append(model.__name__)
        for name, field in model.model_fields.items():
            out.append(f"{model.__name__}.{name}")
            if f"{model.__name__}.{name}" in VALUE_LABELS and \
                    VALUE_LABELS[f"{model.__name__}.{name}"] is None:
                out += [f"{model.__name__}.{name}.{v}" for v in _values(field.annotation)]
    return out + [f"statistic_definition.{name}" for name in STATISTIC_NAMES]


def _labels(model: type[BaseModel], name: str, lang: str, meaning: Mapping[str, str],
            words: Translations) -> dict[str, str]:
    """What each allowed value of a field means, for a reference not in English."""
    key = f"{model.__name__}.{name}"
    if lang == "en" or key not in VALUE_LABELS:
        return {}
    values = _values(model.model_fields[name].annotation)
    section = VALUE_LABELS[key]
    if section is None:
        return {v: meaning[f"{key}.{v}"] for v in values}
    return {v: words(f"{section}.{v}") for v in values}


def meanings_path(lang: str, folder: Path | None = None) -> Path:
    return TemplateSet.load(folder).folder / "i18n" / "format" / f"{lang}.yaml"


def load_meanings(lang: str, folder: Path | None = None) -> Mapping[str, str]:
    """A language's meanings, `templates/i18n/format/<lang>.yaml`, as read (not checked
    against the model: `_meanings` does that)."""
    path = meanings_path(lang, folder)
    if not path.is_file():
        raise TemplateError(t("format.error.no_file", path=path, language=lang))
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=UniqueKeyLoader)
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as exc:
        raise TemplateError(f"{path}: {exc}") from None
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise TemplateError(t("format.error.not_texts", path=path))
    return {str(k): v for k, v in data.items()}


# The two keys of a text ({fi, sv}), explained in the editors' schema only (the reference
# explains a text in its type column).
TEXT_KEYS = ("Text.fi", "Text.sv")


def english_keys() -> list[str]:
    """The keys the English catalogue must give: `Model.field` for every field, and the two
    of a text."""
    return [f"{model.__name__}.{name}" for model in models() for name in model.model_fields] \
        + list(TEXT_KEYS)


@functools.cache
def _english() -> Mapping[str, str]:
    return load_meanings("en")


def field_meaning(model: type[BaseModel], name: str) -> str:
    """What a key means, in English (templates/i18n/format/en.yaml); '' if it is not said."""
    return _english().get(f"{model.__name__}.{name}", "")


def _meanings(lang: str) -> Mapping[str, str]:
    """Every meaning in a language, by its key, from its catalogue, which must give every key
    (a missing one is named, never another language's); English takes the models' own
    descriptions from their docstrings and the built-in statistics' from the model."""
    if lang == "en":
        given = load_meanings(lang)
        wanted = english_keys()
        out: dict[str, str] = {model.__name__: doc for model in models()
                               if (doc := _model_doc(model))}
        out.update((f"statistic_definition.{name}", STATISTIC_DEFINITIONS[name])
                   for name in STATISTIC_NAMES)
    else:
        given = load_meanings(lang)
        wanted = meaning_keys()
        out = {}
    missing = [key for key in wanted if not given.get(key, "").strip()]
    if missing:
        raise TemplateError(t("format.error.missing", path=meanings_path(lang), language=lang,
                              keys=missing))
    return {**out, **given}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def format_reference(lang: str = "en") -> str:
    """The plan format reference in Markdown, in a language: "en" from the model (docs/
    format.md), "fi" from templates/i18n/format/fi.yaml (docs/format.fi.md). A language
    without a meanings file, or a meaning it lacks, is a TemplateError naming it."""
    meaning = _meanings(lang)
    translations = TemplateSet.load().translations
    fi, sv = translations["fi"], translations["sv"]
    out = ["# " + t("format.title", lang), "", t("format.intro", lang), ""]
    columns = f"| {t('format.column.key', lang)} | {t('format.column.type', lang)} | " \
              f"| {t('format.column.meaning', lang)} |"
    seen: list[type[BaseModel]] = [Plan]
    i = 0
    while i < len(seen):
        model = seen[i]
        i += 1
        out += [f"## {model.__name__}", ""]
        if _model_doc(model):
            out += [meaning[model.__name__], ""]
        out += [columns, "|---|---|---|---|"]
        for name, field in model.model_fields.items():
            labels = _labels(model, name, lang, meaning, sv if lang == "sv" else fi)
            out.append(f"| `{name}` | {_type(field.annotation, seen, lang, labels)} "
                       f"| {_default(field, lang)} "
                       f"| {_cell(meaning[f'{model.__name__}.{name}'])} |")
        out.append("")
    out += ["## " + t("format.statistics.title", lang), "",
            t("format.statistics.intro", lang), "",
            "```yaml",
            "statistics:",
            "  - id: pitkaaikaistyottomat",
            "    label: {fi: Pitkäaikaistyöttömät, sv: Långtidsarbetslösa}",
            "    unit: {fi: henkilöä, sv: personer}",
            "    definition: {fi: Vähintään 12 kuukautta yhtäjaksoisesti työttömänä olleet., "
            "sv: Arbetslösa i minst 12 månader utan avbrott.}",
            "    source: Työnvälitystilasto",
            "```", "",
            f"| {t('format.statistics.column.name', lang)} "
            f"| {t('format.statistics.column.finnish', lang)} "
            f"| {t('format.statistics.column.swedish', lang)} "
            f"| {t('format.column.meaning', lang)} |", "|---|---|---|---|"]
    out += [f"| `{name}` | {fi(f'statistic.{name}')} | {sv(f'statistic.{name}')} "
            f"| {_cell(meaning[f'statistic_definition.{name}'])} |" for name in STATISTIC_NAMES]
    out += ["", "## " + t("format.generated.title", lang), "",
            t("format.generated.intro", lang), ""]
    for what in GENERATED:
        part = t(f"format.generated.{what}.what", lang)
        out.append(f"- **{part}**: " + t(f"format.generated.{what}.how", lang))
    return "\n".join(out).rstrip() + "\n"


# What planbuilder writes for you, in this order: each is `format.generated.<id>.what` (the
# document and part) and `.how` (what is written) in the message catalogues.
GENERATED: tuple[str, ...] = (
    "agreement_parties", "agreement_composition", "agreement_leading_official",
    "agreement_finances", "agreement_validity", "agreement_signatures", "plan_introduction",
    "plan_sections", "plan_money", "plan_appendix", "decision_proposal",
)


def described_languages() -> list[str]:
    """The languages whose field meanings exist (templates/i18n/format/<lang>.yaml), English
    first."""
    folder = TemplateSet.load().folder / "i18n" / "format"
    found = sorted(p.stem for p in folder.glob("*.yaml"))
    return ["en", *(x for x in found if x != "en")] if "en" in found else found


def schema_language(lang: str) -> str:
    """The language the schema's descriptions are given in for a reader of `lang`: its own
    when its meanings exist, else Finnish (the plan format's words are the Finnish
    statutes'; a Swedish reader in Finland reads them), else English."""
    available = described_languages()
    if lang in available:
        return lang
    return "fi" if "fi" in available else "en"


def plan_schema_in(lang: str) -> dict[str, Any]:
    """The editors' JSON schema with every model's and key's description in a language
    (`planbuilder schema --lang fi`): the same meanings as docs/format.<lang>.md."""
    from planbuilder.model import plan_schema

    schema = plan_schema()
    meanings = _meanings(lang)
    known = {m.__name__: m for m in models()}
    for holder in (schema, *schema["$defs"].values()):
        name = "Plan" if holder is schema else holder.get("title", "")
        if name not in known:
            continue
        if holder is not schema and lang != "en" and meanings.get(name):
            holder["description"] = meanings[name]  # English: the docstring, as pydantic has it
        for key, prop in holder.get("properties", {}).items():
            meaning = meanings.get(f"{name}.{key}")
            if meaning:
                prop["description"] = meaning
    if "Text" in schema["$defs"]:
        text = schema["$defs"]["Text"]
        if meanings.get("Text"):
            text["description"] = meanings["Text"]
        for option in text.get("anyOf", []):
            for key, prop in option.get("properties", {}).items():
                if meanings.get(f"Text.{key}"):
                    prop["description"] = meanings[f"Text.{key}"]
    return schema
