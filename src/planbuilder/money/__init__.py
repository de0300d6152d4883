"""Stage 2, money: the budget, cost shares, model comparison, membership scenarios, advances,
preparation costs and year-end settlement, in exact arithmetic (`engine`); the checks that
must pass before (`checks`); text, JSON and CSV reports of the result (`report`)."""

from planbuilder.errors import MoneyError
from planbuilder.money.checks import Problem, problems, weight_total
from planbuilder.money.engine import (
    Allocation,
    BudgetResult,
    Money,
    Scenario,
    advances,
    allocate,
    compute,
    compute_budget,
    largest_remainder,
    percentages,
)

__all__ = [
    "Allocation",
    "BudgetResult",
    "Money",
    "MoneyError",
    "Problem",
    "Scenario",
    "advances",
    "allocate",
    "compute",
    "compute_budget",
    "largest_remainder",
    "percentages",
    "problems",
    "weight_total",
]
