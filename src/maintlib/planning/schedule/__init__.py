"""The schedule stage: dues → tasks in slots (on time or late), or unplaced with
the reason.

The greedy planner (:mod:`~maintlib.planning.schedule.planner`) composes one module per
constraint family: slots and technicians (:mod:`~maintlib.planning.schedule.slots`),
redundancy groups (:mod:`~maintlib.planning.schedule.redundancy`), hosts, guests and
applications (:mod:`~maintlib.planning.schedule.hosting`), and precedences — rings,
dependencies, hosts first (:mod:`~maintlib.planning.schedule.precedence`).
``docs/scheduling.md`` explains the algorithm and its guarantees.
"""

from maintlib.planning.schedule.planner import schedule
from maintlib.planning.schedule.slots import eligible_windows

__all__ = ["eligible_windows", "schedule"]
