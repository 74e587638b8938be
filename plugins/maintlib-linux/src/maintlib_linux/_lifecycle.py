"""End of support of Ubuntu LTS, Debian and RHEL releases.

Dates from endoflife.date (MIT licence), which links each vendor's page: each row reads
its endoflife.date ``product/cycle`` from the lifecycle data the pack is given (the
snapshot shipped with maintlib, or a feed cache's newer copy) — standard support ends
on the cycle's ``eolFrom``, the extended phase on its ``eoesFrom``. Assets tagged
``esm`` (Ubuntu Pro) or ``els`` (Red Hat's Extended Life Cycle Support add-on) are
measured against the extended end; Debian LTS needs no subscription, so every Debian
asset is.
"""

from __future__ import annotations

import functools

from maintlib.packs import Lifecycle, Selector, SupportEnd, shipped_lifecycle, support_from
from maintlib_linux._sources import DEBIAN_LIFECYCLE, RHEL_LIFECYCLE, UBUNTU_LIFECYCLE

__all__ = ["ELS_TAG", "ESM_TAG", "SUPPORT", "support"]

#: Tag of Ubuntu assets attached to Ubuntu Pro (Expanded Security Maintenance).
ESM_TAG = "esm"
#: Tag of RHEL assets with the Extended Life Cycle Support add-on.
ELS_TAG = "els"


def _ubuntu(data: Lifecycle, version: str) -> SupportEnd:
    return support_from(
        data.cycle("ubuntu", version),
        f"Ubuntu {version} LTS",
        (Selector(product="Ubuntu*", version=f"{version}*"),),
        UBUNTU_LIFECYCLE,
        extended="Expanded Security Maintenance (Ubuntu Pro)",
        extended_tag=ESM_TAG,
    )


def _debian(data: Lifecycle, version: str) -> SupportEnd:
    return support_from(
        data.cycle("debian", version),
        f"Debian {version}",
        # "Debian 12", "Debian GNU/Linux 12 (bookworm)", or "Debian" with version "12.7".
        (
            Selector(product="Debian*", version=f"{version}*"),
            Selector(product=f"Debian* {version}*"),
        ),
        DEBIAN_LIFECYCLE,
        extended="Debian LTS",
    )


def _rhel(data: Lifecycle, major: str) -> SupportEnd:
    return support_from(
        data.cycle("rhel", major),
        f"Red Hat Enterprise Linux {major}",
        # "Red Hat Enterprise Linux 9", "RHEL 9.4", or the name with version "9.4".
        (
            Selector(product="Red Hat Enterprise Linux*", version=f"{major}*"),
            Selector(product=f"Red Hat Enterprise Linux {major}*"),
            Selector(product="RHEL*", version=f"{major}*"),
            Selector(product=f"RHEL {major}*"),
        ),
        RHEL_LIFECYCLE,
        extended="Extended Life Cycle Support",
        extended_tag=ELS_TAG,
    )


@functools.cache
def support(data: Lifecycle) -> tuple[SupportEnd, ...]:
    """The lifecycle table, dated from ``data``; the README repeats it with each row's
    source (the dates of the shipped snapshot).

    Raises:
        LookupError: ``data`` lacks a cycle or a date a row needs.
    """
    return (
        # Ubuntu LTS: end of standard support, end of ESM (endoflife.date "eol", "eoes").
        # 22.04's standard end is 2027-04-01 on endoflife.date; Canonical's page has been
        # read as "June 2027" (UNCONFIRMED) — endoflife.date's earlier date is kept.
        *(_ubuntu(data, version) for version in ("18.04", "20.04", "22.04", "24.04", "26.04")),
        # Debian: end of the security team's support, end of LTS.
        *(_debian(data, version) for version in ("10", "11", "12", "13")),
        # RHEL: end of Maintenance Support, end of the ELS add-on (Full Support ends
        # earlier, endoflife.date's "eoas": security errata go on after it).
        *(_rhel(data, major) for major in ("7", "8", "9", "10")),
    )


#: The table dated from the snapshot shipped with maintlib.
SUPPORT: tuple[SupportEnd, ...] = support(shipped_lifecycle())
