"""One outage per service (issue 27): an application and the servers it runs on and
depends on go down in one window occurrence a month where the deadlines allow, even
when their releases differ (the application's monthly update, the servers' Patch
Tuesday)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest

from maintlib.model.plan import Plan
from maintlib.packs.manager import load_plugins
from maintlib.testing import inventory_document, plan_document

WINDOWS = [
    {
        "name": "saturday-night",
        "rrule": "FREQ=WEEKLY;BYDAY=SA",
        "start": "22:00",
        "duration": "PT6H",
        "capacity_hours": 6,
        "applies_to": ["virtual_server", "application"],
    },
    {
        "name": "wednesday-evening",
        "rrule": "FREQ=WEEKLY;BYDAY=WE",
        "start": "19:00",
        "duration": "PT3H",
        "capacity_hours": 3,
        "applies_to": ["virtual_server", "application"],
    },
]


def _server(asset_id: str, **more: Any) -> dict[str, Any]:
    return {
        "id": asset_id,
        "kind": "virtual_server",
        "vendor": "Microsoft",
        "product": "Windows Server",
        "version": "2022",
        "criticality": "critical",
        **more,
    }


def _plan(*assets: dict[str, Any]) -> Plan:
    return plan_document(
        inventory_document(*assets, windows=WINDOWS),
        plugins=load_plugins(only={"builtin", "microsoft"}, environ={}),
    )


def _nights(plan: Plan, assets: set[str]) -> dict[int, set[object]]:
    """Per month, the occurrences in which any of ``assets`` is down."""
    found: dict[int, set[object]] = defaultdict(set)
    for task in plan.tasks:
        if task.duty.downtime and set(task.assets) & assets:
            found[task.start.month].add(task.occurrence)
    return found


@pytest.fixture(scope="module")
def erp() -> Plan:
    return _plan(
        _server("appsrv"),
        _server("dbsrv"),
        {
            "id": "erp",
            "kind": "application",
            "vendor": "Exact",
            "product": "Exact Globe",
            "criticality": "critical",
            "depends_on": ["appsrv", "dbsrv"],
        },
    )


def test_the_application_and_both_its_servers_go_down_in_one_night_a_month(erp: Plan) -> None:
    """The application's quarterly 2-hour standard update does not fit the
    Wednesday after Patch Tuesday beside the rest, and the security update's deadline
    (the 16th) comes before the Saturday: it takes a night of its own in four months
    (the month it is released in or the next, by its deadline)."""
    nights = _nights(erp, {"erp", "appsrv", "dbsrv"})
    assert len(nights) == 12
    assert sorted(len(found) for found in nights.values()) == [1] * 8 + [2] * 4
    assert all(t.status.value == "on_time" for t in erp.tasks)


def test_the_application_is_never_down_beside_a_server_it_depends_on(erp: Plan) -> None:
    """Back to back: its update runs on them."""
    down = [t for t in erp.tasks if t.duty.downtime]
    for app in (t for t in down if t.assets == ("erp",)):
        for server in (t for t in down if t.assets[0] in ("appsrv", "dbsrv")):
            assert app.end <= server.start or server.end <= app.start


def test_without_the_dependency_they_are_planned_on_their_own() -> None:
    """The same assets, the application not depending on the servers: its update goes
    to the first night of the month, the servers' after Patch Tuesday — the
    one-outage placement is what the dependency buys."""
    apart = _plan(
        _server("appsrv"),
        _server("dbsrv"),
        {"id": "erp", "kind": "application", "vendor": "Exact", "criticality": "critical"},
    )
    nights = _nights(apart, {"erp", "appsrv", "dbsrv"})
    assert sum(len(found) for found in nights.values()) > 12
