"""Properties of the money engine that must hold for any plan (hypothesis)."""

from __future__ import annotations

from decimal import Decimal as D
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from planbuilder.model import Member, SharingModel
from planbuilder.money import advances, allocate, largest_remainder

PROPS = settings(max_examples=150, deadline=None)

cents = st.integers(min_value=0, max_value=10**11).map(lambda c: D(c) / 100)
stat = st.integers(min_value=1, max_value=500_000)


def members(values: list[tuple[int, int]]) -> list[Member]:
    return [Member.model_validate({
        "id": f"m{i}", "name": f"Kunta {i}", "language": "fi",
        "statistics": {"population_18_64": {"value": a}, "broad_unemployment": {"value": b}}})
        for i, (a, b) in enumerate(values)]


def model(weight: int) -> SharingModel:
    return SharingModel.model_validate({"id": "m", "name": "m", "criteria": [
        {"statistic": "population_18_64", "weight": weight},
        {"statistic": "broad_unemployment", "weight": 100 - weight}]})


weights = st.integers(min_value=1, max_value=99)
tables = st.lists(st.tuples(stat, stat), min_size=1, max_size=15)


@PROPS
@given(cents, tables, weights)
def test_shares_sum_exactly_to_the_amount(amount: D, table: list[tuple[int, int]],
                                          weight: int) -> None:
    allocation = allocate(model(weight), amount, members(table))
    assert sum(s.amount for s in allocation.shares) == amount
    for s in allocation.shares:
        assert abs(Fraction(s.amount) - s.exact) < Fraction(1, 100)


@PROPS
@given(cents, tables, weights, st.data())
def test_own_statistic_rising_never_lowers_own_share(amount: D, table: list[tuple[int, int]],
                                                     weight: int, data: st.DataObject) -> None:
    who = data.draw(st.integers(min_value=0, max_value=len(table) - 1))
    rise = data.draw(st.integers(min_value=1, max_value=100_000))
    which = data.draw(st.sampled_from([0, 1]))
    before = allocate(model(weight), amount, members(table)).shares[who].amount
    raised = list(table)
    a, b = raised[who]
    raised[who] = (a + rise, b) if which == 0 else (a, b + rise)
    after = allocate(model(weight), amount, members(raised)).shares[who].amount
    assert after >= before


@PROPS
@given(cents)
def test_advances_sum_to_the_share(share: D) -> None:
    months = advances(share)
    assert len(months) == 12
    assert sum(months) == share
    assert max(months) - min(months) <= D("0.01")


@PROPS
@given(cents, st.lists(st.fractions(min_value=0, max_value=1000), min_size=1, max_size=20)
       .filter(lambda ws: sum(ws) > 0))
def test_largest_remainder_is_exact_and_fair(total: D, ws: list[Fraction]) -> None:
    parts = largest_remainder(total, ws)
    assert sum(parts) == total
    cents_total = Fraction(total) * 100
    for part, w in zip(parts, ws, strict=True):
        exact = cents_total * w / sum(ws)
        assert abs(Fraction(part) * 100 - exact) < 1


def pooled_model(weight: int, price: D) -> SharingModel:
    return SharingModel.model_validate({
        "id": "p", "name": "p", "criteria": [{"statistic": "population_18_64", "weight": 100}],
        "pools": [
            {"id": "a", "label": "a", "lines": ["a"], "criteria": [
                {"statistic": "population_18_64", "weight": weight},
                {"statistic": "broad_unemployment", "weight": 100 - weight}]},
            {"id": "b", "label": "b", "price": price, "volume": "broad_unemployment"}]})


@PROPS
@given(cents, cents, cents, tables, weights, st.integers(min_value=0, max_value=1000),
       st.integers(min_value=1, max_value=99))
def test_every_model_charges_every_euro(a: D, direct: D, rest: D, table: list[tuple[int, int]],
                                        weight: int, price_cents: int, percent: int) -> None:
    """Pools by criteria and by price x volume, a line charged to a member, the criteria
    share of the rest, and a phase-in from a plain key: each member's totals sum to the net
    to the cent, whatever the figures."""
    from planbuilder.money.engine import blend, charge

    group = members(table)
    price = D(price_cents) / 100
    priced = sum((price * b for _, b in table), D(0))
    net = a + direct + priced.quantize(D("0.01")) + rest + D(len(table)) / 100
    lines = {"a": a, "d": direct}
    new = charge(pooled_model(weight, price), lines, net, {"d": "m0"}, group)
    assert sum((new.of(m.id) for m in group), D(0)) == net
    old = charge(model(weight), lines, net, {"d": "m0"}, group)
    assert sum((old.of(m.id) for m in group), D(0)) == net
    assert sum(blend(old, new, D(percent), net, group, D("0.01")), D(0)) == net
