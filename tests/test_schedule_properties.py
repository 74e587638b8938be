"""The planner's guarantees (placement 1–12), as properties over random fleets.

Each check recomputes what it needs independently of the scheduler — window
occurrences straight from dateutil, office hours and holidays from the inventory
and the ``holidays`` package — and asserts one guarantee on the plan.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections import defaultdict
from decimal import Decimal
from zoneinfo import ZoneInfo

import attrs
import holidays
import pytest
from dateutil.rrule import rrulestr
from hypothesis import example, given, settings
from hypothesis import strategies as st

from maintlib.model import limits
from maintlib.model.catalog import Catalog
from maintlib.model.inventory import Asset, Inventory, Organisation, PlanningSettings, Window
from maintlib.model.plan import Plan, Reason, Status, Task
from maintlib.model.vocabulary import Criticality, Environment, GroupPolicy, Mode, Tier
from maintlib.model.work import Horizon
from maintlib.pipeline import plan
from maintlib.planning.apply import apply
from maintlib.planning.expand import expand
from maintlib.planning.schedule.precedence import RING_CLASSES
from maintlib.planning.schedule.slots import eligible_windows
from strategies import fleets

REFERENCE = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
UTC = dt.UTC


def make_plan(fleet: tuple[Inventory, dt.date, int], catalog: Catalog) -> Plan:
    inventory, start, months = fleet
    return plan(inventory, start=start, months=months, reference_time=REFERENCE, plugins=catalog)


def local_starts(window: Window, plan: Plan, days_after: int = 400) -> list[dt.datetime]:
    """Naive wall-clock starts from the horizon's start to ``days_after`` its end."""
    rule = rrulestr(window.rrule, dtstart=dt.datetime.combine(dt.date(2024, 1, 1), window.start))
    low = dt.datetime.combine(plan.horizon.start - dt.timedelta(days=3), dt.time())
    high = dt.datetime.combine(plan.horizon.end + dt.timedelta(days=days_after), dt.time())
    return list(rule.between(low, high, inc=True))


def occurrences(
    window: Window, inventory: Inventory, plan: Plan, days_after: int = 400
) -> list[tuple[dt.datetime, dt.datetime]]:
    """The window's usable occurrences, straight from dateutil (an independent oracle)."""
    zone = window.timezone or inventory.organisation.timezone
    result = []
    for local in local_starts(window, plan, days_after):
        aware = local.replace(tzinfo=zone)
        valid = aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == local
        unambiguous = local.replace(tzinfo=zone, fold=1).utcoffset() == aware.utcoffset()
        if valid and unambiguous:
            result.append((aware, (aware.astimezone(UTC) + window.duration).astimezone(zone)))
    return result


def blackout_intervals(
    inventory: Inventory, downtime: bool
) -> list[tuple[dt.datetime, dt.datetime]]:
    zone = inventory.organisation.timezone
    return [b.interval(zone) for b in inventory.blackouts if downtime or not b.changes_only]


def utc(moment: dt.datetime) -> dt.datetime:
    """``moment`` in UTC.

    The oracles compare and subtract in UTC: Python compares and subtracts two
    datetimes that share a ``tzinfo`` by their wall clocks, which is an hour off
    across a DST change (found by the long profile: a Sydney window crossing the
    April fall-back and the October spring-forward).
    """
    return moment.astimezone(UTC)


def elapsed(start: dt.datetime, end: dt.datetime) -> dt.timedelta:
    return utc(end) - utc(start)


def overlaps(a: tuple[dt.datetime, dt.datetime], b: tuple[dt.datetime, dt.datetime]) -> bool:
    return utc(a[0]) < utc(b[1]) and utc(b[0]) < utc(a[1])


def slot_of(task: Task) -> tuple[str | None, dt.datetime]:
    return task.window, task.occurrence


def team_of(task: Task, inventory: Inventory) -> str | None:
    """The team whose technicians do ``task`` (its asset's owner, when a team)."""
    asset = task.duty.asset
    if asset is not None and asset.owner in inventory.planning.teams:
        return asset.owner
    return None


def _sydney_fleet(
    assets: list[Asset], window: Window, start: dt.date, soak_days: int = 2
) -> tuple[Inventory, dt.date, int]:
    inventory = Inventory(
        organisation=Organisation("Fleet", ZoneInfo("Europe/Amsterdam")),
        assets=assets,
        windows=(attrs.evolve(window, timezone=ZoneInfo("Australia/Sydney")),),
        planning=PlanningSettings(soak_days=soak_days),
    )
    return inventory, start, 3


# Found by the long profile: a window in another zone than the organisation's that
# crosses Sydney's DST changes (spring-forward 2027-10-03, fall-back 2027-04-04).
SPRING_FORWARD = _sydney_fleet(
    [Asset(id="dev0", kind="hypervisor", vendor="Microsoft", product="Windows Server")],
    Window(
        "w0", "FREQ=WEEKLY;BYDAY=SA", dt.time(22), dt.timedelta(hours=4), applies_to=("hypervisor",)
    ),
    dt.date(2027, 8, 1),
    soak_days=0,
)
FALL_BACK = _sydney_fleet(
    [
        Asset(
            id=f"fw0{suffix}",
            kind="firewall",
            vendor="Microsoft",
            product="Windows Server",
            environment=environment,
            redundancy_group="ha0",
        )
        for suffix, environment in (("a", Environment.PRODUCTION), ("b", Environment.TEST))
    ],
    Window("w0", "FREQ=DAILY", dt.time(22), dt.timedelta(hours=1), applies_to=("firewall",)),
    dt.date(2027, 2, 1),
    soak_days=3,
)


class TestGuarantees:
    @given(fleet=fleets())
    def test_1_windowed_tasks_lie_in_one_occurrence_of_an_eligible_window(
        self, fleet: tuple[Inventory, dt.date, int], catalog: Catalog
    ) -> None:
        inventory = fleet[0]
        result = make_plan(fleet, catalog)
        cache: dict[str, list[tuple[dt.datetime, dt.datetime]]] = {}
        for task in result.tasks:
            if task.duty.mode is not Mode.WINDOW:
                continue
            assert task.window in eligible_windows(task.duty.asset, inventory)
            window = inventory.window(task.window)
            if window.name not in cache:
                cache[window.name] = occurrences(window, inventory, result)
            assert any(
                utc(start) <= utc(task.start) and utc(task.end) <= utc(end)
                for start, end in cache[window.name]
            ), task.uid

    @given(fleet=fleets())
    def test_1_office_and_automatic_work_lies_in_office_hours_on_business_days(
        self, fleet: tuple[Inventory, dt.date, int], catalog: Catalog
    ) -> None:
        inventory = fleet[0]
        organisation = inventory.organisation
        result = make_plan(fleet, catalog)
        closed = (
            holidays.country_holidays(organisation.country, years=range(2026, 2030))
            if organisation.country
            else {}
        )
        for task in result.tasks:
            if task.duty.mode is Mode.WINDOW:
                continue
            local_start = task.start.astimezone(organisation.timezone)
            local_end = task.end.astimezone(organisation.timezone)
            hours = organisation.office_hours.on(local_start.weekday())
            assert hours is not None, task.uid
            assert local_start.date() not in closed, task.uid
            assert local_start.time() >= hours[0]
            assert local_end.date() == local_start.date()
            assert local_end.time() <= hours[1]

    @given(fleet=fleets())
    def test_2_nothing_planned_intersects_a_blackout(
        self, fleet: tuple[Inventory, dt.date, int], catalog: Catalog
    ) -> None:
        inventory = fleet[0]
        result = make_plan(fleet, catalog)
        for task in result.tasks:
            for interval in blackout_intervals(inventory, task.duty.downtime):
                assert not overlaps((task.start, task.end), interval), task.uid

    @given(fleet=fleets())
    @example(fleet=SPRING_FORWARD)
    @example(fleet=FALL_BACK)
    def test_3_capacity_per_occurrence_is_never_exceeded(
        self, fleet: tuple[Inventory, dt.date, int], catalog: Catalog
    ) -> None:
        inventory = fleet[0]
        result = make_plan(fleet, catalog)
        # Capacity is technician time: the sum of the tasks' efforts (issue 27); a
        # team's work takes its own technicians' time in the occurrence.
        used: dict[tuple[str | None, dt.datetime, str | None], dt.timedelta] = defaultdict(
            dt.timedelta
        )
        for task in result.tasks:
            if task.window is not None:
                used[(*slot_of(task), team_of(task, inventory))] += task.effort
        for (name, _, team), total in used.items():
            assert name is not None
            window = inventory.window(name)
            if team is not None:
                length = window.duration * inventory.planning.teams[team]
                assert total <= length
            elif window.capacity_hours is not None:
                assert Decimal(total.total_seconds()) <= window.capacity_hours * 3600

    @given(fleet=fleets())
    def test_3_tasks_in_one_occurrence_fit_its_technician_lanes(
        self, fleet: tuple[Inventory, dt.date, int], catalog: Catalog
    ) -> None:
        """At any moment no more tasks are worked on hands-on (from the start, for
        their effort) in an occurrence than it has technicians; the installs
        themselves may run side by side."""
        inventory = fleet[0]
        result = make_plan(fleet, catalog)
        groups: dict[tuple[str | None, dt.datetime, str | None], list[Task]] = defaultdict(list)
        for task in result.tasks:
            if task.window is not None:
                groups[(*slot_of(task), team_of(task, inventory))].append(task)
        for (name, occurrence, team), tasks in groups.items():
            assert name is not None
            window = inventory.window(name)
            if team is not None:
                lanes = inventory.planning.teams[team]
            elif window.capacity_hours is None:
                continue
            else:
                lanes = max(
                    1,
                    -(-int(window.capacity_hours * 3600) // int(window.duration.total_seconds())),
                )
            for task in tasks:
                running = sum(
                    1
                    for other in tasks
                    if utc(other.start) <= utc(task.start) < utc(other.hands_on_end)
                )
                assert running <= lanes, (name, occurrence)

    @given(fleet=fleets())
    def test_3_office_hours_work_fits_its_teams_technicians(
        self, fleet: tuple[Inventory, dt.date, int], catalog: Catalog
    ) -> None:
        """At any moment no more office-hours tasks of a team run than it has
        people: an owner's own team (``[planning.teams]``), or the shared
        ``technicians``."""
        inventory = fleet[0]
        planning = inventory.planning
        result = make_plan(fleet, catalog)
        teams: dict[str | None, list[Task]] = defaultdict(list)
        for task in result.tasks:
            if task.window is None and task.duty.mode is not Mode.WINDOW:
                asset = task.duty.asset
                owner = asset.owner if asset is not None else None
                teams[owner if owner in planning.teams else None].append(task)
        for team, tasks in teams.items():
            people = planning.technicians if team is None else planning.teams[team]
            for task in tasks:
                running = sum(
                    1
                    for other in tasks
                    if utc(other.start) <= utc(task.start) < utc(other.hands_on_end)
                )
                assert running <= people, (team, task.uid)

    @given(fleet=fleets())
    def test_3_effort_is_at_most_the_wall_clock_time_of_the_assets(
        self, fleet: tuple[Inventory, dt.date, int], catalog: Catalog
    ) -> None:
        """A task's hands-on time is positive and at most its wall-clock time ×
        the assets it covers (a fleet's checks are each hands-on)."""
        for task in make_plan(fleet, catalog).tasks:
            assert dt.timedelta(0) < task.effort
            assert task.effort <= elapsed(task.start, task.end) * max(1, len(task.assets))

    @given(fleet=fleets())
    def test_3_an_asset_has_one_task_at_a_time(
        self, fleet: tuple[Inventory, dt.date, int], catalog: Catalog
    ) -> None:
        """Work side by side is work on different assets: per asset, no two of
        its own tasks overlap in wall-clock time."""
        per_asset: dict[str, list[tuple[dt.datetime, dt.datetime]]] = defaultdict(list)
        for task in make_plan(fleet, catalog).tasks:
            asset = task.duty.asset
            if asset is not None and not task.due.members:
                per_asset[asset.id].append((utc(task.start), utc(task.end)))
        for intervals in per_asset.values():
            intervals.sort()
            for (_, end), (start, _) in itertools.pairwise(intervals):
                assert end <= start

    @given(fleet=fleets())
    def test_4_redundancy_group_members_are_never_down_at_the_same_time(
        self, fleet: tuple[Inventory, dt.date, int], catalog: Catalog
    ) -> None:
        """Never two members down at once, a settle gap apart; ``separate`` groups in
        different occurrences."""
        inventory = fleet[0]
        result = make_plan(fleet, catalog)
        down = [t for t in result.tasks if t.duty.downtime and t.duty.asset]
        for a in down:
            for b in down:
                asset_a, asset_b = a.duty.asset, b.duty.asset
                assert asset_a is not None
                assert asset_b is not None
                group = asset_a.redundancy_group
                if asset_a.id == asset_b.id or not group or group != asset_b.redundancy_group:
                    continue
                described = inventory.redundancy_group(group)
                settle = described.settle
                gap = inventory.planning.settle if settle is None else settle
                assert not overlaps((a.start, a.end + gap), (b.start, b.end + gap)), (a.uid, b.uid)
                if described.policy is GroupPolicy.SEPARATE:
                    assert slot_of(a) != slot_of(b), (a.uid, b.uid)

    @given(fleet=fleets())
    def test_5_hosts_and_their_guests_are_never_down_at_the_same_time(
        self, fleet: tuple[Inventory, dt.date, int], catalog: Catalog
    ) -> None:
        """A host and its guests never overlap (settle apart), unless the host's
        cluster live-migrates its guests."""
        inventory = fleet[0]
        gap = inventory.planning.settle
        result = make_plan(fleet, catalog)
        down = [t for t in result.tasks if t.duty.downtime and t.duty.asset]
        for guest in down:
            asset = guest.duty.asset
            assert asset is not None
            if asset.hosted_on is None or asset.kind == "application":
                continue
            host_asset = inventory.asset(asset.hosted_on)
            group = host_asset.redundancy_group
            if group and inventory.redundancy_group(group).live_migration:
                continue
            for host in down:
                if host.duty.asset is not None and host.duty.asset.id == host_asset.id:
                    assert not overlaps(
                        (host.start, host.end + gap), (guest.start, guest.end + gap)
                    )

    @given(fleet=fleets())
    def test_5_guests_go_before_their_host_for_the_same_release(
        self, fleet: tuple[Inventory, dt.date, int], catalog: Catalog
    ) -> None:
        inventory = fleet[0]
        result = make_plan(fleet, catalog)
        placed = {(t.duty.subject, t.duty.activity.name, t.due.anchor): t for t in result.tasks}
        for task in result.tasks:
            asset = task.duty.asset
            if asset is None or asset.kind != "hypervisor":
                continue
            group = asset.redundancy_group
            if group and inventory.redundancy_group(group).live_migration:
                continue
            for guest in inventory.guests(asset.id):
                before = placed.get((guest, task.duty.activity.name, task.due.anchor))
                # A guest that slipped past the host's deadline does not hold it back,
                # and a host due before its guest goes first.
                if (
                    before is not None
                    and utc(before.end) <= utc(task.due.deadline)
                    and utc(before.due.deadline) <= utc(task.due.deadline)
                ):
                    assert utc(before.end) <= utc(task.start), (before.uid, task.uid)
                    assert before.uid in task.after

    @given(fleet=fleets())
    def test_5_applications_and_their_server_are_never_down_at_the_same_time(
        self, fleet: tuple[Inventory, dt.date, int], catalog: Catalog
    ) -> None:
        result = make_plan(fleet, catalog)
        down = [t for t in result.tasks if t.duty.downtime and t.duty.asset]
        for app in down:
            server = app.duty.asset.runs_on if app.duty.asset else None
            for other in down:
                if server is not None and other.duty.subject == server:
                    assert not overlaps((app.start, app.end), (other.start, other.end))

    @given(fleet=fleets())
    def test_5_no_work_while_what_the_asset_runs_on_is_down(
        self, fleet: tuple[Inventory, dt.date, int], catalog: Catalog
    ) -> None:
        """Work on an asset, with downtime or without, never overlaps the downtime of
        what takes the asset down: its host without live migration (settle apart)
        and, for an application, the servers and applications it runs on or depends
        on (back to back) and what those need in turn. A database job on a guest does
        not run while its host restarts."""
        inventory = fleet[0]
        settle = inventory.planning.settle
        servers = {"physical_server", "virtual_server", "storage"}
        applications = {"application", "certificate"}

        def host_of(asset: Asset) -> str | None:
            host = asset.hosted_on
            if host is None or asset.kind in applications or host not in inventory:
                return None
            group = inventory.asset(host).redundancy_group
            if group and inventory.redundancy_group(group).live_migration:
                return None
            return host

        def takes_it_down(asset: Asset) -> dict[str, dt.timedelta]:
            found = {}
            waiting, seen = [asset], {asset.id}
            while waiting:
                current = waiting.pop()
                host = host_of(current)
                if host is not None and host not in seen:
                    seen.add(host)
                    found[host] = settle
                if current.kind not in applications:
                    continue
                needed = [current.runs_on or current.hosted_on] + [
                    target
                    for target in current.depends_on
                    if target in inventory
                    and inventory.asset(target).kind in servers | applications
                ]
                for other in needed:
                    if other is None or other in seen:
                        continue
                    seen.add(other)
                    found[other] = dt.timedelta(0)
                    if other in inventory:
                        waiting.append(inventory.asset(other))
            return found

        result = make_plan(fleet, catalog)
        down: dict[str, list[Task]] = defaultdict(list)
        for task in result.tasks:
            if task.duty.downtime and task.duty.asset is not None and not task.due.members:
                down[task.duty.asset.id].append(task)
        for task in result.tasks:
            asset = task.duty.asset
            if asset is None or task.due.members:
                continue
            for other, gap in takes_it_down(asset).items():
                for outage in down.get(other, ()):
                    assert not overlaps(
                        (task.start, task.end + gap), (outage.start, outage.end + gap)
                    ), (task.uid, outage.uid)

    @given(fleet=fleets())
    @example(fleet=SPRING_FORWARD)
    @example(fleet=FALL_BACK)
    def test_6_lower_rings_go_first_by_the_soak_time(
        self, fleet: tuple[Inventory, dt.date, int], catalog: Catalog
    ) -> None:
        inventory = fleet[0]
        soak = dt.timedelta(days=inventory.planning.soak_days)
        result = make_plan(fleet, catalog)
        groups: dict[tuple[object, ...], list[Task]] = defaultdict(list)
        for task in result.tasks:
            duty, asset = task.duty, task.duty.asset
            if (
                asset is None
                or duty.mode is Mode.AUTOMATIC
                or duty.rule.update_class not in RING_CLASSES
            ):
                continue
            key = (
                duty.activity.name,
                task.due.anchor,
                asset.vendor.casefold(),
                asset.product.casefold(),
            )
            groups[key].append(task)
        exempt = {w.split(":")[0] for w in result.warnings if "ring order contradicts" in w}
        for tasks in groups.values():
            for low in tasks:
                for high in tasks:
                    if low.uid in exempt or high.uid in exempt:
                        continue
                    ring_low = low.duty.asset.environment.ring  # type: ignore[union-attr]
                    ring_high = high.duty.asset.environment.ring  # type: ignore[union-attr]
                    if ring_low < ring_high:
                        assert utc(low.end) + soak <= utc(high.start), (low.uid, high.uid)
            for high in tasks:
                ring_high = high.duty.asset.environment.ring  # type: ignore[union-attr]
                lower_levels = {t.duty.asset.environment.ring for t in tasks} - {ring_high}  # type: ignore[union-attr]
                for level in sorted(lv for lv in lower_levels if lv < ring_high):
                    members = [t for t in tasks if t.duty.asset.environment.ring == level]  # type: ignore[union-attr]
                    if any(t.uid in exempt for t in members) or high.uid in exempt:
                        continue
                    last = max(members, key=lambda t: (utc(t.end), t.uid))
                    assert last.uid in high.after, (last.uid, high.uid)

    @given(fleet=fleets())
    @example(fleet=SPRING_FORWARD)
    @example(fleet=FALL_BACK)
    def test_6_dependencies_are_updated_first(
        self, fleet: tuple[Inventory, dt.date, int], catalog: Catalog
    ) -> None:
        """A ``depends_on`` target's task of the same activity and anchor ends first —
        unless the rings put the dependant first: a lower ring, the same release
        (a test server on the production domain controller)."""

        def release(task: Task) -> tuple[object, ...] | None:
            duty, asset = task.duty, task.duty.asset
            if (
                asset is None
                or duty.mode is Mode.AUTOMATIC
                or duty.emergency is not None
                or duty.rule.update_class not in RING_CLASSES
            ):
                return None
            return (
                duty.activity.name,
                task.due.anchor,
                asset.vendor.casefold(),
                asset.product.casefold(),
            )

        result = make_plan(fleet, catalog)
        # Ring order left out where another contradiction forced it (warned).
        exempt = {w.split(":")[0] for w in result.warnings if "ring order contradicts" in w}
        placed = {(t.duty.subject, t.duty.activity.name, t.due.anchor): t for t in result.tasks}
        for task in result.tasks:
            asset = task.duty.asset
            for target in asset.depends_on if asset else ():
                before = placed.get((target, task.duty.activity.name, task.due.anchor))
                if before is None:
                    continue
                ring, target_ring = asset.environment.ring, before.duty.asset.environment.ring  # type: ignore[union-attr]
                if (
                    release(task) is not None
                    and release(task) == release(before)
                    and ring < target_ring
                ):
                    if not {task.uid, before.uid} & exempt:
                        assert utc(task.end) <= utc(before.start), (task.uid, before.uid)
                else:
                    assert utc(before.end) <= utc(task.start), (before.uid, task.uid)
                    assert before.uid in task.after

    @given(fleet=fleets())
    @example(fleet=SPRING_FORWARD)
    @example(fleet=FALL_BACK)
    def test_7_on_time_tasks_start_by_the_deadline_and_late_ones_say_why(
        self, fleet: tuple[Inventory, dt.date, int], catalog: Catalog
    ) -> None:
        inventory = fleet[0]
        lookahead = dt.timedelta(days=inventory.planning.lookahead_days)
        result = make_plan(fleet, catalog)
        for task in result.tasks:
            assert utc(task.due.earliest) <= utc(task.start), task.uid
            assert elapsed(task.start, task.end) == task.duty.duration
            if task.status is Status.ON_TIME:
                assert utc(task.start) <= utc(task.due.deadline), task.uid
                assert task.late_reason is None
                assert task.late_by == dt.timedelta(0)
            else:
                assert utc(task.due.deadline) < utc(task.start), task.uid
                assert utc(task.start) <= utc(task.due.deadline) + lookahead, task.uid
                assert task.late_reason is not None
                assert task.late_detail
                assert task.late_by == elapsed(task.due.deadline, task.start)

    @given(fleet=fleets())
    def test_9_every_due_is_covered_by_one_task_or_is_one_unplaced_entry(
        self, fleet: tuple[Inventory, dt.date, int], catalog: Catalog
    ) -> None:
        """Conservation: dues = on time + late + superseded + unplaced, each once."""
        inventory, start, months = fleet
        result = make_plan(fleet, catalog)
        horizon = Horizon(start, months, inventory.organisation.timezone)
        expected = {
            due.uid for due in expand(apply(inventory, catalog).duties, horizon, catalog.calendars)
        }
        covered = [uid for task in result.tasks for uid in task.dues]
        unplaced = [entry.due.uid for entry in result.unplaced]
        assert len(covered) + len(unplaced) == result.dues == len(expected)
        assert set(covered) | set(unplaced) == expected
        assert len(set(covered)) == len(covered)
        assert not set(covered) & set(unplaced)
        summary = result.summary()
        assert (
            summary["on_time"] + summary["late"] + summary["superseded"] + summary["unplaced"]
            == result.dues
        )
        for task in result.tasks:
            for older in task.superseded:
                # The same duty, an earlier release: the newer work includes it.
                assert older.duty is task.due.duty
                assert utc(older.anchor) < utc(task.due.anchor)

    @given(fleet=fleets())
    def test_9_unplaced_means_nothing_was_feasible_within_the_lookahead(
        self, fleet: tuple[Inventory, dt.date, int], catalog: Catalog
    ) -> None:
        inventory = fleet[0]
        lookahead = dt.timedelta(days=inventory.planning.lookahead_days)
        result = make_plan(fleet, catalog)
        for entry in result.unplaced:
            assert entry.detail
            if entry.reason in (Reason.NO_ELIGIBLE_WINDOW, Reason.DEADLINE_BEFORE_EARLIEST):
                continue
            assert "look-ahead" in entry.detail
            if entry.next_feasible is not None:
                assert utc(entry.next_feasible) > utc(entry.due.deadline) + lookahead, entry

    @given(fleet=fleets())
    def test_10_windows_keep_their_wall_clock_start_and_report_dst_changes(
        self, fleet: tuple[Inventory, dt.date, int], catalog: Catalog
    ) -> None:
        inventory = fleet[0]
        result = make_plan(fleet, catalog)
        for task in result.tasks:
            if task.window is None:
                continue
            window = inventory.window(task.window)
            zone = window.timezone or inventory.organisation.timezone
            assert task.occurrence.astimezone(zone).time() == window.start
        gap_windows = {
            w.name
            for w in inventory.windows
            if len(occurrences(w, inventory, result, 0)) != len(local_starts(w, result, 0))
        }
        for name in gap_windows:
            assert any(f'window "{name}"' in warning for warning in result.warnings)


class TestPriority:
    """Guarantee 8: when capacity is short, higher tiers are on time first."""

    @given(
        criticalities=st.lists(st.sampled_from(list(Criticality)), min_size=2, max_size=8),
        capacity=st.integers(1, 4),
    )
    def test_higher_tiers_take_the_scarce_capacity(
        self, criticalities: list[Criticality], capacity: int, catalog: Catalog
    ) -> None:
        # One occurrence a month holds `capacity` VM updates of 15 minutes' effort
        # each (an hour of wall-clock time, side by side); every VM's deadline falls
        # before the next occurrence.
        window = Window(
            "monthly",
            "FREQ=MONTHLY;BYMONTHDAY=2",
            dt.time(20),
            dt.timedelta(hours=4),
            Decimal(capacity) / 4,
        )
        assets = [
            Asset(id=f"vm{i}", kind="virtual_server", criticality=c, window="monthly")
            for i, c in enumerate(criticalities)
        ]
        inventory = Inventory(
            organisation=Organisation("Prio", ZoneInfo("Europe/Amsterdam")),
            assets=assets,
            windows=(window,),
        )
        result = plan(
            inventory,
            start=dt.date(2027, 1, 1),
            months=1,
            reference_time=REFERENCE,
            plugins=catalog,
        )
        updates = [t for t in result.tasks if t.duty.activity.name == "security-updates"]
        on_time = [t for t in updates if t.status is Status.ON_TIME]
        missed = [t.due for t in updates if t.status is Status.LATE] + [
            u.due for u in result.unplaced if u.due.duty.activity.name == "security-updates"
        ]
        if missed and on_time:
            worst_on_time = max(t.duty.tier.rank for t in on_time)
            best_missed = min(due.tier.rank for due in missed)
            assert worst_on_time <= best_missed


class TestTechnicians:
    """Issue 27: more people never make a plan later."""

    @given(fleet=fleets())
    def test_adding_a_technician_never_makes_a_plan_later(
        self, fleet: tuple[Inventory, dt.date, int], catalog: Catalog
    ) -> None:
        inventory, start, months = fleet
        planning = inventory.planning
        hours = limits.MAX_CAPACITY_HOURS
        more = attrs.evolve(
            inventory,
            planning=attrs.evolve(planning, technicians=planning.technicians + 1),
            windows=tuple(
                attrs.evolve(
                    w,
                    capacity_hours=min(
                        hours, w.capacity_hours + Decimal(w.duration.total_seconds()) / 3600
                    ),
                )
                if w.capacity_hours is not None
                else w
                for w in inventory.windows
            ),
        )

        def missed(result: Plan) -> int:
            late = sum(
                len(t.dues)
                for t in result.tasks
                if t.status is Status.LATE and t.duty.tier in (Tier.P1, Tier.P2)
            )
            return late + sum(
                len(u.due.covers) for u in result.unplaced if u.due.duty.tier in (Tier.P1, Tier.P2)
            )

        assert missed(make_plan((more, start, months), catalog)) <= missed(
            make_plan(fleet, catalog)
        )


class TestDeterminism:
    @given(fleet=fleets(), seed=st.integers(0, 2**16))
    def test_same_input_same_bytes_whatever_the_asset_order(
        self, fleet: tuple[Inventory, dt.date, int], seed: int, catalog: Catalog
    ) -> None:
        inventory, start, months = fleet
        first = make_plan(fleet, catalog).dumps()
        assert make_plan(fleet, catalog).dumps() == first
        shuffled = list(inventory.assets)
        random.Random(seed).shuffle(shuffled)
        reordered = attrs.evolve(inventory, assets=shuffled)
        assert make_plan((reordered, start, months), catalog).dumps() == first


@pytest.mark.parametrize("zone", ["Europe/Amsterdam", "America/New_York"])
def test_a_window_starting_in_the_spring_gap_is_reported_not_shifted(
    zone: str, catalog: Catalog
) -> None:
    window = Window("nightly", "FREQ=DAILY", dt.time(2, 30), dt.timedelta(hours=1))
    inventory = Inventory(
        organisation=Organisation("Gap", ZoneInfo(zone)),
        assets=[Asset(id="srv", kind="physical_server", window="nightly")],
        windows=(window,),
    )
    result = plan(
        inventory, start=dt.date(2027, 3, 1), months=1, reference_time=REFERENCE, plugins=catalog
    )
    gap_day = dt.date(2027, 3, 28) if zone == "Europe/Amsterdam" else dt.date(2027, 3, 14)
    assert any(f"{gap_day:%Y-%m-%d} 02:30 does not exist" in w for w in result.warnings)
    assert all(t.occurrence.date() != gap_day for t in result.tasks if t.window == "nightly")


def test_inventories_plan_in_parallel_as_they_do_in_sequence(catalog: Catalog) -> None:
    """Planning is a pure function: an executor gives the same bytes."""
    from concurrent.futures import ProcessPoolExecutor
    from pathlib import Path

    from maintlib.loading.read import load

    examples = sorted((Path(__file__).parent.parent / "examples").glob("*/inventory.toml"))
    inventories = [load(path, catalog=catalog) for path in examples]
    sequential = [_plan_bytes(inventory) for inventory in inventories]
    with ProcessPoolExecutor(max_workers=2) as executor:
        parallel = list(executor.map(_plan_bytes, inventories))
    assert parallel == sequential


def _plan_bytes(inventory: Inventory) -> bytes:
    from maintlib.testing import make_plugins

    result = plan(
        inventory,
        start=dt.date(2027, 1, 1),
        months=2,
        reference_time=REFERENCE,
        plugins=make_plugins(),
    )
    return result.dumps()


def test_a_soak_longer_than_the_deadline_makes_production_late_and_says_why() -> None:
    """A 60-day soak: each month's production update waits for its lower ring past
    the deadline, so the next month's release covers it; the last one is late, and
    says it waited for the soak time."""
    from maintlib.testing import plan_document

    server = {"kind": "virtual_server", "vendor": "Canonical", "product": "Ubuntu Server"}
    result = plan_document(
        {
            "organisation": {"name": "Soak", "timezone": "Europe/Amsterdam", "country": "NL"},
            "planning": {"soak_days": 60},
            "windows": [
                {"name": "nightly", "rrule": "FREQ=DAILY", "start": "22:00", "duration": "PT4H"}
            ],
            "assets": [
                {"id": "test-vm", "environment": "test", "window": "nightly", **server},
                {"id": "prod-vm", "window": "nightly", **server},
            ],
        },
        months=2,
    )
    production = [t for t in result.tasks if t.uid.startswith("prod-vm.security-updates")]
    assert len(production) == 1
    (task,) = production
    assert task.status is Status.LATE
    assert task.late_reason is Reason.RING_SOAK
    assert [due.uid for due in task.superseded] == ["prod-vm.security-updates.20270101T0000"]
    assert task.late_detail.startswith("the lower ring's soak time allows a start only from ")
    deadline = task.due.deadline.astimezone(ZoneInfo("Europe/Amsterdam"))
    assert f"after the deadline {deadline.isoformat()}" in task.late_detail
    assert result.unplaced == ()


class TestStablePlans:
    """Issue 29: a monthly re-plan changes only what changed."""

    @settings(max_examples=30, deadline=None)
    @given(fleet=fleets())
    def test_replanning_a_month_later_keeps_the_later_tasks(
        self, fleet: tuple[Inventory, dt.date, int], catalog: Catalog
    ) -> None:
        """Planned from the first of a month and again from the first of the next,
        the tasks that start two months or more after the new start stay where they
        were (at most 5 % move; the planner's order and anchors do not depend on
        the horizon's start). Risks do not change between the two starts here; an
        end of support that passes in between does change tiers, and with them
        the plan (the production example's file server on 2027-01-12)."""
        inventory, start, _ = fleet
        first = dt.date(start.year, start.month, 1)
        second = (first + dt.timedelta(days=32)).replace(day=1)
        before = plan(inventory, start=first, months=6, reference_time=REFERENCE, plugins=catalog)
        after = plan(inventory, start=second, months=5, reference_time=REFERENCE, plugins=catalog)
        cut = after.horizon.start_at + dt.timedelta(days=61)
        old = {t.uid: (t.start, t.end) for t in before.tasks if t.start >= cut}
        new = {t.uid: (t.start, t.end) for t in after.tasks if t.start >= cut}
        shared = old.keys() & new.keys()
        moved = sum(old[uid] != new[uid] for uid in shared)
        assert moved <= 0.05 * len(shared)
