"""Checking plans and logs against the SLA, the SLA's review task, its summary.

The terms (:class:`~maintlib.model.sla.Sla`) apply to each due as follows
(``docs/sla.md``):

* the **clock starts** at the vendor's release (release-anchored work), or when
  a vulnerability became known (emergency work): the due's anchor;
* **response** (start of work) and **resolution** (end of work) per priority are
  incident terms: they apply to emergency work only. Routine patching after a
  vendor's release (Patch Tuesday, a PSIRT bundle) is judged by the patch deadline
  of its update class; routine periodic work by its own deadline, which the plan
  and the compliance report already judge;
* the **patch deadline** of the due's update class applies to release-anchored and
  emergency work: the work must end within that many days of the release;
* **windows**: work placed in a window must be placed in an agreed one (when
  the SLA names any).

:func:`check_plan` lists every task (and unplaced due) that breaks a term;
:func:`check_log` lists every due of a period whose record breaks one — or that
has no ``done`` record when a term's deadline has passed — with the record.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterable, Mapping
from typing import Any
from zoneinfo import ZoneInfo

import attrs

from maintlib._util.clock import format_duration
from maintlib._util.text import N_
from maintlib.model.inventory import Inventory
from maintlib.model.plan import Plan
from maintlib.model.rules import Activity, Periodic, Rule, Scope, Selector, Step, StepKind
from maintlib.model.sla import REVIEW_RULES, Sla
from maintlib.model.vocabulary import Mode, Tier, UpdateClass
from maintlib.model.work import Due, Duty
from maintlib.records.compliance import Compliance
from maintlib.records.log import Log

__all__ = [
    "REVIEW_ACTIVITY",
    "REVIEW_LABEL",
    "Breach",
    "check_log",
    "check_plan",
    "deadlines",
    "review_duties",
    "summary",
]


REVIEW_ACTIVITY = "sla-review"


#: The review's label (translated in reports: ``maintlib.outputs.report.words``).
REVIEW_LABEL = "SLA review"


#: Days allowed for a review after the start of its period.
REVIEW_DEADLINE_DAYS = 30


@attrs.frozen
class Breach:
    """A term of the SLA that a planned task or a recorded piece of work breaks.

    Attributes:
        term: ``response``, ``resolution``, ``patch_deadline``, ``window``,
            ``unplaced`` or ``not_done``.
        due: The due's uid.
        assets: The asset ids.
        priority: The due's tier.
        deadline: The term's deadline (None for ``window``).
        actual: When the work started or ended (None when it did not).
        detail: The breach in a sentence.
        record: Where the record that shows it is (``log.jsonl: line 7``), or "".
    """

    term: str
    due: str
    assets: tuple[str, ...]
    priority: Tier
    deadline: dt.datetime | None
    actual: dt.datetime | None
    detail: str
    record: str = ""

    def to_json(self) -> dict[str, Any]:
        """The breach as a JSON-ready dict."""
        return {
            "term": self.term,
            "due": self.due,
            "assets": list(self.assets),
            "priority": self.priority.value,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "actual": self.actual.isoformat() if self.actual else None,
            "detail": self.detail,
            "record": self.record or None,
        }

    def __str__(self) -> str:
        where = f" ({self.record})" if self.record else ""
        return f"{self.term}: {self.due}: {self.detail}{where}"


def _reactive(due: Due) -> bool:
    return due.released is not None or due.duty.emergency is not None


def deadlines(sla: Sla, due: Due, zone: ZoneInfo) -> dict[str, dt.datetime]:
    """The SLA's deadlines for ``due``: term → moment in ``zone``.

    Emergency work gets the response, resolution and patch deadlines; routine
    release-anchored work only the patch deadline of its update class; routine
    periodic work none.
    """
    if not _reactive(due):
        return {}
    start = due.anchor.astimezone(zone)
    result: dict[str, dt.datetime] = {}
    # Response and resolution times are elapsed time (a DST change counts);
    # patch deadlines are calendar days. Response and resolution are incident terms
    # (article section 9: response times; docs/sla.md): Patch Tuesday is not one.
    if due.duty.emergency is not None:
        for term, times in (("response", sla.response), ("resolution", sla.resolution)):
            allowed = times.for_tier(due.tier)
            if allowed is not None:
                result[term] = (start.astimezone(dt.UTC) + allowed).astimezone(start.tzinfo)
    update_class = due.duty.rule.update_class
    days = sla.patch_deadlines.for_class(update_class) if update_class else None
    if days is not None:
        result["patch_deadline"] = start + dt.timedelta(days=days)
    return result


def _late(
    term: str, due: Due, deadline: dt.datetime, actual: dt.datetime, record: str = ""
) -> Breach:
    what = "started" if term == "response" else "ended"
    return Breach(
        term,
        due.uid,
        due.assets,
        due.tier,
        deadline,
        actual,
        f"{what} {actual.isoformat()}, {format_duration(_elapsed(deadline, actual))} after the"
        f" {term.replace('_', ' ')} {deadline.isoformat()}",
        record,
    )


def _elapsed(since: dt.datetime, until: dt.datetime) -> dt.timedelta:
    return until.astimezone(dt.UTC) - since.astimezone(dt.UTC)


def _judge(
    sla: Sla,
    due: Due,
    zone: ZoneInfo,
    start: dt.datetime,
    end: dt.datetime,
    record: str = "",
) -> list[Breach]:
    breaches = []
    for term, deadline in sorted(deadlines(sla, due, zone).items()):
        actual = start if term == "response" else end
        if actual > deadline:
            breaches.append(_late(term, due, deadline, actual, record))
    return breaches


def check_plan(plan: Plan, sla: Sla) -> list[Breach]:
    """Every task and unplaced due of ``plan`` that breaks a term of ``sla``.

    A task is judged against each due it covers (a superseded due's clock started
    at its own, older release).
    """
    breaches: list[Breach] = []
    zone = plan.organisation.timezone
    agreed = set(sla.windows)
    for task in plan.tasks:
        for due in (*task.superseded, task.due):
            breaches += _judge(sla, due, zone, task.start, task.end)
        if agreed and task.window is not None and task.window not in agreed:
            breaches.append(
                Breach(
                    "window",
                    task.uid,
                    task.assets,
                    task.due.tier,
                    None,
                    task.start,
                    f'placed in window "{task.window}", which the SLA does not agree'
                    f" (agreed: {', '.join(sla.windows)})",
                )
            )
    for entry in plan.unplaced:
        terms = deadlines(sla, entry.due, zone)
        if terms:
            first = min(terms.values())
            breaches.append(
                Breach(
                    "unplaced",
                    entry.due.uid,
                    entry.due.assets,
                    entry.due.tier,
                    first,
                    None,
                    f"not placed ({entry.reason.value}): {entry.detail}",
                )
            )
    return sorted(breaches, key=lambda b: (b.due, b.term))


def check_log(compliance: Compliance, log: Log, sla: Sla) -> list[Breach]:
    """Every due of the compliance period whose recorded work breaks a term of
    ``sla``, with the record that shows it; and every due without a ``done``
    record whose term's deadline passed before the period's end."""
    where: Mapping[int, str] = {id(record): place for place, record in log.located()}
    breaches: list[Breach] = []
    zone = compliance.end_at.tzinfo
    assert isinstance(zone, ZoneInfo)
    for judgement in compliance.judgements:
        due, record = judgement.due, judgement.record
        located = where.get(id(record), "") if record is not None else ""
        if judgement.state in ("on_time", "late") and record is not None:
            breaches += _judge(sla, due, zone, record.begun, record.finished, located)
            continue
        passed = {
            term: moment
            for term, moment in deadlines(sla, due, zone).items()
            if moment < compliance.end_at
        }
        if passed:
            term, deadline = min(passed.items(), key=lambda item: item[1])
            last = f" (last record: {record.outcome.value})" if record is not None else ""
            breaches.append(
                Breach(
                    "not_done",
                    due.uid,
                    due.assets,
                    due.tier,
                    deadline,
                    None,
                    f"no done record by the {term.replace('_', ' ')} {deadline.isoformat()}{last}",
                    located,
                )
            )
    return sorted(breaches, key=lambda b: (b.due, b.term))


def review_duties(inventory: Inventory) -> list[Duty]:
    """The SLA's review as an organisation-wide duty (none without an SLA)."""
    sla = inventory.sla
    if sla is None:
        return []
    cadence = Periodic(REVIEW_RULES[sla.review])
    steps = (
        Step(StepKind.WORK, f"Review the service levels of {sla.provider} with {sla.customer}."),
        Step(
            StepKind.VERIFY, N_("Go through the SLA check and the compliance report of the period.")
        ),
    )
    rule = Rule(
        id=REVIEW_ACTIVITY,
        activity=REVIEW_ACTIVITY,
        selector=Selector(),
        cadence=cadence,
        duration=sla.review_duration,
        mode=Mode.OFFICE_HOURS,
        steps=steps,
        scope=Scope.ORGANISATION,
        citation="the SLA's review cadence ([sla] review; article section 9)",
        pack="sla",
    )
    activity = Activity(REVIEW_ACTIVITY, REVIEW_LABEL, "Review the agreed service levels.")
    return [
        Duty(
            asset=None,
            rule=rule,
            activity=activity,
            tier=Tier.P3,
            cadence=cadence,
            deadline_days=REVIEW_DEADLINE_DAYS,
            mode=Mode.OFFICE_HOURS,
            downtime=False,
            duration=sla.review_duration,
            steps=steps,
        )
    ]


def _terms(sla: Sla) -> list[tuple[str, list[tuple[str, str]]]]:
    """The agreed terms as sections of (label, value) rows."""

    def times(values: Iterable[tuple[Tier, dt.timedelta | None]]) -> list[tuple[str, str]]:
        return [
            (tier.value, format_duration(value) if value else "not agreed")
            for tier, value in values
        ]

    sections = [
        (
            "Parties",
            [("Provider", sla.provider), ("Customer", sla.customer)],
        ),
        ("Response time (start of work)", times((t, sla.response.for_tier(t)) for t in Tier)),
        ("Resolution time (end of work)", times((t, sla.resolution.for_tier(t)) for t in Tier)),
        (
            "Patch deadlines (days from the vendor's release)",
            [
                (
                    update_class.value.replace("_", " "),
                    str(days)
                    if (days := sla.patch_deadlines.for_class(update_class)) is not None
                    else "not agreed",
                )
                for update_class in UpdateClass
            ]
            + (
                [("Vulnerability deadline policy", sla.deadline_policy)]
                if sla.deadline_policy
                else []
            ),
        ),
        (
            "Service",
            [
                ("Maintenance windows", ", ".join(sla.windows) or "any window of the inventory"),
                (
                    "Availability target",
                    f"{sla.availability:g}%" if sla.availability is not None else "not agreed",
                ),
                ("Reporting", sla.reporting),
                ("Review", f"{sla.review} ({format_duration(sla.review_duration)})"),
            ],
        ),
        (
            "Escalation",
            [
                (
                    f"{index}. {contact.name}",
                    ", ".join(v for v in (contact.role, contact.email, contact.phone) if v),
                )
                for index, contact in enumerate(sla.escalation, 1)
            ]
            or [("Escalation", "none agreed")],
        ),
    ]
    return sections


def summary(sla: Sla, *, format: str = "md") -> bytes:
    """The agreed terms as a document for the customer: Markdown (``md``) or HTML."""
    title = f"Service level agreement: {sla.provider} for {sla.customer}"
    sections = _terms(sla)
    if format == "md":
        lines = [f"# {_md(title)}", ""]
        for heading, rows in sections:
            lines += [f"## {heading}", "", "| Term | Agreed |", "|---|---|"]
            lines += [f"| {_md(label)} | {_md(value)} |" for label, value in rows]
            lines.append("")
        return "\n".join(lines).encode()
    if format != "html":
        raise ValueError(f"unknown format {format!r} (md or html)")
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{html.escape(title)}</title></head><body>",
        f"<h1>{html.escape(title)}</h1>",
    ]
    for heading, rows in sections:
        parts.append(f"<h2>{html.escape(heading)}</h2>")
        parts.append("<table><thead><tr><th>Term</th><th>Agreed</th></tr></thead><tbody>")
        parts += [
            f"<tr><td>{html.escape(label)}</td><td>{html.escape(value)}</td></tr>"
            for label, value in rows
        ]
        parts.append("</tbody></table>")
    parts.append("</body></html>\n")
    return "\n".join(parts).encode()


def _md(text: str) -> str:
    """``text`` safe in a Markdown table cell."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")
