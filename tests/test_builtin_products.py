"""Issue 13 in the built-in pack: backup systems get updates; "per server" counts machines."""

from __future__ import annotations

from decimal import Decimal
from zoneinfo import ZoneInfo

from maintlib.costing.cost import quote
from maintlib.model.inventory import Asset, Inventory, Organisation
from maintlib.model.vocabulary import Mode, UpdateClass
from maintlib.packs.catalog import build_catalog
from maintlib.planning.apply import apply
from maintlib.testing import make_plugins

CATALOG = build_catalog(make_plugins())


def test_a_backup_system_gets_monthly_vendor_updates_in_a_window() -> None:
    nas = Asset("nas01", "backup_system", vendor="Synology", product="DS923+", version="7.2.2")
    inventory = Inventory(Organisation("X", ZoneInfo("Europe/Amsterdam")), assets=(nas,))
    (duty,) = [d for d in apply(inventory, CATALOG).duties if d.activity.name == "security-updates"]
    assert duty.rule.key == "builtin/backup-system-updates"
    assert duty.rule.update_class is UpdateClass.SECURITY
    assert duty.mode is Mode.WINDOW
    assert duty.downtime
    assert "synology.com" in duty.rule.citation
    assert "advisories" in duty.steps[0].text


def test_per_server_counts_hosts_and_physical_servers_not_vms() -> None:
    card = CATALOG.rate_cards["production"]
    counts = {"hypervisor": 2, "virtual_server": 6, "physical_server": 1}
    (server,) = [i for i in quote(card, users=40, counts=counts).items if "server" in i.name]
    assert server.monthly.low == Decimal(85) * 3
    assert server.monthly.high == Decimal(170) * 3
    fee = next(f for f in card.fees if f.name == "server maintenance")
    assert "virtual_server" in fee.covers


def test_the_summary_shows_covered_work_apart_from_billed_labour() -> None:
    import datetime as dt

    from maintlib.model.rates import CostingSettings
    from maintlib.outputs.report.render import render_summary
    from maintlib.pipeline import plan

    host = Asset("hv01", "hypervisor")
    vm = Asset("vm01", "virtual_server", hosted_on="hv01")
    inventory = Inventory(
        Organisation("X", ZoneInfo("Europe/Amsterdam"), users=25),
        assets=(host, vm),
        costing=CostingSettings("production"),
    )
    start = dt.date(2027, 1, 1)
    result = plan(
        inventory,
        start=start,
        months=1,
        reference_time=dt.datetime(2027, 1, 1, tzinfo=dt.UTC),
        plugins=CATALOG,
    )
    assert result.costs is not None
    covered = result.costs.covered
    # The server fee covers the host's and the VM's planned work: none of it is billed.
    assert {uid.split(".")[0] for uid in covered} == {"hv01", "vm01"}
    assert set(result.costs.by_asset) == {"organisation"}  # plan review, training: billed
    summary = render_summary(result)
    assert f"covered by the fees, not billed again: {len(covered)} tasks worth" in summary
