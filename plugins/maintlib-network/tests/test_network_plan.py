"""Acceptance: a 2027 plan with the network pack, as maintlib plans it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from maintlib import Plan, Task
from maintlib.packs import Mode, Plugins, StepKind, UpdateClass, build_catalog, load_plugins
from maintlib.testing import make_plugins, plan_document, tasks_for

Document = Callable[..., dict[str, Any]]

FORTIGATE: dict[str, Any] = {
    "id": "fw01",
    "kind": "firewall",
    "vendor": "Fortinet",
    "product": "FortiGate",
}
SRX = {"id": "srx01", "kind": "firewall", "vendor": "Juniper Networks", "product": "SRX345"}
PA = {"id": "pa01", "kind": "firewall", "vendor": "Palo Alto Networks", "product": "PA-440"}
ROUTER = {"id": "rtr01", "kind": "router", "vendor": "Cisco", "product": "IOS XE"}
NETWORK_CALENDARS = {"cisco-ios-xe", "fortinet-psirt", "juniper-sirt", "paloalto-psirt"}


def released(found: list[Task]) -> list[dt.date]:
    return [t.due.released.date() for t in found if t.due.released is not None]


def unplaced(plan: Plan) -> list[str]:
    return [f"{u.due.uid}: {u.detail}" for u in plan.unplaced]


EDGE = {"exposure": "internet"}


@pytest.mark.parametrize(
    ("asset", "expected", "rule"),
    [
        (FORTIGATE | EDGE, "fortinet_2027", "network/fortinet-psirt-fixes"),
        (SRX | EDGE, "juniper_2027", "network/juniper-psirt-fixes"),
        (
            FORTIGATE | EDGE | {"product": "FortiGate 60F", "os": "FortiOS"},
            "fortinet_2027",
            "network/fortinet-psirt-fixes",
        ),
        (
            SRX | EDGE | {"product": "SRX345 Junos OS 22.4"},
            "juniper_2027",
            "network/juniper-psirt-fixes",
        ),
        (SRX | EDGE | {"os": "Junos OS"}, "juniper_2027", "network/juniper-psirt-fixes"),
        # Palo Alto's rules select on the vendor: every spelling of the product.
        (PA | EDGE, "paloalto_2027", "network/paloalto-psirt-fixes"),
        (
            PA | EDGE | {"product": "PA-440 PAN-OS 11.1"},
            "paloalto_2027",
            "network/paloalto-psirt-fixes",
        ),
        (PA | EDGE | {"os": "PAN-OS"}, "paloalto_2027", "network/paloalto-psirt-fixes"),
    ],
)
def test_internet_facing_devices_get_each_publications_fix_in_the_next_window(
    document: Document,
    network: Plugins,
    request: pytest.FixtureRequest,
    asset: dict[str, str],
    expected: str,
    rule: str,
) -> None:
    """A vendor bundle is not an emergency: 7 days for P1, 14 for the rest, never 2-3."""
    plan = plan_document(document(asset), plugins=network)
    fixes = tasks_for(plan, asset["id"], "security-updates")
    assert released(fixes) == request.getfixturevalue(expected)
    for task in fixes:
        release = task.due.released
        assert release is not None
        assert task.duty.rule.key == rule
        assert task.duty.rule.update_class is UpdateClass.SECURITY
        assert task.duty.deadline_days in (7, 14)
        assert task.due.deadline - release == dt.timedelta(days=task.duty.deadline_days)
        assert release <= task.start <= task.due.deadline
        assert task.window == "evening"
        assert task.duty.mode is Mode.WINDOW
        assert task.steps[0].kind is StepKind.BACKUP
        assert task.steps[-2].kind is StepKind.VERIFY
    assert unplaced(plan) == []


@pytest.mark.parametrize(
    ("asset", "expected"),
    [
        (FORTIGATE, "fortinet_2027"),
        (SRX, "juniper_2027"),
        (PA, "paloalto_2027"),
        (ROUTER, "cisco_2027"),
        # The operating system inside a model name, or in the os field.
        (ROUTER | {"product": "ISR 4331 IOS XE"}, "cisco_2027"),
        (ROUTER | {"product": "ISR 4331", "os": "IOS XE"}, "cisco_2027"),
    ],
)
def test_every_publication_is_triaged_within_a_business_day_without_downtime(
    document: Document,
    network: Plugins,
    request: pytest.FixtureRequest,
    asset: dict[str, str],
    expected: str,
) -> None:
    """Internal devices: the triage, and the fixes in the quarterly firmware (found: every
    bundle was a 3-day outage, Cisco core switches 24 a year)."""
    plan = plan_document(document(asset), plugins=network)
    triage = tasks_for(plan, asset["id"], "advisory-triage")
    assert released(triage) == request.getfixturevalue(expected)
    for task in triage:
        assert task.duty.mode is Mode.OFFICE_HOURS
        assert not task.duty.downtime
        assert task.duty.deadline_days == 2
        assert task.due.released is not None
        assert task.due.released <= task.start <= task.due.deadline
    assert tasks_for(plan, asset["id"], "security-updates") == []
    assert [t.due.anchor.month for t in tasks_for(plan, asset["id"], "firmware-update")] == [
        1,
        4,
        7,
        10,
    ]
    assert unplaced(plan) == []


def test_cisco_core_network_os_fixes_are_quarterly_even_at_the_edge(
    document: Document, network: Plugins, cisco_2027: list[dt.date]
) -> None:
    """Cisco from July 2026: core network OS quarterly, with notice; at most one routine
    security outage a quarter, beside the firmware."""
    plan = plan_document(document(ROUTER | EDGE), plugins=network)
    fixes = tasks_for(plan, "rtr01", "security-updates")
    assert [t.due.anchor.month for t in fixes] == [1, 4, 7, 10]
    assert {t.duty.deadline_days for t in fixes} <= {7, 14}
    assert released(tasks_for(plan, "rtr01", "advisory-triage")) == cisco_2027


@pytest.mark.parametrize("asset", [FORTIGATE, SRX, ROUTER])
def test_feature_firmware_stays_quarterly_on_the_firmware_deadlines(
    document: Document, network: Plugins, asset: dict[str, str]
) -> None:
    plan = plan_document(document(asset), plugins=network)
    firmware = tasks_for(plan, asset["id"], "firmware-update")
    assert [t.due.anchor.month for t in firmware] == [1, 4, 7, 10]
    assert {t.duty.rule.update_class for t in firmware} == {UpdateClass.FIRMWARE}
    assert {t.duty.deadline_days for t in firmware} <= {14, 30, 45, 60}


def test_severity_deadline_policies_for_the_vulnerability_path(network: Plugins) -> None:
    policies = {p.id: p for p in build_catalog(network).deadline_policies if p.pack == "network"}
    assert set(policies) == {"psirt-critical", "psirt-high", "psirt-medium", "psirt-low"}
    assert policies["psirt-critical"].deadlines.p1 < policies["psirt-high"].deadlines.p1
    assert all(p.update_class is None and p.severity for p in policies.values())


def test_every_firmware_update_starts_with_a_configuration_backup_and_backups_are_monthly(
    document: Document, network: Plugins
) -> None:
    """The scheduled export is checked monthly; each firmware update takes its own."""
    plan = plan_document(document(FORTIGATE), plugins=network, months=3)
    backups = tasks_for(plan, "fw01", "configuration-backup")
    assert backups[0].duty.rule.key == "network/configuration-backup"
    assert "builtin/network-configuration-backup" in backups[0].duty.overrides
    assert len(backups) == 3
    assert all(t.window is None for t in backups)


def test_configuration_backups_are_one_monthly_check_per_owner_across_sites(
    document: Document, network: Plugins
) -> None:
    """The exports of every device are checked in the one backup tool: a firm with a
    network cabinet per floor gets one monthly check, not one per floor; an owner
    with a tool per site groups by site as well."""
    devices = [
        {"id": f"sw{floor}", "kind": "switch", "site": f"Floor {floor}", "owner": "IT"}
        for floor in range(3)
    ]
    plan = plan_document(document(*devices), plugins=network, months=2)
    checks = [t for t in plan.tasks if t.duty.activity.name == "configuration-backup"]
    assert len(checks) == 2
    assert all(t.assets == ("sw0", "sw1", "sw2") for t in checks)
    assert {t.end - t.start for t in checks} == {dt.timedelta(minutes=10 + 3 * 2)}
    per_site = {
        "extends": "network/configuration-backup",
        "group_by": ["site", "owner"],
    }
    split = plan_document(document(*devices, rules=(per_site,)), plugins=network, months=2)
    checks = [t for t in split.tasks if t.duty.activity.name == "configuration-backup"]
    assert len(checks) == 3 * len({t.due.anchor for t in checks})


def test_cisco_platforms_other_than_ios_keep_the_builtin_firmware_rule(
    document: Document, network: Plugins
) -> None:
    asa = {"id": "asa01", "kind": "firewall", "vendor": "Cisco", "product": "ASA"}
    plan = plan_document(document(asa), plugins=network)
    firmware = tasks_for(plan, "asa01", "firmware-update")
    assert {t.duty.rule.key for t in firmware} == {"builtin/network-firmware"}
    access = tasks_for(plan, "asa01", "access-review")
    assert {t.duty.rule.key for t in access} == {"network/cisco-access-review"}


@pytest.mark.parametrize(
    ("vendor", "key"),
    [("MikroTik", "mikrotik"), ("Ubiquiti Inc.", "ubiquiti"), ("HPE Aruba Networking", "aruba")],
)
def test_vendors_without_a_calendar_get_a_monthly_advisory_triage(
    document: Document, network: Plugins, vendor: str, key: str
) -> None:
    switch = {"id": "sw01", "kind": "switch", "vendor": vendor}
    plan = plan_document(document(switch), plugins=network)
    checks = tasks_for(plan, "sw01", "advisory-triage")
    assert len(checks) == 12
    assert {t.duty.rule.key for t in checks} == {f"network/{key}-advisory-triage"}
    firmware = tasks_for(plan, "sw01", "firmware-update")
    assert [t.due.anchor.month for t in firmware] == [1, 4, 7, 10]
    assert {t.duty.rule.key for t in firmware} == {f"network/{key}-firmware"}


def test_log_reviews_weekly_for_firewalls_and_monthly_for_access_points(
    document: Document, network: Plugins
) -> None:
    ap = {"id": "ap01", "kind": "access_point", "vendor": "Ubiquiti", "product": "U6"}
    plan = plan_document(document(FORTIGATE, ap), plugins=network)
    assert len(tasks_for(plan, "fw01", "log-review")) >= 52
    assert len(tasks_for(plan, "ap01", "log-review")) == 12


class TestHighAvailability:
    PAIR: tuple[dict[str, Any], dict[str, Any]] = (
        {**FORTIGATE, **EDGE, "id": "fw-secondary", "redundancy_group": "edge"},
        {**FORTIGATE, **EDGE, "id": "fw-primary", "redundancy_group": "edge"},
    )

    def test_members_are_updated_one_node_at_a_time_with_a_failover(
        self, document: Document, network: Plugins
    ) -> None:
        # The primary is named first alphabetically: the secondary still goes
        # first, in the same night, a settle gap before it.
        pair = (
            {**FORTIGATE, **EDGE, "id": "fw-a-primary", "redundancy_group": "edge"},
            {**FORTIGATE, **EDGE, "id": "fw-b-secondary", "redundancy_group": "edge"},
        )
        inventory = document(*pair)
        inventory["redundancy_groups"] = [{"name": "edge", "primary": "fw-a-primary"}]
        plan = plan_document(inventory, plugins=network)
        secondary = tasks_for(plan, "fw-b-secondary", "security-updates")
        primary = tasks_for(plan, "fw-a-primary", "security-updates")
        assert len(secondary) == len(primary) == 12
        assert len(tasks_for(plan, "fw-a-primary", "firmware-update")) == 4
        for first, second in zip(secondary, primary, strict=True):
            assert first.due.released == second.due.released
            assert first.occurrence == second.occurrence
            assert second.start - first.end >= dt.timedelta(minutes=15)
            for task in (first, second):
                assert task.duty.rule.key == "network/fortinet-psirt-fixes-ha"
                assert [s.kind for s in task.steps].index(StepKind.FAILOVER) < [
                    s.kind for s in task.steps
                ].index(StepKind.UPDATE)
        assert unplaced(plan) == []

    def test_depends_on_puts_the_secondary_first(
        self, document: Document, network: Plugins
    ) -> None:
        secondary, primary = self.PAIR
        # Ids sort the other way round, so only depends_on can order them.
        secondary = {**secondary, "id": "fw-z"}
        primary = {**primary, "depends_on": ["fw-z"]}
        plan = plan_document(document(secondary, primary), plugins=network)
        for first, second in zip(
            tasks_for(plan, "fw-z", "security-updates"),
            tasks_for(plan, "fw-primary", "security-updates"),
            strict=True,
        ):
            assert first.end <= second.start
            assert first.uid in second.after

    def test_a_single_device_gets_no_failover_step(
        self, document: Document, network: Plugins
    ) -> None:
        plan = plan_document(document(FORTIGATE | EDGE), plugins=network, months=1)
        (task,) = tasks_for(plan, "fw01", "security-updates")
        assert StepKind.FAILOVER not in {s.kind for s in task.steps}


def test_an_inventory_can_keep_only_some_fortinet_months(
    document: Document, network: Plugins
) -> None:
    quarterly = {
        "extends": "network/fortinet-psirt-fixes",
        "cadence": {"calendar": "fortinet-psirt", "months": [1, 4, 7, 10]},
    }
    plan = plan_document(document(FORTIGATE | EDGE, rules=(quarterly,)), plugins=network)
    fixes = tasks_for(plan, "fw01", "security-updates")
    assert [d.month for d in released(fixes)] == [1, 4, 7, 10]
    assert {t.duty.rule.pack for t in fixes} == {"inventory"}


class TestBlocking:
    def test_without_the_pack_the_builtin_quarterly_rule_applies(self, document: Document) -> None:
        plan = plan_document(document(FORTIGATE), plugins=make_plugins())
        firmware = tasks_for(plan, "fw01", "firmware-update")
        assert {t.duty.rule.key for t in firmware} == {"builtin/network-firmware"}
        assert all(t.due.released is None for t in firmware)
        assert not NETWORK_CALENDARS & set(build_catalog(make_plugins()).calendars)

    def test_blocking_the_installed_pack_removes_its_rules_and_calendars(self) -> None:
        loaded = build_catalog(load_plugins(environ={}))
        assert set(loaded.calendars) >= NETWORK_CALENDARS
        for catalog in (
            build_catalog(load_plugins(block={"network"}, environ={})),
            build_catalog(load_plugins(environ={"MAINTLIB_DISABLE_PLUGINS": "network"})),
        ):
            assert not NETWORK_CALENDARS & set(catalog.calendars)
            assert not any(rule.pack == "network" for rule in catalog.rules)
            assert "advisory-triage" not in catalog.activities

    def test_the_pack_alone_with_the_builtin_one_comes_through_its_entry_point(self) -> None:
        catalog = build_catalog(load_plugins(only={"builtin", "network"}, environ={}))
        assert {p.name for p in catalog.packs} == {"builtin", "network"}
        assert set(catalog.calendars) == NETWORK_CALENDARS


def test_check_warns_about_a_cisco_model_name_without_its_os(
    document: Document, network: Plugins
) -> None:
    from maintlib import check_warnings
    from maintlib.testing import load_document

    model = {"id": "sw01", "kind": "switch", "vendor": "Cisco", "product": "Catalyst 9200L"}
    catalog = build_catalog(network)
    bad = check_warnings(load_document(document(model), plugins=network), catalog)
    assert [(w.code, w.location) for w in bad] == [("vendor-unmatched", 'assets (id "sw01")')]
    assert 'pack "network"' in bad[0].message
    for fixed in (model | {"os": "IOS XE"}, model | {"product": "Catalyst 9200L IOS XE"}):
        good = check_warnings(load_document(document(fixed), plugins=network), catalog)
        assert [w.code for w in good] == []


def test_a_firewall_pair_with_a_weekend_window_has_a_calm_year(network: Plugins) -> None:
    """Found: every Fortinet bundle got a 3-day deadline, so with a weekend-only window
    all 24 firewall dues of the year were late and the report showed 12 P1 problems
    per firewall."""
    pair = [
        {
            "id": node,
            "kind": "firewall",
            "vendor": "Fortinet",
            "product": "FortiGate 100F",
            "criticality": "critical",
            "exposure": "internet",
            "redundancy_group": "edge",
        }
        for node in ("fw-a", "fw-b")
    ]
    document = {
        "organisation": {"name": "Fabrikam", "timezone": "Europe/Amsterdam", "country": "NL"},
        "windows": [
            {
                "name": "saturday",
                "rrule": "FREQ=WEEKLY;BYDAY=SA",
                "start": "06:00",
                "duration": "PT8H",
                "applies_to": ["firewall"],
            }
        ],
        "assets": pair,
    }
    plan = plan_document(document, plugins=network)
    assert [t.uid for t in plan.tasks if t.status.value == "late"] == []
    assert unplaced(plan) == []
    triage = [t for t in plan.tasks if t.duty.activity.name == "advisory-triage"]
    assert len(triage) == 12
    assert all(t.assets == ("fw-a", "fw-b") for t in triage)
    for task in plan.tasks:
        for due in (task.due, *task.superseded):
            if due.released is not None and task.duty.activity.name != "advisory-triage":
                assert due.deadline - due.released >= dt.timedelta(days=7), due.uid
