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

Every name a caller needs is exported here (``docs/api.md`` lists them). Two
functions share their name with a module: ``maintlib.plan`` and ``maintlib.load``
are the functions; the modules' contents are imported from :mod:`maintlib.plans`
and :mod:`maintlib.loading`.

Rule-pack authors import :data:`hookimpl` (see ``docs/plugins/writing.md``).
"""

from importlib.metadata import version as _version

from maintlib.agreement import Sla
from maintlib.catalog import Catalog, build_catalog
from maintlib.compliance import Compliance
from maintlib.diff import PlanDiff, plan_diff, read_plan
from maintlib.exceptions import InputError, InputWarning, MaintlibError, PluginError, Problem
from maintlib.hookspecs import hookimpl
from maintlib.ics import to_ics
from maintlib.inventory import (
    Asset,
    Blackout,
    BlackoutCalendar,
    Inventory,
    OfficeHours,
    Organisation,
    PlanningSettings,
    RecurringBlackout,
    Vulnerability,
    Window,
)
from maintlib.load import load, loads
from maintlib.log import Log, Outcome, Record, append, read_log
from maintlib.model import Criticality, Environment, Exposure, Mode, Tier, UpdateClass
from maintlib.pipeline import compliance, duties, plan, validate
from maintlib.plan import Horizon, Plan, Task, Unplaced
from maintlib.plugins import Plugins, load_plugins
from maintlib.rates import CostingSettings
from maintlib.risk import RiskWeights
from maintlib.whatif import with_added, with_replaced, without

__version__ = _version("maintlib")

__all__ = [
    "Asset",
    "Blackout",
    "BlackoutCalendar",
    "Catalog",
    "Compliance",
    "CostingSettings",
    "Criticality",
    "Environment",
    "Exposure",
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
    "compliance",
    "duties",
    "hookimpl",
    "load",
    "load_plugins",
    "loads",
    "plan",
    "plan_diff",
    "read_log",
    "read_plan",
    "to_ics",
    "validate",
    "with_added",
    "with_replaced",
    "without",
]
