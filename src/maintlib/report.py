"""The report stage: a plan (and its costs) as text people read.

:func:`render_summary` is what ``maintlib plan`` prints; :func:`render_report`
is the Markdown maintenance plan of article tip 1 — who does what, how often,
per asset — with the unplaced work and the costs.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import TYPE_CHECKING

from maintlib.model import Tier
from maintlib.money import CostRange
from maintlib.plan import Plan, Status, Task

if TYPE_CHECKING:
    from maintlib.cost import Quote

__all__ = ["render_cost_table", "render_quote", "render_report", "render_summary"]


#: The tiers whose late or unplaced dues are problems (``maintlib plan --strict``).
URGENT = frozenset({Tier.P1, Tier.P2})


def _month(task: Task, plan: Plan) -> str:
    return task.start.astimezone(plan.horizon.timezone).strftime("%Y-%m")


def render_summary(plan: Plan) -> str:
    """Tasks per month, unplaced dues with reasons, warnings; for the terminal."""
    lines = [
        f"{plan.organisation.name}: {plan.horizon.start} to {plan.horizon.end}"
        f" ({plan.horizon.timezone.key})",
        *_quality(plan),
    ]
    per_month = Counter(_month(task, plan) for task in plan.tasks)
    if per_month:
        lines.append("  tasks per month:")
        lines.extend(f"    {month}: {per_month[month]}" for month in sorted(per_month))
    if plan.unplaced:
        reasons = Counter(entry.reason.value for entry in plan.unplaced)
        lines.append("  unplaced by reason:")
        lines.extend(f"    {reason}: {reasons[reason]}" for reason in sorted(reasons))
        for entry in plan.unplaced[:10]:
            lines.append(f"    {entry.due.uid}: {entry.detail}")
        if len(plan.unplaced) > 10:
            lines.append(f"    … and {len(plan.unplaced) - 10} more (see the JSON or the report)")
    for warning in plan.warnings:
        lines.append(f"  warning: {warning}")
    if plan.costs is not None:
        costs = plan.costs
        lines.append(
            f"  cost ({costs.profile}): labour {costs.labour}, fees {costs.fees},"
            f" total {costs.total}"
        )
    return "\n".join(lines) + "\n"


def _quality(plan: Plan) -> list[str]:
    """What happened to the dues, P1/P2 problems first and loud."""
    summary = plan.summary()
    urgent = [
        (f"{task.uid}: {_days(task.late_by)} late", task.late_detail)
        for task in plan.tasks
        if task.status is Status.LATE and task.due.tier in URGENT
    ] + [
        (f"{entry.due.uid}: unplaced", entry.detail)
        for entry in plan.unplaced
        if entry.due.tier in URGENT
    ]
    if urgent:
        lines = [f"  !! P1/P2 PROBLEMS: {len(urgent)} dues late or unplaced"]
        lines.extend(f"     {what} ({why})" for what, why in urgent[:10])
        if len(urgent) > 10:
            lines.append(f"     … and {len(urgent) - 10} more (see the JSON or the report)")
    else:
        lines = ["  P1/P2: every due on time"]
    lines.append(
        f"  dues {plan.dues}: {summary['on_time']} on time, {summary['late']} late,"
        f" {summary['superseded']} superseded, {summary['unplaced']} unplaced;"
        f" {len(plan.tasks)} tasks, {len(plan.warnings)} warnings"
    )
    for tier, figures in summary["by_tier"].items():
        if any(figures[key] for key in ("on_time", "late", "superseded", "unplaced")):
            lines.append(
                f"    {tier}: {figures['on_time']} on time, {figures['late']} late"
                f" (max {figures['late_hours_max']} h), {figures['superseded']} superseded,"
                f" {figures['unplaced']} unplaced"
            )
    return lines


def _days(late_by: dt.timedelta) -> str:
    return f"{late_by.total_seconds() / 86400:.1f} days"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_report(plan: Plan) -> str:
    """The plan as a Markdown document: schedule per asset, unplaced, costs."""
    org = plan.organisation
    out = [
        f"# Maintenance plan — {org.name}",
        "",
        f"Horizon {plan.horizon.start} to {plan.horizon.end} ({plan.horizon.timezone.key}),"
        f" generated for {plan.reference_time.isoformat()}; inputs digest `{plan.digest[:16]}`.",
        f"Rule packs: {', '.join(plan.packs) or 'none'}.",
        "",
        f"**{len(plan.tasks)} tasks, {len(plan.unplaced)} unplaced,"
        f" {len(plan.warnings)} warnings.**",
        "",
        "## Who does what, how often",
        "",
        "| Asset | Activity | Priority | How often | Mode | Tasks | Owner |",
        "|---|---|---|---|---|---|---|",
    ]
    groups: dict[tuple[str, str], list[Task]] = defaultdict(list)
    for task in plan.tasks:
        groups[(task.duty.subject, task.duty.activity.name)].append(task)
    for _, tasks in sorted(groups.items()):
        duty = tasks[0].duty
        owner = duty.asset.owner if duty.asset else ""
        subject = duty.asset.label if duty.asset else org.name
        out.append(
            f"| {_cell(subject)} | {_cell(duty.activity.label)}"
            f" | {duty.tier.value} | {_cell(duty.cadence.describe())} | {duty.mode.value}"
            f" | {len(tasks)} | {_cell(owner or '—')} |"
        )
    out += ["", "## Schedule", ""]
    current = ""
    for task in plan.tasks:
        month = _month(task, plan)
        if month != current:
            out += ["", f"### {month}", ""]
            current = month
        duty = task.duty
        where = f" in {task.window}" if task.window else ""
        cost = f" — {plan.costs.task(task.uid)}" if plan.costs else ""
        out.append(
            f"- {task.start:%a %Y-%m-%d %H:%M}–{task.end:%H:%M}{where}: **{duty.activity.label}**"
            f" on {duty.asset.label if duty.asset else org.name} ({duty.tier.value}){cost}"
        )
    out += ["", "## Unplaced", ""]
    if not plan.unplaced:
        out.append("Every due was placed.")
    for entry in plan.unplaced:
        duty = entry.due.duty
        later = f"; first feasible {entry.next_feasible.isoformat()}" if entry.next_feasible else ""
        out.append(
            f"- {duty.activity.label} on {duty.subject}, due by {entry.due.deadline.isoformat()}:"
            f" `{entry.reason.value}` — {entry.detail}{later}"
        )
    if plan.warnings:
        out += ["", "## Warnings", ""]
        out.extend(f"- {warning}" for warning in plan.warnings)
    if plan.costs is not None:
        out += ["", "## Costs", "", "```", render_cost_table(plan).rstrip("\n"), "```"]
    return "\n".join(out) + "\n"


def _range(cost: CostRange) -> str:
    from maintlib.money import format_amount

    return f"{format_amount(cost.low, cost.currency)}–{format_amount(cost.high, cost.currency)}"


def render_cost_table(plan: Plan) -> str:
    """Month by month: labour, fees and total ranges, then the totals."""
    costs = plan.costs
    if costs is None:
        return "no costs: the inventory has no profile in the organisation's currency\n"
    header = f"{'month':<10}  {'labour':>23}  {'fees':>23}  {'total':>23}"
    lines = [f"profile {costs.profile}, amounts in {costs.currency}", header, "-" * len(header)]
    for month in costs.months:
        lines.append(
            f"{month.start.isoformat():<10}  {_range(month.labour):>23}  {_range(month.fees):>23}"
            f"  {_range(month.total):>23}"
        )
    lines.append("-" * len(header))
    lines.append(
        f"{'total':<10}  {_range(costs.labour):>23}  {_range(costs.fees):>23}"
        f"  {_range(costs.total):>23}"
    )
    if costs.covered:
        lines.append(
            f"{len(costs.covered)} tasks are included in the fees (their labour would be"
            f" {_range(costs.included)}); labour above is what is billed on top"
        )
    return "\n".join(lines) + "\n"


def render_quote(quote: Quote) -> str:
    """A profile's monthly cost, item by item."""
    lines = [f"profile {quote.profile}, per month, in {quote.currency}"]
    width = max((len(item.name) for item in quote.items), default=5)
    for item in quote.items:
        lines.append(f"  {item.name:<{width}}  {_range(item.monthly):>23}")
    lines.append(f"  {'total':<{width}}  {_range(quote.monthly):>23}")
    return "\n".join(lines) + "\n"
