"""The expand stage: duties → :class:`~maintlib.plan.Due` s inside the horizon.

* A periodic cadence gives one due per recurrence whose start lies in the horizon.
  Recurrences are wall-clock times in the organisation's zone, from the fixed
  anchor :data:`maintlib.recurrence.EPOCH`. Earliest start is the recurrence;
  the deadline is the end of the day that many deadline days (per tier) later, or
  the next recurrence when the rule sets no deadline.
* A release-anchored cadence gives one due per vendor release in the horizon:
  earliest = release + offset days, deadline = release + deadline days.
  Releases are computed in the vendor's zone; a calendar with several periods
  uses each period's rule from its ``effective_from`` date.
* A :class:`~maintlib.rules.Once` cadence gives one due when its date is not
  after the horizon.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from zoneinfo import ZoneInfo

from maintlib.apply import Duty
from maintlib.plan import Due, Horizon
from maintlib.recurrence import EPOCH, occurrences
from maintlib.rules import Once, Periodic, ReleaseCalendar, Released

__all__ = ["expand", "releases"]

#: Deadline days of a release-anchored or single due whose rule and update class
#: set none: a month, the slowest patch cycle CIS Controls v8 7.3/7.4 accept.
RELEASE_DEADLINE = 30


def _naive(moment: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    return moment.astimezone(zone).replace(tzinfo=None)


@lru_cache(maxsize=512)
def releases(
    calendar: ReleaseCalendar, start: dt.datetime, end: dt.datetime
) -> tuple[dt.datetime, ...]:
    """Aware release moments of ``calendar`` in ``[start, end)``.

    Each period's rule applies from its ``effective_from`` (inclusive, in the
    vendor's zone) until the next period's.
    """
    zone = ZoneInfo(calendar.timezone)
    result: list[dt.datetime] = []
    periods = calendar.periods
    for index, period in enumerate(periods):
        begin = (
            dt.datetime.combine(period.effective_from, calendar.time)
            if period.effective_from
            else dt.datetime.combine(EPOCH.date(), calendar.time)
        )
        following = periods[index + 1].effective_from if index + 1 < len(periods) else None
        stop = dt.datetime.combine(following, dt.time()) if following else None
        low = max(begin, _naive(start, zone))
        high = _naive(end, zone) if stop is None else min(stop, _naive(end, zone))
        if low >= high:
            continue
        for local in occurrences(period.rrule, begin, low, high):
            result.append(local.replace(tzinfo=zone))
    return tuple(result)


@lru_cache(maxsize=512)
def _periods(
    rrule: str, zone: ZoneInfo, start: dt.datetime, end: dt.datetime
) -> tuple[tuple[dt.datetime, dt.datetime], ...]:
    """``(period start, next period start)`` pairs for starts in ``[start, end)``."""
    naive_start, naive_end = _naive(start, zone), _naive(end, zone)
    starts = occurrences(rrule, EPOCH, naive_start, naive_end)
    if not starts:
        return ()
    # One more occurrence closes the last period; search up to two years on.
    beyond = occurrences(
        rrule, EPOCH, starts[-1] + dt.timedelta(seconds=1), naive_end + dt.timedelta(days=732)
    )
    following = [*starts[1:], beyond[0] if beyond else starts[-1] + dt.timedelta(days=366)]
    return tuple(
        (begin.replace(tzinfo=zone), close.replace(tzinfo=zone))
        for begin, close in zip(starts, following, strict=True)
    )


def _uid(duty: Duty, anchor: dt.datetime, zone: ZoneInfo) -> str:
    """``hv01.security-updates.20270112T1900``: subject, activity, local anchor."""
    return f"{duty.subject}.{duty.activity.name}.{anchor.astimezone(zone):%Y%m%dT%H%M}"


def _end_of_day(moment: dt.datetime, days: int) -> dt.datetime:
    """The end (next midnight) of the local day ``days`` days after ``moment``'s day.

    A deadline of 0 days lets the work start any time on the anchor's own day; 3
    days from a Friday, any time up to the end of Monday.
    """
    day = moment.date() + dt.timedelta(days=days + 1)
    return dt.datetime.combine(day, dt.time(), tzinfo=moment.tzinfo)


def _duty_dues(
    duty: Duty, horizon: Horizon, calendars: Mapping[str, ReleaseCalendar]
) -> Iterator[Due]:
    cadence = duty.cadence
    start, end = horizon.start_at, horizon.end_at
    if isinstance(cadence, Periodic):
        for begin, close in _periods(cadence.rrule, horizon.timezone, start, end):
            deadline = (
                close if duty.deadline_days is None else _end_of_day(begin, duty.deadline_days)
            )
            yield Due(duty, begin, None, begin, deadline, _uid(duty, begin, horizon.timezone))
    elif isinstance(cadence, Released):
        months = set(cadence.months)
        for release in releases(calendars[cadence.calendar], start, end):
            if months and release.month not in months:
                continue
            earliest = release + dt.timedelta(days=cadence.offset_days)
            days = duty.deadline_days if duty.deadline_days is not None else RELEASE_DEADLINE
            deadline = release + dt.timedelta(days=days)
            yield Due(
                duty, release, release, earliest, deadline, _uid(duty, release, horizon.timezone)
            )
    elif isinstance(cadence, Once):
        anchor = dt.datetime.combine(cadence.at, dt.time(), tzinfo=horizon.timezone)
        if anchor >= end:
            return
        earliest = max(anchor, start)
        given = (
            dt.datetime.combine(cadence.deadline, dt.time(), tzinfo=horizon.timezone)
            if cadence.deadline
            else None
        )
        days = duty.deadline_days if duty.deadline_days is not None else RELEASE_DEADLINE
        fallback = _end_of_day(earliest, days)
        deadline = given if given is not None and given > earliest else fallback
        yield Due(duty, anchor, None, earliest, deadline, _uid(duty, anchor, horizon.timezone))


def expand(
    duties: Iterable[Duty], horizon: Horizon, calendars: Mapping[str, ReleaseCalendar]
) -> list[Due]:
    """Every due of every duty in ``horizon``, sorted by uid.

    Args:
        duties: From :func:`maintlib.apply.apply`.
        horizon: The planned period.
        calendars: The catalog's release calendars.
    """
    dues = [due for duty in duties for due in _duty_dues(duty, horizon, calendars)]
    dues.sort(key=lambda due: due.uid)
    return dues
