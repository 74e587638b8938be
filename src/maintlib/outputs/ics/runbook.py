"""Run-books: a plan's tasks grouped by the window occurrence (or office day) they
are done in, for the ``occurrence`` feed mode.

A technician's calendar wants one entry per maintenance night — "weeknight,
Tuesday 22:00–02:00: nine tasks, in this order" — not one entry per task: a
1,000-asset fleet has some 7,000 tasks a year but only about 400 occurrences
with work. Each :class:`Occurrence` holds the tasks of one slot in the order
they are done; :mod:`maintlib.outputs.ics.feed` writes it as one event whose description is
the run-book, and whose ``X-MAINTLIB-TASKS`` lists every task's uid.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import attrs

from maintlib.model.plan import Status, Task

__all__ = ["Occurrence", "group_occurrences"]


#: The name of the slot of office-hours (and automatic-update) work.
OFFICE = "office-hours"


@attrs.frozen
class Occurrence:
    """The tasks of one window occurrence, or of one business day's office hours.

    Attributes:
        window: The window's name, or None for office-hours work.
        start: The occurrence's start (the office day's opening).
        tasks: Its tasks by start (then uid): the order they are done in.
    """

    window: str | None
    start: dt.datetime
    tasks: tuple[Task, ...]

    @property
    def key(self) -> str:
        """Stable id: ``weeknight.20270105T2200`` (wall time in the slot's zone)."""
        return f"{self.window or OFFICE}.{self.start:%Y%m%dT%H%M}"

    @property
    def first(self) -> dt.datetime:
        """When the first task starts."""
        return self.tasks[0].start

    @property
    def last(self) -> dt.datetime:
        """When the last task ends."""
        return max(task.end for task in self.tasks)

    @property
    def late(self) -> int:
        """How many of its tasks are late."""
        return sum(1 for task in self.tasks if task.status is Status.LATE)

    @property
    def downtime(self) -> int:
        """How many of its tasks take their asset down."""
        return sum(1 for task in self.tasks if task.duty.downtime)


def group_occurrences(tasks: Iterable[Task]) -> list[Occurrence]:
    """``tasks`` by window occurrence (office-hours work by day), in time order.

    Every task is in exactly one occurrence; the same tasks give the same
    occurrences in the same order.
    """
    groups: dict[tuple[str | None, dt.datetime], list[Task]] = {}
    for task in tasks:
        groups.setdefault((task.window, task.occurrence), []).append(task)
    found = [
        Occurrence(window, start, tuple(sorted(members, key=lambda t: (t.start, t.uid))))
        for (window, start), members in groups.items()
    ]
    found.sort(key=lambda o: (o.first, o.key))
    return found
