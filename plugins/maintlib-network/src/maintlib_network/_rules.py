"""The network pack's rules: per vendor, and for every network device.

Per vendor (selected by vendor glob, so more specific than the built-in network
rules they replace), as security teams handle vendor bundles:

* an **advisory triage** of each publication — office hours, no downtime, within a
  business day: which advisories apply to which devices (model, version, enabled
  features)? Critical or exploited: the emergency path (KEV, ``maintlib plan --kev``),
  with days; High on an internet-facing device: its fix in the next window; the rest:
  the quarterly firmware;
* the **fix** of each publication in a window, for internet-facing devices only, with
  a deadline of 7–14 days (never the 2–3 days of an emergency); Cisco's core network
  OS quarterly, as Cisco publishes it from July 2026;
* feature **firmware** quarterly (it carries the Medium fixes), the same for members
  of a redundancy group one node at a time; the quarterly access review; a monthly
  advisory triage where the vendor publishes no calendar.

For every network device: a weekly configuration backup and log/traffic reviews.
Firmware work happens in a window (outside office hours, article §6), starts with a
configuration backup and ends with a verification.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from maintlib.packs import (
    Activity,
    Cadence,
    DeadlinePolicy,
    Deadlines,
    Exposure,
    Mode,
    Periodic,
    Released,
    Rule,
    Selector,
    Step,
    StepKind,
    UpdateClass,
    severity_policies,
)
from maintlib_network._dutch import in_dutch
from maintlib_network._sources import (
    ARTICLE,
    BIO_WEEK,
    CIS_8_11,
    CISCO_HA,
    CISCO_SIR,
    CYBER_ESSENTIALS,
    FORTINET_HA,
    FORTINET_PSIRT_CYCLE,
)
from maintlib_network._vendors import VENDORS, NetworkVendor

__all__ = [
    "NETWORK_KINDS",
    "OFFSET_DAYS",
    "PSIRT_DEADLINES",
    "activities",
    "psirt_deadline_policies",
    "rules",
]

NETWORK_KINDS = ("firewall", "router", "switch", "access_point")
#: PSIRT fixes may start as soon as a publication is out (maintlib default: none).
#: The calendars already put each publication at 17:00 Pacific, the end of the
#: vendor's business day, so there is time to read the advisories before the next
#: evening window; a fixed delay on top would eat into the deadline, which counts from
#: the publication (P1: 3 days — a Fortinet fix published Tuesday must fit the
#: Wednesday evening window, not wait for Thursday). The Microsoft pack does the same.
OFFSET_DAYS = 0
_QUARTERLY = Periodic("FREQ=MONTHLY;INTERVAL=3")
_MONTHLY = Periodic("FREQ=MONTHLY")
_WEEKLY = Periodic("FREQ=WEEKLY")

_BACKUP = Step(StepKind.BACKUP, "Back up the device configuration first, off the device.")
_TEST = Step(StepKind.TEST, "Confirm the same firmware passed the lower ring.")
_ADVISORIES = Step(
    StepKind.WORK,
    "Read the vendor's advisories since the last update. If none affects this device,"
    " record that and close the task; else pick the fixed firmware on a supported"
    " upgrade path.",
)
_FIX = Step(
    StepKind.WORK,
    "The advisory triage of this publication decides: if an advisory (High, or any"
    " severity reachable from the internet) affects this device, install the fixed"
    " firmware; if none does, record that and close the task.",
)
_VERIFY = "links, routing, VPNs, wireless clients and rules work."
_ROLLBACK = Step(
    StepKind.ROLLBACK, "If problems appear: boot the previous image, restore the configuration."
)
SINGLE_STEPS = (
    _BACKUP,
    _TEST,
    _ADVISORIES,
    Step(StepKind.UPDATE, "Install the firmware."),
    Step(StepKind.VERIFY, "Verify afterwards that " + _VERIFY),
    _ROLLBACK,
)
#: One node at a time, the standby first: FortiOS upgrades the subordinates, fails
#: over, then upgrades the former primary (FORTINET_HA); Cisco ASA reloads the
#: standby, fails over, then reloads the former active unit (CISCO_HA). maintlib
#: never plans two members of a redundancy group down in the same window occurrence.
HA_STEPS = (
    _BACKUP,
    _TEST,
    _ADVISORIES,
    Step(
        StepKind.FAILOVER,
        "One node at a time, the standby (secondary) first: if this node is active,"
        " fail over to its partner before you start.",
    ),
    Step(StepKind.UPDATE, "Install the firmware on this node only; let it rejoin the cluster."),
    Step(
        StepKind.VERIFY, "Verify the node is back in the cluster and in sync, and that " + _VERIFY
    ),
    _ROLLBACK,
)
#: The same checklists for a PSIRT fix: the publication's advisories decide.
PSIRT_STEPS = tuple(_FIX if step is _ADVISORIES else step for step in SINGLE_STEPS)
PSIRT_HA_STEPS = tuple(_FIX if step is _ADVISORIES else step for step in HA_STEPS)
#: Days allowed per tier (P1–P4) for a vendor advisory of each severity, as teams
#: handle vendor bundles (maintlib defaults on the vendors' CVSS-based scale,
#: CISCO_SIR): Critical issues come out of cycle and take the emergency path, with
#: days; High is fixed in the next window, within 7–14 days (the routine fix below);
#: Medium waits for the quarterly firmware; Low for the next firmware after it.
PSIRT_DEADLINES = {
    "Critical": Deadlines(3, 3, 7, 14),
    "High": Deadlines(7, 14, 14, 30),
    "Medium": Deadlines(90, 90, 90, 90),
    "Low": Deadlines(180, 180, 180, 180),
}
#: The routine fix of a publication on an internet-facing device: the next window,
#: within 7 days for P1 (BIO2 8.08.01: a week when likelihood and damage are high)
#: and 14 for the rest (NCSC Cyber Essentials: High and Critical within 14 days) —
#: see the README.
FIX_DEADLINES = Deadlines(7, 14, 14, 14)
#: The advisory triage: within one business day of the publication. Publications
#: come out in the Pacific afternoon, the European night: two calendar days hold the
#: next business day even when it is a public holiday.
TRIAGE_DEADLINES = Deadlines.same(2)
#: The triage reads a publication once for all the vendor's devices of an owner;
#: checking each device's model, version and features takes a few minutes more
#: (maintlib defaults).
TRIAGE_DURATION = dt.timedelta(minutes=20)
TRIAGE_STEPS = (
    Step(
        StepKind.WORK,
        "Read the publication's advisories; for each device note whether its model,"
        " version and enabled features are affected.",
    ),
    Step(
        StepKind.WORK,
        "Critical, exploited or in the KEV: the emergency path (days, not weeks). High on an"
        " internet-facing device: its fix in the next window. The rest: the quarterly"
        " firmware.",
    ),
    Step(StepKind.VERIFY, "Record the decision per device."),
)
ACCESS_STEPS = (
    Step(
        StepKind.WORK,
        "Management interfaces (web, SSH, SNMP, API) are not reachable from the internet.",
    ),
    Step(StepKind.WORK, "Few admin accounts: remove unused, default and shared ones."),
    Step(StepKind.WORK, "Strong passwords or keys; multi-factor sign-in where supported."),
    Step(StepKind.VERIFY, "Record the findings; fix what fails."),
)


def activities() -> list[Activity]:
    """The advisory triage of a vendor's publications."""
    return [
        Activity(
            "advisory-triage",
            "Advisory triage",
            "Read the vendor's new security advisories and decide, per device, whether"
            " they apply and how fast: emergency, next window, or quarterly firmware.",
            labels={"nl": "Triage beveiligingsadviezen"},
        )
    ]


def psirt_deadline_policies() -> list[DeadlinePolicy]:
    """One deadline policy per advisory severity, for maintlib's vulnerability path.

    They carry a ``severity``, so they change no update class's default deadlines.
    """
    return severity_policies(
        "psirt", PSIRT_DEADLINES, f"{CISCO_SIR} (High); days: maintlib defaults (see the README)"
    )


def _ha_citation(ha: bool) -> str:
    return f"; one node at a time, standby first: {FORTINET_HA}; {CISCO_HA} (High)" if ha else ""


def _device_rule(
    vendor: NetworkVendor, ha: bool, name: str, activity: str, cadence: Cadence, **options: Any
) -> Rule:
    """A planned update of the vendor's devices, one node at a time in a redundancy group."""
    single, pair = options.pop("steps")
    return Rule(
        id=f"{vendor.key}-{name}" + ("-ha" if ha else ""),
        activity=activity,
        selector=Selector(
            kinds=NETWORK_KINDS, vendor=vendor.vendor, product=vendor.product, redundant=ha
        ),
        cadence=cadence,
        duration=dt.timedelta(hours=1),
        # Hands-on: back up the configuration, start the upgrade from the
        # management console, check the node afterwards; the image transfer and
        # the reboot run on their own (the built-in pack's argued 20 minutes for
        # a device with its own console, maintlib.packs.builtin.common).
        effort=dt.timedelta(minutes=20),
        mode=Mode.WINDOW,
        downtime=True,
        steps=pair if ha else single,
        **options,
    )


def _firmware(vendor: NetworkVendor, *, ha: bool) -> Rule:
    """Feature firmware: quarterly, on the firmware policy (14/30/45/60 days)."""
    return _device_rule(
        vendor,
        ha,
        "firmware",
        "firmware-update",
        _QUARTERLY,
        update_class=UpdateClass.FIRMWARE,
        steps=(SINGLE_STEPS, HA_STEPS),
        citation=(
            f"{ARTICLE}: firmware outside office hours, verified afterwards; feature"
            " firmware quarterly, as the built-in rule, on the firmware deadline policy"
            f" (maintlib default){_ha_citation(ha)}"
        ),
    )


def _psirt(vendor: NetworkVendor, *, ha: bool) -> Rule:
    """The fix of each publication in a window, for internet-facing devices."""
    assert vendor.calendar is not None
    cadence: Cadence = Released(vendor.calendar.id, offset_days=OFFSET_DAYS)
    when = f"after each publication ({vendor.source})"
    if vendor.fix_quarterly:
        cadence, when = (
            _QUARTERLY,
            f"quarterly, the vendor's core network OS cadence ({vendor.source})",
        )
    rule = _device_rule(
        vendor,
        ha,
        "psirt-fixes",
        "security-updates",
        cadence,
        update_class=UpdateClass.SECURITY,
        deadlines=FIX_DEADLINES,
        steps=(PSIRT_STEPS, PSIRT_HA_STEPS),
        citation=(
            f"{ARTICLE}: firmware outside office hours, verified afterwards; internet-facing"
            f" devices, {when}: High fixes in the next window, 7 days for P1 ({BIO_WEEK}),"
            f" 14 for the rest ({CYBER_ESSENTIALS}); severities {CISCO_SIR}{_ha_citation(ha)}"
        ),
    )
    return attrs.evolve(rule, selector=attrs.evolve(rule.selector, exposures=(Exposure.INTERNET,)))


def _triage(vendor: NetworkVendor) -> Rule:
    """The advisory triage of each publication (monthly without a calendar)."""
    cadence: Cadence = (
        Released(vendor.calendar.id, offset_days=OFFSET_DAYS) if vendor.calendar else _MONTHLY
    )
    when = (
        f"within a business day of each publication ({vendor.source})"
        if vendor.calendar
        else f"monthly: no published calendar ({vendor.source})"
    )
    return Rule(
        id=f"{vendor.key}-advisory-triage",
        activity="advisory-triage",
        selector=Selector(kinds=NETWORK_KINDS, vendor=vendor.vendor),
        cadence=cadence,
        duration=TRIAGE_DURATION,
        mode=Mode.OFFICE_HOURS,
        # Without a calendar the triage is a monthly routine read: a week, as before.
        deadlines=TRIAGE_DEADLINES if vendor.calendar else Deadlines.same(7),
        steps=TRIAGE_STEPS,
        citation=(
            f"Vendor bundles are triaged, not rushed: {when}; Critical issues out of cycle"
            f" ({FORTINET_PSIRT_CYCLE}); days only on the emergency path (maintlib default)"
        ),
        # The vendor's advisories are read once for all its devices of an owner, not
        # once per device.
        fleet=True,
        group_by=("vendor", "owner"),
        duration_per_asset=_PER_DEVICE,
    )


def _vendor_rules(vendor: NetworkVendor) -> list[Rule]:
    devices = Selector(kinds=NETWORK_KINDS, vendor=vendor.vendor)
    return [
        _firmware(vendor, ha=False),
        _firmware(vendor, ha=True),
        *((_psirt(vendor, ha=False), _psirt(vendor, ha=True)) if vendor.calendar else ()),
        _triage(vendor),
        Rule(
            id=f"{vendor.key}-access-review",
            activity="access-review",
            selector=devices,
            cadence=_QUARTERLY,
            duration=dt.timedelta(minutes=30),
            mode=Mode.OFFICE_HOURS,
            deadlines=Deadlines(14, 30, 45, 60),
            steps=ACCESS_STEPS,
            citation=(
                f"{ARTICLE}: not exposed to the internet, strong passwords, few admin"
                " accounts; quarterly as the built-in rule (maintlib default)"
            ),
            # A vendor's devices of one owner share their administrators and their
            # management console (FortiManager or the HA pair's one configuration,
            # the UniFi controller, Cisco's AAA server): one review of half an
            # hour, two minutes a device on top, not half an hour per access point.
            fleet=True,
            group_by=("vendor", "owner"),
            duration_per_asset=_PER_DEVICE,
        ),
    ]


#: A routine check of several similar devices together takes this per device on
#: top of the rule's duration (maintlib's assumption, as the built-in pack's
#: ``FLEET_CHECK_PER_ASSET``, argued there; 5 minutes before 0.9).
_PER_DEVICE = dt.timedelta(minutes=2)


def _device_rules() -> list[Rule]:
    return [
        Rule(
            id="configuration-backup",
            activity="configuration-backup",
            selector=Selector(kinds=NETWORK_KINDS),
            # Monthly since 0.9 (weekly before). The export itself runs on a
            # schedule in the backup tool, and every firmware update takes a fresh
            # one as its step 0 (the firmware rules' checklist); the person checks
            # monthly that the scheduled exports ran and can be read. Weekly hands-on
            # checks alone took more than the article's whole network fee buys
            # (EUR 85-170 a month for firewalls, switches and access points:
            # docs/costing.md, "Hours against the article").
            cadence=_MONTHLY,
            duration=dt.timedelta(minutes=10),
            mode=Mode.OFFICE_HOURS,
            deadlines=Deadlines.same(4),
            # The network devices' exports are checked together, in the one backup
            # tool (FortiManager, the UniFi controller, Oxidized, RANCID) that
            # collects all of them: one task a month per owner, two minutes a
            # device on top. Grouping by site as well made a firm with a network
            # cabinet per floor check the same tool three times a week; an owner
            # with a tool per site extends this rule with group_by = ["site",
            # "owner"].
            fleet=True,
            group_by=("owner",),
            duration_per_asset=_PER_DEVICE,
            steps=(
                Step(
                    StepKind.BACKUP,
                    "Export the configuration (or check the scheduled export ran); keep it"
                    " off the device, versioned.",
                ),
                Step(StepKind.VERIFY, "Check the backup is complete and can be read."),
            ),
            citation=(
                f"{ARTICLE}: configuration management and configuration backups; exported"
                " on a schedule and as step 0 of every firmware update, checked monthly"
                " (maintlib default, docs/costing.md)"
            ),
        ),
        Rule(
            id="firewall-router-log-review",
            activity="log-review",
            selector=Selector(kinds=("firewall", "router")),
            cadence=_WEEKLY,
            # A quarter of an hour a week with the log collector's summaries (top
            # denied sources, admin logins, configuration changes, new
            # destinations) and two minutes a device; half an hour before 0.9.
            duration=dt.timedelta(minutes=15),
            mode=Mode.OFFICE_HOURS,
            deadlines=Deadlines(2, 3, 5, 7),
            fleet=True,
            duration_per_asset=_PER_DEVICE,
            steps=(
                Step(
                    StepKind.WORK,
                    "Review logs and traffic for anomalies: denied bursts,"
                    " new destinations, admin logins, configuration changes.",
                ),
                Step(StepKind.VERIFY, "Record the findings; open an incident for anything odd."),
            ),
            citation=f"{ARTICLE}: traffic monitoring to detect anomalies; {CIS_8_11} (High)",
        ),
        Rule(
            id="switch-access-point-log-review",
            activity="log-review",
            selector=Selector(kinds=("switch", "access_point")),
            cadence=_MONTHLY,
            duration=dt.timedelta(minutes=15),
            mode=Mode.OFFICE_HOURS,
            deadlines=Deadlines(7, 14, 21, 27),
            fleet=True,
            # One review per vendor's console (the switches' syslog collector, the
            # UniFi or Meraki controller), whatever floor or site a device is on.
            group_by=("vendor", "owner"),
            duration_per_asset=_PER_DEVICE,
            steps=(
                Step(
                    StepKind.WORK,
                    "Review logs for anomalies: port or radio errors, rogue"
                    " devices, admin logins, configuration changes.",
                ),
                Step(StepKind.VERIFY, "Record the findings."),
            ),
            citation=(
                f"{ARTICLE}: traffic monitoring; monthly (maintlib default; {CIS_8_11} asks"
                " weekly for organisations in implementation groups 2 and 3)"
            ),
        ),
    ]


def rules() -> list[Rule]:
    """Every rule of the pack."""
    return in_dutch([*(r for vendor in VENDORS for r in _vendor_rules(vendor)), *_device_rules()])
