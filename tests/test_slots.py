"""A slot's technicians: the one free first, as work is recorded and withdrawn.

``Slot`` keeps ``free`` and ``free_lane`` in a heap rather than scanning every
lane per task; the planner relies on them being ``min(ends)`` and the lowest
numbered lane with that end (the lane the scan chose).
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from maintlib.planning.schedule.slots import Slot
from maintlib.planning.schedule.timeline import never

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


@given(lanes=st.integers(1, 6), steps=actions)
def test_the_technician_free_first_is_the_lowest_numbered_of_the_earliest(
    lanes: int, steps: list[tuple[object, ...]]
) -> None:
    slot = Slot("w", 0, 12 * HOUR, ZoneInfo("Europe/Amsterdam"), ((), ()), None, lanes)
    recorded: list[int] = []
    number = 0
    for step in steps:
        if step[0] == "record":
            _, lane, quarter, length = step
            assert isinstance(lane, int)
            assert isinstance(quarter, int)
            assert isinstance(length, int)
            start = quarter * 900
            slot.record(start, start + length * 900, number, lane % lanes)
            recorded.append(number)
            number += 1
        elif recorded:
            index = step[1]
            assert isinstance(index, int)
            slot.release(recorded.pop(index % len(recorded)))
        free = min(slot.ends)
        assert (slot.free, slot.free_lane) == (free, slot.ends.index(free))
        assert slot.lane_start(0, 900, never) == (free, slot.ends.index(free))


def _gap_search(slot: Slot, begin: int, length: int) -> tuple[int, int]:
    """The technicians' gap search as first written: every technician's first free
    time from ``begin``, the earliest (the lowest numbered of those) if it beats the
    one free first."""
    start = max(slot.free, begin)
    if start == begin:
        return start, slot.free_lane
    earliest, chosen = start, slot.free_lane
    for number, worked in sorted(slot.timelines.items()):
        t = worked.first_free(begin, length, never)
        if t < earliest:
            earliest, chosen = t, number
            if t == begin:
                break
    return earliest, chosen


@given(
    lanes=st.integers(1, 8),
    steps=actions,
    begin=st.integers(0, 48),
    length=st.integers(1, 8),
)
def test_the_gap_search_finds_what_a_scan_of_every_technician_finds(
    lanes: int, steps: list[tuple[object, ...]], begin: int, length: int
) -> None:
    """The slot finds the technicians worth a look from sorted lists of each one's
    last block and longest gap; the answer must be the full scan's, ties included."""
    slot = Slot("w", 0, 12 * HOUR, ZoneInfo("Europe/Amsterdam"), ((), ()), None, lanes)
    recorded: dict[int, tuple[int, int, int]] = {}
    number = 0
    for step in steps:
        if step[0] == "record":
            _, lane, quarter, size = step
            assert isinstance(lane, int)
            assert isinstance(quarter, int)
            assert isinstance(size, int)
            start, end, lane = quarter * 900, (quarter + size) * 900, lane % lanes
            if any(o == lane and s < end and start < e for s, e, o in recorded.values()):
                continue  # a technician does one thing at a time
            slot.record(start, end, number, lane)
            recorded[number] = (start, end, lane)
            number += 1
        elif recorded:
            index = step[1]
            assert isinstance(index, int)
            del recorded[(due := sorted(recorded)[index % len(recorded)])]
            slot.release(due)
        for at, work in ((begin * 900, length * 900), (0, 900), (6 * HOUR, 2 * HOUR)):
            expected = _gap_search(slot, at, work)
            assert slot.lane_start(at, work, never, gaps=True) == expected


def test_a_gap_exactly_as_long_as_the_work_is_found() -> None:
    slot = Slot("w", 0, 12 * HOUR, ZoneInfo("Europe/Amsterdam"), ((), ()), None, 2)
    slot.record(0, HOUR, 0, 0)
    slot.record(2 * HOUR, 3 * HOUR, 1, 0)
    slot.record(0, 3 * HOUR, 2, 1)
    assert slot.lane_start(0, HOUR, never, gaps=True) == (HOUR, 0) == _gap_search(slot, 0, HOUR)
    assert slot.lane_start(0, HOUR + 1, never, gaps=True) == (3 * HOUR, 0)
