"""What the exports share: each window's recurrence in the shapes the targets know
(daily, weekly, the n-th weekday of the month, days after Patch Tuesday), the
assets the plan puts in it by ring, in the plan's order, and the warnings.

A window's shape is read from its RRULE and checked against its occurrences over
a year: a monthly window whose occurrences all fall the same number of days after
that month's second Tuesday is "Patch Tuesday + N" whatever its RRULE says
(``FREQ=MONTHLY;BYDAY=SA;BYMONTHDAY=12,13,14,15,16,17,18`` is Patch Tuesday + 4).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, Literal
from zoneinfo import ZoneInfo

import attrs

from maintlib._util.recurrence import EPOCH, occurrences
from maintlib.model.inventory import Inventory, Window
from maintlib.model.plan import Plan

__all__ = ["DAYS", "Export", "ExportWarning", "WindowShape", "second_tuesday", "shape_of"]

#: RFC 5545 weekday names, Monday first (``datetime.weekday()`` order).
DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")

Kind = Literal["daily", "weekly", "monthly", "patch-tuesday", "other"]


@attrs.frozen(order=True)
class ExportWarning:
    """Something of the plan a target cannot express, like a ``maintlib check``
    warning: a stable code, where, and what is lost."""

    code: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"warning[{self.code}] {self.where}: {self.message}"


@attrs.frozen
class Export:
    """An export: the document to write (JSON-ready) and its warnings."""

    document: dict[str, Any]
    warnings: tuple[ExportWarning, ...] = ()


def second_tuesday(year: int, month: int) -> dt.date:
    """Patch Tuesday: the second Tuesday of the month (Microsoft's Update Tuesday,
    docs/rules.md's release calendar)."""
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(1 - first.weekday()) % 7 + 7)


@attrs.frozen
class WindowShape:
    """A window's recurrence, as the targets can say it.

    Attributes:
        window: The inventory's window.
        zone: Its zone (the organisation's when it names none).
        kind: ``daily``, ``weekly`` (``weekdays``), ``monthly`` (the ``nth``
            ``weekday``, -1 the last), ``patch-tuesday`` (``offset`` days after the
            second Tuesday), or ``other`` (none of these).
        interval: Every how many days, weeks or months.
        first: The first occurrence still open at the horizon's start.
        assets: Ring (0 test, 1 acceptance, 2 production) → the assets the plan
            places in this window, in the order of their first task.
    """

    window: Window
    zone: ZoneInfo
    kind: Kind
    interval: int = 1
    weekdays: tuple[int, ...] = ()
    nth: int | None = None
    weekday: int | None = None
    offset: int | None = None
    first: dt.datetime | None = None
    assets: dict[int, tuple[str, ...]] = attrs.field(factory=dict)

    @property
    def name(self) -> str:
        return self.window.name

    @property
    def all_assets(self) -> tuple[str, ...]:
        return tuple(a for ring in sorted(self.assets) for a in self.assets[ring])


def _parts(rule: str) -> dict[str, str]:
    parts = {}
    for item in rule.upper().split(";"):
        key, _, value = item.partition("=")
        parts[key.strip()] = value.strip()
    return parts


def _day(text: str) -> tuple[int | None, int] | None:
    """``2TU`` → (2, 1); ``SA`` → (None, 5); ``-1SU`` → (-1, 6)."""
    code = text[-2:]
    if code not in DAYS:
        return None
    number = text[:-2]
    try:
        return (int(number) if number else None), DAYS.index(code)
    except ValueError:
        return None


def _occurrences(window: Window, start: dt.date) -> list[dt.datetime]:
    """A year of the window's wall-clock starts from the first that is still open
    on ``start``, anchored as the planner anchors them
    (:data:`~maintlib._util.recurrence.EPOCH`)."""
    anchor = dt.datetime.combine(EPOCH.date(), window.start)
    after = dt.datetime.combine(start, dt.time()) - window.duration + dt.timedelta(seconds=1)
    return list(occurrences(window.rrule, anchor, after, after + dt.timedelta(days=366)))


def shape_of(window: Window, zone: ZoneInfo, start: dt.date) -> WindowShape:
    """The window's shape (see :class:`WindowShape`), its occurrences from ``start``."""
    parts = _parts(window.rrule)
    found = _occurrences(window, start)
    first = found[0].replace(tzinfo=zone) if found else None
    base = WindowShape(window, zone, "other", first=first)
    try:
        interval = int(parts.get("INTERVAL", "1"))
    except ValueError:
        return base
    plain = set(parts) - {"FREQ", "INTERVAL", "WKST"}
    freq = parts.get("FREQ")
    if freq == "DAILY" and not plain:
        return attrs.evolve(base, kind="daily", interval=interval)
    days = [_day(d) for d in parts.get("BYDAY", "").split(",") if d]
    if freq == "WEEKLY" and plain == {"BYDAY"} and all(d and d[0] is None for d in days):
        weekdays = tuple(sorted(d[1] for d in days if d))
        return attrs.evolve(base, kind="weekly", interval=interval, weekdays=weekdays)
    if freq == "MONTHLY" and len(days) == 1 and days[0] is not None:
        nth, weekday = days[0]
        if plain == {"BYDAY", "BYSETPOS"} and nth is None:
            try:
                nth = int(parts["BYSETPOS"])
            except ValueError:
                nth = None
        elif plain != {"BYDAY"}:
            nth = None
        if nth is not None and (1 <= nth <= 4 or nth == -1):
            return attrs.evolve(base, kind="monthly", interval=interval, nth=nth, weekday=weekday)
    if freq == "MONTHLY" and found and interval == 1:
        months = {(o.year, o.month) for o in found}
        offsets = {(o.date() - second_tuesday(o.year, o.month)).days for o in found}
        if len(months) == len(found) and len(offsets) == 1:
            return attrs.evolve(base, kind="patch-tuesday", offset=offsets.pop())
    return attrs.evolve(base, kind="other", interval=interval)


def shapes(plan: Plan, inventory: Inventory) -> list[WindowShape]:
    """Every window of the inventory that the plan uses, in name order, with the
    assets it places there by ring in the order of their first task."""
    order: dict[str, dict[str, tuple[dt.datetime, str]]] = {}
    for task in plan.tasks:
        if task.window is None:
            continue
        for asset in task.assets:
            known = order.setdefault(task.window, {}).get(asset)
            if known is None or (task.start, task.uid) < known:
                order[task.window][asset] = (task.start, task.uid)
    found = []
    zone = inventory.organisation.timezone
    for window in sorted(inventory.windows, key=lambda w: w.name):
        if window.name not in order:
            continue
        shape = shape_of(window, window.timezone or zone, plan.horizon.start)
        rings: dict[int, list[str]] = {}
        for asset, _ in sorted(order[window.name].items(), key=lambda item: (item[1], item[0])):
            rings.setdefault(inventory.asset(asset).environment.ring, []).append(asset)
        found.append(attrs.evolve(shape, assets={r: tuple(a) for r, a in sorted(rings.items())}))
    return found


def redundancy_warnings(
    shape: WindowShape, inventory: Inventory, code: str, target: str
) -> Iterable[ExportWarning]:
    """Members of one redundancy group in ``shape``'s window: the target starts
    them together unless told otherwise."""
    groups: dict[str, list[str]] = {}
    for asset in shape.all_assets:
        group = inventory.asset(asset).redundancy_group
        if group:
            groups.setdefault(group, []).append(asset)
    for group, members in sorted(groups.items()):
        if len(members) > 1:
            yield ExportWarning(
                code,
                f"window {shape.name!r}",
                f"{target} may patch {', '.join(sorted(members))} (redundancy group"
                f" {group!r}) at the same time; the plan takes them down one at a time",
            )


def other_shape(shape: WindowShape, target: str) -> ExportWarning:
    return ExportWarning(
        "export-schedule-unexpressible",
        f"window {shape.name!r}",
        f"{target} has no schedule for RRULE {shape.window.rrule!r}; the window is left out",
    )


def offset_warning(shape: WindowShape, allowed: str) -> ExportWarning:
    """A Patch Tuesday offset the target cannot hold; ``allowed`` says what it can."""
    return ExportWarning(
        "export-offset-range",
        f"window {shape.name!r}",
        f"Patch Tuesday {shape.offset:+d} days: {allowed}; the window is left out",
    )
