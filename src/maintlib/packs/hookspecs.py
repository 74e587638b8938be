"""The hooks a rule pack can implement.

A rule pack is a module (or object) with functions named after these hooks,
marked with :data:`maintlib.hookimpl`, registered under the entry-point group
``maintlib``. Every hook returns frozen values from :mod:`maintlib`; the core
merges them into the :class:`~maintlib.model.catalog.Catalog`. Returning ``None`` or an
empty sequence means "nothing to add". The reference is ``docs/plugins/hooks.md``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    import datetime as dt

    from maintlib.model.inventory import Asset, Inventory
    from maintlib.model.naming import ProductFamily
    from maintlib.model.rates import RateCard
    from maintlib.model.risk import RiskFactor
    from maintlib.model.rules import Activity, DeadlinePolicy, ReleaseCalendar, Rule
    from maintlib.model.vocabulary import AssetKind
    from maintlib.model.vulnerabilities import VulnerabilityPolicy
    from maintlib.packs.eol import Lifecycle


PROJECT = "maintlib"


hookspec = pluggy.HookspecMarker(PROJECT)


hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def maintlib_asset_kinds() -> Sequence[AssetKind] | None:
    """Return the asset kinds this pack knows about.

    Inventories may use a kind once some loaded pack returns it. Two packs may
    return the same kind only if they describe it identically.

    Return ``None`` (or an empty sequence) to add no kinds.
    """


@hookspec
def maintlib_activities() -> Sequence[Activity] | None:
    """Return the activities this pack's rules perform.

    A rule may name any activity returned by a loaded pack. Two packs may return
    the same activity only if they describe it identically.

    Return ``None`` to add no activities.
    """


@hookspec
def maintlib_release_calendars() -> Sequence[ReleaseCalendar] | None:
    """Return the vendor release calendars this pack knows.

    Rules anchor their cadence to a calendar by id (``Released("patch-tuesday")``).
    Calendar ids are global: two packs must not return the same id. Give each
    calendar a ``source`` (the vendor's own statement).

    Return ``None`` to add no calendars.
    """


@hookspec
def maintlib_rules(lifecycle: Lifecycle) -> Sequence[Rule] | None:
    """Return this pack's maintenance rules.

    Rule ids must be unique within the pack; the core prefixes them with the
    pack's name (``builtin/server-health-check``). When rules of several packs
    cover the same asset and activity, the most specific selector wins, then
    the stricter rule — never the load order.

    :param lifecycle: endoflife.date's lifecycle data (:mod:`maintlib.packs.eol`): the
        snapshot shipped with maintlib, or a feed cache's newer copy when the caller
        passed one. Read end-of-support dates from it, never from the network. An
        implementation may leave the parameter out.

    Return ``None`` to add no rules.
    """


@hookspec
def maintlib_deadline_policies() -> Sequence[DeadlinePolicy | VulnerabilityPolicy] | None:
    """Return default deadlines per update class or vendor severity, and
    vulnerability deadline policies.

    A rule without deadlines of its own takes the strictest
    :class:`~maintlib.model.rules.DeadlinePolicy` for its update class. A
    :class:`~maintlib.model.vulnerabilities.VulnerabilityPolicy` decides a deadline per
    vulnerability on an asset (KEV, EPSS, SSVC, CVSS, exposure); inventories
    choose them by id (``[planning] deadline_policies``). Vulnerability policy
    ids are global: two packs must not return the same id.

    Return ``None`` to add no policies.
    """


@hookspec
def maintlib_product_families() -> Sequence[ProductFamily] | None:
    """Return the product families of the pack's vendors: which products run which
    software, as vulnerability feeds name it.

    The KEV catalog says ``Fortinet / FortiOS`` where an inventory says
    ``FortiGate 100F``; with a :class:`~maintlib.model.naming.ProductFamily`
    (vendor ``Fortinet``, products ``FortiGate*``, software ``FortiOS``) the
    vulnerability stage matches the entry to every FortiGate — and, when the
    asset's version is not known, plans a version check first
    (``docs/vulnerabilities.md``). Cite where each fact comes from.

    Return ``None`` to declare no families.
    """


@hookspec
def maintlib_rate_cards() -> Sequence[RateCard] | None:
    """Return price lists (costing profiles) by name.

    An inventory picks one with ``[costing] profile = "NAME"``. Profile names are
    global: two packs must not return the same name.

    Return ``None`` to add no rate cards.
    """


@hookspec
def maintlib_risk_factors(
    asset: Asset, inventory: Inventory, as_of: dt.date | None, lifecycle: Lifecycle
) -> Sequence[RiskFactor] | None:
    """Return extra risk factors for ``asset``.

    Called once per asset while duties are built. Each factor's contribution is
    added to the asset's score (capped at 100) and shown by ``maintlib explain``.
    An implementation may leave out parameters it does not use.

    :param asset: The asset being assessed.
    :param inventory: The whole inventory (for lookups such as dependants).
    :param as_of: The day the assessment is for — a plan's first day, or the
        date ``maintlib explain --as-of`` names — or None when the caller gave
        none. Compare dates (end of support, say) with it, never with today;
        with None, leave out factors that depend on the date.
    :param lifecycle: The same lifecycle data ``maintlib_rules`` was given.

    Return ``None`` when the pack has nothing to say about this asset.
    """
