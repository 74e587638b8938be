"""The planner on inventories written the way users write them (issue 12), and the
regressions of its placement bugs."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import icalendar
import pytest

from maintlib.loading.read import load
from maintlib.model.catalog import Catalog
from maintlib.model.plan import Plan, Status, Task
from maintlib.model.vocabulary import Mode, Tier
from maintlib.outputs.ics.feed import to_ics
from maintlib.packs import releases
from maintlib.packs.catalog import build_catalog
from maintlib.pipeline import plan
from maintlib.testing import REFERENCE_TIME, plan_document

SCENARIOS = Path(__file__).parent / "data" / "scenarios"
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def by_asset(result: Plan, activity: str) -> dict[str, list[Task]]:
    found: dict[str, list[Task]] = defaultdict(list)
    for task in result.tasks:
        if task.duty.activity.name == activity and task.duty.asset is not None:
            found[task.duty.asset.id].append(task)
    return found


class TestClusterFirm:
    """A 2-node Hyper-V cluster with 6 guests, SQL Server under the accounting
    application, an internet-facing RDS host, an HA firewall pair; one weekly night
    window of 6 hours and one weekday evening of 3 hours."""

    @pytest.fixture(scope="class")
    @staticmethod
    def installed() -> Catalog:
        """The installed packs: the built-in one and the vendor packs, as users run it."""
        return build_catalog()

    @pytest.fixture(scope="class")
    @staticmethod
    def result(installed: Catalog) -> Plan:
        inventory = load(SCENARIOS / "cluster-firm.toml", catalog=installed)
        return plan(
            inventory,
            start=dt.date(2027, 1, 1),
            months=12,
            reference_time=REFERENCE_TIME,
            plugins=installed,
        )

    def test_every_windows_server_is_patched_after_every_patch_tuesday(
        self, result: Plan, installed: Catalog
    ) -> None:
        tuesdays = list(
            releases(
                installed.calendars["patch-tuesday"],
                dt.datetime(2027, 1, 1, tzinfo=dt.UTC),
                dt.datetime(2028, 1, 1, tzinfo=dt.UTC),
            )
        )
        assert len(tuesdays) == 12
        updates = by_asset(result, "security-updates")
        servers = ["app01", "dc01", "dc02", "fs01", "hv01", "hv02", "rds01", "sql01"]
        for server in servers:
            covered = sorted(
                due.released for task in updates[server] for due in (*task.superseded, task.due)
            )
            assert covered == tuesdays, server
        assert result.unplaced == ()

    def test_p1_work_is_on_time(self, result: Plan) -> None:
        assert result.summary()["by_tier"]["P1"]["late"] == 0
        assert result.summary()["by_tier"]["P1"]["unplaced"] == 0

    def test_both_firewalls_of_the_pair_are_updated_in_the_same_night_one_at_a_time(
        self, result: Plan
    ) -> None:
        firmware = by_asset(result, "firmware-update")
        assert len(firmware["fw01"]) == len(firmware["fw02"]) >= 4
        for first, second in zip(firmware["fw01"], firmware["fw02"], strict=True):
            assert first.due.anchor == second.due.anchor
            assert first.occurrence == second.occurrence
            assert second.start - first.end >= dt.timedelta(minutes=15)

    def test_p1_and_p2_work_is_on_time_with_technicians_side_by_side(self, result: Plan) -> None:
        """Issue 27: one technician starts each server's update and checks it after
        the restart; the installs run side by side, so the two windows hold the
        month's work (they did not when effort was the wall-clock time)."""
        for tier in ("P1", "P2"):
            assert result.summary()["by_tier"][tier]["late"] == 0, tier
            assert result.summary()["by_tier"][tier]["unplaced"] == 0, tier

    def test_sql_server_and_its_database_go_down_in_one_outage_a_month(self, result: Plan) -> None:
        """One outage per service: the SQL Server update and its server's update of
        the same Patch Tuesday in the same window occurrence, back to back."""
        updates = by_asset(result, "security-updates")
        server = {t.due.released: t for t in updates["sql01"]}
        database = {t.due.released: t for t in updates["sqldb"]}
        shared = server.keys() & database.keys()
        assert len(shared) == 12
        for released in shared:
            assert server[released].occurrence == database[released].occurrence, released

    def test_the_calendar_shows_late_tasks_as_late_and_by_how_much(
        self, installed: Catalog
    ) -> None:
        # The same firm with half an hour of technician time per window: work is late.
        inventory = load(SCENARIOS / "cluster-firm.toml", catalog=installed)
        starved = attrs.evolve(
            inventory,
            windows=tuple(
                attrs.evolve(w, capacity_hours=Decimal("0.5")) for w in inventory.windows
            ),
        )
        result = plan(
            starved,
            start=dt.date(2027, 1, 1),
            months=3,
            reference_time=REFERENCE_TIME,
            plugins=installed,
        )
        late = {t.uid for t in result.tasks if t.status is Status.LATE}
        assert late, "half an hour a window is too little for the month's work: some is late"
        events = icalendar.Calendar.from_ical(to_ics(result, lang="en")).walk("VEVENT")
        assert len(events) == len(result.tasks)
        for event in events:
            uid = str(event["UID"]).removesuffix("@maintlib.invalid")
            categories = [str(c) for c in event["CATEGORIES"].cats]
            if uid in late:
                assert str(event["SUMMARY"]).startswith("LATE: ")
                assert "late" in categories
                assert re.search(
                    r"Late: starts [\d.]+ (hours|days) late\.", str(event["DESCRIPTION"])
                )
            else:
                assert not str(event["SUMMARY"]).startswith("LATE")
                assert "late" not in categories

    def test_the_cluster_nodes_are_never_down_together(self, result: Plan) -> None:
        updates = by_asset(result, "security-updates")
        for a in updates["hv01"]:
            for b in updates["hv02"]:
                assert a.end + dt.timedelta(minutes=15) <= b.start or (
                    b.end + dt.timedelta(minutes=15) <= a.start
                )

    def test_sql_server_is_updated_on_its_server_but_not_while_it_is_down(
        self, result: Plan
    ) -> None:
        updates = by_asset(result, "security-updates")
        server = updates["sql01"]
        for app in updates["sqldb"]:
            for task in server:
                assert app.end <= task.start or task.end <= app.start


def _window(name: str, start: str, duration: str, capacity: int) -> dict[str, Any]:
    return {
        "name": name,
        "rrule": "FREQ=WEEKLY;BYDAY=FR",
        "start": start,
        "duration": duration,
        "capacity_hours": capacity,
        "applies_to": ["cloud_service"],
    }


def _job(asset: str, hours: int, deadline_days: int) -> dict[str, Any]:
    return {
        "id": f"{asset}-job",
        "activity": "health-check",
        "selector": {"assets": [asset]},
        "cadence": {"rrule": "FREQ=MONTHLY;BYDAY=1FR"},
        "duration": f"PT{hours}H",
        "mode": "window",
        "deadlines": deadline_days,
    }


def test_a_later_slot_of_another_window_is_tried_when_an_earlier_one_fills_past_the_deadline() -> (
    None
):
    """Regression: the search gave up at the first slot whose earliest free start was
    past the deadline, so a later-starting slot of another window that still starts
    before it was never tried (and adding a window could make a plan worse)."""
    document = {
        "organisation": {"name": "Two windows", "timezone": "Europe/Amsterdam"},
        "windows": [
            # One technician for two days, busy with a 25-hour job from Friday 00:00.
            _window("long", "00:00", "P2D", 30),
            _window("short", "12:00", "PT4H", 4),
        ],
        "assets": [
            {"id": "big", "kind": "cloud_service", "criticality": "critical"},
            {"id": "small", "kind": "cloud_service", "criticality": "low"},
        ],
        "rules": [_job("big", 25, 0), _job("small", 1, 0)],
    }
    result = plan_document(document, months=1)
    (task,) = [t for t in result.tasks if t.uid.startswith("small.health-check")]
    assert task.status is Status.ON_TIME
    assert task.window == "short"
    assert task.start.hour == 12
    (big,) = [t for t in result.tasks if t.uid.startswith("big.health-check")]
    assert big.window == "long"


def _monthly(
    rule_id: str, activity: str, assets: list[str], hours: int, days: int
) -> dict[str, Any]:
    return {
        "id": rule_id,
        "activity": activity,
        "selector": {"assets": assets},
        "cadence": {"rrule": "FREQ=MONTHLY;BYMONTHDAY=1"},
        "duration": f"PT{hours}H",
        "mode": "window",
        "deadlines": days,
    }


def test_priority_repair_moves_p4_work_to_make_room_for_urgent_work() -> None:
    """The critical service waits for its test-ring peer (a P4 asset), so it is ready
    only after the P4 work of the month has been placed, and a P4 chore took the
    night's technician time before the test. The urgent update displaces the chore
    instead of going late, and the chore moves on."""
    night = {
        "name": "night",
        "rrule": "FREQ=WEEKLY;BYDAY=SA",
        "start": "22:00",
        "duration": "PT4H",
        "capacity_hours": 3,
    }
    asset = {"kind": "cloud_service", "window": "night", "vendor": "Acme", "product": "Ledger"}
    document = {
        "organisation": {"name": "Repair", "timezone": "Europe/Amsterdam"},
        "planning": {"soak_days": 0},
        "windows": [night],
        "assets": [
            {"id": "crit", "criticality": "critical", "exposure": "internet", **asset},
            {"id": "low", "criticality": "low", "environment": "test", **asset},
            {"id": "other", "criticality": "low", **asset},
        ],
        "rules": [
            {
                **_monthly("patches", "security-updates", ["crit", "low"], 1, 5),
                "update_class": "security",
            },
            _monthly("chore", "health-check", ["other"], 2, 4),
        ],
    }
    result = plan_document(document, months=1)
    (crit,) = [t for t in result.tasks if t.uid.startswith("crit.security-updates")]
    (test,) = [t for t in result.tasks if t.uid.startswith("low.security-updates")]
    (chore,) = [t for t in result.tasks if t.uid.startswith("other.health-check")]
    assert crit.due.tier in (Tier.P1, Tier.P2)
    assert chore.due.tier is Tier.P4
    # The test ring first, then the urgent update, in the first night; without the
    # repair the chore would have kept that night and the urgent update gone late.
    assert crit.status is Status.ON_TIME
    assert test.end <= crit.start
    assert crit.occurrence == test.occurrence == dt.datetime(2027, 1, 2, 22, tzinfo=AMSTERDAM)
    assert chore.occurrence == dt.datetime(2027, 1, 9, 22, tzinfo=AMSTERDAM)
    assert chore.status is Status.LATE
    assert result.unplaced == ()


def test_work_after_a_blackout_still_ends_within_the_open_part_of_the_window() -> None:
    """Regression: when a blackout covered the start of a window occurrence, the
    search checked the open part against the occurrence's start, moved to the open
    part's start, and placed work that ran past the window's end. A three-hour job
    in the two hours left after the blackout must go to the next occurrence."""
    document = {
        "organisation": {"name": "Blackout", "timezone": "Europe/Amsterdam"},
        "windows": [
            {
                "name": "night",
                "rrule": "FREQ=WEEKLY;BYDAY=FR",
                "start": "22:00",
                "duration": "PT4H",
                "applies_to": ["cloud_service"],
            }
        ],
        "blackouts": [
            {
                "name": "launch",
                "start": "2027-01-01T22:00:00+01:00",
                "end": "2027-01-02T00:00:00+01:00",
                "reason": "product launch",
                "changes_only": False,
            }
        ],
        "assets": [{"id": "big", "kind": "cloud_service", "criticality": "high"}],
        "rules": [_job("big", 3, 6)],
    }
    result = plan_document(document, months=1)
    (task,) = [t for t in result.tasks if t.uid.startswith("big.health-check.20270101")]
    assert task.end <= task.occurrence + dt.timedelta(hours=4)
    assert task.occurrence.date() == dt.date(2027, 1, 8)
    assert task.start.hour == 22


def _concurrent(tasks: list[Task]) -> int:
    """The most tasks running at the same moment."""
    events = sorted([(t.start, 1) for t in tasks] + [(t.end, -1) for t in tasks])
    running = most = 0
    for _, change in events:
        running += change
        most = max(most, running)
    return most


def test_each_owners_team_does_its_own_office_hours_work() -> None:
    """``[planning.teams]``: Finance has two people of its own, everyone else shares
    one. Finance's checks run two at a time, the others' one at a time, and the two
    teams do not take each other's hours."""
    servers = [
        {"id": f"{owner.lower()}{n}", "kind": "cloud_service", "owner": owner}
        for owner in ("Finance", "Sales")
        for n in range(6)
    ]
    check = {
        "id": "office-check",
        "activity": "health-check",
        "selector": {"kinds": ["cloud_service"]},
        "cadence": {"rrule": "FREQ=MONTHLY;BYMONTHDAY=4"},
        "duration": "PT2H",
        "mode": "office_hours",
        "deadlines": 10,
    }
    document = {
        "organisation": {"name": "Teams", "timezone": "Europe/Amsterdam"},
        "planning": {"technicians": 1, "teams": {"Finance": 2}},
        "assets": servers,
        "rules": [check],
    }
    result = plan_document(document, months=1)
    office = [t for t in result.tasks if t.duty.mode is Mode.OFFICE_HOURS]
    checks = [t for t in office if t.duty.rule.id == "office-check"]
    assert len(checks) == 12
    finance = [t for t in office if t.uid.startswith("finance")]
    sales = [t for t in office if t.uid.startswith("sales")]
    assert _concurrent(finance) == 2
    assert _concurrent(sales) == 1
    # Separate teams: the first morning has work of both.
    first = min(t.start for t in checks)
    assert {t.uid[:5] for t in checks if t.start == first} == {"finan", "sales"}
    # Without the team, everyone's office work shares the one technician.
    shared = plan_document({**document, "planning": {"technicians": 1}}, months=1)
    assert _concurrent([t for t in shared.tasks if t.duty.mode is Mode.OFFICE_HOURS]) == 1


def test_a_test_server_on_the_production_domain_controller_still_goes_first() -> None:
    """Regression: a test-ring server that depends on the production domain
    controller (as every Windows server does) cancelled the ring order of the whole
    release — the warning named the two, and the production file server went on
    Patch Tuesday night beside the test server, untested. The test ring takes the
    release first; every production server, the controller too, follows after the
    soak; no warning."""
    server = {
        "kind": "virtual_server",
        "vendor": "Microsoft",
        "product": "Windows Server 2022 Standard",
    }
    evening = {"rrule": "FREQ=WEEKLY;BYDAY=TU", "start": "20:00", "duration": "PT4H"}
    document = {
        "organisation": {"name": "Rings", "timezone": "Europe/Amsterdam", "country": "NL"},
        "planning": {"soak_days": 1},
        "windows": [
            {"name": "tuesday", **evening, "applies_to": ["virtual_server"]},
            {
                "name": "thursday",
                **evening,
                "rrule": "FREQ=WEEKLY;BYDAY=TH",
                "applies_to": ["virtual_server"],
            },
        ],
        "assets": [
            {"id": "dc01", "criticality": "critical", **server},
            {"id": "fs01", "criticality": "high", **server},
            {
                "id": "mgmt01",
                "criticality": "low",
                "environment": "test",
                "depends_on": ["dc01"],
                **server,
            },
        ],
    }
    result = plan_document(document, months=3)
    patches = by_asset(result, "security-updates")
    assert len(patches["mgmt01"]) == 3
    for first in patches["mgmt01"]:
        for asset in ("dc01", "fs01"):
            (then,) = [t for t in patches[asset] if t.due.anchor == first.due.anchor]
            assert first.end + dt.timedelta(days=1) <= then.start, (first.uid, then.uid)
            assert first.uid in then.after
    assert not [w for w in result.warnings if "ring order" in w]
