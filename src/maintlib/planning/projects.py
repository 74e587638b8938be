"""Projects: dues that ask for a one-off project, kept out of the windows.

A rule with mode ``project`` (the upgrade or replacement of a system whose support
ends) is not window work: people plan it with the owner — a migration, a purchase,
a rehearsal on a copy — and a 4-hour slot in the monthly window is not how it gets
done (issue 27). The planner therefore takes no window capacity for it; the plan
lists it with its deadline, the report shows it beside the risk register, and the
costing prices its effort as a one-off range.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from maintlib.model.plan import Plan, Project
from maintlib.model.rules import Once
from maintlib.model.vocabulary import Mode
from maintlib.model.work import Due, Horizon

__all__ = ["is_project", "with_projects"]


def is_project(due: Due) -> bool:
    """The due asks for a project (its duty's mode is ``project``)."""
    return due.duty.mode is Mode.PROJECT


def with_projects(plan: Plan, dues: Sequence[Due]) -> Plan:
    """``plan`` with ``dues`` as its projects, by deadline then uid, counted in its dues.

    A project is overdue when the date it was due by (a ``once`` cadence's
    deadline: the end of support) falls before the horizon starts — the system is
    already past its end.
    """
    horizon = plan.horizon
    projects = tuple(
        Project(due, overdue=_overdue(due, horizon))
        for due in sorted(dues, key=lambda due: (due.deadline, due.uid))
    )
    return attrs.evolve(
        plan,
        projects=(*plan.projects, *projects),
        dues=plan.dues + sum(due.count for due in dues),
    )


def _overdue(due: Due, horizon: Horizon) -> bool:
    cadence = due.duty.cadence
    if isinstance(cadence, Once) and cadence.deadline is not None:
        return cadence.deadline < horizon.start
    return due.deadline < horizon.start_at
