"""Busy intervals of one asset: what its tasks (or its downtime) occupy.

Times are integer POSIX seconds. Each interval remembers the due that owns it,
so that priority repair can look past lower-tier work and move it.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable

__all__ = ["Ignore", "Timeline", "never"]

#: Which placed dues (by index) a search may look past; see :func:`never`.
Ignore = Callable[[int], bool]


def never(_: int) -> bool:
    """Look past nothing: every placed due counts."""
    return False


class Timeline:
    """Sorted, non-overlapping ``(start, end, due)`` intervals."""

    __slots__ = ("intervals",)

    def __init__(self) -> None:
        self.intervals: list[tuple[int, int, int]] = []

    def add(self, start: int, end: int, due: int) -> None:
        bisect.insort(self.intervals, (start, end, due))

    def remove(self, start: int, end: int, due: int) -> None:
        self.intervals.remove((start, end, due))

    def clash(self, start: int, end: int, gap: int, ignore: Ignore) -> tuple[int, int, int] | None:
        """The first interval, not ignored, that comes within ``gap`` of ``[start, end)``."""
        intervals = self.intervals
        index = bisect.bisect_right(intervals, (start - gap, 2**62, 0)) - 1
        for interval in intervals[max(index, 0) :]:
            low, high, due = interval
            if low >= end + gap:
                return None
            if high + gap > start and not ignore(due):
                return interval
        return None

    def overlapping(self, start: int, end: int, gap: int) -> list[int]:
        """Dues whose intervals come within ``gap`` of ``[start, end)``."""
        return [due for low, high, due in self.intervals if low < end + gap and high + gap > start]
