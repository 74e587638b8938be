"""Reading and writing the time values of inventory files."""

from __future__ import annotations

import datetime as dt
import re

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


def parse_clock(text: str) -> dt.time:
    """``"22:00"`` or ``"22:00:00"`` → ``time(22, 0)``.

    Raises:
        ValueError: Not a valid time of day.
    """
    try:
        return dt.time.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"time {text!r} must look like 22:00") from None
