"""What this round changes in the agreement in force: the clauses whose title or text
differ, clauses added or removed, and whether the cost-sharing model changes. Pure: the
rules, the composer and the decision proposals read it; nothing here reads a file."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from planbuilder.model import AgreementInForce, Clause, Plan


@dataclass(frozen=True)
class Amendment:
    in_force: AgreementInForce
    changed: tuple[str, ...]  # clause ids whose title or text differ
    added: tuple[str, ...]  # clause ids only the draft has
    removed: tuple[str, ...]  # clause ids only the agreement in force has
    old_model: str | None  # the model the agreement in force states, when it changes
    new_model: str | None  # ... and the plan's model then
    effective: dt.date

    @property
    def model_changed(self) -> bool:
        return self.old_model is not None and self.old_model != self.new_model

    @property
    def any(self) -> bool:
        return bool(self.changed or self.added or self.removed or self.model_changed)


def _same(a: Clause, b: Clause) -> bool:
    return a.kind == b.kind and a.title == b.title and a.text == b.text


def amendment(plan: Plan) -> Amendment | None:
    """The amendment the plan's draft agreement makes to the agreement in force; None when
    the plan records no agreement in force or has no draft agreement."""
    old, new = plan.agreement_in_force, plan.agreement
    if old is None or new is None:
        return None
    before = {c.id: c for c in old.clauses}
    after = {c.id: c for c in new.clauses}
    changed = tuple(c.id for c in new.clauses if c.id in before and not _same(before[c.id], c))
    added = tuple(c.id for c in new.clauses if c.id not in before)
    removed = tuple(c.id for c in old.clauses if c.id not in after)
    new_model = plan.cost_sharing.model if plan.cost_sharing is not None else None
    old_model = old.model if old.model is not None and old.model != new_model else None
    effective = old.effective or dt.date(plan.area.budget_year, 1, 1)
    return Amendment(old, changed, added, removed, old_model,
                     new_model if old_model is not None else None, effective)


def in_force_plan(plan: Plan) -> Plan:
    """The plan as the agreement in force states it: its title, date and clauses, and the
    cost-sharing model it names (without the new model's phase-in), so the agreement in force
    can be composed like the draft and the two compared."""
    old = plan.agreement_in_force
    if old is None or plan.agreement is None:
        return plan
    agreement = plan.agreement.model_copy(update={
        "title": old.title, "date": old.date, "clauses": list(old.clauses),
        "status": "approved", "approvals": []})
    update: dict[str, object] = {"agreement": agreement, "agreement_in_force": None}
    if old.model is not None and plan.cost_sharing is not None:
        update["cost_sharing"] = plan.cost_sharing.model_copy(update={"model": old.model})
    return plan.model_copy(update=update)
