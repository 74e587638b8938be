"""Blackouts from iCalendar files (issue 6, "Import"): checked with file and line,
expanded over the horizon, and honoured by the scheduler."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from maintlib.loading.blackouts import check_calendar, expand_calendar
from maintlib.loading.read import load
from maintlib.model.catalog import Catalog
from maintlib.model.errors import InputError
from maintlib.model.inventory import Blackout, BlackoutCalendar
from maintlib.pipeline import plan
from maintlib.testing import REFERENCE_TIME

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
UTC = dt.UTC


def calendar(*events: str) -> bytes:
    """A calendar of ``events`` (each the lines inside BEGIN/END:VEVENT)."""
    body = "".join(
        f"BEGIN:VEVENT\r\nUID:{index}@test\r\nDTSTAMP:20260101T000000Z\r\n{event}END:VEVENT\r\n"
        for index, event in enumerate(events)
    )
    return (
        f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n{body}END:VCALENDAR\r\n".encode()
    )


def expand(content: bytes, first: str = "2027-01-01", last: str = "2029-01-01") -> list[Blackout]:
    assert check_calendar(content, "closures.ics") == []
    start = dt.datetime.fromisoformat(first).replace(tzinfo=AMSTERDAM)
    end = dt.datetime.fromisoformat(last).replace(tzinfo=AMSTERDAM)
    return expand_calendar(BlackoutCalendar("closures.ics", content), start, end, AMSTERDAM)


def intervals(blackouts: list[Blackout]) -> list[tuple[dt.datetime, dt.datetime]]:
    return [b.interval(AMSTERDAM) for b in blackouts]


def at(text: str, zone: dt.tzinfo = AMSTERDAM) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=zone)


class TestCheck:
    def test_a_good_calendar_has_no_problems(self) -> None:
        content = calendar("DTSTART;VALUE=DATE:20270427\r\nSUMMARY:King's Day\r\n")
        assert check_calendar(content, "closures.ics") == []

    @pytest.mark.parametrize(
        ("event", "message"),
        [
            ("SUMMARY:Closed\r\n", "the event has no DTSTART"),
            ("DTSTART:soon\r\nSUMMARY:Closed\r\n", "DTSTART: "),
            ("DTSTART:20270611T120000Z\r\nDTEND:later\r\nSUMMARY:Closed\r\n", "DTEND: "),
            (
                "DTSTART:20270611T120000Z\r\nDTEND:20270611T110000Z\r\nSUMMARY:Closed\r\n",
                "the event ends before it starts",
            ),
            (
                "DTSTART:20270611T120000Z\r\nRRULE:FREQ=SOMETIMES\r\nSUMMARY:Closed\r\n",
                "RRULE: ",
            ),
            ("DTSTART:20270611T120000Z\r\nDURATION:forever\r\nSUMMARY:Closed\r\n", "DURATION: "),
        ],
    )
    def test_each_problem_is_located_by_file_line_and_event(self, event: str, message: str) -> None:
        content = calendar("DTSTART;VALUE=DATE:20270427\r\nSUMMARY:Fine\r\n", event)
        (problem,) = check_calendar(content, "closures.ics")
        assert problem.file == "closures.ics"
        assert problem.location == 'line 10 (event "Closed")'  # the second BEGIN:VEVENT
        assert problem.message.startswith(message)

    def test_a_broken_start_is_reported_once_not_raised(self) -> None:
        # icalendar 7 raises on reading a broken value; the check reported it, then crashed.
        problems = check_calendar(calendar("DTSTART:notadate\r\n"), "closures.ics")
        assert [p.message for p in problems] == ["DTSTART: Wrong date format notadate"]

    def test_not_utf8_gives_the_line(self) -> None:
        content = calendar("DTSTART:20270611T120000Z\r\nSUMMARY:caf\xe9\r\n")
        content = content.replace("café".encode(), b"caf\xe9")
        (problem,) = check_calendar(content, "closures.ics")
        assert (problem.location, problem.message) == ("line 8", "not valid UTF-8")

    @pytest.mark.parametrize("content", [b"hello world", b""])
    def test_not_icalendar(self, content: bytes) -> None:
        (problem,) = check_calendar(content, "closures.ics")
        assert problem.file == "closures.ics"
        assert problem.message.startswith("not an iCalendar file: ")


class TestExpand:
    def test_an_all_day_event_blocks_its_day(self) -> None:
        (blackout,) = expand(
            calendar("DTSTART;VALUE=DATE:20270427\r\nDTEND;VALUE=DATE:20270428\r\nSUMMARY:K\r\n")
        )
        assert (blackout.name, blackout.start, blackout.end) == (
            "K",
            dt.date(2027, 4, 27),
            dt.date(2027, 4, 27),
        )
        assert blackout.interval(AMSTERDAM) == (at("2027-04-27"), at("2027-04-28"))

    def test_an_all_day_event_without_end_is_one_day(self) -> None:
        assert intervals(expand(calendar("DTSTART;VALUE=DATE:20270427\r\n"))) == [
            (at("2027-04-27"), at("2027-04-28"))
        ]

    def test_several_days(self) -> None:
        content = calendar("DTSTART;VALUE=DATE:20271224\r\nDTEND;VALUE=DATE:20280101\r\n")
        assert intervals(expand(content)) == [(at("2027-12-24"), at("2028-01-01"))]

    def test_timed_events_in_a_zone_in_utc_and_floating(self) -> None:
        content = calendar(
            "DTSTART;TZID=Europe/Amsterdam:20270611T120000\r\n"
            "DTEND;TZID=Europe/Amsterdam:20270612T000000\r\nSUMMARY:Company day\r\n",
            "DTSTART:20270701T080000Z\r\nDTEND:20270701T090000Z\r\nSUMMARY:UTC\r\n",
            "DTSTART:20270801T080000\r\nDTEND:20270801T090000\r\nSUMMARY:Floating\r\n",
            "DTSTART:20270901T080000Z\r\nDURATION:PT3H\r\nSUMMARY:Duration\r\n",
        )
        assert intervals(expand(content)) == [
            (at("2027-06-11T12:00"), at("2027-06-12T00:00")),
            (at("2027-07-01T08:00", UTC), at("2027-07-01T09:00", UTC)),
            (at("2027-08-01T08:00"), at("2027-08-01T09:00")),  # floating: the organisation's zone
            (at("2027-09-01T08:00", UTC), at("2027-09-01T11:00", UTC)),
        ]

    def test_a_yearly_closure_repeats_in_every_year_of_the_horizon(self) -> None:
        content = calendar(
            "DTSTART;VALUE=DATE:20261224\r\nDTEND;VALUE=DATE:20270101\r\nRRULE:FREQ=YEARLY\r\n"
        )
        assert intervals(expand(content)) == [
            (at("2027-12-24"), at("2028-01-01")),
            (at("2028-12-24"), at("2029-01-01")),
        ]

    def test_recurring_timed_events_skip_their_exdates_and_keep_wall_clock(self) -> None:
        content = calendar(
            "DTSTART;TZID=Europe/Amsterdam:20270322T080000\r\n"
            "DTEND;TZID=Europe/Amsterdam:20270322T100000\r\n"
            "RRULE:FREQ=WEEKLY;COUNT=3\r\n"
            "EXDATE;TZID=Europe/Amsterdam:20270329T080000\r\n"
        )
        found = intervals(expand(content))
        assert found == [
            (at("2027-03-22T08:00"), at("2027-03-22T10:00")),
            (at("2027-04-05T08:00"), at("2027-04-05T10:00")),
        ]
        # Across the DST change the closure stays at 08:00 local: an hour earlier in UTC.
        assert [start.utcoffset() for start, _ in found] == [
            dt.timedelta(hours=1),
            dt.timedelta(hours=2),
        ]

    def test_rdates_add_occurrences_and_a_moved_occurrence_replaces_its_own(self) -> None:
        content = calendar(
            "DTSTART;TZID=Europe/Amsterdam:20270301T080000\r\n"
            "DTEND;TZID=Europe/Amsterdam:20270301T090000\r\n"
            "RRULE:FREQ=WEEKLY;COUNT=3\r\nRDATE:20270310T070000Z\r\nSUMMARY:Weekly\r\n",
            "DTSTART;VALUE=DATE:20270401\r\nRDATE;VALUE=DATE:20270501\r\nSUMMARY:Days\r\n",
        )
        # The same UID (0@test) with a RECURRENCE-ID: the 8 March occurrence, moved.
        moved = calendar(
            "DTSTART;TZID=Europe/Amsterdam:20270309T140000\r\n"
            "DTEND;TZID=Europe/Amsterdam:20270309T150000\r\n"
            "RECURRENCE-ID:20270308T070000Z\r\nSUMMARY:Weekly\r\n"
        )
        events = content.replace(b"END:VCALENDAR\r\n", b"") + moved[moved.index(b"BEGIN:VEVENT") :]
        assert intervals(expand(events)) == [
            (at("2027-03-01T08:00"), at("2027-03-01T09:00")),
            (at("2027-03-09T14:00"), at("2027-03-09T15:00")),  # 03-08 moved to 03-09
            (at("2027-03-10T08:00"), at("2027-03-10T09:00")),  # the RDATE
            (at("2027-03-15T08:00"), at("2027-03-15T09:00")),
            (at("2027-04-01"), at("2027-04-02")),
            (at("2027-05-01"), at("2027-05-02")),  # an all-day RDATE
        ]

    def test_only_what_touches_the_range(self) -> None:
        content = calendar(
            "DTSTART;VALUE=DATE:20261231\r\nDTEND;VALUE=DATE:20270102\r\nSUMMARY:Spans\r\n",
            "DTSTART;VALUE=DATE:20300101\r\nSUMMARY:Later\r\n",
        )
        assert [b.name for b in expand(content)] == ["Spans"]

    def test_a_timed_event_without_end_takes_no_time(self) -> None:
        # RFC 5545 3.6.1: a DATE-TIME start without end or duration is an instant.
        assert expand(calendar("DTSTART:20270611T120000Z\r\n")) == []

    def test_unnamed_events_take_the_file_name(self) -> None:
        (blackout,) = expand(calendar("DTSTART;VALUE=DATE:20270427\r\n"))
        assert blackout.name == "closures.ics"


INVENTORY = """
[organisation]
name = "Acme BV"
timezone = "Europe/Amsterdam"

[[windows]]
name = "sat-night"
rrule = "FREQ=WEEKLY;BYDAY=SA"
start = "22:00"
duration = "PT6H"

[[blackouts]]
ics = "{ics}"
reason = "Office closed"

[[assets]]
id = "hv01"
kind = "hypervisor"
window = "sat-night"
"""


def write_inventory(folder: Path, ics: str = "closures.ics") -> Path:
    path = folder / "inventory.toml"
    path.write_text(INVENTORY.format(ics=ics), encoding="utf-8")
    return path


class TestInventory:
    def test_the_calendar_is_read_beside_the_inventory(
        self, tmp_path: Path, catalog: Catalog
    ) -> None:
        content = calendar("DTSTART;VALUE=DATE:20270427\r\n")
        (tmp_path / "closures.ics").write_bytes(content)
        inventory = load(write_inventory(tmp_path), catalog=catalog)
        (attached,) = inventory.blackout_calendars
        assert (attached.file, attached.content, attached.reason) == (
            "closures.ics",
            content,
            "Office closed",
        )

    def test_a_missing_calendar_is_located(self, tmp_path: Path, catalog: Catalog) -> None:
        with pytest.raises(InputError) as caught:
            load(write_inventory(tmp_path, "missing.ics"), catalog=catalog)
        (problem,) = caught.value.problems
        assert problem.location.startswith("blackouts[0]")
        assert problem.location.endswith(".ics")
        assert 'cannot read "missing.ics"' in problem.message

    def test_problems_in_the_calendar_name_the_calendar_and_its_line(
        self, tmp_path: Path, catalog: Catalog
    ) -> None:
        (tmp_path / "closures.ics").write_bytes(calendar("SUMMARY:Closed\r\n"))
        with pytest.raises(InputError) as caught:
            load(write_inventory(tmp_path), catalog=catalog)
        assert [str(p) for p in caught.value.problems] == [
            'closures.ics: line 4 (event "Closed"): the event has no DTSTART'
        ]

    def test_the_scheduler_works_around_the_closures(
        self, tmp_path: Path, catalog: Catalog
    ) -> None:
        # Every Saturday night of January 2027 closed, by one weekly event.
        (tmp_path / "closures.ics").write_bytes(
            calendar(
                "DTSTART;TZID=Europe/Amsterdam:20270102T200000\r\n"
                "DTEND;TZID=Europe/Amsterdam:20270103T060000\r\n"
                "RRULE:FREQ=WEEKLY;UNTIL=20270130T190000Z\r\nSUMMARY:January freeze\r\n"
            )
        )
        inventory = load(write_inventory(tmp_path), catalog=catalog)
        result = plan(
            inventory,
            start=dt.date(2027, 1, 1),
            months=2,
            reference_time=REFERENCE_TIME,
            plugins=catalog,
        )
        windowed = [t for t in result.tasks if t.window == "sat-night"]
        assert windowed
        assert all(t.start >= at("2027-01-31T06:00") for t in windowed)
