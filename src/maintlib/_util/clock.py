"""Reading and writing the time values of inventory files."""

from __future__ import annotations

import datetime as dt
import re

from maintlib._util.text import excerpt

__all__ = ["format_duration", "parse_clock", "parse_duration"]


_DURATION = re.compile(
    r"P(?:(?P<weeks>\d+)W)?(?:(?P<days>\d+)D)?"
    r"(?:T(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+)S)?)?"
)


def parse_duration(text: str) -> dt.timedelta:
    """Parse an ISO 8601 duration of weeks, days, hours, minutes and seconds.

    ``PT6H``, ``PT1H30M``, ``P1D``, ``P2W``. Months and years are refused: their
    length varies.

    Raises:
        ValueError: Not such a duration.
    """
    match = _DURATION.fullmatch(text.strip().upper())
    if not match or text.strip().upper() in ("P", "PT") or text.strip().upper().endswith("T"):
        raise ValueError(
            f"duration {text!r} is not ISO 8601 (write e.g. PT6H, PT1H30M, P1D; months and"
            " years are not allowed)"
        )
    parts = {k: int(v) for k, v in match.groupdict().items() if v}
    try:
        return dt.timedelta(**parts)
    except OverflowError:
        raise ValueError(f"duration {text!r} is too long") from None


def format_duration(value: dt.timedelta) -> str:
    """``timedelta(hours=6)`` → ``PT6H``; the inverse of :func:`parse_duration`."""
    if value < dt.timedelta(0):
        raise ValueError("negative durations cannot be written")
    days, rest = value.days, int(value.seconds)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    text = "P" + (f"{days}D" if days else "")
    clock = "".join(
        f"{amount}{unit}"
        for amount, unit in ((hours, "H"), (minutes, "M"), (seconds, "S"))
        if amount
    )
    if clock:
        text += "T" + clock
    return text if text != "P" else "PT0S"


_CLOCK = re.compile(
    r"(?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.(?P<fraction>\d{1,6}))?)?"
)


_OFFSET = re.compile(
    r"\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}(?::?\d{2})?)", re.IGNORECASE
)


def parse_clock(text: str) -> dt.time:
    """``"22:00"`` or ``"22:00:00"`` → ``time(22, 0)``; strictly ``HH:MM[:SS]``.

    Seconds may carry a fraction (``22:00:00.5``, as :func:`datetime.time.isoformat`
    writes one). Anything else is refused — ``22.30`` is not read as 22:00:00.3,
    and an offset (``22:00+02:00``) gets a hint: window times are wall clock in
    the window's zone.

    Raises:
        ValueError: Not a valid time of day of that form.
    """
    stripped = text.strip()
    match = _CLOCK.fullmatch(stripped)
    if match is None:
        hint = (
            "; write the time without an offset: window times are wall clock in the window's"
            ' timezone (set timezone = "…" for another zone)'
            if _OFFSET.fullmatch(stripped)
            else ""
        )
        raise ValueError(f"time {excerpt(text)!r} must look like 22:00 or 22:00:00{hint}")
    fraction = (match["fraction"] or "").ljust(6, "0")
    try:
        return dt.time(
            int(match["hour"]), int(match["minute"]), int(match["second"] or 0), int(fraction or 0)
        )
    except ValueError:
        raise ValueError(
            f"time {excerpt(text)!r} is not a time of day (00:00 to 23:59:59)"
        ) from None
