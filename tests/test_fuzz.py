"""The fuzz suite of issue 33: every reader of outside input, fed mutants of real
files, ends in its value or its input error — never another exception.

Each reader gets seeds (the test data and the examples) mutated by hypothesis:
bytes flipped, cut out, doubled or truncated, and hostile tokens put in (deep
brackets, numbers of thousands of digits, NaN, years 1 and 9999, RRULE parts out
of range, hourly rules, broken date-times, control characters). A reader that
accepts a mutant must also survive the next step (an RRULE its expansion, a
blackout calendar its expansion over a year).

The budget follows the hypothesis profile (``tests/conftest.py``): in the normal
run (``ci``) each reader gets an eighth of the profile's examples, 25; the release
profile runs 1,250 each (``HYPOTHESIS_PROFILE=long .venv/bin/pytest
tests/test_fuzz.py``), see docs/inventory.md, "Limits".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from maintlib._util.json import JsonInputError, loads
from maintlib._util.recurrence import EPOCH, occurrences, parse_rrule
from maintlib.loading.blackouts import check_calendar, expand_calendar
from maintlib.loading.read import loads as load_inventory
from maintlib.model.catalog import Catalog
from maintlib.model.errors import InputError
from maintlib.model.inventory import BlackoutCalendar
from maintlib.outputs.ics.feed import Previous
from maintlib.records.log import parse_log
from maintlib.vulns.feeds import read_csaf, read_epss, read_kev, read_vulnrichment

ROOT = Path(__file__).parent
DATA = ROOT / "data"
ZONE = ZoneInfo("Europe/Amsterdam")

#: Examples per reader: an eighth of the profile's (25 in ``ci``, 1,250 in ``long``).
BUDGET = settings(max_examples=max(25, settings.default.max_examples // 8))

HOSTILE = [
    b"[" * 200,
    b"{" * 70,
    b"9" * 5000,
    b"NaN",
    b"-Infinity",
    b"1e999999",
    b"\x00",
    b"\xff\xfe",
    b"\r\n",
    b"\x1b[2J",
    b"9999-12-31",
    b"0001-01-01",
    b"99999999T999999",
    b"FREQ=HOURLY",
    b"FREQ=SECONDLY",
    b"BYDAY=53MO",
    b"COUNT=99999999999999999999",
    b"INTERVAL=0",
    b"DTSTART:00010101T000000Z",
    b"DTEND;VALUE=DATE:99991231",
    b"RRULE:FREQ=HOURLY\r\n",
    b'"',
    b"\\",
    "é€".encode(),
    b"-1",
    b",",
    b";",
    b"\n",
]


@st.composite
def mutants(draw: st.DrawFn, seeds: list[bytes]) -> bytes:
    """One of ``seeds`` with one to four mutations."""
    data = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["flip", "cut", "double", "hostile", "truncate"]))
        if kind == "flip" and at < len(data):
            data[at] = draw(st.integers(0, 255))
        elif kind == "cut":
            del data[at : at + draw(st.integers(1, 64))]
        elif kind == "double":
            data[at:at] = data[at : at + draw(st.integers(1, 256))]
        elif kind == "hostile":
            data[at:at] = draw(st.sampled_from(HOSTILE))
        else:
            del data[at:]
    return bytes(data)


def seeds(*patterns: str) -> list[bytes]:
    found = sorted(path for pattern in patterns for path in ROOT.parent.glob(pattern))
    assert found, patterns
    return [path.read_bytes() for path in found]


def survives(read: Callable[[], Any], *allowed: type[Exception]) -> Any:
    """``read()``'s value, or None when it raised one of ``allowed`` (an input
    error); any other exception fails the test."""
    try:
        return read()
    except allowed:
        return None


INVENTORIES = seeds("examples/*/inventory.toml", "tests/data/history/inventory.toml")


@BUDGET
@given(data=mutants(INVENTORIES))
def test_inventory_toml(data: bytes, catalog: Catalog) -> None:
    survives(lambda: load_inventory(data, format="toml", catalog=catalog), InputError)


JSON_INVENTORY = b"""{"organisation": {"name": "Acme", "timezone": "Europe/Amsterdam"},
 "windows": [{"name": "sat", "rrule": "FREQ=WEEKLY;BYDAY=SA", "start": "22:00",
   "duration": "PT4H"}],
 "assets": [{"id": "fw01", "kind": "firewall", "criticality": "high", "value": 1000}]}"""


@BUDGET
@given(data=mutants([JSON_INVENTORY]))
def test_inventory_json(data: bytes, catalog: Catalog) -> None:
    survives(lambda: load_inventory(data, format="json", catalog=catalog), InputError)


@BUDGET
@given(data=mutants([JSON_INVENTORY, *seeds("tests/data/feeds/*.json")]))
def test_the_bounded_json_reader(data: bytes) -> None:
    survives(lambda: loads(data.decode("utf-8", "replace")), JsonInputError)


RULES = [
    b"FREQ=WEEKLY;BYDAY=SA",
    b"FREQ=MONTHLY;BYDAY=2TU",
    b"FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=24",
    b"FREQ=HOURLY;INTERVAL=6",
    b"FREQ=DAILY;UNTIL=20271231T000000Z",
]


@BUDGET
@given(data=mutants(RULES))
def test_rrules(data: bytes) -> None:
    text = data.decode("utf-8", "replace")
    if survives(lambda: parse_rrule(text, EPOCH), ValueError) is not None:
        start = dt.datetime(2027, 1, 1)
        occurrences(text, EPOCH, start, start + dt.timedelta(days=31))


CALENDARS = [
    *seeds("tests/data/bad/*.ics"),
    b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:1@t\r\n"
    b"DTSTART;TZID=Europe/Amsterdam:20270322T080000\r\n"
    b"DTEND;TZID=Europe/Amsterdam:20270322T100000\r\nRRULE:FREQ=WEEKLY;COUNT=30\r\n"
    b"EXDATE;TZID=Europe/Amsterdam:20270329T080000\r\nSUMMARY:Closed\r\nEND:VEVENT\r\n"
    b"BEGIN:VEVENT\r\nUID:2@t\r\nDTSTART;VALUE=DATE:20271224\r\nDTEND;VALUE=DATE:20280101\r\n"
    b"RRULE:FREQ=YEARLY\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
]


@BUDGET
@given(data=mutants(CALENDARS))
def test_blackout_calendars(data: bytes) -> None:
    if check_calendar(data, "closures.ics"):
        return
    start = dt.datetime(2027, 1, 1, tzinfo=ZONE)
    calendar = BlackoutCalendar("closures.ics", data)
    survives(lambda: expand_calendar(calendar, start, start.replace(year=2028), ZONE), InputError)


@BUDGET
@given(data=mutants(CALENDARS), name=st.sampled_from(["plan.ics", "other.ics"]))
def test_previous_feeds(data: bytes, name: str) -> None:
    survives(lambda: Previous.parse({name: data}), InputError)


LOGS = seeds("tests/data/history/log.jsonl")


@BUDGET
@given(data=mutants(LOGS), format=st.sampled_from(["jsonl", "csv"]))
def test_maintenance_logs(data: bytes, format: Any) -> None:
    survives(lambda: parse_log(data, format, "log"), InputError)


FEEDS: list[tuple[Callable[[bytes, str], Any], list[bytes]]] = [
    (read_kev, seeds("tests/data/feeds/kev.json")),
    (read_epss, seeds("tests/data/feeds/epss.csv", "tests/data/feeds/epss.csv.gz")),
    (read_csaf, seeds("tests/data/feeds/csaf/*.json")),
    (read_vulnrichment, seeds("tests/data/feeds/vulnrichment/*.json")),
]


@BUDGET
@given(data=st.data(), which=st.sampled_from(range(len(FEEDS))))
def test_vulnerability_feeds(data: st.DataObject, which: int) -> None:
    read, files = FEEDS[which]
    content = data.draw(mutants(files))
    survives(lambda: read(content, "feed"), InputError)
