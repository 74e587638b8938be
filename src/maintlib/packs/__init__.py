"""Everything a rule-pack author needs, in one place.

A rule pack is a pluggy plugin in the entry-point group ``maintlib`` whose hooks
(:mod:`maintlib.packs.hookspecs`) return the values below: asset kinds, activities,
release calendars, rules, deadline policies, rate cards and per-asset risk factors::

    from maintlib.packs import Activity, Periodic, Rule, Selector, hookimpl

    @hookimpl
    def maintlib_rules():
        return [Rule(...)]

The catalog (:func:`build_catalog`) merges what every loaded pack says; the plugin
manager (:func:`load_plugins`) finds the packs and the facade :class:`Plugins` asks
them, one typed method per hook. ``docs/plugins/`` teaches pack writing; the helpers
for testing a pack are in :mod:`maintlib.testing`.

Imports :mod:`maintlib.model` and nothing of the stages.
"""

from maintlib._util.text import did_you_mean
from maintlib.model.catalog import Catalog, PackInfo
from maintlib.model.errors import PluginError
from maintlib.model.inventory import Asset, Inventory
from maintlib.model.money import CostRange
from maintlib.model.naming import ProductFamily, spellings
from maintlib.model.rates import DailyLabour, Fee, FeeBasis, RateCard, TimeBand
from maintlib.model.risk import RiskFactor
from maintlib.model.rules import (
    Activity,
    Cadence,
    CalendarPeriod,
    DeadlinePolicy,
    Deadlines,
    Once,
    Periodic,
    ReleaseCalendar,
    Released,
    Rule,
    Scope,
    Selector,
    Step,
    StepKind,
    releases,
    section5_steps,
    selector_key,
    severity_policies,
)
from maintlib.model.vocabulary import (
    AssetKind,
    Category,
    Criticality,
    Environment,
    Exposure,
    Mode,
    Tier,
    UpdateClass,
)
from maintlib.model.vulnerabilities import Finding, Ruling, VulnerabilityPolicy
from maintlib.model.work import add_months
from maintlib.packs.catalog import build_catalog
from maintlib.packs.eol import Cycle, Lifecycle, load_lifecycle, shipped_lifecycle
from maintlib.packs.hookspecs import hookimpl
from maintlib.packs.lifecycle import (
    SupportEnd,
    first_match,
    support_end,
    support_from,
    support_risk,
    support_rules,
)
from maintlib.packs.manager import DISABLE_ENV, ENTRY_POINT_GROUP, Plugins, load_plugins

__all__ = [
    "DISABLE_ENV",
    "ENTRY_POINT_GROUP",
    "Activity",
    "Asset",
    "AssetKind",
    "Cadence",
    "CalendarPeriod",
    "Catalog",
    "Category",
    "CostRange",
    "Criticality",
    "Cycle",
    "DailyLabour",
    "DeadlinePolicy",
    "Deadlines",
    "Environment",
    "Exposure",
    "Fee",
    "FeeBasis",
    "Finding",
    "Inventory",
    "Lifecycle",
    "Mode",
    "Once",
    "PackInfo",
    "Periodic",
    "PluginError",
    "Plugins",
    "ProductFamily",
    "RateCard",
    "ReleaseCalendar",
    "Released",
    "RiskFactor",
    "Rule",
    "Ruling",
    "Scope",
    "Selector",
    "Step",
    "StepKind",
    "SupportEnd",
    "Tier",
    "TimeBand",
    "UpdateClass",
    "VulnerabilityPolicy",
    "add_months",
    "build_catalog",
    "did_you_mean",
    "first_match",
    "hookimpl",
    "load_lifecycle",
    "load_plugins",
    "releases",
    "section5_steps",
    "selector_key",
    "severity_policies",
    "shipped_lifecycle",
    "spellings",
    "support_end",
    "support_from",
    "support_risk",
    "support_rules",
]
