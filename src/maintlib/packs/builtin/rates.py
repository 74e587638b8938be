"""The built-in pack's rate cards: the article's labour rate, time bands and the fees
of its three example companies (§7)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from maintlib.model.money import CostRange
from maintlib.model.rates import DailyLabour, Fee, FeeBasis, RateCard, TimeBand
from maintlib.packs.builtin.common import ARTICLE, NETWORK, PHYSICAL_SERVERS, SERVERS
from maintlib.packs.hookspecs import hookimpl

_T = dt.time


def _span(
    days: range | Sequence[int], start: _T, end: _T | None
) -> tuple[tuple[int, _T, _T | None], ...]:
    return tuple((day, start, end) for day in days)


WEEKDAYS = range(5)


#: The default bands: article §7 says "150% or 200%" outside office hours; the split
#: between them is maintlib's documented default (docs/costing.md).
DEFAULT_BANDS = (
    TimeBand("holiday", Decimal(2), holidays=True),
    TimeBand("office", Decimal(1), _span(WEEKDAYS, _T(8), _T(18))),
    TimeBand(
        "evening", Decimal("1.5"), _span(WEEKDAYS, _T(6), _T(8)) + _span(WEEKDAYS, _T(18), _T(22))
    ),
    TimeBand("night", Decimal(2), _span(WEEKDAYS, _T(0), _T(6)) + _span(WEEKDAYS, _T(22), None)),
    TimeBand("weekend", Decimal(2), _span((5, 6), _T(0), None)),
)


HOURLY = CostRange(Decimal(85), Decimal(140), "EUR")


COST_SOURCE = f"{ARTICLE} §7"


def _fee(
    name: str,
    basis: FeeBasis,
    low: str,
    high: str,
    covers: Sequence[str] = (),
    kinds: Sequence[str] = (),
) -> Fee:
    return Fee(
        name,
        basis,
        CostRange(Decimal(low), Decimal(high), "EUR"),
        kinds=tuple(kinds),
        covers=tuple(covers),
        citation=COST_SOURCE,
    )


@hookimpl
def maintlib_rate_cards() -> Sequence[RateCard]:
    """The article's labour rate and its three example companies (§7).

    The article's fees are managed services: the maintenance of what they name
    is included, so the planned tasks on those assets are marked as covered and
    not charged again as labour (docs/costing.md).
    """
    per_user, per_server = FeeBasis.PER_USER_MONTH, FeeBasis.PER_SERVER_MONTH
    flat, yearly = FeeBasis.FLAT_MONTH, FeeBasis.PER_YEAR
    endpoints = ("workstation", "laptop")
    # Done on the days the backup check runs (its rule: every working day).
    backup = DailyLabour(
        "backup management",
        Decimal(5),
        Decimal(15),
        covers=("backup-check",),
        citation=COST_SOURCE,
        weekdays=tuple(WEEKDAYS),
    )
    cloud = _fee(
        "cloud services (licences included)",
        per_user,
        "79.95",
        "79.95",
        covers=("cloud_service", *endpoints),
    )
    network = _fee("firewall, switches, access points", flat, "85", "170", covers=NETWORK)

    def card(
        name: str,
        description: str,
        fees: tuple[Fee, ...],
        daily: tuple[DailyLabour, ...] = (),
        users: tuple[int, int | None] | None = None,
        servers_on_site: bool | None = None,
    ) -> RateCard:
        return RateCard(
            name,
            HOURLY,
            DEFAULT_BANDS,
            fees=fees,
            daily_labour=daily,
            description=description,
            citation=COST_SOURCE,
            users=users,
            servers_on_site=servers_on_site,
        )

    return [
        card("default", "Labour only: EUR 85–140 an hour, with surcharges", ()),
        card(
            "smb-cloud",
            "SMB, 5–25 workplaces, all cloud",
            (cloud, network),
            users=(5, 25),
            servers_on_site=False,
        ),
        card(
            "production",
            "Production company, 25 workplaces, servers on site",
            # "Per server" counts the machines: physical servers and hypervisor hosts.
            # The fee pays for the maintenance of what runs on them too, so the
            # virtual servers are covered, not counted (docs/costing.md).
            (
                _fee(
                    "server maintenance",
                    per_server,
                    "85",
                    "170",
                    covers=SERVERS,
                    kinds=PHYSICAL_SERVERS,
                ),
                cloud,
                network,
            ),
            (backup,),
            users=(25, 25),
            servers_on_site=True,
        ),
        card(
            "tech",
            "Technology company, 150+ workplaces, sensitive data",
            (
                _fee(
                    "maintenance of all servers and workplaces",
                    flat,
                    "5000",
                    "30000",
                    covers=(*SERVERS, *endpoints),
                ),
                _fee("managed service (on-site and remote support)", per_user, "35", "60"),
                _fee("backup management", yearly, "4000", "10000", covers=("backup_system",)),
                _fee("firewall management", yearly, "8000", "20000", covers=("firewall",)),
                _fee("switch management", yearly, "5000", "10000", covers=("switch",)),
                _fee("access point management", yearly, "1000", "5000", covers=("access_point",)),
            ),
            users=(150, None),
        ),
    ]
