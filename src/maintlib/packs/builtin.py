"""The built-in rule pack: the knowledge of the article maintlib was founded on.

Loaded through the entry point ``builtin`` exactly like an external pack (and
blockable like one). Every rule cites the section of ``docs/domain.md`` it encodes;
numbers the article does not give are documented defaults, with the reason, in
``docs/rules.md``. Inventories override any of them with ``[[rules]]``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from maintlib.model.money import CostRange
from maintlib.model.rates import DailyLabour, Fee, FeeBasis, RateCard, TimeBand
from maintlib.model.rules import (
    Activity,
    DeadlinePolicy,
    Deadlines,
    Periodic,
    Rule,
    Scope,
    Selector,
    Step,
    StepKind,
    section5_steps,
)
from maintlib.model.vocabulary import AssetKind, Category, Mode, Tier, UpdateClass
from maintlib.model.vulnerabilities import VulnerabilityPolicy
from maintlib.packs.hookspecs import hookimpl
from maintlib.packs.policies import builtin_policies

_T = dt.time


ARTICLE = "Source article, docs/domain.md"


#: Where backup-system vendors publish their advisories. Synology's page says fixed
#: vulnerabilities are "announced on Synology's official website" (High); QNAP's and
#: Veeam's pages are named from their sites, not quoted (UNCONFIRMED).
BACKUP_ADVISORIES = (
    "Synology Product Security Advisory, https://www.synology.com/en-global/security/advisory;"
    " QNAP Security Advisories, https://www.qnap.com/en/security-advisories (UNCONFIRMED);"
    " Veeam Knowledge Base security bulletins, https://www.veeam.com/knowledge-base.html"
    " (UNCONFIRMED)"
)


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


def _hours(value: float) -> dt.timedelta:
    return dt.timedelta(hours=value)


@hookimpl
def maintlib_asset_kinds() -> Sequence[AssetKind]:
    """The asset kinds of article section 1."""
    server, network = Category.SERVER, Category.NETWORK
    return [
        AssetKind("physical_server", server, "Physical server", aliases=("bare_metal", "pserver")),
        AssetKind(
            "hypervisor",
            server,
            "Hypervisor host",
            infrastructure=True,
            aliases=("esxi", "hyper_v", "proxmox", "vm_host"),
        ),
        AssetKind("virtual_server", server, "Virtual server", aliases=("vm", "virtual_machine")),
        AssetKind("storage", server, "Shared storage", infrastructure=True, aliases=("nas", "san")),
        AssetKind("firewall", network, "Firewall", infrastructure=True, aliases=("utm",)),
        AssetKind("router", network, "Router", infrastructure=True),
        AssetKind("switch", network, "Switch", infrastructure=True),
        AssetKind(
            "access_point", network, "Access point", infrastructure=True, aliases=("ap", "wap")
        ),
        AssetKind("workstation", Category.ENDPOINT, "Workstation", aliases=("pc", "desktop")),
        AssetKind("laptop", Category.ENDPOINT, "Laptop", aliases=("notebook",)),
        AssetKind("application", Category.APPLICATION, "Application", aliases=("app",)),
        AssetKind("cloud_service", Category.CLOUD, "Cloud service", aliases=("saas", "cloud")),
        AssetKind("backup_system", Category.BACKUP, "Backup system", aliases=("backup",)),
    ]


@hookimpl
def maintlib_activities() -> Sequence[Activity]:
    """The activities the article names (sections 1, 2, 5, 6, 8)."""
    return [
        Activity("security-updates", "Security updates", "Patches for known vulnerabilities."),
        Activity("standard-updates", "Standard updates", "Functional and performance updates."),
        Activity("service-pack", "Service pack", "A larger bundle of fixes and improvements."),
        Activity("firmware-update", "Firmware update", "The manufacturer's firmware."),
        Activity("definitions-update", "Antivirus definitions", "Malware definitions."),
        Activity("health-check", "Health check", "A thorough check of the system's state."),
        Activity("performance-review", "Performance review", "Review of monitored performance."),
        Activity("configuration-backup", "Configuration backup", "Save the device configuration."),
        Activity(
            "access-review",
            "Access review",
            "Not exposed to the internet, strong passwords, few admin accounts.",
        ),
        Activity("log-review", "Log and traffic review", "Look for anomalies in logs and traffic."),
        Activity("database-maintenance", "Database maintenance", "Integrity, indexes, growth."),
        Activity("backup-check", "Backup check", "Did last night's backups succeed?"),
        Activity("restore-test", "Restore test", "Restore a sample to prove backups work."),
        Activity("cloud-review", "Cloud service review", "Updates, workplace management, support."),
        Activity("licence-review", "Licence and subscription review", "Seats, renewals, costs."),
        Activity("plan-review", "Maintenance plan review", "Evaluate and adjust the plan."),
        Activity("training", "Training", "Keep infrastructure and security skills current."),
        Activity("upgrade-or-replace", "Upgrade or replace", "The product's support ends."),
    ]


@hookimpl
def maintlib_deadline_policies() -> Sequence[DeadlinePolicy | VulnerabilityPolicy]:
    """Default deadlines per update class (docs/rules.md explains each number), and the
    vulnerability deadline policies (docs/vulnerabilities.md)."""
    return [
        *builtin_policies(),
        DeadlinePolicy(
            "security",
            Deadlines(3, 7, 14, 30),
            update_class=UpdateClass.SECURITY,
            citation=(
                "Article §4 (security updates as soon as possible); BIO2 8.08.01 (within one"
                " week when likelihood and damage are high); CIS Controls v8 7.3/7.4 (monthly"
                " or more frequent)"
            ),
        ),
        DeadlinePolicy(
            "standard",
            Deadlines(14, 30, 60, 90),
            update_class=UpdateClass.STANDARD,
            citation="Article §4 (functional updates); maintlib default",
        ),
        DeadlinePolicy(
            "service-pack",
            Deadlines(30, 60, 90, 120),
            update_class=UpdateClass.SERVICE_PACK,
            citation="Article §4 (service packs, released less often); maintlib default",
        ),
        DeadlinePolicy(
            "firmware",
            Deadlines(14, 30, 45, 60),
            update_class=UpdateClass.FIRMWARE,
            citation="Article §1 and §6 (firmware of hypervisor hardware and network gear)",
        ),
        DeadlinePolicy(
            "definitions",
            Deadlines(1, 1, 2, 3),
            update_class=UpdateClass.DEFINITIONS,
            citation="Article §1 (antivirus management); maintlib default",
        ),
    ]


#: What a fleet check takes per member on top of its base duration: following up
#: one device's compliance status in the management console. maintlib's own
#: assumption (the article gives no figure); change it with an inventory rule.
FLEET_PER_ASSET = dt.timedelta(minutes=1)


#: What a routine check of several similar devices together takes per device on
#: top of the rule's duration (performance reviews, configuration backups, log
#: reviews done from one console). maintlib's own assumption, not the article's.
FLEET_CHECK_PER_ASSET = dt.timedelta(minutes=5)


def _rule(
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
        duration=_hours(hours),
        citation=f"{ARTICLE} {citation}",
        **options,  # type: ignore[arg-type]
    )


_CHECK = (Step(StepKind.WORK, "Work through the checklist; record findings."),)


_NETWORK_STEPS = (
    Step(StepKind.BACKUP, "Back up the device configuration first."),
    Step(StepKind.TEST, "Confirm the same firmware passed the lower ring."),
    Step(StepKind.UPDATE, "Install the firmware, most critical device first."),
    Step(StepKind.VERIFY, "Verify everything works afterwards: links, VPNs, wireless, rules."),
    Step(StepKind.ROLLBACK, "If problems appear: boot the previous image, restore the config."),
)


@hookimpl
def maintlib_rules() -> Sequence[Rule]:
    """The article's maintenance, per asset kind (see docs/rules.md)."""
    window, office, automatic = Mode.WINDOW, Mode.OFFICE_HOURS, Mode.AUTOMATIC
    sec, std, sp, fw, defs = (
        UpdateClass.SECURITY,
        UpdateClass.STANDARD,
        UpdateClass.SERVICE_PACK,
        UpdateClass.FIRMWARE,
        UpdateClass.DEFINITIONS,
    )
    return [
        # Servers (§1, §2, §5): a thorough check at least monthly; updates planned.
        _rule(
            "server-health-check",
            "health-check",
            (*SERVERS, "storage"),
            MONTHLY,
            0.75,
            "§2: a thorough check of every server at least once a month",
            mode=office,
            deadlines=Deadlines(10, 14, 21, 27),
            steps=_CHECK,
            cadence_by_tier=((Tier.P1, FORTNIGHTLY),),
            # The month's checks of a site's servers are one session: still a
            # thorough half hour per server (maintlib's assumption), one entry.
            fleet=True,
            duration_per_asset=dt.timedelta(minutes=30),
        ),
        _rule(
            "physical-server-security-updates",
            "security-updates",
            ("physical_server",),
            MONTHLY,
            2,
            "§4, §5: security updates as soon as possible, planned downtime",
            mode=window,
            update_class=sec,
            downtime=True,
            steps=section5_steps(),
        ),
        _rule(
            "virtual-server-security-updates",
            "security-updates",
            ("virtual_server",),
            MONTHLY,
            1,
            "§1, §2: VMs patched as soon as vendors release",
            mode=window,
            update_class=sec,
            downtime=True,
            steps=section5_steps(backup="Snapshot the VM first."),
        ),
        _rule(
            "server-standard-updates",
            "standard-updates",
            ("physical_server", "virtual_server"),
            QUARTERLY,
            1,
            "§4: standard updates, planned",
            mode=window,
            update_class=std,
            downtime=True,
            steps=section5_steps(),
        ),
        _rule(
            "server-service-pack",
            "service-pack",
            SERVERS,
            YEARLY,
            4,
            "§4: service packs, released less often",
            mode=window,
            update_class=sp,
            downtime=True,
            steps=section5_steps("Install the service pack.", monitor_hours=48),
        ),
        # Hypervisor layer (§1, §3): more, and more often, than its VMs.
        _rule(
            "hypervisor-security-updates",
            "security-updates",
            ("hypervisor",),
            MONTHLY,
            2,
            "§1, §3: the hypervisor layer first and most often; a fault hits every VM",
            mode=window,
            update_class=sec,
            downtime=True,
            deadlines=Deadlines(3, 5, 7, 14),
            steps=section5_steps(backup="Back up the host configuration; move or stop its VMs."),
        ),
        _rule(
            "hardware-firmware",
            "firmware-update",
            ("physical_server", "hypervisor", "storage"),
            QUARTERLY,
            2,
            "§1: firmware updates of the hardware",
            mode=window,
            update_class=fw,
            downtime=True,
            steps=section5_steps("Install the firmware (BIOS, BMC, controllers, disks)."),
        ),
        _rule(
            "hypervisor-performance-review",
            "performance-review",
            ("hypervisor", "storage"),
            WEEKLY,
            0.5,
            "§1: performance monitoring of the resource layer",
            mode=office,
            deadlines=Deadlines.same(4),
            steps=_CHECK,
            fleet=True,
            duration_per_asset=FLEET_CHECK_PER_ASSET,
        ),
        _rule(
            "vm-performance-review",
            "performance-review",
            ("virtual_server",),
            MONTHLY,
            0.25,
            "§1: performance monitoring of virtual servers",
            mode=office,
            deadlines=Deadlines(7, 14, 21, 27),
            steps=_CHECK,
            fleet=True,
            duration_per_asset=FLEET_CHECK_PER_ASSET,
        ),
        # Network equipment (§1, §6): firmware outside office hours, backups, access.
        _rule(
            "network-firmware",
            "firmware-update",
            NETWORK,
            QUARTERLY,
            1,
            "§1, §6: firmware updates, planned, outside office hours, verified afterwards",
            mode=window,
            update_class=fw,
            downtime=True,
            steps=_NETWORK_STEPS,
        ),
        _rule(
            "network-configuration-backup",
            "configuration-backup",
            NETWORK,
            MONTHLY,
            0.25,
            "§1: configuration management and configuration backups",
            mode=office,
            deadlines=Deadlines.same(7),
            steps=_CHECK,
            fleet=True,
            duration_per_asset=FLEET_CHECK_PER_ASSET,
        ),
        _rule(
            "network-access-review",
            "access-review",
            NETWORK,
            QUARTERLY,
            0.5,
            "§1: not exposed to the internet, strong passwords, few admin accounts",
            mode=office,
            deadlines=Deadlines(14, 30, 45, 60),
            steps=_CHECK,
        ),
        _rule(
            "network-log-review",
            "log-review",
            ("firewall", "router"),
            MONTHLY,
            0.5,
            "§1: traffic monitoring to detect anomalies",
            mode=office,
            deadlines=Deadlines(3, 7, 14, 21),
            steps=_CHECK,
            fleet=True,
            duration_per_asset=FLEET_CHECK_PER_ASSET,
            cadence_by_tier=((Tier.P1, WEEKLY),),
        ),
        # Workstations and laptops (§1, §4): automatic updates, verified.
        _rule(
            "endpoint-automatic-updates",
            "security-updates",
            ENDPOINTS,
            MONTHLY,
            1 / 6,
            "§1, §4: automatic updates close holes without waiting for people; verified",
            mode=automatic,
            update_class=sec,
            steps=section5_steps(),
            duration_per_asset=FLEET_PER_ASSET,
        ),
        _rule(
            "endpoint-definitions",
            "definitions-update",
            ENDPOINTS,
            MONTHLY,
            1 / 12,
            "§1: antivirus management",
            mode=automatic,
            update_class=defs,
            deadlines=Deadlines.same(7),
            duration_per_asset=FLEET_PER_ASSET,
        ),
        # Applications (§1): updates, database management, backups.
        _rule(
            "application-security-updates",
            "security-updates",
            ("application",),
            MONTHLY,
            1,
            "§1: software updates of applications",
            mode=window,
            update_class=sec,
            downtime=True,
            steps=section5_steps(),
        ),
        _rule(
            "application-standard-updates",
            "standard-updates",
            ("application",),
            QUARTERLY,
            2,
            "§1, §4: functional updates of applications",
            mode=window,
            update_class=std,
            downtime=True,
            steps=section5_steps(),
        ),
        Rule(
            id="database-maintenance",
            activity="database-maintenance",
            selector=Selector(kinds=("application", "virtual_server"), tags=("database",)),
            cadence=MONTHLY,
            duration=_hours(1),
            mode=window,
            deadlines=Deadlines(7, 14, 21, 27),
            steps=_CHECK,
            citation=f"{ARTICLE} §1: database management of applications",
        ),
        # Cloud services (§1, §7): monthly maintenance; subscriptions.
        _rule(
            "cloud-monthly-review",
            "cloud-review",
            ("cloud_service",),
            MONTHLY,
            1,
            "§1, §7: monthly maintenance of cloud services",
            mode=office,
            deadlines=Deadlines.same(14),
            steps=_CHECK,
        ),
        _rule(
            "cloud-licence-review",
            "licence-review",
            ("cloud_service",),
            QUARTERLY,
            0.5,
            "§7: cloud services priced per user; review seats against users",
            mode=office,
            deadlines=Deadlines.same(30),
            steps=_CHECK,
        ),
        # Backups (§2, tip 4): made regularly, restores tested regularly.
        _rule(
            "backup-check",
            "backup-check",
            ("backup_system",),
            WORKDAYS,
            0.25,
            "§7: backup management, 5 to 15 minutes of work a day",
            mode=office,
            deadlines=Deadlines.same(3),
            steps=_CHECK,
            # One look at the backup console covers every backup system: the
            # article's 5 to 15 minutes a day are for the whole backup estate.
            fleet=True,
        ),
        # A backup system is itself software that attackers go after first: its
        # vendor's advisories are read monthly and the update (Synology DSM, QNAP
        # QTS/QuTS, Veeam) installed outside office hours.
        _rule(
            "backup-system-updates",
            "security-updates",
            ("backup_system",),
            MONTHLY,
            1,
            "§4: security updates as soon as possible; §2: backups must keep working."
            f" Advisories: {BACKUP_ADVISORIES}",
            mode=window,
            update_class=sec,
            downtime=True,
            steps=(
                Step(StepKind.WORK, "Read the vendor's security advisories since last month."),
                Step(
                    StepKind.BACKUP, "Export the system's configuration; note the last good backup."
                ),
                Step(
                    StepKind.UPDATE,
                    "Install the firmware or software update that fixes them (DSM, QTS, Veeam);"
                    " if none applies, record that and close the task.",
                ),
                Step(StepKind.VERIFY, "Check the next backup job runs and succeeds."),
                Step(StepKind.ROLLBACK, "If it fails: restore the configuration, call the vendor."),
            ),
        ),
        _rule(
            "backup-restore-test",
            "restore-test",
            ("backup_system",),
            QUARTERLY,
            2,
            "§2 and tip 4: test restores regularly",
            mode=office,
            deadlines=Deadlines(14, 30, 45, 60),
            steps=_CHECK,
        ),
        # The organisation (§5, tips 1 and 5).
        Rule(
            id="plan-review",
            activity="plan-review",
            selector=Selector(),
            cadence=YEARLY,
            duration=_hours(2),
            mode=office,
            deadlines=Deadlines.same(30),
            scope=Scope.ORGANISATION,
            steps=(Step(StepKind.WORK, "Evaluate the maintenance plan and adjust it."),),
            citation=f"{ARTICLE} §5 (document, evaluate and adjust) and tip 1",
        ),
        Rule(
            id="training",
            activity="training",
            selector=Selector(),
            cadence=YEARLY,
            duration=_hours(8),
            mode=office,
            deadlines=Deadlines.same(90),
            scope=Scope.ORGANISATION,
            steps=(Step(StepKind.WORK, "Infrastructure and security training for staff."),),
            citation=f"{ARTICLE} tip 5: keep skills current",
        ),
    ]


def _span(
    days: range | Sequence[int], start: _T, end: _T | None
) -> tuple[tuple[int, _T, _T | None], ...]:
    return tuple((day, start, end) for day in days)


WEEKDAYS = range(5)


#: The default bands: article §7 says "150% or 200%" outside office hours; the split
#: between them is maintlib's documented default (docs/costing.md).
DEFAULT_BANDS = (
    TimeBand("holiday", Decimal(2), holidays=True),
    TimeBand("office", Decimal(1), _span(WEEKDAYS, _T(8), _T(18))),
    TimeBand(
        "evening", Decimal("1.5"), _span(WEEKDAYS, _T(6), _T(8)) + _span(WEEKDAYS, _T(18), _T(22))
    ),
    TimeBand("night", Decimal(2), _span(WEEKDAYS, _T(0), _T(6)) + _span(WEEKDAYS, _T(22), None)),
    TimeBand("weekend", Decimal(2), _span((5, 6), _T(0), None)),
)


HOURLY = CostRange(Decimal(85), Decimal(140), "EUR")


COST_SOURCE = f"{ARTICLE} §7"


def _fee(
    name: str,
    basis: FeeBasis,
    low: str,
    high: str,
    covers: Sequence[str] = (),
    kinds: Sequence[str] = (),
) -> Fee:
    return Fee(
        name,
        basis,
        CostRange(Decimal(low), Decimal(high), "EUR"),
        kinds=tuple(kinds),
        covers=tuple(covers),
        citation=COST_SOURCE,
    )


@hookimpl
def maintlib_rate_cards() -> Sequence[RateCard]:
    """The article's labour rate and its three example companies (§7).

    The article's fees are managed services: the maintenance of what they name
    is included, so the planned tasks on those assets are marked as covered and
    not charged again as labour (docs/costing.md).
    """
    per_user, per_server = FeeBasis.PER_USER_MONTH, FeeBasis.PER_SERVER_MONTH
    flat, yearly = FeeBasis.FLAT_MONTH, FeeBasis.PER_YEAR
    endpoints = ("workstation", "laptop")
    # Done on the days the backup check runs (its rule: every working day).
    backup = DailyLabour(
        "backup management",
        Decimal(5),
        Decimal(15),
        covers=("backup-check",),
        citation=COST_SOURCE,
        weekdays=tuple(WEEKDAYS),
    )
    cloud = _fee(
        "cloud services (licences included)",
        per_user,
        "79.95",
        "79.95",
        covers=("cloud_service", *endpoints),
    )
    network = _fee("firewall, switches, access points", flat, "85", "170", covers=NETWORK)

    def card(
        name: str,
        description: str,
        fees: tuple[Fee, ...],
        daily: tuple[DailyLabour, ...] = (),
        users: tuple[int, int | None] | None = None,
    ) -> RateCard:
        return RateCard(
            name,
            HOURLY,
            DEFAULT_BANDS,
            fees=fees,
            daily_labour=daily,
            description=description,
            citation=COST_SOURCE,
            users=users,
        )

    return [
        card("default", "Labour only: EUR 85–140 an hour, with surcharges", ()),
        card("smb-cloud", "SMB, 5–25 workplaces, all cloud", (cloud, network), users=(5, 25)),
        card(
            "production",
            "Production company, 25 workplaces, servers on site",
            # "Per server" counts the machines: physical servers and hypervisor hosts.
            # The fee pays for the maintenance of what runs on them too, so the
            # virtual servers are covered, not counted (docs/costing.md).
            (
                _fee(
                    "server maintenance",
                    per_server,
                    "85",
                    "170",
                    covers=SERVERS,
                    kinds=PHYSICAL_SERVERS,
                ),
                cloud,
                network,
            ),
            (backup,),
            users=(25, 25),
        ),
        card(
            "tech",
            "Technology company, 150+ workplaces, sensitive data",
            (
                _fee(
                    "maintenance of all servers and workplaces",
                    flat,
                    "5000",
                    "30000",
                    covers=(*SERVERS, *endpoints),
                ),
                _fee("managed service (on-site and remote support)", per_user, "35", "60"),
                _fee("backup management", yearly, "4000", "10000", covers=("backup_system",)),
                _fee("firewall management", yearly, "8000", "20000", covers=("firewall",)),
                _fee("switch management", yearly, "5000", "10000", covers=("switch",)),
                _fee("access point management", yearly, "1000", "5000", covers=("access_point",)),
            ),
            users=(150, None),
        ),
    ]
