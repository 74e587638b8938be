"""What the built-in pack's rules share: the article's citation prefix, the groups of
asset kinds, the cadences, the fleet allowances and the rule constructor."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from maintlib._util.text import N_
from maintlib.model.rules import Periodic, Rule, Selector, Step, StepKind

ARTICLE = "Source article, docs/domain.md"


SERVERS = ("physical_server", "hypervisor", "virtual_server")


NETWORK = ("firewall", "router", "switch", "access_point")


ENDPOINTS = ("workstation", "laptop")


#: What a per-server fee counts: the machines, not the virtual servers on them.
PHYSICAL_SERVERS = ("physical_server", "hypervisor")


MONTHLY = Periodic("FREQ=MONTHLY")


QUARTERLY = Periodic("FREQ=MONTHLY;INTERVAL=3")


YEARLY = Periodic("FREQ=YEARLY")


WEEKLY = Periodic("FREQ=WEEKLY")


FORTNIGHTLY = Periodic("FREQ=WEEKLY;INTERVAL=2")


WORKDAYS = Periodic("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR")


def in_hours(value: float) -> dt.timedelta:
    return dt.timedelta(hours=value)


#: What a fleet check takes per member on top of its base duration: following up
#: one device's compliance status in the management console. maintlib's own
#: assumption (the article gives no figure); change it with an inventory rule.
FLEET_PER_ASSET = dt.timedelta(minutes=1)


#: What a routine check of several similar devices together takes per device on
#: top of the rule's duration (performance reviews, configuration backups, log
#: reviews done from one console): reading the device's line in the console that
#: collects them (status, last export, alerts). maintlib's own assumption, not the
#: article's; 2 minutes since 0.9 (it was 5). Calibrated against the article's own
#: price list (docs/costing.md, "Hours against the article"): its network fee of
#: EUR 85-170 a month for a small firm's firewalls, switches and access points buys
#: one to two hours of work a month at EUR 85-140 an hour, which 5 minutes per
#: device per weekly check alone exceeded several times over.
FLEET_CHECK_PER_ASSET = dt.timedelta(minutes=2)


#: Hands-on technician time of window work (``Rule.effort``): what a technician
#: spends and what is billed, apart from the wall-clock ``duration`` (install,
#: restart, checks) that downtime and conflicts use. Patching a server is approving
#: and starting the update from the management console (WSUS, ConfigMgr, Intune,
#: the hypervisor's or appliance's console), then checking its services after the
#: restart; the install and the restart run on their own, so one technician
#: watches several servers at once. The article gives no per-server figure;
#: maintlib's assumption, argued so: 15 minutes for a virtual server or an
#: application, 20 for a physical machine or a hypervisor (out-of-band console,
#: cluster drain and resume by Cluster-Aware Updating — Microsoft Learn,
#: "Cluster-Aware Updating overview": CAU drains each node, installs, restarts
#: and resumes it without an administrator), 30 for firmware and functional
#: updates (more to read and verify). Change them with an inventory rule.
HANDS_ON_PATCH = dt.timedelta(minutes=15)
HANDS_ON_PHYSICAL = dt.timedelta(minutes=20)
HANDS_ON_FIRMWARE = dt.timedelta(minutes=30)


def article_rule(
    rule_id: str,
    activity: str,
    kinds: Sequence[str],
    cadence: Periodic,
    hours: float,
    citation: str,
    **options: object,
) -> Rule:
    return Rule(
        id=rule_id,
        activity=activity,
        selector=Selector(kinds=tuple(kinds)),
        cadence=cadence,
        duration=in_hours(hours),
        citation=f"{ARTICLE} {citation}",
        **options,  # type: ignore[arg-type]
    )


#: The last step of every routine check.
_RECORD = Step(
    StepKind.WORK, N_("Record the result; open a ticket for every finding that needs work.")
)

# The routine checks' checklists: what the article names for each kind of asset
# (docs/domain.md §1, §2, §6: performance monitoring, a thorough server check,
# backups and restore tests, unauthorised access, traffic anomalies), written as
# the steps a technician works through. The steps are maintlib's own wording.

#: Daily backup check (§7: 5 to 15 minutes a day).
BACKUP_CHECK = (
    Step(
        StepKind.VERIFY,
        N_(
            "In the backup console: every job since the last check finished successfully"
            " (no failed, warning or missed jobs)."
        ),
    ),
    Step(
        StepKind.WORK,
        N_("A failed or missed job: find the cause and run it again today."),
    ),
    Step(
        StepKind.VERIFY,
        N_(
            "The off-site or immutable copy is current; the backup storage has room for the"
            " next week."
        ),
    ),
    _RECORD,
)
#: Restore test (§2, tip 4: restores tested regularly).
RESTORE_TEST = (
    Step(
        StepKind.WORK,
        N_(
            "Restore from a recent backup to an isolated place: a folder, a database or a"
            " whole virtual machine (another one each time)."
        ),
    ),
    Step(
        StepKind.VERIFY,
        N_(
            "Open the restored data or start the VM: complete and readable. Note how long"
            " the restore took."
        ),
    ),
    Step(StepKind.WORK, N_("Remove the restored copy.")),
    _RECORD,
)
#: Monthly thorough server check (§2).
SERVER_CHECK = (
    Step(
        StepKind.WORK,
        N_(
            "Per server: system and application event logs since the last check; recurring"
            " errors and warnings."
        ),
    ),
    Step(
        StepKind.VERIFY,
        N_(
            "Free disk space, CPU and memory trends, hardware and RAID status; the services"
            " that should run are running."
        ),
    ),
    Step(
        StepKind.VERIFY,
        N_(
            "Last month's updates installed, no restart pending, antivirus current, the"
            " server's backups succeeded."
        ),
    ),
    _RECORD,
)
#: Performance monitoring of the hypervisor layer (§1).
HYPERVISOR_REVIEW = (
    Step(
        StepKind.WORK,
        N_(
            "The hosts' CPU, memory and storage latency since the last review; free space on"
            " the datastores or cluster volumes; open alarms."
        ),
    ),
    Step(
        StepKind.VERIFY,
        N_(
            "No snapshots older than a few days; the cluster can lose a host and still run"
            " every VM."
        ),
    ),
    _RECORD,
)
#: Performance monitoring of virtual servers (§1).
VM_REVIEW = (
    Step(
        StepKind.WORK,
        N_(
            "Per virtual server: CPU, memory and disk use against what it was given, since"
            " the last review; disks filling up."
        ),
    ),
    _RECORD,
)
#: Database management of applications (§1).
DATABASE_CHECK = (
    Step(StepKind.BACKUP, N_("Last night's database backups (full and log) succeeded.")),
    Step(
        StepKind.WORK,
        N_(
            "The database's maintenance jobs ran (integrity check, index and statistics"
            " maintenance); run the missed ones now."
        ),
    ),
    Step(
        StepKind.VERIFY,
        N_("Data and log file sizes and growth, free space; the application works for its users."),
    ),
    _RECORD,
)
#: Monthly maintenance of cloud services (§1).
CLOUD_REVIEW = (
    Step(
        StepKind.WORK,
        N_(
            "The admin centre's service health and message centre: changes and retirements"
            " that affect the organisation."
        ),
    ),
    Step(
        StepKind.VERIFY,
        N_(
            "Security alerts and risky sign-ins handled; every account has multi-factor"
            " sign-in; no unexpected administrators."
        ),
    ),
    _RECORD,
)
#: Licences and subscriptions (§1: cloud services maintenance).
LICENCE_REVIEW = (
    Step(
        StepKind.WORK,
        N_(
            "Assigned against bought licences; licences of people who left freed; renewals"
            " due in the next quarter."
        ),
    ),
    _RECORD,
)
#: Configuration backups (§1, §6).
CONFIGURATION_BACKUP = (
    Step(
        StepKind.BACKUP,
        N_(
            "Export each device's configuration (or check the scheduled export ran); keep it"
            " off the device, versioned."
        ),
    ),
    Step(StepKind.VERIFY, N_("The export is complete and can be read.")),
    _RECORD,
)
#: Checks against unauthorised access (§1, §6).
ACCESS_REVIEW = (
    Step(
        StepKind.VERIFY,
        N_("The management interfaces cannot be reached from the internet."),
    ),
    Step(
        StepKind.VERIFY,
        N_(
            "Administrator accounts: only current administrators, each personal, with a"
            " strong password or multi-factor sign-in; default accounts disabled."
        ),
    ),
    _RECORD,
)
#: Traffic monitoring to detect anomalies (§1).
LOG_REVIEW = (
    Step(
        StepKind.WORK,
        N_(
            "The logs and traffic graphs since the last review: blocked attacks, failed"
            " administrator logins, unusual volumes or destinations."
        ),
    ),
    _RECORD,
)
