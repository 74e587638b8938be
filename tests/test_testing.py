"""The helpers plugin authors test their packs with."""

from __future__ import annotations

from maintlib.testing import plan_document, tasks_for


def test_tasks_for_picks_one_assets_activity_in_anchor_order() -> None:
    plan = plan_document(
        {
            "organisation": {"name": "x", "timezone": "Europe/Amsterdam"},
            "windows": [
                {
                    "name": "night",
                    "rrule": "FREQ=DAILY",
                    "start": "22:00",
                    "duration": "PT6H",
                    "applies_to": ["virtual_server"],
                }
            ],
            "assets": [
                {"id": "vm1", "kind": "virtual_server"},
                {"id": "vm2", "kind": "virtual_server"},
            ],
        },
        months=3,
    )
    found = tasks_for(plan, "vm1", "security-updates")
    assert [t.due.anchor.month for t in found] == [1, 2, 3]
    assert {(t.duty.subject, t.duty.activity.name) for t in found} == {("vm1", "security-updates")}
    assert tasks_for(plan, "vm1", "no-such-activity") == []
