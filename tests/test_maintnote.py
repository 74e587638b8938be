"""The feed's NANOG maintenance-notification (maintnote) properties, read back by
icalendar: every event has each of them, with values the BCOP allows."""

from __future__ import annotations

import datetime as dt
from typing import Any

import icalendar
import pytest

from maintlib.model.plan import Plan
from maintlib.outputs.ics.feed import to_ics
from maintlib.testing import plan_document

IMPACTS = {"NO-IMPACT", "REDUCED-REDUNDANCY", "DEGRADED", "OUTAGE"}
STATUSES = {"TENTATIVE", "CONFIRMED", "CANCELLED", "IN-PROCESS", "COMPLETED"}
DOMAIN = "maintenance.acme.example"

INVENTORY: dict[str, Any] = {
    "organisation": {"name": "Acme BV", "timezone": "Europe/Amsterdam", "country": "NL"},
    "windows": [
        {"name": "sat-night", "rrule": "FREQ=WEEKLY;BYDAY=SA", "start": "22:00", "duration": "PT6H"}
    ],
    "assets": [
        {"id": "hv01", "kind": "hypervisor", "window": "sat-night"},
        {"id": "fw01", "kind": "firewall", "window": "sat-night", "redundancy_group": "edge"},
        {"id": "fw02", "kind": "firewall", "window": "sat-night", "redundancy_group": "edge"},
        *({"id": f"ws{n:02}", "kind": "workstation"} for n in range(1, 6)),
    ],
}


@pytest.fixture(scope="module")
def plan() -> Plan:
    return plan_document(INVENTORY, start=dt.date(2027, 1, 1), months=2)


def events(feed: bytes) -> list[icalendar.Component]:
    found: list[icalendar.Component] = icalendar.Calendar.from_ical(feed).walk("VEVENT")
    assert found
    return found


def values(event: icalendar.Component, name: str) -> list[str]:
    value = event.get(name)
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


@pytest.mark.parametrize("mode", ["per-task", "series", "occurrence"])
def test_every_event_has_every_maintnote_property(plan: Plan, mode: str) -> None:
    for event in events(to_ics(plan, mode=mode, domain=DOMAIN)):
        assert values(event, "X-MAINTNOTE-PROVIDER") == [DOMAIN]
        assert values(event, "X-MAINTNOTE-ACCOUNT") == ["Acme BV"]
        assert values(event, "X-MAINTNOTE-MAINTENANCE-ID") == [
            str(event["UID"]).removesuffix(f"@{DOMAIN}")
        ]
        assert values(event, "X-MAINTNOTE-OBJECT-ID")
        (impact,) = values(event, "X-MAINTNOTE-IMPACT")
        assert impact in IMPACTS
        (status,) = values(event, "X-MAINTNOTE-STATUS")
        assert status in STATUSES


def test_impact_and_objects_follow_the_task(plan: Plan) -> None:
    by_uid = {str(e["UID"]).split("@")[0]: e for e in events(to_ics(plan, domain=DOMAIN))}
    seen = set()
    for task in plan.tasks:
        event = by_uid.get(task.uid)
        if event is None:  # a daily check, written as a series
            continue
        asset = task.duty.asset
        (impact,) = values(event, "X-MAINTNOTE-IMPACT")
        if not task.duty.downtime:
            assert impact == "NO-IMPACT"
        elif asset is not None and asset.redundancy_group:
            assert impact == "REDUCED-REDUNDANCY"
        else:
            assert impact == "OUTAGE"
        seen.add(impact)
        objects = values(event, "X-MAINTNOTE-OBJECT-ID")
        assert objects == (list(task.assets) or ["Acme BV"])
    assert seen == {"NO-IMPACT", "REDUCED-REDUNDANCY", "OUTAGE"}
    assert any(len(task.assets) > 1 for task in plan.tasks), "no fleet task: untested"


def test_a_run_book_names_every_asset_and_the_worst_impact(plan: Plan) -> None:
    for event in events(to_ics(plan, mode="occurrence", domain=DOMAIN)):
        uids = str(event["X-MAINTLIB-TASKS"]).split()
        tasks = [task for task in plan.tasks if task.uid in uids]
        assets = sorted({a for task in tasks for a in task.assets})
        assert values(event, "X-MAINTNOTE-OBJECT-ID") == (assets or ["Acme BV"])
        (impact,) = values(event, "X-MAINTNOTE-IMPACT")
        downtime = [task for task in tasks if task.duty.downtime]
        if not downtime:
            assert impact == "NO-IMPACT"
        elif all(t.duty.asset is not None and t.duty.asset.redundancy_group for t in downtime):
            assert impact == "REDUCED-REDUNDANCY"
        else:
            assert impact == "OUTAGE"
