"""VTIMEZONE components written from ``zoneinfo`` as yearly rules.

A calendar client turns a ``TZID`` into UTC offsets with the file's VTIMEZONE,
not with its own zone database (ical.js, the engine of Thunderbird, has none;
Outlook rebuilds every zone from the file). What the block says is therefore
what the client shows.

icalendar's own generator (``add_missing_timezones``, ``Timezone.from_tzid``)
writes each transition as one date of an ``RDATE`` list. Outlook builds a zone
only from ``DTSTART``, ``RRULE``, ``TZOFFSETFROM`` and ``TZOFFSETTO``, and ical.js
reads only the first date of an ``RDATE`` line, so both put events an hour off.
This module writes what every client reads: one STANDARD and one DAYLIGHT block,
each with a yearly ``RRULE`` (``FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU``) found from the
zone's transitions. Where a zone's transitions follow no such rule (Morocco's
Ramadan changes, Israel's "Friday before the last Sunday"), each transition gets
a block of its own, still without ``RDATE``. A zone without DST gets a single
STANDARD block.

Every block set is checked before it is used: for each local time the feed
refers to, the offset the blocks give must be the offset ``zoneinfo`` gives.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Sequence
from functools import lru_cache
from zoneinfo import ZoneInfo

import attrs
import icalendar
from dateutil import rrule as du

from maintlib._util.recurrence import WallClockError, localize

__all__ = ["Observance", "Transition", "observances", "offset_at", "transitions", "vtimezone"]


_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


#: Transitions are searched at this step, then pinned to the second; no zone has
#: changed its offset twice within six hours.
_STEP = dt.timedelta(hours=6)


#: The DTSTART of the block of a zone without transitions, as most producers write.
_NO_DST_ONSET = dt.datetime(1970, 1, 1)  # noqa: DTZ001 - a VTIMEZONE onset is wall-clock time


@attrs.frozen
class Transition:
    """A change of a zone's UTC offset.

    Attributes:
        at: The instant of the change (UTC).
        offset_from: The offset before.
        offset_to: The offset after.
        name: The zone's abbreviation after the change (``CEST``).
    """

    at: dt.datetime
    offset_from: dt.timedelta
    offset_to: dt.timedelta
    name: str

    @property
    def onset(self) -> dt.datetime:
        """The wall-clock time of the change, read with the offset before it (naive)."""
        return (self.at + self.offset_from).replace(tzinfo=None)


@attrs.frozen
class Observance:
    """One STANDARD or DAYLIGHT sub-component of a VTIMEZONE.

    Attributes:
        daylight: True for DAYLIGHT (a change to a larger offset).
        onset: The first change it describes, in wall-clock time before it.
        offset_from: The offset before each change.
        offset_to: The offset after each change.
        name: The abbreviation after each change (``TZNAME``).
        month: With ``ordinal``: the change recurs yearly in this month …
        ordinal: … on this weekday of the month (1–4, or -1 for the last).
        until: ``UNTIL`` of a yearly rule that ends (UTC): at or just after its
            last change, or None.
    """

    daylight: bool
    onset: dt.datetime
    offset_from: dt.timedelta
    offset_to: dt.timedelta
    name: str
    month: int | None = None
    ordinal: int | None = None
    until: dt.datetime | None = None

    @property
    def rrule(self) -> str | None:
        """The yearly rule as RRULE text (UNTIL in UTC), or None for a single change."""
        if self.month is None or self.ordinal is None:
            return None
        day = _WEEKDAYS[self.onset.weekday()]
        text = f"FREQ=YEARLY;BYMONTH={self.month};BYDAY={self.ordinal}{day}"
        if self.until is not None:
            text += f";UNTIL={self.until:%Y%m%dT%H%M%SZ}"
        return text

    def onsets(self, before: dt.datetime) -> list[dt.datetime]:
        """The wall-clock times of the changes it describes, up to ``before`` (naive)."""
        if self.month is None or self.ordinal is None:
            return [self.onset] if self.onset < before else []
        until = before
        if self.until is not None:
            until = min(until, (self.until + self.offset_from).replace(tzinfo=None))
        rule = du.rrule(
            du.YEARLY,
            dtstart=self.onset,
            bymonth=self.month,
            byweekday=du.weekday(self.onset.weekday(), self.ordinal),
            until=until,
        )
        return [moment for moment in rule if moment < before]


def _offset(zone: ZoneInfo, instant: dt.datetime) -> dt.timedelta:
    offset = instant.astimezone(zone).utcoffset()
    assert offset is not None
    return offset


@lru_cache(maxsize=256)
def transitions(zone: ZoneInfo, first_year: int, last_year: int) -> tuple[Transition, ...]:
    """Every change of ``zone``'s UTC offset from ``first_year`` through ``last_year``.

    Changes of the abbreviation or of the DST flag alone are left out: they move
    no event.
    """
    begin = dt.datetime(first_year, 1, 1, tzinfo=dt.UTC)
    end = dt.datetime(last_year + 1, 1, 1, tzinfo=dt.UTC)
    found = []
    low, low_offset = begin, _offset(zone, begin)
    while low < end:
        high = min(low + _STEP, end)
        high_offset = _offset(zone, high)
        if high_offset != low_offset:
            # Bisect to the first second with the new offset.
            left, right = low, high
            while right - left > dt.timedelta(seconds=1):
                middle = left + (right - left) / 2
                middle = middle.replace(microsecond=0)
                if _offset(zone, middle) == low_offset:
                    left = middle
                else:
                    right = middle
            name = right.astimezone(zone).tzname() or zone.key
            found.append(Transition(right, low_offset, high_offset, name))
        low, low_offset = high, high_offset
    return tuple(found)


def _ordinals(onset: dt.datetime) -> set[int]:
    """The BYDAY ordinals that name ``onset``'s day: its week of the month, and -1
    when it is the month's last such weekday."""
    found = {(onset.day - 1) // 7 + 1}
    if onset.day + 7 > calendar.monthrange(onset.year, onset.month)[1]:
        found.add(-1)
    return found


def _same_rule(run: Sequence[Transition], candidate: Transition) -> bool:
    first, last = run[0], run[-1]
    return (
        candidate.onset.year == last.onset.year + 1
        and candidate.onset.month == first.onset.month
        and candidate.onset.time() == first.onset.time()
        and candidate.onset.weekday() == first.onset.weekday()
        and (candidate.offset_from, candidate.offset_to, candidate.name)
        == (first.offset_from, first.offset_to, first.name)
    )


def _runs(changes: Sequence[Transition]) -> list[tuple[list[Transition], set[int]]]:
    """Split changes of one direction into maximal runs that one yearly rule describes,
    each with the ordinals that fit all of its members."""
    runs: list[tuple[list[Transition], set[int]]] = []
    for change in changes:
        if runs:
            run, fitting = runs[-1]
            common = fitting & _ordinals(change.onset)
            if common and _same_rule(run, change):
                run.append(change)
                runs[-1] = (run, common)
                continue
        runs.append(([change], _ordinals(change.onset)))
    return runs


def _yearly(changes: Sequence[Transition], last_year: int) -> list[Observance]:
    result = []
    for run, fitting in _runs(changes):
        first, last = run[0], run[-1]
        daylight = first.offset_to > first.offset_from
        if len(run) == 1:
            result.append(
                Observance(daylight, first.onset, first.offset_from, first.offset_to, first.name)
            )
            continue
        # Prefer "the 2nd Sunday" over "the last Sunday" when both fit: the positive
        # form is how the rule is written in law wherever both happen to fit.
        ordinal = min(fitting) if min(fitting) > 0 else -1
        ongoing = last.onset.year == last_year
        # UNTIL must be UTC, yet some readers (dateutil's tzical, ical.js) compare
        # it with the onset's wall-clock time as if that were UTC: the later of
        # the two readings keeps the last change in for both, and stays months
        # before the next one.
        until = max(last.at, last.onset.replace(tzinfo=dt.UTC))
        result.append(
            Observance(
                daylight,
                first.onset,
                first.offset_from,
                first.offset_to,
                first.name,
                month=first.onset.month,
                ordinal=ordinal,
                until=None if ongoing else until,
            )
        )
    return result


def _explicit(changes: Sequence[Transition]) -> list[Observance]:
    return [
        Observance(c.offset_to > c.offset_from, c.onset, c.offset_from, c.offset_to, c.name)
        for c in changes
    ]


def _changes(
    blocks: Sequence[Observance], before: dt.datetime
) -> list[tuple[dt.datetime, dt.timedelta, dt.timedelta]]:
    """``(instant, offset before, offset after)`` of the changes ``blocks`` describe up
    to ``before`` (wall clock), by instant (naive UTC).

    Every block's first change counts, even after ``before``: the earliest one says,
    with its TZOFFSETFROM, what held before it.
    """
    return sorted(
        (onset - block.offset_from, block.offset_from, block.offset_to)
        for block in blocks
        for onset in block.onsets(max(before, block.onset + dt.timedelta(seconds=1)))
    )


def _reading(
    changes: Sequence[tuple[dt.datetime, dt.timedelta, dt.timedelta]], local: dt.datetime
) -> dt.timedelta | None:
    if not changes:
        return None
    # Each change opens an interval (in UTC) during which its offset holds.
    intervals: list[tuple[dt.datetime | None, dt.timedelta]] = [(None, changes[0][1])]
    intervals += [(at, offset_to) for at, _, offset_to in changes]
    for index, (opens, offset) in enumerate(intervals):
        closes = intervals[index + 1][0] if index + 1 < len(intervals) else None
        instant = local - offset
        if (opens is None or opens <= instant) and (closes is None or instant < closes):
            return offset
    return None


def offset_at(blocks: Sequence[Observance], local: dt.datetime) -> dt.timedelta | None:
    """The UTC offset ``blocks`` give a wall-clock time, as RFC 5545 readers compute it.

    A time that exists twice gets its first reading; a time in a gap gets None.
    """
    return _reading(_changes(blocks, local + dt.timedelta(days=2)), local)


def _mismatch(blocks: Sequence[Observance], zone: ZoneInfo, moments: Iterable[dt.datetime]) -> bool:
    walls = {}
    for moment in moments:
        wall = moment.astimezone(zone).replace(tzinfo=None)
        try:
            localize(wall, zone)
        except WallClockError:
            continue  # written in UTC, so no block is consulted
        walls[wall] = _offset(zone, moment)
    if not walls:
        return False
    changes = _changes(blocks, max(walls) + dt.timedelta(days=2))
    return any(_reading(changes, wall) != offset for wall, offset in walls.items())


def observances(zone: ZoneInfo, moments: Iterable[dt.datetime]) -> tuple[Observance, ...]:
    """The blocks describing ``zone`` for every moment in ``moments``.

    Yearly rules where the zone follows them, a block per change where it does
    not, one STANDARD block for a zone without changes in the years concerned.

    Args:
        zone: The zone.
        moments: The aware times the feed writes in ``zone`` (at least one).

    Raises:
        ValueError: ``moments`` is empty.
    """
    checked = list(moments)
    if not checked:
        raise ValueError("observances need at least one moment to cover")
    years = [moment.astimezone(zone).year for moment in checked]
    # From the year before the first moment, so a change precedes every moment.
    first_year, last_year = min(years) - 1, max(years) + 1
    changes = transitions(zone, first_year, last_year)
    if not changes:
        start = dt.datetime(first_year, 1, 1, tzinfo=dt.UTC)
        offset = _offset(zone, start)
        name = start.astimezone(zone).tzname() or zone.key
        return (Observance(False, _NO_DST_ONSET, offset, offset, name),)
    blocks: list[Observance] = []
    for daylight in (False, True):
        side = [c for c in changes if (c.offset_to > c.offset_from) is daylight]
        blocks.extend(_yearly(side, last_year))
    if _mismatch(blocks, zone, checked):
        blocks = _explicit(changes)
        if _mismatch(blocks, zone, checked):
            raise RuntimeError(f"VTIMEZONE for {zone.key} disagrees with zoneinfo (a bug)")
    return tuple(sorted(blocks, key=lambda b: (b.daylight, b.onset)))


def vtimezone(zone: ZoneInfo, moments: Iterable[dt.datetime]) -> icalendar.Timezone:
    """The VTIMEZONE component of ``zone``, covering every moment in ``moments``."""
    component = icalendar.Timezone()
    component.add("TZID", zone.key)
    for block in observances(zone, moments):
        sub = icalendar.TimezoneDaylight() if block.daylight else icalendar.TimezoneStandard()
        sub.add("DTSTART", block.onset)
        sub.add("TZOFFSETFROM", block.offset_from)
        sub.add("TZOFFSETTO", block.offset_to)
        sub.add("TZNAME", block.name)
        rule = block.rrule
        if rule is not None:
            sub.add("RRULE", icalendar.vRecur.from_ical(rule))
        component.add_component(sub)
    return component
