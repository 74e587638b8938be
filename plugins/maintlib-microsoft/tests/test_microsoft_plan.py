"""Acceptance: a 2027 plan with the Microsoft pack, as maintlib plans it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from maintlib import Plan, Task
from maintlib.packs import Mode, Plugins, build_catalog, load_plugins
from maintlib.testing import load_document, make_plugins, plan_document, projects_for, tasks_for

Document = Callable[..., dict[str, Any]]

VM = {
    "id": "vm01",
    "kind": "virtual_server",
    "vendor": "Microsoft",
    "product": "Windows Server",
    "version": "2022",
}


def unplaced(plan: Plan, asset: str) -> list[str]:
    return [u.detail for u in plan.unplaced if u.due.duty.asset and u.due.duty.asset.id == asset]


def released_dates(found: list[Task]) -> list[dt.date]:
    return [t.due.released.date() for t in found if t.due.released is not None]


def test_a_windows_server_vm_is_patched_after_each_2027_patch_tuesday_in_time(
    document: Document, microsoft: Plugins, patch_tuesdays: list[dt.date]
) -> None:
    plan = plan_document(document(VM), plugins=microsoft)
    updates = tasks_for(plan, "vm01", "security-updates")
    assert released_dates(updates) == patch_tuesdays
    for task in updates:
        released = task.due.released
        assert released is not None
        # The twin that ends with Windows Server 2022's support.
        assert task.duty.rule.key == (
            "microsoft/windows-server-vm-security-updates-windows-server-2022"
        )
        assert "microsoft/windows-server-vm-security-updates" in task.duty.overrides
        assert released <= task.start <= task.due.deadline
        assert task.window == "nightly"
        assert task.duty.downtime
    assert unplaced(plan, "vm01") == []


def test_without_the_pack_the_vm_falls_back_to_the_builtin_monthly_rule(document: Document) -> None:
    plan = plan_document(document(VM), plugins=make_plugins())
    updates = tasks_for(plan, "vm01", "security-updates")
    assert len(updates) == 12
    assert {t.duty.rule.key for t in updates} == {"builtin/virtual-server-security-updates"}
    assert all(t.due.released is None for t in updates)
    assert "patch-tuesday" not in build_catalog(make_plugins()).calendars
    assert not any("microsoft" in pack for pack in plan.packs)


def test_blocking_the_installed_pack_removes_its_rules_and_calendars() -> None:
    loaded = build_catalog(load_plugins(environ={}))
    blocked = build_catalog(load_plugins(block={"microsoft"}, environ={}))
    by_env = build_catalog(load_plugins(environ={"MAINTLIB_DISABLE_PLUGINS": "microsoft"}))
    assert "patch-tuesday" in loaded.calendars
    assert any(rule.pack == "microsoft" for rule in loaded.rules)
    for catalog in (blocked, by_env):
        assert "patch-tuesday" not in catalog.calendars
        assert not any(rule.pack == "microsoft" for rule in catalog.rules)
        assert "microsoft" not in {p.name for p in catalog.packs}


def test_the_pack_alone_with_the_builtin_one_comes_through_its_entry_point() -> None:
    catalog = build_catalog(load_plugins(only={"builtin", "microsoft"}, environ={}))
    assert {p.name for p in catalog.packs} == {"builtin", "microsoft"}
    assert set(catalog.calendars) == {"patch-tuesday", "microsoft-preview"}


HOST: dict[str, Any] = {
    "id": "hv01",
    "kind": "hypervisor",
    "vendor": "Microsoft",
    "product": "Windows Server",
    "version": "2025",
    "tags": ["hotpatch"],
}


class TestHotpatch:
    def test_baseline_months_restart_in_a_window_and_other_months_do_not(
        self, document: Document, microsoft: Plugins, patch_tuesdays: list[dt.date]
    ) -> None:
        plan = plan_document(document(HOST), plugins=microsoft)
        baseline = tasks_for(plan, "hv01", "security-updates")
        hotpatch = tasks_for(plan, "hv01", "hotpatch")
        assert [d.month for d in released_dates(baseline)] == [1, 4, 7, 10]
        assert [d.month for d in released_dates(hotpatch)] == [2, 3, 5, 6, 8, 9, 11, 12]
        assert sorted(released_dates(baseline) + released_dates(hotpatch)) == patch_tuesdays
        assert all(t.duty.downtime and t.window == "nightly" for t in baseline)
        assert all(not t.duty.downtime and t.duty.mode is Mode.OFFICE_HOURS for t in hotpatch)
        assert all(t.window is None for t in hotpatch)
        assert {t.duty.rule.key for t in baseline} == {
            "microsoft/windows-server-hyperv-hotpatch-baseline-windows-server-2025"
        }
        # The hypervisor keeps its stricter deadlines in baseline months.
        assert {t.duty.rule.deadlines for t in baseline} == {
            next(
                r.deadlines
                for r in build_catalog(microsoft).rules
                if r.id == "windows-server-hyperv-security-updates"
            )
        }
        assert unplaced(plan, "hv01") == []

    def test_a_server_not_tagged_hotpatch_restarts_every_month(
        self, document: Document, microsoft: Plugins, patch_tuesdays: list[dt.date]
    ) -> None:
        host = {**HOST, "tags": []}
        plan = plan_document(document(host), plugins=microsoft)
        assert released_dates(tasks_for(plan, "hv01", "security-updates")) == patch_tuesdays
        assert tasks_for(plan, "hv01", "hotpatch") == []


class TestProducts:
    @pytest.mark.parametrize(
        ("product", "rule"),
        [
            ("Exchange Server", "microsoft/exchange-server-security-updates"),
            ("SQL Server", "microsoft/sql-server-security-updates-sql-server-2022"),
        ],
    )
    def test_exchange_and_sql_server_follow_patch_tuesday(
        self,
        document: Document,
        microsoft: Plugins,
        patch_tuesdays: list[dt.date],
        product: str,
        rule: str,
    ) -> None:
        asset = {"id": "app01", "kind": "virtual_server", "vendor": "Microsoft"}
        asset |= {"product": product, "version": "2022" if product == "SQL Server" else "SE"}
        plan = plan_document(document(asset), plugins=microsoft)
        updates = tasks_for(plan, "app01", "security-updates")
        assert released_dates(updates) == patch_tuesdays
        assert {t.duty.rule.key for t in updates} == {rule}
        assert "builtin/virtual-server-security-updates" in updates[0].duty.overrides

    def test_microsoft_365_gets_a_monthly_review(
        self, document: Document, microsoft: Plugins, patch_tuesdays: list[dt.date]
    ) -> None:
        tenant = {"id": "m365", "kind": "cloud_service", "vendor": "Microsoft"}
        tenant["product"] = "Microsoft 365 Business Premium"
        plan = plan_document(document(tenant), plugins=microsoft)
        reviews = tasks_for(plan, "m365", "cloud-review")
        assert len(reviews) == 12
        assert {t.duty.rule.key for t in reviews} == {"microsoft/microsoft-365-review"}
        assert all(t.window is None for t in reviews)


PC: dict[str, Any] = {
    "id": "pc01",
    "kind": "workstation",
    "vendor": "Microsoft",
    "product": "Windows 11 Pro",
    "version": "25H2",
}


class TestClients:
    def test_quality_updates_are_automatic_and_checked_a_week_after_patch_tuesday(
        self, document: Document, microsoft: Plugins, patch_tuesdays: list[dt.date]
    ) -> None:
        plan = plan_document(document(PC), plugins=microsoft)
        checks = tasks_for(plan, "pc01", "security-updates")
        assert released_dates(checks) == patch_tuesdays
        for task in checks:
            assert task.due.released is not None
            assert task.duty.mode is Mode.AUTOMATIC
            assert not task.duty.downtime
            assert task.due.released + dt.timedelta(days=7) <= task.start <= task.due.deadline
        assert unplaced(plan, "pc01") == []

    def test_one_feature_update_before_the_version_ends_and_defender_verified_monthly(
        self, document: Document, microsoft: Plugins, patch_tuesdays: list[dt.date]
    ) -> None:
        # 25H2 Home/Pro servicing ends 2027-10-12: its feature update, due from a year
        # before, replaces the yearly November one for this version.
        plan = plan_document(document(PC), plugins=microsoft)
        (feature,) = tasks_for(plan, "pc01", "feature-update")
        assert feature.duty.rule.key == "microsoft/eos-windows-11-pro-25h2"
        assert feature.due.deadline.date() == dt.date(2027, 10, 12)
        assert feature.duty.mode is Mode.AUTOMATIC
        # A version without an end in the table keeps the yearly November one.
        later = {**PC, "id": "pc02", "version": "26H2"}
        (yearly,) = tasks_for(
            plan_document(document(later), plugins=microsoft), "pc02", "feature-update"
        )
        assert yearly.due.anchor.date() == dt.date(2027, 11, 1)
        definitions = tasks_for(plan, "pc01", "definitions-update")
        assert {t.duty.rule.key for t in definitions} == {
            "microsoft/defender-security-intelligence"
        }
        assert all(t.duty.mode is Mode.AUTOMATIC for t in definitions)
        assert len(definitions) == 12

    def test_a_p1_laptop_gets_no_weekly_definitions_check(
        self, document: Document, microsoft: Plugins
    ) -> None:
        critical = {**PC, "kind": "laptop", "criticality": "critical", "exposure": "internet"}
        critical |= {
            "vulnerabilities": ["CVE-2024-1086 CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"]
        }
        plan = plan_document(document(critical), plugins=microsoft)
        definitions = tasks_for(plan, "pc01", "definitions-update")
        assert definitions[0].duty.tier.value == "P1"
        assert len(definitions) == 12

    def test_the_preview_is_only_for_devices_tagged_preview_pilot(
        self, document: Document, microsoft: Plugins, patch_tuesdays: list[dt.date]
    ) -> None:
        pilot = {**PC, "id": "pc02", "tags": ["preview-pilot"]}
        plan = plan_document(document(PC, pilot), plugins=microsoft)
        assert tasks_for(plan, "pc01", "preview-validation") == []
        previews = tasks_for(plan, "pc02", "preview-validation")
        # Every month but December, when Microsoft ships no preview.
        assert [d.month for d in released_dates(previews)] == list(range(1, 12))
        assert all(d.weekday() == 1 and d.day >= 22 for d in released_dates(previews))


def test_an_inventory_can_move_the_offset_of_a_pack_rule(
    document: Document, microsoft: Plugins, patch_tuesdays: list[dt.date]
) -> None:
    later = {
        "extends": "microsoft/windows-server-vm-security-updates",
        "cadence": {"calendar": "patch-tuesday", "offset_days": 3},
    }
    inventory = load_document(document(VM, rules=(later,)), plugins=microsoft)
    assert inventory.rules[0].extends == "microsoft/windows-server-vm-security-updates"
    plan = plan_document(document(VM, rules=(later,)), plugins=microsoft)
    for task in tasks_for(plan, "vm01", "security-updates"):
        assert task.due.released is not None
        assert task.start >= task.due.released + dt.timedelta(days=3)
        assert task.duty.rule.pack == "inventory"


def test_the_test_ring_gets_each_release_first_and_production_waits_its_soak(
    document: Document, microsoft: Plugins
) -> None:
    test_vm = {**VM, "id": "vm-test", "environment": "test"}
    plan = plan_document(document(test_vm, VM), plugins=microsoft)
    pairs = zip(
        tasks_for(plan, "vm-test", "security-updates"),
        tasks_for(plan, "vm01", "security-updates"),
        strict=True,
    )
    for lower, production in pairs:
        assert lower.due.released == production.due.released
        assert production.start >= lower.end + dt.timedelta(days=2)
        assert lower.uid in production.after
    assert unplaced(plan, "vm01") == []


@pytest.mark.parametrize(
    ("kind", "product", "version", "tags"),
    [
        ("virtual_server", "Windows Server", "2022", []),
        ("hypervisor", "Windows Server", "2019", []),
        ("hypervisor", "Windows Server", "2025", ["hotpatch"]),
        ("virtual_server", "SQL Server", "2019", []),
        ("workstation", "Windows 11 Pro", "25H2", ["preview-pilot"]),
    ],
)
def test_every_calendar_rule_finds_both_spellings(
    document: Document,
    microsoft: Plugins,
    kind: str,
    product: str,
    version: str,
    tags: list[str],
) -> None:
    """``product = "Windows Server 2022"`` plans as ``"Windows Server"`` + ``"2022"``."""
    apart = {"id": "a", "kind": kind, "vendor": "Microsoft", "product": product}
    apart |= {"version": version, "tags": tags}
    together = apart | {"product": f"{product} {version}", "version": ""}

    def anchored(asset: dict[str, Any]) -> list[tuple[str, str, dt.date]]:
        plan = plan_document(document(asset), plugins=microsoft)
        return sorted(
            (t.duty.activity.name, t.duty.rule.key, t.due.released.date())
            for t in plan.tasks
            if t.due.released is not None
        )

    found = anchored(apart)
    assert found
    assert anchored(together) == found


def test_windows_server_on_another_vendors_hardware_follows_patch_tuesday(
    document: Document, microsoft: Plugins, patch_tuesdays: list[dt.date]
) -> None:
    """A Hyper-V host written as its hardware — ``vendor = "HPE"``, the model as its
    product, the operating system in ``os`` (as a NetBox import writes a device) —
    gets the pack's Patch Tuesday rule and no built-in service pack, as the same host
    written ``vendor = "Microsoft"`` does. Before, the pack's rules needed the vendor
    Microsoft, and the host fell back to the built-in pack: patched on the first
    Tuesday of the month, before Microsoft's release, with a yearly service pack
    Windows Server does not have."""
    host = {
        "id": "hv01",
        "kind": "hypervisor",
        "vendor": "HPE",
        "product": "ProLiant DL380 Gen10 Plus",
        "os": "Windows Server 2022 Datacenter",
    }
    plan = plan_document(document(host), plugins=microsoft)
    updates = tasks_for(plan, "hv01", "security-updates")
    assert released_dates(updates) == patch_tuesdays
    assert {t.duty.rule.pack for t in updates} == {"microsoft"}
    assert not tasks_for(plan, "hv01", "service-pack")
    # Without the operating system, the hardware alone: the built-in rule.
    bare = plan_document(document({**host, "os": ""}), plugins=microsoft)
    assert {t.duty.rule.pack for t in tasks_for(bare, "hv01", "security-updates")} == {"builtin"}


def test_windows_server_2016_on_another_vendors_hardware_gets_its_end_of_support(
    document: Document, microsoft: Plugins
) -> None:
    """The lifecycle table reads the operating system too: a Dell server running
    Windows Server 2016 (support ends 2027-01-12) gets the upgrade-or-replace project."""
    server = {
        "id": "old01",
        "kind": "physical_server",
        "vendor": "Dell",
        "product": "PowerEdge R740",
        "os": "Windows Server 2016",
    }
    plan = plan_document(document(server), plugins=microsoft)
    assert [p.duty.rule.key for p in projects_for(plan, "old01", "upgrade-or-replace")] == [
        "microsoft/eos-windows-server-2016"
    ]
