"""The work values: a rule applied to one asset (:class:`Duty`) and one occurrence of it
in the horizon (:class:`Due`), with the :class:`Horizon` it lies in."""

from __future__ import annotations

import calendar
import datetime as dt
import operator
from collections.abc import Mapping
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import attrs

from maintlib.model.inventory import Asset
from maintlib.model.risk import RiskAssessment
from maintlib.model.rules import Activity, Cadence, Rule, Step
from maintlib.model.vocabulary import Mode, Tier

if TYPE_CHECKING:
    from maintlib.model.vulnerabilities import Emergency

__all__ = ["Due", "Duties", "Duty", "Horizon"]


@attrs.frozen
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


@attrs.frozen
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
            done as one task), the member assets' own dues; empty otherwise.
            Its ``duty`` is the first member's, with the fleet's duration.
        follows: Uids of dues whose tasks must finish before this one starts (an
            emergency's forensic triage before its remediation).
    """

    duty: Duty
    anchor: dt.datetime
    released: dt.datetime | None
    earliest: dt.datetime
    deadline: dt.datetime
    uid: str
    members: tuple[Due, ...] = ()
    follows: tuple[str, ...] = ()

    @property
    def covers(self) -> tuple[str, ...]:
        """Uids of the per-asset dues this due stands for: its members', or its own."""
        return tuple(map(_UID, self.members)) if self.members else (self.uid,)

    @property
    def count(self) -> int:
        """How many per-asset dues this due stands for: ``len(covers)``, without
        building the uids (a fleet due has hundreds of members)."""
        return len(self.members) or 1

    @property
    def assets(self) -> tuple[str, ...]:
        """Ids of the assets this due is for (none for organisation-wide work)."""
        if self.members:
            try:
                # A fleet's members all have an asset: read in C, without a test each.
                return tuple(map(_ASSET_ID, self.members))
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
