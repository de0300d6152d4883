"""The plan and agreement of one employment area as typed models.

Each field is declared here once; what it means, in English, Finnish and Swedish, is in the
catalogue `templates/i18n/format/{en,fi,sv}.yaml` (`Model.field`), from which the format
reference (docs/format*.md) and the editors' JSON schema (`planbuilder schema`) are made.
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

    fi: str
    sv: str | None = None

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

    id: Identifier
    label: Text
    unit: Text | None = None
    definition: Text
    source: Text | None = None


Month = Annotated[str, Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]
Year = Annotated[int, Field(ge=1900, le=2200)]
SectionKey = Literal["resources", "production", "offices", "partners",
                     "immigration_matching_mobility", "structural_change"]


Period = Year | Month


class SeriesGroup(Strict):
    """One row of a statistics table: a group (e.g. the under 25-year-olds), a member
    municipality, or one of several related figures, with its values and forecasts."""

    label: Text | None = None
    member: Identifier | None = None
    unit: Text | None = None
    values: dict[Period, NonNegative] = Field(default_factory=dict)
    forecast: dict[Period, NonNegative] = Field(default_factory=dict)

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
    unit: Text | None = None
    source: Text
    section: SectionKey | None = None
    values: dict[Period, NonNegative] = Field(default_factory=dict)
    forecast: dict[Period, NonNegative] = Field(default_factory=dict)
    groups: list[SeriesGroup] = Field(default_factory=list)
    forecast_source: Text | None = None
    chart: bool = True
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

    value: NonNegative
    date: dt.date | None = None
    source: Text | None = None
    illustrative: bool = False


class Projection(Strict):
    """A time series per year, e.g. the labour force 2021-2040 (Kuopio's preparation material)."""

    statistic: StatisticName
    values: dict[Annotated[int, Field(ge=1900, le=2200)], NonNegative]
    source: Text | None = None
    illustrative: bool = False


class Member(Strict):
    """A member municipality of the employment area."""

    id: Identifier
    name: Text
    code: str | None = Field(default=None, pattern=r"^\d{3}$")
    formal_name: Text | None = None
    language: Literal["fi", "sv", "bilingual"]
    kind: Literal["kaupunki", "kunta"] | None = None
    membership: Literal["committed", "optional"] = "committed"
    statistics: dict[StatisticName, Statistic] = Field(
        default_factory=dict
    )
    projections: list[Projection] = Field(default_factory=list)
    council: Text | None = None


class Contiguity(Strict):
    """380/2023 § 12: the area is geographically contiguous and a commuting area."""

    declared: bool
    description: Text


ExceptionGround = Literal[
    "archipelago_or_long_distances",
    "language_rights",
    "sami_rights",
    "merging_commuting_areas",
    "other_special_reason",
]


class PermitDecision(Strict):
    date: dt.date
    dnro: str = Field(max_length=60)


class AreaException(Strict):
    """An exception of act 383/2023 § 4 to the requirements of 380/2023 § 12: a permit the
    Government grants on application."""

    ground: ExceptionGround
    justification: Text
    applied: dt.date | None = None
    decision: PermitDecision | None = None
    conditions: Text | None = None
    evidence: list[Text] = Field(
        default_factory=list)


class JointBodyName(Strict):
    name: Text
    under: Text | None = None
    illustrative: bool = False


class Deviation(Strict):
    """Where the plan knowingly differs from its source document, and why; printed in the
    plan's appendix and in the decision proposals."""

    what: Text
    source: str | None = Field(default=None, max_length=200)


class Area(Strict):
    """The employment area itself."""

    name: Text
    host: Identifier
    joint_body: JointBodyName
    budget_year: int = Field(ge=2023, le=2100)
    status: Literal["draft", "proposal", "approved"] = "draft"
    version: str = Field(default="1", max_length=40)
    date: dt.date
    languages: list[Lang] | None = None
    contiguity: Contiguity | None = None
    exception: AreaException | None = None
    introduction: Text | None = None
    deviations: list[Deviation] = Field(default_factory=list)


# --- the six statutory sections of 380/2023 § 15(4) --------------------------------------


class StaffLine(Strict):
    function: Text
    htv: NonNegative
    origin: Literal["state_transfer", "municipal_addition", "municipal_existing"]
    note: Text | None = None
    illustrative: bool = False


class Project(Strict):
    """A project the plan relies on, e.g. an ESR+ project: its period, consortium, funder,
    funding and goals, and the budget line its funding comes in on."""

    id: Identifier
    name: Text
    start: dt.date
    end: dt.date
    funder: Text
    funding: Amount | None = None
    consortium: list[Text] = Field(default_factory=list)
    goals: list[Text] = Field(default_factory=list)
    income_line: Identifier | None = None
    illustrative: bool = False


class Goal(Strict):
    """A programme goal with the indicator that measures it and its target."""

    title: Text
    indicator: Text
    unit: Text | None = None
    baseline: Decimal | None = None
    baseline_year: Annotated[int, Field(ge=2000, le=2200)] | None = None
    target: Decimal
    target_year: Annotated[int, Field(ge=2000, le=2200)]
    source: Text | None = None
    illustrative: bool = False


PreparationStatus = Literal["not_started", "in_preparation", "ready"]


class PlannedChange(Strict):
    """A change decided in principle whose details are still being prepared, e.g. "moving to
    cost-causation sharing from 2027; the model is being prepared": shown as planned, not in
    force, without figures. Money is never computed from it (the model in force shares the
    budget until the change's own model is written under `cost_sharing.models`)."""

    change: Text
    effective: dt.date
    decided: dt.date | None = None
    decided_by: Text | None = None
    preparation: PreparationStatus = "in_preparation"
    note: Text | None = None


class SourceDocument(Strict):
    """A document cited by its own title and date."""

    title: Text
    date: dt.date | None = None


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

    change: Text
    statute: Text | None = None
    effective: dt.date
    htv: Effect | None = None
    euros: Effect | None = None
    status: LawChangeStatus
    source: SourceDocument | None = None
    budget_line: Identifier | None = None
    note: Text | None = None
    illustrative: bool = False


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
    planned: list[PlannedChange] = Field(default_factory=list)


class Resources(Section):
    """1) financial and personnel resources and their allocation."""

    staff: list[StaffLine] = Field(default_factory=list)
    law_changes: list[LawChange] = Field(default_factory=list)


class Service(Strict):
    id: Identifier
    name: Text
    modes: list[Literal["own", "purchased", "partner", "joint"]] = Field(
        min_length=1
    )
    partners: list[Identifier] = Field(
        default_factory=list
    )
    target_groups: list[Text] = Field(default_factory=list)


class Production(Section):
    """2) solutions for producing and targeting services."""

    services: list[Service] = Field(default_factory=list)
    target_groups: list[Text] = Field(default_factory=list)


class Office(Strict):
    municipality: Identifier
    place: Text
    kind: Literal["staffed", "appointment", "service_point"]
    note: Text | None = None
    illustrative: bool = False


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
    cooperation: Text


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
    amount: Amount | None = None
    htv: NonNegative | None = None
    cost_per_htv: Amount | None = None
    rate: Annotated[Decimal, Field(ge=0, le=100, decimal_places=4)] | None = None
    base: list[Identifier] = Field(default_factory=list)
    charged_to: Identifier | None = None
    years: dict[Annotated[int, Field(ge=2000, le=2200)], Amount] = Field(
        default_factory=dict)
    source: Text | None = None
    illustrative: bool = False


class Budget(Strict):
    precision: Literal["1", "0.01"] = "0.01"
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

    years_before: int = Field(ge=0, le=10)
    month: int = Field(ge=1, le=12)
    day: int = Field(ge=1, le=31)

    def for_year(self, budget_year: int) -> dt.date:
        return dt.date(budget_year - self.years_before, self.month, self.day)


class Criterion(Strict):
    statistic: StatisticName
    weight: Annotated[Decimal, Field(gt=0, le=100, decimal_places=4)]
    reference: Text | None = None
    as_of: ReferenceDate | None = None


class Pool(Strict):
    """A part of the costs a model shares by a key of its own (e.g. wage subsidies by cost
    causation, purchased training by clients): by weighted statistics (`criteria`), by each
    member's own amount (`by_member`: cost causation), or by a price per unit of a
    statistic (`price` x `volume`, e.g. euros per client). What no pool takes is shared by
    the model's own criteria."""

    id: Identifier
    label: Text
    lines: list[Identifier] = Field(
        default_factory=list)
    criteria: list[Criterion] = Field(default_factory=list)
    by_member: dict[Identifier, Amount] = Field(
        default_factory=dict)
    price: Amount | None = None
    volume: StatisticName | None = None
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

    from_model: Identifier
    percent: dict[Annotated[int, Field(ge=2000, le=2200)],
                  Annotated[Decimal, Field(gt=0, lt=100, decimal_places=2)]]


class SharingModel(Strict):
    id: Identifier
    name: Text
    criteria: list[Criterion] = Field(min_length=1)
    pools: list[Pool] = Field(default_factory=list)
    valid_from: Annotated[int, Field(ge=2000, le=2200)] | None = None
    phase_in: PhaseIn | None = None
    note: Text | None = None
    illustrative: bool = False


class PreparationCosts(Strict):
    amount: Amount
    statistic: StatisticName = "population"
    period: str = Field(default="2023–2024", max_length=40)
    label: Text | None = None
    source: Text | None = None
    illustrative: bool = False


class Settlement(Strict):
    """Year-end settlement (tasaus) from actual costs and statistics."""

    actual_costs: Amount
    actual_statistics: dict[Identifier, dict[StatisticName, NonNegative]] = Field(
        default_factory=dict
    )
    actual_direct: dict[Identifier, Amount] = Field(
        default_factory=dict)
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
        default=None, ge=1, le=28)
    settlement_by: DayOfYear | None = None
    carry_forward: bool = False
    illustrative: bool = False


class CostSharing(Strict):
    model: Identifier
    baseline: Identifier | None = None
    models: list[SharingModel] = Field(min_length=1)
    preparation: PreparationCosts | None = None
    advances_per_year: Literal[12, 4] = 12
    advance_dates: list[dt.date] = Field(
        default_factory=list, max_length=24)
    terms: PaymentTerms = Field(default_factory=PaymentTerms)
    planned: list[PlannedChange] = Field(default_factory=list)

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
    id: Identifier
    kind: ClauseKind
    title: Text
    text: Text | None = None


class NamedMember(Strict):
    """A named member or deputy. Names are optional; gender is what the equality act checks."""

    role: Literal["member", "deputy"] = "member"
    gender: Literal["female", "male"]
    name: str | None = None


class Seat(Strict):
    appointed_by: Identifier
    proposed_by: list[Identifier] = Field(
        default_factory=list)
    members: int = Field(ge=1, le=50)
    personal_deputies: bool = True
    chair: bool = False
    vice_chair: bool = False
    conditional: bool = False
    named: list[NamedMember] = Field(default_factory=list)
    illustrative: bool = False


class Approval(Strict):
    member: Identifier
    body: Text | None = None
    date: dt.date


class Validity(Strict):
    start: dt.date
    notice_months: int = Field(ge=0, le=60)
    earliest_termination: dt.date | None = None
    illustrative: bool = False


class SpecialReason(Strict):
    """A special reason (609/1986 4 a § 1 mom.: "jollei erityisestä syystä muuta johdu") why
    the joint body has fewer than 40 % women or men; listed in the plan's appendix with the
    acknowledged warnings."""

    grounds: Text
    basis: str | None = Field(default=None, max_length=200)


class Agreement(Strict):
    title: Text
    status: Literal["draft", "proposal", "approved"] = "draft"
    version: str = "1"
    date: dt.date
    leading_official: Text
    presenter: Text
    seats: list[Seat] = Field(min_length=1)
    validity: Validity
    clauses: list[Clause] = Field(min_length=1)
    approvals: list[Approval] = Field(default_factory=list)
    special_reason: SpecialReason | None = None


class InForceDecision(Strict):
    """A member council's decision approving the agreement in force."""

    member: Identifier
    body: Text | None = None
    date: dt.date
    section: int | None = Field(default=None, ge=1, le=9999)


class AgreementInForce(Strict):
    """The agreement in force that this round amends: its date, the members' decisions
    approving it, the cost-sharing model it states and its clauses as they read now. When the
    draft agreement's clauses or the model differ from it, the decision proposals amend the
    agreement, with its changes as an appendix."""

    title: Text
    date: dt.date
    decisions: list[InForceDecision] = Field(default_factory=list)
    model: Identifier | None = None
    effective: dt.date | None = None
    clauses: list[Clause] = Field(min_length=1)


class Handling(Strict):
    """An earlier handling of the matter, e.g. the municipal board's proposal."""

    body: Text
    date: dt.date
    section: int = Field(ge=1, le=9999)
    illustrative: bool = False


class Meeting(Strict):
    date: dt.date
    section: int | None = Field(default=None, ge=1, le=9999)
    illustrative: bool = False


class MemberDecision(Strict):
    """What differs for one member's council; roles only, never personal names."""

    body: Text | None = None
    meeting: Meeting | None = None
    dnro: str | None = Field(default=None, max_length=60)
    dnro_illustrative: bool = False
    earlier: list[Handling] = Field(default_factory=list)
    proposer: Text | None = None
    preparer: Text | None = None
    presenter: Text | None = None
    contact: Text | None = None
    appeal_court: Text | None = None
    for_information: list[Text] | None = None


class Decision(Strict):
    """Council decision proposals (päätösesitys), one per member municipality: the common
    text here, what differs per member under `members`."""

    body: Text
    matter: Text
    background: Text
    extra_items: list[Text] = Field(
        default_factory=list)
    appendices: list[Text] = Field(default_factory=list)
    proposer: Text | None = None
    preparer: Text | None = None
    presenter: Text | None = None
    contact: Text | None = None
    appeal: Literal["kunnallisvalitus", "oikaisuvaatimus"] = "kunnallisvalitus"
    appeal_court: Text | None = None
    for_information: list[Text] = Field(default_factory=list)
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

    rule: str = Field(max_length=40)
    reason: Text
    basis: str | None = Field(default=None, max_length=200)


class Plan(Strict):
    """One employment area: the organising plan, its money and its agreement."""

    schema_version: Literal[1] = 1
    area: Area
    members: list[Member] = Field(min_length=1)
    statistics: list[StatisticDefinition] = Field(
        default_factory=list)
    series: list[Series] = Field(default_factory=list)
    sections: Sections = Field(default_factory=Sections)
    budget: Budget | None = None
    cost_sharing: CostSharing | None = None
    agreement: Agreement | None = None
    agreement_in_force: AgreementInForce | None = None
    decision: Decision | None = None
    acknowledge: list[Acknowledgement] = Field(
        default_factory=list)

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
