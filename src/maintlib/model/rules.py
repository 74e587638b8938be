"""What rule packs say: activities, rules, cadences, release calendars, deadlines.

A :class:`Rule` says: for assets matching a :class:`Selector`, perform an activity on
a cadence — a :class:`Periodic` recurrence, anchored to a vendor's
:class:`ReleaseCalendar` (:class:`Released`), or a single :class:`Once` — with a
deadline per priority tier, a duration, with or without downtime, in a
:class:`~maintlib.model.Mode`, with the :class:`Step` s of article section 5.
"""

from __future__ import annotations

import datetime as dt
import enum
import fnmatch
import functools
import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any, Literal, Protocol
from zoneinfo import ZoneInfo

import attrs

from maintlib._util.recurrence import EPOCH, occurrences
from maintlib._util.text import N_
from maintlib.model.naming import Product, os_spellings, spellings
from maintlib.model.vocabulary import (
    Category,
    Environment,
    Exposure,
    Mode,
    Tier,
    UpdateClass,
    identifier,
)

__all__ = [
    "FLEET_FIELDS",
    "Activity",
    "Assetlike",
    "Cadence",
    "CalendarPeriod",
    "DeadlinePolicy",
    "Deadlines",
    "Expiry",
    "Once",
    "Periodic",
    "ReleaseCalendar",
    "Released",
    "Rule",
    "RuleSpec",
    "Scope",
    "Selector",
    "Step",
    "StepKind",
    "releases",
    "section5_steps",
    "selector_key",
    "severity_policies",
]


_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}")


def _as_dict(value: Mapping[str, str]) -> dict[str, str]:
    return dict(value)


def _language_labels(
    instance: object, attribute: attrs.Attribute[Any], value: Mapping[object, object]
) -> None:
    """``labels`` maps language codes (``nl``) to non-empty text."""
    for code, text in value.items():
        if not isinstance(code, str) or not _LANGUAGE_CODE.fullmatch(code):
            raise ValueError(f"labels: {code!r} is not a language code such as 'nl'")
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"labels[{code!r}]: expected non-empty text, got {text!r}")


@attrs.frozen
class Activity:
    """A kind of maintenance work (``security-updates``, ``restore-test``).

    Attributes:
        name: The activity's identifier.
        label: How people read it (``Security updates``), in English.
        description: One sentence on what is done and why.
        labels: The label in other languages, by language code
            (``{"nl": "Beveiligingsupdates"}``): what the report and the calendar
            feed show in that language. A language without an entry shows
            ``label``.
    """

    name: str = attrs.field(validator=identifier)
    label: str
    description: str = ""
    labels: Mapping[str, str] = attrs.field(
        factory=dict, converter=_as_dict, validator=_language_labels, hash=False
    )

    def label_in(self, code: str) -> str:
        """The label in language ``code`` (``label`` when the pack gives none)."""
        return self.labels.get(code, self.label)


@attrs.frozen
class Deadlines:
    """Days allowed per priority tier, counted from a due's anchor.

    The anchor is the vendor's release for :class:`Released` cadences and the
    period start for :class:`Periodic` ones.
    """

    p1: int
    p2: int
    p3: int
    p4: int

    def __attrs_post_init__(self) -> None:
        values = (self.p1, self.p2, self.p3, self.p4)
        if any(v < 0 for v in values):
            raise ValueError(f"deadline days must not be negative, got {values}")

    @classmethod
    def same(cls, days: int) -> Deadlines:
        """The same number of days for every tier."""
        return cls(days, days, days, days)

    def for_tier(self, tier: Tier) -> int:
        """Days allowed for ``tier``."""
        return (self.p1, self.p2, self.p3, self.p4)[tier.rank]

    def to_mapping(self) -> dict[str, int]:
        """``{"P1": …, "P2": …, "P3": …, "P4": …}``."""
        return {tier.value: self.for_tier(tier) for tier in Tier}


@attrs.frozen
class Periodic:
    """A recurrence (RFC 5545 RRULE without DTSTART), anchored at 2024-01-01 00:00.

    The fixed anchor (a Monday, and the first of a month and year) keeps dues, and
    so task uids, the same whatever the horizon: ``FREQ=WEEKLY`` falls on Mondays,
    ``FREQ=MONTHLY`` on the 1st, unless the rule says otherwise with BY… parts.
    """

    rrule: str
    kind: Literal["periodic"] = "periodic"

    def describe(self) -> str:
        """The recurrence in words, as far as a short phrase goes."""
        return describe_rrule(self.rrule)


@attrs.frozen
class Released:
    """One due per release of a vendor's calendar.

    Attributes:
        calendar: Id of the :class:`ReleaseCalendar`.
        offset_days: Earliest start is the release plus this many days.
        months: Only releases in these months (1–12); empty means all.
        until: Only releases on or before this day (the product's end of
            support: its last update ships that day, nothing after); None means
            no end.
    """

    calendar: str
    offset_days: int = 0
    months: tuple[int, ...] = ()
    until: dt.date | None = None
    kind: Literal["released"] = "released"

    def __attrs_post_init__(self) -> None:
        if self.offset_days < 0:
            raise ValueError("offset_days must not be negative")
        if any(not 1 <= m <= 12 for m in self.months):
            raise ValueError(f"months must be 1–12, got {self.months}")

    def describe(self) -> str:
        """``"4 days after each release of patch-tuesday (Jan, Apr)"``."""
        when = f"{self.offset_days} days after" if self.offset_days else "at"
        text = f"{when} each release of {self.calendar}"
        if self.months:
            text += " (" + ", ".join(dt.date(2000, m, 1).strftime("%b") for m in self.months) + ")"
        if self.until:
            text += f", until {self.until.isoformat()}"
        return text


@attrs.frozen
class Once:
    """A single due: earliest on ``at``, deadline ``deadline``.

    When ``deadline`` has passed (or is absent), the deadline is the earliest start
    plus the rule's deadline days for the asset's tier.
    """

    at: dt.date
    deadline: dt.date | None = None
    kind: Literal["once"] = "once"

    def describe(self) -> str:
        """``"once, from 2026-01-12 (deadline 2027-01-12)"``."""
        text = f"once, from {self.at.isoformat()}"
        return text + (f" (deadline {self.deadline.isoformat()})" if self.deadline else "")


@attrs.frozen
class Expiry:
    """A single due ahead of the asset's ``expires`` date (a certificate, a domain,
    a contract): earliest ``lead_days`` before it, deadline ``margin_days`` before
    it. An asset without ``expires`` gets no duty from such a rule.
    """

    lead_days: int = attrs.field(validator=attrs.validators.ge(0))
    margin_days: int = attrs.field(default=0, validator=attrs.validators.ge(0))
    kind: Literal["expiry"] = "expiry"

    def __attrs_post_init__(self) -> None:
        if self.margin_days > self.lead_days:
            raise ValueError(
                f"margin_days {self.margin_days} is more than lead_days {self.lead_days}:"
                " the deadline would come before the earliest start"
            )

    def describe(self) -> str:
        """``"before it expires: from 30 days ahead, by 7 days ahead"``."""
        return (
            f"before it expires: from {self.lead_days} days ahead, by {self.margin_days} days ahead"
        )

    def for_asset(self, expires: dt.date) -> Once:
        """The single due for an asset that expires on ``expires``."""
        return Once(
            at=expires - dt.timedelta(days=self.lead_days),
            deadline=expires - dt.timedelta(days=self.margin_days),
        )


Cadence = Periodic | Released | Once | Expiry


_FREQ_WORDS = {
    "DAILY": ("day", "daily"),
    "WEEKLY": ("week", "weekly"),
    "MONTHLY": ("month", "monthly"),
    "YEARLY": ("year", "yearly"),
}


def describe_rrule(rrule: str) -> str:
    """A short English phrase for an RRULE: ``FREQ=MONTHLY;INTERVAL=3`` → ``every 3 months``."""
    parts = dict(p.split("=", 1) for p in rrule.upper().split(";") if "=" in p)
    unit, adverb = _FREQ_WORDS.get(parts.get("FREQ", ""), ("", rrule))
    interval = int(parts.get("INTERVAL", "1"))
    text = adverb if interval == 1 or not unit else f"every {interval} {unit}s"
    if "BYDAY" in parts:
        text += f" on {parts['BYDAY']}"
    if "BYMONTHDAY" in parts:
        text += f" on day {parts['BYMONTHDAY']}"
    if "BYMONTH" in parts:
        text += f" in month {parts['BYMONTH']}"
    return text


class StepKind(enum.StrEnum):
    """The kinds of step in a task's checklist (article section 5)."""

    BACKUP = "backup"
    TEST = "test"
    FAILOVER = "failover"
    UPDATE = "update"
    WORK = "work"
    VERIFY = "verify"
    MONITOR = "monitor"
    ROLLBACK = "rollback"


@attrs.frozen
class Step:
    """One checklist item of a task.

    Attributes:
        kind: What kind of step it is.
        text: What to do, in English.
        texts: The text in other languages, by language code (``{"nl": "…"}``):
            what the calendar feed shows in that language. The built-in pack's
            steps are translated through maintlib's catalogue instead.
    """

    kind: StepKind
    text: str
    texts: Mapping[str, str] = attrs.field(
        factory=dict, converter=_as_dict, validator=_language_labels, hash=False
    )

    def text_in(self, code: str) -> str:
        """The text in language ``code`` (``text`` when the pack gives none)."""
        return self.texts.get(code, self.text)


def section5_steps(
    work: str = N_("Install the updates."), monitor_hours: int = 24, backup: str | None = None
) -> tuple[Step, ...]:
    """The patch-management steps of article section 5 for planned downtime.

    Step 0 backup, step 2 test in a lower ring (the scheduler names the task that
    did), the work itself, step 4 monitoring for ``monitor_hours``, step 5 rollback.
    """
    return (
        Step(StepKind.BACKUP, backup or N_("Back up or snapshot the whole system first.")),
        Step(StepKind.TEST, N_("Confirm the same release passed the lower ring.")),
        Step(StepKind.UPDATE, work),
        Step(StepKind.MONITOR, f"Monitor the system for {monitor_hours} hours afterwards."),
        Step(StepKind.ROLLBACK, N_("If problems appear: roll back to the backup or snapshot.")),
    )


class Scope(enum.StrEnum):
    """What a rule applies to."""

    #: Every matching asset gets a duty.
    ASSET = "asset"
    #: The organisation as a whole gets one duty (plan review, training).
    ORGANISATION = "organisation"


def _glob(pattern: str | None, value: str) -> bool:
    return pattern is None or _glob_match(pattern, value)


@functools.lru_cache(maxsize=1 << 16)
def _glob_match(pattern: str, value: str) -> bool:
    # Remembered: every asset is matched against every rule of its kind, and a
    # fleet repeats the same few vendors, products and versions.
    return fnmatch.fnmatchcase(value.casefold(), pattern.casefold())


class Assetlike(Product, Protocol):
    """What a :class:`Selector` reads of an asset (an
    :class:`~maintlib.model.inventory.Asset` is one)."""

    @property
    def id(self) -> str: ...

    @property
    def kind(self) -> str: ...

    @property
    def vendor(self) -> str: ...

    @property
    def environment(self) -> Environment: ...

    @property
    def exposure(self) -> Exposure: ...

    @property
    def tags(self) -> tuple[str, ...]: ...

    @property
    def redundancy_group(self) -> str | None: ...


def selector_key(asset: Assetlike) -> tuple[object, ...]:
    """Everything :meth:`Selector.matches` reads of an asset except its id: a selector
    that names no assets matches two assets with the same key alike (what the apply
    stage and the packs' lifecycle tables remember their matches by)."""
    return (
        asset.kind,
        asset.environment,
        asset.exposure,
        asset.tags,
        bool(asset.redundancy_group),
        asset.vendor,
        asset.product,
        asset.version,
        asset.os,
    )


@attrs.frozen
class Selector:
    """Which assets a rule covers: every criterion given must hold.

    Attributes:
        kinds: Asset kinds, any of them (empty: any kind).
        categories: Kind categories, any of them.
        vendor: Glob on the vendor, case-insensitive (``"Fortinet*"``).
        product: Glob on the product: it matches when it matches one of the
            asset's spellings (:func:`maintlib.model.naming.spellings`: as written, its
            ``os``, a version split off the name, the OS after a model name).
        version: Glob on the version, of the same spelling as ``product``.
        tags: Tags the asset must all carry.
        environments: Environments, any of them.
        exposures: Exposures, any of them (``internet``: devices reachable from the
            internet, whose vendor fixes go in the next window).
        assets: Asset ids, any of them (for per-asset exceptions).
        redundant: True: only assets in a redundancy group (HA pairs and
            clusters, whose members are updated one at a time); False: only
            assets outside one; None: either.
    """

    kinds: tuple[str, ...] = ()
    categories: tuple[Category, ...] = ()
    vendor: str | None = None
    product: str | None = None
    version: str | None = None
    tags: tuple[str, ...] = ()
    environments: tuple[Environment, ...] = ()
    assets: tuple[str, ...] = ()
    redundant: bool | None = None
    exposures: tuple[Exposure, ...] = ()

    def matches(self, asset: Assetlike, category: Category) -> bool:
        """Whether ``asset`` (whose kind has ``category``) is covered."""
        return (
            (not self.kinds or asset.kind in self.kinds)
            and (not self.categories or category in self.categories)
            and (not self.environments or asset.environment in self.environments)
            and (not self.exposures or asset.exposure in self.exposures)
            and (not self.assets or asset.id in self.assets)
            and (not self.tags or all(tag in asset.tags for tag in self.tags))
            and (self.redundant is None or self.redundant == bool(asset.redundancy_group))
            and self._matches_vendor_and_product(asset)
        )

    def matches_vendor(self, asset: Assetlike) -> bool:
        """Whether the vendor criterion of :meth:`matches` may hold: the asset's vendor
        matches, or the asset names an operating system (which may be the vendor's
        product, whatever the hardware's vendor: :meth:`matches` decides)."""
        return _glob(self.vendor, asset.vendor) or bool(asset.os)

    def _matches_vendor_and_product(self, asset: Assetlike) -> bool:
        if _glob(self.vendor, asset.vendor):
            return self._matches_product(spellings(asset))
        # The asset's operating system is this vendor's product, on another vendor's
        # hardware: Windows Server on an HPE ProLiant, ESXi on a Dell PowerEdge. The
        # vendor's rules for that product apply, beside the hardware vendor's own.
        if self.product is None or not asset.os:
            return False
        return self._matches_product(os_spellings(asset))

    def _matches_product(self, names: tuple[tuple[str, str], ...]) -> bool:
        if self.product is None and self.version is None:
            return True
        return any(
            _glob(self.product, product) and _glob(self.version, version)
            for product, version in names
        )

    @property
    def specificity(self) -> int:
        """How narrow the selector is; the most specific matching rule wins.

        Naming assets beats everything; then product (8), version (4), vendor (4),
        each tag (2), redundancy (2), environment (2), exposure (2), kinds (1),
        categories (1).
        """
        return (
            (64 if self.assets else 0)
            + (8 if self.product else 0)
            + (4 if self.version else 0)
            + (4 if self.vendor else 0)
            + 2 * len(self.tags)
            + (2 if self.redundant is not None else 0)
            + (2 if self.environments else 0)
            + (2 if self.exposures else 0)
            + (1 if self.kinds else 0)
            + (1 if self.categories else 0)
        )


#: The asset fields a rule may group fleet tasks by (``group_by``).
FLEET_FIELDS = ("kind", "site", "owner", "vendor", "product", "version", "environment", "window")


@attrs.frozen
class Rule:
    """A rule of a rule pack (or of the inventory).

    Attributes:
        id: Unique within its pack (``server-health-check``).
        activity: The :class:`Activity` it performs.
        selector: The assets it covers (ignored for organisation scope).
        cadence: How often, or after which releases.
        duration: Wall-clock time per occurrence: install, reboot and checks (the
            office-hours check, for automatic rules). What downtime, conflicts on
            the asset and redundancy use.
        effort: Hands-on technician time per occurrence (at most ``duration``):
            what a window's or team's technician hours are consumed by and what
            costing bills. None: the whole ``duration`` (a technician watches
            the work from start to end).
        mode: In a window, during office hours, or automatic.
        update_class: The update class installed, or None for other work.
        deadlines: Days allowed per tier; None takes the deadline policy of the
            update class, else the cadence's period.
        downtime: Whether the asset is down while the work happens.
        steps: The checklist; empty for planned-downtime work means section 5.
        cadence_by_tier: A different cadence for some tiers (P1 more often).
        scope: Per asset, or once for the organisation.
        citation: Where the rule's numbers come from.
        pack: The pack that contributed it (set when the catalog is built).
        enabled: False disables the activity for the covered assets (for
            inventory rules that switch a pack's rule off, and pack rules that
            say a product has no such update).
        priority: The duty's tier whatever the asset's risk (the upgrade of a
            server whose support ends is P1), or None: the asset's tier.
        fleet: True: one task per due for each group of similar assets (a fleet
            task) instead of one per asset; False: never; None (default): for
            automatic updates' checks only. Work with downtime is never grouped.
        group_by: What makes assets similar for a fleet task: asset fields among
            :data:`FLEET_FIELDS` (default: kind, site and owner).
        duration_per_asset: A fleet task takes ``duration`` plus this per member.
        cadence_from: For a periodic cadence, when re-planning from a maintenance
            log (:mod:`maintlib.records.history`): ``calendar`` (default) keeps the fixed
            calendar; ``done`` counts the recurrence from the last time the work
            was done.
    """

    id: str = attrs.field(validator=identifier)
    activity: str = attrs.field(validator=identifier)
    selector: Selector
    cadence: Cadence
    duration: dt.timedelta
    mode: Mode = Mode.WINDOW
    update_class: UpdateClass | None = None
    deadlines: Deadlines | None = None
    downtime: bool = False
    steps: tuple[Step, ...] = ()
    cadence_by_tier: tuple[tuple[Tier, Cadence], ...] = ()
    scope: Scope = Scope.ASSET
    citation: str = ""
    pack: str = ""
    enabled: bool = True
    priority: Tier | None = None
    fleet: bool | None = None
    group_by: tuple[str, ...] = ("kind", "site", "owner")
    duration_per_asset: dt.timedelta = dt.timedelta(0)
    cadence_from: Literal["calendar", "done"] = "calendar"
    effort: dt.timedelta | None = None

    @property
    def key(self) -> str:
        """``pack/id``: how the rule is named in explanations and ``extends``."""
        return f"{self.pack}/{self.id}" if self.pack else self.id

    @property
    def hands_on(self) -> dt.timedelta:
        """The technician time per occurrence: ``effort``, or the whole ``duration``."""
        return self.duration if self.effort is None else self.effort

    def cadence_for(self, tier: Tier) -> Cadence:
        """The cadence that applies to an asset of ``tier``."""
        return dict(self.cadence_by_tier).get(tier, self.cadence)


def extend(rule: Rule, changes: Mapping[str, object], pack: str) -> Rule:
    """``rule`` with an inventory's ``changes`` (``extends``): a shorter ``duration``
    without an ``effort`` of its own takes the rule's effort down with it (hands-on
    time is at most the wall-clock time)."""
    extended = attrs.evolve(rule, **changes, pack=pack)  # type: ignore[arg-type]
    if (
        "effort" not in changes
        and extended.effort is not None
        and extended.effort > extended.duration
    ):
        extended = attrs.evolve(extended, effort=extended.duration)
    return extended


@attrs.frozen
class RuleSpec:
    """A rule written in the inventory (``[[rules]]``).

    Either a whole :class:`Rule` (``rule``), or ``extends`` naming a pack rule
    (``pack/id``) plus the fields that change (``changes``, already validated
    against :class:`Rule`'s fields). Inventory rules win over pack rules for the
    assets they cover, whatever the specificity.
    """

    rule: Rule | None = None
    extends: str | None = None
    changes: Mapping[str, object] = attrs.field(factory=dict)


@attrs.frozen
class CalendarPeriod:
    """A calendar's rule from ``effective_from`` (inclusive) until the next period."""

    rrule: str
    effective_from: dt.date | None = None


@attrs.frozen
class ReleaseCalendar:
    """When a vendor publishes updates or advisories.

    Attributes:
        id: How rules refer to it (``patch-tuesday``).
        name: Human name.
        vendor: The publisher.
        timezone: IANA zone of :attr:`time`.
        time: Local time of day of each release.
        periods: The calendar's rules, oldest first; a vendor that changes its
            cadence gets a new period with an ``effective_from`` date.
        source: URL or document title of the vendor's statement.
    """

    id: str = attrs.field(validator=identifier)
    name: str
    vendor: str
    timezone: str
    time: dt.time
    periods: tuple[CalendarPeriod, ...]
    source: str

    def __attrs_post_init__(self) -> None:
        if not self.periods:
            raise ValueError(f"release calendar {self.id!r} needs at least one period")
        starts = [p.effective_from for p in self.periods[1:]]
        if any(s is None for s in starts):
            raise ValueError("only the first period of a calendar may omit effective_from")
        dated = [s for s in starts if s is not None]
        if dated != sorted(dated) or len(set(dated)) != len(dated):
            raise ValueError("calendar periods must be in increasing effective_from order")


def _naive(moment: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    return moment.astimezone(zone).replace(tzinfo=None)


@lru_cache(maxsize=512)
def releases(
    calendar: ReleaseCalendar, start: dt.datetime, end: dt.datetime
) -> tuple[dt.datetime, ...]:
    """Aware release moments of ``calendar`` in ``[start, end)``.

    Each period's rule applies from its ``effective_from`` (inclusive, in the
    vendor's zone) until the next period's.
    """
    zone = ZoneInfo(calendar.timezone)
    result: list[dt.datetime] = []
    periods = calendar.periods
    for index, period in enumerate(periods):
        begin = (
            dt.datetime.combine(period.effective_from, calendar.time)
            if period.effective_from
            else dt.datetime.combine(EPOCH.date(), calendar.time)
        )
        following = periods[index + 1].effective_from if index + 1 < len(periods) else None
        stop = dt.datetime.combine(following, dt.time()) if following else None
        low = max(begin, _naive(start, zone))
        high = _naive(end, zone) if stop is None else min(stop, _naive(end, zone))
        if low >= high:
            continue
        for local in occurrences(period.rrule, begin, low, high):
            result.append(local.replace(tzinfo=zone))
    return tuple(result)


@attrs.frozen
class DeadlinePolicy:
    """Default deadlines for an update class, or for a vendor severity.

    Attributes:
        id: The policy's identifier.
        deadlines: Days allowed per tier.
        update_class: The update class it governs (rules without deadlines of
            their own take it), or None.
        severity: A vendor severity (``Critical`` in MSRC's scale), or None.
        citation: Where the numbers come from.
    """

    id: str = attrs.field(validator=identifier)
    deadlines: Deadlines
    update_class: UpdateClass | None = None
    severity: str | None = None
    citation: str = ""
    pack: str = ""


def severity_policies(
    prefix: str, deadlines: Mapping[str, Deadlines], citation: str
) -> list[DeadlinePolicy]:
    """One deadline policy per vendor severity: ``{prefix}-{severity}`` with ``severity``.

    They carry a severity and no update class, so they change no update class's
    default deadlines (for maintlib's vulnerability path).
    """
    return [
        DeadlinePolicy(f"{prefix}-{name.casefold()}", days, severity=name, citation=citation)
        for name, days in deadlines.items()
    ]
