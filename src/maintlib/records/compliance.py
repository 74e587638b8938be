"""Compliance: what the maintenance log shows against what was due in a period.

:func:`assess` takes the per-asset dues whose anchor lies in the period
``[start, end)`` and the log, and judges every due *as of the period's end*
(records that end later are not counted):

* **on time** — a ``done`` record, work begun (``started``, else ``finished``) by
  the due's deadline;
* **late** — a ``done`` record, begun after the deadline;
* **overdue** — no ``done`` record, and the deadline passed before the end; its
  age is the time from the deadline to the end;
* **open** — no ``done`` record, deadline not yet passed: not counted in rates.

The on-time rate is on time / (on time + late + overdue), overall and per tier,
update class, asset kind and owner. ``docs/compliance.md`` defines every figure.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from maintlib.model.inventory import Inventory
from maintlib.model.work import Due
from maintlib.records.history import records_by_due
from maintlib.records.log import Log, Outcome, Record

__all__ = ["COMPLIANCE_FORMAT", "Compliance", "Judgement", "assess", "percentile"]


COMPLIANCE_FORMAT = "maintlib.compliance/1"


#: The activity whose dues count as restore tests (article tip 4).
RESTORE_TEST = "restore-test"


#: The key of work without an update class, an asset or an owner in the groups.
NONE = "none"


_STATES = ("on_time", "late", "overdue", "open")


def percentile(values: Sequence[float], fraction: float) -> float:
    """The nearest-rank percentile: the smallest value with at least ``fraction``
    of the values at or below it (``values`` must not be empty)."""
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def _median(values: Sequence[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def _days(since: dt.datetime, until: dt.datetime) -> float:
    """Elapsed days from ``since`` to ``until`` (real time: a DST change counts),
    to two decimals."""
    elapsed = until.astimezone(dt.UTC) - since.astimezone(dt.UTC)
    return round(elapsed.total_seconds() / 86400, 2)


@attrs.frozen
class Judgement:
    """One due, judged.

    Attributes:
        due: The per-asset due.
        state: ``on_time``, ``late``, ``overdue`` or ``open``.
        record: The deciding record (the ``done`` one, else the last), or None.
    """

    due: Due
    state: str
    record: Record | None


@attrs.frozen
class Compliance:
    """The compliance of a period: every due judged, and the figures.

    Attributes:
        start: The period's first day.
        end: The first day after it.
        judgements: Every due of the period, by uid.
        unmaintained: Ids of the assets without a ``done`` record in the period.
        unmatched: Records of the period that name no due of it, located.
    """

    start: dt.date
    end: dt.date
    end_at: dt.datetime
    judgements: tuple[Judgement, ...]
    unmaintained: tuple[str, ...]
    unmatched: tuple[str, ...]

    def counts(self, judgements: Iterable[Judgement] | None = None) -> dict[str, Any]:
        """``{on_time, late, overdue, open, on_time_rate}`` of ``judgements``
        (default: all); the rate is None when nothing was due."""
        counts = dict.fromkeys(_STATES, 0)
        for judgement in self.judgements if judgements is None else judgements:
            counts[judgement.state] += 1
        judged = counts["on_time"] + counts["late"] + counts["overdue"]
        rate = round(counts["on_time"] / judged, 4) if judged else None
        return {**counts, "on_time_rate": rate}

    def groups(self, key: str) -> dict[str, dict[str, Any]]:
        """The counts per tier, update class, asset kind or owner (``key``)."""
        grouped: dict[str, list[Judgement]] = {}
        for judgement in self.judgements:
            grouped.setdefault(_group_key(judgement.due, key), []).append(judgement)
        return {name: self.counts(items) for name, items in sorted(grouped.items())}

    @property
    def overdue(self) -> tuple[Judgement, ...]:
        """The overdue dues, oldest deadline first."""
        late = [j for j in self.judgements if j.state == "overdue"]
        return tuple(sorted(late, key=lambda j: (j.due.deadline, j.due.uid)))

    def age(self, judgement: Judgement) -> dt.timedelta:
        """How long an overdue due has been overdue at the period's end."""
        return self.end_at.astimezone(dt.UTC) - judgement.due.deadline.astimezone(dt.UTC)

    def remediation(self) -> dict[str, Any]:
        """Time to remediate (anchor to the end of the ``done`` work) against the
        time allowed (anchor to deadline), in days: median and p90, overall and per
        update class."""
        done = [j for j in self.judgements if j.state in ("on_time", "late")]

        def figures(items: list[Judgement]) -> dict[str, Any]:
            taken = [_days(j.due.anchor, j.record.finished) for j in items if j.record]
            allowed = [_days(j.due.anchor, j.due.deadline) for j in items]
            if not taken:
                return {"count": 0}
            return {
                "count": len(taken),
                "median_days": _median(taken),
                "p90_days": percentile(taken, 0.9),
                "deadline_median_days": _median(allowed),
                "deadline_p90_days": percentile(allowed, 0.9),
            }

        classes: dict[str, list[Judgement]] = {}
        for judgement in done:
            classes.setdefault(_group_key(judgement.due, "update_class"), []).append(judgement)
        return {
            **figures(done),
            "by_update_class": {name: figures(items) for name, items in sorted(classes.items())},
        }

    def restore_tests(self) -> dict[str, int]:
        """Restore tests planned (due in the period) and done."""
        tests = [j for j in self.judgements if j.due.duty.activity.name == RESTORE_TEST]
        return {
            "planned": len(tests),
            "done": sum(j.state in ("on_time", "late") for j in tests),
        }

    def to_json(self) -> dict[str, Any]:
        """The figures as a JSON-ready dict (``"format": "maintlib.compliance/1"``)."""
        overall = self.counts()
        return {
            "format": COMPLIANCE_FORMAT,
            "period": {"from": self.start.isoformat(), "to": self.end.isoformat()},
            "dues": len(self.judgements),
            "on_time_rate": overall["on_time_rate"],
            "counts": overall,
            "by_tier": self.groups("tier"),
            "by_update_class": self.groups("update_class"),
            "by_kind": self.groups("kind"),
            "by_owner": self.groups("owner"),
            "overdue": [
                {
                    "due": j.due.uid,
                    "asset": j.due.duty.asset.id if j.due.duty.asset else None,
                    "activity": j.due.duty.activity.name,
                    "priority": j.due.tier.value,
                    "deadline": j.due.deadline.isoformat(),
                    "age_days": _days(j.due.deadline, self.end_at),
                    "last_outcome": j.record.outcome.value if j.record else None,
                    "reason": (j.record.reason or None) if j.record else None,
                }
                for j in self.overdue
            ],
            "remediation": self.remediation(),
            "restore_tests": self.restore_tests(),
            "unmaintained_assets": list(self.unmaintained),
            "unmatched": list(self.unmatched),
        }


def _group_key(due: Due, key: str) -> str:
    duty = due.duty
    if key == "tier":
        return duty.tier.value
    if key == "update_class":
        return duty.rule.update_class.value if duty.rule.update_class else NONE
    asset = duty.asset
    if key == "kind":
        return asset.kind if asset else "organisation"
    if key == "owner":
        return (asset.owner or NONE) if asset else NONE
    raise ValueError(f"unknown group {key!r}")


def assess(
    dues: Sequence[Due],
    log: Log,
    inventory: Inventory,
    *,
    start: dt.date,
    end: dt.date,
    aliases: Mapping[str, tuple[str, ...]] | None = None,
) -> Compliance:
    """Judge every due of the period against the log.

    Args:
        dues: The per-asset dues whose anchor lies in ``[start, end)``.
        log: The maintenance log.
        inventory: The inventory (its assets, for the unmaintained ones).
        start: The period's first day.
        end: The first day after the period.
        aliases: Fleet task uid → the uids of its members' dues.
    """
    zone = inventory.organisation.timezone
    begin = dt.datetime.combine(start, dt.time(), tzinfo=zone)
    end_at = dt.datetime.combine(end, dt.time(), tzinfo=zone)
    # The period's records: what ended in it.
    kept = [
        (line, r)
        for line, r in zip(log.lines, log.records, strict=True)
        if begin <= r.finished < end_at
    ]
    in_period = attrs.evolve(
        log, records=tuple(r for _, r in kept), lines=tuple(line for line, _ in kept)
    )
    known = {due.uid for due in dues}
    by_due, unmatched = records_by_due(in_period, zone, aliases or {}, known)
    judgements = []
    maintained: set[str] = set()
    for due in sorted(dues, key=lambda d: d.uid):
        records = by_due.get(due.uid, [])
        done = next((r for r in records if r.outcome is Outcome.DONE), None)
        if done is not None:
            state = "on_time" if done.begun <= due.deadline else "late"
            judgements.append(Judgement(due, state, done))
            maintained.update(due.assets)
            continue
        last = records[-1] if records else None
        state = "overdue" if due.deadline < end_at else "open"
        judgements.append(Judgement(due, state, last))
    unmaintained = tuple(a.id for a in inventory.assets if a.id not in maintained)
    return Compliance(
        start=start,
        end=end,
        end_at=end_at,
        judgements=tuple(judgements),
        unmaintained=unmaintained,
        unmatched=tuple(unmatched),
    )
