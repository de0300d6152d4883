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
