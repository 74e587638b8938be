"""The pipeline in one call: inventory → duties → dues → plan (with costs).

:func:`plan` is what most callers want; each stage is also a function of its own
module (:mod:`~maintlib.planning.apply`, :mod:`~maintlib.planning.expand`,
:mod:`~maintlib.planning.schedule`, :mod:`~maintlib.costing.cost`) for callers that
need the parts.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from collections.abc import Callable, Sequence

import attrs

from maintlib.costing.cost import cost_plan
from maintlib.loading.document import to_document
from maintlib.loading.validate import validate as inventory_problems
from maintlib.model.arguments import (
    ARGUMENTS,
    as_date,
    as_datetime,
    as_months,
    as_number,
)
from maintlib.model.catalog import Catalog, rate_card_for
from maintlib.model.errors import InputError, Problem
from maintlib.model.feeds import Feeds
from maintlib.model.history import History
from maintlib.model.inventory import Inventory
from maintlib.model.limits import MAX_YEAR, MIN_YEAR
from maintlib.model.plan import Plan
from maintlib.model.work import Due, Duties, Duty, Horizon
from maintlib.packs.catalog import build_catalog
from maintlib.packs.manager import Plugins
from maintlib.planning.apply import apply
from maintlib.planning.expand import expand
from maintlib.planning.fleet import compact, expand_fleets, group
from maintlib.planning.projects import is_project, with_projects
from maintlib.planning.schedule.planner import schedule
from maintlib.records.compliance import Compliance
from maintlib.records.compliance import assess as judge
from maintlib.records.history import lookback, replan
from maintlib.records.log import Log
from maintlib.records.sla import review_duties
from maintlib.vulns.emergency import emergency_dues, feed_names, report, scheduling_inventory
from maintlib.vulns.rulings import assess, chosen_policies

__all__ = ["compliance", "duties", "plan", "validate"]


def _catalog(plugins: Plugins | Catalog | None) -> Catalog:
    if isinstance(plugins, Catalog):
        return plugins
    return build_catalog(plugins)


def validate(inventory: Inventory, *, plugins: Plugins | Catalog | None = None) -> Inventory:
    """Check an inventory built in code as thoroughly as :func:`~maintlib.load` checks a file.

    Each value already checked its own fields when it was built (types, ids,
    ranges); this checks what needs the whole inventory and the rule packs:
    duplicate ids, unknown kinds, windows and assets referred to, self-references,
    cycles, overlapping window occurrences, blackouts, rules and profiles.

    Args:
        inventory: The inventory.
        plugins: The rule packs (or a catalog already built from them); None
            loads the installed packs.

    Returns:
        ``inventory`` itself, unchanged, when it is sound.

    Raises:
        InputError: Every problem, located by key path (``<inventory>: assets[2]
            (id "fw01").hosted_on: unknown asset "hv9"``).
    """
    _check_inventory(inventory)
    _checked(inventory, _catalog(plugins))
    return inventory


def _check_inventory(inventory: object) -> None:
    if not isinstance(inventory, Inventory):
        hint = " (read a file with maintlib.load)" if isinstance(inventory, str) else ""
        raise TypeError(f"inventory: expected an Inventory, got {type(inventory).__name__}{hint}")


def _checked(inventory: Inventory, catalog: Catalog) -> Catalog:
    problems = inventory_problems(inventory, catalog)
    if problems:
        raise InputError(problems)
    return catalog


def _check_horizon(start: dt.date, months: int, reference_time: dt.datetime) -> None:
    """The horizon and the reference time within the years maintlib plans in."""
    problems = []
    last_year = start.year + (start.month - 1 + max(months, 0)) // 12
    if start.year < MIN_YEAR or last_year > MAX_YEAR:
        problems.append(
            Problem(
                ARGUMENTS,
                "start",
                f"the horizon {start} + {months} months is out of range"
                f" (years {MIN_YEAR} to {MAX_YEAR})",
            )
        )
    if not MIN_YEAR <= reference_time.year <= MAX_YEAR:
        problems.append(
            Problem(
                ARGUMENTS,
                "reference_time",
                f"{reference_time.isoformat()} is out of range (years {MIN_YEAR} to {MAX_YEAR})",
            )
        )
    if problems:
        raise InputError(problems)


def duties(
    inventory: Inventory,
    *,
    plugins: Plugins | Catalog | None = None,
    as_of: dt.date | str | None = None,
) -> Duties:
    """Every asset's risk and duties (what ``maintlib explain`` shows).

    Args:
        inventory: A loaded inventory, or one built in code.
        plugins: The rule packs (or a catalog already built from them); None
            loads the installed packs.
        as_of: The day risks are assessed for, or None.

    Raises:
        InputError: The inventory is not sound (see :func:`validate`).
        PluginError: A rule pack failed.
    """
    _check_inventory(inventory)
    as_of = None if as_of is None else as_date(as_of, "as_of")
    catalog = _checked(inventory, _catalog(plugins))
    return apply(inventory, catalog, as_of=as_of)


def digest(
    inventory: Inventory,
    catalog: Catalog,
    horizon: Horizon,
    reference: dt.datetime,
    vulnerabilities: Sequence[str] = (),
    log: Sequence[dict[str, object]] = (),
) -> str:
    """SHA-256 over everything a plan is computed from.

    ``vulnerabilities`` names the feeds and policies of a plan made with them,
    ``log`` holds the records (and look-back) of a plan made from a maintenance
    log (each left out of the material when empty, so other plans keep their
    digest).
    """
    material: dict[str, object] = {
        "inventory": to_document(inventory, json_safe=True),
        "packs": [f"{p.name} {p.version}" for p in catalog.packs],
        "horizon": [horizon.start.isoformat(), horizon.months],
        "reference_time": reference.isoformat(),
    }
    if vulnerabilities:
        material["vulnerabilities"] = list(vulnerabilities)
    if log:
        material["log"] = list(log)
    encoded = json.dumps(material, sort_keys=True, separators=(",", ":")).encode()
    return hashlib.sha256(encoded).hexdigest()


def _scheduler(
    solver: str, time_limit: float | None, progress: Callable[[int, int], None] | None = None
) -> Callable[..., Plan]:
    """The schedule stage ``solver`` names: the greedy planner, or CP-SAT."""
    if solver == "greedy":
        return schedule
    if solver == "cp-sat":
        from maintlib.planning.schedule.optimize import optimise, require_ortools

        require_ortools()  # says how to install OR-Tools before any work is done
        return functools.partial(optimise, time_limit=time_limit, progress=progress)
    raise InputError(
        [Problem(ARGUMENTS, "solver", f'unknown solver "{solver}" (greedy or cp-sat)')]
    )


def plan(
    inventory: Inventory,
    *,
    start: dt.date | str,
    months: int,
    reference_time: dt.datetime | str,
    plugins: Plugins | Catalog | None = None,
    feeds: Feeds | None = None,
    policies: Sequence[str] = (),
    log: Log | None = None,
    since: dt.date | str | None = None,
    solver: str = "greedy",
    time_limit: float | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Plan:
    """Plan an inventory's maintenance over ``months`` from ``start``.

    A pure function of its arguments: the same inputs give the same plan, byte
    for byte, so many inventories can be planned in parallel.

    Args:
        inventory: A loaded inventory, or one built in code (checked as
            :func:`validate` does).
        start: First day of the horizon (in the organisation's zone); risks are
            assessed as of this day. A ``date`` or its ISO text (``"2027-01-01"``).
        months: Length of the horizon in calendar months (an ``int``, at least 1).
        reference_time: The caller's "now" (aware datetime, or ISO text with an
            offset); recorded as the plan's ``generated_at`` and the calendar's
            ``DTSTAMP``.
        plugins: The rule packs (or a catalog already built from them); None
            loads the installed packs.
        feeds: Vulnerability feeds (:func:`maintlib.vulns.feeds.read_feeds`), or None.
        policies: Vulnerability deadline policies chosen besides the inventory's
            ``[planning] deadline_policies``. With feeds or policies, matched
            vulnerabilities become emergency work (``docs/vulnerabilities.md``)
            and the plan gets its exposure list.
        log: A maintenance log (:func:`maintlib.records.log.read_log`): work done is not
            planned again, missed work comes back overdue, failed work gets a
            retry (``docs/log.md``). A log without records changes nothing.
        since: The first day the log accounts for (default: the first of the
            month of its earliest record); dues from then to ``start`` are
            checked against it.
        solver: ``greedy`` (the default), or ``cp-sat``: OR-Tools' CP-SAT
            solver, from the greedy plan towards the optimum (needs the extra
            ``maintlib[optimize]``; ``docs/scheduling.md``).
        time_limit: CP-SAT's deterministic time limit over the whole horizon;
            None: 8. Ignored by the greedy planner.
        progress: With ``cp-sat``: called with ``(models solved, models)``
            before the first model and after each; the plan does not depend on it.

    Returns:
        The plan, with the costs of its tasks and the profile's fees.

    Raises:
        InputError: The inventory is not sound (see :func:`validate`), the
            horizon or ``reference_time`` fall outside the years 1970 to 2199, or
            a date's text is not a date (located at ``<arguments>: start``).
        TypeError: An argument of the wrong type, named (``months: expected a
            whole number of months (int), got float 1.5``).
        PluginError: A rule pack failed.
        ValueError: ``reference_time`` is naive or ``months`` is below 1.
        InputError: A policy id names no loaded policy, ``solver`` is unknown, or
            ``cp-sat`` is asked for without OR-Tools installed.
    """
    _check_inventory(inventory)
    start = as_date(start, "start")
    months = as_months(months)
    reference_time = as_datetime(reference_time, "reference_time")
    since = None if since is None else as_date(since, "since")
    time_limit = None if time_limit is None else as_number(time_limit, "time_limit")
    if isinstance(policies, str):
        raise TypeError(f"policies: expected a sequence of ids, got str {policies!r}: pass [...]")
    _check_horizon(start, months, reference_time)
    if progress is not None and not callable(progress):
        raise TypeError(f"progress: expected a callable or None, got {type(progress).__name__}")
    scheduler = _scheduler(solver, time_limit, progress)
    catalog = _checked(inventory, _catalog(plugins))
    horizon = Horizon(start, months, inventory.organisation.timezone)
    chosen = [*inventory.planning.deadline_policies, *policies]
    assessments, material = None, []
    if feeds or chosen:
        feeds = feeds or Feeds()
        selected = chosen_policies(chosen, catalog.vulnerability_policies)
        assessments = assess(
            inventory, feeds, selected, as_of=start, families=catalog.product_families
        )
        material = [*assessments.policies, *feed_names(feeds)]
    applied = apply(inventory, catalog, as_of=start, vulnerabilities=assessments)
    duties = (*applied.duties, *review_duties(inventory))
    history, material_log = None, []
    if log is not None and log.records:
        dues, history = _replan(duties, log, horizon, catalog, since)
        material_log = [
            {"since": history.since.isoformat()},
            *(record.to_json() for record in log.records),
        ]
    else:
        # The same dues as group(expand(...)), without one per fleet member.
        dues = expand_fleets(duties, horizon, catalog.calendars)
    if assessments is not None:
        dues = [*dues, *emergency_dues(assessments, inventory, horizon)]
    projects = [due for due in dues if is_project(due)]
    result = scheduler(
        [due for due in dues if not is_project(due)],
        scheduling_inventory(inventory),
        horizon,
        reference_time=reference_time,
        digest=digest(inventory, catalog, horizon, reference_time, material, material_log),
        packs=[f"{p.name} {p.version}" for p in catalog.packs],
        kinds=catalog.kinds,
    )
    if projects:
        result = with_projects(result, projects)
    if assessments is not None and feeds is not None:
        result = attrs.evolve(result, vulnerabilities=report(assessments, result, feeds))
    if history is not None:
        result = attrs.evolve(result, history=history)
    costs = cost_plan(result, rate_card_for(inventory, catalog), inventory)
    return attrs.evolve(result, costs=costs)


def _replan(
    duties: Sequence[Duty], log: Log, horizon: Horizon, catalog: Catalog, since: dt.date | None
) -> tuple[list[Due], History]:
    """The history stage over the look-back and the horizon
    (:mod:`maintlib.records.history`): the horizon's dues as the log leaves them,
    grouped, and what the log changed. A fleet due keeps its members' duties, not
    their dues (:func:`~maintlib.planning.fleet.compact`): the per-asset dues go
    on return, before the schedule."""
    expanded = expand(duties, horizon, catalog.calendars)
    back = lookback(log, horizon, since)
    past = (
        [due for due in expand(duties, back, catalog.calendars) if due.anchor < horizon.start_at]
        if back is not None
        else []
    )
    # A record may name a fleet task: it stands for its members' dues.
    aliases = {due.uid: due.covers for due in group([*past, *expanded]) if due.members}
    first = back.start if back is not None else horizon.start
    replanned = replan(past, expanded, log, horizon, since=first, aliases=aliases)
    return compact(group(replanned.dues)), replanned.history


def compliance(
    inventory: Inventory,
    *,
    log: Log,
    start: dt.date | str,
    end: dt.date | str,
    plugins: Plugins | Catalog | None = None,
) -> Compliance:
    """How the maintenance log measures up to what was due from ``start`` to ``end``.

    The dues are those a plan of the period holds (anchored from ``start`` up to
    ``end``, the SLA's reviews included), with risks as of ``start``;
    ``docs/compliance.md`` defines every figure.

    Args:
        inventory: A loaded inventory, or one built in code.
        log: The maintenance log (:func:`maintlib.records.log.read_log`).
        start: The period's first day.
        end: The first day after the period.
        plugins: The rule packs (or a catalog already built from them).

    Raises:
        InputError: The inventory is not sound, or ``end`` is not after ``start``.
    """
    _check_inventory(inventory)
    start, end = as_date(start, "start"), as_date(end, "end")
    if end <= start:
        raise InputError([Problem(ARGUMENTS, "end", f"{end} is not after the start {start}")])
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    reference = dt.datetime.combine(start, dt.time(), tzinfo=inventory.organisation.timezone)
    _check_horizon(start, months, reference)
    catalog = _checked(inventory, _catalog(plugins))
    horizon = Horizon(start, months, inventory.organisation.timezone)
    applied = apply(inventory, catalog, as_of=start)
    duties = (*applied.duties, *review_duties(inventory))
    end_at = dt.datetime.combine(end, dt.time(), tzinfo=horizon.timezone)
    dues = [due for due in expand(duties, horizon, catalog.calendars) if due.anchor < end_at]
    aliases = {due.uid: due.covers for due in group(dues) if due.members}
    return judge(dues, log, inventory, start=start, end=end, aliases=aliases)
