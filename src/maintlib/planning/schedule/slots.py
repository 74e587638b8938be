"""Where work can go: window occurrences and office hours, minus blackouts, with
the technicians (capacity and lanes) each offers.

A **slot** is one occurrence of a window, or one business day's office hours.
Blackouts cut it into open segments: a full blackout closes the time to all work,
a change freeze (``changes_only``) to work with downtime. A slot with a capacity
has that many technician-seconds and ``lanes`` technicians working at once; a
window without ``capacity_hours`` has as many technicians as needed.

Technicians are taken by a task's **effort** (hands-on time, from its start), not
its wall-clock length: one technician starts an install, and while it runs and
the server reboots, starts the next one. The asset itself is taken for the whole
length (the planner's timelines), so work on different assets overlaps in a slot
while each asset has one thing at a time.

The one question this module answers for the planner: from when, at the
earliest, may a task of a given length go in this slot (segments, capacity,
lanes)? And it records and releases placements.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import itertools
import math
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from maintlib._util.recurrence import EPOCH, WallClockError, localize, occurrences
from maintlib.loading.blackouts import expand_calendar
from maintlib.model.inventory import Asset, Inventory, Window
from maintlib.planning.schedule.timeline import Ignore, Timeline, exactly, never

__all__ = ["Slot", "SlotBook", "eligible_windows", "ts"]


Interval = tuple[int, int]


def ts(moment: dt.datetime) -> int:
    """POSIX seconds of an aware datetime."""
    return int(moment.timestamp())


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


#: Where the time before a technician's first block starts, for the gap search:
#: before any moment work is asked for.
_NEVER_BEFORE = -(2**62)

#: A placement ``(start, end, lane)`` is kept as one integer: start, then the
#: hands-on seconds (at most a year: 2**25), then the lane plus one (-1: a slot
#: without lanes; at most 36 M technicians, 10,000 hours a second: 2**26). A
#: tuple and its three integers took about 160 bytes a task, 90 MB at 100,000
#: assets; one integer of this size takes 48.
_LANE_BITS = 26
_EFFORT_BITS = 32
_LANE_MASK = (1 << _LANE_BITS) - 1
_EFFORT_MASK = (1 << _EFFORT_BITS) - 1


def _pack(start: int, end: int, lane: int) -> int:
    return (((start << _EFFORT_BITS) | (end - start)) << _LANE_BITS) | (lane + 1)


def _unpack(value: int) -> tuple[int, int, int]:
    lane = (value & _LANE_MASK) - 1
    value >>= _LANE_BITS
    start = value >> _EFFORT_BITS
    return start, start + (value & _EFFORT_MASK), lane


def _key(moment: int, lane: int) -> int:
    """``(moment, lane)`` as one integer that sorts as the pair does (negative
    moments too: ``moment << bits | lane`` is ``moment * 2**bits + lane``). The
    sorted lists of technicians compare integers, not tuples: at 100,000 assets a
    window occurrence has 1,000 technicians, and their lists' searches were the
    schedule's largest cost above linear."""
    return (moment << _LANE_BITS) | lane


@functools.cache
def _idle(lanes: int) -> tuple[int, ...]:
    """``_key(0, lane)`` for each of ``lanes`` technicians: every slot starts its
    list of ends from these, shared (a year of a window with 1,000 technicians
    held 1.5 M of them, one per technician per occurrence)."""
    return tuple(_key(0, lane) for lane in range(lanes))


class Slot:
    """One window occurrence, or one business day's office hours (mutable state)."""

    __slots__ = (
        "_ends_sorted",
        "_first_of",
        "_firsts",
        "_gaps_by_end",
        "_gaps_by_start",
        "_lane_gaps",
        "_placed",
        "_shortest",
        "by_rank",
        "capacity",
        "change_segments",
        "down_groups",
        "end",
        "ends",
        "ends_sum",
        "free",
        "free_lane",
        "key",
        "lane_used",
        "lane_worst",
        "lanes",
        "segments",
        "start",
        "timelines",
        "used",
        "window",
        "worst",
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
        lanes: int | None = None,
        team: str | None = None,
        shortest: int | None = None,
    ) -> None:
        self.window = window
        #: Unique among a plan's slots: an office day or a window occurrence of a
        #: team of its own (``[planning.teams]``) is told apart from the shared one.
        self.key: tuple[str | None, int] = (
            (window, start) if team is None else (f"{window or 'office hours'} of {team}", start)
        )
        self.start = start
        self.end = end
        self.zone = zone
        #: Open parts for work without downtime (full blackouts removed), and for
        #: work with downtime (change freezes removed too).
        self.segments = _subtract(start, end, blocked[0])
        self.change_segments = _subtract(start, end, blocked[1])
        #: Technician-seconds available, or None: unlimited.
        self.capacity = capacity
        #: One timeline per technician at work at the same time, or None: as many
        #: as needed.
        if lanes is None and capacity is not None and end > start:
            lanes = max(1, math.ceil(capacity / (end - start)))
        self.lanes = lanes
        #: Each technician's work (made when the first task arrives).
        self.timelines: dict[int, Timeline] = {}
        #: When each technician's last task ends (0: none yet).
        self.ends: list[int] = [0] * lanes if lanes is not None else []
        #: ``sum(ends)``: with ``used``, how much idle time the technicians have
        #: between the slot's start and their last task (:meth:`idle`).
        self.ends_sum = 0
        #: When the first technician is free: ``min(ends)`` (0 without lanes), and
        #: which one (the lowest numbered of those free first).
        self.free = 0
        self.free_lane = 0
        #: ``_key(end of the last task, lane)`` of every technician, sorted: the
        #: first is ``_key(free, free_lane)`` (a window's lanes grow with its
        #: capacity, and a scan of them per task made large fleets quadratic).
        self._ends_sorted: list[int] = list(_idle(lanes or 0))
        #: Every technician's gaps between two blocks, sorted by start
        #: ``(start, lane, end)`` and by end ``(end, lane, start)``, and each
        #: technician's own: the gap search finds the earliest gap work fits in
        #: without a walk over every technician.
        self._gaps_by_start: list[tuple[int, int, int]] = []
        self._gaps_by_end: list[tuple[int, int, int]] = []
        self._lane_gaps: dict[int, list[tuple[int, int]]] = {}
        #: The time before each technician's first block (a gap from
        #: :data:`_NEVER_BEFORE`), apart: ``_key(first block's start, lane)``, sorted,
        #: and each technician's. Every technician with work has one, and each
        #: starts before any moment asked for: in the lists above they were most
        #: of what a search walked (1,000 technicians at 100k assets).
        self._firsts: list[int] = []
        self._first_of: dict[int, int] = {}
        #: The least hands-on time any work asks of a technician here (None: not
        #: known, :meth:`expect`): a shorter gap between two blocks fits nothing,
        #: and is left out of the lists (at 10k assets most gaps in windows were 5
        #: or 10 minutes, the work there 15 or more).
        self._shortest = shortest
        #: The highest (least urgent) tier rank each technician has had work of.
        self.lane_worst: list[int] = [0] * lanes if lanes is not None else []
        #: Each technician's hands-on seconds: with ``ends``, their idle time.
        self.lane_used: list[int] = [0] * lanes if lanes is not None else []
        #: The highest (least urgent) tier rank placed here so far: where priority
        #: repair may find work to move.
        self.worst = 0
        self.used = 0
        #: Seconds of movable work (nothing waits for it) per tier rank: what
        #: priority repair for a due of a rank frees by moving every task of a
        #: less urgent tier.
        self.by_rank: list[int] = [0] * 8
        #: Placed work: due → ``(start, end, lane)`` of its technician time
        #: (effort), packed (:func:`_pack`; read with :meth:`span`).
        self._placed: dict[int, int] = {}
        #: Redundancy group → ``asset\0due`` of its members down in this slot
        #: (``separate`` groups).
        self.down_groups: dict[str, set[str]] = {}

    def expect(self, effort: int) -> None:
        """Work of ``effort`` hands-on seconds may be placed here: the least of what
        the slot is told is the shortest gap it keeps. Told before any work is
        recorded; never told, it keeps every gap."""
        self._shortest = effort if self._shortest is None else min(self._shortest, effort)

    def open_segments(self, downtime: bool) -> list[Interval]:
        return self.change_segments if downtime else self.segments

    def room(self, length: int, ignore: Ignore) -> bool:
        """Whether the capacity has ``length`` seconds left (looking past ``ignore``).

        Priority repair's ``ignore`` (it has a ``rank``: the movable work of less
        urgent tiers) is answered from the per-rank totals, without a walk over
        the slot's tasks.
        """
        if self.capacity is None:
            return True
        used = self.used
        if used + length <= self.capacity:
            return True
        if ignore is never:
            return False
        rank = getattr(ignore, "rank", None)
        if rank is not None:
            return self.room_below(length, rank)
        used -= sum(self.hands_on(due) for due in self._placed if ignore(due))
        return used + length <= self.capacity

    def holds(self, due: int) -> bool:
        """Whether due ``due`` is placed here."""
        return due in self._placed

    def dues(self) -> list[int]:
        """The dues placed here, in the order they were placed."""
        return list(self._placed)

    def span(self, due: int) -> tuple[int, int, int]:
        """``(start, end, lane)`` of due ``due``'s technician time here (lane -1:
        a slot without lanes)."""
        return _unpack(self._placed[due])

    def hands_on(self, due: int) -> int:
        """Seconds of technician time due ``due`` takes here."""
        return (self._placed[due] >> _LANE_BITS) & _EFFORT_MASK

    def room_below(self, length: int, rank: int) -> bool:
        """Whether ``length`` seconds would fit once every movable task of a tier
        less urgent than ``rank`` left."""
        if self.capacity is None:
            return True
        return self.used - sum(self.by_rank[rank + 1 :]) + length <= self.capacity

    def lane_start(
        self, begin: int, length: int, ignore: Ignore, *, gaps: bool = False
    ) -> tuple[int, int]:
        """An early start from ``begin`` at which a technician is free for ``length``
        seconds, and which technician (lane); ``(begin, -1)`` when the slot has as
        many technicians as needed.

        Counting every task (``ignore`` is :func:`never`), work goes after the
        last task of the technician free first — back to back, as a day's work is
        done — or, with ``gaps`` and when that is later than ``begin``, into the
        earliest gap a technician has. Looking past tasks (priority repair), the earliest gap
        that fits is found.
        """
        if self.lanes is None:
            return begin, -1
        if ignore is never:
            start = max(self.free, begin)
            if start == begin or not gaps:
                return start, self.free_lane
            # A technician may have a gap before their last task: hands-on time
            # is short beside the installs it starts, so gaps are common.
            return self._in_gap(begin, length) or (start, self.free_lane)
        if ignore is exactly:
            return self._anywhere(begin, length)
        # A repair looks past work of ranks above ``ignore.rank``: a technician who
        # never had such work is searched the quick way.
        limit = getattr(ignore, "rank", None)
        earliest, chosen = 2**62, -1
        for number in range(self.lanes):
            timeline = self.timelines.get(number)
            if timeline is None:
                t = begin
            elif limit is not None and self.lane_worst[number] <= limit:
                t = timeline.first_free(begin, length, never)
            else:
                t = timeline.first_free(begin, length, ignore)
            if t < earliest:
                earliest, chosen = t, number
                if t == begin:
                    break
        return earliest, chosen

    def record(
        self, start: int, end: int, due: int, lane: int, rank: int = 0, movable: bool = False
    ) -> None:
        self.used += end - start
        if movable:
            self.by_rank[rank] += end - start
        self._placed[due] = _pack(start, end, lane)
        if self.lanes is not None:
            timeline = self.timelines.get(lane)
            if timeline is None:
                timeline = self.timelines[lane] = Timeline()
            timeline.add(start, end, due)
            self._track(lane, timeline)
            self.lane_used[lane] += end - start
            self._set_end(lane, max(self.ends[lane], end))
            self.lane_worst[lane] = max(self.lane_worst[lane], rank)

    def release(self, due: int, rank: int = 0, movable: bool = False) -> None:
        start, end, lane = _unpack(self._placed.pop(due))
        self.used -= end - start
        if movable:
            self.by_rank[rank] -= end - start
        if self.lanes is not None:
            timeline = self.timelines[lane]
            timeline.remove(start, end, due)
            self._track(lane, timeline)
            self.lane_used[lane] -= end - start
            self._set_end(lane, timeline.last_end)

    def idle(self) -> int:
        """Technician-seconds left unused between the slot's start and each
        technician's last task, once every technician has work (else: as much as
        an empty technician has). No gap of a longer effort can exist."""
        if self.lanes is None or self.free == 0:
            return 2**62
        return self.ends_sum - self.lanes * self.start - self.used

    def _in_gap(self, begin: int, length: int) -> tuple[int, int] | None:
        """The earliest start from ``begin`` in a technician's gap that ``length``
        seconds fit in, if it is before the technician free first is (the lowest
        numbered technician of those that can start then); None: no such gap.

        What a walk over every technician's blocks would find (``tests/test_slots.py``
        compares): a gap ``[start, end)`` fits from ``max(start, begin)``.
        """
        # From ``begin`` itself: a gap from at most ``begin`` to at least its end.
        lanes = self._spanning(begin, length)
        if lanes:
            return begin, min(lanes)
        # Else the first gap after ``begin`` that is long enough, before the
        # technician free first is free.
        by_start = self._gaps_by_start
        upto = bisect.bisect_right(by_start, (begin, 2**62, 2**62))
        before = bisect.bisect_left(by_start, (max(self.free, begin), -1, _NEVER_BEFORE))
        for position in range(upto, before):
            start, lane, end = by_start[position]
            if end - start >= length:
                return start, lane
        return None

    def _anywhere(self, begin: int, length: int) -> tuple[int, int]:
        """The earliest start from ``begin`` any technician is free for ``length``
        seconds, counting every task, and the lowest numbered technician free then.

        Mostly ``begin`` itself (a repair freed it; a task goes back where it was):
        a technician done by then, or with a gap around it, found from the sorted
        lists without a walk over every technician's tasks.
        """
        ordered = self._ends_sorted
        done = ordered[: bisect.bisect_right(ordered, _key(begin, _LANE_MASK))]
        free = [min(key & _LANE_MASK for key in done)] if done else []
        spanning = self._spanning(begin, length)
        if free or spanning:
            return begin, min(free + spanning)
        # Later than ``begin`` for everyone: each technician's first free time.
        return min(
            (timeline.first_free(begin, length, never), number)
            for number, timeline in self.timelines.items()
        )

    def _spanning(self, begin: int, length: int) -> list[int]:
        """The technicians with a gap from at most ``begin`` to at least
        ``begin + length``, found from the shorter of the two sorted lists."""
        by_start, by_end, firsts = self._gaps_by_start, self._gaps_by_end, self._firsts
        bound = begin + length
        # The time before a technician's first block spans ``[begin, bound)`` when
        # that block starts at ``bound`` or later.
        lanes = [key & _LANE_MASK for key in firsts[bisect.bisect_left(firsts, _key(bound, 0)) :]]
        upto = bisect.bisect_right(by_start, (begin, 2**62, 2**62))
        since = bisect.bisect_left(by_end, (bound, -1, _NEVER_BEFORE))
        if upto <= len(by_end) - since:
            lanes += [lane for _, lane, end in by_start[:upto] if end >= bound]
        else:
            lanes += [lane for _, lane, start in by_end[since:] if start <= begin]
        return lanes

    def _track(self, lane: int, timeline: Timeline) -> None:
        """Keep ``lane``'s gaps and first block in the sorted lists up to date.

        A task added or taken away changes a gap or two of its technician: only
        those leave and enter the lists (at 10k assets, 22,000 changes of the
        78,000 removals and insertions that redoing every gap of the technician took),
        and the first block only when it moved."""
        by_start, by_end = self._gaps_by_start, self._gaps_by_end
        blocks = timeline.blocks
        old = self._lane_gaps.pop(lane, ())
        gaps: list[tuple[int, int]] = []
        if len(blocks) > 2:
            shortest = self._shortest or 0
            # Between one block's high and the next one's low.
            gaps = [
                (blocks[i], blocks[i + 1])
                for i in range(1, len(blocks) - 1, 2)
                if blocks[i + 1] - blocks[i] >= shortest
            ]
        if gaps:
            self._lane_gaps[lane] = gaps
        kept = set(old).intersection(gaps) if old and gaps else ()
        for start, end in old:
            if (start, end) not in kept:
                del by_start[bisect.bisect_left(by_start, (start, lane, end))]
                del by_end[bisect.bisect_left(by_end, (end, lane, start))]
        for start, end in gaps:
            if (start, end) not in kept:
                bisect.insort(by_start, (start, lane, end))
                bisect.insort(by_end, (end, lane, start))
        first = self._first_of.get(lane)
        now = blocks[0] if blocks else None
        if now != first:
            firsts = self._firsts
            if first is not None:
                del firsts[bisect.bisect_left(firsts, _key(first, lane))]
                del self._first_of[lane]
            if now is not None:
                self._first_of[lane] = now
                bisect.insort(firsts, _key(now, lane))

    def _set_end(self, lane: int, end: int) -> None:
        ends, ordered = self.ends, self._ends_sorted
        self.ends_sum += end - ends[lane]
        del ordered[bisect.bisect_left(ordered, _key(ends[lane], lane))]
        bisect.insort(ordered, _key(end, lane))
        ends[lane] = end
        first = ordered[0]
        self.free, self.free_lane = first >> _LANE_BITS, first & _LANE_MASK


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


class SlotBook:
    """Every slot of a plan: window occurrences and office days over ``span``.

    Args:
        inventory: Windows, blackouts, office hours, technicians and teams.
        span: The time range slots are made for.
        warnings: Where DST problems of occurrences are reported.
    """

    def __init__(
        self, inventory: Inventory, span: tuple[dt.datetime, dt.datetime], warnings: list[str]
    ) -> None:
        self.inventory = inventory
        self.span = span
        self.warnings = warnings
        self.zone = inventory.organisation.timezone
        self.blocked = self._blackouts()
        self.windows = {w.name: self._window_slots(w) for w in inventory.windows}
        self._lists: dict[
            tuple[tuple[str, ...] | None, str | None], tuple[list[Slot], list[int]]
        ] = {}
        #: Each window's occurrences per team, made once (a team's slots of two
        #: window lists are the same objects, as the shared ones are).
        self._teams: dict[tuple[str, str], list[Slot]] = {}

    def team(self, asset: Asset | None) -> str | None:
        """The team whose time ``asset``'s work takes — its office days, and its
        technicians in a window occurrence: its owner's, when ``[planning.teams]``
        names the owner; None: the shared technicians (and a window's
        ``capacity_hours``)."""
        if asset is None:
            return None
        planning = self.inventory.planning
        if asset.owner in planning.teams:
            return asset.owner
        for team, words in planning.team_handles.items():
            if asset.kind in words or not set(asset.tags).isdisjoint(words):
                return team
        return None

    def eligible(
        self, names: tuple[str, ...] | None, team: str | None = None
    ) -> tuple[list[Slot], list[int]]:
        """The slots of windows ``names`` (None: office hours) of ``team`` or of the
        shared technicians, by start, and the running maximum of their ends
        (sorted: bisecting it for a time skips exactly the slots that end before
        that time).

        A team's window slots are the windows' occurrences with the team's
        technicians side by side for the whole occurrence (issue 27: the network
        team and the server team work the same night, each on its own assets);
        the window's ``capacity_hours`` is the shared technicians'."""
        key = (names, team)
        found = self._lists.get(key)
        if found is None:
            planning = self.inventory.planning
            if names is None:
                size = planning.technicians if team is None else planning.teams[team]
                slots = self._office_slots(size, team)
            elif team is None:
                slots = [slot for name in names for slot in self.windows[name]]
            else:
                slots = [
                    slot
                    for name in names
                    for slot in self._team_slots(name, team, planning.teams[team])
                ]
            if names is not None:
                slots.sort(key=lambda s: (s.start, s.window or ""))
            reach = list(itertools.accumulate((slot.end for slot in slots), max))
            found = self._lists[key] = (slots, reach)
        return found

    def _blackouts(self) -> tuple[list[Interval], list[Interval]]:
        """Intervals closed to all work, and closed to work with downtime."""
        blackouts = list(self.inventory.blackouts)
        for calendar in self.inventory.blackout_calendars:
            blackouts.extend(expand_calendar(calendar, *self.span, self.zone))
        closed, frozen = [], []
        for blackout in blackouts:
            start, end = blackout.interval(self.zone)
            interval = (ts(start), ts(end))
            frozen.append(interval)
            if not blackout.changes_only:
                closed.append(interval)
        return sorted(closed), sorted(frozen)

    def _window_slots(self, window: Window) -> list[Slot]:
        zone = window.timezone or self.zone
        low, high = (moment.astimezone(zone).replace(tzinfo=None) for moment in self.span)
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
            start = ts(begin)
            end = start + int(window.duration.total_seconds())
            slots.append(Slot(window.name, start, end, zone, self.blocked, capacity))
        return slots

    def _team_slots(self, name: str, team: str, technicians: int) -> list[Slot]:
        """Window ``name``'s occurrences for ``team``: its technicians the whole time."""
        cached = self._teams.get((name, team))
        if cached is None:
            cached = self._teams[(name, team)] = [
                Slot(
                    name,
                    shared.start,
                    shared.end,
                    shared.zone,
                    self.blocked,
                    technicians * (shared.end - shared.start),
                    technicians,
                    team,
                )
                for shared in self.windows[name]
            ]
            # One occurrence, one set of HA members down, whoever's technicians.
            for slot, shared in zip(cached, self.windows[name], strict=True):
                slot.down_groups = shared.down_groups
        return cached

    def window_slots(self) -> list[Slot]:
        """Every window occurrence, of the shared technicians and of every team."""
        teams = self.inventory.planning.teams
        return [
            *(slot for slots in self.windows.values() for slot in slots),
            *(
                slot
                for team, technicians in teams.items()
                for name in self.windows
                for slot in self._team_slots(name, team, technicians)
            ),
        ]

    def office_slots(self) -> list[Slot]:
        """Every office day of the shared technicians and of every team."""
        teams = (None, *self.inventory.planning.teams)
        return [slot for team in teams for slot in self.eligible(None, team)[0]]

    def _office_slots(self, technicians: int, team: str | None = None) -> list[Slot]:
        organisation = self.inventory.organisation
        # A team works its own hours where it has them (``[planning.team_hours]``).
        office = self.inventory.planning.team_hours.get(team or "", organisation.office_hours)
        zone = self.zone
        first, last = (moment.astimezone(zone).date() for moment in self.span)
        closed: set[dt.date] = set()
        if organisation.country:
            import holidays as holidays_lib  # loaded when a country asks for it

            years = range(first.year, last.year + 1)
            closed = set(
                holidays_lib.country_holidays(
                    organisation.country, subdiv=organisation.subdivision, years=years
                )
            )
        slots = []
        day = first
        while day <= last:
            hours = office.on(day.weekday())
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
                    start, end = ts(begin), ts(close)
                    slots.append(
                        Slot(
                            None,
                            start,
                            end,
                            zone,
                            self.blocked,
                            technicians * (end - start),
                            technicians,
                            team,
                        )
                    )
            day += dt.timedelta(days=1)
        return slots
