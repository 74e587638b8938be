"""The built-in pack's organisation-wide rules (article §5, tips 1 and 5)."""

from __future__ import annotations

from maintlib._util.text import N_
from maintlib.model.rules import Deadlines, Rule, Scope, Selector, Step, StepKind
from maintlib.model.vocabulary import Mode
from maintlib.packs.builtin.common import ARTICLE, YEARLY, in_hours


def organisation_rules() -> list[Rule]:
    """The plan's own review and the staff's training."""
    office = Mode.OFFICE_HOURS
    return [
        # The organisation (§5, tips 1 and 5).
        Rule(
            id="plan-review",
            activity="plan-review",
            selector=Selector(),
            cadence=YEARLY,
            duration=in_hours(2),
            mode=office,
            deadlines=Deadlines.same(30),
            scope=Scope.ORGANISATION,
            steps=(
                Step(
                    StepKind.WORK,
                    N_(
                        "Evaluate the last period: late and missed work, failed updates and"
                        " restores, incidents (`maintlib compliance` on the maintenance log)."
                    ),
                ),
                Step(
                    StepKind.WORK,
                    N_(
                        "Adjust the plan: new and retired assets in the inventory, rules,"
                        " windows, priorities and owners."
                    ),
                ),
                Step(StepKind.WORK, N_("Record what changed and why.")),
            ),
            citation=f"{ARTICLE} §5 (document, evaluate and adjust) and tip 1",
        ),
        Rule(
            id="training",
            activity="training",
            selector=Selector(),
            cadence=YEARLY,
            duration=in_hours(8),
            mode=office,
            deadlines=Deadlines.same(90),
            scope=Scope.ORGANISATION,
            steps=(Step(StepKind.WORK, N_("Infrastructure and security training for staff.")),),
            citation=f"{ARTICLE} tip 5: keep skills current",
        ),
    ]
