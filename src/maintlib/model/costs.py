"""The cost values: what a plan costs per month and in all (:class:`PlanCosts`), and a
profile's quote (:class:`Quote`). The cost stage (:mod:`maintlib.costing`) makes them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import attrs

from maintlib.model.money import CostRange

__all__ = ["FeeLine", "MonthCost", "PlanCosts", "Quote"]


@attrs.frozen
class FeeLine:
    """One recurring item of a quote or plan: its monthly range."""

    name: str
    monthly: CostRange


@attrs.frozen
class Quote:
    """The monthly cost of a profile for given counts."""

    profile: str
    currency: str
    monthly: CostRange
    items: tuple[FeeLine, ...]

    def to_json(self) -> dict[str, Any]:
        """``{"currency", "monthly": {"low", "high"}, "items": [{"name", "low", "high"}]}``."""
        rounded = self.monthly.rounded()
        return {
            "profile": self.profile,
            "currency": self.currency,
            "monthly": {"low": str(rounded.low), "high": str(rounded.high)},
            "items": [{"name": item.name, **_pair(item.monthly)} for item in self.items],
        }


def _pair(cost: CostRange) -> dict[str, str]:
    rounded = cost.rounded()
    return {"low": str(rounded.low), "high": str(rounded.high)}


@attrs.frozen
class MonthCost:
    """One month of a plan: labour of the tasks starting in it, and the fees."""

    start: dt.date
    labour: CostRange
    fees: CostRange

    @property
    def total(self) -> CostRange:
        """Labour plus fees."""
        return self.labour + self.fees

    def to_json(self) -> dict[str, Any]:
        """``{"start", "labour", "fees", "total"}`` with ``{"low", "high"}`` ranges."""
        return {
            "start": self.start.isoformat(),
            "labour": _pair(self.labour),
            "fees": _pair(self.fees),
            "total": _pair(self.total),
        }


@attrs.frozen
class PlanCosts:
    """What a plan costs: per task, per month, and totals by dimension.

    Attributes:
        profile: The rate card's name.
        currency: The currency of every amount.
        tasks: Labour cost of every task uid (whether billed or covered).
        covered: Uid → name of the fee that already pays for the task's work;
            those tasks are not counted in :attr:`labour` (nothing is paid twice).
        included: What the covered tasks' labour would have cost (information).
        months: Per month of the horizon (and beyond, for tasks after it):
            billed labour and fees.
        fee_lines: The monthly fee items.
        by_asset: Billed labour per asset id (``organisation`` for organisation-wide).
        by_kind: Labour per asset kind.
        by_activity: Labour per activity.
        by_update_class: Labour per update class (``none`` for other work).
        projects: One-off cost of each project's effort (uid → range, at the card's
            hourly range: planned daytime work), outside the months and the total:
            a project is quoted on its own (:class:`maintlib.model.plan.Project`).
    """

    profile: str
    currency: str
    tasks: Mapping[str, CostRange]
    covered: Mapping[str, str]
    included: CostRange
    months: tuple[MonthCost, ...]
    fee_lines: tuple[FeeLine, ...]
    by_asset: Mapping[str, CostRange]
    by_kind: Mapping[str, CostRange]
    by_activity: Mapping[str, CostRange]
    by_update_class: Mapping[str, CostRange]
    projects: Mapping[str, CostRange] = attrs.field(factory=dict)

    def task(self, uid: str) -> CostRange:
        """The labour cost of task ``uid``."""
        return self.tasks[uid]

    def task_json(self, uid: str) -> dict[str, str | None]:
        """``{"currency", "low", "high", "covered_by"}`` of task ``uid``."""
        return {**self.tasks[uid].to_json(), "covered_by": self.covered.get(uid)}

    @property
    def labour(self) -> CostRange:
        """All labour."""
        return CostRange.total((m.labour for m in self.months), self.currency)

    @property
    def fees(self) -> CostRange:
        """All fees over the horizon."""
        return CostRange.total((m.fees for m in self.months), self.currency)

    @property
    def total(self) -> CostRange:
        """Labour plus fees."""
        return self.labour + self.fees

    def to_json(self) -> dict[str, Any]:
        """The ``costs`` section of the plan JSON."""

        def table(values: Mapping[str, CostRange]) -> dict[str, dict[str, str]]:
            return {key: _pair(values[key]) for key in sorted(values)}

        return {
            "profile": self.profile,
            "currency": self.currency,
            "labour": _pair(self.labour),
            "fees": _pair(self.fees),
            "total": _pair(self.total),
            "months": [month.to_json() for month in self.months],
            "fee_items": [{"name": f.name, **_pair(f.monthly)} for f in self.fee_lines],
            "by_asset": table(self.by_asset),
            "by_kind": table(self.by_kind),
            "by_activity": table(self.by_activity),
            "by_update_class": table(self.by_update_class),
            "included_in_fees": _pair(self.included),
            "projects": table(self.projects),
            "projects_total": _pair(CostRange.total(self.projects.values(), self.currency)),
        }
