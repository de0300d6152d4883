"""The plan and agreement of one employment area as typed models.

Every field is documented where it is declared; the descriptions become the JSON schema
(`planbuilder schema`) that gives preparers autocompletion in their editor.
Locations (file:line:column) are not stored on the models: the loader keeps a source map
from key paths to locations beside the plan (see `load.LoadedPlan`).
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Annotated, Any, Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from planbuilder.langs import LANGS as LANGS  # re-exported: the model's languages
from planbuilder.langs import Lang as Lang
from planbuilder.messages import Msg, msg

ID_PATTERN = r"^[a-z][a-z0-9_-]{0,63}$"
Identifier = Annotated[
    str,
    Field(
        pattern=ID_PATTERN,
        description="Short stable id: lower-case letters, digits, '-' or '_'.",
    ),
]
Amount = Annotated[Decimal, Field(ge=0, max_digits=15, decimal_places=2)]
NonNegative = Annotated[Decimal, Field(ge=0, max_digits=15, decimal_places=4)]


CHECK_ERROR = "plan_check"  # the error type of a model's own check (see `_invalid`)


def _invalid(message: Msg) -> PydanticCustomError:
    """A model's own check failed: pydantic's error of type CHECK_ERROR whose context is the
    message's key and values, so the loader words it in the reader's language (the error's
    own text, in English, is for developers)."""
    return PydanticCustomError(CHECK_ERROR, message.text("en"),
                               {"key": message.key, **dict(message.params)})


class Strict(BaseModel):
    """Base of every plan model: unknown keys are errors (misspellings must not vanish)."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


class Text(Strict):
    """Text in Finnish, optionally in Swedish. A plain string means Finnish only."""

    fi: str = Field(description="Finnish text (Markdown where the field is prose).")
    sv: str | None = Field(default=None, description="Swedish text (Markdown where prose).")

    @model_validator(mode="before")
    @classmethod
    def _plain_string_is_finnish(cls, value: Any) -> Any:
        if isinstance(value, str):
            return {"fi": value}
        return value

    def get(self, lang: Lang) -> str:
        """The text in `lang`, falling back to Finnish (reported by rule L423-6-TEXT)."""
        if lang == "sv" and self.sv is not None:
            return self.sv
        return self.fi

    def has(self, lang: Lang) -> bool:
        return lang == "fi" or self.sv is not None


# --- area and members -------------------------------------------------------------------

BuiltinStatistic = Literal[
    "population",
    "population_18_64",
    "labour_force",
    "employed",
    "unemployed",
    "broad_unemployment",
    "unemployed_and_in_services",
    "structural_unemployment_broad",
    "foreign_background_broad_unemployment",
    "foreign_language",
    "jobs",
    "job_seekers",
]
STATISTIC_NAMES: tuple[str, ...] = BuiltinStatistic.__args__  # type: ignore[attr-defined]
# A built-in statistic, or one the plan declares under `statistics:` (PB-STAT-NAME checks
# that every name used is one of them). Editors complete the built-in names.
StatisticName = BuiltinStatistic | Identifier

# What each statistic means, and where its figure usually comes from (docs/format.md).
STATISTIC_DEFINITIONS: dict[str, str] = {
    "population": "Residents of the municipality at the reference date (Statistics Finland, "
                  "population structure).",
    "population_18_64": "Residents aged 18–64, the working-age population (Statistics "
                        "Finland, population structure).",
    "labour_force": "Employed plus unemployed residents (Statistics Finland, employment "
                    "statistics): the figure of 380/2023 12 § 2 mom. for the 20 000 test.",
    "employed": "Employed residents (Statistics Finland, employment statistics).",
    "unemployed": "Unemployed jobseekers, at the end of a month or as a monthly average "
                  "(Ministry of Economic Affairs and Employment, employment service "
                  "statistics).",
    "broad_unemployment": "Broad unemployment: the unemployed together with jobseekers in "
                          "employment-promoting services (employment service statistics).",
    "unemployed_and_in_services": "Unemployed jobseekers and those in employment-promoting "
                                  "services (employment service statistics); Porvoo's "
                                  "criterion.",
    "structural_unemployment_broad": "Broad structural unemployment: the long-term and "
                                     "repeatedly unemployed, and those in services among "
                                     "them (employment service statistics).",
    "foreign_background_broad_unemployment": "Broad unemployment among jobseekers of "
                                             "foreign background or language (employment "
                                             "service statistics).",
    "foreign_language": "Residents whose mother tongue is other than Finnish, Swedish or "
                        "Sámi (Statistics Finland, population by language).",
    "jobs": "Jobs located in the municipality (Statistics Finland, employment statistics).",
    "job_seekers": "All jobseekers, employed ones included (employment service statistics).",
}


class StatisticDefinition(Strict):
    """A statistic the plan declares for itself (e.g. long-term unemployed, clients,
    wage-subsidy months): usable in criteria, tables and the appendix like a built-in one."""

    id: Identifier = Field(description="The name members' statistics and criteria use.")
    label: Text = Field(description="How documents name it, in Finnish and Swedish.")
    unit: Text | None = Field(default=None, description="What is counted, e.g. 'henkilöä' / "
                              "'personer', 'kuukautta' / 'månader'.")
    definition: Text = Field(description="What the figure counts, printed in the plan's "
                             "statistics appendix.")
    source: Text | None = Field(default=None, description="Where the figures usually come "
                                "from.")


Month = Annotated[str, Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]
Year = Annotated[int, Field(ge=1900, le=2200)]
SectionKey = Literal["resources", "production", "offices", "partners",
                     "immigration_matching_mobility", "structural_change"]


Period = Year | Month


class SeriesGroup(Strict):
    """One row of a statistics table: a group (e.g. the under 25-year-olds), a member
    municipality, or one of several related figures, with its values and forecasts."""

    label: Text | None = Field(default=None, description="The row's name, e.g. 'Alle "
                               "25-vuotiaat' / 'Under 25 år' (default: the member's name).")
    member: Identifier | None = Field(default=None, description="The member municipality "
                                      "the row is for (members[].id), instead of a label.")
    unit: Text | None = Field(default=None, description="The row's own unit, when it differs "
                              "from the series' unit (printed with the row's name).")
    values: dict[Period, NonNegative] = Field(default_factory=dict, description="Year or "
                                              "month -> value.")
    forecast: dict[Period, NonNegative] = Field(default_factory=dict, description="Year or "
                                                "month -> forecast value, after the values.")

    @model_validator(mode="after")
    def _named(self) -> SeriesGroup:
        if self.label is None and self.member is None:
            raise _invalid(msg("schema.check_text.series_group_name"))
        if not self.values and not self.forecast:
            raise _invalid(msg("schema.check_text.series_group_values"))
        if set(self.values) & set(self.forecast):
            raise _invalid(msg("schema.check_text.series_forecast_twice",
                               periods=sorted(map(str, set(self.values) & set(self.forecast)))))
        return self


class Series(Strict):
    """An area-level figure over time for the situation analysis, by year (2024) or by
    month ("2024-05"), with its source: shown as a table and a chart in the section it
    belongs to, or in the statistics appendix. With `groups` it has a second dimension
    (groups of jobseekers, the area against a member, related figures): one table with a
    row or column per group and at most one chart. Forecasts are marked as such."""

    id: Identifier
    label: Text
    unit: Text | None = Field(default=None, description="e.g. '%' or 'henkilöä': printed "
                              "once in the table's header, not in its cells.")
    source: Text
    section: SectionKey | None = Field(default=None, description="The statutory section "
                                       "that shows it; none: the statistics appendix.")
    values: dict[Period, NonNegative] = Field(default_factory=dict, description="Year or "
                                              "month -> value (a series without groups).")
    forecast: dict[Period, NonNegative] = Field(default_factory=dict, description="Year or "
                                                "month -> forecast value of a series without "
                                                "groups; marked as a forecast.")
    groups: list[SeriesGroup] = Field(default_factory=list, description="The rows of a "
                                      "two-dimensional series, instead of `values`.")
    forecast_source: Text | None = Field(default=None, description="Who made the forecast "
                                         "and when, printed under the table.")
    chart: bool = Field(default=True, description="false: the table alone, no chart.")
    illustrative: bool = False

    @model_validator(mode="after")
    def _one_kind(self) -> Series:
        if bool(self.values or self.forecast) == bool(self.groups):
            raise _invalid(msg("schema.check_text.series_values_or_groups"))
        if set(self.values) & set(self.forecast):
            raise _invalid(msg("schema.check_text.series_forecast_twice",
                               periods=sorted(map(str, set(self.values) & set(self.forecast)))))
        if len({type(k) for row in self.rows for k in (*row.values, *row.forecast)}) > 1:
            raise _invalid(msg("schema.check_text.series_one_kind"))
        return self

    @property
    def rows(self) -> list[SeriesGroup]:
        """The table's rows: the groups, or the series itself as its one row."""
        if self.groups:
            return list(self.groups)
        return [SeriesGroup(label=self.label, values=self.values, forecast=self.forecast)]

    @property
    def periods(self) -> list[int | str]:
        """Every period of every row, in time order (values and forecasts)."""
        return sorted({k for row in self.rows for k in (*row.values, *row.forecast)}, key=str)

    @property
    def forecast_periods(self) -> set[int | str]:
        """The periods some row gives only as a forecast."""
        return {k for row in self.rows for k in row.forecast}


class Statistic(Strict):
    """One figure of one municipality, with what it measures at which date and from where."""

    value: NonNegative = Field(description="The figure (persons; may be a monthly average).")
    date: dt.date | None = Field(
        default=None, description="Reference date, e.g. 2023-12-31 (ISO form in YAML)."
    )
    source: Text | None = Field(
        default=None, description="Where the figure comes from, e.g. 'Tilastokeskus, ...'."
    )
    illustrative: bool = Field(
        default=False,
        description="True when the figure is not from the source yet (example plans).",
    )


class Projection(Strict):
    """A time series per year, e.g. the labour force 2021-2040 (Kuopio's preparation material)."""

    statistic: StatisticName = Field(description="What is projected.")
    values: dict[Annotated[int, Field(ge=1900, le=2200)], NonNegative] = Field(
        description="Year (1900-2200) -> value.")
    source: Text | None = Field(default=None, description="Source of the projection.")
    illustrative: bool = False


class Member(Strict):
    """A member municipality of the employment area."""

    id: Identifier
    name: Text = Field(description="Municipality name in Finnish and Swedish.")
    code: str | None = Field(
        default=None, pattern=r"^\d{3}$", description="The municipality's code (kuntanumero) "
        "in Statistics Finland's classification of municipalities, three digits in quotes, "
        "e.g. '638' for Porvoo: checked against the classification (PB-MEMBER-CODE); "
        "`stats update` finds the member's figures in StatFin by it.")
    formal_name: Text | None = Field(
        default=None, description="The municipality as a party names itself, e.g. "
        "{fi: Porvoon kaupunki, sv: Borgå stad}, {fi: Askolan kunta, sv: Askola kommun}: "
        "in the agreement's parties list, seats table and signatures and the proposals' "
        "recipients (default: the name).")
    language: Literal["fi", "sv", "bilingual"] = Field(
        description="Language status of the municipality (kielilaki 423/2003 § 5), as the "
        "Government decree on the language status of municipalities 2023–2032 sets it "
        "(rule L423-5 checks it)."
    )
    kind: Literal["kaupunki", "kunta"] | None = Field(
        default=None, description="Whether the municipality calls itself a city (kaupunki, "
        "stad) or a municipality (kunta, kommun), which names its bodies "
        "(kaupunginhallitus/kunnanhallitus, stadsstyrelsen/kommunstyrelsen). Default: as "
        "planbuilder's list of Finland's municipalities says; state it for a municipality "
        "the list does not know or where the list is behind.")
    membership: Literal["committed", "optional"] = Field(
        default="committed",
        description="'optional' for undecided members shown as a scenario (as in Kuopio's "
        "preparation material).",
    )
    statistics: dict[StatisticName, Statistic] = Field(
        default_factory=dict, description="Statistics by name, each with date and source."
    )
    projections: list[Projection] = Field(default_factory=list)
    council: Text | None = Field(
        default=None,
        description="The deciding council, e.g. 'Porvoon kaupunginvaltuusto' (decision documents).",
    )


class Contiguity(Strict):
    """380/2023 § 12: the area is geographically contiguous and a commuting area."""

    declared: bool = Field(description="The preparer declares the area contiguous.")
    description: Text = Field(description="How the area forms a functional commuting area.")


ExceptionGround = Literal[
    "archipelago_or_long_distances",
    "language_rights",
    "sami_rights",
    "merging_commuting_areas",
    "other_special_reason",
]


class PermitDecision(Strict):
    date: dt.date = Field(description="Date of the Government's decision.")
    dnro: str = Field(max_length=60, description="Its diary number.")


class AreaException(Strict):
    """An exception of act 383/2023 § 4 to the requirements of 380/2023 § 12: a permit the
    Government grants on application."""

    ground: ExceptionGround
    justification: Text
    applied: dt.date | None = Field(default=None, description="Date the permit was applied for.")
    decision: PermitDecision | None = Field(default=None,
                                            description="The Government's decision granting it.")
    conditions: Text | None = Field(
        default=None, description="How the permit's conditions are met (383/2023 4 § 2 mom.): "
        "the financial and personnel resources the municipalities reserve, and why the service "
        "level of the area and of the other employment areas does not deteriorate "
        "significantly.")
    evidence: list[Text] = Field(
        default_factory=list, description="The reports attached to the application to show "
        "the ground (383/2023 4 § 3 mom.), e.g. 'Selvitys saaristoisuudesta ja "
        "etäisyyksistä 9/2023'; the organising plan is attached too.")


class JointBodyName(Strict):
    name: Text = Field(description="E.g. 'TE-jaosto' / 'TE-sektionen'.")
    under: Text | None = Field(
        default=None, description="The host board it works under, e.g. 'elinvoimalautakunta'."
    )
    illustrative: bool = Field(default=False, description="The name is not decided yet.")


class Deviation(Strict):
    """Where the plan knowingly differs from its source document, and why; printed in the
    plan's appendix and in the decision proposals."""

    what: Text = Field(description="What differs and why.")
    source: str | None = Field(default=None, max_length=200,
                               description="The source it differs from.")


class Area(Strict):
    """The employment area itself."""

    name: Text
    host: Identifier = Field(description="Member id of the host municipality (vastuukunta).")
    joint_body: JointBodyName
    budget_year: int = Field(ge=2023, le=2100)
    status: Literal["draft", "proposal", "approved"] = "draft"
    version: str = Field(default="1", max_length=40)
    date: dt.date = Field(description="Date of this version of the document.")
    languages: list[Lang] | None = Field(
        default=None,
        description="Document languages; default fi, plus sv when any member is sv or bilingual.",
    )
    contiguity: Contiguity | None = None
    exception: AreaException | None = None
    introduction: Text | None = Field(default=None, description="Opening prose (Markdown).")
    deviations: list[Deviation] = Field(default_factory=list,
                                        description="Deviations from the source documents.")


# --- the six statutory sections of 380/2023 § 15(4) --------------------------------------


class StaffLine(Strict):
    function: Text = Field(description="Task or function, e.g. 'Asiakaspalvelu'.")
    htv: NonNegative = Field(description="Person-years (henkilötyövuosi).")
    origin: Literal["state_transfer", "municipal_addition", "municipal_existing"] = Field(
        description="Transferring state staff, added municipal staff or existing municipal staff."
    )
    note: Text | None = None
    illustrative: bool = Field(default=False, description="The person-years are not final.")


class Project(Strict):
    """A project the plan relies on, e.g. an ESR+ project: its period, consortium, funder,
    funding and goals, and the budget line its funding comes in on."""

    id: Identifier
    name: Text
    start: dt.date
    end: dt.date
    funder: Text = Field(description="Who funds it, e.g. 'ESR+ / Hämeen ELY-keskus'.")
    funding: Amount | None = Field(default=None, description="Funding over the whole "
                                   "period, euros.")
    consortium: list[Text] = Field(default_factory=list, description="Who carries it out.")
    goals: list[Text] = Field(default_factory=list)
    income_line: Identifier | None = Field(
        default=None, description="The budget line (kind income) its funding comes in on.")
    illustrative: bool = False


class Goal(Strict):
    """A programme goal with the indicator that measures it and its target."""

    title: Text
    indicator: Text
    unit: Text | None = Field(default=None, description="e.g. '%' or 'henkilöä'.")
    baseline: Decimal | None = Field(default=None, description="The indicator's value now.")
    baseline_year: Annotated[int, Field(ge=2000, le=2200)] | None = None
    target: Decimal
    target_year: Annotated[int, Field(ge=2000, le=2200)]
    source: Text | None = None
    illustrative: bool = Field(default=False, description="The baseline or the target is "
                               "not final yet.")


PreparationStatus = Literal["not_started", "in_preparation", "ready"]


class PlannedChange(Strict):
    """A change decided in principle whose details are still being prepared, e.g. "moving to
    cost-causation sharing from 2027; the model is being prepared": shown as planned, not in
    force, without figures. Money is never computed from it (the model in force shares the
    budget until the change's own model is written under `cost_sharing.models`)."""

    change: Text = Field(description="What is to change, e.g. 'Siirrytään "
                         "aiheuttamisperusteiseen kustannustenjakoon.'")
    effective: dt.date = Field(description="From when the change is meant to apply, e.g. "
                               "2027-01-01.")
    decided: dt.date | None = Field(default=None, description="Date of the decision in "
                                    "principle.")
    decided_by: Text | None = Field(default=None, description="Who decided it in principle, "
                                    "e.g. 'Kuntajohtajien kokous'.")
    preparation: PreparationStatus = Field(
        default="in_preparation", description="not_started, in_preparation, or ready (for "
        "the decision).")
    note: Text | None = None


class SourceDocument(Strict):
    """A document cited by its own title and date."""

    title: Text = Field(description="The document's own title, e.g. 'Hallituksen esitys "
                        "HE 45/2026 vp'.")
    date: dt.date | None = Field(default=None, description="Its date.")


# A figure or a range: 1.5, or [1, 1.5] for "1–1,5"; negative for a decrease.
Effect = Annotated[Decimal, Field(max_digits=15, decimal_places=2)] | tuple[
    Annotated[Decimal, Field(max_digits=15, decimal_places=2)],
    Annotated[Decimal, Field(max_digits=15, decimal_places=2)]]
LawChangeStatus = Literal["decided", "estimated", "reallocation", "unclear"]


def bounds(effect: Effect) -> tuple[Decimal, Decimal]:
    """An effect's low and high figure (the same for a single figure)."""
    return (effect[0], effect[1]) if isinstance(effect, tuple) else (effect, effect)


class LawChange(Strict):
    """A change of law (or of the state's funding) that affects the area's staff or money,
    as status decks tabulate them: what changes, from when, its effect in person-years and
    euros (a figure or a range), how sure it is, and the source."""

    change: Text = Field(description="What changes, e.g. 'Työnhaun tukeminen siirtyy "
                         "kunnille'.")
    statute: Text | None = Field(default=None, description="The statute or government "
                                 "proposal, e.g. 'HE 45/2026 vp' or 'laki 380/2023 muutos'.")
    effective: dt.date = Field(description="The day the change takes effect.")
    htv: Effect | None = Field(default=None, description="Effect in person-years: 1.5, or a "
                               "range [1, 1.5]; negative for a decrease.")
    euros: Effect | None = Field(default=None, description="Effect in euros a year: 60000, or "
                                 "a range [60000, 90000]; negative for a decrease.")
    status: LawChangeStatus = Field(description="decided, estimated, reallocation (covered by "
                                    "internal reallocation) or unclear.")
    source: SourceDocument | None = Field(default=None, description="Where the change and "
                                          "its effect are stated: title and date.")
    budget_line: Identifier | None = Field(default=None, description="The budget line "
                                           "(budget.lines[].id) the euros fall on.")
    note: Text | None = None
    illustrative: bool = Field(default=False, description="The effect is not final yet.")


def effect_total(effects: list[Effect | None]) -> tuple[Decimal, Decimal] | None:
    """The sum of effects as a range: the lows summed and the highs summed (None when none
    is given)."""
    given = [bounds(e) for e in effects if e is not None]
    if not given:
        return None
    return (sum((lo for lo, _ in given), Decimal(0)), sum((hi for _, hi in given), Decimal(0)))


class Section(Strict):
    """What every section has: its text, and the projects and goals that belong to it."""

    text: Text
    projects: list[Project] = Field(default_factory=list)
    goals: list[Goal] = Field(default_factory=list)
    planned: list[PlannedChange] = Field(
        default_factory=list, description="Changes decided in principle whose details are "
        "still being prepared: shown as planned, not in force.")


class Resources(Section):
    """1) financial and personnel resources and their allocation."""

    staff: list[StaffLine] = Field(default_factory=list)
    law_changes: list[LawChange] = Field(
        default_factory=list, description="Changes of law and their effect on staff and "
        "money: the section's table of law changes, with totals (ranges summed as ranges).")


class Service(Strict):
    id: Identifier
    name: Text
    modes: list[Literal["own", "purchased", "partner", "joint"]] = Field(
        min_length=1, description="Own production, purchased, by a partner, jointly."
    )
    partners: list[Identifier] = Field(
        default_factory=list, description="Partner ids (section partners) involved."
    )
    target_groups: list[Text] = Field(default_factory=list)


class Production(Section):
    """2) solutions for producing and targeting services."""

    services: list[Service] = Field(default_factory=list)
    target_groups: list[Text] = Field(default_factory=list, description="Main target groups.")


class Office(Strict):
    municipality: Identifier = Field(description="Member id where the office lies.")
    place: Text
    kind: Literal["staffed", "appointment", "service_point"] = Field(
        description="Staffed office, by appointment, or service point."
    )
    note: Text | None = None
    illustrative: bool = Field(default=False, description="The office is not decided yet.")


class Offices(Section):
    """3) number and location of offices."""

    offices: list[Office] = Field(default_factory=list)


class Partner(Strict):
    id: Identifier
    name: Text
    kind: Literal[
        "state",
        "wellbeing_area",
        "kela",
        "education",
        "municipal",
        "business",
        "ngo",
        "employment_area",
        "other",
    ]
    cooperation: Text = Field(description="Form of cooperation.")


class Partners(Section):
    """4) partners and forms of cooperation."""

    partners: list[Partner] = Field(default_factory=list)


class Measure(Strict):
    title: Text
    description: Text | None = None
    theme: Literal["immigration", "matching", "mobility", "preparedness", "response"] | None = None
    partners: list[Identifier] = Field(default_factory=list)


class ImmigrationMatchingMobility(Section):
    """5) work-based immigration, matching, labour mobility."""

    measures: list[Measure] = Field(default_factory=list)


class StructuralChange(Section):
    """6) preparedness for structural-change situations."""

    measures: list[Measure] = Field(default_factory=list)


class Sections(Strict):
    """The six items of 380/2023 § 15(4), in statutory order. All are required by law; a
    missing one is reported by its own rule (L380-15-4-1 ... -6) with the citation."""

    resources: Resources | None = None
    production: Production | None = None
    offices: Offices | None = None
    partners: Partners | None = None
    immigration_matching_mobility: ImmigrationMatchingMobility | None = None
    structural_change: StructuralChange | None = None


class StatutorySection(NamedTuple):
    """One item of 380/2023 § 15(4): the one list that rules, templates and tests read."""

    key: str  # field of `Sections`
    item: int  # kohta
    name: str  # as the act words it (Finnish)
    listing: str  # the structured list the section must have
    table: str  # the table (compose.tables) that prints the listing


STATUTORY_SECTIONS: tuple[StatutorySection, ...] = (
    StatutorySection("resources", 1, "taloudelliset ja henkilöstövoimavarat sekä niiden "
                     "kohdentuminen", "staff", "staff"),
    StatutorySection("production", 2, "palvelujen tuottamista ja kohdentamista koskevat "
                     "ratkaisut", "services", "services"),
    StatutorySection("offices", 3, "toimipisteiden määrä ja sijoittuminen", "offices",
                     "offices"),
    StatutorySection("partners", 4, "yhteistyötahot ja -muodot", "partners", "partners"),
    StatutorySection("immigration_matching_mobility", 5, "työperäisen maahanmuuton, työvoiman "
                     "ja työpaikkojen kohtaannon sekä työvoiman liikkuvuuden edistäminen",
                     "measures", "immigration"),
    StatutorySection("structural_change", 6, "varautuminen rakennemuutostilanteisiin",
                     "measures", "structural"),
)


# --- money --------------------------------------------------------------------------------

LineKind = Literal[
    "personnel", "purchased_services", "grants", "overhead", "adjustment", "income", "other"
]


class BudgetLine(Strict):
    """A budget line. Personnel: htv x cost_per_htv, or a given amount; overhead: rate % of
    the named base lines; income is subtracted from the costs."""

    id: Identifier
    kind: LineKind
    label: Text
    amount: Amount | None = Field(default=None, description="Given amount in euros.")
    htv: NonNegative | None = None
    cost_per_htv: Amount | None = None
    rate: Annotated[Decimal, Field(ge=0, le=100, decimal_places=4)] | None = Field(
        default=None, description="Overhead rate in percent."
    )
    base: list[Identifier] = Field(default_factory=list, description="Lines the rate applies to.")
    charged_to: Identifier | None = Field(
        default=None, description="Member that causes and pays this cost directly (not shared)."
    )
    years: dict[Annotated[int, Field(ge=2000, le=2200)], Amount] = Field(
        default_factory=dict, description="The economic plan (taloussuunnitelma): the line's "
        "amount in each plan year after the budget year, e.g. {2026: 310000, 2027: 320000}. "
        "Overhead lines compute theirs from their base lines.")
    source: str | None = None
    illustrative: bool = False


class Budget(Strict):
    precision: Literal["1", "0.01"] = Field(
        default="0.01",
        description="Rounding of computed lines: '1' whole euros (as councils often see), "
        "'0.01' cents.",
    )
    source: Text | None = None
    illustrative: bool = False
    lines: list[BudgetLine] = Field(min_length=1)

    @property
    def plan_years(self) -> list[int]:
        """The economic plan's years after the budget year, as the lines give them."""
        return sorted({year for line in self.lines for year in line.years})


class ReferenceDate(Strict):
    """The date a criterion's statistic is taken at, relative to the budget year: e.g.
    31.12. of the year before ({years_before: 1, month: 12, day: 31})."""

    years_before: int = Field(ge=0, le=10, description="Years before the budget year.")
    month: int = Field(ge=1, le=12)
    day: int = Field(ge=1, le=31)

    def for_year(self, budget_year: int) -> dt.date:
        return dt.date(budget_year - self.years_before, self.month, self.day)


class Criterion(Strict):
    statistic: StatisticName
    weight: Annotated[Decimal, Field(gt=0, le=100, decimal_places=4)] = Field(
        description="Weight in percent, at most 4 decimals.")
    reference: Text | None = Field(
        default=None, description="Reference date rule, e.g. '31.12. of the previous year'."
    )
    as_of: ReferenceDate | None = Field(
        default=None, description="The rule as a date, so the statistics' dates are checked "
        "against it (PB-STAT-DATE).")


class Pool(Strict):
    """A part of the costs a model shares by a key of its own (e.g. wage subsidies by cost
    causation, purchased training by clients): by weighted statistics (`criteria`), by each
    member's own amount (`by_member`: cost causation), or by a price per unit of a
    statistic (`price` x `volume`, e.g. euros per client). What no pool takes is shared by
    the model's own criteria."""

    id: Identifier
    label: Text
    lines: list[Identifier] = Field(
        default_factory=list, description="Budget lines whose amounts form the pool (for "
        "criteria and by_member; a line charged to a member is then shared by the pool's "
        "key in this model).")
    criteria: list[Criterion] = Field(default_factory=list, description="Weighted "
                                      "statistics, weights totalling 100 %.")
    by_member: dict[Identifier, Amount] = Field(
        default_factory=dict, description="Cost causation: each committed member's own "
        "amount; they total the pool's lines.")
    price: Amount | None = Field(default=None, description="Euros per unit of `volume`.")
    volume: StatisticName | None = Field(default=None, description="The statistic counting "
                                         "each member's units, e.g. clients.")
    illustrative: bool = False

    @model_validator(mode="after")
    def _one_key(self) -> Pool:
        keys = [bool(self.criteria), bool(self.by_member),
                self.price is not None or self.volume is not None]
        if sum(keys) != 1:
            raise _invalid(msg("schema.check_text.pool_one_key"))
        if keys[2] and (self.price is None or self.volume is None or self.lines):
            raise _invalid(msg("schema.check_text.price_pool"))
        if not keys[2] and not self.lines:
            raise _invalid(msg("schema.check_text.pool_lines"))
        return self

    def as_model(self) -> SharingModel:
        """A pool shared by criteria, as the sharing model its criteria make."""
        return SharingModel(id=self.id, name=self.label, criteria=self.criteria,
                            illustrative=self.illustrative)


class PhaseIn(Strict):
    """Moving to a model over years: in each listed year the members pay `percent` of what
    this model gives and the rest of what `from_model` gives."""

    from_model: Identifier = Field(description="Id of the model the members move from "
                                   "(cost_sharing.models[].id).")
    percent: dict[Annotated[int, Field(ge=2000, le=2200)],
                  Annotated[Decimal, Field(gt=0, lt=100, decimal_places=2)]] = Field(
        description="Year -> this model's share in percent, e.g. {2027: 50}.")


class SharingModel(Strict):
    id: Identifier
    name: Text
    criteria: list[Criterion] = Field(min_length=1)
    pools: list[Pool] = Field(default_factory=list, description="Parts of the costs shared "
                              "by their own keys before the criteria share the rest.")
    valid_from: Annotated[int, Field(ge=2000, le=2200)] | None = Field(
        default=None, description="First budget year the model may be in force.")
    phase_in: PhaseIn | None = None
    note: Text | None = None
    illustrative: bool = Field(default=False, description="The weights are not agreed yet.")


class PreparationCosts(Strict):
    amount: Amount
    statistic: StatisticName = "population"
    period: str = Field(default="2023–2024", max_length=40)
    label: Text | None = None
    source: Text | None = None
    illustrative: bool = Field(default=False, description="The amount is not final yet.")


class Settlement(Strict):
    """Year-end settlement (tasaus) from actual costs and statistics."""

    actual_costs: Amount
    actual_statistics: dict[Identifier, dict[StatisticName, NonNegative]] = Field(
        default_factory=dict, description="Member id -> statistic -> actual value."
    )
    actual_direct: dict[Identifier, Amount] = Field(
        default_factory=dict, description="Member id -> its directly charged costs as they "
        "actually were (default: as budgeted).")
    illustrative: bool = False


class DayOfYear(Strict):
    """A day of the year after the budget year, e.g. 31.3. ({month: 3, day: 31})."""

    month: int = Field(ge=1, le=12)
    day: int = Field(ge=1, le=31)

    @model_validator(mode="after")
    def _exists(self) -> DayOfYear:
        try:
            dt.date(2001, self.month, self.day)
        except ValueError:
            raise _invalid(msg("schema.check_text.no_such_day", day=self.day,
                               month=self.month)) from None
        return self

    def after(self, budget_year: int) -> dt.date:
        return dt.date(budget_year + 1, self.month, self.day)


class PaymentTerms(Strict):
    """What the agreement's finances clause says about paying: when the monthly advances fall
    due, by when the year-end settlement is made, and what happens to a surplus or deficit."""

    advance_due_day: int | None = Field(
        default=None, ge=1, le=28, description="Day of the month each advance falls due.")
    settlement_by: DayOfYear | None = Field(
        default=None, description="The year-end settlement is made by this day of the year "
        "after the budget year, e.g. {month: 3, day: 31}.")
    carry_forward: bool = Field(
        default=False, description="The members may, by joint decision, carry a surplus or "
        "deficit forward to the next years instead of the differences being paid back or "
        "charged.")
    illustrative: bool = Field(default=False, description="The terms are not agreed yet.")


class CostSharing(Strict):
    model: Identifier = Field(description="Id of the model in force.")
    baseline: Identifier | None = Field(
        default=None, description="Model the comparison table is measured against."
    )
    models: list[SharingModel] = Field(min_length=1)
    preparation: PreparationCosts | None = None
    advances_per_year: Literal[12, 4] = Field(
        default=12, description="Advances a year: 12 monthly, or 4 quarterly (each falling "
        "due in the quarter's first month).")
    advance_dates: list[dt.date] = Field(
        default_factory=list, max_length=24, description="Given due dates of the advances, "
        "in order, instead of the monthly or quarterly ones: the annual share is split "
        "between them equally, the amounts footing exactly to the share.")
    terms: PaymentTerms = Field(default_factory=PaymentTerms)
    planned: list[PlannedChange] = Field(
        default_factory=list, description="A change of the sharing decided in principle, "
        "its model still being prepared: shown as planned in the plan and the proposals, "
        "never used to compute the shares.")

    @model_validator(mode="after")
    def _dates_in_order(self) -> CostSharing:
        dates = self.advance_dates
        if any(a >= b for a, b in itertools.pairwise(dates)):
            raise _invalid(msg("schema.check_text.advance_dates_order"))
        return self
    settlement: Settlement | None = None


# --- cooperation agreement ------------------------------------------------------------

ClauseKind = Literal[
    "parties",
    "background",
    "tasks",
    "composition",
    "administration",
    "takeover_right",
    "leading_official",
    "personnel",
    "records",
    "client_data",
    "finances",
    "internal_control",
    "liability",
    "disputes",
    "validity",
    "withdrawal",
    "amendments",
    "pending_matters",
    "property",
    "monitoring",
    "signatures",
    "language",
    "other",
]


# Clause kinds whose content planbuilder writes from the plan (agreement.md.j2): their own
# text is optional (finances: when the plan has cost sharing).
GENERATED_CLAUSES = frozenset({"parties", "composition", "leading_official", "finances",
                               "validity", "signatures"})


class Clause(Strict):
    id: Identifier = Field(description="Stable id; numbering follows order, ids never change.")
    kind: ClauseKind
    title: Text
    text: Text | None = None


class NamedMember(Strict):
    """A named member or deputy. Names are optional; gender is what the equality act checks."""

    role: Literal["member", "deputy"] = "member"
    gender: Literal["female", "male"]
    name: str | None = None


class Seat(Strict):
    appointed_by: Identifier = Field(description="Member municipality that chooses the seat(s).")
    proposed_by: list[Identifier] = Field(
        default_factory=list, description="Members that propose whom `appointed_by` chooses "
        "(e.g. the host elects, the others propose; one seat may represent several members).")
    members: int = Field(ge=1, le=50, description="Number of members it chooses.")
    personal_deputies: bool = True
    chair: bool = False
    vice_chair: bool = False
    conditional: bool = Field(
        default=False, description="Seat exists only if an optional member joins."
    )
    named: list[NamedMember] = Field(default_factory=list)
    illustrative: bool = Field(default=False, description="The number is not agreed yet.")


class Approval(Strict):
    member: Identifier = Field(description="Id of the member municipality whose council "
                               "approved the agreement (members[].id).")
    body: Text | None = None
    date: dt.date


class Validity(Strict):
    start: dt.date
    notice_months: int = Field(ge=0, le=60)
    earliest_termination: dt.date | None = None
    illustrative: bool = Field(default=False, description="The terms are not agreed yet.")


class SpecialReason(Strict):
    """A special reason (609/1986 4 a § 1 mom.: "jollei erityisestä syystä muuta johdu") why
    the joint body has fewer than 40 % women or men; listed in the plan's appendix with the
    acknowledged warnings."""

    grounds: Text = Field(description="Why the 40 % share cannot be reached in this body, e.g. "
                          "who was asked to propose and whom they proposed.")
    basis: str | None = Field(default=None, max_length=200,
                              description="Where the reason was recorded, e.g. a council's "
                              "decision with its date and §.")


class Agreement(Strict):
    title: Text
    status: Literal["draft", "proposal", "approved"] = "draft"
    version: str = "1"
    date: dt.date
    leading_official: Text = Field(description="Role of the leading official (no names).")
    presenter: Text
    seats: list[Seat] = Field(min_length=1)
    validity: Validity
    clauses: list[Clause] = Field(min_length=1)
    approvals: list[Approval] = Field(default_factory=list)
    special_reason: SpecialReason | None = Field(
        default=None, description="A special reason why the joint body has fewer than 40 % "
        "women or men (609/1986 4 a § 1 mom.); the 40 % rule then reports information, not an "
        "error.")


class InForceDecision(Strict):
    """A member council's decision approving the agreement in force."""

    member: Identifier = Field(description="Id of the member municipality that decided.")
    body: Text | None = Field(default=None, description="The deciding body, e.g. "
                              "'Porvoon kaupunginvaltuusto'.")
    date: dt.date = Field(description="The date of the decision.")
    section: int | None = Field(default=None, ge=1, le=9999,
                                description="Section of its minutes (§).")


class AgreementInForce(Strict):
    """The agreement in force that this round amends: its date, the members' decisions
    approving it, the cost-sharing model it states and its clauses as they read now. When the
    draft agreement's clauses or the model differ from it, the decision proposals amend the
    agreement, with its changes as an appendix."""

    title: Text
    date: dt.date = Field(description="The date of the agreement in force.")
    decisions: list[InForceDecision] = Field(
        default_factory=list, description="The member councils' decisions approving it.")
    model: Identifier | None = Field(
        default=None, description="Id of the cost-sharing model (cost_sharing.models) the "
        "agreement in force states; when the plan's model differs, the agreement is amended "
        "and each proposal shows the member's share under both.")
    effective: dt.date | None = Field(
        default=None, description="When the amendment takes effect (default: 1.1. of the "
        "budget year).")
    clauses: list[Clause] = Field(min_length=1, description="The clauses as they read in "
                                  "the agreement in force, in the draft's form.")


class Handling(Strict):
    """An earlier handling of the matter, e.g. the municipal board's proposal."""

    body: Text = Field(description="Who handled it, e.g. 'Kunnanhallitus' / 'Kommunstyrelsen'.")
    date: dt.date
    section: int = Field(ge=1, le=9999, description="Section of its minutes (§).")
    illustrative: bool = Field(default=False, description="The date or the section is an "
                               "example, not a real handling yet.")


class Meeting(Strict):
    date: dt.date = Field(description="The council's meeting date.")
    section: int | None = Field(default=None, ge=1, le=9999,
                                description="Section (§) of the agenda, once known.")
    illustrative: bool = Field(default=False, description="The date or the section is not "
                               "final yet.")


class MemberDecision(Strict):
    """What differs for one member's council; roles only, never personal names."""

    body: Text | None = Field(default=None, description="E.g. 'Porvoon kaupunginvaltuusto'.")
    meeting: Meeting | None = None
    dnro: str | None = Field(default=None, max_length=60, description="Diary number.")
    dnro_illustrative: bool = Field(default=False, description="The diary number is not "
                                    "the real one yet.")
    earlier: list[Handling] = Field(default_factory=list, description="Earlier handling.")
    proposer: Text | None = Field(default=None, description="Who proposes, e.g. "
                                  "'Kaupunginhallitus' (default: the last earlier handling).")
    preparer: Text | None = Field(default=None, description="Role of the preparer.")
    presenter: Text | None = Field(default=None, description="Role of the presenter.")
    contact: Text | None = Field(default=None, description="Role to ask for more information.")
    appeal_court: Text | None = Field(default=None, description="Administrative court.")
    for_information: list[Text] | None = Field(default=None, description="Tiedoksi.")


class Decision(Strict):
    """Council decision proposals (päätösesitys), one per member municipality: the common
    text here, what differs per member under `members`."""

    body: Text = Field(description="Deciding body in general, e.g. 'valtuusto' / "
                       "'fullmäktige'; each proposal names the member's council by whether it "
                       "is a city (kaupunginvaltuusto) or not (kunnanvaltuusto) unless "
                       "decision.members.<id>.body says otherwise.")
    matter: Text
    background: Text
    extra_items: list[Text] = Field(
        default_factory=list, description="Further numbered decision items, after the ones "
        "planbuilder writes (approve the agreement and the plan, authorise, elect).")
    appendices: list[Text] = Field(
        default_factory=list, description="Further appendices, after the agreement, the plan "
        "and the cost-sharing calculation.")
    proposer: Text | None = Field(default=None, description="Who proposes, e.g. "
                                  "'Kunnanhallitus', for a member that names no proposer and no "
                                  "earlier handling of its own (default: the board as the "
                                  "municipality names it, Kaupunginhallitus or "
                                  "Kunnanhallitus).")
    preparer: Text | None = Field(default=None, description="Role of the preparer.")
    presenter: Text | None = Field(default=None, description="Role of the presenter.")
    contact: Text | None = Field(default=None, description="Role to ask for more information.")
    appeal: Literal["kunnallisvalitus", "oikaisuvaatimus"] = Field(
        default="kunnallisvalitus", description="Appeal route: a council decision is appealed "
        "to the administrative court (kuntalaki 135 §); a board's decision first by a request "
        "for rectification (134 §).")
    appeal_court: Text | None = Field(default=None, description="Administrative court, e.g. "
                                      "'Helsingin hallinto-oikeus' (default: the member's "
                                      "circuit court, with its contact details).")
    for_information: list[Text] = Field(default_factory=list, description="Tiedoksi: who is "
                                        "told of the decision (default: the host municipality, "
                                        "in the host's own proposal the other members, the "
                                        "joint body and the ministry).")
    members: dict[Identifier, MemberDecision] = Field(default_factory=dict)

    def for_member(self, member_id: str) -> MemberDecision:
        """The member's own settings, with the common ones where it has none."""
        own = self.members.get(member_id, MemberDecision())
        common = {k: getattr(self, k) for k in ("proposer", "preparer", "presenter",
                                                 "contact", "appeal_court")}
        merged = {k: v for k, v in own.model_dump().items() if v not in (None, [])}
        if own.proposer is None and own.earlier:
            # the body that handled it last proposes it (Stadsstyrelsen, not a generic default)
            merged["proposer"] = own.earlier[-1].body.model_dump()
        return MemberDecision.model_validate({
            **{k: v.model_dump() if hasattr(v, "model_dump") else v
               for k, v in common.items() if v is not None},
            "for_information": [x.model_dump() for x in self.for_information] or None,
            **merged})


class Acknowledgement(Strict):
    """A warning (or information) the preparers have weighed and accept, with their reason
    and its legal basis; listed in the plan's appendix. Errors cannot be acknowledged."""

    rule: str = Field(max_length=40, description="Rule id, e.g. 'PB-AGR-HEADINGS'.")
    reason: Text = Field(description="Why the plan is right as it is.")
    basis: str | None = Field(default=None, max_length=200,
                              description="Legal basis or source of the reading, if any.")


class Plan(Strict):
    """One employment area: the organising plan, its money and its agreement."""

    schema_version: Literal[1] = 1
    area: Area
    members: list[Member] = Field(min_length=1)
    statistics: list[StatisticDefinition] = Field(
        default_factory=list, description="Statistics the plan defines beyond the built-in "
        "ones.")
    series: list[Series] = Field(default_factory=list, description="Area-level figures over "
                                 "time for the situation analysis.")
    sections: Sections = Field(default_factory=Sections)
    budget: Budget | None = None
    cost_sharing: CostSharing | None = None
    agreement: Agreement | None = None
    agreement_in_force: AgreementInForce | None = Field(
        default=None, description="The agreement in force this round amends (if any).")
    decision: Decision | None = None
    acknowledge: list[Acknowledgement] = Field(
        default_factory=list, description="Warnings the preparers accept, with reasons.")

    def member(self, member_id: str) -> Member | None:
        return next((m for m in self.members if m.id == member_id), None)

    def statistic(self, name: str) -> StatisticDefinition | None:
        """The plan's own definition of a statistic; None for a built-in (or unknown) one."""
        return next((d for d in self.statistics if d.id == name), None)

    @property
    def statistic_names(self) -> tuple[str, ...]:
        """The built-in statistics, then the plan's own, in the order documents list them."""
        return STATISTIC_NAMES + tuple(d.id for d in self.statistics
                                       if d.id not in STATISTIC_NAMES)

    @property
    def committed(self) -> list[Member]:
        return [m for m in self.members if m.membership == "committed"]

    @property
    def bilingual(self) -> bool:
        """Kielilaki 6 § 1 mom. 2 k.: the joint body is bilingual when its member
        municipalities are of different languages or any is bilingual. Only committed members
        count: a municipality still considering membership is not a member of the body."""
        langs = {m.language for m in self.committed}
        return "bilingual" in langs or len(langs) > 1

    @property
    def languages(self) -> list[Lang]:
        if self.area.languages:
            return list(self.area.languages)
        return ["fi", "sv"] if any(m.language != "fi" for m in self.members) else ["fi"]


def plan_schema() -> dict[str, Any]:
    """The JSON schema an editor checks each plan file against. A plan may be split over
    several files, so no top-level key is required in any one file (`validate` checks the
    whole plan), and a text may be a plain string (Finnish) or {fi, sv}."""
    schema = Plan.model_json_schema()
    schema.pop("required", None)
    text = schema["$defs"]["Text"]
    schema["$defs"]["Text"] = {
        "description": text.get("description", ""),
        "anyOf": [{"type": "string", "description": "Finnish text only"}, text],
    }
    _numbers_as_loaded(schema)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "planbuilder plan file"
    # what each key means, for the editor's hover help (as in docs/format.md)
    for holder in (schema, *schema["$defs"].values()):
        name = holder.get("title", "")
        kind = globals().get(name) if holder is not schema else Plan
        if isinstance(kind, type) and issubclass(kind, BaseModel):
            for key, prop in holder.get("properties", {}).items():
                if key in kind.model_fields and not prop.get("description"):
                    meaning = field_meaning(kind, key)
                    if meaning:
                        prop["description"] = meaning
    return schema


# A decimal figure as the loader reads it: a YAML number, or a string that is one ("52000");
# pydantic's schema for a Decimal allows any string, so 'n. 52000' would pass the editor.
DECIMAL_TEXT = r"^\+?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$"


def _numbers_as_loaded(node: Any) -> None:
    """Every Decimal of the schema (anyOf number or string) takes only numeric strings."""
    if isinstance(node, dict):
        options = node.get("anyOf")
        if isinstance(options, list) and any(o.get("type") == "number" for o in options
                                             if isinstance(o, dict)):
            for option in options:
                if isinstance(option, dict) and option.get("type") == "string" \
                        and "pattern" not in option and len(option) == 1:
                    option["pattern"] = DECIMAL_TEXT
        for value in node.values():
            _numbers_as_loaded(value)
    elif isinstance(node, list):
        for value in node:
            _numbers_as_loaded(value)


# What a key means where the model does not say it in a Field description: used by the
# format reference (docs/format.md) and the editors' schema, so both explain every key.
# "Model.key" first, then the key name alone.
FIELD_MEANINGS: dict[str, str] = {
    "Plan.schema_version": "Version of the plan format; 1.",
    "Plan.area": "The employment area: name, host, joint body, budget year, status.",
    "Plan.members": "The member municipalities, committed or optional, with their statistics.",
    "Plan.sections": "The six items the organising plan must present (380/2023 15 § 4 mom.).",
    "Plan.budget": "The budget the members share; with `cost_sharing` it gives the money "
                   "tables, the shares and the decision proposals' figures.",
    "Plan.cost_sharing": "How the budget is shared between the members: models, terms, "
                         "preparation costs and the year-end settlement.",
    "Plan.agreement": "The cooperation agreement on the joint body (kuntalaki 51–52 §): "
                      "becomes yhteistoimintasopimus_fi and samarbetsavtal_sv (.docx/.pdf).",
    "Plan.decision": "The councils' decision proposals: one PDF per member and language "
                     "(paatosesitys_<member>_fi, beslutsforslag_<member>_sv).",
    "Area.name": "The area's name, on every document's cover and running header.",
    "Area.joint_body": "The joint body (yhteinen toimielin) that runs the services.",
    "Area.budget_year": "The year the budget and the shares are for.",
    "Area.status": "draft, proposal or approved: a draft's documents are marked LUONNOS.",
    "Area.version": "The document version, shown on the cover and in the running header.",
    "Area.contiguity": "How the area forms one contiguous commuting area (380/2023 12 §).",
    "Area.exception": "The Government's permit (or its application) to deviate from the 20 000 "
                      "labour-force minimum (383/2023 4 §).",
    "Member.projections": "The member's figures by year (e.g. labour force 2021–2040), shown "
                          "as a table and a chart.",
    "Sections.resources": "1) Financial and personnel resources and their allocation.",
    "Sections.production": "2) Solutions for producing and targeting the services.",
    "Sections.offices": "3) The number and location of offices.",
    "Sections.partners": "4) Partners and forms of cooperation.",
    "Sections.immigration_matching_mobility": "5) Work-based immigration, matching and "
                                              "labour mobility.",
    "Sections.structural_change": "6) Preparedness for structural change.",
    "Budget.lines": "The budget lines, in the order the budget table shows them.",
    "CostSharing.models": "Every model the plan shows; the one in force shares the budget, "
                          "the others are compared with it.",
    "CostSharing.preparation": "Preparation costs before the start, shared by one statistic.",
    "CostSharing.terms": "When advances fall due, by when the year is settled, and whether a "
                         "surplus is carried forward: written into the agreement's finances "
                         "clause.",
    "CostSharing.settlement": "The year-end settlement against actual costs and statistics.",
    "Agreement.title": "The agreement's title, on its cover.",
    "Agreement.status": "draft, proposal or approved.",
    "Agreement.version": "The agreement's version.",
    "Agreement.date": "The agreement's date; approvals cannot be earlier.",
    "Agreement.presenter": "Role of the presenting official (no names).",
    "Agreement.seats": "The joint body's seats: who appoints or proposes them, chair and "
                       "vice-chair; printed as the composition clause's table.",
    "Agreement.validity": "Start, notice period and earliest termination: the validity "
                          "clause's text and the TEM deadline are written from these.",
    "Agreement.clauses": "The clauses (§) in order; some kinds get generated text (see "
                         "'What planbuilder writes for you').",
    "Agreement.approvals": "Each member's approval (date, body): the TEM deadline is "
                           "computed from the last.",
    "Decision.matter": "The matter's title on every decision proposal.",
    "Decision.background": "The background (reasoning) of the proposal.",
    "Decision.members": "What differs for each member's council: meeting, diary number, "
                        "earlier handling, proposer.",
    "AreaException.ground": "The ground of the exception, as 383/2023 4 § names them.",
    "AreaException.justification": "Why the ground applies to this area.",
    "BudgetLine.kind": "personnel, purchased_services, grants, overhead, income, …: the "
                       "budget table's second column.",
    "BudgetLine.label": "The line as the budget table names it.",
    "BudgetLine.htv": "Person-years (henkilötyövuodet) of a personnel line.",
    "BudgetLine.cost_per_htv": "Euros per person-year: the amount is htv × cost_per_htv.",
    "SharingModel.name": "The model's name in the documents.",
    "SharingModel.criteria": "The weighted statistics that share what no pool takes; the "
                             "weights total 100 %.",
    "SharingModel.phase_in": "Moving to this model from another over years.",
    "PreparationCosts.amount": "The preparation costs to share, euros.",
    "PreparationCosts.statistic": "The statistic that shares them.",
    "PreparationCosts.period": "The years the costs arose in, e.g. 2023–2024.",
    "PreparationCosts.label": "What the preparation table calls the costs.",
    "PreparationCosts.source": "Where the members agreed to share the preparation costs so "
                               "(a source document's own title and date); the plan cites it.",
    "Settlement.actual_costs": "The year's actual net costs.",
    "Seat.personal_deputies": "Each member has a personal deputy.",
    "Seat.chair": "This seat group holds the chair.",
    "Seat.vice_chair": "This seat group holds the vice-chair.",
    "Seat.named": "The people elected, once they are (gender for the 40 % check).",
    "Validity.start": "The day the agreement takes effect.",
    "Validity.notice_months": "The notice period in months.",
    "Validity.earliest_termination": "The earliest day the agreement can end.",
    "Clause.kind": "What the clause is about; the customary kinds are checked and some get "
                   "generated text.",
    "Approval.body": "The body that approved it, e.g. the council.",
    "Approval.date": "The day the member approved the agreement.",
    "MemberDecision.meeting": "The council meeting: date and section (§) of its minutes.",
    "Project.start": "The project's first day.",
    "Project.end": "The project's last day.",
    "Goal.baseline_year": "The year of the baseline value.",
    "Goal.target": "The target value of the indicator.",
    "Goal.target_year": "The year the target is for.",
    "Service.target_groups": "Whom the service is for.",
    "Office.place": "Where the office is (address or place name).",
    "Partner.kind": "The kind of partner: state, wellbeing_area, kela, education, …",
    "Measure.theme": "immigration, matching, mobility, preparedness or response: item 5 needs "
                     "the first three.",
    "Measure.partners": "Partner ids (section partners) involved.",
    "Criterion.statistic": "The statistic, built in or declared under `statistics:`.",
    "NamedMember.role": "member or deputy.",
    "NamedMember.gender": "female or male: the equality act's 40 % rule counts them.",
    "NamedMember.name": "The person's name; optional (documents give roles, not names).",
    "Handling.date": "The date of the earlier handling.",
    "DayOfYear.month": "Month, 1–12.",
    "DayOfYear.day": "Day of the month.",
    "ReferenceDate.month": "Month, 1–12.",
    "ReferenceDate.day": "Day of the month.",
    # by key name alone
    "text": "The section's prose (Markdown: paragraphs, lists, **bold**, pipe tables).",
    "Clause.text": "The clause's text (Markdown: paragraphs, lists, **bold**, pipe tables). "
                   "Kinds parties, composition, leading_official, finances, validity and "
                   "signatures get planbuilder's own text after it ([What planbuilder writes "
                   "for you](#what-planbuilder-writes-for-you)): for them it is optional, "
                   "write only what that text does not say; every other kind needs one.",
    "projects": "Projects this section relies on, printed as a table in it.",
    "goals": "Programme goals with indicators and targets, printed as a table in the section.",
    "staff": "Personnel by function, person-years and origin: the section's table.",
    "services": "The services and how each is produced: the section's table.",
    "offices": "The offices: the section's table.",
    "partners": "The partners and the form of cooperation: the section's table.",
    "measures": "The measures: the section's table.",
    "illustrative": "true while the figure is not from its source yet: marked * in every "
                    "document, with a note.",
    "name": "The name as the documents show it.",
    "title": "The title as the documents show it.",
    "label": "The name as the documents show it.",
    "source": "Where the figures come from, printed under the table.",
    "note": "A remark printed with the item.",
    "description": "A description printed with the item.",
    "indicator": "What measures the goal.",
}


def field_meaning(model: type[BaseModel], name: str) -> str:
    """What a key means: its Field description, else the table above."""
    field = model.model_fields[name]
    return field.description or FIELD_MEANINGS.get(f"{model.__name__}.{name}") \
        or FIELD_MEANINGS.get(name, "")
