"""maintlib-microsoft: Microsoft's release calendars and rules for maintlib.

Install it next to maintlib and it is found through the entry point
``microsoft`` in the group ``maintlib``; ``maintlib plugins`` lists it and
``MAINTLIB_DISABLE_PLUGINS=microsoft`` (or ``--plugins builtin``) leaves it out.
It builds on the built-in pack's asset kinds and activities.

What it adds, with every source in the README:

* calendars ``patch-tuesday`` (second Tuesday, 10:00 America/Los_Angeles) and
  ``microsoft-preview`` (fourth Tuesday, for devices tagged ``preview-pilot``);
* security updates of Windows Server (physical, Hyper-V host, VM), Exchange
  Server and SQL Server after each Patch Tuesday; hotpatch for servers tagged
  ``hotpatch``; Defender, Windows client and Microsoft 365 rules;
* end-of-support dates: an ``upgrade-or-replace`` duty from a year before the end
  and an ``end of support`` risk factor;
* :func:`update_class_for` (WSUS classifications) and :func:`msrc_deadlines`
  (MSRC severities), for tools that read Microsoft's update metadata.
"""

from importlib.metadata import version as _version

from maintlib_microsoft._calendars import PATCH_TUESDAY, PREVIEW
from maintlib_microsoft._classification import (
    MSRC_DEADLINES,
    WSUS_CLASSIFICATIONS,
    WSUS_SOURCE,
    msrc_deadlines,
    update_class_for,
)
from maintlib_microsoft._families import FAMILIES
from maintlib_microsoft._hooks import (
    maintlib_activities,
    maintlib_deadline_policies,
    maintlib_product_families,
    maintlib_release_calendars,
    maintlib_risk_factors,
    maintlib_rules,
)
from maintlib_microsoft._lifecycle import (
    END_OF_SUPPORT,
    ESU_TAG,
    EndOfSupport,
    end_of_support,
)
from maintlib_microsoft._rules import HOTPATCH_TAG, PREVIEW_TAG

__version__ = _version("maintlib-microsoft")

__all__ = [
    "END_OF_SUPPORT",
    "ESU_TAG",
    "FAMILIES",
    "HOTPATCH_TAG",
    "MSRC_DEADLINES",
    "PATCH_TUESDAY",
    "PREVIEW",
    "PREVIEW_TAG",
    "WSUS_CLASSIFICATIONS",
    "WSUS_SOURCE",
    "EndOfSupport",
    "__version__",
    "end_of_support",
    "maintlib_activities",
    "maintlib_deadline_policies",
    "maintlib_product_families",
    "maintlib_release_calendars",
    "maintlib_risk_factors",
    "maintlib_rules",
    "msrc_deadlines",
    "update_class_for",
]
