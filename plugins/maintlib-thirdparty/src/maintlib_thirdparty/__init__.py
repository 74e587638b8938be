"""maintlib-thirdparty: third-party applications for maintlib.

Install it next to maintlib and it is found through the entry point ``thirdparty``
in the group ``maintlib``; ``maintlib plugins`` lists it and
``MAINTLIB_DISABLE_PLUGINS=thirdparty`` leaves it out.

What it adds, with every source in the README:

* browsers (Chrome, Edge, Firefox and Firefox ESR): automatic, verified weekly; the
  yearly move to the next Firefox ESR branch;
* Adobe Acrobat and Reader: verified a week after each of Adobe's scheduled releases
  (calendar ``adobe-security``: Patch Tuesday, and the fourth Tuesday from July 2026);
* Oracle Java SE: in a window after each Critical Patch Update (calendar
  ``oracle-cpu``: the Tuesday closest to the 17th of January, April, July, October);
  Java's end of support (Premier and Extended Support);
* Microsoft 365 Apps by update channel (tags ``monthly-enterprise``, ``semi-annual``).
"""

from importlib.metadata import version as _version

from maintlib_thirdparty._calendars import ADOBE_CHANGE, ADOBE_SECURITY, M365_APPS, ORACLE_CPU_DAYS
from maintlib_thirdparty._hooks import (
    maintlib_activities,
    maintlib_release_calendars,
    maintlib_risk_factors,
    maintlib_rules,
)
from maintlib_thirdparty._lifecycle import JAVA_SUBSCRIPTION_TAG, SUPPORT
from maintlib_thirdparty._rules import APP_KINDS, BROWSERS, CHANNEL_TAGS, Browser

__version__ = _version("maintlib-thirdparty")

__all__ = [
    "ADOBE_CHANGE",
    "ADOBE_SECURITY",
    "APP_KINDS",
    "BROWSERS",
    "CHANNEL_TAGS",
    "JAVA_SUBSCRIPTION_TAG",
    "M365_APPS",
    "ORACLE_CPU_DAYS",
    "SUPPORT",
    "Browser",
    "__version__",
    "maintlib_activities",
    "maintlib_release_calendars",
    "maintlib_risk_factors",
    "maintlib_rules",
]
