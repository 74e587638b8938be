"""The pipeline in one call: inventory → duties → dues → plan (with costs).

:func:`plan` is what most callers want; each stage is also a function of its own
module (:mod:`~maintlib.apply`, :mod:`~maintlib.expand`, :mod:`~maintlib.schedule`,
:mod:`~maintlib.cost`) for callers that need the parts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import attrs

from maintlib.apply import Duties, apply
from maintlib.catalog import Catalog, build_catalog
from maintlib.cost import cost_plan, rate_card_for
from maintlib.expand import expand
from maintlib.fleet import group
from maintlib.inventory import Inventory
from maintlib.load import to_document
from maintlib.plan import Horizon, Plan
from maintlib.plugins import Plugins
from maintlib.schedule import schedule

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


def digest(inventory: Inventory, catalog: Catalog, horizon: Horizon, reference: dt.datetime) -> str:
    """SHA-256 over everything a plan is computed from."""
    material = {
        "inventory": to_document(inventory, json_safe=True),
        "packs": [f"{p.name} {p.version}" for p in catalog.packs],
        "horizon": [horizon.start.isoformat(), horizon.months],
        "reference_time": reference.isoformat(),
    }
    encoded = json.dumps(material, sort_keys=True, separators=(",", ":")).encode()
    return hashlib.sha256(encoded).hexdigest()


def plan(
    inventory: Inventory,
    *,
    start: dt.date,
    months: int,
    reference_time: dt.datetime,
    plugins: Plugins | Catalog | None = None,
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

    Returns:
        The plan, with the costs of its tasks and the profile's fees.

    Raises:
        ValueError: ``reference_time`` is naive or ``months`` is below 1.
    """
    if reference_time.tzinfo is None or reference_time.utcoffset() is None:
        raise ValueError("reference_time must be an aware datetime (pass tzinfo)")
    catalog = _catalog(plugins)
    horizon = Horizon(start, months, inventory.organisation.timezone)
    dues = group(expand(apply(inventory, catalog, as_of=start).duties, horizon, catalog.calendars))
    result = schedule(
        dues,
        inventory,
        horizon,
        reference_time=reference_time,
        digest=digest(inventory, catalog, horizon, reference_time),
        packs=[f"{p.name} {p.version}" for p in catalog.packs],
        kinds=catalog.kinds,
    )
    costs = cost_plan(result, rate_card_for(inventory, catalog), inventory)
    return attrs.evolve(result, costs=costs)
