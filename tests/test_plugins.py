"""Rule packs: loading, blocking, failures named, and one test per hook."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from maintlib import hookimpl
from maintlib.model.catalog import rate_card_for
from maintlib.model.errors import PluginError
from maintlib.model.feeds import Feeds, KevEntry
from maintlib.model.inventory import Asset, Inventory, Organisation
from maintlib.model.money import CostRange
from maintlib.model.rates import CostingSettings, RateCard
from maintlib.model.risk import RiskFactor
from maintlib.model.rules import CalendarPeriod, DeadlinePolicy, Deadlines, ReleaseCalendar, Rule
from maintlib.model.vocabulary import UpdateClass
from maintlib.packs import ProductFamily, hookspecs, releases
from maintlib.packs.catalog import build_catalog
from maintlib.packs.manager import load_plugins, plugins_from
from maintlib.planning.apply import apply
from maintlib.testing import load_document, make_plugins
from maintlib.vulns.rulings import assess
from packs import acme_ups

ROOT = Path(__file__).parent.parent
ORG = Organisation("Packs", ZoneInfo("Europe/Amsterdam"))
HOOKS = sorted(name for name in dir(hookspecs) if name.startswith("maintlib_"))


def pack(**hooks: Any) -> SimpleNamespace:
    """A pack as a namespace of hook functions, each marked like a real one."""
    return SimpleNamespace(**{name: hookimpl(function) for name, function in hooks.items()})


class TestHooks:
    def test_hook_asset_kinds(self) -> None:
        catalog = build_catalog(make_plugins({"acme": acme_ups}))
        assert catalog.kinds["ups"].infrastructure
        inventory = load_document(
            {
                "organisation": {"name": "x", "timezone": "UTC"},
                "assets": [{"id": "u", "kind": "ups"}],
            },
            plugins=make_plugins({"acme": acme_ups}),
        )
        assert inventory.asset("u").kind == "ups"

    def test_hook_activities(self) -> None:
        catalog = build_catalog(make_plugins({"acme": acme_ups}))
        assert catalog.activities["battery-test"].label == "Battery test"
        assert catalog.activities["battery-test"].label_in("nl") == "Batterijtest"

    def test_hook_product_families(self) -> None:
        """A KEV entry names the software; the inventory the box it runs on."""
        pack = SimpleNamespace(
            maintlib_product_families=hookimpl(
                lambda: [
                    ProductFamily(
                        "Acme Power", ("SmartUPS*",), ("AcmeOS",), citation="Acme (fictional)"
                    )
                ]
            )
        )
        plugins = make_plugins({"acme": acme_ups, "acme-families": pack})
        catalog = build_catalog(plugins)
        assert [(f.name, f.pack) for f in catalog.product_families] == [
            ("Acme Power AcmeOS", "acme-families")
        ]
        inventory = load_document(
            {
                "organisation": {"name": "x", "timezone": "UTC"},
                "assets": [
                    {"id": "u1", "kind": "ups", "vendor": "Acme Power", "product": "SmartUPS 3000"},
                    {"id": "u2", "kind": "ups", "vendor": "Acme Power", "product": "PowerDoor"},
                ],
            },
            plugins=plugins,
        )
        entry = KevEntry(
            "CVE-2027-0001",
            "Acme Power",
            "AcmeOS Software",
            "AcmeOS web UI",
            dt.date(2027, 1, 5),
            "",
            "Apply the update.",
            dt.date(2027, 1, 26),
        )
        found = assess(
            inventory,
            Feeds(kev={entry.cve: entry}),
            [],
            as_of=dt.date(2027, 1, 1),
            families=catalog.product_families,
        )
        assert [(a.finding.asset.id, a.finding.name_only) for a in found.assessments] == [
            ("u1", True)
        ]

    def test_a_product_family_must_name_its_software(self) -> None:
        with pytest.raises(ValueError, match="software must name what it runs"):
            ProductFamily("Acme Power", ("SmartUPS*",), ())

    def test_hook_release_calendars(self) -> None:
        catalog = build_catalog(make_plugins({"acme": acme_ups}))
        calendar = catalog.calendars["acme-firmware"]
        found = releases(
            calendar,
            dt.datetime(2027, 1, 1, tzinfo=dt.UTC),
            dt.datetime(2028, 1, 1, tzinfo=dt.UTC),
        )
        assert [r.date() for r in found] == [
            dt.date(2027, 1, 4),
            dt.date(2027, 4, 5),
            dt.date(2027, 7, 5),
            dt.date(2027, 10, 4),
        ]
        assert all(r.hour == 9 and r.tzinfo == ZoneInfo("Europe/Amsterdam") for r in found)

    def test_hook_release_calendars_with_an_effective_date(self) -> None:
        changed = ReleaseCalendar(
            id="vendor",
            name="Vendor advisories",
            vendor="Vendor",
            timezone="America/Los_Angeles",
            time=dt.time(8),
            periods=(
                CalendarPeriod("FREQ=YEARLY;BYMONTH=3,9;BYDAY=4WE"),
                CalendarPeriod("FREQ=MONTHLY;BYDAY=1WE,3WE", effective_from=dt.date(2026, 7, 1)),
            ),
            source="test",
        )
        found = releases(
            changed, dt.datetime(2026, 1, 1, tzinfo=dt.UTC), dt.datetime(2026, 9, 1, tzinfo=dt.UTC)
        )
        assert [r.date().isoformat() for r in found] == [
            "2026-03-25",
            "2026-07-01",
            "2026-07-15",
            "2026-08-05",
            "2026-08-19",
        ]

    def test_hook_rules(self) -> None:
        catalog = build_catalog(make_plugins({"acme": acme_ups}))
        assert {r.key for r in catalog.rules if r.pack == "acme"} == {
            "acme/ups-battery-test",
            "acme/ups-firmware",
        }
        assert catalog.rules_by_pack()["acme"] == 2

    def test_hook_deadline_policies(self) -> None:
        strict = DeadlinePolicy(
            "strict-firmware", Deadlines(1, 2, 3, 4), update_class=UpdateClass.FIRMWARE
        )
        catalog = build_catalog(
            make_plugins({"strict": pack(maintlib_deadline_policies=lambda: [strict])})
        )
        assert catalog.default_deadlines(UpdateClass.FIRMWARE) == Deadlines(1, 2, 3, 4)
        inventory = Inventory(organisation=ORG, assets=[Asset(id="sw", kind="switch")])
        firmware = next(
            d for d in apply(inventory, catalog).duties if d.activity.name == "firmware-update"
        )
        assert firmware.deadline_days == Deadlines(1, 2, 3, 4).for_tier(firmware.tier)

    def test_hook_rate_cards(self, catalog: Any) -> None:
        builtin = catalog.rate_cards["default"]
        card = RateCard(
            "provider-2027",
            CostRange(Decimal(95), Decimal(125), "EUR"),
            builtin.bands,
            description="A provider's own price list",
        )
        catalog = build_catalog(
            make_plugins({"provider": pack(maintlib_rate_cards=lambda: [card])})
        )
        inventory = Inventory(organisation=ORG, costing=CostingSettings(profile="provider-2027"))
        resolved = rate_card_for(inventory, catalog)
        assert resolved is not None
        assert resolved.hourly.low == Decimal(95)
        assert resolved.pack == "provider"

    def test_hook_risk_factors(self) -> None:
        def factors(asset: Asset, inventory: Inventory) -> list[RiskFactor]:
            return [RiskFactor("end of support", "ended", 30.0)] if asset.version == "2012" else []

        catalog = build_catalog(make_plugins({"eos": pack(maintlib_risk_factors=factors)}))
        inventory = Inventory(
            organisation=ORG,
            assets=[
                Asset(id="old", kind="virtual_server", version="2012"),
                Asset(id="new", kind="virtual_server"),
            ],
        )
        risks = apply(inventory, catalog).risks
        assert risks["old"].factors[-1].name == "end of support"
        assert risks["old"].score == pytest.approx(risks["new"].score + 30.0)


class TestMeta:
    def test_every_hook_is_documented(self) -> None:
        reference = (ROOT / "docs" / "plugins" / "hooks.md").read_text(encoding="utf-8")
        headings = set(re.findall(r"^## `(maintlib_\w+)\(", reference, flags=re.MULTILINE))
        assert headings == set(HOOKS)

    def test_every_hook_has_a_test(self) -> None:
        tests = {name for name in dir(TestHooks) if name.startswith("test_hook_")}
        for hook in HOOKS:
            assert f"test_hook_{hook.removeprefix('maintlib_')}" in tests, hook


class TestLoading:
    def test_the_builtin_pack_comes_through_the_entry_point(self) -> None:
        plugins = load_plugins(environ={})
        assert "builtin" in plugins.names()
        info = next(p for p in plugins.info() if p.name == "builtin")
        assert "maintlib_rules" in info.hooks

    def test_only_and_block_and_the_environment_choose_packs(self) -> None:
        assert load_plugins(only={"builtin"}, environ={}).names() == ["builtin"]
        assert "builtin" not in load_plugins(block={"builtin"}, environ={}).names()
        with pytest.warns(UserWarning, match="'other'"):
            blocked = load_plugins(environ={"MAINTLIB_DISABLE_PLUGINS": "builtin, other"})
        assert "builtin" not in blocked.names()

    def test_asking_for_a_pack_that_is_not_installed_is_an_error(self) -> None:
        with pytest.raises(PluginError, match="no installed pack has that name"):
            load_plugins(only={"builtin", "nonexistent"}, environ={})

    def test_a_misspelt_hook_fails_loudly(self) -> None:
        def maintlib_rulez() -> list[Rule]:
            return []

        with pytest.raises(PluginError, match=r"typo.*maintlib_rulez"):
            plugins_from({"typo": pack(maintlib_rulez=maintlib_rulez)})

    def test_an_unmarked_misspelt_hook_fails_too(self) -> None:
        class Unmarked:
            @staticmethod
            def maintlib_asset_kind() -> list[object]:
                return []

        with pytest.raises(PluginError, match="maintlib_asset_kind"):
            plugins_from({"unmarked": Unmarked()})

    def test_a_pack_that_raises_is_named_with_its_hook(self) -> None:
        def broken() -> list[Rule]:
            raise RuntimeError("database unreachable")

        with pytest.raises(PluginError) as caught:
            build_catalog(make_plugins({"broken": pack(maintlib_rules=broken)}))
        assert caught.value.plugin == "broken"
        assert caught.value.hook == "maintlib_rules"
        assert "RuntimeError: database unreachable" in str(caught.value)

    def test_a_pack_returning_the_wrong_type_is_named(self) -> None:
        with pytest.raises(PluginError, match="returned str, expected AssetKind"):
            build_catalog(make_plugins({"wrong": pack(maintlib_asset_kinds=lambda: ["ups"])}))

    def test_two_packs_may_not_define_the_same_calendar(self) -> None:
        calendar = acme_ups.maintlib_release_calendars()[0]
        copy = pack(maintlib_release_calendars=lambda: [calendar])
        with pytest.raises(PluginError, match="id 'acme-firmware' is also defined"):
            build_catalog(make_plugins({"acme": acme_ups, "copy": copy}))

    def test_a_rule_naming_an_unknown_activity_is_refused(self) -> None:
        rule = acme_ups.maintlib_rules()[0]
        with pytest.raises(PluginError, match='unknown activity "battery-test"'):
            build_catalog(make_plugins({"half": pack(maintlib_rules=lambda: [rule])}))


class TestPackValuesChecked:
    """Issue 29: a pack's values are checked field by field when the catalog is built."""

    def _rule(self, **changes: Any) -> Rule:
        import attrs

        return attrs.evolve(acme_ups.maintlib_rules()[0], **changes)

    def _build(self, rule: Rule) -> PluginError:
        bad = pack(maintlib_rules=lambda: [rule])
        with pytest.raises(PluginError) as caught:
            build_catalog(make_plugins({"acme": acme_ups, "zbad": bad}))
        return caught.value

    def test_a_string_where_a_cadence_belongs_names_pack_hook_and_field(self) -> None:
        error = self._build(self._rule(id="weekly", cadence="FREQ=WEEKLY"))
        assert error.plugin == "zbad"
        assert error.hook == "maintlib_rules"
        assert "Rule 'weekly': cadence: expected Periodic | Released | Once" in str(error)
        assert "got str 'FREQ=WEEKLY'" in str(error)
        assert "Periodic('FREQ=WEEKLY')" in str(error)

    def test_a_wrong_type_deep_inside_is_found_by_its_path(self) -> None:
        from maintlib.model.rules import Step

        error = self._build(self._rule(steps=(Step("update", "Install."),)))  # type: ignore[arg-type]
        assert "steps[0].kind: expected StepKind, got str 'update'" in str(error)
        error = self._build(self._rule(duration=60))
        assert "duration: expected timedelta, got int 60" in str(error)
        error = self._build(self._rule(downtime="no"))
        assert "downtime: expected bool" in str(error)

    def test_a_bad_value_never_reaches_the_planner(self) -> None:
        """`maintlib check` and `plan` stop at the catalog: the error names the pack."""
        rule = self._rule(id="weekly", cadence="FREQ=WEEKLY")
        with pytest.raises(PluginError, match="zbad"):
            load_document(
                {"organisation": {"name": "x", "timezone": "UTC"}, "assets": []},
                plugins=make_plugins(
                    {"acme": acme_ups, "zbad": pack(maintlib_rules=lambda: [rule])}
                ),
            )

    def test_every_installed_pack_passes(self) -> None:
        catalog = build_catalog(load_plugins(environ={}))
        assert catalog.rules

    def test_risk_factors_are_checked_too(self) -> None:
        factor = RiskFactor("age", 3, 1.0)  # type: ignore[arg-type]
        bad = pack(maintlib_risk_factors=lambda asset: [factor])
        plugins = make_plugins({"zbad": bad})
        asset = Asset("srv01", "server")
        with pytest.raises(PluginError, match=r"RiskFactor 'age': value: expected str, got int 3"):
            plugins.risk_factors(asset, Inventory(ORG, (asset,)))

    def test_a_typo_in_the_disable_variable_is_warned_with_the_known_names(self) -> None:
        from maintlib.model.errors import InputWarning

        with pytest.warns(
            InputWarning, match=r"'bultin' — did you mean \"builtin\"\?.*installed: "
        ):
            plugins = load_plugins(environ={"MAINTLIB_DISABLE_PLUGINS": "bultin"})
        assert "builtin" in plugins.names()
