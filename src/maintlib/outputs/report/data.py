"""What a customer report shows, gathered from a plan, before any language or format.

:func:`gather` reads the plan, the inventory and the risks once and returns plain
values the HTML, Markdown and CSV renderers share, so the three formats cannot
disagree about a number.

What the planner says about each due's fate (issue 12: a task's status, how late
and why; the assets a task covers — several for a fleet task; the dues per tier on
time, late, superseded, unplaced) is read through the three functions under "The
plan's status fields" below, and nowhere else: when those fields change, only they
change.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import attrs

from maintlib._util.text import natural_key
from maintlib.model.catalog import Catalog
from maintlib.model.inventory import Asset, Inventory
from maintlib.model.money import CostRange
from maintlib.model.plan import Plan, Reason, Status, Task
from maintlib.model.risk import RiskAssessment, RiskFactor
from maintlib.model.rules import Activity, Cadence, Once
from maintlib.model.vocabulary import Category, Mode, Tier
from maintlib.model.work import Duty, add_months

__all__ = [
    "AssetTasks",
    "MaintenanceRow",
    "MonthWork",
    "ReportData",
    "RiskRow",
    "TaskLine",
    "TierCounts",
    "UnplacedLine",
    "dues_by_tier",
    "gather",
    "task_assets",
    "task_status",
]


#: The risk factor the vendor packs add for products past or near their end of support.
END_OF_SUPPORT_FACTOR = "end of support"


#: How many assets the summary names as top risks.
TOP_RISKS = 5


HOUR = Decimal(3600)


def task_status(task: Task) -> tuple[Status, dt.timedelta, Reason | None]:
    """A task's status, how late it starts (zero when on time) and why (None when on time)."""
    return task.status, task.late_by, task.late_reason


def task_assets(task: Task) -> tuple[str, ...]:
    """Ids of the assets a task covers: several for a fleet task, none for
    organisation-wide work."""
    return task.assets


def dues_by_tier(plan: Plan) -> Mapping[Tier, tuple[int, int, int, int, int]]:
    """Per tier, how many dues ended on time, late, superseded, unplaced and as projects.

    Dues, not tasks: a fleet task stands for one due per asset it covers. These are
    the planner's own figures (:meth:`Plan.summary`).
    """
    counts = {}
    for tier, figures in ((t, plan.summary()["by_tier"][t.value]) for t in Tier):
        counts[tier] = (
            int(figures["on_time"]),
            int(figures["late"]),
            int(figures["superseded"]),
            int(figures["unplaced"]),
            int(figures["projects"]),
        )
    return counts


@attrs.frozen
class TierCounts:
    """How the dues of one tier ended."""

    tier: Tier
    on_time: int
    late: int
    unplaced: int
    superseded: int
    projects: int = 0


@attrs.frozen
class TaskLine:
    """One task as the report shows it.

    ``start``/``end`` are in the display zone: the window's when the task is in
    a window with a zone of its own, else the organisation's. ``deadline`` is in
    the organisation's zone (never the vendor's).
    """

    uid: str
    asset_ids: tuple[str, ...]
    subject: str
    activity: str
    activity_label: str
    tier: Tier
    status: Status
    late_by: dt.timedelta
    late_reason: Reason | None
    start: dt.datetime
    end: dt.datetime
    deadline: dt.datetime
    window: str | None
    mode: Mode
    category: Category
    hours: Decimal
    cost: CostRange | None
    covered_by: str | None
    one_off: bool


@attrs.frozen
class UnplacedLine:
    """A due with no slot, and why (in the organisation's zone)."""

    uid: str
    asset_ids: tuple[str, ...]
    subject: str
    activity_label: str
    tier: Tier
    deadline: dt.datetime
    reason: Reason
    next_feasible: dt.datetime | None
    one_off: bool


@attrs.frozen
class ProjectLine:
    """A project: one-off work planned with the owner, in no window (issue 27)."""

    uid: str
    asset_ids: tuple[str, ...]
    subject: str
    activity_label: str
    tier: Tier
    deadline: dt.datetime
    overdue: bool
    effort: dt.timedelta
    cost: CostRange | None


@attrs.frozen
class RiskRow:
    """An asset's risk: the numbers ``maintlib explain`` shows, with the asset."""

    asset: Asset
    kind_label: str
    blast_radius: int
    assessment: RiskAssessment
    currency: str

    @property
    def end_of_support(self) -> RiskFactor | None:
        """The vendor packs' end-of-support factor, when it counts."""
        for factor in self.assessment.factors:
            if factor.name == END_OF_SUPPORT_FACTOR and factor.contribution > 0:
                return factor
        return None


@attrs.frozen
class MaintenanceRow:
    """A line of the article's maintenance table: one activity for a group of assets.

    Assets are grouped when they share the kind, the activity, the cadence, the
    way the work is done, the owner and the tier.
    """

    activity_label: str
    kind_label: str
    asset_ids: tuple[str, ...]
    cadence: Cadence | None
    tier: Tier
    mode: Mode
    owner: str
    windows: tuple[str, ...]
    tasks: int
    hours: Decimal
    #: The other kinds among the assets of a fleet task grouped across kinds (an
    #: owner's access points and switches checked in one console), by label.
    other_kind_labels: tuple[str, ...] = ()


@attrs.frozen
class MonthWork:
    """One month: planned hours and billed labour per category; labour, fees, total."""

    start: dt.date
    hours: Mapping[Category, Decimal]
    labour_by_category: Mapping[Category, CostRange]
    labour: CostRange
    fees: CostRange
    total: CostRange
    tasks: int

    @property
    def total_hours(self) -> Decimal:
        """All hours of the month."""
        return sum(self.hours.values(), Decimal(0))


@attrs.frozen
class AssetTasks:
    """The appendix: one asset's tasks (or the organisation's)."""

    subject: str
    label: str
    tasks: tuple[TaskLine, ...]


@attrs.frozen
class CostSummary:
    """The year's money: the profile's quoted fees, the labour on top, the total."""

    profile: str
    currency: str
    quote_monthly: CostRange
    fees: CostRange
    labour: CostRange
    total: CostRange
    included: CostRange
    covered_tasks: int


@attrs.frozen
class ReportData:
    """Everything a report shows, in the order the report shows it."""

    organisation_name: str
    timezone: ZoneInfo
    horizon_start: dt.date
    horizon_end: dt.date
    reference_time: dt.datetime
    digest: str
    packs: tuple[str, ...]
    dues: int
    tiers: tuple[TierCounts, ...]
    problems: tuple[UnplacedLine | TaskLine, ...]
    one_off: tuple[TaskLine | UnplacedLine | ProjectLine, ...]
    costs: CostSummary | None
    risks: tuple[RiskRow, ...]
    table: tuple[MaintenanceRow, ...]
    months: tuple[MonthWork, ...]
    days: Mapping[dt.date, Decimal]
    appendix: tuple[AssetTasks, ...]
    unplaced: tuple[UnplacedLine, ...]
    tasks: tuple[TaskLine, ...]
    windows: Mapping[str, tuple[str, dt.time, ZoneInfo]]
    warnings: int
    #: The compliance figures of a maintenance log (``Compliance.to_json()``), or None.
    compliance: Mapping[str, Any] | None = None
    #: The packs' activities: their labels in the report's language.
    activities: tuple[Activity, ...] = ()

    @property
    def top_risks(self) -> tuple[RiskRow, ...]:
        """The highest-scoring assets."""
        return self.risks[:TOP_RISKS]

    @property
    def end_of_support(self) -> tuple[RiskRow, ...]:
        """Assets whose product is past or near its end of support."""
        return tuple(row for row in self.risks if row.end_of_support is not None)

    @property
    def categories(self) -> tuple[Category, ...]:
        """The categories with planned work, in the enum's order."""
        used = {c for month in self.months for c, hours in month.hours.items() if hours}
        return tuple(c for c in Category if c in used)


def _hours(task: Task) -> Decimal:
    return Decimal(int((task.end - task.start).total_seconds())) / HOUR


def _display_zone(task: Task, inventory: Inventory) -> ZoneInfo:
    if task.window is not None:
        zone = inventory.window(task.window).timezone
        if zone is not None:
            return zone
    return inventory.organisation.timezone


def _category(duty: Duty, catalog: Catalog) -> Category:
    if duty.asset is None:
        return Category.OTHER
    kind = catalog.kinds.get(duty.asset.kind)
    return kind.category if kind else Category.OTHER


def _subject(duty: Duty, organisation: str) -> str:
    return duty.asset.label if duty.asset else organisation


def _one_off(duty: Duty) -> bool:
    """Work outside the routine: a one-off duty (an end-of-support upgrade) or emergency
    work on a vulnerability (triage, remediation, verification)."""
    return isinstance(duty.cadence, Once) or duty.emergency is not None


def _fleet(ids: tuple[str, ...]) -> str:
    """A fleet task's subject: ``lt01, lt02`` or ``lt07 … lt15 (9)``."""
    return ", ".join(ids) if len(ids) <= 3 else f"{ids[0]} … {ids[-1]} ({len(ids)})"


def _task_line(plan: Plan, task: Task, inventory: Inventory, catalog: Catalog) -> TaskLine:
    duty = task.duty
    zone = _display_zone(task, inventory)
    status, late_by, late_reason = task_status(task)
    costs = plan.costs
    assets = task_assets(task)
    return TaskLine(
        uid=task.uid,
        asset_ids=assets,
        subject=_fleet(assets) if len(assets) > 1 else _subject(duty, inventory.organisation.name),
        activity=duty.activity.name,
        activity_label=duty.activity.label,
        tier=duty.tier,
        status=status,
        late_by=late_by,
        late_reason=late_reason,
        start=task.start.astimezone(zone),
        end=task.end.astimezone(zone),
        deadline=task.due.deadline.astimezone(inventory.organisation.timezone),
        window=task.window,
        mode=duty.mode,
        category=_category(duty, catalog),
        hours=_hours(task),
        cost=costs.task(task.uid) if costs else None,
        covered_by=costs.covered.get(task.uid) if costs else None,
        one_off=_one_off(duty),
    )


def _month_index(start: dt.date, day: dt.date) -> int:
    index = (day.year - start.year) * 12 + day.month - start.month
    return index - 1 if day < add_months(start, index) else index


def _months(plan: Plan, lines: tuple[TaskLine, ...]) -> tuple[MonthWork, ...]:
    count = plan.horizon.months
    hours: list[dict[Category, Decimal]] = [defaultdict(Decimal) for _ in range(count)]
    labour: list[dict[Category, CostRange]] = [{} for _ in range(count)]
    tasks = [0] * count
    zone = plan.horizon.timezone
    for line in lines:
        index = _month_index(plan.horizon.start, line.start.astimezone(zone).date())
        if not 0 <= index < count:
            continue
        hours[index][line.category] += line.hours
        tasks[index] += 1
        if line.cost is not None and line.covered_by is None:
            previous = labour[index].get(line.category)
            labour[index][line.category] = line.cost + previous if previous else line.cost
    currency = plan.costs.currency if plan.costs else plan.organisation.currency
    zero = CostRange.zero(currency)
    costed = {month.start: month for month in plan.costs.months} if plan.costs else {}
    months = []
    for index in range(count):
        start = add_months(plan.horizon.start, index)
        month = costed.get(start)
        months.append(
            MonthWork(
                start=start,
                hours={c: hours[index][c] for c in Category if hours[index].get(c)},
                labour_by_category={c: labour[index][c] for c in Category if c in labour[index]},
                labour=month.labour if month else zero,
                fees=month.fees if month else zero,
                total=month.total if month else zero,
                tasks=tasks[index],
            )
        )
    return tuple(months)


def _tiers(plan: Plan) -> tuple[TierCounts, ...]:
    counts = dues_by_tier(plan)
    return tuple(
        TierCounts(
            tier,
            on_time=counts[tier][0],
            late=counts[tier][1],
            superseded=counts[tier][2],
            unplaced=counts[tier][3],
            projects=counts[tier][4],
        )
        for tier in Tier
    )


def _projects(plan: Plan, inventory: Inventory) -> list[ProjectLine]:
    zone = inventory.organisation.timezone
    costs = plan.costs
    return [
        ProjectLine(
            uid=project.uid,
            asset_ids=(project.due.duty.asset.id,) if project.due.duty.asset else (),
            subject=_subject(project.due.duty, inventory.organisation.name),
            activity_label=project.due.duty.activity.label,
            tier=project.due.tier,
            deadline=project.due.deadline.astimezone(zone),
            overdue=project.overdue,
            effort=project.due.duty.effort,
            cost=costs.projects.get(project.uid) if costs is not None else None,
        )
        for project in plan.projects
    ]


def _unplaced(plan: Plan, inventory: Inventory) -> tuple[UnplacedLine, ...]:
    zone = inventory.organisation.timezone
    return tuple(
        UnplacedLine(
            uid=entry.due.uid,
            asset_ids=(entry.due.duty.asset.id,) if entry.due.duty.asset else (),
            subject=_subject(entry.due.duty, inventory.organisation.name),
            activity_label=entry.due.duty.activity.label,
            tier=entry.due.tier,
            deadline=entry.due.deadline.astimezone(zone),
            reason=entry.reason,
            next_feasible=entry.next_feasible.astimezone(zone) if entry.next_feasible else None,
            one_off=_one_off(entry.due.duty),
        )
        for entry in plan.unplaced
    )


def _kind_label(catalog: Catalog, kind: str) -> str:
    found = catalog.kinds.get(kind)
    return found.label if found else kind


def _table(plan: Plan, inventory: Inventory, catalog: Catalog) -> tuple[MaintenanceRow, ...]:
    Key = tuple[str, str, str, Tier, Mode, str]
    groups: dict[Key, list[Task]] = defaultdict(list)
    for task in plan.tasks:
        duty = task.duty
        kind = duty.asset.kind if duty.asset else ""
        owner = duty.asset.owner if duty.asset else ""
        key = (duty.activity.label, kind, duty.cadence.describe(), duty.tier, duty.mode, owner)
        groups[key].append(task)
    rows = []
    for key in sorted(groups, key=lambda k: (k[0], k[1], k[3].rank, k[2], k[4], k[5])):
        tasks = groups[key]
        asset_kind = catalog.kinds.get(key[1])
        ids = sorted({asset for task in tasks for asset in task_assets(task)}, key=natural_key)
        label = asset_kind.label if asset_kind else key[1]
        others = sorted(
            {
                _kind_label(catalog, inventory.asset(asset).kind)
                for asset in ids
                if asset in inventory and inventory.asset(asset).kind != key[1]
            }
            - {label}
        )
        rows.append(
            MaintenanceRow(
                activity_label=key[0],
                kind_label=label,
                other_kind_labels=tuple(others),
                asset_ids=tuple(ids),
                cadence=tasks[0].duty.cadence,
                tier=key[3],
                mode=key[4],
                owner=key[5],
                windows=tuple(sorted({t.window for t in tasks if t.window})),
                tasks=len(tasks),
                hours=sum((_hours(t) for t in tasks), Decimal(0)),
            )
        )
    return tuple(rows)


def _costs(plan: Plan) -> CostSummary | None:
    costs = plan.costs
    if costs is None:
        return None
    return CostSummary(
        profile=costs.profile,
        currency=costs.currency,
        quote_monthly=CostRange.total((line.monthly for line in costs.fee_lines), costs.currency),
        fees=costs.fees,
        labour=costs.labour,
        total=costs.total,
        included=costs.included,
        covered_tasks=len(costs.covered),
    )


def gather(
    plan: Plan, inventory: Inventory, catalog: Catalog, risks: Mapping[str, RiskAssessment]
) -> ReportData:
    """Collect what a report of ``plan`` shows.

    Args:
        plan: The plan (with costs, when the inventory has a profile).
        inventory: The inventory it was planned from: names, owners, windows.
        catalog: The rule packs: asset kinds and their categories.
        risks: Every asset's risk (``maintlib.duties(...).risks``), the numbers
            ``maintlib explain`` shows.
    """
    lines = tuple(_task_line(plan, task, inventory, catalog) for task in plan.tasks)
    unplaced = _unplaced(plan, inventory)
    late = tuple(t for t in lines if t.status is Status.LATE)
    problems: list[UnplacedLine | TaskLine] = [*unplaced, *late]
    problems.sort(key=lambda item: (item.tier.rank, item.deadline, item.uid))
    one_off: list[TaskLine | UnplacedLine | ProjectLine] = [*(t for t in lines if t.one_off)]
    one_off += [u for u in unplaced if u.one_off]
    one_off += _projects(plan, inventory)
    one_off.sort(key=lambda item: (item.tier.rank, item.deadline, item.uid))
    rows = []
    for asset in inventory.assets:
        kind = catalog.kinds.get(asset.kind)
        rows.append(
            RiskRow(
                asset=asset,
                kind_label=kind.label if kind else asset.kind,
                blast_radius=inventory.blast_radius(asset.id),
                assessment=risks[asset.id],
                currency=inventory.organisation.currency,
            )
        )
    rows.sort(key=lambda row: (-row.assessment.score, row.asset.id))
    per_asset: dict[str, list[TaskLine]] = defaultdict(list)
    labels: dict[str, str] = {}
    for line in lines:
        # A fleet task is listed under each asset it covers.
        for key in line.asset_ids or ("~organisation",):
            per_asset[key].append(line)
            labels[key] = inventory.asset(key).label if key in inventory else line.subject
    days: dict[dt.date, Decimal] = defaultdict(Decimal)
    for line in lines:
        days[line.start.astimezone(plan.horizon.timezone).date()] += line.hours
    org_zone = inventory.organisation.timezone
    return ReportData(
        organisation_name=inventory.organisation.name,
        timezone=org_zone,
        horizon_start=plan.horizon.start,
        horizon_end=plan.horizon.end,
        reference_time=plan.reference_time.astimezone(org_zone),
        digest=plan.digest,
        packs=plan.packs,
        dues=plan.dues,
        tiers=_tiers(plan),
        problems=tuple(p for p in problems if p.tier in (Tier.P1, Tier.P2)),
        one_off=tuple(one_off),
        costs=_costs(plan),
        risks=tuple(rows),
        table=_table(plan, inventory, catalog),
        months=_months(plan, lines),
        days=dict(sorted(days.items())),
        appendix=tuple(
            AssetTasks(key, labels[key], tuple(per_asset[key])) for key in sorted(per_asset)
        ),
        unplaced=unplaced,
        tasks=lines,
        windows={w.name: (w.rrule, w.start, w.timezone or org_zone) for w in inventory.windows},
        warnings=len(plan.warnings),
        activities=tuple(catalog.activities[name] for name in sorted(catalog.activities)),
    )
