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
from maintlib.model.plan import Plan
from maintlib.pipeline import plan as make_plan
from maintlib.testing import REFERENCE_TIME
from strategies import decorated

EXAMPLES = sorted(Path(__file__).parent.parent.glob("examples/*/inventory.toml"))


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
