"""The vulnerability stage: feeds read from files (CISA KEV, FIRST EPSS, CVE JSON 5,
CSAF 2.0), matched to assets, ruled on by deadline policies, and turned into emergency
work; the only network access of the library (``maintlib feeds update``).

Imports :mod:`maintlib.model` and :mod:`maintlib.packs`; no other stage.
"""

from maintlib.vulns.emergency import emergency_dues, report
from maintlib.vulns.feeds import read_feeds
from maintlib.vulns.match import match
from maintlib.vulns.rulings import assess, chosen_policies

__all__ = ["assess", "chosen_policies", "emergency_dues", "match", "read_feeds", "report"]
