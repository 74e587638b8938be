"""``Plan.dumps()`` writes what ``json.dumps`` writes for ``Plan.to_json()`` (issue 18).

``Plan.json_chunks()`` writes the tasks' text without building their dicts, with
what a duty's tasks share encoded once; the standard library's encoder is the
independent reference: for generated plans with hard text, late and fleet tasks,
with and without costs, the examples, and a plan with emergency work.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import maintlib
from maintlib.model.catalog import Catalog
from maintlib.model.inventory import Blackout, Inventory
from maintlib.model.plan import Plan
from maintlib.pipeline import plan as make_plan
from maintlib.testing import REFERENCE_TIME
from strategies import decorated, fleets

EXAMPLES = sorted(Path(__file__).parent.parent.glob("examples/*/inventory.toml"))
EXAMPLES_BY_NAME = {path.parent.name: path for path in EXAMPLES}


def reference(plan: Plan) -> bytes:
    text = json.dumps(plan.to_json(), indent=2, sort_keys=True, ensure_ascii=False)
    return (text + "\n").encode("utf-8")


def check(plan: Plan) -> None:
    assert plan.dumps() == reference(plan)
    assert "".join(plan.json_chunks()).encode() == plan.dumps()


@settings(max_examples=60)
@given(data=st.data())
def test_the_same_text_as_json_dumps(data: st.DataObject, catalog: Catalog) -> None:
    plan = data.draw(decorated(catalog))
    if data.draw(st.booleans()):
        plan = attrs.evolve(plan, costs=None)
    check(plan)


def test_a_plan_without_tasks(catalog: Catalog) -> None:
    inventory = maintlib.load(EXAMPLES[0])
    plan = make_plan(inventory, start=dt.date(2027, 1, 1), months=1, reference_time=REFERENCE_TIME)
    check(attrs.evolve(plan, tasks=()))


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda path: path.parent.name)
def test_the_examples(example: Path, catalog: Catalog) -> None:
    inventory = maintlib.load(example)
    plan = make_plan(inventory, start=dt.date(2027, 1, 1), months=12, reference_time=REFERENCE_TIME)
    assert any(task.due.members for task in plan.tasks) or example.parent.name != "production"
    assert any(task.superseded for task in plan.tasks) or example.parent.name != "tech"
    check(plan)


def test_emergency_work(catalog: Catalog) -> None:
    from test_emergency import inventory, make

    plan = make(catalog, inventory())
    assert any(task.duty.emergency for task in plan.tasks)
    check(plan)


def conserved(document: dict[str, object]) -> None:
    """docs/plan-json.md: every due is listed once, in a task's or an unplaced
    entry's ``dues`` or as a project's ``uid``:
    ``summary.dues = Σ len(tasks[].dues) + Σ len(unplaced[].dues) + len(projects)``."""
    tasks = document["tasks"]
    unplaced = document["unplaced"]
    projects = document.get("projects", [])
    assert isinstance(projects, list)
    summary = document["summary"]
    assert isinstance(tasks, list)
    assert isinstance(unplaced, list)
    assert isinstance(summary, dict)
    listed = [uid for entry in [*tasks, *unplaced] for uid in entry["dues"]]
    listed += [entry["uid"] for entry in projects]
    assert summary["dues"] == len(listed) == len(set(listed))
    assert all(set(entry) >= {"assets", "dues"} for entry in unplaced)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda path: path.parent.name)
def test_every_due_is_listed_once_in_the_examples(example: Path, catalog: Catalog) -> None:
    inventory = maintlib.load(example)
    plan = make_plan(inventory, start=dt.date(2027, 1, 1), months=12, reference_time=REFERENCE_TIME)
    conserved(json.loads(plan.dumps()))


@settings(max_examples=25, deadline=None)
@given(fleet=fleets())
def test_every_due_is_listed_once_in_generated_fleets(
    fleet: tuple[Inventory, dt.date, int], catalog: Catalog
) -> None:
    inventory, start, months = fleet
    plan = make_plan(
        inventory, start=start, months=months, reference_time=REFERENCE_TIME, plugins=catalog
    )
    conserved(json.loads(plan.dumps()))


def test_fleet_dues_left_unplaced_count_every_asset(catalog: Catalog) -> None:
    """The production example closed for two years: fleet dues are unplaced too,
    each entry covering the dues of several assets (``len(unplaced)`` undercounts)."""
    inventory = maintlib.load(EXAMPLES_BY_NAME["production"])
    closed = Blackout("closed", dt.date(2026, 12, 1), dt.date(2028, 12, 31), changes_only=False)
    inventory = attrs.evolve(inventory, blackouts=(*inventory.blackouts, closed))
    plan = make_plan(inventory, start=dt.date(2027, 1, 1), months=1, reference_time=REFERENCE_TIME)
    document = json.loads(plan.dumps())
    assert any(len(entry["dues"]) > 1 for entry in document["unplaced"])
    assert document["summary"]["dues"] > len(document["unplaced"]) + sum(
        len(task["dues"]) for task in document["tasks"]
    )
    conserved(document)
