"""The cost stage: what a plan, a task, or a profile costs, as low–high ranges.

* **Labour** of a task: its **effort** (hands-on technician time, from the task's
  start; not the wall-clock time the install and reboot take) × the hourly range
  × the factor of the time band each minute falls in, at the task's local time
  (office hours 100%, evenings 150%, nights, weekends and public holidays 200% by
  default). Effort spanning bands is costed per band, to the minute — never by
  its start time.
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
from zoneinfo import ZoneInfo

from maintlib.model.costs import FeeLine, MonthCost, PlanCosts, Quote
from maintlib.model.inventory import Inventory, Organisation
from maintlib.model.money import CostRange, minor_unit
from maintlib.model.plan import Plan, Task
from maintlib.model.rates import _MIDNIGHT, DailyLabour, Fee, FeeBasis, RateCard, TimeBand
from maintlib.model.work import add_months

__all__ = ["band_at", "cost_plan", "labour_cost", "quote", "task_cost"]


HOUR = Decimal(3600)


#: Computed amounts are kept to this quantum — far below a cent — so that sums of
#: parts equal totals exactly; rounding to cents happens only for display.
EXACT = Decimal("1e-12")


#: Days in an average month (365/12), for daily labour.
MONTH_DAYS = Decimal(365) / Decimal(12)


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
            import holidays as holidays_lib  # loaded when a country asks for it

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
    """Labour cost of one task's effort (from its start), at the organisation's
    local time and holidays."""
    return labour_cost(
        card, task.start, task.hands_on_end, organisation.timezone, Holidays(organisation)
    )


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
    # Each item in the currency's minor unit; the month is their sum.
    items = [
        FeeLine(fee.name, _fee_monthly(fee, users, counts, servers).rounded()) for fee in card.fees
    ] + [FeeLine(item.name, _daily_monthly(item, card).rounded()) for item in card.daily_labour]
    monthly = CostRange.total((item.monthly for item in items), card.currency)
    return Quote(card.name, card.currency, monthly, tuple(items))


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
    """``cost`` in ``count`` parts to the currency's minor unit: the first part (which
    takes what the division leaves), and each other."""
    unit = minor_unit(cost.currency)
    low = (cost.low / count).quantize(unit, rounding=decimal.ROUND_DOWN)
    high = (cost.high / count).quantize(unit, rounding=decimal.ROUND_DOWN)
    # A narrow range (high a few cents above low) split among many members: each
    # member's extra cent of high would leave the first part's high below its low.
    # Then every other member gets high = low, and the first keeps the difference.
    if cost.high - high * (count - 1) < cost.low - low * (count - 1):
        high = low
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
    by_value: dict[tuple[dt.datetime, dt.timedelta], CostRange] = {}
    distinct: dict[CostRange, CostRange] = {}
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
        time_key = (id(task.start), id(duty.effort))
        cost = by_time.get(time_key)
        if cost is None:
            # Equal times in other objects (another duty's task in the same window
            # occurrence) cost the same: labour depends on the instants alone.
            value_key = (task.start, duty.effort)
            cost = by_value.get(value_key)
            if cost is None:
                # Money an embedder reads is in the currency's minor unit, and every
                # total is the sum of its parts as shown (docs/costing.md).
                cost = labour_cost(card, task.start, task.hands_on_end, zone, holidays).rounded()
                # Equal costs are one object: the sums below are counted per object,
                # so a fleet's monthly checks of the same price are one count of 12.
                cost = by_value[value_key] = distinct.setdefault(cost, cost)
                ranges[id(cost)] = cost
            by_time[time_key] = cost
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

    # A fleet's members' parts, summed per asset and per kind: each member's part
    # times how often that member list recurs, without a key per member and cost.
    fleet_asset: dict[str, list[Decimal]] = {}
    fleet_kind: dict[str, list[Decimal]] = {}
    for (members, kind, first, each), count in per_fleet.items():
        head, rest = ranges[first], ranges[each]
        rest_low, rest_high = rest.low * count, rest.high * count
        each_part = (
            (members[0], head.low * count, head.high * count),
            *((member, rest_low, rest_high) for member in members[1:]),
        )
        for member, low, high in each_part:
            sums = fleet_asset.setdefault(member, [Decimal(0), Decimal(0)])
            sums[0] += low
            sums[1] += high
        sums = fleet_kind.setdefault(kind, [Decimal(0), Decimal(0)])
        others = count * (len(members) - 1)
        sums[0] += head.low * count + rest.low * others
        sums[1] += head.high * count + rest.high * others

    def total(counts: Iterable[tuple[int, int]]) -> CostRange:
        low = high = Decimal(0)
        for cost_id, count in counts:
            low += ranges[cost_id].low * count
            high += ranges[cost_id].high * count
        return CostRange(low, high, currency)

    def table(
        counter: Counter[tuple[str, str, int]],
        position: int,
        fleets: dict[str, list[Decimal]] | None = None,
    ) -> dict[str, CostRange]:
        grouped: dict[str, list[tuple[int, int]]] = {}
        for key, count in counter.items():
            name = key[0] if position == 0 else key[1]
            grouped.setdefault(name, []).append((key[2], count))
        result = {name: total(pairs) for name, pairs in grouped.items()}
        for name, (low, high) in (fleets or {}).items():
            found = result.get(name)
            result[name] = (
                CostRange(found.low + low, found.high + high, currency)
                if found is not None
                else CostRange(Decimal(0) + low, Decimal(0) + high, currency)
            )
        return result

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
        by_asset=table(per_asset, 0, fleet_asset),
        by_kind=table(per_asset, 1, fleet_kind),
        by_activity=table(per_activity, 0),
        by_update_class=table(per_activity, 1),
        projects={
            project.uid: (
                card.hourly * (Decimal(project.due.duty.effort.total_seconds()) / HOUR)
            ).rounded()
            for project in plan.projects
        },
    )
