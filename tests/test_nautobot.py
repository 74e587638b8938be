"""``maintlib import nautobot``: Nautobot API responses replayed by pytest-httpserver
and read with pynautobot; the inventories written pass ``maintlib check`` and plan.

The JSON under ``tests/data/nautobot/`` was recorded from a real Nautobot 3.2.7 (the
server :func:`servers.nautobot_server` starts, populated as in
``tests/test_nautobot_server.py``), its host replaced by ``nautobot.invalid``:
``/api/dcim/devices/?depth=1``, ``/api/virtualization/virtual-machines/?depth=1``,
``/api/dcim/device-types/?depth=1``, ``/api/dcim/device-cluster-assignments/`` and
``/api/virtualization/clusters/``. Nautobot 2.x's shape (a device's ``cluster``
field, tags) is built by hand below.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from importers import assets_of, run
from maintlib.loading.dcim import ImportMapping, map_records
from maintlib.loading.nautobot import normalise, slug

TOKEN = "0123456789abcdef0123456789abcdef01234567"
RECORDED = Path(__file__).parent / "data" / "nautobot"
ENDPOINTS = {
    "/api/dcim/devices/": ("devices", {"depth": "1"}),
    "/api/virtualization/virtual-machines/": ("virtual-machines", {"depth": "1"}),
    "/api/dcim/device-types/": ("device-types", {"depth": "1"}),
    "/api/dcim/device-cluster-assignments/": ("device-cluster-assignments", None),
    "/api/virtualization/clusters/": ("clusters", None),
}


def recorded(name: str) -> dict[str, Any]:
    page: dict[str, Any] = json.loads((RECORDED / f"{name}.json").read_text(encoding="utf-8"))
    return page


def serve(httpserver: HTTPServer, **pages: dict[str, Any]) -> str:
    """The recorded pages (or ``pages``, by name with ``_`` for ``-``) at their endpoints."""
    auth = {"Authorization": f"Token {TOKEN}"}
    for uri, (name, query) in ENDPOINTS.items():
        page = pages.get(name.replace("-", "_")) or recorded(name)
        httpserver.expect_request(uri, query_string=query, headers=auth).respond_with_json(page)
    httpserver.expect_request("/api/dcim/devices/").respond_with_json(
        {"detail": "Invalid token."}, status=403
    )
    return httpserver.url_for("/")


@pytest.fixture
def nautobot(httpserver: HTTPServer) -> str:
    return serve(httpserver)


NEW = ("--organisation", "Acme BV", "--timezone", "Europe/Amsterdam")


def test_import_maps_recorded_nautobot_3_records(
    nautobot: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NAUTOBOT_TOKEN", TOKEN)
    inventory = tmp_path / "inventory.toml"
    code, out, err = run(capsys, "import", "nautobot", nautobot, "-o", inventory, *NEW)
    assert code == 0, err
    assert "8 assets from 6 devices and 3 virtual machines" in out
    assets = assets_of(inventory)
    assert set(assets) == {"fw01", "fw02", "hv01", "hv02", "hv03", "app01", "web01", "db01"}
    assert assets["fw01"] == {
        "id": "fw01",
        "name": "fw01",
        "kind": "firewall",  # role "Firewall"
        "vendor": "Fortinet",  # from /api/dcim/device-types/
        "product": "FortiGate 100F",
        "os": "FortiOS",
        "version": "7.2.5",  # software_version
        "redundancy_group": "fw-ha",  # virtual chassis
        "site": "Amsterdam DC",  # location
        "tags": ["tenant:acme-bv"],
        "criticality": "critical",
    }
    assert assets["fw02"]["redundancy_group"] == "fw-ha"
    # Nautobot 3: clusters by device-cluster assignment.
    assert assets["hv01"]["redundancy_group"] == assets["hv02"]["redundancy_group"] == "hv-prod"
    assert "redundancy_group" not in assets["hv03"]
    assert assets["db01"]["hosted_on"] == "hv03"  # the only device of hv-branch
    assert "hosted_on" not in assets["app01"]  # hv-prod has two
    assert assets["app01"]["kind"] == "virtual_server"
    assert assets["app01"]["product"] == "Ubuntu 24.04"
    assert assets["hv01"]["criticality"] == "high"
    assert "old-fw" not in assets  # Decommissioning
    document = tomllib.loads(inventory.read_text(encoding="utf-8"))
    assert document["import"] == {
        "kinds": {},
        "criticality_field": "maintlib_criticality",
        "exposure_field": "maintlib_exposure",
    }
    code, _, err = run(capsys, "check", inventory)
    assert code == 0, err
    code, _, err = run(capsys, "plan", inventory, "--start", "2027-01-01", "--months", "1")
    assert code == 0, err


def test_a_tenant_filter_takes_the_slug_of_the_name(
    nautobot: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MY_TOKEN", TOKEN)
    inventory = tmp_path / "acme.toml"
    args = ("import", "nautobot", nautobot, "-o", inventory, "--token-env", "MY_TOKEN", *NEW)
    code, _, err = run(capsys, *args, "--tenant", "acme-bv")
    assert code == 0, err
    assert len(assets_of(inventory)) == 8
    other = tmp_path / "globex.toml"
    code, _, err = run(capsys, *args[:4], other, *args[5:], "--tenant", "globex")
    assert code == 0, err
    assert assets_of(other) == {}


def test_a_refused_token_is_a_clear_error(
    nautobot: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NAUTOBOT_TOKEN", "wrong")
    inventory = tmp_path / "inventory.toml"
    code, _, err = run(capsys, "import", "nautobot", nautobot, "-o", inventory, *NEW)
    assert code == 1
    assert "Nautobot answered" in err
    assert "403" in err
    assert "Traceback" not in err
    assert not inventory.exists()


def test_an_unreachable_server_is_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from servers import free_port

    monkeypatch.setenv("NAUTOBOT_TOKEN", TOKEN)
    inventory = tmp_path / "inventory.toml"
    url = f"http://127.0.0.1:{free_port()}"
    code, _, err = run(capsys, "import", "nautobot", url, "-o", inventory, *NEW)
    assert code == 1
    assert url in err
    assert "Traceback" not in err
    assert not inventory.exists()


def brief(name: str, **fields: Any) -> dict[str, Any]:
    return {
        "id": f"uuid-{slug(name)}",
        "object_type": "x.y",
        "display": name,
        "name": name,
        **fields,
    }


def nautobot_2_device(name: str, role: str, **fields: Any) -> dict[str, Any]:
    """A device as Nautobot 2.x serialises it at depth 1 (``cluster`` a field)."""
    return {
        "id": f"uuid-{name}",
        "display": name,
        "name": name,
        "device_type": {"id": "uuid-c9300", "model": "C9300-48P", "manufacturer": {"id": "m"}},
        "status": brief("Active", color="4caf50"),
        "role": brief(role, color="9e9e9e"),
        "tenant": brief("Globex Corp."),
        "platform": brief("Cisco IOS XE", network_driver="cisco_xe"),
        "location": brief("Rotterdam"),
        "cluster": None,
        "virtual_chassis": None,
        "device_redundancy_group": None,
        "tags": [brief("Edge Site", color="9e9e9e")],
        "custom_fields": {"maintlib_exposure": "Internal"},
        **fields,
    }


def test_nautobot_2_records_and_redundancy_groups() -> None:
    devices = [
        nautobot_2_device("sw-a", "Core Switch", device_redundancy_group=brief("core-pair")),
        nautobot_2_device("sw-b", "Core Switch", device_redundancy_group=brief("core-pair")),
        nautobot_2_device("esx1", "Hypervisor", cluster=brief("solo")),
        nautobot_2_device("sw-old", "Core Switch", status=brief("Decommissioning")),
    ]
    machines = [
        {
            "id": "uuid-vm",
            "name": "vm1",
            "status": brief("Active"),
            "cluster": brief("solo"),
            "platform": brief("Debian 12"),
            "tenant": None,
            "role": None,
            "tags": [],
            "custom_fields": {},
        }
    ]
    types = [{"id": "uuid-c9300", "model": "C9300-48P", "manufacturer": brief("Cisco")}]
    netbox_devices, netbox_machines = normalise(devices, machines, device_types=types)
    assets, problems = map_records(netbox_devices, netbox_machines, ImportMapping())
    assert problems == []
    by_id = {asset["id"]: asset for asset in assets}
    assert set(by_id) == {"sw-a", "sw-b", "esx1", "vm1"}
    assert by_id["sw-a"] == {
        "id": "sw-a",
        "name": "sw-a",
        "kind": "switch",  # "Core Switch" → core-switch
        "vendor": "Cisco",
        "product": "C9300-48P",
        "os": "Cisco IOS XE",
        "redundancy_group": "core-pair",  # device redundancy group
        "site": "Rotterdam",
        "tags": ["edge-site", "tenant:globex-corp"],
        "exposure": "internal",
    }
    assert by_id["esx1"]["kind"] == "hypervisor"
    assert by_id["vm1"]["hosted_on"] == "esx1"


def test_a_role_nothing_maps_is_located(
    httpserver: HTTPServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    devices = recorded("devices")
    fw01 = next(record for record in devices["results"] if record["name"] == "fw01")
    fw01["role"]["name"] = "Edge Box"
    url = serve(httpserver, devices=devices)
    monkeypatch.setenv("NAUTOBOT_TOKEN", TOKEN)
    inventory = tmp_path / "inventory.toml"
    base = '[organisation]\nname = "Acme BV"\ntimezone = "UTC"\n'
    inventory.write_text(base, encoding="utf-8")
    code, _, err = run(capsys, "import", "nautobot", url, "-o", inventory)
    assert code == 2
    assert f"nautobot: device 'fw01' (id {fw01['id']}): no asset kind for role 'edge-box'" in err
    assert inventory.read_text(encoding="utf-8") == base
    inventory.write_text(base + '\n[import.kinds]\nedge-box = "firewall"\n', encoding="utf-8")
    code, _, err = run(capsys, "import", "nautobot", url, "-o", inventory)
    assert code == 0, err
    assert assets_of(inventory)["fw01"]["kind"] == "firewall"


def test_slugs_as_django_makes_them() -> None:
    assert slug("Core Switch") == "core-switch"
    assert slug("Acme BV") == "acme-bv"
    assert slug("Globex Corp.") == "globex-corp"
    assert slug("  Zürich -- DC_1 ") == "zurich-dc_1"
