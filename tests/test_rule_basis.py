"""Every rule says what it stands on: a statute, quoted with its source, or a convention of
planbuilder, which is never labelled as law (issue 12)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from planbuilder.cli import main
from planbuilder.rules import all_rules
from planbuilder.rules.basis import BASIS, statutes
from planbuilder.rules.reference import rules_markdown

ROOT = Path(__file__).resolve().parent.parent


def test_no_rule_lacks_its_basis(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert {r["id"] for r in records} == {r.id for r in all_rules()}
    for r in records:
        assert r["kind"] in ("statute", "convention"), r["id"]
        if r["kind"] == "statute":
            assert r["basis"], r["id"]
            for quoted in r["basis"]:
                assert len(quoted["quote_fi"]) > 20 and quoted["source"].startswith("https://")
        else:
            assert r["basis"] == [] and r["citation"] == "", r["id"]  # never labelled as law


def test_every_cited_provision_is_quoted() -> None:
    known = statutes()
    for rule_id, provisions in BASIS.items():
        for provision in provisions:
            assert provision in known, (rule_id, provision)


def test_the_kl51_basis_is_the_current_wording(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-v", "rules"]) == 0
    out = capsys.readouterr().out
    kl51 = out[out.index("KL-51"):out.index("KL-52-1")]
    assert '410/2015 51 § 2 mom (Kuntalaki): "Kunnat voivat sopia, että muut kunnat valitsevat ' \
        'osan yhteisen toimielimen jäsenistä."' in kl51
    assert "Since 1.1.2017 (act 1484/2016)" in kl51
    assert "Basis: a convention of planbuilder, not a statute." in \
        out[out.index("PB-REF"):out.index("PB-STAT-SOURCE")]


def test_the_rules_reference_is_current() -> None:
    committed = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == rules_markdown(all_rules(), "en"), \
        "run: planbuilder --lang en rules --format markdown > docs/rules.md"
    assert "> **380/2023 15 § 4 mom 1 kohta** (Laki työvoimapalveluiden järjestämisestä): 1) " \
        "tässä laissa tarkoitettujen tehtävien hoitamiseen varattavat taloudelliset ja " \
        "henkilöstövoimavarat sekä niiden kohdentuminen;" in committed


def test_the_finnish_rules_reference_is_current() -> None:
    committed = (ROOT / "docs" / "rules.fi.md").read_text(encoding="utf-8")
    assert committed == rules_markdown(all_rules(), "fi"), \
        "run: planbuilder --lang fi rules --format markdown > docs/rules.fi.md"
    assert committed.startswith("# planbuilderin säännöt\n")
    assert "## PB-FILL — Jokainen teksti on kirjoitettu\n" in committed
    assert "Vakavuus: virhe. Lainkohta: 380/2023 15 § 4 mom. 3 k. Peruste: säädös." in committed


def test_the_corrected_provisions_are_quoted_in_finnish_and_swedish(
        capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 32: L383-4 quotes 383/2023 4 § 2 and 3 mom. (not 4 mom., enforcement despite
    appeal), PB-DECISION-APPEAL quotes hallintolaki 47 § (not kuntalaki 140 §, publication),
    PB-OFFICE quotes nothing (a reference check); in each reader's language."""
    assert main(["--lang", "fi", "-v", "rules"]) == 0
    out = capsys.readouterr().out
    permit = out[out.index("\nL383-4 "):out.index("\nL383-4-2 ")]
    assert "383/2023 4 § 2 mom (Laki työvoimapalveluiden järjestämisestä annetun lain ja " \
        "eräiden siihen liittyvien lakien voimaanpanosta): \"Poikkeuslupa edellyttää lisäksi" \
        in permit
    assert "383/2023 4 § 3 mom" in permit and "4 § 4 mom" not in permit
    appeal = out[out.index("\nPB-DECISION-APPEAL "):out.index("\nPB-DECISION-MEETING ")]
    assert "434/2003 47 § 1 mom (Hallintolaki): \"Päätökseen, johon saa hakea muutosta " \
        "valittamalla, on liitettävä valitusosoitus." in appeal
    assert "140 §" not in appeal
    office = out[out.index("\nPB-OFFICE "):out.index("\nPB-PROJECT ")]
    assert "380/2023" not in office.split("\n")[1]  # the citation column is empty
    assert main(["--lang", "sv", "-v", "rules"]) == 0
    out = capsys.readouterr().out
    equality = out[out.index("\nL609-4A-3 "):out.index("\nPB-ACK ")]
    assert "609/1986 4 a § 3 mom (Lag om jämställdhet mellan kvinnor och män): \"Myndigheter " \
        "och alla de parter som ombeds utse kandidater" in equality
    language = out[out.index("\nL423-28 "):out.index("\nL423-29 ")]
    assert "rätt att använda finska eller svenska vid sammanträden" in language
