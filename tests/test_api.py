"""The public API, as a snapshot: a change to what ``maintlib`` or ``maintlib.packs``
exports is a visible diff here, and rule packs import nothing else.
"""

from __future__ import annotations

import ast
import importlib
import importlib.metadata
import pkgutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import maintlib
import maintlib.packs
import maintlib.testing

ROOT = Path(__file__).parent.parent

#: What an embedder imports (docs/api.md).
MAINTLIB = [
    "Asset",
    "Blackout",
    "BlackoutCalendar",
    "Catalog",
    "CheckWarning",
    "Compliance",
    "CostingSettings",
    "Criticality",
    "Environment",
    "Exposure",
    "Feeds",
    "Horizon",
    "InputError",
    "InputWarning",
    "Inventory",
    "Log",
    "MaintlibError",
    "Mode",
    "OfficeHours",
    "Organisation",
    "Outcome",
    "Plan",
    "PlanDiff",
    "PlanningSettings",
    "PluginError",
    "Plugins",
    "Problem",
    "Project",
    "Record",
    "RecurringBlackout",
    "RiskWeights",
    "Sla",
    "Task",
    "Tier",
    "Unplaced",
    "UpdateClass",
    "Vulnerability",
    "Window",
    "__version__",
    "append",
    "build_catalog",
    "check_warnings",
    "compliance",
    "duties",
    "explain",
    "hookimpl",
    "load",
    "load_plugins",
    "loads",
    "plan",
    "plan_diff",
    "read_feeds",
    "read_log",
    "read_plan",
    "to_ics",
    "validate",
    "with_added",
    "with_replaced",
    "without",
]
#: What a rule-pack author imports (docs/plugins/writing.md).
PACKS = [
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
#: The modules rule packs (plugins/*) may import from.
PUBLIC_MODULES = {"maintlib", "maintlib.packs", "maintlib.testing"}


def test_the_embedders_api_is_the_snapshot() -> None:
    assert maintlib.__all__ == MAINTLIB


def test_the_pack_authors_api_is_the_snapshot() -> None:
    assert maintlib.packs.__all__ == PACKS


def test_every_exported_name_exists() -> None:
    for module in (maintlib, maintlib.packs, maintlib.testing):
        for name in module.__all__:
            assert hasattr(module, name), f"{module.__name__}.{name}"


def test_no_public_name_shadows_a_submodule() -> None:
    """Found: the function ``maintlib.plan`` hid the module ``maintlib.plan``."""
    for package in (maintlib, maintlib.packs):
        submodules = {info.name for info in pkgutil.iter_modules(package.__path__)}
        assert sorted(set(package.__all__) & submodules) == [], package.__name__


def test_rule_packs_import_only_the_public_api() -> None:
    found = []
    for path in sorted(ROOT.glob("plugins/*/**/*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("maintlib"):
                module = node.module or ""
                if module.split(".")[0] == "maintlib" and module not in PUBLIC_MODULES:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {module}")
            elif isinstance(node, ast.Import):
                found.extend(
                    f"{path.relative_to(ROOT)}:{node.lineno}: {alias.name}"
                    for alias in node.names
                    if alias.name.startswith("maintlib.")
                )
    assert found == []


def test_the_public_modules_import_on_their_own() -> None:
    for name in sorted(PUBLIC_MODULES):
        assert importlib.import_module(name).__all__


#: What ``import maintlib`` must not load (issue 32: the public API loads what it
#: needs; these load when used). A module-level import in the calendar writer once
#: pulled in the whole report stack, Jinja2 with it, and nothing noticed.
LOADED_WHEN_USED = (
    "babel",
    "caldav",
    "cvss",
    "holidays",
    "jinja2",
    "maintlib.outputs.report.charts",
    "maintlib.outputs.report.data",
    "maintlib.outputs.report.render",
    "ortools",
)


def test_import_maintlib_leaves_the_heavy_parts_until_used() -> None:
    code = (
        f"import sys, maintlib; print(sorted(m for m in {LOADED_WHEN_USED!r} if m in sys.modules))"
    )
    found = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert found == "[]"


def test_what_loads_when_used_still_works() -> None:
    """The lazy parts: the version from the metadata, the report package's names,
    Babel's formatting (here through a feed's language)."""
    from maintlib.outputs.i18n import language
    from maintlib.outputs.report import build_report, render_document

    assert maintlib.__version__ == importlib.metadata.version("maintlib")
    assert callable(build_report)
    assert callable(render_document)
    assert language("nl").money(Decimal("1234.5"), "EUR") == "€\xa01.234,50"
