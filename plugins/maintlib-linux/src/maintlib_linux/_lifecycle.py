"""End of support of Ubuntu LTS, Debian and RHEL releases.

Dates from endoflife.date (MIT licence), which links each vendor's page; each row
names its endoflife.date ``product/cycle``. Assets tagged ``esm`` (Ubuntu Pro) or
``els`` (Red Hat's Extended Life Cycle Support add-on) are measured against the
extended end; Debian LTS needs no subscription, so every Debian asset is.
"""

from __future__ import annotations

import datetime as dt

from maintlib.packs import Selector, SupportEnd
from maintlib_linux._sources import DEBIAN_LIFECYCLE, RHEL_LIFECYCLE, UBUNTU_LIFECYCLE

__all__ = ["ELS_TAG", "ESM_TAG", "SUPPORT"]

#: Tag of Ubuntu assets attached to Ubuntu Pro (Expanded Security Maintenance).
ESM_TAG = "esm"
#: Tag of RHEL assets with the Extended Life Cycle Support add-on.
ELS_TAG = "els"

D = dt.date


def _ubuntu(version: str, ends: dt.date, esm: dt.date) -> SupportEnd:
    return SupportEnd(
        f"Ubuntu {version} LTS",
        (Selector(product="Ubuntu*", version=f"{version}*"),),
        ends,
        UBUNTU_LIFECYCLE,
        "Medium",
        extended="Expanded Security Maintenance (Ubuntu Pro)",
        extended_ends=esm,
        extended_tag=ESM_TAG,
        endoflife=f"ubuntu/{version}",
    )


def _debian(version: str, ends: dt.date, lts: dt.date) -> SupportEnd:
    return SupportEnd(
        f"Debian {version}",
        # "Debian 12", "Debian GNU/Linux 12 (bookworm)", or "Debian" with version "12.7".
        (
            Selector(product="Debian*", version=f"{version}*"),
            Selector(product=f"Debian* {version}*"),
        ),
        ends,
        DEBIAN_LIFECYCLE,
        "Medium",
        extended="Debian LTS",
        extended_ends=lts,
        endoflife=f"debian/{version}",
    )


def _rhel(major: str, ends: dt.date, els: dt.date) -> SupportEnd:
    return SupportEnd(
        f"Red Hat Enterprise Linux {major}",
        # "Red Hat Enterprise Linux 9", "RHEL 9.4", or the name with version "9.4".
        (
            Selector(product="Red Hat Enterprise Linux*", version=f"{major}*"),
            Selector(product=f"Red Hat Enterprise Linux {major}*"),
            Selector(product="RHEL*", version=f"{major}*"),
            Selector(product=f"RHEL {major}*"),
        ),
        ends,
        RHEL_LIFECYCLE,
        "Medium",
        extended="Extended Life Cycle Support",
        extended_ends=els,
        extended_tag=ELS_TAG,
        endoflife=f"rhel/{major}",
    )


#: The lifecycle table; the README repeats it with each row's source.
SUPPORT: tuple[SupportEnd, ...] = (
    # Ubuntu LTS: end of standard support, end of ESM (endoflife.date "eol", "eoes").
    # 22.04's standard end is 2027-04-01 on endoflife.date; Canonical's page has been
    # read as "June 2027" (UNCONFIRMED) — the earlier date is kept.
    _ubuntu("18.04", D(2023, 5, 31), D(2028, 4, 1)),
    _ubuntu("20.04", D(2025, 5, 31), D(2030, 4, 2)),
    _ubuntu("22.04", D(2027, 4, 1), D(2032, 4, 9)),
    _ubuntu("24.04", D(2029, 5, 31), D(2036, 5, 31)),
    _ubuntu("26.04", D(2031, 4, 30), D(2036, 4, 30)),
    # Debian: end of the security team's support, end of LTS.
    _debian("10", D(2022, 9, 10), D(2024, 6, 30)),
    _debian("11", D(2024, 8, 14), D(2026, 8, 31)),
    _debian("12", D(2026, 6, 10), D(2028, 6, 10)),
    # RHEL: end of Maintenance Support, end of the ELS add-on (Full Support ends
    # earlier: 2024-05-31 for 8, 2027-05-31 for 9; security errata go on after it).
    _rhel("7", D(2024, 6, 30), D(2028, 6, 30)),
    _rhel("8", D(2029, 5, 31), D(2032, 5, 31)),
    _rhel("9", D(2032, 5, 31), D(2035, 5, 31)),
)
