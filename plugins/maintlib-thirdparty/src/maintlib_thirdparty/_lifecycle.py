"""End of support of Oracle Java SE releases (Oracle JDK).

Premier Support ends five years after release; LTS releases have three more years of
Extended Support, for assets tagged ``java-subscription`` (a Java SE subscription
with Extended Support: UNCONFIRMED that the subscription includes it). Dates from
endoflife.date "oracle-jdk", which reads Oracle's Java SE Support Roadmap: each row
reads its cycle from the lifecycle data the pack is given (the snapshot shipped with
maintlib, or a feed cache's newer copy) — Premier Support ends on ``eolFrom``,
Extended Support on ``eoesFrom``.
"""

from __future__ import annotations

import functools

from maintlib.packs import Lifecycle, Selector, SupportEnd, shipped_lifecycle, support_from
from maintlib_thirdparty._sources import JAVA_ROADMAP

__all__ = ["JAVA_SUBSCRIPTION_TAG", "SUPPORT", "support"]

#: Tag of Java installations covered by Oracle's Extended Support.
JAVA_SUBSCRIPTION_TAG = "java-subscription"


def _java(data: Lifecycle, release: str) -> SupportEnd:
    return support_from(
        data.cycle("oracle-jdk", release),
        f"Oracle Java SE {release}",
        # "Oracle Java SE 17", "Java 17", "Java SE" with version "17.0.12".
        (
            Selector(vendor="Oracle*", product=f"*Java* {release}*"),
            Selector(vendor="Oracle*", product="*Java*", version=f"{release}*"),
        ),
        JAVA_ROADMAP,
        extended="Extended Support",
        extended_tag=JAVA_SUBSCRIPTION_TAG,
    )


@functools.cache
def support(data: Lifecycle) -> tuple[SupportEnd, ...]:
    """The LTS releases' rows, dated from ``data``.

    Raises:
        LookupError: ``data`` lacks a cycle or a date a row needs.
    """
    return tuple(_java(data, release) for release in ("8", "11", "17", "21", "25"))


#: The table dated from the snapshot shipped with maintlib.
SUPPORT: tuple[SupportEnd, ...] = support(shipped_lifecycle())
