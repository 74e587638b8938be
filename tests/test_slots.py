"""A slot's technicians: the one free first, as work is recorded and withdrawn.

``Slot`` keeps ``free`` and ``free_lane`` from its sorted ends rather than scanning every
lane per task; the planner relies on them being ``min(ends)`` and the lowest
numbered lane with that end (the lane the scan chose).
"""

from __future__ import annotations

from collections.abc import Iterator
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from maintlib.planning.schedule.slots import Slot, _pack, _unpack
from maintlib.planning.schedule.timeline import exactly, never

HOUR = 3600
# One action: record a task on a lane (its start and length in quarter hours), or
# withdraw the n-th task still recorded.
actions = st.lists(
    st.one_of(
        st.tuples(st.just("record"), st.integers(0, 5), st.integers(0, 40), st.integers(1, 8)),
        st.tuples(st.just("release"), st.integers(0, 50)),
    ),
    max_size=40,
)


def _run(
    slot: Slot, lanes: int, steps: list[tuple[object, ...]], *, one_at_a_time: bool = False
) -> Iterator[None]:
    """Record and withdraw the steps' tasks on ``slot``, yielding after each step.
    ``one_at_a_time``: skip a task that overlaps its technician's other work (as the
    planner never gives a technician two things at once)."""
    recorded: dict[int, tuple[int, int, int]] = {}
    for number, step in enumerate(steps):
        if step[0] == "record":
            _, lane, quarter, length = step
            assert isinstance(lane, int)
            assert isinstance(quarter, int)
            assert isinstance(length, int)
            start, end, lane = quarter * 900, (quarter + length) * 900, lane % lanes
            if one_at_a_time and any(
                o == lane and s < end and start < e for s, e, o in recorded.values()
            ):
                continue
            slot.record(start, end, number, lane)
            recorded[number] = (start, end, lane)
        elif recorded:
            index = step[1]
            assert isinstance(index, int)
            due = sorted(recorded)[index % len(recorded)]
            del recorded[due]
            slot.release(due)
        # What the slot holds (packed) reads back as recorded.
        assert {due: slot.span(due) for due in slot.dues()} == recorded
        assert all(slot.hands_on(due) == end - start for due, (start, end, _) in recorded.items())
        yield


def _slot(lanes: int, shortest: int = 0) -> Slot:
    return Slot(
        "w", 0, 12 * HOUR, ZoneInfo("Europe/Amsterdam"), ((), ()), None, lanes, shortest=shortest
    )


@given(lanes=st.integers(1, 6), steps=actions)
def test_the_technician_free_first_is_the_lowest_numbered_of_the_earliest(
    lanes: int, steps: list[tuple[object, ...]]
) -> None:
    slot = _slot(lanes)
    for _ in _run(slot, lanes, steps):
        free = min(slot.ends)
        assert (slot.free, slot.free_lane) == (free, slot.ends.index(free))
        assert slot.lane_start(0, 900, never) == (free, slot.ends.index(free))


def _gap_search(slot: Slot, begin: int, length: int) -> tuple[int, int]:
    """The technicians' gap search by brute force: the earliest first free time from
    ``begin`` of any technician (the lowest numbered of those), if it beats the one
    free first."""
    start = max(slot.free, begin)
    found = min(
        ((worked.first_free(begin, length, never), n) for n, worked in slot.timelines.items()),
        default=(start, slot.free_lane),
    )
    return found if start != begin and found[0] < start else (start, slot.free_lane)


def _gap_lists_match_the_technicians(slot: Slot, shortest: int) -> None:
    """The slot's sorted lists hold every gap between two blocks of a technician at
    least ``shortest`` long, and each technician's first block, and nothing else: a
    gap a task filled or a technician's old first block left behind would be found by
    a later search."""
    between = [
        (worked.blocks[i], lane, worked.blocks[i + 1])
        for lane, worked in slot.timelines.items()
        for i in range(1, len(worked.blocks) - 1, 2)
        if worked.blocks[i + 1] - worked.blocks[i] >= shortest
    ]
    assert slot._gaps_by_start == sorted(between)
    assert slot._gaps_by_end == sorted((high, lane, low) for low, lane, high in between)
    firsts = sorted(
        (worked.blocks[0], lane) for lane, worked in slot.timelines.items() if worked.blocks
    )
    assert [(key >> 26, key & (2**26 - 1)) for key in slot._firsts] == firsts


@given(
    lanes=st.integers(1, 8),
    steps=actions,
    begin=st.integers(0, 48),
    length=st.integers(1, 8),
    shortest=st.sampled_from([0, 0, 1, 2, 3]),
)
def test_the_gap_search_finds_what_a_scan_of_every_technician_finds(
    lanes: int, steps: list[tuple[object, ...]], begin: int, length: int, shortest: int
) -> None:
    """The slot finds the technicians worth a look from sorted lists of each one's
    last block and longest gap; the answer must be the full scan's, ties included.
    A slot told the shortest work (``shortest`` quarter hours) leaves shorter gaps
    out of its lists: for work at least that long, the answers are the same."""
    slot = _slot(lanes, shortest * 900)
    for _ in _run(slot, lanes, steps, one_at_a_time=True):
        _gap_lists_match_the_technicians(slot, shortest * 900)
        for at, quarters in ((begin * 900, length), (0, 1), (6 * HOUR, 8)):
            work = max(quarters, shortest) * 900
            expected = _gap_search(slot, at, work)
            assert slot.lane_start(at, work, never, gaps=True) == expected
            # Looking everywhere (a repair's check, a task put back): the earliest
            # start of any technician, the lowest numbered of those.
            anywhere = min(
                (slot.timelines[n].first_free(at, work, never) if n in slot.timelines else at, n)
                for n in range(lanes)
            )
            assert slot.lane_start(at, work, exactly) == anywhere


def test_a_gap_exactly_as_long_as_the_work_is_found() -> None:
    for shortest in (0, HOUR):
        # A slot told that no work is shorter than an hour keeps an hour's gap.
        slot = _slot(2, shortest)
        slot.record(0, HOUR, 0, 0)
        slot.record(2 * HOUR, 3 * HOUR, 1, 0)
        slot.record(0, 3 * HOUR, 2, 1)
        assert slot.lane_start(0, HOUR, never, gaps=True) == (HOUR, 0) == _gap_search(slot, 0, HOUR)
        assert slot.lane_start(0, HOUR + 1, never, gaps=True) == (3 * HOUR, 0)
        assert slot.lane_start(HOUR, HOUR, exactly) == (HOUR, 0)
    # A gap that starts at the very moment asked for, found among the gaps by end.
    wide = _slot(3)
    wide.record(0, HOUR, 0, 0)
    wide.record(2 * HOUR, 3 * HOUR, 1, 0)
    wide.record(0, 3 * HOUR, 2, 1)
    wide.record(0, 3 * HOUR, 3, 2)
    assert (
        wide.lane_start(HOUR, HOUR, never, gaps=True) == (HOUR, 0) == _gap_search(wide, HOUR, HOUR)
    )


def test_the_planner_tells_each_slot_the_least_effort_that_may_go_there() -> None:
    """A slot drops gaps shorter than what it is told (``Slot.expect``): the planner
    must tell it the least hands-on time of every due whose profile lists it, never
    more, or a gap some due fits would go unsearched."""
    import datetime as dt
    import importlib
    from pathlib import Path

    from maintlib.loading.read import load
    from maintlib.model.work import Horizon
    from maintlib.packs.catalog import build_catalog
    from maintlib.planning.apply import apply
    from maintlib.planning.fleet import expand_fleets

    planner = importlib.import_module("maintlib.planning.schedule.planner")
    catalog = build_catalog()
    path = Path(__file__).parent.parent / "examples" / "tech" / "inventory.toml"
    inventory = load(path, catalog=catalog)
    horizon = Horizon(dt.date(2027, 1, 1), 2, inventory.organisation.timezone)
    dues = expand_fleets(apply(inventory, catalog).duties, horizon, catalog.calendars)
    made = planner._Planner(dues, inventory, horizon, catalog.kinds)
    least: dict[int, int] = {}
    slots: dict[int, Slot] = {}
    for profile in made.profiles:
        for slot in profile.slots:
            least[id(slot)] = min(least.get(id(slot), profile.effort), profile.effort)
            slots[id(slot)] = slot
    assert slots
    assert all(slots[key]._shortest == effort for key, effort in least.items())


@given(
    st.integers(-(2**40), 2**40),
    st.integers(0, 366 * 86400),
    st.integers(-1, 36_000_000),
)
def test_a_placement_packed_into_one_integer_reads_back_the_same(start, effort, lane):
    # The widest a placement gets: any moment, a year of hands-on time, the most
    # technicians 10,000 hours in a one-second window would have.
    assert _unpack(_pack(start, start + effort, lane)) == (start, start + effort, lane)
