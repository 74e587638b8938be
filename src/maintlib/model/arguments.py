"""The public functions' arguments, checked at the door.

An embedder's wrong type should fail where it is passed, naming the parameter — not
deep in the planner as ``'str' object has no attribute 'year'``. Each helper takes
the natural types of its parameter (and the ISO 8601 text of it, where a caller
writes one naturally: ``"2027-01-01"``, ``"PT2H"``), returns the value, and raises:

- :class:`TypeError` for a value of the wrong type, naming the parameter and the type;
- :class:`~maintlib.model.errors.InputError` (file ``<arguments>``, the parameter as
  location) for text that is not what it should spell.
"""

from __future__ import annotations

import datetime as dt
from typing import NoReturn

from maintlib._util.clock import parse_duration
from maintlib._util.text import excerpt
from maintlib.model.errors import InputError, Problem

__all__ = ["ARGUMENTS", "as_date", "as_datetime", "as_duration", "as_months", "as_number"]


#: The file name of problems with a call's arguments.
ARGUMENTS = "<arguments>"


def _wrong_type(name: str, expected: str, value: object) -> NoReturn:
    shown = excerpt(repr(value), 40)
    raise TypeError(f"{name}: expected {expected}, got {type(value).__name__} {shown}")


def _bad_text(name: str, message: str) -> NoReturn:
    raise InputError([Problem(ARGUMENTS, name, message)])


def as_date(value: object, name: str) -> dt.date:
    """A day: a :class:`datetime.date` (not a datetime) or its ISO text ``2027-01-01``."""
    if isinstance(value, dt.datetime):
        _wrong_type(name, "a date (not a datetime: pass .date())", value)
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            _bad_text(name, f"{excerpt(value)!r} is not a date (write YYYY-MM-DD)")
    _wrong_type(name, "a date or YYYY-MM-DD", value)


def as_datetime(value: object, name: str) -> dt.datetime:
    """An aware moment: a :class:`datetime.datetime` with a zone, or its ISO text with an
    offset (``2026-12-01T09:00:00+01:00``, ``…Z``).

    Raises:
        ValueError: The datetime is naive (no zone: the moment is not known).
    """
    if isinstance(value, str):
        text = value
        try:
            value = dt.datetime.fromisoformat(text.strip())
        except ValueError:
            _bad_text(name, f"{excerpt(text)!r} is not an ISO 8601 date and time")
    if not isinstance(value, dt.datetime):
        _wrong_type(name, "an aware datetime", value)
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime (pass tzinfo)")
    return value


def as_duration(value: object, name: str) -> dt.timedelta:
    """A length of time: a :class:`datetime.timedelta` or ISO 8601 text (``PT2H``, ``P1D``)."""
    if isinstance(value, dt.timedelta):
        return value
    if isinstance(value, str):
        try:
            return parse_duration(value)
        except ValueError as error:
            _bad_text(name, str(error))
    _wrong_type(name, "a timedelta or ISO 8601 duration (PT2H)", value)


def as_months(value: object, name: str = "months") -> int:
    """A whole number of months: an :class:`int` (not a bool, not 1.5)."""
    if isinstance(value, bool) or not isinstance(value, int):
        _wrong_type(name, "a whole number of months (int)", value)
    return value


def as_number(value: object, name: str) -> float:
    """A number of seconds or the like: an :class:`int` or :class:`float`, not a bool."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        _wrong_type(name, "a number", value)
    return float(value)
