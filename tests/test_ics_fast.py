"""The fast feed writer gives icalendar's bytes (issue 18).

:func:`maintlib.to_ics` writes events as bytes itself; ``_feed(..., fast=False)``
builds every event in icalendar's model and lets icalendar serialise it. The two
must agree byte for byte, for every plan: late and fleet tasks, series with
overrides and EXDATEs, occurrence run-books, text with escapes, quotes and
characters of several octets on the fold boundaries, e-mail owners, another zone,
previous feeds that raise a SEQUENCE, alarms or none.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import icalendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import maintlib
from maintlib.catalog import Catalog
from maintlib.ics import _escape, _feed, split_tasks
from maintlib.pipeline import plan as make_plan
from maintlib.plan import Plan, Task
from maintlib.testing import REFERENCE_TIME
from strategies import fleets

EXAMPLES = sorted(Path(__file__).parent.parent.glob("examples/*/inventory.toml"))
DOMAIN = "maintlib.invalid"

# Text a feed must escape or fold with care: TEXT escapes, a literal "\N", quotes
# and carets (CN parameters), characters of two to four octets, and runs long
# enough to cross the 75-octet fold.
TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from("\\;,:\"^'’—éü€𝄞 ()<>@.N"),
        st.characters(blacklist_categories=("Cs", "Cc")),
    ),
    max_size=120,
).map(lambda text: text.strip())
OWNERS = st.one_of(
    TEXT,
    st.builds(lambda name, user: f"{name} <{user}@example.org>", TEXT, st.sampled_from("abz")),
    st.sampled_from(["ops@example.org", "Jan, de Vries <jan@example.nl>", '"Q" <q@example.org>']),
)


def feeds(plan: Plan, **arguments: Any) -> tuple[bytes, bytes]:
    """(fast, icalendar) feeds of ``plan`` with the same arguments."""
    options: dict[str, Any] = {
        "name": None,
        "domain": DOMAIN,
        "mode": "per-task",
        "alarm": dt.timedelta(days=1),
        "previous": None,
        "tasks": None,
        "alarms": "downtime",
    }
    options.update(arguments)
    return _feed(plan, fast=True, **options), _feed(plan, fast=False, **options)


@st.composite
def decorated(draw: st.DrawFn, catalog: Catalog) -> Plan:
    """A generated fleet with hard text, planned; some tasks made late."""
    inventory, start, months = draw(fleets())
    assets = [
        attrs.evolve(
            asset,
            name=draw(TEXT),
            site=draw(st.one_of(st.just(""), TEXT)),
            owner=draw(st.one_of(st.just(""), OWNERS)),
        )
        for asset in inventory.assets
    ]
    organisation = attrs.evolve(inventory.organisation, name=draw(TEXT) or "Org")
    inventory = attrs.evolve(inventory, assets=assets, organisation=organisation)
    plan = make_plan(
        inventory, start=start, months=months, reference_time=REFERENCE_TIME, plugins=catalog
    )
    late = draw(st.sets(st.integers(0, max(0, len(plan.tasks) - 1)), max_size=5))
    return attrs.evolve(
        plan,
        tasks=tuple(
            _late(task, draw(TEXT)) if i in late else task for i, task in enumerate(plan.tasks)
        ),
    )


def _late(task: Task, detail: str) -> Task:
    due = attrs.evolve(task.due, deadline=task.start - dt.timedelta(hours=5, minutes=30))
    return attrs.evolve(task, due=due, late_detail=detail or "capacity")


def _moved(plan: Plan) -> Plan:
    """The plan with every other task an hour later: a previous feed to compare with."""
    hour = dt.timedelta(hours=1)
    return attrs.evolve(
        plan,
        tasks=tuple(
            attrs.evolve(task, start=task.start + hour, end=task.end + hour) if i % 2 else task
            for i, task in enumerate(plan.tasks)
        ),
    )


@settings(max_examples=60)
@given(data=st.data())
def test_the_fast_writer_gives_icalendars_bytes(data: st.DataObject, catalog: Catalog) -> None:
    plan = data.draw(decorated(catalog))
    mode = data.draw(st.sampled_from(["per-task", "series", "occurrence"]))
    arguments: dict[str, Any] = {
        "mode": mode,
        "name": data.draw(st.one_of(st.none(), TEXT.filter(bool))),
        "alarm": data.draw(st.sampled_from([None, dt.timedelta(days=1), dt.timedelta(minutes=90)])),
        "alarms": data.draw(st.sampled_from(["downtime", "all"])),
    }
    if data.draw(st.booleans()):
        # A previous feed in which half the events were elsewhere: their SEQUENCE rises.
        previous, _ = feeds(_moved(plan), mode=mode)
        arguments["previous"] = previous
    if plan.tasks and data.draw(st.booleans()):
        groups = split_tasks(plan, "owner")
        arguments["tasks"] = groups[data.draw(st.sampled_from(sorted(groups)))]
    fast, reference = feeds(plan, **arguments)
    assert fast.split(b"\r\n") == reference.split(b"\r\n")


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda path: path.parent.name)
@pytest.mark.parametrize("mode", ["per-task", "series", "occurrence"])
def test_the_examples_fleet_tasks_and_series_are_icalendars_bytes(
    example: Path, mode: str, catalog: Catalog
) -> None:
    inventory = maintlib.load(example)
    plan = make_plan(inventory, start=dt.date(2027, 1, 1), months=12, reference_time=REFERENCE_TIME)
    fast, reference = feeds(plan, mode=mode)
    assert fast.split(b"\r\n") == reference.split(b"\r\n")
    if example.parent.name == "production":
        assert any(task.due.members for task in plan.tasks)  # fleet tasks are covered


@given(TEXT)
def test_text_is_escaped_as_icalendar_escapes_it(text: str) -> None:
    assert _escape(text).encode() == icalendar.vText(text).to_ical()


def test_both_readings_of_a_repeated_hour(catalog: Catalog) -> None:
    """02:30 on 31 October 2027 happens twice in Amsterdam; the two tasks at those
    two instants compare equal as datetimes, and must still be written apart."""
    inventory = maintlib.load(EXAMPLES[0])
    plan = make_plan(inventory, start=dt.date(2027, 10, 1), months=1, reference_time=REFERENCE_TIME)
    zone = ZoneInfo("Europe/Amsterdam")
    first, second = (dt.datetime(2027, 10, 31, 2, 30, tzinfo=zone, fold=f) for f in (0, 1))
    hour = dt.timedelta(hours=1)
    tasks = list(plan.tasks[:2])
    moved = [
        attrs.evolve(
            task, start=start, end=start + hour, due=attrs.evolve(task.due, deadline=start)
        )
        for task, start in zip(tasks, (first, second), strict=True)
    ]
    plan = attrs.evolve(plan, tasks=(*moved, *plan.tasks[2:]))
    fast, reference = feeds(plan)
    assert fast.split(b"\r\n") == reference.split(b"\r\n")
    assert b"DTSTART:20271031T003000Z" in fast
    assert b"DTSTART:20271031T013000Z" in fast
