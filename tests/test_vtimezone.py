"""VTIMEZONE blocks as yearly rules (issue 6), checked against zoneinfo by other readers.

Two readers that take the zone from the block alone: dateutil's ``tzical`` (what
icalendar's ``Timezone.to_tz`` builds for an unknown TZID, so the blocks are
written under a made-up TZID) and ical.js.
"""

from __future__ import annotations

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

import icalendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from maintlib.outputs.ics.vtimezone import (
    Observance,
    observances,
    offset_at,
    transitions,
    vtimezone,
)
from readers import ical_js, js_time

UTC = dt.UTC
#: The four zones of the issue, and zones whose rules test the fallbacks: a
#: half-hour DST (Lord Howe), rules that do not fit one BYDAY (Jerusalem,
#: Casablanca's Ramadan changes), a rule change (Santiago), negative DST (Dublin).
ZONES = (
    "Europe/Amsterdam",
    "America/New_York",
    "Australia/Sydney",
    "Asia/Kolkata",
    "Australia/Lord_Howe",
    "Asia/Jerusalem",
    "Africa/Casablanca",
    "America/Santiago",
    "Europe/Dublin",
)


def block_text(zone: str, years: tuple[int, int]) -> str:
    moments = [dt.datetime(year, 6, 1, 12, tzinfo=ZoneInfo(zone)) for year in years]
    return vtimezone(ZoneInfo(zone), moments).to_ical().decode()


def unambiguous(local: dt.datetime, zone: ZoneInfo) -> bool:
    first, second = local.replace(tzinfo=zone), local.replace(tzinfo=zone, fold=1)
    exists = first.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == local
    return exists and first.utcoffset() == second.utcoffset()


def samples(zone: ZoneInfo, first_year: int, last_year: int) -> list[dt.datetime]:
    """Local times every 127 hours, and an hour either side of each change."""
    found = []
    moment = dt.datetime(first_year, 1, 1, tzinfo=UTC)
    while moment.year <= last_year:
        found.append(moment)
        moment += dt.timedelta(hours=127)
    for change in transitions(zone, first_year, last_year):
        found += [change.at - dt.timedelta(hours=1), change.at + dt.timedelta(hours=1)]
    locals_ = (m.astimezone(zone).replace(tzinfo=None) for m in found)
    return sorted({local for local in locals_ if unambiguous(local, zone)})


class TestYearlyRules:
    def test_amsterdam_is_one_standard_and_one_daylight_block_with_yearly_rules(self) -> None:
        text = block_text("Europe/Amsterdam", (2027, 2027))
        assert text.count("BEGIN:STANDARD") == 1
        assert text.count("BEGIN:DAYLIGHT") == 1
        assert "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10" in text
        assert "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3" in text
        assert "DTSTART:20260329T020000" in text  # the year before, so it precedes every event
        assert "DTSTART:20261025T030000" in text  # wall clock before the change (CEST)
        assert "TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100" in text.replace("TZNAME:CET\r\n", "")
        assert "RDATE" not in text
        assert "UNTIL" not in text  # the rule goes on

    def test_new_york_uses_the_second_and_first_sunday(self) -> None:
        text = block_text("America/New_York", (2027, 2028))
        assert "RRULE:FREQ=YEARLY;BYDAY=2SU;BYMONTH=3" in text
        assert "RRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=11" in text

    def test_sydney_daylight_starts_in_october_and_ends_in_april(self) -> None:
        blocks = observances(
            ZoneInfo("Australia/Sydney"), [dt.datetime(2027, 1, 1, tzinfo=ZoneInfo("UTC"))]
        )
        daylight = next(b for b in blocks if b.daylight)
        standard = next(b for b in blocks if not b.daylight)
        assert daylight.rrule == "FREQ=YEARLY;BYMONTH=10;BYDAY=1SU"
        assert standard.rrule == "FREQ=YEARLY;BYMONTH=4;BYDAY=1SU"
        assert (daylight.offset_from, daylight.offset_to) == (
            dt.timedelta(hours=10),
            dt.timedelta(hours=11),
        )

    def test_a_zone_without_dst_gets_one_standard_block(self) -> None:
        text = block_text("Asia/Kolkata", (2027, 2030))
        assert text.count("BEGIN:STANDARD") == 1
        assert "DAYLIGHT" not in text
        assert "TZOFFSETFROM:+0530" in text
        assert "TZOFFSETTO:+0530" in text
        assert "RRULE" not in text

    def test_a_rule_change_ends_the_old_rule_with_until_in_utc(self) -> None:
        # The United States moved DST in 2007: April/October before, March/November after.
        text = block_text("America/New_York", (2005, 2009))
        assert "RRULE:FREQ=YEARLY;UNTIL=20060402T070000Z;BYDAY=1SU;BYMONTH=4" in text
        assert "RRULE:FREQ=YEARLY;BYDAY=2SU;BYMONTH=3" in text

    def test_until_keeps_the_last_change_for_readers_that_compare_wall_clock(self) -> None:
        # Lord Howe's last March change of the old rule is 2005-03-27 02:00 (+11),
        # 15:00Z the day before: UNTIL is the later of the two readings.
        blocks = observances(
            ZoneInfo("Australia/Lord_Howe"), [dt.datetime(2005, 6, 1, tzinfo=ZoneInfo("UTC"))]
        )
        ended = next(b for b in blocks if b.until is not None and not b.daylight)
        assert ended.until == dt.datetime(2005, 3, 27, 2, tzinfo=UTC)

    def test_rules_that_fit_no_byday_fall_back_to_a_block_per_change(self) -> None:
        text = block_text("Africa/Casablanca", (2027, 2028))
        assert "RRULE" not in text
        assert "RDATE" not in text
        changes = transitions(ZoneInfo("Africa/Casablanca"), 2026, 2029)
        assert text.count("BEGIN:STANDARD") + text.count("BEGIN:DAYLIGHT") == len(changes)

    @pytest.mark.parametrize("zone", ZONES)
    def test_no_zone_is_written_with_rdate(self, zone: str) -> None:
        assert "RDATE" not in block_text(zone, (2005, 2030))


class TestTransitions:
    def test_amsterdam_2027_changes_at_one_utc(self) -> None:
        changes = transitions(ZoneInfo("Europe/Amsterdam"), 2027, 2027)
        assert [(c.at, c.name) for c in changes] == [
            (dt.datetime(2027, 3, 28, 1, tzinfo=UTC), "CEST"),
            (dt.datetime(2027, 10, 31, 1, tzinfo=UTC), "CET"),
        ]
        assert changes[1].onset == dt.datetime(2027, 10, 31, 3)

    def test_a_zone_without_dst_has_none(self) -> None:
        assert transitions(ZoneInfo("Asia/Kolkata"), 2000, 2040) == ()


class TestOffsetAt:
    blocks = observances(
        ZoneInfo("Europe/Amsterdam"), [dt.datetime(2027, 6, 1, tzinfo=ZoneInfo("UTC"))]
    )

    def test_summer_and_winter(self) -> None:
        assert offset_at(self.blocks, dt.datetime(2027, 7, 1, 12)) == dt.timedelta(hours=2)
        assert offset_at(self.blocks, dt.datetime(2027, 12, 1, 12)) == dt.timedelta(hours=1)

    def test_a_time_in_the_spring_gap_has_no_offset(self) -> None:
        assert offset_at(self.blocks, dt.datetime(2027, 3, 28, 2, 30)) is None

    def test_a_repeated_time_gets_its_first_reading(self) -> None:
        assert offset_at(self.blocks, dt.datetime(2027, 10, 31, 2, 30)) == dt.timedelta(hours=2)

    def test_before_the_first_change_the_first_offset_from_holds(self) -> None:
        single = (
            Observance(
                True, dt.datetime(2027, 3, 28, 2), dt.timedelta(hours=1), dt.timedelta(hours=2), "X"
            ),
        )
        assert offset_at(single, dt.datetime(2027, 1, 1)) == dt.timedelta(hours=1)


def test_observances_need_a_moment() -> None:
    with pytest.raises(ValueError, match="at least one moment"):
        observances(ZoneInfo("Europe/Amsterdam"), [])


class TestReadersAgreeWithZoneinfo:
    """Every zone, 2005–2030 (rule changes included), read back by other readers."""

    @pytest.mark.parametrize("zone_name", ZONES)
    def test_dateutil_tzical(self, zone_name: str) -> None:
        zone = ZoneInfo(zone_name)
        moments = [dt.datetime(2005, 1, 1, tzinfo=zone), dt.datetime(2030, 12, 31, tzinfo=zone)]
        text = (
            vtimezone(zone, moments)
            .to_ical()
            .replace(f"TZID:{zone_name}".encode(), f"TZID:X-maintlib-test/{zone_name}".encode())
        )
        # A made-up TZID, so icalendar builds the zone from the block, not from zoneinfo.
        reader = icalendar.Timezone.from_ical(text).to_tz()
        assert not isinstance(reader, ZoneInfo)
        wrong = [
            local
            for local in samples(zone, 2005, 2030)
            if local.replace(tzinfo=reader).utcoffset() != local.replace(tzinfo=zone).utcoffset()
        ]
        assert wrong == []

    def test_ical_js(self) -> None:
        calendar = icalendar.Calendar.new(prodid="-//maintlib//tests//EN", uid="zones@test")
        expected = {}
        counter = itertools.count()
        for zone_name in ZONES:
            zone = ZoneInfo(zone_name)
            moments = [
                dt.datetime(2005, 1, 1, tzinfo=zone),
                dt.datetime(2030, 12, 31, tzinfo=zone),
            ]
            calendar.add_component(vtimezone(zone, moments))
            for local in samples(zone, 2005, 2030):
                uid = f"{next(counter)}@test"
                start = local.replace(tzinfo=zone)
                calendar.add_component(
                    icalendar.Event.new(
                        uid=uid, stamp=dt.datetime(2026, 1, 1, tzinfo=UTC), start=start
                    )
                )
                expected[uid] = (start.astimezone(UTC).isoformat(), zone_name)
        (occurrences,) = ical_js(calendar.to_ical())
        got = {o["uid"]: (js_time(o["start"]), o["zone"]) for o in occurrences}
        assert len(got) == len(expected) > 10_000
        assert {uid for uid in expected if got[uid] != expected[uid]} == set()


@settings(max_examples=100)
@given(
    zone_name=st.sampled_from(ZONES),
    first=st.datetimes(dt.datetime(2000, 1, 1), dt.datetime(2040, 1, 1)),
    span=st.timedeltas(dt.timedelta(0), dt.timedelta(days=3 * 366)),
)
def test_blocks_give_zoneinfo_offsets_for_every_moment_they_cover(
    zone_name: str, first: dt.datetime, span: dt.timedelta
) -> None:
    zone = ZoneInfo(zone_name)
    start = first.replace(tzinfo=zone)
    moments = [
        start + dt.timedelta(hours=h) for h in range(0, int(span / dt.timedelta(hours=1)), 97)
    ]
    moments.append(start + span)
    blocks = observances(zone, moments)
    for moment in moments:
        local = moment.replace(tzinfo=None)
        if unambiguous(local, zone):
            assert offset_at(blocks, local) == moment.utcoffset()
