"""Network vendors' security advisory calendars.

No vendor here states a clock time except Fortinet ("during Pacific Time business
hours"); all four are Pacific-time companies. The pack puts every publication at
:data:`PUBLICATION_TIME` in America/Los_Angeles — the end of the Pacific business
day — so that no work is planned before the advisories can be out.
"""

from __future__ import annotations

import datetime as dt

from maintlib.packs import CalendarPeriod, ReleaseCalendar
from maintlib_network._sources import (
    CISCO_2026,
    CISCO_BUNDLES,
    FORTINET_PSIRT,
    JUNIPER_SIRT,
    PALO_ALTO,
)

__all__ = [
    "CISCO",
    "CISCO_CHANGE",
    "FORTINET",
    "JUNIPER",
    "PALO_ALTO_NETWORKS",
    "PUBLICATION_TIME",
]

#: The assumed time of day of a publication (maintlib default, see the module text).
PUBLICATION_TIME = dt.time(17)
_PACIFIC = "America/Los_Angeles"


def _pacific(
    calendar_id: str, name: str, vendor: str, source: str, *periods: CalendarPeriod
) -> ReleaseCalendar:
    """A calendar whose publications come at :data:`PUBLICATION_TIME`, Pacific time."""
    return ReleaseCalendar(
        id=calendar_id,
        name=name,
        vendor=vendor,
        timezone=_PACIFIC,
        time=PUBLICATION_TIME,
        periods=periods,
        source=source,
    )


#: The day Cisco's twice-monthly schedule took over from the semiannual bundles.
CISCO_CHANGE = dt.date(2026, 7, 1)

#: Cisco IOS and IOS XE: bundles on the fourth Wednesday of March and September from
#: the first bundle (2008-03-26) (CISCO_BUNDLES, High); from July 2026, the first and
#: third Wednesday of every month (CISCO_2026, Medium — IOS XE is said to come only
#: quarterly, on months not confirmed, so every reserved day counts).
CISCO = _pacific(
    "cisco-ios-xe",
    "Cisco IOS and IOS XE security publications",
    "Cisco",
    f"{CISCO_BUNDLES} (High, until June 2026); {CISCO_2026} (Medium, from July 2026)",
    CalendarPeriod("FREQ=MONTHLY;BYMONTH=3,9;BYDAY=4WE", effective_from=dt.date(2008, 3, 1)),
    CalendarPeriod("FREQ=MONTHLY;BYDAY=1WE,3WE", effective_from=CISCO_CHANGE),
)

#: Fortinet PSIRT: second Tuesday of the month, Critical issues out of cycle
#: (FORTINET_PSIRT, High; an older revision of the note said "first Tuesday").
FORTINET = _pacific(
    "fortinet-psirt",
    "Fortinet PSIRT monthly advisories",
    "Fortinet",
    f"{FORTINET_PSIRT} (High)",
    CalendarPeriod("FREQ=MONTHLY;BYDAY=2TU"),
)

#: Juniper SIRT: second Wednesday of January, April, July and October (JUNIPER_SIRT,
#: High; Medium that HPE kept it).
JUNIPER = _pacific(
    "juniper-sirt",
    "Juniper SIRT quarterly security bulletins",
    "Juniper Networks",
    f"{JUNIPER_SIRT} (High; Medium that it still applies under HPE)",
    CalendarPeriod("FREQ=MONTHLY;BYMONTH=1,4,7,10;BYDAY=2WE"),
)

#: Palo Alto Networks: second Wednesday of each month, "Patch Wednesday" (PALO_ALTO,
#: Medium: seen in PSIRT's CVE filings, not in the policy's own words).
PALO_ALTO_NETWORKS = _pacific(
    "paloalto-psirt",
    "Palo Alto Networks security advisories (Patch Wednesday)",
    "Palo Alto Networks",
    f"{PALO_ALTO} (Medium)",
    CalendarPeriod("FREQ=MONTHLY;BYDAY=2WE"),
)
