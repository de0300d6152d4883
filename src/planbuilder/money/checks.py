"""The one owner of every check that stands between a plan and its money: the rules report
these problems at the line to edit (`rules.money`), and the engine refuses to compute while
any remain (`engine.compute`, `engine.allocate`), so the two can never disagree."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from planbuilder.findings import NOTHING, KeyPath, did_you_mean
from planbuilder.messages import Msg, msg
from planbuilder.model import Member, Plan, SharingModel, StatisticName
from planbuilder.money.keys import CausationKey, CriteriaKey, PoolKey, PriceKey, key_of

Kind = Literal["weights", "statistics", "model", "budget", "names"]


@dataclass(frozen=True)
class Problem:
    kind: Kind
    path: KeyPath
    message: Msg


def weight_total(model: SharingModel) -> Decimal:
    return sum((c.weight for c in model.criteria), Decimal(0))


def model_problems(model: SharingModel, members: Sequence[Member], path: KeyPath,
                   overrides: Mapping[str, Mapping[StatisticName, Decimal]] | None = None,
                   zero_among: Sequence[Member] | None = None) -> Iterator[Problem]:
    """Whether `model` can share between `members`: weights total 100 %, every member has
    each statistic (or an override), and no statistic is zero for all of `zero_among`
    (default: the members sharing)."""
    total = weight_total(model)
    if total != 100:
        yield Problem("weights", (*path, "criteria"), msg(
            "money.weights_not_100", model=model.id, total=f"{total.normalize():f}"))
    overrides = overrides or {}
    for j, criterion in enumerate(model.criteria):
        stat = criterion.statistic
        where = (*path, "criteria", j, "statistic")
        lacking = [m.id for m in members
                   if stat not in m.statistics and stat not in overrides.get(m.id, {})]
        if lacking:
            yield Problem("statistics", where, msg("money.statistic_lacking", model=model.id,
                                                   statistic=stat, members=lacking))
            continue
        among = members if zero_among is None else zero_among
        if sum((overrides.get(m.id, {}).get(stat, m.statistics[stat].value) for m in among),
               Decimal(0)) == 0:
            yield Problem("statistics", where, msg("money.statistic_all_zero", statistic=stat,
                                                   model=model.id,
                                                   members=[m.id for m in among]))


def unknown_statistic(plan: Plan, name: str, path: KeyPath) -> Problem | None:
    """A statistic name that is neither built in nor declared under `statistics:`."""
    if name in plan.statistic_names:
        return None
    return Problem("names", path, msg(
        "money.unknown_statistic", name=name,
        hint=did_you_mean(name, plan.statistic_names) or msg("money.declare_statistic")))


def _unknown_in_money(plan: Plan) -> Iterator[Problem]:
    cs = plan.cost_sharing
    if cs is None:
        return
    found = [unknown_statistic(plan, c.statistic, ("cost_sharing", "models", i, "criteria", j,
                                                    "statistic"))
             for i, model in enumerate(cs.models) for j, c in enumerate(model.criteria)]
    for i, model in enumerate(cs.models):
        for k, pool in enumerate(model.pools):
            where = ("cost_sharing", "models", i, "pools", k)
            found += [unknown_statistic(plan, c.statistic, (*where, "criteria", j,
                                                            "statistic"))
                      for j, c in enumerate(pool.criteria)]
            if pool.volume is not None:  # the price key's statistic, named by the plan
                found.append(unknown_statistic(plan, pool.volume, (*where, "volume")))
    if cs.preparation is not None:
        found.append(unknown_statistic(plan, cs.preparation.statistic,
                                       ("cost_sharing", "preparation", "statistic")))
    if cs.settlement is not None:
        found += [unknown_statistic(plan, name, ("cost_sharing", "settlement",
                                                 "actual_statistics", member, name))
                  for member, stats in cs.settlement.actual_statistics.items()
                  for name in stats]
    yield from (p for p in found if p is not None)


def _key_problems(key: PoolKey, plan: Plan, where: KeyPath) -> Iterator[Problem]:
    """Whether a pool's key can share: its criteria as a model's; cost causation names
    committed members only; a price's volume is a statistic of every member."""
    match key:
        case CriteriaKey(pool=pool):
            yield from model_problems(pool.as_model(), plan.members, where,
                                      zero_among=plan.committed)
        case CausationKey(pool=pool):
            committed = {m.id for m in plan.committed}
            for member in pool.by_member:
                if member not in committed:
                    yield Problem("budget", (*where, "by_member", member), msg(
                        "money.pool_member_not_committed", pool=pool.id, member=member))
        case PriceKey(pool=pool, volume=volume):
            lacking = [m.id for m in plan.members if volume not in m.statistics]
            if lacking:
                yield Problem("statistics", (*where, "volume"), msg(
                    "money.pool_volume_lacking", pool=pool.id, volume=volume,
                    members=lacking))


def _pool_problems(plan: Plan, model: SharingModel, path: KeyPath) -> Iterator[Problem]:
    """A model's pools name budget lines that exist, no line twice; their keys can share
    between the members; cost causation names committed members only. A phase-in starts
    from another model of the plan."""
    line_ids = {line.id for line in plan.budget.lines} if plan.budget else set()
    seen: set[str] = set()
    for k, pool in enumerate(model.pools):
        where = (*path, "pools", k)
        for j, line in enumerate(pool.lines):
            if line not in line_ids:
                yield Problem("budget", (*where, "lines", j), msg(
                    "money.pool_line_unknown", pool=pool.id, line=line,
                    hint=did_you_mean(line, line_ids) or NOTHING))
            elif line in seen:
                yield Problem("budget", (*where, "lines", j), msg(
                    "money.line_in_two_pools", line=line, model=model.id))
            seen.add(line)
        yield from _key_problems(key_of(pool), plan, where)
    cs = plan.cost_sharing
    ids = [m.id for m in cs.models] if cs else []
    if model.phase_in is not None and (model.phase_in.from_model not in ids
                                       or model.phase_in.from_model == model.id):
        yield Problem("model", (*path, "phase_in", "from_model"), msg(
            "money.phase_in_from_unknown", model=model.id, from_model=model.phase_in.from_model,
            models=ids))
    in_force = cs is not None and cs.model == model.id
    year = plan.area.budget_year
    if in_force and model.valid_from is not None and model.valid_from > year:
        yield Problem("model", (*path, "valid_from"), msg(
            "money.model_not_yet_in_force", model=model.id, valid_from=model.valid_from,
            year=year))
    if in_force and model.phase_in is not None and len(plan.committed) < len(plan.members):
        yield Problem("model", (*path, "phase_in"), msg("money.phase_in_with_optional"))


def problems(plan: Plan) -> Iterator[Problem]:
    """Everything that keeps the plan's money from being computed, each at its key path."""
    cs = plan.cost_sharing
    unknown = list(_unknown_in_money(plan))
    yield from unknown
    if cs is not None:
        for i, model in enumerate(cs.models):
            if any(p.path[:3] == ("cost_sharing", "models", i) for p in unknown):
                continue  # its unknown statistic is the one thing to fix
            # optional members are shared with in the membership scenarios, so they need the
            # statistics too; a statistic must not be zero for the committed members alone
            yield from model_problems(model, plan.members, ("cost_sharing", "models", i),
                                      zero_among=plan.committed)
            yield from _pool_problems(plan, model, ("cost_sharing", "models", i))
        if cs.preparation is not None and cs.preparation.statistic in plan.statistic_names:
            stat = cs.preparation.statistic
            lacking = [m.id for m in plan.committed if stat not in m.statistics]
            if lacking:
                yield Problem("statistics", ("cost_sharing", "preparation", "statistic"),
                              msg("money.preparation_statistic_lacking", statistic=stat,
                                  members=lacking))
        ids = [m.id for m in cs.models]
        for key in ("model", "baseline"):
            value = getattr(cs, key)
            if value is not None and value not in ids:
                yield Problem("model", ("cost_sharing", key), msg(
                    "money.not_a_model", field=key, value=value, models=ids))
        if len(set(ids)) != len(ids):
            yield Problem("model", ("cost_sharing", "models"), msg("money.model_ids_unique"))
        if plan.budget is None:
            yield Problem("model", ("cost_sharing",), msg("money.needs_budget"))
    b = plan.budget
    if b is None:
        return
    members = {m.id for m in plan.members}
    line_ids = [line.id for line in b.lines]
    if len(set(line_ids)) != len(line_ids):
        yield Problem("budget", ("budget", "lines"), msg("money.line_ids_unique"))
    plan_years = b.plan_years
    for i, line in enumerate(b.lines):
        if line.kind == "overhead" and line.years:
            yield Problem("budget", ("budget", "lines", i, "years"), msg(
                "money.overhead_years", line=line.id))
        elif plan_years and line.kind != "overhead":
            missing = [str(y) for y in plan_years if y not in line.years]
            if missing:
                yield Problem("budget", ("budget", "lines", i), msg(
                    "money.line_years_missing", line=line.id, years=missing))
        early = [str(y) for y in line.years if y <= plan.area.budget_year]
        if early:
            yield Problem("budget", ("budget", "lines", i, "years"), msg(
                "money.line_years_too_early", line=line.id, years=early,
                budget_year=plan.area.budget_year))
        if line.kind != "overhead" and line.amount is None and \
                (line.htv is None or line.cost_per_htv is None):  # every such line at once
            yield Problem("budget", ("budget", "lines", i), msg(
                "money.personnel_line_needs_amount" if line.kind == "personnel"
                else "money.line_needs_amount", line=line.id))
        if line.charged_to is not None and line.charged_to not in members:
            yield Problem("budget", ("budget", "lines", i, "charged_to"), msg(
                "money.charged_to_unknown", line=line.id, member=line.charged_to))
    s = cs.settlement if cs else None
    for member_id in s.actual_statistics if s else {}:
        if member_id not in members:
            yield Problem("budget", ("cost_sharing", "settlement", "actual_statistics",
                                     member_id),
                          msg("money.settlement_member_unknown", member=member_id))
