"""The cost stage: what a plan, a task, or a profile costs, as low–high ranges.

* **Labour** of a task: its duration × the hourly range × the factor of the
  time band each minute falls in, at the task's local time (office hours 100%,
  evenings 150%, nights, weekends and public holidays 200% by default). A task
  spanning bands is costed per band, to the minute — never by its start time.
* **Fees**: recurring items of the profile — per user, per server, per device,
  flat per month, per year (a month is 1/12) — and **daily labour** (backup
  management 5–15 minutes a day, at the office-hours rate; a month is 365/12
  days, of which the item's weekdays: backup management Monday to Friday).

Every default number is the article's (``docs/domain.md`` section 7); ``docs/costing.md``
explains the model and how to ship a price list as a plugin.
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
from collections import Counter
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import holidays as holidays_lib

from maintlib.catalog import Catalog
from maintlib.exceptions import InputError, Problem
from maintlib.inventory import Inventory, Organisation
from maintlib.money import CostRange
from maintlib.plan import Plan, Task, add_months
from maintlib.rates import CostingSettings, DailyLabour, Fee, FeeBasis, RateCard, TimeBand

__all__ = [
    "FeeLine",
    "MonthCost",
    "PlanCosts",
    "Quote",
    "band_at",
    "check_bands",
    "cost_plan",
    "labour_cost",
    "quote",
    "rate_card_for",
    "task_cost",
]

HOUR = Decimal(3600)
#: Computed amounts are kept to this quantum — far below a cent — so that sums of
#: parts equal totals exactly; rounding to cents happens only for display.
EXACT = Decimal("1e-12")
#: Days in an average month (365/12), for daily labour.
MONTH_DAYS = Decimal(365) / Decimal(12)
_MIDNIGHT = dt.time()


def band_at(card: RateCard, local: dt.datetime, holiday: bool) -> TimeBand:
    """The band covering wall-clock ``local`` (``holiday``: the date is a public holiday).

    Raises:
        ValueError: No band covers that moment (:func:`check_bands` prevents it).
    """
    if holiday:
        for band in card.bands:
            if band.holidays:
                return band
    weekday, clock = local.weekday(), local.time()
    for band in card.bands:
        for day, start, end in band.spans:
            if day == weekday and start <= clock and (end is None or clock < end):
                return band
    raise ValueError(f"no time band of profile {card.name!r} covers {local:%a %H:%M}")


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


def _boundaries(card: RateCard) -> tuple[dt.time, ...]:
    return tuple(
        sorted(
            {start for band in card.bands for _, start, _ in band.spans}
            | {end for band in card.bands for _, _, end in band.spans if end is not None}
        )
    )


class Holidays:
    """Public holidays of the organisation's country and subdivision (cached by year)."""

    def __init__(self, organisation: Organisation) -> None:
        self.country = organisation.country
        self.subdivision = organisation.subdivision
        self._years: dict[int, frozenset[dt.date]] = {}

    def __contains__(self, day: object) -> bool:
        if not isinstance(day, dt.date) or self.country is None:
            return False
        if day.year not in self._years:
            found = holidays_lib.country_holidays(
                self.country, subdiv=self.subdivision, years=day.year
            )
            self._years[day.year] = frozenset(found)
        return day in self._years[day.year]


def _next_boundary(local: dt.datetime, boundaries: tuple[dt.time, ...]) -> dt.datetime:
    for clock in boundaries:
        if clock > local.time():
            return dt.datetime.combine(local.date(), clock)
    return dt.datetime.combine(local.date() + dt.timedelta(days=1), _MIDNIGHT)


def labour_seconds(
    card: RateCard, start: dt.datetime, end: dt.datetime, zone: ZoneInfo, holidays: Holidays
) -> list[tuple[TimeBand, int]]:
    """How many seconds of ``[start, end)`` fall in each band, in time order.

    Bands are looked up on the wall clock of ``zone``, so a DST change moves the
    band boundaries with the local time.
    """
    boundaries = _boundaries(card)
    pieces: list[tuple[TimeBand, int]] = []
    cursor = start.astimezone(dt.UTC)
    finish = end.astimezone(dt.UTC)
    while cursor < finish:
        local = cursor.astimezone(zone)
        band = band_at(card, local, local.date() in holidays)
        edge = _next_boundary(local.replace(tzinfo=None), boundaries).replace(tzinfo=zone)
        step_end = min(finish, edge.astimezone(dt.UTC))
        if step_end <= cursor:  # a boundary inside a DST gap: move on by the gap
            step_end = min(finish, cursor + dt.timedelta(hours=1))
        pieces.append((band, int((step_end - cursor).total_seconds())))
        cursor = step_end
    return pieces


def labour_cost(
    card: RateCard, start: dt.datetime, end: dt.datetime, zone: ZoneInfo, holidays: Holidays
) -> CostRange:
    """Labour cost of work from ``start`` to ``end`` under ``card``.

    Each second is priced at the hourly range × its band's factor. Then the
    card's billing rules apply: billed time is at least ``minimum_billable`` and
    rounded up to ``billing_increment`` (the extra time priced at the work's
    average factor), plus the ``callout`` fee.
    """
    pieces = labour_seconds(card, start, end, zone, holidays)
    weighted = sum((band.factor * seconds for band, seconds in pieces), Decimal(0))
    actual = sum(seconds for _, seconds in pieces)
    billed = _billed(card, actual)
    if actual and billed != actual:
        weighted = weighted * Decimal(billed) / Decimal(actual)
    elif not actual and billed:
        weighted = Decimal(billed)
    cost = _exact(card.hourly * (weighted / HOUR))
    if card.callout is not None:
        cost = cost + card.callout
    return cost


def _exact(cost: CostRange) -> CostRange:
    return CostRange(
        cost.low.quantize(EXACT, rounding=decimal.ROUND_HALF_UP),
        cost.high.quantize(EXACT, rounding=decimal.ROUND_HALF_UP),
        cost.currency,
    )


def _billed(card: RateCard, seconds: int) -> int:
    billed = max(seconds, int(card.minimum_billable.total_seconds()))
    increment = int(card.billing_increment.total_seconds())
    if increment:
        billed = math.ceil(billed / increment) * increment
    return billed


def task_cost(task: Task, card: RateCard, organisation: Organisation) -> CostRange:
    """Labour cost of one task, at the organisation's local time and holidays."""
    return labour_cost(card, task.start, task.end, organisation.timezone, Holidays(organisation))


def rate_card_for(inventory: Inventory, catalog: Catalog) -> RateCard | None:
    """The inventory's profile with its overrides applied.

    Returns:
        The rate card, or None when the inventory names no profile and the
        default profile's currency is not the organisation's (nothing to cost
        with).

    Raises:
        InputError: The profile does not exist, its currency differs from the
            organisation's, or the resulting bands leave a gap or overlap.
    """
    settings = inventory.costing
    currency = inventory.organisation.currency
    name = settings.profile if settings else "default"
    card = catalog.rate_cards.get(name)
    if card is None:
        if settings is None:
            return None
        raise InputError([Problem("<inventory>", "costing.profile", f"unknown profile {name!r}")])
    if settings is None:
        return card if card.currency == currency else None
    card = _override(card, settings)
    if card.currency != currency:
        raise InputError(
            [
                Problem(
                    "<inventory>",
                    "costing.profile",
                    f"profile {name!r} is priced in {card.currency}, the organisation uses"
                    f" {currency}; override its hourly rate and fees in {currency}",
                )
            ]
        )
    problem = check_bands(card.bands)
    if problem:
        raise InputError([Problem("<inventory>", "costing.bands", problem)])
    return card


def _replace_by_name(original: tuple[Any, ...], changes: tuple[Any, ...]) -> tuple[Any, ...]:
    names = {item.name for item in changes}
    return (*(item for item in original if item.name not in names), *changes)


def _override(card: RateCard, settings: CostingSettings) -> RateCard:
    changes: dict[str, Any] = {
        "fees": _replace_by_name(card.fees, settings.fees),
        "daily_labour": _replace_by_name(card.daily_labour, settings.daily_labour),
    }
    for field in ("hourly", "minimum_billable", "billing_increment", "callout"):
        value = getattr(settings, field)
        if value is not None:
            changes[field] = value
    if settings.bands:
        changes["bands"] = settings.bands
    return attrs.evolve(card, **changes)


@attrs.frozen
class FeeLine:
    """One recurring item of a quote or plan: its monthly range."""

    name: str
    monthly: CostRange


@attrs.frozen
class Quote:
    """The monthly cost of a profile for given counts."""

    profile: str
    currency: str
    monthly: CostRange
    items: tuple[FeeLine, ...]

    def to_json(self) -> dict[str, Any]:
        """``{"currency", "monthly": {"low", "high"}, "items": [{"name", "low", "high"}]}``."""
        rounded = self.monthly.rounded()
        return {
            "profile": self.profile,
            "currency": self.currency,
            "monthly": {"low": str(rounded.low), "high": str(rounded.high)},
            "items": [{"name": item.name, **_pair(item.monthly)} for item in self.items],
        }


def _pair(cost: CostRange) -> dict[str, str]:
    rounded = cost.rounded()
    return {"low": str(rounded.low), "high": str(rounded.high)}


def _fee_monthly(fee: Fee, users: int, counts: Mapping[str, int], servers: int | None) -> CostRange:
    return _exact(_fee_amount(fee, users, counts, servers))


def _fee_amount(fee: Fee, users: int, counts: Mapping[str, int], servers: int | None) -> CostRange:
    if fee.basis is FeeBasis.PER_USER_MONTH:
        return fee.amount * users
    if fee.basis is FeeBasis.PER_SERVER_MONTH and servers is not None:
        return fee.amount * servers
    if fee.basis in (FeeBasis.PER_SERVER_MONTH, FeeBasis.PER_DEVICE_MONTH):
        return fee.amount * sum(counts.get(kind, 0) for kind in fee.counted_kinds())
    if fee.basis is FeeBasis.FLAT_MONTH:
        return fee.amount
    return CostRange(fee.amount.low / 12, fee.amount.high / 12, fee.amount.currency)  # per year


def _daily_monthly(item: DailyLabour, card: RateCard) -> CostRange:
    # An average month of the item's weekdays: 365/12 days × the share of the week.
    days = MONTH_DAYS * len(set(item.weekdays)) / 7
    hours_low = item.minutes_low * days / 60
    hours_high = item.minutes_high * days / 60
    return _exact(
        CostRange(card.hourly.low * hours_low, card.hourly.high * hours_high, card.currency)
    )


def quote(
    card: RateCard,
    *,
    users: int = 0,
    servers: int | None = None,
    counts: Mapping[str, int] | None = None,
) -> Quote:
    """The monthly cost of ``card``'s fees and daily labour.

    Args:
        card: The profile.
        users: Users or workplaces.
        servers: Servers, for per-server fees (as the fee defines a server);
            None counts them from ``counts``.
        counts: Assets per kind, for per-device fees.
    """
    counts = counts or {}
    items = [FeeLine(fee.name, _fee_monthly(fee, users, counts, servers)) for fee in card.fees] + [
        FeeLine(item.name, _daily_monthly(item, card)) for item in card.daily_labour
    ]
    monthly = CostRange.total((item.monthly for item in items), card.currency)
    return Quote(card.name, card.currency, monthly, tuple(items))


@attrs.frozen
class MonthCost:
    """One month of a plan: labour of the tasks starting in it, and the fees."""

    start: dt.date
    labour: CostRange
    fees: CostRange

    @property
    def total(self) -> CostRange:
        """Labour plus fees."""
        return self.labour + self.fees

    def to_json(self) -> dict[str, Any]:
        """``{"start", "labour", "fees", "total"}`` with ``{"low", "high"}`` ranges."""
        return {
            "start": self.start.isoformat(),
            "labour": _pair(self.labour),
            "fees": _pair(self.fees),
            "total": _pair(self.total),
        }


@attrs.frozen
class PlanCosts:
    """What a plan costs: per task, per month, and totals by dimension.

    Attributes:
        profile: The rate card's name.
        currency: The currency of every amount.
        tasks: Labour cost of every task uid (whether billed or covered).
        covered: Uid → name of the fee that already pays for the task's work;
            those tasks are not counted in :attr:`labour` (nothing is paid twice).
        included: What the covered tasks' labour would have cost (information).
        months: Per month of the horizon (and beyond, for tasks after it):
            billed labour and fees.
        fee_lines: The monthly fee items.
        by_asset: Billed labour per asset id (``organisation`` for organisation-wide).
        by_kind: Labour per asset kind.
        by_activity: Labour per activity.
        by_update_class: Labour per update class (``none`` for other work).
    """

    profile: str
    currency: str
    tasks: Mapping[str, CostRange]
    covered: Mapping[str, str]
    included: CostRange
    months: tuple[MonthCost, ...]
    fee_lines: tuple[FeeLine, ...]
    by_asset: Mapping[str, CostRange]
    by_kind: Mapping[str, CostRange]
    by_activity: Mapping[str, CostRange]
    by_update_class: Mapping[str, CostRange]

    def task(self, uid: str) -> CostRange:
        """The labour cost of task ``uid``."""
        return self.tasks[uid]

    def task_json(self, uid: str) -> dict[str, str | None]:
        """``{"currency", "low", "high", "covered_by"}`` of task ``uid``."""
        return {**self.tasks[uid].to_json(), "covered_by": self.covered.get(uid)}

    @property
    def labour(self) -> CostRange:
        """All labour."""
        return CostRange.total((m.labour for m in self.months), self.currency)

    @property
    def fees(self) -> CostRange:
        """All fees over the horizon."""
        return CostRange.total((m.fees for m in self.months), self.currency)

    @property
    def total(self) -> CostRange:
        """Labour plus fees."""
        return self.labour + self.fees

    def to_json(self) -> dict[str, Any]:
        """The ``costs`` section of the plan JSON."""

        def table(values: Mapping[str, CostRange]) -> dict[str, dict[str, str]]:
            return {key: _pair(values[key]) for key in sorted(values)}

        return {
            "profile": self.profile,
            "currency": self.currency,
            "labour": _pair(self.labour),
            "fees": _pair(self.fees),
            "total": _pair(self.total),
            "months": [month.to_json() for month in self.months],
            "fee_items": [{"name": f.name, **_pair(f.monthly)} for f in self.fee_lines],
            "by_asset": table(self.by_asset),
            "by_kind": table(self.by_kind),
            "by_activity": table(self.by_activity),
            "by_update_class": table(self.by_update_class),
            "included_in_fees": _pair(self.included),
        }


def _coverage(card: RateCard) -> dict[str, str]:
    """Kind or activity → name of the fee (or daily labour item) that covers it."""
    coverage: dict[str, str] = {}
    items: tuple[Fee | DailyLabour, ...] = (*card.fees, *card.daily_labour)
    for item in items:
        for key in item.covers:
            coverage.setdefault(key, item.name)
    return coverage


def _month_index(horizon_start: dt.date, day: dt.date) -> int:
    index = (day.year - horizon_start.year) * 12 + day.month - horizon_start.month
    if day < add_months(horizon_start, index):
        index -= 1
    return max(index, 0)


def _shares(cost: CostRange, count: int) -> tuple[CostRange, CostRange]:
    """``cost`` in ``count`` parts to :data:`EXACT`: the first part, and each other."""
    low = (cost.low / count).quantize(EXACT, rounding=decimal.ROUND_DOWN)
    high = (cost.high / count).quantize(EXACT, rounding=decimal.ROUND_DOWN)
    rest = CostRange(cost.low - low * (count - 1), cost.high - high * (count - 1), cost.currency)
    return rest, CostRange(low, high, cost.currency)


def cost_plan(plan: Plan, card: RateCard | None, inventory: Inventory) -> PlanCosts | None:
    """Cost every task of ``plan`` and the profile's fees over its horizon.

    Returns:
        The costs, or None without a rate card. The total always equals the
        sum of the months, and the months' labour the sum of the tasks.
    """
    if card is None:
        return None
    organisation = inventory.organisation
    zone = organisation.timezone
    holidays = Holidays(organisation)
    currency = card.currency
    coverage = _coverage(card)
    costs: dict[str, CostRange] = {}
    covered: dict[str, str] = {}
    # Many tasks share their times — the very datetime objects (a fleet's checks
    # on the same morning): cost each pair of times once. The plan keeps the
    # objects alive, so their ids are stable keys.
    by_time: dict[tuple[int, int], CostRange] = {}
    month_of: dict[int, int] = {}
    # Sums are counted per distinct cost and multiplied out at the end: adding
    # millions of ranges one by one would dominate the run time.
    ranges: dict[int, CostRange] = {}
    included: Counter[int] = Counter()
    per_month: Counter[tuple[int, int]] = Counter()
    per_asset: Counter[tuple[str, str, int]] = Counter()
    shares: dict[tuple[int, int], tuple[CostRange, CostRange]] = {}
    per_activity: Counter[tuple[str, str, int]] = Counter()
    per_fleet: Counter[tuple[tuple[str, ...], str, int, int]] = Counter()
    for task in plan.tasks:
        duty = task.due.duty
        time_key = (id(task.start), id(task.end))
        cost = by_time.get(time_key)
        if cost is None:
            cost = by_time[time_key] = labour_cost(card, task.start, task.end, zone, holidays)
            ranges[id(cost)] = cost
        costs[task.uid] = cost
        kind = duty.asset.kind if duty.asset else "organisation"
        fee = coverage.get(duty.activity.name) or coverage.get(kind)
        if fee is not None:
            covered[task.uid] = fee
            included[id(cost)] += 1
            continue
        index = month_of.get(id(task.start))
        if index is None:
            day = task.start.astimezone(zone).date()
            index = month_of[id(task.start)] = _month_index(plan.horizon.start, day)
        per_month[(index, id(cost))] += 1
        if task.due.members:
            # A fleet task's labour is shared by its members, each its part; the
            # first takes what the division leaves, so the parts add up exactly.
            # Counted per member list (a fleet recurs), spread over them below.
            members = task.assets
            parts = shares.get((id(cost), len(members)))
            if parts is None:
                parts = shares[(id(cost), len(members))] = _shares(cost, len(members))
                for part in parts:
                    ranges[id(part)] = part
            per_fleet[(members, kind, id(parts[0]), id(parts[1]))] += 1
        else:
            per_asset[(duty.subject, kind, id(cost))] += 1
        update_class = duty.rule.update_class
        per_activity[
            (duty.activity.name, update_class.value if update_class else "none", id(cost))
        ] += 1

    for (members, kind, first, each), count in per_fleet.items():
        per_asset[(members[0], kind, first)] += count
        for member in members[1:]:
            per_asset[(member, kind, each)] += count

    def total(counts: Iterable[tuple[int, int]]) -> CostRange:
        low = high = Decimal(0)
        for cost_id, count in counts:
            low += ranges[cost_id].low * count
            high += ranges[cost_id].high * count
        return CostRange(low, high, currency)

    def table(counter: Counter[tuple[str, str, int]], position: int) -> dict[str, CostRange]:
        grouped: dict[str, list[tuple[int, int]]] = {}
        for key, count in counter.items():
            name = key[0] if position == 0 else key[1]
            grouped.setdefault(name, []).append((key[2], count))
        return {name: total(pairs) for name, pairs in grouped.items()}

    buckets: dict[int, list[tuple[int, int]]] = {}
    for (index, cost_id), count in per_month.items():
        buckets.setdefault(index, []).append((cost_id, count))
    zero = CostRange.zero(currency)
    counts: dict[str, int] = {}
    for asset in inventory.assets:
        counts[asset.kind] = counts.get(asset.kind, 0) + 1
    fee_quote = quote(card, users=organisation.users, counts=counts)
    last = max([plan.horizon.months - 1, *buckets])
    months = tuple(
        MonthCost(
            add_months(plan.horizon.start, index),
            total(buckets[index]) if index in buckets else zero,
            fee_quote.monthly if index < plan.horizon.months else zero,
        )
        for index in range(last + 1)
    )
    return PlanCosts(
        profile=card.name,
        currency=currency,
        tasks=costs,
        covered=covered,
        included=total(included.items()),
        months=months,
        fee_lines=fee_quote.items,
        by_asset=table(per_asset, 0),
        by_kind=table(per_asset, 1),
        by_activity=table(per_activity, 0),
        by_update_class=table(per_activity, 1),
    )
