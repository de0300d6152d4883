"""Text against data (PB-TEXT-FIGURE): a figure the plan's prose states that the data also
computes must agree with it, so a council does not read 85 htv in the text and 95 htv in the
table.

The prose is read as the documents read it (Markdown, pipe tables on): paragraphs, headings
and list items, not code, link targets or tables. In each clause (a sentence cut at commas,
semicolons, colons, dashes and brackets) a figure is a number in the Finnish format (`85`,
`10 162 216`, `1,5`, a range `1–1,5`; for counts also a number word, `seitsemän`, `sju`)
followed by a unit; the clause's own words say which computed figure it states, and the
sentence's whether it speaks of the budget year as it is (not of a change, a comparison,
another time or a goal). When they do not say it plainly, nothing is checked: a false alarm
in a council document costs more than a missed one. The rule's explanation in the message
catalogues (`rules-figures`) states the same choices for the reader."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from contextlib import suppress
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from markdown_it import MarkdownIt

from planbuilder.errors import MoneyError
from planbuilder.langs import Lang
from planbuilder.messages import Msg, msg
from planbuilder.model import Member, Plan
from planbuilder.money import BudgetResult, Money, compute, compute_budget
from planbuilder.rules.base import Violation, rule
from planbuilder.rules.content import MARKUP, MAX_MARKUP
from planbuilder.rules.language import texts

Unit = Literal["htv", "euro", "percent", "persons", "municipalities", "offices"]

# --- reading figures ------------------------------------------------------------------------

_GROUP = "[ \u00a0\u202f\u2009\n]"  # thousands are grouped by a (no-break) space
_NUMBER = rf"(?:\d{{1,3}}(?:{_GROUP}\d{{3}})+(?!\d)|\d+)(?:,\d+)?"
_SCALES = {"milj.": 10**6, "miljoonaa": 10**6, "miljoona": 10**6, "miljoner": 10**6,
           "miljon": 10**6, "million": 10**6, "mrd.": 10**9, "miljardia": 10**9,
           "miljarder": 10**9, "billion": 10**9, "tuhatta": 10**3, "tusen": 10**3,
           "thousand": 10**3}
_UNITS: tuple[tuple[Unit, str], ...] = (
    ("htv", r"htv(?::[a-zåäö]+)?|henkilötyövuo\w*|årsverk\w*|person-years?"),
    ("euro", r"€|euroa|euron|euros|euro|eur"),
    ("percent", r"%(?!-)|prosenttia|prosentin|procent|per\s+cent|percent"),
    ("persons", r"henkilöä|henkilön|personer|persons|people"),
    ("municipalities", r"jäsenkuntaa|jäsenkunnan|kuntaa|kunnan|kunnasta|medlemskommuner|"
                       r"kommuner|municipalities"),
    ("offices", r"toimipistettä|toimipisteen|toimipaikkaa|palvelupistettä|"
                r"verksamhetsställen|serviceställen|offices"),
)
_UNIT = "|".join(f"(?P<{unit}>{pattern})" for unit, pattern in _UNITS)
_SCALE = "|".join(re.escape(s) for s in sorted(_SCALES, key=len, reverse=True))
# A figure starts where no number does: not inside a number ('2025 150' is not read as 150,
# and a long run of digit groups is read once, not from every group).
_FIGURE = re.compile(
    rf"(?<![\w.,/§–-])(?<!\d{_GROUP})(?P<low>{_NUMBER})(?:\s?[–—-]\s?(?P<high>{_NUMBER}))?"
    rf"\s*(?:(?P<scale>{_SCALE})\s*)?(?:{_UNIT})(?![\w-])", re.IGNORECASE)
# Counts are also written in words; 'yksi', 'en' and 'ett' are left out (an article in
# Swedish, and 'one municipality' is rarely a count of the area's members).
_WORDS = {"kaksi": 2, "kahden": 2, "kolme": 3, "kolmen": 3, "neljä": 4, "neljän": 4,
          "viisi": 5, "viiden": 5, "kuusi": 6, "kuuden": 6, "seitsemän": 7, "kahdeksan": 8,
          "yhdeksän": 9, "kymmenen": 10, "yksitoista": 11, "yhdentoista": 11,
          "kaksitoista": 12, "kahdentoista": 12, "två": 2, "tre": 3, "fyra": 4, "fem": 5,
          "sex": 6, "sju": 7, "åtta": 8, "nio": 9, "tio": 10, "elva": 11, "tolv": 12}
_WORD_FIGURE = re.compile(
    rf"(?<![\w-])(?P<word>{'|'.join(_WORDS)})\s+(?:{_UNITS[4][1]}|{_UNITS[5][1]})(?![\w-])",
    re.IGNORECASE)
_YEAR = re.compile(r"(?<![\d/.,])(?:19|20|21)\d\d(?![\d/])|(?<=\.)(?:19|20|21)\d\d(?!\d)")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ])")
_CLAUSE_END = re.compile(r",\s|;\s|:\s|\s[–—]\s(?!\d)|[()]")
# Words right before a figure that make it an approximation or a bound.
_APPROXIMATELY = ("noin", "n.", "ca", "ca.", "cirka", "omkring", "ungefär", "kring", "runsaat",
                  "runsas", "lähes", "vajaat", "vajaa", "melkein", "arviolta", "about",
                  "approximately", "around", "roughly", "nearly", "almost", "some", "drygt",
                  "knappt", "nästan")
_AT_LEAST = ("yli", "vähintään", "över", "minst", "over", "least")
_AT_MOST = ("alle", "enintään", "korkeintaan", "högst", "under", "most")


@dataclass(frozen=True)
class Figure:
    offset: int  # in the text it was read from
    said: str  # as written
    unit: Unit
    low: Decimal  # in euros, htv, percent or units
    high: Decimal
    decimals: int  # as stated, in its scale
    scale: Decimal
    approximate: bool = False
    bound: Literal["", "min", "max"] = ""

    def _significant(self) -> Decimal:
        """One unit of the last significant digit stated: 0,1 in '5,8', 10 in '150'."""
        if self.decimals:
            return Decimal(1).scaleb(-self.decimals) * self.scale
        whole = int(self.low / self.scale)
        zeros = len(str(whole)) - len(str(whole).rstrip("0")) if whole else 0
        return Decimal(10) ** zeros * self.scale

    def agrees(self, value: Decimal) -> bool:
        """Exact figures agree when the value rounds to them at the precision stated (95,4
        is '95 htv', 10 162 216 is '10,2 milj. €'); approximations when the value is
        within one unit of the last significant digit, and at most 5 %, of them ('noin 5,8
        milj. €' is 5,7–5,9 million, 'noin 90 htv' 85,5–94,5); bounds when the value is on
        the stated side."""
        if self.bound == "min":
            return value >= self.low
        if self.bound == "max":
            return value <= self.high
        if self.approximate:
            slack = min(self._significant(), self.high / 20)
            return self.low - slack <= value <= self.high + slack
        shown = (value / self.scale).quantize(Decimal(1).scaleb(-self.decimals),
                                              rounding=ROUND_HALF_UP) * self.scale
        return self.low <= shown <= self.high


def _number(text: str) -> tuple[Decimal, int]:
    digits = re.sub(_GROUP, "", text).replace(",", ".")
    decimals = len(digits.partition(".")[2])
    return Decimal(digits), decimals


def _before(text: str, offset: int) -> list[str]:
    return text[max(0, offset - 40):offset].lower().split()[-2:]


def _qualified(figure: Figure, text: str) -> Figure:
    """The figure with the word before it that makes it an approximation or a bound."""
    words = _before(text, figure.offset)
    last = words[-1] if words else ""
    approximately = next((w for w in reversed(words) if w in _APPROXIMATELY), None)
    if approximately is not None:
        return replace(figure, approximate=True, said=f"{approximately} {figure.said}")
    if last in _AT_LEAST:
        return replace(figure, bound="min", said=f"{last} {figure.said}")
    if last in _AT_MOST:
        return replace(figure, bound="max", said=f"{last} {figure.said}")
    return figure


def figures(text: str) -> Iterator[Figure]:
    """The figures with units in a piece of prose, in order."""
    for found in _FIGURE.finditer(text):
        unit: Unit = next(u for u, _ in _UNITS if found.group(u))
        scale = Decimal(_SCALES.get((found.group("scale") or "").lower(), 1))
        low, low_decimals = _number(found.group("low"))
        high, high_decimals = _number(found.group("high")) if found.group("high") else (low, 0)
        if high < low:
            continue
        said = re.sub(r"\s+", " ", found.group())
        yield _qualified(Figure(found.start(), said, unit, low * scale, high * scale,
                                max(low_decimals, high_decimals), scale), text)
    for found in _WORD_FIGURE.finditer(text):
        count = Decimal(_WORDS[found.group("word").lower()])
        unit = "offices" if re.search(_UNITS[5][1], found.group(), re.IGNORECASE) \
            else "municipalities"
        yield _qualified(Figure(found.start(), re.sub(r"\s+", " ", found.group()), unit,
                                count, count, 0, Decimal(1)), text)


# --- which figure a clause states -----------------------------------------------------------

# Stems, matched at the start of a word or inside it (Finnish compounds): what a clause must
# name for a figure to be read as a statement of a computed figure, and what makes it
# something else.
_TOTAL = ("yhteensä", "kokonais", "kaikkiaan", "tarve", "tarpee", "sammanlagt", "totalt",
          "totala", "behov", "total", "altogether")
_STAFF = ("henkilöstö", "henkilökun", "personal", "staff")
_STAFF_PART = ("siirtyv", "siirret", "lisähenkilö", "kuntataust", "sijais", "tuotantoalue",
               "överför", "tilläggspersonal", "kommunal", "vikari", "transfer", "additional",
               "tehtäv", "uppgift", "task", " oma", " egen", " egna", " own ")
# The budget as a whole, by name; or its costs, when the clause says they are the area's and
# in total ('työllisyysalueen kustannukset ovat yhteensä').
_BUDGET = ("talousarvi", "kustannusarvi", "budjet", "kokonaiskustannu", "kokonaismen",
           "toimintamen", "nettomen", "nettokustannu", "budget", "kostnadsberäkning",
           "totala kostnader", "nettokostnad", "omkostnad", "total cost", "net cost")
_COSTS = ("kustannukset", "menot", "kostnader", "utgifter", "costs", "expenditure")
_NET = ("netto", "net ")
_SHARED = ("jaet", "jaettav", "jakoon", "fördel", "shared", "divided")
_BUDGET_PART = ("henkilöstökustannu", "palkkatu", "avustu", "ostopalvelu", "palvelujen ost",
                "yleiskustannu", "koulutu", "valmennu", "tulot", "tuloja", "tuloina", "hanke",
                "hankkee", "rahoitu", "valtionosu", "varattu", "varataan", "varaus",
                "personalkostnad", "lönesubvention", "understöd", "köp av", "utbildning",
                "coachning", "intäkt", "projekt", "finansiering", "statsandel", "reserver",
                "personnel", "wage", "grant", "income", "funding", "overhead",
                "allmänna kostnader", "ennakko", "förskott", "advance", "kuukau", "månad",
                "henkilöstö", "personal", "staff")
# An amount per person, per month or on average is not a total.
_PER = (" kohden", " kohti", " per ", "keskimäär", "genomsnitt", "average", "/")
_AREA = ("jäsenkun", "sopijakun", "työllisyysalue", "aluee", "alue ", "medlemskommun",
         "avtalskommun", "sysselsättningsområd", "område", "member", "area")
_OTHER_PLACES = ("maakun", "landskap", "suome", "finland", "naapuri", "grann", "neighbour",
                 "työssäkäyntialue", "pendlingsregion", "mal-", "seutukun", "region",
                 "hyvinvointialue", "välfärdsområde", "wellbeing", "ely-", "kela", "pohjois-",
                 "etelä-", "itä-", "länsi-", "keski-", "norra ", "södra ", "östra ", "västra ",
                 "mellersta ")
# Words that say a count is of the area's members as a whole, and words that make it a count
# of some of them.
_WHOLE = ("jäsenkun", "sopijakun", "kuuluu", "kuuluvat", "muodosta", "yhteensä", "kaikkiaan",
          "medlemskommun", "avtalskommun", "består", "omfattar", "ingår", "bildar",
          "sammanlagt", "totalt", "member municipalit")
_SOME = ("kielis", "kielinen", "språkig", "lingual", "harkits", "överväg", "consider",
         "optio", "lisäksi", "dessutom", "besides", "muut ", "muiden", "övriga", "other")
# Figures of another body or place than the area: another region, the state, a partner.
_ELSEWHERE = (
    *_OTHER_PLACES, "yritys", "yrityks", "företag", "compan", "työnantaj", "arbetsgivar",
    "employer", "te-toimisto", "te-byrå", "valtion ", "statens ", "oppilaito", "läroanstalt",
    "kumppan", "partner", "järjestö", "organisation")
_TE = ("te-palvelu", "te-tjänst", "työvoimapalvelu", "arbetskraftsservice",
       "employment service")
_OVERHEAD = ("yleiskustannu", "yleiskulu", "allmänna kostnader", "overhead")
_SHARE = ("osuu", "osuud", "maksuosuu", "maksaa", "maksettav", "andel", "betala", "share",
          "pays")
_STATISTIC = ("väest", "väkiluku", "asuk", "työttöm", "työvoim", "vieraskiel", "työikä",
              "vuotia", "ikäi", "befolkning", "invånare", "arbetslös", "arbetskraft",
              "modersmål", "åring", "arbetsför", "population", "unemploy", "labour", "aged",
              "paino", "vikt", "weight", "ennakko", "förskott", "advance", "kuukau", "månad",
              "tasau", "utjämning", "settlement", "paika", "paikk", "plats", "seat",
              # a share of something else than the costs: staff, clients, seats, votes
              "henkilöstö", "personal", "staff", "asiakk", "kund", "client", "jäsen",
              "ledamot", "toimipist", "verksamhetsställ", "äänist", "äänimäär", "äänival",
              "äänest", "röst", "vote")
_LABOUR = ("työvoima", "arbetskraft", "labour force")
_LABOUR_OTHER = ("laki", "lain", "lagen", "law", "vähimmäis", "minimi", "minimum", "raja",
                 "gräns", "threshold", "vaatimu", "krav", "requir", "edellyt")
# A sentence about a change, a comparison, an earlier time or a goal states no current
# total; these are matched at the start of a word ('än' is not the end of 'Testilän').
_CHANGE = re.compile(r"\b(?:" + "|".join((
    "kasv", "lisäänty", "lisäys", "lisätään", "vähene", "vähenn", "muutos", "muuttu",
    "enemmän", "vähemmän", "suuremp", "pienemp", "kuin", "ökar", "ökning", "minsk", "förändr",
    "än", "increase", "decrease", "change", "than", "edellis", "aiemm", "aikaisemm",
    "föregående", "tidigare", "previous", "tavoit", "mål", "target", "nykyi", "nuvarande",
    "currently",
)) + r")(?:\w*)", re.IGNORECASE)


def _has(clause: str, stems: Iterable[str]) -> bool:
    return any(stem in clause for stem in stems)


def _changes(sentence: str) -> bool:
    """Whether a sentence is about a change, a comparison, an earlier time or a goal (a
    target group, 'målgrupp', is not a goal)."""
    return any(not m.group().lower().startswith("målgrupp") for m in _CHANGE.finditer(sentence))


_CASE_ENDING = 4  # letters an inflected name adds at most: Porvoo-seen, Kauniais-ten


def _member_stems(member: Member) -> set[str]:
    """The stems a member's name is inflected from: the name (Porvoo-n, Borgå-s), and for
    a name in -i or -nen its stem (Lapinjärve-n, Kauniais-ten)."""
    stems = set()
    for name in filter(None, (member.name.fi, member.name.sv)):
        name = name.lower()
        stems.add(name)
        if name.endswith("i"):
            stems.add(name[:-1] + "e")
        if name.endswith("nen"):
            stems.add(name[:-3] + "s")
    return stems


def _named_members(plan: Plan, clause: str) -> list[Member]:
    """The members a clause names (the area's own name has been read as the area)."""
    words = re.findall(r"[\w-]+", clause)
    return [m for m in plan.members
            if any(w.startswith(stem) and len(w) - len(stem) <= _CASE_ENDING
                   for stem in _member_stems(m) for w in words)]


def _as_area(plan: Plan, clause: str) -> str:
    """The clause, lowercased, with the area's own name ('Porvoon työllisyysalue') read as
    the area, not as its host member or a place."""
    clause = clause.lower()
    for name, area in ((plan.area.name.fi, "työllisyysalue"), (plan.area.name.sv, "området")):
        if name:
            clause = clause.replace(name.lower(), area)
    return clause


@dataclass(frozen=True)
class _Data:
    """What the plan's data computes, for the figures prose may state."""

    plan: Plan
    budgets: dict[int, BudgetResult]  # the budget year and the economic plan's years
    money: Money | None
    lang: Lang = "fi"  # of the text read: members are named in it

    @classmethod
    def of(cls, plan: Plan) -> _Data:
        budgets: dict[int, BudgetResult] = {}
        if plan.budget is not None:
            try:
                budgets[plan.area.budget_year] = compute_budget(plan.budget)
                for year in plan.budget.plan_years:
                    budgets[year] = compute_budget(plan.budget, year)
            except (MoneyError, KeyError):
                pass  # PB-BUDGET reports it; nothing is compared with a budget that fails
        money = None
        if plan.budget is not None and plan.cost_sharing is not None and budgets:
            with suppress(MoneyError):  # PB-MONEY reports it
                money = compute(plan)
        return cls(plan, budgets, money)


def _staff(data: _Data, figure: Figure, clause: str) -> Msg | None:
    if not (_has(clause, _STAFF) and _has(clause, _TOTAL)) or _has(clause, _STAFF_PART):
        return None
    resources = data.plan.sections.resources
    table = [line.htv for line in resources.staff] if resources else []
    lines = [line.htv for line in data.plan.budget.lines
             if line.kind == "personnel" and line.htv is not None] if data.plan.budget else []
    totals = [sum(table, Decimal(0))] if table else []
    totals += [sum(lines, Decimal(0))] if lines else []
    if not totals or any(figure.agrees(total) for total in totals):
        return None
    if table:
        return msg("rules.PB-TEXT-FIGURE.staff", said=figure.said, total=totals[0])
    return msg("rules.PB-TEXT-FIGURE.staff_budget", said=figure.said, total=totals[0])


def _budget(data: _Data, figure: Figure, clause: str, year: int | None) -> Msg | None:
    if (year is None or year not in data.budgets or _has(clause, _BUDGET_PART + _SHARE)
            or not (_has(clause, _BUDGET) or (_has(clause, _COSTS) and _has(clause, _AREA)
                    and _has(clause, _TOTAL)))):
        return None
    result = data.budgets[year]
    parts = [r.amount for r in result.lines] + list(result.by_kind.values())
    if any(figure.agrees(part) for part in parts):
        return None  # a line's amount, not the total
    net_only = _has(clause, _NET)
    candidates = [result.net] if net_only else [result.costs, result.net]
    if _has(clause, _SHARED):  # what the members share: the net less the direct costs
        candidates.append(result.shared)
    if any(figure.agrees(value) for value in candidates):
        return None
    if net_only:
        return msg("rules.PB-TEXT-FIGURE.net", said=figure.said, year=year, net=result.net)
    return msg("rules.PB-TEXT-FIGURE.costs", said=figure.said, year=year, costs=result.costs,
               net=result.net)


def _members(data: _Data, figure: Figure, clause: str) -> Msg | None:
    """The number of members, when the clause speaks of the area's members as a whole
    ('alueeseen kuuluu seitsemän kuntaa', 'sju medlemskommuner'); a count of some of them
    (the bilingual ones, those still considering) is accepted as such."""
    if not (_has(clause, _AREA) and _has(clause, _WHOLE)) or _has(clause, _SOME):
        return None
    plan = data.plan
    committed, everyone = len(plan.committed), len(plan.members)
    counts = {committed, everyone, everyone - committed, committed - 1, everyone - 1}
    if any(figure.agrees(Decimal(n)) for n in counts):
        return None
    return msg("rules.PB-TEXT-FIGURE.members", said=figure.said, committed=committed,
               all=everyone)


def _offices(data: _Data, figure: Figure, clause: str) -> Msg | None:
    section = data.plan.sections.offices
    named = _named_members(data.plan, clause)
    if (section is None or not section.offices or _has(clause, _OTHER_PLACES)
            or not (named or _has(clause, _AREA + _TE))):
        return None
    offices = section.offices
    committed = {m.id for m in data.plan.committed}
    counts = {len(offices), sum(o.municipality in committed for o in offices),
              len({o.municipality for o in offices})}
    counts |= {sum(o.kind == kind for o in offices) for kind in {o.kind for o in offices}}
    counts |= {sum(o.kind != "service_point" for o in offices)}
    if len(named) == 1:
        member = named[0]
        counts.add(sum(o.municipality == member.id for o in offices))
    if any(figure.agrees(Decimal(n)) for n in counts):
        return None
    if len(named) == 1:
        return msg("rules.PB-TEXT-FIGURE.offices_member", said=figure.said,
                   count=sum(o.municipality == named[0].id for o in offices), all=len(offices),
                   member=named[0].name.get(data.lang))
    return msg("rules.PB-TEXT-FIGURE.offices", said=figure.said, count=len(offices))


def _overhead(data: _Data, figure: Figure, clause: str) -> Msg | None:
    budget = data.plan.budget
    rates = [line.rate for line in budget.lines if line.kind == "overhead"
             and line.rate is not None] if budget else []
    if not rates or not _has(clause, _OVERHEAD) or any(figure.agrees(r) for r in rates):
        return None
    return msg("rules.PB-TEXT-FIGURE.overhead", said=figure.said,
               rates=tuple(f"{r.normalize():f} %".replace(".", ",") for r in rates))


def _share(data: _Data, figure: Figure, clause: str, year: int) -> Msg | None:
    """A named member's share, in euros or per cent of the net costs: in force, in any
    membership scenario, by any model compared, or (for a year of the economic plan) that
    year's."""
    money = data.money
    named = _named_members(data.plan, clause)
    if (money is None or len(named) != 1 or not _has(clause, _SHARE)
            or _has(clause, _STATISTIC)):
        return None
    member = named[0]
    summary = money.member_summary(member.id)
    if summary is None:
        return None
    committed = [m.id for m in data.plan.committed]
    that_year = next((y for y in money.years if y.year == year), None)
    if that_year is None:
        return None
    if year == data.plan.area.budget_year:
        total, net = summary.total, money.budget.net
        euros = {summary.total, summary.shared}
        for scenario in money.scenarios:
            found = money.summary_in(member.id, scenario)
            if found is not None:
                euros |= {found.total, found.shared}
        if money.comparison is not None:
            euros |= {charges.of(member.id) for charges in money.comparison.models}
    elif member.id in committed:
        total = that_year.totals[committed.index(member.id)]
        net, euros = that_year.budget.net, {total}
    else:
        return None
    name = member.name.get(data.lang)
    if figure.unit == "euro":
        if any(figure.agrees(value) for value in euros):
            return None
        return msg("rules.PB-TEXT-FIGURE.share", said=figure.said, member=name, total=total,
                   year=year)
    if not net or any(figure.agrees(value * 100 / net) for value in euros):
        return None
    return msg("rules.PB-TEXT-FIGURE.share_percent", said=figure.said, member=name,
               total=total, year=year,
               percent=(total * 100 / net).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _labour_force(data: _Data, figure: Figure, clause: str) -> Msg | None:
    if (not _has(clause, _LABOUR) or not _has(clause, _AREA + _TOTAL)
            or _has(clause, _LABOUR_OTHER) or _has(clause, _OTHER_PLACES)):
        return None
    def total(members: list[Member]) -> Decimal | None:
        values = [m.statistics["labour_force"].value for m in members
                  if "labour_force" in m.statistics]
        return sum(values, Decimal(0)) if len(values) == len(members) else None

    committed, everyone = total(data.plan.committed), total(data.plan.members)
    if committed is None or everyone is None:
        return None
    if figure.agrees(committed) or figure.agrees(everyone):
        return None
    return msg("rules.PB-TEXT-FIGURE.labour_force", said=figure.said, total=committed)


def _check(data: _Data, figure: Figure, clause: str, year: int | None) -> Msg | None:
    """What is wrong with a figure in its clause (lowercased), or None. Euros may be about
    a year of the economic plan; the other figures only about the budget year."""
    if year is None or _has(clause, _ELSEWHERE) or _has(clause, _PER):
        return None
    named = bool(_named_members(data.plan, clause))
    if figure.unit == "euro":
        if year not in data.budgets:
            return None
        return (_share(data, figure, clause, year) if named
                else _budget(data, figure, clause, year))
    if year != data.plan.area.budget_year:
        return None
    if figure.unit == "percent":
        return (_share(data, figure, clause, year) if named
                else _overhead(data, figure, clause))
    checks = {"htv": _staff, "municipalities": _members, "offices": _offices,
              "persons": _labour_force}
    return checks[figure.unit](data, figure, clause)


# --- reading the prose ----------------------------------------------------------------------

_MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_MARKDOWN.enable("table")  # as compose parses prose: a pipe table is a table, not text
# Code spans, link targets and autolinks; each scan stops at the next bracket or backtick, so
# the time stays linear in the text's length.
_HIDDEN = re.compile(r"`[^`]*`|\]\([^()\[\]]*\)|<[^<>\s]*>")


def _blanked(text: str) -> str:
    """The text with code spans and link targets blanked, offsets kept."""
    return _HIDDEN.sub(lambda m: " " * len(m.group()), text)


def _line_starts(value: str) -> list[int]:
    return [0] + [i + 1 for i, char in enumerate(value) if char == "\n"]


def paragraphs(value: str) -> Iterator[tuple[str, list[int]]]:
    """Each paragraph, heading or list item of the prose (not code or tables): its lines
    joined, so a figure broken over two lines is read whole, with code and link targets
    blanked; and the offset in `value` of each of its characters."""
    tokens = _MARKDOWN.parse(value)
    starts = [*_line_starts(value), len(value) + 1]
    for before, token in itertools.pairwise(tokens):
        if token.type != "inline" or token.map is None or before.type not in (
                "paragraph_open", "heading_open"):
            continue
        text, offsets = "", []
        for k, line in enumerate(token.content.split("\n")):
            number = token.map[0] + k
            if number + 1 >= len(starts):
                break
            written = value[starts[number]:starts[number + 1] - 1]
            column = max(written.find(line), 0) if line else 0
            if text:
                text += "\n"
                offsets.append(starts[number])
            text += line
            offsets += range(starts[number] + column, starts[number] + column + len(line))
        yield _blanked(text), offsets


def _sentences(text: str) -> Iterator[tuple[int, int]]:
    start = 0
    for found in _SENTENCE_END.finditer(text):
        yield start, found.start()
        start = found.end()
    yield start, len(text)


def _clauses(sentence: str) -> Iterator[tuple[int, int]]:
    start = 0
    for found in _CLAUSE_END.finditer(sentence):
        yield start, found.start()
        start = found.end()
    yield start, len(sentence)


def _year(sentence: str, budget_year: int) -> int | None:
    """The one year a sentence is about: the budget year when it names none (or only that
    one), the year it names, or None when it names several."""
    found = {int(m.group()) for m in _YEAR.finditer(sentence)}
    if not found or found == {budget_year}:
        return budget_year
    return found.pop() if len(found) == 1 else None


def disagreements(data: _Data, value: str) -> Iterator[tuple[int, Msg]]:
    """(offset in `value`, message) for each figure of the prose the data contradicts; a
    clause in which any figure of a unit agrees is taken to state that one (71 + 24 = 95)."""
    for text, offsets in paragraphs(value):
        for start, end in _sentences(text):
            sentence = text[start:end]
            year = _year(sentence, data.plan.area.budget_year)
            if _changes(sentence):
                continue
            for c_start, c_end in _clauses(sentence):
                clause = sentence[c_start:c_end]
                found = list(figures(clause))
                lowered = _as_area(data.plan, clause)
                wrong = [(f, _check(data, f, lowered, year)) for f in found]
                for figure, problem in wrong:
                    same_unit = [p for f, p in wrong if f.unit == figure.unit]
                    if problem is not None and all(p is not None for p in same_unit):
                        yield offsets[start + c_start + figure.offset], problem
                        break


# Texts that are not the plan's statements: where the plan knowingly differs from its source
# (the source's figures, by design) and the preparers' reasons for accepting a warning.
_NOT_STATEMENTS = (("area", "deviations"), ("acknowledge",))


@rule("PB-TEXT-FIGURE", "", "warning")
def text_figures(plan: Plan) -> Iterator[Violation]:
    computed = _Data.of(plan)
    for path, text in texts(plan):
        if any(path[:len(skip)] == skip for skip in _NOT_STATEMENTS):
            continue
        for lang in plan.languages:
            value = text.sv if lang == "sv" else text.fi
            if not value or not (any(c.isdigit() for c in value)
                                 or _WORD_FIGURE.search(value)):
                continue
            if sum(value.count(char) for char in MARKUP) > MAX_MARKUP:
                continue  # PB-CONTENT refuses it; the documents do not parse it either
            for offset, problem in disagreements(replace(computed, lang=lang), value):
                yield Violation((*path, lang), problem, offset=offset)
