"""The inventory: an organisation, its windows and blackouts, and its assets.

These are plain frozen values. :mod:`maintlib.load` builds them from files and
checks everything a file can get wrong; code that builds them directly gets the
same structural checks from the validators here, and the cross-references
(dangling ids, cycles) from :func:`maintlib.load.validate`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import attrs

from maintlib.model import IDENTIFIER, Criticality, Environment, Exposure, GroupPolicy

if TYPE_CHECKING:
    from maintlib.rates import CostingSettings
    from maintlib.risk import RiskWeights
    from maintlib.rules import RuleSpec

__all__ = [
    "Asset",
    "Blackout",
    "BlackoutCalendar",
    "Inventory",
    "OfficeHours",
    "Organisation",
    "PlanningSettings",
    "RedundancyGroup",
    "Vulnerability",
    "Window",
]

CVE_ID = re.compile(r"CVE-[0-9]{4}-[0-9]{4,}")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _identifier(_: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not IDENTIFIER.fullmatch(value):
        raise ValueError(
            f"{attribute.name} {value!r} must be lower-case letters, digits, '.', '_' or '-',"
            " starting with a letter or digit"
        )


def _non_negative(_: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and value < 0:
        raise ValueError(f"{attribute.name} must not be negative, got {value}")


@attrs.frozen
class Vulnerability:
    """A known weakness of an asset.

    Attributes:
        id: The CVE id (``CVE-2024-3400``).
        cvss: A CVSS v2, v3.x or v4.0 vector; when given, its base score counts in
            the asset's risk.
    """

    id: str
    cvss: str | None = None

    @cached_property
    def base_score(self) -> Decimal | None:
        """The CVSS base score of :attr:`cvss`, or None without a vector."""
        if self.cvss is None:
            return None
        return cvss_base_score(self.cvss)


def cvss_base_score(vector: str) -> Decimal:
    """The base score of a CVSS vector (v2, v3.0, v3.1 or v4.0).

    Raises:
        ValueError: The vector is not valid.
    """
    import cvss  # imported lazily: only inventories with vectors need it

    try:
        if vector.startswith("CVSS:4.0/"):
            return Decimal(str(cvss.CVSS4(vector).base_score))
        if vector.startswith("CVSS:3."):
            return Decimal(str(cvss.CVSS3(vector).base_score))
        return Decimal(str(cvss.CVSS2(vector).base_score))
    except cvss.CVSSError as error:
        raise ValueError(f"invalid CVSS vector {vector!r}: {error}") from None


@attrs.frozen
class Asset:
    """One thing that needs maintenance.

    See ``docs/inventory.md`` for every field, its default and an example.
    """

    id: str = attrs.field(validator=_identifier)
    kind: str
    name: str = ""
    vendor: str = ""
    product: str = ""
    version: str = ""
    #: The operating system or firmware family, when ``product`` names the hardware
    #: (``os = "IOS XE"`` for a Catalyst switch); rules' product globs match it too.
    os: str = ""
    criticality: Criticality = Criticality.MEDIUM
    exposure: Exposure = Exposure.INTERNAL
    environment: Environment = Environment.PRODUCTION
    site: str = ""
    owner: str = ""
    #: True: the asset updates itself (a person verifies); False: every update is
    #: planned; None: as each rule says.
    auto_update: bool | None = None
    window: str | None = None
    hosted_on: str | None = None
    runs_on: str | None = None
    depends_on: tuple[str, ...] = ()
    redundancy_group: str | None = None
    failures_last_year: int = attrs.field(default=0, validator=_non_negative)
    #: What the asset is worth, in the organisation's currency.
    value: Decimal | None = attrs.field(default=None, validator=_non_negative)
    tags: tuple[str, ...] = ()
    vulnerabilities: tuple[Vulnerability, ...] = ()

    @property
    def label(self) -> str:
        """``hv01 Hyper-V host 1``: the id, and the name when it says more."""
        return f"{self.id} {self.name}" if self.name and self.name != self.id else self.id


_SPAN = re.compile(
    r"(?P<days>[A-Za-z]{3}(?:-[A-Za-z]{3})?(?:\s*,\s*[A-Za-z]{3}(?:-[A-Za-z]{3})?)*)\s+"
    r"(?P<start>\d{1,2}:\d{2})\s*-\s*(?P<end>\d{1,2}:\d{2})"
)


@attrs.frozen
class OfficeHours:
    """When the office works: per weekday (0 = Monday) a start and end time.

    Written and read as ``"Mon-Fri 08:00-18:00"``; several spans are separated by
    ``;`` (``"Mon-Thu 08:00-17:00; Fri 08:00-12:00"``).
    """

    spans: tuple[tuple[int, dt.time, dt.time], ...]

    @classmethod
    def parse(cls, text: str) -> OfficeHours:
        """Parse ``"Mon-Fri 08:00-18:00"``.

        Raises:
            ValueError: The text is not of that form, a time is invalid, a span
                ends before it starts, or a day appears twice.
        """
        spans: dict[int, tuple[dt.time, dt.time]] = {}
        for part in (p.strip() for p in text.split(";")):
            match = _SPAN.fullmatch(part)
            if not match:
                raise ValueError(
                    f"office hours {text!r} must look like 'Mon-Fri 08:00-18:00'"
                    " (spans separated by ';')"
                )
            start, end = (_clock(match[name]) for name in ("start", "end"))
            if end <= start:
                raise ValueError(f"office hours {part!r} end before they start")
            for day in _days(match["days"]):
                if day in spans:
                    raise ValueError(f"office hours {text!r} name {WEEKDAYS[day]} twice")
                spans[day] = (start, end)
        return cls(tuple((day, *spans[day]) for day in sorted(spans)))

    def on(self, weekday: int) -> tuple[dt.time, dt.time] | None:
        """The (start, end) of office hours on ``weekday``, or None when closed."""
        for day, start, end in self.spans:
            if day == weekday:
                return start, end
        return None

    def __str__(self) -> str:
        groups: list[tuple[list[int], dt.time, dt.time]] = []
        for day, start, end in self.spans:
            last = groups[-1] if groups else None
            if last and last[0][-1] == day - 1 and (last[1], last[2]) == (start, end):
                last[0].append(day)
            else:
                groups.append(([day], start, end))
        parts = []
        for days, start, end in groups:
            names = WEEKDAYS[days[0]].title()
            if len(days) > 1:
                names += "-" + WEEKDAYS[days[-1]].title()
            parts.append(
                f"{names} {start:%H:%M}-{'24:00' if end == dt.time.max else f'{end:%H:%M}'}"
            )
        return "; ".join(parts)


def _clock(text: str) -> dt.time:
    hours, minutes = (int(x) for x in text.split(":"))
    if hours == 24 and minutes == 0:
        return dt.time.max
    try:
        return dt.time(hours, minutes)
    except ValueError:
        raise ValueError(f"office hours: {text} is not a time of day (00:00 to 24:00)") from None


def _days(text: str) -> Iterator[int]:
    for item in (i.strip().lower() for i in text.split(",")):
        first, _, last = item.partition("-")
        try:
            begin = WEEKDAYS.index(first)
            end = WEEKDAYS.index(last) if last else begin
        except ValueError:
            raise ValueError(f"unknown weekday in {text!r}; use Mon, Tue, … Sun") from None
        if end < begin:
            raise ValueError(f"weekday range {item!r} runs backwards")
        yield from range(begin, end + 1)


DEFAULT_OFFICE_HOURS = OfficeHours.parse("Mon-Fri 08:00-18:00")


def _zone(value: ZoneInfo | str) -> ZoneInfo:
    return value if isinstance(value, ZoneInfo) else ZoneInfo(value)


@attrs.frozen
class Organisation:
    """Who the inventory belongs to.

    Attributes:
        name: The organisation's name.
        timezone: Its IANA time zone; windows and dates default to it.
        country: ISO 3166-1 alpha-2 code, for public holidays (``NL``).
        subdivision: ISO 3166-2 subdivision, for regional holidays (``BY``).
        currency: ISO 4217 code of every amount in the inventory.
        users: Number of users or workplaces.
        office_hours: When the office works.
    """

    name: str
    timezone: ZoneInfo = attrs.field(converter=_zone)
    country: str | None = None
    subdivision: str | None = None
    currency: str = "EUR"
    users: int = attrs.field(default=0, validator=_non_negative)
    office_hours: OfficeHours = DEFAULT_OFFICE_HOURS


@attrs.frozen
class Window:
    """A recurring slot for planned work.

    Attributes:
        name: How assets refer to it.
        rrule: RFC 5545 recurrence rule without DTSTART (``FREQ=WEEKLY;BYDAY=SA``).
        start: Local wall-clock start of each occurrence, in :attr:`timezone`.
        duration: Length of each occurrence (elapsed time).
        capacity_hours: Technician-hours available per occurrence; None = unlimited.
        timezone: The window's zone; None = the organisation's.
        applies_to: Asset kinds or tags this window serves when an asset names no
            window of its own.
    """

    name: str = attrs.field(validator=_identifier)
    rrule: str
    start: dt.time
    duration: dt.timedelta
    capacity_hours: Decimal | None = attrs.field(default=None, validator=_non_negative)
    timezone: ZoneInfo | None = None
    applies_to: tuple[str, ...] = ()


@attrs.frozen
class Blackout:
    """A period when no planned work may happen.

    ``start`` and ``end`` are dates (both inclusive, in the organisation's zone) or
    aware datetimes (``end`` exclusive).

    Attributes:
        changes_only: True for a change freeze: only work with downtime is
            blocked, checks and reviews go on. False (default): nothing planned.
    """

    name: str
    start: dt.date | dt.datetime
    end: dt.date | dt.datetime
    reason: str = ""
    changes_only: bool = False

    def interval(self, zone: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
        """The blackout as a half-open interval of aware datetimes."""
        return _moment(self.start, zone, end=False), _moment(self.end, zone, end=True)


def _moment(value: dt.date | dt.datetime, zone: ZoneInfo, *, end: bool) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    day = value + dt.timedelta(days=1) if end else value
    return dt.datetime.combine(day, dt.time(), tzinfo=zone)


@attrs.frozen
class BlackoutCalendar:
    """Blackouts read from an iCalendar file (``[[blackouts]] ics = "closures.ics"``).

    Attributes:
        file: The file, as the inventory named it (for messages).
        content: The file's bytes; events are expanded over the plan's horizon.
        reason: Reason given to every blackout from this file.
    """

    file: str
    content: bytes = attrs.field(repr=False)
    reason: str = ""


#: Default settle gap between two members of a redundancy group (and between a
#: host and its guests): time for the failover to complete and the health checks
#: to pass before the next member goes down. maintlib's own default, not a vendor
#: figure; see docs/scheduling.md.
DEFAULT_SETTLE = dt.timedelta(minutes=15)


@attrs.frozen
class PlanningSettings:
    """Knobs of the scheduler (``[planning]`` in the inventory).

    Attributes:
        soak_days: Minimum days between a lower ring's update and production's.
        verification: Duration of the office-hours check of an automatic update.
        settle: Gap between two members of a redundancy group going down, and
            between a host and its guests (default 15 minutes).
        technicians: How many people do office-hours work at the same time; the
            office-hours capacity of a business day is this many times its
            office hours.
        lookahead_days: How far past its deadline a due that cannot be placed on
            time is still placed (late); beyond it, the due is unplaced.
    """

    soak_days: int = attrs.field(default=2, validator=_non_negative)
    verification: dt.timedelta = dt.timedelta(minutes=15)
    settle: dt.timedelta = DEFAULT_SETTLE
    technicians: int = attrs.field(default=1, validator=attrs.validators.ge(1))
    lookahead_days: int = attrs.field(default=92, validator=_non_negative)


@attrs.frozen
class RedundancyGroup:
    """How the members of a redundancy group (an HA pair, a cluster) are maintained
    (``[[redundancy_groups]]`` in the inventory; a group nobody describes gets the
    defaults).

    Attributes:
        name: The group, as assets name it in ``redundancy_group``.
        policy: ``rolling`` (default): one member after another in the same window
            occurrence, never two down at once, ``settle`` apart. ``separate``: in
            different occurrences.
        settle: Gap between two members' downtime; None: ``[planning] settle``.
        live_migration: The members are hypervisors that move their guests away
            before they go down (Hyper-V failover clustering with Cluster-Aware
            Updating, vSphere DRS): their guests stay up, so a member and its guests
            do not exclude each other. The cluster is assumed to have the capacity
            to run every guest with one member down (N-1).
        primary: The member that goes last (the others are standby/secondary and
            go first, as the vendors' HA upgrade procedures do), or None.
    """

    name: str
    policy: GroupPolicy = GroupPolicy.ROLLING
    settle: dt.timedelta | None = None
    live_migration: bool = False
    primary: str | None = None


def _build_indexes(inventory: Inventory) -> dict[str, Mapping[str, tuple[str, ...]]]:
    guests: dict[str, list[str]] = {}
    dependents: dict[str, list[str]] = {}
    groups: dict[str, list[str]] = {}
    software: dict[str, list[str]] = {}
    for asset in inventory.assets:
        if asset.hosted_on:
            guests.setdefault(asset.hosted_on, []).append(asset.id)
        if asset.runs_on:
            software.setdefault(asset.runs_on, []).append(asset.id)
        for target in asset.depends_on:
            dependents.setdefault(target, []).append(asset.id)
        if asset.redundancy_group:
            groups.setdefault(asset.redundancy_group, []).append(asset.id)
    return {
        "guests": {k: tuple(sorted(v)) for k, v in guests.items()},
        "dependents": {k: tuple(sorted(v)) for k, v in dependents.items()},
        "groups": {k: tuple(sorted(v)) for k, v in groups.items()},
        "software": {k: tuple(sorted(v)) for k, v in software.items()},
    }


def _by_id(assets: Iterable[Asset]) -> tuple[Asset, ...]:
    return tuple(sorted(assets, key=lambda asset: asset.id))


@attrs.frozen
class Inventory:
    """Everything a plan is computed from, apart from the rule packs.

    Assets are kept sorted by id, so the order of the input file never changes a
    plan. Lookups are indexed once.
    """

    organisation: Organisation
    assets: tuple[Asset, ...] = attrs.field(default=(), converter=_by_id)
    windows: tuple[Window, ...] = ()
    blackouts: tuple[Blackout, ...] = ()
    blackout_calendars: tuple[BlackoutCalendar, ...] = ()
    redundancy_groups: tuple[RedundancyGroup, ...] = ()
    rules: tuple[RuleSpec, ...] = ()
    risk: RiskWeights | None = None
    planning: PlanningSettings = PlanningSettings()
    costing: CostingSettings | None = None
    _by_id: Mapping[str, Asset] = attrs.field(init=False, repr=False, eq=False)
    _indexes: dict[str, Mapping[str, tuple[str, ...]]] = attrs.field(
        init=False, repr=False, eq=False
    )

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {a.id: a for a in self.assets})
        object.__setattr__(self, "_indexes", _build_indexes(self))

    def asset(self, asset_id: str) -> Asset:
        """The asset with ``asset_id``.

        Raises:
            KeyError: No such asset.
        """
        return self._by_id[asset_id]

    def __contains__(self, asset_id: object) -> bool:
        return asset_id in self._by_id

    def window(self, name: str) -> Window:
        """The window called ``name``.

        Raises:
            KeyError: No such window.
        """
        for window in self.windows:
            if window.name == name:
                return window
        raise KeyError(name)

    def guests(self, host_id: str) -> tuple[str, ...]:
        """Ids of the assets hosted on ``host_id``, sorted."""
        return self._indexes["guests"].get(host_id, ())

    def dependents(self, asset_id: str) -> tuple[str, ...]:
        """Ids of the assets that list ``asset_id`` in ``depends_on``, sorted."""
        return self._indexes["dependents"].get(asset_id, ())

    def group_members(self, group: str) -> tuple[str, ...]:
        """Ids of the members of redundancy group ``group``, sorted."""
        return self._indexes["groups"].get(group, ())

    def redundancy_group(self, group: str) -> RedundancyGroup:
        """How group ``group`` is maintained: its ``[[redundancy_groups]]`` entry, or
        the defaults."""
        for described in self.redundancy_groups:
            if described.name == group:
                return described
        return RedundancyGroup(group)

    def software(self, server_id: str) -> tuple[str, ...]:
        """Ids of the applications that run on ``server_id`` (``runs_on``), sorted."""
        return self._indexes["software"].get(server_id, ())

    def blast_radius(self, asset_id: str) -> int:
        """How many assets rely on ``asset_id``, directly or transitively.

        An asset relies on another when it is hosted on it, runs on it or
        depends on it.
        """
        seen: set[str] = set()
        todo = [asset_id]
        while todo:
            current = todo.pop()
            for other in (
                *self.guests(current),
                *self.software(current),
                *self.dependents(current),
            ):
                if other not in seen and other != asset_id:
                    seen.add(other)
                    todo.append(other)
        return len(seen)
