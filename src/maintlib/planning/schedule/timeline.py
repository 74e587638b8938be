"""Busy intervals of one asset or one technician: what its tasks occupy.

Times are integer POSIX seconds. Each interval remembers the due that owns it, so
that priority repair can look past lower-tier work and move it. Touching intervals
are also kept merged into blocks, so that the common question — the first free
time from a moment on, counting every interval — skips a day of back-to-back work
in one step.
"""

from __future__ import annotations

import bisect
from array import array
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

    Both are flat arrays of machine integers, not a tuple per interval: a plan of
    100,000 assets holds about two million intervals (each asset's work and
    downtime, each technician's), and a tuple of three integers took 72 bytes
    where the array takes 24 (and was one more object for the garbage collector
    to walk). The union's blocks are ``low, high`` pairs, strictly increasing from
    one block to the next, so the array is itself sorted and bisected directly.
    """

    __slots__ = ("blocks", "items")

    def __init__(self) -> None:
        #: The intervals, sorted by ``(start, end, due)``, three integers each:
        #: ``start, end, due, start, end, due, …``.
        self.items = array("q")
        #: The union of the intervals: sorted, disjoint, non-touching blocks
        #: ``[low, high]``, two integers each: ``low, high, low, high, …``.
        self.blocks = array("q")

    @property
    def last_end(self) -> int:
        """When the last block ends (0: no intervals)."""
        return self.blocks[-1] if self.blocks else 0

    @property
    def lows(self) -> array[int]:
        """Where each block starts (a copy)."""
        return self.blocks[0::2]

    @property
    def highs(self) -> array[int]:
        """Where each block ends (a copy)."""
        return self.blocks[1::2]

    @property
    def intervals(self) -> list[tuple[int, int, int]]:
        """The ``(start, end, due)`` intervals, sorted (a copy)."""
        items = self.items
        return [(items[i], items[i + 1], items[i + 2]) for i in range(0, len(items), 3)]

    def _before(self, start: int) -> int:
        """How many intervals start before ``start``."""
        items = self.items
        low, high = 0, len(items) // 3
        if not high or items[-3] < start:
            return high  # after them all: work is mostly added in time order
        while low < high:
            middle = (low + high) // 2
            if items[3 * middle] < start:
                low = middle + 1
            else:
                high = middle
        return low

    def _position(self, start: int, end: int, due: int) -> int:
        """Where ``(start, end, due)`` is, or goes, among the sorted intervals."""
        items = self.items
        index = self._before(start)
        count = len(items) // 3
        while (
            index < count
            and items[3 * index] == start
            and (items[3 * index + 1], items[3 * index + 2]) < (end, due)
        ):
            index += 1
        return index

    def add(self, start: int, end: int, due: int) -> None:
        index = 3 * self._position(start, end, due)
        items = self.items
        items.insert(index, due)
        items.insert(index, end)
        items.insert(index, start)
        blocks = self.blocks
        # The blocks that start before ``start``.
        index = (bisect.bisect_left(blocks, start) + 1) // 2
        if index > 0 and blocks[2 * index - 1] >= start:
            index -= 1
            if end > blocks[2 * index + 1]:
                blocks[2 * index + 1] = end
        else:
            blocks[2 * index : 2 * index] = array("q", (start, end))
        high = blocks[2 * index + 1]
        following = index + 1
        count = len(blocks) // 2
        while following < count and blocks[2 * following] <= high:
            following += 1
        if following > index + 1:
            blocks[2 * index + 1] = max(high, blocks[2 * following - 1])
            del blocks[2 * index + 2 : 2 * following]

    def remove(self, start: int, end: int, due: int) -> None:
        items = self.items
        index = 3 * self._position(start, end, due)
        if items[index : index + 3].tolist() != [start, end, due]:
            raise ValueError(f"no interval {(start, end, due)} in the timeline")
        del items[index : index + 3]
        blocks = array("q")
        for position in range(0, len(items), 3):
            low, high = items[position], items[position + 1]
            if blocks and blocks[-1] >= low:
                if high > blocks[-1]:
                    blocks[-1] = high
            else:
                blocks.append(low)
                blocks.append(high)
        self.blocks = blocks

    def clash(self, start: int, end: int, gap: int, ignore: Ignore) -> tuple[int, int, int] | None:
        """An interval, not ignored, that comes within ``gap`` of ``[start, end)``.

        Counting every interval (``ignore`` is :func:`never`), the answer is the
        whole busy block it belongs to, so that the caller moves past it at once.
        """
        if ignore is never:
            blocks = self.blocks
            if not blocks or blocks[-1] + gap <= start:
                return None
            # The last block that starts at ``start - gap`` or before.
            index = max((bisect.bisect_right(blocks, start - gap) + 1) // 2 - 1, 0)
            for position in range(2 * index, min(2 * index + 4, len(blocks)), 2):
                low = blocks[position]
                if low >= end + gap:
                    return None
                high = blocks[position + 1]
                if high + gap > start:
                    return (low, high, -1)
            return None
        items = self.items
        if not items or items[-2] + gap <= start:
            return None
        count = len(items)
        # The last interval that starts at ``start - gap`` or before.
        index = 3 * max(self._before(start - gap + 1) - 1, 0)
        while index < count:
            low = items[index]
            if low >= end + gap:
                return None
            high = items[index + 1]
            if high + gap > start and not ignore(due := items[index + 2]):
                return (low, high, due)
            index += 3
        return None

    def first_free(self, begin: int, length: int, ignore: Ignore) -> int:
        """The earliest start from ``begin`` with ``length`` seconds free of intervals
        (looking past ``ignore``)."""
        if ignore is never:
            blocks = self.blocks
            if not blocks or blocks[-1] <= begin:
                return begin
            # The last block that starts at ``begin`` or before.
            index = max((bisect.bisect_right(blocks, begin) + 1) // 2 - 1, 0)
            t = begin
            for position in range(2 * index, len(blocks), 2):
                high = blocks[position + 1]
                if high <= t:
                    continue
                if blocks[position] >= t + length:
                    return t
                t = high
            return t
        t = begin
        while (clash := self.clash(t, t + length, 0, ignore)) is not None:
            t = clash[1]
        return t

    def intervals_between(self, start: int, end: int) -> list[tuple[int, int, int]]:
        """The intervals that start in ``[start, end)``."""
        items = self.items
        return [
            (items[i], items[i + 1], items[i + 2])
            for i in range(3 * self._before(start), 3 * self._before(end), 3)
        ]

    def overlapping(self, start: int, end: int, gap: int) -> list[int]:
        """Dues whose intervals come within ``gap`` of ``[start, end)``."""
        items = self.items
        return [
            items[i + 2]
            for i in range(0, len(items), 3)
            if items[i] < end + gap and items[i + 1] + gap > start
        ]
