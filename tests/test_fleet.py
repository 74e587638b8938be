"""Fleet tasks: one task per due for a group of similar assets (the group stage)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

import attrs
import icalendar
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maintlib.model.plan import Plan, Task
from maintlib.outputs.ics.feed import to_ics
from maintlib.planning.fleet import group
from maintlib.testing import load_document, plan_document

BASE = dt.timedelta(minutes=10)  # builtin endpoint-automatic-updates: 1/6 hour
PER_ASSET = dt.timedelta(minutes=1)


def office(*assets: dict[str, Any], rules: tuple[dict[str, Any], ...] = ()) -> dict[str, Any]:
    return {
        "organisation": {"name": "Fleet BV", "timezone": "Europe/Amsterdam", "country": "NL"},
        "planning": {"technicians": 2},
        "assets": list(assets),
        "rules": list(rules),
    }


def laptops(count: int, site: str = "Utrecht", **fields: Any) -> list[dict[str, Any]]:
    return [
        {"id": f"{site.lower()}-lt{i:02d}", "kind": "laptop", "site": site, "owner": "Servicedesk"}
        | fields
        for i in range(count)
    ]


def updates(result: Plan) -> list[Task]:
    return [t for t in result.tasks if t.duty.activity.name == "security-updates"]


class TestGrouping:
    def test_one_check_a_month_covers_every_similar_laptop(self) -> None:
        result = plan_document(office(*laptops(12)), months=3)
        tasks = updates(result)
        assert len(tasks) == 3
        members = sorted(a["id"] for a in laptops(12))
        for task in tasks:
            assert task.uid.startswith(
                "fleet-laptop-utrecht-servicedesk-builtin-endpoint-automatic-updates.security-updates."
            )
            assert sorted(task.assets) == members
            assert len(task.dues) == 12
            assert {uid.split(".")[0] for uid in task.dues} == set(members)
            assert task.end - task.start == BASE + 12 * PER_ASSET

    def test_sites_and_owners_make_separate_fleets(self) -> None:
        assets = [*laptops(3, "Utrecht"), *laptops(4, "Zwolle")]
        result = plan_document(office(*assets), months=1)
        sizes = sorted(len(t.assets) for t in updates(result))
        assert sizes == [3, 4]

    def test_a_group_of_one_stays_an_ordinary_task(self) -> None:
        result = plan_document(office(*laptops(1)), months=1)
        (task,) = updates(result)
        assert task.uid == "utrecht-lt00.security-updates.20270101T0000"
        assert task.assets == ("utrecht-lt00",)
        assert task.dues == (task.uid,)

    def test_a_rule_can_switch_grouping_off(self) -> None:
        off = {"extends": "builtin/endpoint-automatic-updates", "fleet": False}
        result = plan_document(office(*laptops(5), rules=(off,)), months=1)
        assert len(updates(result)) == 5
        assert all(len(t.assets) == 1 for t in updates(result))

    def test_work_with_downtime_is_never_grouped(self) -> None:
        # auto_update = false turns the automatic update into planned downtime.
        window = {
            "name": "night",
            "rrule": "FREQ=WEEKLY;BYDAY=SA",
            "start": "22:00",
            "duration": "PT8H",
        }
        document = office(*laptops(4, auto_update=False))
        document["windows"] = [window | {"applies_to": ["laptop"]}]
        result = plan_document(document, months=1)
        tasks = updates(result)
        assert len(tasks) == 4
        assert all(t.duty.downtime and len(t.assets) == 1 for t in tasks)

    def test_every_member_due_is_counted_once(self) -> None:
        result = plan_document(office(*laptops(6), *laptops(2, "Zwolle")), months=2)
        covered = [uid for task in result.tasks for uid in task.dues]
        unplaced = [uid for entry in result.unplaced for uid in entry.due.covers]
        assert len(covered) + len(unplaced) == result.dues
        assert len(set(covered)) == len(covered)
        summary = result.summary()
        assert summary["on_time"] + summary["late"] + summary["superseded"] == result.dues


class TestStableUids:
    def test_the_same_fleet_uid_whatever_the_order_or_the_other_assets(self) -> None:
        assets = laptops(5)
        first = {t.uid for t in plan_document(office(*assets), months=2).tasks}
        shuffled = list(assets)
        random.Random(7).shuffle(shuffled)
        other = {"id": "ws01", "kind": "workstation", "site": "Zwolle"}
        second = {t.uid for t in plan_document(office(*shuffled, other), months=2).tasks}
        assert first <= second

    def test_grouping_keeps_dues_that_do_not_group_in_their_order(self) -> None:
        from maintlib.model.work import Horizon
        from maintlib.packs.catalog import build_catalog
        from maintlib.planning.apply import apply
        from maintlib.planning.expand import expand
        from maintlib.testing import make_plugins

        catalog = build_catalog(make_plugins())
        inventory = load_document(office(*laptops(3)), plugins=make_plugins())
        horizon = Horizon(dt.date(2027, 1, 1), 1, inventory.organisation.timezone)
        dues = expand(apply(inventory, catalog).duties, horizon, catalog.calendars)
        grouped = group(dues)
        kept = [d for d in grouped if not d.members]
        assert kept == [d for d in dues if d in kept]
        assert sum(len(d.covers) for d in grouped) == len(dues)
        assert group([attrs.evolve(d) for d in dues]) == grouped


def test_the_feed_has_one_event_per_fleet_task_naming_its_members() -> None:
    result = plan_document(office(*laptops(7)), months=1)
    events = icalendar.Calendar.from_ical(to_ics(result, lang="en")).walk("VEVENT")
    (event,) = [
        e
        for e in events
        if str(e["UID"]).startswith(
            "fleet-laptop-utrecht-servicedesk-builtin-endpoint-automatic-updates."
        )
    ]
    assert str(event["SUMMARY"]) == "Security updates — 7 × laptop at Utrecht"
    description = str(event["DESCRIPTION"])
    for asset in laptops(7):
        assert asset["id"] in description


def test_a_due_counts_the_per_asset_dues_it_stands_for() -> None:
    result = plan_document(office(*laptops(4)), months=1)
    dues = [task.due for task in result.tasks]
    assert any(due.members for due in dues)
    assert all(due.count == len(due.covers) for due in dues)
    fleet = next(due for due in dues if due.members)
    assert fleet.assets == tuple(m.duty.asset.id for m in fleet.members if m.duty.asset)
    assert fleet.covers == tuple(m.uid for m in fleet.members)
    # A member without an asset (a due built by hand) is left out, not an error.
    first, *rest = fleet.members
    odd = attrs.evolve(
        fleet, members=(attrs.evolve(first, duty=attrs.evolve(first.duty, asset=None)), *rest)
    )
    assert odd.assets == fleet.assets[1:]


def fleet_event(count: int, lang: str) -> icalendar.Event:
    """The feed's event of a month's updates of ``count`` laptops ``pc1``, ``pc2`` …"""
    assets = [a | {"id": f"pc{n}"} for n, a in enumerate(laptops(count), start=1)]
    result = plan_document(office(*assets), months=1)
    events = icalendar.Calendar.from_ical(to_ics(result, lang=lang)).walk("VEVENT")
    (event,) = [
        e
        for e in events
        if str(e["UID"]).startswith(
            "fleet-laptop-utrecht-servicedesk-builtin-endpoint-automatic-updates."
        )
    ]
    return event


def objects(event: icalendar.Event) -> list[str]:
    return sorted(str(value) for value in event["X-MAINTNOTE-OBJECT-ID"])


def test_a_large_fleets_description_names_twenty_members_and_counts_the_rest() -> None:
    """Issue 32: a phone shows the first 20 members in natural order (``pc2`` before
    ``pc10``, so not ``pc21``), then how many more; the event's X-MAINTNOTE-OBJECT-ID
    lines still list all 25."""
    event = fleet_event(25, "en")
    heading, names = str(event["DESCRIPTION"]).splitlines()[:2]
    assert heading == "Security updates — 25 assets"
    assert names == (
        ", ".join(f"pc{n}" for n in range(1, 21))
        + " … and 5 more (every asset is in the event's X-MAINTNOTE-OBJECT-ID lines"
        " and in the plan)"
    )
    assert objects(event) == sorted(f"pc{n}" for n in range(1, 26))
    dutch = str(fleet_event(25, "nl")["DESCRIPTION"]).splitlines()[1]
    assert dutch.startswith(", ".join(f"pc{n}" for n in range(1, 21)) + " … en nog 5 (")


def test_a_fleet_of_twenty_is_named_in_full() -> None:
    event = fleet_event(20, "en")
    description = str(event["DESCRIPTION"])
    assert description.splitlines()[1] == ", ".join(f"pc{n}" for n in range(1, 21))
    assert "more" not in description
    assert objects(event) == sorted(f"pc{n}" for n in range(1, 21))


def test_a_fleet_tasks_labour_is_shared_by_its_members_and_adds_up() -> None:
    result = plan_document(office(*laptops(4)), months=1)
    costs = result.costs
    assert costs is not None
    members = [a["id"] for a in laptops(4)]
    shares = [costs.by_asset[m] for m in members]
    # Equal parts in whole cents; the first member takes what the division leaves
    # (less than a cent per member more than the others, per fleet task).
    fleet_tasks = sum(1 for t in result.tasks if t.due.members)
    assert all(s == s.rounded() for s in shares)
    assert all(s.low == shares[1].low for s in shares[1:])
    leftover = shares[0].low - shares[1].low
    assert Decimal(0) <= leftover < Decimal("0.01") * len(shares) * fleet_tasks
    fleet_cost = sum(
        (costs.task(t.uid) for t in result.tasks if t.due.members), start=shares[0].zero("EUR")
    )
    total = sum(shares, start=shares[0].zero("EUR"))
    assert total == fleet_cost
    assert sum(costs.by_asset.values(), start=shares[0].zero("EUR")).low == costs.labour.low


def test_a_fleet_task_names_its_group_not_one_member() -> None:
    """Issue 29: ``duty.subject`` of a fleet task is one member; ``Task.subject`` says
    what the task is for, members in natural order."""
    result = plan_document(office(*laptops(12)), months=1)
    fleet = [t for t in result.tasks if t.due.members]
    assert fleet
    for task in fleet:
        ids = sorted(task.assets, key=lambda a: int(a.removeprefix("utrecht-lt")))
        assert task.subject == f"{len(ids)} × laptop: {ids[0]}–{ids[-1]}"
    single = [t for t in result.tasks if not t.due.members and t.duty.asset is not None]
    assert all(t.subject == t.duty.asset.id for t in single if t.duty.asset)


def test_a_fleet_uid_names_what_its_group_has_and_never_none() -> None:
    """Issue 29: twelve PCs without a site or owner are one group; its uid is
    ``fleet-workstation-<rule>…``, not ``fleet-workstation-none-none-…``, and an
    inventory without any grouping value says ``all``."""
    from maintlib.testing import inventory_document, plan_document

    pcs = [
        {
            "id": f"pc{n:02d}",
            "kind": "workstation",
            "vendor": "Microsoft",
            "product": "Windows 11 Pro",
            "version": "24H2",
        }
        for n in range(12)
    ]
    plan = plan_document(inventory_document(*pcs), months=1)
    uids = {t.uid for t in plan.tasks if len(t.assets) > 1}
    assert uids
    assert all(u.startswith("fleet-workstation-builtin-") for u in uids), uids
    assert not any("-none-" in u or "-none." in u for u in uids)
    by_site = [dict(pc, site="Utrecht") for pc in pcs]
    sited = plan_document(inventory_document(*by_site), months=1)
    assert all(
        t.uid.startswith("fleet-workstation-utrecht-builtin-")
        for t in sited.tasks
        if len(t.assets) > 1
    )


#: Asset ids that order differently as ids and as uids (``pc`` and ``pc.a``,
#: ``pc-1`` and ``pc1``), FQDNs, and plain numbered ones.
_IDS = ("pc", "pc-1", "pc1", "ws", "ws-1", "ws-2", "ws1", *(f"lt{i:02d}" for i in range(24)))
_DOTTED = ("pc.a", "pc.a.b", "pc.-", "srv.example.com", "srv", "ws.1")


@st.composite
def endpoint_offices(draw: st.DrawFn) -> tuple[dict[str, Any], int]:
    """An office of endpoints alike enough to form fleets, with tiers, sites and
    owners that split them, and sometimes a rule that cuts fleets into runs."""
    pool = _IDS + _DOTTED if draw(st.booleans()) else _IDS
    ids = draw(st.permutations(pool))[: draw(st.integers(0, len(pool)))]

    def one_of(*values: str) -> st.SearchStrategy[str]:
        # Sometimes every asset has the first value: one fleet, one cadence.
        return st.sampled_from(values[: draw(st.integers(1, len(values)))])

    kinds, tiers = one_of("laptop", "workstation"), one_of("low", "critical", "medium", "high")
    exposures, sites = one_of("internal", "internet"), one_of("", "A", "B")
    assets = [
        {"id": asset_id, "kind": draw(kinds), "criticality": draw(tiers)}
        | {"exposure": draw(exposures)}
        | ({"site": site} if (site := draw(sites)) else {})
        for asset_id in ids
    ]
    rules: list[dict[str, Any]] = []
    if draw(st.booleans()):
        minutes = draw(st.sampled_from([5, 30, 60, 120]))
        rules.append(
            {
                "extends": "builtin/endpoint-automatic-updates",
                "duration_per_asset": f"PT{minutes}M",
            }
        )
    return office(*assets, rules=tuple(rules)), draw(st.integers(1, 3))


@settings(deadline=None, max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(case=endpoint_offices())
def test_expand_fleets_is_group_of_expand_without_member_dues(
    case: tuple[dict[str, Any], int],
) -> None:
    """Issue 32: ``expand_fleets`` gives what ``group(expand(...))`` gives — the
    same dues in the same order, members included — with each fleet's members a
    :class:`Members` (no :class:`Due` made per member until one is read)."""
    from maintlib.model.work import Horizon, Members
    from maintlib.packs.catalog import build_catalog
    from maintlib.planning.apply import apply
    from maintlib.planning.expand import expand
    from maintlib.planning.fleet import expand_fleets
    from maintlib.testing import make_plugins

    document, months = case
    catalog = build_catalog(make_plugins())
    inventory = load_document(document, plugins=make_plugins())
    horizon = Horizon(dt.date(2027, 1, 1), months, inventory.organisation.timezone)
    duties = apply(inventory, catalog).duties
    expected = group(expand(duties, horizon, catalog.calendars))
    got = expand_fleets(duties, horizon, catalog.calendars)
    assert [d.uid for d in got] == [d.uid for d in expected]
    for mine, theirs in zip(got, expected, strict=True):
        assert mine == attrs.evolve(theirs, members=mine.members)
        assert tuple(mine.members) == tuple(theirs.members)
        assert mine.covers == theirs.covers
        assert mine.assets == theirs.assets
        assert mine.count == theirs.count
        if theirs.members:
            assert isinstance(mine.members, Members)
            assert mine.members == theirs.members
            assert mine == theirs


def test_expand_fleets_picks_the_earliest_deadline_among_equal_tiers() -> None:
    """Members of one tier whose duties give other deadlines (hand-built) join one
    fleet; its deadline is the earliest, as ``group`` makes it."""
    from maintlib.model.work import Horizon
    from maintlib.packs.catalog import build_catalog
    from maintlib.planning.apply import apply
    from maintlib.planning.expand import expand
    from maintlib.planning.fleet import expand_fleets
    from maintlib.testing import make_plugins

    catalog = build_catalog(make_plugins())
    inventory = load_document(office(*laptops(6)), plugins=make_plugins())
    horizon = Horizon(dt.date(2027, 1, 1), 2, inventory.organisation.timezone)
    duties = [
        attrs.evolve(duty, deadline_days=3)
        if duty.asset is not None and duty.asset.id in {"utrecht-lt03", "utrecht-lt04"}
        else duty
        for duty in apply(inventory, catalog).duties
    ]
    expected = group(expand(duties, horizon, catalog.calendars))
    got = expand_fleets(duties, horizon, catalog.calendars)
    assert got == expected
    fleet = next(due for due in got if due.members and due.uid.count("security-updates"))
    assert fleet.count == 6
    assert fleet.deadline == min(member.deadline for member in fleet.members)
    assert fleet.deadline < max(member.deadline for member in fleet.members)


def test_members_read_as_the_dues_they_stand_for() -> None:
    """A ``Members`` is a sequence of the members' dues, made when read: indexes
    (negative too), slices, iteration, equality with the tuple of the same dues (and
    the same hash), and ``uids()``/``assets()`` equal to what the dues give."""
    from maintlib.model.work import Horizon, Members
    from maintlib.packs.catalog import build_catalog
    from maintlib.planning.apply import apply
    from maintlib.planning.expand import expand
    from maintlib.planning.fleet import expand_fleets
    from maintlib.testing import make_plugins

    catalog = build_catalog(make_plugins())
    inventory = load_document(office(*laptops(5)), plugins=make_plugins())
    horizon = Horizon(dt.date(2027, 1, 1), 1, inventory.organisation.timezone)
    duties = apply(inventory, catalog).duties
    fleet = next(d for d in expand_fleets(duties, horizon, catalog.calendars) if d.members)
    members = fleet.members
    assert isinstance(members, Members)
    expected = next(d for d in group(expand(duties, horizon, catalog.calendars)) if d.members)
    dues = tuple(expected.members)
    assert len(members) == len(dues) == 5
    assert members[0] == dues[0]
    assert members[-1] == dues[-1]
    assert members[1:3] == dues[1:3]
    assert list(members) == list(dues)
    assert members == dues
    assert dues == members
    assert hash(members) == hash(dues)
    assert members.uids() == tuple(d.uid for d in dues) == fleet.covers
    assert members.assets() == tuple(d.duty.asset.id for d in dues if d.duty.asset)
    with pytest.raises(IndexError):
        members[5]
    with pytest.raises(ValueError, match="5 duties but 4 deadlines"):
        attrs.evolve(members, deadlines=members.deadlines[:4])
