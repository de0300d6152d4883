"""How a pool of a sharing model is shared: one key of three kinds, each with its own
charge and its own checks. `key_of` is the one place that tells a pool's kind from the plan's
fields; the engine, the checks and the tables ask the key, never the fields.

- `CriteriaKey`: weighted statistics, like a model's own criteria;
- `CausationKey`: cost causation, each member's own amount (`by_member`);
- `PriceKey`: a price per unit of a statistic (`price` x `volume`), charged per member and
  rounded to the unit, as an invoice would be.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Literal

from planbuilder.errors import MoneyError
from planbuilder.findings import KeyPath
from planbuilder.messages import msg
from planbuilder.model import Member, Pool, StatisticName

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
        exact = [Fraction(0)] * len(members)
        for j, c in enumerate(self.pool.criteria):
            values = [Fraction(_value(m, c.statistic, overrides)) for m in members]
            total = sum(values, Fraction(0))
            if not total:
                raise MoneyError((*path, "criteria", j, "statistic"), msg(
                    "money.statistic_all_zero", statistic=c.statistic, model=self.pool.id))
            for i, v in enumerate(values):
                exact[i] += Fraction(amount) * Fraction(c.weight) / 100 * v / total
        return PoolShare(amount, tuple(exact))

    def statistics(self) -> set[str]:
        return {c.statistic for c in self.pool.criteria}


def _value(member: Member, name: StatisticName, overrides: Overrides) -> Decimal:
    if name in overrides.get(member.id, {}):
        return Decimal(overrides[member.id][name])
    return member.statistics[name].value


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
        own = tuple(Fraction((self.price * _value(m, self.volume, overrides)).quantize(
            unit, rounding=ROUND_HALF_UP)) for m in members)
        total = sum(own, Fraction(0))
        return PoolShare((Decimal(total.numerator) / Decimal(total.denominator)).quantize(unit),
                         own)


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
