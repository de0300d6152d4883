"""Decision proposals as a council reads them (issue 11): every part of a Finnish agenda
item in the PDF's text, for a committed and an optional member, in Finnish and Swedish;
figures that rest on illustrative inputs marked everywhere; percentage columns that foot."""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
import shutil
from collections.abc import Callable
from decimal import Decimal as D
from pathlib import Path

import pytest
import yaml

from planbuilder.cli import main
from planbuilder.compose import compose_agreement, compose_decision, compose_plan
from planbuilder.compose.templates import TemplateSet
from planbuilder.document import BulletList, Document, Table, plain, text_blocks
from planbuilder.load import LoadedPlan, load_plan
from planbuilder.model import Lang, Plan
from planbuilder.money import compute
from planbuilder.money.engine import Money
from planbuilder.money.report import budget_csv, budget_json
from planbuilder.pipeline import source_attachments
from planbuilder.render.pdf import render_pdf
from planbuilder.render.style import load_style
from wordcheck import pdf_pages, pdf_text

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
NBSP = "\u00a0"
# One template set for the module's many compositions, as a build uses one for all its
# documents: each TemplateSet parses and compiles the templates anew on first use.
TEMPLATES = TemplateSet.load()


def _flat(text: str) -> str:
    """The page's words in reading order, without the list bullets (their labels)."""
    return re.sub(r"\s+", " ", text.replace(NBSP, " ").replace("•", " "))


@pytest.fixture(scope="module")
def porvoo_with_optional(tmp_path_factory: pytest.TempPathFactory) -> LoadedPlan:
    """The Porvoo example with Lapinjärvi (bilingual) still only considering membership."""
    folder = tmp_path_factory.mktemp("plans") / "porvoo"
    shutil.copytree(ROOT / "plans" / "porvoo", folder)
    members = folder / "members.yaml"
    text = members.read_text(encoding="utf-8")
    old = "    language: bilingual\n    membership: committed\n    council: {fi: Lapinjärven"
    assert old in text
    members.write_text(text.replace(old, old.replace("committed", "optional")), "utf-8")
    agreement = folder / "agreement.yaml"
    text = agreement.read_text(encoding="utf-8")
    old = "    - {appointed_by: lapinjarvi, members: 1}"
    assert old in text
    agreement.write_text(text.replace(old, old[:-1] + ", conditional: true}"), "utf-8")
    return load_plan(folder)


@pytest.fixture(scope="module")
def proposals(porvoo_with_optional: LoadedPlan) -> dict[str, str]:
    """PDF text of the proposals for Porvoo (committed) and Lapinjärvi (optional), fi and sv,
    and of page 1 alone (to see its page number)."""
    loaded = porvoo_with_optional
    plan = loaded.plan
    templates = TemplateSet.load()
    style = load_style(templates.folder)
    money = compute(plan)
    out = {}
    for member in ("porvoo", "lapinjarvi"):
        for lang in ("fi", "sv"):
            doc = compose_decision(plan, member, lang, templates, money, plan.area.date,
                                   source_attachments(loaded, budget_csv(money).encode()))
            pdf = render_pdf(doc, style)
            out[f"{member}_{lang}"] = _flat(pdf_text(pdf))
            out[f"{member}_{lang}_page1"] = _flat(pdf_pages(pdf)[0])
    return out


COMMITTED = {
    "fi": [
        "Porvoon työllisyysalueen järjestämissuunnitelma ja yhteistoimintasopimus",
        "Dnro PRV/1200/00.04.01/2023",
        "Aiempi käsittely: Kaupunginhallitus 5.6.2023 § 210",
        "Valmistelija: työllisyyspalvelujen valmistelusta vastaava johtaja",
        "Esittelijä: kaupunginjohtaja",
        "Lisätietoja antaa: työllisyyspalvelujen valmistelusta vastaava johtaja",
        "Kunnan arvioitu vuotuinen maksuosuus vuonna 2025 on",
        "Kaupunginhallitus ehdottaa, että kaupunginvaltuusto",
        "hyväksyy sopimuksen yhteisestä toimielimestä (liite 1),",
        "hyväksyy työllisyysalueen järjestämissuunnitelman (liite 2),",
        "valtuuttaa kaupunginhallituksen allekirjoittamaan sopimuksen",
        "valitsee yhteiseen toimielimeen 3 jäsentä ja kullekin henkilökohtaisen varajäsenen.",
        "Liite 1. Sopimus yhteisestä toimielimestä (tiedosto yhteistoimintasopimus_fi.pdf)",
        "Liite 2. Järjestämissuunnitelma (tiedosto jarjestamissuunnitelma_fi.pdf)",
        "Liite 3. Kustannustenjakolaskelma (tämän asiakirjan lopussa)",
        "Tiedoksi Askolan kunta Lapinjärven kunta Loviisan kaupunki", "TE-jaosto",
        "Työ- ja elinkeinoministeriö",
        "Valitusosoitus – kunnallisvalitus",
        "kunnallisvalituksella (kuntalaki 135 §). Valitusviranomainen on Helsingin "
        "hallinto-oikeus. Helsingin hallinto-oikeus Postiosoite: Radanrakentajantie 5, 00520 "
        "Helsinki Sähköposti: helsinki.hao@oikeus.fi Aukioloaika: asiakaspalvelu ja kirjaamo "
        "ma–pe klo 8.00–16.15",
        "Valitus on tehtävä 30 päivän kuluessa päätöksen tiedoksisaannista.",
        "Liite 3. Kustannustenjakolaskelma Kustannustenjakolaskelma vuodelle 2025",
        "Jos harkitsevat kunnat liittyvät alueeseen, kunnan maksuosuus pienenee.",
    ],
    "sv": [
        "Dnr PRV/1200/00.04.01/2023",
        "Tidigare behandling: Stadsstyrelsen 5.6.2023 § 210",
        "Föredragande: stadsdirektören",
        "Stadsstyrelsen föreslår att stadsfullmäktige",
        "bemyndigar stadsstyrelsen att underteckna avtalet",
        "godkänner avtalet om ett gemensamt organ (bilaga 1),",
        "godkänner sysselsättningsområdets organiseringsplan (bilaga 2),",
        "Bilaga 1. Avtal om ett gemensamt organ (filen samarbetsavtal_sv.pdf)",
        "Bilaga 2. Organiseringsplan (filen organiseringsplan_sv.pdf)",
        "Bilaga 3. Kalkyl över kostnadsfördelningen (i slutet av detta dokument)",
        "För kännedom", "Arbets- och näringsministeriet",
        "Besvärsanvisning – kommunalbesvär",
        "Besvärsmyndighet är Helsingfors förvaltningsdomstol. Helsingfors förvaltningsdomstol "
        "Postadress: Banbyggarvägen 5, 00520 Helsingfors E-post: helsinki.hao@oikeus.fi "
        "Öppettider: kundtjänsten och registratorskontoret mån–fre kl. 8.00–16.15",
        "Besvär ska anföras inom 30 dagar från delfåendet av beslutet.",
    ],
}
OPTIONAL = {
    "fi": [
        "Lapinjärven kunnanvaltuusto · Kokous 20.6.2023",
        "Dnro (merkitään kirjaamossa)",
        "Lapinjärvi ei ole vielä työllisyysalueen jäsen.",
        "Jos Lapinjärvi liittyy alueeseen (muiden harkitsevien kuntien jäädessä "
        "ulkopuolelle), sen arvioitu vuotuinen maksuosuus vuonna 2025 on",
        "Aiempi käsittely: Kunnanhallitus 12.6.2023 § 87 (havainnollistava, ei vielä "
        "lopullinen)",
        "Kunnanhallitus ehdottaa, että kunnanvaltuusto",
        "päättää, että Lapinjärvi liittyy työllisyysalueeseen ja sopimuksen yhteisestä "
        "toimielimestä (liite 1) osapuoleksi,",
        "hyväksyy osaltaan työllisyysalueen järjestämissuunnitelman (liite 2),",
        "valitsee liittymisen toteuduttua yhteiseen toimielimeen jäsenen ja hänelle "
        "henkilökohtaisen varajäsenen.",
        "Lapinjärvi: vuosiosuus jäsenyysvaihtoehdoittain Jäsenyysvaihtoehto Vuosiosuus "
        "Nykyiset jäsenet ei jäsen + Lapinjärvi",
        "Valitusosoitus – kunnallisvalitus",
    ],
    "sv": [
        "Lappträsk kommunfullmäktige · Sammanträde 20.6.2023",
        "Kommunstyrelsen föreslår att kommunfullmäktige",
        "Lappträsk är ännu inte medlem i sysselsättningsområdet.",
        "Om Lappträsk ansluter sig till området",
        "beslutar att Lappträsk ansluter sig till sysselsättningsområdet och blir part i "
        "avtalet om ett gemensamt organ (bilaga 1),",
        "för sin del godkänner sysselsättningsområdets organiseringsplan (bilaga 2),",
        "Besvärsanvisning – kommunalbesvär",
        "För kännedom",
    ],
}


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_committed_member_proposal_has_every_part(proposals: dict[str, str], lang: str) -> None:
    text = proposals[f"porvoo_{lang}"]
    for part in COMMITTED[lang]:
        assert _flat(part) in text, part
    page1 = proposals[f"porvoo_{lang}_page1"]
    assert ("Porvoon kaupunginvaltuusto · Kokous 14.6.2023 · § 45" if lang == "fi" else
            "Borgå stadsfullmäktige · Sammanträde 14.6.2023 · § 45") in page1
    page = "sivu 1 / " if lang == "fi" else "sida 1 / "
    assert page in page1  # the first page is numbered too


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_optional_member_decides_to_join(proposals: dict[str, str], lang: str) -> None:
    text = proposals[f"lapinjarvi_{lang}"]
    for part in OPTIONAL[lang]:
        assert _flat(part) in text, part
    approve = "hyväksyy sopimuksen" if lang == "fi" else "godkänner avtalet"
    assert approve not in text  # it does not approve an agreement it is not party to


def test_decision_items_are_a_numbered_list(porvoo_with_optional: LoadedPlan) -> None:
    plan = porvoo_with_optional.plan
    money = compute(plan)
    for member, first in (("porvoo", "hyväksyy sopimuksen"), ("lapinjarvi", "päättää, että")):
        doc = compose_decision(plan, member, "fi", TemplateSet.load(), money, plan.area.date,
                               [])
        (items,) = [b for b in doc.blocks if isinstance(b, BulletList) and b.ordered]
        assert len(items.items) == 4 and plain(items.items[0]).startswith(first)
        assert plain(items.items[3]).startswith("valitsee ")
        assert "yhteiseen toimielimeen" in plain(items.items[3])


def test_advances_are_stated_as_the_table_states_them(proposals: dict[str, str]) -> None:
    text = proposals["porvoo_fi"]
    stated = re.search(r"kuukausittaisina ennakkoina: (.*?)\.", text)
    assert stated is not None
    assert stated.group(1) == "tammi–maaliskuu 481 863 €*, huhti–joulukuu 481 862 €*"
    months = re.findall(r"(Tammikuu|Maaliskuu|Huhtikuu|Joulukuu) (481 86[23]) €\*", text)
    assert months == [("Tammikuu", "481 863"), ("Maaliskuu", "481 863"),
                      ("Huhtikuu", "481 862"), ("Joulukuu", "481 862")]


def test_archived_sources_have_no_drafting_comments(porvoo_with_optional: LoadedPlan) -> None:
    attachments = source_attachments(porvoo_with_optional, b"x")
    for a in attachments:
        if a.mime == "application/yaml":
            assert b"\n#" not in a.data and not a.data.startswith(b"#")
            original = porvoo_with_optional.files[next(
                k for k in porvoo_with_optional.files if k.endswith(a.name))]
            assert yaml.safe_load(a.data) == yaml.safe_load(original)


# --- provenance -----------------------------------------------------------------------------


def _small(tmp_path: Path, illustrative: bool) -> LoadedPlan:
    folder = tmp_path / ("marked" if illustrative else "plain")
    folder.mkdir()
    plan = (FIXTURES / "minimal" / "plan.yaml").read_text(encoding="utf-8")
    old = "population: {value: 12000"
    assert old in plan
    if illustrative:
        plan = plan.replace(old, "population: {illustrative: true, value: 12000", 1)
    (folder / "plan.yaml").write_text(plan, encoding="utf-8")
    shutil.copy(FIXTURES / "money.yaml", folder)
    shutil.copy(FIXTURES / "agreement.yaml", folder)
    return load_plan(folder)


def _euro_cells(doc: Document, anchors: set[str]) -> list[str]:
    return [c.text for b in doc.blocks if isinstance(b, Table) and b.anchor in anchors
            for row in b.rows for c in row if c.text.endswith(("€", "€*"))]


DERIVED = {"table-shares", "table-advances", "table-member-share", "table-member-advances",
           "table-scenarios", "table-settlement"}


def test_one_illustrative_statistic_marks_every_figure_derived_from_it(tmp_path: Path) -> None:
    templates = TemplateSet.load()
    today = dt.date(2025, 1, 1)
    for illustrative in (False, True):
        loaded = _small(tmp_path, illustrative)
        plan = loaded.plan
        money = compute(plan)
        docs = [compose_plan(plan, "fi", templates, money, today),
                compose_agreement(plan, "fi", templates, money, today),
                compose_decision(plan, "naapuri", "fi", templates, money, today, [])]
        cells = [cell for doc in docs for cell in _euro_cells(doc, DERIVED)]
        # zero and the directly charged costs (12 345,67 €) rest on no statistic
        shares = [cell for cell in cells
                  if cell not in ("0\u00a0€", "0,00\u00a0€", "12\u00a0345,67\u00a0€")]
        assert shares, "the money tables are there"
        marks = {cell.endswith("*") for cell in shares}
        assert marks == {illustrative}, shares
        decision_text = " ".join(text_blocks(docs[2]))
        assert ("295\u00a0202,81\u00a0€*" in decision_text) is illustrative
        assert ("Laskettu havainnollistavista lähtötiedoista" in decision_text) is illustrative
        rows = [line.split(",") for line in budget_csv(money).splitlines()[1:]]
        # every row but the directly charged costs rests on the statistic
        assert {r[-1] for r in rows if r[3] != "direct"} == {"yes" if illustrative else "no"}
        assert {r[-1] for r in rows if r[3] == "direct"} == {"no"}
        flags = budget_json(money)["illustrative"]
        assert flags["shares"] is illustrative
        assert ("members.1.statistics.population" in flags["inputs"]) is illustrative
        # the budget itself does not rest on statistics
        assert flags["budget"] is False


def test_cli_json_carries_the_flags(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["budget", str(ROOT / "plans" / "porvoo"), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["illustrative"]["shares"] is True
    assert "members.0.statistics.population_18_64" in data["illustrative"]["inputs"]


# --- percentages that foot ------------------------------------------------------------------


def _percent(text: str) -> D:
    return D(text.replace(NBSP, "").removesuffix("*").removesuffix("%").replace(",", ".").replace("\u2212", "-"))


def test_every_percentage_column_foots(
        examples_rendered: dict[str, tuple[Document, bytes, bytes]]) -> None:
    checked = 0
    for key, (doc, _, _) in examples_rendered.items():
        for table in (b for b in doc.blocks if isinstance(b, Table)):
            header = table.header[-1] if table.header else ()
            for j, cell in enumerate(header):
                if not cell.text.endswith("%") or not table.footer:
                    continue
                total = table.footer[0][j].text
                if not total.endswith("%"):
                    continue
                column = [row[j].text for row in table.rows]
                assert sum(_percent(x) for x in column) == _percent(total), (key, table.anchor)
                checked += 1
    assert checked >= 5  # the shares tables of every plan, agreement and proposal


def test_the_agenda_section_still_open_is_noted(write_plan: Callable[..., Path]) -> None:
    """PB-DECISION-MEETING names the § too: a proposal without it reads 'Kokous 17.6.2026'."""
    from planbuilder.load import load_plan
    from planbuilder.rules import check

    folder = write_plan()
    money = (FIXTURES / "money.yaml").read_text(encoding="utf-8")
    write_plan(money, name="money.yaml")
    notes = [f.text("en") for f in check(load_plan(folder)) if f.rule == "PB-DECISION-MEETING"]
    assert notes and all("§ of the agenda" in n for n in notes), notes


def test_appeal_instructions_without_a_court_name_the_member_s_circuit_court(
        porvoo_with_optional: LoadedPlan) -> None:
    """Without decision.appeal_court the court is the member's circuit court (Uusimaa:
    Helsinki) with its published address; a municipality the list does not know gets the
    generic wording (PB-DECISION-APPEAL reports it as an error meanwhile: hallintolaki 47 §
    asks the instructions to name the appeal authority)."""
    plan = porvoo_with_optional.plan
    decision = plan.decision
    assert decision is not None
    plan = plan.model_copy(update={"decision": decision.model_copy(update={
        "appeal_court": None,
        "members": {k: v.model_copy(update={"appeal_court": None})
                    for k, v in decision.members.items()}})})

    def text(member: str, lang: Lang, p: Plan = plan) -> str:
        return _flat(" ".join(text_blocks(compose_decision(
            p, member, lang, TEMPLATES, compute(p), plan.area.date, []))))

    assert "Besvärsmyndighet är Helsingfors förvaltningsdomstol. Helsingfors " \
        "förvaltningsdomstol Postadress: Banbyggarvägen 5, 00520 Helsingfors" in text("porvoo", "sv")
    renamed = plan.model_copy(update={"members": [
        m.model_copy(update={"name": m.name.model_copy(update={"fi": "Uusikylä"})})
        if m.id == "pukkila" else m for m in plan.members]})
    assert "Besvärsmyndighet är den förvaltningsdomstol till vars domkrets kommunen hör." \
        in text("pukkila", "sv", renamed)


@functools.cache
def _example(plan_name: str) -> Plan:
    """An example plan loaded once for the module's many proposals (loading it is not what
    these tests test; each proposal is composed anew)."""
    return load_plan(ROOT / "plans" / plan_name).plan


@functools.cache
def _example_money(plan_name: str) -> Money:
    return compute(_example(plan_name))


def _proposal(plan_name: str, member: str, lang: Lang) -> tuple[Document, str]:
    plan = _example(plan_name)
    doc = compose_decision(plan, member, lang, TEMPLATES, _example_money(plan_name),
                           plan.area.date, [])
    return doc, _flat(" ".join(text_blocks(doc)))


PORVOO_BOARDS = {  # member: (kind fi board object, council, sv board, sv council)
    "porvoo": ("kaupunginhallituksen", "kaupunginvaltuusto", "stadsstyrelsen", "stadsfullmäktige"),
    "askola": ("kunnanhallituksen", "kunnanvaltuusto", "kommunstyrelsen", "kommunfullmäktige"),
    "lapinjarvi": ("kunnanhallituksen", "kunnanvaltuusto", "kommunstyrelsen", "kommunfullmäktige"),
    "loviisa": ("kaupunginhallituksen", "kaupunginvaltuusto", "stadsstyrelsen", "stadsfullmäktige"),
    "myrskyla": ("kunnanhallituksen", "kunnanvaltuusto", "kommunstyrelsen", "kommunfullmäktige"),
    "pukkila": ("kunnanhallituksen", "kunnanvaltuusto", "kommunstyrelsen", "kommunfullmäktige"),
    "sipoo": ("kunnanhallituksen", "kunnanvaltuusto", "kommunstyrelsen", "kommunfullmäktige"),
}


@pytest.mark.parametrize("member", sorted(PORVOO_BOARDS))
def test_the_board_and_council_are_named_as_the_municipality_names_them(member: str) -> None:
    """'valtuuttaa kunnanhallituksen / kaupunginhallituksen', 'bemyndigar kommunstyrelsen /
    stadsstyrelsen', and the board proposes to the council by its own name, for every member
    of the Porvoo example in both languages (not 'valtuuttaa hallituksen', 'befullmäktigar
    styrelsen' or 'föreslår att fullmäktige')."""
    board_fi, council_fi, board_sv, council_sv = PORVOO_BOARDS[member]
    _, fi = _proposal("porvoo", member, "fi")
    _, sv = _proposal("porvoo", member, "sv")
    assert f"valtuuttaa {board_fi} allekirjoittamaan sopimuksen" in fi
    nominative = {"kaupunginhallituksen": "Kaupunginhallitus",
                  "kunnanhallituksen": "Kunnanhallitus"}[board_fi]
    assert f"{nominative} ehdottaa, että {council_fi} hyväksyy sopimuksen" in fi
    assert f"bemyndigar {board_sv} att underteckna avtalet" in sv
    assert f"{board_sv.capitalize()} föreslår att {council_sv} godkänner avtalet" in sv
    for wrong in ("valtuuttaa hallituksen", "befullmäktigar", "föreslår att fullmäktige",
                  "ehdottaa, että valtuusto"):
        assert wrong not in fi + sv


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_a_proposal_without_a_meeting_says_no_placeholder(
        porvoo_with_optional: LoadedPlan, lang: Lang) -> None:
    """No meeting set: the header names the council and nothing else (not 'kokouspäivä
    avoinna' / 'sammanträdesdag öppen', which no agenda prints)."""
    plan = porvoo_with_optional.plan
    decision = plan.decision
    assert decision is not None
    members = dict(decision.members)
    members["askola"] = members["askola"].model_copy(update={"meeting": None})
    plan = plan.model_copy(update={"decision": decision.model_copy(update={"members": members})})
    doc = compose_decision(plan, "askola", lang, TemplateSet.load(), compute(plan),
                           plan.area.date, [])
    first = text_blocks(doc)[0]
    assert first == {"fi": "Askolan kunnanvaltuusto", "sv": "Askola kommunfullmäktige"}[lang]
    text = " ".join(text_blocks(doc))
    assert "avoinna" not in text and "öppen" not in text


EXAMPLE_MEMBERS = [(p, m.id) for p in ("porvoo", "kuopio", "espoo-kauniainen", "jarvilaakso")
                   for m in _example(p).members]


@pytest.mark.parametrize(("plan_name", "member"), EXAMPLE_MEMBERS)
def test_every_example_proposal_has_the_board_s_earlier_handling(
        plan_name: str, member: str) -> None:
    """Loviisa's proposal lacked the board's earlier handling that Kuopio's had: every
    member's proposal now has it, its example date marked as such, and the board that
    handled it proposes."""
    _, text = _proposal(plan_name, member, "fi")
    found = re.search(r"Aiempi käsittely: (\w+) \d+\.\d+\.\d{4} § \d+ \(havainnollistava, ei "
                      r"vielä lopullinen\)", text)
    assert found, text[:400]
    assert f"{found.group(1)} ehdottaa, että" in text


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_head_lines_are_plain_lines_not_a_list(lang: Lang) -> None:
    doc, _ = _proposal("porvoo", "loviisa", lang)
    bullets = [plain(item) for b in doc.blocks if isinstance(b, BulletList)
               for item in b.items]
    labels = {"fi": ("Aiempi käsittely", "Valmistelija", "Esittelijä", "Lisätietoja"),
              "sv": ("Tidigare behandling", "Beredare", "Föredragande", "Ytterligare")}[lang]
    assert not [b for b in bullets if b.startswith(labels)]
    head = next(t for t in text_blocks(doc) if t.startswith(labels[0]))
    last = {"fi": "Lisätietoja antaa", "sv": "Ytterligare upplysningar ger"}[lang]
    assert [line.split(":")[0] for line in head.split("\n")] == [*labels[:3], last]


def test_the_last_decision_item_ends_in_a_full_stop() -> None:
    """Järvilaakso's items (once only approving the plan, which ended in a comma) each end
    in a comma but the last, which ends in a full stop, whichever item is last."""
    doc, text = _proposal("jarvilaakso", "kallioranta", "fi")
    (items,) = [b for b in doc.blocks if isinstance(b, BulletList) and b.ordered]
    shown = [plain(i) for i in items.items]
    assert shown[0].startswith("hyväksyy 20.11.2023 päivätyn sopimuksen yhteisestä "
                               "toimielimestä muuttamisen")
    assert all(i.endswith(",") for i in shown[:-1]) and shown[-1].endswith(".")
    assert shown[-1] == ("valitsee yhteiseen toimielimeen jäsenen ja hänelle henkilökohtaisen "
                         "varajäsenen.")
    assert "Kunnanhallitus ehdottaa, että kunnanvaltuusto" in text


@pytest.mark.parametrize(("plan_name", "member", "told"), [
    ("jarvilaakso", "kallioranta", ["Järvilaakson kaupunki (vastuukunta)",
                                    "Järvilaakson työllisyyslautakunta",
                                    "Työ- ja elinkeinoministeriö"]),
    ("jarvilaakso", "jarvilaakso", ["Kalliorannan kunta", "Koskelan kunta", "Mäntylän kunta",
                                    "Järvilaakson työllisyyslautakunta",
                                    "Työ- ja elinkeinoministeriö"]),
    ("kuopio", "tervo", ["Kuopion kaupunki (vastuukunta)", "Työllisyysjaos",
                         "Työ- ja elinkeinoministeriö"]),
])
def test_for_information_names_host_joint_body_and_ministry(
        plan_name: str, member: str, told: list[str]) -> None:
    """Tiedoksi listed only 'Järvilaakso': now the host municipality by its formal name (or,
    in the host's own proposal, the other members), the joint body and the ministry."""
    _, text = _proposal(plan_name, member, "fi")
    assert f"Tiedoksi {' '.join(told)} Muutoksenhaku" in text


@pytest.mark.parametrize("member", sorted(PORVOO_BOARDS))
def test_swedish_proposals_name_their_appendices_by_swedish_file_names(member: str) -> None:
    _, sv = _proposal("porvoo", member, "sv")
    assert "Bilaga 1. Avtal om ett gemensamt organ (filen samarbetsavtal_sv.pdf)" in sv
    assert "Bilaga 2. Organiseringsplan (filen organiseringsplan_sv.pdf)" in sv
    assert "_fi.pdf" not in sv


def test_kuopio_s_appeal_instructions_give_the_eastern_court_s_address() -> None:
    _, fi = _proposal("kuopio", "tervo", "fi")
    assert "Valitusviranomainen on Itä-Suomen hallinto-oikeus. Itä-Suomen hallinto-oikeus " \
        "Postiosoite: PL 1744, 70101 Kuopio Käyntiosoite: Minna Canthin katu 64, 70100 Kuopio " \
        "Sähköposti: ita-suomi.hao@oikeus.fi Aukioloaika: asiakaspalvelu arkisin klo " \
        "8.00–16.15" in fi
