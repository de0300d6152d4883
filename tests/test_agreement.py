"""Agreement rules (Kuntalaki 51-52 §, equality act 4 a §, 380/2023 15 § 1 mom) and the
TEM deadline computation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from planbuilder.compose.templates import TemplateSet
from planbuilder.errors import PlanLoadError
from planbuilder.load import load_plan
from planbuilder.model import Approval
from planbuilder.rules import check
from planbuilder.rules.terms import approval_date, tem_deadline

Writer = Callable[..., Path]
AGREEMENT = (Path(__file__).parent / "fixtures" / "agreement.yaml").read_text(encoding="utf-8")
MONEY = """# money
budget:
  lines:
    - {id: henkilosto, kind: personnel, label: Henkilöstö, amount: 1000000}
cost_sharing:
  model: vaesto
  models:
    - id: vaesto
      name: Väestö
      criteria: [{statistic: population, weight: 100}]
"""

# One template set for the module's many compositions, as a build uses one for all its
# documents: each TemplateSet parses and compiles the templates anew on first use.
TEMPLATES = TemplateSet.load()


def found(write_plan: Writer, agreement: str = AGREEMENT, rule: str | None = None) -> list[str]:
    folder = write_plan()
    write_plan(agreement, name="sopimus.yaml")
    write_plan(MONEY, name="talous.yaml")
    return [f.format() for f in check(load_plan(folder)) if rule is None or f.rule == rule]


def test_complete_agreement_passes_with_only_advice(write_plan: Writer) -> None:
    assert found(write_plan) == [
        # this plan's money has no decision block, so no proposals (PB-DECISION)
        "plan/plan.yaml:1:1: warning PB-DECISION: no decision: block, so no council decision "
        "proposals are built: add one (body, matter, background, appeal_court, members; "
        "`planbuilder new` writes a skeleton)",
        "plan/sopimus.yaml:7:3: info L609-4A: 0 of 5 members named yet; once the councils have "
        "elected them, list each under agreement.seats[].named ({role: member|deputy, gender: "
        "female|male}) and the 40 % rule is checked [609/1986 4 a § 1 mom. (657/2021)]",
        "plan/sopimus.yaml:11:3: warning PB-AGR-HEADINGS: no clause of the customary kind(s) "
        "takeover_right (right to take over a matter), personnel (staff and employer duties), "
        "records (records management and archiving), client_data (client records), liability "
        "(liability for damages), disputes (settling disputes), amendments (amending the "
        "agreement), pending_matters (matters pending at the start), property (assets and their "
        "division), signatures (signing)",
        "plan/sopimus.yaml:11:3: warning PB-AGR-WITHDRAWAL: no clause of kind 'withdrawal' says "
        "what a member that gives notice still pays (its share until the notice period of 12 "
        "months ends and its last settlement) and what becomes of personnel, property and "
        "liabilities",
        "plan/sopimus.yaml:17:3: info L380-15-1: TEM deadline not yet computable: awaiting "
        "approval by naapuri; record each approval under agreement.approvals ({member: …, "
        "date: …, body: …}) and the deadline is computed [380/2023 15 § 1 mom.]",
        "plan/talous.yaml:5:1: warning PB-AGR-TERMS: the finances clause does not say by when the "
        "year-end settlement is made: add cost_sharing.terms.settlement_by (e.g. {month: 3, day: "
        "31} for 31.3. of the following year)",
        "plan/talous.yaml:5:1: warning PB-AGR-TERMS: the finances clause does not say when the "
        "monthly advances fall due: add cost_sharing.terms.advance_due_day (the day of the "
        "month, 1–28)",
    ]


def test_validity_and_approvals_must_cohere(write_plan: Writer) -> None:
    text = AGREEMENT.replace("validity: {start: 2025-01-01, notice_months: 12}",
                             "validity: {start: 2025-01-01, notice_months: 12, "
                             "earliest_termination: 2024-12-31}").replace(
        "    - {member: testila, date: 2024-06-10}", "    - {member: testila, date: 2024-05-01}")
    assert found(write_plan, text, "PB-AGR") == [
        "plan/sopimus.yaml:10:52: error PB-AGR: the earliest termination (31.12.2024) is before "
        "the agreement starts (1.1.2025)",
        "plan/sopimus.yaml:18:25: error PB-AGR: 'testila' approved on 1.5.2024, before the "
        "agreement's date 31.5.2024",
    ]


@pytest.mark.parametrize(("item", "kind", "what"), [
    (1, "tasks", "the joint body's tasks and the transfer of the duty to organise"),
    (2, "composition", "the body's composition and the other municipalities' right to choose "
     "members"),
    (3, "finances", "the basis of costs and their division"),
    (4, "validity", "the agreement's validity and termination"),
])
def test_kuntalaki_52_items(write_plan: Writer, item: int, kind: str, what: str) -> None:
    text = AGREEMENT.replace(f"kind: {kind},", "kind: other,")
    assert found(write_plan, text, f"KL-52-{item}") == [
        f"plan/sopimus.yaml:11:3: error KL-52-{item}: no clause of kind '{kind}' ({what}) [410/2015 52 § 1 mom. {item} k.]"]


def test_a_member_without_a_seat_is_lawful_but_noted(write_plan: Writer) -> None:
    """Kuntalaki 51 § 2 mom. no longer (since 1.1.2017) requires each member of statutory
    cooperation to choose a member of its own: information, never an error."""
    text = AGREEMENT.replace("    - {appointed_by: naapuri, members: 2}\n", "")
    assert found(write_plan, text, "KL-51") == [
        "plan/sopimus.yaml:7:3: info KL-51: member 'naapuri' neither chooses nor proposes a "
        "member of the joint body; lawful (kuntalaki 51 § 2 mom.), but say in the agreement how "
        "it takes part [410/2015 51 § 2 mom.]"]
    proposes = AGREEMENT.replace("    - {appointed_by: naapuri, members: 2}\n",
                                 "    - {appointed_by: testila, proposed_by: [naapuri], "
                                 "members: 2}\n")
    assert found(write_plan, proposes, "KL-51") == []


def test_seed_kuopio_design_6_plus_5_is_lawful(write_plan: Writer, minimal_text: str) -> None:
    """Kuopio's seed: 11 seats, Kuopio 6, the others together 5 — more members than seats.
    The host elects the five on the others' proposals (one seat may stand for several
    members): lawful under kuntalaki 51 § 2 mom., so no error and nothing to report."""
    others = "".join(
        f"  - id: kunta{i}\n    name: Kunta {i}\n    language: fi\n    statistics:\n"
        f"      labour_force: {{value: 500, date: 2023-12-31, source: Tilastokeskus}}\n"
        f"      population: {{value: 1000, date: 2023-12-31, source: Tilastokeskus}}\n"
        for i in range(1, 7))
    folder = write_plan(minimal_text.replace("sections:\n", others + "sections:\n"))
    seats = ("    - {appointed_by: testila, proposed_by: [naapuri, kunta1], members: 1}\n"
             + "".join(f"    - {{appointed_by: testila, proposed_by: [kunta{i}], members: 1}}\n"
                       for i in range(2, 5))
             + "    - {appointed_by: testila, proposed_by: [kunta5, kunta6], members: 1}\n")
    write_plan(AGREEMENT.replace("members: 3, chair", "members: 6, chair").replace(
        "    - {appointed_by: naapuri, members: 2}\n", seats), name="sopimus.yaml")
    write_plan(MONEY, name="talous.yaml")
    findings = check(load_plan(folder))
    assert [f.format() for f in findings if f.rule == "KL-51"] == []
    assert not [f for f in findings if f.severity == "error"]


def test_gender_balance_when_named(write_plan: Writer) -> None:
    named = AGREEMENT.replace(
        "members: 3, chair: true, vice_chair: true}",
        "members: 3, chair: true, vice_chair: true, named: [{gender: female}, {gender: male}, "
        "{gender: male}]}").replace(
        "{appointed_by: naapuri, members: 2}",
        "{appointed_by: naapuri, members: 2, named: [{gender: male}, {gender: male}]}")
    assert found(write_plan, named, "L609-4A") == [
        "plan/sopimus.yaml:7:3: error L609-4A: female members are 20 % (1 of 5); at least "
        "40 % required [609/1986 4 a § 1 mom. (657/2021)]"]
    balanced = named.replace("named: [{gender: male}, {gender: male}]",
                             "named: [{gender: female}, {gender: male}]")
    assert found(write_plan, balanced, "L609-4A") == []


def test_agreement_references(write_plan: Writer) -> None:
    text = AGREEMENT.replace("{appointed_by: naapuri", "{appointed_by: naapur").replace(
        "{member: testila,", "{member: testla,")
    assert found(write_plan, text, "PB-AGR") == [
        "plan/sopimus.yaml:9:8: error PB-AGR: seat appointed by 'naapur', which is not a "
        "member",
        "plan/sopimus.yaml:18:8: error PB-AGR: approval by 'testla', which is not a member",
    ]
    no_vice = AGREEMENT.replace(", vice_chair: true", "")
    assert found(write_plan, no_vice, "PB-AGR") == [
        "plan/sopimus.yaml:7:3: error PB-AGR: 0 seat groups hold the vice-chair (exactly one "
        "expected)"]


def test_tem_deadline_two_weeks_after_last_approval(write_plan: Writer) -> None:
    text = AGREEMENT + "    - {member: naapuri, date: 2024-06-20}\n"
    assert found(write_plan, text, "L380-15-1") == [
        "plan/sopimus.yaml:17:3: info L380-15-1: the committed members have approved the "
        "agreement, the last on 20.6.2024; send the agreement and the organising plan to TEM "
        "by 4.7.2024 [380/2023 15 § 1 mom.]"]


@pytest.mark.parametrize(("dates", "expected"), [
    ({"a": dt.date(2024, 6, 10), "b": dt.date(2024, 6, 20)}, dt.date(2024, 7, 4)),
    ({"a": dt.date(2024, 12, 20), "b": dt.date(2024, 12, 18)}, dt.date(2025, 1, 3)),
    ({"a": dt.date(2024, 2, 15), "b": dt.date(2024, 2, 15)}, dt.date(2024, 2, 29)),
    ({"a": dt.date(2024, 6, 10)}, None),
])
def test_deadline_computation(dates: dict[str, dt.date], expected: dt.date | None) -> None:
    approvals = [Approval(member=m, date=d) for m, d in dates.items()]
    approved = approval_date(approvals, ["a", "b"])
    assert (approved + dt.timedelta(days=14) if approved else None) == expected


def test_tem_deadline_on_plan(write_plan: Writer) -> None:
    folder = write_plan()
    write_plan(AGREEMENT + "    - {member: naapuri, date: 2024-12-20}\n", name="sopimus.yaml")
    assert tem_deadline(load_plan(folder).plan) == dt.date(2025, 1, 3)


@pytest.mark.parametrize(("approved", "deadline"), [
    ("2023-12-11", "27.12.2023"),  # 25.12. Christmas Day, 26.12. Boxing Day
    ("2023-06-09", "26.6.2023"),  # 23.6. Midsummer Eve, then the weekend
    ("2024-06-20", "4.7.2024"),  # a Thursday: no move
    ("2024-11-23", "9.12.2024"),  # 7.12. Saturday: the next working day, 6.12. is past
])
def test_tem_deadline_moves_past_weekends_and_holidays(write_plan: Writer, approved: str,
                                                      deadline: str) -> None:
    text = AGREEMENT.replace("2024-06-10", approved) + \
        f"    - {{member: naapuri, date: {approved}}}\n"
    (finding,) = found(write_plan, text, "L380-15-1")
    assert f"plan to TEM by {deadline} " in finding


def test_the_finances_clause_states_the_terms_from_the_plan(write_plan: Writer) -> None:
    from planbuilder.compose import compose_agreement
    from planbuilder.compose.templates import TemplateSet
    from planbuilder.document import Table, text_blocks
    from planbuilder.money import compute

    folder = write_plan()
    write_plan(AGREEMENT, name="sopimus.yaml")
    write_plan(MONEY, name="talous.yaml")
    plan = load_plan(folder).plan
    doc = compose_agreement(plan, "fi", TemplateSet.load(), compute(plan), plan.area.date)
    text = " ".join(text_blocks(doc))
    assert "jaetaan jakomallin ”Väestö” mukaan; jakoperusteet, niiden painot ja ajankohdat " \
        "ovat alla" in text
    assert "kahtenatoista kuukausittaisena ennakkona" in text
    assert "Vuoden päätyttyä maksuosuudet tasataan toteutuneiden kustannusten" in text
    anchors = [b.anchor for b in doc.blocks if isinstance(b, Table)]
    assert "table-criteria" in anchors and "table-shares" not in anchors  # the plan's


TERMS = """  terms:
    advance_due_day: 15
    settlement_by: {month: 3, day: 31}
    carry_forward: true
"""


def test_payment_terms_and_withdrawal_are_stated(write_plan: Writer) -> None:
    """The finances clause says when advances fall due and by when the year is settled; the
    agreement says what a member's notice leads to. Stated, the warnings go."""
    from planbuilder.compose import compose_agreement
    from planbuilder.compose.templates import TemplateSet
    from planbuilder.document import text_blocks
    from planbuilder.money import compute

    withdrawal = ("    - {id: eroaminen, kind: withdrawal, title: Irtisanomisen seuraukset, "
                  "text: Irtisanonut kunta vastaa osuudestaan irtisanomisajan loppuun.}\n")
    text = AGREEMENT.replace("  clauses:\n", "  clauses:\n" + withdrawal, 1)
    assert text != AGREEMENT
    folder = write_plan()
    write_plan(text, name="sopimus.yaml")
    write_plan(MONEY.replace("cost_sharing:\n", "cost_sharing:\n" + TERMS), name="talous.yaml")
    result = load_plan(folder)
    rules = {f.rule for f in check(result)}
    assert not rules & {"PB-AGR-TERMS", "PB-AGR-WITHDRAWAL"}
    plan = result.plan
    assert plan.area.budget_year == 2025
    doc = compose_agreement(plan, "fi", TemplateSet.load(), compute(plan), plan.area.date)
    body = " ".join(text_blocks(doc))
    assert "Ennakko erääntyy maksettavaksi kunkin kuukauden 15. päivänä." in body
    assert "Kunnat voivat yhteisellä päätöksellä siirtää yli- tai alijäämän" in body
    assert "Tasaus tehdään viimeistään talousarviovuotta seuraavan vuoden 31.3." in body
    sv = " ".join(text_blocks(compose_agreement(plan, "sv", TemplateSet.load(), compute(plan),
                                                plan.area.date)))
    assert "Utjämningen görs senast 31.3 året efter budgetåret." in sv
    assert "Förskottet förfaller till betalning den 15 i varje månad." in sv


def test_settlement_day_must_exist(write_plan: Writer) -> None:
    folder = write_plan()
    write_plan(AGREEMENT, name="sopimus.yaml")
    write_plan(MONEY.replace("cost_sharing:\n", "cost_sharing:\n" + TERMS.replace(
        "{month: 3, day: 31}", "{month: 4, day: 31}")), name="talous.yaml")
    with pytest.raises(PlanLoadError) as caught:
        load_plan(folder)
    assert str(caught.value) == ("plan/talous.yaml:8:5: error SCHEMA-TYPE: settlement_by: "
                                 "31.4. is not a day of every year")


def test_a_clause_needs_a_text_unless_planbuilder_writes_it(write_plan: Writer) -> None:
    """The parties clause may leave its text out (planbuilder lists the parties); a tasks
    clause may not (planbuilder writes nothing for it)."""
    agreement = AGREEMENT.replace(
        "kind: parties, title: Sopijaosapuolet, text: Sopimuksen osapuolina ovat seuraavat "
        "kunnat.}",
        "kind: parties, title: Sopijaosapuolet}").replace(
        "kind: tasks, title: Tehtävät, text: Naapuri siirtää järjestämisvastuun Testilälle ja "
        "toimielin järjestää julkiset työvoimapalvelut.}",
        "kind: tasks, title: Tehtävät}")
    assert found(write_plan, agreement, "PB-AGR") == [
        "plan/sopimus.yaml:13:7: error PB-AGR: clause 'tehtavat' (kind tasks) needs a text: "
        "planbuilder writes nothing of its own for this kind"]


# --- one voice: each fact of the agreement stated once (issue 25, item 3) -------------------

def _agreement_text(write_plan: Writer, agreement: str = AGREEMENT, money: str = MONEY,
                    lang: str = "fi", replace: tuple[str, str] | None = None) -> str:
    from planbuilder.compose import compose_agreement
    from planbuilder.document import text_blocks
    from planbuilder.money import compute

    folder = write_plan(replace=replace) if replace else write_plan()
    write_plan(agreement, name="sopimus.yaml")
    write_plan(money, name="talous.yaml")
    plan = load_plan(folder).plan
    doc = compose_agreement(plan, lang, TEMPLATES, compute(plan), plan.area.date)  # type: ignore[arg-type]
    return "\n".join(text_blocks(doc))


def test_the_parties_own_text_introduces_the_list_once(write_plan: Writer) -> None:
    """The preparer's own text is the list's introduction: the generated introduction does not
    print beside it, and the list names each party once."""
    text = _agreement_text(write_plan)
    assert "Sopimuksen osapuolina ovat seuraavat kunnat." in text
    assert "Tämän sopimuksen osapuolet ovat seuraavat kunnat:" not in text
    untexted = _agreement_text(write_plan, AGREEMENT.replace(
        ", text: Sopimuksen osapuolina ovat seuraavat kunnat.}", "}"))
    assert "Tämän sopimuksen osapuolet ovat seuraavat kunnat:" in untexted


def test_a_parties_text_that_names_the_parties_is_warned(write_plan: Writer) -> None:
    named = AGREEMENT.replace("text: Sopimuksen osapuolina ovat seuraavat kunnat.}",
                              "text: Sopijaosapuolina ovat Testilä ja Naapuri.}")
    assert found(write_plan, named, "PB-AGR-ONCE") == [
        "plan/sopimus.yaml:12:62: warning PB-AGR-ONCE: clause 'osapuolet' names the parties "
        "(testila, naapuri) that planbuilder lists after its text: write only an introduction "
        "to the list, or leave the text out"]
    intro = AGREEMENT.replace("text: Sopimuksen osapuolina ovat seuraavat kunnat.}",
                              "text: Sopimuksen osapuolina ovat Testilän alueen kunnat.}")
    assert found(write_plan, intro, "PB-AGR-ONCE") == []  # one name, in the area's name


def test_a_finances_text_that_restates_the_terms_is_warned(write_plan: Writer) -> None:
    restated = AGREEMENT.replace(
        "text: Kustannukset jaetaan kustannustenjakomallin mukaan.}",
        "text: 'Kunnat maksavat ennakkoina, ja yli- tai alijäämä voidaan siirtää.'}")
    assert found(write_plan, restated, "PB-AGR-ONCE") == [
        "plan/sopimus.yaml:15:51: warning PB-AGR-ONCE: clause 'talous' says what planbuilder "
        "writes in the finances clause from cost_sharing (the criteria and weights, the "
        "advances, the settlement; here: ennakkoina): keep in the text only what the plan's "
        "data does not say, and set the terms in cost_sharing.terms"]


@pytest.mark.parametrize(("presenter", "fi", "sv"), [
    ("työllisyyspalvelujohtaja",
     "Johtavana viranhaltijana ja yhteisen toimielimen esittelijänä toimii "
     "työllisyyspalvelujohtaja.",
     "Ledande tjänsteinnehavare och föredragande i det gemensamma organet är "
     "sysselsättningsdirektör."),
    ("palvelupäällikkö",
     "Johtavana viranhaltijana toimii työllisyyspalvelujohtaja. Yhteisen toimielimen "
     "esittelijänä toimii palvelupäällikkö.",
     "Ledande tjänsteinnehavare är sysselsättningsdirektör. Föredragande i det gemensamma "
     "organet är servicechef."),
])
def test_the_leading_official_and_presenter_are_said_once(
        write_plan: Writer, presenter: str, fi: str, sv: str) -> None:
    roles = {"työllisyyspalvelujohtaja": "sysselsättningsdirektör",
             "palvelupäällikkö": "servicechef"}
    agreement = AGREEMENT.replace(
        "  leading_official: työllisyyspalvelujohtaja\n  presenter: työllisyyspalvelujohtaja\n",
        "  leading_official: {fi: työllisyyspalvelujohtaja, sv: sysselsättningsdirektör}\n"
        f"  presenter: {{fi: {presenter}, sv: {roles[presenter]}}}\n").replace(
        "  clauses:\n", "  clauses:\n    - {id: johtava, kind: leading_official, "
        "title: {fi: Johtava viranhaltija, sv: Ledande tjänsteinnehavare}}\n", 1)
    text = _agreement_text(write_plan, agreement)
    assert fi in text
    assert "Johtava viranhaltija: " not in text and "Esittelijä: " not in text
    assert sv in _agreement_text(write_plan, agreement, lang="sv")


def test_the_seats_table_has_deputies_and_tasks_in_their_own_columns(
        write_plan: Writer) -> None:
    from planbuilder.compose import compose_agreement
    from planbuilder.compose.templates import TemplateSet
    from planbuilder.document import Table
    from planbuilder.money import compute

    folder = write_plan()
    write_plan(AGREEMENT.replace("    - {appointed_by: naapuri, members: 2}",
                                 "    - {appointed_by: naapuri, members: 2, "
                                 "personal_deputies: false}"), name="sopimus.yaml")
    write_plan(MONEY, name="talous.yaml")
    plan = load_plan(folder).plan
    for lang, head, personal in (
            ("fi", ["Valitsija", "Jäseniä", "Varajäseniä", "Tehtävät"],
             "Varajäsenet ovat jäsenten henkilökohtaisia varajäseniä."),
            ("sv", ["Väljs av", "Ledamöter", "Ersättare", "Uppdrag"],
             "Ersättarna är ledamöternas personliga ersättare.")):
        doc = compose_agreement(plan, lang, TemplateSet.load(), compute(plan),  # type: ignore[arg-type]
                                plan.area.date)
        seats = next(b for b in doc.blocks if isinstance(b, Table) and b.anchor == "table-seats")
        rows = [[c.text for c in r] for r in (*seats.header, *seats.rows, *seats.footer)]
        assert rows[0] == head
        assert [r[1:3] for r in rows[1:]] == [["3", "3"], ["2", "–"], ["5", "3"]]
        chair = "puheenjohtaja, varapuheenjohtaja" if lang == "fi" else \
            "ordförande, vice ordförande"
        assert [r[3] for r in rows[1:]] == [chair, "", ""]
        assert seats.note == personal


def test_a_bilingual_agreement_states_how_its_language_versions_relate(
        write_plan: Writer) -> None:
    signed = AGREEMENT.replace("  clauses:\n", "  clauses:\n    - {id: allekirjoitukset, "
                               "kind: signatures, title: {fi: Allekirjoitukset, "
                               "sv: Underskrifter}}\n", 1)
    bilingual = ("  budget_year: 2025\n", "  budget_year: 2025\n  languages: [fi, sv]\n")
    fi = _agreement_text(write_plan, signed, replace=bilingual)
    assert "Sopimus on laadittu suomeksi ja ruotsiksi; kieliversiot ovat yhtä pätevät." in fi
    sv = _agreement_text(write_plan, signed, lang="sv", replace=bilingual)
    assert "Avtalet har upprättats på finska och svenska; språkversionerna är lika giltiga." \
        in sv
    assert "kieliversiot" not in _agreement_text(write_plan, signed)  # Finnish only
    said = signed.replace("kind: signatures, title: {fi: Allekirjoitukset, sv: Underskrifter}}",
                          "kind: signatures, title: {fi: Allekirjoitukset, sv: Underskrifter}, "
                          "text: {fi: Sopimus on laadittu suomeksi ja ruotsiksi., "
                          "sv: Avtalet har upprättats på finska och svenska.}}")
    folder = write_plan(replace=bilingual)
    write_plan(said, name="sopimus.yaml")
    write_plan(MONEY, name="talous.yaml")
    assert [f.message.key for f in check(load_plan(folder)) if f.rule == "PB-AGR-ONCE"] == [
        "rules.PB-AGR-ONCE.versions"]


def test_the_finances_clause_states_the_rules_not_the_years_figures(write_plan: Writer) -> None:
    """An agreement in force until further notice states the model and the rules; the year's
    shares and its settlement date are the plan's and the budget's."""
    from planbuilder.compose import compose_agreement
    from planbuilder.compose.templates import TemplateSet
    from planbuilder.document import Table, text_blocks
    from planbuilder.money import compute

    prep = "  preparation: {amount: 50000, statistic: population, period: 2023–2024}\n"
    folder = write_plan()
    write_plan(AGREEMENT, name="sopimus.yaml")
    write_plan(MONEY.replace("cost_sharing:\n", "cost_sharing:\n" + TERMS + prep),
               name="talous.yaml")
    plan = load_plan(folder).plan
    doc = compose_agreement(plan, "fi", TemplateSet.load(), compute(plan), plan.area.date)
    assert [b.anchor for b in doc.blocks if isinstance(b, Table)] == [
        "table-seats", "table-criteria"]
    text = " ".join(text_blocks(doc))
    assert "Vuoden 2025" not in text and "2026" not in text and "€" not in text
    assert "Tasaus tehdään viimeistään talousarviovuotta seuraavan vuoden 31.3." in text
    assert "Kunnat voivat yhteisellä päätöksellä siirtää yli- tai alijäämän seuraaville " \
        "vuosille, jolloin erotuksia ei laskuteta eikä palauteta." in text
    assert "siirretään" not in text
    assert "Ennen palvelujen siirtymistä vuosina 2023–2024 aiheutuvat valmistelukustannukset " \
        "jaetaan kunnille jakoperusteen ”Asukasluku” suhteessa." in text
    assert "esitetään talousarviossa ja järjestämissuunnitelmassa" in text
    sv = " ".join(text_blocks(compose_agreement(plan, "sv", TemplateSet.load(), compute(plan),
                                                plan.area.date)))
    assert "Utjämningen görs senast 31.3 året efter budgetåret." in sv


@pytest.mark.parametrize("area", ["porvoo", "kuopio"])
def test_the_example_agreements_speak_with_one_voice(area: str) -> None:
    """The examples' agreements: no fact said twice, no year's figures in the finances
    clause; Porvoo's (fi and sv) states how its language versions relate, once."""
    from planbuilder.compose import compose_agreement
    from planbuilder.compose.templates import TemplateSet
    from planbuilder.document import Table, text_blocks
    from planbuilder.money import compute

    loaded = load_plan(Path(__file__).resolve().parent.parent / "plans" / area)
    assert [f.format() for f in check(loaded) if f.rule == "PB-AGR-ONCE"] == []
    plan = loaded.plan
    versions = {"fi": "Sopimus on laadittu suomeksi ja ruotsiksi; kieliversiot ovat yhtä "
                      "pätevät.",
                "sv": "Avtalet har upprättats på finska och svenska; språkversionerna är lika "
                      "giltiga."}
    for lang in plan.languages:
        doc = compose_agreement(plan, lang, TemplateSet.load(), compute(plan), plan.area.date)
        text = "\n".join(text_blocks(doc))
        assert "table-shares" not in [b.anchor for b in doc.blocks if isinstance(b, Table)]
        assert "2026" not in text and "€" not in text
        assert "siirretään" not in text and "voidaan siirtää" not in text
        assert text.count(versions[lang]) == (1 if area == "porvoo" else 0)
        assert "Johtava viranhaltija: " not in text
