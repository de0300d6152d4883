"""Rules that say what the statutes say (issue 32): each boundary plan changes one thing in the
minimal plan (or its agreement) and asserts what the rule reports, at which line, with which
severity and citation. Each test is named after the provision it tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from planbuilder.load import load_plan
from planbuilder.rules import all_rules, check
from planbuilder.rules.basis import quotes
from planbuilder.rules.terms import notice_deadline

Writer = Callable[..., Path]
FIXTURES = Path(__file__).parent / "fixtures"
AGREEMENT = (FIXTURES / "agreement.yaml").read_text(encoding="utf-8")
# Decision proposals in Finnish only, appended to the minimal plan (lines 74-78).
DECISION = ("decision:\n  body: valtuusto\n  matter: Työllisyysalueen järjestämissuunnitelma\n"
            "  background: Kunnat ovat valmistelleet yhteisen järjestämissuunnitelman.\n"
            "  appeal_court: Hämeenlinnan hallinto-oikeus\n")
# A granted exception, inserted before area.contiguity (the area lines below it move by 4).
EXCEPTION = ("  exception:\n    ground: language_rights\n"
             "    justification: Alueen ruotsinkielisten palvelut turvataan parhaiten omana "
             "kaksikielisenä alueena, jota naapurit eivät muodosta.\n"
             "    decision: {date: 2023-10-15, dnro: VN/1234/2023}\n")


def found(folder: Path, rule_id: str) -> list[str]:
    return [f.format() for f in check(load_plan(folder)) if f.rule == rule_id]


def with_agreement(write_plan: Writer, agreement: str = AGREEMENT,
                   plan: str | None = None) -> Path:
    folder = write_plan(plan)
    write_plan(agreement, name="sopimus.yaml")
    return folder


def rule(rule_id: str) -> tuple[str, str]:
    (r,) = [r for r in all_rules() if r.id == rule_id]
    return r.severity, r.citation


# --- the ten rules that said more or less than the statute ---------------------------------


def test_609_4a_1_special_reason(write_plan: Writer) -> None:
    """Below 40 % is an error, unless the agreement records a special reason with its grounds
    ("jollei erityisestä syystä muuta johdu"): then information, and the plan's appendix lists
    the reason where the acknowledged warnings are listed."""
    from planbuilder.compose import compose_plan
    from planbuilder.compose.templates import TemplateSet
    from planbuilder.document import text_blocks

    named = AGREEMENT.replace(
        "members: 3, chair: true, vice_chair: true}",
        "members: 3, chair: true, vice_chair: true, named: [{gender: female}, {gender: male}, "
        "{gender: male}]}").replace(
        "{appointed_by: naapuri, members: 2}",
        "{appointed_by: naapuri, members: 2, named: [{gender: male}, {gender: male}]}")
    assert found(with_agreement(write_plan, named), "L609-4A") == [
        "plan/sopimus.yaml:7:3: error L609-4A: female members are 20 % (1 of 5); at least "
        "40 % required [609/1986 4 a § 1 mom. (657/2021)]"]
    reasoned = named.replace("  approvals:\n", (
        "  special_reason:\n"
        "    grounds: Naapurin valtuusto pyysi ehdotuksia sekä naisista että miehistä, mutta "
        "ehdolle asettui vain miehiä.\n"
        "    basis: Naapurin kunnanvaltuusto 10.6.2024 § 45\n"
        "  approvals:\n"))
    folder = with_agreement(write_plan, reasoned)
    assert found(folder, "L609-4A") == [
        "plan/sopimus.yaml:17:3: info L609-4A: female members are 20 % (1 of 5); at least "
        "40 % required, but the agreement records a special reason (609/1986 4 a § 1 mom.): "
        "Naapurin valtuusto pyysi ehdotuksia sekä naisista että miehistä, mutta ehdolle "
        "asettui vain miehiä. [609/1986 4 a § 1 mom. (657/2021)]"]
    (info,) = [f for f in check(load_plan(folder)) if f.rule == "L609-4A"]
    assert info.text("fi") == (
        "naisjäsenten osuus on 20 % (1/5); vaaditaan vähintään 40 %, mutta sopimukseen on "
        "kirjattu erityinen syy (naisten ja miesten välisestä tasa-arvosta annetun lain 4 a §:n "
        "1 momentti): Naapurin valtuusto pyysi ehdotuksia sekä naisista että miehistä, mutta "
        "ehdolle asettui vain miehiä.")
    assert info.text("sv").startswith(
        "andelen kvinnliga ledamöter är 20 % (1 av 5); minst 40 % krävs, men avtalet anger ett "
        "särskilt skäl (4 a § 1 mom. i lagen om jämställdhet mellan kvinnor och män): ")
    plan = load_plan(folder).plan
    text = " ".join(text_blocks(compose_plan(plan, "fi", TemplateSet.load(), None,
                                             plan.area.date)))
    # the special reason is public (the body's composition rests on it): its own heading
    assert "Erityinen syy poiketa toimielimen 40 %:n vähimmäisosuudesta (naisten ja miesten " \
        "välisestä tasa-arvosta annetun lain 4 a §:n 1 momentti) Naapurin valtuusto pyysi " \
        "ehdotuksia sekä naisista että miehistä, mutta ehdolle asettui vain miehiä. (Naapurin " \
        "kunnanvaltuusto 10.6.2024 § 45)" in text


def test_609_4a_1_deputies_named_in_part(write_plan: Writer) -> None:
    """Deputies named in part are information, as members named in part are: 5 seats, members
    2F/3M, deputies 0F/3M with two not yet named."""
    text = AGREEMENT.replace(
        "members: 3, chair: true, vice_chair: true}",
        "members: 3, chair: true, vice_chair: true, named: [{gender: female}, {gender: male}, "
        "{gender: male}, {role: deputy, gender: male}, {role: deputy, gender: male}]}").replace(
        "{appointed_by: naapuri, members: 2}",
        "{appointed_by: naapuri, members: 2, named: [{gender: female}, {gender: male}, "
        "{role: deputy, gender: male}]}")
    assert found(with_agreement(write_plan, text), "L609-4A") == [
        "plan/sopimus.yaml:7:3: info L609-4A: 3 of 5 deputies named yet; the 40 % rule for "
        "deputies is checked once all are listed under agreement.seats[].named "
        "[609/1986 4 a § 1 mom. (657/2021)]"]


def test_380_12_2_labour_force_of_statistics_finland(write_plan: Writer,
                                                    minimal_text: str) -> None:
    """The labour force is Statistics Finland's: another source is a warning at the source; a
    fractional total is shown as it is (19 999,6 is below 20 000, not '20,000')."""
    other = minimal_text.replace(
        "labour_force: {value: 6000, date: 2023-12-31, source: Tilastokeskus}",
        "labour_force: {value: 6000, date: 2023-12-31, source: Kunnan oma arvio}")
    assert found(write_plan(other), "L380-12-1") == [
        "plan/plan.yaml:26:53: warning L380-12-1: naapuri: the source of labour_force does not "
        "name Statistics Finland's employment statistics (Tilastokeskus, työssäkäyntitilasto), "
        "the figure the statute counts [380/2023 12 § 1–2 mom.; 383/2023 4 § 1 mom.]"]
    fraction = minimal_text.replace("labour_force: {value: 6000,", "labour_force: {value: 4999.6,")
    assert found(write_plan(fraction), "L380-12-1") == [
        "plan/plan.yaml:15:1: error L380-12-1: committed members' labour force is "
        "19\u00a0999,6, below 20 000, and no exception ground (383/2023 4 §) is named in area.exception "
        "[380/2023 12 § 1–2 mom.; 383/2023 4 § 1 mom.]",
        "plan/plan.yaml:26:22: warning L380-12-1: naapuri: labour_force 4\u00a0999,6 is not a "
        "whole number of persons; Statistics Finland's employment statistics count persons "
        "[380/2023 12 § 1–2 mom.; 383/2023 4 § 1 mom.]"]
    assert found(write_plan(minimal_text.replace("{value: 6000,", "{value: 5000,")),
                 "L380-12-1") == []  # exactly 20 000 passes


def test_380_12_1_contiguity_despite_an_exception(write_plan: Writer, minimal_text: str) -> None:
    """A permit of 383/2023 4 § concerns the 20 000 minimum, not the contiguous area."""
    text = minimal_text.replace("    declared: true", "    declared: false").replace(
        "  contiguity:\n", EXCEPTION + "  contiguity:\n", 1)
    assert found(write_plan(text), "L380-12-2") == [
        "plan/plan.yaml:17:5: error L380-12-2: the area is not declared contiguous: 380/2023 "
        "12 § 1 mom. requires a geographically contiguous area that works for the labour "
        "market and commuting, and an exception of 383/2023 4 § concerns only the 20 000 "
        "minimum [380/2023 12 § 1 mom.; 383/2023 4 § 1 mom.]"]
    assert [q["id"] for q in quotes("L380-12-2")] == ["380/2023 12 § 1 mom",
                                                       "383/2023 4 § 1 mom"]


def test_383_4_1_and_3_permit_applied_for_in_time(write_plan: Writer, minimal_text: str) -> None:
    """An application after 31.10.2023 is late (4 § 3 mom., 3 § 1 mom.); ground 5 needs an
    agreement; the rule quotes 4 § 2 and 3 mom., not 4 mom. (enforcement despite appeal)."""
    below = minimal_text.replace("{value: 6000,", "{value: 4000,")
    late = below.replace("  contiguity:\n", EXCEPTION.replace(
        "    decision: {date: 2023-10-15, dnro: VN/1234/2023}\n", "    applied: 2024-06-01\n")
        + "  contiguity:\n", 1)
    assert found(write_plan(late), "L383-4") == [
        "plan/plan.yaml:15:5: error L383-4: the exception was applied for on 1.6.2024, after "
        "31.10.2023: the application was due by then (383/2023 4 § 3 mom., 3 § 1 mom.), so the "
        "area cannot rely on it; record the Government's decision if it granted the permit all "
        "the same [383/2023 4 § 1 mom., 4 § 3 mom., 3 § 1 mom.]"]
    in_time = late.replace("applied: 2024-06-01", "applied: 2023-10-30")
    assert [f.split(": ", 2)[1] for f in found(write_plan(in_time), "L383-4")] == [
        "warning L383-4"]  # pending, applied for in time
    ground5 = in_time.replace("ground: language_rights", "ground: other_special_reason")
    assert found(write_plan(ground5), "L383-4")[0] == (
        "plan/plan.yaml:13:5: error L383-4: ground 5 (another special reason) requires an "
        "agreement on organising the services and a plan that secures an adequate service "
        "level (383/2023 4 § 1 mom. 5 k.): add the agreement "
        "[383/2023 4 § 1 mom., 4 § 3 mom., 3 § 1 mom.]")
    assert [q["id"] for q in quotes("L383-4")] == [
        "383/2023 4 § 1 mom", "383/2023 4 § 2 mom", "383/2023 4 § 3 mom", "383/2023 3 § 1 mom"]


def test_380_15_1_committed_members_and_the_outer_deadline(write_plan: Writer) -> None:
    """The message speaks of the committed members, and an approval of October 2023 is told of
    the outer deadline 31.10.2023 (383/2023 3 § 1 mom.), which comes before two weeks pass."""
    text = AGREEMENT.replace("2024-05-31", "2023-10-01").replace("2024-06-10", "2023-10-20") \
        + "    - {member: naapuri, date: 2023-10-20}\n"
    assert found(with_agreement(write_plan, text), "L380-15-1") == [
        "plan/sopimus.yaml:17:3: info L380-15-1: the committed members have approved the "
        "agreement, the last on 20.10.2023; send the agreement and the organising plan to TEM "
        "by 31.10.2023: the last day 383/2023 3 § 1 mom. gives comes before the two weeks are "
        "over [380/2023 15 § 1 mom.]"]
    later = AGREEMENT + "    - {member: naapuri, date: 2024-06-20}\n"
    assert found(with_agreement(write_plan, later), "L380-15-1") == [
        "plan/sopimus.yaml:17:3: info L380-15-1: the committed members have approved the "
        "agreement, the last on 20.6.2024; send the agreement and the organising plan to TEM "
        "by 4.7.2024 [380/2023 15 § 1 mom.]"]


def test_410_52_1_1_transfer_of_the_duty_to_organise(write_plan: Writer) -> None:
    """A tasks clause that says nothing of the duty to organise is a warning ("tarvittaessa")."""
    text = AGREEMENT.replace("text: Naapuri siirtää järjestämisvastuun Testilälle ja "
                             "toimielin järjestää julkiset työvoimapalvelut.",
                             "text: Jaosto kokoontuu tarvittaessa.")
    assert found(with_agreement(write_plan, text), "KL-52-1") == [
        "plan/sopimus.yaml:13:52: warning KL-52-1: clause 'tehtavat' says nothing of the duty "
        "to organise the services (järjestämisvastuu): say whether it passes to the host "
        "municipality (kuntalaki 8 §, 52 § 1 mom. 1 k.) [410/2015 52 § 1 mom. 1 k.]"]
    assert found(with_agreement(write_plan), "KL-52-1") == []  # the fixture's transfer


def test_380_15_4_1_financial_resources(write_plan: Writer, minimal_text: str) -> None:
    """No budget and no money in the prose: an error, as a missing staff list is."""
    bare = minimal_text.replace("ja talousarvio laaditaan vastuukunnan talousarvion yhteydessä",
                                "ja asiakasmäärät seurataan kuukausittain")
    assert found(write_plan(bare), "L380-15-4-1") == [
        "plan/plan.yaml:29:3: error L380-15-4-1: the financial resources are not shown: add a "
        "budget, or say in the prose what money the tasks have [380/2023 15 § 4 mom. 1 k.]"]
    assert rule("L380-15-4-1") == ("error", "380/2023 15 § 4 mom. 1 k.")


def test_423_29_1_decision_proposal_for_a_bilingual_council(write_plan: Writer,
                                                          minimal_text: str) -> None:
    """A Finnish-only decision text for a bilingual council is an error (its agenda and
    minutes are in Finnish and Swedish); the plan's own prose stays a warning."""
    text = minimal_text.replace("    name: Naapuri\n    language: fi",
                                "    name: Naapuri\n    language: bilingual") + DECISION
    findings = found(write_plan(text), "L423-6-TEXT")
    citation = "[423/2003 6 § 1 mom. 2 k., 29 § 1 mom., 32 § 2 mom.]"
    assert ("plan/plan.yaml:77:3: error L423-6-TEXT: no Swedish text (sv) in the decision "
            "proposal for the council(s) of naapuri, bilingual municipalities whose meeting "
            f"invitations and minutes are in Finnish and Swedish (kielilaki 29 § 1 mom.) {citation}"
            ) in findings
    assert ("plan/plan.yaml:17:5: warning L423-6-TEXT: no Swedish text (sv); the Finnish text "
            f"would be used {citation}") in findings
    assert "423/2003 29 § 1 mom" in [q["id"] for q in quotes("L423-6-TEXT")]


def test_office_reference_is_a_convention_not_380_15_4_3(write_plan: Writer) -> None:
    """An office in a municipality that is not a member is a broken reference, not a breach of
    380/2023 15 § 4 mom. 3 k. (which asks only that the plan show the offices)."""
    folder = write_plan(replace=("{municipality: naapuri, place: Naapurin",
                                 "{municipality: kaukola, place: Naapurin"))
    assert found(folder, "PB-OFFICE") == [
        "plan/plan.yaml:50:10: error PB-OFFICE: office 'Naapurin kunnantalo' lies in 'kaukola', "
        "which is not a member municipality"]
    assert rule("PB-OFFICE") == ("error", "") and quotes("PB-OFFICE") == []


def test_434_47_1_appeal_instructions_name_the_court(write_plan: Writer,
                                                    minimal_text: str) -> None:
    """Appeal instructions must name the appeal authority (hallintolaki 47 § 1 mom. 1 k.): a
    proposal without the court is an error; kuntalaki 140 § (publication) is no basis."""
    assert found(write_plan(minimal_text + DECISION), "PB-DECISION-APPEAL") == []
    folder = write_plan(minimal_text + DECISION.replace(
        "  appeal_court: Hämeenlinnan hallinto-oikeus\n", ""))
    assert found(folder, "PB-DECISION-APPEAL") == [
        "plan/plan.yaml:74:1: error PB-DECISION-APPEAL: no administrative court (appeal_court) "
        "for testila, naapuri, which the municipality list, where the circuit would show, does "
        "not know [434/2003 47 § 1 mom. 1 k.; 410/2015 135 § 1 mom.]"]
    assert [q["id"] for q in quotes("PB-DECISION-APPEAL")] == ["434/2003 47 § 1 mom",
                                                                "410/2015 135 § 1 mom"]


# --- the eight requirements that had no rule ------------------------------------------------


def test_380_15_2_municipality_organising_alone(write_plan: Writer, minimal_text: str) -> None:
    """A municipality organising alone sends its decision to TEM within two weeks."""
    alone = minimal_text.replace("labour_force: {value: 15000,", "labour_force: {value: 21000,")
    start = alone.index("  - id: naapuri\n")
    alone = alone[:start] + alone[alone.index("sections:\n"):]
    alone = alone.replace("      - {municipality: naapuri, place: Naapurin kunnantalo, kind: "
                          "appointment}\n", "")
    assert found(write_plan(alone), "L380-15-2") == [
        "plan/plan.yaml:3:1: info L380-15-2: 'testila' organises the services alone: its "
        "decision goes to TEM within two weeks of being made; record the council's meeting "
        "(decision.members.testila.meeting) and the deadline is computed [380/2023 15 § 2 mom.]"]
    decided = alone + (
        "decision:\n  body: valtuusto\n  matter: Työvoimapalvelujen järjestäminen itsenäisesti\n"
        "  background: Testilä järjestää työvoimapalvelut itsenäisesti.\n"
        "  appeal_court: Hämeenlinnan hallinto-oikeus\n"
        "  members:\n    testila:\n      meeting: {date: 2024-06-10, section: 45}\n")
    (finding,) = found(write_plan(decided), "L380-15-2")
    assert finding.endswith(
        "info L380-15-2: 'testila' organises the services alone and its council decides on "
        "10.6.2024; send the decision and the organising plan to TEM by 24.6.2024 "
        "[380/2023 15 § 2 mom.]")
    assert found(write_plan(minimal_text), "L380-15-2") == []  # two members: an agreement


def test_380_15_3_membership_change(write_plan: Writer, minimal_text: str) -> None:
    """A municipality joining later (Leppävirta, 4.3.2024) has a deadline of its own."""
    plan = minimal_text.replace("    name: Naapuri\n", "    name: Naapuri\n"
                                "    membership: optional\n")
    text = AGREEMENT.replace("2024-06-10", "2023-06-12") + \
        "    - {member: naapuri, date: 2024-03-04}\n"
    folder = with_agreement(write_plan, text.replace("2024-05-31", "2023-05-31"), plan)
    assert found(folder, "L380-15-3") == [
        "plan/sopimus.yaml:19:7: info L380-15-3: 'naapuri' joined the agreement by its decision "
        "of 4.3.2024: the area's members change, and TEM is to be notified by 18.3.2024 (two "
        "weeks) [380/2023 15 § 3 mom.]"]
    (joined,) = [f for f in check(load_plan(folder)) if f.rule == "L380-15-3"]
    assert joined.text("fi") == (
        "'naapuri' on liittynyt sopimukseen päätöksellään 4.3.2024: alueen jäsenkunnat "
        "muuttuvat, ja muutoksesta on ilmoitettava TEM:lle viimeistään 18.3.2024 (kahden viikon "
        "kuluessa)")
    assert joined.text("sv") == (
        "'naapuri' har anslutit sig till avtalet genom sitt beslut 4.3.2024: områdets "
        "medlemskommuner ändras, och ANM ska upplysas om ändringen senast 18.3.2024 (inom två "
        "veckor)")
    # a date at the end of the calendar is reported, not a crash
    assert notice_deadline(dt.date(9999, 12, 30)) == dt.date.max
    # the first notification counts only the committed members' approvals
    assert found(folder, "L380-15-1") == [
        "plan/sopimus.yaml:17:3: info L380-15-1: the committed members have approved the "
        "agreement, the last on 12.6.2023; send the agreement and the organising plan to TEM "
        "by 26.6.2023 [380/2023 15 § 1 mom.]"]


def test_383_3_1_outer_deadline_31_10_2023(write_plan: Writer) -> None:
    """The first agreement (taking effect 1.1.2025) approved after 31.10.2023 missed the outer
    deadline of the implementing act."""
    late = AGREEMENT.replace("2024-05-31", "2023-09-01").replace("2024-06-10", "2023-11-06") \
        + "    - {member: naapuri, date: 2023-11-15}\n"
    assert found(with_agreement(write_plan, late), "L383-3") == [
        "plan/sopimus.yaml:17:3: warning L383-3: the committed members approved the first "
        "agreement on 15.11.2023, after 31.10.2023, the last day for the notification and the "
        "plan (383/2023 3 § 1 mom.); if TEM was not notified by then, it starts the procedure "
        "of 380/2023 16 § (3 § 2 mom.) [383/2023 3 § 1 mom.]"]
    in_time = late.replace("2023-11-06", "2023-10-02").replace("2023-11-15", "2023-10-16")
    assert found(with_agreement(write_plan, in_time), "L383-3") == []
    amended = AGREEMENT.replace("start: 2025-01-01", "start: 2026-01-01") \
        + "    - {member: naapuri, date: 2025-06-20}\n"
    assert found(with_agreement(write_plan, amended), "L383-3") == []  # not the first one


def _excepted(minimal_text: str, extra: str = "") -> str:
    return minimal_text.replace("{value: 6000,", "{value: 4000,").replace(
        "  contiguity:\n", EXCEPTION.replace(
            "    decision: {date: 2023-10-15, dnro: VN/1234/2023}\n",
            "    applied: 2023-10-30\n") + extra + "  contiguity:\n", 1)


def test_383_4_3_application_with_the_plan_and_reports(write_plan: Writer,
                                                      minimal_text: str) -> None:
    """The application carries the plan and the reports showing the ground."""
    assert found(write_plan(_excepted(minimal_text)), "L383-4-3") == [
        "plan/plan.yaml:12:3: warning L383-4-3: list the reports attached to the application "
        "that show ground 'language_rights' (area.exception.evidence); the application carries "
        "them and the organising plan (383/2023 4 § 3 mom.) [383/2023 4 § 3 mom.]"]
    listed = _excepted(minimal_text, "    evidence: [Selvitys ruotsinkielisten palvelujen "
                       "saatavuudesta 9/2023]\n")
    assert found(write_plan(listed), "L383-4-3") == []


def test_383_4_2_permit_conditions_accounted_for(write_plan: Writer, minimal_text: str) -> None:
    """The permit's conditions (resources; no significant deterioration) are accounted for."""
    assert found(write_plan(_excepted(minimal_text)), "L383-4-2") == [
        "plan/plan.yaml:12:3: warning L383-4-2: the exception does not say how the permit's "
        "conditions are met: add area.exception.conditions (the resources the municipalities "
        "reserve, and why the service level does not deteriorate significantly; 383/2023 4 § 2 "
        "mom.) [383/2023 4 § 2 mom.]"]
    accounted = _excepted(minimal_text, (
        "    conditions: Kunnat osoittavat palveluihin valtiolta siirtyvän henkilöstön ja "
        "talousarvion mukaiset määrärahat, eikä naapurialueiden palvelutaso heikkene, koska "
        "niiden asiakkaat eivät siirry.\n"))
    assert found(write_plan(accounted), "L383-4-2") == []
    assert rule("L383-4-2") == ("warning", "383/2023 4 § 2 mom.")


def test_609_4a_3_a_woman_and_a_man_proposed(write_plan: Writer) -> None:
    """A member proposing whom the host elects proposes a woman and a man for each seat."""
    text = AGREEMENT.replace("{appointed_by: naapuri, members: 2}",
                             "{appointed_by: testila, proposed_by: [naapuri], members: 2}")
    assert found(with_agreement(write_plan, text), "L609-4A-3") == [
        "plan/sopimus.yaml:7:3: info L609-4A-3: naapuri propose members of the joint body: each "
        "should, where possible, propose both a woman and a man for each seat (609/1986 4 a § 3 "
        "mom.); the composition clause can say so [609/1986 4 a § 3 mom.]"]
    said = text.replace("text: Toimielimessä on viisi jäsentä.",
                        "text: Toimielimessä on viisi jäsentä. Naapuri ehdottaa kuhunkin "
                        "paikkaan naisen ja miehen.")
    assert found(with_agreement(write_plan, said), "L609-4A-3") == []
    # naming the equality act is not saying who proposes whom
    act = text.replace("text: Toimielimessä on viisi jäsentä.",
                       "text: Kokoonpanossa noudatetaan naisten ja miesten välisestä "
                       "tasa-arvosta annettua lakia.")
    assert len(found(with_agreement(write_plan, act), "L609-4A-3")) == 1


def test_423_28_members_right_to_use_finnish_or_swedish(write_plan: Writer,
                                                       minimal_text: str) -> None:
    """The language clause of a bilingual body states the members' right (kielilaki 28 §)."""
    plan = minimal_text.replace("    name: Naapuri\n    language: fi",
                                "    name: Naapuri\n    language: bilingual")
    clause = ("    - {id: kielet, kind: language, title: Kielet, text: Kokouskutsut ja "
              "pöytäkirjat laaditaan suomeksi ja ruotsiksi.}\n  approvals:\n")
    text = AGREEMENT.replace("  approvals:\n", clause)
    assert found(with_agreement(write_plan, text, plan), "L423-28") == [
        "plan/sopimus.yaml:17:7: warning L423-28: the joint body is bilingual, but no clause of "
        "kind 'language' states the members' right to use Finnish or Swedish at meetings and in "
        "written opinions for the minutes (kielilaki 28 § 1 mom.) [423/2003 28 § 1 mom.]"]
    stated = text.replace("suomeksi ja ruotsiksi.}", "suomeksi ja ruotsiksi. Jäsenillä on "
                          "oikeus käyttää kokouksessa suomea tai ruotsia.}")
    assert found(with_agreement(write_plan, stated, plan), "L423-28") == []
    assert found(with_agreement(write_plan, text), "L423-28") == []  # a Finnish body


def test_380_12_2_one_reference_year(write_plan: Writer, minimal_text: str) -> None:
    """Labour forces of different years add up to no year's labour force: a 2015 figure
    beside 2023 ones is an error at its date."""
    text = minimal_text.replace(
        "labour_force: {value: 6000, date: 2023-12-31, source: Tilastokeskus}",
        "labour_force: {value: 6000, date: 2015-12-31, source: Tilastokeskus}")
    assert found(write_plan(text), "L380-12-YEAR") == [
        "plan/plan.yaml:26:35: error L380-12-YEAR: naapuri: labour_force is of 2015, the other "
        "members' of 2023; add up figures of one statistical year of Statistics Finland's "
        "employment statistics [380/2023 12 § 2 mom.]"]
    assert found(write_plan(minimal_text), "L380-12-YEAR") == []
