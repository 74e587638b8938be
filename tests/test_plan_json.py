"""``Plan.dumps()`` writes what ``json.dumps`` writes for ``Plan.to_json()``, each task
on one line (issues 18 and 32).

``Plan.json_chunks()`` writes the tasks' text without building their dicts, with
what a duty's tasks share encoded once; the standard library's encoder is the
independent reference: for generated plans with hard text, late and fleet tasks,
with and without costs, the examples, and a plan with emergency work.
"""

from __future__ import annotations

import datetime as dt
import itertools
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
    return layout(plan.to_json())


def layout(document: dict[str, object]) -> bytes:
    """The documented layout: ``json.dumps`` indented, but each task on one line."""
    document = dict(document)
    tasks = document.pop("tasks")
    assert isinstance(tasks, list)
    text = json.dumps({**document, "tasks": []}, indent=2, sort_keys=True, ensure_ascii=False)
    if tasks:
        lines = ",\n    ".join(
            json.dumps(task, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
            for task in tasks
        )
        text = text.replace('\n  "tasks": []', '\n  "tasks": [\n    ' + lines + "\n  ]", 1)
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
    # Tasks by start then uid (docs/plan-json.md); in tech's plan tasks start together,
    # so the uid decides between them.
    keys = [(task.start, task.uid) for task in plan.tasks]
    assert keys == sorted(keys)
    together = any(a[0] == b[0] for a, b in itertools.pairwise(keys))
    assert together or example.parent.name != "tech"
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


@pytest.fixture(scope="module")
def plan() -> Plan:
    """The accounting example's year."""
    inventory = maintlib.load(EXAMPLES_BY_NAME["accounting"])
    return make_plan(inventory, start=dt.date(2027, 1, 1), months=12, reference_time=REFERENCE_TIME)


class TestSharedTables:
    """Issue 32: ``maintlib.plan/3`` writes each checklist and source once, in the
    ``checklists`` and ``sources`` tables, and every task names its entries by key."""

    def test_the_tables_give_back_every_task_as_task_to_json(self, plan: Plan) -> None:
        document = json.loads(plan.dumps())
        assert document["format"] == "maintlib.plan/3"
        for task, item in zip(plan.tasks, document["tasks"], strict=True):
            expanded = {key: value for key, value in item.items() if key != "cost"}
            expanded["steps"] = document["checklists"][expanded.pop("checklist")]
            expanded["source"] = document["sources"][item["source"]]
            assert expanded == task.to_json()

    def test_each_entry_once_and_every_entry_used(self, plan: Plan) -> None:
        document = json.loads(plan.dumps())
        checklists, sources = document["checklists"], document["sources"]
        assert {t["checklist"] for t in document["tasks"]} == set(checklists)
        assert {t["source"] for t in document["tasks"]} == set(sources)
        assert len({json.dumps(v, sort_keys=True) for v in checklists.values()}) == len(checklists)
        assert len(checklists) < len(document["tasks"]) / 5
        assert all(key.startswith("c-") and len(key) == 14 for key in checklists)
        assert all(key.startswith("s-") and len(key) == 14 for key in sources)

    def test_keys_come_from_the_content_not_the_plan(self, plan: Plan) -> None:
        """A shorter plan of the same inventory names the same checklist the same way."""
        inventory = maintlib.load(EXAMPLES_BY_NAME["accounting"])
        short = make_plan(
            inventory, start=dt.date(2027, 3, 1), months=1, reference_time=REFERENCE_TIME
        )
        long_tables = json.loads(plan.dumps())
        short_tables = json.loads(short.dumps())
        for table in ("checklists", "sources"):
            assert short_tables[table].items() <= long_tables[table].items()

    def test_read_plan_checks_the_keys(self, plan: Plan, tmp_path: Path) -> None:
        from maintlib.model.errors import InputError
        from maintlib.outputs.diff import read_plan

        document = json.loads(plan.dumps())
        good = tmp_path / "good.json"
        good.write_bytes(plan.dumps())
        assert read_plan(good)["checklists"] == document["checklists"]
        document["tasks"][3]["checklist"] = "c-000000000000"
        bad = tmp_path / "bad.json"
        bad.write_text(json.dumps(document), encoding="utf-8")
        with pytest.raises(
            InputError, match=r"tasks\[3\]\.checklist.*c-000000000000 is not in checklists"
        ):
            read_plan(bad)

    def test_the_tables_make_the_file_smaller(self, plan: Plan) -> None:
        """The same plan with every task's checklist and source written out (format 2's
        layout) is larger by what the tables save."""
        document = json.loads(plan.dumps())
        checklists, sources = document.pop("checklists"), document.pop("sources")
        for item in document["tasks"]:
            item["steps"] = checklists[item.pop("checklist")]
            item["source"] = sources[item["source"]]
        assert len(plan.dumps()) < 0.75 * len(layout(document))
