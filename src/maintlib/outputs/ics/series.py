"""Finding recurring series among a duty's tasks, for the feed's series mode.

A duty whose tasks fall at the same wall-clock time on a regular pattern (every
Saturday, the first Saturday of the month, every second Tuesday) is written as
one recurring event instead of one event per task. The pattern is found from the
tasks themselves, by trying the few rule shapes calendar clients all support and
keeping the one that needs the fewest exceptions:

* ``FREQ=WEEKLY;BYDAY=SA`` (with ``INTERVAL``),
* ``FREQ=MONTHLY;BYDAY=SA;BYSETPOS=1`` (one BYSETPOS value, ``-1`` for the last),
* ``FREQ=MONTHLY;BYMONTHDAY=15``,
* ``FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR`` (a daily check on business days),
* ``FREQ=DAILY;INTERVAL=2``.

Occurrences without a task become ``EXDATE`` s; a task that is not where the rule
puts it (moved by capacity, a blackout, a holiday; or with its own steps, cost or
length) becomes a ``RECURRENCE-ID`` override of the nearest free occurrence. A
series must beat per-task events: at least two plain occurrences, and no more
exceptions than plain occurrences. It must stay inside Outlook's limits (at most
999 occurrences) and every occurrence must be a wall-clock time that exists once
in its zone, so every reader resolves it the same way. The result is expanded
again and compared with the tasks before it is used.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import TypeVar
from zoneinfo import ZoneInfo

import attrs

from maintlib._util.recurrence import WallClockError, localize, parse_rrule
from maintlib.model.plan import Task

__all__ = ["Series", "find_series", "series_key"]


#: Fewer tasks than this are never worth a series.
MIN_TASKS = 3


#: Outlook's limit on the occurrences of one series.
MAX_OCCURRENCES = 999


_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


_WEEK = dt.timedelta(days=7)


H = TypeVar("H", bound=Hashable)


@attrs.frozen
class Series:
    """Tasks of one duty written as one recurring event.

    Attributes:
        key: The duty's key (``hv01.security-updates``): the series' UID before
            the domain, and the prefix of every member task's uid.
        rule: The RRULE without ``UNTIL`` (``FREQ=MONTHLY;BYDAY=SA;BYSETPOS=1``).
        start: The first occurrence (``DTSTART``), aware in the tasks' zone.
        duration: The length of a plain occurrence.
        occurrences: Every occurrence the rule gives from ``start`` to the last,
            including the excluded ones.
        excluded: Occurrences without a task (``EXDATE``).
        members: ``(occurrence, task)`` for every task, by occurrence; the task
            sits at its occurrence unless it is in ``moved``.
        moved: Uids of the tasks written as ``RECURRENCE-ID`` overrides.
        template: The plain task whose details the recurring event shows.
    """

    key: str
    rule: str
    start: dt.datetime
    duration: dt.timedelta
    occurrences: tuple[dt.datetime, ...]
    excluded: tuple[dt.datetime, ...]
    members: tuple[tuple[dt.datetime, Task], ...]
    moved: frozenset[str]
    template: Task

    @property
    def until(self) -> dt.datetime:
        """The last occurrence, in UTC (``UNTIL``)."""
        return self.occurrences[-1].astimezone(dt.UTC)

    @property
    def zone(self) -> ZoneInfo:
        """The zone of every occurrence."""
        assert isinstance(self.start.tzinfo, ZoneInfo)
        return self.start.tzinfo


def _mode(values: Iterable[H]) -> H:
    """The most common value; the first seen among equals."""
    counts = Counter(values)
    return max(counts, key=lambda value: counts[value])


def series_key(task: Task) -> str:
    """The duty a task belongs to, as a series' uid names it: its uid without the
    anchor (``nas01.backup-check``; a fleet's ``fleet-backup-system-….backup-check``)."""
    return task.uid.rsplit(".", 1)[0]


def _wall(moment: dt.datetime) -> dt.datetime:
    return moment.replace(tzinfo=None)


def _gap_mode(values: Sequence[int]) -> int:
    """The most common positive step between consecutive values (1 without steps)."""
    steps = [b - a for a, b in itertools.pairwise(values) if b > a]
    return _mode(steps) if steps else 1


def _month_number(moment: dt.datetime) -> int:
    return moment.year * 12 + moment.month - 1


def _month_start(number: int, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(dt.date(number // 12, number % 12 + 1, 1), time)


@attrs.frozen
class _Candidate:
    rule: str
    #: Where expanding the rule starts: before the first task, in the rule's
    #: phase (the week or month its INTERVAL counts from).
    begin: dt.datetime


def _is_last(moment: dt.datetime) -> bool:
    """Whether ``moment`` falls on the last such weekday of its month."""
    return (moment + dt.timedelta(days=7)).month != moment.month


def _by_weekday(same_day: Sequence[dt.datetime], first: dt.datetime) -> list[_Candidate]:
    """``FREQ=MONTHLY;BYDAY=SA;BYSETPOS=n``: the n-th (or last) weekday of the month."""
    name = _WEEKDAYS[same_day[0].weekday()]
    months = _gap_mode([_month_number(s) for s in same_day])
    interval = f";INTERVAL={months}" if months > 1 else ""
    positions = [_mode((s.day - 1) // 7 + 1 for s in same_day)]
    if sum(_is_last(s) for s in same_day) * 2 > len(same_day):
        positions.append(-1)
    result = []
    for position in positions:
        seed = next(
            (
                s
                for s in same_day
                if (position < 0 and _is_last(s)) or (s.day - 1) // 7 + 1 == position
            ),
            same_day[0],
        )
        result.append(
            _Candidate(
                f"FREQ=MONTHLY;BYDAY={name};BYSETPOS={position}{interval}",
                _month_start(_phase_before(seed, first, months), seed.time()),
            )
        )
    return result


def _by_month_day(regular: Sequence[dt.datetime], first: dt.datetime) -> _Candidate:
    """``FREQ=MONTHLY;BYMONTHDAY=d``: the same day of every month."""
    day = _mode(s.day for s in regular)
    same_date = [s for s in regular if s.day == day]
    months = _gap_mode([_month_number(s) for s in same_date])
    interval = f";INTERVAL={months}" if months > 1 else ""
    return _Candidate(
        f"FREQ=MONTHLY;BYMONTHDAY={day}{interval}",
        _month_start(_phase_before(same_date[0], first, months), same_date[0].time()),
    )


def _every(regular: Sequence[dt.datetime], first: dt.datetime, weekly: bool) -> _Candidate:
    """``FREQ=WEEKLY;BYDAY=SA`` or ``FREQ=DAILY``, with the most common interval."""
    unit = 7 if weekly else 1
    steps = _gap_mode([(s - regular[0]).days // unit for s in regular])
    back = ((regular[0] - first).days // (unit * steps) + 1) * unit * steps
    rule = f"FREQ=WEEKLY;BYDAY={_WEEKDAYS[regular[0].weekday()]}" if weekly else "FREQ=DAILY"
    rule += f";INTERVAL={steps}" if steps > 1 else ""
    return _Candidate(rule, regular[0] - dt.timedelta(days=back))


def _weekdays(starts: Sequence[dt.datetime], regular: Sequence[dt.datetime]) -> _Candidate | None:
    """``FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR``: every one of several weekdays (a daily
    check on business days) at the usual time, or None when the work falls on one
    weekday. A weekday is in the rule when a task falls on it in at least a
    quarter of the weeks, at whatever time (a Monday whose check went later is an
    override of Monday's occurrence)."""
    first = starts[0]
    weeks = max(1, ((starts[-1] - first).days + 1) // 7)
    counts = Counter(s.weekday() for s in starts)
    days = sorted(day for day, count in counts.items() if count * 4 >= weeks)
    if len(days) < 2:
        return None
    # From the week before: a first task that was moved (a holiday's check done
    # the next business day) overrides its own day's occurrence.
    monday = first - dt.timedelta(days=first.weekday() + 7)
    begin = dt.datetime.combine(monday.date(), regular[0].time())
    return _Candidate(f"FREQ=WEEKLY;BYDAY={','.join(_WEEKDAYS[d] for d in days)}", begin)


def _candidates(starts: Sequence[dt.datetime]) -> list[_Candidate]:
    """Rules worth trying for the wall-clock ``starts`` (sorted), monthly ones first:
    where a weekly rule fits a monthly pattern too (every 13 weeks), the monthly
    one is how people read it."""
    time = _mode(s.time() for s in starts)
    regular = [s for s in starts if s.time() == time]
    if len(regular) < 2:
        return []
    first = starts[0]
    weekday = _mode(s.weekday() for s in regular)
    same_day = [s for s in regular if s.weekday() == weekday]
    several = _weekdays(starts, regular)
    return [
        *_by_weekday(same_day, first),
        _by_month_day(regular, first),
        _every(same_day, first, weekly=True),
        *([several] if several is not None else []),
        _every(regular, first, weekly=False),
    ]


def _phase_before(seed: dt.datetime, first: dt.datetime, months: int) -> int:
    """A month number in ``seed``'s phase (every ``months`` months) before ``first``'s month."""
    steps = (_month_number(seed) - _month_number(first)) // months + 1
    return _month_number(seed) - steps * months


def _exists_once(local: dt.datetime, zone: ZoneInfo) -> bool:
    try:
        localize(local, zone)
    except WallClockError:
        return False
    return True


def _steady(task: Task) -> bool:
    """Whether no DST change falls inside the task, so wall-clock and elapsed
    length agree and every reader computes the same end."""
    return task.start.utcoffset() == task.end.astimezone(task.start.tzinfo).utcoffset()


def _own(
    task: Task, positions: dict[dt.datetime, int], found: Sequence[dt.datetime], zone: ZoneInfo
) -> int | None:
    """The occurrence on the day ``task`` was due, when the rule has one within a
    week of the task."""
    due_day = _wall(task.due.anchor.astimezone(zone)).date()
    index = positions.get(dt.datetime.combine(due_day, found[0].time()))
    if index is None or abs(found[index] - _wall(task.start)) > _WEEK:
        return None
    return index


@attrs.define
class _Matching:
    """Tasks being matched to the occurrences a candidate rule gives.

    Attributes:
        found: The rule's occurrences, wall-clock, sorted.
        positions: Each occurrence's index in ``found``.
        zone: The tasks' zone.
        used: The task matched to each occurrence index so far.
        moved: Uids of the tasks that become overrides.
    """

    found: list[dt.datetime]
    positions: dict[dt.datetime, int]
    zone: ZoneInfo
    used: dict[int, Task] = attrs.field(factory=dict)
    moved: set[str] = attrs.field(factory=set)

    def place_exact(
        self, tasks: Sequence[Task], starts: Sequence[dt.datetime], plain: Callable[[Task], bool]
    ) -> list[tuple[Task, dt.datetime]]:
        """Match every task that starts on a free occurrence; return the others."""
        pending = []
        for task, start in zip(tasks, starts, strict=True):
            index = self.positions.get(start)
            if index is not None and index not in self.used:
                self.used[index] = task
                if not plain(task):
                    self.moved.add(task.uid)
            else:
                pending.append((task, start))
        return pending

    def place_moved(self, task: Task, start: dt.datetime) -> bool:
        """Match a task that is not on an occurrence; False when none is near.

        A moved task takes the occurrence of the day it was due when that is free
        and within a week (Monday's check done on Tuesday overrides Monday's
        occurrence); else a free occurrence next to it, one whose neighbours
        enclose the task, so an override never stands for a far-away date.
        """
        own = _own(task, self.positions, self.found, self.zone)
        if own is not None and own in self.used:
            # Taken by a task due another day (a holiday's check done the next
            # morning): that one moves to its own day's occurrence, if free.
            other = self.used[own]
            theirs = _own(other, self.positions, self.found, self.zone)
            if theirs is not None and theirs not in self.used:
                self.used[theirs] = other
                self.moved.add(other.uid)
                del self.used[own]
        if own is not None and own not in self.used:
            self.used[own] = task
            self.moved.add(task.uid)
            return True
        nearest = self._nearest_free(start)
        if nearest is None:
            return False
        self.used[nearest] = task
        self.moved.add(task.uid)
        return True

    def _nearest_free(self, start: dt.datetime) -> int | None:
        """The free occurrence next to ``start`` whose neighbours enclose it."""
        found = self.found
        after = bisect.bisect_left(found, start)
        near = [
            i
            for i in (after - 1, after)
            if 0 < i < len(found) - 1 and i not in self.used and found[i - 1] < start < found[i + 1]
        ]
        if not near:
            return None
        return min(near, key=lambda i: (abs(found[i] - start), i))


def _fit(
    candidate: _Candidate,
    tasks: Sequence[Task],
    duration: dt.timedelta,
    details: Callable[[Task], Hashable],
    common: Hashable,
) -> tuple[int, Series] | None:
    """The series ``candidate`` gives for ``tasks``, with its count of exceptions."""
    zone = tasks[0].start.tzinfo
    assert isinstance(zone, ZoneInfo)
    starts = [_wall(task.start) for task in tasks]
    reach = (starts[-1] - starts[0]) + dt.timedelta(days=400)
    rule = parse_rrule(candidate.rule, candidate.begin)
    found = rule.between(candidate.begin, starts[-1] + reach, inc=True)
    if not found:
        return None
    matching = _Matching(found, {moment: index for index, moment in enumerate(found)}, zone)
    pending = matching.place_exact(
        tasks,
        starts,
        lambda task: (
            task.end - task.start == duration and details(task) == common and _steady(task)
        ),
    )
    for task, start in pending:
        if not matching.place_moved(task, start):
            return None
    return _fitted(candidate, tasks, matching, duration)


def _fitted(
    candidate: _Candidate, tasks: Sequence[Task], matching: _Matching, duration: dt.timedelta
) -> tuple[int, Series] | None:
    """The series of a complete matching, with its count of exceptions, when it is
    worth writing and every reader reads it the same way."""
    found, used, moved, zone = matching.found, matching.used, matching.moved, matching.zone
    low, high = min(used), max(used)
    span = found[low : high + 1]
    if len(span) > MAX_OCCURRENCES or not all(_exists_once(m, zone) for m in span):
        return None
    plain_count = len(tasks) - len(moved)
    excluded = [found[i] for i in range(low, high + 1) if i not in used]
    exceptions = len(moved) + len(excluded)
    if plain_count < 2 or exceptions > plain_count:
        return None
    first = found[low].replace(tzinfo=zone)
    if first.utcoffset() != (first.astimezone(dt.UTC) + duration).astimezone(zone).utcoffset():
        return None  # readers would disagree on the length of the recurring event
    members = tuple((found[i].replace(tzinfo=zone), used[i]) for i in sorted(used))
    template = next(task for _, task in members if task.uid not in moved)
    series = Series(
        key=series_key(tasks[0]),
        rule=candidate.rule,
        start=first,
        duration=duration,
        occurrences=tuple(m.replace(tzinfo=zone) for m in span),
        excluded=tuple(m.replace(tzinfo=zone) for m in excluded),
        members=members,
        moved=frozenset(moved),
        template=template,
    )
    return exceptions, series


def _expand(series: Series) -> list[tuple[str, dt.datetime, dt.datetime]]:
    """``(task uid, start, end)`` of every occurrence, as a reader computes them."""
    zone = series.zone
    rule = parse_rrule(series.rule, _wall(series.start)).replace(
        until=_wall(series.occurrences[-1])
    )
    excluded = {_wall(m) for m in series.excluded}
    by_occurrence = {_wall(occurrence): task for occurrence, task in series.members}
    result = []
    for local in rule:
        if local in excluded:
            continue
        task = by_occurrence[local]
        if task.uid in series.moved:
            result.append((task.uid, task.start, task.end))
        else:
            start = local.replace(tzinfo=zone)
            result.append((task.uid, start, start + series.duration))
    return result


def _series(tasks: Sequence[Task], details: Callable[[Task], Hashable]) -> Series | None:
    zone = tasks[0].start.tzinfo
    key = series_key(tasks[0])
    if (
        len(tasks) < MIN_TASKS
        or not isinstance(zone, ZoneInfo)
        or any(task.start.tzinfo is not zone for task in tasks)
        or any(not task.uid.startswith(key + ".") for task in tasks)
        or not all(_exists_once(_wall(task.start), zone) for task in tasks)
    ):
        return None
    duration = _mode(task.end - task.start for task in tasks)
    common = _mode(details(task) for task in tasks)
    best: tuple[int, Series] | None = None
    for candidate in _candidates([_wall(task.start) for task in tasks]):
        fitted = _fit(candidate, tasks, duration, details, common)
        if fitted is not None and (best is None or fitted[0] < best[0]):
            best = fitted
    if best is None:
        return None
    series = best[1]
    expected = sorted((task.uid, task.start, task.end) for task in tasks)
    if sorted(_expand(series)) != expected:
        return None
    return series


def find_series(
    tasks: Sequence[Task], details: Callable[[Task], Hashable]
) -> tuple[list[Series], list[Task]]:
    """Split ``tasks`` into series and the tasks that stay single events.

    Args:
        tasks: Tasks of a plan, in any order.
        details: What a task's event shows beyond its times (checklist, cost …):
            a task whose details differ from its series' is written as an
            override, so no reader loses them.

    Returns:
        The series, by start, and the remaining tasks, by start then uid.
    """
    groups: dict[str, list[Task]] = {}
    for task in sorted(tasks, key=lambda t: (t.start, t.uid)):
        groups.setdefault(series_key(task), []).append(task)
    found: list[Series] = []
    single: list[Task] = []
    for group in groups.values():
        series = _series(group, details)
        if series is None:
            single.extend(group)
        else:
            found.append(series)
    found.sort(key=lambda s: (s.start, s.key))
    single.sort(key=lambda t: (t.start, t.uid))
    return found, single
