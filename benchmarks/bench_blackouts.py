"""Benchmark: hourly blackouts over a year (issue 33's runaways).

Expands, over a 12-month horizon, an inline hourly whole-day blackout, an .ics
event of 30 minutes every hour from its first hour and one begun in 1900, and
sixty hourly events (which stop at the 50,000-occurrence limit); then plans the
small office of the history tests with the inline one for 12 months. Prints
blackouts and seconds; figures are printed, never asserted.

    .venv/bin/python benchmarks/bench_blackouts.py
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).parent.parent
ZONE = ZoneInfo("Europe/Amsterdam")
START = dt.datetime(2027, 1, 1, tzinfo=ZONE)
END = START.replace(year=2028)
INLINE = """
[[blackouts]]
name = "hourly"
start = 2027-01-04
end = 2027-01-04
rrule = "FREQ=HOURLY"
"""


def calendar(*events: str) -> bytes:
    body = "".join(
        f"BEGIN:VEVENT\r\nUID:{index}@bench\r\n{event}END:VEVENT\r\n"
        for index, event in enumerate(events)
    )
    return (
        f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//bench//EN\r\n{body}END:VCALENDAR\r\n".encode()
    )


def main() -> None:
    from maintlib import loads, plan
    from maintlib.loading.blackouts import expand_calendar
    from maintlib.model.errors import InputError
    from maintlib.model.inventory import BlackoutCalendar

    text = (ROOT / "tests/data/history/inventory.toml").read_text(encoding="utf-8") + INLINE
    inventory = loads(text)
    cases = {
        "inline hourly, whole days": inventory.blackout_calendars[0],
        ".ics hourly, 30 min": BlackoutCalendar(
            "h.ics",
            calendar("DTSTART:20270101T000000Z\r\nDTEND:20270101T003000Z\r\nRRULE:FREQ=HOURLY\r\n"),
        ),
        ".ics hourly since 1900": BlackoutCalendar(
            "h.ics",
            calendar("DTSTART:19000101T000000Z\r\nDTEND:19000101T003000Z\r\nRRULE:FREQ=HOURLY\r\n"),
        ),
        ".ics 60 hourly events": BlackoutCalendar(
            "h.ics",
            calendar(
                *[
                    f"DTSTART:20270101T00{m:02d}00Z\r\nDURATION:PT1M\r\nRRULE:FREQ=HOURLY\r\n"
                    for m in range(60)
                ]
            ),
        ),
    }
    print("case                          blackouts       s")
    for name, item in cases.items():
        began = time.perf_counter()
        try:
            found: int | str = len(expand_calendar(item, START, END, ZONE))
        except InputError:
            found = "limit"
        print(f"{name:28}  {found!s:>9}  {time.perf_counter() - began:6.2f}")
    began = time.perf_counter()
    result = plan(inventory, start=START.date(), months=12, reference_time=START)
    seconds = time.perf_counter() - began
    print(f"plan, 12 months, inline hourly: {len(result.tasks)} tasks in {seconds:.2f} s")


if __name__ == "__main__":
    main()
