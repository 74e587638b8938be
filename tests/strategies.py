"""Hypothesis strategies shared by the test modules.

Loader strategies (:func:`valid_inventories`, :func:`documents`,
:func:`mutated_documents`) build every section an inventory file can hold, for
round trips through TOML and JSON and for the loader's robustness.

Fleet strategies (for the planner's guarantees) build :class:`Inventory` values
directly: a realistic mix of hypervisors with guests, HA pairs, dependency
chains, test/acceptance/production rings, several windows with capacities,
blackouts and time zones with and without DST.
"""

from __future__ import annotations

import copy
import datetime as dt
import itertools
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import attrs
from hypothesis import strategies as st

from maintlib.loading.build import INVENTORY_PACK
from maintlib.loading.convert import TOP_LEVEL_KEYS
from maintlib.loading.document import to_document
from maintlib.model import limits
from maintlib.model.catalog import Catalog
from maintlib.model.cve import Vulnerability
from maintlib.model.inventory import (
    Asset,
    Blackout,
    BlackoutCalendar,
    Inventory,
    OfficeHours,
    Organisation,
    PlanningSettings,
    RecurringBlackout,
    RedundancyGroup,
    Window,
)
from maintlib.model.money import CostRange
from maintlib.model.plan import Plan, Task
from maintlib.model.rates import CostingSettings, DailyLabour, Fee, FeeBasis, TimeBand
from maintlib.model.risk import RiskWeights
from maintlib.model.rules import (
    Cadence,
    Deadlines,
    Once,
    Periodic,
    Released,
    Rule,
    RuleSpec,
    Scope,
    Selector,
    Step,
    StepKind,
)
from maintlib.model.vocabulary import (
    Category,
    Criticality,
    Environment,
    Exposure,
    GroupPolicy,
    Mode,
    Tier,
    UpdateClass,
)
from maintlib.pipeline import plan as make_plan
from maintlib.testing import REFERENCE_TIME

# ---------------------------------------------------------------------------
# Fleets for the planner
# ---------------------------------------------------------------------------

ZONES = ("Europe/Amsterdam", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "UTC")
WINDOW_RULES = (
    "FREQ=WEEKLY;BYDAY=SA",
    "FREQ=WEEKLY;BYDAY=TU,TH",
    "FREQ=DAILY",
    "FREQ=WEEKLY;BYDAY=SU",
    "FREQ=MONTHLY;BYDAY=1SA,3SA",
)
#: 02:30 falls in the spring-forward gap of Europe and New York.
WINDOW_STARTS = (dt.time(22), dt.time(2, 30), dt.time(19), dt.time(6), dt.time(13))
PRODUCTS = (("Microsoft", "Windows Server"), ("Canonical", "Ubuntu Server"), ("", ""))
SERVER_KINDS = ("hypervisor", "physical_server", "storage")


@st.composite
def windows(draw: st.DrawFn, zone: str) -> list[Window]:
    """One to three windows, each recurring at most daily and shorter than its gap."""
    count = draw(st.integers(1, 3))
    result = []
    for index in range(count):
        rule = draw(st.sampled_from(WINDOW_RULES))
        hours = draw(st.integers(1, 6))
        capacity = draw(st.one_of(st.none(), st.integers(1, 12).map(Decimal)))
        other_zone = draw(st.one_of(st.none(), st.sampled_from(ZONES).map(ZoneInfo)))
        applies = draw(
            st.lists(
                st.sampled_from(
                    (
                        "hypervisor",
                        "virtual_server",
                        "physical_server",
                        "firewall",
                        "switch",
                        "application",
                        "storage",
                    )
                ),
                max_size=4,
                unique=True,
            )
        )
        result.append(
            Window(
                name=f"w{index}",
                rrule=rule,
                start=draw(st.sampled_from(WINDOW_STARTS)),
                duration=dt.timedelta(hours=hours),
                capacity_hours=capacity,
                timezone=other_zone if other_zone and other_zone.key != zone else None,
                applies_to=tuple(applies),
            )
        )
    return result


@st.composite
def blackouts(draw: st.DrawFn, start: dt.date, zone: ZoneInfo) -> list[Blackout]:
    """Up to two blackouts inside the first months: whole days, or aware hours."""
    result = []
    for index in range(draw(st.integers(0, 2))):
        first = start + dt.timedelta(days=draw(st.integers(0, 80)))
        changes_only = draw(st.booleans())
        if draw(st.booleans()):
            last = first + dt.timedelta(days=draw(st.integers(0, 4)))
            result.append(Blackout(f"b{index}", first, last, "test", changes_only))
        else:
            begin = dt.datetime.combine(first, dt.time(draw(st.integers(0, 20))), tzinfo=zone)
            end = begin + dt.timedelta(hours=draw(st.integers(1, 30)))
            result.append(Blackout(f"b{index}", begin, end, "test", changes_only))
    return result


def _asset(draw: st.DrawFn, asset_id: str, kind: str, **fields: object) -> Asset:
    vendor, product = draw(st.sampled_from(PRODUCTS))
    return Asset(
        id=asset_id,
        kind=kind,
        vendor=vendor,
        product=product,
        criticality=draw(st.sampled_from(list(Criticality))),
        exposure=draw(st.sampled_from(list(Exposure))),
        environment=draw(
            st.sampled_from(
                [
                    Environment.PRODUCTION,
                    Environment.PRODUCTION,
                    Environment.TEST,
                    Environment.ACCEPTANCE,
                ]
            )
        ),
        failures_last_year=draw(st.integers(0, 6)),
        **fields,  # type: ignore[arg-type]
    )


@st.composite
def fleet_assets(draw: st.DrawFn, window_names: list[str]) -> list[Asset]:
    """Hosts with guests, HA pairs, dependency chains, network gear, endpoints."""
    assets: list[Asset] = []

    def window() -> str | None:
        return draw(st.one_of(st.none(), st.sampled_from(window_names)))

    for host in range(draw(st.integers(0, 2))):
        host_id = f"hv{host}"
        group = "cluster" if draw(st.booleans()) else None
        assets.append(_asset(draw, host_id, "hypervisor", window=window(), redundancy_group=group))
        for guest in range(draw(st.integers(0, 4))):
            assets.append(
                _asset(
                    draw, f"vm{host}-{guest}", "virtual_server", hosted_on=host_id, window=window()
                )
            )
    for pair in range(draw(st.integers(0, 2))):
        for node in ("a", "b"):
            assets.append(
                _asset(
                    draw,
                    f"fw{pair}{node}",
                    "firewall",
                    redundancy_group=f"ha{pair}",
                    window=window(),
                )
            )
    for index in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from((*SERVER_KINDS, "switch", "router", "access_point")))
        assets.append(_asset(draw, f"dev{index}", kind, window=window()))
    ids = [asset.id for asset in assets]
    servers = [a.id for a in assets if a.kind in ("virtual_server", *SERVER_KINDS)]
    for index in range(draw(st.integers(0, 4))):
        targets = draw(st.lists(st.sampled_from(ids), max_size=2, unique=True)) if ids else []
        app_id = f"app{index}"
        server = draw(st.one_of(st.none(), st.sampled_from(servers))) if servers else None
        assets.append(
            _asset(
                draw,
                app_id,
                "application",
                depends_on=tuple(targets),
                runs_on=server,
                window=window(),
            )
        )
        ids.append(app_id)
    for index in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(("workstation", "laptop", "backup_system", "cloud_service")))
        assets.append(
            _asset(draw, f"ep{index}", kind, auto_update=draw(st.sampled_from([None, True, False])))
        )
    # Owners, some of which have a team of their own (``[planning.teams]``).
    return [attrs.evolve(a, owner=draw(st.sampled_from(OWNERS))) for a in assets]


#: The owners fleets' assets have; ``""`` is no owner.
OWNERS = ("", "IT", "Finance")


@st.composite
def fleets(draw: st.DrawFn) -> tuple[Inventory, dt.date, int]:
    """A valid inventory with a horizon start (in 2027) and a length of 1–3 months."""
    zone_name = draw(st.sampled_from(ZONES))
    zone = ZoneInfo(zone_name)
    start = dt.date(2027, draw(st.integers(1, 12)), draw(st.sampled_from([1, 1, 15])))
    months = draw(st.integers(1, 3))
    window_list = draw(windows(zone_name))
    organisation = Organisation(
        name="Fleet",
        timezone=zone,
        country=draw(st.sampled_from([None, "NL"])) if zone_name == "Europe/Amsterdam" else None,
        users=10,
    )
    assets = draw(fleet_assets([w.name for w in window_list]))
    inventory = Inventory(
        organisation=organisation,
        assets=assets,
        windows=tuple(window_list),
        blackouts=tuple(draw(blackouts(start, zone))),
        redundancy_groups=tuple(draw(redundancy_groups(assets))),
        planning=PlanningSettings(
            soak_days=draw(st.integers(0, 3)),
            settle=dt.timedelta(minutes=draw(st.sampled_from([0, 15, 30]))),
            technicians=draw(st.integers(1, 3)),
            teams=draw(st.dictionaries(st.sampled_from(OWNERS[1:]), st.integers(1, 3))),
            lookahead_days=draw(st.sampled_from([0, 14, 92])),
        ),
    )
    return inventory, start, months


@st.composite
def redundancy_groups(draw: st.DrawFn, assets: list[Asset]) -> list[RedundancyGroup]:
    """Descriptions of some of the fleet's groups: policy, settle, live migration, primary."""
    members: dict[str, list[str]] = {}
    for asset in assets:
        if asset.redundancy_group:
            members.setdefault(asset.redundancy_group, []).append(asset.id)
    result = []
    for name in sorted(members):
        if draw(st.booleans()):
            continue
        result.append(
            RedundancyGroup(
                name,
                policy=draw(st.sampled_from(list(GroupPolicy))),
                settle=draw(st.sampled_from([None, dt.timedelta(minutes=5)])),
                live_migration=draw(st.booleans()) if name == "cluster" else False,
                primary=draw(st.one_of(st.none(), st.sampled_from(sorted(members[name])))),
            )
        )
    return result


# ---------------------------------------------------------------------------
# Valid inventories for the loader (round trips through TOML and JSON), and
# arbitrary documents for the loader's robustness
# ---------------------------------------------------------------------------

#: Zones with and without DST, southern-hemisphere DST, and a 45-minute offset.
LOAD_ZONES = (*ZONES, "Europe/London", "America/Sao_Paulo", "Pacific/Chatham")
#: Countries with a public-holiday calendar, and a subdivision of some.
HOLIDAY_REGIONS = ((None, None), ("NL", None), ("DE", "BY"), ("US", "CA"), ("GB", "SCT"))
CURRENCY_CODES = ("EUR", "USD", "GBP", "JPY", "KWD", "CHF")
#: Window recurrences and the shortest time between two of their occurrences
#: (None: at most one occurrence).
RECURRENCES: tuple[tuple[str, dt.timedelta | None], ...] = (
    ("FREQ=WEEKLY;BYDAY=SA", dt.timedelta(days=7)),
    ("FREQ=DAILY", dt.timedelta(days=1)),
    ("FREQ=WEEKLY;BYDAY=TU,TH", dt.timedelta(days=2)),
    ("FREQ=MONTHLY;BYDAY=1SA", dt.timedelta(days=28)),
    ("FREQ=WEEKLY;INTERVAL=2;BYDAY=SU", dt.timedelta(days=14)),
    ("FREQ=MONTHLY;BYMONTHDAY=15", dt.timedelta(days=28)),
    ("FREQ=WEEKLY;BYDAY=SA;UNTIL=20301231T235959Z", dt.timedelta(days=7)),
    ("FREQ=DAILY;COUNT=1", None),
)
#: An iCalendar file of closures, for ``[[blackouts]] ics = ...`` (write it beside
#: the document as :data:`CLOSURES_FILE`).
CLOSURES_FILE = "closures.ics"
CLOSURES = b"""BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//maintlib tests//closures//EN\r
BEGIN:VEVENT\r
UID:christmas@maintlib.test\r
DTSTAMP:20261101T090000Z\r
DTSTART;VALUE=DATE:20271224\r
DTEND;VALUE=DATE:20280101\r
SUMMARY:Christmas closure\r
RRULE:FREQ=YEARLY\r
END:VEVENT\r
END:VCALENDAR\r
"""
FIXED_OFFSETS = (
    dt.UTC,
    dt.timezone(dt.timedelta(hours=5, minutes=30)),
    dt.timezone(-dt.timedelta(hours=3)),
)


@attrs.frozen
class Vocabulary:
    """The names rule packs define that an inventory may use (a small repr, unlike a
    whole catalog's, for hypothesis's reports)."""

    kinds: tuple[str, ...]
    activities: tuple[str, ...]
    calendars: tuple[str, ...]
    rules: tuple[str, ...]
    #: Rate cards: (name, currency).
    profiles: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, catalog: Catalog) -> Vocabulary:
        return cls(
            tuple(sorted(catalog.kinds)),
            tuple(sorted(catalog.activities)),
            tuple(sorted(catalog.calendars)),
            tuple(rule.key for rule in catalog.rules),
            tuple((name, card.currency) for name, card in sorted(catalog.rate_cards.items())),
        )


texts = st.text(max_size=12)
identifiers = st.from_regex(r"[a-z0-9][a-z0-9._-]{0,10}", fullmatch=True)
amounts = st.decimals(min_value=0, max_value=10**9, allow_nan=False, allow_infinity=False)


def _up_to(limit: Decimal) -> st.SearchStrategy[Decimal]:
    """Decimals from 0 to one of the documented limits (``maintlib.model.limits``)."""
    return st.decimals(min_value=0, max_value=limit, allow_nan=False, allow_infinity=False)


money_amounts = _up_to(limits.MAX_AMOUNT)
positive_durations = st.integers(1, 3 * 86_400).map(lambda s: dt.timedelta(seconds=s))
cvss_vectors = st.builds(
    lambda *metrics: "CVSS:3.1/" + "/".join(metrics),
    *(
        st.sampled_from([f"{metric}:{value}" for value in values])
        for metric, values in (
            ("AV", "NALP"),
            ("AC", "LH"),
            ("PR", "NLH"),
            ("UI", "NR"),
            ("S", "UC"),
            ("C", "HLN"),
            ("I", "HLN"),
            ("A", "HLN"),
        )
    ),
)
vulnerabilities = st.builds(
    Vulnerability,
    st.from_regex(r"CVE-[0-9]{4}-[0-9]{4,7}", fullmatch=True),
    st.none() | cvss_vectors,
)


def _clock(minutes: int) -> dt.time:
    return dt.time(minutes // 60, minutes % 60)


def _span(draw: st.DrawFn) -> tuple[dt.time, dt.time | None]:
    """A start and a later end to the minute; an end of None is midnight (24:00)."""
    start = draw(st.integers(0, 24 * 60 - 2))
    end = draw(st.integers(start + 1, 24 * 60))
    return _clock(start), None if end == 24 * 60 else _clock(end)


@st.composite
def office_hours(draw: st.DrawFn) -> OfficeHours:
    """One span on each of one to seven weekdays; some end at 24:00."""
    spans = []
    for day in sorted(draw(st.lists(st.integers(0, 6), min_size=1, max_size=7, unique=True))):
        start, end = _span(draw)
        spans.append((day, start, dt.time.max if end is None else end))
    return OfficeHours(tuple(spans))


@st.composite
def organisations(draw: st.DrawFn) -> Organisation:
    country, subdivision = draw(st.sampled_from(HOLIDAY_REGIONS))
    return Organisation(
        name=draw(texts),
        timezone=ZoneInfo(draw(st.sampled_from(LOAD_ZONES))),
        country=country,
        subdivision=subdivision,
        currency=draw(st.sampled_from(CURRENCY_CODES)),
        users=draw(st.integers(0, 100_000)),
        office_hours=draw(office_hours()),
    )


@st.composite
def window_values(draw: st.DrawFn, name: str) -> Window:
    """A window shorter than the time between its occurrences; starts to the second
    or microsecond, in the organisation's zone or another one."""
    rrule, gap = draw(st.sampled_from(RECURRENCES))
    longest = int((gap or dt.timedelta(days=3)).total_seconds())
    return Window(
        name=name,
        rrule=rrule,
        start=draw(st.times()),
        duration=dt.timedelta(seconds=draw(st.integers(1, longest))),
        capacity_hours=draw(st.none() | _up_to(limits.MAX_CAPACITY_HOURS)),
        timezone=draw(st.none() | st.sampled_from(LOAD_ZONES).map(ZoneInfo)),
        applies_to=tuple(draw(st.lists(identifiers, max_size=3))),
    )


@st.composite
def blackout_values(draw: st.DrawFn) -> Blackout:
    """Whole days (both inclusive), or aware date-times at the offset of a fixed zone
    or of a zone with DST."""
    if draw(st.booleans()):
        first = draw(st.dates(dt.date(2020, 1, 1), dt.date(2040, 12, 31)))
        start: dt.date = first
        end: dt.date = first + dt.timedelta(days=draw(st.integers(0, 30)))
    else:
        zone = draw(st.sampled_from([*FIXED_OFFSETS, *map(ZoneInfo, LOAD_ZONES)]))
        begin = draw(
            st.datetimes(
                dt.datetime(2020, 1, 1), dt.datetime(2040, 12, 31), timezones=st.just(zone)
            )
        )
        # A file holds an offset, not a zone name: keep the offset the zone has then
        # (Python never finds a zone's date-time in a DST fold equal to another).
        begin = begin.astimezone(dt.timezone(begin.utcoffset() or dt.timedelta(0)))
        start = begin
        end = begin + dt.timedelta(seconds=draw(st.integers(1, 30 * 86_400)))
    return Blackout(draw(texts), start, end, draw(texts), draw(st.booleans()))


@st.composite
def asset_graphs(draw: st.DrawFn, kinds: tuple[str, ...], window_names: list[str]) -> list[Asset]:
    """Assets of the given kinds; ``hosted_on`` and ``depends_on`` only point at
    assets drawn earlier, so the graphs have no cycles and no hosting loops."""
    ids = draw(st.lists(identifiers, max_size=8, unique=True))
    assets = []
    for index, asset_id in enumerate(ids):
        earlier = st.sampled_from(ids[:index]) if index else st.nothing()
        depends_on = draw(st.lists(earlier, max_size=3, unique=True)) if index else []
        assets.append(
            Asset(
                id=asset_id,
                kind=draw(st.sampled_from(kinds)),
                name=draw(texts),
                vendor=draw(texts),
                product=draw(texts),
                version=draw(texts),
                criticality=draw(st.sampled_from(Criticality)),
                exposure=draw(st.sampled_from(Exposure)),
                environment=draw(st.sampled_from(Environment)),
                site=draw(texts),
                owner=draw(texts),
                auto_update=draw(st.none() | st.booleans()),
                window=draw(st.none() | st.sampled_from(window_names)) if window_names else None,
                hosted_on=draw(st.none() | earlier),
                depends_on=tuple(depends_on),
                redundancy_group=draw(st.none() | st.sampled_from(["edge", "cluster", "Core 1"])),
                failures_last_year=draw(st.integers(0, 1000)),
                value=draw(st.none() | amounts),
                tags=tuple(draw(st.lists(texts, max_size=3))),
                vulnerabilities=tuple(draw(st.lists(vulnerabilities, max_size=3))),
            )
        )
    return assets


def cadences(calendars: tuple[str, ...]) -> st.SearchStrategy[Cadence]:
    """Periodic, after a vendor's releases (when ``calendars``), or once."""
    dates = st.dates(dt.date(2024, 1, 1), dt.date(2035, 12, 31))
    options: list[st.SearchStrategy[Cadence]] = [
        st.sampled_from([r for r, _ in RECURRENCES] + ["FREQ=MONTHLY;INTERVAL=3"]).map(Periodic),
        st.builds(Once, dates, st.none() | dates),
    ]
    if calendars:
        months = st.lists(st.integers(1, 12), max_size=3, unique=True).map(tuple)
        options.append(st.builds(Released, st.sampled_from(calendars), st.integers(0, 30), months))
    return st.one_of(options)


@st.composite
def selectors(draw: st.DrawFn, kinds: tuple[str, ...]) -> Selector:
    return Selector(
        kinds=tuple(draw(st.lists(st.sampled_from(kinds), max_size=3))),
        categories=tuple(draw(st.lists(st.sampled_from(Category), max_size=2))),
        vendor=draw(st.none() | texts),
        product=draw(st.none() | texts),
        version=draw(st.none() | texts),
        tags=tuple(draw(st.lists(texts, max_size=2))),
        environments=tuple(draw(st.lists(st.sampled_from(Environment), max_size=2))),
        assets=tuple(draw(st.lists(identifiers, max_size=2))),
        redundant=draw(st.none() | st.booleans()),
    )


def rule_fields(names: Vocabulary) -> dict[str, st.SearchStrategy[Any]]:
    """A strategy per field of :class:`Rule` an inventory may write (never None)."""
    cadence = cadences(names.calendars)
    tiers = st.lists(st.sampled_from(Tier), unique=True, max_size=4).map(sorted)
    return {
        "id": identifiers,
        "activity": st.sampled_from(names.activities),
        "selector": selectors(names.kinds),
        "cadence": cadence,
        "duration": positive_durations,
        "mode": st.sampled_from(Mode),
        "update_class": st.sampled_from(UpdateClass),
        "deadlines": st.builds(Deadlines, *[st.integers(0, 365)] * 4),
        "downtime": st.booleans(),
        "steps": st.lists(st.builds(Step, st.sampled_from(StepKind), texts), max_size=3).map(tuple),
        "cadence_by_tier": tiers.flatmap(
            lambda chosen: st.tuples(*[st.tuples(st.just(t), cadence) for t in chosen])
        ),
        "scope": st.sampled_from(Scope),
        "citation": texts,
        "enabled": st.booleans(),
    }


@st.composite
def rule_specs(draw: st.DrawFn, names: Vocabulary) -> RuleSpec:
    """A whole inventory rule, or ``extends`` of a pack rule with changed fields."""
    fields = rule_fields(names)
    if draw(st.booleans()):
        values = {name: draw(strategy) for name, strategy in fields.items()}
        for optional in ("update_class", "deadlines"):
            values[optional] = draw(st.none() | st.just(values[optional]))
        return RuleSpec(rule=Rule(**values, pack=INVENTORY_PACK))
    # None cannot be written in TOML, so an extension never sets a field to None.
    changed = draw(st.lists(st.sampled_from(sorted(fields)), unique=True, max_size=4))
    changes = {name: draw(fields[name]) for name in changed}
    extends = draw(st.sampled_from(names.rules))
    return RuleSpec(extends=extends, changes=changes)


@st.composite
def risk_weights(draw: st.DrawFn) -> RiskWeights:
    weight = st.floats(min_value=0, max_value=1e9, allow_nan=False, allow_infinity=False)
    names = [f.name for f in attrs.fields(RiskWeights) if f.name not in ("p1", "p2", "p3")]
    values: dict[str, Any] = {name: draw(weight) for name in names}
    # The value factor divides by the reference value: more than zero.
    values["value_reference"] = draw(st.floats(min_value=1e-6, max_value=1e9))
    threshold = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False)
    p1, p2, p3 = sorted(draw(st.lists(threshold, min_size=3, max_size=3)), reverse=True)
    return RiskWeights(**values, p1=p1, p2=p2, p3=p3)


@st.composite
def cost_ranges(draw: st.DrawFn, currency: str) -> CostRange:
    low, high = sorted(draw(st.lists(money_amounts, min_size=2, max_size=2)))
    return CostRange(low, high, currency)


@st.composite
def week_bands(draw: st.DrawFn) -> tuple[TimeBand, ...]:
    """One to three bands that together cover every minute of the week once."""
    names = draw(st.lists(texts, min_size=1, max_size=3, unique=True))
    spans: dict[str, list[tuple[int, dt.time, dt.time | None]]] = {name: [] for name in names}
    for day in range(7):
        cuts = sorted(draw(st.sets(st.integers(1, 24 * 60 - 1), max_size=3)))
        for start, end in itertools.pairwise([0, *cuts, 24 * 60]):
            end_time = None if end == 24 * 60 else _clock(end)
            spans[draw(st.sampled_from(names))].append((day, _clock(start), end_time))
    return tuple(
        TimeBand(name, draw(_up_to(limits.MAX_FACTOR)), tuple(spans[name]), draw(st.booleans()))
        for name in names
    )


@st.composite
def costing_settings(draw: st.DrawFn, names: Vocabulary, currency: str) -> CostingSettings:
    money = cost_ranges(currency)
    kinds = st.lists(st.sampled_from(names.kinds), max_size=2).map(tuple)
    covers = st.lists(texts, max_size=2).map(tuple)
    fee = st.builds(Fee, texts, st.sampled_from(FeeBasis), money, kinds, covers)
    minutes = st.lists(_up_to(limits.MAX_DAILY_MINUTES), min_size=2, max_size=2).map(sorted)
    labour = st.builds(
        lambda name, low_high, cover: DailyLabour(name, low_high[0], low_high[1], covers=cover),
        texts,
        minutes,
        covers,
    )
    profile, card_currency = draw(st.sampled_from(names.profiles))
    return CostingSettings(
        profile=profile,
        # A card in another currency than the organisation's needs its hourly rate.
        hourly=draw(money if currency != card_currency else st.none() | money),
        bands=draw(st.just(()) | week_bands()),
        fees=tuple(draw(st.lists(fee, max_size=2))),
        daily_labour=tuple(draw(st.lists(labour, max_size=2))),
        minimum_billable=draw(st.none() | positive_durations),
        billing_increment=draw(st.none() | positive_durations),
        callout=draw(st.none() | money),
    )


@st.composite
def valid_inventories(draw: st.DrawFn, names: Vocabulary) -> Inventory:
    """Any valid inventory the loader can read, built as values (not as a document).

    Blackout calendars refer to :data:`CLOSURES_FILE` with :data:`CLOSURES` inside.
    """
    organisation = draw(organisations())
    window_names = draw(st.lists(identifiers, max_size=3, unique=True))
    calendar = st.builds(BlackoutCalendar, st.just(CLOSURES_FILE), st.just(CLOSURES), texts)
    calendars = tuple(draw(st.lists(calendar, max_size=1)))
    if draw(st.booleans()):
        first = draw(st.dates(dt.date(2020, 1, 1), dt.date(2040, 12, 31)))
        recurring = RecurringBlackout(
            draw(texts),
            first,
            first + dt.timedelta(days=draw(st.integers(0, 30))),
            draw(st.sampled_from(["FREQ=YEARLY", "FREQ=YEARLY;COUNT=3", "FREQ=MONTHLY"])),
            draw(texts),
            draw(st.booleans()),
        )
        calendars += (recurring.calendar(),)
    return Inventory(
        organisation=organisation,
        assets=draw(asset_graphs(names.kinds, window_names)),
        windows=tuple(draw(window_values(name)) for name in window_names),
        blackouts=tuple(draw(st.lists(blackout_values(), max_size=3))),
        blackout_calendars=calendars,
        rules=tuple(draw(st.lists(rule_specs(names), max_size=3))),
        risk=draw(st.none() | risk_weights()),
        planning=draw(
            st.builds(PlanningSettings, st.integers(0, limits.MAX_DAYS), positive_durations)
            | st.just(PlanningSettings())
        ),
        costing=draw(st.none() | costing_settings(names, organisation.currency)),
    )


#: Keys an inventory uses, so that random documents often hit a real section or field.
DOCUMENT_KEYS = st.sampled_from(
    sorted(
        {
            *TOP_LEVEL_KEYS,
            *(
                field.name
                for cl in (Asset, Organisation, Window, Blackout, Rule, Selector, CostingSettings)
                for field in attrs.fields(cl)
            ),
            "ics",
            "extends",
            "rrule",
            "calendar",
            "once",
            "P1",
        }
    )
)


def toml_scalars() -> st.SearchStrategy[Any]:
    """Every kind of value TOML can hold (no null)."""
    return st.one_of(
        st.booleans(),
        st.integers(-(2**63), 2**63 - 1),
        st.floats(),
        st.decimals(allow_nan=False),
        st.text(max_size=20),
        st.dates(),
        st.times(),
        st.datetimes(timezones=st.none() | st.sampled_from(FIXED_OFFSETS)),
        st.sampled_from(["FREQ=DAILY", "PT1H", "22:00", "2027-01-01", "firewall", "CVE-2024-1"]),
    )


def json_scalars() -> st.SearchStrategy[Any]:
    """Every kind of value JSON can hold, and big numbers."""
    return st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(),
        st.text(max_size=20),
        st.sampled_from(["FREQ=DAILY", "PT1H", "22:00", "2027-01-01", "2027-01-01T10:00:00Z"]),
    )


def documents(scalars: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    """Random nested tables and lists, keyed mostly by the inventory's own words."""
    keys = DOCUMENT_KEYS | st.text(max_size=8)
    values = st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
        max_leaves=25,
    )
    return st.dictionaries(keys, values, max_size=6)


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside ``value`` (keys and indexes), ``value`` itself first."""
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found.extend(_paths(item, (*path, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.extend(_paths(item, (*path, index)))
    return found


@st.composite
def mutated_documents(
    draw: st.DrawFn, names: Vocabulary, scalars: st.SearchStrategy[Any], *, json_safe: bool
) -> dict[str, Any]:
    """A valid inventory's document with one to three random changes: a value
    replaced by a random one, a key or item removed, or a key renamed."""
    document = copy.deepcopy(to_document(draw(valid_inventories(names)), json_safe=json_safe))
    replacement = documents(scalars) | scalars
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(_paths(document)[1:]))
        parent: Any = document
        for step in path[:-1]:
            parent = parent[step]
        action = draw(st.sampled_from(["replace", "remove", "rename"]))
        if action == "remove":
            del parent[path[-1]]
        elif action == "rename" and isinstance(parent, dict):
            parent[draw(DOCUMENT_KEYS | st.text(max_size=8))] = parent.pop(path[-1])
        else:
            parent[path[-1]] = draw(replacement)
    return document


# Text a feed must escape or fold with care: TEXT escapes, a literal "\N", quotes
# and carets (CN parameters), characters of two to four octets, and runs long
# enough to cross the 75-octet fold.
TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from("\\;,:\"^'’—éü€𝄞 ()<>@.N"),
        st.characters(blacklist_categories=("Cs", "Cc")),
    ),
    max_size=120,
).map(lambda text: text.strip())
OWNER_TEXTS = st.one_of(
    TEXT,
    st.builds(lambda name, user: f"{name} <{user}@example.org>", TEXT, st.sampled_from("abz")),
    st.sampled_from(["ops@example.org", "Jan, de Vries <jan@example.nl>", '"Q" <q@example.org>']),
)


@st.composite
def decorated(draw: st.DrawFn, catalog: Catalog) -> Plan:
    """A generated fleet with hard text, planned; some tasks made late."""
    inventory, start, months = draw(fleets())
    assets = [
        attrs.evolve(
            asset,
            name=draw(TEXT),
            site=draw(st.one_of(st.just(""), TEXT)),
            owner=draw(st.one_of(st.just(""), OWNER_TEXTS)),
        )
        for asset in inventory.assets
    ]
    organisation = attrs.evolve(inventory.organisation, name=draw(TEXT) or "Org")
    inventory = attrs.evolve(inventory, assets=assets, organisation=organisation)
    plan = make_plan(
        inventory, start=start, months=months, reference_time=REFERENCE_TIME, plugins=catalog
    )
    late = draw(st.sets(st.integers(0, max(0, len(plan.tasks) - 1)), max_size=5))
    return attrs.evolve(
        plan,
        tasks=tuple(
            _late(task, draw(TEXT)) if i in late else task for i, task in enumerate(plan.tasks)
        ),
    )


def _late(task: Task, detail: str) -> Task:
    due = attrs.evolve(task.due, deadline=task.start - dt.timedelta(hours=5, minutes=30))
    return attrs.evolve(task, due=due, late_detail=detail or "capacity")
