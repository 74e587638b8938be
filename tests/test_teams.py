"""Teams in windows (issue 27): a team's assets take its own technicians in a window
occurrence, so a network team and a server team work the same night."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import pytest

from maintlib.model.plan import Plan
from maintlib.testing import plan_document

NETWORK = "Network team <net@example.org>"
SERVERS = "Server team <srv@example.org>"


def _document(teams: dict[str, int] | None) -> dict[str, Any]:
    document: dict[str, Any] = {
        "organisation": {"name": "Contoso", "timezone": "Europe/Amsterdam", "country": "NL"},
        "windows": [
            {
                "name": "saturday",
                "rrule": "FREQ=MONTHLY;BYDAY=1SA",
                "start": "08:00",
                "duration": "PT3H",
                "capacity_hours": 3,
                "applies_to": ["firewall", "switch", "virtual_server"],
            }
        ],
        "assets": [
            *(
                {"id": f"sw{n}", "kind": "switch", "owner": NETWORK, "criticality": "high"}
                for n in range(4)
            ),
            *(
                {"id": f"vm{n}", "kind": "virtual_server", "owner": SERVERS, "criticality": "high"}
                for n in range(6)
            ),
        ],
        "rules": [
            {
                "id": "monthly-work",
                "activity": "security-updates",
                "selector": {"kinds": ["switch", "virtual_server"]},
                "cadence": {"rrule": "FREQ=MONTHLY;BYMONTHDAY=1"},
                "duration": "PT1H",
                "mode": "window",
                "downtime": True,
                "deadlines": 27,
            }
        ],
    }
    if teams is not None:
        document["planning"] = {"teams": teams}
    return document


def _work(plan: Plan) -> list[Any]:
    return [t for t in plan.tasks if t.duty.rule.id == "monthly-work"]


def test_two_teams_work_the_same_night_each_on_its_own_assets() -> None:
    shared = plan_document(_document(None), months=1)
    teams = plan_document(_document({NETWORK: 2, SERVERS: 3}), months=1)
    # One shared technician: 10 hours of hands-on work in a 3-hour Saturday.
    assert len(_work(shared)) < 10 or any(t.late_by for t in _work(shared))
    done = _work(teams)
    assert len(done) == 10
    assert all(not t.late_by for t in done)
    assert {t.occurrence for t in done} == {done[0].occurrence}
    # Each team's hands-on work at any moment is at most its technicians.
    for owner, people in ((NETWORK, 2), (SERVERS, 3)):
        mine = [t for t in done if t.duty.asset is not None and t.duty.asset.owner == owner]
        for task in mine:
            at_work = sum(1 for o in mine if o.start <= task.start < o.hands_on_end)
            assert at_work <= people


def test_without_teams_the_window_capacity_is_shared() -> None:
    shared = plan_document(_document(None), months=1)
    used = sum((t.effort for t in _work(shared) if t.window == "saturday"), dt.timedelta())
    saturdays = {t.occurrence for t in _work(shared)}
    assert used <= dt.timedelta(hours=3) * len(saturdays)


def test_teams_by_the_kinds_they_handle() -> None:
    """``[planning.team_handles]``: assets without a team owner go to the team that
    handles their kind or a tag — the same night as with teams by owner."""
    document = _document(None)
    for asset in document["assets"]:
        del asset["owner"]
    document["planning"] = {
        "teams": {"network": 2, "servers": 3},
        "team_handles": {"network": ["switch", "firewall"], "servers": ["virtual_server"]},
    }
    plan = plan_document(document, months=1)
    done = _work(plan)
    assert len(done) == 10
    assert all(not t.late_by for t in done)
    assert {t.occurrence for t in done} == {done[0].occurrence}


def test_team_handles_round_trip_and_name_a_team() -> None:
    from maintlib.loading.document import to_document
    from maintlib.model.errors import InputError
    from maintlib.testing import load_document

    document = _document({NETWORK: 2})
    document["planning"]["team_handles"] = {NETWORK: ["switch"]}
    inventory = load_document(document)
    assert inventory.planning.team_handles == {NETWORK: ("switch",)}
    again = load_document(to_document(inventory, json_safe=True))
    assert again.planning == inventory.planning
    document["planning"]["team_handles"] = {"nobody": ["switch"]}
    with pytest.raises(InputError, match="no such team"):
        load_document(document)


def test_a_team_works_its_own_hours() -> None:
    """``[planning.team_hours]``: the team's office-hours work lies in its hours."""
    from maintlib.loading.document import to_document
    from maintlib.testing import load_document

    document = _document({SERVERS: 1})
    document["planning"]["team_hours"] = {SERVERS: "Mon-Fri 06:00-10:00"}
    inventory = load_document(document)
    assert load_document(to_document(inventory, json_safe=True)).planning == inventory.planning
    plan = plan_document(document, months=1)
    office = [
        t
        for t in plan.tasks
        if t.window is None and t.duty.asset is not None and t.duty.asset.owner == SERVERS
    ]
    assert office
    for task in office:
        local = task.start.astimezone(plan.organisation.timezone)
        assert dt.time(6) <= local.time()
        assert task.end.astimezone(local.tzinfo).time() <= dt.time(10)


def test_cp_sat_counts_after_hours_by_the_teams_own_hours() -> None:
    """The CP-SAT objective's after-hours part: a team's office work at 06:00 is in
    that team's hours (it was counted against the organisation's 08:00-17:00)."""
    pytest.importorskip("ortools")
    from maintlib.planning.schedule.optimize import _Hours, objective
    from maintlib.planning.schedule.slots import SlotBook
    from maintlib.testing import load_document

    document = _document({SERVERS: 1})
    document["planning"]["team_hours"] = {SERVERS: "Mon-Fri 06:00-10:00"}
    inventory = load_document(document)
    plan = plan_document(document, months=1)
    early = [
        t
        for t in plan.tasks
        if t.window is None
        and t.duty.asset is not None
        and t.duty.asset.owner == SERVERS
        and t.start.astimezone(plan.organisation.timezone).time() < dt.time(8)
    ]
    assert early
    zone = plan.organisation.timezone
    span = (
        dt.datetime.combine(plan.horizon.start, dt.time(), zone),
        dt.datetime.combine(plan.horizon.end + dt.timedelta(days=60), dt.time(), zone),
    )
    hours = _Hours(SlotBook(inventory, span, []))
    office = [t for t in plan.tasks if t.window is None]
    office_plan = attrs.evolve(plan, tasks=tuple(office))
    assert objective(office_plan, 0, hours)[1] == 0
    optimised = plan_document(document, months=1, solver="cp-sat", time_limit=0.3)
    assert optimised.solver is not None
    assert not optimised.solver.kept_greedy
