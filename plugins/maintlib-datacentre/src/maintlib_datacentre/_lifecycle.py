"""End of support of vSphere (ESXi, vCenter), Synology DSM and Veeam Backup & Replication.

Dates from endoflife.date (MIT licence), which reads each vendor's lifecycle page.
VMware's technical guidance after general support brings no security patches, so the
end of general support is the end. Synology's Extended Life Phase (LTS releases) and
Veeam's support after its end of fix need no tag: every installation gets them.
"""

from __future__ import annotations

import datetime as dt

from maintlib.packs import Selector, SupportEnd
from maintlib_datacentre._sources import DSM_LIFECYCLE, VEEAM_LIFECYCLE, VSPHERE_LIFECYCLE

__all__ = ["SUPPORT"]

D = dt.date


def _vsphere(product: str, glob: str, version: str, ends: dt.date, cycle: str) -> SupportEnd:
    major = version.split(".", 1)[0]
    return SupportEnd(
        f"VMware {product} {version}",
        # "ESXi 8.0 U3", "ESXi" with version "8.0.3", "vCenter Server 8.0".
        (Selector(product=glob, version=f"{version}*"), Selector(product=f"{glob} {major}*")),
        ends,
        VSPHERE_LIFECYCLE,
        "Medium",
        endoflife=cycle,
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
        "Medium",
        extended="Extended Life Phase (LTS)" if extended else "",
        extended_ends=extended,
        endoflife=f"synology-dsm/{version}",
    )


SUPPORT: tuple[SupportEnd, ...] = (
    # vSphere: end of general support. 7.0 was extended from 2025-04-02 to 2025-10-02
    # (endoflife.date's vcenter page; its esxi page still shows the earlier date).
    _vsphere("ESXi", "ESXi*", "7.0", D(2025, 10, 2), "esxi/7.0"),
    _vsphere("ESXi", "ESXi*", "8.0", D(2027, 10, 11), "esxi/8.0"),
    _vsphere("vCenter Server", "vCenter*", "7.0", D(2025, 10, 2), "vcenter/7.0"),
    _vsphere("vCenter Server", "vCenter*", "8.0", D(2027, 10, 11), "vcenter/8.0"),
    # Synology DSM: end of the Maintenance Phase; LTS releases then the Extended Life
    # Phase (critical security fixes only).
    _dsm("7.1", D(2024, 6, 30), D(2025, 6, 30)),
    _dsm("7.2", D(2025, 12, 31)),
    _dsm("7.3", D(2027, 10, 31), D(2028, 10, 31)),
    _dsm("7.4", D(2028, 6, 30)),
    # Veeam Backup & Replication 12: end of fix 2025-09-03 (when 13 came out), end of
    # support 2027-02-01; fixes after the end of fix case by case.
    SupportEnd(
        "Veeam Backup & Replication 12",
        (
            Selector(vendor="Veeam*", product="*Backup*", version="12*"),
            Selector(vendor="Veeam*", product="*Backup* 12*"),
        ),
        D(2027, 2, 1),
        VEEAM_LIFECYCLE,
        "Medium",
        endoflife="veeam-backup-and-replication/12",
    ),
)
