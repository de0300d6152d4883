"""Official statistics for the plan: Statistics Finland's classification of municipalities
(the members' codes), and the members' statistics from StatFin's PxWeb API or from a JSON-stat
or CSV file saved from it (`planbuilder stats update`).

The PxWeb API (v1, https://pxdata.stat.fi/PxWeb/api/v1/) is asked with the standard library:
one POST of a JSON query per table, answered in JSON-stat 2.0, the same format a file saved
from StatFin has, so one reader reads both. Which table and categories each statistic comes
from is data (`data/statfin_tables.yaml`). Pure except `fetch`: nothing here writes a file."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from planbuilder.data import read_data
from planbuilder.messages import Msg, msg
from planbuilder.model import Member, Plan, Statistic

MAX_RESPONSE_BYTES = 20_000_000
TIMEOUT_SECONDS = 30


class StatsError(Exception):
    """A statistic cannot be taken from the table as asked: nothing is written."""

    def __init__(self, message: Msg):
        super().__init__(message.text("en"))
        self.message = message


# --- the classification of municipalities --------------------------------------------------

@dataclass(frozen=True)
class Municipality:
    code: str
    fi: str
    sv: str


def _codes_data() -> dict[str, Any]:
    return read_data("municipality_codes.yaml")


def municipalities() -> dict[str, Municipality]:
    """The classification's municipalities by code ('638')."""
    return {code: Municipality(code, v["fi"], v["sv"])
            for code, v in _codes_data()["municipalities"].items()}


def classification_source() -> tuple[str, str, int]:
    """The classification's source (Finnish, Swedish) and year."""
    data = _codes_data()
    return data["source"]["fi"], data["source"]["sv"], int(data["year"])


def municipality_names() -> list[tuple[str, str]]:
    """(code, name) for every Finnish and Swedish name of the classification."""
    return [(m.code, name) for m in municipalities().values()
            for name in dict.fromkeys((m.fi, m.sv))]


def code_of(member: Member) -> str | None:
    """The member's municipality code: its own `code`, else the classification's code of
    its Finnish name."""
    if member.code is not None:
        return member.code
    return next((m.code for m in municipalities().values() if m.fi == member.name.fi), None)


# --- where each statistic comes from -------------------------------------------------------

@dataclass(frozen=True)
class TableSpec:
    statistic: str
    table: str
    path: str
    dimensions: tuple[str, ...]
    area: str
    time: str
    period: str  # "year" or "months"
    select: Mapping[str, tuple[str, ...]]

    def url(self, api: str) -> str:
        return f"{api.rstrip('/')}/{self.path}"


def _tables() -> dict[str, Any]:
    return read_data("statfin_tables.yaml")


def api_url() -> str:
    return str(_tables()["api"])


def specs() -> dict[str, TableSpec]:
    return {name: TableSpec(name, str(s["table"]), s["path"], tuple(s["dimensions"]),
                            s["area"], s["time"], s["period"],
                            {k: tuple(str(x) for x in v) for k, v in s["select"].items()})
            for name, s in _tables()["statistics"].items()}


def used_statistics(plan: Plan) -> list[str]:
    """The statistics the plan's cost-sharing models and rules use: every criterion's and
    pool's, the preparation costs', and the labour force (the 20 000 test of 380/2023 12 §)."""
    used: list[str] = []
    cs = plan.cost_sharing
    for model in cs.models if cs else []:
        used += [c.statistic for c in model.criteria]
        for pool in model.pools:
            used += [c.statistic for c in pool.criteria]
            used += [pool.volume] if pool.volume else []
    if cs is not None and cs.preparation is not None:
        used.append(cs.preparation.statistic)
    used.append("labour_force")
    return list(dict.fromkeys(used))


def reference_date(plan: Plan, statistic: str) -> dt.date:
    """The date the models take the statistic at (the model in force's rule first); else
    the date the members' figures have; else 31.12. of the year before the budget year."""
    cs = plan.cost_sharing
    models = sorted(cs.models, key=lambda m: m.id != cs.model) if cs else []
    for model in models:
        for c in [*model.criteria, *(c for p in model.pools for c in p.criteria)]:
            if c.statistic == statistic and c.as_of is not None:
                return c.as_of.for_year(plan.area.budget_year)
    dates = [s.date for m in plan.members if (s := m.statistics.get(statistic)) and s.date]
    if dates:
        return max(set(dates), key=dates.count)
    return dt.date(plan.area.budget_year - 1, 12, 31)


def periods(spec: TableSpec, date: dt.date) -> list[str]:
    if spec.period == "months":
        return [f"{date.year}M{m:02d}" for m in range(1, 13)]
    return [str(date.year)]


# --- JSON-stat and CSV ---------------------------------------------------------------------

@dataclass(frozen=True)
class Dataset:
    """One table's cells as StatFin gives them."""

    table: str
    title: str
    url: str
    updated: str
    dimensions: tuple[str, ...]
    categories: Mapping[str, tuple[str, ...]]  # dimension -> category codes in order
    labels: Mapping[str, Mapping[str, str]]  # dimension -> code -> label
    values: Mapping[tuple[str, ...], Decimal | None]  # codes in `dimensions` order


def _number(value: Any) -> Decimal | None:
    if value is None or value in ("", ".", "..", "...", "-"):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def read_jsonstat(data: bytes, where: str) -> Dataset:
    """A JSON-stat 2.0 dataset (PxWeb's json-stat2 answer, or a file saved from StatFin)."""
    try:
        doc = json.loads(data.decode("utf-8-sig"))
        if isinstance(doc, dict) and doc.get("class") != "dataset" and "dataset" in doc:
            doc = doc["dataset"]  # JSON-stat 1.x wraps the dataset
        ids = tuple(doc["id"])
        sizes = [int(n) for n in doc["size"]]
        categories: dict[str, tuple[str, ...]] = {}
        labels: dict[str, dict[str, str]] = {}
        for dim in ids:
            cat = doc["dimension"][dim]["category"]
            index = cat.get("index")
            if isinstance(index, dict):
                codes = tuple(sorted(index, key=lambda k: index[k]))
            elif isinstance(index, list):
                codes = tuple(index)
            else:
                codes = tuple(cat["label"])
            categories[dim] = codes
            labels[dim] = dict(cat.get("label", {}))
        raw = doc["value"]
        count = 1
        for n in sizes:
            count *= n
        cells: list[Any] = list(raw) if isinstance(raw, list) else \
            [raw.get(str(k)) for k in range(count)]
        if len(cells) != count or [len(categories[d]) for d in ids] != sizes:
            raise ValueError("size")
    except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError):
        raise StatsError(msg("stats.errors.not_jsonstat", file=where)) from None
    values: dict[tuple[str, ...], Decimal | None] = {}
    for k, cell in enumerate(cells):
        key: list[str] = []
        rest = k
        for dim, n in zip(reversed(ids), reversed(sizes), strict=True):
            key.append(categories[dim][rest % n])
            rest //= n
        values[tuple(reversed(key))] = _number(cell)
    px = doc.get("extension", {}).get("px", {}) if isinstance(doc.get("extension"), dict) \
        else {}
    table = str(px.get("tableid") or _table_from_name(where) or "")
    return Dataset(table, str(doc.get("label", "")), where, str(doc.get("updated", "")), ids,
                   categories, labels, values)


def _table_from_name(name: str) -> str | None:
    m = re.search(r"(?:pxt_)([0-9a-z]{3,5})(?:\.|$)", name)
    return m[1] if m else None


def read_csv(text: str, where: str, spec: TableSpec) -> Dataset:
    """A CSV saved from StatFin: a column per dimension and the figures' last column, or
    PxWeb's 'csv' layout whose header names the area column and then one column per period
    ("2024 Väestö 31.12."). Areas by code ("KU638", "638") or name."""
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")),
                           delimiter=";" if text.count(";") > text.count(",") else ","))
    rows = [r for r in rows if any(c.strip() for c in r)]
    title = ""
    if rows and len(rows[0]) == 1:  # a title line above the header
        title = rows.pop(0)[0]
    if len(rows) < 2:
        raise StatsError(msg("stats.errors.not_csv", file=where))
    header = [h.strip() for h in rows[0]]
    values: dict[tuple[str, ...], Decimal | None] = {}
    names = {m.fi.casefold(): m.code for m in municipalities().values()} | \
        {m.sv.casefold(): m.code for m in municipalities().values()}

    def area(text: str) -> str:
        text = text.strip()
        m = re.match(r"^(?:KU)?(\d{3})\b", text)
        code = m[1] if m else names.get(text.casefold(), text)
        return f"KU{code}" if re.fullmatch(r"\d{3}", code) else code

    if spec.time in header and spec.area in header:
        dims = tuple(h for h in header[:-1])
        for r in rows[1:]:
            key = tuple(area(c) if d == spec.area else c.strip() for d, c in zip(dims, r,
                                                                               strict=False))
            values[key] = _number(r[-1].strip().replace(" ", ""))
        cats = {d: tuple(dict.fromkeys(k[i] for k in values)) for i, d in enumerate(dims)}
        return Dataset(spec.table, title, where, "", dims, cats, {}, values)
    # one column a period: "2024" or "2024M01" first in the column's heading
    periods_in = [re.match(r"^(\d{4}(?:M\d{2})?)", h) for h in header[1:]]
    if not all(periods_in):
        raise StatsError(msg("stats.errors.not_csv", file=where))
    dims = (spec.area, spec.time)
    for r in rows[1:]:
        for m, cell in zip(periods_in, r[1:], strict=False):
            assert m is not None
            values[(area(r[0]), m[1])] = _number(cell.strip().replace(" ", ""))
    cats = {d: tuple(dict.fromkeys(k[i] for k in values)) for i, d in enumerate(dims)}
    return Dataset(spec.table, title, where, "", dims, cats, {}, values)


def read_file(data: bytes, where: str, spec_for: Callable[[str], TableSpec | None]) -> Dataset:
    """A saved file, JSON-stat or CSV by its content."""
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head in (b"{", b"["):
        return read_jsonstat(data, where)
    table = _table_from_name(where) or ""
    spec = spec_for(table)
    if spec is None:
        raise StatsError(msg("stats.errors.csv_table", file=where))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("cp1252")
    return read_csv(text, where, spec)


# --- the API -------------------------------------------------------------------------------

def query(spec: TableSpec, codes: Sequence[str], wanted: Sequence[str]) -> dict[str, Any]:
    """The PxWeb v1 query for the members' cells of one table, answered in JSON-stat 2.0."""
    selections = [{"code": spec.area, "selection": {"filter": "item",
                                                    "values": [f"KU{c}" for c in codes]}},
                  {"code": spec.time, "selection": {"filter": "item", "values": list(wanted)}}]
    selections += [{"code": dim, "selection": {"filter": "item", "values": list(values)}}
                   for dim, values in spec.select.items()]
    return {"query": selections, "response": {"format": "json-stat2"}}


Opener = Callable[[urllib.request.Request, float], Any]


def _open(request: urllib.request.Request, timeout: float) -> Any:
    return urllib.request.urlopen(request, timeout=timeout)


def fetch(spec: TableSpec, codes: Sequence[str], wanted: Sequence[str],
          opener: Opener = _open) -> Dataset:
    """The table's cells for the members' codes and periods, from StatFin."""
    url = spec.url(api_url())
    body = json.dumps(query(spec, codes, wanted)).encode("utf-8")
    request = urllib.request.Request(url, data=body, method="POST",
                                     headers={"Content-Type": "application/json"})
    try:
        with opener(request, TIMEOUT_SECONDS) as response:
            data = response.read(MAX_RESPONSE_BYTES + 1)
    except urllib.error.HTTPError as exc:
        raise StatsError(msg("stats.errors.http", url=url, status=exc.code,
                             reason=str(exc.reason))) from None
    except (urllib.error.URLError, OSError, TimeoutError) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise StatsError(msg("stats.errors.network", url=url, reason=str(reason))) from None
    if len(data) > MAX_RESPONSE_BYTES:
        raise StatsError(msg("stats.errors.too_big", url=url))
    found = read_jsonstat(data, url)
    return Dataset(found.table or spec.table, found.title, url, found.updated,
                   found.dimensions, found.categories, found.labels, found.values)


# --- one member's figure -------------------------------------------------------------------

def figure(ds: Dataset, spec: TableSpec, code: str, wanted: Sequence[str], member: str
           ) -> Decimal:
    """The member's figure: the cells of its area, the wanted periods and the selected
    categories summed (the average of the months for a monthly statistic)."""
    if spec.area not in ds.dimensions or spec.time not in ds.dimensions:
        raise StatsError(msg("stats.errors.dimensions", table=ds.table or spec.table,
                             expected=", ".join(spec.dimensions),
                             got=", ".join(ds.dimensions)))
    full = len(ds.dimensions) > 2  # a two-column CSV has only area and time
    if full and set(ds.dimensions) != set(spec.dimensions):
        raise StatsError(msg("stats.errors.dimensions", table=ds.table or spec.table,
                             expected=", ".join(spec.dimensions),
                             got=", ".join(ds.dimensions)))
    area = f"KU{code}"
    if area not in ds.categories[spec.area]:
        raise StatsError(msg("stats.errors.no_area", table=ds.table or spec.table,
                             member=member, code=code))
    missing = [p for p in wanted if p not in ds.categories[spec.time]]
    if missing:
        raise StatsError(msg("stats.errors.no_period", table=ds.table or spec.table,
                             periods=", ".join(missing)))
    total = Decimal(0)
    for key, value in ds.values.items():
        cell = dict(zip(ds.dimensions, key, strict=True))
        if cell[spec.area] != area or cell[spec.time] not in wanted:
            continue
        if any(d in cell and cell[d] not in allowed for d, allowed in spec.select.items()):
            continue
        if value is None:
            raise StatsError(msg("stats.errors.no_value", table=ds.table or spec.table,
                                 member=member, period=cell[spec.time]))
        total += value
    for dim, allowed in spec.select.items():
        if dim in ds.categories and not set(allowed) <= set(ds.categories[dim]):
            raise StatsError(msg("stats.errors.no_category", table=ds.table or spec.table,
                                 dimension=dim, codes=", ".join(
                                     sorted(set(allowed) - set(ds.categories[dim])))))
    if spec.period == "months":
        total = (total / len(wanted)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return total


# --- the update ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Change:
    member: int  # index in plan.members
    statistic: str
    old: Statistic | None
    new: Statistic


def source_text(ds: Dataset, spec: TableSpec, retrieved: dt.date, lang: str) -> str:
    from planbuilder.fmt import date as fmt_date

    return msg("stats.source", table=ds.table or spec.table, title=ds.title or spec.table,
               url=ds.url if ds.url.startswith("http") else spec.url(api_url()),
               retrieved=fmt_date(retrieved, "sv" if lang == "sv" else "fi")).text(lang)


def changes(plan: Plan, datasets: Mapping[str, Dataset], retrieved: dt.date,
            statistics: Iterable[str] | None = None) -> list[Change]:
    """Each member's new figure of each used statistic the datasets have (by statistic, or
    by table id for a saved file); a statistic dated after `retrieved` (a forecast for the
    budget year) is not in StatFin yet and is left as it is."""
    out: list[Change] = []
    table_specs = specs()
    for name in statistics if statistics is not None else used_statistics(plan):
        spec = table_specs.get(name)
        if spec is None:
            continue
        ds = datasets.get(name) or datasets.get(spec.table)
        date = reference_date(plan, name)
        if ds is None or date > retrieved:
            continue
        wanted = periods(spec, date)
        for i, member in enumerate(plan.members):
            code = code_of(member)
            if code is None:
                raise StatsError(msg("stats.errors.no_code", member=member.id))
            value = figure(ds, spec, code, wanted, member.id)
            source = {lang: source_text(ds, spec, retrieved, lang) for lang in ("fi", "sv")}
            new = Statistic.model_validate({"value": value, "date": date, "source": source})
            out.append(Change(i, name, member.statistics.get(name), new))
    return out


def updated_plan(plan: Plan, found: Sequence[Change]) -> Plan:
    members = list(plan.members)
    for c in found:
        m = members[c.member]
        members[c.member] = m.model_copy(update={
            "statistics": {**m.statistics, c.statistic: c.new}})
    return plan.model_copy(update={"members": members})


def statistic_yaml(s: Statistic) -> dict[str, Any]:
    """The statistic as the plan file writes it."""
    out: dict[str, Any] = {"value": s.value, "date": s.date}
    if s.source is not None:
        out["source"] = s.source.model_dump(exclude_none=True)
    return out


# --- what the preparer is shown, and the files written -------------------------------------

def _figure_text(value: Decimal) -> str:
    from planbuilder import fmt

    decimals = max(0, -int(value.normalize().as_tuple().exponent)) if value % 1 else 0
    return fmt.number(value, "fi", decimals).replace("\u00a0", " ")


def report(plan: Plan, found: Sequence[Change], name: Callable[[str], str]) -> list[Msg]:
    """Per member: old → new for each statistic, then the effect on its share and advance
    (read from the ledgers of the plan before and after)."""
    from planbuilder.errors import PlanbuilderError
    from planbuilder.money import compute
    from planbuilder.money.ledger import ledger_of
    from planbuilder.money.report import MARK, eur

    after = updated_plan(plan, found)
    try:
        old_money = compute(plan) if plan.budget and plan.cost_sharing else None
        new_money = compute(after) if old_money is not None else None
    except PlanbuilderError:
        old_money = new_money = None
    out: list[Msg] = []
    year = plan.area.budget_year
    for i, member in enumerate(plan.members):
        mine = [c for c in found if c.member == i]
        if not mine:
            continue
        out.append(msg("stats.member", member=name(member.id)))
        for c in mine:
            date = c.new.date.isoformat() if c.new.date else ""
            if c.old is not None and c.old.value == c.new.value:
                out.append(msg("stats.same", statistic=c.statistic,
                               new=_figure_text(c.new.value), date=date))
            else:
                out.append(msg("stats.change", statistic=c.statistic,
                               old=_figure_text(c.old.value) if c.old else "–",
                               new=_figure_text(c.new.value), date=date))
        if old_money is None or new_money is None:
            continue
        old, new = ledger_of(old_money), ledger_of(new_money)
        key = f"payable/{year}/{member.id}"
        if key not in old or key not in new:
            continue
        cents = old_money.unit == Decimal("0.01")

        def shown(ledger: Any, entry: str, cents: bool = cents) -> str:
            e = ledger[entry]
            return eur(e.amount, cents) + (MARK if e.marked else "")

        diff = new.amount(key) - old.amount(key)
        first = f"advance/{member.id}/1"
        out.append(msg("stats.effect", year=year, old=shown(old, key), new=shown(new, key),
                       diff=("+" if diff > 0 else "") + eur(diff, cents),
                       old_pct=str(old.amount(f"percent/{year}/{member.id}")).replace(".", ","),
                       new_pct=str(new.amount(f"percent/{year}/{member.id}")).replace(".", ","),
                       old_advance=shown(old, first) if first in old else "–",
                       new_advance=shown(new, first) if first in new else "–"))
    if old_money is None:
        out.append(msg("stats.no_money"))
    return out


def file_edits(files: Mapping[str, bytes], locate: Callable[[tuple[Any, ...]], str],
               plan: Plan, found: Sequence[Change]) -> dict[str, bytes]:
    """The new bytes of each plan file the figures are written into (comments and layout
    kept: only the statistic's value changes, or the statistic is added)."""
    from planbuilder.load.edit import EditError, set_values

    per_file: dict[str, dict[tuple[Any, ...], Any]] = {}
    for c in found:
        member = plan.members[c.member]
        path: tuple[Any, ...] = ("members", c.member, "statistics", c.statistic)
        value: Any = statistic_yaml(c.new)
        if not member.statistics:
            path, value = path[:-1], {c.statistic: value}
        per_file.setdefault(locate(("members", c.member)), {})[path] = value
    out: dict[str, bytes] = {}
    for file, values in per_file.items():
        raw = files[file]
        bom = "\ufeff" if raw.startswith(b"\xef\xbb\xbf") else ""
        text = raw.decode("utf-8").removeprefix("\ufeff")
        try:
            edited = set_values(text, values)
        except EditError as exc:
            raise StatsError(msg("stats.errors.unwritable", file=file,
                                 path=".".join(map(str, exc.path)))) from None
        out[file] = (bom + edited).encode("utf-8")
    return out
