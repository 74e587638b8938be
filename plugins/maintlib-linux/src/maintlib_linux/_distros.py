"""The distributions this pack knows: how inventories name them, where their
advisories come from, what installs them by itself, and when point releases come."""

from __future__ import annotations

import attrs

from maintlib.packs import Periodic
from maintlib_linux._sources import (
    DEBIAN_DSA,
    DEBIAN_POINT_RELEASES,
    DNF_AUTOMATIC,
    REBUILDS,
    RHEL_MINOR_RELEASES,
    RHEL_RHSA,
    UBUNTU_POINT_RELEASES,
    UBUNTU_USN,
    UNATTENDED_UPGRADES,
)

__all__ = ["DISTROS", "Distro"]


@attrs.frozen
class Distro:
    """A distribution, as inventories write it, and how it is kept up to date.

    Attributes:
        key: Prefix of its rule ids (``ubuntu``).
        name: The distribution's name.
        product: Glob on the asset's product spellings (``Ubuntu*``).
        advisories: The advisories its security team publishes, and where.
        tool: What installs security updates by itself.
        tool_source: Where that comes from.
        point_release: When a point (minor) release's non-security updates are
            planned: a month after the vendor's usual release months.
        point_release_source: Where the release months come from.
        reboot_check: The command that says a reboot is pending.
    """

    key: str
    name: str
    product: str
    advisories: str
    tool: str
    tool_source: str
    point_release: Periodic
    point_release_source: str
    reboot_check: str


#: Point releases in February and August: planned in March and September.
_UBUNTU_POINT = Periodic("FREQ=YEARLY;BYMONTH=3,9")
#: About every two months.
_DEBIAN_POINT = Periodic("FREQ=MONTHLY;INTERVAL=2")
#: Minor releases about every six months, in May and November: planned in June and
#: December.
_RHEL_MINOR = Periodic("FREQ=YEARLY;BYMONTH=6,12")

_RHEL = Distro(
    "rhel",
    "Red Hat Enterprise Linux",
    "Red Hat Enterprise Linux*",
    f"Red Hat Security Advisories (RHSA): {RHEL_RHSA}",
    "dnf-automatic (upgrade_type = security)",
    DNF_AUTOMATIC,
    _RHEL_MINOR,
    RHEL_MINOR_RELEASES,
    "needs-restarting -r",
)

DISTROS: tuple[Distro, ...] = (
    Distro(
        "ubuntu",
        "Ubuntu",
        "Ubuntu*",
        f"Ubuntu Security Notices (USN): {UBUNTU_USN}",
        "unattended-upgrades (security pocket)",
        UNATTENDED_UPGRADES,
        _UBUNTU_POINT,
        UBUNTU_POINT_RELEASES,
        "test -f /var/run/reboot-required",
    ),
    Distro(
        "debian",
        "Debian",
        "Debian*",
        f"Debian Security Advisories (DSA), LTS advisories (DLA): {DEBIAN_DSA}",
        "unattended-upgrades (Debian-Security origin)",
        UNATTENDED_UPGRADES,
        _DEBIAN_POINT,
        DEBIAN_POINT_RELEASES,
        "test -f /var/run/reboot-required",
    ),
    _RHEL,
    # The short name admins write as often as the long one.
    attrs.evolve(_RHEL, key="rhel-short", product="RHEL*"),
    # Rebuilds follow RHEL's errata and minor releases (REBUILDS, Medium).
    attrs.evolve(_RHEL, key="rocky", name="Rocky Linux", product="Rocky*", advisories=REBUILDS),
    attrs.evolve(_RHEL, key="almalinux", name="AlmaLinux", product="Alma*", advisories=REBUILDS),
    attrs.evolve(
        _RHEL, key="oracle-linux", name="Oracle Linux", product="Oracle Linux*", advisories=REBUILDS
    ),
)
