"""End of support of vSphere (ESXi, vCenter), Synology DSM and Veeam Backup & Replication.

vSphere and Veeam dates come from endoflife.date (MIT licence), which reads each vendor's
lifecycle page: each row reads its ``product/cycle`` from the lifecycle data the pack is
given (the snapshot shipped with maintlib, or a feed cache's newer copy). endoflife.date
has no Synology DSM product, so the DSM rows keep dates read from Synology's Software
Life Cycle Policy (UNCONFIRMED: not re-read here). VMware's technical guidance after
general support brings no security patches, so the end of general support is the end.
Synology's Extended Life Phase (LTS releases) and Veeam's support after its end of fix
need no tag: every installation gets them.
"""

from __future__ import annotations

import datetime as dt
import functools

from maintlib.packs import Lifecycle, Selector, SupportEnd, shipped_lifecycle, support_from
from maintlib_datacentre._sources import DSM_LIFECYCLE, VEEAM_LIFECYCLE, VSPHERE_LIFECYCLE

__all__ = ["SUPPORT", "support"]

D = dt.date


def _vsphere(data: Lifecycle, product: str, glob: str, cycle: str, version: str) -> SupportEnd:
    major = version.split(".", 1)[0]
    return support_from(
        data.cycle(cycle, version),
        f"VMware {product} {version}",
        # "ESXi 8.0 U3", "ESXi" with version "8.0.3", "vCenter Server 8.0".
        (Selector(product=glob, version=f"{version}*"), Selector(product=f"{glob} {major}*")),
        VSPHERE_LIFECYCLE,
    )


def _dsm(version: str, ends: dt.date, extended: dt.date | None = None) -> SupportEnd:
    return SupportEnd(
        f"Synology DSM {version}",
        # "DSM 7.2", or a Synology box with version "7.2.2".
        (
            Selector(product="DSM*", version=f"{version}*"),
            Selector(vendor="Synology*", version=f"{version}*"),
        ),
        ends,
        DSM_LIFECYCLE,
        "UNCONFIRMED",
        extended="Extended Life Phase (LTS)" if extended else "",
        extended_ends=extended,
    )


#: Synology DSM: end of the Maintenance Phase; LTS releases then the Extended Life
#: Phase (critical security fixes only). Months only on Synology's page: each date is
#: the month's last day.
DSM: tuple[SupportEnd, ...] = (
    _dsm("7.1", D(2024, 6, 30), D(2025, 6, 30)),
    _dsm("7.2", D(2025, 12, 31)),
    _dsm("7.3", D(2027, 10, 31), D(2028, 10, 31)),
    _dsm("7.4", D(2028, 6, 30)),
)


@functools.cache
def support(data: Lifecycle) -> tuple[SupportEnd, ...]:
    """The lifecycle table, vSphere and Veeam dated from ``data``; the README repeats it
    (the dates of the shipped snapshot).

    Raises:
        LookupError: ``data`` lacks a cycle or a date a row needs.
    """
    return (
        # vSphere: end of general support (endoflife.date "eol"). 7.0 was extended from
        # 2025-04-02 to 2025-10-02. VCF 9 gives each minor release (9.0, 9.1) its own
        # end, which a major-version selector cannot tell apart: not in the table yet.
        *(_vsphere(data, "ESXi", "ESXi*", "esxi", v) for v in ("7.0", "8.0")),
        *(_vsphere(data, "vCenter Server", "vCenter*", "vcenter", v) for v in ("7.0", "8.0")),
        *DSM,
        # Veeam Backup & Replication: end of support ("eol"); the end of fix ("eoas",
        # 2025-09-03 for 12, when 13 came out) comes earlier, fixes after it case by case.
        *(
            support_from(
                data.cycle("veeam-backup-and-replication", major),
                f"Veeam Backup & Replication {major}",
                (
                    Selector(vendor="Veeam*", product="*Backup*", version=f"{major}*"),
                    Selector(vendor="Veeam*", product=f"*Backup* {major}*"),
                ),
                VEEAM_LIFECYCLE,
            )
            for major in ("12", "13")
        ),
    )


#: The table dated from the snapshot shipped with maintlib.
SUPPORT: tuple[SupportEnd, ...] = support(shipped_lifecycle())
