"""The catalog: everything the loaded rule packs know, merged and checked.

Built once from :class:`~maintlib.packs.manager.Plugins`; after that no stage asks the
packs for vocabulary or rules again. Merging is deterministic: every collection
is keyed and sorted, so pack load order never matters.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TypeVar

from maintlib._util.recurrence import EPOCH, parse_rrule
from maintlib._util.text import did_you_mean
from maintlib.model.catalog import Catalog
from maintlib.model.errors import PluginError
from maintlib.model.rules import (
    FLEET_FIELDS,
    Activity,
    Cadence,
    DeadlinePolicy,
    Periodic,
    ReleaseCalendar,
    Released,
    Rule,
)
from maintlib.model.vocabulary import AssetKind, kind_hint
from maintlib.model.vulnerabilities import VulnerabilityPolicy
from maintlib.packs.manager import Plugins, load_plugins

__all__ = ["build_catalog"]

T = TypeVar("T")


#: The name of the built-in pack's entry point.
BUILTIN_PACK = "builtin"


def _merge_named(
    items: list[tuple[str, T]], key: str, hook: str, *, identical_ok: bool
) -> dict[str, T]:
    merged: dict[str, T] = {}
    owner: dict[str, str] = {}
    # The built-in pack is the base every other pack builds on: a conflict with it
    # is the other pack's, whatever the names' order.
    for pack, item in sorted(items, key=lambda entry: entry[0] != BUILTIN_PACK):
        name = getattr(item, key)
        if name in merged:
            if identical_ok and merged[name] == item:
                continue
            raise PluginError(
                pack, hook, f"{key} {name!r} is also defined, differently, by pack {owner[name]!r}"
            )
        merged[name] = item
        owner[name] = pack
    return dict(sorted(merged.items()))


def build_catalog(plugins: Plugins | None = None) -> Catalog:
    """Ask every pack for its knowledge, merge it, and check it.

    Args:
        plugins: The packs; None loads the installed ones (:func:`load_plugins`).

    Raises:
        PluginError: A pack raised, returned something malformed, or refers to
            an activity, kind or calendar no loaded pack defines.
    """
    plugins = plugins if plugins is not None else load_plugins()
    kinds = _merge_named(plugins.asset_kinds(), "name", "maintlib_asset_kinds", identical_ok=True)
    activities = _merge_named(
        plugins.activities(), "name", "maintlib_activities", identical_ok=True
    )
    calendars = _merge_named(
        plugins.release_calendars(), "id", "maintlib_release_calendars", identical_ok=False
    )
    for pack, calendar in plugins.release_calendars():
        _check_calendar(pack, calendar)
    rate_cards = _merge_named(
        plugins.rate_cards(), "name", "maintlib_rate_cards", identical_ok=False
    )
    every_policy = plugins.deadline_policies()
    policies = sorted(
        (p for _, p in every_policy if isinstance(p, DeadlinePolicy)), key=lambda p: (p.pack, p.id)
    )
    vulnerability_policies = _merge_named(
        [(pack, p) for pack, p in every_policy if isinstance(p, VulnerabilityPolicy)],
        "id",
        "maintlib_deadline_policies",
        identical_ok=False,
    )
    rules: dict[str, Rule] = {}
    for pack, rule in plugins.rules():
        if rule.key in rules:
            raise PluginError(pack, "maintlib_rules", f"rule id {rule.id!r} appears twice")
        problem = rule_problem(rule, kinds, activities, calendars)
        if problem:
            raise PluginError(pack, "maintlib_rules", f"rule {rule.id!r}: {problem}")
        rules[rule.key] = rule
    return Catalog(
        kinds=kinds,
        activities=activities,
        calendars=calendars,
        rules=tuple(rules[key] for key in sorted(rules)),
        deadline_policies=tuple(policies),
        rate_cards=rate_cards,
        packs=tuple(plugins.info()),
        vulnerability_policies=vulnerability_policies,
        product_families=tuple(family for _, family in plugins.product_families()),
        plugins=plugins,
    )


def _check_calendar(pack: str, calendar: ReleaseCalendar) -> None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(calendar.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise PluginError(
            pack,
            "maintlib_release_calendars",
            f"calendar {calendar.id!r}: unknown time zone {calendar.timezone!r}",
        ) from None
    for period in calendar.periods:
        try:
            parse_rrule(period.rrule, EPOCH)
        except ValueError as error:
            raise PluginError(
                pack, "maintlib_release_calendars", f"calendar {calendar.id!r}: {error}"
            ) from None


def cadence_problem(cadence: Cadence, calendars: Mapping[str, ReleaseCalendar]) -> str | None:
    """What is wrong with ``cadence``, or None."""
    if isinstance(cadence, Periodic):
        try:
            parse_rrule(cadence.rrule, EPOCH)
        except ValueError as error:
            return str(error)
    elif isinstance(cadence, Released) and cadence.calendar not in calendars:
        return f'unknown release calendar "{cadence.calendar}"' + did_you_mean(
            cadence.calendar, calendars
        )
    return None


def rule_problem(
    rule: Rule,
    kinds: Mapping[str, AssetKind],
    activities: Mapping[str, Activity],
    calendars: Mapping[str, ReleaseCalendar],
) -> str | None:
    """What is wrong with ``rule`` against the vocabulary, or None."""
    if rule.activity not in activities:
        return f'unknown activity "{rule.activity}"' + did_you_mean(rule.activity, activities)
    for kind in rule.selector.kinds:
        if kind not in kinds:
            return f'unknown asset kind "{kind}"' + kind_hint(kind, kinds)
    for cadence in (rule.cadence, *(c for _, c in rule.cadence_by_tier)):
        problem = cadence_problem(cadence, calendars)
        if problem:
            return problem
    if rule.duration.total_seconds() <= 0:
        return "duration must be positive"
    if rule.effort is not None and not dt.timedelta(0) < rule.effort <= rule.duration:
        return "effort must be positive and at most the duration (hands-on time of the work)"
    for field in rule.group_by:
        if field not in FLEET_FIELDS:
            return f'group_by: unknown asset field "{field}"' + did_you_mean(field, FLEET_FIELDS)
    if rule.duration_per_asset.total_seconds() < 0:
        return "duration_per_asset must not be negative"
    return None
