"""Many tenants: an MSP's customers planned independently, in parallel, with one overview.

:func:`plan_many` plans each inventory on its own — the same plan, byte for byte,
as :func:`maintlib.plan` gives it alone — through any
:class:`concurrent.futures.Executor`: a local process pool by default, or a
``dask.distributed`` cluster (``client.get_executor()``). A tenant whose
inventory is bad gets its located error in the overview; the others complete.

After the parallel runs one pass looks across tenants (:func:`shared_technicians`):
an MSP's windows are staffed by one team, so the work the tenants planned into the
same window occurrence together must fit that team's capacity. ``docs/tenants.md``
explains how occurrences are matched and what the overview holds.
"""

from __future__ import annotations

import collections
import concurrent.futures
import csv
import datetime as dt
import functools
import glob
import io
import os
import traceback
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from maintlib import _json
from maintlib.catalog import Catalog, build_catalog
from maintlib.exceptions import InputError, MaintlibError, Problem
from maintlib.money import quantize
from maintlib.plan import Plan, add_months
from maintlib.plugins import load_plugins

__all__ = [
    "OVERVIEW_FORMAT",
    "Occurrence",
    "Overbooked",
    "Overview",
    "Tenant",
    "TenantResult",
    "find_tenants",
    "plan_many",
    "plan_tenant",
    "shared_technicians",
]

OVERVIEW_FORMAT = "maintlib.overview/1"
#: File names an inventory folder is recognised by, in order of preference.
INVENTORY_NAMES = ("inventory.toml", "inventory.json")


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
        seconds: Technician time of the tasks placed in it (their lengths, as the
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
        plan_json: The plan JSON (``maintlib.plan/2``), as :meth:`Plan.dumps`.
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
        lines += [
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
        if self.failed:
            lines += ["", "## Failed tenants", ""]
            for result in self.failed:
                lines.append(f"- **{_cell(result.tenant.name)}** ({result.tenant.inventory}):")
                lines += [f"  - {_cell(problem)}" for problem in result.problems]
        lines += ["", "## Shared technicians", ""]
        if not self.capacity:
            lines.append("No window has a team capacity to check.")
        elif not self.overbooked:
            lines.append("No window occurrence exceeds the team's capacity.")
        else:
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
        return ("\n".join(lines) + "\n").encode()


def _cell(text: str) -> str:
    """Text for a Markdown table cell: no pipe or line break can break the table."""
    return text.replace("|", "\\|").replace("\n", " ")


def find_tenants(sources: Iterable[str | os.PathLike[str]]) -> list[Tenant]:
    """The tenants named by folders, inventory files or glob patterns, sorted by name.

    A folder with an ``inventory.toml`` (or ``.json``) is one tenant named after the
    folder; a folder without one holds a tenant per sub-folder that has one. A file
    is a tenant named after its folder (``acme/inventory.toml`` → ``acme``) or, for
    any other name, after its stem. A pattern (``customers/*``) is expanded. Two
    tenants of the same name are told apart by a number (``acme``, ``acme-2``).

    Raises:
        InputError: A source names nothing (every such source, at once).
    """
    found: list[Path] = []
    problems = []
    for source in sources:
        text = os.fspath(source)
        path = Path(text)
        matches = [path] if path.exists() else [Path(match) for match in sorted(glob.glob(text))]
        if not matches:
            problems.append(Problem(text, "", "no such folder or file, and no file matches it"))
            continue
        before = len(found)
        for match in matches:
            found += _inventories(match)
        if len(found) == before:
            problems.append(
                Problem(text, "", f"no {' or '.join(INVENTORY_NAMES)} in it or its sub-folders")
            )
    if problems:
        raise InputError(problems)
    tenants: list[Tenant] = []
    seen: dict[str, int] = {}
    unique = list(dict.fromkeys(path.resolve() for path in found))
    for path in sorted(unique, key=lambda p: (_tenant_name(p), str(p))):
        name = _tenant_name(path)
        seen[name] = seen.get(name, 0) + 1
        tenants.append(Tenant(name if seen[name] == 1 else f"{name}-{seen[name]}", str(path)))
    return tenants


def _inventories(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    if not path.is_dir():
        return []
    own = _inventory_in(path)
    if own is not None:
        return [own]
    inner = (_inventory_in(child) for child in sorted(path.iterdir()) if child.is_dir())
    return [item for item in inner if item is not None]


def _inventory_in(folder: Path) -> Path | None:
    for name in INVENTORY_NAMES:
        if (folder / name).is_file():
            return folder / name
    return None


def _tenant_name(path: Path) -> str:
    return path.parent.name if path.name in INVENTORY_NAMES else path.stem


@functools.cache
def _catalog(plugins: frozenset[str] | None) -> Catalog:
    """The catalog of the chosen packs, built once per worker process."""
    return build_catalog(load_plugins(only=plugins))


def plan_tenant(
    tenant: Tenant,
    *,
    start: dt.date,
    months: int,
    reference_time: dt.datetime | None = None,
    plugins: frozenset[str] | None = None,
    feed: bool = True,
) -> TenantResult:
    """Load and plan one tenant; any failure becomes the result's ``problems``.

    This is what :func:`plan_many` runs on a worker: a module-level function of
    picklable arguments.

    Args:
        tenant: The tenant.
        start: First day of the horizon.
        months: Months to plan.
        reference_time: The plans' "now"; None: midnight at ``start`` in the
            tenant's own zone (what ``maintlib plan`` uses).
        plugins: Names of the rule packs to load (None: every installed pack).
        feed: Whether to write the iCalendar feed too.
    """
    from maintlib.ics import to_ics
    from maintlib.load import load
    from maintlib.pipeline import plan as make_plan

    try:
        catalog = _catalog(plugins)
        inventory = load(tenant.inventory, catalog=catalog)
        zone = inventory.organisation.timezone
        reference = reference_time or dt.datetime.combine(start, dt.time(), tzinfo=zone)
        plan = make_plan(
            inventory, start=start, months=months, reference_time=reference, plugins=catalog
        )
        return TenantResult(
            tenant=tenant,
            plan_json=plan.dumps(),
            feed=to_ics(plan) if feed else b"",
            organisation=plan.organisation.name,
            currency=plan.costs.currency if plan.costs else "",
            summary=plan.summary(),
            months=_months(plan),
            occurrences=_occurrences(plan, inventory.windows),
        )
    except InputError as error:
        return _failed(tenant, [str(problem) for problem in error.problems])
    except (MaintlibError, ValueError, OSError) as error:
        return _failed(tenant, [f"{tenant.inventory}: {error}"])
    except Exception:  # a bug must not take the other tenants down
        last = traceback.format_exc().strip().splitlines()[-1]
        return _failed(tenant, [f"{tenant.inventory}: internal error: {last}"])


def _failed(tenant: Tenant, problems: Sequence[str]) -> TenantResult:
    return TenantResult(tenant=tenant, problems=tuple(problems))


def _months(plan: Plan) -> tuple[tuple[str, Decimal, Decimal | None, Decimal | None], ...]:
    zone = plan.horizon.timezone
    seconds: dict[str, int] = {f"{day:%Y-%m}": 0 for day in plan.horizon.month_starts()}
    for task in plan.tasks:
        month = f"{task.start.astimezone(zone):%Y-%m}"
        seconds[month] = seconds.get(month, 0) + int((task.end - task.start).total_seconds())
    cost: dict[str, tuple[Decimal, Decimal]] = {}
    if plan.costs is not None:
        currency = plan.costs.currency
        for item in plan.costs.months:
            total = item.total
            cost[f"{item.start:%Y-%m}"] = (
                quantize(total.low, currency),
                quantize(total.high, currency),
            )
    rows = []
    for month in sorted(seconds.keys() | cost.keys()):
        low, high = cost.get(month, (None, None))
        rows.append((month, _hours(seconds.get(month, 0)), low, high))
    return tuple(rows)


def _occurrences(plan: Plan, windows: Iterable[Any]) -> tuple[Occurrence, ...]:
    capacity = {window.name: window.capacity_hours for window in windows}
    seconds: dict[tuple[str, str], int] = {}
    for task in plan.tasks:
        if task.window is None:
            continue
        key = (task.window, task.occurrence.astimezone(dt.UTC).isoformat())
        seconds[key] = seconds.get(key, 0) + int((task.end - task.start).total_seconds())
    return tuple(
        Occurrence(window, start, seconds[window, start], capacity.get(window))
        for window, start in sorted(seconds)
    )


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


def plan_many(
    inventories: Iterable[str | os.PathLike[str] | Tenant],
    *,
    start: dt.date,
    months: int,
    reference_time: dt.datetime | None = None,
    plugins: Collection[str] | None = None,
    executor: concurrent.futures.Executor | None = None,
    workers: int | None = None,
    capacity: Mapping[str, Decimal] | None = None,
    feed: bool = True,
    on_result: Callable[[TenantResult], TenantResult | None] | None = None,
) -> Overview:
    """Plan many tenants independently, in parallel, and check their shared team.

    Each tenant is planned exactly as :func:`maintlib.plan` plans it alone (the
    same JSON and feed bytes), whatever runs it and in whatever order tenants
    finish; the overview lists them by name.

    Args:
        inventories: Inventory files or folders (see :func:`find_tenants`), or
            :class:`Tenant` values.
        start: First day of the horizon.
        months: Months to plan.
        reference_time: The plans' "now"; None: midnight at ``start`` in each
            tenant's zone.
        plugins: Names of the rule packs to load; None: every installed pack.
        executor: Where to run the tenants: any
            :class:`concurrent.futures.Executor` (a ``dask.distributed`` client's
            ``get_executor()`` runs them on a cluster). None: a local process pool
            of ``workers`` processes, shut down at the end.
        workers: Processes of the default pool (None: one per CPU); 1 plans in
            this process, one tenant after the other.
        capacity: The team's capacity per window name (hours per occurrence), for
            :func:`shared_technicians`.
        feed: Write each tenant's iCalendar feed too.
        on_result: Called in this process with each result as it arrives (to
            write it, or to count progress); it may return a replacement without
            the bytes (``attrs.evolve(result, plan_json=b"", feed=b"")``) so that a
            long run holds only the small figures. Library calls draw no progress bar.

    Raises:
        InputError: A folder or pattern names no inventory.
        ValueError: Two tenants have the same name.
    """
    items = list(inventories)
    paths = [item for item in items if not isinstance(item, Tenant)]
    given = [item for item in items if isinstance(item, Tenant)]
    if paths:
        given += find_tenants(paths)
    given.sort(key=lambda tenant: tenant.name)
    counts = collections.Counter(tenant.name for tenant in given)
    twice = sorted(name for name, count in counts.items() if count > 1)
    if twice:
        raise ValueError(f"two tenants of the same name: {', '.join(twice)}")
    chosen = None if plugins is None else frozenset(plugins)
    job = functools.partial(
        plan_tenant,
        start=start,
        months=months,
        reference_time=reference_time,
        plugins=chosen,
        feed=feed,
    )
    results: dict[str, TenantResult] = {}

    def arrived(result: TenantResult) -> None:
        kept = on_result(result) if on_result is not None else None
        results[result.tenant.name] = kept or result

    if executor is None and workers == 1:
        for tenant in given:
            arrived(job(tenant))
    else:
        pool = executor or concurrent.futures.ProcessPoolExecutor(max_workers=workers)
        try:
            futures = {pool.submit(job, tenant): tenant for tenant in given}
            for future in concurrent.futures.as_completed(futures):
                tenant = futures[future]
                try:
                    result = future.result()
                except Exception as error:  # the worker died (killed, out of memory)
                    result = _failed(tenant, [f"{tenant.inventory}: the worker failed: {error!r}"])
                arrived(result)
        finally:
            if executor is None:
                pool.shutdown()
    ordered = tuple(results[tenant.name] for tenant in given)
    limits, overbooked = shared_technicians(ordered, capacity)
    return Overview(start, months, ordered, limits, overbooked)
