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
from collections.abc import Iterator, Mapping, Sequence
from zoneinfo import ZoneInfo

import attrs
import holidays as holidays_lib

from maintlib.apply import Duty
from maintlib.blackouts import expand_calendar
from maintlib.inventory import Asset, Inventory, Window
from maintlib.model import Mode, Tier, UpdateClass
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
        #: Technician lanes as a min-heap of the times each lane is free from
        #: (None: as many technicians as needed). A list of equal values is a heap.
        self.lanes: list[int] | None = None
        if capacity is not None and end > start:
            self.lanes = [start] * max(1, math.ceil(capacity / (end - start)))
        #: Redundancy group → members down in this slot.
        self.down_groups: dict[str, set[str | None]] = {}
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


def _cycles(successors: Mapping[int, Sequence[int]]) -> list[list[int]]:
    """Strongly connected components with more than one node (Tarjan, iterative)."""
    index_of: dict[int, int] = {}
    low: dict[int, int] = {}
    on_stack: set[int] = set()
    stack: list[int] = []
    components: list[list[int]] = []
    counter = 0
    for root in sorted(successors):
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
            targets = successors.get(node, ())
            for offset in range(position, len(targets)):
                target = targets[offset]
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


@attrs.frozen
class _Profile:
    """What placing any due of one duty needs (computed once per duty)."""

    length: int
    slots: list[_Slot] = attrs.field(eq=False)
    reach: list[int] = attrs.field(eq=False)
    downtime: bool
    asset: str | None
    group: str | None
    host: str | None
    is_host: bool
    partners: tuple[str, ...]
    family: tuple[str, ...]
    #: True when no slot of the duty has a capacity limit.
    unlimited: bool


def _touches(profile: _Profile, interval: Interval) -> bool:
    """Whether ``interval`` overlaps any slot of ``profile``."""
    low, high = interval
    slots = profile.slots
    for position in range(bisect.bisect_right(profile.reach, low), len(slots)):
        slot = slots[position]
        if slot.start >= high:
            return False
        if slot.end > low:
            return True
    return False


_RANK = {tier: tier.rank for tier in Tier}
_NOBODY: frozenset[str | None] = frozenset()


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
        self._profiles: dict[int, _Profile] = {}
        self._unlimited_lists: dict[int, bool] = {}
        self._moments: dict[tuple[int, ZoneInfo], dt.datetime] = {}
        self._step_cache: dict[tuple[int, str], tuple[Step, ...]] = {}
        self._ring_cache: dict[tuple[int, int], tuple[int | None, tuple[str, ...], str]] = {}
        # Dues of one cadence share their datetime objects: convert each once.
        seconds: dict[int, int] = {}

        def stamp(moment: dt.datetime) -> int:
            value = seconds.get(id(moment))
            if value is None:
                value = seconds[id(moment)] = _ts(moment)
            return value

        self.earliest = [stamp(due.earliest) for due in dues]
        self.deadline = [stamp(due.deadline) for due in dues]
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

    def eligible(self, duty: Duty) -> tuple[list[_Slot], list[int]]:
        """The duty's slots by start, and the running maximum of their ends.

        The running maximum is sorted, so bisecting it for a time skips exactly
        the slots that end before that time.
        """
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
        targets = {target for asset in self.inventory.assets for target in asset.depends_on}
        lookup = {
            (due.duty.subject, due.duty.activity.name, due.anchor): index
            for index, due in enumerate(self.dues)
            if due.duty.subject in targets
        }
        depends: dict[int, list[int]] = {}
        for index, due in enumerate(self.dues):
            asset = due.duty.asset
            for target in asset.depends_on if asset else ():
                before = lookup.get((target, due.duty.activity.name, due.anchor))
                if before is not None:
                    depends.setdefault(index, []).append(before)
        return depends

    def _graph(self, groups: list[dict[int, list[int]]]) -> dict[int, list[int]]:
        """Successors of the dues that have any, and of one barrier node per ring
        group and level (numbered from ``len(dues)`` on).

        A barrier waits for every due of the lower levels and releases the dues of
        its level, so a release with many test and production assets needs edges in
        proportion to the assets, not to their product.
        """
        successors: dict[int, list[int]] = {}
        barrier = len(self.dues)
        for levels in groups:
            below: list[int] = []
            for level in sorted(levels):
                if below:
                    successors[barrier] = list(levels[level])
                    for index in below:
                        successors.setdefault(index, []).append(barrier)
                    barrier += 1
                below = below + levels[level]
        for index, befores in self.depends.items():
            for before in befores:
                successors.setdefault(before, []).append(index)
        return successors

    def _drop_contradicted_rings(
        self, groups: list[dict[int, list[int]]]
    ) -> list[dict[int, list[int]]]:
        """Take dues out of ring ordering where it contradicts ``depends_on``.

        A test asset that depends on a production asset of the same product must
        wait for it, and also go first: impossible. The explicit dependency wins;
        the dues on such a cycle are planned without ring order, with a warning.
        """
        count = len(self.dues)
        cyclic = {
            node for component in _cycles(self._graph(groups)) for node in component if node < count
        }
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

    def prepare(self) -> None:
        """Find the precedences: dependencies, and ring groups free of contradictions."""
        self.depends = self._dependencies()
        self.groups = self._drop_contradicted_rings(self._ring_levels())
        self.ring_of = {
            index: (group, level)
            for group, levels in enumerate(self.groups)
            for level, members in levels.items()
            for index in members
        }

    def _key(self, index: int) -> tuple[int, int, int, str, int]:
        due = self.dues[index]
        return (_RANK[due.duty.tier], self.deadline[index], self.earliest[index], due.uid, index)

    def order(self, skip: list[bool]) -> Iterator[int]:
        """Due indexes in a precedence-respecting, priority-first order (Kahn's algorithm).

        Among the dues whose predecessors are all done: P1 first, then the
        earliest deadline, the earliest start, the uid. Dues marked in ``skip``
        are left out (free dues, placed afterwards by :meth:`_run_free`).
        """
        successors = self._graph(self.groups)
        count = len(self.dues)
        indegree: dict[int, int] = {}
        for targets in successors.values():
            for target in targets:
                indegree[target] = indegree.get(target, 0) + 1
        key = self._key
        heap = [key(i) for i in range(count) if i not in indegree and not skip[i]]
        heapq.heapify(heap)
        pending = [node for node in successors if node >= count and node not in indegree]
        while heap or pending:
            if pending:
                node = pending.pop()
            else:
                node = heapq.heappop(heap)[-1]
                yield node
            for after in successors.get(node, ()):
                indegree[after] -= 1
                if indegree[after] == 0:
                    if after >= count:
                        pending.append(after)
                    elif not skip[after]:
                        heapq.heappush(heap, key(after))

    # -- placement -------------------------------------------------------------

    def _ring_bound(self, group: int, level: int) -> tuple[int | None, tuple[str, ...], str]:
        """What the lower rings of ``group`` impose on its dues at ``level``.

        Returns the earliest start they allow (None when none of them is placed),
        the uid of the last-finishing task of each lower level (every other task
        of that level finished before it), and the text of the test step. Kahn's
        order finishes the lower levels first, so the answer is computed once.
        """
        key = (group, level)
        if key in self._ring_cache:
            return self._ring_cache[key]
        levels = self.groups[group]
        last: list[Task] = []
        for lower_level in sorted(lv for lv in levels if lv < level):
            placed = [self.placed[i] for i in levels[lower_level] if i in self.placed]
            if placed:
                last.append(max(placed, key=lambda t: (t.end, t.uid)))
        if not last:
            text = (
                "This is the lower ring for the release: watch it before production."
                if level == min(levels)
                else "The lower ring's task for this release was not placed: test first."
            )
            result: tuple[int | None, tuple[str, ...], str] = (None, (), text)
        else:
            tested = "; ".join(
                f"{t.due.duty.subject} on {t.start:%Y-%m-%d %H:%M} ({t.uid})" for t in last
            )
            text = f"Confirm the same release passed the lower ring: {tested}."
            bound = max(_ts(t.end) for t in last) + self.soak
            result = (bound, tuple(t.uid for t in last), text)
        self._ring_cache[key] = result
        return result

    def bounds(self, index: int) -> tuple[int, Reason | None, tuple[str, ...], str]:
        """Earliest start from precedences, what set it, predecessor uids, test-step text."""
        lower, cause = self.earliest[index], None
        after: list[str] = []
        test_text = "No lower-ring asset runs this release; test on a snapshot or spare first."
        ring = self.ring_of.get(index)
        if ring is not None:
            bound, ring_after, test_text = self._ring_bound(*ring)
            if bound is None and ring[1] != min(self.groups[ring[0]]):
                self.untested[ring[0]] += 1
            if bound is not None and bound > lower:
                lower, cause = bound, Reason.RING_SOAK
            after.extend(ring_after)
        for before in self.depends.get(index, []):
            task = self.placed.get(before)
            if task is None:
                continue
            after.append(task.uid)
            end = _ts(task.end)
            if end > lower:
                lower, cause = end, Reason.DEPENDENCY
        return lower, cause, tuple(after), test_text

    def _conflicts(self, asset: Asset) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Assets whose downtime must not meet this one's: HA partners, host and guests."""
        partners: tuple[str, ...] = ()
        if asset.redundancy_group:
            members = self.inventory.group_members(asset.redundancy_group)
            partners = tuple(m for m in members if m != asset.id)
        family = self.inventory.guests(asset.id)
        if asset.hosted_on:
            family = (*family, asset.hosted_on)
        return partners, family

    def _fit(
        self,
        slot: _Slot,
        segments: Sequence[Interval],
        lower: int,
        length: int,
        deadline: int | None,
        timelines: Sequence[tuple[_Timeline, Reason]],
    ) -> tuple[int | None, Reason]:
        """Earliest start in ``slot``, or ``(None, reason)``.

        The first fit from a lane's free time never comes before the first fit
        from an earlier free time, so the least busy lane (the heap's top) gives
        the earliest start; committing the task moves that lane on.
        """
        if length > slot.end - slot.start:
            return None, Reason.SLOT_TOO_SHORT
        begin = lower if slot.lanes is None else max(slot.lanes[0], lower)
        return _first_fit(slot, segments, begin, length, deadline, timelines)

    def _profile(self, duty: Duty) -> _Profile:
        """What placing any due of ``duty`` needs, computed once per duty."""
        profile = self._profiles.get(id(duty))
        if profile is None:
            asset = duty.asset
            partners: tuple[str, ...] = ()
            family: tuple[str, ...] = ()
            if asset is not None and duty.downtime:
                partners, family = self._conflicts(asset)
            slots, reach = self.eligible(duty)
            profile = _Profile(
                length=int(duty.duration.total_seconds()),
                slots=slots,
                reach=reach,
                downtime=duty.downtime,
                asset=asset.id if asset else None,
                group=asset.redundancy_group if asset and duty.downtime else None,
                host=asset.hosted_on if asset and duty.downtime else None,
                is_host=bool(asset and duty.downtime and self.inventory.guests(asset.id)),
                partners=partners,
                family=family,
                unlimited=self._unlimited(slots),
            )
            self._profiles[id(duty)] = profile
        return profile

    def _unlimited(self, slots: list[_Slot]) -> bool:
        """Whether no slot of ``slots`` has a capacity limit (once per slot list)."""
        known = self._unlimited_lists.get(id(slots))
        if known is None:
            known = self._unlimited_lists[id(slots)] = all(s.capacity is None for s in slots)
        return known

    def try_slots(
        self, index: int, lower: int, deadline: int | None
    ) -> tuple[_Slot | None, int, Counter[Reason]]:
        """The first slot and start for due ``index`` (nothing is taken).

        Returns ``(slot, start, reasons)``; ``slot`` is None when nothing fits
        by ``deadline`` (None: no deadline), with the rejections counted.
        """
        profile = self._profile(self.dues[index].duty)
        length, downtime = profile.length, profile.downtime
        reasons: Counter[Reason] = Counter()
        timelines: list[tuple[_Timeline, Reason]] = []
        if profile.asset is not None and profile.asset in self.busy:
            timelines.append((self.busy[profile.asset], Reason.ASSET_BUSY))
        for partner in profile.partners:
            if partner in self.down:
                timelines.append((self.down[partner], Reason.HA_PARTNER))
        for relative in profile.family:
            if relative in self.down:
                timelines.append((self.down[relative], Reason.HOST_GUEST))
        slots = profile.slots
        for position in range(bisect.bisect_right(profile.reach, lower), len(slots)):
            slot = slots[position]
            if deadline is not None and slot.start > deadline:
                break
            segments = slot.change_segments if downtime else slot.segments
            if not segments:
                reasons[Reason.BLACKOUT] += 1
                continue
            if slot.capacity is not None and slot.used + length > slot.capacity:
                reasons[Reason.CAPACITY_FULL] += 1
                continue
            if profile.group is not None and slot.down_groups.get(profile.group, _NOBODY) - {
                profile.asset
            }:
                reasons[Reason.HA_PARTNER] += 1
                continue
            if (profile.is_host and profile.asset in slot.guest_hosts) or (
                profile.host is not None and profile.host in slot.down_hosts
            ):
                reasons[Reason.HOST_GUEST] += 1
                continue
            start, why = self._fit(slot, segments, lower, length, deadline, timelines)
            if start is None:
                reasons[why] += 1
                if why is Reason.NO_SLOT_BEFORE_DEADLINE:
                    break
                continue
            return slot, start, reasons
        return None, 0, reasons

    def _moment(self, seconds: int, zone: ZoneInfo) -> dt.datetime:
        """An aware datetime for ``seconds`` (shared: many tasks start alike)."""
        key = (seconds, zone)
        moment = self._moments.get(key)
        if moment is None:
            moment = self._moments[key] = dt.datetime.fromtimestamp(seconds, zone)
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
        slot: _Slot,
        start: int,
        steps: tuple[Step, ...],
        after: tuple[str, ...],
    ) -> Task:
        due = self.dues[index]
        profile = self._profile(due.duty)
        end = start + profile.length
        slot.used += profile.length
        if slot.lanes is not None:
            heapq.heapreplace(slot.lanes, end)
        if profile.asset is not None:
            busy = self.busy.get(profile.asset)
            if busy is None:
                busy = self.busy[profile.asset] = _Timeline()
            busy.add((start, end))
            if profile.downtime:
                self.down.setdefault(profile.asset, _Timeline()).add((start, end))
                if profile.group is not None:
                    slot.down_groups.setdefault(profile.group, set()).add(profile.asset)
                if profile.is_host:
                    slot.down_hosts.add(profile.asset)
                if profile.host is not None:
                    slot.guest_hosts.add(profile.host)
        task = Task(
            due,
            self._moment(start, slot.zone),
            self._moment(end, slot.zone),
            slot.window,
            self._moment(slot.start, slot.zone),
            steps,
            after,
        )
        self.placed[index] = task
        return task

    def place(self, index: int) -> Task | Unplaced:
        """Place due ``index`` (its predecessors are done), or say why not."""
        due = self.dues[index]
        lower, cause, after, test_text = self.bounds(index)
        deadline = self.deadline[index]
        if deadline < self.earliest[index]:
            return Unplaced(
                due,
                Reason.DEADLINE_BEFORE_EARLIEST,
                f"the deadline {due.deadline.isoformat()} is before the earliest start"
                f" {due.earliest.isoformat()}: check the rule's offset and deadline",
            )
        if lower > deadline and cause is not None:
            later = self.try_slots(index, lower, None)
            return Unplaced(due, cause, _bound_text(cause, lower, due), _later(later, due))
        slot, start, reasons = self.try_slots(index, lower, deadline)
        if slot is not None:
            return self._commit(index, slot, start, self._steps(due.duty, test_text), after)
        reason, detail = self._explain(due, reasons)
        return Unplaced(due, reason, detail, _later(self.try_slots(index, lower, None), due))

    def _free(self) -> list[bool]:
        """Which dues no other asset's work can affect, nor they another's.

        A free due has no precedence (no ring group, no dependency either way),
        only slots without a capacity limit, and no downtime that an HA partner,
        host or guest must avoid. Its placement depends on its own asset's other
        work alone, so free dues are placed after all constrained ones (they fit
        around them), subject by subject (:meth:`_run_free`).
        """
        targets = {before for befores in self.depends.values() for before in befores}
        free = []
        for index, due in enumerate(self.dues):
            profile = self._profile(due.duty)
            free.append(
                profile.unlimited
                and index not in self.ring_of
                and index not in self.depends
                and index not in targets
                and not (profile.downtime and (profile.partners or profile.family))
            )
        return free

    def _run_free(self, free: list[bool]) -> list[Task | Unplaced]:
        """Place the free dues, subject by subject, in priority order.

        Subjects whose free dues have the same shape and times, and whose earlier
        work meets their slots in the same way (a fleet of identical
        workstations; virtual servers whose updates happen at night and checks by
        day), get the same schedule: it is computed for the first and copied to
        the others.
        """
        by_subject: dict[str | None, list[int]] = {}
        for index, due in enumerate(self.dues):
            if free[index]:
                subject = due.duty.asset.id if due.duty.asset else None
                by_subject.setdefault(subject, []).append(index)
        templates: dict[tuple[object, ...], list[Task | Unplaced]] = {}
        results: list[Task | Unplaced] = []
        for subject in sorted(by_subject, key=lambda s: s or ""):
            indexes = sorted(by_subject[subject], key=self._key)
            busy = self.busy.get(subject) if subject is not None else None
            # Earlier work of the subject matters only where it meets a slot of these dues.
            profiles = {id(p): p for p in (self._profile(self.dues[i].duty) for i in indexes)}
            blocking = tuple(
                interval
                for interval in (busy.intervals if busy is not None else ())
                if any(_touches(profile, interval) for profile in profiles.values())
            )
            signature = (blocking, *(self._shape(index) for index in indexes))
            template = templates.get(signature)
            if template is None:
                template = templates[signature] = [self.place(index) for index in indexes]
                results.extend(template)
                continue
            for index, model in zip(indexes, template, strict=True):
                due = self.dues[index]
                if isinstance(model, Task):
                    results.append(
                        Task(
                            due, model.start, model.end, model.window, model.occurrence, model.steps
                        )
                    )
                else:
                    results.append(Unplaced(due, model.reason, model.detail, model.next_feasible))
        return results

    def _shape(self, index: int) -> tuple[object, ...]:
        """What a free due's placement depends on, when its asset has no other work."""
        due = self.dues[index]
        duty = due.duty
        suffix = due.uid[len(duty.subject) :]
        profile = self._profile(duty)
        return (
            suffix,
            profile.length,
            id(profile.slots),
            profile.downtime,
            id(duty.steps),
            duty.mode,
            self.earliest[index],
            self.deadline[index],
            duty.tier,
        )

    def run(self) -> tuple[list[Task], list[Unplaced]]:
        self.prepare()
        free = self._free()
        results: list[Task | Unplaced] = [self.place(index) for index in self.order(free)]
        results.extend(self._run_free(free))
        for group, count in sorted(self.untested.items()):
            example = self.dues[next(iter(self.groups[group].values()))[0]]
            self.warnings.append(
                f"{example.duty.activity.label} released {example.anchor.isoformat()}"
                f" ({example.duty.asset.product if example.duty.asset else ''}): the lower ring's"
                f" task is unplaced, so {count} higher-ring task(s) are planned without a test"
            )
        tasks = [r for r in results if isinstance(r, Task)]
        unplaced = [r for r in results if isinstance(r, Unplaced)]
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
    what = (
        "the lower ring's soak time allows"
        if cause is Reason.RING_SOAK
        else "its dependencies allow"
    )
    return f"{what} a start only from {when}, after the deadline {due.deadline.isoformat()}"


def _later(found: tuple[_Slot | None, int, object], due: Due) -> dt.datetime | None:
    """The start ``try_slots`` found after the deadline, in the slot's zone, or None."""
    slot, start = found[0], found[1]
    return None if slot is None else dt.datetime.fromtimestamp(start, slot.zone)


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
