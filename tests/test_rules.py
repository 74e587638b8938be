"""Selectors: which assets a rule covers, and how specific it is."""

from __future__ import annotations

import pytest

from maintlib.model.inventory import Asset
from maintlib.model.rules import Selector
from maintlib.model.vocabulary import Category, Exposure
from maintlib.testing import load_document

NODE = Asset(id="fw-a", kind="firewall", redundancy_group="edge")
SINGLE = Asset(id="fw-c", kind="firewall")


class TestRedundant:
    @pytest.mark.parametrize(
        ("redundant", "node", "single"),
        [(None, True, True), (True, True, False), (False, False, True)],
    )
    def test_selects_by_membership_of_a_redundancy_group(
        self, redundant: bool | None, node: bool, single: bool
    ) -> None:
        selector = Selector(kinds=("firewall",), redundant=redundant)
        assert selector.matches(NODE, Category.NETWORK) is node
        assert selector.matches(SINGLE, Category.NETWORK) is single

    def test_counts_like_a_tag_in_specificity(self) -> None:
        base = Selector(kinds=("firewall",))
        assert Selector(kinds=("firewall",), redundant=True).specificity == base.specificity + 2
        assert Selector(kinds=("firewall",), redundant=False).specificity == base.specificity + 2
        assert Selector(kinds=("firewall",), tags=("x",)).specificity == base.specificity + 2

    def test_an_inventory_rule_can_select_on_it(self) -> None:
        inventory = load_document(
            {
                "organisation": {"name": "x", "timezone": "UTC"},
                "assets": [{"id": "fw-a", "kind": "firewall", "redundancy_group": "edge"}],
                "rules": [
                    {
                        "extends": "builtin/network-firmware",
                        "selector": {"kinds": ["firewall"], "redundant": True},
                    }
                ],
            }
        )
        (spec,) = inventory.rules
        assert spec.changes["selector"] == Selector(kinds=("firewall",), redundant=True)


def test_severity_policies_carry_a_severity_and_no_update_class() -> None:
    from maintlib.model.rules import Deadlines, severity_policies

    (critical, low) = severity_policies(
        "acme", {"Critical": Deadlines(1, 2, 3, 4), "Low": Deadlines.same(30)}, "Acme PSIRT"
    )
    assert (critical.id, critical.severity, critical.update_class) == (
        "acme-critical",
        "Critical",
        None,
    )
    assert low.deadlines == Deadlines.same(30)
    assert low.citation == "Acme PSIRT"


class TestExposures:
    def test_selects_internet_facing_assets(self) -> None:
        edge = Asset(id="fw-e", kind="firewall", exposure=Exposure.INTERNET)
        inside = Asset(id="fw-i", kind="firewall", exposure=Exposure.INTERNAL)
        selector = Selector(kinds=("firewall",), exposures=(Exposure.INTERNET,))
        assert selector.matches(edge, Category.NETWORK)
        assert not selector.matches(inside, Category.NETWORK)
        assert selector.specificity == Selector(kinds=("firewall",)).specificity + 2

    def test_an_inventory_rule_can_select_on_it(self) -> None:
        inventory = load_document(
            {
                "organisation": {"name": "x", "timezone": "UTC"},
                "assets": [{"id": "fw-e", "kind": "firewall", "exposure": "internet"}],
                "rules": [
                    {
                        "extends": "builtin/network-firmware",
                        "id": "edge-firmware",
                        "selector": {"kinds": ["firewall"], "exposures": ["internet"]},
                    }
                ],
            }
        )
        (spec,) = inventory.rules
        selector = spec.changes["selector"]
        assert isinstance(selector, Selector)
        assert selector.exposures == (Exposure.INTERNET,)


def test_every_routine_check_has_its_own_checklist() -> None:
    """A technician's calendar shows the checklist: each routine check of the built-in
    pack (work without an update class) has steps of its own, not a shared placeholder."""
    from maintlib.packs.catalog import build_catalog
    from maintlib.testing import make_plugins

    catalog = build_catalog(make_plugins())
    by_steps: dict[tuple[str, ...], set[str]] = {}
    for rule in catalog.rules:
        if rule.pack != "builtin" or not rule.steps or rule.update_class is not None:
            continue
        texts = tuple(step.text for step in rule.steps)
        by_steps.setdefault(texts, set()).add(rule.activity)
        assert not any("work through the checklist" in t.casefold() for t in texts), rule.id
    shared = {steps: names for steps, names in by_steps.items() if len(names) > 1}
    assert shared == {}
    checks = [r for r in catalog.rules if r.pack == "builtin" and r.update_class is None]
    assert all(r.steps and len(r.steps) >= 2 for r in checks if r.activity != "training")
