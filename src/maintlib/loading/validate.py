"""The inventory's cross-checks: references, duplicates, cycles, organisation and windows —
for loaded inventories and for ones built in code."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from typing import TypeVar
from zoneinfo import ZoneInfo

import attrs

from maintlib._util.clock import format_duration
from maintlib._util.recurrence import EPOCH, min_gap, parse_rrule
from maintlib._util.text import did_you_mean
from maintlib.model.catalog import Catalog
from maintlib.model.errors import Problem
from maintlib.model.inventory import (
    Asset,
    Blackout,
    Inventory,
    Organisation,
    RedundancyGroup,
    Window,
)
from maintlib.model.sla import sla_problems
from maintlib.model.vocabulary import kind_hint
from maintlib.packs.catalog import rule_problem

__all__ = ["validate"]

T = TypeVar("T")


#: The file name of problems in an inventory built in code.
CODE = "<inventory>"


@attrs.frozen
class Place:
    """Where a value was written: file and location."""

    file: str
    where: str

    def problem(self, field: str, message: str) -> Problem:
        """A problem with ``field`` of the value written here."""
        return Problem(self.file, f"{self.where}.{field}" if field else self.where, message)


def _cycle_text(cycle: list[str]) -> str:
    return " -> ".join([*cycle, cycle[0]])


def _dependency_cycles(assets: Mapping[str, Asset]) -> list[list[str]]:
    """Every elementary cycle found by depth-first search, each rotated to start at its
    smallest id, without repeats.

    The search keeps its own stack (a chain of thousands of dependencies must not
    exhaust Python's recursion limit) and visits each asset once.
    """
    cycles: dict[tuple[str, ...], list[str]] = {}
    state: dict[str, int] = {}
    path: list[str] = []
    position: dict[str, int] = {}
    for root in sorted(assets):
        if root in state:
            continue
        state[root] = 1
        path.append(root)
        position[root] = 0
        todo = [iter(assets[root].depends_on)]
        while todo:
            target = next(todo[-1], None)
            if target is None:
                todo.pop()
                node = path.pop()
                del position[node]
                state[node] = 2
                continue
            if target not in assets:
                continue
            if state.get(target) == 1:
                cycle = path[position[target] :]
                start = cycle.index(min(cycle))
                rotated = cycle[start:] + cycle[:start]
                cycles.setdefault(tuple(rotated), rotated)
            elif target not in state:
                state[target] = 1
                position[target] = len(path)
                path.append(target)
                todo.append(iter(assets[target].depends_on))
    return [cycles[key] for key in sorted(cycles)]


def validate_parts(
    organisation: tuple[Organisation, Place],
    windows: Sequence[tuple[Window, Place]],
    blackouts: Sequence[tuple[Blackout, Place]],
    assets: Sequence[tuple[Asset, Place]],
    catalog: Catalog,
    *,
    unloaded_windows: Collection[str] = (),
    unloaded_assets: Collection[str] = (),
) -> list[Problem]:
    """Cross-checks that need more than one value: references, cycles, windows.

    References to ``unloaded_windows`` and ``unloaded_assets`` (written, but with
    problems of their own) are not reported as unknown.
    """
    problems: list[Problem] = []
    by_id = {asset.id: asset for asset, _ in assets}
    places = {asset.id: place for asset, place in assets}
    window_names = {window.name for window, _ in windows}
    known_windows = window_names | set(unloaded_windows)
    known_assets = by_id.keys() | set(unloaded_assets)

    def at(asset_id: str, field: str, message: str) -> None:
        problems.append(places[asset_id].problem(field, message))

    organisation_value, organisation_place = organisation
    problems.extend(_check_organisation(organisation_value, organisation_place))
    for window, place in windows:
        problems.extend(_check_window(window, place))
    for blackout, place in blackouts:
        problems.extend(_check_blackout(blackout, place, organisation_value.timezone))
    for asset in by_id.values():
        problems.extend(
            _check_references(
                asset, places[asset.id], by_id, catalog, window_names, known_windows, known_assets
            )
        )
    for cycle in _dependency_cycles(by_id):
        if len(cycle) > 1:
            at(cycle[0], "depends_on", f"dependency cycle: {_cycle_text(cycle)}")
    for loop in _hosting_loops(by_id):
        at(loop[0], "hosted_on", f"hosting loop: {_cycle_text(loop)}")
    return problems


def _check_blackout(blackout: Blackout, place: Place, zone: ZoneInfo) -> list[Problem]:
    """A blackout ends after it starts, before the end of the calendar."""
    try:
        start, end = blackout.interval(zone)
    except OverflowError:
        return [place.problem("end", "must be before 9999-12-31")]
    if end <= start:
        return [place.problem("end", "ends before it starts")]
    return []


def _check_references(
    asset: Asset,
    place: Place,
    by_id: Mapping[str, Asset],
    catalog: Catalog,
    window_names: Collection[str],
    known_windows: Collection[str],
    known_assets: Collection[str],
) -> list[Problem]:
    """An asset's kind, window and the assets it names exist (and are not itself)."""
    problems: list[Problem] = []

    def at(field: str, message: str) -> None:
        problems.append(place.problem(field, message))

    if asset.kind not in catalog.kinds:
        at("kind", f'unknown asset kind "{asset.kind}"{kind_hint(asset.kind, catalog.kinds)}')
    if asset.window is not None and asset.window not in known_windows:
        at("window", f'unknown window "{asset.window}"{did_you_mean(asset.window, window_names)}')

    # The ids to suggest are built only for a message: doing it for every asset
    # made validation quadratic in the inventory.
    def suggest(target: str) -> str:
        return did_you_mean(target, [i for i in by_id if i != asset.id])

    for field, itself in (
        ("hosted_on", "an asset cannot be hosted on itself"),
        ("runs_on", "an asset cannot run on itself"),
    ):
        target = getattr(asset, field)
        if target == asset.id:
            at(field, itself)
        elif target is not None and target not in known_assets:
            at(field, f'unknown asset "{target}"{suggest(target)}')
    for target in asset.depends_on:
        if target == asset.id:
            at("depends_on", "an asset cannot depend on itself")
        elif target not in known_assets:
            at("depends_on", f'unknown asset "{target}"{suggest(target)}')
    return problems


def _check_groups(
    groups: Sequence[tuple[RedundancyGroup, Place]], assets: Sequence[tuple[Asset, Place]]
) -> list[Problem]:
    """Each described redundancy group has members, and its primary is one of them."""
    members: dict[str, list[str]] = {}
    for asset, _ in assets:
        if asset.redundancy_group:
            members.setdefault(asset.redundancy_group, []).append(asset.id)
    problems = []
    for group, place in groups:
        if group.name not in members:
            problems.append(
                place.problem(
                    "name",
                    f'no asset is in redundancy group "{group.name}"'
                    f"{did_you_mean(group.name, members)}",
                )
            )
        elif group.primary is not None and group.primary not in members[group.name]:
            problems.append(
                place.problem(
                    "primary",
                    f'"{group.primary}" is not a member of "{group.name}"'
                    f" (members: {', '.join(sorted(members[group.name]))})",
                )
            )
    return problems


def _hosting_loops(assets: Mapping[str, Asset]) -> list[list[str]]:
    """Each loop of ``hosted_on`` references between two or more assets once,
    starting at its smallest id.

    Each asset hosts on at most one other, so one walk from every asset not yet
    seen finds every loop, and no asset is walked twice.
    """
    loops: list[list[str]] = []
    done: set[str] = set()
    for asset_id in sorted(assets):
        chain: dict[str, int] = {}
        current: str | None = asset_id
        while current is not None and current in assets and current not in done:
            if current in chain:
                loop = list(chain)[chain[current] :]
                start = loop.index(min(loop))
                if len(loop) > 1:  # hosted on itself is a problem of its own
                    loops.append(loop[start:] + loop[:start])
                break
            chain[current] = len(chain)
            current = assets[current].hosted_on
        done.update(chain)
    return sorted(loops)


def _check_organisation(organisation: Organisation, place: Place) -> list[Problem]:
    if organisation.country is None:
        if organisation.subdivision is not None:
            return [place.problem("subdivision", "a subdivision needs a country")]
        return []
    import holidays  # the public-holiday tables load when an organisation names a country

    supported = holidays.list_supported_countries()
    if organisation.country not in supported:
        return [
            place.problem(
                "country",
                f'no public-holiday calendar for country "{organisation.country}"'
                f"{did_you_mean(organisation.country, supported)}"
                " (use ISO 3166-1 alpha-2, e.g. NL)",
            )
        ]
    subdivisions = supported[organisation.country]
    if organisation.subdivision is not None and organisation.subdivision not in subdivisions:
        choices = ", ".join(subdivisions) or "none"
        return [
            place.problem(
                "subdivision",
                f'unknown subdivision "{organisation.subdivision}" of {organisation.country}'
                f" (known: {choices})",
            )
        ]
    return []


def _check_window(window: Window, place: Place) -> list[Problem]:
    try:
        parse_rrule(window.rrule, EPOCH)
    except ValueError as error:
        return [place.problem("rrule", str(error))]
    start = dt.datetime.combine(EPOCH.date(), window.start)
    gap = min_gap(window.rrule, start)
    if gap is not None and window.duration > gap:
        return [
            place.problem(
                "duration",
                f"the window lasts {format_duration(window.duration)}, longer than the time"
                f" between its occurrences ({format_duration(gap)}); occurrences would overlap",
            )
        ]
    return []


def validate(inventory: Inventory, catalog: Catalog) -> list[Problem]:
    """Cross-check an inventory built in code (files get this from :func:`load`).

    The same checks as a file gets once its values are built: duplicate asset ids
    and window names, references (kinds, windows, hosts, dependencies), cycles,
    windows, blackouts and blackout calendars, the organisation's holiday region,
    inventory rules and the costing profile. :func:`maintlib.validate` raises these as an
    :class:`~maintlib.model.errors.InputError`.

    Returns:
        Every problem, located by key path in the inventory's sequences
        (``assets[2] (id "fw01").hosted_on``); empty when the inventory is sound.
    """

    def located(section: str, values: Sequence[T], key: str) -> list[tuple[T, Place]]:
        return [
            (value, Place(CODE, f'{section}[{index}] ({key} "{getattr(value, key)}")'))
            for index, value in enumerate(values)
        ]

    assets = located("assets", inventory.assets, "id")
    windows = located("windows", inventory.windows, "name")
    problems = [
        *_duplicates(assets, "id", "asset id"),
        *_duplicates(windows, "name", "window name"),
    ]
    problems += validate_parts(
        (inventory.organisation, Place(CODE, "organisation")),
        windows,
        located("blackouts", inventory.blackouts, "name"),
        assets,
        catalog,
    )
    for index, spec in enumerate(inventory.rules):
        where = f"rules[{index}]"
        if spec.rule is not None:
            problem = rule_problem(spec.rule, catalog.kinds, catalog.activities, catalog.calendars)
            if problem:
                problems.append(Problem(CODE, where, problem))
        elif spec.extends not in {rule.key for rule in catalog.rules}:
            keys = [rule.key for rule in catalog.rules]
            problems.append(
                Problem(
                    CODE,
                    where + ".extends",
                    f'unknown rule "{spec.extends}"{did_you_mean(str(spec.extends), keys)}',
                )
            )
    from maintlib.loading.blackouts import check_calendar  # the parser is only needed here

    for calendar in inventory.blackout_calendars:
        problems += check_calendar(calendar.content, calendar.file)
    if inventory.sla is not None:
        problems += [
            Problem(CODE, location, message)
            for location, message in sla_problems(
                inventory.sla,
                {window.name for window in inventory.windows},
                catalog.vulnerability_policies,
            )
        ]
    costing = inventory.costing
    if costing is not None and costing.profile not in (*catalog.rate_cards, "auto"):
        problems.append(
            Problem(
                CODE,
                "costing.profile",
                f'unknown profile "{costing.profile}"'
                f"{did_you_mean(costing.profile, catalog.rate_cards)}",
            )
        )
    return problems


def _duplicates(values: Sequence[tuple[T, Place]], key: str, what: str) -> list[Problem]:
    first: dict[object, str] = {}
    problems = []
    for value, place in values:
        ident = getattr(value, key)
        if ident in first:
            problems.append(
                place.problem(key, f'duplicate {what} "{ident}" (first at {first[ident]})')
            )
        else:
            first[ident] = place.where
    return problems
