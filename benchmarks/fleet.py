"""A seeded synthetic fleet: a realistic mix of what an MSP maintains.

Per 1,000 assets: 20 hypervisors with 200 guests (a tenth of them test or
acceptance), 30 physical servers, 10 storage arrays, 10 firewalls in HA pairs,
5 routers, 30 switches, 20 access points, 450 workstations, 150 laptops, 50
applications depending on virtual servers, 10 cloud services and 10 backup
systems — plus three windows whose capacity grows with the fleet, and one office-hours
technician per 100 assets (an MSP's service desk).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from zoneinfo import ZoneInfo

from maintlib.model.inventory import Asset, Inventory, Organisation, PlanningSettings, Window
from maintlib.model.vocabulary import Criticality, Environment, Exposure

MIX = (
    ("hypervisor", 20),
    ("physical_server", 30),
    ("storage", 10),
    ("firewall", 10),
    ("router", 5),
    ("switch", 30),
    ("access_point", 20),
    ("workstation", 450),
    ("laptop", 150),
    ("cloud_service", 10),
    ("backup_system", 10),
)
GUESTS_PER_HOST = 10
#: The kinds the two server windows apply to.
SERVER_WINDOW_KINDS = (
    "hypervisor",
    "virtual_server",
    "physical_server",
    "storage",
    "application",
    "backup_system",
)
APPS_PER_THOUSAND = 50
#: Assets per office-hours technician.
TECHNICIAN_PER = 100
PRODUCTS = (
    ("Microsoft", "Windows Server"),
    ("Canonical", "Ubuntu Server"),
    ("Red Hat", "Enterprise Linux"),
)


def fleet(size: int, seed: int = 2027) -> Inventory:
    """About ``size`` assets (the mix rounded per thousand), reproducible by ``seed``."""
    rng = random.Random(seed)
    per_thousand = size / 1000
    assets: list[Asset] = []
    criticalities = list(Criticality)

    def make(asset_id: str, kind: str, **fields: object) -> Asset:
        vendor, product = rng.choice(PRODUCTS)
        return Asset(
            id=asset_id,
            kind=kind,
            vendor=vendor,
            product=product,
            criticality=rng.choice(criticalities),
            exposure=Exposure.INTERNET if rng.random() < 0.1 else Exposure.INTERNAL,
            failures_last_year=rng.choice((0, 0, 0, 1, 2)),
            **fields,  # type: ignore[arg-type]
        )

    servers: list[str] = []
    for kind, count in MIX:
        for index in range(round(count * per_thousand)):
            asset_id = f"{kind}-{index:06d}"
            fields: dict[str, object] = {}
            if kind == "firewall":
                fields["redundancy_group"] = f"fw-pair-{index // 2}"
            if kind in ("workstation", "laptop"):
                fields["auto_update"] = True
            assets.append(make(asset_id, kind, **fields))
            if kind == "hypervisor":
                for guest in range(GUESTS_PER_HOST):
                    ring = rng.random()
                    environment = (
                        Environment.TEST
                        if ring < 0.05
                        else Environment.ACCEPTANCE
                        if ring < 0.1
                        else Environment.PRODUCTION
                    )
                    guest_id = f"vm-{index:06d}-{guest:02d}"
                    assets.append(
                        make(
                            guest_id, "virtual_server", hosted_on=asset_id, environment=environment
                        )
                    )
                    servers.append(guest_id)
    for index in range(round(APPS_PER_THOUSAND * per_thousand)):
        targets = tuple(sorted(set(rng.sample(servers, k=min(2, len(servers))))))
        assets.append(make(f"app-{index:06d}", "application", depends_on=targets))
    capacity = Decimal(max(8, size // 20))
    windows = (
        Window(
            "weeknight",
            "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH",
            dt.time(22),
            dt.timedelta(hours=6),
            capacity,
            applies_to=SERVER_WINDOW_KINDS,
        ),
        Window(
            "weekend",
            "FREQ=WEEKLY;BYDAY=SA",
            dt.time(20),
            dt.timedelta(hours=10),
            capacity * 2,
            applies_to=SERVER_WINDOW_KINDS,
        ),
        Window(
            "network",
            "FREQ=WEEKLY;BYDAY=SU",
            dt.time(6),
            dt.timedelta(hours=4),
            capacity,
            applies_to=("firewall", "router", "switch", "access_point"),
        ),
    )
    organisation = Organisation(
        "Synthetic MSP", ZoneInfo("Europe/Amsterdam"), country="NL", users=size // 2
    )
    return Inventory(
        organisation=organisation,
        assets=assets,
        windows=windows,
        planning=PlanningSettings(technicians=max(1, size // TECHNICIAN_PER)),
    )
