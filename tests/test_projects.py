"""Projects (issue 27): an upgrade or replacement at the end of support is a one-off
project planned with the owner — listed, costed, in no window — not a 4-hour window
task that takes the night the routine patches need."""

from __future__ import annotations

import datetime as dt
import json
import types
from decimal import Decimal
from typing import Any

import icalendar
from hypothesis import given, settings
from hypothesis import strategies as st

import maintlib
from maintlib.model.plan import Plan
from maintlib.model.rules import Once, Rule, Selector
from maintlib.model.vocabulary import Mode, Tier
from maintlib.outputs.ics.feed import to_ics
from maintlib.packs import hookimpl
from maintlib.packs.catalog import build_catalog
from maintlib.testing import load_document, make_plugins, plan_document, projects_for, tasks_for

START = dt.date(2027, 1, 1)


def _pack(*rules: Rule) -> types.ModuleType:
    module = types.ModuleType("acme")

    @hookimpl
    def maintlib_rules() -> list[Rule]:
        return list(rules)

    module.maintlib_rules = maintlib_rules  # type: ignore[attr-defined]
    return module


def _end_of_support(ends: dt.date, *, mode: Mode = Mode.PROJECT, hours: float = 4) -> Rule:
    return Rule(
        id="eos-acme-os-1",
        activity="upgrade-or-replace",
        selector=Selector(kinds=("virtual_server",), product="Acme OS 1*"),
        cadence=Once(at=ends - dt.timedelta(days=365), deadline=ends),
        duration=dt.timedelta(hours=hours),
        mode=mode,
        downtime=True,
        priority=Tier.P1,
        citation="Acme lifecycle policy (test)",
    )


def _document(servers: int, old: int, capacity: float | None = None) -> dict[str, Any]:
    window: dict[str, Any] = {
        "name": "thursday-night",
        "rrule": "FREQ=WEEKLY;BYDAY=TH",
        "start": "21:00",
        "duration": "PT4H",
        "applies_to": ["virtual_server"],
    }
    if capacity is not None:
        window["capacity_hours"] = capacity
    return {
        "organisation": {
            "name": "Fabrikam",
            "timezone": "Europe/Amsterdam",
            "country": "NL",
            "currency": "EUR",
        },
        "costing": {"profile": "default"},
        "windows": [window],
        "assets": [
            {
                "id": f"vm{n:02d}",
                "kind": "virtual_server",
                "product": "Acme OS 1.4" if n < old else "Acme OS 2",
                "criticality": "high",
            }
            for n in range(servers)
        ],
    }


def _plan(document: dict[str, Any], *rules: Rule, months: int = 3) -> Plan:
    plugins = make_plugins({"acme": _pack(*rules)})
    return plan_document(document, start=START, months=months, plugins=plugins)


class TestAProject:
    def test_is_listed_not_placed(self) -> None:
        plan = _plan(_document(2, 1), _end_of_support(dt.date(2027, 6, 30)))
        (project,) = projects_for(plan, "vm00", "upgrade-or-replace")
        assert tasks_for(plan, "vm00", "upgrade-or-replace") == []
        assert project.duty.mode is Mode.PROJECT
        assert project.due.tier is Tier.P1
        assert project.due.deadline.date() == dt.date(2027, 6, 30)
        assert not project.overdue
        assert projects_for(plan, "vm01", "upgrade-or-replace") == []

    def test_past_the_end_it_is_overdue(self) -> None:
        plan = _plan(_document(1, 1), _end_of_support(dt.date(2026, 3, 31)))
        (project,) = plan.projects
        assert project.overdue

    def test_as_window_work_the_same_rule_is_a_task(self) -> None:
        """The mode, not the activity, makes a project: a pack may keep an upgrade in
        the windows (the third-party pack's Java runtime)."""
        rule = _end_of_support(dt.date(2027, 6, 30), mode=Mode.WINDOW)
        plan = _plan(_document(1, 1), rule)
        assert plan.projects == ()
        (task,) = tasks_for(plan, "vm00", "upgrade-or-replace")
        assert task.window == "thursday-night"

    def test_is_in_the_json_once_and_counted(self) -> None:
        plan = _plan(_document(3, 2), _end_of_support(dt.date(2027, 6, 30)))
        document = json.loads(plan.dumps())
        uids = [entry["uid"] for entry in document["projects"]]
        assert uids == [
            "vm00.upgrade-or-replace.20260630T0000",
            "vm01.upgrade-or-replace.20260630T0000",
        ]
        entry = document["projects"][0]
        assert entry["priority"] == "P1"
        assert entry["effort_minutes"] == 240
        assert entry["source"]["rule"] == "eos-acme-os-1"
        assert entry["overdue"] is False
        summary = document["summary"]
        assert summary["projects"] == 2
        assert summary["by_tier"]["P1"]["projects"] == 2
        listed = [uid for t in document["tasks"] for uid in t["dues"]]
        assert not set(uids) & set(listed)

    def test_is_costed_as_a_one_off_range_outside_the_months(self) -> None:
        plan = _plan(_document(1, 1), _end_of_support(dt.date(2027, 6, 30), hours=4))
        costs = plan.costs
        assert costs is not None
        (project,) = plan.projects
        card = build_catalog(make_plugins()).rate_cards["default"]
        assert costs.projects[project.uid] == card.hourly * Decimal(4)
        assert costs.total == costs.labour + costs.fees
        document = costs.to_json()
        assert Decimal(document["projects"][project.uid]["low"]) == costs.projects[project.uid].low
        assert Decimal(document["projects_total"]["high"]) == costs.projects[project.uid].high

    def test_is_not_in_the_calendar(self) -> None:
        plan = _plan(_document(1, 1), _end_of_support(dt.date(2027, 6, 30)))
        events = icalendar.Calendar.from_ical(to_ics(plan, lang="en")).walk("VEVENT")
        assert events
        assert not any("upgrade-or-replace" in str(e.get("UID")) for e in events)


class TestTheReport:
    def test_lists_the_project_with_its_cost_in_english_and_dutch(self) -> None:
        from maintlib.outputs.report.render import build_report, render_document

        rule = _end_of_support(dt.date(2026, 3, 31))
        catalog = build_catalog(make_plugins({"acme": _pack(rule)}))
        inventory = load_document(_document(1, 1), plugins=make_plugins({"acme": _pack(rule)}))
        plan = maintlib.plan(
            inventory,
            start=START,
            months=3,
            reference_time=dt.datetime(2027, 1, 1, tzinfo=dt.UTC),
            plugins=catalog,
        )
        data = build_report(plan, inventory, catalog)
        english = render_document(data, format="md", lang="en").decode()
        assert (
            "1 project (an upgrade or replacement, planned with its owner, in no window)" in english
        )
        assert "a P1 project, support already ended: by" in english
        assert "one-off — vm00" in english
        assert "| Projects |" in english
        dutch = render_document(data, format="md", lang="nl").decode()
        assert "een P1-project, ondersteuning al beëindigd: uiterlijk" in dutch
        assert "eenmalig — vm00" in dutch


@settings(max_examples=25, deadline=None)
@given(
    servers=st.integers(1, 6),
    old=st.integers(0, 6),
    capacity=st.one_of(st.none(), st.sampled_from([0.5, 1.0, 2.0, 4.0])),
    ends=st.dates(dt.date(2025, 1, 1), dt.date(2028, 12, 31)),
)
def test_projects_take_no_window_time(
    servers: int, old: int, capacity: float | None, ends: dt.date
) -> None:
    """Whatever the inventory: no project is a task, every project's rule is project
    work, every due ends one way (projects counted), and the window work is exactly
    the work of the same inventory without the end-of-support rule — a project never
    takes a window's time."""
    document = _document(servers, old, capacity)
    rule = _end_of_support(ends)
    plan = _plan(document, rule)
    without = _plan(document)
    assert all(t.duty.mode is not Mode.PROJECT for t in plan.tasks)
    assert all(p.duty.mode is Mode.PROJECT for p in plan.projects)
    summary = plan.summary()
    assert (
        summary["dues"]
        == plan.dues
        == (
            summary["on_time"]
            + summary["late"]
            + summary["superseded"]
            + summary["unplaced"]
            + summary["projects"]
        )
    )
    # Once(at=ends - 365 days): due when that day is before the horizon's end.
    due = ends - dt.timedelta(days=365) < dt.date(2027, 4, 1)
    assert len(plan.projects) == (min(servers, old) if due else 0)
    assert all(p.overdue is (ends < START) for p in plan.projects)
    assert [(t.uid, t.start, t.end) for t in plan.tasks] == [
        (t.uid, t.start, t.end) for t in without.tasks
    ]
