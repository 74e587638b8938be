"""The limits of maintlib's input: each far above any real inventory, each checked
with a located error.

Inventories come from customers, and a service embedding maintlib may take
uploads: a number, a file or a recurrence large enough to exhaust the machine is
refused where it is read, never found out by running out of memory or time. The
table in ``docs/inventory.md`` (section "Limits") lists these values; a test keeps
the two equal.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
from decimal import Decimal
from pathlib import Path

__all__ = [
    "MAX_AMOUNT",
    "MAX_ASSETS",
    "MAX_BLACKOUTS",
    "MAX_CALENDAR_EVENTS",
    "MAX_CALENDAR_OCCURRENCES",
    "MAX_CAPACITY_HOURS",
    "MAX_DAILY_MINUTES",
    "MAX_DATE_YEAR",
    "MAX_DAYS",
    "MAX_DEADLINE_DAYS",
    "MAX_DURATION",
    "MAX_FACTOR",
    "MAX_FILE_BYTES",
    "MAX_NUMBER",
    "MAX_TECHNICIANS",
    "MAX_TEXT",
    "MAX_WINDOWS",
    "MAX_YEAR",
    "MIN_DATE_YEAR",
    "MIN_YEAR",
    "date_problem",
    "read_input",
]


#: Bytes of one input file: an inventory, a CSV asset table, a blackout ``.ics``,
#: a previous feed.
MAX_FILE_BYTES = 64 * 1024 * 1024


#: Assets in one inventory (its own table and its CSV files together).
MAX_ASSETS = 100_000


#: Windows in one inventory.
MAX_WINDOWS = 1_000


#: Blackouts written in one inventory (``.ics`` files count their events apart).
MAX_BLACKOUTS = 10_000


#: Events in one blackout ``.ics`` file.
MAX_CALENDAR_EVENTS = 10_000


#: Occurrences one blackout ``.ics`` file may expand to over a plan's horizon.
MAX_CALENDAR_OCCURRENCES = 50_000


#: Characters in one text value (a name, an owner, a reason).
MAX_TEXT = 4_096


#: Any number in an inventory, in absolute value.
MAX_NUMBER = Decimal(10**9)


#: One amount of money (a rate, a fee, a call-out, a cost range's end).
MAX_AMOUNT = Decimal(10**7)


#: A band's factor of the hourly rate.
MAX_FACTOR = Decimal(10)


#: Minutes of daily labour.
MAX_DAILY_MINUTES = Decimal(24 * 60)


#: Technician-hours of one window occurrence.
MAX_CAPACITY_HOURS = Decimal(10_000)


#: Days of soak time, release offsets, the look-ahead and the like.
MAX_DAYS = 365


#: Office-hours technicians (``[planning] technicians``).
MAX_TECHNICIANS = 10_000


#: Days a deadline may allow.
MAX_DEADLINE_DAYS = 3_650


#: A duration (window, work, verification, blackout event).
MAX_DURATION = dt.timedelta(days=366)


#: Years a horizon or reference time may fall in (the horizon's start and end).
MIN_YEAR, MAX_YEAR = 1970, 2199


#: Years a date or time read from a file may fall in: a maintenance log's times, a
#: feed's dates (KEV ``dateAdded``, a CVE's ``datePublished``), a previous feed's
#: events. Far outside any real record, and far enough inside ``datetime``'s range
#: (years 1 to 9999) that a year's arithmetic on them never overflows.
MIN_DATE_YEAR, MAX_DATE_YEAR = 1900, 2200


def date_problem(value: dt.date) -> str | None:
    """Why a date (or date-time) read from a file is outside the supported range
    (``"year 9999 is outside 1900–2200"``), or None when it is inside."""
    if MIN_DATE_YEAR <= value.year <= MAX_DATE_YEAR:
        return None
    return f"year {value.year} is outside {MIN_DATE_YEAR}–{MAX_DATE_YEAR}"


def read_input(path: str | os.PathLike[str], limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes.

    Devices, FIFOs and sockets are refused before they are opened for reading
    (``/dev/zero`` never ends; a FIFO may never answer), and a file that grows
    past the limit while it is read is refused too.

    Raises:
        OSError: The file cannot be read (``strerror`` says why).
        ValueError: Not a regular file, or larger than ``limit`` (the message says
            which).
    """
    file = Path(path)
    info = file.stat()
    if not stat.S_ISREG(info.st_mode):
        raise ValueError("not a regular file (a device, FIFO or socket is not read)")
    if info.st_size > limit:
        raise ValueError(f"larger than {limit:,} bytes ({info.st_size:,})")
    with file.open("rb") as handle:
        content = handle.read(limit + 1)
    if len(content) > limit:
        raise ValueError(f"larger than {limit:,} bytes")
    return content
