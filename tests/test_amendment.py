"""Amending the agreement in force (issue 25): a round that changes the cost-sharing model or
a clause is decided as an amendment of the agreement; every proposal approves the amended
agreement, attaches its changes against the agreement in force and shows the member's share
under both; the figures come from the ledger and foot."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from planbuilder.amendment import amendment, in_force_plan
from planbuilder.cli import main
from planbuilder.compose.documents import compose_amendment, compose_decision
from planbuilder.compose.templates import TemplateSet
from planbuilder.document import text_blocks
from planbuilder.load import load_plan
from planbuilder.money import compute
from planbuilder.money.ledger import ledger_of

ROOT = Path(__file__).resolve().parents[1]
MEMBERS = ("jarvilaakso", "kallioranta", "koskela", "mantyla")


@pytest.fixture(scope="module")
def jarvilaakso():  # type: ignore[no-untyped-def]
    plan = load_plan(ROOT / "plans" / "jarvilaakso").plan
    return plan, compute(plan), TemplateSet.load()


def _text(doc) -> str:  # type: ignore[no-untyped-def]
    return re.sub(r"[ \t\n]+", " ", " ".join(text_blocks(doc)))


def test_the_draft_amends_the_model_and_the_finances_clause(jarvilaakso) -> None:  # type: ignore[no-untyped-def]
    plan, _, _ = jarvilaakso
    change = amendment(plan)
    assert change is not None and change.any
    assert (change.old_model, change.new_model) == ("vanha", "aiheuttamis")
    assert change.changed == ("talous",) and change.added == change.removed == ()
    assert str(change.effective) == "2027-01-01"
    old = in_force_plan(plan)
    assert old.cost_sharing is not None and old.cost_sharing.model == "vanha"
    assert old.agreement is not None and old.agreement.date.isoformat() == "2023-11-20"


@pytest.mark.parametrize("member", MEMBERS)
def test_each_proposal_approves_the_amended_agreement(member: str, jarvilaakso) -> None:  # type: ignore[no-untyped-def]
    plan, money, templates = jarvilaakso
    text = _text(compose_decision(plan, member, "fi", templates, money, plan.area.date, []))
    assert ("hyväksyy 20.11.2023 päivätyn sopimuksen yhteisestä toimielimestä muuttamisen "
            "liitteen 1 mukaisesti 1.1.2027 alkaen (muutokset voimassa olevaan sopimukseen "
            "nähden liitteessä 2)") in text
    assert "hyväksyy työllisyysalueen järjestämissuunnitelman (liite 3)" in text
    assert ("Liite 2. Sopimuksen muutokset voimassa olevaan sopimukseen nähden (tiedosto "
            "muutokset_yhteistoimintasopimus_fi.pdf)") in text
    assert "Liite 1. Sopimus yhteisestä toimielimestä muutettuna" in text
    # the agreement in force and the members' decisions approving it are named
    assert "Voimassa oleva sopimus yhteisestä toimielimestä on päivätty 20.11.2023" in text
    assert "Kalliorannan kunnanvaltuusto 4.12.2023 § 58" in text
    assert "(kuntalaki 52 § 1 mom. 3 k.)" in text
    # the share before and after, from the ledger, in euros and per cent
    ledger = ledger_of(money)
    was = ledger[f"amendment/{member}/in_force"].amount
    now = ledger[f"amendment/{member}/proposed"].amount
    assert now == ledger[f"payable/2027/{member}"].amount
    assert was == ledger[f"model/vanha/2027/{member}/total"].amount
    euros = lambda d: f"{int(d):,}".replace(",", "\u00a0") + "\u00a0€*"  # noqa: E731
    sign = "+" if now > was else ""
    assert (f"vuonna 2027 olisi {euros(was)} eli") in text
    assert f"muutetun sopimuksen mukaan {euros(now)} eli" in text
    assert f"Muutos on {sign}{euros(now - was).replace('-', '−')}." in text


def test_the_shares_under_both_foot(jarvilaakso) -> None:  # type: ignore[no-untyped-def]
    _, money, _ = jarvilaakso
    ledger = ledger_of(money)
    for part in ("in_force", "proposed"):
        assert sum(ledger[f"amendment/{m}/{part}"].amount for m in MEMBERS) == \
            ledger[f"amendment/all/{part}"].amount == ledger["payable/2027/all"].amount
        assert sum(ledger[f"amendment_pct/{m}/{part}"].amount for m in MEMBERS) == \
            Decimal("100.00")
    assert sum(ledger[f"amendment/{m}/change"].amount for m in MEMBERS) == 0


@pytest.mark.parametrize("member", MEMBERS)
def test_swedish_items_and_appendix_names(member: str, jarvilaakso) -> None:  # type: ignore[no-untyped-def]
    plan, money, templates = jarvilaakso
    text = _text(compose_decision(plan, member, "sv", templates, money, plan.area.date, []))
    assert ("godkänner ändringen av avtalet om ett gemensamt organ av den 20.11.2023 enligt "
            "bilaga 1 från och med 1.1.2027 (ändringarna i förhållande till det gällande "
            "avtalet i bilaga 2)") in text
    assert "andringar_samarbetsavtal_sv.pdf" in text
    assert "Kommunens betalningsandel enligt det gällande och det ändrade avtalet" in text


def test_the_changes_appendix_marks_what_the_amendment_changes(jarvilaakso) -> None:  # type: ignore[no-untyped-def]
    from planbuilder.document import Paragraph
    from planbuilder.render.docx import render_docx
    from planbuilder.render.style import load_style

    plan, money, templates = jarvilaakso
    doc = compose_amendment(plan, "fi", templates, money, plan.area.date)
    assert doc.meta.title.startswith(
        "Sopimuksen muutokset voimassa olevaan sopimukseen (20.11.2023) nähden")
    changed = [s for b in doc.blocks if isinstance(b, Paragraph) for s in b.content
               if s.change]
    deleted = " ".join(s.text for s in changed if s.change == "del")
    assert "puolet jaetaan asukasluvun" in deleted
    data = render_docx(doc, load_style(templates.folder), None)
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert "<w:del " in xml and "<w:ins " in xml
    # dated by the build's clock: the same inputs give the same bytes
    assert 'w:date="2026-09-15T00:00:00Z"' in xml


def test_an_undeclared_model_change_warns(copy_example: Callable[[str], Path],
                                          capsys: pytest.CaptureFixture[str]) -> None:
    folder = copy_example("jarvilaakso")
    (folder / "agreement_in_force.yaml").unlink()
    main(["validate", "plans/jarvilaakso"])
    out = capsys.readouterr().out
    assert re.search(r"plans/jarvilaakso/money\.yaml:13:\d+: warning PB-AMEND: the plan phases "
                     r"in model 'aiheuttamis' from model 'vanha'", out), out


def test_an_unknown_model_in_force_is_an_error(copy_example: Callable[[str], Path],
                                               capsys: pytest.CaptureFixture[str]) -> None:
    folder = copy_example("jarvilaakso")
    f = folder / "agreement_in_force.yaml"
    f.write_text(f.read_text(encoding="utf-8").replace("model: vanha", "model: vanh"),
                 encoding="utf-8")
    assert main(["validate", "plans/jarvilaakso"]) == 1
    out = capsys.readouterr().out
    assert "agreement_in_force.yaml:8:3: error PB-AMEND: model 'vanh' is not one of the " \
        "plan's models (aiheuttamis, hinta, vanha)" in out


def test_verify_reads_the_changes_appendix_as_its_reader_sees_it(jarvilaakso) -> None:  # type: ignore[no-untyped-def]
    """A tracked deletion is shown struck through: verify counts its figures as printed, so
    the changes appendix verifies like any document."""
    from planbuilder.pipeline import outputs
    from planbuilder.render.docx import render_docx
    from planbuilder.render.style import load_style
    from planbuilder.verify import verify

    plan, money, templates = jarvilaakso
    loaded = load_plan(ROOT / "plans" / "jarvilaakso")
    (item,) = outputs(loaded, templates, money, plan.area.date, kinds=("amendment",))
    assert item.stem == "muutokset_yhteistoimintasopimus_fi" and item.document is not None
    data = render_docx(item.document, load_style(templates.folder), None)
    report = verify(data, f"{item.stem}.docx")
    assert report.differences == [] and not report.problems, report
