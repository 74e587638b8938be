"""The plan values — the public import path of :mod:`maintlib.plan`'s contents.

``maintlib.plan`` is the planning *function* (``maintlib.plan(inventory, ...)``),
which hides the module of the same name as an attribute of the package. Import the
values from here (``from maintlib.plans import Horizon, Plan``); ``from
maintlib.plan import Plan`` keeps working, for code written before.
"""

from __future__ import annotations

from maintlib.plan import (
    PLAN_FORMAT,
    Due,
    Horizon,
    Plan,
    Reason,
    SolverRun,
    Status,
    Task,
    Unplaced,
)

__all__ = [
    "PLAN_FORMAT",
    "Due",
    "Horizon",
    "Plan",
    "Reason",
    "SolverRun",
    "Status",
    "Task",
    "Unplaced",
]
