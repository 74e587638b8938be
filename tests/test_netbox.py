"""``maintlib import netbox``: NetBox 4.x API responses (the JSON of
``/api/dcim/devices/`` and ``/api/virtualization/virtual-machines/``) replayed by
pytest-httpserver and read with pynetbox; the inventories written pass
``maintlib check`` and plan.

A real NetBox is not installable from the package registry; the JSON follows
NetBox 4.x's REST API (``role`` on devices since 4.0, nested brief objects with
``id``, ``url``, ``display``, ``name``, ``slug``; ``status`` as value and label).
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from importers import assets_of, run
from maintlib.loading.dcim import ImportMapping, asset_id, map_records
from maintlib.model.errors import InputError

TOKEN = "0123456789abcdef0123456789abcdef01234567"


def brief(kind: str, number: int, name: str, slug: str | None = None) -> dict[str, Any]:
    return {
        "id": number,
        "url": f"http://netbox.invalid/api/{kind}/{number}/",
        "display": name,
        "name": name,
        "slug": slug or name.lower().replace(" ", "-"),
    }


SITE = brief("dcim/sites", 1, "Amsterdam DC", "ams")
ACME = brief("tenancy/tenants", 1, "Acme BV", "acme")
GLOBEX = brief("tenancy/tenants", 2, "Globex", "globex")
CLUSTER = brief("virtualization/clusters", 1, "cl-prod")
ACTIVE = {"value": "active", "label": "Active"}


def device(
    number: int,
    name: str,
    role: str,
    model: str,
    vendor: str,
    *,
    platform: str | None = None,
    cluster: dict[str, Any] | None = None,
    chassis: str | None = None,
    tenant: dict[str, Any] | None = ACME,
    status: dict[str, str] = ACTIVE,
    criticality: str | None = None,
    exposure: str | None = None,
    tags: tuple[str, ...] = (),
) -> dict[str, Any]:
    return {
        "id": number,
        "url": f"http://netbox.invalid/api/dcim/devices/{number}/",
        "display": name,
        "name": name,
        "device_type": {
            "id": number,
            "url": f"http://netbox.invalid/api/dcim/device-types/{number}/",
            "display": model,
            "manufacturer": brief("dcim/manufacturers", number, vendor),
            "model": model,
            "slug": model.lower().replace(" ", "-"),
        },
        "role": brief("dcim/device-roles", number, role.title(), role),
        "tenant": tenant,
        "platform": brief("dcim/platforms", number, platform) if platform else None,
        "serial": "",
        "site": SITE,
        "location": None,
        "rack": None,
        "status": status,
        "cluster": cluster,
        "virtual_chassis": brief("dcim/virtual-chassis", 1, chassis) if chassis else None,
        "vc_position": 1 if chassis else None,
        "primary_ip": None,
        "tags": [{**brief("extras/tags", i, tag), "color": "9e9e9e"} for i, tag in enumerate(tags)],
        "custom_fields": {
            "maintlib_criticality": criticality,
            "maintlib_exposure": exposure,
        },
        "created": "2026-01-05T10:00:00.000000Z",
        "last_updated": "2026-11-20T09:30:00.000000Z",
    }


def vm(
    number: int,
    name: str,
    platform: str,
    tenant: dict[str, Any],
    *,
    host: dict[str, Any] | None = None,
    criticality: str | None = None,
) -> dict[str, Any]:
    return {
        "id": number,
        "url": f"http://netbox.invalid/api/virtualization/virtual-machines/{number}/",
        "display": name,
        "name": name,
        "status": ACTIVE,
        "site": SITE,
        "cluster": CLUSTER,
        "device": host,
        "role": None,
        "tenant": tenant,
        "platform": brief("dcim/platforms", 100 + number, platform),
        "primary_ip": None,
        "vcpus": 4.0,
        "memory": 8192,
        "disk": 100,
        "tags": [],
        "custom_fields": {"maintlib_criticality": criticality, "maintlib_exposure": None},
        "created": "2026-01-05T10:00:00.000000Z",
        "last_updated": "2026-11-20T09:30:00.000000Z",
    }


DEVICES = [
    *(
        device(
            number,
            name,
            "hypervisor",
            "PowerEdge R750",
            "Dell",
            platform="Windows Server 2022",
            cluster=CLUSTER,
            criticality="high",
        )
        for number, name in ((1, "HV01"), (2, "HV02"))
    ),
    *(
        device(
            number,
            name,
            "firewall",
            "FortiGate 100F",
            "Fortinet",
            platform="FortiOS",
            chassis="fw-ha",
            criticality="critical",
            exposure="internet",
            tags=("edge",),
        )
        for number, name in ((3, "fw01"), (4, "fw02"))
    ),
    device(5, "sw-core-1", "leaf", "C9300-48P", "Cisco", platform="IOS XE", tenant=GLOBEX),
    device(
        6,
        "old-sw",
        "leaf",
        "C2960",
        "Cisco",
        status={"value": "decommissioning", "label": "Decommissioning"},
    ),
]
MACHINES = [
    vm(11, "app01", "Windows Server 2019", ACME, criticality="medium"),
    vm(12, "db01.globex", "Ubuntu 22.04", GLOBEX, host=brief("dcim/devices", 2, "HV02")),
    vm(13, "web01", "Ubuntu 24.04", ACME),
]


def page(results: list[dict[str, Any]]) -> dict[str, Any]:
    return {"count": len(results), "next": None, "previous": None, "results": results}


@pytest.fixture
def netbox(httpserver: HTTPServer) -> str:
    auth = {"Authorization": f"Token {TOKEN}"}
    httpserver.expect_request("/api/dcim/devices/", headers=auth).respond_with_json(page(DEVICES))
    httpserver.expect_request(
        "/api/virtualization/virtual-machines/", headers=auth
    ).respond_with_json(page(MACHINES))
    httpserver.expect_request("/api/dcim/devices/").respond_with_json(
        {"detail": "Invalid token"}, status=403
    )
    return httpserver.url_for("/")


BASE = """
[organisation]
name = "Acme BV"
timezone = "Europe/Amsterdam"

[[windows]]
name = "sunday-early"
start = "05:00"
duration = "PT5H"
rrule = "FREQ=WEEKLY;BYDAY=SU"
applies_to = ["hypervisor", "firewall", "switch", "virtual_server"]

[import]
criticality_field = "maintlib_criticality"
exposure_field = "maintlib_exposure"

[import.kinds]
leaf = "switch"
"""


def test_import_maps_devices_vms_clusters_chassis_and_tenants(
    netbox: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NETBOX_TOKEN", TOKEN)
    inventory = tmp_path / "inventory.toml"
    inventory.write_text(BASE, encoding="utf-8")
    code, out, err = run(capsys, "import", "netbox", netbox, "-o", inventory)
    assert code == 0, err
    assert "8 assets from 6 devices and 3 virtual machines" in out
    assets = assets_of(inventory)
    assert set(assets) == {
        "hv01",
        "hv02",
        "fw01",
        "fw02",
        "sw-core-1",
        "app01",
        "db01.globex",
        "web01",
    }
    assert assets["hv01"] == {
        "id": "hv01",
        "name": "HV01",
        "kind": "hypervisor",
        "vendor": "Dell",
        "product": "PowerEdge R750",
        "os": "Windows Server 2022",
        "redundancy_group": "cl-prod",
        "site": "Amsterdam DC",
        "tags": ["tenant:acme"],
        "criticality": "high",
    }
    assert assets["fw01"]["redundancy_group"] == assets["fw02"]["redundancy_group"] == "fw-ha"
    assert assets["fw01"]["exposure"] == "internet"
    assert assets["fw01"]["tags"] == ["edge", "tenant:acme"]
    assert assets["sw-core-1"]["kind"] == "switch"  # [import.kinds] leaf = "switch"
    assert assets["db01.globex"]["hosted_on"] == "hv02"  # the VM's device
    assert "hosted_on" not in assets["app01"]  # a cluster of two: no single host
    assert assets["app01"]["kind"] == "virtual_server"
    assert assets["app01"]["product"] == assets["app01"]["os"] == "Windows Server 2019"
    assert "vendor" not in assets["app01"]
    assert "old-sw" not in assets  # decommissioning
    document = tomllib.loads(inventory.read_text(encoding="utf-8"))
    assert document["windows"][0]["name"] == "sunday-early"  # the person's sections stay
    assert document["import"]["kinds"] == {"leaf": "switch"}
    code, _, err = run(capsys, "check", inventory)
    assert code == 0, err
    plan_json = tmp_path / "plan.json"
    code, _, err = run(
        capsys, "plan", inventory, "--start", "2027-01-01", "--months", "1", "--json", plan_json
    )
    assert code == 0, err
    # The Dell host and the VM run Windows Server: the Microsoft pack's Patch Tuesday
    # rules find them through ``os`` (no vendor Microsoft on either).
    plan = json.loads(plan_json.read_text(encoding="utf-8"))
    packs = {
        task["asset"]: plan["sources"][task["source"]]["pack"]
        for task in plan["tasks"]
        if task["activity"] == "security-updates" and task["asset"] in ("hv01", "app01")
    }
    assert packs == {"hv01": "microsoft", "app01": "microsoft"}


def test_per_tenant_inventories_bring_their_vms_hosts(
    netbox: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NETBOX_TOKEN", TOKEN)
    for tenant, expected in {
        "acme": {"hv01", "hv02", "fw01", "fw02", "app01", "web01"},
        "globex": {"sw-core-1", "db01.globex", "hv02"},
    }.items():
        inventory = tmp_path / f"{tenant}.toml"
        inventory.write_text(BASE, encoding="utf-8")
        code, _, err = run(capsys, "import", "netbox", netbox, "-o", inventory, "--tenant", tenant)
        assert code == 0, err
        assert set(assets_of(inventory)) == expected
        assert run(capsys, "check", inventory)[0] == 0


def test_a_new_inventory_needs_organisation_and_timezone(
    netbox: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NETBOX_TOKEN", TOKEN)
    inventory = tmp_path / "new.toml"
    code, _, err = run(capsys, "import", "netbox", netbox, "-o", inventory)
    assert code == 2
    assert "--organisation is needed" in err
    assert not inventory.exists()
    code, _, err = run(
        capsys,
        "import",
        "netbox",
        netbox,
        "-o",
        inventory,
        "--organisation",
        "Acme BV",
        "--timezone",
        "Europe/Amsterdam",
    )
    # Without [import.kinds] the "leaf" role maps to nothing: located, exit 2.
    assert code == 2
    assert "device 'sw-core-1' (id 5): no asset kind for role 'leaf'" in err
    assert not inventory.exists()


def test_a_refused_token_is_a_clear_error(
    netbox: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NETBOX_TOKEN", "wrong")
    inventory = tmp_path / "inventory.toml"
    inventory.write_text(BASE, encoding="utf-8")
    code, _, err = run(capsys, "import", "netbox", netbox, "-o", inventory)
    assert code == 1
    assert "403" in err
    assert "Traceback" not in err
    assert inventory.read_text(encoding="utf-8") == BASE


def test_the_mapping_section_is_checked() -> None:
    with pytest.raises(InputError, match=r"import\.kind: unknown key"):
        ImportMapping.from_section({"kind": {}}, "inventory.toml")
    with pytest.raises(InputError, match=r"import\.kinds: must be a table of strings"):
        ImportMapping.from_section({"kinds": {"leaf": 3}}, "inventory.toml")


def test_ids_and_duplicates() -> None:
    assert asset_id("HV01") == "hv01"
    assert asset_id("db01 (Globex)") == "db01-globex"
    twins = [DEVICES[2], {**DEVICES[2], "id": 99, "name": "FW01"}]
    assets, problems = map_records(twins, [], ImportMapping())
    assert [a["id"] for a in assets] == ["fw01"]
    assert "taken by another record" in str(problems[0])


def test_the_replayed_json_is_netbox_4_shaped() -> None:
    # Field names of NetBox 4.x's device serializer that the mapping reads.
    for record in DEVICES:
        assert {
            "role",
            "device_type",
            "platform",
            "site",
            "tenant",
            "cluster",
            "virtual_chassis",
            "status",
            "tags",
            "custom_fields",
        } <= set(record)
        assert "device_role" not in record  # renamed to role in NetBox 4.0
    json.dumps(page(DEVICES))


def test_a_new_inventory_gets_an_import_section(
    netbox: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Without [import] in the base the defaults are written (they once were attrs' slot
    # descriptors, which tomli-w cannot write).
    monkeypatch.setenv("NETBOX_TOKEN", TOKEN)
    inventory = tmp_path / "new.toml"
    new = ("--organisation", "Acme BV", "--timezone", "Europe/Amsterdam", "--tenant", "acme")
    code, _, err = run(capsys, "import", "netbox", netbox, "-o", inventory, *new)
    assert code == 0, err
    document = tomllib.loads(inventory.read_text(encoding="utf-8"))
    assert document["import"]["criticality_field"] == "maintlib_criticality"
