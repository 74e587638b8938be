"""Recurrence rules (RFC 5545 RRULE) expanded in wall-clock time.

Every recurrence in maintlib — windows, periodic cadences, vendor calendars —
is an RRULE expanded from a *naive* local ``DTSTART`` and only then placed in its
time zone. That keeps wall-clock times across DST changes (a Saturday 22:00
window stays at 22:00), and lets :func:`localize` report, rather than silently
shift, a local time that falls in a DST gap or overlap.

dateutil skips invalid dates (``BYMONTHDAY=30`` has no February occurrence); it
never coerces them.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from functools import lru_cache
from zoneinfo import ZoneInfo

from dateutil import rrule as du

__all__ = [
    "EPOCH",
    "localize",
    "min_gap",
    "occurrences",
    "parse_rrule",
]

#: The anchor of periodic cadences: a Monday, and the first day of a month and year.
EPOCH = dt.datetime(2024, 1, 1)  # noqa: DTZ001 - a naive wall-clock anchor on purpose

_FORBIDDEN = ("DTSTART", "RRULE:", "EXDATE", "RDATE")
_INTERVAL = re.compile(r"INTERVAL=([^;]*)")
#: Finer than the planning grain: every second or minute, or several minutes or
#: seconds in each hour.
_TOO_FINE = re.compile(r"FREQ=(?:SECONDLY|MINUTELY)|BY(?:MINUTE|SECOND)=[^;]*,")
_UNTIL = re.compile(r"UNTIL=(\d{8}(?:T\d{6}Z?)?)", re.IGNORECASE)


def parse_rrule(text: str, dtstart: dt.datetime, zone: ZoneInfo | None = None) -> du.rrule:
    """Parse an RRULE (without DTSTART) for a naive wall-clock ``dtstart``.

    ``UNTIL`` may be a date, a local date-time, or a UTC date-time (``…Z``), which
    is converted to ``zone``'s wall clock.

    Raises:
        ValueError: The text is not a valid RRULE, has no FREQ, repeats more often
            than hourly, combines COUNT and UNTIL, or contains DTSTART, RDATE or
            EXDATE.
    """
    upper = text.strip().upper()
    if not upper:
        raise ValueError("the recurrence rule is empty")
    for word in _FORBIDDEN:
        if word in upper:
            raise ValueError(f"write the recurrence rule without {word.rstrip(':')}: {text!r}")
    if "FREQ=" not in upper:
        raise ValueError(f"recurrence rule {text!r} has no FREQ")
    if _TOO_FINE.search(upper):
        raise ValueError(
            f"recurrence rule {text!r} repeats more often than hourly; maintlib plans to the"
            " hour (use FREQ=HOURLY or coarser, with at most one BYMINUTE and BYSECOND)"
        )
    if "COUNT=" in upper and "UNTIL=" in upper:
        raise ValueError(f"recurrence rule {text!r} combines COUNT and UNTIL; use one")
    interval = _INTERVAL.search(upper)
    if interval and not (interval[1].isdigit() and int(interval[1]) > 0):
        raise ValueError(f"recurrence rule {text!r}: INTERVAL must be a whole number from 1")
    match = _UNTIL.search(upper)
    try:
        if match and match[1].endswith("Z"):
            moment = dt.datetime.strptime(match[1], "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)
            local = moment.astimezone(zone or dt.UTC).replace(tzinfo=None)
            upper = upper.replace(match[0], f"UNTIL={local:%Y%m%dT%H%M%S}")
        rule = du.rrulestr(upper, dtstart=dtstart)
    except (ValueError, TypeError, OverflowError) as error:
        raise ValueError(f"invalid recurrence rule {text!r}: {error}") from None
    if not isinstance(rule, du.rrule):
        raise ValueError(f"invalid recurrence rule {text!r}")
    return rule


@lru_cache(maxsize=4096)
def occurrences(
    text: str, dtstart: dt.datetime, after: dt.datetime, before: dt.datetime
) -> tuple[dt.datetime, ...]:
    """Naive wall-clock occurrences of ``text`` in ``[after, before)``.

    Cached: many duties and windows share a recurrence, and the expansion is the
    costly part of planning large fleets.
    """
    rule = parse_rrule(text, dtstart)
    return tuple(rule.between(after, before - dt.timedelta(microseconds=1), inc=True))


@functools.lru_cache(maxsize=256)
def min_gap(text: str, dtstart: dt.datetime, samples: int = 400) -> dt.timedelta | None:
    """The shortest time between consecutive occurrences among the first ``samples``.

    None when the rule has fewer than two occurrences. Remembered: an MSP's
    tenants share their windows' rules, and each check expands 400 occurrences.
    """
    rule = parse_rrule(text, dtstart)
    previous: dt.datetime | None = None
    shortest: dt.timedelta | None = None
    for index, moment in enumerate(rule):
        if index >= samples:
            break
        if previous is not None:
            gap = moment - previous
            shortest = gap if shortest is None else min(shortest, gap)
        previous = moment
    return shortest


class WallClockError(ValueError):
    """A local time that does not exist (DST gap) or exists twice (DST overlap)."""

    def __init__(self, local: dt.datetime, zone: ZoneInfo, kind: str) -> None:
        self.local = local
        self.zone = zone
        self.kind = kind
        super().__init__(
            f"{local:%Y-%m-%d %H:%M} {'does not exist' if kind == 'gap' else 'occurs twice'}"
            f" in {zone.key} (DST {kind})"
        )


def localize(local: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """Attach ``zone`` to a naive wall-clock time, refusing DST gaps and overlaps.

    Raises:
        WallClockError: ``local`` falls in a DST gap (``kind == "gap"``) or
            overlap (``kind == "overlap"``).
    """
    first = local.replace(tzinfo=zone, fold=0)
    second = local.replace(tzinfo=zone, fold=1)
    if first.utcoffset() == second.utcoffset():
        return first
    # Round-tripping through UTC moves a time in a gap; a time in an overlap survives.
    back = first.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None)
    raise WallClockError(local, zone, "gap" if back != local else "overlap")
