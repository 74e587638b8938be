"""Busy intervals of one asset or one technician: what its tasks occupy.

Times are integer POSIX seconds. Each interval remembers the due that owns it, so
that priority repair can look past lower-tier work and move it. Touching intervals
are also kept merged into blocks, so that the common question — the first free
time from a moment on, counting every interval — skips a day of back-to-back work
in one step.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable

__all__ = ["Ignore", "Timeline", "exactly", "never"]


#: Which placed dues (by index) a search may look past; see :func:`never`.
Ignore = Callable[[int], bool]


def never(_: int) -> bool:
    """Look past nothing: every placed due counts."""
    return False


def exactly(_: int) -> bool:
    """Look past nothing, like :func:`never`, but search every technician's gaps (not
    only after each one's last task): how priority repair checks it freed a start,
    and how a task goes back where it was."""
    return False


class Timeline:
    """Sorted, non-overlapping ``(start, end, due)`` intervals, and their union.

    The union (the *blocks*) is kept as two parallel lists of integers rather than
    one small list per block: a plan holds hundreds of thousands of blocks, and
    every container object is one more for the garbage collector to walk.
    """

    __slots__ = ("highs", "intervals", "lows")

    def __init__(self) -> None:
        self.intervals: list[tuple[int, int, int]] = []
        #: The union of the intervals: sorted, disjoint, non-touching blocks
        #: ``[lows[i], highs[i]]``.
        self.lows: list[int] = []
        self.highs: list[int] = []

    @property
    def last_end(self) -> int:
        """When the last block ends (0: no intervals)."""
        return self.highs[-1] if self.highs else 0

    def add(self, start: int, end: int, due: int) -> None:
        bisect.insort(self.intervals, (start, end, due))
        lows, highs = self.lows, self.highs
        index = bisect.bisect_left(lows, start)
        if index > 0 and highs[index - 1] >= start:
            index -= 1
            if end > highs[index]:
                highs[index] = end
        else:
            lows.insert(index, start)
            highs.insert(index, end)
        high = highs[index]
        following = index + 1
        while following < len(lows) and lows[following] <= high:
            following += 1
        if following > index + 1:
            highs[index] = max(high, highs[following - 1])
            del lows[index + 1 : following]
            del highs[index + 1 : following]

    def remove(self, start: int, end: int, due: int) -> None:
        self.intervals.remove((start, end, due))
        lows: list[int] = []
        highs: list[int] = []
        for low, high, _ in self.intervals:
            if highs and highs[-1] >= low:
                if high > highs[-1]:
                    highs[-1] = high
            else:
                lows.append(low)
                highs.append(high)
        self.lows, self.highs = lows, highs

    def clash(self, start: int, end: int, gap: int, ignore: Ignore) -> tuple[int, int, int] | None:
        """An interval, not ignored, that comes within ``gap`` of ``[start, end)``.

        Counting every interval (``ignore`` is :func:`never`), the answer is the
        whole busy block it belongs to, so that the caller moves past it at once.
        """
        if ignore is never:
            lows, highs = self.lows, self.highs
            if not highs or highs[-1] + gap <= start:
                return None
            index = max(bisect.bisect_right(lows, start - gap) - 1, 0)
            for position in range(index, min(index + 2, len(lows))):
                if lows[position] >= end + gap:
                    return None
                if highs[position] + gap > start:
                    return (lows[position], highs[position], -1)
            return None
        intervals = self.intervals
        if not intervals or intervals[-1][1] + gap <= start:
            return None
        count = len(intervals)
        index = max(bisect.bisect_right(intervals, (start - gap, 2**62, 0)) - 1, 0)
        while index < count:
            interval = intervals[index]
            if interval[0] >= end + gap:
                return None
            if interval[1] + gap > start and not ignore(interval[2]):
                return interval
            index += 1
        return None

    def first_free(self, begin: int, length: int, ignore: Ignore) -> int:
        """The earliest start from ``begin`` with ``length`` seconds free of intervals
        (looking past ``ignore``)."""
        if ignore is never:
            lows, highs = self.lows, self.highs
            if not highs or highs[-1] <= begin:
                return begin
            index = max(bisect.bisect_right(lows, begin) - 1, 0)
            t = begin
            for position in range(index, len(lows)):
                high = highs[position]
                if high <= t:
                    continue
                if lows[position] >= t + length:
                    return t
                t = high
            return t
        t = begin
        while (clash := self.clash(t, t + length, 0, ignore)) is not None:
            t = clash[1]
        return t

    def intervals_between(self, start: int, end: int) -> list[tuple[int, int, int]]:
        """The intervals that start in ``[start, end)``."""
        intervals = self.intervals
        low = bisect.bisect_left(intervals, (start, -(2**62), -1))
        high = bisect.bisect_left(intervals, (end, -(2**62), -1))
        return intervals[low:high]

    def overlapping(self, start: int, end: int, gap: int) -> list[int]:
        """Dues whose intervals come within ``gap`` of ``[start, end)``."""
        return [due for low, high, due in self.intervals if low < end + gap and high + gap > start]
