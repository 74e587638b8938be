"""The helpers of :mod:`maintlib.testing`, kept apart from its pytest fixture so that
neither imports the other."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from types import ModuleType
from typing import Any, TypeVar

from maintlib.loading.read import loads
from maintlib.model.catalog import Catalog
from maintlib.model.feeds import Feeds
from maintlib.model.inventory import Inventory
from maintlib.model.plan import Plan, Project, Task
from maintlib.packs import builtin
from maintlib.packs.catalog import build_catalog
from maintlib.packs.manager import Plugins, plugins_from

__all__ = [
    "REFERENCE_TIME",
    "inventory_document",
    "load_document",
    "make_plugins",
    "plan_document",
    "projects_for",
    "tasks_for",
]


#: A fixed "now" for plans in tests.
REFERENCE_TIME = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)


def inventory_document(
    *assets: Mapping[str, Any],
    windows: Sequence[Mapping[str, Any]] = (),
    rules: Sequence[Mapping[str, Any]] = (),
    **sections: Any,
) -> dict[str, Any]:
    """An inventory document for a test: an organisation in Amsterdam (NL) with
    ``assets``, ``windows``, ``rules`` and any other sections (``planning=…``).
    Give it to :func:`load_document` or :func:`plan_document`."""
    return {
        "organisation": {"name": "Fabrikam", "timezone": "Europe/Amsterdam", "country": "NL"},
        "windows": [dict(window) for window in windows],
        "assets": [dict(asset) for asset in assets],
        "rules": [dict(rule) for rule in rules],
        **sections,
    }


def make_plugins(
    packs: Mapping[str, object | ModuleType] | None = None, *, builtin_pack: bool = True
) -> Plugins:
    """Plugins holding exactly ``packs`` (name → module), plus the built-in pack.

    Args:
        packs: The packs under test, by the name they would have as an entry point.
        builtin_pack: Include the built-in pack (it defines the asset kinds and
            activities most packs build on).
    """
    chosen: dict[str, object | ModuleType] = dict(packs or {})
    if builtin_pack:
        chosen.setdefault("builtin", builtin)
    return plugins_from(chosen)


def load_document(document: Mapping[str, Any], *, plugins: Plugins | None = None) -> Inventory:
    """An inventory from a dict shaped like the TOML/JSON file.

    Raises:
        InputError: The document is invalid, with every problem located.
    """
    catalog = build_catalog(plugins or make_plugins())
    return loads(json.dumps(document, default=str), format="json", catalog=catalog)


def plan_document(
    document: Mapping[str, Any],
    *,
    start: dt.date = dt.date(2027, 1, 1),
    months: int = 12,
    plugins: Plugins | None = None,
    feeds: Feeds | None = None,
    policies: Sequence[str] = (),
    solver: str = "greedy",
    time_limit: float | None = None,
) -> Plan:
    """Plan an inventory given as a dict, with :data:`REFERENCE_TIME` as "now".

    ``feeds`` (:func:`maintlib.read_feeds`) and ``policies`` (vulnerability deadline
    policy ids) plan the emergency work too, as ``maintlib plan --kev …`` does;
    ``solver`` and ``time_limit`` are :func:`maintlib.plan`'s.
    """
    from maintlib.pipeline import plan

    catalog: Catalog = build_catalog(plugins or make_plugins())
    inventory = loads(json.dumps(document, default=str), format="json", catalog=catalog)
    return plan(
        inventory,
        start=start,
        months=months,
        reference_time=REFERENCE_TIME,
        plugins=catalog,
        feeds=feeds,
        policies=policies,
        solver=solver,
        time_limit=time_limit,
    )


def tasks_for(plan: Plan, asset: str, activity: str) -> list[Task]:
    """The tasks of one asset for one activity, in the order of their dues' anchors.

    Args:
        plan: A plan, from :func:`plan_document` for instance.
        asset: The asset's id.
        activity: The activity's name (``security-updates``).
    """
    return _of(plan.tasks, asset, activity)


def projects_for(plan: Plan, asset: str, activity: str) -> list[Project]:
    """The projects of one asset for one activity (an end-of-support rule's
    ``upgrade-or-replace``), in the order of their dues' anchors."""
    return _of(plan.projects, asset, activity)


_Work = TypeVar("_Work", Task, Project)


def _of(items: Sequence[_Work], asset: str, activity: str) -> list[_Work]:
    found = [
        item
        for item in items
        if item.duty.asset is not None
        and item.duty.asset.id == asset
        and item.duty.activity.name == activity
    ]
    return sorted(found, key=lambda item: (item.due.anchor, item.uid))
