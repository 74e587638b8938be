"""The pipeline in one call: inventory → duties → dues → plan (with costs).

:func:`plan` is what most callers want; each stage is also a function of its own
module (:mod:`~maintlib.apply`, :mod:`~maintlib.expand`, :mod:`~maintlib.schedule`,
:mod:`~maintlib.cost`) for callers that need the parts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence

import attrs

from maintlib.apply import Duties, apply
from maintlib.catalog import Catalog, build_catalog
from maintlib.cost import cost_plan, rate_card_for
from maintlib.emergency import emergency_dues, feed_names, report, scheduling_inventory
from maintlib.expand import expand
from maintlib.feeds import Feeds
from maintlib.inventory import Inventory
from maintlib.load import to_document
from maintlib.plan import Horizon, Plan
from maintlib.plugins import Plugins
from maintlib.schedule import schedule
from maintlib.vulnerabilities import assess, chosen_policies

__all__ = ["duties", "plan"]


def _catalog(plugins: Plugins | Catalog | None) -> Catalog:
    if isinstance(plugins, Catalog):
        return plugins
    return build_catalog(plugins)


def duties(
    inventory: Inventory,
    *,
    plugins: Plugins | Catalog | None = None,
    as_of: dt.date | None = None,
) -> Duties:
    """Every asset's risk and duties (what ``maintlib explain`` shows).

    Args:
        inventory: A loaded inventory.
        plugins: The rule packs (or a catalog already built from them); None
            loads the installed packs.
        as_of: The day risks are assessed for, or None.
    """
    return apply(inventory, _catalog(plugins), as_of=as_of)


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


def plan(
    inventory: Inventory,
    *,
    start: dt.date,
    months: int,
    reference_time: dt.datetime,
    plugins: Plugins | Catalog | None = None,
    feeds: Feeds | None = None,
    policies: Sequence[str] = (),
) -> Plan:
    """Plan an inventory's maintenance over ``months`` from ``start``.

    A pure function of its arguments: the same inputs give the same plan, byte
    for byte, so many inventories can be planned in parallel.

    Args:
        inventory: A loaded inventory.
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

    Returns:
        The plan, with the costs of its tasks and the profile's fees.

    Raises:
        ValueError: ``reference_time`` is naive or ``months`` is below 1.
        InputError: A policy id names no loaded policy.
    """
    if reference_time.tzinfo is None or reference_time.utcoffset() is None:
        raise ValueError("reference_time must be an aware datetime (pass tzinfo)")
    catalog = _catalog(plugins)
    horizon = Horizon(start, months, inventory.organisation.timezone)
    chosen = [*inventory.planning.deadline_policies, *policies]
    assessments, material = None, []
    if feeds or chosen:
        feeds = feeds or Feeds()
        selected = chosen_policies(chosen, catalog.vulnerability_policies)
        assessments = assess(inventory, feeds, selected, as_of=start)
        material = [*assessments.policies, *feed_names(feeds)]
    applied = apply(inventory, catalog, as_of=start, vulnerabilities=assessments)
    dues = expand(applied.duties, horizon, catalog.calendars)
    if assessments is not None:
        dues = [*dues, *emergency_dues(assessments, inventory, horizon)]
    result = schedule(
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
