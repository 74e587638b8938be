"""Reading and writing the time values of inventory files (``maintlib._util.clock``)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from maintlib._util.clock import format_duration, parse_clock, parse_duration

NOT_ISO = "is not ISO 8601 (write e.g. PT6H, PT1H30M, P1D; months and years are not allowed)"


class TestParseDuration:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("PT6H", dt.timedelta(hours=6)),
            ("PT1H30M", dt.timedelta(hours=1, minutes=30)),
            ("PT45S", dt.timedelta(seconds=45)),
            ("P1D", dt.timedelta(days=1)),
            ("P2W", dt.timedelta(weeks=2)),
            ("P1W2DT3H4M5S", dt.timedelta(weeks=1, days=2, hours=3, minutes=4, seconds=5)),
            ("pt90m", dt.timedelta(minutes=90)),
            ("  PT6H ", dt.timedelta(hours=6)),
            ("PT0S", dt.timedelta(0)),
        ],
    )
    def test_valid(self, text: str, expected: dt.timedelta) -> None:
        assert parse_duration(text) == expected

    @pytest.mark.parametrize(
        "text", ["", "P", "PT", "P1DT", "P1M", "P1Y", "PT1.5H", "-PT1H", "6 hours", "T6H", "PT6"]
    )
    def test_invalid(self, text: str) -> None:
        with pytest.raises(
            ValueError, match=f"^duration {re.escape(repr(text))} {re.escape(NOT_ISO)}$"
        ):
            parse_duration(text)

    def test_too_long(self) -> None:
        """Found by hand: an OverflowError of timedelta escaped the loader."""
        with pytest.raises(ValueError, match=r"^duration 'P9999999999D' is too long$"):
            parse_duration("P9999999999D")


class TestFormatDuration:
    @pytest.mark.parametrize(
        ("value", "text"),
        [
            (dt.timedelta(hours=6), "PT6H"),
            (dt.timedelta(hours=1, minutes=30), "PT1H30M"),
            (dt.timedelta(days=1), "P1D"),
            (dt.timedelta(weeks=2), "P14D"),
            (dt.timedelta(days=1, hours=1), "P1DT1H"),
            (dt.timedelta(seconds=5), "PT5S"),
            (dt.timedelta(0), "PT0S"),
        ],
    )
    def test_written(self, value: dt.timedelta, text: str) -> None:
        assert format_duration(value) == text

    def test_negative(self) -> None:
        with pytest.raises(ValueError, match=r"^negative durations cannot be written$"):
            format_duration(dt.timedelta(seconds=-1))

    @given(st.timedeltas(min_value=dt.timedelta(0)).map(lambda d: d - d % dt.timedelta(seconds=1)))
    def test_inverse_of_parse(self, value: dt.timedelta) -> None:
        assert parse_duration(format_duration(value)) == value


class TestParseClock:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("22:00", dt.time(22)),
            ("07:30", dt.time(7, 30)),
            ("22:00:15", dt.time(22, 0, 15)),
            (" 06:00 ", dt.time(6)),
            ("00:00", dt.time(0)),
        ],
    )
    def test_valid(self, text: str, expected: dt.time) -> None:
        assert parse_clock(text) == expected

    @pytest.mark.parametrize("text", ["7:30", "22h", "", "noon", "22.30", "22:00:0", "T22:00"])
    def test_not_of_the_form(self, text: str) -> None:
        """Strictly HH:MM[:SS]: "22.30" was read as 22:00:00.3."""
        with pytest.raises(
            ValueError, match=f"^time {re.escape(repr(text))} must look like 22:00 or 22:00:00$"
        ):
            parse_clock(text)

    @pytest.mark.parametrize("text", ["24:00", "25:00", "12:60", "12:00:61"])
    def test_not_a_time_of_day(self, text: str) -> None:
        with pytest.raises(ValueError, match=r"is not a time of day \(00:00 to 23:59:59\)$"):
            parse_clock(text)

    @pytest.mark.parametrize("text", ["22:00+02:00", "22:00Z", "22:00:00-0500"])
    def test_an_offset_gets_a_hint(self, text: str) -> None:
        """Found: "22:00+02:00" passed check, then plan crashed (naive vs aware)."""
        with pytest.raises(ValueError, match="window times are wall clock in the window's"):
            parse_clock(text)

    def test_a_fraction_of_a_second_after_seconds(self) -> None:
        assert parse_clock("22:00:00.5") == dt.time(22, 0, 0, 500_000)
