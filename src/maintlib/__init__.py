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

Rule-pack authors import :data:`hookimpl` (see ``docs/plugins/writing.md``).
"""

from importlib.metadata import version as _version

from maintlib.catalog import Catalog, build_catalog
from maintlib.exceptions import InputError, InputWarning, MaintlibError, PluginError, Problem
from maintlib.hookspecs import hookimpl
from maintlib.ics import to_ics
from maintlib.inventory import Asset, Inventory
from maintlib.load import load, loads
from maintlib.pipeline import duties, plan, validate
from maintlib.plan import Plan, Task, Unplaced
from maintlib.plugins import Plugins, load_plugins

__version__ = _version("maintlib")

__all__ = [
    "Asset",
    "Catalog",
    "InputError",
    "InputWarning",
    "Inventory",
    "MaintlibError",
    "Plan",
    "PluginError",
    "Plugins",
    "Problem",
    "Task",
    "Unplaced",
    "__version__",
    "build_catalog",
    "duties",
    "hookimpl",
    "load",
    "load_plugins",
    "loads",
    "plan",
    "to_ics",
    "validate",
]
