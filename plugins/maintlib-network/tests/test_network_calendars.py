"""The vendors' advisory calendars, and Cisco's change of cadence in July 2026."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from maintlib.packs import Plugins, ReleaseCalendar, build_catalog, releases
from maintlib_network import CISCO, CISCO_CHANGE, FORTINET, JUNIPER, PALO_ALTO_NETWORKS

PACIFIC = ZoneInfo("America/Los_Angeles")


def dates(calendar: ReleaseCalendar, start: dt.date, end: dt.date) -> list[dt.date]:
    moments = releases(
        calendar,
        dt.datetime.combine(start, dt.time(), tzinfo=dt.UTC),
        dt.datetime.combine(end, dt.time(), tzinfo=dt.UTC),
    )
    assert {(m.tzinfo, m.time()) for m in moments} <= {(PACIFIC, dt.time(17))}
    return [m.date() for m in moments]


YEAR = (dt.date(2027, 1, 1), dt.date(2028, 1, 1))


class TestCisco:
    def test_semiannual_bundles_on_the_fourth_wednesday_of_march_and_september(self) -> None:
        assert dates(CISCO, dt.date(2024, 1, 1), dt.date(2026, 7, 1)) == [
            dt.date(2024, 3, 27),
            dt.date(2024, 9, 25),
            dt.date(2025, 3, 26),
            dt.date(2025, 9, 24),
            dt.date(2026, 3, 25),
        ]

    def test_the_first_bundle_was_march_2008(self) -> None:
        assert dates(CISCO, dt.date(2007, 1, 1), dt.date(2008, 12, 31)) == [
            dt.date(2008, 3, 26),
            dt.date(2008, 9, 24),
        ]

    def test_from_july_2026_the_first_and_third_wednesday_of_every_month(self) -> None:
        assert dt.date(2026, 7, 1) == CISCO_CHANGE
        assert dates(CISCO, dt.date(2026, 6, 1), dt.date(2026, 10, 1)) == [
            dt.date(2026, 7, 1),
            dt.date(2026, 7, 15),
            dt.date(2026, 8, 5),
            dt.date(2026, 8, 19),
            dt.date(2026, 9, 2),
            dt.date(2026, 9, 16),
        ]

    def test_2027_has_24_publication_days(self, cisco_2027: list[dt.date]) -> None:
        assert dates(CISCO, *YEAR) == cisco_2027


def test_fortinet_publishes_on_the_second_tuesday(fortinet_2027: list[dt.date]) -> None:
    assert dates(FORTINET, *YEAR) == fortinet_2027


def test_juniper_publishes_quarterly_on_the_second_wednesday(juniper_2027: list[dt.date]) -> None:
    assert dates(JUNIPER, *YEAR) == juniper_2027


def test_palo_alto_publishes_on_the_second_wednesday() -> None:
    found = dates(PALO_ALTO_NETWORKS, *YEAR)
    assert len(found) == 12
    assert all(d.weekday() == 2 and 8 <= d.day <= 14 for d in found)


@pytest.mark.parametrize("calendar", [CISCO, FORTINET, JUNIPER, PALO_ALTO_NETWORKS])
def test_every_calendar_reaches_the_catalog_with_its_source(
    network: Plugins, calendar: ReleaseCalendar
) -> None:
    catalog = build_catalog(network)
    assert catalog.calendars[calendar.id] == calendar
    assert "https://" in calendar.source
    assert any(word in calendar.source for word in ("High", "Medium"))
