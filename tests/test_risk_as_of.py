"""The day risks are assessed for reaches the packs' ``maintlib_risk_factors``."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

from maintlib import hookimpl
from maintlib.model.inventory import Asset, Inventory
from maintlib.model.risk import RiskFactor
from maintlib.model.vocabulary import Tier
from maintlib.outputs.explain import explain
from maintlib.packs.catalog import build_catalog
from maintlib.planning.apply import apply
from maintlib.testing import load_document, make_plugins, plan_document

END = dt.date(2027, 1, 12)
DOCUMENT: dict[str, Any] = {
    "organisation": {"name": "x", "timezone": "Europe/Amsterdam"},
    "assets": [{"id": "old", "kind": "virtual_server", "criticality": "low"}],
}


def _supported_until(asset: Asset, as_of: dt.date | None) -> list[RiskFactor]:
    """60 points while support ends within the month after ``as_of``."""
    if as_of is None or not as_of <= END < as_of + dt.timedelta(days=31):
        return []
    return [RiskFactor("end of support", f"{(END - as_of).days} days left", 60.0)]


dated = SimpleNamespace(maintlib_risk_factors=hookimpl(_supported_until))
#: A pack written without ``as_of``: an implementation may leave parameters out.
undated = SimpleNamespace(
    maintlib_risk_factors=hookimpl(
        lambda asset, inventory: [RiskFactor("assets", str(len(inventory.assets)), 0.0)]
    )
)
PLUGINS = make_plugins({"dated": dated, "undated": undated})


def _tiers(start: dt.date) -> set[Tier]:
    plan = plan_document(DOCUMENT, start=start, months=1, plugins=PLUGINS)
    return {t.duty.tier for t in plan.tasks if t.duty.asset is not None}


def test_a_plan_assesses_risk_as_of_its_first_day() -> None:
    assert _tiers(dt.date(2027, 1, 1)) == {Tier.P1}
    assert Tier.P1 not in _tiers(dt.date(2027, 2, 1))


def test_apply_passes_its_date_to_every_pack() -> None:
    inventory = load_document(DOCUMENT, plugins=PLUGINS)
    risks = apply(inventory, build_catalog(PLUGINS), as_of=dt.date(2027, 1, 1)).risks
    factors = {f.name: f for f in risks["old"].factors}
    assert factors["end of support"] == RiskFactor("end of support", "11 days left", 60.0)
    assert factors["assets"] == RiskFactor("assets", "1", 0.0)


def test_explain_passes_its_date_and_without_one_dated_factors_stay_out() -> None:
    catalog = build_catalog(PLUGINS)
    inventory: Inventory = load_document(DOCUMENT, plugins=PLUGINS)
    dated_explanation = explain(inventory, "old", catalog, as_of=dt.date(2027, 1, 11))
    values = {f["name"]: f["value"] for f in dated_explanation["risk"]["factors"]}
    assert values["end of support"] == "1 days left"
    undated_explanation = explain(inventory, "old", catalog)
    assert "end of support" not in {f["name"] for f in undated_explanation["risk"]["factors"]}
