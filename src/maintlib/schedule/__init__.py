"""The schedule stage: dues → tasks in slots (on time or late), or unplaced with
the reason.

The greedy planner (:mod:`~maintlib.schedule.planner`) composes one module per
constraint family: slots and technicians (:mod:`~maintlib.schedule.slots`),
redundancy groups (:mod:`~maintlib.schedule.redundancy`), hosts, guests and
applications (:mod:`~maintlib.schedule.hosting`), and precedences — rings,
dependencies, hosts first (:mod:`~maintlib.schedule.precedence`).
``docs/scheduling.md`` explains the algorithm and its guarantees.
"""

from maintlib.schedule.planner import schedule
from maintlib.schedule.slots import eligible_windows

__all__ = ["eligible_windows", "schedule"]
