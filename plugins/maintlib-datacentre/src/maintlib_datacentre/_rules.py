"""The data-centre pack's rules: vSphere, server firmware and management controllers,
NAS and backup.

* **vSphere.** vCenter and the ESXi hosts take the same quarterly update, so their
  dues share an activity and anchor: maintlib's precedences then put vCenter first
  (it runs as a guest of the cluster — guests before hosts — or the hosts name it in
  ``depends_on``), and the hosts of a cluster (a redundancy group) go one at a time
  in maintenance mode, their VMs moved off by DRS. VMware's advisories (VMSA) have no
  calendar: they are read monthly; a Critical one takes the emergency path (KEV).
* **Server hardware.** Dell (iDRAC, BIOS, firmware), HPE (iLO, Service Pack for
  ProLiant) and Lenovo (XClarity Controller, UpdateXpress) firmware quarterly in a
  window, the vendor's advisories read monthly, and the management controller's
  exposure reviewed quarterly: an out-of-band controller reachable from the internet
  is a risk of its own.
* **NAS and backup.** Synology DSM and QNAP QTS/QuTS updates monthly in a window
  after reading the vendor's advisories; a monthly (not weekly) capacity and health
  review; Veeam Backup & Replication's patches monthly in a window.

ESXi, vCenter, DSM and QTS ship no service packs; the built-in yearly one is off.
Selectors name the product (or, for hardware, the vendor), so a host written as
``vendor = "Dell"``, ``product = "PowerEdge R760"``, ``os = "ESXi 8.0 U3"`` gets the
Dell firmware rules *and* the ESXi rules.
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
from maintlib_datacentre._lifecycle import support
from maintlib_datacentre._sources import (
    ARTICLE,
    DELL,
    HPE,
    HSM,
    LENOVO,
    QNAP,
    SYNOLOGY,
    VEEAM,
    VLCM,
    VMSA,
    VSPHERE_RELEASES,
    VSPHERE_SEQUENCE,
)

__all__ = ["HARDWARE", "NAS", "Hardware", "Nas", "activities", "rules"]

SERVER_KINDS = ("physical_server", "hypervisor", "virtual_server")
HARDWARE_KINDS = ("physical_server", "hypervisor", "storage")
NAS_KINDS = ("storage", "backup_system")
_MONTHLY = Periodic("FREQ=MONTHLY")
_QUARTERLY = Periodic("FREQ=MONTHLY;INTERVAL=3")
_MINUTES = dt.timedelta(minutes=1)
#: Routine vendor updates without a calendar: the quarter's update within these days;
#: exploited or Critical issues take the emergency path (maintlib default).
ROUTINE_DEADLINES = Deadlines(14, 30, 45, 60)
#: The monthly advisory read: within a week (maintlib default).
REVIEW_DEADLINES = Deadlines.same(7)


@attrs.frozen
class Hardware:
    """A server vendor: how inventories name it, its controller and firmware bundle."""

    key: str
    vendor: str
    controller: str
    bundle: str
    source: str


@attrs.frozen
class Nas:
    """A NAS or backup vendor and its operating system."""

    key: str
    vendor: str
    system: str
    source: str
    #: Glob on the operating system's name, for boxes written without their vendor.
    os: str = ""


HARDWARE: tuple[Hardware, ...] = (
    Hardware(
        "dell", "Dell*", "iDRAC", "the Dell update catalog (iDRAC Lifecycle Controller)", DELL
    ),
    Hardware("hpe", "HPE*", "iLO", "the current Service Pack for ProLiant (SPP)", HPE),
    Hardware("hpe-long", "Hewlett Packard*", "iLO", "the current Service Pack for ProLiant", HPE),
    Hardware(
        "lenovo",
        "Lenovo*",
        "XClarity Controller (XCC)",
        "the current UpdateXpress System Pack (XClarity Essentials or XClarity Administrator)",
        LENOVO,
    ),
)
NAS: tuple[Nas, ...] = (
    Nas("synology", "Synology*", "DSM", SYNOLOGY, os="DSM*"),
    Nas("qnap", "QNAP*", "QTS or QuTS hero", QNAP, os="Q*TS*"),
)


def activities() -> list[Activity]:
    """The monthly read of a vendor's security advisories: software and hardware apart,
    as a host has both (ESXi on a Dell server)."""
    return [
        Activity(
            "advisory-review",
            "Vendor advisory review",
            "Read the software vendor's new security advisories and decide what applies:"
            " the next update, or the emergency path.",
            labels={"nl": "Beoordeling beveiligingsadviezen leverancier"},
        ),
        Activity(
            "hardware-advisory-review",
            "Hardware advisory review",
            "Read the server vendor's new advisories (management controller, BIOS,"
            " firmware) and decide what applies.",
            labels={"nl": "Beoordeling beveiligingsadviezen hardware"},
        ),
    ]


def _review(
    rule_id: str, selector: Selector, what: str, citation: str, activity: str = "advisory-review"
) -> Rule:
    """A monthly read of a vendor's advisories, once for all its assets of an owner."""
    return Rule(
        id=rule_id,
        activity=activity,
        selector=selector,
        cadence=_MONTHLY,
        duration=20 * _MINUTES,
        mode=Mode.OFFICE_HOURS,
        deadlines=REVIEW_DEADLINES,
        fleet=True,
        group_by=("owner",),
        duration_per_asset=5 * _MINUTES,
        steps=(
            Step(StepKind.WORK, f"Read {what} published since last month."),
            Step(
                StepKind.WORK,
                "Exploited or Critical: the emergency path (days). The rest: the next"
                " planned update.",
            ),
            Step(StepKind.VERIFY, "Record the decision per asset."),
        ),
        citation=f"{citation}; no publication calendar: read monthly (maintlib default)",
    )


def _switched_off(rule_id: str, activity: str, selector: Selector, citation: str) -> Rule:
    return Rule(
        id=rule_id,
        activity=activity,
        selector=selector,
        cadence=_MONTHLY,
        duration=_MINUTES,
        enabled=False,
        citation=citation,
    )


def _vsphere() -> list[Rule]:
    vcenter = Selector(kinds=("virtual_server", "application"), product="vCenter*")
    esxi = Selector(kinds=("hypervisor",), product="ESXi*")
    update = f"{VSPHERE_RELEASES} (UNCONFIRMED cadence); quarterly: maintlib default"
    return [
        Rule(
            id="vcenter-updates",
            activity="security-updates",
            selector=vcenter,
            cadence=_QUARTERLY,
            duration=dt.timedelta(hours=1.5),
            # Hands-on: the backup, starting the update at :5480 and the checks; the
            # appliance installs and restarts on its own (VLCM, VSPHERE_SEQUENCE).
            effort=30 * _MINUTES,
            mode=Mode.WINDOW,
            update_class=UpdateClass.SECURITY,
            downtime=True,
            deadlines=ROUTINE_DEADLINES,
            steps=(
                Step(StepKind.BACKUP, "Take a file-based backup of vCenter; snapshot it."),
                Step(StepKind.UPDATE, "Install the current vCenter patch (appliance :5480)."),
                Step(StepKind.VERIFY, "Sign in; check hosts are connected, DRS and HA work."),
                Step(StepKind.ROLLBACK, "If problems appear: revert to the snapshot."),
            ),
            citation=(
                f"{ARTICLE}: the hypervisor layer first and most often; {update};"
                f" vCenter before the ESXi hosts: {VSPHERE_SEQUENCE}"
            ),
        ),
        Rule(
            id="esxi-updates",
            activity="security-updates",
            selector=esxi,
            cadence=_QUARTERLY,
            # One remediation per host: the cluster image holds ESXi, the vendor's
            # drivers and, through the hardware support manager, the firmware (HSM):
            # the drain, the install and the checks of the ESXi update (an hour) are
            # shared, the firmware adds its restarts (half an hour; maintlib default).
            duration=dt.timedelta(hours=1.5),
            # Hands-on: starting the cluster remediation and checking each host after
            # it; vLCM drains and remediates the hosts one at a time on its own (VLCM).
            effort=20 * _MINUTES,
            mode=Mode.WINDOW,
            update_class=UpdateClass.SECURITY,
            downtime=True,
            deadlines=ROUTINE_DEADLINES,
            steps=(
                Step(StepKind.TEST, "Check vCenter already runs this release or later."),
                Step(
                    StepKind.FAILOVER,
                    "Enter maintenance mode: DRS moves the VMs to the other hosts. One host"
                    " at a time.",
                ),
                Step(
                    StepKind.UPDATE,
                    "Remediate the host with vSphere Lifecycle Manager: ESXi, drivers and"
                    " the firmware of the vendor's add-on in one pass.",
                ),
                Step(StepKind.VERIFY, "Exit maintenance mode; check the host and its VMs."),
                Step(StepKind.ROLLBACK, "If problems appear: boot the previous image (Shift+R)."),
            ),
            citation=(
                f"{ARTICLE}: the hypervisor layer first and most often; {update};"
                f" one host at a time in maintenance mode: {VLCM}; firmware in the"
                f" image: {HSM}; after vCenter: {VSPHERE_SEQUENCE}"
            ),
        ),
        _review(
            "vmsa-review",
            # Read once for the vSphere estate of an owner: hosts and vCenter alike.
            esxi,
            "the VMware Security Advisories (VMSA) for ESXi and vCenter",
            f"{VMSA} (Medium)",
        ),
        *(
            # The host's firmware comes with its ESXi update (one remediation, one
            # outage per host): no separate firmware round for an ESXi host.
            _switched_off(
                f"esxi-{hw.key}-firmware-in-image",
                "firmware-update",
                attrs.evolve(esxi, vendor=hw.vendor),
                f"{HSM}: {hw.controller} firmware through vLCM's hardware support manager,"
                " with the ESXi update",
            )
            for hw in HARDWARE
        ),
        *(
            _switched_off(
                f"{name}-no-{activity}",
                activity,
                attrs.evolve(selector, kinds=SERVER_KINDS),
                f"{VSPHERE_RELEASES}: updates and patches, no service packs or separate"
                " standard updates",
            )
            for name, selector in (("esxi", esxi), ("vcenter", vcenter))
            for activity in ("service-pack", "standard-updates")
        ),
    ]


def _hardware(hw: Hardware) -> list[Rule]:
    servers = Selector(kinds=HARDWARE_KINDS, vendor=hw.vendor)
    return [
        Rule(
            id=f"{hw.key}-firmware",
            activity="firmware-update",
            selector=servers,
            cadence=_QUARTERLY,
            duration=dt.timedelta(hours=2),
            # Hands-on: staging the bundle through the controller and the checks; the
            # controller installs and restarts the server (hw.source).
            effort=30 * _MINUTES,
            mode=Mode.WINDOW,
            update_class=UpdateClass.FIRMWARE,
            downtime=True,
            steps=(
                Step(StepKind.BACKUP, f"Export the server's configuration ({hw.controller})."),
                Step(StepKind.FAILOVER, "Move or stop the workload (maintenance mode)."),
                Step(
                    StepKind.UPDATE,
                    f"Update the {hw.controller} first, then BIOS, controllers, NICs and"
                    f" disks, from {hw.bundle}.",
                ),
                Step(StepKind.VERIFY, "Check the hardware log and that the workload is back."),
                Step(StepKind.ROLLBACK, "If problems appear: roll back to the previous firmware."),
            ),
            citation=(
                f"{ARTICLE}: firmware of the hardware; {hw.source} (UNCONFIRMED cadence);"
                " quarterly as the built-in rule, on the firmware deadline policy"
            ),
        ),
        _review(
            f"{hw.key}-advisory-review",
            servers,
            f"the vendor's security advisories for {hw.controller}, BIOS and firmware",
            hw.source,
            activity="hardware-advisory-review",
        ),
        Rule(
            id=f"{hw.key}-controller-access-review",
            activity="access-review",
            selector=servers,
            cadence=_QUARTERLY,
            duration=15 * _MINUTES,
            mode=Mode.OFFICE_HOURS,
            deadlines=Deadlines(14, 30, 45, 60),
            fleet=True,
            group_by=("owner",),
            duration_per_asset=5 * _MINUTES,
            steps=(
                Step(
                    StepKind.WORK,
                    f"The {hw.controller} is on the management network only, never"
                    " reachable from the internet.",
                ),
                Step(StepKind.WORK, "No default or shared accounts; strong passwords."),
                Step(StepKind.VERIFY, f"The {hw.controller} firmware is current; record it."),
            ),
            citation=(
                f"{ARTICLE}: not exposed to the internet, strong passwords, few admin"
                f" accounts (network equipment, applied to the {hw.controller});"
                f" {hw.source}; quarterly: maintlib default"
            ),
        ),
    ]


def _nas(nas: Nas) -> list[Rule]:
    boxes = Selector(kinds=NAS_KINDS, vendor=nas.vendor)
    return [
        Rule(
            id=f"{nas.key}-updates",
            activity="security-updates",
            selector=boxes,
            cadence=_MONTHLY,
            duration=45 * _MINUTES,
            # Hands-on: the advisories, the configuration export, starting the update
            # and the checks after the restart; the box installs on its own.
            effort=20 * _MINUTES,
            mode=Mode.WINDOW,
            update_class=UpdateClass.SECURITY,
            downtime=True,
            steps=(
                Step(StepKind.WORK, "Read the vendor's security advisories since last month."),
                Step(StepKind.BACKUP, "Export the configuration; note the last good backup."),
                Step(
                    StepKind.UPDATE,
                    f"Install the {nas.system} update that fixes them; it restarts the"
                    " box. If none applies, record that and close.",
                ),
                Step(StepKind.VERIFY, "Check shares, snapshots, replication and backup jobs."),
                Step(StepKind.ROLLBACK, "If it fails: restore the configuration, call the vendor."),
            ),
            citation=(
                f"{ARTICLE}: security updates as soon as possible; {nas.source}; monthly:"
                " maintlib default, as the built-in backup-system rule"
            ),
        ),
        Rule(
            id=f"{nas.key}-health-review",
            activity="performance-review",
            selector=boxes,
            cadence=_MONTHLY,
            duration=15 * _MINUTES,
            mode=Mode.OFFICE_HOURS,
            deadlines=Deadlines(7, 14, 21, 27),
            fleet=True,
            duration_per_asset=5 * _MINUTES,
            steps=(
                Step(StepKind.WORK, "Check capacity, disk health (S.M.A.R.T.) and RAID state."),
                Step(StepKind.VERIFY, "Record the findings; order disks before they fail."),
            ),
            citation=(
                f"{ARTICLE}: monitoring of shared storage ({nas.source}); the box reports itself, a"
                " person reads it monthly (maintlib default; the built-in weekly"
                " hypervisor performance review is for the hosts)"
            ),
        ),
        _switched_off(
            f"{nas.key}-no-service-pack",
            "service-pack",
            Selector(kinds=SERVER_KINDS, vendor=nas.vendor),
            f"{nas.source}: {nas.system} updates, no service packs",
        ),
        # A virtual DSM or QuTS written by its system's name, without the vendor.
        _switched_off(
            f"{nas.key}-os-no-service-pack",
            "service-pack",
            Selector(kinds=SERVER_KINDS, product=nas.os),
            f"{nas.source}: {nas.system} updates, no service packs",
        ),
    ]


def _veeam() -> list[Rule]:
    # Backup & Replication; Veeam ONE and the agents are other products.
    veeam = Selector(
        kinds=("backup_system", *SERVER_KINDS, "application"), vendor="Veeam*", product="*Backup*"
    )
    return [
        Rule(
            id="veeam-updates",
            activity="security-updates",
            selector=veeam,
            cadence=_MONTHLY,
            duration=dt.timedelta(hours=1),
            mode=Mode.WINDOW,
            update_class=UpdateClass.SECURITY,
            downtime=True,
            steps=(
                Step(StepKind.WORK, "Read Veeam's security bulletins (KB) since last month."),
                Step(StepKind.BACKUP, "Back up the configuration database (configuration backup)."),
                Step(
                    StepKind.UPDATE,
                    "Stop the jobs; install the cumulative patch that fixes them; start the"
                    " jobs. If none applies, record that and close.",
                ),
                Step(StepKind.VERIFY, "Check the next backup job runs and succeeds."),
                Step(StepKind.ROLLBACK, "If it fails: restore the configuration, call Veeam."),
            ),
            citation=(
                f"{ARTICLE}: security updates as soon as possible; backups must keep"
                f" working; {VEEAM}; monthly: maintlib default"
            ),
        ),
        _switched_off(
            "veeam-no-service-pack",
            "service-pack",
            attrs.evolve(veeam, kinds=SERVER_KINDS),
            f"{VEEAM}: cumulative patches and versions, no service packs",
        ),
    ]


def rules(lifecycle: Lifecycle | None = None) -> list[Rule]:
    """Every rule of the pack, with the end-of-support rules dated from ``lifecycle``
    (default: the snapshot shipped with maintlib)."""
    return [
        *_vsphere(),
        *(rule for hw in HARDWARE for rule in _hardware(hw)),
        *(rule for nas in NAS for rule in _nas(nas)),
        *_veeam(),
        *support_rules(support(lifecycle or shipped_lifecycle())),
    ]
