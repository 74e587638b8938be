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

__all__ = ["Ignore", "Timeline", "never"]

#: Which placed dues (by index) a search may look past; see :func:`never`.
Ignore = Callable[[int], bool]


def never(_: int) -> bool:
    """Look past nothing: every placed due counts."""
    return False


class Timeline:
    """Sorted, non-overlapping ``(start, end, due)`` intervals, and their union."""

    __slots__ = ("blocks", "intervals")

    def __init__(self) -> None:
        self.intervals: list[tuple[int, int, int]] = []
        #: The union of the intervals: sorted, disjoint, non-touching ``[start, end]``.
        self.blocks: list[list[int]] = []

    def add(self, start: int, end: int, due: int) -> None:
        bisect.insort(self.intervals, (start, end, due))
        blocks = self.blocks
        index = bisect.bisect_left(blocks, [start, start])
        if index > 0 and blocks[index - 1][1] >= start:
            index -= 1
            blocks[index][1] = max(blocks[index][1], end)
        else:
            blocks.insert(index, [start, end])
        block = blocks[index]
        while index + 1 < len(blocks) and blocks[index + 1][0] <= block[1]:
            block[1] = max(block[1], blocks.pop(index + 1)[1])

    def remove(self, start: int, end: int, due: int) -> None:
        self.intervals.remove((start, end, due))
        blocks: list[list[int]] = []
        for low, high, _ in self.intervals:
            if blocks and blocks[-1][1] >= low:
                blocks[-1][1] = max(blocks[-1][1], high)
            else:
                blocks.append([low, high])
        self.blocks = blocks

    def clash(self, start: int, end: int, gap: int, ignore: Ignore) -> tuple[int, int, int] | None:
        """An interval, not ignored, that comes within ``gap`` of ``[start, end)``.

        Counting every interval (``ignore`` is :func:`never`), the answer is the
        whole busy block it belongs to, so that the caller moves past it at once.
        """
        if ignore is never:
            blocks = self.blocks
            if not blocks or blocks[-1][1] + gap <= start:
                return None
            index = max(bisect.bisect_right(blocks, [start - gap, 2**62]) - 1, 0)
            for block in blocks[index : index + 2]:
                if block[0] >= end + gap:
                    return None
                if block[1] + gap > start:
                    return (block[0], block[1], -1)
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
            blocks = self.blocks
            if not blocks or blocks[-1][1] <= begin:
                return begin
            index = max(bisect.bisect_right(blocks, [begin, 2**62]) - 1, 0)
            t = begin
            for low, high in blocks[index:]:
                if high <= t:
                    continue
                if low >= t + length:
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
