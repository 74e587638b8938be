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
from maintlib.model.catalog import Catalog
from maintlib.model.plan import Plan
from maintlib.outputs.ics.feed import _escape, _feed, split_tasks, to_ics_pieces
from maintlib.pipeline import plan as make_plan
from maintlib.testing import REFERENCE_TIME
from strategies import TEXT, decorated

EXAMPLES = sorted(Path(__file__).parent.parent.glob("examples/*/inventory.toml"))
DOMAIN = "maintlib.invalid"


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


def test_the_feed_in_pieces_is_the_feed(catalog: Catalog) -> None:
    inventory = maintlib.load(Path(__file__).parent.parent / "examples" / "tech" / "inventory.toml")
    plan = make_plan(inventory, start=dt.date(2027, 1, 1), months=12, reference_time=REFERENCE_TIME)
    for mode in ("per-task", "occurrence"):
        pieces = list(to_ics_pieces(plan, mode=mode))
        assert b"".join(pieces) == maintlib.to_ics(plan, mode=mode)
    assert len(list(to_ics_pieces(plan))) > 2  # the head, events a megabyte at a time
    # Bad arguments fail when the pieces are asked for, before any is written.
    with pytest.raises(ValueError, match="domain"):
        to_ics_pieces(plan, domain="not a domain")
