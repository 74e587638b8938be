"""Emergency work: assessed vulnerabilities → duties and dues outside the routine cadence.

For each finding whose strictest ruling sets a deadline (:mod:`maintlib.vulns.match`):

* **remediation** — the KEV ``requiredAction`` or the CSAF remediation — in the
  asset's windows (or any time, see below), with downtime, due by the ruling's
  deadline;
* **forensic triage** before it, in office hours within 24 hours of the finding
  becoming known, where a ruling asks for it (BOD 26-04);
* **verification** in office hours after the remediation's deadline.

They are ordinary :class:`~maintlib.model.work.Due` s of ordinary duties at tier P1, so
the scheduler places them by tier then deadline, ahead of routine work with later
deadlines. Each duty carries an :class:`Emergency`: the CVE ids, and the ruling
that set the deadline. ``docs/vulnerabilities.md`` describes the whole path.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from maintlib._util.text import N_
from maintlib.model.feeds import Feeds
from maintlib.model.inventory import Asset, Inventory, Window
from maintlib.model.plan import Plan, Task
from maintlib.model.rules import Activity, Once, Rule, Selector, Step, StepKind
from maintlib.model.vocabulary import Mode, Tier, UpdateClass
from maintlib.model.vulnerabilities import (
    Assessment,
    Assessments,
    Emergency,
    Finding,
    KevExposure,
    Ruling,
    VulnerabilityReport,
)
from maintlib.model.work import Due, Duty, Horizon

__all__ = [
    "ANYTIME_WINDOW",
    "EMERGENCY_TAG",
    "describe",
    "emergency_dues",
    "feed_names",
    "report",
    "scheduling_inventory",
]


#: The pack name of emergency duties' rules (``source.pack`` in the plan JSON).
PACK = "emergency"


#: Windows whose ``applies_to`` lists this tag also serve emergency work.
EMERGENCY_TAG = "emergency"


#: The window of ``[planning] emergency_anytime = true``: every day, all day.
ANYTIME_WINDOW = "emergency-anytime"


REMEDIATION = "emergency-remediation"


TRIAGE = "forensic-triage"


VERIFICATION = "remediation-verification"


VERSION_CHECK = "version-check"


#: The uid part of the work on an asset whose KEV entries matched by name only.
BY_NAME = "kev-by-name"


#: Work time of each kind of emergency task. The article: network maintenance
#: takes a few hours; triage follows CISA's implementation guidance (evidence
#: collection and analysis); a verification is a version check or a scan.
DURATIONS = {
    REMEDIATION: dt.timedelta(hours=2),
    TRIAGE: dt.timedelta(hours=4),
    VERIFICATION: dt.timedelta(minutes=30),
    VERSION_CHECK: dt.timedelta(minutes=15),
}


#: Triage must be done within this many days of the finding becoming known: BOD
#: 26-04's implementation guidance asks for volatile evidence within 24 hours.
TRIAGE_DAYS = 1


#: Days after the remediation's deadline by which it is verified: enough to hold
#: business days whatever weekday the deadline falls on.
VERIFICATION_DAYS = 5


def describe(finding: Finding, ruling: Ruling) -> str:
    """The sentence a task's description cites: CVE, KEV, EPSS, SSVC, CVSS and the policy."""
    parts = [f"{finding.cve} on {finding.asset.label} (matched by {finding.via})"]
    if finding.kev is not None:
        kev = finding.kev
        parts.append(
            f"KEV: {kev.name}; added {kev.date_added.isoformat()}, due"
            f" {kev.due_date.isoformat()}; ransomware use {kev.ransomware}"
        )
    else:
        parts.append("not in the KEV catalog")
    if finding.epss is not None:
        epss = finding.epss
        parts.append(f"EPSS {epss.epss.normalize()} (percentile {epss.percentile.normalize()})")
    if finding.ssvc is not None:
        ssvc = finding.ssvc
        automatable = "yes" if ssvc.automatable else "no"
        parts.append(
            f"SSVC: exploitation {ssvc.exploitation.value}, automatable {automatable},"
            f" technical impact {ssvc.technical_impact.value}"
        )
    else:
        parts.append("SSVC: not assessed by CISA")
    if finding.cvss is not None:
        parts.append(f"CVSS {finding.cvss}")
    deadline = ruling.deadline.isoformat() if ruling.deadline else "none"
    parts.append(f"policy {ruling.policy}: {ruling.criterion}; deadline {deadline}")
    parts += [f"assumed: {text}" for text in ruling.assumed]
    return ". ".join(parts) + "."


def _rule(
    activity: str, key: str, finding: Finding, ruling: Ruling, mode: Mode, downtime: bool
) -> Rule:
    return Rule(
        id=f"{activity}-{key.lower()}",
        activity=activity,
        selector=Selector(assets=(finding.asset.id,)),
        cadence=Once(finding.known_since, ruling.deadline),
        duration=DURATIONS[activity],
        mode=mode,
        update_class=UpdateClass.SECURITY,
        deadlines=None,
        downtime=downtime,
        citation=ruling.citation,
        pack=PACK,
    )


def _steps(activity: str, finding: Finding, cves: tuple[str, ...]) -> tuple[Step, ...]:
    cve = ", ".join(cves)
    if activity == VERSION_CHECK:
        return (
            Step(StepKind.WORK, f"Read the version {finding.asset.label} runs."),
            Step(
                StepKind.VERIFY,
                f"Compare it with the fixed releases of {cve} (the vendor's advisories).",
            ),
            Step(
                StepKind.WORK,
                N_(
                    "Not affected: record the version on the asset in the inventory and close"
                    " the remediation. Affected: apply the required action in the remediation."
                ),
            ),
        )
    if activity == TRIAGE:
        return (
            Step(StepKind.WORK, f"Scope: every asset running the product affected by {cve}."),
            Step(
                StepKind.WORK,
                N_(
                    "Collect volatile evidence (memory, processes, connections, logs) before"
                    " patching."
                ),
            ),
            Step(
                StepKind.WORK,
                N_(
                    "Look for the indicators of compromise of the KEV entry and the vendor"
                    " advisory; decide: no evidence, suspected or confirmed compromise;"
                    " escalate to incident response unless there is no evidence."
                ),
            ),
        )
    if activity == VERIFICATION:
        return (
            Step(
                StepKind.VERIFY,
                f"Confirm {cve} is remediated: fixed version running (or mitigation in place),"
                " checked by version or authenticated scan.",
            ),
            Step(StepKind.WORK, N_("Record the result for the policy's reporting.")),
        )
    work = finding.remediation or f"Install the vendor's fix for {cve}."
    if len(cves) > 1:
        work = f"Upgrade to a release that fixes every one of {cve} that applies."
    return (
        Step(StepKind.BACKUP, N_("Back up the configuration (or snapshot the system) first.")),
        Step(StepKind.UPDATE, work),
        Step(StepKind.VERIFY, N_("Verify the service works and the fixed version is running.")),
        Step(StepKind.MONITOR, N_("Monitor the system for 24 hours afterwards.")),
        Step(StepKind.ROLLBACK, N_("If problems appear: roll back to the backup.")),
    )


_LABELS = {
    REMEDIATION: "Emergency remediation",
    TRIAGE: "Forensic triage",
    VERIFICATION: "Remediation verification",
    VERSION_CHECK: "Version check",
}


def _placement_asset(asset: Asset, inventory: Inventory) -> Asset:
    """The asset as the scheduler sees it for emergency work.

    With ``emergency_anytime``: the all-day window. With windows that apply to
    ``emergency``: those, and the windows of the asset's kind and tags (a window
    the asset names itself is then not used). Otherwise the asset's own windows.
    """
    if inventory.planning.emergency_anytime:
        return attrs.evolve(asset, window=ANYTIME_WINDOW)
    if any(EMERGENCY_TAG in w.applies_to for w in inventory.windows):
        return attrs.evolve(asset, window=None, tags=(*asset.tags, EMERGENCY_TAG))
    return asset


def scheduling_inventory(inventory: Inventory) -> Inventory:
    """The inventory the scheduler plans emergency work in: with the all-day window
    when ``emergency_anytime`` is set (no other asset names it, so routine work never
    uses it)."""
    if not inventory.planning.emergency_anytime:
        return inventory
    anytime = Window(
        ANYTIME_WINDOW, "FREQ=DAILY", dt.time(0, 0), dt.timedelta(hours=24), None, None, ()
    )
    return attrs.evolve(inventory, windows=(*inventory.windows, anytime))


def _end_of_day(day: dt.date, zone: Any) -> dt.datetime:
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=zone)


def _duty(activity: str, group: _Group, asset: Asset, mode: Mode, downtime: bool) -> Duty:
    finding, ruling = group.deciding.finding, group.ruling
    return Duty(
        asset=asset,
        rule=_rule(activity, group.key, finding, ruling, mode, downtime),
        activity=Activity(activity, _LABELS[activity], group.description),
        tier=Tier.P1,
        cadence=Once(finding.known_since, ruling.deadline),
        deadline_days=ruling.days,
        mode=mode,
        downtime=downtime,
        duration=DURATIONS[activity],
        steps=_steps(activity, finding, group.cves),
        notes=(f"{ruling.policy}: {ruling.criterion}", *ruling.assumed),
        emergency=Emergency(group.cves, ruling, group.deciding.rulings),
    )


@attrs.frozen
class _Group:
    """The findings one piece of emergency work answers: one finding, or every KEV
    entry matched by name only to one asset (one version check, one upgrade)."""

    key: str
    assessments: tuple[Assessment, ...]
    deciding: Assessment
    ruling: Ruling
    known: dt.datetime
    deadline: dt.datetime
    restart: dt.date

    @property
    def cves(self) -> tuple[str, ...]:
        return tuple(a.finding.cve for a in self.assessments)

    @property
    def triage(self) -> bool:
        return any(a.triage for a in self.assessments)

    @property
    def name_only(self) -> bool:
        return self.deciding.finding.name_only

    @property
    def description(self) -> str:
        if not self.name_only:
            return describe(self.deciding.finding, self.ruling)
        asset = self.deciding.finding.asset
        head = (
            f"{len(self.assessments)} KEV entr{'y' if len(self.assessments) == 1 else 'ies'}"
            f" name the software of {asset.label} and its version is not known to be"
            " unaffected: check the version first"
        )
        return ". ".join(
            [head] + [describe(a.finding, a.deciding or self.ruling) for a in self.assessments]
        )


def _known(finding: Finding, zone: Any) -> dt.datetime:
    if finding.known_at is not None:
        return finding.known_at.astimezone(zone)
    return dt.datetime.combine(finding.known_since, dt.time(), tzinfo=zone)


def _group(key: str, assessments: list[Assessment], horizon: Horizon) -> _Group:
    """The work's deciding finding (the earliest deadline, counted again from the
    horizon's start where it passed before), when it became known, and its deadline."""
    zone = horizon.timezone

    def deadline(assessment: Assessment) -> dt.datetime:
        ruling = assessment.deciding
        assert ruling is not None
        assert ruling.deadline is not None
        restart = max(_known(assessment.finding, zone), horizon.start_at).date()
        return max(
            _end_of_day(ruling.deadline, zone),
            _end_of_day(restart + dt.timedelta(days=ruling.days or 0), zone),
        )

    ordered = sorted(assessments, key=lambda a: (deadline(a), a.finding.cve))
    deciding = ordered[0]
    assert deciding.deciding is not None
    known = min(_known(a.finding, zone) for a in assessments)
    return _Group(
        key,
        tuple(sorted(assessments, key=lambda a: a.finding.cve)),
        deciding,
        deciding.deciding,
        known,
        deadline(deciding),
        max(known, horizon.start_at).date(),
    )


def emergency_dues(assessments: Assessments, inventory: Inventory, horizon: Horizon) -> list[Due]:
    """The emergency dues of every assessed finding with a deadline, in the horizon.

    A finding known before the horizon starts is planned from the horizon's start;
    if its deadline has passed by then, the policy's span counts again from the
    horizon's start, while the ruling keeps the real deadline (the plan's exposure
    list shows it overdue). Nothing starts before the finding became known. The KEV
    entries matched to an asset by name only are one piece of work: a version check
    first, then one remediation by the earliest of their deadlines.
    """
    groups: list[_Group] = []
    by_name: dict[str, list[Assessment]] = {}
    for assessment in assessments.assessments:
        ruling = assessment.deciding
        if ruling is None or ruling.deadline is None:
            continue
        finding = assessment.finding
        if finding.name_only:
            by_name.setdefault(finding.asset.id, []).append(assessment)
        else:
            groups.append(_group(finding.cve, [assessment], horizon))
    groups += [_group(BY_NAME, by_name[asset], horizon) for asset in sorted(by_name)]
    dues: list[Due] = []
    for group in groups:
        if group.known < horizon.end_at:
            dues += _dues(group, inventory, horizon)
    return dues


def _dues(group: _Group, inventory: Inventory, horizon: Horizon) -> list[Due]:
    zone = horizon.timezone
    finding = group.deciding.finding
    asset = _placement_asset(finding.asset, inventory)
    earliest = max(group.known, horizon.start_at)
    uid = f"{finding.asset.id}.{{}}.{group.key}"
    dues: list[Due] = []
    before: tuple[str, ...] = ()
    first_day = _end_of_day(group.restart + dt.timedelta(TRIAGE_DAYS), zone)
    if group.name_only:
        check = _duty(VERSION_CHECK, group, finding.asset, Mode.OFFICE_HOURS, False)
        check_by = min(first_day, group.deadline)
        dues.append(Due(check, group.known, None, earliest, check_by, uid.format(VERSION_CHECK)))
        before = (uid.format(VERSION_CHECK),)
    if group.triage:
        triage_by = max(
            _end_of_day(group.known.date() + dt.timedelta(TRIAGE_DAYS), zone), first_day
        )
        duty = _duty(TRIAGE, group, finding.asset, Mode.OFFICE_HOURS, False)
        dues.append(
            Due(duty, group.known, None, earliest, triage_by, uid.format(TRIAGE), follows=before)
        )
        before = (uid.format(TRIAGE),)
    # Evidence before patching, and checking after it: the planner orders them (each
    # follows the one before), so the patch can start right after the triage and the
    # verification right after the patch.
    duty = _duty(REMEDIATION, group, asset, Mode.WINDOW, True)
    dues.append(
        Due(
            duty,
            group.known,
            None,
            earliest,
            group.deadline,
            uid.format(REMEDIATION),
            follows=before,
        )
    )
    check = _duty(VERIFICATION, group, finding.asset, Mode.OFFICE_HOURS, False)
    check_by = _end_of_day(group.deadline.date() + dt.timedelta(VERIFICATION_DAYS - 1), zone)
    dues.append(
        Due(
            check,
            group.known,
            None,
            earliest,
            check_by,
            uid.format(VERIFICATION),
            follows=(uid.format(REMEDIATION),),
        )
    )
    return dues


def _status(deadline: dt.date | None, task: Task | None, start: dt.date, placed: bool) -> str:
    if deadline is None:
        return "no_deadline"
    if deadline < start:
        return "overdue"
    if task is None:
        return "unplaced" if placed else "not_in_horizon"
    return "on_time" if task.start.date() <= deadline else "late"


def report(assessments: Assessments, plan: Plan, feeds: Feeds) -> VulnerabilityReport:
    """The exposure list of a scheduled plan: every KEV-listed finding and its status."""
    tasks = plan.tasks_by_uid()
    unplaced = {entry.due.uid for entry in plan.unplaced}
    start = plan.horizon.start
    exposures = []
    for assessment in assessments.assessments:
        finding = assessment.finding
        if not finding.kev_listed:
            continue
        ruling = assessment.deciding
        deadline = ruling.deadline if ruling else None
        key = BY_NAME if finding.name_only else finding.cve
        uid = f"{finding.asset.id}.{REMEDIATION}.{key}"
        task = tasks.get(uid)
        exposures.append(
            KevExposure(
                asset=finding.asset.id,
                cve=finding.cve,
                deadline=deadline,
                days_left=(deadline - start).days if deadline else None,
                status=_status(deadline, task, start, uid in unplaced),
                task=uid if task is not None or uid in unplaced else None,
                version_unknown=finding.name_only,
            )
        )
    return VulnerabilityReport(
        policies=assessments.policies,
        exposures=tuple(exposures),
        unmatched=assessments.unmatched,
        feeds=feed_names(feeds),
    )


def feed_names(feeds: Feeds) -> tuple[str, ...]:
    """What a plan was made with: ``KEV 2024.02.13``, ``EPSS …``, CVE records, CSAF ids."""
    names: list[str] = []
    if feeds.kev:
        names.append(f"KEV {feeds.kev_version}".strip())
    if feeds.epss:
        names.append(f"EPSS {feeds.epss_date}".strip())
    if feeds.records:
        names.append(f"CVE records: {len(feeds.records)}")
    names += [f"CSAF {a.id}" for a in feeds.advisories]
    return tuple(names)
