"""maintlib: risk-prioritised IT maintenance plans, exported as iCalendar feeds.

The pipeline in one call::

    import datetime as dt
    import maintlib

    inventory = maintlib.load("inventory.toml")
    plan = maintlib.plan(
        inventory,
        start=dt.date(2027, 1, 1),
        months=12,
        reference_time=dt.datetime(2026, 12, 1, tzinfo=dt.UTC),
    )

Every name a caller needs is exported here (``docs/api.md`` lists them); no name
shadows a module. The values live in :mod:`maintlib.model`, one package per stage
beside it (``docs/architecture.md``).

Rule-pack authors import from :mod:`maintlib.packs` (see ``docs/plugins/writing.md``);
:data:`hookimpl` is here too.
"""

import typing as _typing

from maintlib.loading.read import load, loads
from maintlib.loading.whatif import with_added, with_replaced, without
from maintlib.model.catalog import Catalog
from maintlib.model.cve import Vulnerability
from maintlib.model.errors import InputError, InputWarning, MaintlibError, PluginError, Problem
from maintlib.model.feeds import Feeds
from maintlib.model.inventory import (
    Asset,
    Blackout,
    BlackoutCalendar,
    Inventory,
    OfficeHours,
    Organisation,
    PlanningSettings,
    RecurringBlackout,
    Window,
)
from maintlib.model.plan import Plan, Project, Task, Unplaced
from maintlib.model.rates import CostingSettings
from maintlib.model.risk import RiskWeights
from maintlib.model.sla import Sla
from maintlib.model.vocabulary import Criticality, Environment, Exposure, Mode, Tier, UpdateClass
from maintlib.model.work import Horizon
from maintlib.outputs.diff import PlanDiff, plan_diff, read_plan
from maintlib.outputs.explain import explain
from maintlib.outputs.ics.feed import to_ics
from maintlib.packs.catalog import build_catalog
from maintlib.packs.hookspecs import hookimpl
from maintlib.packs.manager import Plugins, load_plugins
from maintlib.pipeline import compliance, duties, plan, validate
from maintlib.planning.checks import CheckWarning, check_warnings
from maintlib.records.compliance import Compliance
from maintlib.records.log import Log, Outcome, Record, append, read_log
from maintlib.vulns.feeds import read_feeds

if _typing.TYPE_CHECKING:
    __version__: str


def __getattr__(name: str) -> str:
    # ``__version__`` is read from the installed metadata when first asked for:
    # importlib.metadata (and the email package under it) is a fifth of the cost
    # of ``import maintlib``, paid by every embedding process otherwise.
    if name == "__version__":
        from importlib.metadata import version

        found = version("maintlib")
        globals()["__version__"] = found
        return found
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
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
