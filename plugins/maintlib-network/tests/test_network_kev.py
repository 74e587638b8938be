"""KEV entries reach the devices they name: FortiGate runs FortiOS, a Catalyst 9300 IOS
XE, an SRX Junos OS, a PA-Series PAN-OS (the pack's product families)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maintlib import Feeds, Plan, read_feeds
from maintlib.packs import Plugins, ProductFamily
from maintlib.testing import plan_document
from maintlib_network import FAMILIES

KEV = Path(__file__).parent / "data" / "kev-network.json"
#: A plan a month after the fixture's catalog (2025-08-25): every entry is known.
START = dt.date(2025, 9, 1)

Document = Callable[..., dict[str, Any]]
FIXTURE_SOFTWARE = {"fortios", "ios_xe", "ios", "junos", "pan-os"}


def device(asset_id: str, vendor: str, product: str, **extra: Any) -> dict[str, Any]:
    kind = "switch" if "Catalyst" in product else "firewall"
    return {"id": asset_id, "kind": kind, "vendor": vendor, "product": product, **extra}


DEVICES = [
    device("fw01", "Fortinet", "FortiGate 100F", redundancy_group="edge", exposure="internet"),
    device("fw02", "Fortinet", "FortiGate", redundancy_group="edge", exposure="internet"),
    device("sw01", "Cisco", "Catalyst 9300 IOS XE"),
    device("pa01", "Palo Alto Networks", "PA-3220", exposure="internet"),
    device("srx01", "Juniper Networks", "SRX345", exposure="internet"),
]


@pytest.fixture(scope="module")
def feeds() -> Feeds:
    return read_feeds(kev=KEV)


def planned(document: Document, network: Plugins, feeds: Feeds, *assets: dict[str, Any]) -> Plan:
    return plan_document(
        document(*assets),
        start=START,
        months=2,
        plugins=network,
        feeds=feeds,
        policies=("bod-26-04",),
    )


def test_every_device_gets_a_version_check_and_a_remediation(
    document: Document, network: Plugins, feeds: Feeds
) -> None:
    """Found: with the KEV catalog these inventories got no emergency work at all."""
    plan = planned(document, network, feeds, *DEVICES)
    uids = set(plan.tasks_by_uid())
    for asset in ("fw01", "fw02", "sw01", "pa01", "srx01"):
        for activity in ("version-check", "emergency-remediation", "remediation-verification"):
            assert f"{asset}.{activity}.kev-by-name" in uids, (asset, activity)
    exposures = plan.to_json()["vulnerabilities"]["exposures"]
    listed = {(e["asset"], e["cve"]) for e in exposures}
    assert listed == {
        ("fw01", "CVE-2023-27997"),
        ("fw01", "CVE-2024-21762"),
        ("fw02", "CVE-2023-27997"),
        ("fw02", "CVE-2024-21762"),
        ("sw01", "CVE-2018-0171"),
        ("sw01", "CVE-2023-20198"),
        ("sw01", "CVE-2023-20273"),
        ("pa01", "CVE-2024-3400"),
        ("srx01", "CVE-2023-36844"),
    }
    assert all(e["version_unknown"] for e in exposures)
    # Fortinet's "Multiple Products" names no product: reported, not guessed.
    unmatched = plan.to_json()["vulnerabilities"]["unmatched"]
    assert [u["cve"] for u in unmatched] == ["CVE-2022-40684"]


def test_the_version_is_checked_before_the_remediation_and_ha_members_one_at_a_time(
    document: Document, network: Plugins, feeds: Feeds
) -> None:
    plan = planned(document, network, feeds, *DEVICES[:2])
    tasks = plan.tasks_by_uid()
    for asset in ("fw01", "fw02"):
        check = tasks[f"{asset}.version-check.kev-by-name"]
        fix = tasks[f"{asset}.emergency-remediation.kev-by-name"]
        assert check.end <= fix.start
        assert check.duty.mode.value == "office_hours"
        assert fix.duty.downtime
        assert "CVE-2024-21762" in fix.duty.activity.description
    one, two = (tasks[f"{a}.emergency-remediation.kev-by-name"] for a in ("fw01", "fw02"))
    assert one.end <= two.start or two.end <= one.start


def test_a_known_fixed_version_with_a_record_is_not_matched(
    document: Document, network: Plugins, feeds: Feeds
) -> None:
    """A version no record excludes is the worst case; without a record it stays so."""
    plan = planned(
        document, network, feeds, device("fw01", "Fortinet", "FortiGate 60F", version="7.4.9")
    )
    exposures = plan.to_json()["vulnerabilities"]["exposures"]
    assert {e["cve"] for e in exposures} == {"CVE-2023-27997", "CVE-2024-21762"}
    assert "fw01.version-check.kev-by-name" in plan.tasks_by_uid()


def test_other_vendors_software_is_not_matched(
    document: Document, network: Plugins, feeds: Feeds
) -> None:
    """A Catalyst 2960 runs classic IOS: the IOS XE web UI entries are not its."""
    plan = planned(document, network, feeds, device("sw02", "Cisco", "Catalyst 2960X"))
    exposures = plan.to_json()["vulnerabilities"]["exposures"]
    assert {e["cve"] for e in exposures} == {"CVE-2018-0171"}  # "IOS and IOS XE"


def test_every_family_cites_its_source() -> None:
    for family in FAMILIES:
        assert re.search(r"https?://", family.citation), family.name
        assert family.citation.endswith(("(High)", "(Medium)")), family.name


def _spelling(pattern: str, data: st.DataObject) -> str:
    """A product name the glob matches: ``*`` a model suffix, ``[2-6]`` one of its digits."""
    text = re.sub(r"\[([^\]]*)\]", lambda m: m.group(1)[0], pattern)
    suffix = data.draw(st.sampled_from(["", " 100F", "-3220", "345", " 48P", "L-24T"]))
    return text.replace("*", suffix, 1).replace("*", "")


# The fixtures only build documents and plugins; nothing in them changes between inputs.
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_renaming_a_product_to_a_declared_alias_never_changes_the_findings(
    data: st.DataObject, document: Document, network: Plugins, feeds: Feeds
) -> None:
    family: ProductFamily = data.draw(
        # The families the fixture's KEV entries name (FortiOS, IOS XE, IOS, Junos, PAN-OS).
        st.sampled_from([f for f in FAMILIES if f.cpe[0].split(":")[1] in FIXTURE_SOFTWARE])
    )
    canonical = device("a1", family.vendor, family.software[0])
    alias = device(
        "a1",
        data.draw(st.sampled_from((family.vendor, *family.vendor_names))),
        _spelling(data.draw(st.sampled_from(family.products)), data),
    )

    def found(asset: dict[str, Any]) -> set[tuple[str, str | None]]:
        plan = planned(document, network, feeds, asset)
        return {(e["cve"], e["deadline"]) for e in plan.to_json()["vulnerabilities"]["exposures"]}

    assert found(alias) == found(canonical)
    assert found(canonical)
