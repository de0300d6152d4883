"""How a pool of a sharing model is shared: one key of three kinds, each with its own
charge and its own checks. `key_of` is the one place that tells a pool's kind from the plan's
fields; the engine, the checks and the tables ask the key, never the fields.

- `CriteriaKey`: weighted statistics, like a model's own criteria;
- `CausationKey`: cost causation, each member's own amount (`by_member`);
- `PriceKey`: a price per unit of a statistic (`price` x `volume`), charged per member and
  rounded to the unit, as an invoice would be.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Literal

from planbuilder.errors import MoneyError
from planbuilder.findings import KeyPath
from planbuilder.messages import msg
from planbuilder.model import Member, Plan, Pool, StatisticName

if TYPE_CHECKING:
    from planbuilder.money.checks import Problem

Overrides = Mapping[str, Mapping[StatisticName, Decimal]]


@dataclass(frozen=True)
class PoolShare:
    """What each member is charged of one pool, exactly (euros, members in plan order)."""

    amount: Decimal  # the pool's total, a whole number of units
    exact: tuple[Fraction, ...]


@dataclass(frozen=True)
class CriteriaKey:
    pool: Pool
    kind: Literal["criteria"] = "criteria"

    def charge(self, amount: Decimal, members: Sequence[Member], overrides: Overrides,
               path: KeyPath, unit: Decimal, plan_year: bool) -> PoolShare:
        from planbuilder.money.engine import allocate

        shared = allocate(self.pool.as_model(), amount, members, overrides, path, unit)
        return PoolShare(amount, tuple(s.exact for s in shared.shares))

    def problems(self, plan: Plan, where: KeyPath) -> Iterator[Problem]:
        from planbuilder.money.checks import model_problems

        yield from model_problems(self.pool.as_model(), plan.members, where,
                                  zero_among=plan.committed)

    def statistics(self) -> set[str]:
        return {c.statistic for c in self.pool.criteria}


@dataclass(frozen=True)
class CausationKey:
    pool: Pool
    kind: Literal["causation"] = "causation"

    def charge(self, amount: Decimal, members: Sequence[Member], overrides: Overrides,
               path: KeyPath, unit: Decimal, plan_year: bool) -> PoolShare:
        own = [Fraction(self.pool.by_member.get(m.id, Decimal(0))) for m in members]
        given = sum(own, Fraction(0))
        if plan_year and given and given != Fraction(amount):
            # A plan year's pool is shared in the proportions of the budget year's own
            # amounts (the plan states this rule beside the figures).
            return PoolShare(amount, tuple(Fraction(amount) * v / given for v in own))
        if given != Fraction(amount):
            raise MoneyError((*path, "by_member"), msg(
                "money.pool_by_member_total", pool=self.pool.id,
                total=sum(self.pool.by_member.values(), Decimal("0.00")), lines=amount))
        return PoolShare(amount, tuple(own))

    def problems(self, plan: Plan, where: KeyPath) -> Iterator[Problem]:
        from planbuilder.money.checks import Problem

        committed = {m.id for m in plan.committed}
        for member in self.pool.by_member:
            if member not in committed:
                yield Problem("budget", (*where, "by_member", member), msg(
                    "money.pool_member_not_committed", pool=self.pool.id, member=member))

    def statistics(self) -> set[str]:
        return set()


@dataclass(frozen=True)
class PriceKey:
    pool: Pool
    price: Decimal
    volume: StatisticName
    kind: Literal["price"] = "price"

    def charge(self, amount: Decimal, members: Sequence[Member], overrides: Overrides,
               path: KeyPath, unit: Decimal, plan_year: bool) -> PoolShare:
        own = tuple(Fraction((self.price * self._volume(m, overrides)).quantize(
            unit, rounding=ROUND_HALF_UP)) for m in members)
        total = sum(own, Fraction(0))
        return PoolShare(Decimal(total.numerator) / Decimal(total.denominator), own)

    def _volume(self, member: Member, overrides: Overrides) -> Decimal:
        if self.volume in overrides.get(member.id, {}):
            return Decimal(overrides[member.id][self.volume])
        return member.statistics[self.volume].value

    def problems(self, plan: Plan, where: KeyPath) -> Iterator[Problem]:
        from planbuilder.money.checks import Problem

        lacking = [m.id for m in plan.members if self.volume not in m.statistics]
        if lacking:
            yield Problem("statistics", (*where, "volume"), msg(
                "money.pool_volume_lacking", pool=self.pool.id, volume=self.volume,
                members=lacking))

    def statistics(self) -> set[str]:
        return {self.volume}


PoolKey = CriteriaKey | CausationKey | PriceKey


def key_of(pool: Pool) -> PoolKey:
    """The pool's key (the model guarantees exactly one is given)."""
    if pool.criteria:
        return CriteriaKey(pool)
    if pool.by_member:
        return CausationKey(pool)
    assert pool.price is not None and pool.volume is not None
    return PriceKey(pool, pool.price, pool.volume)
