"""Emergency work: assessed vulnerabilities → duties and dues outside the routine cadence.

For each finding whose strictest ruling sets a deadline (:mod:`maintlib.vulnerabilities`):

* **remediation** — the KEV ``requiredAction`` or the CSAF remediation — in the
  asset's windows (or any time, see below), with downtime, due by the ruling's
  deadline;
* **forensic triage** before it, in office hours within 24 hours of the finding
  becoming known, where a ruling asks for it (BOD 26-04);
* **verification** in office hours after the remediation's deadline.

They are ordinary :class:`~maintlib.plan.Due` s of ordinary duties at tier P1, so
the scheduler places them by tier then deadline, ahead of routine work with later
deadlines. Each duty carries an :class:`Emergency`: the CVE ids, and the ruling
that set the deadline. ``docs/vulnerabilities.md`` describes the whole path.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from maintlib.apply import Duty
from maintlib.feeds import Feeds
from maintlib.inventory import Asset, Inventory, Window
from maintlib.model import Mode, Tier, UpdateClass
from maintlib.plan import Due, Horizon, Plan, Task
from maintlib.rules import Activity, Once, Rule, Selector, Step, StepKind
from maintlib.vulnerabilities import Assessment, Assessments, Finding, Ruling, Unmatched

__all__ = [
    "ANYTIME_WINDOW",
    "EMERGENCY_TAG",
    "Emergency",
    "KevExposure",
    "VulnerabilityReport",
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
#: Work time of each kind of emergency task. The article: network maintenance
#: takes a few hours; triage follows CISA's implementation guidance (evidence
#: collection and analysis); a verification is a version check or a scan.
DURATIONS = {
    REMEDIATION: dt.timedelta(hours=2),
    TRIAGE: dt.timedelta(hours=4),
    VERIFICATION: dt.timedelta(minutes=30),
}
#: Triage must be done within this many days of the finding becoming known: BOD
#: 26-04's implementation guidance asks for volatile evidence within 24 hours.
TRIAGE_DAYS = 1
#: Days after the remediation's deadline by which it is verified: enough to hold
#: business days whatever weekday the deadline falls on.
VERIFICATION_DAYS = 5


@attrs.frozen
class Emergency:
    """What makes a duty emergency work.

    Attributes:
        vulnerabilities: The CVE ids the work is about.
        ruling: The ruling that set the deadline.
        rulings: Every policy's ruling (for ``explain``).
    """

    vulnerabilities: tuple[str, ...]
    ruling: Ruling
    rulings: tuple[Ruling, ...] = ()

    def policy_json(self) -> dict[str, object]:
        """The plan JSON's ``policy``: the deciding ruling."""
        return self.ruling.to_json()


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


def _rule(activity: str, finding: Finding, ruling: Ruling, mode: Mode, downtime: bool) -> Rule:
    return Rule(
        id=f"{activity}-{finding.cve.lower()}",
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


def _steps(activity: str, finding: Finding) -> tuple[Step, ...]:
    cve = finding.cve
    if activity == TRIAGE:
        return (
            Step(StepKind.WORK, f"Scope: every asset running the product affected by {cve}."),
            Step(
                StepKind.WORK,
                "Collect volatile evidence (memory, processes, connections, logs) before patching.",
            ),
            Step(
                StepKind.WORK,
                "Look for the indicators of compromise of the KEV entry and the vendor advisory;"
                " decide: no evidence, suspected or confirmed compromise; escalate to incident"
                " response unless there is no evidence.",
            ),
        )
    if activity == VERIFICATION:
        return (
            Step(
                StepKind.VERIFY,
                f"Confirm {cve} is remediated: fixed version running (or mitigation in place),"
                " checked by version or authenticated scan.",
            ),
            Step(StepKind.WORK, "Record the result for the policy's reporting."),
        )
    work = finding.remediation or f"Install the vendor's fix for {cve}."
    return (
        Step(StepKind.BACKUP, "Back up the configuration (or snapshot the system) first."),
        Step(StepKind.UPDATE, work),
        Step(StepKind.VERIFY, "Verify the service works and the fixed version is running."),
        Step(StepKind.MONITOR, "Monitor the system for 24 hours afterwards."),
        Step(StepKind.ROLLBACK, "If problems appear: roll back to the backup."),
    )


_LABELS = {
    REMEDIATION: "Emergency remediation",
    TRIAGE: "Forensic triage",
    VERIFICATION: "Remediation verification",
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


def _duty(
    activity: str, assessment: Assessment, ruling: Ruling, asset: Asset, mode: Mode, downtime: bool
) -> Duty:
    finding = assessment.finding
    return Duty(
        asset=asset,
        rule=_rule(activity, finding, ruling, mode, downtime),
        activity=Activity(activity, _LABELS[activity], describe(finding, ruling)),
        tier=Tier.P1,
        cadence=Once(finding.known_since, ruling.deadline),
        deadline_days=ruling.days,
        mode=mode,
        downtime=downtime,
        duration=DURATIONS[activity],
        steps=_steps(activity, finding),
        notes=(f"{ruling.policy}: {ruling.criterion}", *ruling.assumed),
        emergency=Emergency((finding.cve,), ruling, assessment.rulings),
    )


def emergency_dues(assessments: Assessments, inventory: Inventory, horizon: Horizon) -> list[Due]:
    """The emergency dues of every assessed finding with a deadline, in the horizon.

    A finding known before the horizon starts is planned from the horizon's start;
    if its deadline has passed by then, the policy's span counts again from the
    horizon's start, while the ruling keeps the real deadline (the plan's exposure
    list shows it overdue).
    """
    zone = horizon.timezone
    dues: list[Due] = []
    for assessment in assessments.assessments:
        ruling = assessment.deciding
        finding = assessment.finding
        if ruling is None or ruling.deadline is None:
            continue
        known = dt.datetime.combine(finding.known_since, dt.time(), tzinfo=zone)
        if known >= horizon.end_at:
            continue
        asset = _placement_asset(finding.asset, inventory)
        earliest = max(known, horizon.start_at)
        # Known before the horizon: the policy's span counts from the horizon's start
        # when the real deadline has passed (the exposure list says "overdue").
        restart = earliest.date()
        uid = f"{finding.asset.id}.{{}}.{finding.cve}"
        deadline = max(
            _end_of_day(ruling.deadline, zone),
            _end_of_day(restart + dt.timedelta(days=ruling.days or 0), zone),
        )
        if assessment.triage:
            triage_by = max(
                _end_of_day(finding.known_since + dt.timedelta(TRIAGE_DAYS), zone),
                _end_of_day(restart + dt.timedelta(TRIAGE_DAYS), zone),
            )
            duty = _duty(TRIAGE, assessment, ruling, finding.asset, Mode.OFFICE_HOURS, False)
            dues.append(Due(duty, known, None, earliest, triage_by, uid.format(TRIAGE)))
        # Evidence before patching, and checking after it: the planner orders the
        # three (each follows the one before), so the patch can start right after
        # the triage and the verification right after the patch.
        after_triage = (uid.format(TRIAGE),) if assessment.triage else ()
        duty = _duty(REMEDIATION, assessment, ruling, asset, Mode.WINDOW, True)
        dues.append(
            Due(
                duty, known, None, earliest, deadline, uid.format(REMEDIATION), follows=after_triage
            )
        )
        check = _duty(VERIFICATION, assessment, ruling, finding.asset, Mode.OFFICE_HOURS, False)
        check_by = _end_of_day(deadline.date() + dt.timedelta(VERIFICATION_DAYS - 1), zone)
        dues.append(
            Due(
                check,
                known,
                None,
                earliest,
                check_by,
                uid.format(VERIFICATION),
                follows=(uid.format(REMEDIATION),),
            )
        )
    return dues


# -- after scheduling: the exposure list ------------------------------------------------


@attrs.frozen
class KevExposure:
    """An asset with a KEV-listed CVE, and where its remediation stands.

    Attributes:
        asset: The asset id.
        cve: The CVE id.
        deadline: The deciding ruling's deadline (its last day), or None.
        days_left: Days from the plan's first day to the deadline (negative: overdue).
        status: ``on_time`` (remediation planned by the deadline), ``late`` (planned
            after it), ``overdue`` (the deadline passed before the plan starts),
            ``unplaced``, ``not_in_horizon`` or ``no_deadline``.
        task: The remediation task's uid, or None.
    """

    asset: str
    cve: str
    deadline: dt.date | None
    days_left: int | None
    status: str
    task: str | None

    def to_json(self) -> dict[str, Any]:
        """The entry in the plan JSON's ``vulnerabilities.exposures``."""
        return {
            "asset": self.asset,
            "cve": self.cve,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "days_left": self.days_left,
            "status": self.status,
            "task": self.task,
        }


@attrs.frozen
class VulnerabilityReport:
    """The vulnerability part of a plan: policies used, KEV exposures, what matched nothing."""

    policies: tuple[str, ...]
    exposures: tuple[KevExposure, ...]
    unmatched: tuple[Unmatched, ...]
    feeds: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """``{"policies", "feeds", "exposures", "unmatched"}``."""
        return {
            "policies": list(self.policies),
            "feeds": list(self.feeds),
            "exposures": [e.to_json() for e in self.exposures],
            "unmatched": [
                {"source": u.source, "cve": u.cve, "reason": u.reason} for u in self.unmatched
            ],
        }


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
        uid = f"{finding.asset.id}.{REMEDIATION}.{finding.cve}"
        task = tasks.get(uid)
        exposures.append(
            KevExposure(
                asset=finding.asset.id,
                cve=finding.cve,
                deadline=deadline,
                days_left=(deadline - start).days if deadline else None,
                status=_status(deadline, task, start, uid in unplaced),
                task=uid if task is not None or uid in unplaced else None,
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
