"""maintlib: risk-prioritised IT maintenance plans, exported as iCalendar feeds."""

from importlib.metadata import version as _version

from maintlib.exceptions import InputError, MaintlibError, PluginError, Problem
from maintlib.hookspecs import hookimpl
from maintlib.ics import to_ics
from maintlib.load import load, loads

__version__ = _version("maintlib")

__all__ = [
    "InputError",
    "MaintlibError",
    "PluginError",
    "Problem",
    "__version__",
    "hookimpl",
    "load",
    "loads",
    "to_ics",
]
