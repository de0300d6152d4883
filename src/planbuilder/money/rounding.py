"""The one rounding policy of planbuilder's money, in one place.

Every figure is computed exactly (fractions) and rounded once, from its exact value, to the
budget's unit (cents, or whole euros):

- a column of parts is split by the largest remainder, so the parts sum exactly to the
  column's total (ties go to the earlier position);
- a table of parts (members x parts: pools, the criteria share, direct costs) is rounded as a
  whole ("controlled rounding"): every cell is its exact value rounded down or up, every row
  sums to the member's rounded total and every column to the part's total. Such a rounding
  always exists (the exact table is a feasible flow of a transportation network with integer
  bounds, whose vertices are integral); it is found by augmenting paths, larger remainders
  first, so it is the largest-remainder rounding wherever that one foots both ways.

So every displayed figure is within one unit of its exact value and every displayed column
and row foots to its displayed total.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from planbuilder.errors import MoneyError
from planbuilder.messages import msg

CENT = Decimal("0.01")


def exact_decimal(value: Fraction, places: int = 6) -> Decimal:
    """A fraction as a decimal for showing "exact" values (rounded half up at `places`)."""
    quantum = Decimal(1).scaleb(-places)
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        quantum, rounding=ROUND_HALF_UP)


def to_unit(value: Fraction, unit: Decimal = CENT) -> Decimal:
    """One value rounded half up to `unit`."""
    units = value / Fraction(unit)
    whole = units.numerator // units.denominator
    if units - whole >= Fraction(1, 2):
        whole += 1
    return (Decimal(whole) * unit).quantize(unit)


def largest_remainder(total: Decimal, weights: Sequence[Fraction],
                      unit: Decimal = CENT) -> list[Decimal]:
    """Split `total` (in `unit`s: cents, or whole euros) in proportion to `weights`; the
    parts sum exactly to `total`. Leftover units go to the largest remainders, ties to the
    earlier position."""
    cents = int((total / unit).to_integral_value())
    weight_sum = sum(weights, Fraction(0))
    if weight_sum == 0:
        raise MoneyError((), msg("money.weights_all_zero"))
    exact = [Fraction(cents) * w / weight_sum for w in weights]
    floors = [e.numerator // e.denominator for e in exact]
    left = cents - sum(floors)
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += 1
    return [(Decimal(c) * unit).quantize(unit) for c in floors]


def round_exact(values: Sequence[Fraction], unit: Decimal = CENT) -> list[Decimal]:
    """Exact values whose sum is a whole number of units, each rounded down or up so that
    the rounded values sum to that same total (largest remainder)."""
    units = [v / Fraction(unit) for v in values]
    total = sum(units, Fraction(0))
    if total.denominator != 1:
        raise ValueError(f"the values do not sum to a whole number of units: {total}")
    floors = [u.numerator // u.denominator for u in units]
    left = int(total) - sum(floors)
    order = sorted(range(len(units)), key=lambda i: (-(units[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += 1
    return [(Decimal(c) * unit).quantize(unit) for c in floors]


def percentages(amounts: Sequence[Decimal], decimals: int = 2) -> list[Decimal]:
    """Each amount's share of their sum in percent, rounded so that the column foots to
    exactly 100 (largest remainder, as for euros)."""
    if not any(amounts):
        return [Decimal(0)] * len(amounts)
    return largest_remainder(Decimal(100), [Fraction(a) for a in amounts],
                             Decimal(1).scaleb(-decimals))


def controlled(cells: Sequence[Sequence[Fraction]], columns: Sequence[Decimal],
               unit: Decimal = CENT) -> tuple[list[Decimal], list[list[Decimal]]]:
    """Round a table of exact parts (rows x columns, euros) whose column totals are whole
    units: returns the rows' totals and the cells, every cell its exact value rounded down
    or up, rows footing to their totals and columns to `columns`. The rows' totals are the
    largest-remainder rounding of their exact sums where the cells allow it (see the
    module's note); otherwise each still within one unit of its exact sum."""
    q = Fraction(unit)
    n, k = len(cells), len(columns)
    x = [[Fraction(v) / q for v in row] for row in cells]
    floors = [[v.numerator // v.denominator for v in row] for row in x]
    rem = [[x[i][j] - floors[i][j] for j in range(k)] for i in range(n)]
    col_need = []
    for j in range(k):
        target = Fraction(columns[j]) / q
        exact_sum = sum((x[i][j] for i in range(n)), Fraction(0))
        if target.denominator != 1 or target != exact_sum:
            raise ValueError(f"column {j}: total {columns[j]} is not its parts' sum")
        col_need.append(int(target) - sum(floors[i][j] for i in range(n)))
    row_exact = [sum(row, Fraction(0)) for row in x]
    row_floor = [sum(row) for row in floors]
    totals = round_exact([v * q for v in row_exact], unit)
    row_need = [int(Fraction(t) / q) - f for t, f in zip(totals, row_floor, strict=True)]
    flow = _flow(rem, row_need, col_need)
    if flow is None:
        # Fixed totals cannot foot both ways: let each row total be its exact sum rounded
        # down or up, as the cells require (always possible).
        low = [(v.numerator // v.denominator) - f for v, f in zip(row_exact, row_floor,
                                                                   strict=True)]
        high = [lo + (0 if v.denominator == 1 else 1) for lo, v in zip(low, row_exact,
                                                                       strict=True)]
        flow = _flow(rem, low, col_need, high)
        if flow is None:  # pragma: no cover - excluded by the theorem in the module's note
            raise ValueError("no controlled rounding")
    rounded = [[(Decimal(floors[i][j] + flow[i][j]) * unit).quantize(unit) for j in range(k)]
               for i in range(n)]
    return [sum(row, Decimal(0)).quantize(unit) for row in rounded], rounded


def _flow(rem: list[list[Fraction]], rows: list[int], cols: list[int],
          rows_high: list[int] | None = None) -> list[list[int]] | None:
    """Which cells round up: a 0/1 matrix on the cells with a remainder, row sums `rows`
    (or, with `rows_high`, between `rows` and `rows_high`) and column sums `cols`; None when
    there is none. Augmenting paths (Ford-Fulkerson), larger remainders tried first."""
    n, k = len(rows), len(cols)
    if any(r < 0 for r in rows) or any(c < 0 for c in cols):
        return None
    up = [[0] * k for _ in range(n)]
    row_flow = [0] * n
    col_flow = [0] * k
    edges = [sorted((j for j in range(k) if rem[i][j] > 0), key=lambda j: -rem[i][j])
             for i in range(n)]

    def augment(i: int, seen: set[int]) -> bool:
        """Route one more unit from row i to a column with room, re-routing others."""
        for j in edges[i]:
            if up[i][j] or j in seen:
                continue
            seen.add(j)
            if col_flow[j] < cols[j]:
                up[i][j], col_flow[j] = 1, col_flow[j] + 1
                return True
            for other in range(n):  # a row now using column j moves to another column
                if other != i and up[other][j]:
                    up[other][j] = 0
                    if augment(other, seen):
                        up[i][j] = 1
                        return True
                    up[other][j] = 1
        return False

    for caps in ([rows] if rows_high is None else [rows, rows_high]):
        order = sorted(range(n), key=lambda i: -max((rem[i][j] for j in edges[i]),
                                                    default=Fraction(0)))
        progress = True
        while progress:
            progress = False
            for i in order:
                if row_flow[i] < caps[i] and augment(i, set()):
                    row_flow[i] += 1
                    progress = True
        if rows_high is not None and caps is rows and row_flow != rows:
            return None
    if col_flow != cols or (rows_high is None and row_flow != rows):
        return None
    return up
