"""Act 380/2023 is cited by its official title (PB-ACT-TITLE), in Finnish and in Swedish."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from planbuilder.load import load_plan
from planbuilder.rules import check

Writer = Callable[..., Path]


def _findings(write_plan: Writer, fi: str, sv: str) -> list[str]:
    folder = write_plan(replace=("  budget_year: 2025\n", "  budget_year: 2025\n"
                                 f"  introduction: {{fi: '{fi}', sv: '{sv}'}}\n"))
    return [f.format() for f in check(load_plan(folder)) if f.rule == "PB-ACT-TITLE"]


@pytest.mark.parametrize(("fi", "sv", "expected"), [
    # the official titles, cited every way the documents cite them: nothing to say
    ("Työvoimapalveluiden järjestämisestä annetun lain (380/2023) mukaan palvelut siirtyvät.",
     "Enligt lagen om ordnande av arbetskraftsservice (380/2023) övergår servicen.", []),
    ("Laki työvoimapalveluiden järjestämisestä tuli voimaan 1.1.2025.",
     "Lag om ordnande av arbetskraftsservice trädde i kraft.", []),
    # the act's own words elsewhere ("suunnitelma työvoimapalvelujen järjestämiseksi") are
    # not its title
    ("Suunnitelma työvoimapalvelujen järjestämiseksi ja järjestämisvastuu.",
     "En plan för hur arbetskraftsservicen ordnas.", []),
    ("Lain työvoimapalvelujen järjestämisestä (380/2023) mukaan palvelut siirtyvät.",
     "Enligt lagen om ordnande av arbetskraftsservice övergår servicen.",
     ["plan/plan.yaml:9:18: warning PB-ACT-TITLE: act 380/2023 is cited as "
      "\"työvoimapalvelujen järjestämisestä\": its official title says "
      "\"työvoimapalveluiden järjestämisestä\""]),
    ("Työvoimapalvelujen järjestämisestä annetun lain mukaan.",
     "Enligt lagen om organisering av arbetskraftstjänster (380/2023).",
     ["plan/plan.yaml:9:18: warning PB-ACT-TITLE: act 380/2023 is cited as "
      "\"Työvoimapalvelujen järjestämisestä\": its official title says "
      "\"työvoimapalveluiden järjestämisestä\"",
      "plan/plan.yaml:9:81: warning PB-ACT-TITLE: act 380/2023 is cited as "
      "\"om organisering av arbetskraftstjänster\": its official title says "
      "\"om ordnande av arbetskraftsservice\""]),
])
def test_the_act_is_cited_by_its_official_title(write_plan: Writer, fi: str, sv: str,
                                                 expected: list[str]) -> None:
    assert _findings(write_plan, fi, sv) == expected


@pytest.mark.parametrize("area", ["porvoo", "kuopio", "jarvilaakso", "espoo-kauniainen"])
def test_the_examples_cite_the_act_by_its_title(area: str) -> None:
    plan = load_plan(Path(__file__).resolve().parent.parent / "plans" / area)
    assert [f.format() for f in check(plan) if f.rule == "PB-ACT-TITLE"] == []
