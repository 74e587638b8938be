"""The CP-SAT planner: the greedy planner's dues, constraints and output, placed by
Google OR-Tools' CP-SAT solver against an explicit objective.

It needs the optional extra ``maintlib[optimize]`` (``ortools``); without it,
:func:`optimise` raises an :class:`~maintlib.model.errors.InputError` that says how to
install it. ``docs/scheduling.md`` ("The CP-SAT planner") documents the model.

**Model.** Each due either takes one *candidate* — an open segment of an eligible
slot (window occurrence or office day) from its earliest start up to its deadline
plus the look-ahead — or is folded into the same duty's next due (superseded), or
stays unplaced. One Boolean per candidate; the due's start, where a constraint needs
it, is one integer (minutes): the chosen candidate's earliest start. The
constraints are the greedy's (:mod:`~maintlib.planning.schedule.planner`), built from the
same modules, counted per occurrence (the exact minutes are the layout's):

* capacity of each slot (the sum of its tasks' efforts: technician time);
* each asset's work fits the occurrence; the downtime of hosts and guests (without
  live migration), servers and their applications, with the settle gaps between
  them, fits the occurrence pair by pair; a rolling redundancy group's members'
  downtime fits ``max_parallel`` lanes of it (one by default);
* ``separate`` groups: at most one member down per slot;
* rings (the last lower-ring task's start plus the soak before any higher-ring
  start), dependencies, ``follows`` and guests before hosts (a host waits only for
  guests that end by its deadline), each with one occurrence's length of slack.

**Objective** (weighted, one integer): per due, weighted by tier (P1 64, P2 16, P3
4, P4 1) and by the dues it covers, 100 × (24 + hours late) when late or
superseded, 100 × (48 + look-ahead hours) when unplaced; plus one per quarter hour
of work outside office hours; plus the busiest capacity-limited slot's load in
percent. So an hour of P4 lateness weighs as much as 25 hours of after-hours work.

**Decomposition.** Dues linked by a precedence (a release's rings, dependencies,
a host and its guests) form one component; components are grouped by the month of
their earliest start, and consecutive months form one model until it holds
:data:`MODEL_DUES` dues. The models are solved in time order, each seeing the
earlier ones' tasks as fixed and the later ones' dues as the greedy placed them
(reserved capacity and ``separate`` turns). A due may fold only into a next due of
the same model. The time limit is shared out: :data:`MIN_SHARE` per model, the rest
by the lateness the greedy left in each.

**Warm start and determinism.** The greedy plan is each model's solution hint,
completed (every auxiliary variable) by a propagation-only solve with the hinted
variables fixed; when that is feasible — with the reservations above, it is but
for rare corner cases — the hint is CP-SAT's first solution, and a model whose
search did not get past it takes it as its answer. The search uses a fixed seed,
:data:`WORKERS` workers with interleaved search, the full subsolvers
:data:`SUBSOLVERS` beside the large-neighbourhood ones, and a *deterministic* time
limit (``max_deterministic_time``), so the same input gives the same plan on any
machine whatever its load (OR-Tools, ``sat_parameters.proto``: ``interleave_search``
makes the parallel search deterministic; a wall-clock limit would not be).

**Layout.** The chosen occurrences are laid out with the greedy's own placement
(:meth:`_Optimiser.assemble`); a due left in the greedy's occurrence takes the
greedy's start there first, so the hint laid out is the greedy plan itself. A model
whose dues the layout makes later than the greedy had them takes the greedy's
decisions back. Where the whole plan still scores worse than the greedy's, the
greedy plan is kept, and the plan says so.
"""

from __future__ import annotations

import bisect
import datetime as dt
import importlib
import itertools
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from maintlib.model.errors import InputError, Problem
from maintlib.model.inventory import Asset, Inventory
from maintlib.model.plan import Plan, Reason, SolverRun, Task, Unplaced
from maintlib.model.vocabulary import AssetKind, Mode, Tier
from maintlib.model.work import Due, Horizon
from maintlib.planning.schedule.planner import _bound_text, _Planner
from maintlib.planning.schedule.slots import Slot, SlotBook, ts

if TYPE_CHECKING:
    from ortools.sat.python import cp_model

__all__ = [
    "INSTALL_HINT",
    "MODEL_DUES",
    "SEED",
    "WORKERS",
    "objective",
    "optimise",
    "require_ortools",
]


#: What to run when OR-Tools is missing.
INSTALL_HINT = "pip install 'maintlib[optimize]'"


#: Dues per model before the next month starts a new one.
MODEL_DUES = 300


#: CP-SAT's random seed and worker count (with interleaved search: deterministic).
SEED = 2027


WORKERS = 2


#: CP-SAT's full-problem subsolvers; its large-neighbourhood (LNS) subsolvers run
#: interleaved beside them. CP-SAT's default nine full subsolvers (several with
#: heavy linear relaxations) take all of a short limit and leave the LNS, which is
#: what improves on the greedy's hint, no turn (docs/scheduling.md).
SUBSOLVERS = ("default_lp", "no_lp")


#: Deterministic seconds every model gets at least (the rest goes by lateness).
MIN_SHARE = 0.2


#: Deterministic seconds over all models by default (``--time-limit``). CP-SAT's
#: deterministic second took 3 to 5 wall-clock seconds on the 2-core machine with
#: these models (docs/scheduling.md, "The 200-asset year").
DEFAULT_TIME_LIMIT = 8.0


#: Tier weights of the objective's first part.
TIER_WEIGHT = {Tier.P1: 64, Tier.P2: 16, Tier.P3: 4, Tier.P4: 1}


#: A late due costs this many hours of lateness on top of its own.
LATE_FLAT_HOURS = 24


#: Lateness against after-hours work: one weighted hour late = this many quarter hours.
LATENESS_SCALE = 100


#: Candidate slots per due: on time, and after the deadline.
ON_TIME_SLOTS = 48


LATE_SLOTS = 6


#: Deterministic seconds to complete the greedy's hint (it only propagates).
HINT_TIME_LIMIT = 1.0


HOUR = 3600


QUARTER = 900


def require_ortools() -> Any:
    """The ``cp_model`` module, or an InputError that says how to install it."""
    try:
        return importlib.import_module("ortools.sat.python.cp_model")
    except ImportError as error:
        raise InputError(
            [
                Problem(
                    "<arguments>",
                    "solver",
                    f'"cp-sat" needs Google OR-Tools, which is not installed ({error});'
                    f" install the optional extra: {INSTALL_HINT}",
                )
            ]
        ) from None


def _gaps_too(_: int) -> bool:
    """Look past no task, like :func:`~maintlib.planning.schedule.timeline.never`, but let a
    technician's free time between two tasks count (``never`` queues work after a
    technician's last task): the greedy's own start may lie in such a gap."""
    return False


@attrs.frozen
class _Candidate:
    slot: Slot
    low: int
    high: int


class _Spans:
    """Seconds of ``[start, end)`` outside one set of office days."""

    def __init__(self, office: Sequence[Slot]) -> None:
        self.starts = [slot.start for slot in office]
        self.ends = [slot.end for slot in office]

    def outside(self, start: int, end: int) -> int:
        inside = 0
        index = max(bisect.bisect_right(self.starts, start) - 1, 0)
        while index < len(self.starts) and self.starts[index] < end:
            inside += max(0, min(end, self.ends[index]) - max(start, self.starts[index]))
            index += 1
        return end - start - inside


class _Hours:
    """Seconds of ``[start, end)`` outside the office hours of the people who do an
    asset's work: its team's own hours (``[planning.team_hours]``) where it has a
    team, else the organisation's, on business days."""

    def __init__(self, book: SlotBook) -> None:
        self.book = book
        self._spans: dict[str | None, _Spans] = {}

    def outside(self, start: int, end: int, asset: Asset | None = None) -> int:
        team = self.book.team(asset)
        spans = self._spans.get(team)
        if spans is None:
            spans = self._spans[team] = _Spans(self.book.eligible(None, team)[0])
        return spans.outside(start, end)


def _occurrence(slot: Slot) -> tuple[str | None, int]:
    """The window occurrence (or office day) of ``slot``, whichever technicians' it is:
    the time the assets share."""
    return slot.window, slot.start


def _minutes(seconds: int) -> int:
    """Seconds as whole minutes, rounded up."""
    return -(-seconds // 60)


def _weight(due: Due) -> int:
    return TIER_WEIGHT[due.duty.tier] * due.count


def objective(plan: Plan, lookahead_days: int, office: _Hours | None = None) -> tuple[int, int]:
    """A plan's objective, as the model counts it: ``(lateness part, after-hours
    quarter hours)``; lower is better. ``office`` None leaves the second part 0."""
    lateness = 0
    for task in plan.tasks:
        for due in (task.due, *task.superseded):
            late = ts(task.start) - ts(due.deadline)
            if late > 0 or due is not task.due:
                hours = max(0, -(-late // HOUR))
                lateness += _weight(due) * (LATE_FLAT_HOURS + hours)
    for entry in plan.unplaced:
        lateness += _weight(entry.due) * (2 * LATE_FLAT_HOURS + lookahead_days * 24)
    after = 0
    if office is not None:
        after = sum(
            -(-office.outside(ts(t.start), ts(t.end), t.duty.asset) // QUARTER) for t in plan.tasks
        )
    return lateness * LATENESS_SCALE, after


class _Starts:
    """Each due's start in the model (minutes; 0 when not placed): one integer
    variable, made the first time a constraint needs it, equal to the chosen
    candidate's earliest start. A precedence then has two or three terms instead
    of a copy of the whole sum over the candidates, which keeps presolve and each
    large-neighbourhood step quick."""

    def __init__(self, model: cp_model.CpModel) -> None:
        self.model = model
        self.terms: dict[int, list[tuple[Any, int]]] = {}
        self.made: dict[int, Any] = {}

    def define(self, index: int, terms: list[tuple[Any, int]]) -> None:
        self.terms[index] = terms

    def __getitem__(self, index: int) -> Any:
        variable = self.made.get(index)
        if variable is None:
            terms = self.terms[index]
            variable = self.model.new_int_var(0, max((m for _, m in terms), default=0), "")
            self.model.add(variable == sum(x * minutes for x, minutes in terms))
            self.made[index] = variable
        return variable


class _Decision:
    """What one model decided for one due."""

    __slots__ = ("fold", "slot", "start")

    def __init__(self, slot: Slot | None, start: int, fold: bool) -> None:
        self.slot, self.start, self.fold = slot, start, fold


class _Optimiser:
    def __init__(
        self,
        dues: Sequence[Due],
        inventory: Inventory,
        horizon: Horizon,
        kinds: Mapping[str, AssetKind] | None,
        time_limit: float,
    ) -> None:
        self.cp = require_ortools()
        self.dues = dues
        self.inventory = inventory
        self.time_limit = time_limit
        self.greedy = _Planner(dues, inventory, horizon, kinds)
        self.greedy_result = self.greedy.run()
        #: The planner whose slots and timelines the final tasks are committed to.
        self.final = _Planner(dues, inventory, horizon, kinds)
        self.slots = {
            slot.key: slot
            for slot in itertools.chain(
                self.final.book.office_slots(), self.final.book.window_slots()
            )
        }
        # Work outside the office hours of whoever does it: each team's own hours.
        self.hours = _Hours(self.final.book)
        #: The longest slot, in minutes: the slack of the model's precedences.
        self._slack = _minutes(max((s.end - s.start for s in self.slots.values()), default=0))
        self.decided: dict[int, _Decision] = {}
        #: The greedy's decisions as the models saw them (where the hint was feasible).
        self.hinted: dict[int, _Decision] = {}
        #: The dues of each model whose greedy hint was feasible, in order.
        self.solved: list[list[int]] = []
        self._planner = (dues, inventory, horizon, kinds)
        self.statuses: list[str] = []
        #: Per model: whether the greedy's hint was complete and feasible in it.
        self.hints_complete: list[bool] = []
        #: Models whose exact layout was later than the greedy's: their hint kept.
        self.reverted = 0
        self.objective_value = 0
        self.bound = 0

    # -- decomposition ---------------------------------------------------------

    def _trivial(self, index: int) -> bool:
        """Dues the greedy leaves unplaced before any search (no window; deadline
        before the earliest start): the same here."""
        final = self.final
        profile = final._profile(self.dues[index].duty)
        no_window = self.dues[index].duty.mode is Mode.WINDOW and not profile.slots
        return no_window or final.deadline[index] < final.earliest[index]

    def models(self) -> list[list[int]]:
        """The dues of each model, in solving order."""
        count = len(self.dues)
        successors = self.final.precedence.successors
        nodes = max([count, *successors, *(t for after in successors.values() for t in after)])
        parent = list(range(nodes + 1))

        def find(node: int) -> int:
            while parent[node] != node:
                parent[node] = parent[parent[node]]
                node = parent[node]
            return node

        for node, targets in successors.items():
            for target in targets:
                parent[find(target)] = find(node)
        zone = self.inventory.organisation.timezone
        month: dict[int, int] = {}
        members: dict[int, list[int]] = defaultdict(list)
        for index in range(count):
            if self._trivial(index):
                continue
            members[find(index)].append(index)
        for root, indexes in members.items():
            first = min(self.dues[i].earliest for i in indexes).astimezone(zone)
            month[root] = first.year * 12 + first.month
        by_month: dict[int, list[int]] = defaultdict(list)
        for root, indexes in members.items():
            by_month[month[root]].extend(indexes)
        models: list[list[int]] = []
        for key in sorted(by_month):
            indexes = sorted(by_month[key])
            if models and len(models[-1]) + len(indexes) <= MODEL_DUES:
                models[-1].extend(indexes)
            else:
                models.append(indexes)
        return [sorted(model) for model in models]

    # -- one model -----------------------------------------------------------------

    def _candidates(self, index: int, lower: int) -> list[_Candidate]:
        final = self.final
        due = self.dues[index]
        profile = final._profile(due.duty)
        deadline = final.deadline[index]
        limit = deadline + final.lookahead
        length = profile.length
        found: list[_Candidate] = []
        on_time = late = 0
        hinted = self.greedy.where.get(index)
        hint_key = hinted.key if hinted is not None else None
        for position in range(bisect.bisect_right(profile.reach, lower), len(profile.slots)):
            slot = profile.slots[position]
            if slot.start > limit:
                break
            is_hint = slot.key == hint_key
            if slot.start > deadline:
                if late >= LATE_SLOTS and not is_hint:
                    continue
            elif on_time >= ON_TIME_SLOTS and not is_hint:
                continue
            if (
                slot.capacity is not None
                and slot.capacity - self._fixed_used(slot) < profile.effort
            ):
                continue
            if profile.separate is not None and self._separate_taken(slot, profile.separate, index):
                continue
            added = False
            for low, high in slot.open_segments(profile.downtime):
                start, stop = max(low, lower), min(high - length, limit)
                if start <= stop:
                    found.append(_Candidate(slot, start, stop))
                    added = True
            if added:
                if found[-1].low <= deadline:
                    on_time += 1
                else:
                    late += 1
        return found

    def _fixed_used(self, slot: Slot) -> int:
        return self._used.get(slot.key, 0)

    def _separate_taken(self, slot: Slot, group: str, index: int) -> bool:
        asset = self.final._profile(self.dues[index].duty).asset
        return any(other != asset for other in self._separate.get((_occurrence(slot), group), ()))

    def _take(self, index: int, slot: Slot, count: int) -> None:
        """Count due ``index``'s task in ``slot`` (``count`` 1) or take it out (-1):
        the capacity it uses, and its asset as a ``separate`` member there."""
        profile = self.final._profile(self.dues[index].duty)
        self._used[slot.key] = self._used.get(slot.key, 0) + count * profile.effort
        if profile.asset is not None and profile.downtime and profile.separate is not None:
            members = self._separate.setdefault((_occurrence(slot), profile.separate), {})
            members[profile.asset] = members.get(profile.asset, 0) + count
            if not members[profile.asset]:
                del members[profile.asset]

    def run(self, progress: Callable[[int, int], None] | None = None) -> None:
        """Solve the models in time order. A model sees the earlier models' tasks as
        fixed and the later models' dues *where the greedy put them* as reserved,
        so that it cannot take the capacity (or the ``separate`` turn) the greedy
        gave later work: each later model's hint stays feasible, and no model can
        make later months worse than the greedy made them."""
        self._used: dict[tuple[str | None, int], int] = {}
        self._separate: dict[tuple[tuple[str | None, int], str], dict[str, int]] = {}
        models = self.models()
        where = self.greedy.where
        for index in itertools.chain.from_iterable(models):
            if index in where:
                self._take(index, where[index], 1)
        shares = self._shares(models)
        self._later = set(itertools.chain.from_iterable(models))
        if progress is not None:
            progress(0, len(models))
        for done, (model, share) in enumerate(zip(models, shares, strict=True), start=1):
            self._later.difference_update(model)
            for index in model:
                if index in where:
                    self._take(index, where[index], -1)
            self._solve(model, share)
            for index in model:
                decision = self.decided.get(index)
                if decision is not None and decision.slot is not None:
                    self._take(index, decision.slot, 1)
            if progress is not None:
                progress(done, len(models))

    def _fold_beyond(self, index: int, following: int | None) -> int | None:
        """The objective's cost of folding due ``index`` into ``following`` when a
        later model decides that due: by the greedy's start of it (the model sees
        it reserved there); None when the greedy did not place it, or an earlier
        model decided it (folding is then not offered)."""
        if following is None or following not in self._later:
            return None
        task = self.greedy.placed.get(following)
        if task is None:
            return None
        late = ts(task.start) - self.final.deadline[index]
        hours = max(0, -(-late // HOUR))
        return _weight(self.dues[index]) * LATENESS_SCALE * (LATE_FLAT_HOURS + hours)

    def _shares(self, models: Sequence[Sequence[int]]) -> list[float]:
        """Each model's part of the time limit: :data:`MIN_SHARE` each, and the
        rest by the lateness the greedy left in it (the objective's first part, all
        that is worth a search: a model without lateness can gain a few quarter
        hours of after-hours work at most); by the dues when there is none."""
        if not models:
            return []
        base = min(MIN_SHARE, self.time_limit / len(models))
        rest = self.time_limit - base * len(models)
        greedy = self._lateness(self.greedy)
        late = [sum(greedy.get(i, 0) for i in model) for model in models]
        total = sum(late)
        if not total:
            late = [len(model) for model in models]
            total = sum(late) or 1
        return [base + rest * part / total for part in late]

    def _solve(self, indexes: list[int], limit: float) -> None:
        cp = self.cp
        final = self.final
        model = cp.CpModel()
        inside = set(indexes)
        lookahead = final.lookahead
        present: dict[int, Any] = {}
        start = _Starts(model)
        fold: dict[int, Any] = {}
        choices: dict[int, list[tuple[_Candidate, Any]]] = {}
        terms: list[Any] = []
        hints: list[tuple[Any, int]] = []
        lengths = {i: final._profile(self.dues[i].duty).length for i in indexes}
        #: The model counts minutes from the first earliest start (small numbers
        #: keep its linear relaxation sound).
        base = min(final.earliest[i] for i in indexes)
        self._base = base
        for index in indexes:
            due = self.dues[index]
            profile = final._profile(due.duty)
            deadline = final.deadline[index]
            lower = self._fixed_bound(index, inside, lengths)
            weight = _weight(due) * LATENESS_SCALE
            cands = self._candidates(index, lower) if lower <= deadline + lookahead else []
            hinted_at = self._hinted(index, cands)
            options = []
            for position, candidate in enumerate(cands):
                x = model.new_bool_var("")
                options.append((candidate, x))
                late = max(0, candidate.low - deadline)
                cost = weight * (LATE_FLAT_HOURS + -(-late // HOUR)) if late else 0
                cost += -(
                    -self.hours.outside(
                        candidate.low, candidate.low + profile.length, due.duty.asset
                    )
                    // QUARTER
                )
                if cost:
                    terms.append(x * cost)
                hints.append((x, int(position == hinted_at)))
            choices[index] = options
            p = model.new_bool_var(f"p{index}")
            present[index] = p
            model.add(sum(x for _, x in options) == p)
            #: The start, as the model sees it: the candidate's earliest start.
            start.define(index, [(x, _minutes(c.low - base)) for c, x in options])
            f = model.new_bool_var(f"f{index}")
            fold[index] = f
            following = final.next_due.get(index)
            # Folded into a due of a later model: that due stands where the greedy
            # put it (reserved), so the fold's lateness is a constant.
            beyond = None if following in inside else self._fold_beyond(index, following)
            if following is None or (following not in inside and beyond is None):
                model.add(f == 0)
            elif beyond is not None:
                terms.append(f * beyond)
            unplaced = model.new_bool_var(f"u{index}")
            model.add(p + f + unplaced == 1)
            hinted_place = hinted_at is not None
            hinted_fold = index in self.greedy.folded and (
                following in inside or beyond is not None
            )
            hints.append((p, int(hinted_place)))
            hints.append((f, int(hinted_fold)))
            hints.append((unplaced, int(not hinted_place and not hinted_fold)))
            terms.append(unplaced * (weight * (2 * LATE_FLAT_HOURS + lookahead // HOUR)))
        # Folding: the next due is placed or folded itself; lateness through it.
        late_hours: dict[int, Any] = {}
        for index in indexes:
            following = final.next_due.get(index)
            if following is None or following not in inside:
                continue
            weight = _weight(self.dues[index]) * LATENESS_SCALE
            hours = model.new_int_var(0, lookahead // HOUR + 24 * 800, "")
            late_hours[index] = hours
            terms.append(fold[index] * (weight * LATE_FLAT_HOURS) + hours * weight)
        for index, hours in late_hours.items():
            following = final.next_due[index]
            f = fold[index]
            model.add_bool_or([present[following], fold[following]]).only_enforce_if(f)
            deadline = _minutes(final.deadline[index] - base)
            model.add(hours * 60 >= start[following] - deadline).only_enforce_if(
                f, present[following]
            )
            if following in late_hours:
                gap = _minutes(final.deadline[following] - final.deadline[index])
                model.add(hours * 60 >= late_hours[following] * 60 + gap).only_enforce_if(
                    f, fold[following]
                )
        self._resources(model, indexes, choices, lengths, terms)
        minutes = {i: _minutes(length) for i, length in lengths.items()}
        self._precedences(model, indexes, present, start, minutes)
        model.minimize(sum(terms))
        for variable, value in hints:
            model.add_hint(variable, value)
        hint = self._complete_hint(model)
        self.hints_complete.append(hint is not None)
        solver = cp.CpSolver()
        self._parameters(solver.parameters, limit, hint is not None)
        status = solver.solve(model)
        found = status in (cp.OPTIMAL, cp.FEASIBLE)
        if not found and hint is None:
            # No solution within the limit: the final pass places these dues.
            self.statuses.append("unknown")
            return
        if hint is not None and (not found or solver.objective_value > hint.objective_value):
            # The search did not get past the greedy's hint in its time (CP-SAT
            # keeps a hint it cannot improve; a limit hit before the search began
            # leaves it without a solution): the hint is this model's answer.
            self.statuses.append("feasible")
            best = hint
        else:
            self.statuses.append("optimal" if status == cp.OPTIMAL else "feasible")
            best = solver
        self.objective_value += int(best.objective_value)
        # Every term of the objective is at least 0: so is a bound.
        self.bound += max(0, int(solver.best_objective_bound)) if found else 0
        if hint is not None:
            self.solved.append(indexes)

        def read(solver: Any, into: dict[int, _Decision]) -> None:
            for index in indexes:
                if solver.boolean_value(present[index]):
                    chosen = next(c for c, x in choices[index] if solver.boolean_value(x))
                    into[index] = _Decision(chosen.slot, chosen.low, False)
                elif solver.boolean_value(fold[index]):
                    into[index] = _Decision(None, 0, True)

        read(best, self.decided)
        if hint is not None:
            read(hint, self.hinted)

    def _parameters(self, parameters: Any, limit: float, complete: bool) -> None:
        """The search's parameters (deterministic: module docstring)."""
        parameters.random_seed = SEED
        parameters.num_workers = WORKERS
        parameters.interleave_search = WORKERS > 1
        parameters.max_deterministic_time = limit
        for name in SUBSOLVERS:
            parameters.subsolvers.append(name)
        parameters.num_full_subsolvers = len(SUBSOLVERS)
        # A hint the model cannot take as it is (an earlier model placed other
        # work than the greedy did): CP-SAT repairs it before its own search.
        parameters.repair_hint = not complete

    def _hinted(self, index: int, candidates: Sequence[_Candidate]) -> int | None:
        """The candidate the greedy's task lies in: in its slot, the open segment
        that holds its start (else the slot's first); None when the greedy did not
        place the due or the slot is not a candidate."""
        slot = self.greedy.where.get(index)
        if slot is None:
            return None
        begins = ts(self.greedy.placed[index].start)
        first = None
        for position, candidate in enumerate(candidates):
            if candidate.slot.key != slot.key:
                continue
            if candidate.low <= begins <= candidate.high:
                return position
            if first is None:
                first = position
        return first

    def _complete_hint(self, model: cp_model.CpModel) -> Any:
        """Complete the greedy's hint (its candidates, folds and unplaced dues) with
        the auxiliary variables' values (fold lateness, peak load, barriers), found
        by CP-SAT with the hinted variables fixed. Returns that solver (the hint as
        a solution of the model), or None when the hint is infeasible in it.

        A hint that leaves variables out or breaks a constraint is only a
        suggestion: CP-SAT then searches from scratch and may never reach the
        greedy's objective. A complete, feasible hint is its first solution."""
        cp = self.cp
        solver = cp.CpSolver()
        parameters = solver.parameters
        parameters.random_seed = SEED
        parameters.num_workers = 1
        parameters.fix_variables_to_their_hinted_value = True
        parameters.max_deterministic_time = HINT_TIME_LIMIT
        if solver.solve(model) not in (cp.OPTIMAL, cp.FEASIBLE):
            return None
        values = solver.response_proto.solution
        model.proto.clear_solution_hint()
        for number, value in enumerate(values):
            model.add_hint(model.get_int_var_from_proto_index(number), value)
        return solver

    def _fixed_bound(self, index: int, inside: set[int], lengths: Mapping[int, int]) -> int:
        """The earliest start, raised by predecessors an earlier model placed."""
        final = self.final
        lower = final.earliest[index]
        soft = final.precedence.guests_first.get(index, ())
        for before in final.precedence.depends.get(index, ()):
            decision = self.decided.get(before)
            if before in inside or decision is None or decision.slot is None:
                continue
            end = decision.start + final._profile(self.dues[before].duty).length
            if before in soft and end > final.deadline[index]:
                continue
            lower = max(lower, end)
        return lower

    def _resources(
        self,
        model: cp_model.CpModel,
        indexes: list[int],
        choices: dict[int, list[tuple[_Candidate, Any]]],
        lengths: dict[int, int],
        terms: list[Any],
    ) -> None:
        """Per slot: capacity, each asset's work, settle gaps, separate groups."""
        final = self.final
        per_slot: dict[tuple[str | None, int], list[tuple[int, _Candidate, Any]]] = defaultdict(
            list
        )
        # Per occurrence: a window occurrence's shared slot and its teams' slots
        # (each with its own technicians) are one time on the assets.
        for index in indexes:
            for candidate, x in choices[index]:
                per_slot[_occurrence(candidate.slot)].append((index, candidate, x))
        peak = model.new_int_var(0, 100, "peak")
        for key in sorted(per_slot, key=lambda k: (k[1], k[0] or "")):
            items = per_slot[key]
            by_slot: dict[tuple[str | None, int], list[Any]] = defaultdict(list)
            for index, candidate, x in items:
                by_slot[candidate.slot.key].append((index, x))
            span = 0
            for slot_key in sorted(by_slot, key=lambda k: k[0] or ""):
                slot = self.slots[slot_key]
                span = slot.end - slot.start
                if slot.capacity is not None:
                    load = sum(
                        x * final._profile(self.dues[i].duty).effort for i, x in by_slot[slot_key]
                    ) + self._fixed_used(slot)
                    model.add(load <= slot.capacity)
                    model.add(load * 100 <= peak * slot.capacity)
            assets: dict[str, list[tuple[int, Any]]] = defaultdict(list)
            groups: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
            for index, _, x in items:
                profile = final._profile(self.dues[index].duty)
                if profile.asset is not None:
                    assets[profile.asset].append((index, x))
                    if profile.separate is not None:
                        groups[profile.separate][profile.asset].append(x)
            for work in assets.values():
                if len(work) > 1:
                    model.add(sum(x * lengths[i] for i, x in work) <= span)
            # Host and guests, server and applications: one after the other, pair by
            # pair. A rolling group's members are counted as a whole: their downtime
            # fits ``max_parallel`` lanes of the occurrence (one by default), each
            # after the settle gap — the pairs alone let three members into a night
            # where two fit. The layout places them exactly; a model it cannot lay
            # out takes the greedy's decisions back.
            pairs: set[tuple[str, str, int]] = set()
            rolling: set[str] = set()
            for asset, work in assets.items():
                profile = final._profile(self.dues[work[0][0]].duty)
                group = profile.rolling
                partners = final.inventory.group_members(group) if group else ()
                if group:
                    rolling.add(group)
                for other, gap, *_ in profile.exclusions:
                    if other in assets and other not in partners:
                        pairs.add((min(asset, other), max(asset, other), gap))
            for first, second, gap in sorted(pairs):
                self._serial(model, [assets[first], assets[second]], lengths, gap, span)
            for group in sorted(rolling):
                down = [assets[m] for m in final.inventory.group_members(group) if m in assets]
                lanes = final.inventory.redundancy_group(group).max_parallel
                settle = final.redundancy.settle(group)
                self._serial(model, down, lengths, settle, span, lanes)
            for members in groups.values():
                if len(members) < 2:
                    continue
                chosen = []
                for asset in sorted(members):
                    y = model.new_bool_var("")
                    for x in members[asset]:
                        model.add_implication(x, y)
                    chosen.append(y)
                model.add_at_most_one(chosen)
        terms.append(peak)

    def _serial(
        self,
        model: cp_model.CpModel,
        work: list[list[tuple[int, Any]]],
        lengths: dict[int, int],
        gap: int,
        span: int,
        lanes: int = 1,
    ) -> None:
        """The downtime among ``work`` (per asset, its candidates in one occurrence)
        fits ``lanes`` side by side in the occurrence, each after a settle gap."""
        final = self.final
        down = [
            (i, x) for items in work for i, x in items if final._profile(self.dues[i].duty).downtime
        ]
        if len(down) > lanes:
            model.add(sum(x * (lengths[i] + gap) for i, x in down) <= lanes * (span + gap))

    def _precedences(
        self,
        model: cp_model.CpModel,
        indexes: list[int],
        present: dict[int, Any],
        start: _Starts,
        lengths: dict[int, int],
    ) -> None:
        """Dependencies, guests before hosts, rings with their soak, on the
        candidates' starts (the final pass places each task exactly)."""
        final = self.final
        precedence = final.precedence
        inside = set(indexes)
        # Starts are the candidates' earliest: order within one occurrence is the
        # final pass's, so the model allows an occurrence's length of slack.
        slack = self._slack
        for index in indexes:
            soft = precedence.guests_first.get(index, ())
            deadline = _minutes(final.deadline[index] - self._base)
            for before in precedence.depends.get(index, ()):
                if before not in inside:
                    continue
                both = [present[before], present[index]]
                if before in soft:
                    # The host waits for a guest that ends by the host's deadline.
                    waits = model.new_bool_var("")
                    model.add(start[index] + slack >= start[before]).only_enforce_if(*both, waits)
                    model.add(
                        start[before] + lengths[before] + slack >= deadline + 1
                    ).only_enforce_if(*both, waits.Not())
                else:
                    model.add(start[index] + slack >= start[before]).only_enforce_if(*both)
        soak = _minutes(precedence.soak)
        for levels in precedence.groups:
            below: list[int] = []
            for level in sorted(levels):
                members = [i for i in levels[level] if i in inside]
                lower = [i for i in below if i in inside]
                fixed_ends = [
                    _minutes(
                        self.decided[i].start
                        + final._profile(self.dues[i].duty).length
                        - self._base
                    )
                    for i in below
                    if i not in inside and i in self.decided and self.decided[i].slot is not None
                ]
                if (lower or fixed_ends) and members:
                    barrier = model.new_int_var(-(2**40), 2**40, "")
                    for i in lower:
                        model.add(barrier >= start[i]).only_enforce_if(present[i])
                    for end in fixed_ends:
                        model.add(barrier >= end - slack)
                    for i in members:
                        model.add(start[i] + slack >= barrier + soak).only_enforce_if(present[i])
                below = below + levels[level]

    # -- the plan ------------------------------------------------------------------

    def assemble(self) -> tuple[list[Task], list[Unplaced]]:
        """The plan: the models' decisions laid out exactly (:meth:`_lay_out`).
        Where that makes a model's dues later than the greedy had them (the model
        counts occurrences, not minutes: a long occurrence may end up starting a
        task after its deadline where the model saw its start before), that model
        takes the greedy's decisions instead and the plan is laid out again."""
        result = self._lay_out()
        exact = self._lateness(self.final)
        greedy = self._lateness(self.greedy)
        worse = [
            model
            for model in self.solved
            if sum(exact.get(i, 0) for i in model) > sum(greedy.get(i, 0) for i in model)
        ]
        if not worse:
            return result
        for model in worse:
            for index in model:
                self.decided.pop(index, None)
                if index in self.hinted:
                    self.decided[index] = self.hinted[index]
        self.reverted = len(worse)
        self.final = _Planner(*self._planner)
        return self._lay_out()

    def _lateness(self, planner: _Planner) -> dict[int, int]:
        """Each due's part of the plan's lateness (:func:`objective`'s first part,
        ÷ :data:`LATENESS_SCALE`) as ``planner`` placed it."""
        dues = self.dues
        cost: dict[int, int] = {}
        for index, task in planner.placed.items():
            start = ts(task.start)
            for i in (index, *planner.covered.get(index, ())):
                late = start - planner.deadline[i]
                if late > 0 or i != index:
                    cost[i] = _weight(dues[i]) * (LATE_FLAT_HOURS + max(0, -(-late // HOUR)))
        for i in planner.unplaced:
            cost[i] = _weight(dues[i]) * (2 * LATE_FLAT_HOURS + planner.lookahead // HOUR)
        return cost

    def _lay_out(self) -> tuple[list[Task], list[Unplaced]]:
        """Lay the chosen occurrences out exactly with the greedy's placement: in
        precedence order, by chosen occurrence then priority, each due takes its
        earliest feasible start in its chosen occurrence; where none is left (the
        model counts occurrences, not minutes), or the model left it unplaced, the
        greedy's own placement decides (late, superseded or unplaced, with why)."""
        final = self.final
        dues = self.dues
        for index in sorted(i for i, d in self.decided.items() if d.fold):
            cover = final.next_due[index]
            while cover in self.decided and self.decided[cover].fold:
                cover = final.next_due[cover]
            final.covered.setdefault(cover, []).append(index)
            final.folded.add(index)
        for members in final.covered.values():
            members.sort(key=lambda i: dues[i].anchor)
        for index in range(len(dues)):
            if self._trivial(index):
                # Unplaced before the rest, so that nothing is folded into them.
                final.unplaced[index] = self.greedy.unplaced[index]
        # Nothing is skipped in the order (its successors would wait for ever);
        # done, folded and trivial dues are passed over in the loop.
        skip = [False] * len(dues)
        far = 2**62

        def key(index: int) -> tuple[object, ...]:
            decision = self.decided.get(index)
            if decision is None or decision.slot is None:
                return (far, 1, *final._key(index))
            # In one occurrence, the tasks the model left where the greedy had
            # them first (at the greedy's start), then the ones it moved there.
            moved = self._greedy_start(index, decision.slot) is None
            return (decision.slot.start, int(moved), *final._key(index))

        late: dict[int, tuple[int, Reason | None]] = {}
        for index in final.precedence.order(skip, key):
            if index in final.placed or index in final.unplaced or index in final.folded:
                continue
            decision = self.decided.get(index)
            if decision is None or decision.slot is None:
                final.place(index)
                continue
            profile = final._profile(dues[index].duty)
            untested = dict(final.precedence.untested)
            lower, cause, after, text = final.precedence.bounds(
                index, final.earliest[index], final.deadline[index], final.placed
            )
            # By key: after a revert, the slots are a new planner's.
            wanted = decision.slot.key
            position = next(p for p, slot in enumerate(profile.slots) if slot.key == wanted)
            found = None
            if lower <= final.deadline[index] + final.lookahead:
                # Where the model kept the greedy's occurrence, the greedy's own start
                # first: the hint laid out again is the greedy plan itself.
                exact = self._greedy_start(index, decision.slot)
                if exact is not None and exact >= lower:
                    found, _ = final._search(index, exact, exact, ignore=_gaps_too, only={position})
                if found is None:
                    found, _ = final._search(index, lower, None, only={position})
            if found is None:
                final.precedence.untested = untested
                final.place(index)
                continue
            final._commit(index, found, final._steps(dues[index].duty, text), after, None)
            if found[1] > final.deadline[index]:
                late[index] = (lower, cause)
        for index, (lower, cause) in sorted(late.items()):
            reason, detail = self._late_reason(index, lower, cause)
            final.placed[index] = attrs.evolve(
                final.placed[index], late_reason=reason, late_detail=detail
            )
        return final.result()

    def _greedy_start(self, index: int, slot: Slot) -> int | None:
        """The greedy's start of due ``index`` when it placed it in ``slot``."""
        where = self.greedy.where.get(index)
        if where is None or where.key != slot.key:
            return None
        return ts(self.greedy.placed[index].start)

    def _late_reason(self, index: int, lower: int, cause: Reason | None) -> tuple[Reason, str]:
        """Why a task the model put after its deadline is late, as the greedy says it."""
        final = self.final
        due = self.dues[index]
        deadline = final.deadline[index]
        zone = final.zone
        if lower > deadline:
            assert cause is not None
            return cause, _bound_text(cause, lower, due, zone)
        found, reasons = final._search(index, lower, deadline, ignore=lambda d: d == index)
        why = final._explain(reasons)
        if why[0] is Reason.NO_SLOT_BEFORE_DEADLINE and cause is not None:
            return cause, _bound_text(cause, lower, due, zone, inside=True)
        if found is not None:
            return why[0], (
                f"{why[1]}; an on-time start is free with the other tasks where they are,"
                " but the optimiser kept it late (for the order of the work that waits for"
                " it, or it stopped at its time limit)"
            )
        return why


def optimise(
    dues: Sequence[Due],
    inventory: Inventory,
    horizon: Horizon,
    *,
    reference_time: dt.datetime,
    digest: str = "",
    packs: Sequence[str] = (),
    kinds: Mapping[str, AssetKind] | None = None,
    time_limit: float | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Plan:
    """Place every due with CP-SAT: the same plan as
    :func:`~maintlib.planning.schedule.planner.schedule` makes, arranged against the
    objective (module docstring).

    Args:
        time_limit: CP-SAT's deterministic time over all models, in its
            deterministic seconds (wall-clock time differs: docs/scheduling.md);
            None: :data:`DEFAULT_TIME_LIMIT`.
        progress: Called with ``(models solved, models)`` before the first model
            and after each (the command line shows it on a terminal); it changes
            nothing in the plan.

    Raises:
        InputError: OR-Tools is not installed (the message says how to install it).
    """
    if reference_time.tzinfo is None:
        raise ValueError("reference_time must be an aware datetime")
    limit = DEFAULT_TIME_LIMIT if time_limit is None else time_limit
    optimiser = _Optimiser(dues, inventory, horizon, kinds, limit)
    optimiser.run(progress)
    tasks, unplaced = optimiser.assemble()
    greedy_tasks, greedy_unplaced = optimiser.greedy_result

    def make(tasks: Sequence[Task], unplaced: Sequence[Unplaced], run: SolverRun) -> Plan:
        warnings = optimiser.greedy.warnings if run.kept_greedy else optimiser.final.warnings
        return Plan(
            organisation=inventory.organisation,
            horizon=horizon,
            reference_time=reference_time,
            tasks=tuple(tasks),
            unplaced=tuple(unplaced),
            warnings=tuple(dict.fromkeys(warnings)),
            dues=sum(due.count for due in dues),
            digest=digest,
            packs=tuple(packs),
            solver=run,
        )

    statuses = optimiser.statuses
    proven = bool(statuses) and all(s == "optimal" for s in statuses)
    run = SolverRun(
        name="cp-sat",
        status="optimal" if proven else "feasible" if statuses else "trivial",
        models=len(statuses),
        objective=optimiser.objective_value,
        bound=optimiser.bound,
        time_limit=limit,
        workers=WORKERS,
        seed=SEED,
    )
    days = inventory.planning.lookahead_days
    optimised = make(tasks, unplaced, run)
    greedy = make(greedy_tasks, greedy_unplaced, attrs.evolve(run, kept_greedy=True))
    if objective(greedy, days, optimiser.hours) < objective(optimised, days, optimiser.hours):
        return greedy
    return optimised
