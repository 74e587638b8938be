"""The values of a many-tenant run: each tenant's result and the MSP overview."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs

from maintlib._util import json as _json
from maintlib.model.work import add_months

__all__ = [
    "OVERVIEW_FORMAT",
    "Occurrence",
    "Overbooked",
    "Overview",
    "Tenant",
    "TenantResult",
    "shared_technicians",
]


OVERVIEW_FORMAT = "maintlib.overview/1"


@attrs.frozen
class Tenant:
    """One customer: a name and the inventory file it is planned from."""

    name: str
    inventory: str


@attrs.frozen
class Occurrence:
    """The work one tenant planned into one window occurrence.

    Attributes:
        window: The window's name.
        start: The occurrence's start, in UTC, ISO 8601.
        seconds: Technician time of the tasks placed in it (their efforts, as the
            planner counts them against the window's capacity).
        capacity_hours: The window's ``capacity_hours`` in this tenant's
            inventory (None: unlimited).
    """

    window: str
    start: str
    seconds: int
    capacity_hours: Decimal | None


@attrs.frozen
class TenantResult:
    """What planning one tenant gave: its outputs, or its error.

    Attributes:
        tenant: Whose result.
        problems: Why the tenant failed (each with file and location); empty when
            it was planned.
        plan_json: The plan JSON (``maintlib.plan/3``), as :meth:`Plan.dumps`.
        feed: The iCalendar feed, as :func:`maintlib.to_ics` writes it.
        organisation: The organisation's name.
        currency: The currency of the costs ("" without a rate card).
        summary: :meth:`Plan.summary` of the plan.
        months: Per month of the horizon (``YYYY-MM``): technician hours of the
            tasks starting in it, and the cost (labour and fees, low and high,
            rounded to the currency's minor unit; None without a rate card).
        occurrences: The work per window occurrence, for :func:`shared_technicians`.
    """

    tenant: Tenant
    problems: tuple[str, ...] = ()
    plan_json: bytes = b""
    feed: bytes = b""
    organisation: str = ""
    currency: str = ""
    summary: Mapping[str, Any] = attrs.field(factory=dict)
    months: tuple[tuple[str, Decimal, Decimal | None, Decimal | None], ...] = ()
    occurrences: tuple[Occurrence, ...] = ()

    @property
    def ok(self) -> bool:
        """Whether the tenant was planned."""
        return not self.problems


@attrs.frozen
class Overbooked:
    """A window occurrence where the tenants' work together exceeds the team's capacity.

    Attributes:
        window: The window's name.
        start: The occurrence's start (UTC, ISO 8601).
        hours: Technician hours the tenants planned into it together.
        capacity_hours: The team's capacity for the window.
        tenants: Tenant name → its hours in the occurrence.
    """

    window: str
    start: str
    hours: Decimal
    capacity_hours: Decimal
    tenants: Mapping[str, Decimal]

    def to_json(self) -> dict[str, Any]:
        """The entry in the overview JSON (hours as decimal strings)."""
        return {
            "window": self.window,
            "start": self.start,
            "hours": str(self.hours),
            "capacity_hours": str(self.capacity_hours),
            "tenants": {name: str(hours) for name, hours in sorted(self.tenants.items())},
        }


def _hours(seconds: int) -> Decimal:
    return (Decimal(seconds) / 3600).quantize(Decimal("0.01"))


@attrs.frozen
class Overview:
    """Every tenant's result, sorted by name, with the cross-tenant capacity check.

    Attributes:
        start: First day of the horizon.
        months: Length of the horizon.
        results: One per tenant, by name.
        capacity: Window name → the team capacity (hours per occurrence) checked.
        overbooked: Occurrences where the tenants together exceed it.
    """

    start: dt.date
    months: int
    results: tuple[TenantResult, ...]
    capacity: Mapping[str, Decimal]
    overbooked: tuple[Overbooked, ...]

    @property
    def failed(self) -> tuple[TenantResult, ...]:
        """The tenants that could not be planned."""
        return tuple(result for result in self.results if not result.ok)

    def to_json(self) -> dict[str, Any]:
        """The overview as JSON (``"format": "maintlib.overview/1"``)."""
        tenants = []
        for result in self.results:
            entry: dict[str, Any] = {
                "name": result.tenant.name,
                "inventory": result.tenant.inventory,
                "status": "planned" if result.ok else "failed",
                "problems": list(result.problems),
            }
            if result.ok:
                entry |= {
                    "organisation": result.organisation,
                    "currency": result.currency or None,
                    "tasks": result.summary.get("tasks"),
                    "late": result.summary.get("late"),
                    "unplaced": result.summary.get("unplaced"),
                    "months": [
                        {
                            "month": month,
                            "hours": str(hours),
                            "cost": None
                            if low is None or high is None
                            else {"low": str(low), "high": str(high)},
                        }
                        for month, hours, low, high in result.months
                    ],
                }
            tenants.append(entry)
        return {
            "format": OVERVIEW_FORMAT,
            "start": self.start.isoformat(),
            "end": add_months(self.start, self.months).isoformat(),
            "tenants": tenants,
            "failed": [result.tenant.name for result in self.failed],
            "shared_technicians": {
                "capacity_hours": {name: str(h) for name, h in sorted(self.capacity.items())},
                "overbooked": [item.to_json() for item in self.overbooked],
            },
        }

    def dumps(self) -> bytes:
        """:meth:`to_json` as UTF-8 bytes: sorted keys, two-space indent, final newline."""
        return (_json.dumps(self.to_json()) + "\n").encode()

    def to_csv(self) -> bytes:
        """One row per tenant and month: hours and cost (low, high, currency)."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(["tenant", "month", "hours", "cost_low", "cost_high", "currency"])
        for result in self.results:
            for month, hours, low, high in result.months:
                writer.writerow(
                    [
                        result.tenant.name,
                        month,
                        hours,
                        "" if low is None else low,
                        "" if high is None else high,
                        result.currency,
                    ]
                )
        return out.getvalue().encode()

    def to_markdown(self) -> bytes:
        """A readable overview: hours and cost per month per tenant, failures, overbooking."""
        planned = [result for result in self.results if result.ok]
        months = sorted({month for result in planned for month, *_ in result.months})
        lines = [
            f"# Maintenance overview {self.start.isoformat()} –"
            f" {add_months(self.start, self.months).isoformat()}",
            "",
            f"{len(planned)} of {len(self.results)} tenants planned.",
            *_hours_table(planned, months),
            *_cost_table(planned, months),
            *self._failed_lines(),
            *self._shared_lines(),
        ]
        return ("\n".join(lines) + "\n").encode()

    def _failed_lines(self) -> list[str]:
        """The section on the tenants that failed, if any."""
        if not self.failed:
            return []
        lines = ["", "## Failed tenants", ""]
        for result in self.failed:
            lines.append(f"- **{_cell(result.tenant.name)}** ({result.tenant.inventory}):")
            lines += [f"  - {_cell(problem)}" for problem in result.problems]
        return lines

    def _shared_lines(self) -> list[str]:
        """The section on shared technicians: the overbooked window occurrences."""
        lines = ["", "## Shared technicians", ""]
        if not self.capacity:
            return [*lines, "No window has a team capacity to check."]
        if not self.overbooked:
            return [*lines, "No window occurrence exceeds the team's capacity."]
        lines += [
            "| window | start (UTC) | hours | team capacity | tenants |",
            "|---|---|---:|---:|---|",
        ]
        for item in self.overbooked:
            tenants = ", ".join(
                f"{_cell(name)} {hours}" for name, hours in sorted(item.tenants.items())
            )
            lines.append(
                f"| {item.window} | {item.start} | {item.hours} | {item.capacity_hours}"
                f" | {tenants} |"
            )
        return lines


def _hours_table(planned: Sequence[TenantResult], months: Sequence[str]) -> list[str]:
    """The section on technician hours: one row per tenant, one column per month."""
    lines = [
        "",
        "## Technician hours per month",
        "",
        "| tenant | " + " | ".join(months) + " | total |",
        "|---|" + "---:|" * (len(months) + 1),
    ]
    for result in planned:
        by_month = {month: hours for month, hours, *_ in result.months}
        total = sum(by_month.values(), Decimal(0))
        cells = [str(by_month.get(month, "")) for month in months]
        lines.append(f"| {_cell(result.tenant.name)} | " + " | ".join(cells) + f" | {total} |")
    return lines


def _cost_table(planned: Sequence[TenantResult], months: Sequence[str]) -> list[str]:
    """The section on cost: one row per tenant, the low–high range per month."""
    lines = [
        "",
        "## Cost per month (low–high)",
        "",
        "| tenant | currency | " + " | ".join(months) + " |",
        "|---|---|" + "---:|" * len(months),
    ]
    for result in planned:
        costs = {month: (low, high) for month, _, low, high in result.months}
        cells = []
        for month in months:
            low, high = costs.get(month, (None, None))
            cells.append("" if low is None or high is None else f"{low:,.0f}–{high:,.0f}")
        lines.append(
            f"| {_cell(result.tenant.name)} | {result.currency or '—'} | "
            + " | ".join(cells)
            + " |"
        )
    return lines


def _cell(text: str) -> str:
    """Text for a Markdown table cell: no pipe or line break can break the table."""
    return text.replace("|", "\\|").replace("\n", " ")


def shared_technicians(
    results: Iterable[TenantResult], capacity: Mapping[str, Decimal] | None = None
) -> tuple[dict[str, Decimal], tuple[Overbooked, ...]]:
    """Window occurrences where the tenants' work together exceeds the team's capacity.

    Occurrences of different tenants are the same when they have the same window
    name and start at the same instant (compared in UTC). The team's capacity for a
    window is ``capacity[name]`` when given; otherwise the largest
    ``capacity_hours`` any tenant gives that window (each tenant's window describes
    the same team); a window no tenant limits, and that ``capacity`` does not
    name, is not checked.

    Returns:
        The capacity checked per window name, and the overbooked occurrences (by
        start, then window).
    """
    planned = [result for result in results if result.ok]
    limits: dict[str, Decimal] = {}
    for result in planned:
        for item in result.occurrences:
            if item.capacity_hours is not None:
                limits[item.window] = max(limits.get(item.window, Decimal(0)), item.capacity_hours)
    limits.update(capacity or {})
    work: dict[tuple[str, str], dict[str, int]] = {}
    for result in planned:
        for item in result.occurrences:
            if item.window in limits:
                tenants = work.setdefault((item.window, item.start), {})
                tenants[result.tenant.name] = tenants.get(result.tenant.name, 0) + item.seconds
    overbooked = []
    for (window, start), tenants in work.items():
        total = sum(tenants.values())
        if total > limits[window] * 3600:
            overbooked.append(
                Overbooked(
                    window,
                    start,
                    _hours(total),
                    limits[window],
                    {name: _hours(seconds) for name, seconds in tenants.items()},
                )
            )
    overbooked.sort(key=lambda item: (item.start, item.window))
    return limits, tuple(overbooked)
