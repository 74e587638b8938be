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

from maintlib.exceptions import Problem
from maintlib.inventory import Blackout, BlackoutCalendar

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
    for index, event in enumerate(events):
        where = f"line {lines[index]}" if index < len(lines) else f"event {index + 1}"
        summary = str(event.get("SUMMARY", ""))
        if summary:
            where += f' (event "{summary}")'
        broken = set()
        for name, error in getattr(event, "errors", []):
            broken.add(name)
            problems.append(Problem(file, where, f"{name}: {error}"))
        start = _when(event, "DTSTART")
        if start is None:
            if "DTSTART" not in broken:
                problems.append(Problem(file, where, "the event has no DTSTART"))
            continue
        end = _when(event, "DTEND")
        if end is not None and _as_moment(end, dt.UTC) < _as_moment(start, dt.UTC):
            problems.append(Problem(file, where, "the event ends before it starts"))
        elif end is None and "DTEND" in event and "DTEND" not in broken:
            problems.append(Problem(file, where, "DTEND is not a date or date-time"))
    return problems


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

    Args:
        calendar: A calendar checked by :func:`check_calendar`.
        start: Horizon start (aware).
        end: Horizon end (aware).
        zone: Zone of floating times and all-day events.
    """
    parsed = icalendar.Calendar.from_ical(calendar.content.decode("utf-8-sig"))
    blackouts = []
    for event in recurring_ical_events.of(parsed).between(start, end):
        first = event["DTSTART"].dt
        last = event["DTEND"].dt if "DTEND" in event else None
        name = str(event.get("SUMMARY", "")) or calendar.file
        if isinstance(first, dt.datetime):
            begin = _as_moment(first, zone)
            finish = _as_moment(last, zone) if isinstance(last, dt.datetime) else begin
            if finish > begin:
                blackouts.append(Blackout(name, begin, finish, calendar.reason))
        else:
            final = last - dt.timedelta(days=1) if isinstance(last, dt.date) else first
            blackouts.append(Blackout(name, first, max(first, final), calendar.reason))
    return sorted(blackouts, key=lambda b: (b.interval(zone), b.name))
