"""Patch Tuesday and the optional preview, as the vendor describes them."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from maintlib.packs import Plugins, build_catalog, releases
from maintlib_microsoft import PATCH_TUESDAY, PREVIEW

LOS_ANGELES = ZoneInfo("America/Los_Angeles")
YEAR_2027 = (dt.datetime(2027, 1, 1, tzinfo=dt.UTC), dt.datetime(2028, 1, 1, tzinfo=dt.UTC))


def test_patch_tuesday_is_the_second_tuesday_at_10_pacific(patch_tuesdays: list[dt.date]) -> None:
    found = releases(PATCH_TUESDAY, *YEAR_2027)
    assert [r.date() for r in found] == patch_tuesdays
    assert {(r.tzinfo, r.time()) for r in found} == {(LOS_ANGELES, dt.time(10))}


def test_patch_tuesday_follows_us_daylight_saving_time_in_utc() -> None:
    january, july = releases(PATCH_TUESDAY, *YEAR_2027)[0], releases(PATCH_TUESDAY, *YEAR_2027)[6]
    assert january.astimezone(dt.UTC).hour == 18
    assert july.astimezone(dt.UTC).hour == 17


def test_the_preview_is_the_fourth_tuesday_since_april_2023_but_not_in_december() -> None:
    before = releases(
        PREVIEW, dt.datetime(2022, 1, 1, tzinfo=dt.UTC), dt.datetime(2023, 4, 1, tzinfo=dt.UTC)
    )
    assert before == ()
    found = releases(PREVIEW, *YEAR_2027)
    # KB4586781: "there won't be any preview releases for the month of December".
    assert [release.month for release in found] == list(range(1, 12))
    assert "KB4586781" in PREVIEW.source
    for release in found:
        assert release.weekday() == 1
        assert 22 <= release.day <= 28
        assert release.time() == dt.time(10)


def test_the_catalog_gets_both_calendars_with_their_source(microsoft: Plugins) -> None:
    calendars = build_catalog(microsoft).calendars
    assert calendars["patch-tuesday"] == PATCH_TUESDAY
    assert calendars["microsoft-preview"] == PREVIEW
    for calendar in (PATCH_TUESDAY, PREVIEW):
        assert "learn.microsoft.com/en-us/windows/deployment/update/release-cycle" in (
            calendar.source
        )
