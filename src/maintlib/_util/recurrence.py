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

from maintlib._util.text import excerpt

__all__ = ["EPOCH", "MAX_COUNT", "localize", "min_gap", "occurrences", "parse_rrule"]


#: The anchor of periodic cadences: a Monday, and the first day of a month and year.
EPOCH = dt.datetime(2024, 1, 1)  # noqa: DTZ001 - a naive wall-clock anchor on purpose


_FORBIDDEN = ("DTSTART", "RRULE:", "EXDATE", "RDATE")


_INTERVAL = re.compile(r"INTERVAL=([^;]*)")


#: Finer than the planning grain: every second or minute, or several minutes or
#: seconds in each hour.
_TOO_FINE = re.compile(r"FREQ=(?:SECONDLY|MINUTELY)|BY(?:MINUTE|SECOND)=[^;]*,")


_UNTIL = re.compile(r"UNTIL=(\d{8}(?:T\d{6}Z?)?)", re.IGNORECASE)


#: The most occurrences a ``COUNT`` may ask for (an hourly rule's century).
MAX_COUNT = 1_000_000


#: The values each BY part allows (RFC 5545 3.3.10), as (lowest, highest, negatives).
_BY_RANGES = {
    "BYSECOND": (0, 60, False),
    "BYMINUTE": (0, 59, False),
    "BYHOUR": (0, 23, False),
    "BYMONTHDAY": (1, 31, True),
    "BYYEARDAY": (1, 366, True),
    "BYWEEKNO": (1, 53, True),
    "BYMONTH": (1, 12, False),
    "BYSETPOS": (1, 366, True),
}


_BYDAY = re.compile(r"([+-]?)(\d{0,2})(MO|TU|WE|TH|FR|SA|SU)")


def _check_parts(upper: str, shown: str) -> None:
    """Every part's values in the range RFC 5545 allows: dateutil indexes lists with
    them (``FREQ=MONTHLY;BYDAY=53MO`` is an IndexError inside it)."""
    parts = dict(part.split("=", 1) for part in upper.split(";") if "=" in part)
    count = parts.get("COUNT")
    if count is not None and not (
        count.isdigit() and len(count) <= 7 and 0 < int(count) <= MAX_COUNT
    ):
        raise ValueError(
            f"recurrence rule {shown}: COUNT must be a whole number from 1 to {MAX_COUNT:,}"
        )
    _check_by_ranges(parts, shown)
    _check_byday(parts, shown)


def _check_by_ranges(parts: dict[str, str], shown: str) -> None:
    """The numeric BY parts (BYMONTHDAY, BYSETPOS …) within their ranges."""
    for name, (low, high, negative) in _BY_RANGES.items():
        for value in parts.get(name, "").split(",") if name in parts else ():
            number = value[1:] if negative and value[:1] in "+-" else value
            if not (number.isdigit() and len(number) <= 3 and low <= int(number) <= high):
                raise ValueError(
                    f"recurrence rule {shown}: {name} values are {low} to {high}"
                    + (" (or their negatives)" if negative else "")
                )


def _check_byday(parts: dict[str, str], shown: str) -> None:
    """BYDAY's weekdays, and their ordinals only where FREQ allows them."""
    ordinal_limit = {"MONTHLY": 5, "YEARLY": 53}.get(parts.get("FREQ", ""), 0)
    for value in parts.get("BYDAY", "").split(",") if "BYDAY" in parts else ():
        match = _BYDAY.fullmatch(value)
        if match is None:
            raise ValueError(f"recurrence rule {shown}: BYDAY {excerpt(value)!r} is not a weekday")
        if match[2] and not ordinal_limit:
            raise ValueError(
                f"recurrence rule {shown}: a BYDAY ordinal ({value}) needs FREQ=MONTHLY"
                " (1 to 5) or FREQ=YEARLY (1 to 53)"
            )
        if match[2] and not 1 <= int(match[2]) <= ordinal_limit:
            raise ValueError(
                f"recurrence rule {shown}: BYDAY ordinals with FREQ={parts['FREQ']}"
                f" are 1 to {ordinal_limit} (or their negatives)"
            )


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
    shown = repr(excerpt(text.strip()))
    if not upper:
        raise ValueError("the recurrence rule is empty")
    for word in _FORBIDDEN:
        if word in upper:
            raise ValueError(f"write the recurrence rule without {word.rstrip(':')}: {shown}")
    if "FREQ=" not in upper:
        raise ValueError(f"recurrence rule {shown} has no FREQ")
    if _TOO_FINE.search(upper):
        raise ValueError(
            f"recurrence rule {shown} repeats more often than hourly; maintlib plans to the"
            " hour (use FREQ=HOURLY or coarser, with at most one BYMINUTE and BYSECOND)"
        )
    if "COUNT=" in upper and "UNTIL=" in upper:
        raise ValueError(f"recurrence rule {shown} combines COUNT and UNTIL; use one")
    interval = _INTERVAL.search(upper)
    if interval and not (interval[1].isdigit() and len(interval[1]) <= 6 and int(interval[1]) > 0):
        raise ValueError(f"recurrence rule {shown}: INTERVAL must be a whole number from 1")
    _check_parts(upper, shown)
    match = _UNTIL.search(upper)
    try:
        if match and match[1].endswith("Z"):
            moment = dt.datetime.strptime(match[1], "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)
            local = moment.astimezone(zone or dt.UTC).replace(tzinfo=None)
            upper = upper.replace(match[0], f"UNTIL={local:%Y%m%dT%H%M%S}")
        rule = du.rrulestr(upper, dtstart=dtstart)
    except (ValueError, TypeError, OverflowError, IndexError) as error:
        raise ValueError(f"invalid recurrence rule {shown}: {excerpt(str(error), 80)}") from None
    if not isinstance(rule, du.rrule):
        raise ValueError(f"invalid recurrence rule {shown}")
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
