"""End of support of Oracle Java SE releases (Oracle JDK).

Premier Support ends five years after release; LTS releases have three more years of
Extended Support, for assets tagged ``java-subscription`` (a Java SE subscription
with Extended Support: UNCONFIRMED that the subscription includes it). Dates from
endoflife.date "oracle-jdk", which reads Oracle's Java SE Support Roadmap.
"""

from __future__ import annotations

import datetime as dt

from maintlib.packs import Selector, SupportEnd
from maintlib_thirdparty._sources import JAVA_ROADMAP

__all__ = ["JAVA_SUBSCRIPTION_TAG", "SUPPORT"]

#: Tag of Java installations covered by Oracle's Extended Support.
JAVA_SUBSCRIPTION_TAG = "java-subscription"


def _java(release: str, premier: dt.date, extended: dt.date) -> SupportEnd:
    return SupportEnd(
        f"Oracle Java SE {release}",
        # "Oracle Java SE 17", "Java 17", "Java SE" with version "17.0.12".
        (
            Selector(vendor="Oracle*", product=f"*Java* {release}*"),
            Selector(vendor="Oracle*", product="*Java*", version=f"{release}*"),
        ),
        premier,
        JAVA_ROADMAP,
        "Medium",
        extended="Extended Support",
        extended_ends=extended,
        extended_tag=JAVA_SUBSCRIPTION_TAG,
        endoflife=f"oracle-jdk/{release}",
    )


D = dt.date

SUPPORT: tuple[SupportEnd, ...] = (
    _java("8", D(2022, 3, 31), D(2030, 12, 31)),
    _java("11", D(2023, 9, 30), D(2032, 1, 31)),
    _java("17", D(2026, 9, 30), D(2029, 9, 30)),
    _java("21", D(2028, 9, 30), D(2031, 9, 30)),
)
