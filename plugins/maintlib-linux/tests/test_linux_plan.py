"""Acceptance: 2027 plans of Linux servers written the way admins write them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from maintlib import Plan, duties
from maintlib.packs import Mode, Plugins, RiskFactor, Tier, UpdateClass, build_catalog
from maintlib.testing import load_document, plan_document, projects_for, tasks_for

Document = Callable[..., dict[str, Any]]
AS_WRITTEN = [
    ("Ubuntu Server 22.04 LTS", "", "linux/ubuntu"),
    ("Ubuntu 20.04", "", "linux/ubuntu"),
    ("Ubuntu Server", "24.04", "linux/ubuntu"),
    ("Red Hat Enterprise Linux 9", "", "linux/rhel"),
    ("RHEL 8.10", "", "linux/rhel-short"),
    ("Debian 12", "", "linux/debian"),
    ("Debian GNU/Linux 12 (bookworm)", "", "linux/debian"),
    ("Rocky Linux 9.4", "", "linux/rocky"),
    ("AlmaLinux 9", "", "linux/almalinux"),
]


def vm(product: str, version: str = "", **more: Any) -> dict[str, Any]:
    return {"id": "vm01", "kind": "virtual_server", "product": product, "version": version} | more


def activities(plan: Plan, asset: str = "vm01") -> set[str]:
    return {t.duty.activity.name for t in plan.tasks if t.duty.asset and t.duty.asset.id == asset}


@pytest.mark.parametrize(("product", "version", "prefix"), AS_WRITTEN)
def test_security_updates_are_automatic_and_verified_weekly(
    document: Document, linux: Plugins, product: str, version: str, prefix: str
) -> None:
    plan = plan_document(document(vm(product, version)), plugins=linux)
    checks = tasks_for(plan, "vm01", "security-updates")
    assert len(checks) == 52
    for task in checks:
        assert task.duty.rule.key == f"{prefix}-security-updates"
        assert task.duty.mode is Mode.AUTOMATIC
        assert not task.duty.downtime
        assert task.duty.rule.update_class is UpdateClass.SECURITY
        assert task.start.weekday() < 5


@pytest.mark.parametrize(("product", "version", "prefix"), AS_WRITTEN)
def test_reboots_are_planned_in_the_window_and_no_service_pack_is(
    document: Document, linux: Plugins, product: str, version: str, prefix: str
) -> None:
    """Before the pack: a yearly four-hour service pack for every Linux server."""
    plan = plan_document(document(vm(product, version)), plugins=linux)
    assert "service-pack" not in activities(plan)
    assert not any(t.duty.rule.update_class is UpdateClass.SERVICE_PACK for t in plan.tasks)
    reboots = tasks_for(plan, "vm01", "kernel-reboot")
    assert len(reboots) == 12
    for task in reboots:
        assert task.duty.rule.key == f"{prefix}-kernel-reboot"
        assert task.window == "thursday-night"
        assert task.duty.downtime
    point = tasks_for(plan, "vm01", "standard-updates")
    assert {t.duty.rule.key for t in point} == {f"{prefix}-point-release"}
    assert all(t.window == "thursday-night" for t in point)


def test_livepatched_servers_reboot_quarterly(document: Document, linux: Plugins) -> None:
    plan = plan_document(document(vm("Ubuntu Server 24.04 LTS", tags=["livepatch"])), plugins=linux)
    reboots = tasks_for(plan, "vm01", "kernel-reboot")
    assert [t.due.anchor.month for t in reboots] == [1, 4, 7, 10]
    assert {t.duty.rule.key for t in reboots} == {"linux/ubuntu-kernel-reboot-livepatch"}


def test_point_releases_follow_each_distribution(document: Document, linux: Plugins) -> None:
    months = {}
    for product in ("Ubuntu 24.04", "Debian 12", "Red Hat Enterprise Linux 9"):
        plan = plan_document(document(vm(product)), plugins=linux)
        months[product] = [t.due.anchor.month for t in tasks_for(plan, "vm01", "standard-updates")]
    assert months == {
        "Ubuntu 24.04": [3, 9],
        "Debian 12": [1, 3, 5, 7, 9, 11],
        "Red Hat Enterprise Linux 9": [6, 12],
    }


class TestUbuntu2004:
    """Ubuntu 20.04 left standard support on 2025-05-31."""

    def test_is_flagged_past_standard_support(self, document: Document, linux: Plugins) -> None:
        plan = plan_document(document(vm("Ubuntu 20.04")), plugins=linux)
        (upgrade,) = projects_for(plan, "vm01", "upgrade-or-replace")
        assert upgrade.duty.rule.key == "linux/eos-ubuntu-20-04-lts"
        assert upgrade.duty.tier is Tier.P1
        assert upgrade.due.deadline.date() == dt.date(2027, 2, 1)
        assert upgrade.overdue
        assert tasks_for(plan, "vm01", "upgrade-or-replace") == []
        assert "https://" in upgrade.duty.rule.citation
        factors = {f.name: f for f in risk(document(vm("Ubuntu 20.04")), linux)}
        assert factors["end of support"].contribution == 25.0
        assert "support ended 2025-05-31" in factors["end of support"].value

    def test_with_ubuntu_pro_it_has_esm_to_2030(self, document: Document, linux: Plugins) -> None:
        plan = plan_document(document(vm("Ubuntu 20.04", tags=["esm"])), plugins=linux)
        assert projects_for(plan, "vm01", "upgrade-or-replace") == []
        (factor,) = list(risk(document(vm("Ubuntu 20.04", tags=["esm"])), linux))
        assert factor.contribution == 10.0
        assert "Expanded Security Maintenance (Ubuntu Pro) to 2030-04-02" in factor.value


def risk(inventory: dict[str, Any], plugins: Plugins) -> list[RiskFactor]:
    """The pack's risk factors of ``vm01`` as of the plans' first day."""
    loaded = load_document(inventory, plugins=plugins)
    catalog = build_catalog(plugins)
    factors = duties(loaded, plugins=catalog, as_of=dt.date(2027, 1, 1)).risks["vm01"].factors
    return [f for f in factors if f.name == "end of support"]


def test_ubuntu_2204_upgrade_is_due_before_standard_support_ends(
    document: Document, linux: Plugins
) -> None:
    plan = plan_document(document(vm("Ubuntu Server 22.04 LTS")), plugins=linux)
    (upgrade,) = projects_for(plan, "vm01", "upgrade-or-replace")
    assert upgrade.due.deadline.date() == dt.date(2027, 4, 1)
    assert not upgrade.overdue


def test_debian_12_lives_on_lts_without_a_tag(document: Document, linux: Plugins) -> None:
    """Debian LTS needs no subscription: its end is the one that counts."""
    plan = plan_document(document(vm("Debian 12")), plugins=linux)
    (upgrade,) = projects_for(plan, "vm01", "upgrade-or-replace")
    # endoflife.date debian/12: security support to 2026-07-11, LTS to 2028-06-30.
    assert upgrade.due.anchor.date() == dt.date(2027, 6, 30)
    assert upgrade.due.deadline.date() == dt.date(2028, 6, 30)
    assert "endoflife.date debian/12" in upgrade.duty.rule.citation
    (factor,) = risk(document(vm("Debian 12")), linux)
    assert factor.value == "Debian 12: standard support ended 2026-07-11; Debian LTS to 2028-06-30"


def test_rhel_7_without_els_is_past_its_end(document: Document, linux: Plugins) -> None:
    plan = plan_document(document(vm("RHEL 7.9")), plugins=linux)
    (upgrade,) = projects_for(plan, "vm01", "upgrade-or-replace")
    assert upgrade.duty.tier is Tier.P1
    # endoflife.date rhel/7: ELS to 2029-05-31, planned from a year before.
    els = plan_document(document(vm("RHEL 7.9", tags=["els"])), plugins=linux, months=18)
    (later,) = projects_for(els, "vm01", "upgrade-or-replace")
    assert later.due.deadline.date() == dt.date(2029, 5, 31)


def test_windows_servers_are_not_touched(linux: Plugins, document: Document) -> None:
    """Globs on the distribution: another product keeps the built-in rules."""
    windows = vm("Windows Server", "2022", vendor="Microsoft")
    inventory = load_document(document(windows), plugins=linux)
    catalog = build_catalog(linux)
    assert inventory.asset("vm01").product == "Windows Server"
    plan = plan_document(document(windows), plugins=linux)
    assert "kernel-reboot" not in activities(plan)
    assert all(t.duty.rule.pack == "builtin" for t in plan.tasks)
    assert any(r.pack == "linux" for r in catalog.rules)
