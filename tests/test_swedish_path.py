"""A Swedish-speaking preparer's and council's path: the proposal's proposer, members'
formal names, the advance schedule, and the layout of the Swedish documents."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from planbuilder.cli import main
from planbuilder.compose import compose_agreement, compose_decision, compose_plan
from planbuilder.compose.templates import TemplateSet
from planbuilder.document import (
    BulletList,
    Paragraph,
    SignatureBlock,
    Table,
    plain,
    text_blocks,
)
from planbuilder.load import load_plan
from planbuilder.model import Decision, Plan
from planbuilder.money import compute
from planbuilder.money.engine import CENT, advances
from planbuilder.rules.language import FILL_MARKERS
from wordcheck import pdf_pages

ROOT = Path(__file__).resolve().parent.parent


def test_proposer_defaults_to_the_last_earlier_handling() -> None:
    decision = Decision.model_validate({
        "body": "valtuusto", "matter": "Asia", "background": "Tausta",
        "members": {
            "havsvik": {"earlier": [
                {"body": {"fi": "Kaupunginhallitus", "sv": "Stadsstyrelsen"},
                 "date": "2026-05-04", "section": 120}]},
            "kunta": {},
            "oma": {"proposer": "Kunnanhallitus", "earlier": [
                {"body": "Tekninen lautakunta", "date": "2026-05-04", "section": 1}]}}})
    proposer = decision.for_member("havsvik").proposer
    assert proposer is not None and proposer.get("sv") == "Stadsstyrelsen"
    assert decision.for_member("kunta").proposer is None  # the template's default then
    own = decision.for_member("oma").proposer
    assert own is not None and own.get("fi") == "Kunnanhallitus"


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


SV_PROSE = ("Medlemskommunerna ordnar arbetskraftsservicen tillsammans, och ansvarskommunen "
            "sköter servicen i hela området enligt kundernas behov under det gemensamma "
            "organets ledning.")
FI_PROSE = ("Jäsenkunnat järjestävät työvoimapalvelut yhdessä, ja vastuukunta huolehtii "
            "palveluista koko alueella asiakkaiden tarpeiden mukaan sovitulla tavalla "
            "yhteisen toimielimen ohjauksessa.")


def test_new_in_swedish_fills_in_to_a_clean_plan(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "omrade"
    code, out, _ = _run(capsys, "--lang", "sv", "new", str(target))
    assert code == 0 and out.splitlines()[-1].startswith("nästa steg:")
    area = (target / "area.yaml").read_text(encoding="utf-8")
    assert "docs/format.sv.md" in area and "--lang sv validate" in area
    assert "host: kommun1" in area and "TÄYTÄ" in area and "FYLL I:" in area
    code, out, _ = _run(capsys, "--lang", "sv", "validate", str(target))
    assert code == 1
    fills = [line for line in out.splitlines() if " PB-FILL: " in line]
    # one a text (its Swedish prompt for a Swedish reader): eleven prose prompts, two of
    # the decision (its court follows from the municipalities), thirteen samples; and the
    # five figures left at 0
    prompts = [p for p in fills if "uppmaningen från planbuilder new: 'FYLL I: " in p]
    assert len(prompts) == 26 and len(fills) == 26 + 5, fills
    assert f"{target}/sections.yaml:11:78: fel PB-FILL: ange årsverkena (htv) för 'FYLL I: " \
        "Kundservice': de är fortfarande 0 som planbuilder new skrev dem" in fills
    code, out, _ = _run(capsys, "--lang", "fi", "validate", str(target))
    assert sum("new -komennon kehote: 'TÄYTÄ: " in line for line in out.splitlines()) == 26
    for file in target.iterdir():
        text = re.sub(r'"(FYLL I|TÄYTÄ): ([^"]{1,40})"', r'"Egen \2"',
                      file.read_text(encoding="utf-8"))  # the samples written over
        text = re.sub(r'"FYLL I: [^"]*"', f'"{SV_PROSE}"', text)
        text = re.sub(r'"TÄYTÄ: [^"]*"', f'"{FI_PROSE}"', text)
        text = text.replace("labour_force: {value: 0,", "labour_force: {value: 12000,")
        text = text.replace("population: {value: 0,", "population: {value: 25000,")
        text = text.replace("htv: 0,", "htv: 20,")
        text = text.replace("  # appeal_court:", "  appeal_court:")
        text = text.replace("label: {sv: Personal, fi: Henkilöstö}}",
                            "label: {sv: Personal, fi: Henkilöstö}, htv: 20, "
                            "cost_per_htv: 64500}")
        text = text.replace("label: {sv: Köp av tjänster, fi: Ostopalvelut}}",
                            "label: {sv: Köp av tjänster, fi: Ostopalvelut}, amount: 350000}")
        file.write_text(text, encoding="utf-8")
    code, out, _ = _run(capsys, "validate", str(target))
    assert code == 0, out
    # PB-AGR-HEADINGS; KL-52-1 and L423-28: the one prose written everywhere says nothing of
    # the duty to organise or of the members' right to use Finnish or Swedish
    assert out.splitlines()[-1] == f"{target}: 0 errors, 3 warnings"
    assert {r for r in ("PB-AGR-HEADINGS", "KL-52-1", "L423-28") if f" {r}: " in out} == {
        "PB-AGR-HEADINGS", "KL-52-1", "L423-28"}


def test_new_follows_the_message_language_and_takes_lang(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(capsys, "--lang", "en", "new", str(tmp_path / "a"))[0] == 0
    assert "TÄYTÄ:" in (tmp_path / "a" / "area.yaml").read_text(encoding="utf-8")
    assert _run(capsys, "--lang", "en", "new", "--lang", "sv", str(tmp_path / "b"))[0] == 0
    assert "FYLL I:" in (tmp_path / "b" / "area.yaml").read_text(encoding="utf-8")


def test_every_skeleton_prompt_is_one_pb_fill_knows() -> None:
    """PB-FILL recognises the prompt of every skeleton language."""
    skeletons = ROOT / "templates" / "new"
    langs = sorted(p.name for p in skeletons.iterdir() if p.is_dir())
    assert langs == ["fi", "sv"]
    for lang in langs:
        text = "".join(p.read_text(encoding="utf-8") for p in (skeletons / lang).glob("*.yaml"))
        prompts = set(re.findall(r'"([A-ZÄÖÅ ]+:) ', text))
        assert prompts and prompts <= set(FILL_MARKERS), (lang, prompts)


def test_an_id_with_a_swedish_letter_says_what_to_write(tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "omrade"
    assert _run(capsys, "--lang", "sv", "new", str(target))[0] == 0
    members = target / "members.yaml"
    members.write_text(members.read_text(encoding="utf-8").replace("id: kommun1", "id: Borgå"),
                       encoding="utf-8")
    code, out, _ = _run(capsys, "--lang", "sv", "validate", str(target))
    assert code == 1
    assert f"{members}:8:5: fel SCHEMA-TYPE: id: ett id skrivs med gemena a–z, siffror, '-' " \
        "och '_' och börjar med en bokstav, utan å, ä och ö (nu: 'Borgå'); skriv t.ex. " \
        "'borga' (dokumenten visar namnet, inte id:t)" in out


# -- members' formal names -------------------------------------------------------------------

def _porvoo(tmp_path: Path, edit: Callable[[str], str] | None = None) -> Plan:
    folder = tmp_path / "porvoo"
    shutil.copytree(ROOT / "plans" / "porvoo", folder)
    if edit is not None:
        agreement = folder / "agreement.yaml"
        agreement.write_text(edit(agreement.read_text(encoding="utf-8")), encoding="utf-8")
    return load_plan(folder).plan


def test_formal_names_in_parties_seats_signatures_and_recipients(tmp_path: Path) -> None:
    plan = _porvoo(tmp_path, lambda text: re.sub(
        r"  for_information:\n(    - .*\n)+", "", text))
    templates = TemplateSet.load()
    money = compute(plan)
    agreement = compose_agreement(plan, "sv", templates, money, plan.area.date)
    text = text_blocks(agreement)
    assert "Borgå stad (ansvarskommun)" in text and "Lovisa stad" in text
    seats = next(b for b in agreement.blocks if isinstance(b, Table)
                 and b.anchor == "table-seats")
    assert seats.rows[0][0].text == "Borgå stad"
    signatures = next(b for b in agreement.blocks if isinstance(b, SignatureBlock))
    assert signatures.parties[:2] == ("Borgå stad", "Askola kommun")
    fi = text_blocks(compose_agreement(plan, "fi", templates, money, plan.area.date))
    assert "Porvoon kaupunki (vastuukunta)" in fi and "Askolan kunta" in fi
    decision = compose_decision(plan, "porvoo", "sv", templates, money, plan.area.date, [])
    blocks = text_blocks(decision)
    heading = blocks.index("För kännedom")
    # the host's own proposal tells the other members, each by its formal name
    assert blocks[heading + 1:heading + 3] == ["Askola kommun", "Lappträsk kommun"]
    other = text_blocks(compose_decision(plan, "loviisa", "sv", templates, money,
                                         plan.area.date, []))
    assert other[other.index("För kännedom") + 1] == "Borgå stad (ansvarskommun)"


# -- the advance schedule ---------------------------------------------------------------------

def test_quarterly_and_dated_advances_foot_to_the_cent() -> None:
    assert advances(Decimal("1000.03"), CENT, 4) == [Decimal("250.01")] * 3 + [Decimal("250.00")]
    assert sum(advances(Decimal("5633283"), Decimal("1"), 4)) == Decimal("5633283")
    assert advances(Decimal("100"), Decimal("1"), 3) == [Decimal(34), Decimal(33), Decimal(33)]


def _with_schedule(tmp_path: Path, schedule: str) -> Plan:
    folder = tmp_path / "porvoo"
    shutil.copytree(ROOT / "plans" / "porvoo", folder)
    money = folder / "money.yaml"
    money.write_text(money.read_text(encoding="utf-8").replace(
        "cost_sharing:\n", f"cost_sharing:\n  {schedule}\n", 1), encoding="utf-8")
    return load_plan(folder).plan


def test_a_quarterly_schedule_in_the_documents(tmp_path: Path) -> None:
    plan = _with_schedule(tmp_path, "advances_per_year: 4")
    money = compute(plan)
    for s in money.summaries:
        assert len(s.advances) == 4 and sum(s.advances) == s.total
    templates = TemplateSet.load()
    decision = " ".join(text_blocks(compose_decision(plan, "porvoo", "sv", templates, money,
                                                     plan.area.date, [])))
    assert "Den betalas som kvartalsvisa förskott: första–" in decision
    table = next(b for b in compose_decision(plan, "porvoo", "sv", templates, money,
                                             plan.area.date, []).blocks
                 if isinstance(b, Table) and b.anchor == "table-member-advances")
    assert [r[0].text for r in table.rows] == ["Första kvartalet", "Andra kvartalet",
                                               "Tredje kvartalet", "Fjärde kvartalet"]
    assert table.header[0][0].text == "Kvartal"
    agreement = " ".join(text_blocks(compose_agreement(plan, "sv", templates, money,
                                                       plan.area.date)))
    assert "som fyra kvartalsvisa förskott" in agreement
    fi = " ".join(text_blocks(compose_plan(plan, "fi", templates, money, plan.area.date)))
    assert "Neljännesvuosittaiset ennakkomaksut" in fi and "Kuukausittaiset" not in fi


def test_advances_on_given_dates(tmp_path: Path) -> None:
    plan = _with_schedule(tmp_path, "advance_dates: [2025-02-15, 2025-06-15, 2025-10-15]")
    money = compute(plan)
    porvoo = money.member_summary("porvoo")
    assert porvoo is not None and len(porvoo.advances) == 3
    assert sum(porvoo.advances) == porvoo.total
    templates = TemplateSet.load()
    agreement = " ".join(text_blocks(compose_agreement(plan, "sv", templates, money,
                                                       plan.area.date)))
    assert "lika stora förskott som förfaller 15.2.2025, 15.6.2025 och 15.10.2025" in agreement
    decision = compose_decision(plan, "porvoo", "sv", templates, money, plan.area.date, [])
    table = next(b for b in decision.blocks
                 if isinstance(b, Table) and b.anchor == "table-member-advances")
    assert [r[0].text for r in table.rows] == ["15.2.2025", "15.6.2025", "15.10.2025"]


def test_advance_dates_out_of_order_are_refused(tmp_path: Path) -> None:
    from planbuilder.errors import PlanLoadError

    with pytest.raises(PlanLoadError) as info:
        _with_schedule(tmp_path, "advance_dates: [2025-06-15, 2025-02-15]")
    assert "in order" in info.value.findings[0].text("en")


# -- the layout of the Swedish documents ------------------------------------------------------

@pytest.fixture(scope="module")
def porvoo_sv() -> dict[str, Any]:
    """Porvoo's Swedish agreement and Borgå's proposal, composed and rendered once."""
    from planbuilder.render.docx import render_docx
    from planbuilder.render.pdf import render_html, render_pdf
    from planbuilder.render.style import load_style

    plan = load_plan(ROOT / "plans" / "porvoo").plan
    templates = TemplateSet.load()
    style = load_style(templates.folder)
    money = compute(plan)
    agreement = compose_agreement(plan, "sv", templates, money, plan.area.date)
    decision = compose_decision(plan, "porvoo", "sv", templates, money, plan.area.date, [])
    return {"plan": compose_plan(plan, "sv", templates, money, plan.area.date),
            "agreement": agreement, "decision": decision,
            "agreement_html": render_html(agreement, style)[0],
            "agreement_docx": render_docx(agreement, style),
            "agreement_pdf": render_pdf(agreement, style),
            "decision_pdf": render_pdf(decision, style)}


def test_calculation_appendix_promises_no_scenarios_when_there_are_none(
        porvoo_sv: dict[str, Any]) -> None:
    text = text_blocks(porvoo_sv["decision"])
    intro = next(t for t in text if t.startswith("Kalkyl över kostnadsfördelningen för år"))
    assert intro == ("Kalkyl över kostnadsfördelningen för år 2025: kommunernas "
                     "betalningsandelar enligt den gällande modellen och fördelningsgrunderna.")


def test_target_group_list_has_a_lead_in() -> None:
    plan = load_plan(ROOT / "plans" / "espoo-kauniainen").plan
    assert plan.sections.production is not None
    first = plan.sections.production.target_groups[0].get("sv")
    blocks = compose_plan(plan, "sv", TemplateSet.load(), compute(plan), plan.area.date).blocks
    i = next(n for n, b in enumerate(blocks) if isinstance(b, BulletList)
             and plain(b.items[0]) == first)
    lead = blocks[i - 1]
    assert isinstance(lead, Paragraph)
    assert plain(lead.content) == "Tjänsternas huvudsakliga målgrupper:"


def test_seats_header_is_not_broken(porvoo_sv: dict[str, Any]) -> None:
    text = "\n".join(pdf_pages(porvoo_sv["agreement_pdf"]))
    assert "Ledamöter" in text.replace("\u00ad", "")
    assert not re.search(r"Ledamö-?\s*\n\s*ter", text)


def test_signature_captions_are_given_once(porvoo_sv: dict[str, Any]) -> None:
    html = porvoo_sv["agreement_html"]
    table = html[html.index('<table class="signatures">'):]
    table = table[:table.index("</table>")]
    assert table.count("Ort och datum") == 1 and table.count("Underskrift och") == 1
    body = zipfile.ZipFile(io.BytesIO(porvoo_sv["agreement_docx"])).read(
        "word/document.xml").decode("utf-8")
    assert body.count("Ort och datum") == 1 and body.count("Underskrift och") == 1


def test_no_proposal_page_holds_only_a_few_lines(porvoo_sv: dict[str, Any]) -> None:
    pages = pdf_pages(porvoo_sv["decision_pdf"])
    lines = [len([x for x in p.splitlines() if x.strip()]) for p in pages]
    assert all(n >= 15 for n in lines[:-1]), lines
