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
