"""Blackouts read from iCalendar files: checked when loaded, expanded over a horizon.

An inventory may take closures and freezes from a calendar people already keep
(``[[blackouts]] ics = "closures.ics"``). All-day events block whole days, timed
events their time; recurring events are expanded with the RRULE reader windows use
(:func:`~maintlib._util.recurrence.parse_rrule`), only near the horizon.
Floating times (no zone) are read in the organisation's zone.
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
import math
import re
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import attrs
import icalendar

from maintlib._util.recurrence import MAX_COUNT, parse_rrule
from maintlib._util.text import excerpt, quoting_briefly
from maintlib.model.errors import InputError, Problem
from maintlib.model.inventory import Blackout, BlackoutCalendar
from maintlib.model.limits import (
    MAX_CALENDAR_EVENTS,
    MAX_CALENDAR_OCCURRENCES,
    MAX_DURATION,
    date_problem,
)

__all__ = ["check_calendar", "expand_calendar"]


def _event_lines(text: str) -> list[int]:
    """Line numbers (1-based) of each ``BEGIN:VEVENT``, in file order."""
    return [
        number
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip().upper() == "BEGIN:VEVENT"
    ]


def check_calendar(content: bytes, file: str) -> list[Problem]:
    """Every problem with an iCalendar file of blackouts, located by line.

    Returns:
        An empty list when every event has a readable start (and end, duration
        and recurrence rule, where given).
    """
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as failure:
        line = content[: failure.start].count(b"\n") + 1
        return [Problem(file, f"line {line}", "not valid UTF-8")]
    try:
        calendar = icalendar.Calendar.from_ical(text)
    except ValueError as failure:
        return [Problem(file, "", f"not an iCalendar file: {quoting_briefly(failure)}")]
    problems = []
    lines = _event_lines(text)
    events = list(calendar.walk("VEVENT"))
    if len(events) > MAX_CALENDAR_EVENTS:
        return [Problem(file, "", f"{len(events):,} events; at most {MAX_CALENDAR_EVENTS:,}")]
    for index, event in enumerate(events):
        where = f"line {lines[index]}" if index < len(lines) else f"event {index + 1}"
        summary = str(event.get("SUMMARY", ""))
        if summary:
            where += f' (event "{excerpt(summary)}")'
        broken = set()
        for name, error in getattr(event, "errors", []):
            broken.add(name)
            problems.append(Problem(file, where, f"{name}: {quoting_briefly(error)}"))
        start = _when(event, "DTSTART")
        if start is None:
            if "DTSTART" not in broken:
                problems.append(Problem(file, where, "the event has no DTSTART"))
            continue
        problems.extend(Problem(file, where, text) for text in _limits(event, start, broken))
        end = _when(event, "DTEND")
        if end is not None and _as_moment(end, dt.UTC) < _as_moment(start, dt.UTC):
            problems.append(Problem(file, where, "the event ends before it starts"))
        elif end is None and "DTEND" in event and "DTEND" not in broken:
            problems.append(Problem(file, where, "DTEND is not a date or date-time"))
    return problems


def _limits(event: icalendar.Component, start: dt.date, broken: set[str]) -> list[str]:
    """What takes an event past the limits: a recurrence rule that
    :func:`~maintlib._util.recurrence.parse_rrule` refuses (finer than hourly, BY
    values out of range, COUNT too large), a recurring event that starts outside
    the supported years or lasts longer than
    :data:`~maintlib.model.limits.MAX_DURATION`, a timed event outside the
    supported years (all-day events are clipped to the horizon instead).

    Properties in ``broken`` (reported already) are not read again."""
    messages = []
    rule = None if "RRULE" in broken else event.get("RRULE")
    if isinstance(rule, list):
        messages.append("the event has more than one RRULE; give it one")
        rule = None
    if rule is not None:
        text = rule.to_ical().decode("ascii", "replace")
        try:
            parse_rrule(text, _wall(start, dt.UTC)[0], ZoneInfo("UTC"))
        except ValueError as error:
            messages.append(f"RRULE: {error}")
    timed = isinstance(start, dt.datetime)
    for name in ("DTSTART", "DTEND"):
        value = start if name == "DTSTART" else _when(event, name)
        problem = date_problem(value) if value is not None and name not in broken else None
        if problem is not None and (timed or rule is not None):
            messages.append(f"{name}: {problem}")
    duration = None if "DURATION" in broken else getattr(event.get("DURATION"), "dt", None)
    if isinstance(duration, dt.timedelta):
        try:
            _as_moment(start, dt.UTC) + duration
        except OverflowError:
            duration = dt.timedelta.max
        if abs(duration) > MAX_DURATION:
            messages.append(f"DURATION is out of range (at most {MAX_DURATION.days} days)")
    elif rule is not None and not messages and _length(event, start) > MAX_DURATION:
        messages.append(f"a recurring event lasts at most {MAX_DURATION.days} days")
    return messages


def _when(event: icalendar.Component, name: str) -> dt.date | None:
    """The date or date-time of property ``name``; None when absent or unreadable."""
    try:
        value = getattr(event.get(name), "dt", None)
    except ValueError:
        return None  # icalendar 7 raises BrokenCalendarProperty on reading a broken value
    return value if isinstance(value, dt.date) else None


def _as_moment(value: dt.date | dt.datetime, zone: dt.tzinfo) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=zone)
    return dt.datetime.combine(value, dt.time(), tzinfo=zone)


def expand_calendar(
    calendar: BlackoutCalendar, start: dt.datetime, end: dt.datetime, zone: ZoneInfo
) -> list[Blackout]:
    """The blackouts of ``calendar`` that touch ``[start, end)``, in time order.

    Each event is expanded only near the horizon (a recurring event's rule is
    started again shortly before it, where its pattern allows), its occurrences
    counted as they are made, and occurrences of one event that overlap or touch
    are merged into one blackout (an hourly whole-day closure is one long
    closure). All-day events are clipped to the horizon.

    Raises:
        InputError: The calendar expands to more than
            :data:`~maintlib.model.limits.MAX_CALENDAR_OCCURRENCES` blackouts, or
            a rule steps more than :data:`~maintlib.recurrence.MAX_COUNT` times
            before it reaches the horizon.

    Args:
        calendar: A calendar checked by :func:`check_calendar`.
        start: Horizon start (aware).
        end: Horizon end (aware).
        zone: Zone of floating times and all-day events.
    """
    parsed = icalendar.Calendar.from_ical(calendar.content.decode("utf-8-sig"))
    events = list(parsed.walk("VEVENT"))
    moved = {
        (str(event.get("UID", "")), recurrence)
        for event in events
        if (recurrence := _when(event, "RECURRENCE-ID")) is not None
    }
    budget = _Budget(calendar.file)
    blackouts: list[Blackout] = []
    for event in events:
        name = str(event.get("SUMMARY", "")) or calendar.file
        found = [
            _blackout(first, length, tz, name, calendar, (start, end), zone)
            for first, length, tz in _occurrences(event, start, end, zone, moved, budget)
        ]
        blackouts.extend(_merged([b for b in found if b is not None], zone))
    return sorted(blackouts, key=lambda b: (b.interval(zone), b.name))


class _Budget:
    """The occurrences made so far, and the rule steps taken, against the limits."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.occurrences = 0

    def count(self) -> None:
        self.occurrences += 1
        if self.occurrences > MAX_CALENDAR_OCCURRENCES:
            raise InputError(
                [
                    Problem(
                        self.file,
                        "",
                        f"expands to more than {MAX_CALENDAR_OCCURRENCES:,} blackouts over the"
                        " horizon; shorten the horizon or the recurrences",
                    )
                ]
            )

    def too_many_steps(self, where: str) -> InputError:
        return InputError(
            [
                Problem(
                    self.file,
                    where,
                    f"the recurrence takes more than {MAX_COUNT:,} steps to reach the horizon;"
                    " start it closer to the horizon",
                )
            ]
        )


def _wall(value: dt.date, zone: dt.tzinfo) -> tuple[dt.datetime, dt.tzinfo | None]:
    """A start as a naive wall-clock time and the zone it is read in (None: a date)."""
    if isinstance(value, dt.datetime):
        tz = value.tzinfo or zone
        return value.replace(tzinfo=None), tz
    return dt.datetime.combine(value, dt.time()), None


def _length(event: icalendar.Component, first: dt.date) -> dt.timedelta:
    """How long each occurrence lasts: DTEND − DTSTART, or DURATION; a day for an
    all-day event, nothing for a timed one, without either."""
    last = _when(event, "DTEND")
    if last is not None and isinstance(last, dt.datetime) == isinstance(first, dt.datetime):
        if isinstance(first, dt.datetime):
            return _as_moment(last, dt.UTC) - _as_moment(first, dt.UTC)
        return last - first
    duration = getattr(event.get("DURATION"), "dt", None)
    if isinstance(duration, dt.timedelta):
        return max(duration, dt.timedelta())
    return dt.timedelta(days=0 if isinstance(first, dt.datetime) else 1)


def _dates(event: icalendar.Component, name: str, zone: dt.tzinfo) -> set[dt.datetime]:
    """The wall-clock starts an EXDATE or RDATE property lists."""
    values = event.get(name, [])
    found = set()
    for item in values if isinstance(values, list) else [values]:
        for value in getattr(item, "dts", []):
            found.add(_naive_in(value.dt[0] if isinstance(value.dt, tuple) else value.dt, zone))
    return found


def _naive_in(moment: dt.date, zone: dt.tzinfo) -> dt.datetime:
    """A date or date-time as a naive wall-clock time in ``zone`` (floating times and
    dates as they are)."""
    if isinstance(moment, dt.datetime) and moment.tzinfo is not None:
        moment = moment.astimezone(zone)
    return _wall(moment, zone)[0]


#: The BY parts that tie a rule to the calendar (months, days of the month or
#: year, weeks): a rule with one of them cannot be started again a few weeks later.
_CALENDAR_PARTS = re.compile(r"BY(?:MONTH|MONTHDAY|YEARDAY|WEEKNO|SETPOS)=|COUNT=")


#: Hours of one step of each frequency whose rule may be started again later.
_STEP_HOURS = {"HOURLY": 1, "DAILY": 24, "WEEKLY": 24 * 7}


def _restart(rule: str, first: dt.datetime, before: dt.datetime) -> dt.datetime:
    """A later start for ``rule`` with the same occurrences from ``before`` on:
    whole weeks of whole steps later, when the rule allows it (no COUNT, no BY part
    tied to months or years), so an hourly rule begun years ago is not stepped
    through hour by hour."""
    upper = rule.upper()
    frequency = re.search(r"FREQ=(\w+)", upper)
    hours = _STEP_HOURS.get(frequency[1] if frequency else "")
    if hours is None or _CALENDAR_PARTS.search(upper) or before <= first:
        return first
    interval = re.search(r"INTERVAL=(\d+)", upper)
    step = hours * (int(interval[1]) if interval else 1)
    period = dt.timedelta(hours=math.lcm(step, 24 * 7))
    return first + period * ((before - first) // period)


def _occurrences(
    event: icalendar.Component,
    start: dt.datetime,
    end: dt.datetime,
    zone: ZoneInfo,
    moved: set[tuple[str, dt.date]],
    budget: _Budget,
) -> Iterator[tuple[dt.datetime, dt.timedelta, dt.tzinfo | None]]:
    """``(wall-clock start, length, zone or None for all-day)`` of each occurrence
    of ``event`` that may touch the horizon (give or take a day)."""
    first_value = _when(event, "DTSTART")
    if first_value is None:
        return
    first, tz = _wall(first_value, zone)
    length = _length(event, first_value)
    try:
        low = start.astimezone(tz or zone).replace(tzinfo=None) - dt.timedelta(days=1) - length
    except OverflowError:  # an all-day event of thousands of years
        low = dt.datetime.min  # noqa: DTZ901 - a naive wall-clock bound on purpose
    high = end.astimezone(tz or zone).replace(tzinfo=None) + dt.timedelta(days=1)
    rule = event.get("RRULE")
    extra = sorted(_dates(event, "RDATE", tz or zone))
    skip: set[dt.datetime] = set()
    occurrences: Iterator[dt.datetime] = iter([first])
    if rule is not None and "RECURRENCE-ID" not in event:
        text = rule.to_ical().decode("ascii", "replace")
        uid = str(event.get("UID", ""))
        skip = _dates(event, "EXDATE", tz or zone)
        skip |= {_naive_in(when, tz or zone) for key, when in moved if key == uid}
        begin = _restart(text, first, low)
        try:
            recurrence = parse_rrule(text, begin, tz if isinstance(tz, ZoneInfo) else None)
        except ValueError:
            return  # reported by check_calendar
        occurrences = iter(recurrence)
        if begin == first and first not in recurrence:
            occurrences = itertools.chain([first], occurrences)  # DTSTART always occurs
    for steps, moment in enumerate(heapq.merge(occurrences, extra), start=1):
        if moment >= high:
            break
        if steps > MAX_COUNT:
            raise budget.too_many_steps(_label(event))
        if moment >= low and moment not in skip:
            budget.count()
            yield moment, length, tz


def _label(event: icalendar.Component) -> str:
    summary = str(event.get("SUMMARY", ""))
    return (
        f'event "{excerpt(summary)}"' if summary else f"event {excerpt(str(event.get('UID', '')))}"
    )


def _blackout(
    first: dt.datetime,
    length: dt.timedelta,
    tz: dt.tzinfo | None,
    name: str,
    calendar: BlackoutCalendar,
    horizon: tuple[dt.datetime, dt.datetime],
    zone: ZoneInfo,
) -> Blackout | None:
    """One occurrence as a blackout: whole days for an all-day event (the last day
    inclusive, both clipped to the horizon's days), else an aware interval; None
    when it takes no time or misses the horizon."""
    start, end = horizon
    if tz is None:
        days = max(length.days - 1, 0)
        low, high = start.astimezone(zone).date(), end.astimezone(zone).date()
        begin_day = max(first.date(), low)
        last_day = min(first.date() + min(dt.timedelta(days=days), high - first.date()), high)
        if begin_day > last_day:
            return None
        blackout = Blackout(name, begin_day, last_day, calendar.reason, calendar.changes_only)
    else:
        begin = first.replace(tzinfo=tz)
        finish = (begin.astimezone(dt.UTC) + length).astimezone(tz)
        if finish <= begin:
            return None
        blackout = Blackout(name, begin, finish, calendar.reason, calendar.changes_only)
    lower, upper = blackout.interval(zone)
    return blackout if lower < end and upper > start else None


def _merged(blackouts: list[Blackout], zone: ZoneInfo) -> list[Blackout]:
    """Occurrences of one event that overlap or touch, as one blackout each."""
    result: list[Blackout] = []
    for blackout in sorted(blackouts, key=lambda b: b.interval(zone)):
        if result and _same_kind(result[-1], blackout):
            previous = result[-1]
            if blackout.interval(zone)[0] <= previous.interval(zone)[1]:
                if blackout.interval(zone)[1] > previous.interval(zone)[1]:
                    result[-1] = attrs.evolve(previous, end=blackout.end)
                continue
        result.append(blackout)
    return result


def _same_kind(one: Blackout, other: Blackout) -> bool:
    """Both whole days, or both times: only those merge."""
    return isinstance(one.start, dt.datetime) == isinstance(other.start, dt.datetime)
