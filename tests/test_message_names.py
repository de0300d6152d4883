"""Messages name a municipality as the reader knows it, in the reader's language, not by the
plan's id, and count list positions from 1."""

from __future__ import annotations

from pathlib import Path

import pytest

from planbuilder.findings import Finding, shown_path, with_names
from planbuilder.messages import Msg, Named, msg
from planbuilder.pipeline import validate

ROOT = Path(__file__).resolve().parent.parent
NAMES = {"porvoo": Named("Porvoo", "Borgå", "Porvoo"),
         "lapinjarvi": Named("Lapinjärvi", "Lappträsk", "Lapinjärvi")}


@pytest.mark.parametrize(("lang", "expected"), [
    ("fi", "TEM:lle toimittamisen määräaikaa ei voi vielä laskea: sopimuksen hyväksymistä "
           "odotetaan jäsenkunnilta Porvoo, Lapinjärvi; kirjaa kukin hyväksyminen kohtaan "
           "agreement.approvals ({member: …, date: …, body: …}), jolloin määräaika lasketaan"),
    ("sv", "tidsfristen för ANM kan inte räknas ut ännu: avtalet har ännu inte godkänts av "
           "Borgå, Lappträsk; anteckna varje godkännande under agreement.approvals ({member: "
           "…, date: …, body: …}), så räknas tidsfristen ut"),
    ("en", "TEM deadline not yet computable: awaiting approval by Porvoo, Lapinjärvi; record "
           "each approval under agreement.approvals ({member: …, date: …, body: …}) and the "
           "deadline is computed"),
])
def test_members_are_named_in_the_readers_language(lang: str, expected: str) -> None:
    finding = Finding("L380-15-1", "info", msg("rules.L380-15-1.awaiting",
                                                members=["porvoo", "lapinjarvi"]))
    assert with_names([finding], NAMES)[0].text(lang) == expected


def test_a_message_about_an_unknown_id_keeps_the_ids() -> None:
    finding = Finding("PB-REF", "error", msg("rules.PB-REF.host_not_member", host="borga",
                                             members=["porvoo", "lapinjarvi"]))
    assert with_names([finding], NAMES)[0].text("sv") == finding.text("sv")
    assert "porvoo, lapinjarvi" in finding.text("en")


def test_a_name_survives_the_build_cache() -> None:
    message = with_names([Finding("X", "info", msg("rules.L380-15-1.awaiting",
                                                   members=["porvoo"]))], NAMES)[0].message
    again = Msg.from_data(message.as_data())
    assert again == message and "godkänts av Borgå;" in again.text("sv")


def test_validate_names_the_members(tmp_path: Path) -> None:
    plan = ROOT / "plans" / "porvoo"
    v = validate(plan)
    awaiting = [f for f in v.findings if f.rule == "L380-15-1"]
    assert awaiting and "Borgå" in awaiting[0].text("sv") and "porvoo" not in \
        awaiting[0].text("sv")


@pytest.mark.parametrize(("path", "shown"), [
    (("agreement", "clauses", 17, "text"), "agreement.clauses[18].text"),
    (("members", 0), "members[1]"),
    (("area",), "area"),
])
def test_positions_count_from_one(path: tuple[str | int, ...], shown: str) -> None:
    assert shown_path(path) == shown


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", "'agreement.clauses[18]' needs the key 'id'"),
    ("fi", "'agreement.clauses[18]'"),
    ("sv", "'agreement.clauses[18]'"),
])
def test_a_missing_key_counts_the_clause_from_one(tmp_path: Path, lang: str,
                                                  expected: str) -> None:
    import shutil

    from planbuilder.errors import PlanLoadError
    from planbuilder.load import load_plan

    plan = tmp_path / "porvoo"
    shutil.copytree(ROOT / "plans" / "porvoo", plan)
    agreement = plan / "agreement.yaml"
    lines = agreement.read_text(encoding="utf-8").splitlines(keepends=True)
    ids = [i for i, line in enumerate(lines) if line.startswith("    - id: ")]
    assert len(ids) >= 18
    lines[ids[17]] = lines[ids[17]].replace("- id: ", "- idx: ")
    agreement.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(PlanLoadError) as info:
        load_plan(plan)
    missing = [f for f in info.value.findings if f.rule == "SCHEMA-MISSING"]
    assert missing and expected in missing[0].text(lang)
