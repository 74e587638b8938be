"""Oracle's Critical Patch Update days and Adobe's releases, counted by hand."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from maintlib.packs import ReleaseCalendar, releases
from maintlib_thirdparty import ADOBE_CHANGE, ADOBE_SECURITY, ORACLE_CPU_DAYS

PACIFIC = ZoneInfo("America/Los_Angeles")


def dates(calendar: ReleaseCalendar, start: dt.date, end: dt.date) -> list[dt.date]:
    moments = releases(
        calendar,
        dt.datetime.combine(start, dt.time(), tzinfo=dt.UTC),
        dt.datetime.combine(end, dt.time(), tzinfo=dt.UTC),
    )
    assert {m.tzinfo for m in moments} <= {PACIFIC}
    return [m.date() for m in moments]


def closest_tuesday_to_the_17th(year: int, month: int) -> dt.date:
    """Oracle's rule, computed the long way."""
    seventeenth = dt.date(year, month, 17)
    tuesdays = [seventeenth + dt.timedelta(days=d) for d in range(-3, 4)]
    (found,) = [d for d in tuesdays if d.weekday() == 1]
    return found


def test_2027_critical_patch_updates() -> None:
    """The 17th of January and October 2027 is a Sunday, of April and July a Saturday."""
    assert dates(ORACLE_CPU_DAYS, dt.date(2027, 1, 1), dt.date(2028, 1, 1)) == [
        dt.date(2027, 1, 19),
        dt.date(2027, 4, 20),
        dt.date(2027, 7, 20),
        dt.date(2027, 10, 19),
    ]


def test_published_critical_patch_updates() -> None:
    """Dates Oracle used (Java SE releases as endoflife.date lists them; Oracle's CVRF)."""
    found = dates(ORACLE_CPU_DAYS, dt.date(2013, 1, 1), dt.date(2024, 2, 1))
    for day in (
        dt.date(2013, 7, 16),
        dt.date(2020, 7, 14),
        dt.date(2021, 1, 19),
        dt.date(2022, 7, 19),
        dt.date(2023, 10, 17),
        dt.date(2024, 1, 16),
    ):
        assert day in found


@given(st.integers(2011, 2060), st.sampled_from([1, 4, 7, 10]))
def test_always_the_tuesday_closest_to_the_17th(year: int, month: int) -> None:
    start = dt.date(year, month, 1)
    assert dates(ORACLE_CPU_DAYS, start, dt.date(year, month, 28)) == [
        closest_tuesday_to_the_17th(year, month)
    ]
    assert ORACLE_CPU_DAYS.time == dt.time(13)


def test_adobe_on_patch_tuesday_and_from_july_2026_the_fourth_tuesday() -> None:
    before = dates(ADOBE_SECURITY, dt.date(2026, 1, 1), ADOBE_CHANGE)
    assert before == [
        dt.date(2026, 1, 13),
        dt.date(2026, 2, 10),
        dt.date(2026, 3, 10),
        dt.date(2026, 4, 14),
        dt.date(2026, 5, 12),
        dt.date(2026, 6, 9),
    ]
    after = dates(ADOBE_SECURITY, dt.date(2027, 1, 1), dt.date(2027, 3, 1))
    assert after == [
        dt.date(2027, 1, 12),
        dt.date(2027, 1, 26),
        dt.date(2027, 2, 9),
        dt.date(2027, 2, 23),
    ]
