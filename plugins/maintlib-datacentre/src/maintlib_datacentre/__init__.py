"""maintlib-datacentre: the data-centre layer for maintlib.

Install it next to maintlib and it is found through the entry point ``datacentre``
in the group ``maintlib``; ``maintlib plugins`` lists it and
``MAINTLIB_DISABLE_PLUGINS=datacentre`` leaves it out.

What it adds, with every source in the README:

* VMware ESXi and vCenter: a quarterly update, vCenter before the hosts, the hosts of
  a cluster one at a time in maintenance mode; a monthly VMSA review; vSphere 7/8
  end of general support; no service packs;
* Dell, HPE and Lenovo servers: firmware quarterly (iDRAC/iLO/XCC first), the vendor's advisories
  monthly, the management controller's exposure quarterly;
* Synology DSM and QNAP QTS/QuTS: monthly updates after reading the advisories, a
  monthly health review; Veeam Backup & Replication's patches monthly; DSM and Veeam
  end of support.
"""

from importlib.metadata import version as _version

from maintlib_datacentre._hooks import maintlib_activities, maintlib_risk_factors, maintlib_rules
from maintlib_datacentre._lifecycle import SUPPORT
from maintlib_datacentre._rules import HARDWARE, NAS, Hardware, Nas

__version__ = _version("maintlib-datacentre")

__all__ = [
    "HARDWARE",
    "NAS",
    "SUPPORT",
    "Hardware",
    "Nas",
    "__version__",
    "maintlib_activities",
    "maintlib_risk_factors",
    "maintlib_rules",
]
