"""Third-party vendors' release calendars."""

from __future__ import annotations

import datetime as dt

from maintlib.packs import CalendarPeriod, ReleaseCalendar
from maintlib_thirdparty._sources import ADOBE, M365_APPS_CHANNELS, ORACLE_CPU

__all__ = ["ADOBE_CHANGE", "ADOBE_SECURITY", "M365_APPS", "ORACLE_CPU_DAYS"]

_PACIFIC = "America/Los_Angeles"

#: The first fourth-Tuesday release (ADOBE, Medium).
ADOBE_CHANGE = dt.date(2026, 7, 14)

#: Adobe's scheduled security updates: Patch Tuesday (second Tuesday); from July 2026
#: the fourth Tuesday too (ADOBE, Medium). Adobe states no time of day: 10:00 Pacific,
#: Patch Tuesday's, is assumed (UNCONFIRMED).
ADOBE_SECURITY = ReleaseCalendar(
    id="adobe-security",
    name="Adobe scheduled security updates",
    vendor="Adobe",
    timezone=_PACIFIC,
    time=dt.time(10),
    periods=(
        CalendarPeriod("FREQ=MONTHLY;BYDAY=2TU"),
        CalendarPeriod("FREQ=MONTHLY;BYDAY=2TU,4TU", effective_from=ADOBE_CHANGE),
    ),
    source=f"{ADOBE} (Medium; time of day UNCONFIRMED)",
)

#: Oracle Critical Patch Updates: the Tuesday closest to the 17th of January, April,
#: July and October — the one Tuesday from the 14th to the 20th — since January 2011,
#: at 13:00 Pacific (ORACLE_CPU, High).
ORACLE_CPU_DAYS = ReleaseCalendar(
    id="oracle-cpu",
    name="Oracle Critical Patch Updates",
    vendor="Oracle",
    timezone=_PACIFIC,
    time=dt.time(13),
    periods=(
        CalendarPeriod(
            "FREQ=MONTHLY;BYMONTH=1,4,7,10;BYDAY=TU;BYMONTHDAY=14,15,16,17,18,19,20",
            effective_from=dt.date(2011, 1, 1),
        ),
    ),
    source=f"{ORACLE_CPU} (High)",
)

#: Microsoft 365 Apps, Monthly Enterprise and Semi-Annual Enterprise channels: the
#: second Tuesday (M365_APPS_CHANNELS, UNCONFIRMED), at Patch Tuesday's 10:00 Pacific.
M365_APPS = ReleaseCalendar(
    id="m365-apps-enterprise",
    name="Microsoft 365 Apps enterprise channels (second Tuesday)",
    vendor="Microsoft",
    timezone=_PACIFIC,
    time=dt.time(10),
    periods=(CalendarPeriod("FREQ=MONTHLY;BYDAY=2TU"),),
    source=M365_APPS_CHANNELS,
)
