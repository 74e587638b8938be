"""Where every Linux fact of this pack comes from.

One constant per source, with what the pack takes from it and how sure we are
(``High``: the vendor's own text seen verbatim; ``Medium``: vendor data seen in part
or through a reliable secondary copy; ``UNCONFIRMED``: secondary sources only, or not
seen at all). The README's "Sources" table lists the same documents. Checked against
stored copies in December 2026; a live page may have changed since.
"""

from __future__ import annotations

#: Medium (through endoflife.date, which links it). LTS releases every two years in
#: April; five years of standard support, five more of Expanded Security Maintenance
#: (ESM) with Ubuntu Pro. Dates per release: endoflife.date "ubuntu".
UBUNTU_LIFECYCLE = (
    "Ubuntu release cycle, https://ubuntu.com/about/release-cycle;"
    " https://wiki.ubuntu.com/Releases; endoflife.date, https://endoflife.date/ubuntu"
)

#: Medium. Canonical's security notices (USN) announce every fixed package.
UBUNTU_USN = "Ubuntu Security Notices, https://ubuntu.com/security/notices"

#: Medium. unattended-upgrades installs the security pocket automatically (on by
#: default on Ubuntu Server); a reboot needed by a kernel or libc update is flagged in
#: /var/run/reboot-required and not done unless configured.
UNATTENDED_UPGRADES = (
    "Ubuntu Server documentation, 'Automatic updates',"
    " https://documentation.ubuntu.com/server/how-to/software/automatic-updates/;"
    " Debian Wiki, 'UnattendedUpgrades', https://wiki.debian.org/UnattendedUpgrades"
)

#: Medium for the service; UNCONFIRMED how long one kernel may run on livepatches
#: before a reboot is needed (the pack assumes a quarterly reboot).
LIVEPATCH = (
    "Canonical Livepatch, https://ubuntu.com/security/livepatch; Red Hat kpatch,"
    " https://access.redhat.com/articles/4499631 (how long a kernel may run on"
    " livepatches: UNCONFIRMED)"
)

#: Medium. LTS point releases (22.04.1 … 22.04.5, 24.04.1 … 24.04.4) came in February
#: and August (a.04.1 in August; 22.04.5 in September 2024), from the release dates
#: on endoflife.date and the Ubuntu wiki.
UBUNTU_POINT_RELEASES = (
    "Ubuntu wiki, 'Releases', https://wiki.ubuntu.com/Releases (point release dates);"
    " endoflife.date, https://endoflife.date/ubuntu"
)

#: Medium. Debian security advisories (DSA) for stable; Debian LTS (DLA) afterwards.
DEBIAN_DSA = (
    "Debian security information, https://www.debian.org/security/; Debian LTS,"
    " https://wiki.debian.org/LTS"
)

#: Medium. About three years of security support by the security team, then LTS to
#: five years (limited architectures and packages), per release: endoflife.date
#: "debian" (links https://wiki.debian.org/DebianReleases).
DEBIAN_LIFECYCLE = (
    "Debian releases, https://wiki.debian.org/DebianReleases; Debian LTS,"
    " https://wiki.debian.org/LTS; endoflife.date, https://endoflife.date/debian"
)

#: Medium. Stable point releases about every two months (12.1 2023-07-22 … 12.11
#: 2025-05-17, from the release announcements as endoflife.date lists them).
DEBIAN_POINT_RELEASES = (
    "Debian news, https://www.debian.org/News/ (point release announcements);"
    " endoflife.date, https://endoflife.date/debian"
)

#: Medium. Red Hat Security Advisories (RHSA) as errata, released "as they become
#: available" in the Full and Maintenance Support phases.
RHEL_RHSA = (
    "Red Hat Enterprise Linux Life Cycle, https://access.redhat.com/support/policy/updates/errata;"
    " Red Hat security advisories, https://access.redhat.com/security/security-updates/"
)

#: Medium (secondary copy of the policy: "Minor releases are planned every six months
#: through Full Support Phases"; 9.4 2024-04-30, 9.5 2024-11-12, 9.6 2025-05).
RHEL_MINOR_RELEASES = (
    "Red Hat Enterprise Linux Life Cycle, https://access.redhat.com/support/policy/updates/errata"
    " (via the Adoptium infrastructure wiki, 'End of support date for OS distributions')"
)

#: Medium. Full Support, Maintenance Support and the Extended Life Cycle Support
#: (ELS) add-on, per major: endoflife.date "rhel" (from Red Hat's lifecycle API).
RHEL_LIFECYCLE = (
    "Red Hat Enterprise Linux Life Cycle, https://access.redhat.com/support/policy/updates/errata;"
    " endoflife.date, https://endoflife.date/rhel"
)

#: Medium. dnf-automatic installs security errata when configured with
#: ``upgrade_type = security`` and ``apply_updates = yes``.
DNF_AUTOMATIC = (
    "Red Hat, 'Managing software with the DNF tool', automatic updates (dnf-automatic),"
    " https://docs.redhat.com/en/documentation/red_hat_enterprise_linux/9/html/managing_software_with_the_dnf_tool/"
)

#: Medium. Rocky Linux, AlmaLinux and Oracle Linux rebuild RHEL and follow its minor
#: releases; Rocky and AlmaLinux support only the newest minor release.
REBUILDS = (
    "endoflife.date, https://endoflife.date/rocky-linux, https://endoflife.date/almalinux;"
    " Oracle Linux, https://www.oracle.com/linux/"
)

#: The source article: servers get software updates; updates that need planned
#: downtime follow the patch-management steps; automatic updates close holes without
#: waiting for people.
ARTICLE = "Source article (maintlib docs/domain.md) §1, §4, §5"
