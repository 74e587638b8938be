"""Inventories built in code: checked at the boundary, and again where they enter the
pipeline (``plan``, ``duties``, ``explain``, ``maintlib.validate``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import maintlib
from maintlib import Asset, InputError, Inventory
from maintlib.model.inventory import (
    Blackout,
    BlackoutCalendar,
    Organisation,
    PlanningSettings,
    Window,
)
from maintlib.model.rates import CostingSettings
from maintlib.model.rules import RuleSpec
from maintlib.model.vocabulary import Criticality, Environment, Exposure
from maintlib.outputs.explain import explain
from maintlib.testing import make_plugins

from .strategies import Vocabulary, valid_inventories

START = dt.date(2027, 1, 1)
NOW = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
ORG = Organisation("Acme", "Europe/Amsterdam")
NIGHTS = Window("nights", "FREQ=WEEKLY;BYDAY=SA", dt.time(22), dt.timedelta(hours=6))
CATALOG = maintlib.build_catalog(make_plugins())


def plan(inventory: Inventory) -> maintlib.Plan:
    return maintlib.plan(inventory, start=START, months=1, reference_time=NOW, plugins=CATALOG)


def locations(error: pytest.ExceptionInfo[InputError]) -> list[str]:
    return [f"{p.location}: {p.message}" for p in error.value.problems]


class TestConstructors:
    """Wrong types are converted or refused when the value is built, naming the field."""

    def test_enum_fields_take_their_values_as_text(self) -> None:
        asset = Asset("a", "firewall", criticality="high", exposure="internet", environment="test")  # type: ignore[arg-type]
        assert asset.criticality is Criticality.HIGH
        assert asset.exposure is Exposure.INTERNET
        assert asset.environment is Environment.TEST

    def test_a_string_criticality_plans(self) -> None:
        """Found: ``Asset(criticality="high")`` crashed deep in plan() with AttributeError."""
        asset = Asset("fw", "firewall", criticality="high")  # type: ignore[arg-type]
        result = plan(Inventory(ORG, assets=[asset], windows=(NIGHTS,)))
        assert result.tasks

    def test_unknown_enum_text_is_refused_with_the_choices(self) -> None:
        with pytest.raises(ValueError, match="'urgent' is not a criticality"):
            Asset("a", "firewall", criticality="urgent")  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        ("build", "message"),
        [
            (lambda: Asset("a", 3), "kind"),  # type: ignore[arg-type]
            (lambda: Asset("a", "switch", depends_on="b"), "tuple of str"),
            (lambda: Asset("a", "switch", tags=("x", 1)), "hold str values"),
            (lambda: Asset("a", "switch", hosted_on="Not An Id"), "hosted_on"),
            (lambda: Asset("a", "switch", value=1.5), "Decimal"),  # type: ignore[arg-type]
            (lambda: Asset("a", "switch", value=Decimal("NaN")), "finite"),
            (lambda: Asset("a", "switch", failures_last_year=True), "int"),
            (lambda: Asset("a", "switch", auto_update="yes"), "auto_update"),  # type: ignore[arg-type]
            (lambda: Window("w", "FREQ=DAILY", "22:00", dt.timedelta(hours=1)), "datetime.time"),  # type: ignore[arg-type]
            (
                lambda: Window(
                    "w", "FREQ=DAILY", dt.time(22, tzinfo=dt.UTC), dt.timedelta(hours=1)
                ),
                "wall-clock",
            ),
            (lambda: Window("w", "FREQ=DAILY", dt.time(22), dt.timedelta(0)), "longer than zero"),
            (lambda: Organisation("x", "Mars/Olympus"), "unknown time zone"),
            (lambda: Blackout("b", dt.datetime(2027, 1, 1), dt.date(2027, 1, 2)), "naive"),
            (lambda: Inventory(ORG, assets=["a"]), "Asset values"),  # type: ignore[list-item]
            (lambda: Inventory(ORG, windows=[NIGHTS, "w"]), "Window values"),  # type: ignore[list-item]
            (lambda: PlanningSettings(soak_days=1.5), "int"),  # type: ignore[arg-type]
        ],
    )
    def test_wrong_values_are_refused(self, build: Callable[[], object], message: str) -> None:
        with pytest.raises((TypeError, ValueError), match=message):
            build()

    def test_lists_become_tuples_and_numbers_decimals(self) -> None:
        asset = Asset("a", "switch", depends_on=["b"], tags=["x"], value=100)  # type: ignore[arg-type]
        assert asset.depends_on == ("b",)
        assert asset.tags == ("x",)
        assert asset.value == Decimal(100)
        assert Inventory(ORG, windows=[NIGHTS]).windows == (NIGHTS,)  # type: ignore[arg-type]


class TestEntryPoints:
    """Each finding of the issue: plan() raises InputError with the key path."""

    @pytest.mark.parametrize(
        ("assets", "expected"),
        [
            (
                [Asset("a", "switch", hosted_on="nope")],
                'assets[0] (id "a").hosted_on: unknown asset "nope"',
            ),
            (
                [Asset("a", "switch"), Asset("a", "firewall")],
                'assets[1] (id "a").id: duplicate asset id "a" (first at assets[0] (id "a"))',
            ),
            (
                [Asset("a", "switch", depends_on=("a",))],
                'assets[0] (id "a").depends_on: an asset cannot depend on itself',
            ),
            (
                [Asset("a", "toaster")],
                'assets[0] (id "a").kind: unknown asset kind "toaster"',
            ),
        ],
    )
    def test_plan_names_the_key_path(self, assets: list[Asset], expected: str) -> None:
        inventory = Inventory(ORG, assets=assets, windows=(NIGHTS,))
        with pytest.raises(InputError) as error:
            plan(inventory)
        assert any(line.startswith(expected) for line in locations(error)), locations(error)
        assert all(p.file == "<inventory>" for p in error.value.problems)

    def test_duplicate_windows_rules_and_profiles(self) -> None:
        inventory = Inventory(
            ORG,
            windows=(NIGHTS, NIGHTS),
            rules=(RuleSpec(extends="builtin/no-such-rule"),),
            costing=CostingSettings(profile="gold"),
        )
        with pytest.raises(InputError) as error:
            maintlib.validate(inventory, plugins=CATALOG)
        lines = locations(error)
        assert lines[0] == (
            'windows[1] (name "nights").name: duplicate window name "nights"'
            ' (first at windows[0] (name "nights"))'
        )
        assert any(line.startswith("rules[0].extends: unknown rule") for line in lines)
        assert any(line.startswith('costing.profile: unknown profile "gold"') for line in lines)

    def test_duties_and_explain_check_too(self) -> None:
        inventory = Inventory(ORG, assets=[Asset("a", "toaster")])
        with pytest.raises(InputError):
            maintlib.duties(inventory, plugins=CATALOG)
        with pytest.raises(InputError):
            explain(inventory, "a", CATALOG)

    def test_a_blackout_calendar_built_in_code_is_checked(self) -> None:
        calendar = BlackoutCalendar("closures.ics", b"BEGIN:VCALENDAR\r\nnot a calendar")
        with pytest.raises(InputError, match=r"closures\.ics: not an iCalendar file"):
            plan(Inventory(ORG, blackout_calendars=(calendar,)))

    def test_validate_returns_a_sound_inventory(self) -> None:
        inventory = Inventory(ORG, assets=[Asset("a", "switch")], windows=(NIGHTS,))
        assert maintlib.validate(inventory, plugins=CATALOG) is inventory


DEFECT_ID = "zz-defect"

#: One defect each: (name, change to the inventory, field the problem names).
Defect = Callable[[Inventory, Asset], tuple[Inventory, str]]


def _with(inventory: Inventory, *assets: Asset) -> Inventory:
    return attrs.evolve(inventory, assets=(*inventory.assets, *assets))


def _asset_path(inventory: Inventory, asset_id: str, field: str, occurrence: int = 0) -> str:
    indexes = [i for i, a in enumerate(inventory.assets) if a.id == asset_id]
    return f'assets[{indexes[occurrence]}] (id "{asset_id}").{field}'


def _asset_defect(field: str, **changes: object) -> Defect:
    def inject(inventory: Inventory, asset: Asset) -> tuple[Inventory, str]:
        changed = _with(inventory, attrs.evolve(asset, **changes))
        return changed, _asset_path(changed, asset.id, field)

    return inject


def _duplicate(inventory: Inventory, asset: Asset) -> tuple[Inventory, str]:
    changed = _with(inventory, asset, asset)
    return changed, _asset_path(changed, asset.id, "id", occurrence=1)


def _cycle(inventory: Inventory, asset: Asset) -> tuple[Inventory, str]:
    other = attrs.evolve(asset, id="zz-other", depends_on=(asset.id,))
    changed = _with(inventory, attrs.evolve(asset, depends_on=("zz-other",)), other)
    return changed, _asset_path(changed, asset.id, "depends_on")


def _window_overlap(inventory: Inventory, asset: Asset) -> tuple[Inventory, str]:
    window = Window("zz-daily", "FREQ=DAILY", dt.time(1), dt.timedelta(hours=25))
    changed = attrs.evolve(_with(inventory, asset), windows=(*inventory.windows, window))
    return changed, f'windows[{len(inventory.windows)}] (name "zz-daily").duration'


def _blackout_backwards(inventory: Inventory, asset: Asset) -> tuple[Inventory, str]:
    blackout = Blackout("zz", dt.date(2027, 2, 2), dt.date(2027, 2, 1))
    changed = attrs.evolve(_with(inventory, asset), blackouts=(*inventory.blackouts, blackout))
    return changed, f'blackouts[{len(inventory.blackouts)}] (name "zz").end'


DEFECTS: dict[str, Defect] = {
    "unknown kind": _asset_defect("kind", kind="toaster"),
    "dangling host": _asset_defect("hosted_on", hosted_on="zz-nowhere"),
    "hosted on itself": _asset_defect("hosted_on", hosted_on=DEFECT_ID),
    "dangling dependency": _asset_defect("depends_on", depends_on=("zz-nowhere",)),
    "depends on itself": _asset_defect("depends_on", depends_on=(DEFECT_ID,)),
    "unknown window": _asset_defect("window", window="zz-no-window"),
    "duplicate id": _duplicate,
    "dependency cycle": _cycle,
    "overlapping window": _window_overlap,
    "blackout ends before it starts": _blackout_backwards,
}


@pytest.fixture(scope="module")
def vocabulary() -> Vocabulary:
    return Vocabulary.of(CATALOG)


@given(data=st.data(), defect=st.sampled_from(sorted(DEFECTS)))
def test_one_defect_is_an_input_error_at_its_key_path(
    vocabulary: Vocabulary, data: st.DataObject, defect: str
) -> None:
    """Hypothesis (the issue's acceptance): a generated in-code inventory with one
    random defect makes plan() raise InputError naming the key path — never another
    exception."""
    inventory = data.draw(valid_inventories(vocabulary))
    taken = {a.id for a in inventory.assets} | {w.name for w in inventory.windows}
    if taken & {DEFECT_ID, "zz-other", "zz-nowhere", "zz-daily", "zz-no-window"}:
        return
    kind = data.draw(st.sampled_from(vocabulary.kinds))
    changed, path = DEFECTS[defect](inventory, Asset(DEFECT_ID, kind))
    with pytest.raises(InputError) as error:
        maintlib.plan(changed, start=START, months=1, reference_time=NOW, plugins=CATALOG)
    assert path in [p.location for p in error.value.problems], locations(error)
