"""The work values: a rule applied to one asset (:class:`Duty`) and one occurrence of it
in the horizon (:class:`Due`), with the :class:`Horizon` it lies in."""

from __future__ import annotations

import calendar
import datetime as dt
import operator
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, overload
from zoneinfo import ZoneInfo

import attrs

from maintlib.model.inventory import Asset
from maintlib.model.risk import RiskAssessment
from maintlib.model.rules import Activity, Cadence, Rule, Step
from maintlib.model.vocabulary import Mode, Tier

if TYPE_CHECKING:
    from maintlib.model.vulnerabilities import Emergency

__all__ = ["Due", "Duties", "Duty", "Horizon", "Members"]


# No __weakref__ slot: a plan of 100,000 assets holds half a million of these.
@attrs.frozen(weakref_slot=False)
class Duty:
    """A rule applied to one asset (or to the organisation), after risk adjustment.

    Attributes:
        asset: The asset, or None for an organisation-wide duty.
        rule: The winning rule, as written by its pack or the inventory.
        activity: The activity performed.
        tier: The asset's priority tier.
        cadence: The cadence for that tier.
        deadline_days: Days allowed from each due's anchor, or None: until the
            next occurrence of the cadence.
        mode: How the work is done, after ``auto_update``.
        downtime: Whether the asset is down during the work.
        duration: Wall-clock time per occurrence (downtime, conflicts, HA).
        effort: Hands-on technician time per occurrence (capacity, costing).
        steps: The checklist.
        overrides: Keys of the rules this one won over (for ``explain``).
        notes: Why the duty differs from its rule, in words.
        emergency: For emergency work on a vulnerability (:mod:`maintlib.vulns.emergency`):
            the CVE ids and the policy ruling that set the deadline; else None.
    """

    asset: Asset | None
    rule: Rule
    activity: Activity
    tier: Tier
    cadence: Cadence
    deadline_days: int | None
    mode: Mode
    downtime: bool
    duration: dt.timedelta
    steps: tuple[Step, ...]
    overrides: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    emergency: Emergency | None = None
    effort: dt.timedelta = attrs.field()

    @effort.default
    def _effort(self) -> dt.timedelta:
        effort = self.rule.effort
        return self.duration if effort is None else min(effort, self.duration)

    @property
    def subject(self) -> str:
        """The asset id, or ``organisation``."""
        return self.asset.id if self.asset else "organisation"


@attrs.frozen
class Duties:
    """The result of :func:`apply`: every duty, and every asset's risk."""

    duties: tuple[Duty, ...]
    risks: Mapping[str, RiskAssessment]

    def of(self, asset_id: str) -> tuple[Duty, ...]:
        """The duties of one asset, by activity."""
        return tuple(d for d in self.duties if d.asset is not None and d.asset.id == asset_id)


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved ``months`` calendar months on, clamped to the month's end."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@attrs.frozen
class Horizon:
    """The planned period: ``[start, end)`` in the organisation's zone.

    Attributes:
        start: First day planned.
        months: Length in calendar months.
        timezone: The organisation's zone.
    """

    start: dt.date
    months: int
    timezone: ZoneInfo

    def __attrs_post_init__(self) -> None:
        if self.months < 1:
            raise ValueError(f"a horizon needs at least one month, got {self.months}")

    @property
    def end(self) -> dt.date:
        """The first day after the horizon."""
        return add_months(self.start, self.months)

    @property
    def start_at(self) -> dt.datetime:
        """Midnight at the start, in the organisation's zone."""
        return dt.datetime.combine(self.start, dt.time(), tzinfo=self.timezone)

    @property
    def end_at(self) -> dt.datetime:
        """Midnight at the end (exclusive)."""
        return dt.datetime.combine(self.end, dt.time(), tzinfo=self.timezone)

    def month_starts(self) -> list[dt.date]:
        """The first day of each month the horizon touches."""
        first = self.start.replace(day=1)
        return [add_months(first, i) for i in range(self.months + (self.start.day > 1))]


#: What :attr:`Due.covers` and :attr:`Due.assets` read of each member of a fleet due
#: (hundreds each, and every output asks).
_UID = operator.attrgetter("uid")
_ASSET_ID = operator.attrgetter("duty.asset.id")


# No __weakref__ slot: a plan of 100,000 assets holds half a million of these.
@attrs.frozen(weakref_slot=False)
class Due:
    """One occurrence of a duty inside the horizon.

    Attributes:
        duty: What is due.
        anchor: The release (release-anchored cadences) or the period start
            (periodic ones): the moment the due belongs to.
        released: The vendor's release, or None for non-release cadences.
        earliest: The task may start from here.
        deadline: The task must start by here.
        uid: Stable id: the same asset, activity and anchor give the same uid in
            every run, whatever else changes in the inventory.
        members: For a fleet due (the same work for a group of similar assets,
            done as one task), the member assets' own dues, in uid order; empty
            otherwise. Its ``duty`` is the most urgent member's, with the fleet's
            duration. The pipeline gives a :class:`Members`, which makes each
            member's due when it is read (:func:`~maintlib.planning.fleet.expand_fleets`,
            or :func:`~maintlib.planning.fleet.compact` after a maintenance log);
            :func:`~maintlib.planning.fleet.group` a tuple of the dues it was given.
        follows: Uids of dues whose tasks must finish before this one starts (an
            emergency's forensic triage before its remediation).
    """

    duty: Duty
    anchor: dt.datetime
    released: dt.datetime | None
    earliest: dt.datetime
    deadline: dt.datetime
    uid: str
    members: Sequence[Due] = ()
    follows: tuple[str, ...] = ()

    @property
    def covers(self) -> tuple[str, ...]:
        """Uids of the per-asset dues this due stands for: its members', or its own."""
        members = self.members
        if isinstance(members, Members):
            return members.uids()
        return tuple(map(_UID, members)) if members else (self.uid,)

    @property
    def count(self) -> int:
        """How many per-asset dues this due stands for: ``len(covers)``, without
        building the uids (a fleet due has hundreds of members)."""
        return len(self.members) or 1

    @property
    def assets(self) -> tuple[str, ...]:
        """Ids of the assets this due is for (none for organisation-wide work)."""
        members = self.members
        if isinstance(members, Members):
            return members.assets()
        if members:
            try:
                # A fleet's members all have an asset: read in C, without a test each.
                return tuple(map(_ASSET_ID, members))
            except AttributeError:
                return tuple(m.duty.asset.id for m in self.members if m.duty.asset)
        return (self.duty.asset.id,) if self.duty.asset else ()

    @property
    def tier(self) -> Tier:
        """The priority tier of the duty."""
        return self.duty.tier

    def to_json(self) -> dict[str, str | None]:
        """``{"released", "earliest", "deadline"}`` as ISO 8601 with offsets."""
        return {
            "released": self.released.isoformat() if self.released else None,
            "earliest": self.earliest.isoformat(),
            "deadline": self.deadline.isoformat(),
        }


_SUBJECT_ASSET = operator.attrgetter("asset.id")
_ACTIVITY = operator.attrgetter("activity.name")


@attrs.frozen(eq=False)
class Members(Sequence[Due]):
    """A fleet due's members, stored as their duties: a member's :class:`Due` is
    made when it is read (issue 32).

    A fleet stands for hundreds of per-asset dues that share their anchor,
    release and earliest start; only the duty and the deadline differ. Keeping
    those two per member, not a :class:`Due` with its own uid each, is what lets
    a plan of 100,000 assets fit in memory. The members read as a sequence of
    dues (equal to the tuple of the same dues); :meth:`uids` and :meth:`assets`
    give what the outputs need without making them.

    Attributes:
        duties: Each member's duty, in the members' uid order.
        deadlines: Each member's deadline, in the same order.
        anchor: The members' anchor.
        released: Their release, or None.
        earliest: Their earliest start.
        text: The anchor as their uids show it (``YYYYMMDDTHHMM``).
    """

    duties: tuple[Duty, ...]
    deadlines: tuple[dt.datetime, ...]
    anchor: dt.datetime
    released: dt.datetime | None
    earliest: dt.datetime
    text: str

    def __attrs_post_init__(self) -> None:
        if len(self.duties) != len(self.deadlines):
            raise ValueError(
                f"members: {len(self.duties)} duties but {len(self.deadlines)} deadlines"
            )

    def __len__(self) -> int:
        return len(self.duties)

    def _due(self, index: int) -> Due:
        duty = self.duties[index]
        uid = f"{duty.subject}.{duty.activity.name}.{self.text}"
        return Due(duty, self.anchor, self.released, self.earliest, self.deadlines[index], uid)

    @overload
    def __getitem__(self, index: int) -> Due: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Due, ...]: ...

    def __getitem__(self, index: int | slice) -> Due | tuple[Due, ...]:
        if isinstance(index, slice):
            return tuple(self._due(i) for i in range(len(self.duties))[index])
        if not -len(self.duties) <= index < len(self.duties):
            raise IndexError("members index out of range")
        return self._due(index % len(self.duties))

    def __iter__(self) -> Iterator[Due]:
        return (self._due(i) for i in range(len(self.duties)))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Members):
            return attrs.astuple(self, recurse=False) == attrs.astuple(other, recurse=False)
        if isinstance(other, Sequence) and not isinstance(other, str):
            return len(other) == len(self) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"Members({len(self.duties)} dues, anchor {self.text})"

    def uids(self) -> tuple[str, ...]:
        """Each member's due uid (:attr:`Due.covers`)."""
        names = set(map(_ACTIVITY, self.duties))
        if len(names) == 1:
            # A fleet is one activity: every uid ends the same (read in C).
            suffix = f".{names.pop()}.{self.text}"
            try:
                return tuple([asset_id + suffix for asset_id in map(_SUBJECT_ASSET, self.duties)])
            except AttributeError:
                pass
        return tuple(f"{duty.subject}.{duty.activity.name}.{self.text}" for duty in self.duties)

    def assets(self) -> tuple[str, ...]:
        """The member assets' ids (:attr:`Due.assets`)."""
        try:
            return tuple(map(_SUBJECT_ASSET, self.duties))
        except AttributeError:
            return tuple(duty.asset.id for duty in self.duties if duty.asset)
