"""Price lists: hourly rates with time bands, fees, and daily labour.

A :class:`RateCard` is what a provider charges: an hourly rate range, surcharge
:class:`TimeBand` s (after hours, weekends, public holidays), recurring
:class:`Fee` s and :class:`DailyLabour` items. Rate cards arrive through the
``maintlib_rate_cards`` hook; the built-in pack ships the article's three company
profiles (``docs/domain.md`` section 7). An inventory names one in ``[costing]`` and
may override any number (:class:`CostingSettings`).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import attrs

from maintlib.model.money import CostRange

__all__ = [
    "CostingSettings",
    "DailyLabour",
    "Fee",
    "FeeBasis",
    "RateCard",
    "TimeBand",
    "check_bands",
]


_MIDNIGHT = dt.time()


def check_bands(bands: Iterable[TimeBand]) -> str | None:
    """What is wrong with a set of bands (a gap or an overlap in the week), or None."""
    bands = list(bands)
    for weekday in range(7):
        spans = sorted(
            (start, end or dt.time.max)
            for band in bands
            for day, start, end in band.spans
            if day == weekday
        )
        cursor = _MIDNIGHT
        for start, end in spans:
            if start > cursor:
                return f"no band covers {_DAY[weekday]} {cursor:%H:%M}-{start:%H:%M}"
            if start < cursor:
                return f"bands overlap on {_DAY[weekday]} at {start:%H:%M}"
            cursor = end
        if cursor != dt.time.max:
            return f"no band covers {_DAY[weekday]} from {cursor:%H:%M} to midnight"
    return None


_DAY = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


#: Kinds counted as servers by per-server fees, unless a fee names its own.
SERVER_KINDS = ("physical_server", "hypervisor", "virtual_server")


def _non_negative(_: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and value < 0:
        raise ValueError(f"{attribute.name} must not be negative, got {value}")


@attrs.frozen
class TimeBand:
    """A surcharge band: the rate times :attr:`factor` during its spans.

    Attributes:
        name: ``office``, ``evening``, ``night``, ``weekend``, ``holiday``…
        factor: Multiplier of the hourly rate (``1.5`` for 150%).
        spans: ``(weekday, start, end)`` triples, weekday 0 = Monday, local time,
            ``end`` of ``None`` meaning midnight at the end of the day.
        holidays: True: the band covers public holidays all day, before any span
            of another band is consulted.
    """

    name: str
    factor: Decimal = attrs.field(validator=_non_negative)
    spans: tuple[tuple[int, dt.time, dt.time | None], ...] = ()
    holidays: bool = False


class FeeBasis(enum.StrEnum):
    """What a fee's amount is multiplied by."""

    PER_USER_MONTH = "per_user_month"
    PER_SERVER_MONTH = "per_server_month"
    PER_DEVICE_MONTH = "per_device_month"
    FLAT_MONTH = "flat_month"
    PER_YEAR = "per_year"


@attrs.frozen
class Fee:
    """A recurring charge.

    Attributes:
        name: Shown in quotes and reports; an inventory overrides a fee by name.
        basis: What the amount is multiplied by.
        amount: Price per unit (per user, per server, per device, per month, or
            per year: a month is 1/12 of it).
        kinds: Asset kinds counted by per-server and per-device fees (per-server
            fees default to physical servers, hypervisors and virtual servers).
        covers: Asset kinds and activities whose planned work the fee already pays
            for (``organisation`` for organisation-wide work): their tasks are
            not charged again as labour.
        citation: Where the number comes from.
    """

    name: str
    basis: FeeBasis
    amount: CostRange
    kinds: tuple[str, ...] = ()
    covers: tuple[str, ...] = ()
    citation: str = ""

    def counted_kinds(self) -> tuple[str, ...]:
        """The kinds this fee counts (servers by default for per-server fees)."""
        if self.basis is FeeBasis.PER_SERVER_MONTH and not self.kinds:
            return SERVER_KINDS
        return self.kinds


@attrs.frozen
class DailyLabour:
    """Routine work done every day, costed at the office-hours (factor 1) rate.

    Attributes:
        name: ``backup management``.
        minutes_low: Fewest minutes a day.
        minutes_high: Most minutes a day.
        covers: Asset kinds and activities this item pays for, as for
            :attr:`Fee.covers` (a daily ``backup-check`` is backup management).
        citation: Where the numbers come from.
        weekdays: The days it is done (0 = Monday): every day by default; the
            built-in backup management follows the backup check, Monday to Friday.
    """

    name: str
    minutes_low: Decimal = attrs.field(validator=_non_negative)
    minutes_high: Decimal = attrs.field(validator=_non_negative)
    covers: tuple[str, ...] = ()
    citation: str = ""
    weekdays: tuple[int, ...] = (0, 1, 2, 3, 4, 5, 6)

    def __attrs_post_init__(self) -> None:
        if self.minutes_high < self.minutes_low:
            raise ValueError(f"{self.name}: minutes_high is below minutes_low")


@attrs.frozen
class RateCard:
    """A provider's price list (a costing profile).

    Attributes:
        name: The profile name inventories use (``production``).
        hourly: The hourly labour rate range, before band factors.
        bands: Surcharge bands; together they must cover every minute of the week.
        fees: Recurring charges.
        daily_labour: Routine daily work.
        minimum_billable: A task is billed at least this long.
        billing_increment: Billed time is rounded up to a multiple of this.
        callout: Charged once per task.
        description: One line on who the profile fits.
        citation: Where the numbers come from.
        pack: The pack that contributed it (set when the catalog is built).
        users: The company size the profile was written for, in users or
            workplaces: ``(fewest, most)``, most None for no upper bound; None
            when it fits any size. ``maintlib check`` warns when an inventory's
            ``users`` is less than half the fewest or more than twice the most.
        servers_on_site: True: written for a company with servers of its own,
            False: for one without (all cloud), None: either. With ``users``,
            what ``profile = "auto"`` chooses by (:func:`maintlib.model.catalog.select_rate_card`).
    """

    name: str
    hourly: CostRange
    bands: tuple[TimeBand, ...]
    fees: tuple[Fee, ...] = ()
    daily_labour: tuple[DailyLabour, ...] = ()
    minimum_billable: dt.timedelta = dt.timedelta(0)
    billing_increment: dt.timedelta = dt.timedelta(0)
    callout: CostRange | None = None
    description: str = ""
    citation: str = ""
    pack: str = ""
    users: tuple[int, int | None] | None = None
    servers_on_site: bool | None = None

    @property
    def currency(self) -> str:
        """The card's currency (that of its hourly rate)."""
        return self.hourly.currency


@attrs.frozen
class CostingSettings:
    """``[costing]`` in the inventory: a profile, and what the inventory changes.

    Attributes:
        profile: Name of the rate card to start from (default ``default``: labour
            only); ``auto``: the profile written for the organisation's size
            (users, servers on site).
        hourly: Replaces the card's hourly rate.
        bands: Replace the card's bands (all of them) when given.
        fees: Replace the card's fees of the same name, or add new ones.
        daily_labour: Replace items of the same name, or add new ones.
        minimum_billable: Replaces the card's minimum.
        billing_increment: Replaces the card's increment.
        callout: Replaces the card's call-out fee.
    """

    profile: str = "default"
    hourly: CostRange | None = None
    bands: tuple[TimeBand, ...] = ()
    fees: tuple[Fee, ...] = ()
    daily_labour: tuple[DailyLabour, ...] = ()
    minimum_billable: dt.timedelta | None = None
    billing_increment: dt.timedelta | None = None
    callout: CostRange | None = None
