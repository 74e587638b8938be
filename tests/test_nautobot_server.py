"""``maintlib import nautobot`` against a real Nautobot (``make nautobot``: nautobot
from PyPI in ``.nautobot-venv``, PostgreSQL and Redis from Debian's packages),
populated through its REST API with pynautobot.

One test, so that under ``pytest -n auto`` one worker starts the server: its
``migrate`` takes minutes. Without the server's parts it fails, telling what to
install; ``MAINTLIB_SKIP_NAUTOBOT=1`` skips it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pynautobot
import pytest

from importers import assets_of, run
from servers import Nautobot, nautobot_server


def populate(url: str, token: str) -> None:
    """Two FortiGates in a virtual chassis, a Hyper-V cluster of two hosts with two
    VMs, a one-host cluster with one VM, a decommissioned firewall; two tenants (the
    second with a switch of its own), one location, a text custom field for the
    criticality."""
    api = pynautobot.api(url, token=token)
    active = api.extras.statuses.get(name="Active").id  # Nautobot's default statuses
    decommissioning = api.extras.statuses.get(name="Decommissioning").id
    site_type = api.dcim.location_types.create(
        name="Site", content_types=["dcim.device", "virtualization.cluster"]
    )
    site = api.dcim.locations.create(name="Amsterdam DC", location_type=site_type.id, status=active)
    tenant = api.tenancy.tenants.create(name="Acme BV")
    globex = api.tenancy.tenants.create(name="Globex")
    api.extras.custom_fields.create(
        label="Maintlib criticality",
        key="maintlib_criticality",
        type="text",
        content_types=["dcim.device", "virtualization.virtualmachine"],
    )
    fortinet = api.dcim.manufacturers.create(name="Fortinet")
    dell = api.dcim.manufacturers.create(name="Dell")
    fortigate = api.dcim.device_types.create(manufacturer=fortinet.id, model="FortiGate 100F")
    poweredge = api.dcim.device_types.create(manufacturer=dell.id, model="PowerEdge R750")
    firewall = api.extras.roles.create(name="Firewall", content_types=["dcim.device"])
    hypervisor = api.extras.roles.create(name="Hypervisor", content_types=["dcim.device"])
    fortios = api.dcim.platforms.create(
        name="FortiOS", network_driver="fortinet", manufacturer=fortinet.id
    )
    windows = api.dcim.platforms.create(name="Windows Server 2022")
    ubuntu = api.dcim.platforms.create(name="Ubuntu 24.04")
    fortios_725 = api.dcim.software_versions.create(
        platform=fortios.id, version="7.2.5", status=active
    )
    chassis = api.dcim.virtual_chassis.create(name="fw-ha")
    common = {"location": site.id, "tenant": tenant.id}
    for position, name in enumerate(("fw01", "fw02"), start=1):
        api.dcim.devices.create(
            name=name,
            device_type=fortigate.id,
            role=firewall.id,
            status=active,
            platform=fortios.id,
            software_version=fortios_725.id,
            virtual_chassis=chassis.id,
            vc_position=position,
            custom_fields={"maintlib_criticality": "critical"},
            **common,
        )
    api.dcim.devices.create(
        name="old-fw", device_type=fortigate.id, role=firewall.id, status=decommissioning, **common
    )
    cisco = api.dcim.manufacturers.create(name="Cisco")
    catalyst = api.dcim.device_types.create(manufacturer=cisco.id, model="Catalyst 9300")
    switch = api.extras.roles.create(name="Switch", content_types=["dcim.device"])
    api.dcim.devices.create(
        name="sw-globex",
        device_type=catalyst.id,
        role=switch.id,
        status=active,
        location=site.id,
        tenant=globex.id,
    )
    hyperv = api.virtualization.cluster_types.create(name="Hyper-V")
    for cluster_name, hosts, machines in (
        ("hv-prod", ("HV01", "HV02"), ("app01", "web01")),
        ("hv-branch", ("HV03",), ("db01",)),
    ):
        cluster = api.virtualization.clusters.create(
            name=cluster_name, cluster_type=hyperv.id, location=site.id
        )
        for host in hosts:
            device = api.dcim.devices.create(
                name=host,
                device_type=poweredge.id,
                role=hypervisor.id,
                status=active,
                platform=windows.id,
                custom_fields={"maintlib_criticality": "high"},
                **common,
            )
            api.dcim.device_cluster_assignments.create(device=device.id, cluster=cluster.id)
        for machine in machines:
            api.virtualization.virtual_machines.create(
                name=machine,
                cluster=cluster.id,
                status=active,
                platform=ubuntu.id,
                tenant=tenant.id,
            )


def test_import_from_a_real_nautobot(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with nautobot_server() as nautobot:
        populate(nautobot.url, nautobot.token)
        check_import(nautobot, tmp_path, capsys, monkeypatch)
    print(f"nautobot: {nautobot.seconds}", file=sys.stderr)


def check_import(
    nautobot: Nautobot,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    inventory = tmp_path / "inventory.toml"
    new = ("--organisation", "Acme BV", "--timezone", "Europe/Amsterdam")
    monkeypatch.setenv("NAUTOBOT_TOKEN", "0" * 40)
    code, _, err = run(capsys, "import", "nautobot", nautobot.url, "-o", inventory, *new)
    assert code == 1
    assert "Nautobot answered The request failed with code 403 Forbidden" in err
    assert "Invalid token" in err
    assert "Traceback" not in err
    assert not inventory.exists()

    monkeypatch.setenv("NAUTOBOT_TOKEN", nautobot.token)
    code, out, err = run(
        capsys, "import", "nautobot", nautobot.url, "-o", inventory, *new, "--tenant", "acme-bv"
    )
    assert code == 0, err
    assert "8 assets from 7 devices and 3 virtual machines" in out, out
    assets = assets_of(inventory)
    assert {asset: value["kind"] for asset, value in assets.items()} == {
        "fw01": "firewall",
        "fw02": "firewall",
        "hv01": "hypervisor",
        "hv02": "hypervisor",
        "hv03": "hypervisor",
        "app01": "virtual_server",
        "web01": "virtual_server",
        "db01": "virtual_server",
    }
    assert assets["fw01"]["redundancy_group"] == assets["fw02"]["redundancy_group"] == "fw-ha"
    assert assets["hv01"]["redundancy_group"] == assets["hv02"]["redundancy_group"] == "hv-prod"
    assert assets["db01"]["hosted_on"] == "hv03"
    assert "hosted_on" not in assets["app01"]
    assert assets["fw01"]["criticality"] == "critical"
    assert assets["hv02"]["criticality"] == "high"
    assert assets["fw02"]["vendor"] == "Fortinet"
    assert assets["fw02"]["os"] == "FortiOS"
    assert assets["fw02"]["version"] == "7.2.5"
    assert assets["hv01"]["site"] == "Amsterdam DC"
    assert all("tenant:acme-bv" in asset["tags"] for asset in assets.values())
    code, _, err = run(capsys, "check", inventory)
    assert code == 0, err

    # The done-when of issue 31: the import plans with no edit but its windows.
    with inventory.open("a", encoding="utf-8") as handle:
        handle.write(WINDOW)
    plan = tmp_path / "plan.json"
    code, _, err = run(
        capsys, "plan", inventory, "--start", "2027-01-01", "--months", "2", "--json", plan
    )
    assert code == 0, err
    planned = json.loads(plan.read_text(encoding="utf-8"))
    assert {a for t in planned["tasks"] for a in t["assets"]} >= set(assets)

    other = tmp_path / "globex.toml"
    code, _, err = run(
        capsys, "import", "nautobot", nautobot.url, "-o", other, *new, "--tenant", "globex"
    )
    assert code == 0, err
    assert {key: value["kind"] for key, value in assets_of(other).items()} == {
        "sw-globex": "switch"
    }
    code, _, err = run(capsys, "check", other)
    assert code == 0, err


#: What a person adds to an imported inventory before planning it: a window.
WINDOW = """
[[windows]]
name = "saturday-night"
rrule = "FREQ=WEEKLY;BYDAY=SA"
start = "22:00"
duration = "PT6H"
"""
