"""The apply stage: rule resolution, inventory rules, auto_update, risk-adjusted duties."""

from __future__ import annotations

import datetime as dt
import functools
import itertools
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from maintlib.model.catalog import Catalog
from maintlib.model.inventory import Asset, Inventory, Organisation
from maintlib.model.rules import Deadlines, Periodic, Rule, RuleSpec, Selector
from maintlib.model.vocabulary import Criticality, Environment, Exposure, Mode, Tier, UpdateClass
from maintlib.model.work import Duty
from maintlib.packs.builtin import MONTHLY
from maintlib.packs.catalog import build_catalog
from maintlib.packs.manager import plugins_from
from maintlib.planning.apply import apply
from maintlib.testing import make_plugins
from packs import acme_ups

ORG = Organisation("Apply", ZoneInfo("Europe/Amsterdam"))


def duties_of(inventory: Inventory, catalog: Catalog, asset_id: str) -> dict[str, Duty]:
    return {d.activity.name: d for d in apply(inventory, catalog).of(asset_id)}


def one(asset: Asset, *rules: RuleSpec) -> Inventory:
    return Inventory(organisation=ORG, assets=[asset], rules=rules)


class TestBuiltinPack:
    def test_a_virtual_server_gets_the_articles_duties(self, catalog: Catalog) -> None:
        duties = duties_of(one(Asset(id="vm", kind="virtual_server")), catalog, "vm")
        assert set(duties) == {
            "health-check",
            "performance-review",
            "security-updates",
            "service-pack",
            "standard-updates",
        }
        security = duties["security-updates"]
        assert security.rule.key == "builtin/virtual-server-security-updates"
        assert security.mode is Mode.WINDOW
        assert security.downtime
        assert [s.kind.value for s in security.steps] == [
            "backup",
            "test",
            "update",
            "monitor",
            "rollback",
        ]

    def test_the_hypervisor_layer_is_maintained_more_often_than_its_vms(
        self, catalog: Catalog
    ) -> None:
        inventory = Inventory(
            organisation=ORG,
            assets=[
                Asset(id="hv", kind="hypervisor"),
                Asset(id="vm", kind="virtual_server", hosted_on="hv"),
            ],
        )
        host, guest = duties_of(inventory, catalog, "hv"), duties_of(inventory, catalog, "vm")
        assert "firmware-update" in host
        assert "firmware-update" not in guest
        assert host["performance-review"].cadence == Periodic("FREQ=WEEKLY")
        assert guest["performance-review"].cadence == MONTHLY
        assert host["security-updates"].deadline_days <= guest["security-updates"].deadline_days  # type: ignore[operator]

    def test_organisation_wide_duties_are_planned_once(self, catalog: Catalog) -> None:
        duties = apply(Inventory(organisation=ORG), catalog).duties
        assert {(d.subject, d.activity.name) for d in duties} == {
            ("organisation", "plan-review"),
            ("organisation", "training"),
        }

    def test_p1_assets_get_shorter_deadlines_and_more_frequent_checks(
        self, catalog: Catalog
    ) -> None:
        critical = Asset(
            id="web",
            kind="virtual_server",
            criticality=Criticality.CRITICAL,
            exposure=Exposure.INTERNET,
            failures_last_year=5,
        )
        quiet = Asset(id="calm", kind="virtual_server", criticality=Criticality.LOW)
        inventory = Inventory(organisation=ORG, assets=[critical, quiet])
        hot, cold = duties_of(inventory, catalog, "web"), duties_of(inventory, catalog, "calm")
        assert hot["security-updates"].tier is Tier.P1
        assert cold["security-updates"].tier is Tier.P4
        assert hot["security-updates"].deadline_days == 7
        assert cold["security-updates"].deadline_days == 30
        assert hot["health-check"].cadence == Periodic("FREQ=WEEKLY;INTERVAL=2")


class TestAutoUpdate:
    def test_false_turns_automatic_updates_into_planned_downtime(self, catalog: Catalog) -> None:
        laptop = Asset(id="lt", kind="laptop", auto_update=False)
        duties = duties_of(one(laptop), catalog, "lt")
        assert duties["security-updates"].mode is Mode.WINDOW
        assert duties["security-updates"].downtime
        assert duties["definitions-update"].mode is Mode.OFFICE_HOURS
        assert "auto_update = false" in duties["security-updates"].notes[0]

    def test_true_turns_planned_security_updates_into_verified_automatic_ones(
        self, catalog: Catalog
    ) -> None:
        server = Asset(id="srv", kind="virtual_server", auto_update=True)
        duties = duties_of(one(server), catalog, "srv")
        assert duties["security-updates"].mode is Mode.AUTOMATIC
        assert not duties["security-updates"].downtime
        assert duties["service-pack"].mode is Mode.WINDOW  # larger bundles stay planned


class TestResolution:
    def test_the_most_specific_selector_wins_and_records_what_it_overrode(self) -> None:
        specific = Rule(
            id="windows-vm-security",
            activity="security-updates",
            selector=Selector(kinds=("virtual_server",), vendor="Microsoft", product="Windows*"),
            cadence=Periodic("FREQ=MONTHLY;BYDAY=2TU"),
            duration=dt.timedelta(hours=1),
            update_class=UpdateClass.SECURITY,
            downtime=True,
        )
        pack = _module("vendor", maintlib_rules=lambda: [specific])
        catalog = build_catalog(make_plugins({"vendor": pack}))
        vm = Asset(id="vm", kind="virtual_server", vendor="Microsoft", product="Windows Server")
        duty = duties_of(one(vm), catalog, "vm")["security-updates"]
        assert duty.rule.key == "vendor/windows-vm-security"
        assert duty.overrides == ("builtin/virtual-server-security-updates",)

    def test_among_equally_specific_rules_the_stricter_wins(self) -> None:
        def rule(rule_id: str, rrule: str, days: int) -> Rule:
            return Rule(
                id=rule_id,
                activity="health-check",
                selector=Selector(kinds=("storage",), vendor="NetApp"),
                cadence=Periodic(rrule),
                duration=dt.timedelta(hours=1),
                deadlines=Deadlines.same(days),
            )

        pack = _module(
            "a",
            maintlib_rules=lambda: [
                rule("slow", "FREQ=MONTHLY", 3),
                rule("often", "FREQ=WEEKLY", 5),
                rule("often-tight", "FREQ=WEEKLY", 2),
            ],
        )
        catalog = build_catalog(make_plugins({"a": pack}))
        duty = duties_of(one(Asset(id="san", kind="storage", vendor="NetApp")), catalog, "san")
        assert duty["health-check"].rule.id == "often-tight"

    @given(order=st.permutations(["builtin", "acme", "vendor"]))
    def test_resolution_is_the_same_for_every_registration_order(self, order: list[str]) -> None:
        competing = Rule(
            id="ups-firmware-monthly",
            activity="firmware-update",
            selector=Selector(kinds=("ups",), vendor="Acme*"),
            cadence=MONTHLY,
            duration=dt.timedelta(hours=1),
            update_class=UpdateClass.FIRMWARE,
        )
        modules = {
            "builtin": make_plugins().manager.get_plugin("builtin"),
            "acme": acme_ups,
            "vendor": _module("vendor", maintlib_rules=lambda: [competing]),
        }
        plugins = plugins_from({name: modules[name] for name in order})
        inventory = one(Asset(id="ups1", kind="ups", vendor="Acme Power"))
        duties = apply(inventory, build_catalog(plugins)).duties
        reference = apply(
            inventory, build_catalog(make_plugins({"acme": acme_ups, "vendor": modules["vendor"]}))
        )
        assert duties == reference.duties


class TestInventoryRules:
    def test_an_inventory_rule_wins_over_any_pack_rule(self, catalog: Catalog) -> None:
        mine = Rule(
            id="weekly-checks",
            activity="health-check",
            selector=Selector(),
            cadence=Periodic("FREQ=WEEKLY"),
            duration=dt.timedelta(minutes=20),
            pack="inventory",
        )
        duty = duties_of(
            one(Asset(id="fs", kind="physical_server"), RuleSpec(rule=mine)), catalog, "fs"
        )
        assert duty["health-check"].rule.key == "inventory/weekly-checks"
        assert "builtin/server-health-check" in duty["health-check"].overrides

    def test_extends_changes_fields_of_a_pack_rule_for_the_assets_it_selects(
        self, catalog: Catalog
    ) -> None:
        spec = RuleSpec(
            extends="builtin/server-health-check",
            changes={"selector": Selector(assets=("fs",)), "cadence": Periodic("FREQ=WEEKLY")},
        )
        inventory = Inventory(
            organisation=ORG,
            assets=[
                Asset(id="fs", kind="physical_server"),
                Asset(id="other", kind="physical_server"),
            ],
            rules=(spec,),
        )
        assert duties_of(inventory, catalog, "fs")["health-check"].cadence == Periodic(
            "FREQ=WEEKLY"
        )
        assert duties_of(inventory, catalog, "other")["health-check"].cadence == MONTHLY

    def test_a_disabled_rule_removes_the_activity(self, catalog: Catalog) -> None:
        spec = RuleSpec(extends="builtin/vm-performance-review", changes={"enabled": False})
        duties = duties_of(one(Asset(id="vm", kind="virtual_server"), spec), catalog, "vm")
        assert "performance-review" not in duties


class TestSamplePack:
    def test_a_registered_pack_adds_a_kind_and_rules_and_explain_shows_them(self) -> None:
        from maintlib.outputs.explain import explain

        catalog = build_catalog(make_plugins({"acme": acme_ups}))
        inventory = one(
            Asset(id="ups1", kind="ups", vendor="Acme Power", criticality=Criticality.HIGH)
        )
        data = explain(inventory, "ups1", catalog)
        rules = {d["activity"]: d["source"] for d in data["duties"]}
        assert rules["battery-test"] == {
            "pack": "acme",
            "rule": "ups-battery-test",
            "citation": "Acme UPS manual, chapter 7 (fictional)",
        }
        assert rules["firmware-update"]["rule"] == "ups-firmware"
        firmware = next(d for d in data["duties"] if d["activity"] == "firmware-update")
        assert firmware["cadence"] == "7 days after each release of acme-firmware"
        assert data["risk"]["tier"] in {"P1", "P2", "P3", "P4"}
        assert {f["name"] for f in data["risk"]["factors"]} >= {"criticality", "blast radius"}


def _module(name: str, **hooks: object) -> object:
    """A pack as a plain object with hook functions (like a module)."""
    return type(name, (), {key: staticmethod(value) for key, value in hooks.items()})()


@pytest.mark.parametrize(
    ("environment", "ring"), [("test", 0), ("development", 0), ("acceptance", 1), ("production", 2)]
)
def test_environments_map_to_rings(environment: str, ring: int) -> None:
    assert Environment(environment).ring == ring


def test_resolution_caches_do_not_mix_assets(catalog: Catalog) -> None:
    assets = [
        Asset(id=f"vm{i}", kind="virtual_server", auto_update=a)
        for i, a in zip(range(6), itertools.cycle([None, True, False]))
    ]
    duties = apply(Inventory(organisation=ORG, assets=assets), catalog).duties
    for duty in duties:
        if duty.asset is not None and duty.activity.name == "security-updates":
            expected = Mode.AUTOMATIC if duty.asset.auto_update else Mode.WINDOW
            assert duty.mode is expected


@functools.cache
def _installed() -> Catalog:
    from maintlib.packs.manager import load_plugins

    return build_catalog(load_plugins())


_PRODUCTS = [
    ("Microsoft", "Windows Server 2016", "", "physical_server"),
    ("Microsoft", "Windows Server 2022", "", "virtual_server"),
    ("Canonical", "Ubuntu", "22.04", "virtual_server"),
    ("Debian", "Debian", "12", "virtual_server"),
    ("Red Hat", "RHEL", "8.10", "physical_server"),
    ("Fortinet", "FortiGate 100F", "7.4.7", "firewall"),
    ("Cisco", "Catalyst 9300", "17.9", "switch"),
    ("VMware", "ESXi", "8.0", "hypervisor"),
    ("Dell", "PowerEdge R750", "", "physical_server"),
]


@given(
    st.lists(
        st.tuples(
            st.sampled_from(_PRODUCTS),
            st.sampled_from(list(Environment)),
            st.sampled_from(list(Exposure)),
            st.sampled_from([(), ("esu",), ("els", "pci")]),
            st.sampled_from([None, "pair"]),
        ),
        min_size=1,
        max_size=12,
    ),
    st.integers(min_value=0, max_value=11),
)
def test_assets_alike_are_matched_alike_and_named_assets_apart(
    specs: list[
        tuple[tuple[str, str, str, str], Environment, Exposure, tuple[str, ...], str | None]
    ],
    named: int,
) -> None:
    """apply remembers rule matches (and the packs' lifecycle rows) per kind of asset:
    every asset's duties and risk must be what it gets planned on its own, also when an
    inventory rule names one of several assets alike."""
    catalog = _installed()
    assets = [
        Asset(
            id=f"a{i}",
            kind=kind,
            vendor=vendor,
            product=product,
            version=version,
            environment=environment,
            exposure=exposure,
            tags=tags,
            redundancy_group=group,
        )
        for i, ((vendor, product, version, kind), environment, exposure, tags, group) in enumerate(
            specs
        )
    ]
    target = assets[named % len(assets)].id
    spec = RuleSpec(
        extends="builtin/server-health-check",
        changes={"selector": Selector(assets=(target,)), "cadence": Periodic("FREQ=WEEKLY")},
    )
    day = dt.date(2027, 1, 1)
    together = apply(Inventory(organisation=ORG, assets=assets, rules=(spec,)), catalog, as_of=day)
    for asset in assets:
        alone = apply(
            Inventory(organisation=ORG, assets=[asset], rules=(spec,)), catalog, as_of=day
        )
        assert together.of(asset.id) == alone.of(asset.id)
        assert together.risks[asset.id] == alone.risks[asset.id]


def test_a_lifecycle_row_naming_an_asset_is_found_for_it_alone() -> None:
    """``support_end`` remembers rows per kind of asset (``first_match``): a row naming
    one asset must not be taken for its twin, and a table changed is read afresh."""
    from maintlib.packs import SupportEnd, first_match, support_end

    def row(name: str, selector: Selector) -> SupportEnd:
        return SupportEnd(name, (selector,), dt.date(2027, 1, 1), "test", "Low")

    table = (
        row("pinned", Selector(assets=("srv1",))),
        row("general", Selector(product="Acme OS*")),
    )
    one, twin = (Asset(id=i, kind="physical_server", product="Acme OS 5") for i in ("srv1", "srv2"))
    assert [support_end(a, table) for a in (twin, one, twin)] == [table[1], table[0], table[1]]
    other = (row("other", Selector(product="Other*")),)
    assert support_end(one, other) is None
    assert first_match(table[1:], one, SupportEnd.matches) is table[1]


def test_assets_that_score_alike_share_one_assessment_with_their_own_words(
    catalog: Catalog,
) -> None:
    # apply() makes one assessment per distinct set of inputs (a fleet's assets score
    # alike); equal amounts written differently keep their own words.
    assets = [
        Asset(id="pc1", kind="workstation", value=Decimal("1200")),
        Asset(id="pc2", kind="workstation", value=Decimal("1200")),
        Asset(id="pc3", kind="workstation", value=Decimal("1200.00")),
    ]
    risks = apply(Inventory(organisation=ORG, assets=assets), catalog).risks
    assert risks["pc1"] is risks["pc2"]
    words = {
        asset: next(f.value for f in risks[asset].factors if f.name == "value") for asset in risks
    }
    assert words == {"pc1": "1200", "pc2": "1200", "pc3": "1200.00"}
    assert risks["pc3"].score == risks["pc1"].score
