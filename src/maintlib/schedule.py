"""The schedule stage: dues → tasks in slots, or unplaced with the reason.

A greedy list scheduler (``docs/scheduling.md`` explains it, why each guarantee
holds, and where it is not optimal):

1. Slots: every occurrence of every window, and office hours on business days
   (public holidays excluded), minus blackouts. Window occurrences that start in
   a DST gap or overlap are not used and are reported as warnings.
2. Order: dues are taken in a topological order of their precedences — lower
   rings before production for the same release and product, ``depends_on``
   targets before their dependants for the same activity and anchor — and,
   among the dues that are ready, by tier (P1 first), deadline, earliest, uid.
3. Placement: each due takes the earliest start in the first eligible slot that
   satisfies every constraint; tasks are laid out back to back per technician
   lane. If none exists before the deadline, the due becomes unplaced with the
   binding constraint and the first feasible start after the deadline.

Times are handled as integer POSIX seconds inside; tasks get aware datetimes in
their slot's zone.
"""

from __future__ import annotations

import bisect
import datetime as dt
import heapq
import itertools
import math
from collections import Counter
from collections.abc import Iterator, Sequence
from zoneinfo import ZoneInfo

import holidays as holidays_lib

from maintlib.blackouts import expand_calendar
from maintlib.inventory import Asset, Inventory, Window
from maintlib.model import Mode, UpdateClass
from maintlib.plan import Due, Horizon, Plan, Reason, Task, Unplaced
from maintlib.recurrence import EPOCH, WallClockError, localize, occurrences
from maintlib.rules import Step, StepKind

__all__ = ["eligible_windows", "schedule"]

#: How far past the last deadline slots are generated, to find the next feasible
#: start of an unplaced due.
LOOKAHEAD = dt.timedelta(days=92)
#: Update classes whose releases go through the rings (article section 5 step 2).
RING_CLASSES = frozenset(
    {UpdateClass.SECURITY, UpdateClass.STANDARD, UpdateClass.SERVICE_PACK, UpdateClass.FIRMWARE}
)
_REASON_ORDER = list(Reason)

Interval = tuple[int, int]


def _ts(moment: dt.datetime) -> int:
    return int(moment.timestamp())


class _Slot:
    """One window occurrence, or one business day's office hours (mutable state)."""

    __slots__ = (
        "capacity",
        "change_segments",
        "down_groups",
        "down_hosts",
        "end",
        "guest_hosts",
        "key",
        "lanes",
        "segments",
        "start",
        "used",
        "window",
        "zone",
    )

    def __init__(
        self,
        window: str | None,
        start: int,
        end: int,
        zone: ZoneInfo,
        blocked: tuple[Sequence[Interval], Sequence[Interval]],
        capacity: int | None,
    ) -> None:
        self.window = window
        self.key = (window, start)
        self.start = start
        self.end = end
        self.zone = zone
        #: The open parts of the slot for work without downtime (full blackouts
        #: removed), and for work with downtime (change freezes removed too).
        self.segments = _subtract(start, end, blocked[0])
        self.change_segments = _subtract(start, end, blocked[1])
        self.capacity = capacity
        self.used = 0
        lanes = None
        if capacity is not None and end > start:
            lanes = [start] * max(1, math.ceil(capacity / (end - start)))
        self.lanes = lanes
        self.down_groups: set[str] = set()
        self.down_hosts: set[str] = set()
        self.guest_hosts: set[str] = set()


def _subtract(start: int, end: int, blocked: Sequence[Interval]) -> list[Interval]:
    segments = []
    cursor = start
    for low, high in blocked:
        if high <= cursor or low >= end:
            continue
        if low > cursor:
            segments.append((cursor, low))
        cursor = max(cursor, high)
    if cursor < end:
        segments.append((cursor, end))
    return segments


class _Timeline:
    """Sorted, non-overlapping busy intervals of one asset."""

    __slots__ = ("intervals",)

    def __init__(self) -> None:
        self.intervals: list[Interval] = []

    def add(self, interval: Interval) -> None:
        bisect.insort(self.intervals, interval)

    def clash(self, start: int, end: int) -> Interval | None:
        """The first interval overlapping ``[start, end)``, if any."""
        index = bisect.bisect_right(self.intervals, (start, 2**62)) - 1
        for low, high in self.intervals[max(index, 0) :]:
            if low >= end:
                return None
            if high > start:
                return (low, high)
        return None


def eligible_windows(asset: Asset | None, inventory: Inventory) -> tuple[str, ...]:
    """The windows planned work on ``asset`` may use, by name.

    The asset's own ``window`` if it names one; else every window whose
    ``applies_to`` lists the asset's kind or one of its tags. Organisation-wide
    work (``asset`` None) may use any window.
    """
    windows = inventory.windows
    if asset is None:
        return tuple(sorted(w.name for w in windows))
    if asset.window is not None:
        return (asset.window,)
    tags = set(asset.tags)
    return tuple(
        sorted(w.name for w in windows if asset.kind in w.applies_to or tags & set(w.applies_to))
    )


def _first_fit(
    slot: _Slot,
    segments: Sequence[Interval],
    begin: int,
    length: int,
    deadline: int | None,
    timelines: Sequence[tuple[_Timeline, Reason]],
) -> tuple[int | None, Reason]:
    """The first start from ``begin`` in ``segments`` of ``slot``, clear of ``timelines``."""
    reason = Reason.CAPACITY_FULL
    for seg_start, seg_end in segments:
        if seg_end <= begin:
            continue
        t = max(begin, seg_start)
        while True:
            if deadline is not None and t > deadline:
                return None, Reason.NO_SLOT_BEFORE_DEADLINE
            if t + length > seg_end:
                reason = Reason.BLACKOUT if seg_end != slot.end else reason
                break
            for timeline, why in timelines:
                clash = timeline.clash(t, t + length)
                if clash is not None:
                    t, reason = clash[1], why
                    break
            else:
                return t, reason
    return None, reason


def _cycles(successors: Sequence[Sequence[int]]) -> list[list[int]]:
    """Strongly connected components with more than one node (Tarjan, iterative)."""
    index_of: dict[int, int] = {}
    low: dict[int, int] = {}
    on_stack: set[int] = set()
    stack: list[int] = []
    components: list[list[int]] = []
    counter = 0
    for root in range(len(successors)):
        if root in index_of:
            continue
        work = [(root, 0)]
        while work:
            node, position = work.pop()
            if position == 0:
                index_of[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            for offset, target in enumerate(successors[node][position:], start=position):
                if target not in index_of:
                    work.append((node, offset + 1))
                    work.append((target, 0))
                    break
                if target in on_stack:
                    low[node] = min(low[node], index_of[target])
            else:
                if low[node] == index_of[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        components.append(component)
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
    return components


class _Scheduler:
    def __init__(self, dues: Sequence[Due], inventory: Inventory, horizon: Horizon) -> None:
        self.dues = dues
        self.inventory = inventory
        self.horizon = horizon
        self.org_zone = inventory.organisation.timezone
        self.soak = inventory.planning.soak_days * 86400
        self.warnings: list[str] = []
        last = max((due.deadline for due in dues), default=horizon.end_at)
        self.range = (
            horizon.start_at - dt.timedelta(days=1),
            max(last, horizon.end_at) + LOOKAHEAD,
        )
        self.blackouts = self._blackouts()
        self.window_slots = {w.name: self._window_slots(w) for w in inventory.windows}
        self.office_slots = self._office_slots()
        self._eligible: dict[tuple[str, ...] | None, tuple[list[_Slot], list[int]]] = {}
        self.busy: dict[str, _Timeline] = {}
        self.down: dict[str, _Timeline] = {}
        self.placed: dict[int, Task] = {}
        #: ring group → dues planned although the lower ring's task is unplaced.
        self.untested: Counter[int] = Counter()

    # -- slots ---------------------------------------------------------------

    def _blackouts(self) -> tuple[list[Interval], list[Interval]]:
        """Intervals closed to all work, and closed to work with downtime."""
        zone = self.org_zone
        blackouts = list(self.inventory.blackouts)
        for calendar in self.inventory.blackout_calendars:
            blackouts.extend(expand_calendar(calendar, *self.range, zone))
        closed, frozen = [], []
        for blackout in blackouts:
            start, end = blackout.interval(zone)
            interval = (_ts(start), _ts(end))
            frozen.append(interval)
            if not blackout.changes_only:
                closed.append(interval)
        return sorted(closed), sorted(frozen)

    def _window_slots(self, window: Window) -> list[_Slot]:
        zone = window.timezone or self.org_zone
        low, high = (moment.astimezone(zone).replace(tzinfo=None) for moment in self.range)
        dtstart = dt.datetime.combine(EPOCH.date(), window.start)
        capacity = int(window.capacity_hours * 3600) if window.capacity_hours is not None else None
        slots = []
        for local in occurrences(window.rrule, dtstart, low, high):
            try:
                begin = localize(local, zone)
            except WallClockError as error:
                self.warnings.append(
                    f'window "{window.name}": the occurrence at {error} is not used; move the'
                    " window's start out of the DST change"
                )
                continue
            start = _ts(begin)
            end = start + int(window.duration.total_seconds())
            slots.append(_Slot(window.name, start, end, zone, self.blackouts, capacity))
        return slots

    def _office_slots(self) -> list[_Slot]:
        organisation = self.inventory.organisation
        zone = self.org_zone
        first, last = (moment.astimezone(zone).date() for moment in self.range)
        closed: set[dt.date] = set()
        if organisation.country:
            years = range(first.year, last.year + 1)
            closed = set(
                holidays_lib.country_holidays(
                    organisation.country, subdiv=organisation.subdivision, years=years
                )
            )
        slots = []
        day = first
        while day <= last:
            hours = organisation.office_hours.on(day.weekday())
            if hours and day not in closed:
                try:
                    begin = localize(dt.datetime.combine(day, hours[0]), zone)
                    finish = (
                        dt.datetime.combine(day, hours[1])
                        if hours[1] != dt.time.max
                        else (dt.datetime.combine(day + dt.timedelta(days=1), dt.time()))
                    )
                    close = localize(finish, zone)
                except WallClockError as error:
                    self.warnings.append(f"office hours on {day}: {error}; the day is not used")
                else:
                    slots.append(_Slot(None, _ts(begin), _ts(close), zone, self.blackouts, None))
            day += dt.timedelta(days=1)
        return slots

    def eligible(self, due: Due) -> tuple[list[_Slot], list[int]]:
        """The due's slots by start, and the running maximum of their ends.

        The running maximum is sorted, so bisecting it for a time skips exactly
        the slots that end before that time.
        """
        duty = due.duty
        names = self._window_names(duty.asset) if duty.mode is Mode.WINDOW else None
        if names not in self._eligible:
            if names is None:
                slots = self.office_slots
            else:
                slots = [slot for name in names for slot in self.window_slots[name]]
                slots.sort(key=lambda s: (s.start, s.window or ""))
            reach = list(itertools.accumulate((slot.end for slot in slots), max))
            self._eligible[names] = (slots, reach)
        return self._eligible[names]

    def _window_names(self, asset: Asset | None) -> tuple[str, ...]:
        return eligible_windows(asset, self.inventory)

    # -- order -----------------------------------------------------------------

    def _ring_levels(self) -> list[dict[int, list[int]]]:
        """Dues of the same release and product, by ring level (groups of 2+ levels)."""
        by_key: dict[tuple[object, ...], dict[int, list[int]]] = {}
        for index, due in enumerate(self.dues):
            duty = due.duty
            asset = duty.asset
            if asset is None or duty.mode is Mode.AUTOMATIC:
                continue
            if duty.rule.update_class not in RING_CLASSES:
                continue
            release_key = (
                duty.activity.name,
                due.anchor,
                asset.vendor.casefold(),
                asset.product.casefold(),
            )
            by_key.setdefault(release_key, {}).setdefault(asset.environment.ring, []).append(index)
        return [levels for levels in by_key.values() if len(levels) > 1]

    def _dependencies(self) -> dict[int, list[int]]:
        """Due → the dues of its ``depends_on`` targets with the same activity and anchor."""
        lookup = {
            (due.duty.subject, due.duty.activity.name, due.anchor): index
            for index, due in enumerate(self.dues)
        }
        depends: dict[int, list[int]] = {}
        for index, due in enumerate(self.dues):
            asset = due.duty.asset
            for target in asset.depends_on if asset else ():
                before = lookup.get((target, due.duty.activity.name, due.anchor))
                if before is not None:
                    depends.setdefault(index, []).append(before)
        return depends

    def _graph(self, groups: list[dict[int, list[int]]]) -> tuple[list[list[int]], int]:
        """Successor lists over dues, then one barrier node per ring group and level.

        A barrier waits for every due of the lower levels and releases the dues of
        its level, so a release with many test and production assets needs edges in
        proportion to the assets, not to their product.
        """
        count = len(self.dues)
        successors: list[list[int]] = [[] for _ in range(count)]
        for levels in groups:
            below: list[int] = []
            for level in sorted(levels):
                if below:
                    barrier = len(successors)
                    successors.append(list(levels[level]))
                    for index in below:
                        successors[index].append(barrier)
                below = below + levels[level]
        for index, befores in self.depends.items():
            for before in befores:
                successors[before].append(index)
        return successors, count

    def _drop_contradicted_rings(
        self, groups: list[dict[int, list[int]]]
    ) -> list[dict[int, list[int]]]:
        """Take dues out of ring ordering where it contradicts ``depends_on``.

        A test asset that depends on a production asset of the same product must
        wait for it, and also go first: impossible. The explicit dependency wins;
        the dues on such a cycle are planned without ring order, with a warning.
        """
        successors, count = self._graph(groups)
        cyclic = {node for component in _cycles(successors) for node in component if node < count}
        if not cyclic:
            return groups
        for index in sorted(cyclic, key=lambda i: self.dues[i].uid):
            if any(index in members for levels in groups for members in levels.values()):
                self.warnings.append(
                    f"{self.dues[index].uid}: its ring order contradicts depends_on between"
                    " the same release's assets; the dependency wins and ring order is not applied"
                )
        cleaned = []
        for levels in groups:
            kept = {
                level: [i for i in members if i not in cyclic] for level, members in levels.items()
            }
            kept = {level: members for level, members in kept.items() if members}
            if len(kept) > 1:
                cleaned.append(kept)
        return cleaned

    def order(self) -> Iterator[int]:
        """Due indexes in a precedence-respecting, priority-first order (Kahn's algorithm).

        Among the dues whose predecessors are all done: P1 first, then the
        earliest deadline, the earliest start, the uid.
        """
        dues = self.dues
        self.depends = self._dependencies()
        self.groups = self._drop_contradicted_rings(self._ring_levels())
        self.ring_of = {
            index: (group, level)
            for group, levels in enumerate(self.groups)
            for level, members in levels.items()
            for index in members
        }
        successors, count = self._graph(self.groups)
        indegree = [0] * len(successors)
        for targets in successors:
            for target in targets:
                indegree[target] += 1

        def key(index: int) -> tuple[int, dt.datetime, dt.datetime, str, int]:
            due = dues[index]
            return (due.duty.tier.rank, due.deadline, due.earliest, due.uid, index)

        heap = [key(i) for i in range(count) if indegree[i] == 0]
        heapq.heapify(heap)
        pending = [node for node in range(count, len(successors)) if indegree[node] == 0]
        while heap or pending:
            if pending:
                node = pending.pop()
            else:
                node = heapq.heappop(heap)[-1]
                yield node
            for after in successors[node]:
                indegree[after] -= 1
                if indegree[after] == 0:
                    if after >= count:
                        pending.append(after)
                    else:
                        heapq.heappush(heap, key(after))

    # -- placement -------------------------------------------------------------

    def bounds(self, index: int) -> tuple[int, Reason | None, tuple[str, ...], str]:
        """Earliest start from precedences, what set it, predecessor uids, test-step text."""
        due = self.dues[index]
        lower, cause = _ts(due.earliest), None
        after: list[str] = []
        test_text = "No lower-ring asset runs this release; test on a snapshot or spare first."
        ring = self.ring_of.get(index)
        if ring is not None:
            group, level = ring
            levels = self.groups[group]
            lower_tasks = [
                self.placed[i]
                for lv, members in levels.items()
                if lv < level
                for i in members
                if i in self.placed
            ]
            if lower_tasks:
                bound = max(_ts(t.end) for t in lower_tasks) + self.soak
                if bound > lower:
                    lower, cause = bound, Reason.RING_SOAK
                after.extend(sorted(t.uid for t in lower_tasks))
                names = ", ".join(sorted({t.due.duty.subject for t in lower_tasks}))
                test_text = f"Confirm the release passed the lower ring ({names}) before starting."
            elif level == min(levels):
                test_text = "This is the lower ring for the release: watch it before production."
            else:
                test_text = "The lower ring's task for this release was not placed: test first."
                self.untested[group] += 1
        for before in self.depends.get(index, []):
            task = self.placed.get(before)
            if task is None:
                continue
            after.append(task.uid)
            end = _ts(task.end)
            if end > lower:
                lower, cause = end, Reason.DEPENDENCY
        return lower, cause, tuple(after), test_text

    def _conflicts(self, asset: Asset) -> tuple[list[str], list[str]]:
        partners = []
        if asset.redundancy_group:
            partners = [
                m for m in self.inventory.group_members(asset.redundancy_group) if m != asset.id
            ]
        family = list(self.inventory.guests(asset.id))
        if asset.hosted_on:
            family.append(asset.hosted_on)
        return partners, family

    def _fit(
        self,
        slot: _Slot,
        segments: Sequence[Interval],
        lower: int,
        length: int,
        deadline: int | None,
        timelines: Sequence[tuple[_Timeline, Reason]],
    ) -> tuple[int | None, int | None, Reason]:
        """Earliest start in ``slot`` and its lane, or ``(None, None, reason)``."""
        if length > slot.end - slot.start:
            return None, None, Reason.SLOT_TOO_SHORT
        best: tuple[int, int | None] | None = None
        reason = Reason.CAPACITY_FULL
        lanes: Sequence[int | None] = slot.lanes if slot.lanes is not None else (None,)
        for lane, free in enumerate(lanes):
            begin = lower if free is None else max(free, lower)
            start, why = _first_fit(slot, segments, begin, length, deadline, timelines)
            if start is None:
                reason = why
            elif best is None or start < best[0]:
                best = (start, None if free is None else lane)
        if best is None:
            return None, None, reason
        return best[0], best[1], reason

    def try_slots(
        self, index: int, lower: int, deadline: int | None, commit: bool
    ) -> tuple[Task | None, Counter[Reason], int | None]:
        """Find (and, with ``commit``, take) the first slot for due ``index``."""
        due = self.dues[index]
        duty = due.duty
        asset = duty.asset
        length = int(duty.duration.total_seconds())
        slots, reach = self.eligible(due)
        reasons: Counter[Reason] = Counter()
        first = bisect.bisect_right(reach, lower)
        timelines: list[tuple[_Timeline, Reason]] = []
        if asset is not None and asset.id in self.busy:
            timelines.append((self.busy[asset.id], Reason.ASSET_BUSY))
        if asset is not None and duty.downtime:
            partner_ids, family_ids = self._conflicts(asset)
            timelines.extend(
                (self.down[p], Reason.HA_PARTNER) for p in partner_ids if p in self.down
            )
            timelines.extend(
                (self.down[f], Reason.HOST_GUEST) for f in family_ids if f in self.down
            )
        group = asset.redundancy_group if asset and duty.downtime else None
        for slot in slots[first:]:
            if deadline is not None and slot.start > deadline:
                break
            segments = slot.change_segments if duty.downtime else slot.segments
            if not segments:
                reasons[Reason.BLACKOUT] += 1
                continue
            if slot.capacity is not None and slot.used + length > slot.capacity:
                reasons[Reason.CAPACITY_FULL] += 1
                continue
            if group and group in slot.down_groups:
                reasons[Reason.HA_PARTNER] += 1
                continue
            if (
                asset is not None
                and duty.downtime
                and (
                    asset.id in slot.guest_hosts
                    or (asset.hosted_on and asset.hosted_on in slot.down_hosts)
                )
            ):
                reasons[Reason.HOST_GUEST] += 1
                continue
            start, lane, why = self._fit(slot, segments, lower, length, deadline, timelines)
            if start is None:
                reasons[why] += 1
                if why is Reason.NO_SLOT_BEFORE_DEADLINE:
                    break
                continue
            if not commit:
                return None, reasons, start
            return self._commit(index, slot, start, length, lane), reasons, start
        return None, reasons, None

    def _commit(self, index: int, slot: _Slot, start: int, length: int, lane: int | None) -> Task:
        due = self.dues[index]
        duty = due.duty
        asset = duty.asset
        end = start + length
        slot.used += length
        if slot.lanes is not None and lane is not None:
            slot.lanes[lane] = end
        if asset is not None:
            self.busy.setdefault(asset.id, _Timeline()).add((start, end))
            if duty.downtime:
                self.down.setdefault(asset.id, _Timeline()).add((start, end))
                if asset.redundancy_group:
                    slot.down_groups.add(asset.redundancy_group)
                if self.inventory.guests(asset.id):
                    slot.down_hosts.add(asset.id)
                if asset.hosted_on:
                    slot.guest_hosts.add(asset.hosted_on)
        task = Task(
            due=due,
            start=dt.datetime.fromtimestamp(start, slot.zone),
            end=dt.datetime.fromtimestamp(end, slot.zone),
            window=slot.window,
            occurrence=dt.datetime.fromtimestamp(slot.start, slot.zone),
            steps=(),
        )
        self.placed[index] = task
        return task

    def run(self) -> tuple[list[Task], list[Unplaced]]:
        tasks: list[Task] = []
        unplaced: list[Unplaced] = []
        for index in self.order():
            due = self.dues[index]
            lower, cause, after, test_text = self.bounds(index)
            deadline = _ts(due.deadline)
            if due.deadline < due.earliest:
                unplaced.append(
                    Unplaced(
                        due,
                        Reason.DEADLINE_BEFORE_EARLIEST,
                        f"the deadline {due.deadline.isoformat()} is before the earliest start"
                        f" {due.earliest.isoformat()}: check the rule's offset and deadline",
                    )
                )
                continue
            if lower > deadline and cause is not None:
                _, _, later = self.try_slots(index, lower, None, commit=False)
                unplaced.append(
                    Unplaced(due, cause, _bound_text(cause, lower, due), _moment(later, due))
                )
                continue
            task, reasons, _ = self.try_slots(index, lower, deadline, commit=True)
            if task is not None:
                steps = tuple(
                    Step(StepKind.TEST, test_text) if step.kind is StepKind.TEST else step
                    for step in due.duty.steps
                )
                task = Task(
                    task.due, task.start, task.end, task.window, task.occurrence, steps, after
                )
                self.placed[index] = task
                tasks.append(task)
                continue
            _, _, later = self.try_slots(index, lower, None, commit=False)
            reason, detail = self._explain(due, reasons)
            unplaced.append(Unplaced(due, reason, detail, _moment(later, due)))
        for group, count in sorted(self.untested.items()):
            example = self.dues[next(iter(self.groups[group].values()))[0]]
            self.warnings.append(
                f"{example.duty.activity.label} released {example.anchor.isoformat()}"
                f" ({example.duty.asset.product if example.duty.asset else ''}): the lower ring's"
                f" task is unplaced, so {count} higher-ring task(s) are planned without a test"
            )
        tasks.sort(key=lambda t: (t.start, t.uid))
        unplaced.sort(key=lambda u: (u.due.deadline, u.due.uid))
        return tasks, unplaced

    def _explain(self, due: Due, reasons: Counter[Reason]) -> tuple[Reason, str]:
        duty = due.duty
        if duty.mode is Mode.WINDOW and not self._window_names(duty.asset):
            return Reason.NO_ELIGIBLE_WINDOW, (
                "the asset names no window and no window applies to its kind or tags"
            )
        blocking = {r: n for r, n in reasons.items() if r is not Reason.NO_SLOT_BEFORE_DEADLINE}
        if not blocking:
            where = "office hours" if duty.mode is not Mode.WINDOW else "an eligible window"
            return Reason.NO_SLOT_BEFORE_DEADLINE, (
                f"no slot of {where} between {due.earliest.isoformat()} and the deadline"
                f" {due.deadline.isoformat()}"
            )
        reason = max(blocking, key=lambda r: (blocking[r], -_REASON_ORDER.index(r)))
        tried = sum(blocking.values())
        return reason, f"{blocking[reason]} of {tried} slots before the deadline: {_WORDS[reason]}"


_WORDS = {
    Reason.BLACKOUT: "blacked out",
    Reason.CAPACITY_FULL: "no technician time left",
    Reason.HA_PARTNER: "a member of the same redundancy group was down",
    Reason.HOST_GUEST: "the host or a guest was down",
    Reason.ASSET_BUSY: "the asset had other work",
    Reason.RING_SOAK: "waiting for the lower ring's soak time",
    Reason.DEPENDENCY: "waiting for a dependency",
    Reason.SLOT_TOO_SHORT: "the work takes longer than the slot",
}


def _bound_text(cause: Reason, lower: int, due: Due) -> str:
    when = dt.datetime.fromtimestamp(lower, due.deadline.tzinfo).isoformat()
    what = "the lower ring's soak time" if cause is Reason.RING_SOAK else "its dependencies"
    return f"{what} allow a start only from {when}, after the deadline {due.deadline.isoformat()}"


def _moment(seconds: int | None, due: Due) -> dt.datetime | None:
    return None if seconds is None else dt.datetime.fromtimestamp(seconds, due.deadline.tzinfo)


def schedule(
    dues: Sequence[Due],
    inventory: Inventory,
    horizon: Horizon,
    *,
    reference_time: dt.datetime,
    digest: str = "",
    packs: Sequence[str] = (),
) -> Plan:
    """Place every due, or say why it cannot be placed.

    Args:
        dues: From :func:`maintlib.expand.expand`.
        inventory: The inventory the dues came from (windows, blackouts, links).
        horizon: The planned period.
        reference_time: The caller's "now" (aware); recorded, never compared.
        digest: Digest of the inputs, recorded in the plan.
        packs: ``name version`` of the packs used, recorded in the plan.

    Returns:
        The plan: every due is exactly one task or one unplaced entry.
    """
    if reference_time.tzinfo is None:
        raise ValueError("reference_time must be an aware datetime")
    scheduler = _Scheduler(dues, inventory, horizon)
    tasks, unplaced = scheduler.run()
    return Plan(
        organisation=inventory.organisation,
        horizon=horizon,
        reference_time=reference_time,
        tasks=tuple(tasks),
        unplaced=tuple(unplaced),
        warnings=tuple(dict.fromkeys(scheduler.warnings)),
        dues=len(dues),
        digest=digest,
        packs=tuple(packs),
    )
