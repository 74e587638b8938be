"""Blackouts read from iCalendar files: checked when loaded, expanded over a horizon.

An inventory may take closures and freezes from a calendar people already keep
(``[[blackouts]] ics = "closures.ics"``). All-day events block whole days, timed
events their time; recurring events are expanded with ``recurring-ical-events``.
Floating times (no zone) are read in the organisation's zone.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events

from maintlib._util.text import excerpt
from maintlib.model.errors import InputError, Problem
from maintlib.model.inventory import Blackout, BlackoutCalendar
from maintlib.model.limits import MAX_CALENDAR_EVENTS, MAX_CALENDAR_OCCURRENCES, MAX_DURATION

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
        return [Problem(file, "", f"not an iCalendar file: {failure}")]
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
            problems.append(Problem(file, where, f"{name}: {error}"))
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
    """What takes an event past the limits: a recurrence finer than hourly, a
    duration longer than :data:`~maintlib.model.limits.MAX_DURATION` or past year 9999.

    Properties in ``broken`` (reported already) are not read again."""
    messages = []
    rule = None if "RRULE" in broken else event.get("RRULE")
    frequencies = [str(f).upper() for f in rule.get("FREQ", [])] if rule is not None else []
    if {"SECONDLY", "MINUTELY"} & set(frequencies):
        messages.append(
            f"RRULE repeats {frequencies[0].lower()}; blackouts may repeat at most hourly"
        )
    duration = None if "DURATION" in broken else getattr(event.get("DURATION"), "dt", None)
    if isinstance(duration, dt.timedelta):
        try:
            _as_moment(start, dt.UTC) + duration
        except OverflowError:
            duration = dt.timedelta.max
        if abs(duration) > MAX_DURATION:
            messages.append(f"DURATION is out of range (at most {MAX_DURATION.days} days)")
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

    Raises:
        InputError: The calendar expands to more than
            :data:`~maintlib.model.limits.MAX_CALENDAR_OCCURRENCES` blackouts.

    Args:
        calendar: A calendar checked by :func:`check_calendar`.
        start: Horizon start (aware).
        end: Horizon end (aware).
        zone: Zone of floating times and all-day events.
    """
    parsed = icalendar.Calendar.from_ical(calendar.content.decode("utf-8-sig"))
    blackouts: list[Blackout] = []
    for count, event in enumerate(recurring_ical_events.of(parsed).after(start)):
        if _as_moment(event["DTSTART"].dt, zone) >= end:
            break
        if count >= MAX_CALENDAR_OCCURRENCES:
            raise InputError(
                [
                    Problem(
                        calendar.file,
                        "",
                        f"expands to more than {MAX_CALENDAR_OCCURRENCES:,} blackouts over the"
                        " horizon; shorten the horizon or the recurrences",
                    )
                ]
            )
        first = event["DTSTART"].dt
        last = event["DTEND"].dt if "DTEND" in event else None
        name = str(event.get("SUMMARY", "")) or calendar.file
        if isinstance(first, dt.datetime):
            begin = _as_moment(first, zone)
            finish = _as_moment(last, zone) if isinstance(last, dt.datetime) else begin
            if finish > begin:
                blackouts.append(
                    Blackout(name, begin, finish, calendar.reason, calendar.changes_only)
                )
        else:
            final = last - dt.timedelta(days=1) if isinstance(last, dt.date) else first
            blackouts.append(
                Blackout(name, first, max(first, final), calendar.reason, calendar.changes_only)
            )
    return sorted(blackouts, key=lambda b: (b.interval(zone), b.name))
