"""The history stage: dues + the maintenance log → the dues still to plan.

It sits between expand and group (fleet). Given the dues of the horizon, the
dues of the *look-back* (from ``since`` to the horizon's start) and the log
(:mod:`maintlib.records.log`), each due ends in exactly one of these:

* **done** — its last record is ``done``: it is not planned again;
* **retried** — its last record is ``failed`` or ``rolled_back``: a retry due
  (uid ``<due uid>.retry<n>``, the n-th attempt) takes its place, from the end of
  the failed attempt, with the time the rule allows for the work;
* **overdue** — from the look-back, its deadline passed before the horizon and no
  ``done`` record shows it (a ``skipped`` record names why, but does not close
  it): it comes back with its uid and its original deadline, and the planner
  places it late, from the horizon's start (``late_reason`` ``overdue``);
* **carried** — from the look-back, not done, but its deadline is still ahead: it
  is planned from the horizon's start, with its uid and deadline;
* **moved** — a periodic duty whose rule says ``cadence_from = "done"``: its
  calendar dues not done are **replaced** by dues that recur from the last
  ``done`` record (new anchors, so new uids): the first one after it (overdue
  when its deadline has passed), then those that start in the horizon;
* otherwise it is planned as without a log, unchanged — so a re-plan keeps the
  uids (and the calendar events) of every piece of work that did not move.

Records name a due by its uid, a fleet task's uid (``aliases``: it stands for its
members' dues), a retry's uid, or asset, activity and anchor. A record that
names no due of the look-back or the horizon is listed as unmatched.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from zoneinfo import ZoneInfo

import attrs

from maintlib._util.recurrence import occurrences
from maintlib.model.history import History, Replan
from maintlib.model.rules import Periodic
from maintlib.model.work import Due, Duty, Horizon, add_months
from maintlib.records.log import Log, Outcome, Record

__all__ = ["lookback", "records_by_due", "replan"]


_RETRY = re.compile(r"^(?P<uid>.+)\.retry(?P<attempt>[1-9][0-9]*)$")


def lookback(log: Log, horizon: Horizon, since: dt.date | None = None) -> Horizon | None:
    """The horizon of the look-back: from ``since`` (default: the first day of the
    month of the log's earliest record — its due's anchor, else when work started)
    up to the plan's start; None when it is empty."""
    zone = horizon.timezone
    if since is None:
        moments = [r.due if r.due is not None else r.begun for r in log.records]
        if not moments:
            return None
        since = min(moments).astimezone(zone).date().replace(day=1)
    if since >= horizon.start:
        return None
    months = (horizon.start.year - since.year) * 12 + horizon.start.month - since.month
    if add_months(since, months) < horizon.start:
        months += 1
    return Horizon(since, max(months, 1), zone)


def _end_of_day(moment: dt.datetime, days: int) -> dt.datetime:
    day = moment.date() + dt.timedelta(days=days + 1)
    return dt.datetime.combine(day, dt.time(), tzinfo=moment.tzinfo)


def _uids(record: Record, zone: ZoneInfo, aliases: Mapping[str, tuple[str, ...]]) -> list[str]:
    """The uids of the per-asset dues a record is for (a retry's: its due's)."""
    key = record.key(zone)
    retry = _RETRY.match(key)
    base = retry.group("uid") if retry else key
    return list(aliases.get(base, (base,)))


def records_by_due(
    log: Log, zone: ZoneInfo, aliases: Mapping[str, tuple[str, ...]], known: set[str]
) -> tuple[dict[str, list[Record]], list[str]]:
    """Due uid → its records (oldest end first), and the unmatched records."""
    by_due: dict[str, list[Record]] = {}
    unmatched: list[str] = []
    for where, record in log.located():
        found = [uid for uid in _uids(record, zone, aliases) if uid in known]
        if not found:
            unmatched.append(
                f"{where}: {record.key(zone)} is no due of this inventory since the look-back"
            )
            continue
        for uid in found:
            by_due.setdefault(uid, []).append(record)
    for records in by_due.values():
        records.sort(key=lambda r: (r.finished, r.begun))
    return by_due, unmatched


def _last_done(
    log: Log, zone: ZoneInfo, aliases: Mapping[str, tuple[str, ...]]
) -> dict[str, dt.datetime]:
    """``subject.activity`` → when a ``done`` record last ended work on it."""
    last: dict[str, dt.datetime] = {}
    for record in log.records:
        if record.outcome is not Outcome.DONE:
            continue
        for uid in _uids(record, zone, aliases):
            prefix = uid.rsplit(".", 1)[0]
            if prefix not in last or record.finished > last[prefix]:
                last[prefix] = record.finished
    return last


def _from_done(duty: Duty, done: dt.datetime, horizon: Horizon) -> list[Due]:
    """The dues of ``duty`` recurring from ``done``: the first one after it (even
    before the horizon: then it is overdue or carried), and those after it that
    start in the horizon."""
    assert isinstance(duty.cadence, Periodic)
    zone = horizon.timezone
    local = done.astimezone(zone).replace(tzinfo=None, microsecond=0)
    end = horizon.end_at.replace(tzinfo=None) + dt.timedelta(days=800)
    starts = occurrences(duty.cadence.rrule, local, local + dt.timedelta(seconds=1), end)
    anchors = [moment.replace(tzinfo=zone) for moment in starts]
    dues = []
    prefix = f"{duty.subject}.{duty.activity.name}."
    for index, anchor in enumerate(anchors[:-1]):
        if anchor >= horizon.end_at:
            break
        if index and anchor < horizon.start_at:
            continue
        following = anchors[index + 1]
        deadline = (
            following if duty.deadline_days is None else _end_of_day(anchor, duty.deadline_days)
        )
        earliest = max(anchor, horizon.start_at)
        dues.append(Due(duty, anchor, None, earliest, deadline, f"{prefix}{anchor:%Y%m%dT%H%M}"))
    return dues


def replan(
    past: Sequence[Due],
    dues: Sequence[Due],
    log: Log,
    horizon: Horizon,
    *,
    since: dt.date,
    aliases: Mapping[str, tuple[str, ...]] | None = None,
) -> Replan:
    """The dues still to plan, after what the log records (see the module).

    Args:
        past: Per-asset dues of the look-back (anchors before the horizon's start).
        dues: Per-asset dues of the horizon (from :func:`maintlib.planning.expand.expand`).
        log: The maintenance log.
        horizon: The planned period.
        since: The look-back's first day (recorded in the history).
        aliases: Fleet task uid → the uids of its members' dues.

    Returns:
        The dues, in order: the horizon's (those kept, in their order), then the
        overdue and carried ones, the retries and the moved ones, each by uid.
    """
    zone = horizon.timezone
    # A once-only due whose deadline passed before the horizon (an end of support) is
    # in both: the horizon's copy, placed from its start by expand, stands alone.
    planned = {due.uid for due in dues}
    every = [*(due for due in past if due.uid not in planned), *dues]
    known = {due.uid for due in every}
    last_done = _last_done(log, zone, aliases or {})
    moving = _moving(every, last_done)
    moved = [
        due
        for duty in moving.values()
        for due in _from_done(duty, last_done[f"{duty.subject}.{duty.activity.name}"], horizon)
    ]
    known.update(due.uid for due in moved)
    by_due, unmatched = records_by_due(log, zone, aliases or {}, known)
    sorting = _Sorting(horizon.start_at)
    new = {id(due) for due in moved}
    for due in [*every, *moved]:
        replaced = id(due.duty) in moving and id(due) not in new
        sorting.add(due, by_due.get(due.uid, []), replaced=replaced)
    history = History(
        since=since,
        records=len(log.records),
        done=tuple(sorted(sorting.done)),
        overdue=tuple(sorted(due.uid for due in sorting.overdue)),
        carried=tuple(sorted(due.uid for due in sorting.carried)),
        retries=tuple(sorted(due.uid for due in sorting.retries)),
        moved=tuple(sorted(due.uid for due in moved)),
        replaced=tuple(sorted(sorting.replaced)),
        skipped=tuple(sorted(sorting.skipped)),
        unmatched=tuple(unmatched),
    )

    def by_uid(items: list[Due]) -> list[Due]:
        return sorted(items, key=lambda d: d.uid)

    return Replan(
        (
            *sorting.kept,
            *by_uid(sorting.overdue),
            *by_uid(sorting.carried),
            *by_uid(sorting.retries),
        ),
        history,
    )


def _moving(every: Sequence[Due], last_done: Mapping[str, dt.datetime]) -> dict[int, Duty]:
    """Periodic duties counted from the last time done: their calendar dues go."""
    moving: dict[int, Duty] = {}
    for due in every:
        duty = due.duty
        if (
            duty.rule.cadence_from == "done"
            and isinstance(duty.cadence, Periodic)
            and f"{duty.subject}.{duty.activity.name}" in last_done
        ):
            moving[id(duty)] = duty
    return moving


@attrs.define
class _Sorting:
    """The dues sorted by what the log says of them (see :func:`replan`)."""

    start: dt.datetime
    kept: list[Due] = attrs.field(factory=list)
    done: list[str] = attrs.field(factory=list)
    overdue: list[Due] = attrs.field(factory=list)
    carried: list[Due] = attrs.field(factory=list)
    retries: list[Due] = attrs.field(factory=list)
    skipped: list[str] = attrs.field(factory=list)
    replaced: list[str] = attrs.field(factory=list)

    def add(self, due: Due, records: Sequence[Record], *, replaced: bool) -> None:
        """Sort one due by its records (oldest first); ``replaced``: its duty is
        counted from the last time done and this is a calendar due."""
        start = self.start
        last = records[-1] if records else None
        if last is not None and last.outcome is Outcome.DONE:
            self.done.append(due.uid)
            return
        if replaced:
            self.replaced.append(due.uid)
            return
        if last is not None and last.outcome in (Outcome.FAILED, Outcome.ROLLED_BACK):
            attempt = sum(r.outcome is not Outcome.DONE for r in records)
            allowed = max(due.deadline - due.earliest, dt.timedelta(0))
            retry = attrs.evolve(
                due,
                anchor=last.finished,
                earliest=max(last.finished, start),
                deadline=last.finished + allowed,
                uid=f"{due.uid}.retry{attempt}",
            )
            self.retries.append(retry)
            return
        if last is not None:
            self.skipped.append(due.uid)
        if due.anchor >= start:
            self.kept.append(due)
        elif due.deadline < start:
            self.overdue.append(attrs.evolve(due, earliest=start))
        else:
            self.carried.append(attrs.evolve(due, earliest=max(due.earliest, start)))
