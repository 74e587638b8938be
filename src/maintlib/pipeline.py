"""The pipeline in one call: inventory → duties → dues → plan (with costs).

:func:`plan` is what most callers want; each stage is also a function of its own
module (:mod:`~maintlib.apply`, :mod:`~maintlib.expand`, :mod:`~maintlib.schedule`,
:mod:`~maintlib.cost`) for callers that need the parts.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from collections.abc import Callable, Sequence

import attrs

from maintlib.apply import Duties, apply
from maintlib.catalog import Catalog, build_catalog
from maintlib.cost import cost_plan, rate_card_for
from maintlib.emergency import emergency_dues, feed_names, report, scheduling_inventory
from maintlib.exceptions import InputError, Problem
from maintlib.expand import expand
from maintlib.feeds import Feeds
from maintlib.fleet import group
from maintlib.inventory import Inventory
from maintlib.limits import MAX_YEAR, MIN_YEAR
from maintlib.load import to_document
from maintlib.load import validate as inventory_problems
from maintlib.plan import Horizon, Plan
from maintlib.plugins import Plugins
from maintlib.schedule import schedule
from maintlib.vulnerabilities import assess, chosen_policies

__all__ = ["duties", "plan", "validate"]

#: The file name of problems with a call's arguments.
ARGUMENTS = "<arguments>"


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
    _checked(inventory, _catalog(plugins))
    return inventory


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
    as_of: dt.date | None = None,
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
    catalog = _checked(inventory, _catalog(plugins))
    return apply(inventory, catalog, as_of=as_of)


def digest(
    inventory: Inventory,
    catalog: Catalog,
    horizon: Horizon,
    reference: dt.datetime,
    vulnerabilities: Sequence[str] = (),
) -> str:
    """SHA-256 over everything a plan is computed from.

    ``vulnerabilities`` names the feeds and policies of a plan made with them
    (left out of the material when empty, so other plans keep their digest).
    """
    material: dict[str, object] = {
        "inventory": to_document(inventory, json_safe=True),
        "packs": [f"{p.name} {p.version}" for p in catalog.packs],
        "horizon": [horizon.start.isoformat(), horizon.months],
        "reference_time": reference.isoformat(),
    }
    if vulnerabilities:
        material["vulnerabilities"] = list(vulnerabilities)
    encoded = json.dumps(material, sort_keys=True, separators=(",", ":")).encode()
    return hashlib.sha256(encoded).hexdigest()


def _scheduler(solver: str, time_limit: float | None) -> Callable[..., Plan]:
    """The schedule stage ``solver`` names: the greedy planner, or CP-SAT."""
    if solver == "greedy":
        return schedule
    if solver == "cp-sat":
        from maintlib.schedule.optimize import optimise, require_ortools

        require_ortools()  # says how to install OR-Tools before any work is done
        return functools.partial(optimise, time_limit=time_limit)
    raise InputError(
        [Problem(ARGUMENTS, "solver", f'unknown solver "{solver}" (greedy or cp-sat)')]
    )


def plan(
    inventory: Inventory,
    *,
    start: dt.date,
    months: int,
    reference_time: dt.datetime,
    plugins: Plugins | Catalog | None = None,
    feeds: Feeds | None = None,
    policies: Sequence[str] = (),
    solver: str = "greedy",
    time_limit: float | None = None,
) -> Plan:
    """Plan an inventory's maintenance over ``months`` from ``start``.

    A pure function of its arguments: the same inputs give the same plan, byte
    for byte, so many inventories can be planned in parallel.

    Args:
        inventory: A loaded inventory, or one built in code (checked as
            :func:`validate` does).
        start: First day of the horizon (in the organisation's zone); risks are
            assessed as of this day.
        months: Length of the horizon in calendar months (at least 1).
        reference_time: The caller's "now" (aware datetime); recorded as the
            plan's ``generated_at`` and the calendar's ``DTSTAMP``.
        plugins: The rule packs (or a catalog already built from them); None
            loads the installed packs.
        feeds: Vulnerability feeds (:func:`maintlib.feeds.read_feeds`), or None.
        policies: Vulnerability deadline policies chosen besides the inventory's
            ``[planning] deadline_policies``. With feeds or policies, matched
            vulnerabilities become emergency work (``docs/vulnerabilities.md``)
            and the plan gets its exposure list.
        solver: ``greedy`` (the default), or ``cp-sat``: OR-Tools' CP-SAT
            solver, from the greedy plan towards the optimum (needs the extra
            ``maintlib[optimize]``; ``docs/scheduling.md``).
        time_limit: CP-SAT's deterministic time limit over the whole horizon;
            None: 60. Ignored by the greedy planner.

    Returns:
        The plan, with the costs of its tasks and the profile's fees.

    Raises:
        InputError: The inventory is not sound (see :func:`validate`), or the
            horizon or ``reference_time`` fall outside the years 1970 to 2199.
        PluginError: A rule pack failed.
        ValueError: ``reference_time`` is naive or ``months`` is below 1.
        InputError: A policy id names no loaded policy, ``solver`` is unknown, or
            ``cp-sat`` is asked for without OR-Tools installed.
    """
    if reference_time.tzinfo is None or reference_time.utcoffset() is None:
        raise ValueError("reference_time must be an aware datetime (pass tzinfo)")
    _check_horizon(start, months, reference_time)
    scheduler = _scheduler(solver, time_limit)
    catalog = _checked(inventory, _catalog(plugins))
    horizon = Horizon(start, months, inventory.organisation.timezone)
    chosen = [*inventory.planning.deadline_policies, *policies]
    assessments, material = None, []
    if feeds or chosen:
        feeds = feeds or Feeds()
        selected = chosen_policies(chosen, catalog.vulnerability_policies)
        assessments = assess(inventory, feeds, selected, as_of=start)
        material = [*assessments.policies, *feed_names(feeds)]
    applied = apply(inventory, catalog, as_of=start, vulnerabilities=assessments)
    dues = group(expand(applied.duties, horizon, catalog.calendars))
    if assessments is not None:
        dues = [*dues, *emergency_dues(assessments, inventory, horizon)]
    result = scheduler(
        dues,
        scheduling_inventory(inventory),
        horizon,
        reference_time=reference_time,
        digest=digest(inventory, catalog, horizon, reference_time, material),
        packs=[f"{p.name} {p.version}" for p in catalog.packs],
        kinds=catalog.kinds,
    )
    if assessments is not None and feeds is not None:
        result = attrs.evolve(result, vulnerabilities=report(assessments, result, feeds))
    costs = cost_plan(result, rate_card_for(inventory, catalog), inventory)
    return attrs.evolve(result, costs=costs)
