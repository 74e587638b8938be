"""Acceptance: 2027 plans of desktop applications as admins list them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from maintlib import Plan, duties
from maintlib.packs import Mode, Once, Plugins, Tier, UpdateClass, build_catalog
from maintlib.testing import load_document, plan_document, tasks_for

Document = Callable[..., dict[str, Any]]

#: Patch Tuesdays of 2027, counted on a calendar.
PATCH_TUESDAYS_2027 = [
    dt.date(2027, 1, 12),
    dt.date(2027, 2, 9),
    dt.date(2027, 3, 9),
    dt.date(2027, 4, 13),
    dt.date(2027, 5, 11),
    dt.date(2027, 6, 8),
    dt.date(2027, 7, 13),
    dt.date(2027, 8, 10),
    dt.date(2027, 9, 14),
    dt.date(2027, 10, 12),
    dt.date(2027, 11, 9),
    dt.date(2027, 12, 14),
]


def app(asset_id: str, vendor: str, product: str, **more: Any) -> dict[str, Any]:
    return {"id": asset_id, "kind": "application", "vendor": vendor, "product": product} | more


def released(plan: Plan, asset: str, activity: str = "security-updates") -> list[dt.date]:
    found = tasks_for(plan, asset, activity)
    return [t.due.released.date() for t in found if t.due.released is not None]


@pytest.mark.parametrize(
    ("product", "rule"),
    [
        ("Google Chrome", "chrome"),
        ("Chrome", "chrome"),
        ("Microsoft Edge", "edge"),
        ("Firefox", "firefox"),
        ("Firefox ESR", "firefox"),
    ],
)
def test_browsers_are_automatic_and_verified_weekly(
    document: Document, thirdparty: Plugins, product: str, rule: str
) -> None:
    """Before the pack: a monthly one-hour update in a window, with downtime."""
    plan = plan_document(document(app("b", "", product)), plugins=thirdparty)
    checks = tasks_for(plan, "b", "security-updates")
    assert len(checks) == 52
    assert {t.duty.rule.key for t in checks} == {f"thirdparty/{rule}-security-updates"}
    assert all(t.duty.mode is Mode.AUTOMATIC and not t.duty.downtime for t in checks)
    assert tasks_for(plan, "b", "standard-updates") == []


def test_firefox_esr_moves_branch_once_a_year(document: Document, thirdparty: Plugins) -> None:
    plan = plan_document(document(app("ff", "Mozilla", "Firefox ESR")), plugins=thirdparty)
    (move,) = tasks_for(plan, "ff", "branch-upgrade")
    assert move.due.anchor.month == 8
    plain = plan_document(document(app("ff", "Mozilla", "Firefox")), plugins=thirdparty)
    assert tasks_for(plain, "ff", "branch-upgrade") == []


def test_acrobat_reader_is_checked_after_each_patch_tuesday(
    document: Document, thirdparty: Plugins
) -> None:
    plan = plan_document(document(app("r", "Adobe", "Acrobat Reader")), plugins=thirdparty)
    days = released(plan, "r")
    assert [d for d in days if d.weekday() == 1 and 8 <= d.day <= 14] == PATCH_TUESDAYS_2027
    # The fourth Tuesdays, from July 2026.
    assert len(days) == 24
    for task in tasks_for(plan, "r", "security-updates"):
        assert task.due.released is not None
        assert task.start - task.due.released >= dt.timedelta(days=7)
        assert task.duty.mode is Mode.AUTOMATIC


def test_java_is_updated_in_a_window_on_2027s_critical_patch_update_days(
    document: Document, thirdparty: Plugins
) -> None:
    plan = plan_document(document(app("j", "Oracle", "Java SE 21")), plugins=thirdparty)
    cpu = tasks_for(plan, "j", "security-updates")
    assert released(plan, "j") == [
        dt.date(2027, 1, 19),
        dt.date(2027, 4, 20),
        dt.date(2027, 7, 20),
        dt.date(2027, 10, 19),
    ]
    for task in cpu:
        assert task.duty.rule.key == "thirdparty/oracle-java-cpu"
        assert task.window == "evening"
        assert task.duty.downtime
        assert task.duty.rule.update_class is UpdateClass.SECURITY
    assert tasks_for(plan, "j", "standard-updates") == []
    # Premier Support for 21 ends 2028-09-30: the upgrade is planned from a year before.
    (upgrade,) = tasks_for(plan, "j", "upgrade-or-replace")
    assert upgrade.due.anchor.date() == dt.date(2027, 9, 30)


def test_java_17_is_past_premier_support(document: Document, thirdparty: Plugins) -> None:
    java = app("j", "Oracle", "Java SE 17")
    plan = plan_document(document(java), plugins=thirdparty)
    (upgrade,) = tasks_for(plan, "j", "upgrade-or-replace")
    assert upgrade.duty.tier is Tier.P1
    inventory = load_document(document(java), plugins=thirdparty)
    risks = duties(inventory, plugins=build_catalog(thirdparty), as_of=dt.date(2027, 1, 1)).risks
    (factor,) = [f for f in risks["j"].factors if f.name == "end of support"]
    assert "Oracle Java SE 17: support ended 2026-09-30" in factor.value
    subscribed = load_document(document(java | {"tags": ["java-subscription"]}), plugins=thirdparty)
    found = duties(subscribed, plugins=build_catalog(thirdparty)).of("j")
    (later,) = [d for d in found if d.activity.name == "upgrade-or-replace"]
    assert later.rule.id == "eos-oracle-java-se-17-java-subscription"
    assert later.cadence == Once(dt.date(2028, 9, 30), dt.date(2029, 9, 30))


@pytest.mark.parametrize(
    ("tags", "rule", "count"),
    [
        ([], "m365-apps-current-channel", 12),
        (["monthly-enterprise"], "m365-apps-monthly-enterprise", 12),
        (["semi-annual"], "m365-apps-semi-annual", 12),
    ],
)
def test_microsoft_365_apps_by_channel(
    document: Document, thirdparty: Plugins, tags: list[str], rule: str, count: int
) -> None:
    asset = app("m", "Microsoft", "Microsoft 365 Apps for enterprise", tags=tags)
    plan = plan_document(document(asset), plugins=thirdparty)
    checks = tasks_for(plan, "m", "security-updates")
    assert len(checks) == count
    assert {t.duty.rule.key for t in checks} == {f"thirdparty/{rule}"}
    features = tasks_for(plan, "m", "standard-updates")
    if "semi-annual" in tags:
        assert [t.due.released.month for t in features if t.due.released] == [1, 7]
    else:
        assert features == []
