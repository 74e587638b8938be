"""``maintlib check`` warnings: inventories that load, but probably say what was not meant.

A warning never stops a plan (``check`` exits 0). Each has a stable ``code`` that
tools may match on, a ``message`` for people and the ``location`` it is about;
``docs/inventory.md`` ("Warnings") lists the codes.
"""

from __future__ import annotations

import bisect
import datetime as dt
import fnmatch
import itertools
from collections.abc import Iterable, Sequence

import attrs

from maintlib._util.recurrence import EPOCH, occurrences
from maintlib.loading.blackouts import expand_calendar
from maintlib.model.catalog import Catalog
from maintlib.model.inventory import Asset, Inventory, Window
from maintlib.model.rules import Once, Rule
from maintlib.model.vocabulary import Category, Environment, GroupPolicy, Mode, Tier
from maintlib.model.work import Due, Duty, Horizon
from maintlib.planning.apply import apply
from maintlib.planning.expand import expand
from maintlib.planning.schedule.precedence import RING_CLASSES
from maintlib.planning.schedule.slots import Slot, SlotBook, eligible_windows, ts

__all__ = ["CODES", "CheckWarning", "check_warnings", "inventory_warnings", "window_warnings"]


#: Every warning code, with what it means (docs/inventory.md repeats the table).
CODES = {
    "window-applies-to-unknown": "a window's applies_to names neither a kind nor a tag",
    "window-capacity-zero": "a window has capacity 0",
    "no-window": "assets have planned work but no window",
    "p1-no-window": "an asset has P1 work in a window but no window serves it",
    "window-too-short": "a window is shorter than the longest task that may use it",
    "window-capacity-too-small": "a window's capacity_hours is below its longest task",
    "downtime-in-office-hours": "downtime on production servers or network gear in office hours",
    "vm-host-not-hypervisor": "a virtual server is hosted on an asset that is not a hypervisor",
    "profile-size": "the costing profile was written for a very different company size",
    "vendor-unmatched": "a pack knows the vendor, but no product rule or lifecycle row matches",
    "team-owner-unknown": "a [planning.teams] entry names an owner no asset has",
    "deadline-before-window": "P1/P2 work whose deadline often passes before any of its windows",
    "window-capacity-short": "P1/P2 work needs more technician time than its windows give in time",
    "ring-soak-past-deadline": "the lower rings and their soak leave P1/P2 work no start in time",
    "blackout-holds-urgent-work": "blackouts close every slot P1/P2 work has before its deadline",
    "rolling-group-split": "a rolling group's members need more time than one window occurrence",
    "expiry-near": "an asset's expires date has passed, or falls inside its renewal's lead time",
}


#: How far outside its size a profile may be used before ``profile-size`` warns.
SIZE_SLACK = 2


#: Asset categories whose downtime the article wants outside office hours (§6, §1).
OUTSIDE_OFFICE_HOURS = frozenset({Category.SERVER, Category.NETWORK})


#: The tiers whose lateness a check predicts (``deadline-before-window``,
#: ``window-capacity-short``).
_URGENT = frozenset({Tier.P1, Tier.P2})


#: A year of window occurrences is enough to find one inside office hours.
_SAMPLE = (EPOCH, EPOCH.replace(year=EPOCH.year + 1))


@attrs.frozen
class CheckWarning:
    """Something allowed but probably not meant.

    Attributes:
        code: Stable identifier (:data:`CODES`).
        message: What is wrong and what to do, for people.
        location: Where: ``assets (id "sw01")``, ``windows (name "x")``,
            ``costing.profile``, or ``<inventory>``.
    """

    code: str
    message: str
    location: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message} [{self.code}]"

    def to_json(self) -> dict[str, str]:
        """``{"code", "message", "location"}``."""
        return {"code": self.code, "message": self.message, "location": self.location}


def _asset_at(asset: Asset) -> str:
    return f'assets (id "{asset.id}")'


def _window_at(window: Window) -> str:
    return f'windows (name "{window.name}")'


def window_warnings(inventory: Inventory, catalog: Catalog) -> list[CheckWarning]:
    """Windows that serve nothing real, or nothing at all (no asset duties needed)."""
    found = []
    tags = {tag for asset in inventory.assets for tag in asset.tags}
    for window in inventory.windows:
        for target in window.applies_to:
            if target not in catalog.kinds and target not in tags:
                found.append(
                    CheckWarning(
                        "window-applies-to-unknown",
                        f'window "{window.name}": applies_to "{target}" is neither an asset kind'
                        " nor a tag any asset carries",
                        _window_at(window),
                    )
                )
        if window.capacity_hours == 0:
            found.append(
                CheckWarning(
                    "window-capacity-zero",
                    f'window "{window.name}" has capacity 0: nothing can be planned in it',
                    _window_at(window),
                )
            )
    return found


def _unserved(duties: Sequence[Duty], inventory: Inventory) -> list[CheckWarning]:
    planned = [d for d in duties if d.mode is Mode.WINDOW and d.asset is not None]
    unserved = sorted({d.subject for d in planned if not eligible_windows(d.asset, inventory)})
    found = []
    if unserved:
        shown = ", ".join(unserved[:10]) + (
            f" and {len(unserved) - 10} more" if len(unserved) > 10 else ""
        )
        found.append(
            CheckWarning(
                "no-window",
                f"{len(unserved)} asset(s) have planned work but no window (none named, none"
                f" applies to their kind or tags); that work will be unplaced: {shown}",
                "<inventory>",
            )
        )
    for duty in planned:
        if duty.tier is Tier.P1 and duty.subject in unserved and duty.asset is not None:
            found.append(
                CheckWarning(
                    "p1-no-window",
                    f"P1 work ({duty.activity.name}) needs a window and none serves this"
                    f" {duty.asset.kind}: name one with window = …, or add its kind to a"
                    " window's applies_to",
                    _asset_at(duty.asset),
                )
            )
    return found


def _fits(duty: Duty, window: Window) -> bool:
    capacity = window.capacity_hours
    hours = duty.effort.total_seconds() / 3600
    return window.duration >= duty.duration and (capacity is None or capacity >= hours)


def _too_long(duties: Iterable[Duty], inventory: Inventory) -> list[tuple[Duty, tuple[str, ...]]]:
    """Window duties that fit in none of their windows (by length or by capacity)."""
    windows = {w.name: w for w in inventory.windows}
    found = []
    for duty in duties:
        if duty.mode is not Mode.WINDOW or duty.asset is None:
            continue
        names = eligible_windows(duty.asset, inventory)
        fits = [name for name in names if _fits(duty, windows[name])]
        if names and not fits:
            found.append((duty, names))
    return found


def _sizes(duties: Sequence[Duty], inventory: Inventory) -> list[CheckWarning]:
    """A window shorter (or with less capacity) than the longest task that can only use it
    and its like: that task is never placed."""
    found = []
    too_long = _too_long(duties, inventory)
    for window in inventory.windows:
        mine = [d for d, names in too_long if window.name in names]
        if not mine:
            continue
        longest = max(mine, key=lambda d: (d.duration, d.subject))
        what = f"{longest.activity.name} of {longest.subject} takes {longest.duration}"
        hours = longest.effort.total_seconds() / 3600
        if window.duration < longest.duration:
            found.append(
                CheckWarning(
                    "window-too-short",
                    f'window "{window.name}" lasts {window.duration}, but {what} and no other'
                    " window of the asset is long enough: it can never be placed",
                    _window_at(window),
                )
            )
        elif window.capacity_hours is not None and window.capacity_hours < hours:
            found.append(
                CheckWarning(
                    "window-capacity-too-small",
                    f'window "{window.name}" has capacity_hours {window.capacity_hours}, below'
                    f" the technician time of the longest task that may use it"
                    f" ({longest.activity.name} of {longest.subject} needs {longest.effort}):"
                    " it can never be placed",
                    _window_at(window),
                )
            )
    return found


def _inside_office_hours(window: Window, inventory: Inventory) -> dt.datetime | None:
    """The first occurrence in a sample year that overlaps office hours, or None."""
    office = inventory.organisation.office_hours
    zone = inventory.organisation.timezone
    window_zone = window.timezone or zone
    dtstart = dt.datetime.combine(EPOCH.date(), window.start)
    for start in occurrences(window.rrule, dtstart, *_SAMPLE):
        begin = start.replace(tzinfo=window_zone).astimezone(zone)
        end = begin + window.duration
        day = begin.replace(hour=0, minute=0, second=0, microsecond=0)
        while day < end:
            hours = office.on(day.weekday())
            if hours is not None:
                open_at = day.replace(hour=hours[0].hour, minute=hours[0].minute)
                close = (
                    day + dt.timedelta(days=1)
                    if hours[1] == dt.time.max  # 24:00
                    else day.replace(hour=hours[1].hour, minute=hours[1].minute)
                )
                if begin < close and open_at < end:
                    return begin
            day += dt.timedelta(days=1)
    return None


def _office_hours(
    duties: Sequence[Duty], inventory: Inventory, catalog: Catalog
) -> list[CheckWarning]:
    found = []
    downtime = [
        d
        for d in duties
        if d.downtime
        and d.asset is not None
        and d.asset.environment is Environment.PRODUCTION
        and catalog.kinds[d.asset.kind].category in OUTSIDE_OFFICE_HOURS
    ]
    for duty in downtime:
        if duty.mode is Mode.OFFICE_HOURS and duty.asset is not None:
            found.append(
                CheckWarning(
                    "downtime-in-office-hours",
                    f"{duty.activity.name} takes the {duty.asset.kind} down during office hours"
                    f" (rule {duty.rule.key}); the article plans such work outside them",
                    _asset_at(duty.asset),
                )
            )
    used = {
        name
        for duty in downtime
        if duty.mode is Mode.WINDOW
        for name in eligible_windows(duty.asset, inventory)
    }
    for window in inventory.windows:
        if window.name not in used:
            continue
        inside = _inside_office_hours(window, inventory)
        if inside is not None:
            found.append(
                CheckWarning(
                    "downtime-in-office-hours",
                    f"serves downtime work on servers or network gear and overlaps office"
                    f" hours ({inside:%a %H:%M}); the article plans such work outside them",
                    _window_at(window),
                )
            )
    return found


def _rolling(duties: Sequence[Duty], inventory: Inventory) -> list[CheckWarning]:
    """Rolling redundancy groups whose members' downtime for one activity, one after
    another with the settle gaps, is longer than the longest window that serves them
    all: the planner then takes them down on separate nights (one outage per
    service fails; issue 27)."""
    by_activity: dict[tuple[str, str], list[Duty]] = {}
    for duty in duties:
        asset = duty.asset
        if asset is None or asset.redundancy_group is None:
            continue
        if duty.mode is Mode.WINDOW and duty.downtime:
            by_activity.setdefault((asset.redundancy_group, duty.activity.name), []).append(duty)
    windows = {window.name: window for window in inventory.windows}
    found = []
    for (name, activity), group in sorted(by_activity.items()):
        config = inventory.redundancy_group(name)
        if len(group) < 2 or config.policy is not GroupPolicy.ROLLING:
            continue
        shared = set.intersection(*(set(eligible_windows(duty.asset, inventory)) for duty in group))
        if not shared:
            continue
        settle = inventory.planning.settle if config.settle is None else config.settle
        need = sum((duty.duration for duty in group), dt.timedelta()) + settle * (len(group) - 1)
        if config.max_parallel > 1:
            # Side by side: at least the longest member's work, and the group's
            # share per member that may be down at once (a bound the planner
            # cannot beat, so the warning stays sound).
            work = sum((duty.duration for duty in group), dt.timedelta())
            need = max(max(duty.duration for duty in group), work / config.max_parallel)
        longest = max(shared, key=lambda window: (windows[window].duration, window))
        if need <= windows[longest].duration:
            continue
        first = min(group, key=lambda duty: duty.subject)
        found.append(
            CheckWarning(
                "rolling-group-split",
                f"redundancy group {name}: {activity} of its {len(group)} members takes"
                f" {_hours(int(need.total_seconds()))} one after another (settle"
                f" {_hours(int(settle.total_seconds()))} between them), longer than an"
                f" occurrence of {longest}"
                f" ({_hours(int(windows[longest].duration.total_seconds()))}): the members go"
                " down on separate nights. Give the group a longer window, or shorten the"
                " rule's duration if the work is quicker (Cluster-Aware Updating, vLCM)",
                _asset_at(first.asset) if first.asset else "<inventory>",
            )
        )
    return found


def _expiries(duties: Sequence[Duty], inventory: Inventory, as_of: dt.date) -> list[CheckWarning]:
    """Assets whose ``expires`` date lies before ``as_of`` or whose renewal should
    have started by then: the renewal is already late, or due at once."""
    starts = {
        duty.subject: duty.cadence.at
        for duty in duties
        if duty.activity.name == "renewal" and isinstance(duty.cadence, Once)
    }
    found = []
    for asset in inventory.assets:
        if asset.expires is None:
            continue
        start = starts.get(asset.id)
        if asset.expires < as_of:
            text = f"expired {asset.expires.isoformat()} (as of {as_of.isoformat()})"
        elif start is not None and start < as_of:
            text = (
                f"expires {asset.expires.isoformat()}: its renewal was due to start"
                f" {start.isoformat()} (as of {as_of.isoformat()})"
            )
        else:
            continue
        found.append(
            CheckWarning(
                "expiry-near",
                f"{asset.kind} {asset.id} {text}: renew it now, and record the new date in expires",
                _asset_at(asset),
            )
        )
    return found


def _hosts(inventory: Inventory) -> list[CheckWarning]:
    found = []
    for asset in inventory.assets:
        if asset.kind != "virtual_server" or asset.hosted_on is None:
            continue
        host = inventory.asset(asset.hosted_on)
        if host.kind != "hypervisor":
            found.append(
                CheckWarning(
                    "vm-host-not-hypervisor",
                    f'hosted_on "{host.id}" is a {host.kind}, not a hypervisor: the host\'s'
                    " maintenance and blast radius will be wrong",
                    _asset_at(asset),
                )
            )
    return found


#: P1/P2 work of one rule, windows (None: office hours), team, downtime, deadline,
#: cadence and tier: the windows, the team and the duties (one per asset).
_Shapes = dict[tuple[object, ...], tuple[tuple[str, ...] | None, str | None, list[Duty]]]


def _urgent_shapes(duties: Sequence[Duty], inventory: Inventory, book: SlotBook) -> _Shapes:
    """P1/P2 work in windows that serve it or in office hours, grouped so that each
    group's dues fall at the same times in the same slots (one expansion per group,
    not per asset)."""
    shapes: _Shapes = {}
    for duty in duties:
        if duty.asset is None or duty.tier not in _URGENT:
            continue
        if duty.mode is Mode.WINDOW:
            names: tuple[str, ...] | None = eligible_windows(duty.asset, inventory)
            if not names:
                continue  # p1-no-window's
        elif duty.mode is Mode.OFFICE_HOURS:
            names = None
        else:
            continue
        team = book.team(duty.asset)
        key = (duty.rule.key, names, team, duty.downtime, duty.deadline_days, duty.cadence)
        shapes.setdefault((*key, duty.tier), (names, team, []))[2].append(duty)
    return shapes


def _sample_year(catalog: Catalog) -> int:
    """The first whole year under every calendar's newest rule (a vendor that
    changed its publication days is judged by the new ones)."""
    newest = [
        period.effective_from
        for calendar in catalog.calendars.values()
        for period in calendar.periods
        if period.effective_from is not None
    ]
    return max([_SAMPLE[0].year, *(day.year + 1 for day in newest)])


def _sample(inventory: Inventory, catalog: Catalog) -> tuple[Horizon, SlotBook]:
    """The sample year (:func:`_sample_year`) and its slots."""
    year = _sample_year(catalog)
    horizon = Horizon(dt.date(year, 1, 1), 12, inventory.organisation.timezone)
    span = (horizon.start_at - dt.timedelta(days=1), horizon.end_at + dt.timedelta(days=92))
    return horizon, SlotBook(inventory, span, [])


def _shown(assets: Iterable[str]) -> str:
    ordered = sorted(set(assets))
    more = f" and {len(ordered) - 5} more" if len(ordered) > 5 else ""
    return ", ".join(ordered[:5]) + more


def _urgent(duties: Sequence[Duty], inventory: Inventory, catalog: Catalog) -> list[CheckWarning]:
    """What will make P1/P2 work late whatever else is planned:
    ``deadline-before-window``, ``window-capacity-short``,
    ``blackout-holds-urgent-work`` and ``ring-soak-past-deadline``."""
    if not any(duty.tier in _URGENT for duty in duties):
        return []
    horizon, book = _sample(inventory, catalog)
    year = horizon.start.year
    expanded: _Expanded = [
        (names, team, group, expand([group[0]], horizon, catalog.calendars))
        for names, team, group in _urgent_shapes(duties, inventory, book).values()
    ]
    windowed = [(names, group, dues) for names, _, group, dues in expanded if names is not None]
    # Dues no window can serve in time are deadline-before-window's; the capacity
    # check weighs the rest (what it reports is then a shortage of time, not of
    # windows).
    in_time = [
        (names, team, group, [due for due in dues if _in_time(due, *book.eligible(names))])
        for names, team, group, dues in expanded
        if names is not None
    ]
    return [
        *_deadlines(windowed, book, year),
        *_capacity(in_time, inventory, book, year),
        *_blackouts(expanded, inventory, book, year),
        *_rings(duties, inventory, catalog, horizon, book),
    ]


def _in_time(due: Due, slots: Sequence[Slot], reach: Sequence[int]) -> bool:
    """Whether a slot still open at ``due``'s earliest start begins by its deadline."""
    position = bisect.bisect_right(reach, ts(due.earliest))
    return position < len(slots) and slots[position].start <= ts(due.deadline)


#: Per group of P1/P2 work: its windows (None: office hours), team, duties, and dues
#: in the sample year.
_Expanded = list[tuple[tuple[str, ...] | None, str | None, list[Duty], list[Due]]]


#: The same for window work alone: its windows, duties and dues.
_Windowed = list[tuple[tuple[str, ...], list[Duty], list[Due]]]


def _open_in_time(due: Due, slots: Sequence[Slot], reach: Sequence[int], downtime: bool) -> bool:
    """Whether an open part of a slot (blackouts removed; change freezes too for
    work with downtime) lies between ``due``'s earliest start and its deadline."""
    lower, deadline = ts(due.earliest), ts(due.deadline)
    for slot in slots[bisect.bisect_right(reach, lower) :]:
        if slot.start > deadline:
            return False
        for begin, end in slot.change_segments if downtime else slot.segments:
            if end > lower and begin <= deadline:
                return True
    return False


def _blackouts(
    expanded: _Expanded, inventory: Inventory, book: SlotBook, year: int
) -> list[CheckWarning]:
    """P1/P2 work whose every slot between its earliest start and its deadline is
    closed by blackouts (change freezes too, for work with downtime), for some of
    its dues in the sample year: those dues will be late (the accounting example's
    weekly firewall log review in the week the office is closed). Dues with no
    slot in time at all are deadline-before-window's."""
    zone = inventory.organisation.timezone
    blackouts = [
        *inventory.blackouts,
        *(
            blackout
            for calendar in inventory.blackout_calendars
            for blackout in expand_calendar(calendar, *book.span, zone)
        ),
    ]
    found = []
    for names, team, group, dues in expanded:
        duty = group[0]
        slots, reach = book.eligible(names, team)
        held = [
            due
            for due in dues
            if _in_time(due, slots, reach) and not _open_in_time(due, slots, reach, duty.downtime)
        ]
        if not held:
            continue
        first = held[0]
        closing = sorted(
            {
                blackout.name
                for blackout in blackouts
                if (interval := blackout.interval(zone))[0] <= first.deadline
                and interval[1] > first.earliest
                and (duty.downtime or not blackout.changes_only)
            }
        )
        where = f"{', '.join(names)} occurrence" if names is not None else "office day"
        closed_by = f"blackouts ({', '.join(closing)})" if closing else "blackouts"
        earliest, deadline = (
            moment.astimezone(zone) for moment in (first.earliest, first.deadline)
        )
        found.append(
            CheckWarning(
                "blackout-holds-urgent-work",
                f"{duty.tier.value} {duty.activity.name} ({duty.rule.key}) on"
                f" {_shown(d.subject for d in group)}: for {len(held)} of {len(dues)} dues in"
                f" {year}, every {where} between the earliest start and the deadline is closed"
                f" by {closed_by}: they will be late, or done with the next due. The first,"
                f" from {earliest:%Y-%m-%d %H:%M} to {deadline:%Y-%m-%d %H:%M}."
                " Plan the work before the blackout, or leave it open to this work",
                _asset_at(duty.asset) if duty.asset else "<inventory>",
            )
        )
    return found


def _deadlines(expanded: _Windowed, book: SlotBook, year: int) -> list[CheckWarning]:
    """P1/P2 window work whose deadline passes, for some of its dues in a sample
    year, before any occurrence of the windows that serve it: those dues will be
    late whatever else is planned (a weekly network window and a 3-day PSIRT
    deadline). Computed once per rule, windows and deadline, not per asset."""
    found = []
    for names, group, dues in expanded:
        if group[0].deadline_days is None:
            continue
        duty = group[0]
        missed = sum(not _in_time(due, *book.eligible(names)) for due in dues)
        if not missed:
            continue
        found.append(
            CheckWarning(
                "deadline-before-window",
                f"{duty.tier.value} {duty.activity.name} ({duty.rule.key}) must start within"
                f" {duty.deadline_days} days, but for {missed} of {len(dues)} dues in {year} no"
                " occurrence of"
                f" {', '.join(names)} falls in time: they will be planned late"
                f" ({_shown(d.subject for d in group)}). Add a"
                " window that falls within the deadline, or let emergency work use any time",
                _asset_at(duty.asset) if duty.asset else "<inventory>",
            )
        )
    return found


def _supply(slot: Slot, after: int) -> int:
    """Technician-seconds ``slot`` offers from ``after`` on: its open time (full
    blackouts removed) times its technicians, at most its capacity. Generous on
    purpose (change freezes are not removed, every technician is counted free):
    the check that uses it must never warn about a plan that could be on time."""
    assert slot.capacity is not None
    open_time = sum(max(0, end - max(start, after)) for start, end in slot.segments)
    return min(slot.capacity, open_time * (slot.lanes or 1))


def _capacity(
    expanded: Sequence[tuple[tuple[str, ...], str | None, list[Duty], list[Due]]],
    inventory: Inventory,
    book: SlotBook,
    year: int,
) -> list[CheckWarning]:
    """P1/P2 window work that needs more technician time than its windows give
    before its deadlines, somewhere in the sample year: the demand bound of
    deadline scheduling. For a stretch from ``r`` to ``d``, the dues released at
    or after ``r`` that must start by ``d`` need their summed technician time (effort); the
    windows they may use offer what their occurrences that begin by ``d`` hold
    after ``r`` (the whole of such an occurrence: work started in time may run
    on). More needed than offered means some of that work is late in any plan.
    The bound ignores everything else that only makes it worse (P3/P4 work,
    dependencies, HA nodes one at a time, settle gaps), so it never warns about
    a plan that could be on time. One warning per set of windows, with the
    stretch short the most and how many stretches are short."""
    zone = inventory.organisation.timezone
    # Work per (earliest, deadline) within each set of windows, with its assets.
    # A team's window work takes its own technicians' time (``[planning.teams]``).
    Key = tuple[tuple[str, ...], str | None]
    work: dict[Key, dict[tuple[int, int], tuple[list[int], list[str]]]] = {}
    for names, team, group, dues in expanded:
        seconds = sum(int(duty.effort.total_seconds()) for duty in group)
        table = work.setdefault((names, team), {})
        for due in dues:
            total, who = table.setdefault((ts(due.earliest), ts(due.deadline)), ([0], []))
            total[0] += seconds
            who.extend(duty.subject for duty in group)
    found = []
    for names, team in sorted(work, key=lambda key: (key[0], key[1] or "")):
        if any(slot.capacity is None for slot in book.eligible(names, team)[0]):
            continue  # as many technicians as needed: nothing to run short of
        # Work that may only use these windows and technicians: that of this set and
        # of its subsets, of the same team.
        items = sorted(
            (earliest, deadline, total[0], who)
            for (other, other_team), table in work.items()
            if other_team == team and set(other) <= set(names)
            for (earliest, deadline), (total, who) in table.items()
        )
        slots, reach = book.eligible(names, team)
        starts = [slot.start for slot in slots]
        short: list[tuple[int, int, int, int]] = []  # (r, d, needed, offered)
        for r in sorted({item[0] for item in items}):
            first = bisect.bisect_right(reach, r)  # the slots before end by r
            offered_by = list(itertools.accumulate(_supply(slot, r) for slot in slots[first:]))
            needed = 0
            worst: tuple[int, int, int, int] | None = None
            for _, deadline, seconds, _who in sorted(
                (item for item in items if item[0] >= r), key=lambda item: item[1]
            ):
                needed += seconds
                count = bisect.bisect_right(starts, deadline) - first
                offered = offered_by[count - 1] if count > 0 else 0
                if needed > offered and (worst is None or needed - offered > worst[2] - worst[3]):
                    worst = (r, deadline, needed, offered)
            if worst is not None:
                short.append(worst)
        if not short:
            continue
        # Stretches that overlap are one shortage: count them once, keep the worst.
        periods: list[tuple[int, tuple[int, int, int, int]]] = []  # (end, worst)
        for stretch in short:
            if periods and stretch[0] <= periods[-1][0]:
                end, kept = periods[-1]
                if stretch[2] - stretch[3] > kept[2] - kept[3]:
                    kept = stretch
                periods[-1] = (max(end, stretch[1]), kept)
            else:
                periods.append((stretch[1], stretch))
        r, d, needed, offered = max(
            (kept for _, kept in periods), key=lambda p: (p[2] - p[3], -p[0])
        )
        who = [a for item in items if item[0] >= r and item[1] <= d for a in item[3]]

        def moment(seconds: int) -> str:
            return f"{dt.datetime.fromtimestamp(seconds, zone):%Y-%m-%d %H:%M}"

        window = next(w for w in inventory.windows if w.name == names[0])
        found.append(
            CheckWarning(
                "window-capacity-short",
                f"P1/P2 work{f' of {team}' if team else ''} in {', '.join(names)} needs more"
                " technician time than those windows"
                f" give before its deadlines in {len(periods)} periods of {year}. The worst:"
                f" work released from {moment(r)} that must start by {moment(d)} needs"
                f" {_hours(needed)}, and the windows give {_hours(offered)} by then"
                f" ({_shown(who)}): at least {_hours(needed - offered)} of it will be late in"
                " any plan. Lengthen a window, raise its capacity_hours or add one",
                _window_at(window),
            )
        )
    return found


def _rings(
    duties: Sequence[Duty],
    inventory: Inventory,
    catalog: Catalog,
    horizon: Horizon,
    book: SlotBook,
) -> list[CheckWarning]:
    """P1/P2 work in a ring above the lowest whose earliest possible start, behind
    the lower rings' update of the same release and ``soak_days`` after each, is
    after its deadline in some dues of the sample year (the tech example's portal:
    test, then acceptance a day later, then production a day after that, in
    weeknight windows, due four days into the month). The chain takes every task
    at the first moment it fits in an open part of a slot of its windows, with no
    other work in the way, so it never warns about a due that could be on
    time (a lower ring's task that fits no slot at all holds nothing back, as in
    the planner). Dues that no window reaches in time even without the rings are
    ``deadline-before-window``'s."""
    chain = _RingChain(inventory, catalog, horizon, book)
    found = []
    for levels in _releases(duties).values():
        members = {duty.subject for level in levels.values() for duty in level}
        if len(levels) < 2 or any(
            set(duty.asset.depends_on) & members
            for level in levels.values()
            for duty in level
            if duty.asset is not None
        ):
            continue  # one ring, or ring order the planner may drop for depends_on
        found.extend(chain.warnings(levels))
    return found


def _releases(duties: Sequence[Duty]) -> dict[tuple[str, str, str], dict[int, list[Duty]]]:
    """The ring-ordered duties per release (activity, vendor, product), by ring."""
    groups: dict[tuple[str, str, str], dict[int, list[Duty]]] = {}
    for duty in duties:
        asset = duty.asset
        if asset is None or duty.mode is Mode.AUTOMATIC or duty.emergency is not None:
            continue
        if duty.rule.update_class not in RING_CLASSES:
            continue
        release = (duty.activity.name, asset.vendor.casefold(), asset.product.casefold())
        groups.setdefault(release, {}).setdefault(asset.environment.ring, []).append(duty)
    return groups


#: Duties of one ring that share their times (cadence, deadlines, windows,
#: duration, tier), keyed by ring and that shape.
_Shape = tuple[int, tuple[object, ...]]


class _RingChain:
    """The chain of :func:`_rings`: each ring's earliest start behind the lower
    rings' update of the same release, per due."""

    def __init__(
        self, inventory: Inventory, catalog: Catalog, horizon: Horizon, book: SlotBook
    ) -> None:
        self.inventory = inventory
        self.catalog = catalog
        self.horizon = horizon
        self.book = book
        self.soak = inventory.planning.soak_days * 86400
        self.zone = inventory.organisation.timezone

    def moment(self, seconds: int) -> str:
        return f"{dt.datetime.fromtimestamp(seconds, self.zone):%Y-%m-%d %H:%M}"

    def windows(self, duty: Duty) -> tuple[str, ...] | None:
        if duty.mode is not Mode.WINDOW:
            return None
        return eligible_windows(duty.asset, self.inventory)

    def first_start(self, duty: Duty, lower: int) -> int | None:
        """The first moment from ``lower`` that ``duty``'s task fits in an open part
        of a slot of its windows, blackouts (and change freezes, for work with
        downtime) removed. None: it never does, and the planner leaves it
        unplaced, holding no higher ring back."""
        slots, reach = self.book.eligible(self.windows(duty), self.book.team(duty.asset))
        length = int(duty.duration.total_seconds())
        effort = int(duty.effort.total_seconds())
        for slot in slots[bisect.bisect_right(reach, lower) :]:
            if slot.capacity is not None and slot.capacity < effort:
                continue
            for begin, end in slot.change_segments if duty.downtime else slot.segments:
                start = max(lower, begin)
                if end - start >= length:
                    return start
        return None

    def warnings(self, levels: dict[int, list[Duty]]) -> list[CheckWarning]:
        """The warnings for one release's rings."""
        # Per level, the duties that share their times: one expansion each.
        shapes: dict[_Shape, list[Duty]] = {}
        for level, level_duties in levels.items():
            for duty in level_duties:
                shape = (
                    duty.cadence,
                    duty.deadline_days,
                    self.windows(duty),
                    duty.duration,
                    duty.tier,
                )
                shapes.setdefault((level, shape), []).append(duty)
        timings = {
            key: {
                due.anchor: (ts(due.earliest), ts(due.deadline))
                for due in expand([group[0]], self.horizon, self.catalog.calendars)
            }
            for key, group in shapes.items()
        }
        anchors = sorted({anchor for table in timings.values() for anchor in table})
        missed: dict[_Shape, list[tuple[dt.datetime, str]]] = {}
        counted: dict[_Shape, int] = {}
        for anchor in anchors:
            self._walk(anchor, shapes, timings, min(levels), missed, counted)
        return [
            self._warning(shapes[key], key[0], misses, counted[key])
            for key, misses in missed.items()
        ]

    def _walk(
        self,
        anchor: dt.datetime,
        shapes: dict[_Shape, list[Duty]],
        timings: dict[_Shape, dict[dt.datetime, tuple[int, int]]],
        lowest: int,
        missed: dict[_Shape, list[tuple[dt.datetime, str]]],
        counted: dict[_Shape, int],
    ) -> None:
        """Chain the dues anchored at ``anchor`` ring by ring; count them and note
        the ones that the rings alone make late."""
        finish: int | None = None  # when the lower rings are done, at the earliest
        for level in sorted({level for level, _ in shapes}):
            level_end = None
            for key, group in shapes.items():
                timing = timings[key].get(anchor)
                if key[0] != level or timing is None:
                    continue
                earliest, deadline = timing
                duty = group[0]
                alone = self.first_start(duty, earliest)
                lower = earliest if finish is None else max(earliest, finish + self.soak)
                start = self.first_start(duty, lower)
                if start is None:
                    continue  # unplaced: the planner holds no ring behind it
                end = start + int(duty.duration.total_seconds())
                level_end = end if level_end is None else max(level_end, end)
                if level == lowest or duty.tier not in _URGENT or duty.mode is not Mode.WINDOW:
                    continue
                counted[key] = counted.get(key, 0) + 1
                if start > deadline and alone is not None and alone <= deadline:
                    missed.setdefault(key, []).append(
                        (
                            anchor,
                            f"the lower rings done by {self.moment(finish or earliest)}, it may"
                            f" start from {self.moment(lower)}, and the first window it fits in"
                            f" then lets it start {self.moment(start)}; the deadline is"
                            f" {self.moment(deadline)}",
                        )
                    )
            if level_end is not None:
                finish = level_end if finish is None else max(finish, level_end)

    def _warning(
        self, group: list[Duty], level: int, misses: list[tuple[dt.datetime, str]], counted: int
    ) -> CheckWarning:
        duty = group[0]
        anchor, story = misses[0]
        ring = duty.asset.environment.value if duty.asset else str(level)
        return CheckWarning(
            "ring-soak-past-deadline",
            f"{duty.tier.value} {duty.activity.name} ({duty.rule.key}) on"
            f" {_shown(d.subject for d in group)} ({ring}) waits for the lower rings'"
            f" update of the same release and {self.inventory.planning.soak_days} day(s) of"
            f" soak after each: for {len(misses)} of {counted} dues in"
            f" {self.horizon.start.year} it cannot start by its deadline. The first, due"
            f" {anchor:%Y-%m-%d}: {story}. Give the lower rings earlier windows, lower"
            " soak_days, or give this ring a window in time",
            _asset_at(duty.asset) if duty.asset else "<inventory>",
        )


def _hours(seconds: int) -> str:
    """``37800`` → ``10 h 30 min``."""
    hours, minutes = divmod(round(seconds / 60), 60)
    return (
        " ".join(
            part
            for part in (f"{hours} h" if hours else "", f"{minutes} min" if minutes else "")
            if part
        )
        or "0 min"
    )


def _teams(inventory: Inventory) -> list[CheckWarning]:
    owners = {asset.owner for asset in inventory.assets}
    return [
        CheckWarning(
            "team-owner-unknown",
            f'no asset has owner "{owner}": the team\'s technicians get no work, and the'
            " owner's office-hours work (if the name is misspelt) goes to the shared"
            " technicians",
            f"planning.teams.{owner}",
        )
        for owner in inventory.planning.teams
        if owner not in owners and owner not in inventory.planning.team_handles
    ]


def _profile(inventory: Inventory, catalog: Catalog) -> list[CheckWarning]:
    if inventory.costing is None:
        return []
    card = catalog.rate_cards.get(inventory.costing.profile)
    if card is None or card.users is None:
        return []
    fewest, most = card.users
    users = inventory.organisation.users
    if users * SIZE_SLACK >= fewest and (most is None or users <= most * SIZE_SLACK):
        return []
    size = f"{fewest}–{most}" if most is not None and most != fewest else f"{fewest}"
    if most is None:
        size += "+"
    return [
        CheckWarning(
            "profile-size",
            f'profile "{card.name}" was written for {size} users or workplaces, the'
            f" organisation has {users}: its fees may not fit",
            "costing.profile",
        )
    ]


def _product_rules(rules: Iterable[Rule]) -> dict[str, list[Rule]]:
    """Rules that name a vendor and a product, by pack."""
    found: dict[str, list[Rule]] = {}
    for rule in rules:
        if rule.selector.vendor and rule.selector.product and rule.pack != "builtin":
            found.setdefault(rule.pack, []).append(rule)
    return found


def _vendors(inventory: Inventory, catalog: Catalog) -> list[CheckWarning]:
    found = []
    by_pack = _product_rules(catalog.rules)
    for asset in inventory.assets:
        if not asset.vendor:
            continue
        category = catalog.kinds[asset.kind].category
        mine: list[CheckWarning] = []
        for pack, rules in sorted(by_pack.items()):
            known = [
                r
                for r in rules
                if (not r.selector.kinds or asset.kind in r.selector.kinds)
                and fnmatch.fnmatchcase(
                    asset.vendor.casefold(), (r.selector.vendor or "").casefold()
                )
            ]
            if known and not any(r.selector.matches(asset, category) for r in known):
                products = sorted({r.selector.product or "" for r in known})[:4]
                mine.append(
                    CheckWarning(
                        "vendor-unmatched",
                        f'pack "{pack}" knows vendor "{asset.vendor}" but none of its product'
                        f" rules or lifecycle rows matches product {asset.product!r} version"
                        f" {asset.version!r}: it gets generic rules only. The pack reads"
                        f" products such as {', '.join(products)}; check the spelling, or give"
                        " the operating system with os = …",
                        _asset_at(asset),
                    )
                )
        # Another pack's product rules may cover it: another vendor's, for its
        # operating system (Windows Server on an HPE server); its software is known.
        if mine and not (
            asset.os
            and any(r.selector.matches(asset, category) for rs in by_pack.values() for r in rs)
        ):
            found.extend(mine)
    return found


def check_warnings(
    inventory: Inventory, catalog: Catalog, *, as_of: dt.date | None = None
) -> list[CheckWarning]:
    """Every warning about ``inventory`` under ``catalog``'s rule packs, in a stable order
    (what ``maintlib check`` prints; ``docs/inventory.md`` lists the codes).

    Args:
        inventory: The inventory.
        catalog: The rule packs.
        as_of: The day ``expiry-near`` measures ``expires`` dates against (``maintlib
            check --as-of``, default today); None: the sample year's first day, the
            day the other warnings assess risks for.

    Raises:
        PluginError: A rule pack failed while the duties were built.
    """
    # Risks as of the sample year's first day, as a plan of that year assesses them:
    # an end of support by then raises the asset's tier in both (issue 27).
    first = dt.date(_sample_year(catalog), 1, 1)
    duties = apply(inventory, catalog, as_of=first).duties
    return [
        *window_warnings(inventory, catalog),
        *_unserved(duties, inventory),
        *_sizes(duties, inventory),
        *_office_hours(duties, inventory, catalog),
        *_hosts(inventory),
        *_rolling(duties, inventory),
        *_expiries(duties, inventory, as_of or first),
        *_urgent(duties, inventory, catalog),
        *_teams(inventory),
        *_profile(inventory, catalog),
        *_vendors(inventory, catalog),
    ]


def inventory_warnings(inventory: Inventory, catalog: Catalog) -> list[str]:
    """Things that are allowed but probably not meant in the windows, for ``maintlib check``.

    ``maintlib.planning.checks.check_warnings`` gives these and the rest, with codes and locations.
    """
    return [warning.message for warning in window_warnings(inventory, catalog)]
