"""examples/accounting: the 40-seat firm of issue 13 plans as a domain expert expects."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

import maintlib
from maintlib.catalog import build_catalog
from maintlib.checks import check_warnings
from maintlib.plan import Plan
from maintlib.plugins import load_plugins

INVENTORY = Path(__file__).parent.parent / "examples" / "accounting" / "inventory.toml"


@pytest.fixture(scope="module")
def plan() -> Plan:
    catalog = build_catalog(load_plugins(environ={}))
    inventory = maintlib.load(INVENTORY, catalog=catalog)
    return maintlib.plan(
        inventory,
        start=dt.date(2027, 1, 1),
        months=12,
        reference_time=dt.datetime(2027, 1, 1, tzinfo=dt.UTC),
        plugins=catalog,
    )


def test_it_checks_without_warnings() -> None:
    catalog = build_catalog(load_plugins(environ={}))
    assert check_warnings(maintlib.load(INVENTORY, catalog=catalog), catalog) == []


def test_rules_fit_the_products(plan: Plan) -> None:
    # Dues covered per asset and activity: a fleet task covers a due of each member,
    # a task that supersedes an older release covers that one too.
    by = Counter(tuple(uid.split(".")[:2]) for t in plan.tasks for uid in t.dues)
    activities = {activity for _, activity in by}
    assert "service-pack" not in activities
    # The 2012 R2 box: no patch nights, one P1 upgrade placed in January.
    assert by["old01", "security-updates"] == 0
    (upgrade,) = [t for t in plan.tasks if t.uid.startswith("old01.upgrade-or-replace")]
    assert upgrade.duty.tier.value == "P1"
    assert upgrade.start.month == 1
    # Laptops: a feature update each, never a new device; Defender checked monthly.
    laptops = [f"lt{i:02d}" for i in range(1, 41)]
    assert all(by[lt, "feature-update"] == 1 for lt in laptops)
    assert all(by[lt, "upgrade-or-replace"] == 0 for lt in laptops)
    assert all(by[lt, "definitions-update"] == 12 for lt in laptops)
    # The backup NAS gets its vendor's updates; the Catalyst switches Cisco's calendar.
    assert by["nas01", "security-updates"] == 12
    assert {t.duty.rule.key for t in plan.tasks if t.duty.subject == "sw01"} >= {
        "network/cisco-psirt-fixes"
    }


def test_fewer_tasks_than_before_issue_13(plan: Plan) -> None:
    # Before: 3,875 tasks (docs/rules.md); fleet tasks took it to about 1,200.
    assert len(plan.tasks) < 1300
