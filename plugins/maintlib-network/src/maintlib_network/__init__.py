"""maintlib-network: network vendors' advisory calendars and device rules for maintlib.

Install it next to maintlib and it is found through the entry point ``network``
in the group ``maintlib``; ``maintlib plugins`` lists it and
``MAINTLIB_DISABLE_PLUGINS=network`` (or ``--plugins builtin``) leaves it out. It
builds on the built-in pack's asset kinds and activities.

What it adds, with every source in the README:

* advisory calendars: ``cisco-ios-xe`` (fourth Wednesday of March and September,
  from July 2026 the first and third Wednesday of each month), ``fortinet-psirt``
  (second Tuesday), ``juniper-sirt`` (second Wednesday of January, April, July,
  October), ``paloalto-psirt`` (second Wednesday, medium confidence);
* per vendor: security fixes after each advisory publication (security deadline
  policy; ``psirt-*`` policies per severity), feature firmware quarterly (firmware
  policy; with a monthly advisory check for Ubiquiti, MikroTik and HPE Aruba), one
  node at a time for members of a redundancy group, and a quarterly access review;
* for every firewall, router, switch and access point: a weekly configuration
  backup (and one as step 0 of every firmware update) and log/traffic reviews.
"""

from importlib.metadata import version as _version

from maintlib_network._calendars import (
    CISCO,
    CISCO_CHANGE,
    FORTINET,
    JUNIPER,
    PALO_ALTO_NETWORKS,
    PUBLICATION_TIME,
)
from maintlib_network._families import FAMILIES
from maintlib_network._hooks import (
    maintlib_activities,
    maintlib_deadline_policies,
    maintlib_product_families,
    maintlib_release_calendars,
    maintlib_rules,
)
from maintlib_network._rules import NETWORK_KINDS, OFFSET_DAYS, PSIRT_DEADLINES
from maintlib_network._vendors import VENDORS, NetworkVendor

__version__ = _version("maintlib-network")

__all__ = [
    "CISCO",
    "CISCO_CHANGE",
    "FAMILIES",
    "FORTINET",
    "JUNIPER",
    "NETWORK_KINDS",
    "OFFSET_DAYS",
    "PALO_ALTO_NETWORKS",
    "PSIRT_DEADLINES",
    "PUBLICATION_TIME",
    "VENDORS",
    "NetworkVendor",
    "__version__",
    "maintlib_activities",
    "maintlib_deadline_policies",
    "maintlib_product_families",
    "maintlib_release_calendars",
    "maintlib_rules",
]
