"""The expand stage: duties → :class:`~maintlib.model.work.Due` s inside the horizon.

* A periodic cadence gives one due per recurrence whose start lies in the horizon.
  Recurrences are wall-clock times in the organisation's zone, from the fixed
  anchor :data:`maintlib._util.recurrence.EPOCH`. Earliest start is the recurrence;
  the deadline is the end of the day that many deadline days (per tier) later, or
  the next recurrence when the rule sets no deadline.
* A release-anchored cadence gives one due per vendor release in the horizon:
  earliest = release + offset days, deadline = release + deadline days.
  Releases are computed in the vendor's zone; a calendar with several periods
  uses each period's rule from its ``effective_from`` date.
* A :class:`~maintlib.model.rules.Once` cadence gives one due when its date is not
  after the horizon.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from zoneinfo import ZoneInfo

from maintlib._util.recurrence import EPOCH, occurrences
from maintlib.model.rules import Expiry, Once, Periodic, ReleaseCalendar, Released, releases
from maintlib.model.work import Due, Duty, Horizon

__all__ = ["expand"]


#: Deadline days of a release-anchored or single due whose rule and update class
#: set none: a month, the slowest patch cycle CIS Controls v8 7.3/7.4 accept.
RELEASE_DEADLINE = 30


def _naive(moment: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    return moment.astimezone(zone).replace(tzinfo=None)


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


def _end_of_day(moment: dt.datetime, days: int) -> dt.datetime:
    """The end (next midnight) of the local day ``days`` days after ``moment``'s day.

    A deadline of 0 days lets the work start any time on the anchor's own day; 3
    days from a Friday, any time up to the end of Monday.
    """
    day = moment.date() + dt.timedelta(days=days + 1)
    return dt.datetime.combine(day, dt.time(), tzinfo=moment.tzinfo)


#: One due's times without its duty: anchor, released, earliest, deadline, and the
#: anchor as the uid shows it.
Timing = tuple[dt.datetime, dt.datetime | None, dt.datetime, dt.datetime, str]


def timings(
    cadence: Periodic | Released | Once,
    deadline_days: int | None,
    horizon: Horizon,
    calendars: Mapping[str, ReleaseCalendar],
) -> list[Timing]:
    """The dues of a cadence with a deadline, for any duty that has both."""
    zone = horizon.timezone
    start, end = horizon.start_at, horizon.end_at
    result: list[Timing] = []

    def text(anchor: dt.datetime) -> str:
        return f"{anchor.astimezone(zone):%Y%m%dT%H%M}"

    if isinstance(cadence, Periodic):
        for begin, close in _periods(cadence.rrule, zone, start, end):
            deadline = close if deadline_days is None else _end_of_day(begin, deadline_days)
            result.append((begin, None, begin, deadline, text(begin)))
    elif isinstance(cadence, Released):
        months = set(cadence.months)
        days = deadline_days if deadline_days is not None else RELEASE_DEADLINE
        for release in releases(calendars[cadence.calendar], start, end):
            if months and release.month not in months:
                continue
            if cadence.until is not None and release.astimezone(zone).date() > cadence.until:
                continue
            earliest = release + dt.timedelta(days=cadence.offset_days)
            deadline = release + dt.timedelta(days=days)
            result.append((release, release, earliest, deadline, text(release)))
    else:
        anchor = dt.datetime.combine(cadence.at, dt.time(), tzinfo=zone)
        if anchor < end:
            earliest = max(anchor, start)
            given = (
                dt.datetime.combine(cadence.deadline, dt.time(), tzinfo=zone)
                if cadence.deadline
                else None
            )
            days = deadline_days if deadline_days is not None else RELEASE_DEADLINE
            fallback = _end_of_day(earliest, days)
            deadline = given if given is not None and given > earliest else fallback
            result.append((anchor, None, earliest, deadline, text(anchor)))
    return result


def expand(
    duties: Iterable[Duty], horizon: Horizon, calendars: Mapping[str, ReleaseCalendar]
) -> list[Due]:
    """Every due of every duty in ``horizon``: per duty, in time order.

    A due's uid is ``subject.activity.YYYYMMDDTHHMM`` (the anchor on the
    organisation's wall clock): the same asset, activity and anchor give the same
    uid in every run, whatever else changes in the inventory.

    Args:
        duties: From :func:`maintlib.planning.apply.apply`.
        horizon: The planned period.
        calendars: The catalog's release calendars.
    """
    times = Timings(horizon, calendars)
    dues: list[Due] = []
    for duty in duties:
        dues.extend(dues_of(duty, times(duty)))
    return dues


class Timings:
    """Each cadence's timings in a horizon, worked out once: fleets share a few
    cadences."""

    def __init__(self, horizon: Horizon, calendars: Mapping[str, ReleaseCalendar]) -> None:
        self.horizon = horizon
        self.calendars = calendars
        self.cache: dict[tuple[object, int | None], list[Timing]] = {}

    def __call__(self, duty: Duty) -> list[Timing]:
        """The timings of ``duty``'s dues, in time order."""
        cadence = duty.cadence
        if isinstance(cadence, Expiry):
            # apply() gives each asset its own date (a Once); a duty built by hand
            # without an asset date has nothing to expand.
            return []
        key = (cadence, duty.deadline_days)
        found = self.cache.get(key)
        if found is None:
            found = self.cache[key] = timings(
                cadence, duty.deadline_days, self.horizon, self.calendars
            )
        return found


def dues_of(duty: Duty, found: list[Timing]) -> Iterator[Due]:
    """``duty``'s dues at ``found``'s timings."""
    prefix = f"{duty.subject}.{duty.activity.name}."
    return (
        Due(duty, anchor, released, earliest, deadline, prefix + text)
        for anchor, released, earliest, deadline, text in found
    )
