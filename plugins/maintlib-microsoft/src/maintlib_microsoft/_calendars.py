"""Microsoft's release calendars.

Out-of-band releases have no calendar: Microsoft ships them "as needed", outside
the monthly schedule (:data:`~maintlib_microsoft._sources.RELEASE_CYCLE`). They
are to reach a plan through maintlib's vulnerability path (a later issue), not
through a calendar here; until then, list the CVE under the asset's
``vulnerabilities`` so that its risk, and so its priority, goes up.
"""

from __future__ import annotations

import datetime as dt

from maintlib.packs import CalendarPeriod, ReleaseCalendar
from maintlib_microsoft._sources import DECEMBER_PREVIEW, RELEASE_CYCLE

__all__ = ["PATCH_TUESDAY", "PREVIEW"]

#: Patch Tuesday: "Second Tuesday of each month, typically published at 10:00 AM
#: Pacific Time (PST/PDT)" (RELEASE_CYCLE, High). 10:00 in America/Los_Angeles is
#: 17:00 or 18:00 UTC depending on US daylight saving time; the zone keeps it right.
PATCH_TUESDAY = ReleaseCalendar(
    id="patch-tuesday",
    name="Microsoft monthly security release (Patch Tuesday)",
    vendor="Microsoft",
    timezone="America/Los_Angeles",
    time=dt.time(10),
    periods=(CalendarPeriod("FREQ=MONTHLY;BYDAY=2TU"),),
    source=RELEASE_CYCLE,
)

#: The optional non-security preview: "Fourth Tuesday of each month, typically
#: published at 10:00 AM Pacific Time", fixed to the fourth Tuesday "starting in
#: April 2023" (RELEASE_CYCLE, High). Earlier previews came in the third or fourth
#: week, which no rule describes, so the calendar starts in April 2023. December has
#: no preview (DECEMBER_PREVIEW: Microsoft's notice for 2020, and again for 2024;
#: Medium that it holds every year).
PREVIEW = ReleaseCalendar(
    id="microsoft-preview",
    name="Microsoft optional non-security preview release",
    vendor="Microsoft",
    timezone="America/Los_Angeles",
    time=dt.time(10),
    periods=(
        CalendarPeriod(
            "FREQ=MONTHLY;BYMONTH=1,2,3,4,5,6,7,8,9,10,11;BYDAY=4TU",
            effective_from=dt.date(2023, 4, 1),
        ),
    ),
    source=f"{RELEASE_CYCLE}; {DECEMBER_PREVIEW}",
)
