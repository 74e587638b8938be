"""Hypothesis strategies shared by the test modules.

Fleet strategies (for the planner's guarantees) build :class:`Inventory` values
directly: a realistic mix of hypervisors with guests, HA pairs, dependency
chains, test/acceptance/production rings, several windows with capacities,
blackouts and time zones with and without DST.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

from maintlib.inventory import Asset, Blackout, Inventory, Organisation, PlanningSettings, Window
from maintlib.model import Criticality, Environment, Exposure

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
    for index in range(draw(st.integers(0, 4))):
        targets = draw(st.lists(st.sampled_from(ids), max_size=2, unique=True)) if ids else []
        app_id = f"app{index}"
        assets.append(
            _asset(draw, app_id, "application", depends_on=tuple(targets), window=window())
        )
        ids.append(app_id)
    for index in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(("workstation", "laptop", "backup_system", "cloud_service")))
        assets.append(
            _asset(draw, f"ep{index}", kind, auto_update=draw(st.sampled_from([None, True, False])))
        )
    return assets


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
    inventory = Inventory(
        organisation=organisation,
        assets=draw(fleet_assets([w.name for w in window_list])),
        windows=tuple(window_list),
        blackouts=tuple(draw(blackouts(start, zone))),
        planning=PlanningSettings(soak_days=draw(st.integers(0, 3))),
    )
    return inventory, start, months
