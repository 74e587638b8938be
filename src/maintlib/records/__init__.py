"""The records stage: the maintenance log (read, appended, imported from RMM/PSA
exports), dues re-planned against it, compliance over a period, and the SLA's checks.

Imports :mod:`maintlib.model`; no other stage.
"""

from maintlib.records.compliance import Compliance
from maintlib.records.history import replan
from maintlib.records.log import Log, Outcome, Record, append, read_log

__all__ = ["Compliance", "Log", "Outcome", "Record", "append", "read_log", "replan"]
