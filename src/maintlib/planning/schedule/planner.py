"""The greedy planner: dues → tasks (on time or late), or unplaced with the reason.

It composes the constraint families, each in its own module:

* :mod:`~maintlib.planning.schedule.slots` — windows, office hours, blackouts, capacity
  and technician lanes;
* :mod:`~maintlib.planning.schedule.redundancy` — HA pairs and clusters (rolling or
  separate, settle gaps, primary last);
* :mod:`~maintlib.planning.schedule.hosting` — hosts and guests, live migration,
  applications on servers;
* :mod:`~maintlib.planning.schedule.precedence` — rings, dependencies, hosts first.

The algorithm (``docs/scheduling.md`` explains it, why each guarantee holds, and
where it is not optimal):

1. Order: dues are taken in a topological order of their precedences and, among
   the ready ones, by tier (P1 first), deadline, earliest, role in their group
   (the primary last), uid.
2. On time: each due takes the earliest feasible start in the first eligible
   slot by its deadline. A P1 or P2 due that finds none may displace lower-tier
   work (priority repair); the displaced work is placed again, later.
3. Late, not lost: a due with no feasible start by its deadline takes the first
   feasible start within the look-ahead after it, marked late with the binding
   constraint — unless the duty's next due is released by then: the newer task
   then covers both (the older due is *superseded*).
4. Unplaced: only when no window is eligible, or nothing is feasible within the
   look-ahead.

Times are integer POSIX seconds inside; tasks get aware datetimes in their slot's
zone.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import operator
from collections import Counter
from collections.abc import Mapping, Sequence
from zoneinfo import ZoneInfo

import attrs

from maintlib.model.inventory import Inventory
from maintlib.model.plan import Plan, Reason, Task, Unplaced
from maintlib.model.rules import Periodic, Released, Step, StepKind
from maintlib.model.vocabulary import AssetKind, Mode, Tier
from maintlib.model.work import Due, Duty, Horizon
from maintlib.planning.schedule.hosting import Hosting
from maintlib.planning.schedule.precedence import Precedence
from maintlib.planning.schedule.redundancy import Redundancy
from maintlib.planning.schedule.slots import Slot, SlotBook, eligible_windows, ts
from maintlib.planning.schedule.timeline import Ignore, Timeline, exactly, never

__all__ = ["schedule"]


#: Beyond the look-ahead, slots are still generated this far to report the first
#: feasible start of an unplaced due.
NEXT_FEASIBLE_SEARCH = dt.timedelta(days=92)


_REASON_ORDER = list(Reason)


_RANK = {tier: tier.rank for tier in Tier}


#: Tiers whose dues may displace lower-tier work (priority repair).
REPAIRING = frozenset({Tier.P1, Tier.P2})


#: Rejections that other work caused: only then can moving work help.
_CROWDED = frozenset(
    {
        Reason.CAPACITY_FULL,
        Reason.ASSET_BUSY,
        Reason.HA_PARTNER,
        Reason.HOST_GUEST,
        Reason.SERVER_APPLICATION,
    }
)


@attrs.frozen
class _Profile:
    """What placing any due of one duty needs (computed once per duty)."""

    #: Wall-clock seconds: what the asset's timelines, downtime and the slot's
    #: open segments take.
    length: int
    #: Hands-on technician seconds, from the task's start: what capacity and a
    #: technician's lane take (at most ``length``).
    effort: int
    slots: list[Slot] = attrs.field(eq=False)
    reach: list[int] = attrs.field(eq=False)
    downtime: bool
    asset: str | None
    #: ``(other asset, gap, reason, whole)`` whose downtime this one's must keep
    #: clear of — or, ``whole``, all of whose work: the assets this downtime takes
    #: down (:meth:`Hosting.takes_down`).
    exclusions: tuple[tuple[str, int, Reason, bool], ...]
    #: The asset's group when it is ``separate`` (different occurrences).
    separate: str | None
    #: The asset's group when it is ``rolling`` (one occurrence, one at a time).
    rolling: str | None
    #: True when no slot of the duty has a capacity limit.
    unlimited: bool
    #: The service (application and server) whose downtime goes into one
    #: occurrence where the deadlines allow, or None.
    service: str | None = None
    #: ``(other asset, gap, reason)`` whose downtime work without downtime on the
    #: asset keeps clear of: what takes the asset down (:meth:`Hosting.needs_up`).
    #: Such work still counts as free (:meth:`_Planner._free`): it only fits around.
    needs_up: tuple[tuple[str, int, Reason], ...] = ()
    #: ``(other members, max_parallel, settle)`` of a rolling group that lets more
    #: than one member be down at once: the greedy counts them instead of keeping
    #: clear of each (``exclusions`` keeps the pairs, which CP-SAT uses: stricter).
    parallel: tuple[tuple[str, ...], int, int] | None = None


class _Planner:
    def __init__(
        self,
        dues: Sequence[Due],
        inventory: Inventory,
        horizon: Horizon,
        kinds: Mapping[str, AssetKind] | None,
    ) -> None:
        self.dues = dues
        self.inventory = inventory
        self.warnings: list[str] = []
        self.zone = inventory.organisation.timezone
        planning = inventory.planning
        self.lookahead = planning.lookahead_days * 86400
        #: A due whose deadline lies before this is overdue (it came back from the
        #: maintenance log): it is placed late, from the horizon's start.
        self.start = ts(horizon.start_at)
        last = max((due.deadline for due in dues), default=horizon.end_at)
        span = (
            horizon.start_at - dt.timedelta(days=1),
            max(last, horizon.end_at)
            + dt.timedelta(days=planning.lookahead_days)
            + NEXT_FEASIBLE_SEARCH,
        )
        self.book = SlotBook(inventory, span, self.warnings)
        self.redundancy = Redundancy(inventory)
        self.hosting = Hosting(inventory, kinds, self.redundancy)
        self.precedence = Precedence(dues, self.hosting, planning.soak_days * 86400, self.warnings)
        self.busy: dict[str, Timeline] = {}
        #: Service → the slots its downtime work went into (one outage per service).
        self.service_slots: dict[str, dict[tuple[str | None, int], Slot]] = {}
        self.down: dict[str, Timeline] = {}
        #: Placed tasks by due index, and where each sits.
        self.placed: dict[int, Task] = {}
        self.where: dict[int, Slot] = {}
        self.unplaced: dict[int, Unplaced] = {}
        #: Superseding due → the older dues its task covers.
        self.covered: dict[int, list[int]] = {}
        self.folded: set[int] = set()
        self._profiles: dict[int, _Profile] = {}
        #: Zone → POSIX seconds → the datetime tasks share (by zone first: a
        #: ``(seconds, zone)`` key was a tuple per task and lookup).
        self._moments: dict[ZoneInfo, dict[int, dt.datetime]] = {}
        self._step_cache: dict[tuple[int, str], tuple[Step, ...]] = {}
        seconds: dict[int, int] = {}

        def stamp(moment: dt.datetime) -> int:
            value = seconds.get(id(moment))
            if value is None:
                value = seconds[id(moment)] = ts(moment)
            return value

        self.earliest = [stamp(due.earliest) for due in dues]
        self.deadline = [stamp(due.deadline) for due in dues]
        self.rank = [_RANK[due.duty.tier] for due in dues]
        #: The order's urgency: rank and deadline raised to those of the work
        #: that waits for each due (priority inheritance along precedences).
        self.urgency = self.precedence.inherit(
            self.rank,
            self.deadline,
            [int(due.duty.duration.total_seconds()) for due in dues],
        )
        self.next_due = self._next_dues()
        self.bundles = self._bundles()
        self.repairs = 0
        #: Each due's profile (what placing it needs), looked up once.
        self.profiles = [self._profile(due.duty) for due in dues]
        self._expect()

    # -- preparation -------------------------------------------------------------

    def _expect(self) -> None:
        """Tell each slot the least hands-on time of any due that may go there: a
        technician's shorter gaps fit none of them and are not searched."""
        least: dict[int, tuple[list[Slot], int]] = {}
        for profile in self.profiles:
            known = least.get(id(profile.slots))
            if known is None or profile.effort < known[1]:
                least[id(profile.slots)] = (profile.slots, profile.effort)
        for slots, effort in least.values():
            for slot in slots:
                slot.expect(effort)

    def _next_dues(self) -> dict[int, int]:
        """Due → the next due of the same recurring duty (it can supersede it)."""
        by_duty: dict[int, list[int]] = {}
        recurring: dict[int, bool] = {}
        for index, due in enumerate(self.dues):
            duty = due.duty
            key = id(duty)
            found = recurring.get(key)
            if found is None:
                found = recurring[key] = isinstance(duty.cadence, Periodic | Released)
            if found:
                by_duty.setdefault(key, []).append(index)
        following: dict[int, int] = {}
        dues = self.dues
        for indexes in by_duty.values():
            # Expansion yields a duty's dues by anchor: sort only when it did not.
            if any(dues[b].anchor < dues[a].anchor for a, b in itertools.pairwise(indexes)):
                indexes.sort(key=lambda i: (dues[i].anchor, i))
            following.update(itertools.pairwise(indexes))
        return following

    def _bundles(self) -> dict[int, tuple[tuple[list[int], bool], ...]]:
        """Due → the bundles it belongs to: every due of its rolling group for the
        same activity and anchor (True: with the group's settle gaps), and every
        downtime due of its service (an application and its server) for the same
        anchor (False: back to back). A bundle's first task looks for room for the
        rest after it, so the group or the service is done in one occurrence."""
        groups: dict[tuple[object, ...], list[int]] = {}
        for index, due in enumerate(self.dues):
            asset = due.duty.asset
            if asset is None or not due.duty.downtime:
                continue
            group = self.redundancy.rolling(asset)
            key: tuple[object, ...]
            if group is not None:
                key = ("rolling", group, due.duty.activity.name, due.anchor)
                groups.setdefault(key, []).append(index)
            service = self.hosting.service(asset)
            if service is not None:
                groups.setdefault(("service", service, due.anchor), []).append(index)
        found: dict[int, tuple[tuple[list[int], bool], ...]] = {}
        for key, members in groups.items():
            if len(members) > 1:
                # One entry per bundle, and one tuple of it, shared by its members
                # (540,000 of them at 100k assets, most in one bundle only).
                entry = (members, key[0] == "rolling")
                alone = (entry,)
                for i in members:
                    known = found.get(i)
                    found[i] = alone if known is None else (*known, entry)
        return found

    def _profile(self, duty: Duty) -> _Profile:
        """What placing any due of ``duty`` needs, computed once per duty."""
        profile = self._profiles.get(id(duty))
        if profile is None:
            asset = duty.asset
            exclusions: tuple[tuple[str, int, Reason, bool], ...] = ()
            needs_up: tuple[tuple[str, int, Reason], ...] = ()
            separate = rolling = service = None
            parallel: tuple[tuple[str, ...], int, int] | None = None
            if asset is not None and duty.downtime:
                service = self.hosting.service(asset)
                exclusions = (
                    *(
                        (e.other, e.gap, e.reason, False)
                        for e in (
                            *self.redundancy.exclusions(asset),
                            *self.hosting.needs_up(asset),
                        )
                    ),
                    *((e.other, e.gap, e.reason, True) for e in self.hosting.takes_down(asset)),
                )
                separate = self.redundancy.separate(asset)
                rolling = self.redundancy.rolling(asset)
                allowed = self.redundancy.parallel(asset)
                if allowed is not None:
                    group, count, gap = allowed
                    others = tuple(m for m in self.inventory.group_members(group) if m != asset.id)
                    parallel = (others, count, gap)
            elif asset is not None:
                needs_up = tuple((e.other, e.gap, e.reason) for e in self.hosting.needs_up(asset))
            names = eligible_windows(asset, self.inventory) if duty.mode is Mode.WINDOW else None
            slots, reach = self.book.eligible(names, self.book.team(asset))
            profile = _Profile(
                length=int(duty.duration.total_seconds()),
                effort=int(duty.effort.total_seconds()),
                slots=slots,
                reach=reach,
                downtime=duty.downtime,
                asset=asset.id if asset else None,
                exclusions=exclusions,
                separate=separate,
                rolling=rolling,
                unlimited=all(slot.capacity is None for slot in slots),
                service=service,
                needs_up=needs_up,
                parallel=parallel,
            )
            self._profiles[id(duty)] = profile
        return profile

    def _key(self, index: int) -> tuple[object, ...]:
        due = self.dues[index]
        role = self.redundancy.role(due.duty.asset)
        rank, deadline = self.urgency[0][index], self.urgency[1][index]
        return (rank, deadline, self.rank[index], self.earliest[index], role, due.uid)

    # -- search ----------------------------------------------------------------------

    def _timelines(self, profile: _Profile) -> list[tuple[Timeline, int, Reason]]:
        timelines: list[tuple[Timeline, int, Reason]] = []
        if profile.asset is not None and profile.asset in self.busy:
            timelines.append((self.busy[profile.asset], 0, Reason.ASSET_BUSY))
        counted = profile.parallel[0] if profile.parallel is not None else ()
        down, busy = self.down, self.busy
        for other, gap, reason, whole in profile.exclusions:
            work = busy if whole else down
            if other in work and not (reason is Reason.HA_PARTNER and other in counted):
                timelines.append((work[other], gap, reason))
        for other, gap, reason in profile.needs_up:
            if other in down:
                timelines.append((down[other], gap, reason))
        return timelines

    def _parallel_clash(
        self, profile: _Profile, start: int, end: int, ignore: Ignore
    ) -> int | None:
        """When ``max_parallel`` members of the asset's group are already down within
        the settle gap of ``[start, end)``: the earliest time one of them is clear
        again (counting every overlapping member, so never more than allowed at any
        moment); None when there is room."""
        assert profile.parallel is not None
        others, count, gap = profile.parallel
        ends = []
        for other in others:
            timeline = self.down.get(other)
            if timeline is None:
                continue
            found = [
                high
                for low, high, due in timeline.intervals
                if low < end + gap and high + gap > start and not ignore(due)
            ]
            if found:
                ends.append(min(found))
        if len(ends) < count:
            return None
        return min(ends) + gap

    def _fit(
        self,
        profile: _Profile,
        slot: Slot,
        begin: int,
        limit: int | None,
        timelines: list[tuple[Timeline, int, Reason]],
        ignore: Ignore,
        extra: tuple[int, int] = (0, 0),
    ) -> tuple[int | None, Reason, int]:
        """The earliest start in ``slot`` from ``begin`` (by ``limit``), or why none.

        ``extra`` (wall-clock, effort) seconds must fit after the task as well (the
        rest of a rolling group). A technician (lane) is taken for the task's
        effort from its start; the asset for its whole length. Returns
        ``(start, reason, lane)``.
        """
        length = profile.length
        effort = profile.effort
        after, after_effort = extra
        if length > slot.end - slot.start:
            return None, Reason.SLOT_TOO_SHORT, -1
        segments = slot.open_segments(profile.downtime)
        if not segments:
            return None, Reason.BLACKOUT, -1
        if not slot.room(effort + after_effort, ignore):
            return None, Reason.CAPACITY_FULL, -1
        if profile.separate is not None and self.redundancy.occupied(
            slot, profile.separate, profile.asset or "", ignore
        ):
            return None, Reason.HA_PARTNER, -1
        reason = Reason.CAPACITY_FULL
        t = max(begin, slot.start)
        position = 0
        while True:
            # A segment fits when the work, started at ``t`` or at the segment's
            # start if that is later, ends by the segment's end.
            while (
                position < len(segments)
                and segments[position][1] < max(t, segments[position][0]) + length + after
            ):
                position += 1
                if position < len(segments):
                    reason = Reason.BLACKOUT
            if position == len(segments):
                return None, reason, -1
            t = max(t, segments[position][0])
            if limit is not None and t > limit:
                return None, Reason.NO_SLOT_BEFORE_DEADLINE, -1
            start, lane = slot.lane_start(t, effort, ignore)
            if start != t and start + length + after > segments[position][1]:
                # After the last tasks it no longer fits: a technician's gap may.
                start, lane = slot.lane_start(t, effort, ignore, gaps=True)
            if start != t:
                t, reason = start, Reason.CAPACITY_FULL
                continue
            for timeline, gap, why in timelines:
                clash = timeline.clash(t, t + length, gap, ignore)
                if clash is not None:
                    t, reason = clash[1] + gap, why
                    break
            else:
                if profile.parallel is not None:
                    clear = self._parallel_clash(profile, t, t + length, ignore)
                    if clear is not None:
                        t, reason = max(clear, t + 1), Reason.HA_PARTNER
                        continue
                return t, reason, lane

    def _search(
        self,
        index: int,
        lower: int,
        limit: int | None,
        ignore: Ignore = never,
        extra: tuple[int, int] = (0, 0),
        only: set[int] | None = None,
    ) -> tuple[tuple[Slot, int, int] | None, dict[Reason, int]]:
        """The first slot, start and lane for due ``index`` from ``lower`` that starts
        by ``limit`` (None: any), with the rejections counted; ``only`` limits the
        search to those slot positions. Nothing is taken."""
        profile = self.profiles[index]
        timelines = self._timelines(profile)
        reasons: dict[Reason, int] = {}
        slots = profile.slots
        length = profile.length
        need = length + extra[0]
        need_effort = profile.effort + extra[1]
        full = 0  # slots passed over because their capacity is used up
        for position in range(bisect.bisect_right(profile.reach, lower), len(slots)):
            slot = slots[position]
            if limit is not None and slot.start > limit:
                break
            if only is not None and position not in only:
                continue
            if ignore is never and slot.capacity is not None and length <= slot.end - slot.start:
                # What :meth:`_fit` would answer, without the call: most slots a
                # search passes over in a busy year are simply full — no
                # technician time left, or none of the technicians is free early
                # enough (one open segment, reached by the limit) and none has a
                # gap the effort fits in.
                segments = slot.open_segments(profile.downtime)
                if segments and (
                    slot.used + need_effort > slot.capacity
                    or (
                        len(segments) == 1
                        and (limit is None or max(lower, segments[0][0]) <= limit)
                        and max(lower, segments[0][0], slot.free) + need > segments[0][1]
                        and slot.idle() < profile.effort
                    )
                ):
                    full += 1
                    continue
            start, why, lane = self._fit(profile, slot, lower, limit, timelines, ignore, extra)
            if start is None:
                reasons[why] = reasons.get(why, 0) + 1
                continue
            if full:
                reasons[Reason.CAPACITY_FULL] = reasons.get(Reason.CAPACITY_FULL, 0) + full
            return (slot, start, lane), reasons
        if full:
            reasons[Reason.CAPACITY_FULL] = reasons.get(Reason.CAPACITY_FULL, 0) + full
        return None, reasons

    # -- placing -----------------------------------------------------------------------

    def _moment(self, seconds: int, zone: ZoneInfo) -> dt.datetime:
        moments = self._moments.get(zone)
        if moments is None:
            moments = self._moments[zone] = {}
        moment = moments.get(seconds)
        if moment is None:
            moment = moments[seconds] = dt.datetime.fromtimestamp(seconds, zone)
        return moment

    def _steps(self, duty: Duty, test_text: str) -> tuple[Step, ...]:
        key = (id(duty.steps), test_text)
        steps = self._step_cache.get(key)
        if steps is None:
            steps = tuple(
                Step(StepKind.TEST, test_text) if step.kind is StepKind.TEST else step
                for step in duty.steps
            )
            self._step_cache[key] = steps
        return steps

    def _commit(
        self,
        index: int,
        found: tuple[Slot, int, int],
        steps: tuple[Step, ...],
        after: tuple[str, ...],
        late: tuple[Reason, str] | None,
    ) -> Task:
        slot, start, lane = found
        due = self.dues[index]
        profile = self.profiles[index]
        end = start + profile.length
        movable = index not in self.precedence.awaited
        slot.record(start, start + profile.effort, index, lane, self.rank[index], movable)
        slot.worst = max(slot.worst, self.rank[index])
        if profile.asset is not None:
            _timeline(self.busy, profile.asset).add(start, end, index)
            if profile.downtime:
                _timeline(self.down, profile.asset).add(start, end, index)
                if profile.separate is not None:
                    self.redundancy.record(slot, profile.separate, profile.asset, index)
                if profile.service is not None:
                    slots = self.service_slots.get(profile.service)
                    if slots is None:
                        slots = self.service_slots[profile.service] = {}
                    slots[slot.window, slot.start] = slot
        covered = self.covered.get(index)
        task = Task(
            due,
            self._moment(start, slot.zone),
            self._moment(end, slot.zone),
            slot.window,
            self._moment(slot.start, slot.zone),
            steps,
            after,
            superseded=tuple(self.dues[i] for i in covered) if covered else (),
            late_reason=late[0] if late else None,
            late_detail=late[1] if late else "",
        )
        self.placed[index] = task
        self.where[index] = slot
        return task

    def _withdraw(self, index: int) -> None:
        """Undo a placement (priority repair moves the task)."""
        task = self.placed.pop(index)
        slot = self.where.pop(index)
        profile = self._profile(task.due.duty)
        start = ts(task.start)
        slot.release(index, self.rank[index], index not in self.precedence.awaited)
        if profile.asset is not None:
            self.busy[profile.asset].remove(start, start + profile.length, index)
            if profile.downtime:
                self.down[profile.asset].remove(start, start + profile.length, index)
                if profile.separate is not None:
                    self.redundancy.release(slot, profile.separate, profile.asset, index)

    def _rest_of_bundle(self, index: int) -> tuple[int, int]:
        """Wall-clock and technician seconds the unplaced rest of a rolling group's
        release needs after this due."""
        bundles = self.bundles.get(index)
        if not bundles:
            return 0, 0
        profile = self.profiles[index]
        seconds = effort = 0
        counted: set[int] = {index}
        for members, settled in bundles:
            waiting = [
                m
                for m in members
                if m not in counted
                and m not in self.placed
                and m not in self.unplaced
                and m not in self.folded
            ]
            counted.update(waiting)
            gap = self.redundancy.settle(profile.rolling or "") if settled else 0
            rest = [self.profiles[m] for m in waiting]
            # Members that may go down side by side need a share of the time.
            lanes = profile.parallel[1] if settled and profile.parallel is not None else 1
            seconds += -(-sum(p.length + gap for p in rest) // lanes)
            effort += sum(p.effort for p in rest)
        return seconds, effort

    def place(self, index: int, *, may_supersede: bool = True) -> None:
        """Place due ``index`` (its predecessors are done): on time, late, superseded
        by the duty's next due, or unplaced with the reason."""
        due = self.dues[index]
        deadline = self.deadline[index]
        overdue = deadline < self.start
        if deadline < self.earliest[index] and not overdue:
            self.unplaced[index] = Unplaced(
                due,
                Reason.DEADLINE_BEFORE_EARLIEST,
                f"the deadline {due.deadline.isoformat()} is before the earliest start"
                f" {due.earliest.isoformat()}: check the rule's offset and deadline",
            )
            return
        profile = self.profiles[index]
        if due.duty.mode is Mode.WINDOW and not profile.slots:
            self.unplaced[index] = Unplaced(
                due,
                Reason.NO_ELIGIBLE_WINDOW,
                "the asset names no window and no window applies to its kind or tags",
            )
            return
        lower, cause, after, test_text = self.precedence.bounds(
            index, self.earliest[index], deadline, self.placed
        )
        steps = self._steps(due.duty, test_text)
        if overdue:
            lower = max(lower, self.start)
        if lower <= deadline and not overdue:
            found = self._with_service(index, profile, lower, deadline)
            extra = self._rest_of_bundle(index)
            if found is None and extra[0]:
                found, _ = self._search(index, lower, deadline, extra=extra)
            if found is None:
                found, reasons = self._search(index, lower, deadline)
            if found is not None:
                self._commit(index, found, steps, after, None)
                return
            if (
                due.duty.tier in REPAIRING
                and not reasons.keys().isdisjoint(_CROWDED)
                and self._repair(index, lower, deadline, steps, after)
            ):
                return
            why = self._explain(reasons)
            if why[0] is Reason.NO_SLOT_BEFORE_DEADLINE and cause is not None:
                # No slot at all between the precedence's bound and the deadline:
                # the precedence is what binds.
                why = (cause, _bound_text(cause, lower, due, self.zone, inside=True))
        elif overdue and cause is None:
            why = (
                Reason.OVERDUE,
                f"the deadline {due.deadline.astimezone(self.zone).isoformat()} passed"
                " before the plan's start",
            )
        else:
            assert cause is not None  # the lower bound moved past the deadline
            why = (cause, _bound_text(cause, lower, due, self.zone))
        # Overdue work gets its look-ahead from where it can start at all.
        limit = (lower if overdue else deadline) + self.lookahead
        found, _ = self._search(index, lower, limit)
        if found is not None:
            following = self.next_due.get(index)
            if (
                may_supersede
                and following is not None
                and found[1] >= self.earliest[following]
                and following not in self.unplaced
            ):
                self._fold(index, following)
                return
            self._commit(index, found, steps, after, why)
            return
        later, _ = self._search(index, limit, None)
        days = self.lookahead // 86400
        self.unplaced[index] = Unplaced(
            due,
            why[0],
            f"{why[1]}; nothing feasible within the look-ahead of {days} days after it",
            None if later is None else dt.datetime.fromtimestamp(later[1], later[0].zone),
        )
        self._unfold(index)

    def _with_service(
        self, index: int, profile: _Profile, lower: int, deadline: int
    ) -> tuple[Slot, int, int] | None:
        """A start in an occurrence that already has downtime work of the due's
        service (an application and its server) or of its bundle (the rest of its
        rolling group's release), on time; None: none fits."""
        taken: set[tuple[str | None, int]] = set()
        if profile.service is not None:
            taken.update(self.service_slots.get(profile.service, ()))
        for members, _ in self.bundles.get(index, ()):
            taken.update(
                (self.where[m].window, self.where[m].start) for m in members if m in self.where
            )
        if not taken:
            return None
        slots = profile.slots
        only = set()
        for position in range(bisect.bisect_right(profile.reach, lower), len(slots)):
            if slots[position].start > deadline:
                break
            # The occurrence, whichever technicians' slot of it (a team's or shared).
            if (slots[position].window, slots[position].start) in taken:
                only.add(position)
        if not only:
            return None
        found, _ = self._search(index, lower, deadline, only=only)
        return found

    def _fold(self, index: int, following: int) -> None:
        """Let the duty's next due cover ``index`` (and what ``index`` covered)."""
        self.covered.setdefault(following, []).extend([*self.covered.pop(index, []), index])
        self.covered[following].sort(key=lambda i: self.dues[i].anchor)
        self.folded.add(index)
        task = self.placed.get(following)
        if task is not None:
            self.placed[following] = attrs.evolve(
                task, superseded=tuple(self.dues[i] for i in self.covered[following])
            )

    def _unfold(self, index: int) -> None:
        """``index`` ended unplaced: the dues it was to cover are placed on their own."""
        for older in self.covered.pop(index, []):
            self.folded.discard(older)
            self.place(older, may_supersede=False)

    def _repair(
        self,
        index: int,
        lower: int,
        deadline: int,
        steps: tuple[Step, ...],
        after: tuple[str, ...],
    ) -> bool:
        """Priority repair: place a P1/P2 due on time by moving lower-tier work.

        Only work of a strictly lower tier that nothing waits for may move. The
        moved tasks are placed again, in priority order (possibly late).
        """
        rank = self.rank[index]
        movable = _Movable(rank, self.rank, self.placed, self.precedence.awaited)
        # Only where movable work sits: in the slot, or on the asset's timelines.
        profile = self.profiles[index]
        slots = profile.slots
        first = bisect.bisect_right(profile.reach, lower)
        last = bisect.bisect_right([slot.start for slot in slots[first:]], deadline) + first
        # Where moving work can help: a slot whose capacity lower-tier work took
        # (full now, with room once that work is gone), or one near lower-tier
        # work on the timelines the due must keep clear of.
        reach = 2 * 86400  # the longest task or settle gap anybody plans
        near = [
            (low - reach, high + reach)
            for timeline, _, _ in self._timelines(profile)
            for low, high, due in timeline.intervals_between(lower - reach, deadline + reach)
            if movable(due)
        ]
        effort = profile.effort
        candidates = {
            position
            for position in range(first, last)
            if any(low < slots[position].end and slots[position].start < high for low, high in near)
            or (
                slots[position].worst > rank
                and not slots[position].room(effort, never)
                and slots[position].room_below(effort, rank)
            )
        }
        if not candidates:
            return False
        found, _ = self._search(index, lower, deadline, ignore=movable, only=candidates)
        if found is None:
            return False
        slot, start, _ = found
        victims = self._in_the_way(index, slot, start, movable)
        if not victims:
            return False
        for victim in victims:
            self._withdraw(victim)
        fit = self._fit(profile, slot, start, deadline, self._timelines(profile), exactly)
        if fit[0] != start:
            raise AssertionError(f"priority repair could not free {self.dues[index].uid}")
        self._commit(index, (slot, start, fit[2]), steps, after, None)
        self.repairs += 1
        for victim in sorted(victims, key=self._key):
            self.place(victim)
        return True

    def _in_the_way(self, index: int, slot: Slot, start: int, movable: Ignore) -> list[int]:
        """The movable tasks that keep due ``index`` from ``start`` in ``slot``."""
        profile = self.profiles[index]
        end = start + profile.length
        hands_on = start + profile.effort
        victims: set[int] = set()
        for timeline, gap, _ in self._timelines(profile):
            victims.update(d for d in timeline.overlapping(start, end, gap) if movable(d))
        if profile.parallel is not None:
            members, _, settle = profile.parallel
            for member in members:
                if member in self.down:
                    victims.update(
                        d for d in self.down[member].overlapping(start, end, settle) if movable(d)
                    )
        if slot.lanes is not None:
            for d in slot.dues():
                if movable(d):
                    low, high, _ = slot.span(d)
                    if low < hands_on and high > start:
                        victims.add(d)
        if slot.capacity is not None:
            # Victims on the asset timelines may sit in another slot of the same
            # occurrence (a team's): only this slot's free its technician time.
            used = slot.used - sum(slot.hands_on(d) for d in victims if slot.holds(d))
            spare = sorted(
                (d for d in slot.dues() if movable(d) and d not in victims),
                key=lambda d: (-self.rank[d], -self.deadline[d], self.dues[d].uid),
            )
            for other in spare:
                if used + profile.effort <= slot.capacity:
                    break
                victims.add(other)
                used -= slot.hands_on(other)
        if profile.separate is not None:
            for member in slot.down_groups.get(profile.separate, ()):
                asset, due = member.split("\0", 1)
                if asset != profile.asset and movable(int(due)):
                    victims.add(int(due))
        return sorted(victims)

    # -- the run -----------------------------------------------------------------------

    def _free(self) -> list[bool]:
        """Which dues no other asset's work can affect, nor they another's: no
        precedence, only slots without a capacity limit, no shared downtime. They
        are placed after the constrained ones, fitting around them."""
        free = []
        for index, profile in enumerate(self.profiles):
            free.append(
                profile.unlimited
                and not self.precedence.constrained(index)
                and not profile.exclusions
                and profile.separate is None
            )
        return free

    def _bundle_order(self, order: list[int]) -> list[int]:
        """``order`` with each bundle's dues placed one after the other, so that the
        room the first one's search saw for the rest is still there:

        * a rolling group's release: the other members right after the first,
          when they are in the first's ring level (or no ring, like it) and what
          they depend on comes before the first
          (moving a due earlier keeps its successors after it);
        * a service's release: each application's due right after its server's,
          when that comes later (the server's task takes the occurrence with room
          for both, the application's follows it there) and nothing waits for it.
        """
        position = {index: n for n, index in enumerate(order)}
        rings = self.precedence.ring_of
        after: dict[int, list[int]] = {}
        moved: set[int] = set()
        for index in order:
            if index in moved:
                continue
            for members, settled in self.bundles.get(index, ()):
                if settled:
                    first = min(members, key=lambda m: position.get(m, len(order)))
                    if first != index:
                        continue
                    for member in sorted(members, key=lambda m: position.get(m, len(order))):
                        if (
                            member != index
                            and member in position
                            and member not in moved
                            and rings.get(member) == rings.get(index)
                            and all(
                                position.get(before, len(order)) < position[index]
                                for before in self.precedence.depends.get(member, ())
                            )
                        ):
                            after.setdefault(index, []).append(member)
                            moved.add(member)
                    continue
                asset = self.dues[index].duty.asset
                if asset is None or index in self.precedence.awaited:
                    continue
                server = self.hosting.server(asset)
                if server is None:
                    continue
                servers = [
                    m for m in members if self.dues[m].duty.subject == server and m in position
                ]
                last = max(servers, key=position.__getitem__, default=None)
                if last is not None and position[last] > position[index]:
                    after.setdefault(last, []).append(index)
                    moved.add(index)
                    break
        if not moved:
            return order
        result: list[int] = []

        def take(index: int) -> None:
            result.append(index)
            for follower in after.get(index, ()):
                take(follower)

        for index in order:
            if index not in moved:
                take(index)
        return result

    def run(self) -> tuple[list[Task], list[Unplaced]]:
        free = self._free()
        for index in self._bundle_order(list(self.precedence.order(free, self._key))):
            self.place(index)
        rest = sorted((i for i in range(len(self.dues)) if free[i]), key=self._key)
        for index in rest:
            self.place(index)
        self._join_services()
        return self.result()

    # -- one outage per service, across releases ---------------------------------------

    def _join_services(self) -> None:
        """After everything is placed: move a service's downtime task into the
        occurrence that holds more of its service's downtime, when it can start
        there on time and fits beside what is there (the application's monthly
        update into its servers' Patch Tuesday night). A move only frees the
        occurrence it leaves, so nothing else becomes later; tasks that other work
        waits for, rolling-group members and tasks of a lower ring stay put."""
        self._lower_ends: dict[tuple[int, int], int] = {}
        by_service: dict[str, list[int]] = {}
        for index in sorted(self.placed):
            task = self.placed[index]
            asset = task.due.duty.asset
            if asset is None or not task.due.duty.downtime or task.window is None:
                continue
            service = self.hosting.service(asset)
            if service is not None:
                by_service.setdefault(service, []).append(index)
        for service in sorted(by_service):
            members = by_service[service]
            if len(members) > 1:
                # How many of the service's tasks each occurrence holds, kept up to
                # date as tasks move.
                counts = Counter(self._occurrence(m) for m in members if m in self.where)
                for index in sorted(members, key=lambda i: (ts(self.placed[i].start), i)):
                    if index not in self.where:
                        continue
                    left = self._occurrence(index)
                    self._join_service(index, counts)
                    if index in self.where and (moved := self._occurrence(index)) != left:
                        counts[left] -= 1
                        counts[moved] += 1

    def _occurrence(self, index: int) -> tuple[str | None, int]:
        """The window occurrence a placed due is in: its window's name and start."""
        return self.where[index].window, self.where[index].start

    def _may_join(self, index: int) -> bool:
        task = self.placed[index]
        profile = self._profile(task.due.duty)
        ring = self.precedence.ring_of.get(index)
        return (
            index not in self.precedence.awaited
            and not task.superseded
            and profile.rolling is None
            and profile.separate is None
            and (ring is None or ring[1] == max(self.precedence.groups[ring[0]]))
        )

    def _join_service(self, index: int, counts: Counter[tuple[str | None, int]]) -> None:
        """Move ``index`` into an occurrence holding more of its service's tasks
        (``counts``, the service's tasks per occurrence, ``index`` included)."""
        if index not in self.placed or not self._may_join(index):
            return
        task = self.placed[index]
        own = self._occurrence(index)
        mine = counts[own] - 1  # the others in its own occurrence
        targets = {o for o, n in counts.items() if o != own and n > mine}
        if not targets:
            return
        lower = self.earliest[index]
        precedence = self.precedence
        for before in precedence.depends.get(index, ()):
            if before in self.placed:
                lower = max(lower, ts(self.placed[before].end))
            elif before not in self.folded:
                return
        ring = precedence.ring_of.get(index)
        if ring is not None:
            # After the lower rings' tasks of the release, and their soak. Only a
            # release's highest ring joins, so the lower rings' ends stay as they are
            # while services are joined: found once per release and ring.
            ends = self._lower_ends.get(ring)
            if ends is None:
                levels = precedence.groups[ring[0]]
                ends = self._lower_ends[ring] = max(
                    (
                        ts(self.placed[m].end)
                        for level, dues in levels.items()
                        if level < ring[1]
                        for m in dues
                        if m in self.placed
                    ),
                    default=-1,
                )
            if ends >= 0:
                lower = max(lower, ends + precedence.soak)
        deadline = self.deadline[index]
        profile = self._profile(task.due.duty)
        slots = profile.slots
        only: set[int] = set()
        for position in range(bisect.bisect_right(profile.reach, lower), len(slots)):
            if slots[position].start > deadline:
                break
            if (slots[position].window, slots[position].start) in targets:
                only.add(position)
        if not only:
            return
        slot, start = self.where[index], ts(task.start)
        self._withdraw(index)
        found, _ = self._search(index, lower, deadline, only=only)
        late: tuple[Reason, str] | None = None
        if found is None:
            # Back where it was: the room it had is still there.
            fit = self._fit(profile, slot, start, start, self._timelines(profile), exactly)
            if fit[0] != start:
                raise AssertionError(f"could not put {self.dues[index].uid} back")
            found = (slot, start, fit[2])
            if task.late_reason is not None:
                late = (task.late_reason, task.late_detail)
        self._commit(index, found, task.steps, task.after, late)

    def result(self) -> tuple[list[Task], list[Unplaced]]:
        """The placed tasks and unplaced dues, sorted, after the untested-ring warnings."""
        for group, count in sorted(self.precedence.untested.items()):
            example = self.dues[next(iter(self.precedence.groups[group].values()))[0]]
            self.warnings.append(
                f"{example.duty.activity.label} released {example.anchor.isoformat()}"
                f" ({example.duty.asset.product if example.duty.asset else ''}): the lower ring's"
                f" task is unplaced, so {count} higher-ring task(s) are planned without a test"
            )
        # By (start, uid) as two stable sorts: a key tuple per task was the run's
        # peak of memory at 100k assets (587,000 tuples on top of the planner's state).
        tasks = sorted(self.placed.values(), key=operator.attrgetter("uid"))
        tasks.sort(key=operator.attrgetter("start"))
        unplaced = sorted(self.unplaced.values(), key=lambda u: (u.due.deadline, u.due.uid))
        return tasks, unplaced

    def _explain(self, reasons: dict[Reason, int]) -> tuple[Reason, str]:
        blocking = {r: n for r, n in reasons.items() if r is not Reason.NO_SLOT_BEFORE_DEADLINE}
        if not blocking:
            return (
                Reason.NO_SLOT_BEFORE_DEADLINE,
                "no eligible slot between the earliest start and the deadline",
            )
        reason = max(blocking, key=lambda r: (blocking[r], -_REASON_ORDER.index(r)))
        tried = sum(reasons.values())
        return reason, f"{blocking[reason]} of {tried} slots before the deadline: {_WORDS[reason]}"


def _timeline(timelines: dict[str, Timeline], asset: str) -> Timeline:
    """``asset``'s timeline, made when first asked for (not one per call, as
    ``setdefault(asset, Timeline())`` would)."""
    found = timelines.get(asset)
    if found is None:
        found = timelines[asset] = Timeline()
    return found


_WORDS = {
    Reason.BLACKOUT: "blacked out",
    Reason.CAPACITY_FULL: "no technician time left",
    Reason.HA_PARTNER: "a member of the same redundancy group was down",
    Reason.HOST_GUEST: "the host or a guest was down",
    Reason.SERVER_APPLICATION: "the server or an application on it was down",
    Reason.ASSET_BUSY: "the asset had other work",
    Reason.RING_SOAK: "waiting for the lower ring's soak time",
    Reason.DEPENDENCY: "waiting for a dependency",
    Reason.SLOT_TOO_SHORT: "the work takes longer than the slot",
}


class _Movable:
    """The placed dues that priority repair may move for a due of ``rank``: of a
    strictly lower tier, and awaited by nothing.

    :meth:`Slot.room` and :meth:`Slot.lane_start` read its ``rank`` to answer from
    per-rank totals; those count exactly the work this predicate accepts.
    """

    __slots__ = ("awaited", "placed", "rank", "ranks")

    def __init__(
        self, rank: int, ranks: list[int], placed: Mapping[int, Task], awaited: set[int]
    ) -> None:
        self.rank, self.ranks, self.placed, self.awaited = rank, ranks, placed, awaited

    def __call__(self, other: int) -> bool:
        return self.ranks[other] > self.rank and other in self.placed and other not in self.awaited


def _bound_text(
    cause: Reason, lower: int, due: Due, zone: ZoneInfo, *, inside: bool = False
) -> str:
    when = dt.datetime.fromtimestamp(lower, zone).isoformat()
    what = (
        "the lower ring's soak time allows"
        if cause is Reason.RING_SOAK
        else "its dependencies allow"
    )
    deadline = due.deadline.astimezone(zone).isoformat()
    if inside:
        return (
            f"{what} a start only from {when}, and no eligible slot lies between then and"
            f" the deadline {deadline}"
        )
    return f"{what} a start only from {when}, after the deadline {deadline}"


def schedule(
    dues: Sequence[Due],
    inventory: Inventory,
    horizon: Horizon,
    *,
    reference_time: dt.datetime,
    digest: str = "",
    packs: Sequence[str] = (),
    kinds: Mapping[str, AssetKind] | None = None,
) -> Plan:
    """Place every due: on time, late, superseded, or unplaced with the reason.

    Args:
        dues: From :func:`maintlib.planning.expand.expand`.
        inventory: The inventory the dues came from (windows, blackouts, links).
        horizon: The planned period.
        reference_time: The caller's "now" (aware); recorded, never compared.
        digest: Digest of the inputs, recorded in the plan.
        packs: ``name version`` of the packs used, recorded in the plan.
        kinds: The catalog's asset kinds (to tell applications on a server from
            guests of a host); None: only kind ``application`` is an application.

    Returns:
        The plan: every due is covered by exactly one task (its own, or a newer one
        that supersedes it) or is one unplaced entry.
    """
    if reference_time.tzinfo is None:
        raise ValueError("reference_time must be an aware datetime")
    planner = _Planner(dues, inventory, horizon, kinds)
    tasks, unplaced = planner.run()
    return Plan(
        organisation=inventory.organisation,
        horizon=horizon,
        reference_time=reference_time,
        tasks=tuple(tasks),
        unplaced=tuple(unplaced),
        warnings=tuple(dict.fromkeys(planner.warnings)),
        dues=sum(due.count for due in dues),
        digest=digest,
        packs=tuple(packs),
    )
