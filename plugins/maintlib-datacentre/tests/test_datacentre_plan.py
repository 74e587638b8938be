"""Acceptance: a vSphere cluster on Dell and HPE servers, a Synology, a QNAP and Veeam."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from typing import Any

from maintlib import Plan
from maintlib.packs import Plugins, Tier, UpdateClass
from maintlib.testing import plan_document, projects_for, tasks_for

Document = Callable[..., dict[str, Any]]


def host(asset_id: str, vendor: str, product: str) -> dict[str, Any]:
    return {
        "id": asset_id,
        "kind": "hypervisor",
        "vendor": vendor,
        "product": product,
        "os": "ESXi 8.0 U3",
        "criticality": "critical",
        "redundancy_group": "cluster",
        # Managed by vCenter: the README's convention, so vCenter's update goes first.
        "depends_on": ["vcsa"],
    }


VCENTER = {
    "id": "vcsa",
    "kind": "virtual_server",
    "vendor": "VMware",
    "product": "vCenter Server 8.0",
    "hosted_on": "esx01",
}
CLUSTER = (
    host("esx01", "Dell", "PowerEdge R760"),
    host("esx02", "Dell", "PowerEdge R760"),
    host("esx03", "HPE", "ProLiant DL380 Gen11"),
    VCENTER,
)


def plan_of(document: Document, plugins: Plugins, *assets: dict[str, Any]) -> Plan:
    inventory = document(*assets)
    if any(a.get("redundancy_group") for a in assets):
        # DRS moves the VMs off each host in maintenance mode.
        inventory["redundancy_groups"] = [{"name": "cluster", "live_migration": True}]
    return plan_document(inventory, plugins=plugins)


def test_vcenter_goes_before_the_hosts_and_the_hosts_one_at_a_time(
    document: Document, datacentre: Plugins
) -> None:
    plan = plan_of(document, datacentre, *CLUSTER)
    vcenter = tasks_for(plan, "vcsa", "security-updates")
    assert [t.due.anchor.month for t in vcenter] == [1, 4, 7, 10]
    assert {t.duty.rule.key for t in vcenter} == {"datacentre/vcenter-updates"}
    for quarter, vc in enumerate(vcenter):
        hosts = [
            tasks_for(plan, h, "security-updates")[quarter] for h in ("esx01", "esx02", "esx03")
        ]
        assert {t.duty.rule.key for t in hosts} == {"datacentre/esxi-updates"}
        assert all(vc.end <= t.start for t in hosts), quarter
        spans = sorted((t.start, t.end) for t in hosts)
        assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans)), quarter


def test_hosts_get_their_hardware_vendors_firmware_and_no_service_pack(
    document: Document, datacentre: Plugins
) -> None:
    """Before the pack: a yearly service pack for ESXi, generic firmware. An ESXi
    host's firmware comes with its ESXi update (vLCM with the vendor's hardware support
    manager: one remediation, one outage per host); a server that runs no ESXi gets
    its vendor's firmware round."""
    plan = plan_of(document, datacentre, *CLUSTER)
    for asset, vendor in (("esx01", "dell"), ("esx03", "hpe")):
        assert tasks_for(plan, asset, "firmware-update") == []
        updates = tasks_for(plan, asset, "security-updates")
        assert updates
        assert all(any("firmware" in step.text for step in t.duty.rule.steps) for t in updates)
        assert tasks_for(plan, asset, "service-pack") == []
        reviews = tasks_for(plan, asset, "hardware-advisory-review")
        assert len(reviews) == 12
        access = tasks_for(plan, asset, "access-review")
        assert {t.duty.rule.key for t in access} == {
            f"datacentre/{vendor}-controller-access-review"
        }
    assert not any(t.duty.rule.update_class is UpdateClass.SERVICE_PACK for t in plan.tasks)
    assert tasks_for(plan, "vcsa", "standard-updates") == []
    assert len(tasks_for(plan, "esx01", "advisory-review")) == 12


def test_vsphere_8_upgrade_is_due_before_general_support_ends(
    document: Document, datacentre: Plugins
) -> None:
    plan = plan_of(document, datacentre, *CLUSTER)
    (upgrade,) = projects_for(plan, "esx01", "upgrade-or-replace")
    assert upgrade.due.anchor.date() == dt.date(2026, 10, 11)
    assert upgrade.due.deadline.date() == dt.date(2027, 10, 11)
    assert upgrade.duty.tier is Tier.P1


def test_nas_boxes_get_vendor_updates_and_a_monthly_review(
    document: Document, datacentre: Plugins
) -> None:
    """Before the pack: a weekly hypervisor performance review for both NAS boxes."""
    synology = {"id": "nas01", "kind": "storage", "vendor": "Synology", "product": "DSM 7.3"}
    qnap = {"id": "nas02", "kind": "storage", "vendor": "QNAP", "product": "QTS 5.2"}
    plan = plan_of(document, datacentre, synology, qnap)
    for asset, key in (("nas01", "synology"), ("nas02", "qnap")):
        updates = tasks_for(plan, asset, "security-updates")
        assert len(updates) == 12
        assert {t.duty.rule.key for t in updates} == {f"datacentre/{key}-updates"}
        assert all(t.window == "saturday" and t.duty.downtime for t in updates)
        review = tasks_for(plan, asset, "performance-review")
        assert len(review) == 12


def test_dsm_72_is_past_its_end(document: Document, datacentre: Plugins) -> None:
    synology = {"id": "nas01", "kind": "storage", "vendor": "Synology", "product": "DSM 7.2"}
    plan = plan_of(document, datacentre, synology)
    (upgrade,) = projects_for(plan, "nas01", "upgrade-or-replace")
    assert upgrade.duty.rule.key == "datacentre/eos-synology-dsm-7-2"
    assert upgrade.due.deadline.date() == dt.date(2027, 2, 1)


def test_veeam_12_reaches_its_end_of_support(document: Document, datacentre: Plugins) -> None:
    veeam = {
        "id": "vbr",
        "kind": "backup_system",
        "vendor": "Veeam",
        "product": "Backup & Replication",
        "version": "12",
    }
    plan = plan_of(document, datacentre, veeam)
    updates = tasks_for(plan, "vbr", "security-updates")
    assert {t.duty.rule.key for t in updates} == {"datacentre/veeam-updates"}
    (upgrade,) = projects_for(plan, "vbr", "upgrade-or-replace")
    assert upgrade.due.deadline.date() == dt.date(2027, 2, 1)
    assert tasks_for(plan, "vbr", "backup-check")
    assert tasks_for(plan, "vbr", "restore-test")


def test_a_server_without_esxi_gets_its_vendors_firmware_round(
    document: Document, datacentre: Plugins
) -> None:
    servers = (
        ("dell", "Dell", "PowerEdge R660", "iDRAC"),
        ("hpe", "HPE", "ProLiant DL360 Gen11", "iLO"),
        ("lenovo", "Lenovo", "ThinkSystem SR650 V3", "XClarity Controller (XCC)"),
    )
    for key, vendor, product, controller in servers:
        box = {"id": "srv", "kind": "physical_server", "vendor": vendor, "product": product}
        plan = plan_of(document, datacentre, box)
        firmware = tasks_for(plan, "srv", "firmware-update")
        assert {t.duty.rule.key for t in firmware} == {f"datacentre/{key}-firmware"}
        assert len(firmware) == 4
        assert any(controller in step.text for step in firmware[0].steps)
        # The controller installs and restarts; the technician's part is shorter.
        assert all(t.effort < t.end - t.start for t in firmware)
        # The management controller is an exposed system of its own: reviewed.
        (review, *_) = tasks_for(plan, "srv", "access-review")
        assert review.duty.rule.key == f"datacentre/{key}-controller-access-review"
        assert tasks_for(plan, "srv", "hardware-advisory-review")
