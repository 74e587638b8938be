"""The inventory: an organisation, its windows and blackouts, and its assets.

These are plain frozen values. :mod:`maintlib.load` builds them from files and
checks everything a file can get wrong; code that builds them directly gets the
same structural checks from the converters and validators here (wrong types are
converted or refused when a value is built), and the cross-references (duplicate
and dangling ids, cycles) from :func:`maintlib.validate`, which
:func:`maintlib.plan` and :func:`maintlib.duties` run first.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar
from zoneinfo import ZoneInfo

import attrs

from maintlib._util.text import printable
from maintlib.model import limits
from maintlib.model.cve import Vulnerability
from maintlib.model.rules import RuleSpec
from maintlib.model.vocabulary import (
    Criticality,
    Environment,
    Exposure,
    GroupPolicy,
    spelled_identifier,
)

if TYPE_CHECKING:
    from maintlib.model.rates import CostingSettings
    from maintlib.model.risk import RiskWeights
    from maintlib.model.sla import Sla

__all__ = [
    "Asset",
    "Blackout",
    "BlackoutCalendar",
    "Inventory",
    "OfficeHours",
    "Organisation",
    "PlanningSettings",
    "RecurringBlackout",
    "RedundancyGroup",
    "Window",
]

E = TypeVar("E", bound=enum.Enum)

T = TypeVar("T")


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _non_negative(_: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and value < 0:
        raise ValueError(f"{attribute.name} must not be negative, got {value}")


def _criticality(value: Criticality | str) -> Criticality:
    return _member(Criticality, value)


def _exposure(value: Exposure | str) -> Exposure:
    return _member(Exposure, value)


def _environment(value: Environment | str) -> Environment:
    return _member(Environment, value)


def _member(cl: type[E], value: object) -> E:
    try:
        return cl(value)
    except ValueError:
        choices = ", ".join(repr(member.value) for member in cl)
        raise ValueError(f"{value!r} is not a {cl.__name__.lower()} (one of {choices})") from None


def _all_of(cl: type[T], value: Iterable[T], field: str) -> tuple[T, ...]:
    """``value`` as a tuple of ``cl``; a bare string is refused (not its letters)."""
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise TypeError(f"{field} must be a tuple of {cl.__name__}, got {value!r}")
    items = tuple(value)
    for item in items:
        if not isinstance(item, cl):
            raise TypeError(f"{field} must hold {cl.__name__} values, got {item!r}")
    return items


def _strings(value: Iterable[str]) -> tuple[str, ...]:
    return _all_of(str, value, "a list field")


def _vulnerabilities(value: Iterable[Vulnerability]) -> tuple[Vulnerability, ...]:
    return _all_of(Vulnerability, value, "vulnerabilities")


def _amount(value: Decimal | int | str | None) -> Decimal | None:
    """Money or hours as a Decimal; floats are refused (binary fractions are not money)."""
    if value is None or isinstance(value, Decimal):
        return value
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise TypeError(f"expected a Decimal, an int or a numeric string, got {value!r}")
    try:
        return Decimal(value)
    except ArithmeticError:
        raise ValueError(f"{value!r} is not a number") from None


def _finite(_: object, attribute: attrs.Attribute[Any], value: Decimal | None) -> None:
    if value is not None and not value.is_finite():
        raise ValueError(f"{attribute.name} must be a finite number, got {value}")


def _count(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{attribute.name} must be an int, got {value!r}")


_text = attrs.validators.instance_of(str)


_optional_text = attrs.validators.optional(attrs.validators.instance_of(str))


_optional_identifier = attrs.validators.optional(
    [attrs.validators.instance_of(str), spelled_identifier]
)


@attrs.frozen
class Asset:
    """One thing that needs maintenance.

    See ``docs/inventory.md`` for every field, its default and an example.
    """

    id: str = attrs.field(validator=[_text, spelled_identifier])
    kind: str = attrs.field(validator=_text)
    name: str = attrs.field(default="", validator=_text)
    vendor: str = attrs.field(default="", validator=_text)
    product: str = attrs.field(default="", validator=_text)
    version: str = attrs.field(default="", validator=_text)
    #: The operating system or firmware family, when ``product`` names the hardware
    #: (``os = "IOS XE"`` for a Catalyst switch); rules' product globs match it too.
    os: str = attrs.field(default="", validator=_text)
    criticality: Criticality = attrs.field(default=Criticality.MEDIUM, converter=_criticality)
    exposure: Exposure = attrs.field(default=Exposure.INTERNAL, converter=_exposure)
    environment: Environment = attrs.field(default=Environment.PRODUCTION, converter=_environment)
    site: str = attrs.field(default="", validator=_text)
    owner: str = attrs.field(default="", validator=_text)
    #: True: the asset updates itself (a person verifies); False: every update is
    #: planned; None: as each rule says.
    auto_update: bool | None = attrs.field(
        default=None, validator=attrs.validators.optional(attrs.validators.instance_of(bool))
    )
    window: str | None = attrs.field(default=None, validator=_optional_identifier)
    hosted_on: str | None = attrs.field(default=None, validator=_optional_identifier)
    runs_on: str | None = attrs.field(default=None, validator=_optional_identifier)
    depends_on: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    redundancy_group: str | None = attrs.field(default=None, validator=_optional_text)
    failures_last_year: int = attrs.field(default=0, validator=[_count, _non_negative])
    #: What the asset is worth, in the organisation's currency.
    value: Decimal | None = attrs.field(
        default=None, converter=_amount, validator=[_finite, _non_negative]
    )
    tags: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    vulnerabilities: tuple[Vulnerability, ...] = attrs.field(default=(), converter=_vulnerabilities)
    #: CPE 2.3 name (or CPE 2.2 URI) of the product and version, for matching
    #: advisories (``docs/vulnerabilities.md``).
    cpe: str = attrs.field(default="", validator=_text)
    #: When something the asset needs runs out — a certificate, a domain, a support
    #: contract, a warranty, a subscription (FortiGuard): rules with an ``expiry``
    #: cadence plan its renewal ahead of the date.
    expires: dt.date | None = attrs.field(
        default=None, validator=attrs.validators.optional(attrs.validators.instance_of(dt.date))
    )

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
    if isinstance(value, ZoneInfo):
        return value
    if not isinstance(value, str):
        raise TypeError(f"expected a ZoneInfo or an IANA zone name, got {value!r}")
    try:
        return ZoneInfo(value)
    except (KeyError, ValueError, OSError):  # ZoneInfoNotFoundError is a KeyError
        raise ValueError(f"unknown time zone {value!r}") from None


def _optional_zone(value: ZoneInfo | str | None) -> ZoneInfo | None:
    return None if value is None else _zone(value)


def _office_hours(value: OfficeHours | str) -> OfficeHours:
    if isinstance(value, OfficeHours):
        return value
    if not isinstance(value, str):
        raise TypeError(
            f"expected OfficeHours or text such as 'Mon-Fri 08:00-18:00', got {value!r}"
        )
    return OfficeHours.parse(value)


def _wall_clock(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, dt.time):
        raise TypeError(f"{attribute.name} must be a datetime.time, got {value!r}")
    if value.tzinfo is not None:
        raise ValueError(
            f"{attribute.name} must be a wall-clock time without a zone ({value.isoformat()});"
            " window times are wall clock in the window's timezone"
        )


def _positive_duration(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, dt.timedelta):
        raise TypeError(f"{attribute.name} must be a datetime.timedelta, got {value!r}")
    if value <= dt.timedelta(0):
        raise ValueError(f"{attribute.name} must be longer than zero, got {value}")


def _moment_value(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, dt.date):
        raise TypeError(f"{attribute.name} must be a date or an aware datetime, got {value!r}")
    if isinstance(value, dt.datetime) and value.utcoffset() is None:
        raise ValueError(f"{attribute.name} {value.isoformat()} is naive: pass tzinfo")


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

    name: str = attrs.field(validator=_text)
    timezone: ZoneInfo = attrs.field(converter=_zone)
    country: str | None = attrs.field(default=None, validator=_optional_text)
    subdivision: str | None = attrs.field(default=None, validator=_optional_text)
    currency: str = attrs.field(default="EUR", validator=_text)
    users: int = attrs.field(default=0, validator=[_count, _non_negative])
    office_hours: OfficeHours = attrs.field(default=DEFAULT_OFFICE_HOURS, converter=_office_hours)


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

    name: str = attrs.field(validator=[_text, spelled_identifier])
    rrule: str = attrs.field(validator=_text)
    start: dt.time = attrs.field(validator=_wall_clock)
    duration: dt.timedelta = attrs.field(
        validator=[_positive_duration, attrs.validators.le(limits.MAX_DURATION)]
    )
    capacity_hours: Decimal | None = attrs.field(
        default=None,
        converter=_amount,
        validator=[
            _finite,
            _non_negative,
            attrs.validators.optional(attrs.validators.le(limits.MAX_CAPACITY_HOURS)),
        ],
    )
    timezone: ZoneInfo | None = attrs.field(default=None, converter=_optional_zone)
    applies_to: tuple[str, ...] = attrs.field(default=(), converter=_strings)


@attrs.frozen
class Blackout:
    """A period when no planned work may happen.

    ``start`` and ``end`` are dates (both inclusive, in the organisation's zone) or
    aware datetimes (``end`` exclusive).

    Attributes:
        changes_only: True (default): a change freeze — only work with downtime
            is blocked; checks, backups of configurations and reviews go on (a
            freeze is about changes). False: a full stop, nothing planned.
    """

    name: str = attrs.field(validator=_text)
    start: dt.date | dt.datetime = attrs.field(validator=_moment_value)
    end: dt.date | dt.datetime = attrs.field(validator=_moment_value)
    reason: str = attrs.field(default="", validator=_text)
    changes_only: bool = attrs.field(default=True, validator=attrs.validators.instance_of(bool))

    def interval(self, zone: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
        """The blackout as a half-open interval of aware datetimes."""
        return _moment(self.start, zone, end=False), _moment(self.end, zone, end=True)


def _moment(value: dt.date | dt.datetime, zone: ZoneInfo, *, end: bool) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    day = value + dt.timedelta(days=1) if end else value
    return dt.datetime.combine(day, dt.time(), tzinfo=zone)


def _whole_day(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise TypeError(f"{attribute.name} of a recurring blackout must be a date, got {value!r}")


@attrs.frozen
class RecurringBlackout:
    """A ``[[blackouts]]`` table with an ``rrule``: whole days that come back.

    ``start`` and ``end`` are the first occurrence's days (both inclusive); the
    rule repeats them (``FREQ=YEARLY`` for an annual freeze). Held in the
    inventory as a :class:`BlackoutCalendar` (:meth:`calendar`), so it is expanded
    like an ``.ics`` file, with the same limits.
    """

    name: str = attrs.field(validator=_text)
    start: dt.date = attrs.field(validator=_whole_day)
    end: dt.date = attrs.field(validator=_whole_day)
    rrule: str = attrs.field(validator=_text)
    reason: str = attrs.field(default="", validator=_text)
    changes_only: bool = attrs.field(default=True, validator=attrs.validators.instance_of(bool))

    def calendar(self) -> BlackoutCalendar:
        """This blackout as a one-event calendar (``file`` names the blackout)."""
        import icalendar  # only recurring blackouts need it here

        event = icalendar.Event()
        event.add("UID", "recurring-blackout@maintlib.invalid")
        event.add("DTSTAMP", dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
        event.add("SUMMARY", printable(self.name, newlines=False))
        event.add("DTSTART", self.start)
        event.add("DTEND", self.end + dt.timedelta(days=1))
        event.add("RRULE", icalendar.vRecur.from_ical(self.rrule))
        calendar = icalendar.Calendar()
        calendar.add("PRODID", "-//maintlib//recurring blackout//EN")
        calendar.add("VERSION", "2.0")
        calendar.add_component(event)
        return BlackoutCalendar(
            file=f"blackout {self.name!r}",
            content=calendar.to_ical(),
            reason=self.reason,
            changes_only=self.changes_only,
            recurring=self,
        )


@attrs.frozen
class BlackoutCalendar:
    """Blackouts read from an iCalendar file (``[[blackouts]] ics = "closures.ics"``),
    or a recurring ``[[blackouts]]`` table (:class:`RecurringBlackout`).

    Attributes:
        file: The file, as the inventory named it (for messages).
        content: The file's bytes; events are expanded over the plan's horizon.
        reason: Reason given to every blackout from this file.
        changes_only: True: its blackouts are change freezes (see :class:`Blackout`).
        recurring: The recurring blackout this calendar was made from, or None for
            an ``.ics`` file.
    """

    file: str
    content: bytes = attrs.field(repr=False)
    reason: str = ""
    changes_only: bool = True
    recurring: RecurringBlackout | None = None


#: Default settle gap between two members of a redundancy group (and between a
#: host and its guests): time for the failover to complete and the health checks
#: to pass before the next member goes down. maintlib's own default, not a vendor
#: figure; see docs/scheduling.md.
DEFAULT_SETTLE = dt.timedelta(minutes=15)


def _sorted_teams(teams: Mapping[str, int]) -> dict[str, int]:
    return dict(sorted(dict(teams).items()))


def _teams(_: object, attribute: attrs.Attribute[Any], value: Mapping[str, int]) -> None:
    for owner, technicians in value.items():
        if not isinstance(owner, str) or not owner.strip():
            raise ValueError(f"{attribute.name}: an owner must be a non-empty name, got {owner!r}")
        if isinstance(technicians, bool) or not isinstance(technicians, int):
            raise TypeError(f"{attribute.name}.{owner} must be an int, got {technicians!r}")
        if not 1 <= technicians <= limits.MAX_TECHNICIANS:
            raise ValueError(
                f"{attribute.name}.{owner} must be between 1 and {limits.MAX_TECHNICIANS:,},"
                f" got {technicians}"
            )


def _sorted_handles(handles: Mapping[str, Any]) -> dict[str, tuple[str, ...]]:
    return {team: tuple(handles[team]) for team in sorted(handles)}


def _handles(instance: Any, attribute: attrs.Attribute[Any], value: Mapping[str, Any]) -> None:
    for team, words in value.items():
        if team not in instance.teams:
            raise ValueError(
                f"{attribute.name}.{team}: no such team in teams ({', '.join(instance.teams)})"
            )
        if not words or not all(isinstance(word, str) and word for word in words):
            raise ValueError(f"{attribute.name}.{team} must list kinds or tags")


def _sorted_hours(hours: Mapping[str, Any]) -> dict[str, OfficeHours]:
    return {team: _office_hours(hours[team]) for team in sorted(hours)}


def _team_keys(instance: Any, attribute: attrs.Attribute[Any], value: Mapping[str, Any]) -> None:
    for team in value:
        if team not in instance.teams:
            raise ValueError(
                f"{attribute.name}.{team}: no such team in teams ({', '.join(instance.teams)})"
            )


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
        teams: Team → its own technicians: the work of assets whose ``owner`` is
            the team's name (or that ``team_handles`` gives it) is done by that
            team — on its own business days in office hours, with its own
            technicians in a window occurrence — apart from everyone else's;
            other assets share ``technicians`` and the windows' capacity.
        team_handles: Team → the asset kinds or tags it handles (a network team:
            ``firewall``, ``switch``), for assets whose owner is no team: the
            first team, by name, that handles the asset's kind or a tag of it.
        team_hours: Team → its own office hours (``"Mon-Fri 07:00-15:30"``);
            a team without them works the organisation's.
        lookahead_days: How far past its deadline a due that cannot be placed on
            time is still placed (late); beyond it, the due is unplaced.
        deadline_policies: Ids of the vulnerability deadline policies chosen.
        emergency_anytime: Whether emergency work may be planned at any time.
    """

    soak_days: int = attrs.field(
        default=2, validator=[_count, _non_negative, attrs.validators.le(limits.MAX_DAYS)]
    )
    verification: dt.timedelta = attrs.field(
        default=dt.timedelta(minutes=15),
        validator=[_positive_duration, attrs.validators.le(limits.MAX_DURATION)],
    )
    settle: dt.timedelta = attrs.field(
        default=DEFAULT_SETTLE,
        validator=[
            attrs.validators.instance_of(dt.timedelta),
            attrs.validators.ge(dt.timedelta(0)),
            attrs.validators.le(limits.MAX_DURATION),
        ],
    )
    technicians: int = attrs.field(
        default=1,
        validator=[_count, attrs.validators.ge(1), attrs.validators.le(limits.MAX_TECHNICIANS)],
    )
    teams: Mapping[str, int] = attrs.field(factory=dict, converter=_sorted_teams, validator=_teams)
    team_handles: Mapping[str, tuple[str, ...]] = attrs.field(
        factory=dict, converter=_sorted_handles, validator=_handles
    )
    team_hours: Mapping[str, OfficeHours] = attrs.field(
        factory=dict, converter=_sorted_hours, validator=_team_keys
    )
    lookahead_days: int = attrs.field(
        default=92, validator=[_count, _non_negative, attrs.validators.le(limits.MAX_DAYS)]
    )
    #: Vulnerability deadline policies (``bod-26-04``, ``pci-dss-4``, …): the
    #: strictest deadline wins (``docs/vulnerabilities.md``).
    deadline_policies: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    #: Emergency work may be planned at any time (at after-hours rates), not only
    #: in the asset's windows.
    emergency_anytime: bool = attrs.field(
        default=False, validator=attrs.validators.instance_of(bool)
    )


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
        max_parallel: How many members of a ``rolling`` group may be down at once
            (vLCM's "remediate hosts in parallel", a cluster with spare capacity); 1,
            the default, is one at a time.
    """

    name: str = attrs.field(validator=_text)
    policy: GroupPolicy = attrs.field(default=GroupPolicy.ROLLING, converter=GroupPolicy)
    settle: dt.timedelta | None = attrs.field(
        default=None,
        validator=attrs.validators.optional(
            [attrs.validators.instance_of(dt.timedelta), attrs.validators.le(limits.MAX_DURATION)]
        ),
    )
    live_migration: bool = attrs.field(default=False, validator=attrs.validators.instance_of(bool))
    primary: str | None = attrs.field(default=None, validator=_optional_identifier)
    max_parallel: int = attrs.field(default=1, validator=[_count, attrs.validators.ge(1)])


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
    return tuple(sorted(_all_of(Asset, assets, "assets"), key=lambda asset: asset.id))


def _rule_specs(value: Iterable[RuleSpec]) -> tuple[RuleSpec, ...]:
    return _all_of(RuleSpec, value, "rules")


def _windows(value: Iterable[Window]) -> tuple[Window, ...]:
    return _all_of(Window, value, "windows")


def _blackouts(value: Iterable[Blackout]) -> tuple[Blackout, ...]:
    return _all_of(Blackout, value, "blackouts")


def _calendars(value: Iterable[BlackoutCalendar]) -> tuple[BlackoutCalendar, ...]:
    return _all_of(BlackoutCalendar, value, "blackout_calendars")


def _groups(value: Iterable[RedundancyGroup]) -> tuple[RedundancyGroup, ...]:
    return _all_of(RedundancyGroup, value, "redundancy_groups")


@attrs.frozen
class Inventory:
    """Everything a plan is computed from, apart from the rule packs.

    Assets are kept sorted by id, so the order of the input file never changes a
    plan. Lookups are indexed once.
    """

    organisation: Organisation = attrs.field(validator=attrs.validators.instance_of(Organisation))
    assets: tuple[Asset, ...] = attrs.field(default=(), converter=_by_id)
    windows: tuple[Window, ...] = attrs.field(default=(), converter=_windows)
    blackouts: tuple[Blackout, ...] = attrs.field(default=(), converter=_blackouts)
    blackout_calendars: tuple[BlackoutCalendar, ...] = attrs.field(default=(), converter=_calendars)
    redundancy_groups: tuple[RedundancyGroup, ...] = attrs.field(default=(), converter=_groups)
    rules: tuple[RuleSpec, ...] = attrs.field(default=(), converter=_rule_specs)
    risk: RiskWeights | None = None
    planning: PlanningSettings = attrs.field(
        default=PlanningSettings(), validator=attrs.validators.instance_of(PlanningSettings)
    )
    costing: CostingSettings | None = None
    sla: Sla | None = None
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
