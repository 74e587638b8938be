"""What changed between two plans: tasks added, removed and moved, unplaced and late
dues, and the cost.

Tasks are matched by uid, which is stable across runs (asset, activity and anchor),
so a re-plan after an inventory change shows exactly the work that moved. Both
sides may be :class:`~maintlib.model.plan.Plan` values or plan JSON documents (formats
``maintlib.plan/1``, ``/2`` and ``/3``; fields a reader does not know are
ignored), so a tool can compare a stored plan with a new one.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import attrs

from maintlib._util.json import JsonInputError, loads
from maintlib._util.text import excerpt
from maintlib.model.errors import InputError, Problem
from maintlib.model.limits import read_input
from maintlib.model.plan import Plan

__all__ = ["PLAN_FORMATS", "PlanDiff", "Slot", "TaskMove", "plan_diff", "read_plan", "render_diff"]


#: The plan JSON formats :func:`plan_diff` and :func:`read_plan` read.
PLAN_FORMATS = ("maintlib.plan/1", "maintlib.plan/2", "maintlib.plan/3")


@attrs.frozen(order=True)
class Slot:
    """Where and when a task is: its start and end (ISO 8601 with offset) and window."""

    start: str
    end: str
    window: str | None = None


@attrs.frozen(order=True)
class TaskMove:
    """A task in both plans whose slot changed."""

    uid: str
    old: Slot
    new: Slot


@attrs.frozen
class PlanDiff:
    """The differences from an old plan to a new one, each sorted by uid.

    Attributes:
        added: Tasks only in the new plan: ``(uid, slot)``.
        removed: Tasks only in the old plan: ``(uid, slot)``.
        moved: Tasks in both whose start, end or window changed.
        newly_unplaced: Uids unplaced in the new plan but not in the old one.
        no_longer_unplaced: Uids unplaced in the old plan but not in the new one.
        newly_late: Uids of tasks late in the new plan (starting after their
            deadline) that were not late in the old one.
        no_longer_late: The reverse.
        currency: The plans' currency, or None when either has no costs.
        cost_delta: New total minus old total, ``(low, high)``; None without costs
            or in different currencies.
    """

    added: tuple[tuple[str, Slot], ...] = ()
    removed: tuple[tuple[str, Slot], ...] = ()
    moved: tuple[TaskMove, ...] = ()
    newly_unplaced: tuple[str, ...] = ()
    no_longer_unplaced: tuple[str, ...] = ()
    newly_late: tuple[str, ...] = ()
    no_longer_late: tuple[str, ...] = ()
    currency: str | None = None
    cost_delta: tuple[Decimal, Decimal] | None = None

    def __bool__(self) -> bool:
        """True when anything changed (a cost delta of zero is no change)."""
        changed = self.cost_delta is not None and any(self.cost_delta)
        return changed or any(
            (
                self.added,
                self.removed,
                self.moved,
                self.newly_unplaced,
                self.no_longer_unplaced,
                self.newly_late,
                self.no_longer_late,
            )
        )

    def apply(self, tasks: Mapping[str, Slot]) -> dict[str, Slot]:
        """The old plan's tasks (uid → slot) with this diff applied: the new plan's."""
        removed = {uid for uid, _ in self.removed}
        result = {uid: slot for uid, slot in tasks.items() if uid not in removed}
        result.update({move.uid: move.new for move in self.moved})
        result.update(self.added)
        return result

    def to_json(self) -> dict[str, Any]:
        """The diff as JSON-ready data (what ``maintlib diff --json`` prints)."""

        def slot(value: Slot) -> dict[str, Any]:
            return {"start": value.start, "end": value.end, "window": value.window}

        delta = self.cost_delta
        return {
            "added": [{"uid": uid, **slot(s)} for uid, s in self.added],
            "removed": [{"uid": uid, **slot(s)} for uid, s in self.removed],
            "moved": [{"uid": m.uid, "old": slot(m.old), "new": slot(m.new)} for m in self.moved],
            "unplaced": {
                "new": list(self.newly_unplaced),
                "resolved": list(self.no_longer_unplaced),
            },
            "late": {"new": list(self.newly_late), "resolved": list(self.no_longer_late)},
            "cost_delta": None
            if delta is None
            else {"currency": self.currency, "low": str(delta[0]), "high": str(delta[1])},
        }


def read_plan(path: str | os.PathLike[str]) -> dict[str, Any]:
    """A plan JSON file (``maintlib.plan/1``, ``/2`` or ``/3``), checked enough to diff.

    The document is returned as written. In ``/3`` a task's checklist and source are
    keys into the shared tables: ``document["checklists"][task["checklist"]]`` and
    ``document["sources"][task["source"]]`` (each key is checked to be there).

    Raises:
        InputError: The file cannot be read, is not JSON, or not a maintlib plan.
    """
    name = os.fspath(path)
    try:
        content = read_input(Path(path))
    except (OSError, ValueError) as error:
        why = error.strerror if isinstance(error, OSError) else str(error)
        raise InputError([Problem(name, "", f"cannot read: {why}")]) from None
    try:
        document = loads(content.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise InputError([Problem(name, f"byte {error.start}", "not UTF-8")]) from None
    except JsonInputError as error:
        raise InputError([Problem(name, error.where, f"not JSON: {error.message}")]) from None
    problems = _check(document, name)
    if problems:
        raise InputError(problems)
    result: dict[str, Any] = document
    return result


def _check(document: object, name: str) -> list[Problem]:
    if not isinstance(document, dict):
        return [Problem(name, "", "not a plan: expected a JSON object")]
    fmt = document.get("format")
    if fmt not in PLAN_FORMATS:
        shown = excerpt(str(fmt)) if fmt is not None else "none"
        return [
            Problem(name, "format", f"{shown} is not a plan format ({', '.join(PLAN_FORMATS)})")
        ]
    problems = []
    for key in ("tasks", "unplaced"):
        items = document.get(key, [])
        if not isinstance(items, list):
            problems.append(Problem(name, key, "expected a list"))
            continue
        for index, item in enumerate(items):
            if not isinstance(item, dict) or not isinstance(item.get("uid"), str):
                problems.append(Problem(name, f"{key}[{index}]", "expected an object with a uid"))
            elif key == "tasks" and not all(
                isinstance(item.get(field), str) for field in ("start", "end")
            ):
                problems.append(Problem(name, f"{key}[{index}]", "expected start and end"))
            elif key == "tasks" and fmt == "maintlib.plan/3":
                problems += _references(document, item, f"{key}[{index}]", name)
    return problems


#: ``maintlib.plan/3``: a task's key → the shared table it names.
_TABLES = {"checklist": "checklists", "source": "sources"}


def _references(
    document: Mapping[str, Any], task: Mapping[str, Any], where: str, name: str
) -> list[Problem]:
    """The task's ``checklist`` and ``source`` keys name entries of the shared tables."""
    problems = []
    for field, table in _TABLES.items():
        entries = document.get(table)
        if not isinstance(entries, dict):
            return [Problem(name, table, "expected an object (the shared table)")]
        value = task.get(field)
        if not isinstance(value, str) or value not in entries:
            shown = excerpt(str(value)) if value is not None else "none"
            problems.append(Problem(name, f"{where}.{field}", f"{shown} is not in {table}"))
    return problems


def _document(plan: Plan | Mapping[str, Any]) -> Mapping[str, Any]:
    if isinstance(plan, Plan):
        return plan.to_json()
    problems = _check(plan, "<plan>")
    if problems:
        raise InputError(problems)
    return plan


def _slots(document: Mapping[str, Any]) -> dict[str, Slot]:
    return {
        task["uid"]: Slot(task["start"], task["end"], task.get("window"))
        for task in document.get("tasks", [])
    }


def _late(document: Mapping[str, Any]) -> set[str]:
    """Uids of tasks that start after their due's deadline."""
    late = set()
    for task in document.get("tasks", []):
        deadline = (task.get("due") or {}).get("deadline")
        try:
            if deadline and dt.datetime.fromisoformat(task["start"]) > dt.datetime.fromisoformat(
                deadline
            ):
                late.add(task["uid"])
        except (TypeError, ValueError):
            continue  # a time it cannot read is no evidence of lateness
    return late


def _total(document: Mapping[str, Any]) -> tuple[str, Decimal, Decimal] | None:
    costs = document.get("costs")
    if not isinstance(costs, Mapping):
        return None
    total: Any = costs.get("total")
    try:
        return str(costs["currency"]), Decimal(total["low"]), Decimal(total["high"])
    except (KeyError, TypeError, InvalidOperation):
        return None


def plan_diff(old: Plan | Mapping[str, Any], new: Plan | Mapping[str, Any]) -> PlanDiff:
    """What changed from ``old`` to ``new``, task by task (matched by uid).

    Args:
        old: A plan, or a plan JSON document (:func:`read_plan`, ``Plan.to_json()``).
        new: The same, for the plan to compare with.

    Returns:
        The differences; ``plan_diff(a, a)`` is empty (falsy), and
        ``diff.apply(old tasks)`` gives the new plan's tasks.

    Raises:
        InputError: A document is not a plan (``format`` ``maintlib.plan/1`` or
            ``/2``, tasks with uid, start and end).
    """
    before, after = _document(old), _document(new)
    old_slots, new_slots = _slots(before), _slots(after)
    old_unplaced = {entry["uid"] for entry in before.get("unplaced", [])}
    new_unplaced = {entry["uid"] for entry in after.get("unplaced", [])}
    old_late, new_late = _late(before), _late(after)
    old_total, new_total = _total(before), _total(after)
    currency, delta = None, None
    if old_total and new_total and old_total[0] == new_total[0]:
        currency = old_total[0]
        delta = (new_total[1] - old_total[1], new_total[2] - old_total[2])
    return PlanDiff(
        added=tuple((uid, new_slots[uid]) for uid in sorted(new_slots.keys() - old_slots.keys())),
        removed=tuple((uid, old_slots[uid]) for uid in sorted(old_slots.keys() - new_slots.keys())),
        moved=tuple(
            TaskMove(uid, old_slots[uid], new_slots[uid])
            for uid in sorted(old_slots.keys() & new_slots.keys())
            if old_slots[uid] != new_slots[uid]
        ),
        newly_unplaced=tuple(sorted(new_unplaced - old_unplaced)),
        no_longer_unplaced=tuple(sorted(old_unplaced - new_unplaced)),
        newly_late=tuple(sorted(new_late - old_late)),
        no_longer_late=tuple(sorted(old_late - new_late)),
        currency=currency,
        cost_delta=delta,
    )


def render_diff(diff: PlanDiff) -> str:
    """The diff in lines for a terminal (``maintlib diff``)."""
    lines = []
    for uid, slot in diff.added:
        lines.append(
            f"+ {uid}  {slot.start} – {slot.end}" + (f"  ({slot.window})" if slot.window else "")
        )
    for uid, slot in diff.removed:
        lines.append(f"- {uid}  {slot.start} – {slot.end}")
    for move in diff.moved:
        lines.append(f"~ {move.uid}  {move.old.start} → {move.new.start}")
    lines += [f"! unplaced now: {uid}" for uid in diff.newly_unplaced]
    lines += [f"✓ placed now: {uid}" for uid in diff.no_longer_unplaced]
    lines += [f"! late now: {uid}" for uid in diff.newly_late]
    lines += [f"✓ on time now: {uid}" for uid in diff.no_longer_late]
    if diff.cost_delta is not None:
        low, high = diff.cost_delta
        lines.append(f"cost: {low:+} to {high:+} {diff.currency}")
    summary = (
        f"{len(diff.added)} added, {len(diff.removed)} removed, {len(diff.moved)} moved,"
        f" {len(diff.newly_unplaced)} newly unplaced, {len(diff.newly_late)} newly late"
    )
    return "\n".join([*lines, summary]) + "\n"
