"""The report stage: a plan (and its costs) as text people read.

:func:`render_summary` is what ``maintlib plan`` prints; :func:`render_report`
is the Markdown maintenance plan of article tip 1 — who does what, how often,
per asset — with the unplaced work and the costs.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import TYPE_CHECKING

from maintlib.money import CostRange
from maintlib.plan import Plan, Task

if TYPE_CHECKING:
    from maintlib.cost import Quote

__all__ = ["render_cost_table", "render_quote", "render_report", "render_summary"]


def _month(task: Task, plan: Plan) -> str:
    return task.start.astimezone(plan.horizon.timezone).strftime("%Y-%m")


def render_summary(plan: Plan) -> str:
    """Tasks per month, unplaced dues with reasons, warnings; for the terminal."""
    lines = [
        f"{plan.organisation.name}: {plan.horizon.start} to {plan.horizon.end}"
        f" ({plan.horizon.timezone.key})",
        f"  dues {plan.dues}: {len(plan.tasks)} tasks, {len(plan.unplaced)} unplaced,"
        f" {len(plan.warnings)} warnings",
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
            f" total {costs.total}; covered by the fees, not billed again:"
            f" {len(costs.covered)} tasks worth {costs.included}"
        )
    return "\n".join(lines) + "\n"


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
