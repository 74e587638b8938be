"""One outage per service (issue 27): an application and the servers it runs on and
depends on go down in one window occurrence a month where the deadlines allow, even
when their releases differ (the application's monthly update, the servers' Patch
Tuesday)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest

from maintlib.model.inventory import PlanningSettings
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
    return _plan_in(WINDOWS, *assets)


def _plan_in(windows: list[dict[str, Any]], *assets: dict[str, Any]) -> Plan:
    return plan_document(
        inventory_document(*assets, windows=windows),
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


def test_no_work_on_a_service_while_the_host_of_its_server_restarts() -> None:
    """The ERP runs on a SQL Server guest of a Hyper-V host without live migration:
    while the host restarts its guest is down, so neither the ERP's update nor the
    database job (no downtime of its own) may run then — in the same night as the
    host's work, but before it or after it and its settle gap. (Before this, the ERP's
    update and the database job overlapped the host's firmware update in the
    production example.)"""
    windows = [
        {**WINDOWS[0], "applies_to": ["hypervisor", "virtual_server", "application"]},
    ]
    result = plan_document(
        inventory_document(
            {**_server("hv01"), "kind": "hypervisor"},
            _server(
                "sql01", hosted_on="hv01", tags=["database"], product="SQL Server", version="2019"
            ),
            {
                "id": "erp",
                "kind": "application",
                "vendor": "Exact",
                "product": "Exact Globe",
                "criticality": "critical",
                "depends_on": ["sql01"],
            },
            windows=windows,
        ),
        plugins=load_plugins(only={"builtin", "microsoft"}, environ={}),
    )
    settle = PlanningSettings().settle  # the default, 15 minutes
    host = [t for t in result.tasks if t.duty.subject == "hv01" and t.duty.downtime]
    others = [t for t in result.tasks if t.duty.subject in {"sql01", "erp"} and t.window]
    assert host
    assert any(not t.duty.downtime for t in others), "a database job without downtime"
    shared = {t.occurrence for t in host} & {t.occurrence for t in others}
    assert shared, "the host and the service's work share nights"
    for outage in host:
        for task in others:
            assert task.end + settle <= outage.start or outage.end + settle <= task.start, (
                task.uid,
                outage.uid,
            )


def test_an_application_is_not_updated_while_the_database_engine_it_uses_is() -> None:
    """A line-of-business application that depends on SQL Server (an application
    itself, on its own virtual server) is never down at the same time as SQL
    Server: its update needs the database. The three are one service, so in
    months where the deadlines meet they share a night (one Saturday window)."""
    result = _plan_in(
        WINDOWS[:1],
        _server("sql01"),
        {
            "id": "mssql",
            "kind": "application",
            "vendor": "Microsoft",
            "product": "SQL Server",
            "version": "2019",
            "criticality": "critical",
            "runs_on": "sql01",
        },
        {
            "id": "lob",
            "kind": "application",
            "vendor": "Syntess",
            "product": "Atrium",
            "criticality": "critical",
            "depends_on": ["mssql"],
        },
    )
    down = defaultdict(list)
    for task in result.tasks:
        if task.duty.downtime and task.duty.subject in {"sql01", "mssql", "lob"}:
            down[task.duty.subject].append(task)
    assert down["lob"]
    assert down["mssql"]
    for task in down["lob"]:
        for other in (*down["mssql"], *down["sql01"]):
            assert task.end <= other.start or other.end <= task.start, (task.uid, other.uid)
    shared = {t.occurrence for t in down["lob"]} & {t.occurrence for t in down["mssql"]}
    assert shared, "the application and its database engine share nights"
