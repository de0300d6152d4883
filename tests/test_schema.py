"""plan.schema.json is what an editor checks a plan file against (issue 14): an independent
JSON-schema validator accepts every example plan file, split or whole, with plain-string or
{fi, sv} texts, and points at a misspelt key."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
PLAN_FILES = [*sorted((ROOT / "plans").glob("*/*.yaml")), FIXTURES / "minimal" / "plan.yaml",
              FIXTURES / "money.yaml", FIXTURES / "agreement.yaml"]


def _as_json(value: Any) -> Any:
    """YAML as an editor's language server sees it: dates are strings."""
    if isinstance(value, dict):
        return {str(k): _as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_json(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    schema = json.loads((ROOT / "plan.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


@pytest.mark.parametrize("path", PLAN_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_plan_file_is_accepted(validator: Draft202012Validator, path: Path) -> None:
    data = _as_json(yaml.safe_load(path.read_text(encoding="utf-8")))
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
              for e in validator.iter_errors(data)]
    assert errors == []


def test_a_misspelt_key_is_flagged_where_it_is(validator: Draft202012Validator) -> None:
    data = _as_json(yaml.safe_load((ROOT / "plans" / "porvoo" / "area.yaml")
                                   .read_text(encoding="utf-8")))
    data["area"]["effective_from"] = "2025-01-01"
    data["area"]["name"] = "Porvoon työllisyysalue"  # a plain string is fine
    (error,) = validator.iter_errors(data)
    assert list(error.absolute_path) == ["area"]
    assert "'effective_from' was unexpected" in error.message


def test_a_text_is_a_string_or_fi_and_sv(validator: Draft202012Validator) -> None:
    base = {"area": {"name": "x", "host": "a", "joint_body": {"name": "y"},
                     "budget_year": 2025, "date": "2024-05-31"}}
    assert list(validator.iter_errors(base)) == []
    base["area"]["name"] = {"fi": "x", "sv": "y"}
    assert list(validator.iter_errors(base)) == []
    base["area"]["name"] = {"se": "y"}
    assert list(validator.iter_errors(base))


def test_the_format_reference_is_current() -> None:
    from planbuilder.compose.reference import format_reference

    committed = (ROOT / "docs" / "format.md").read_text(encoding="utf-8")
    assert committed == format_reference(), \
        "run: planbuilder --lang en schema --format markdown --output docs/format.md"
    # every model of the format has its section, every statistic its labels
    for heading in ("## Plan", "## Area", "## Member", "## Statistic", "## Decision",
                    "## MemberDecision", "## Acknowledgement", "## Statistics"):
        assert f"\n{heading}\n" in committed, heading
    assert "| `population_18_64` | 18–64-vuotiaat |" in committed
    from planbuilder.model import STATISTIC_DEFINITIONS, STATISTIC_NAMES

    assert set(STATISTIC_DEFINITIONS) == set(STATISTIC_NAMES)  # every statistic defined
    assert "the figure of 380/2023 12 § 2 mom. for the 20 000 test" in committed
    assert "| `appeal` | one of `kunnallisvalitus`, `oikaisuvaatimus` | default " \
        "`kunnallisvalitus` |" in committed


def test_the_finnish_format_reference_is_current() -> None:
    from planbuilder.compose.reference import format_reference

    committed = (ROOT / "docs" / "format.fi.md").read_text(encoding="utf-8")
    assert committed == format_reference("fi"), \
        "run: planbuilder --lang fi schema --format markdown --output docs/format.fi.md"
    for heading in ("# Suunnitelman tiedostomuoto", "## Plan", "## Area", "## Tilastot",
                    "## Mitä planbuilder kirjoittaa puolestasi"):
        assert f"{heading}\n" in committed, heading
    assert "| avain | tyyppi | | merkitys |" in committed
    assert "| `appeal` | jokin arvoista `kunnallisvalitus`, `oikaisuvaatimus` | oletus " \
        "`kunnallisvalitus` |" in committed
    assert "| `population_18_64` | 18–64-vuotiaat | 18–64-åringar |" in committed
    # the model's English never shows through
    assert "The built-in names" not in committed and "Short stable id" not in committed


def test_every_key_has_a_finnish_meaning_and_none_is_left_over() -> None:
    """templates/i18n/format/fi.yaml explains every model and key the reference lists, and
    keeps no key of a field that is gone (it would never be shown, and mislead)."""
    from planbuilder.compose.reference import load_meanings, meaning_keys

    wanted, given = meaning_keys(), load_meanings("fi")
    assert sorted(k for k in wanted if not given.get(k, "").strip()) == [], \
        "add their Finnish meaning to templates/i18n/format/fi.yaml"
    assert sorted(set(given) - set(wanted)) == [], \
        "remove from templates/i18n/format/fi.yaml: no such model or field"
    assert any(k.startswith("statistic_definition.") for k in wanted)


@pytest.mark.parametrize("lang", ["en", "fi", "sv"])
def test_every_field_has_its_meaning_in_each_catalogue(lang: str) -> None:
    """The model declares each field once; what it means is in templates/i18n/format/
    {en,fi,sv}.yaml alone: every field of every model has a meaning in all three, no
    catalogue keeps a key of a field that is gone, and the model itself describes none."""
    from planbuilder.compose.reference import english_keys, load_meanings, meaning_keys, models

    given = load_meanings(lang)
    fields = [f"{m.__name__}.{name}" for m in models() for name in m.model_fields]
    assert [k for k in fields if not given.get(k, "").strip()] == []
    wanted = english_keys() if lang == "en" else meaning_keys()
    assert sorted(set(given) - set(wanted)) == []
    described = [f"{m.__name__}.{name}" for m in models()
                 for name, field in m.model_fields.items() if field.description]
    assert described == [], "move these descriptions to templates/i18n/format/en.yaml"


def test_a_missing_finnish_meaning_fails_naming_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from planbuilder.compose import reference
    from planbuilder.errors import TemplateError

    meanings = dict(reference.load_meanings("fi"))
    del meanings["Area.budget_year"]
    meanings["Decision.matter"] = " "
    monkeypatch.setattr(reference, "load_meanings", lambda lang, folder=None: meanings)
    with pytest.raises(TemplateError, match=r"Area\.budget_year, Decision\.matter"):
        reference.format_reference("fi")


def test_a_language_without_meanings_is_an_error_not_english() -> None:
    from planbuilder.compose.reference import format_reference
    from planbuilder.errors import TemplateError

    with pytest.raises(TemplateError, match="'de'"):  # no templates/i18n/format/de.yaml
        format_reference("de")


def test_the_reference_explains_every_key() -> None:
    """Every key of every part of the plan format says what it means (issue 14): in the
    English catalogue templates/i18n/format/en.yaml, so docs/format.md answers it."""
    from pydantic import BaseModel

    from planbuilder.compose.reference import field_meaning
    from planbuilder.model import Plan

    seen: list[type[BaseModel]] = [Plan]
    unexplained = []
    for model in seen:
        for name, field in model.model_fields.items():
            if not field_meaning(model, name):
                unexplained.append(f"{model.__name__}.{name}")
            for kind in _models_in(field.annotation):
                if kind not in seen:
                    seen.append(kind)
    assert len(seen) > 40 and unexplained == []


def _models_in(annotation: object) -> list[type]:
    from typing import get_args

    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for a in get_args(annotation) for m in _models_in(a)]


def test_the_finnish_reference_explains_each_allowed_value() -> None:
    """A preparer needs to know what `grants` or `takeover_right` means: the Finnish
    reference gives each allowed value the label the documents print, or its meaning."""
    text = (ROOT / "docs" / "format.fi.md").read_text(encoding="utf-8")
    assert "`grants` (Avustukset ja palvelut)" in text
    assert "`takeover_right` (otto-oikeus: vastuukunnan toimielimen oikeus ottaa asia " \
        "käsiteltäväkseen)" in text
    assert "`service_point` (palvelupiste)" in text
    assert "`deputy` (varajäsen)" in text


@pytest.mark.parametrize(("value", "loader_accepts"), [
    (52000, True), ("52000", True), (12.5, True), ("12.5", True),
    ("n. 52000", False), ("52 000", False), (-1, False), ("", False),
])
def test_a_statistic_s_value_is_a_number_as_the_loader_reads_it(
        validator: Draft202012Validator, value: object, loader_accepts: bool) -> None:
    """The editor accepts exactly the figures the loader accepts: a number, or a string
    that is one; 'n. 52000' is flagged in the editor, not only by validate."""
    from pydantic import ValidationError

    from planbuilder.model import Statistic

    try:
        Statistic.model_validate({"value": value})
        loaded = True
    except ValidationError:
        loaded = False
    assert loaded == loader_accepts
    data = {"members": [{"id": "a", "name": "A", "language": "fi", "membership": "committed",
                         "statistics": {"population": {"value": value}}}]}
    errors = [e for e in validator.iter_errors(data)
              if list(e.absolute_path)[-1:] == ["value"]]
    assert (errors == []) == loader_accepts, [e.message for e in errors]
