"""The planning stage: rules applied to assets (duties, with their risk), expanded into
dues over the horizon, routine dues grouped into fleet dues, and dues scheduled into
window slots; the ``maintlib check`` warnings, which ask the same machinery what no
plan can avoid.

Imports :mod:`maintlib.model`, :mod:`maintlib.packs` and :mod:`maintlib.loading`
(blackout calendars are expanded here).
"""

from maintlib.planning.apply import apply
from maintlib.planning.checks import check_warnings
from maintlib.planning.expand import expand
from maintlib.planning.fleet import expand_fleets, group
from maintlib.planning.schedule import schedule

__all__ = ["apply", "check_warnings", "expand", "expand_fleets", "group", "schedule"]
