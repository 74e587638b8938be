"""The values the planning stages produce: horizon, dues, tasks, unplaced, the plan.

:class:`Plan` is what every consumer reads — the cost stage, the iCalendar
exporter, the report, other tools through :meth:`Plan.to_json` (format
``maintlib.plan/3``, documented in ``docs/plan-json.md``).
"""

from __future__ import annotations

import copy
import datetime as dt
import enum
import functools
import hashlib
import types
from collections import Counter
from collections.abc import Iterator, Mapping
from json.encoder import encode_basestring
from typing import TYPE_CHECKING, Any

import attrs

from maintlib._util import json as _json
from maintlib._util.clock import format_duration
from maintlib._util.text import natural_key
from maintlib.model.inventory import Organisation
from maintlib.model.rules import Step
from maintlib.model.vocabulary import Tier
from maintlib.model.work import Due, Duty, Horizon, Members

if TYPE_CHECKING:
    from maintlib.model.costs import PlanCosts
    from maintlib.model.history import History
    from maintlib.model.money import CostRange
    from maintlib.model.vulnerabilities import VulnerabilityReport

__all__ = [
    "PLAN_FORMAT",
    "Plan",
    "Project",
    "Reason",
    "SolverRun",
    "Status",
    "Task",
    "Unplaced",
]


PLAN_FORMAT = "maintlib.plan/3"


class Status(enum.StrEnum):
    """Whether a task starts by its due's deadline."""

    ON_TIME = "on_time"
    LATE = "late"


# No __weakref__ slot: a plan of 100,000 assets holds half a million of these.
@attrs.frozen(weakref_slot=False)
class Task:
    """A due placed in a slot: a window occurrence, or office hours.

    Attributes:
        due: What the task fulfils (its newest due when it supersedes others).
        start: When work starts (aware).
        end: When work ends.
        window: The window's name, or None for office-hours work.
        occurrence: Which occurrence of the slot (its start), for grouping.
        steps: The checklist, with the lower-ring reference filled in.
        after: Uids of tasks that must be finished first (lower ring,
            dependencies, the host).
        superseded: Older dues of the same duty that this task covers: they could
            not be placed before this due's release, and the newer work includes
            theirs (a cumulative update, the next check). Oldest first.
        late_reason: For a late task, the constraint that kept it from starting
            by the deadline; None for a task on time.
        late_detail: That reason in a sentence, with numbers.
    """

    due: Due
    start: dt.datetime
    end: dt.datetime
    window: str | None
    occurrence: dt.datetime
    steps: tuple[Step, ...]
    after: tuple[str, ...] = ()
    superseded: tuple[Due, ...] = ()
    late_reason: Reason | None = None
    late_detail: str = ""

    @property
    def status(self) -> Status:
        """``late`` when the task starts after its due's deadline, else ``on_time``."""
        return Status.LATE if self.start > self.due.deadline else Status.ON_TIME

    @property
    def late_by(self) -> dt.timedelta:
        """How long after the deadline the task starts (zero when on time)."""
        return max(self.start - self.due.deadline, dt.timedelta(0))

    @property
    def dues(self) -> tuple[str, ...]:
        """Uids of every per-asset due the task covers: the superseded ones', then
        its own (a fleet task's: one per member)."""
        return (*(uid for due in self.superseded for uid in due.covers), *self.due.covers)

    @property
    def assets(self) -> tuple[str, ...]:
        """Ids of the assets the task covers (none for organisation-wide work)."""
        return self.due.assets

    @property
    def uid(self) -> str:
        """The due's stable uid."""
        return self.due.uid

    @property
    def subject(self) -> str:
        """What the task is for, as people read it: the asset's id, ``organisation``,
        or for a fleet task its group (``4 × laptop: lt01–lt04``), members in natural
        order — not one member's id, which ``duty.subject`` is for a fleet (issue 29)."""
        if not self.due.members:
            return self.due.duty.subject
        ids = sorted(self.due.assets, key=natural_key)
        kind = self.due.duty.asset.kind if self.due.duty.asset else "asset"
        return f"{len(ids)} × {kind}: {ids[0]}–{ids[-1]}"

    @property
    def effort(self) -> dt.timedelta:
        """Hands-on technician time (what capacity and costing count); the task's
        ``end - start`` is its wall-clock time (downtime, conflicts)."""
        return self.due.duty.effort

    @property
    def hands_on_end(self) -> dt.datetime:
        """When the technician's hands-on part ends: ``start + effort``."""
        return self.start + self.due.duty.effort

    @property
    def duty(self) -> Duty:
        """The duty the task fulfils."""
        return self.due.duty

    def to_json(self) -> dict[str, Any]:
        """The task in the plan JSON (without cost; see :meth:`Plan.to_json`)."""
        return {
            "uid": self.uid,
            "assets": list(self.assets),
            "dues": list(self.dues),
            "status": self.status.value,
            "late_by": format_duration(self.late_by) if self.late_by else None,
            "late_reason": self.late_reason.value if self.late_reason else None,
            "late_detail": self.late_detail or None,
            "window": self.window,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "effort_minutes": effort_minutes(self.effort),
            "due": self.due.to_json(),
            "steps": [{"kind": step.kind.value, "text": step.text} for step in self.steps],
            "after": list(self.after),
            **duty_json(self.due.duty),
        }


def duty_json(duty: Duty) -> dict[str, Any]:
    """The keys of a task in the plan JSON that its duty alone gives (every task of
    the duty has the same)."""
    asset = duty.asset
    emergency = duty.emergency
    return {
        "asset": asset.id if asset else None,
        "activity": duty.activity.name,
        "update_class": duty.rule.update_class.value if duty.rule.update_class else None,
        "mode": duty.mode.value,
        "downtime": duty.downtime,
        "priority": duty.tier.value,
        "ring": asset.environment.value if asset else None,
        "source": source_json(duty),
        "emergency": emergency is not None,
        "vulnerabilities": list(emergency.vulnerabilities) if emergency else [],
        "policy": emergency.policy_json() if emergency else None,
    }


def effort_minutes(effort: dt.timedelta) -> int:
    """Whole minutes of hands-on time, rounded up (a 10-second check is a minute)."""
    return -(-int(effort.total_seconds()) // 60)


def source_json(duty: Duty) -> dict[str, str]:
    """``{"pack", "rule", "citation"}`` of the duty's rule."""
    return {"pack": duty.rule.pack, "rule": duty.rule.id, "citation": duty.rule.citation}


class Reason(enum.StrEnum):
    """Why a due could not be placed on time, or at all: the binding constraint."""

    NO_ELIGIBLE_WINDOW = "no_eligible_window"
    NO_SLOT_BEFORE_DEADLINE = "no_slot_before_deadline"
    BLACKOUT = "blackout"
    CAPACITY_FULL = "capacity_full"
    HA_PARTNER = "ha_partner"
    HOST_GUEST = "host_guest"
    SERVER_APPLICATION = "server_application"
    RING_SOAK = "ring_soak"
    DEPENDENCY = "dependency"
    ASSET_BUSY = "asset_busy"
    SLOT_TOO_SHORT = "slot_too_short"
    DEADLINE_BEFORE_EARLIEST = "deadline_before_earliest"
    #: The deadline passed before the plan starts, without a ``done`` record in the
    #: maintenance log (:mod:`maintlib.records.history`).
    OVERDUE = "overdue"


@attrs.frozen
class Unplaced:
    """A due that could not be placed at all: no eligible window, or nothing
    feasible by its deadline plus the look-ahead.

    Attributes:
        due: The due.
        reason: The binding constraint.
        detail: The reason in a sentence, with numbers.
        next_feasible: The first slot start that would work after the
            look-ahead, or None when none was found in the search range.
    """

    due: Due
    reason: Reason
    detail: str
    next_feasible: dt.datetime | None = None

    def to_json(self) -> dict[str, Any]:
        """The unplaced entry in the plan JSON."""
        duty = self.due.duty
        return {
            "uid": self.due.uid,
            "asset": duty.asset.id if duty.asset else None,
            "assets": list(self.due.assets),
            "dues": list(self.due.covers),
            "activity": duty.activity.name,
            "priority": duty.tier.value,
            "due": self.due.to_json(),
            "reason": self.reason.value,
            "detail": self.detail,
            "next_feasible": self.next_feasible.isoformat() if self.next_feasible else None,
        }


@attrs.frozen
class Project:
    """A due that asks for a one-off project, not window work: the upgrade or
    replacement of a system whose support ends (a rule with mode ``project``).

    People plan a project with the owner (a migration, a purchase, a test run), so
    the planner puts it in no window and takes no window capacity for it; the plan
    lists it with its deadline, the report shows it beside the risk register and
    the costing prices its effort as a one-off range (issue 27).

    Attributes:
        due: The due: its duty (asset, rule, tier), when it became due and its deadline.
        overdue: The deadline falls before the horizon starts: the system is
            already past its end.
    """

    due: Due
    overdue: bool = False

    @property
    def uid(self) -> str:
        """The due's uid."""
        return self.due.uid

    @property
    def duty(self) -> Duty:
        """The due's duty: the asset, the rule and its tier."""
        return self.due.duty

    def to_json(self) -> dict[str, Any]:
        """The project entry in the plan JSON."""
        duty = self.due.duty
        return {
            "uid": self.due.uid,
            "asset": duty.asset.id if duty.asset else None,
            "activity": duty.activity.name,
            "priority": duty.tier.value,
            "due": self.due.to_json(),
            "overdue": self.overdue,
            "effort_minutes": effort_minutes(duty.effort),
            "source": source_json(duty),
        }


@attrs.frozen
class SolverRun:
    """How an optimising planner made the plan (``solver="cp-sat"``); the greedy
    planner's plans have none.

    Attributes:
        name: ``cp-sat``.
        status: ``optimal`` when every model was solved to proven optimality,
            ``feasible`` when a time limit came first (the bound says how far off
            at most), ``trivial`` when there was nothing to decide.
        models: How many models the horizon was decomposed into.
        objective: The objective of the models' solutions, summed.
        bound: The lower bound the solver proved, summed over the models.
        time_limit: The deterministic time limit over all models.
        workers: CP-SAT's workers (interleaved: deterministic).
        seed: CP-SAT's random seed.
        kept_greedy: True when the greedy plan scored better and was kept.
    """

    name: str
    status: str
    models: int
    objective: int
    bound: int
    time_limit: float
    workers: int
    seed: int
    kept_greedy: bool = False

    @property
    def gap(self) -> float:
        """``(objective - bound) / objective``, 0 when proven optimal."""
        return (self.objective - self.bound) / self.objective if self.objective > 0 else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "status": self.status,
            "models": self.models,
            "objective": self.objective,
            "bound": self.bound,
            "gap": round(self.gap, 6),
            "time_limit": self.time_limit,
            "workers": self.workers,
            "seed": self.seed,
            "kept_greedy": self.kept_greedy,
        }


@attrs.frozen
class Plan:
    """Tasks and unplaced dues over a horizon, with what they were computed from.

    Attributes:
        organisation: Whose plan it is.
        horizon: The planned period.
        reference_time: The time the caller passed as "now" (the library never
            reads the clock); ``generated_at`` in JSON, ``DTSTAMP`` in iCalendar.
        tasks: Placed work, by start then uid.
        unplaced: Dues that could not be placed, by deadline then uid.
        warnings: Things the planner noticed (DST, precedence, rings).
        dues: How many per-asset dues the horizon held (Σ covered by tasks, unplaced
            entries and projects).
        digest: SHA-256 of the inputs (inventory, packs, horizon, reference time).
        costs: Costs of the plan, when computed (:mod:`maintlib.costing.cost`).
        packs: ``name version`` of each pack used.
        vulnerabilities: Policies, KEV exposures and unmatched advisories, when
            the plan was made with vulnerability feeds or policies.
        history: What the maintenance log did (done, overdue, retried, moved),
            when the plan was made from a log with records.
        solver: How an optimising planner made the plan, or None (the greedy).
        projects: Dues that ask for a one-off project (an upgrade or replacement
            past or near an end of support), by deadline then uid: in no window.
    """

    organisation: Organisation
    horizon: Horizon
    reference_time: dt.datetime
    tasks: tuple[Task, ...]
    unplaced: tuple[Unplaced, ...]
    warnings: tuple[str, ...]
    dues: int
    digest: str
    costs: PlanCosts | None = None
    packs: tuple[str, ...] = ()
    vulnerabilities: VulnerabilityReport | None = None
    history: History | None = None
    solver: SolverRun | None = None
    projects: tuple[Project, ...] = ()

    def to_json(self, *, tasks: bool = True) -> dict[str, Any]:
        """The plan as a JSON-ready dict (``"format": "maintlib.plan/3"``).

        The tasks' checklists and sources are in the shared tables ``checklists``
        and ``sources``; each task names its entries by key (``checklist``,
        ``source``). :meth:`Task.to_json` gives one task with both written out.

        Args:
            tasks: False leaves the ``tasks`` list empty (what :meth:`json_chunks`
                writes around); the tables still hold every task's entries.
        """
        costs = self.costs
        tables = _Tables()
        items = []
        for task in self.tasks:
            checklist, source = tables.keys(task)
            if not tasks:
                continue
            item = task.to_json()
            del item["steps"]
            item["checklist"] = checklist
            item["source"] = source
            if costs is not None:
                item["cost"] = costs.task_json(task.uid)
            items.append(item)
        document: dict[str, Any] = {
            "format": PLAN_FORMAT,
            "checklists": tables.checklists,
            "sources": tables.sources,
            "generated_at": self.reference_time.isoformat(),
            "digest": self.digest,
            "packs": list(self.packs),
            "horizon": {
                "start": self.horizon.start.isoformat(),
                "end": self.horizon.end.isoformat(),
                "timezone": self.horizon.timezone.key,
            },
            "organisation": {
                "name": self.organisation.name,
                "timezone": self.organisation.timezone.key,
                "country": self.organisation.country,
                "currency": self.organisation.currency,
                "users": self.organisation.users,
            },
            "summary": self.summary(),
            "tasks": items,
            "unplaced": [entry.to_json() for entry in self.unplaced],
            "projects": [project.to_json() for project in self.projects],
            "warnings": list(self.warnings),
        }
        if costs is not None:
            document["costs"] = costs.to_json()
        if self.vulnerabilities is not None:
            document["vulnerabilities"] = self.vulnerabilities.to_json()
        if self.history is not None:
            document["history"] = self.history.to_json()
        if self.solver is not None:
            document["solver"] = self.solver.to_json()
        return document

    def summary(self) -> dict[str, Any]:
        """The plan's quality in numbers: what happened to every due, overall and per tier.

        ``dues = on_time + late + superseded + unplaced + projects``; lateness is in hours
        (mean and max over the late tasks). Worked out once per plan (the JSON and the
        command line's summary both ask); each call returns a copy of its own.
        """
        return copy.deepcopy(self._summary)

    @functools.cached_property
    def _summary(self) -> dict[str, Any]:
        counts = {tier: Counter[str]() for tier in Tier}
        lateness: dict[Tier | None, list[float]] = {tier: [] for tier in Tier}
        lateness[None] = []
        late_overall = lateness[None]
        for task in self.tasks:
            due = task.due
            tier = due.duty.tier
            counter = counts[tier]
            # ``task.status`` and ``task.late_by``, without a property call each.
            start, deadline = task.start, due.deadline
            if start > deadline:
                counter["late"] += due.count
                hours = (start - deadline).total_seconds() / 3600
                lateness[tier].append(hours)
                late_overall.append(hours)
            else:
                counter["on_time"] += due.count
            if task.superseded:
                counter["superseded"] += sum(old.count for old in task.superseded)
        for entry in self.unplaced:
            counts[entry.due.tier]["unplaced"] += entry.due.count
        for project in self.projects:
            counts[project.due.tier]["projects"] += project.due.count

        def figures(counter: Counter[str], late: list[float]) -> dict[str, Any]:
            return {
                "on_time": counter["on_time"],
                "late": counter["late"],
                "superseded": counter["superseded"],
                "unplaced": counter["unplaced"],
                "projects": counter["projects"],
                "late_hours_mean": round(sum(late) / len(late), 1) if late else 0,
                "late_hours_max": round(max(late), 1) if late else 0,
            }

        total = sum(counts.values(), Counter[str]())
        return {
            "dues": self.dues,
            "tasks": len(self.tasks),
            "warnings": len(self.warnings),
            **figures(total, late_overall),
            "by_tier": {tier.value: figures(counts[tier], lateness[tier]) for tier in Tier},
        }

    def problems(self, tiers: frozenset[Tier] = frozenset({Tier.P1, Tier.P2})) -> int:
        """How many dues of ``tiers`` are late or unplaced (what ``--strict`` checks)."""
        late = sum(
            t.due.count for t in self.tasks if t.status is Status.LATE and t.due.tier in tiers
        )
        return late + sum(e.due.count for e in self.unplaced if e.due.tier in tiers)

    def dumps(self) -> bytes:
        """:meth:`to_json` as UTF-8 bytes: sorted keys, two-space indent, each task on
        a line of its own, final newline (docs/plan-json.md)."""
        return "".join(self.json_chunks()).encode("utf-8")

    def json_chunks(self) -> Iterator[str]:
        """:meth:`dumps`'s text in pieces (the document around the tasks, then each
        task), for writing a large plan without holding all of its text.

        The text is ``json.dumps(self.to_json(), indent=2, sort_keys=True,
        ensure_ascii=False)`` and a newline, except that each task is written on one
        line, ``json.dumps(task, sort_keys=True, ensure_ascii=False, separators=(",",
        ":"))`` (``tests/test_plan_json.py``): a plan holds tens of thousands of tasks,
        and indenting each of their fields made a third of the file. The tasks are
        written without building their dicts: what a task shares with the other
        tasks of its duty is encoded once.
        """
        # The top-level key is the only place a newline and two spaces precede
        # '"tasks"' (strings cannot hold a raw newline; deeper keys are indented more).
        head, tail = _json.dumps(self.to_json(tasks=False)).split(_TASKS, 1)
        yield head + '\n  "tasks": '
        if not self.tasks:
            yield "[]"
        else:
            text = _TaskText(self.costs)
            separator = "[\n    "
            for task in self.tasks:
                yield separator
                yield text(task)
                separator = ",\n    "
            yield "\n  ]"
        yield tail + "\n"

    def tasks_by_uid(self) -> Mapping[str, Task]:
        """Tasks keyed by uid (read-only; made once per plan, shared by its callers:
        each split feed looks up the tasks its "After:" lines name)."""
        return self._by_uid

    @functools.cached_property
    def _by_uid(self) -> Mapping[str, Task]:
        return types.MappingProxyType({task.uid: task for task in self.tasks})


#: The empty task list of ``Plan.to_json(tasks=False)`` as the document's text.
_TASKS = '\n  "tasks": []'


def _text(value: str | None) -> str:
    return "null" if value is None else encode_basestring(value)


def _strings(values: tuple[str, ...] | list[str]) -> str:
    """A list of strings as a task's value (compact)."""
    return "[" + ",".join(map(encode_basestring, values)) + "]"


class _TaskText:
    """One task's text in the plan JSON, as ``_json.dumps`` writes ``Task.to_json()``
    (and its ``cost``) inside the document. The keys are written in sorted order;
    the values a duty gives all its tasks (``activity``, ``asset``, ``downtime``,
    ``emergency``, ``mode``, ``policy``, ``priority``, ``ring``, ``source``,
    ``update_class``, ``vulnerabilities``) and each checklist are encoded once."""

    def __init__(self, costs: PlanCosts | None) -> None:
        self.costs = costs
        self.tables = _Tables()
        #: Per duty (kept with it: its id is not reused while cached), the text of
        #: each of :data:`_DUTY_KEYS`; equal texts are one string.
        self.duties: dict[int, tuple[Duty, tuple[str, ...]]] = {}
        self.texts: dict[str, str] = {}
        #: Each distinct string value a duty gives, as JSON text (:meth:`_word`).
        self.words: dict[str, str] = {}
        self.steps: dict[int, tuple[tuple[Step, ...], str]] = {}
        self.costs_text: dict[tuple[CostRange, str | None], str] = {}
        self.moments: dict[int, tuple[dt.datetime, str]] = {}
        #: By a fleet's member duties (kept with them): its assets' text, and its
        #: asset ids and activity when its dues' text can be joined from them.
        self.runs: dict[int, tuple[tuple[Duty, ...], str, tuple[str, ...] | None, str]] = {}

    def duty(self, task: Task) -> tuple[str, ...]:
        duty = task.due.duty
        found = self.duties.get(id(duty))
        if found is None:
            texts = self.texts
            if duty.emergency is None:
                shared = self._plain(task)
            else:
                item = duty_json(duty)
                item["source"] = self.tables.keys(task)[1]
                shared = tuple(
                    texts.setdefault(text, text)
                    for text in (_json.compact(item[key]) for key in _DUTY_KEYS)
                )
            found = self.duties[id(duty)] = (duty, shared)
        return found[1]

    def _plain(self, task: Task) -> tuple[str, ...]:
        """:data:`_DUTY_KEYS`' texts of a duty without an emergency, as
        ``_json.compact`` writes :func:`duty_json`'s values: a string as
        ``encode_basestring`` (what ``json.dumps`` uses with ``ensure_ascii=False``),
        each distinct one encoded once. The asset's id is the only value most
        duties do not share."""
        duty = task.due.duty
        asset = duty.asset
        word = self._word
        update_class = duty.rule.update_class
        return (
            word(duty.activity.name),
            "null" if asset is None else encode_basestring(asset.id),
            "true" if duty.downtime else "false",
            "false",
            word(duty.mode.value),
            "null",
            word(duty.tier.value),
            "null" if asset is None else word(asset.environment.value),
            word(self.tables.keys(task)[1]),
            "null" if update_class is None else word(update_class.value),
            "[]",
        )

    def fleet(self, task: Task) -> tuple[str, str] | None:
        """A fleet task's ``assets`` and ``dues`` texts, from its members' asset ids
        encoded once per member list (a fleet's list recurs every month), or None
        when they need the general way (members not from the planner, a task
        that supersedes others)."""
        members = task.due.members
        if not isinstance(members, Members) or task.superseded:
            return None
        found = self.runs.get(id(members.duties))
        if found is None:
            ids = members.assets()
            names = {duty.activity.name for duty in members.duties}
            # Asset ids are identifiers (``[a-z0-9][a-z0-9._-]*``): JSON escapes none.
            plain = len(ids) == len(members.duties) and len(names) == 1
            found = self.runs[id(members.duties)] = (
                members.duties,
                _strings(ids),
                ids if plain and ids else None,
                names.pop() if plain else "",
            )
        _, assets, plain_ids, activity = found
        if plain_ids is None:
            return assets, _strings(task.dues)
        # A member's due uid is its asset id and this suffix (Members.uids), which
        # needs no escaping: an activity's name is an identifier, the anchor digits.
        suffix = f".{activity}.{members.text}"
        return assets, '["' + (suffix + '","').join(plain_ids) + suffix + '"]'

    def _word(self, value: str) -> str:
        """``value`` as a JSON string, once per distinct value."""
        found = self.words.get(value)
        if found is None:
            found = self.words[value] = encode_basestring(value)
        return found

    def iso(self, moment: dt.datetime) -> str:
        """``moment.isoformat()``, once per datetime object: a due's times are shared
        by the dues of one anchor (kept with the text: an id is not reused while
        cached)."""
        found = self.moments.get(id(moment))
        if found is None:
            found = self.moments[id(moment)] = (moment, moment.isoformat())
        return found[1]

    def cost(self, uid: str) -> str:
        """``PlanCosts.task_json(uid)``'s text, once per distinct cost."""
        assert self.costs is not None
        key = (self.costs.tasks[uid], self.costs.covered.get(uid))
        found = self.costs_text.get(key)
        if found is None:
            found = self.costs_text[key] = _json.compact(self.costs.task_json(uid))
        return found

    def checklist(self, task: Task) -> str:
        """The key of the task's checklist, as JSON text."""
        steps = task.steps
        found = self.steps.get(id(steps))
        if found is None:
            found = self.steps[id(steps)] = (steps, _text(self.tables.keys(task)[0]))
        return found[1]

    def __call__(self, task: Task) -> str:
        (
            activity,
            asset,
            downtime,
            emergency,
            mode,
            policy,
            priority,
            ring,
            source,
            update_class,
            vulnerabilities,
        ) = self.duty(task)
        due = task.due
        known = self.fleet(task) if due.members else None
        assets, dues = known or (_strings(due.assets), _strings(task.dues))
        late_by = task.late_by
        reason = task.late_reason
        released = due.released
        parts = [
            '{"activity":',
            activity,
            ',"after":',
            _strings(task.after),
            ',"asset":',
            asset,
            ',"assets":',
            assets,
            ',"checklist":',
            self.checklist(task),
        ]
        if self.costs is not None:
            parts += [',"cost":', self.cost(task.uid)]
        parts += [
            ',"downtime":',
            downtime,
            ',"due":{"deadline":"',
            self.iso(due.deadline),
            '","earliest":"',
            self.iso(due.earliest),
            '","released":',
            "null" if released is None else f'"{self.iso(released)}"',
            '},"dues":',
            dues,
            ',"effort_minutes":',
            str(effort_minutes(task.effort)),
            ',"emergency":',
            emergency,
            ',"end":"',
            task.end.isoformat(),
            '","late_by":',
            _text(format_duration(late_by) if late_by else None),
            ',"late_detail":',
            _text(task.late_detail or None),
            ',"late_reason":',
            _text(reason.value if reason else None),
            ',"mode":',
            mode,
            ',"policy":',
            policy,
            ',"priority":',
            priority,
            ',"ring":',
            ring,
            ',"source":',
            source,
            ',"start":"',
            task.start.isoformat(),
            '","status":',
            _text(task.status.value),
            ',"uid":',
            _text(task.uid),
            ',"update_class":',
            update_class,
            ',"vulnerabilities":',
            vulnerabilities,
            ',"window":',
            _text(task.window),
            "}",
        ]
        return "".join(parts)


#: The keys of ``Task.to_json()`` whose values come from the duty alone.
_DUTY_KEYS = (
    "activity",
    "asset",
    "downtime",
    "emergency",
    "mode",
    "policy",
    "priority",
    "ring",
    "source",
    "update_class",
    "vulnerabilities",
)


class _Tables:
    """The plan JSON's shared tables: each distinct checklist and source once, under
    a key made from its content (``c-`` or ``s-`` and 12 hex digits of its SHA-256),
    so that the same checklist has the same key in every plan."""

    def __init__(self) -> None:
        self.checklists: dict[str, list[dict[str, str]]] = {}
        self.sources: dict[str, dict[str, str]] = {}
        #: By the identity of a task's steps and of its duty (kept with them: their
        #: ids are not reused while cached): the two keys.
        self._steps: dict[int, tuple[tuple[Step, ...], str]] = {}
        self._duties: dict[int, tuple[Duty, str]] = {}

    def keys(self, task: Task) -> tuple[str, str]:
        """The keys of ``task``'s checklist and source, entered in the tables."""
        steps = task.steps
        found = self._steps.get(id(steps))
        if found is None:
            value = [{"kind": step.kind.value, "text": step.text} for step in steps]
            key = _table_key("c", value)
            self.checklists.setdefault(key, value)
            found = self._steps[id(steps)] = (steps, key)
        duty = task.due.duty
        known = self._duties.get(id(duty))
        if known is None:
            source = source_json(duty)
            key = _table_key("s", source)
            self.sources.setdefault(key, source)
            known = self._duties[id(duty)] = (duty, key)
        return found[1], known[1]


def _table_key(prefix: str, value: object) -> str:
    text = _json.dumps(value)
    return f"{prefix}-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:12]}"
