"""The README documents every rule, calendar and vendor; every rule cites a source."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from maintlib.packs import Plugins, build_catalog
from maintlib.testing import load_document, plan_document, tasks_for
from maintlib_network import VENDORS

Document = Callable[..., dict[str, Any]]
README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def test_every_rule_is_in_the_readme_and_cites_its_source(network: Plugins) -> None:
    for rule in build_catalog(network).rules:
        if rule.pack != "network":
            continue
        assert rule.citation, rule.id
        generic = rule.id
        for vendor in VENDORS:
            generic = generic.replace(f"{vendor.key}-", "<vendor>-", 1)
        assert f"`{generic}`" in README, rule.id


def test_every_calendar_is_in_the_readme_with_its_rule(network: Plugins) -> None:
    calendars = list(build_catalog(network).calendars.values())
    assert len(calendars) == 4
    for calendar in calendars:
        assert f"`{calendar.id}`" in README
        for period in calendar.periods:
            assert f"`{period.rrule}`" in README


def test_every_vendor_is_in_the_readme_with_its_glob() -> None:
    for vendor in VENDORS:
        assert f"`{vendor.key}`" in README
        assert f"`{vendor.vendor}`" in README


def test_the_override_examples_load(network: Plugins, document: Document) -> None:
    section = README.split("## Overriding", 1)[1].split("\n## ", 1)[0]
    (block,) = re.findall(r"```toml\n(.*?)```", section, flags=re.DOTALL)
    examples = tomllib.loads(block)["rules"]
    assert len(examples) == 3
    devices = [
        {"id": "fw01", "kind": "firewall", "vendor": "Fortinet", "product": "FortiGate 60F"}
        | {"exposure": "internet"},
        {"id": "fw02", "kind": "firewall", "vendor": "Fortinet", "product": "FortiGate 60F"},
        {"id": "sw01", "kind": "switch", "vendor": "Cisco", "product": "IOS XE"},
    ]
    inventory = load_document(document(*devices, rules=tuple(examples)), plugins=network)
    assert [spec.extends for spec in inventory.rules] == [e["extends"] for e in examples]
    plan = plan_document(document(*devices, rules=tuple(examples)), plugins=network)
    edge = tasks_for(plan, "fw01", "security-updates")
    assert [t.due.released.month for t in edge if t.due.released] == [1, 4, 7, 10]
    assert {t.duty.rule.pack for t in edge} == {"inventory"}
    switch = tasks_for(plan, "sw01", "security-updates")
    assert [t.due.anchor.month for t in switch] == [1, 4, 7, 10]
    assert tasks_for(plan, "fw02", "security-updates") == []
