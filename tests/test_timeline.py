"""The timeline's answers against brute force over generated intervals."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from maintlib.planning.schedule.timeline import Timeline, never

spans = st.lists(
    st.tuples(st.integers(0, 200), st.integers(1, 40)).map(lambda p: (p[0], p[0] + p[1])),
    max_size=12,
)


def _build(intervals: list[tuple[int, int]]) -> tuple[Timeline, list[tuple[int, int, int]]]:
    """A timeline of the intervals that do not overlap earlier ones (as the planner
    adds them), and those intervals with their due numbers."""
    timeline = Timeline()
    kept: list[tuple[int, int, int]] = []
    for due, (start, end) in enumerate(intervals):
        if all(end <= low or start >= high for low, high, _ in kept):
            timeline.add(start, end, due)
            kept.append((start, end, due))
    return timeline, kept


def _union(kept: list[tuple[int, int, int]]) -> list[tuple[int, int]]:
    blocks: list[list[int]] = []
    for low, high, _ in sorted(kept):
        if blocks and blocks[-1][1] >= low:
            blocks[-1][1] = max(blocks[-1][1], high)
        else:
            blocks.append([low, high])
    return [(low, high) for low, high in blocks]


@given(spans, st.data())
def test_blocks_are_the_union_after_adds_and_removes(intervals, data):
    timeline, kept = _build(intervals)
    assert list(zip(timeline.lows, timeline.highs, strict=True)) == _union(kept)
    assert timeline.last_end == max((high for _, high, _ in kept), default=0)
    for interval in data.draw(st.lists(st.sampled_from(kept), unique=True)) if kept else []:
        timeline.remove(*interval)
        kept.remove(interval)
        assert list(zip(timeline.lows, timeline.highs, strict=True)) == _union(kept)


@given(spans, st.integers(0, 260), st.integers(1, 50), st.integers(0, 20))
def test_clash_and_first_free_match_brute_force(intervals, start, length, gap):
    timeline, kept = _build(intervals)
    end = start + length
    near = [(low, high) for low, high, _ in kept if low < end + gap and high + gap > start]
    clash = timeline.clash(start, end, gap, never)
    if not near:
        assert clash is None
    else:
        assert clash is not None
        # The whole busy block that holds the first interval in the way.
        assert (clash[0], clash[1]) in _union(kept)
        assert clash[0] <= min(near)[0]
        assert clash[1] >= min(near)[1]
    free = timeline.first_free(start, length, never)
    assert free >= start
    assert all(free + length <= low or free >= high for low, high, _ in kept)
    # Earliest: every earlier start from ``start`` overlaps some interval.
    for t in range(start, free):
        assert any(t < high and low < t + length for low, high, _ in kept)


@given(spans, st.integers(0, 260), st.integers(1, 50))
def test_looking_past_dues_finds_the_earliest_gap(intervals, start, length):
    timeline, kept = _build(intervals)
    ignored = {due for _, _, due in kept if due % 2}
    free = timeline.first_free(start, length, lambda due: due in ignored)
    counted = [(low, high) for low, high, due in kept if due not in ignored]
    assert all(free + length <= low or free >= high for low, high in counted)
    for t in range(start, free):
        assert any(t < high and low < t + length for low, high in counted)


@given(spans, st.integers(0, 260), st.integers(0, 260), st.integers(0, 20))
def test_interval_queries_match_brute_force(intervals, start, end, gap):
    # The intervals are held as flat arrays: every question about them reads the
    # same intervals a list of tuples would hold.
    timeline, kept = _build(intervals)
    assert timeline.intervals == sorted(kept)
    assert timeline.intervals_between(start, end) == sorted(
        interval for interval in kept if start <= interval[0] < end
    )
    assert sorted(timeline.overlapping(start, end, gap)) == sorted(
        due for low, high, due in kept if low < end + gap and high + gap > start
    )


def test_removing_an_interval_it_does_not_hold_fails_and_changes_nothing():
    timeline = Timeline()
    timeline.add(10, 20, 1)
    timeline.add(20, 30, 2)
    for missing in [(10, 20, 2), (10, 21, 1), (0, 5, 1)]:
        with pytest.raises(ValueError, match="no interval"):
            timeline.remove(*missing)
    assert timeline.intervals == [(10, 20, 1), (20, 30, 2)]
    assert list(zip(timeline.lows, timeline.highs, strict=True)) == [(10, 30)]
