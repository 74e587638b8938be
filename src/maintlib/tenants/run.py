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
import datetime as dt
import functools
import glob
import os
import traceback
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from maintlib.model.catalog import Catalog
from maintlib.model.errors import InputError, MaintlibError, Problem
from maintlib.model.money import quantize
from maintlib.model.plan import Plan
from maintlib.packs.catalog import build_catalog
from maintlib.packs.manager import load_plugins
from maintlib.tenants.overview import (
    Occurrence,
    Overview,
    Tenant,
    TenantResult,
    _hours,
    shared_technicians,
)

__all__ = ["find_tenants", "plan_many", "plan_tenant"]


#: File names an inventory folder is recognised by, in order of preference.
INVENTORY_NAMES = ("inventory.toml", "inventory.json")


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
    from maintlib.loading.read import load
    from maintlib.outputs.ics.feed import to_ics
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
        seconds[month] = seconds.get(month, 0) + int(task.effort.total_seconds())
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
        seconds[key] = seconds.get(key, 0) + int(task.effort.total_seconds())
    return tuple(
        Occurrence(window, start, seconds[window, start], capacity.get(window))
        for window, start in sorted(seconds)
    )


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
