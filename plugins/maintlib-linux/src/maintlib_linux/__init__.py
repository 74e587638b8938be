"""maintlib-linux: Ubuntu, Debian, Red Hat Enterprise Linux and its rebuilds for maintlib.

Install it next to maintlib and it is found through the entry point ``linux`` in
the group ``maintlib``; ``maintlib plugins`` lists it and
``MAINTLIB_DISABLE_PLUGINS=linux`` (or ``--plugins builtin``) leaves it out. It
builds on the built-in pack's asset kinds and activities.

What it adds, with every source in the README:

* per distribution (Ubuntu, Debian, RHEL, Rocky Linux, AlmaLinux, Oracle Linux):
  security updates installed automatically (unattended-upgrades, dnf-automatic) and
  verified weekly with the week's advisories (USN, DSA, RHSA); a kernel reboot in a
  window monthly (quarterly when tagged ``livepatch``); point releases in a window;
  no service packs;
* end of support per release (Ubuntu LTS and ESM, Debian and Debian LTS, RHEL and
  ELS): an ``upgrade-or-replace`` duty and an ``end of support`` risk factor.
"""

from importlib.metadata import version as _version

from maintlib_linux._distros import DISTROS, Distro
from maintlib_linux._hooks import maintlib_activities, maintlib_risk_factors, maintlib_rules
from maintlib_linux._lifecycle import ELS_TAG, ESM_TAG, SUPPORT
from maintlib_linux._rules import LINUX_KINDS, LIVEPATCH_TAG, SERVER_KINDS

__version__ = _version("maintlib-linux")

__all__ = [
    "DISTROS",
    "ELS_TAG",
    "ESM_TAG",
    "LINUX_KINDS",
    "LIVEPATCH_TAG",
    "SERVER_KINDS",
    "SUPPORT",
    "Distro",
    "__version__",
    "maintlib_activities",
    "maintlib_risk_factors",
    "maintlib_rules",
]
