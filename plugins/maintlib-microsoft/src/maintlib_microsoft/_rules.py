"""The Microsoft pack's activities and rules.

Every rule selects on ``vendor = "Microsoft*"`` and a product glob, so it is more
specific than the built-in pack's rule for the same activity and wins over it
(``maintlib explain`` shows which built-in rule it overrides). Numbers Microsoft
does not give (offsets, durations, verification cadences) are maintlib defaults,
named as such here and in the README; inventories change them with ``[[rules]]
extends = "microsoft/<rule id>"``.
"""

from __future__ import annotations

import datetime as dt

import attrs

from maintlib.packs import (
    Activity,
    Deadlines,
    Mode,
    Periodic,
    Released,
    Rule,
    Selector,
    Step,
    StepKind,
    UpdateClass,
    section5_steps,
)
from maintlib_microsoft._calendars import PATCH_TUESDAY, PREVIEW
from maintlib_microsoft._sources import (
    DEFENDER_INTERVAL,
    DEFENDER_UPDATES,
    EXCHANGE_CU,
    HOTPATCH_SCHEDULE,
    HOTPATCH_SERVER,
    M365_MESSAGE_CENTER,
    RELEASE_CYCLE,
    SERVER_PRODUCTS_ON_PATCH_TUESDAY,
    SQL_MODERN_SERVICING,
    WINDOWS_MONTHLY_CUMULATIVE,
)

__all__ = [
    "BASELINE_MONTHS",
    "CLIENT_CHECK_OFFSET_DAYS",
    "HOTPATCH_MONTHS",
    "HOTPATCH_TAG",
    "PATCH_OFFSET_DAYS",
    "PREVIEW_TAG",
    "SQL_SERVER_CU_ONLY",
    "activities",
    "rules",
]

VENDOR = "Microsoft*"
WINDOWS_SERVER = "Windows Server*"
WINDOWS_CLIENT = "Windows 1[01]*"
SERVER_KINDS = ("physical_server", "hypervisor", "virtual_server")
CLIENT_KINDS = ("workstation", "laptop")
#: Kinds an application such as Exchange or SQL Server is recorded as.
PRODUCT_KINDS = ("application", "virtual_server", "physical_server")

#: Days between Patch Tuesday and the earliest start of planned server work
#: (maintlib default: none). Testing comes from maintlib's rings — lower-ring assets
#: first, production ``soak_days`` later — not from a fixed delay, which would eat
#: into the P1 deadline (3 days for a Hyper-V host: a three-node cluster with
#: Monday–Thursday night windows needs Tuesday, Wednesday and Thursday night).
#: Inventories add a delay with ``extends`` and ``cadence.offset_days``.
PATCH_OFFSET_DAYS = 0
#: Clients install quality updates themselves; someone checks a week later
#: (maintlib default).
CLIENT_CHECK_OFFSET_DAYS = 7
#: Hotpatch baseline months, with a cumulative update and a restart; the other
#: months install hotpatches without a restart (HOTPATCH_SCHEDULE, High).
BASELINE_MONTHS = (1, 4, 7, 10)
HOTPATCH_MONTHS = tuple(m for m in range(1, 13) if m not in BASELINE_MONTHS)
#: Tag of servers enrolled in hotpatch (Windows Server 2025 with Azure Arc, or
#: Datacenter: Azure Edition).
HOTPATCH_TAG = "hotpatch"
#: Tag of the client devices that try the optional preview release.
PREVIEW_TAG = "preview-pilot"

#: SQL Server versions serviced by cumulative updates only (SQL_MODERN_SERVICING, High).
SQL_SERVER_CU_ONLY = ("2017", "2019", "2022", "2025")

_HOURS = dt.timedelta(hours=1)
_MONTHLY = Periodic("FREQ=MONTHLY")
_AFTER_PATCH_TUESDAY = Released(PATCH_TUESDAY.id, offset_days=PATCH_OFFSET_DAYS)
_PATCH_TUESDAY = f"{RELEASE_CYCLE}: Patch Tuesday, second Tuesday 10:00 Pacific"


def activities() -> list[Activity]:
    """The activities this pack adds to the built-in ones."""
    return [
        Activity(
            "hotpatch",
            "Hotpatch (no restart)",
            "Windows Server hotpatch months: security fixes applied without a restart.",
            labels={"nl": "Hotpatch (zonder herstart)"},
        ),
        Activity(
            "feature-update",
            "Windows feature update",
            "The yearly new Windows version, offered to pilot devices first, then to all.",
            labels={"nl": "Windows-onderdelenupdate"},
        ),
        Activity(
            "preview-validation",
            "Preview validation",
            "Microsoft's optional non-security preview, tried on pilot devices.",
            labels={"nl": "Controle preview-update"},
        ),
    ]


def _windows_server(
    rule_id: str, kind: str, hours: float, steps: tuple[Step, ...], **options: object
) -> Rule:
    return Rule(
        id=rule_id,
        activity="security-updates",
        selector=Selector(kinds=(kind,), vendor=VENDOR, product=WINDOWS_SERVER),
        cadence=_AFTER_PATCH_TUESDAY,
        duration=hours * _HOURS,
        # Hands-on: approve and start the cumulative update (WSUS, ConfigMgr,
        # Intune, or Cluster-Aware Updating on a cluster), check the services after
        # the restart; the built-in pack's argued figures (HANDS_ON_* in
        # maintlib.packs.builtin.common).
        effort=(_HOURS / 3) if hours >= 2 else (_HOURS / 4),
        mode=Mode.WINDOW,
        update_class=UpdateClass.SECURITY,
        downtime=True,
        steps=steps,
        citation=f"{_PATCH_TUESDAY}; tested through the rings (maintlib default)",
        **options,  # type: ignore[arg-type]
    )


def _windows_server_rules() -> list[Rule]:
    work = "Install this month's cumulative update; restart."
    return [
        _windows_server(
            "windows-server-physical-security-updates", "physical_server", 2, section5_steps(work)
        ),
        _windows_server(
            "windows-server-hyperv-security-updates",
            "hypervisor",
            2,
            section5_steps(
                work,
                backup="Back up the host configuration; live-migrate or shut down its VMs.",
            ),
            # The hypervisor layer at least as early as its VMs (docs/domain.md §1,
            # §3), as the built-in hypervisor rule this one replaces.
            deadlines=Deadlines(7, 7, 14, 30),
        ),
        _windows_server(
            "windows-server-vm-security-updates",
            "virtual_server",
            1,
            section5_steps(work, backup="Take a checkpoint (snapshot) of the VM first."),
        ),
    ]


def _hotpatch_rules(monthly: list[Rule]) -> list[Rule]:
    """Hotpatch-enrolled servers: the monthly rules in baseline months only, and a
    restart-free hotpatch activity in the other months.

    The resolver keeps one rule per activity and asset: the baseline twin (more
    specific by its tag) replaces the monthly ``security-updates`` rule, and the
    hotpatch months are a separate activity, so no month gets both.
    """
    baseline = [
        attrs.evolve(
            rule,
            id=rule.id.replace("security-updates", "hotpatch-baseline"),
            selector=attrs.evolve(rule.selector, tags=(HOTPATCH_TAG,)),
            cadence=attrs.evolve(_AFTER_PATCH_TUESDAY, months=BASELINE_MONTHS),
            citation=f"{rule.citation}; {HOTPATCH_SCHEDULE}: baseline months Jan, Apr, Jul, Oct",
        )
        for rule in monthly
    ]
    hotpatch = Rule(
        id="windows-server-hotpatch",
        activity="hotpatch",
        selector=Selector(
            kinds=SERVER_KINDS, vendor=VENDOR, product=WINDOWS_SERVER, tags=(HOTPATCH_TAG,)
        ),
        cadence=attrs.evolve(_AFTER_PATCH_TUESDAY, months=HOTPATCH_MONTHS),
        duration=_HOURS / 2,
        mode=Mode.OFFICE_HOURS,
        update_class=UpdateClass.SECURITY,
        downtime=False,
        steps=(
            Step(StepKind.TEST, "Confirm the same hotpatch passed the lower ring."),
            Step(StepKind.UPDATE, "Apply this month's hotpatch: no restart."),
            Step(
                StepKind.VERIFY,
                "Check it installed without a restart. If Microsoft released an unplanned"
                " baseline this month (a fix that cannot be hotpatched), it needs a restart:"
                " plan a window for it.",
            ),
        ),
        citation=f"{HOTPATCH_SCHEDULE}: hotpatch months without restart; {HOTPATCH_SERVER}",
    )
    return [*baseline, hotpatch]


def _product_rule(rule_id: str, product: str, hours: float, work: str, backup: str) -> Rule:
    return Rule(
        id=rule_id,
        activity="security-updates",
        selector=Selector(kinds=PRODUCT_KINDS, vendor=VENDOR, product=product),
        cadence=_AFTER_PATCH_TUESDAY,
        duration=hours * _HOURS,
        # Hands-on: back up, start the product's update, check it afterwards.
        effort=_HOURS / 2,
        mode=Mode.WINDOW,
        update_class=UpdateClass.SECURITY,
        downtime=True,
        steps=section5_steps(work, backup=backup),
        citation=f"{_PATCH_TUESDAY}; {SERVER_PRODUCTS_ON_PATCH_TUESDAY} (Medium)",
    )


_ALSO_WINDOWS = " When this asset is the server itself, also Windows' cumulative update."


def _server_product_rules() -> list[Rule]:
    return [
        _product_rule(
            "exchange-server-security-updates",
            "Exchange Server*",
            2,
            "Install this release's Exchange Server security update, if there is one."
            + _ALSO_WINDOWS,
            "Back up the server and its mailbox databases first.",
        ),
        _product_rule(
            "sql-server-security-updates",
            "SQL Server*",
            1.5,
            "Install this release's SQL Server security update (GDR, or the CU that"
            " carries it), if there is one." + _ALSO_WINDOWS,
            "Take full backups of the databases and back up the server first.",
        ),
    ]


def _cloud_and_client_rules() -> list[Rule]:
    windows = Selector(kinds=CLIENT_KINDS, vendor=VENDOR, product=WINDOWS_CLIENT)
    return [
        Rule(
            id="microsoft-365-review",
            activity="cloud-review",
            selector=Selector(kinds=("cloud_service",), vendor=VENDOR, product="Microsoft 365*"),
            cadence=_MONTHLY,
            duration=_HOURS,
            mode=Mode.OFFICE_HOURS,
            deadlines=Deadlines.same(14),
            steps=(
                Step(
                    StepKind.WORK,
                    "Read the tenant's Message center posts; act on changes that have a date.",
                ),
                Step(StepKind.WORK, "Review admin roles: few global administrators, MFA for all."),
                Step(StepKind.VERIFY, "Record what changed and what is planned."),
            ),
            citation=(
                "Source article (maintlib docs/domain.md) §1, §7: monthly maintenance of"
                " cloud services;"
                f" {M365_MESSAGE_CENTER} (Medium)"
            ),
        ),
        Rule(
            id="defender-security-intelligence",
            activity="definitions-update",
            selector=Selector(
                kinds=(*CLIENT_KINDS, *SERVER_KINDS), vendor=VENDOR, product="Windows*"
            ),
            # Monthly for every tier: the intelligence installs itself (several times a
            # day is the usual reading) and the client reports it; a person checks the
            # fleet's report, not each device every week (maintlib default).
            cadence=_MONTHLY,
            duration=dt.timedelta(minutes=5),
            mode=Mode.AUTOMATIC,
            update_class=UpdateClass.DEFINITIONS,
            deadlines=Deadlines(3, 7, 7, 7),
            steps=(
                Step(
                    StepKind.VERIFY,
                    "Check the security intelligence is current: Defender checks for it every"
                    " SignatureUpdateInterval hours (1–24, default 24).",
                ),
                Step(
                    StepKind.VERIFY,
                    "Check the engine and platform are current: both are released monthly"
                    " (platform: KB4052623).",
                ),
            ),
            citation=(
                f"{DEFENDER_UPDATES} (engine and platform monthly: High; security intelligence"
                f" frequency UNCONFIRMED); {DEFENDER_INTERVAL} (High); verification monthly"
                " for every tier: maintlib default"
            ),
        ),
        Rule(
            id="windows-client-quality-updates",
            activity="security-updates",
            selector=windows,
            cadence=Released(PATCH_TUESDAY.id, offset_days=CLIENT_CHECK_OFFSET_DAYS),
            duration=dt.timedelta(minutes=10),
            mode=Mode.AUTOMATIC,
            update_class=UpdateClass.SECURITY,
            # Counted from Patch Tuesday, so at least the week the check waits.
            deadlines=Deadlines(10, 14, 21, 28),
            steps=(
                Step(
                    StepKind.VERIFY,
                    "Check the device installed this month's cumulative update and restarted;"
                    " follow up on devices that did not.",
                ),
            ),
            citation=f"{_PATCH_TUESDAY}; checked a week later (maintlib default)",
        ),
        Rule(
            id="windows-client-feature-update",
            activity="feature-update",
            selector=windows,
            # Microsoft names no month, only "the second half of the calendar year";
            # November gives the release time to arrive (maintlib default).
            cadence=Periodic("FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=1"),
            duration=dt.timedelta(minutes=15),
            mode=Mode.AUTOMATIC,
            update_class=UpdateClass.STANDARD,
            deadlines=Deadlines.same(90),
            steps=(
                Step(StepKind.UPDATE, "Offer the new version to the pilot devices, then to all."),
                Step(StepKind.VERIFY, "Check every device reports the new version."),
            ),
            citation=f"{RELEASE_CYCLE}: a feature update once a year, in the second half",
        ),
        Rule(
            id="windows-client-preview-validation",
            activity="preview-validation",
            selector=attrs.evolve(windows, tags=(PREVIEW_TAG,)),
            cadence=Released(PREVIEW.id),
            duration=_HOURS / 2,
            mode=Mode.OFFICE_HOURS,
            update_class=UpdateClass.STANDARD,
            deadlines=Deadlines.same(7),
            steps=(
                Step(StepKind.UPDATE, "Install the optional preview on this pilot device."),
                Step(StepKind.VERIFY, "Use it for a day; report problems before Patch Tuesday."),
            ),
            citation=f"{RELEASE_CYCLE}: optional non-security preview, fourth Tuesday",
        ),
    ]


def _no_update(rule_id: str, activity: str, selector: Selector, citation: str) -> Rule:
    """A rule that switches an activity off: the product has no such update."""
    return Rule(
        id=rule_id,
        activity=activity,
        selector=selector,
        cadence=_MONTHLY,
        duration=dt.timedelta(minutes=1),
        enabled=False,
        citation=f"{citation}: the monthly cumulative update is the only update to plan",
    )


def _servicing_rules() -> list[Rule]:
    """No service packs and no separate quarterly standard update where Microsoft ships
    neither: the monthly cumulative update carries every fix."""
    found = []
    for activity, name in (
        ("service-pack", "no-service-pack"),
        ("standard-updates", "no-standard-updates"),
    ):
        found.append(
            _no_update(
                f"windows-server-{name}",
                activity,
                Selector(kinds=SERVER_KINDS, vendor=VENDOR, product=WINDOWS_SERVER),
                f"{WINDOWS_MONTHLY_CUMULATIVE} (Medium)",
            )
        )
        found.append(
            _no_update(
                f"exchange-server-{name}",
                activity,
                Selector(kinds=PRODUCT_KINDS, vendor=VENDOR, product="Exchange Server*"),
                f"{EXCHANGE_CU} (Medium)",
            )
        )
        found.extend(
            _no_update(
                f"sql-server-{version}-{name}",
                activity,
                Selector(
                    kinds=PRODUCT_KINDS, vendor=VENDOR, product="SQL Server*", version=version
                ),
                f"{SQL_MODERN_SERVICING} (High)",
            )
            for version in SQL_SERVER_CU_ONLY
        )
    return found


def rules() -> list[Rule]:
    """Every rule of the pack, lifecycle rules apart."""
    servers = _windows_server_rules()
    return [
        *servers,
        *_hotpatch_rules(servers),
        *_server_product_rules(),
        *_cloud_and_client_rules(),
        *_servicing_rules(),
    ]
