"""The Linux pack's rules: per distribution, the way Linux servers are kept current.

Security updates install themselves (unattended-upgrades, dnf-automatic): a person
verifies weekly that they did and reads the week's advisories. What needs a reboot
(a new kernel, glibc, systemd) is planned in a window monthly — quarterly for
servers tagged ``livepatch``. Point (minor) releases' other updates come in a window
after each release. Linux distributions ship no service packs: the built-in yearly
service pack is switched off.

Every rule selects on the distribution's product glob, so it is more specific than
the built-in rule for the same activity and replaces it. Numbers the vendors do not
give (durations, cadences of checks, deadlines) are maintlib defaults, named so in
the README; inventories change them with ``[[rules]] extends = "linux/<rule id>"``.
"""

from __future__ import annotations

import datetime as dt

import attrs

from maintlib.packs import (
    Activity,
    Deadlines,
    Lifecycle,
    Mode,
    Periodic,
    Rule,
    Selector,
    Step,
    StepKind,
    UpdateClass,
    shipped_lifecycle,
    support_rules,
)
from maintlib_linux._distros import DISTROS, Distro
from maintlib_linux._lifecycle import support
from maintlib_linux._sources import ARTICLE, LIVEPATCH

__all__ = ["LINUX_KINDS", "LIVEPATCH_TAG", "SERVER_KINDS", "activities", "rules"]

#: Kinds a Linux system is recorded as.
SERVER_KINDS = ("physical_server", "virtual_server", "hypervisor")
LINUX_KINDS = (*SERVER_KINDS, "workstation", "laptop")
#: Servers whose kernel is patched live (Canonical Livepatch, kpatch).
LIVEPATCH_TAG = "livepatch"

_WEEKLY = Periodic("FREQ=WEEKLY")
_MONTHLY = Periodic("FREQ=MONTHLY")
_QUARTERLY = Periodic("FREQ=MONTHLY;INTERVAL=3")
_MINUTES = dt.timedelta(minutes=1)


def activities() -> list[Activity]:
    """The reboot into updated kernels and libraries."""
    return [
        Activity(
            "kernel-reboot",
            "Kernel update and reboot",
            "Install pending kernel and core library updates and restart into them.",
            labels={"nl": "Kernelupdate en herstart"},
        )
    ]


def _automatic(distro: Distro) -> Rule:
    """Security updates install themselves; a person checks weekly."""
    return Rule(
        id=f"{distro.key}-security-updates",
        activity="security-updates",
        selector=Selector(kinds=LINUX_KINDS, product=distro.product),
        cadence=_WEEKLY,
        duration=10 * _MINUTES,
        mode=Mode.AUTOMATIC,
        update_class=UpdateClass.SECURITY,
        # Counted from Monday: P1 by Thursday, the rest within the week.
        deadlines=Deadlines(3, 5, 7, 7),
        duration_per_asset=2 * _MINUTES,
        steps=(
            Step(
                StepKind.VERIFY,
                f"Check {distro.tool} ran on every system in the last day; fix any that"
                " failed or hold packages back.",
            ),
            Step(
                StepKind.WORK,
                f"Read this week's {distro.advisories.split(':', 1)[0]}: a fix that needs"
                " more than a package upgrade (a service restart, a new kernel) goes to"
                " the next kernel reboot, or an emergency if it is exploited.",
            ),
        ),
        citation=(
            f"{ARTICLE}: automatic updates, verified; {distro.advisories} (Medium);"
            f" {distro.tool}: {distro.tool_source} (Medium); weekly check: maintlib default"
        ),
    )


def _reboot_steps(distro: Distro) -> tuple[Step, ...]:
    return (
        Step(StepKind.BACKUP, "Snapshot the VM, or check last night's backup, first."),
        Step(StepKind.TEST, "Confirm the same kernel passed the lower ring."),
        Step(
            StepKind.UPDATE,
            f"Install pending updates; if a reboot is pending ({distro.reboot_check}),"
            " restart into the new kernel. If none is pending, record that and close.",
        ),
        Step(StepKind.VERIFY, "Check the running kernel is the new one and services are up."),
        Step(StepKind.ROLLBACK, "If problems appear: boot the previous kernel from the menu."),
    )


def _reboot(distro: Distro, *, livepatch: bool) -> Rule:
    """The reboot into new kernels, in a window: monthly, quarterly with livepatch."""
    rule = Rule(
        id=f"{distro.key}-kernel-reboot" + ("-livepatch" if livepatch else ""),
        activity="kernel-reboot",
        selector=Selector(
            kinds=SERVER_KINDS,
            product=distro.product,
            tags=(LIVEPATCH_TAG,) if livepatch else (),
        ),
        cadence=_QUARTERLY if livepatch else _MONTHLY,
        duration=30 * _MINUTES,
        mode=Mode.WINDOW,
        update_class=UpdateClass.SECURITY,
        downtime=True,
        deadlines=Deadlines(7, 14, 21, 28) if not livepatch else Deadlines(14, 30, 45, 60),
        steps=_reboot_steps(distro),
        citation=(
            f"{ARTICLE}: planned downtime in a window; kernel fixes in {distro.advisories}"
            f" (Medium) need a reboot, which {distro.tool} does not do"
            f" ({distro.tool_source}); monthly: maintlib default"
        ),
    )
    if livepatch:
        rule = attrs.evolve(
            rule,
            citation=f"{rule.citation}; with live kernel patching quarterly: {LIVEPATCH}",
        )
    return rule


def _point_release(distro: Distro) -> Rule:
    """The non-security updates of a point (minor) release, in a window."""
    return Rule(
        id=f"{distro.key}-point-release",
        activity="standard-updates",
        selector=Selector(kinds=SERVER_KINDS, product=distro.product),
        cadence=distro.point_release,
        duration=dt.timedelta(hours=1),
        mode=Mode.WINDOW,
        update_class=UpdateClass.STANDARD,
        downtime=True,
        deadlines=Deadlines(14, 30, 45, 60),
        steps=(
            Step(StepKind.BACKUP, "Snapshot the VM, or check last night's backup, first."),
            Step(StepKind.TEST, "Confirm the same release passed the lower ring."),
            Step(
                StepKind.UPDATE,
                f"Upgrade to the current {distro.name} point release (all pending"
                " updates, not only security); reboot.",
            ),
            Step(StepKind.MONITOR, "Monitor the system for 24 hours afterwards."),
            Step(StepKind.ROLLBACK, "If problems appear: roll back to the snapshot."),
        ),
        citation=(
            f"{ARTICLE}: standard updates, planned; point releases:"
            f" {distro.point_release_source} (Medium); a month after the usual release"
            " months: maintlib default"
        ),
    )


def _no_service_pack(distro: Distro) -> Rule:
    """Linux distributions ship no service packs: the built-in yearly one is off."""
    return Rule(
        id=f"{distro.key}-no-service-pack",
        activity="service-pack",
        selector=Selector(kinds=SERVER_KINDS, product=distro.product),
        cadence=_MONTHLY,
        duration=_MINUTES,
        enabled=False,
        citation=(
            f"{distro.name} ships security errata and point releases, no service packs:"
            f" {distro.advisories}; {distro.point_release_source}"
        ),
    )


def distro_rules(distro: Distro) -> list[Rule]:
    """Every rule of one distribution."""
    return [
        _automatic(distro),
        _reboot(distro, livepatch=False),
        _reboot(distro, livepatch=True),
        _point_release(distro),
        _no_service_pack(distro),
    ]


def rules(lifecycle: Lifecycle | None = None) -> list[Rule]:
    """Every rule of the pack, with the end-of-support rules dated from ``lifecycle``
    (default: the snapshot shipped with maintlib)."""
    return [
        *(rule for distro in DISTROS for rule in distro_rules(distro)),
        *support_rules(support(lifecycle or shipped_lifecycle())),
    ]
