"""Each rule: one input that triggers it (message and line asserted) and one that does not."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from planbuilder.load import load_plan
from planbuilder.rules import all_rules, check

Writer = Callable[..., Path]


def findings(folder: Path, rule_id: str | None = None) -> list[str]:
    """Errors and warnings (information only when its rule is asked for)."""
    found = check(load_plan(folder))
    return [f.format() for f in found
            if (rule_id is None and f.severity != "info") or f.rule == rule_id]


def test_minimal_plan_is_clean(write_plan: Writer) -> None:
    assert findings(write_plan()) == []
    # two members and no agreement: a reminder that one is needed and goes to TEM
    assert findings(write_plan(), "L380-15-1") == [
        "plan/plan.yaml:3:1: info L380-15-1: the area has several member municipalities but "
        "no agreement on a joint body: add one (kuntalaki 51–52 §); it goes to TEM with the "
        "organising plan [380/2023 15 § 1 mom.]"]


def _drop_section(text: str, key: str) -> str:
    lines = text.splitlines(keepends=True)
    start = lines.index(f"  {key}:\n")
    end = next((i for i in range(start + 1, len(lines)) if not lines[i].startswith("    ")),
               len(lines))
    return "".join(lines[:start] + lines[end:])


@pytest.mark.parametrize(("key", "item", "name"), [
    ("resources", 1, "taloudelliset ja henkilöstövoimavarat sekä niiden kohdentuminen"),
    ("production", 2, "palvelujen tuottamista ja kohdentamista koskevat ratkaisut"),
    ("offices", 3, "toimipisteiden määrä ja sijoittuminen"),
    ("partners", 4, "yhteistyötahot ja -muodot"),
    ("immigration_matching_mobility", 5, "työperäisen maahanmuuton, työvoiman ja työpaikkojen "
     "kohtaannon sekä työvoiman liikkuvuuden edistäminen"),
    ("structural_change", 6, "varautuminen rakennemuutostilanteisiin"),
])
def test_missing_statutory_section(write_plan: Writer, minimal_text: str, key: str, item: int,
                                   name: str) -> None:
    text = _drop_section(minimal_text, key)
    if key == "partners":  # references to the partner would also fail; keep this test focused
        text = text.replace(", partners: [hva]", "")
    found = check(load_plan(write_plan(text)))
    errors = [f for f in found if f.severity == "error"]
    assert [f.format() for f in errors] == [
        f"plan/plan.yaml:28:1: error L380-15-4-{item}: section '{key}' ({name}) is missing [380/2023 15 § 4 mom. {item} k.]"]
    assert errors[0].citation == f"380/2023 15 § 4 mom. {item} k."


def test_thin_section_is_not_substantive(write_plan: Writer) -> None:
    folder = write_plan(replace=(
        "    offices:\n      - {municipality: testila, place: Testilän keskusta, kind: staffed}\n"
        "      - {municipality: naapuri, place: Naapurin kunnantalo, kind: appointment}\n",
        "    offices: []\n"))
    assert findings(folder, "L380-15-4-3") == [
        "plan/plan.yaml:43:3: error L380-15-4-3: section 'offices' (toimipisteiden määrä ja "
        "sijoittuminen) is not substantive: no offices listed (a convention of planbuilder) [380/2023 15 § 4 mom. 3 k.]"]
    folder = write_plan(replace=(
        "      Työllisyysalueella on yksi jatkuvasti miehitetty toimipiste Testilän keskustassa ja"
        "\n      ajanvarauksella toimiva palvelupiste Naapurissa. Etäpalvelut ovat käytettävissä "
        "koko\n      alueella puhelimitse ja verkossa, joten palvelut ovat saavutettavia.",
        "      Toimipiste on Testilässä."))
    assert findings(folder, "L380-15-4-3") == [
        "plan/plan.yaml:43:3: error L380-15-4-3: section 'offices' (toimipisteiden määrä ja "
        "sijoittuminen) is not substantive: 3 words of prose (at least 15) [380/2023 15 § 4 mom. 3 k.]"]


def test_item5_themes(write_plan: Writer) -> None:
    folder = write_plan(replace=("{title: Seudullinen työnvälitys, theme: mobility}",
                                 "{title: Seudullinen työnvälitys, theme: matching}"))
    assert findings(folder) == ["plan/plan.yaml:63:5: warning L380-15-4-5-THEMES: no measure "
                                "with theme mobility [380/2023 15 § 4 mom. 5 k.]"]


def test_labour_force_below_20000(write_plan: Writer, minimal_text: str) -> None:
    text = minimal_text.replace("{value: 6000,", "{value: 4000,")
    assert findings(write_plan(text), "L380-12-1") == [
        "plan/plan.yaml:15:1: error L380-12-1: committed members' labour force is 19\u00a0000, "
        "below 20 000, and no exception ground (383/2023 4 §) is named in area.exception [380/2023 12 § 1–2 mom.; 383/2023 4 § 1 mom.]"]
    optional = text.replace("    name: Naapuri\n", "    name: Naapuri\n    membership: optional\n")
    assert findings(write_plan(optional), "L380-12-1") == [
        "plan/plan.yaml:15:1: error L380-12-1: committed members' labour force is 15\u00a0000 "
        "(19\u00a0000 with optional members), below 20 000, and no exception ground (383/2023 4 §) "
        "is named in area.exception [380/2023 12 § 1–2 mom.; 383/2023 4 § 1 mom.]"]
    excepted = text.replace("  contiguity:\n", "  exception:\n    ground: language_rights\n"
                            "    justification: Alueen ruotsinkielisten palvelut turvataan "
                            "parhaiten omana kaksikielisenä alueena, jota naapurit eivät muodosta."
                            "\n    decision: {date: 2023-10-15, dnro: VN/1234/2023}"
                            "\n  contiguity:\n")
    assert findings(write_plan(excepted)) == []
    # a named ground is not a permit: the Government grants it on application
    applied = excepted.replace("    decision: {date: 2023-10-15, dnro: VN/1234/2023}",
                               "    applied: 2023-09-01")
    assert findings(write_plan(applied), "L383-4") == [
        "plan/plan.yaml:15:5: warning L383-4: the exception is applied for, not yet granted: "
        "the area may not rely on it until the Government decides [383/2023 4 § 1 mom., 4 § 3 mom., "
        "3 § 1 mom.]"]
    named_only = excepted.replace("    decision: {date: 2023-10-15, dnro: VN/1234/2023}\n", "")
    assert findings(write_plan(named_only), "L383-4") == [
        "plan/plan.yaml:12:3: error L383-4: the exception is a Government permit: record its "
        "decision (decision: {date, dnro}) or the date it was applied for (applied: date) "
        "[383/2023 4 § 1 mom., 4 § 3 mom., 3 § 1 mom.]"]


def test_labour_force_statistic_missing(write_plan: Writer) -> None:
    folder = write_plan(replace=(
        "      labour_force: {value: 6000, date: 2023-12-31, source: Tilastokeskus}\n", ""))
    assert findings(folder, "L380-12-1") == [
        "plan/plan.yaml:15:1: error L380-12-1: labour_force missing for committed member(s) "
        "naapuri; the 20 000 test cannot be made [380/2023 12 § 1–2 mom.; 383/2023 4 § 1 mom.]"]


def test_exception_needs_justification(write_plan: Writer) -> None:
    folder = write_plan(replace=("  contiguity:\n", "  exception:\n    ground: sami_rights\n"
                                 "    justification: Saamelaisalue.\n"
                                 "    applied: 2023-09-01\n  contiguity:\n"))
    assert findings(folder, "L383-4") == [
        "plan/plan.yaml:14:5: error L383-4: exception ground 'sami_rights' needs a justification "
        "of at least 10 words [383/2023 4 § 1 mom., 4 § 3 mom., 3 § 1 mom.]",
        "plan/plan.yaml:15:5: warning L383-4: the exception is applied for, not yet granted: "
        "the area may not rely on it until the Government decides [383/2023 4 § 1 mom., 4 § 3 mom., "
        "3 § 1 mom.]"]


def test_contiguity(write_plan: Writer, minimal_text: str) -> None:
    assert findings(write_plan(replace=("    declared: true", "    declared: false")),
                    "L380-12-2") == [
        "plan/plan.yaml:13:5: error L380-12-2: the area is not declared contiguous: 380/2023 "
        "12 § 1 mom. requires a geographically contiguous area that works for the labour "
        "market and commuting, and an exception of 383/2023 4 § concerns only the 20 000 "
        "minimum [380/2023 12 § 1 mom.; 383/2023 4 § 1 mom.]"]
    text = minimal_text.replace("  contiguity:\n    declared: true\n", "  contig:\n"
                                "    declared: true\n")
    text = text.replace("  contig:\n    declared: true\n    description:", "  version2:")
    folder = write_plan(text.replace("  version2:", "  #"))
    assert findings(folder, "L380-12-2") == [
        "plan/plan.yaml:3:1: error L380-12-2: area.contiguity is not declared [380/2023 12 § 1 mom.; "
        "383/2023 4 § 1 mom.]"]


def test_references(write_plan: Writer, minimal_text: str) -> None:
    assert findings(write_plan(replace=("  host: testila", "  host: testla")), "PB-REF") == [
        "plan/plan.yaml:5:3: error PB-REF: host 'testla' is not a member id (testila, naapuri)"]
    assert findings(write_plan(replace=("partners: [hva],", "partners: [hyva],")),
                    "PB-REF") == [
        "plan/plan.yaml:42:71: error PB-REF: service 'tyonvalitys' names partner 'hyva', which "
        "is not in sections.partners"]
    assert findings(write_plan(replace=("theme: matching, partners: [hva]",
                                        "theme: matching, partners: [kela]")), "PB-REF") == [
        "plan/plan.yaml:65:68: error PB-REF: measure 'Rekrytointitapahtumat' names partner "
        "'kela', which is not in sections.partners"]
    assert findings(write_plan(replace=("  - id: naapuri", "  - id: testila")), "PB-REF") == [
        "plan/plan.yaml:22:5: error PB-REF: member id 'testila' is used twice"]


def test_office_outside_members(write_plan: Writer) -> None:
    folder = write_plan(replace=("{municipality: naapuri, place: Naapurin",
                                 "{municipality: kaukola, place: Naapurin"))
    assert findings(folder, "PB-OFFICE") == [
        "plan/plan.yaml:50:10: error PB-OFFICE: office 'Naapurin kunnantalo' lies in 'kaukola', "
        "which is not a member municipality"]


def test_statistic_without_source_warns(write_plan: Writer) -> None:
    folder = write_plan(replace=("{value: 12000, date: 2023-12-31, source: Tilastokeskus}",
                                 "{value: 12000}"))
    assert findings(folder) == ["plan/plan.yaml:27:7: warning PB-STAT-SOURCE: naapuri: "
                                "statistic 'population' has no date or source"]


def test_bilingual_body_needs_swedish(write_plan: Writer, minimal_text: str) -> None:
    text = minimal_text.replace("    name: Naapuri\n    language: fi",
                                "    name: Naapuri\n    language: bilingual")
    folder = write_plan(text.replace("  version: \"0.1\"\n", "  version: \"0.1\"\n"
                                     "  languages: [fi]\n"))
    assert findings(folder, "L423-6") == [
        "plan/plan.yaml:11:3: error L423-6: the joint body is bilingual (naapuri (bilingual)) "
        "but area.languages does not include sv [423/2003 6 § 1 mom. 2 k., 29 § 1 mom., 32 § 2 mom.]"]
    swedish = findings(write_plan(text), "L423-6-TEXT")
    assert "plan/plan.yaml:17:5: warning L423-6-TEXT: no Swedish text (sv); the Finnish text " \
        "would be used [423/2003 6 § 1 mom. 2 k., 29 § 1 mom., 32 § 2 mom.]" in swedish
    assert not any(":4:" in f for f in swedish)  # area.name has sv


def test_every_rule_has_citation_or_is_internal_and_is_explained() -> None:
    rules = all_rules()
    assert len({r.id for r in rules}) == len(rules)
    for r in rules:
        for lang in ("fi", "sv", "en"):
            assert r.explanation(lang) and r.title(lang), (r.id, lang)
        if r.id[:2] in ("L3", "L4", "KL", "L6"):
            assert r.citation, r.id


def test_an_optional_member_does_not_make_the_body_bilingual(write_plan: Writer,
                                                              minimal_text: str) -> None:
    text = minimal_text.replace("    name: Naapuri\n    language: fi",
                                "    name: Naapuri\n    language: bilingual\n"
                                "    membership: optional")
    plan = load_plan(write_plan(text)).plan
    assert plan.bilingual is False  # kielilaki 6 §: members of the body, not candidates
    assert plan.languages == ["fi", "sv"]  # yet its council gets Swedish documents to decide
    committed = load_plan(write_plan(text.replace("    membership: optional\n", ""))).plan
    assert committed.bilingual is True


def test_lorem_ipsum_is_not_substance_and_a_plan_needs_money_and_targets(
        write_plan: Writer, minimal_text: str) -> None:
    filler = ("      Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod "
              "tempor incididunt ut labore et dolore magna aliqua.\n")
    text = minimal_text.replace(
        "      Työllisyysalueen toimintaan varataan valtiolta siirtyvä henkilöstö sekä kuntien\n",
        filler, 1)
    (finding,) = findings(write_plan(text), "L380-15-4-1")
    assert "its prose is placeholder text (lorem ipsum)" in finding
    # no budget and no money in the prose; no target groups anywhere
    bare = minimal_text.replace("ja talousarvio laaditaan vastuukunnan talousarvion yhteydessä",
                                "ja asiakasmäärät seurataan kuukausittain").replace(
        ", target_groups: [Nuoret]", "")
    assert [f.split(": ", 2)[1:] for f in findings(write_plan(bare))] == [
        ["error L380-15-4-1", "the financial resources are not shown: add a budget, or say "
         "in the prose what money the tasks have [380/2023 15 § 4 mom. 1 k.]"],
        ["warning L380-15-4-2", "the targeting of the services is not shown: list the target "
         "groups (target_groups) [380/2023 15 § 4 mom. 2 k.]"]]


def test_a_warning_can_be_acknowledged_an_error_cannot(write_plan: Writer,
                                                       minimal_text: str) -> None:
    from planbuilder.compose import compose_plan
    from planbuilder.compose.templates import TemplateSet
    from planbuilder.document import text_blocks

    warned = minimal_text.replace("{value: 12000, date: 2023-12-31, source: Tilastokeskus}",
                                  "{value: 12000}")
    acknowledged = warned + (
        "acknowledge:\n  - rule: PB-STAT-SOURCE\n"
        "    reason: Väestö on laskettu kunnan omasta rekisteristä, lähde liitteessä.\n"
        "    basis: valmisteluryhmän päätös 5.6.2024\n")
    found = check(load_plan(write_plan(acknowledged)))
    (source,) = [f for f in found if f.rule == "PB-STAT-SOURCE"]
    assert source.severity == "warning" and source.acknowledged.startswith("Väestö on")
    assert source.format().endswith("(acknowledged: Väestö on laskettu kunnan omasta "
                                    "rekisteristä, lähde liitteessä.)")
    loaded = load_plan(write_plan(acknowledged))
    plan = loaded.plan
    text = " ".join(text_blocks(compose_plan(plan, "fi", TemplateSet.load(), None,
                                             plan.area.date)))
    # a council document prints no rule ids and no preparation notes (issue 25) ...
    assert "PB-STAT-SOURCE" not in text and "Väestö on laskettu" not in text
    # ... the preparation report carries the acknowledgement, its place and its reason
    from planbuilder.compose.preparation import compose_report

    report = " ".join(text_blocks(compose_report(plan, "fi", TemplateSet.load(), None,
                                                 plan.area.date, found, [])))
    assert "Käsitellyt ja hyväksytyt varoitukset" in report
    assert "PB-STAT-SOURCE plan/plan.yaml:" in report
    assert "Väestö on laskettu kunnan omasta rekisteristä, lähde liitteessä. " \
        "(valmisteluryhmän päätös 5.6.2024)" in report
    # an error stays an error, and the attempt is reported
    erring = minimal_text.replace("  host: testila", "  host: testla") + (
        "acknowledge:\n  - {rule: PB-REF, reason: Vastuukunta päätetään myöhemmin.}\n"
        "  - {rule: NO-SUCH, reason: Kokeilu.}\n")
    found = check(load_plan(write_plan(erring)))
    assert [f.format() for f in found if f.rule == "PB-ACK"] == [
        "plan/plan.yaml:75:6: error PB-ACK: PB-REF reports an error here, and errors cannot "
        "be acknowledged",
        "plan/plan.yaml:76:6: error PB-ACK: no rule 'NO-SUCH' (planbuilder rules lists them)"]
    assert all(not f.acknowledged for f in found if f.rule == "PB-REF")


def test_a_plain_string_source_in_a_swedish_document_is_noticed(write_plan: Writer,
                                                                 minimal_text: str) -> None:
    """A statistic's source prints under the Swedish statistics table too: without an sv
    text the Finnish one would appear there (kielilaki 32 §)."""
    text = minimal_text.replace("  version: \"0.1\"\n", "  version: \"0.1\"\n"
                                "  languages: [fi, sv]\n")
    found = findings(write_plan(text), "L423-6-TEXT")
    assert "plan/plan.yaml:22:52: warning L423-6-TEXT: no Swedish text (sv); the Finnish text " \
        "would be used [423/2003 6 § 1 mom. 2 k., 29 § 1 mom., 32 § 2 mom.]" in found


def test_statistics_dated_against_the_models_rule(write_plan: Writer, minimal_text: str) -> None:
    """Porvoo's case: the rule says 31.12. of the year before the budget year (2024 for
    2025), the figures are of 31.12.2023."""
    money = (Path(__file__).parent / "fixtures" / "money.yaml").read_text(encoding="utf-8")
    money = money.replace("{statistic: population, weight: 100}",
                          "{statistic: population, weight: 100, "
                          "as_of: {years_before: 1, month: 12, day: 31}}")
    assert "as_of" in money
    folder = write_plan(minimal_text + money)
    (finding,) = findings(folder, "PB-STAT-DATE")
    assert finding.endswith("warning PB-STAT-DATE: model 'vaesto' takes 'population' at "
                            "31.12.2024 for 2025, but it is dated otherwise for: testila "
                            "31.12.2023, naapuri 31.12.2023")
    current = (minimal_text + money).replace("population: {value: 30000, date: 2023-12-31",
                                             "population: {value: 30000, date: 2024-12-31")
    current = current.replace("population: {value: 12000, date: 2023-12-31",
                              "population: {value: 12000, date: 2024-12-31")
    assert findings(write_plan(current), "PB-STAT-DATE") == []
