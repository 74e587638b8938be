"""The iCalendar feed (issue 6), read back by independent readers.

Every reader here expands the feed on its own — recurring-ical-events, ical.js
(which knows no zone but the feed's VTIMEZONEs), vobject (which builds its zones
from the VTIMEZONEs with dateutil) and a Radicale CalDAV server — and each must
find exactly the plan's tasks: the same uid, start and end, in both modes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import urllib.error
import urllib.request
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import icalendar
import pytest
import recurring_ical_events
import vobject
from hypothesis import example, given, settings
from hypothesis import strategies as st

import maintlib
from maintlib import cli
from maintlib.model.catalog import Catalog
from maintlib.model.errors import InputError
from maintlib.model.inventory import Inventory
from maintlib.model.plan import Plan, Task
from maintlib.model.vocabulary import Tier
from maintlib.outputs.i18n import language
from maintlib.outputs.ics.feed import (
    PRIORITY,
    UNASSIGNED,
    Previous,
    _fold,
    split_paths,
    split_tasks,
)
from maintlib.outputs.ics.runbook import group_occurrences
from maintlib.outputs.ics.series import MAX_OCCURRENCES, find_series
from maintlib.pipeline import plan as make_plan
from maintlib.testing import REFERENCE_TIME, plan_document
from readers import ical_js, js_time
from servers import radicale_server
from strategies import fleets


def to_ics(plan: Plan, **options: Any) -> bytes:
    """The feed in English (the organisations here are Dutch: their default is Dutch,
    which :class:`TestWordsForTheTechnician` tests)."""
    return maintlib.to_ics(plan, **{"lang": "en", **options})


UTC = dt.UTC
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
MODES = ("per-task", "series")
#: Every feed mode (the run-book mode is read back by its own tests).
ALL_MODES = (*MODES, "occurrence")
Occurrence = tuple[str, str, str]  # task uid, start, end (UTC, ISO 8601)

INVENTORY: dict[str, Any] = {
    "organisation": {"name": "Acme BV", "timezone": "Europe/Amsterdam", "country": "NL"},
    # A technician per asset: each office check starts at the opening, every week
    # alike, as the series tests assume (one technician lays them back to back).
    "planning": {"technicians": 4},
    "windows": [
        {
            "name": "sat-night",
            "rrule": "FREQ=WEEKLY;BYDAY=SA",
            "start": "22:00",
            "duration": "PT6H",
            "capacity_hours": 12,
        },
        {
            "name": "wed-night",
            "rrule": "FREQ=WEEKLY;BYDAY=WE",
            "start": "23:00",
            "duration": "PT3H",
        },
    ],
    # Moves March's first-Saturday work a week on: a RECURRENCE-ID in series mode.
    "blackouts": [{"name": "spring-freeze", "start": "2027-03-06", "end": "2027-03-06"}],
    "assets": [
        {
            "id": "hv01",
            "name": "Hyper-V host 1",
            "kind": "hypervisor",
            "window": "sat-night",
            "owner": "Jan de Vries <jan@example.nl>",
            "site": "Amsterdam DC",
            "criticality": "high",
        },
        {
            "id": "fw01",
            "name": "Edge firewall",
            "kind": "firewall",
            "window": "wed-night",
            "owner": "ops@example.nl",
            "site": "Amsterdam DC",
            "criticality": "critical",
            "exposure": "internet",
        },
        {"id": "ws01", "kind": "workstation", "owner": "Piet", "site": "Utrecht"},
        {
            "id": "app01",
            "name": "Zoë's boekhouding — Büro Köln, Überweisungen und Lohnabrechnung",
            "kind": "application",
            "window": "sat-night",
            "site": "Köln",
        },
    ],
}


@pytest.fixture(scope="module")
def plan() -> Plan:
    return plan_document(INVENTORY)


# -- reading feeds back ----------------------------------------------------------


def utc(moment: dt.datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def expected(tasks: Iterable[Task]) -> set[Occurrence]:
    return {(task.uid, utc(task.start), utc(task.end)) for task in tasks}


def parse(feed: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(feed)


def task_suffixes(feed: bytes) -> dict[str, list[str]]:
    """Series UID → the last part of its occurrences' task uids (X-MAINTLIB-TASKS)."""
    return {
        str(event["UID"]): str(event["X-MAINTLIB-TASKS"]).split()
        for event in parse(feed).walk("VEVENT")
        if "X-MAINTLIB-TASKS" in event
    }


def identify(feed: bytes, found: Iterable[tuple[str, str | None, str, str]]) -> list[Occurrence]:
    """Task uids of ``(UID, RECURRENCE-ID, start, end)`` occurrences, by the feed's
    identity rule: a single event's UID is the task uid plus ``@domain``; the k-th
    occurrence of a series (by RECURRENCE-ID) is the series' UID before ``@``,
    ``.``, and the k-th entry of X-MAINTLIB-TASKS."""
    suffixes = task_suffixes(feed)
    by_uid: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    result = []
    for uid, recurrence, start, end in found:
        if uid in suffixes:
            assert recurrence is not None
            by_uid[uid].append((recurrence, start, end))
        else:
            result.append((uid.split("@")[0], start, end))
    for uid, occurrences in by_uid.items():
        occurrences.sort()
        assert len(occurrences) == len(suffixes[uid]), uid
        key = uid.split("@")[0]
        result += [
            (f"{key}.{suffix}", start, end)
            for suffix, (_, start, end) in zip(suffixes[uid], occurrences, strict=True)
        ]
    return result


def read_recurring_ical_events(feed: bytes) -> list[Occurrence]:
    begin, end = dt.datetime(2000, 1, 1, tzinfo=UTC), dt.datetime(2040, 1, 1, tzinfo=UTC)
    found = []
    # CalendarQuery reads the feed as RFC 5545 says. ``recurring_ical_events.of``
    # first moves UTC times into the X-WR-TIMEZONE zone (x-wr-timezone 2.0), which
    # loses the fold of a time in the hour a DST change repeats: the one place the
    # feed writes UTC, so that reading would put such a task an hour early.
    for event in recurring_ical_events.CalendarQuery(parse(feed)).between(begin, end):
        recurrence = event.get("RECURRENCE-ID")
        found.append(
            (
                str(event["UID"]),
                utc(recurrence.dt) if recurrence else None,
                utc(event["DTSTART"].dt),
                utc(event["DTEND"].dt),
            )
        )
    return identify(feed, found)


def read_ical_js(*feeds: bytes) -> list[list[Occurrence]]:
    results = []
    for feed, occurrences in zip(feeds, ical_js(*feeds), strict=True):
        assert {o["zone"] for o in occurrences} <= {"UTC", *zone_ids(feed)}
        found = [
            (
                o["uid"],
                js_time(o["recurrenceId"]) if o["recurrenceId"] else None,
                js_time(o["start"]),
                js_time(o["end"]),
            )
            for o in occurrences
        ]
        results.append(identify(feed, found))
    return results


def read_vobject(feed: bytes) -> list[Occurrence]:
    calendar = vobject.readOne(feed.decode())
    overrides = {}
    masters = []
    for event in calendar.vevent_list:
        if hasattr(event, "recurrence_id"):
            overrides[(event.uid.value, utc(event.recurrence_id.value))] = event
        else:
            masters.append(event)
    found = []
    for event in masters:
        uid = event.uid.value
        start, end = event.dtstart.value, event.dtend.value
        if not hasattr(event, "rrule"):
            found.append((uid, None, utc(start), utc(end)))
            continue
        for occurrence in event.getrruleset(addRDate=True):
            moved = overrides.get((uid, utc(occurrence)))
            if moved is not None:
                found.append(
                    (uid, utc(occurrence), utc(moved.dtstart.value), utc(moved.dtend.value))
                )
            else:
                found.append(
                    (uid, utc(occurrence), utc(occurrence), utc(occurrence + (end - start)))
                )
    return identify(feed, found)


def zone_ids(feed: bytes) -> set[str]:
    return {str(zone["TZID"]) for zone in parse(feed).walk("VTIMEZONE")}


def physical_lines(feed: bytes) -> list[bytes]:
    assert feed.endswith(b"\r\n")
    return feed[:-2].split(b"\r\n")


def check_lines(feed: bytes) -> None:
    """CRLF only, at most 75 octets a line, no UTF-8 character split by folding."""
    assert b"\n" not in feed.replace(b"\r\n", b"")
    assert b"\r" not in feed.replace(b"\r\n", b"")
    for line in physical_lines(feed):
        assert len(line) <= 75, line
        line.decode("utf-8")  # raises if folding split a character


def check_until(feed: bytes) -> None:
    """UNTIL is UTC wherever DTSTART has a TZID (RFC 5545 3.3.10)."""
    unfolded = feed.replace(b"\r\n ", b"").decode()
    for block in unfolded.split("BEGIN:VEVENT")[1:]:
        rules = re.findall(r"^RRULE:.*$", block, re.MULTILINE)
        if rules and re.search(r"^DTSTART;TZID=", block, re.MULTILINE):
            for rule in rules:
                assert re.search(r"UNTIL=\d{8}T\d{6}Z", rule), rule


def check_vtimezones(feed: bytes, occurrences: Iterable[Occurrence]) -> None:
    """Each occurrence's offset, read from the feed's own VTIMEZONE, is zoneinfo's."""
    calendar = parse(feed)
    blocks = {}
    for zone in calendar.walk("VTIMEZONE"):
        key = str(zone["TZID"])
        block = zone.to_ical()
        # A made-up TZID, so icalendar builds the zone from the block, not zoneinfo;
        # unique to the block, as icalendar keeps the zones it built by TZID.
        made_up = f"TZID:X-feed-{hashlib.sha256(block).hexdigest()[:16]}"
        text = block.replace(f"TZID:{key}".encode(), made_up.encode())
        blocks[key] = icalendar.Timezone.from_ical(text).to_tz()
    tasks_zone = {
        str(event["UID"]): event["DTSTART"].params.get("TZID") for event in calendar.walk("VEVENT")
    }
    assert set(tasks_zone.values()) - {None} <= set(blocks)
    for _, start, end in occurrences:
        for moment in (dt.datetime.fromisoformat(start), dt.datetime.fromisoformat(end)):
            for key, reader in blocks.items():
                zone = ZoneInfo(key)
                local = moment.astimezone(zone).replace(tzinfo=None)
                if (
                    local.replace(tzinfo=zone, fold=1).utcoffset()
                    != moment.astimezone(zone).utcoffset()
                ):
                    continue  # a repeated wall-clock time: the feed writes it in UTC
                assert (
                    local.replace(tzinfo=reader).utcoffset() == moment.astimezone(zone).utcoffset()
                ), (key, local)


def events(feed: bytes) -> list[icalendar.Event]:
    return list(parse(feed).walk("VEVENT"))


def event_of(feed: bytes, uid: str) -> icalendar.Event:
    (found,) = [e for e in events(feed) if str(e["UID"]) == uid and "RECURRENCE-ID" not in e]
    return found


def first_task(plan: Plan, asset: str, activity: str) -> Task:
    return next(
        t for t in plan.tasks if t.duty.subject == asset and t.duty.activity.name == activity
    )


# -- the feed --------------------------------------------------------------------


class TestCalendar:
    def test_calendar_properties(self, plan: Plan) -> None:
        text = to_ics(plan).decode()
        assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
        assert re.search(r"^PRODID:-//maintlib//maintlib \d+\.\d+\.\d+.*//EN\r$", text, re.M)
        for line in (
            "METHOD:PUBLISH",
            "NAME:Maintenance plan — Acme BV",
            "X-WR-CALNAME:Maintenance plan — Acme BV",
            "X-WR-TIMEZONE:Europe/Amsterdam",
            "REFRESH-INTERVAL;VALUE=DURATION:PT4H",
            "X-PUBLISHED-TTL:PT4H",
        ):
            assert f"\r\n{line}\r\n" in text

    def test_name_is_configurable(self, plan: Plan) -> None:
        text = to_ics(plan, name="Ops calendar").decode()
        assert "\r\nNAME:Ops calendar\r\n" in text
        assert "\r\nX-WR-CALNAME:Ops calendar\r\n" in text

    def test_the_calendar_name_and_description_are_escaped_text(self, plan: Plan) -> None:
        """Issue 33: ``--ics-name 'Ops; team, A\\B'`` was written raw."""
        name = "Ops; team, A\\B"
        text = to_ics(plan, name=name).decode()
        assert "\r\nNAME:Ops\\; team\\, A\\\\B\r\n" in text
        assert "\r\nX-WR-CALNAME:Ops\\; team\\, A\\\\B\r\n" in text
        calendar = vobject.readOne(text)
        assert calendar.contents["name"][0].value == name
        assert calendar.contents["x-wr-calname"][0].value == name
        assert calendar.contents["x-wr-caldesc"][0].value.startswith("Planned maintenance of")
        assert calendar.contents["x-wr-caldesc"][0].value.endswith(", from maintlib.")

    def test_the_same_plan_gives_the_same_bytes(self, plan: Plan) -> None:
        again = plan_document(INVENTORY)
        for mode in MODES:
            assert to_ics(plan, mode=mode) == to_ics(again, mode=mode)

    @pytest.mark.parametrize("mode", ALL_MODES)
    def test_lines_are_crlf_and_folded_at_75_octets(self, plan: Plan, mode: str) -> None:
        feed = to_ics(plan, mode=mode)
        check_lines(feed)
        # The long UTF-8 asset name was folded, and no fold split a character.
        assert any(len(line) > 70 and "Ü" in line.decode() for line in physical_lines(feed))

    def test_a_window_in_another_zone_gets_its_own_vtimezone(self) -> None:
        document = json.loads(json.dumps(INVENTORY))
        document["windows"][0]["timezone"] = "America/New_York"
        plan = plan_document(document)
        feed = to_ics(plan, mode="series")
        assert zone_ids(feed) == {"Europe/Amsterdam", "America/New_York"}
        master = event_of(feed, "hv01.security-updates@maintlib.invalid")
        assert master["DTSTART"].params["TZID"] == "America/New_York"
        assert master["DTSTART"].dt.time() == dt.time(22)
        (found,) = read_ical_js(feed)
        assert set(found) == expected(plan.tasks)

    def test_only_the_zones_used_get_a_vtimezone(self, plan: Plan) -> None:
        assert zone_ids(to_ics(plan)) == {"Europe/Amsterdam"}
        assert zone_ids(to_ics(plan, tasks=())) == set()


class TestEvents:
    def test_a_task_event(self, plan: Plan) -> None:
        task = first_task(plan, "hv01", "security-updates")
        event = event_of(to_ics(plan), f"{task.uid}@maintlib.invalid")
        assert event["SUMMARY"] == "Security updates — hv01 Hyper-V host 1"
        assert event["DTSTART"].dt == task.start
        assert event["DTSTART"].params["TZID"] == "Europe/Amsterdam"
        assert event["DTEND"].dt == task.end
        assert event["DTSTAMP"].to_ical() == b"20261201T000000Z"
        assert event["SEQUENCE"] == 0
        assert event["LOCATION"] == "Amsterdam DC"
        assert event["PRIORITY"] == PRIORITY[task.duty.tier]
        categories = list(event["CATEGORIES"].cats)
        assert categories == ["hypervisor", "Security updates", "security", task.duty.tier.value]

    def test_the_description_is_a_checklist_with_priority_deadline_cost_and_owner(
        self, plan: Plan
    ) -> None:
        task = first_task(plan, "hv01", "security-updates")
        event = event_of(to_ics(plan), f"{task.uid}@maintlib.invalid")
        description = str(event["DESCRIPTION"])
        assert plan.costs is not None
        for index, step in enumerate(task.steps, start=1):
            assert f"☐ {index}. {step.text}" in description
        assert [s.kind.value for s in task.steps][:3] == ["backup", "test", "update"]
        assert f"Priority: {task.duty.tier.value}" in description
        deadline = task.due.deadline.astimezone(plan.organisation.timezone)
        english = language("en")
        day = f"{english.weekday_date(deadline.date())} {deadline.year}"
        assert f"Start by: {day} {deadline:%H:%M}" in description
        assert f"Estimated cost: {plan.costs.task(task.uid)}" in description
        assert "Owner: Jan de Vries <jan@example.nl>" in description
        assert "Takes " in description
        assert "with downtime" in description
        assert task.uid not in description  # the uid is the event's UID, not its text

    def test_a_publish_feed_has_an_organizer_and_no_attendee(self, plan: Plan) -> None:
        """Found: 4,196 of 4,198 events carried ATTENDEE in a METHOD:PUBLISH feed, and
        ORGANIZER was dropped when the owner had no address (RFC 5546 3.2.1)."""
        feed = to_ics(plan)
        assert b"\r\nATTENDEE" not in feed
        assert all("ORGANIZER" in event for event in events(feed))
        hv = event_of(feed, f"{first_task(plan, 'hv01', 'security-updates').uid}@maintlib.invalid")
        assert hv["ORGANIZER"] == "mailto:jan@example.nl"
        assert hv["ORGANIZER"].params["CN"] == "Jan de Vries"
        assert hv["X-MAINTLIB-OWNER"] == "Jan de Vries <jan@example.nl>"
        fw = event_of(feed, f"{first_task(plan, 'fw01', 'log-review').uid}@maintlib.invalid")
        assert fw["ORGANIZER"] == "mailto:ops@example.nl"
        assert "CN" not in fw["ORGANIZER"].params
        ws = event_of(feed, f"{first_task(plan, 'ws01', 'security-updates').uid}@maintlib.invalid")
        assert ws["ORGANIZER"] == "mailto:noreply@maintlib.invalid"
        assert ws["ORGANIZER"].params["CN"] == "Piet"

    def test_organisation_wide_tasks_are_named_after_the_organisation(self, plan: Plan) -> None:
        task = first_task(plan, "organisation", "plan-review")
        event = event_of(to_ics(plan), f"{task.uid}@maintlib.invalid")
        assert event["SUMMARY"] == "Maintenance plan review — Acme BV"
        assert "LOCATION" not in event
        assert "organisation" in list(event["CATEGORIES"].cats)

    def test_priority_follows_the_tier(self) -> None:
        assert [PRIORITY[tier] for tier in Tier] == [1, 3, 5, 7]

    def test_alarms_a_day_before_downtime_work_only_by_default(self, plan: Plan) -> None:
        """Found: every event had a VALARM, so a subscriber got 4,198 reminders."""
        feed = events(to_ics(plan))
        downtime = [e for e in feed if e["X-MAINTLIB-DOWNTIME"] == "TRUE"]
        assert downtime
        assert len(downtime) < len(feed)
        for event in feed:
            alarms = event.walk("VALARM")
            assert len(alarms) == (1 if event in downtime else 0)
        (alarm,) = downtime[0].walk("VALARM")
        assert alarm["ACTION"] == "DISPLAY"
        assert alarm["TRIGGER"].to_ical() == b"-P1D"
        assert str(alarm["DESCRIPTION"]) == str(downtime[0]["SUMMARY"])

    def test_alarms_on_every_event_when_asked(self, plan: Plan) -> None:
        feed = events(to_ics(plan, alarms="all"))
        assert all(len(event.walk("VALARM")) == 1 for event in feed)

    def test_the_alarm_is_configurable_or_absent(self, plan: Plan) -> None:
        first = next(
            e
            for e in events(to_ics(plan, alarm=dt.timedelta(hours=2)))
            if e["X-MAINTLIB-DOWNTIME"] == "TRUE"
        )
        (alarm,) = first.walk("VALARM")
        assert alarm["TRIGGER"].to_ical() == b"-PT2H"
        assert b"VALARM" not in to_ics(plan, alarm=None, alarms="all")

    def test_feeds_split_by_mode_and_downtime(self, plan: Plan) -> None:
        by_downtime = split_tasks(plan, "downtime")
        assert set(by_downtime) == {"downtime", "no-downtime"}
        assert all(t.duty.downtime for t in by_downtime["downtime"])
        by_mode = split_tasks(plan, "mode")
        assert set(by_mode) <= {"window", "office_hours", "automatic"}
        assert sum(map(len, by_mode.values())) == len(plan.tasks)
        night = to_ics(plan, tasks=by_downtime["downtime"])
        assert len(events(night)) == len(by_downtime["downtime"])

    def test_uids_take_the_domain(self, plan: Plan) -> None:
        feed = to_ics(plan, domain="ops.example.org")
        uids = {str(e["UID"]) for e in events(feed)}
        assert uids == {f"{t.uid}@ops.example.org" for t in plan.tasks}

    @pytest.mark.parametrize(
        ("arguments", "message"),
        [
            ({"domain": "not a domain"}, "not a domain name"),
            ({"domain": "-x.example"}, "not a domain name"),
            ({"mode": "weekly"}, "weekly"),
            ({"alarm": dt.timedelta(hours=-1)}, "positive"),
        ],
    )
    def test_bad_arguments(self, plan: Plan, arguments: dict[str, Any], message: str) -> None:
        with pytest.raises(ValueError, match=message):
            to_ics(plan, **arguments)

    def test_a_wall_clock_time_that_repeats_is_written_in_utc(self, plan: Plan) -> None:
        # 02:30 on 31 October 2027 happens twice in Amsterdam; the second time is 01:30Z.
        task = first_task(plan, "hv01", "security-updates")
        start = dt.datetime(2027, 10, 31, 1, 30, tzinfo=UTC).astimezone(AMSTERDAM)
        moved = attrs.evolve(task, start=start, end=start + dt.timedelta(hours=2))
        feed = to_ics(attrs.evolve(plan, tasks=(moved,)))
        assert b"DTSTART:20271031T013000Z" in feed
        assert b"DTEND;TZID=Europe/Amsterdam:20271031T043000" in feed
        assert read_recurring_ical_events(feed) == [(task.uid, utc(start), utc(moved.end))]
        assert read_ical_js(feed) == [[(task.uid, utc(start), utc(moved.end))]]


class TestSequence:
    def test_a_previous_feed_with_the_same_times_keeps_sequence(self, plan: Plan) -> None:
        feed = to_ics(plan)
        assert to_ics(plan, previous=feed) == feed

    def test_a_task_whose_time_changed_gets_a_higher_sequence(self, plan: Plan) -> None:
        task = first_task(plan, "hv01", "security-updates")
        moved = attrs.evolve(task, start=task.start - dt.timedelta(hours=1))
        earlier = attrs.evolve(plan, tasks=tuple(moved if t is task else t for t in plan.tasks))
        feed = to_ics(plan, previous=to_ics(earlier))
        sequences = {str(e["UID"]): e["SEQUENCE"] for e in events(feed)}
        assert sequences.pop(f"{task.uid}@maintlib.invalid") == 1
        assert set(sequences.values()) == {0}
        # Published again unchanged, the raised SEQUENCE stays.
        assert to_ics(plan, previous=feed) == feed

    def test_series_and_their_overrides_compare_times_too(self, plan: Plan) -> None:
        feed = to_ics(plan, mode="series")
        assert to_ics(plan, mode="series", previous=feed) == feed
        task = first_task(plan, "fw01", "log-review")
        fewer = tuple(t for t in plan.tasks if t is not task)
        changed = to_ics(plan, mode="series", tasks=fewer, previous=feed)
        master = event_of(changed, "fw01.log-review@maintlib.invalid")
        assert master["SEQUENCE"] == 1  # DTSTART moved to the second Monday

    def test_several_previous_feeds(self, plan: Plan) -> None:
        groups = split_tasks(plan, "site")
        feeds = {key: to_ics(plan, tasks=tasks) for key, tasks in groups.items()}
        previous = Previous.parse({f"{key}.ics": feed for key, feed in feeds.items()})
        assert len(previous.events) == len(plan.tasks)
        assert to_ics(plan, previous=previous) == to_ics(plan)

    def test_a_previous_feed_that_is_not_icalendar(self) -> None:
        with pytest.raises(InputError) as caught:
            Previous.parse({"old.ics": b"hello", "bad.ics": b"BEGIN:VCALENDAR\r\n\xff\r\n"})
        old, bad = (str(p) for p in caught.value.problems)
        assert old.startswith("old.ics: not an iCalendar file: ")
        assert bad == "bad.ics: line 2: not valid UTF-8"


class TestSeries:
    def test_a_monthly_duty_becomes_one_recurring_event(self, plan: Plan) -> None:
        feed = to_ics(plan, mode="series")
        master = event_of(feed, "hv01.security-updates@maintlib.invalid")
        rule = master["RRULE"].to_ical().decode()
        assert rule == "FREQ=MONTHLY;UNTIL=20271204T210000Z;BYDAY=SA;BYSETPOS=1"
        tasks = [t for t in plan.tasks if t.uid.startswith("hv01.security-updates.")]
        assert len(str(master["X-MAINTLIB-TASKS"]).split()) == len(tasks) == 12

    def test_a_moved_task_is_an_override_of_its_occurrence(self, plan: Plan) -> None:
        # The freeze on 6 March moved the task past midnight, still in the window.
        feed = to_ics(plan, mode="series")
        (override,) = [
            e
            for e in events(feed)
            if str(e["UID"]) == "hv01.security-updates@maintlib.invalid"
            and "RECURRENCE-ID" in e
            and e["RECURRENCE-ID"].dt.month == 3
        ]
        assert override["RECURRENCE-ID"].dt == dt.datetime(2027, 3, 6, 22, tzinfo=AMSTERDAM)
        assert override["DTSTART"].dt == dt.datetime(2027, 3, 7, 0, tzinfo=AMSTERDAM)
        assert "Start by: " in str(override["DESCRIPTION"])

    def test_an_occurrence_without_a_task_is_an_exdate(self, plan: Plan) -> None:
        weekly = [t for t in plan.tasks if t.uid.startswith("fw01.log-review.")]
        missing = weekly[5]
        feed = to_ics(plan, mode="series", tasks=[t for t in plan.tasks if t is not missing])
        master = event_of(feed, "fw01.log-review@maintlib.invalid")
        assert [d.dt for d in master["EXDATE"].dts] == [missing.start]
        assert len(str(master["X-MAINTLIB-TASKS"]).split()) == len(weekly) - 1

    def test_series_stay_within_outlooks_limits(self, plan: Plan) -> None:
        for event in events(to_ics(plan, mode="series")):
            if "RRULE" in event:
                rule = event["RRULE"]
                assert len(rule.get("BYSETPOS", [])) <= 1
                assert "COUNT" not in rule
        assert MAX_OCCURRENCES == 999

    def test_tasks_without_a_pattern_stay_single_events(self, plan: Plan) -> None:
        feed = to_ics(plan, mode="series")
        uids = {str(e["UID"]) for e in events(feed)}
        # fw01's quarterly firmware falls on no common weekday rule of its Wednesdays.
        firmware = [t for t in plan.tasks if t.uid.startswith("fw01.firmware-update.")]
        assert {f"{t.uid}@maintlib.invalid" for t in firmware} <= uids
        assert "organisation.training.20270101T0000@maintlib.invalid" in uids

    def test_every_task_is_in_exactly_one_event(self, plan: Plan) -> None:
        series, single = find_series(plan.tasks, lambda task: task.steps)
        members = [task.uid for s in series for _, task in s.members]
        assert sorted(members + [t.uid for t in single]) == sorted(t.uid for t in plan.tasks)
        assert len(series) >= 5

    def test_series_mode_is_smaller(self, plan: Plan) -> None:
        per_task, series = to_ics(plan), to_ics(plan, mode="series")
        assert len(events(series)) < len(events(per_task)) / 2
        assert len(series) < len(per_task) / 2


class TestReaders:
    @pytest.mark.parametrize("mode", MODES)
    def test_recurring_ical_events(self, plan: Plan, mode: str) -> None:
        found = read_recurring_ical_events(to_ics(plan, mode=mode))
        assert len(found) == len(plan.tasks)
        assert set(found) == expected(plan.tasks)

    def test_ical_js_in_both_modes(self, plan: Plan) -> None:
        per_task, series = read_ical_js(to_ics(plan), to_ics(plan, mode="series"))
        assert len(per_task) == len(series) == len(plan.tasks)
        assert set(per_task) == set(series) == expected(plan.tasks)

    @pytest.mark.parametrize("mode", MODES)
    def test_vobject(self, plan: Plan, mode: str) -> None:
        found = read_vobject(to_ics(plan, mode=mode))
        assert len(found) == len(plan.tasks)
        assert set(found) == expected(plan.tasks)

    @pytest.mark.parametrize("mode", MODES)
    def test_feed_invariants(self, plan: Plan, mode: str) -> None:
        feed = to_ics(plan, mode=mode)
        check_until(feed)
        check_vtimezones(feed, expected(plan.tasks))


# -- daily routine checks in per-task feeds -----------------------------------------


@pytest.fixture(scope="module")
def firm() -> Plan:
    """The accounting example (a backup check every business day), built-in pack."""
    from maintlib.loading.read import load
    from maintlib.packs.catalog import build_catalog
    from maintlib.testing import make_plugins

    catalog = build_catalog(make_plugins())
    inventory = load(
        Path(__file__).parent.parent / "examples/accounting/inventory.toml", catalog=catalog
    )
    return make_plan(
        inventory,
        start=dt.date(2027, 1, 1),
        months=12,
        reference_time=REFERENCE_TIME,
        plugins=catalog,
    )


class TestDailyChecks:
    def test_a_daily_check_is_one_recurring_event_in_the_default_feed(self, firm: Plan) -> None:
        feed = to_ics(firm)
        checks = [t for t in firm.tasks if t.uid.startswith("nas01.backup-check.")]
        assert len(checks) > 240
        series = [e for e in events(feed) if str(e["UID"]) == "nas01.backup-check@maintlib.invalid"]
        (master,) = [e for e in series if "RRULE" in e]
        rule = master["RRULE"]
        assert (rule["FREQ"], rule["BYDAY"]) == (["WEEKLY"], ["MO", "TU", "WE", "TH", "FR"])
        # Moved checks (a busy morning, a holiday's check done the next day) are
        # overrides: far fewer events than checks; every other task is its own.
        assert all("RECURRENCE-ID" in e for e in series if e is not master)
        assert len(series) < len(checks) / 2
        others = {f"{t.uid}@maintlib.invalid" for t in firm.tasks if t not in checks}
        assert others <= {str(e["UID"]) for e in events(feed)}

    def test_readers_see_every_task_at_its_time(self, firm: Plan) -> None:
        feed = to_ics(firm)
        want = expected(firm.tasks)
        assert set(read_recurring_ical_events(feed)) == want
        assert set(read_vobject(feed)) == want
        (found,) = read_ical_js(feed)
        assert set(found) == want
        check_until(feed)


# -- occurrence mode (run-books) ----------------------------------------------------


def runbook_events(tasks: Iterable[Task]) -> set[Occurrence]:
    """What an occurrence-mode feed must hold: per window occurrence (office day),
    its key and the span from its first task's start to its last task's end."""
    return {(run.key, utc(run.first), utc(run.last)) for run in group_occurrences(tasks)}


class TestOccurrenceMode:
    def test_every_task_is_listed_by_exactly_one_event_and_its_times_span_them(
        self, plan: Plan
    ) -> None:
        feed = to_ics(plan, mode="occurrence")
        by_uid = {task.uid: task for task in plan.tasks}
        listed: list[str] = []
        for event in events(feed):
            uids = str(event["X-MAINTLIB-TASKS"]).split()
            listed += uids
            tasks = [by_uid[uid] for uid in uids]
            assert utc(event["DTSTART"].dt) == utc(min(t.start for t in tasks))
            assert utc(event["DTEND"].dt) == utc(max(t.end for t in tasks))
            assert len({(t.window, t.occurrence) for t in tasks}) == 1
            # The run-book lists them in the order they are done.
            assert [t.start for t in tasks] == sorted(t.start for t in tasks)
            description = str(event["DESCRIPTION"])
            assert f"{len(tasks)} task" in description
            lines = re.findall(r"^(\d\d:\d\d–\d\d:\d\d) ", description, re.MULTILINE)
            assert lines == [f"{t.start:%H:%M}–{t.end:%H:%M}" for t in tasks]
        assert sorted(listed) == sorted(by_uid)
        assert len(events(feed)) < len(plan.tasks) / 2

    def test_summary_priority_alarm_and_late_work(self) -> None:
        late_plan = plan_document(INVENTORY)
        feed = to_ics(late_plan, mode="occurrence")
        for event in events(feed):
            uids = str(event["X-MAINTLIB-TASKS"]).split()
            tasks = [t for t in late_plan.tasks if t.uid in uids]
            urgent = min((t.duty.tier for t in tasks), key=lambda tier: tier.rank)
            assert int(event["PRIORITY"]) == PRIORITY[urgent]
            downtime = sum(1 for t in tasks if t.duty.downtime)
            assert bool(list(event.walk("VALARM"))) == bool(downtime)
            assert (f"{downtime} with downtime" in str(event["SUMMARY"])) == bool(downtime)
            late = [t for t in tasks if t.status.value == "late"]
            assert str(event["SUMMARY"]).startswith("LATE: ") == bool(late)

    def test_the_same_plan_gives_the_same_bytes_and_uids_stay(self, plan: Plan) -> None:
        feed = to_ics(plan, mode="occurrence")
        assert feed == to_ics(plan_document(INVENTORY), mode="occurrence")
        uids = {str(e["UID"]) for e in events(feed)}
        assert all(re.fullmatch(r"[a-z0-9-]+\.\d{8}T\d{4}@maintlib\.invalid", u) for u in uids)

    def test_three_readers_read_the_same_events(self, plan: Plan) -> None:
        feed = to_ics(plan, mode="occurrence")
        want = runbook_events(plan.tasks)
        found = {
            (str(e["UID"]).split("@")[0], utc(e["DTSTART"].dt), utc(e["DTEND"].dt))
            for e in recurring_ical_events.CalendarQuery(parse(feed)).between(
                dt.datetime(2000, 1, 1, tzinfo=dt.UTC), dt.datetime(2040, 1, 1, tzinfo=dt.UTC)
            )
        }
        assert found == want
        calendar = vobject.readOne(feed.decode())
        assert {
            (e.uid.value.split("@")[0], utc(e.dtstart.value), utc(e.dtend.value))
            for e in calendar.vevent_list
        } == want
        (read,) = ical_js(feed)
        assert {
            (o["uid"].split("@")[0], js_time(o["start"]), js_time(o["end"])) for o in read
        } == want
        check_vtimezones(feed, want)


# -- Radicale ----------------------------------------------------------------------


@pytest.fixture
def radicale(tmp_path: Path) -> Iterator[str]:
    """A Radicale CalDAV server on 127.0.0.1 with a fresh storage folder and no auth."""
    with radicale_server(tmp_path / "collections") as base:
        yield base


def request(method: str, url: str, body: bytes | None = None) -> tuple[int, bytes]:
    headers = {"Content-Type": "text/calendar; charset=utf-8"} if body is not None else {}
    call = urllib.request.Request(url, data=body, method=method, headers=headers)
    with urllib.request.urlopen(call, timeout=30) as response:
        return response.status, response.read()


def event_content(feed: bytes) -> dict[tuple[str, str], dict[str, Any]]:
    """Each event's properties and alarms, times in UTC: what a client shows."""
    found = {}
    for event in events(feed):
        content: dict[str, Any] = {}
        for name, value in event.property_items(recursive=False):
            if name in ("BEGIN", "END"):
                continue
            if hasattr(value, "dt"):
                content.setdefault(name, []).append(utc(value.dt))
            elif hasattr(value, "dts"):
                content.setdefault(name, []).extend(utc(d.dt) for d in value.dts)
            elif hasattr(value, "params") and name in ("ORGANIZER", "ATTENDEE"):
                content.setdefault(name, []).append((str(value), dict(value.params)))
            else:
                content.setdefault(name, []).append(value.to_ical().decode())
        content["VALARM"] = [a.to_ical() for a in event.walk("VALARM")]
        recurrence = event.get("RECURRENCE-ID")
        found[(str(event["UID"]), utc(recurrence.dt) if recurrence else "")] = content
    return found


@pytest.mark.parametrize("mode", ALL_MODES)
def test_radicale_accepts_the_feed_and_serves_it_back_unchanged(
    plan: Plan, radicale: str, mode: str
) -> None:
    feed = to_ics(plan, mode=mode)
    assert request("MKCOL", f"{radicale}/maintlib/")[0] == 201
    assert request("PUT", f"{radicale}/maintlib/plan/", feed)[0] == 201
    status, served = request("GET", f"{radicale}/maintlib/plan/")
    assert status == 200
    assert event_content(served) == event_content(feed)
    if mode != "occurrence":
        assert set(read_recurring_ical_events(served)) == expected(plan.tasks)


# -- split feeds -------------------------------------------------------------------


class TestSplit:
    @pytest.mark.parametrize("by", ["owner", "site", "kind"])
    def test_groups_cover_every_task_once(self, plan: Plan, by: str) -> None:
        groups = split_tasks(plan, by)
        uids = [task.uid for tasks in groups.values() for task in tasks]
        assert sorted(uids) == sorted(task.uid for task in plan.tasks)
        assert list(groups) == sorted(groups)

    def test_keys(self, plan: Plan) -> None:
        assert set(split_tasks(plan, "owner")) == {
            "Jan de Vries <jan@example.nl>",
            "ops@example.nl",
            "Piet",
            UNASSIGNED,
        }
        assert set(split_tasks(plan, "site")) == {"Amsterdam DC", "Utrecht", "Köln", UNASSIGNED}
        assert set(split_tasks(plan, "kind")) == {
            "application",
            "firewall",
            "hypervisor",
            "workstation",
            "organisation",
        }

    def test_a_split_feed_holds_only_its_tasks(self, plan: Plan) -> None:
        tasks = split_tasks(plan, "site")["Utrecht"]
        feed = to_ics(plan, tasks=tasks, name="Maintenance — Utrecht")
        assert set(read_recurring_ical_events(feed)) == expected(tasks)
        assert "\r\nNAME:Maintenance — Utrecht\r\n".encode() in feed

    def test_file_names_are_safe_and_distinct(self) -> None:
        keys = ["Jan de Vries <jan@example.nl>", "Köln", "../../etc/passwd", "OPS", "ops", "€€"]
        paths = split_paths(Path("out/plan.ics"), keys)
        names = {key: path.name for key, path in paths.items()}
        assert names["Jan de Vries <jan@example.nl>"] == "plan-jan-de-vries-jan-example-nl.ics"
        assert names["Köln"] == "plan-koln.ics"
        assert names["../../etc/passwd"] == "plan-etc-passwd.ics"
        assert re.fullmatch(r"plan-ops-[0-9a-f]{8}\.ics", names["OPS"])
        assert re.fullmatch(r"plan-ops-[0-9a-f]{8}\.ics", names["ops"])
        assert names["OPS"] != names["ops"]
        assert re.fullmatch(r"plan-[0-9a-f]{8}\.ics", names["€€"])
        assert {path.parent for path in paths.values()} == {Path("out")}


# -- the command line ----------------------------------------------------------------


@pytest.fixture
def inventory_file(tmp_path: Path) -> Path:
    path = tmp_path / "inventory.json"
    path.write_text(json.dumps(INVENTORY), encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = cli.main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def plan_args(inventory: Path, *extra: str | Path) -> list[str | Path]:
    return ["plan", inventory, "--start", "2027-01-01", "--months", "12", "--lang", "en", *extra]


class TestCommandLine:
    @pytest.fixture(autouse=True)
    def _only_builtin(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv(
            "MAINTLIB_DISABLE_PLUGINS", "microsoft,network,linux,thirdparty,datacentre"
        )

    @pytest.mark.parametrize("mode", ["series", "occurrence"])
    def test_ics_writes_the_feed_the_library_writes(
        self, inventory_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], mode: str
    ) -> None:
        target = tmp_path / "out" / "plan.ics"
        reference = "2026-12-01T00:00:00Z"
        code, out, _ = run(
            capsys,
            *plan_args(inventory_file, "--ics", target, "--ics-mode", mode),
            "--reference-time",
            reference,
        )
        assert code == 0
        assert f"wrote {target}" in out
        assert target.read_bytes() == to_ics(plan_document(INVENTORY), mode=mode)

    def test_feed_options(
        self, inventory_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        target = tmp_path / "plan.ics"
        extra = ["--ics-name", "Ops", "--ics-domain", "ops.example.org", "--ics-alarm", "PT2H"]
        assert run(capsys, *plan_args(inventory_file, "--ics", target, *extra))[0] == 0
        feed = target.read_bytes()
        assert b"\r\nNAME:Ops\r\n" in feed
        assert b"@ops.example.org\r\n" in feed
        assert b"TRIGGER:-PT2H" in feed
        assert (
            run(capsys, *plan_args(inventory_file, "--ics", target, "--ics-alarm", "none"))[0] == 0
        )
        assert b"VALARM" not in target.read_bytes()

    def test_split_feeds_are_written_beside_the_target(
        self, inventory_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        target = tmp_path / "plan.ics"
        code, _, _ = run(capsys, *plan_args(inventory_file, "--ics", target, "--ics-split", "site"))
        assert code == 0
        assert sorted(p.name for p in tmp_path.glob("*.ics")) == [
            "plan-amsterdam-dc.ics",
            "plan-koln.ics",
            "plan-unassigned.ics",
            "plan-utrecht.ics",
        ]
        assert "NAME:Maintenance plan — Acme BV — Köln" in (tmp_path / "plan-koln.ics").read_text()
        found = [
            o
            for p in tmp_path.glob("plan-*.ics")
            for o in read_recurring_ical_events(p.read_bytes())
        ]
        assert len(found) == len(plan_document(INVENTORY).tasks)

    def test_previous_raises_the_sequence_of_moved_tasks(
        self, inventory_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        old, new = tmp_path / "old.ics", tmp_path / "new.ics"
        assert run(capsys, *plan_args(inventory_file, "--ics", old))[0] == 0
        changed = json.loads(inventory_file.read_text())
        changed["windows"][1]["start"] = "22:00"  # fw01's window an hour earlier
        inventory_file.write_text(json.dumps(changed))
        assert run(capsys, *plan_args(inventory_file, "--ics", new, "--previous", old))[0] == 0
        sequences = {str(e["UID"]): e["SEQUENCE"] for e in events(new.read_bytes())}
        before = {t.uid: (t.start, t.end) for t in plan_document(INVENTORY).tasks}
        after = {t.uid: (t.start, t.end) for t in plan_document(changed).tasks}
        moved = {uid for uid in after if before.get(uid) not in (None, after[uid])}
        assert moved
        assert {uid for uid, sequence in sequences.items() if sequence == 1} == {
            f"{uid}@maintlib.invalid" for uid in moved
        }
        assert set(sequences.values()) == {0, 1}

    @pytest.mark.parametrize(
        ("extra", "message"),
        [
            (["--ics-mode", "series"], "maintlib plan: --ics-mode needs --ics FILE"),
            (["--ics-alarm", "none"], "maintlib plan: --ics-alarm needs --ics FILE"),
            (["--ics", "{tmp}/plan.ics", "--previous", "{tmp}/missing.ics"], "cannot read"),
            (
                ["--ics", "{tmp}/plan.ics", "--previous", "{inventory}"],
                "not an iCalendar file",
            ),
        ],
    )
    def test_bad_feed_input_exits_2_and_writes_nothing(
        self,
        inventory_file: Path,
        tmp_path: Path,
        capsys: pytest.CaptureFixture[str],
        extra: list[str],
        message: str,
    ) -> None:
        extra = [e.format(tmp=tmp_path, inventory=inventory_file) for e in extra]
        json_file = tmp_path / "plan.json"
        code, _, err = run(capsys, *plan_args(inventory_file, "--json", json_file, *extra))
        assert code == 2
        assert message in err
        assert "nothing was written" in err
        assert not json_file.exists()
        assert not (tmp_path / "plan.ics").exists()

    @pytest.mark.parametrize(
        "extra",
        [
            ["--ics-mode", "weekly"],
            ["--ics-split", "team"],
            ["--ics-alarm", "2h"],
            ["--ics-domain", "not a domain"],
        ],
    )
    def test_bad_option_values_exit_2(
        self, inventory_file: Path, tmp_path: Path, extra: list[str]
    ) -> None:
        with pytest.raises(SystemExit) as stop:
            cli.main(
                [str(a) for a in plan_args(inventory_file, "--ics", tmp_path / "x.ics", *extra)]
            )
        assert stop.value.code == 2
        assert not (tmp_path / "x.ics").exists()


# -- random plans across DST changes -----------------------------------------------

#: Horizon starts that put a DST change of each zone inside a 1–3 month horizon.
DST_STARTS = (
    dt.date(2027, 3, 1),  # Europe 28 March, New York 14 March
    dt.date(2027, 3, 20),
    dt.date(2027, 4, 1),  # Sydney 4 April
    dt.date(2027, 10, 1),  # Sydney 3 October, Europe 31 October
    dt.date(2027, 10, 25),  # New York 7 November
)


@st.composite
def dst_plans(draw: st.DrawFn, catalog: Catalog) -> Plan:
    inventory, _, months = draw(fleets())
    start = draw(st.sampled_from(DST_STARTS))
    return plan_fleet(inventory, start, months, catalog)


def plan_fleet(inventory: Inventory, start: dt.date, months: int, catalog: Catalog) -> Plan:
    return make_plan(
        inventory, start=start, months=months, reference_time=REFERENCE_TIME, plugins=catalog
    )


@settings(max_examples=40)
@given(data=st.data())
def test_random_plans_read_back_exactly(data: st.DataObject, catalog: Catalog) -> None:
    plan = data.draw(dst_plans(catalog))
    for mode in MODES:
        feed = to_ics(plan, mode=mode)
        check_lines(feed)
        check_until(feed)
        found = read_recurring_ical_events(feed)
        assert len(found) == len(plan.tasks)
        assert set(found) == expected(plan.tasks)
        check_vtimezones(feed, found)


@settings(max_examples=8)
@given(data=st.data())
def test_random_plans_read_back_exactly_by_ical_js(data: st.DataObject, catalog: Catalog) -> None:
    plan = data.draw(dst_plans(catalog))
    feeds = [to_ics(plan, mode=mode) for mode in MODES]
    for found in read_ical_js(*feeds):
        assert len(found) == len(plan.tasks)
        assert set(found) == expected(plan.tasks)


# Text that puts escapes and multi-octet characters on the fold boundaries: a run of
# ASCII of any length, then anything but line breaks.
FOLD_TEXT = st.builds(
    lambda run, rest: "x" * run + rest,
    st.one_of(st.integers(70, 76), st.integers(0, 160)),
    st.text(
        alphabet=st.one_of(
            st.sampled_from("\\^;,:a — é€𝄞"),
            st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"),
        ),
        min_size=1,
        max_size=200,
    ),
)


@given(FOLD_TEXT)
@example("x" * 73 + "\\,next")  # an escape where the line would end
@example("x" * 73 + "é")  # a two-octet character across the boundary
def test_lines_fold_exactly_as_icalendar_folds_them(text: str) -> None:
    """maintlib folds by octets for speed; the bytes must be icalendar's own."""
    folded = _fold(text.encode())
    assert folded == icalendar.parser.Contentline(text).to_ical()
    assert all(len(line) <= 75 for line in folded.split(b"\r\n"))
    assert folded.replace(b"\r\n ", b"").decode() == text


@given(st.lists(FOLD_TEXT, min_size=1, max_size=4), FOLD_TEXT)
@example(["x" * 70], "\\,ab" + "é" * 60)  # the shared end starts inside a physical line
def test_a_shared_end_is_folded_as_the_whole_line(heads: list[str], end: str) -> None:
    """The fast writer remembers how a description's last line folds, by where it
    starts: every line that ends in it must still fold as icalendar folds it."""
    memo: dict[bytes, bytes] = {}
    for head in heads * 2:  # the second time, from the memo
        line = (head + end).encode()
        assert _fold(line, len(head.encode()), memo) == _fold(line)


class TestWordsForTheTechnician:
    """Issue 29: the feed speaks the organisation's language, and its text carries no
    internal markers; where the work comes from is in properties."""

    EXAMPLES = Path(__file__).parent.parent / "examples"
    _UID = re.compile(r"\.\d{8}T\d{4}\b|[a-z]+/[a-z0-9-]+\b|UNCONFIRMED|Rule:|Task:")

    @pytest.fixture(scope="class")
    @classmethod
    def dutch(cls) -> Plan:
        inventory = maintlib.load(cls.EXAMPLES / "production" / "inventory.toml")
        assert inventory.organisation.country == "NL"
        return maintlib.plan(
            inventory, start="2027-01-01", months=6, reference_time="2026-12-01T00:00:00+00:00"
        )

    @pytest.mark.parametrize("mode", ["per-task", "series", "occurrence"])
    def test_no_internal_markers_in_summary_or_description(self, dutch: Plan, mode: str) -> None:
        for lang in ("nl", "en"):
            for event in events(maintlib.to_ics(dutch, mode=mode, lang=lang)):
                text = f"{event['SUMMARY']}\n{event['DESCRIPTION']}"
                found = self._UID.search(text.replace("https://", ""))
                assert found is None, (lang, found.group(0), text)

    def test_the_source_is_a_property(self, dutch: Plan) -> None:
        task = next(t for t in dutch.tasks if t.duty.rule.citation and not t.due.members)
        event = event_of(maintlib.to_ics(dutch), f"{task.uid}@maintlib.invalid")
        assert str(event["X-MAINTLIB-RULE"]) == task.duty.rule.key
        source = str(event["X-MAINTLIB-SOURCE"]).replace("\\,", ",").replace("\\;", ";")
        assert source.startswith(task.duty.rule.citation[:30])

    def test_a_dutch_organisation_gets_a_dutch_feed_unless_told_otherwise(
        self, dutch: Plan
    ) -> None:
        task = next(t for t in dutch.tasks if t.duty.downtime and t.steps)
        uid = f"{task.uid}@maintlib.invalid"
        dutch_text = str(event_of(maintlib.to_ics(dutch), uid)["DESCRIPTION"])
        assert "Uiterlijk beginnen: " in dutch_text
        assert "met downtime" in dutch_text
        assert "Prioriteit: " in dutch_text
        assert "Start by" not in dutch_text
        english = str(event_of(maintlib.to_ics(dutch, lang="en"), uid)["DESCRIPTION"])
        assert "Start by: " in english
        assert "with downtime" in english
        summary = str(event_of(maintlib.to_ics(dutch), uid)["SUMMARY"])
        assert summary.split(" — ")[0] == language("nl").gettext(task.duty.activity.label)
        assert summary.split(" — ")[0] != task.duty.activity.label

    def test_fleet_members_in_natural_order(self, dutch: Plan) -> None:
        from maintlib._util.text import natural_key

        fleet = next(t for t in dutch.tasks if t.due.members and len(t.assets) > 10)
        text = str(event_of(maintlib.to_ics(dutch), f"{fleet.uid}@maintlib.invalid")["DESCRIPTION"])
        listed = text.split("\n")[1].split(", ")
        assert listed == sorted(fleet.assets, key=natural_key)
        assert listed != sorted(fleet.assets) or listed == sorted(fleet.assets, key=natural_key)

    def test_plan_lang_on_the_command_line(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        feed = tmp_path / "plan.ics"
        inventory = str(self.EXAMPLES / "production" / "inventory.toml")
        args = ["plan", inventory, "--start", "2027-01-01", "--months", "1", "--ics", str(feed)]
        assert cli.main([*args, "--lang", "en"]) == 0
        assert "Start by: " in " ".join(str(e["DESCRIPTION"]) for e in events(feed.read_bytes()))
        assert cli.main(args) == 0
        assert "Uiterlijk beginnen" in " ".join(
            str(e["DESCRIPTION"]) for e in events(feed.read_bytes())
        )
        capsys.readouterr()
