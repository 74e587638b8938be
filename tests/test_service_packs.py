"""Service packs only for products whose vendor ships them, over every installed pack.

The built-in pack (the article's update classes, §4) gives every server a yearly
service pack; a vendor pack that knows a product without service packs (Linux
distributions, Windows Server since 2012, SQL Server 2017 and later) switches it off.
This test builds, from the selectors of every installed pack's rules, one server per
product the packs name, and checks that none gets a service pack unless its vendor
ships them; and that no pack adds a service-pack rule of its own for another vendor.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from maintlib import duties
from maintlib.model.inventory import Asset, Inventory, Organisation
from maintlib.packs import Rule, UpdateClass, build_catalog, load_plugins

#: Vendors that shipped service packs for products still in the packs' tables (SQL
#: Server 2014 and 2016: KB 4041553 ends them from SQL Server 2017).
SHIPS_SERVICE_PACKS = ("Microsoft",)
SERVER_KINDS = ("physical_server", "virtual_server", "hypervisor")


def _plain(glob: str | None) -> str:
    return (glob or "").replace("*", "").strip()


def _server_for(rule: Rule, index: int) -> Asset | None:
    """A server the rule's selector names, or None when its globs are not plain names."""
    selector = rule.selector
    globs = (selector.vendor or "", selector.product or "", selector.version or "")
    if selector.product is None or any(c in g for g in globs for c in "[]?"):
        return None
    kinds = [k for k in selector.kinds if k in SERVER_KINDS] or (
        [] if selector.kinds else ["virtual_server"]
    )
    if not kinds:
        return None
    return Asset(
        id=f"a{index}",
        kind=kinds[0],
        vendor=_plain(selector.vendor),
        product=_plain(selector.product),
        version=_plain(selector.version),
        tags=selector.tags,
    )


def test_every_installed_packs_service_pack_rules_name_a_vendor_that_ships_them() -> None:
    catalog = build_catalog(load_plugins(environ={}))
    for rule in catalog.rules:
        if rule.pack == "builtin" or not rule.enabled:
            continue
        if rule.update_class is UpdateClass.SERVICE_PACK or rule.activity == "service-pack":
            assert any((rule.selector.vendor or "").startswith(v) for v in SHIPS_SERVICE_PACKS), (
                rule.key
            )


def test_no_server_of_a_vendor_without_service_packs_gets_one() -> None:
    catalog = build_catalog(load_plugins(environ={}))
    servers = [
        server
        for index, rule in enumerate(catalog.rules)
        if rule.pack != "builtin"
        and (server := _server_for(rule, index)) is not None
        and not server.vendor.startswith(SHIPS_SERVICE_PACKS)
    ]
    assert len({s.product for s in servers}) >= 5, "the installed packs name few products"
    inventory = Inventory(
        organisation=Organisation("Every pack", ZoneInfo("Europe/Amsterdam")), assets=servers
    )
    found = duties(inventory, plugins=catalog, as_of=dt.date(2027, 1, 1))
    service_packs = [
        f"{d.asset.product} {d.asset.version} ({d.rule.key})"
        for d in found.duties
        if d.asset is not None and d.rule.update_class is UpdateClass.SERVICE_PACK
    ]
    assert service_packs == [], "\n".join(service_packs)
