"""The iCalendar stage: a plan as a feed that Outlook, Google, Apple and Thunderbird read.

:func:`to_ics` writes one ``VEVENT`` per task (``docs/calendar.md`` explains every
property and how to subscribe). The feed is deterministic — the same plan gives
the same bytes — so a subscribed calendar updates events in place by ``UID``:

* ``UID`` is the task's stable uid plus ``@domain``; ``DTSTAMP`` is the plan's
  reference time; ``SEQUENCE`` rises for an event whose times differ from the
  previous feed's (``previous``).
* Times carry a ``TZID`` whose ``VTIMEZONE`` is written by
  :mod:`maintlib.outputs.ics.vtimezone` as yearly rules and checked against ``zoneinfo``
  for every time in the feed. A wall-clock time that exists twice (the hour a
  DST change repeats) is written in UTC instead, so no reader has to guess.
* In series mode a duty whose tasks recur at the same wall-clock time becomes
  one recurring event (:mod:`maintlib.outputs.ics.series`): ``RRULE`` with ``UNTIL`` in UTC,
  ``EXDATE`` for occurrences without a task, ``RECURRENCE-ID`` overrides for the
  moved ones. The series' ``UID`` is the duty's key plus ``@domain``; its
  ``X-MAINTLIB-TASKS`` lists, in occurrence order (``EXDATE`` s left out), the
  last part of each occurrence's task uid (``hv01.security-updates`` + ``.`` +
  ``20270101T0000``), so every occurrence maps back to its task.
* In occurrence mode each window occurrence (and office day) with work is one
  event (:mod:`maintlib.outputs.ics.runbook`), from its first task's start to its last
  task's end: the description is the run-book (the tasks in order, with tier,
  downtime and lateness, the summed cost, each distinct checklist once), the
  ``UID`` is ``<window>.<occurrence start>@domain`` (``office-hours`` for
  office work) and ``X-MAINTLIB-TASKS`` lists every task's full uid.

Lines end in CRLF and are folded at 75 octets without splitting a UTF-8
character (icalendar does both).
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import heapq
import operator
import re
import unicodedata
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

import attrs
import icalendar

from maintlib._util.recurrence import WallClockError, localize
from maintlib._util.text import excerpt, natural_key, printable, quoting_briefly
from maintlib.model.arguments import as_duration
from maintlib.model.errors import InputError, Problem
from maintlib.model.money import CostRange
from maintlib.model.plan import Plan, Status, Task
from maintlib.model.rules import Step
from maintlib.model.vocabulary import Tier
from maintlib.outputs.i18n import Language, default_language, language, pack_texts
from maintlib.outputs.ics.runbook import Occurrence, group_occurrences
from maintlib.outputs.ics.series import Series, find_series, series_key
from maintlib.outputs.ics.vtimezone import vtimezone
from maintlib.outputs.report.words import pack_text, reason

__all__ = [
    "DEFAULT_ALARM",
    "DEFAULT_DOMAIN",
    "AlarmScope",
    "FeedMode",
    "Previous",
    "SplitBy",
    "check_domain",
    "default_name",
    "split_paths",
    "split_tasks",
    "to_ics",
    "to_ics_pieces",
]


#: The domain of UIDs when the caller names none (``.invalid`` is reserved for that).
DEFAULT_DOMAIN = "maintlib.invalid"


#: When the reminder fires by default: a day before the task starts.
DEFAULT_ALARM = dt.timedelta(days=1)


#: How often subscribed clients should fetch the feed again.
REFRESH = dt.timedelta(hours=4)


#: PRIORITY (RFC 5545: 1 highest, 9 lowest; Outlook: 1–4 high, 5 normal, 6–9 low).
PRIORITY = {Tier.P1: 1, Tier.P2: 3, Tier.P3: 5, Tier.P4: 7}


#: The most members a fleet task's description names, in natural order (a phone
#: shows no more; every member is in the event's X-MAINTNOTE-OBJECT-ID lines).
FLEET_NAMES = 20


#: The ``name`` of split feeds whose tasks have no owner, site (or no asset).
UNASSIGNED = "unassigned"


_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"


_DOMAIN = re.compile(rf"{_LABEL}(?:\.{_LABEL})*")


_ADDRESS = re.compile(r"[^@\s<>()]+@[^@\s<>()]+\.[^@\s<>()]+")


#: A task's activity, read without the properties' calls: every feed (each split
#: feed too) reads it from its tasks.
_ACTIVITY = operator.attrgetter("due.duty.activity")


_UTC_KEYS = frozenset({"UTC", "Etc/UTC", "Etc/Universal", "Etc/Zulu", "Universal", "Zulu"})


class FeedMode(enum.StrEnum):
    """How tasks become events."""

    #: One VEVENT per task.
    PER_TASK = "per-task"
    #: A recurring VEVENT per duty where its tasks recur; single events elsewhere.
    SERIES = "series"
    #: One VEVENT per window occurrence (and office day) with work: its run-book.
    OCCURRENCE = "occurrence"


class SplitBy(enum.StrEnum):
    """What :func:`split_tasks` groups tasks by."""

    OWNER = "owner"
    SITE = "site"
    KIND = "kind"
    #: ``window``, ``office_hours``, ``automatic``: night work apart from office checks.
    MODE = "mode"
    #: ``downtime`` and ``no-downtime``.
    DOWNTIME = "downtime"


class AlarmScope(enum.StrEnum):
    """Which events carry a reminder (``VALARM``)."""

    #: Only work with downtime: someone must be there, and users warned.
    DOWNTIME = "downtime"
    #: Every event (thousands of reminders in a year's feed).
    ALL = "all"


def _utc(value: dt.date | dt.datetime) -> str:
    """A time as text that compares equal however its zone was written."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC).isoformat()
    return value.isoformat()


def _decoded(event: icalendar.Component, name: str) -> list[str]:
    values = event.get(name)
    if values is None:
        return []
    found: list[str] = []
    for item in values if isinstance(values, list) else [values]:
        if hasattr(item, "dts"):
            found.extend(_utc(part.dt) for part in item.dts)
        elif hasattr(item, "dt"):
            found.append(_utc(item.dt))
        else:
            found.append(item.to_ical().decode())
    return found


def _times(event: icalendar.Component) -> str:
    """What moves an event: its start, end and recurrence, normalised to UTC."""
    parts = [
        f"{name}={','.join(sorted(_decoded(event, name)))}"
        for name in ("DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE")
    ]
    return "|".join(parts)


def _event_key(event: icalendar.Component) -> tuple[str, str]:
    recurrence = _decoded(event, "RECURRENCE-ID")
    return str(event.get("UID", "")), recurrence[0] if recurrence else ""


#: The properties a previous feed's event is compared by.
_TIME_PROPERTIES = frozenset({"DTSTART", "DTEND", "DURATION", "RECURRENCE-ID", "RRULE", "EXDATE"})


@attrs.frozen
class Previous:
    """What earlier feeds said about each event: its SEQUENCE and its times.

    Attributes:
        events: ``(UID, RECURRENCE-ID in UTC or "")`` → ``(SEQUENCE, times)``.
    """

    events: Mapping[tuple[str, str], tuple[int, str]] = attrs.field(factory=dict)

    @classmethod
    def parse(cls, feeds: Mapping[str, bytes]) -> Previous:
        """Read earlier feeds (file name → content); later files win for the same event.

        Raises:
            InputError: A file is not UTF-8 or not iCalendar; every problem, located.
        """
        problems: list[Problem] = []
        events: dict[tuple[str, str], tuple[int, str]] = {}
        for file, content in feeds.items():
            try:
                text = content.decode("utf-8-sig")
            except UnicodeDecodeError as failure:
                line = content[: failure.start].count(b"\n") + 1
                problems.append(Problem(file, f"line {line}", "not valid UTF-8"))
                continue
            try:
                calendars = icalendar.Calendar.from_ical(text, multiple=True)
            except ValueError as failure:
                problems.append(
                    Problem(file, "", f"not an iCalendar file: {quoting_briefly(failure)}")
                )
                continue
            if not calendars:
                problems.append(Problem(file, "", "not an iCalendar file: no VCALENDAR"))
                continue
            number = 0
            for calendar in calendars:
                for event in calendar.walk("VEVENT"):
                    number += 1
                    if "UID" not in event:
                        continue
                    where = f'event {number} (UID "{excerpt(str(event["UID"]))}")'
                    broken = [
                        f"{name}: {quoting_briefly(error)}"
                        for name, error in getattr(event, "errors", [])
                        if name in _TIME_PROPERTIES
                    ]
                    if broken:
                        problems.append(Problem(file, where, broken[0]))
                        continue
                    try:
                        sequence = int(event.get("SEQUENCE", 0))
                    except (TypeError, ValueError, OverflowError):
                        sequence = 0
                    try:
                        events[_event_key(event)] = (sequence, _times(event))
                    except (ValueError, TypeError, OverflowError) as error:
                        problems.append(
                            Problem(file, where, f"unreadable times: {quoting_briefly(error)}")
                        )
        if problems:
            raise InputError(problems)
        return cls(events)

    def sequence(self, event: icalendar.Event) -> int:
        """The SEQUENCE ``event`` gets: the previous one, plus one if its times moved."""
        known = self.events.get(_event_key(event))
        if known is None:
            return 0
        sequence, times = known
        return sequence if times == _times(event) else sequence + 1


def _wall_time(moment: dt.datetime) -> dt.datetime:
    """``moment`` as written: in its zone (with TZID), or in UTC where the zone's
    wall clock shows that time twice (or is UTC anyway)."""
    zone = moment.tzinfo
    if not isinstance(zone, ZoneInfo) or zone.key in _UTC_KEYS:
        return moment.astimezone(dt.UTC)
    try:
        localize(moment.replace(tzinfo=None), zone)
    except WallClockError:
        return moment.astimezone(dt.UTC)
    return moment


def _line(text: str) -> str:
    """Text for a one-line property or parameter: control characters, CR and LF
    out (icalendar escapes text values, but not every property is text, and a
    raw line break would start a property of its own)."""
    return printable(text, newlines=False)


def _owner_address(owner: str) -> tuple[str, str] | None:
    """``(name, address)`` of ``Jan <jan@example.nl>`` or ``jan@example.nl``, else None."""
    from email.utils import parseaddr  # loaded when a feed is written, not on import

    name, address = (_line(part) for part in parseaddr(owner))
    if not _ADDRESS.fullmatch(address):
        return None
    return name, address


def _format_steps(steps: Sequence[Step], lang: Language) -> list[str]:
    """The checklist's lines, in ``lang``: a pack's own translation of a step
    (``Step.texts``), else maintlib's catalogue (the built-in pack's and the planner's
    steps), else the text as the pack wrote it."""
    return [
        f"☐ {index}. {step.texts.get(lang.code) or lang.gettext(step.text)}"
        for index, step in enumerate(steps, start=1)
    ]


class _Fields(NamedTuple):
    """What differs between the events of one task: the event's identity, times,
    text and, for a series' master, its recurrence (a named tuple: one is made
    for every event, and an attrs class took longer to make)."""

    uid: str
    start: dt.datetime
    end: dt.datetime
    #: The description's lines, before control characters are replaced (the
    #: text is ``printable("\\n".join(description))``).
    description: tuple[str, ...]
    recurrence: dt.datetime | None = None
    #: RRULE text (with UNTIL) of a series' master.
    rule: str | None = None
    excluded: tuple[dt.datetime, ...] = ()
    #: X-MAINTLIB-TASKS of a series' master.
    tasks: str | None = None


#: The NANOG maintenance-notification BCOP's status of a planned task (the
#: values: TENTATIVE, CONFIRMED, CANCELLED, IN-PROCESS, COMPLETED). Source:
#: "Maintenance Notification Improvements Using iCalendar",
#: draft-gunter-calext-maintenance-notifications-00 (R. Gunter, July 2019), the
#: BCOP's text; the value lists as in github.com/xchewtoyx/maint-notification
#: (xmaintnote/prop.py) and circuit-maintenance-parser's example.
MAINTNOTE_STATUS = "CONFIRMED"


def _impact(downtime: bool, redundant: bool) -> str:
    """X-MAINTNOTE-IMPACT (NO-IMPACT, REDUCED-REDUNDANCY, DEGRADED, OUTAGE): work
    with downtime on a member of a redundancy group leaves the group running on
    the others."""
    if not downtime:
        return "NO-IMPACT"
    return "REDUCED-REDUNDANCY" if redundant else "OUTAGE"


def _maintnote(
    domain: str, account: str, uid: str, impact: str, objects: Iterable[str]
) -> list[tuple[str, str]]:
    """The event's X-MAINTNOTE-* properties, in the order icalendar writes them
    (by name; the object ids in the given order)."""
    return [
        ("X-MAINTNOTE-ACCOUNT", account),
        ("X-MAINTNOTE-IMPACT", impact),
        ("X-MAINTNOTE-MAINTENANCE-ID", uid.removesuffix(f"@{domain}")),
        *(("X-MAINTNOTE-OBJECT-ID", item) for item in objects),
        ("X-MAINTNOTE-PROVIDER", domain),
        ("X-MAINTNOTE-STATUS", MAINTNOTE_STATUS),
    ]


@attrs.frozen
class _Writer:
    """Builds the events of one feed."""

    plan: Plan
    domain: str
    alarm: dt.timedelta | None
    previous: Previous
    alarms: AlarmScope = AlarmScope.DOWNTIME
    #: The language of the events' words.
    lang: Language = attrs.field(factory=lambda: language("en"))
    #: The plan's tasks by uid (filled when first needed: "After:" lines).
    #: Parts of descriptions that tasks share, by duty (and fleet members).
    headings: dict[tuple[int, tuple[str, ...] | None], str] = attrs.field(factory=dict, init=False)
    #: Deadline lines by the deadline (an instant: the text is in the organisation's zone).
    deadlines: dict[tuple[dt.datetime, int, str], str] = attrs.field(factory=dict, init=False)
    #: Checklists by their steps' identity (kept with them): the tasks of a duty share
    #: one tuple of steps, which is slower to hash than to look up by identity.
    checklists: dict[int, tuple[tuple[Step, ...], str]] = attrs.field(factory=dict, init=False)
    #: Cost texts by the cost (many tasks cost the same).
    cost_texts: dict[CostRange, str] = attrs.field(factory=dict, init=False)
    #: The same by the cost's identity (kept with it).
    cost_objects: dict[int, tuple[CostRange, str]] = attrs.field(factory=dict, init=False)
    #: "After:" entries by the earlier task's uid (many tasks wait for the same one).
    after_texts: dict[str, str] = attrs.field(factory=dict, init=False)
    #: "After:" lines by the uids of the tasks to wait for.
    after_lines: dict[tuple[str, ...], str] = attrs.field(factory=dict, init=False)
    #: "Takes …" lines by minutes and downtime.
    lengths: dict[tuple[int, bool], str] = attrs.field(factory=dict, init=False)
    #: Priority, window and owner lines by duty and window.
    particular_lines: dict[tuple[int, str | None], tuple[str, ...]] = attrs.field(
        factory=dict, init=False
    )
    #: "Estimated cost" lines by the cost's text.
    cost_lines: dict[str, str] = attrs.field(factory=dict, init=False)
    #: Weekday, date and time texts by the wall-clock time (:meth:`when`).
    moments: dict[tuple[dt.date, int, int], str] = attrs.field(factory=dict, init=False)
    #: A fleet task's assets by its uid (its heading and its X-MAINTNOTE-OBJECT-ID
    #: lines both list them: thousands, for a large fleet).
    fleet_assets: dict[str, tuple[str, ...]] = attrs.field(factory=dict, init=False)

    def assets(self, task: Task) -> tuple[str, ...]:
        """``task.assets``, worked out once per fleet task."""
        if not task.due.members:
            return task.assets
        found = self.fleet_assets.get(task.uid)
        if found is None:
            found = self.fleet_assets[task.uid] = task.assets
        return found

    def summary(self, task: Task) -> str:
        _ = self.lang.gettext
        duty = task.duty
        subject = duty.asset.label if duty.asset else self.plan.organisation.name
        if task.due.members and duty.asset is not None:
            where = " " + _("at %(site)s") % {"site": duty.asset.site} if duty.asset.site else ""
            subject = f"{len(task.due.members)} × {duty.asset.kind}{where}"
        late = _("LATE") + ": " if task.status is Status.LATE else ""
        return _line(f"{late}{pack_text(self.lang, duty.activity.label)} — {subject}")

    def cost(self, task: Task) -> str | None:
        costs = self.plan.costs
        if costs is None:
            return None
        fee = costs.covered.get(task.uid)
        if fee is not None:
            return self.lang.gettext("included in the %(fee)s fee") % {
                "fee": pack_text(self.lang, fee)
            }
        amount = costs.task(task.uid)
        # By identity first (kept with the text): hashing a range's Decimals on
        # every task took longer than the rest of its cost line.
        known = self.cost_objects.get(id(amount))
        if known is not None and known[0] is amount:
            return known[1]
        found = self.cost_texts.get(amount)
        if found is None:
            found = self.cost_texts[amount] = str(amount)
        self.cost_objects[id(amount)] = (amount, found)
        return found

    def details(self, task: Task) -> Hashable:
        """What a task's event shows that can differ between tasks of one duty."""
        return (
            task.steps,
            self.cost(task),
            task.window,
            task.after,
            task.status,
            task.late_reason,
            len(task.superseded),
            task.end - task.start,
        )

    def description(self, task: Task, series: Series | None = None) -> tuple[str, ...]:
        """The lines of ``task``'s description (of ``series``' master when given),
        written for a technician reading it on a phone: what, where, how long, with
        or without downtime, by when, then the checklist. No internal ids or
        markers: the rule and its source are properties of the event
        (``X-MAINTLIB-RULE``, ``X-MAINTLIB-SOURCE``), the task's uid its ``UID``.

        Lines that many events share (the heading, the deadline, the checklist) are
        the same string objects each time, so the fast writer escapes each once.
        """
        _ = self.lang.gettext
        duty = task.duty
        lines = [self.heading(task), self.how_long(task)]
        if series is None:
            lines.append(self.deadline(task.due.deadline))
            if task.status is Status.LATE:
                why = reason(self.lang, task.late_reason) if task.late_reason else ""
                lines.append(
                    _("Late: starts %(late)s.") % {"late": self.lang.lateness(task.late_by)}
                    + (f" {why}" if why else "")
                )
            if task.superseded:
                days = ", ".join(self.lang.date(due.anchor.date()) for due in task.superseded)
                lines.append(
                    self.lang.ngettext(
                        "Also covers %(num)d earlier release (%(days)s).",
                        "Also covers %(num)d earlier releases (%(days)s).",
                        len(task.superseded),
                    )
                    % {"num": len(task.superseded), "days": days}
                )
        elif duty.deadline_days is not None:
            lines.append(
                self.lang.ngettext(
                    "Start by: within %(num)d day of each due date",
                    "Start by: within %(num)d days of each due date",
                    duty.deadline_days,
                )
                % {"num": duty.deadline_days}
            )
        else:
            lines.append(_("Start by: before the next one is due"))
        lines += self.particulars(task)
        if task.after:
            lines.append(self.after(task.after))
        cost = self.cost(task)
        if cost is not None:
            lines.append(self.cost_line(cost))
        if task.steps:
            lines.append(self.checklist(task.steps))
        return tuple(lines)

    def particulars(self, task: Task) -> tuple[str, ...]:
        """The priority, window and owner lines: the same for a duty's tasks in one window."""
        duty = task.duty
        key = (id(duty), task.window)
        found = self.particular_lines.get(key)
        if found is None:
            _ = self.lang.gettext
            lines = [_("Priority: %(tier)s") % {"tier": duty.tier.value}]
            if task.window:
                lines.append(_("Window: %(window)s") % {"window": task.window})
            if duty.asset is not None and duty.asset.owner:
                lines.append(_("Owner: %(owner)s") % {"owner": duty.asset.owner})
            found = self.particular_lines[key] = tuple(lines)
        return found

    def cost_line(self, cost: str) -> str:
        found = self.cost_lines.get(cost)
        if found is None:
            found = self.lang.gettext("Estimated cost: %(cost)s") % {"cost": cost}
            self.cost_lines[cost] = found
        return found

    def after(self, uids: tuple[str, ...]) -> str:
        """The "After:" line of a task that waits for ``uids`` (many wait for the same)."""
        found = self.after_lines.get(uids)
        if found is None:
            found = self.lang.gettext("After: %(tasks)s") % {"tasks": "; ".join(self.before(uids))}
            self.after_lines[uids] = found
        return found

    def before(self, uids: tuple[str, ...]) -> list[str]:
        """What must be done first, as its events' titles and start times."""
        by_uid = self.plan.tasks_by_uid()
        found = []
        texts = self.after_texts
        for uid in uids:
            text = texts.get(uid)
            if text is None:
                other = by_uid.get(uid)
                if other is None:
                    continue
                text = texts[uid] = f"{self.summary(other)} ({self.when(other.start)})"
            found.append(text)
        return found

    def when(self, moment: dt.datetime) -> str:
        """``di 12 jan. 22:00``: ``moment`` in the organisation's zone, formatted once
        per distinct wall-clock time (Babel's formatting is slow, and tasks share times)."""
        local = moment.astimezone(self.plan.organisation.timezone)
        key = (local.date(), local.hour, local.minute)
        found = self.moments.get(key)
        if found is None:
            found = self.moments[key] = (
                f"{self.lang.weekday_date(local.date())} {self.lang.time(local)}"
            )
        return found

    def how_long(self, task: Task) -> str:
        """``Takes 2 hours, with downtime`` — the wall-clock time the work is planned for."""
        minutes = round((task.end - task.start).total_seconds() / 60)
        key = (minutes, task.duty.downtime)
        found = self.lengths.get(key)
        if found is None:
            found = self.lengths[key] = self._length(*key)
        return found

    def _length(self, minutes: int, downtime: bool) -> str:
        _ = self.lang.gettext
        if minutes < 90:
            length = self.lang.ngettext("%(num)d minute", "%(num)d minutes", minutes) % {
                "num": minutes
            }
        else:
            hours = self.lang.number(minutes / 60, 1)
            length = _("%(num)s hours") % {"num": hours}
        if downtime:
            return _("Takes %(length)s, with downtime") % {"length": length}
        return _("Takes %(length)s, no downtime") % {"length": length}

    def heading(self, task: Task) -> str:
        """The description's first lines, the same for every task of a duty (a fleet
        task's: of the same assets): worked out once. A fleet's members are named
        up to :data:`FLEET_NAMES`, then counted."""
        _ = self.lang.gettext
        duty = task.duty
        members = self.assets(task) if task.due.members else None
        key = (id(duty), members)
        found = self.headings.get(key)
        if found is not None:
            return found
        asset = duty.asset
        label = pack_text(self.lang, duty.activity.label)
        subject = asset.label if asset else self.plan.organisation.name
        lines = [f"{label} — {subject}"]
        if members is not None:
            ordered = sorted(members, key=natural_key)
            names = ", ".join(ordered[:FLEET_NAMES])
            more = len(ordered) - FLEET_NAMES
            if more > 0:
                names += " " + self.lang.ngettext(
                    "… and %(num)s more (every asset is in the event's X-MAINTNOTE-OBJECT-ID"
                    " lines and in the plan)",
                    "… and %(num)s more (every asset is in the event's X-MAINTNOTE-OBJECT-ID"
                    " lines and in the plan)",
                    more,
                ) % {"num": self.lang.number(more, 0)}
            lines = [
                self.lang.ngettext(
                    "%(what)s — %(num)d asset", "%(what)s — %(num)d assets", len(ordered)
                )
                % {"what": label, "num": len(ordered)},
                names,
            ]
        if asset is not None and asset.site:
            lines.append(_("Where: %(site)s") % {"site": asset.site})
        if duty.emergency is not None:
            lines.append(
                _("Vulnerabilities: %(ids)s") % {"ids": ", ".join(duty.emergency.vulnerabilities)}
            )
        if duty.activity.description and self.lang.code == "en":
            # A pack's sentence is in its own (English) words; a translated feed leaves it out.
            lines.append(duty.activity.description)
        found = self.headings[key] = "\n".join(lines)
        return found

    def deadline(self, moment: dt.datetime) -> str:
        key = (moment, moment.fold, getattr(moment.tzinfo, "key", ""))
        found = self.deadlines.get(key)
        if found is None:
            deadline = moment.astimezone(self.plan.organisation.timezone)
            found = self.lang.gettext("Start by: %(when)s") % {
                "when": f"{self.lang.weekday_date(deadline.date())} {deadline.year}"
                f" {self.lang.time(deadline)} {deadline.tzname()}"
            }
            self.deadlines[key] = found
        return found

    def checklist(self, steps: tuple[Step, ...]) -> str:
        found = self.checklists.get(id(steps))
        if found is None or found[0] is not steps:
            title = self.lang.gettext("Checklist:")
            text = "\n".join(["", title, *_format_steps(steps, self.lang)])
            found = self.checklists[id(steps)] = (steps, text)
        return found[1]

    def source(self, task: Task) -> tuple[str, str]:
        """``(rule key, citation)``: where the work comes from, for the event's
        ``X-MAINTLIB-RULE`` and ``X-MAINTLIB-SOURCE`` (empty citation: none)."""
        rule = task.duty.rule
        return _line(rule.key), _line(rule.citation)

    def categories(self, task: Task) -> list[str]:
        duty = task.duty
        asset = duty.asset
        return [
            asset.kind if asset else "organisation",
            _line(pack_text(self.lang, duty.activity.label)),
            *([duty.rule.update_class.value] if duty.rule.update_class else []),
            duty.tier.value,
            *(["late"] if task.status is Status.LATE else []),
        ]

    def organizer(self, task: Task) -> tuple[str, str | None]:
        """``(address, CN or None)`` of the event's ORGANIZER.

        RFC 5546 section 3.2.1: a PUBLISH event has an ORGANIZER and no ATTENDEE.
        The owner is the organiser when they have an address; else the feed's own
        no-reply address, named after the owner or the organisation.
        """
        asset = task.duty.asset
        owner = _line(asset.owner) if asset else ""
        contact = _owner_address(owner) if owner else None
        name, address = contact or (owner, f"noreply@{self.domain}")
        if name or contact is None:
            return address, name or _line(self.plan.organisation.name)
        return address, None

    def maintnote(self, task: Task, uid: str) -> list[tuple[str, str]]:
        """X-MAINTNOTE-*: the provider is the UID domain, the account the
        organisation, the maintenance id the UID's local part, the objects the
        assets (the organisation for organisation-wide work)."""
        asset = task.duty.asset
        return _maintnote(
            self.domain,
            _line(self.plan.organisation.name),
            uid,
            _impact(task.duty.downtime, asset is not None and bool(asset.redundancy_group)),
            self.assets(task) or (_line(self.plan.organisation.name),),
        )

    def alarmed(self, task: Task) -> bool:
        return self.alarm is not None and (self.alarms is AlarmScope.ALL or task.duty.downtime)

    def event(self, task: Task, fields: _Fields) -> icalendar.Event:
        """The event in icalendar's model: the reference the fast path is proven against."""
        duty = task.duty
        asset = duty.asset
        event = icalendar.Event.new(
            uid=fields.uid,
            stamp=self.plan.reference_time.astimezone(dt.UTC),
            start=_wall_time(fields.start),
            end=_wall_time(fields.end),
            summary=self.summary(task),
            description=printable("\n".join(fields.description)),
            location=_line(asset.site) if asset and asset.site else None,
            priority=PRIORITY[duty.tier],
            categories=self.categories(task),
        )
        if fields.recurrence is not None:
            event.add("RECURRENCE-ID", _wall_time(fields.recurrence))
        address, name = self.organizer(task)
        organizer = icalendar.vCalAddress(f"mailto:{address}")
        if name is not None:
            organizer.params["CN"] = name
        event.add("ORGANIZER", organizer)
        owner = _line(asset.owner) if asset else ""
        if owner:
            event.add("X-MAINTLIB-OWNER", owner)
        event.add("X-MAINTLIB-DOWNTIME", "TRUE" if duty.downtime else "FALSE")
        rule, citation = self.source(task)
        event.add("X-MAINTLIB-RULE", icalendar.vText(rule))
        if citation:
            # TEXT, escaped: a citation has commas, which readers would split on.
            event.add("X-MAINTLIB-SOURCE", icalendar.vText(citation))
        if self.alarmed(task):
            assert self.alarm is not None
            alarm = icalendar.Alarm()
            alarm.add("ACTION", "DISPLAY")
            alarm.add("DESCRIPTION", self.summary(task))
            alarm.add("TRIGGER", -self.alarm)
            event.add_component(alarm)
        if fields.rule is not None:
            event.add("RRULE", icalendar.vRecur.from_ical(fields.rule))
        for excluded in fields.excluded:
            event.add("EXDATE", _wall_time(excluded))
        if fields.tasks is not None:
            event.add("X-MAINTLIB-TASKS", fields.tasks)
        for name, value in self.maintnote(task, fields.uid):
            event.add(name, value)
        return self.sequenced(event)

    def sequenced(self, event: icalendar.Event) -> icalendar.Event:
        event.add("SEQUENCE", self.previous.sequence(event))
        return event

    def single(self, task: Task) -> list[tuple[Task, _Fields]]:
        uid = f"{task.uid}@{self.domain}"
        return [(task, _Fields(uid, task.start, task.end, self.description(task)))]

    def series(self, series: Series) -> list[tuple[Task, _Fields]]:
        uid = f"{series.key}@{self.domain}"
        template = series.template
        prefix = len(series.key) + 1
        master = _Fields(
            uid,
            series.start,
            series.start + series.duration,
            self.description(template, series),
            rule=f"{series.rule};UNTIL={series.until:%Y%m%dT%H%M%SZ}",
            excluded=tuple(series.excluded),
            tasks=" ".join(task.uid[prefix:] for _, task in series.members),
        )
        events = [(template, master)]
        for occurrence, task in series.members:
            if task.uid in series.moved:
                fields = _Fields(
                    uid, task.start, task.end, self.description(task), recurrence=occurrence
                )
                events.append((task, fields))
        return events

    def runbook(self, occurrence: Occurrence) -> str:
        """The occurrence's description: its tasks in order, their cost, checklists."""
        _, ngettext, lang = self.lang.gettext, self.lang.ngettext, self.lang
        zone = self.plan.organisation.timezone
        first, last = occurrence.first, occurrence.last
        where = (
            _("Maintenance window %(window)s") % {"window": f'"{occurrence.window}"'}
            if occurrence.window
            else _("Office hours")
        )
        count = len(occurrence.tasks)
        tasks = ngettext("%(num)d task, in this order.", "%(num)d tasks, in this order.", count)
        lines = [
            f"{where}, {lang.weekday_date(first.date())} {first.year} {lang.time(first)}–"
            f"{lang.time(last)} {first.tzname()}: " + tasks % {"num": count},
            "",
        ]
        checklists: dict[tuple[str, tuple[Step, ...]], None] = {}
        total = None
        included = 0
        for task in occurrence.tasks:
            duty = task.duty
            subject = self.summary(task).removeprefix(_("LATE") + ": ")
            marks = [duty.tier.value]
            if duty.downtime:
                marks.append(_("downtime"))
            if task.status is Status.LATE:
                deadline = task.due.deadline.astimezone(zone)
                marks.append(
                    _("%(late)s, deadline %(when)s")
                    % {
                        "late": lang.lateness(task.late_by),
                        "when": f"{lang.date(deadline.date())} {lang.time(deadline)}",
                    }
                )
            lines.append(f"{task.start:%H:%M}–{task.end:%H:%M} {subject} ({', '.join(marks)})")
            if task.steps:
                kind = duty.asset.kind if duty.asset else self.plan.organisation.name
                label = pack_text(lang, duty.activity.label)
                checklists.setdefault((f"{label} ({kind})", task.steps), None)
            costs = self.plan.costs
            if costs is not None:
                if task.uid in costs.covered:
                    included += 1
                else:
                    cost = costs.task(task.uid)
                    total = cost if total is None else total + cost
        fees = ngettext(
            "%(num)d task included in the fees", "%(num)d tasks included in the fees", included
        ) % {"num": included}
        if total is not None:
            estimate = _("Estimated cost: %(cost)s") % {"cost": total}
            lines += ["", estimate + (f" ({fees})" if included else "")]
        elif included:
            lines += ["", _("Estimated cost: %(cost)s") % {"cost": fees}]
        for label, steps in checklists:
            lines += ["", _("Checklist — %(what)s:") % {"what": label}, *_format_steps(steps, lang)]
        return printable("\n".join(lines))

    def occurrence(self, occurrence: Occurrence) -> icalendar.Event:
        """One event for a window occurrence's (or office day's) work: its run-book."""
        tasks = occurrence.tasks
        urgent = min((task.duty.tier for task in tasks), key=lambda tier: tier.rank)
        _, ngettext = self.lang.gettext, self.lang.ngettext
        name = occurrence.window or _("Office hours")
        count = len(tasks)
        summary = f"{name} — " + ngettext("%(num)d task", "%(num)d tasks", count) % {"num": count}
        if occurrence.downtime:
            summary += ", " + _("%(num)d with downtime") % {"num": occurrence.downtime}
        if occurrence.late:
            summary = (
                _("LATE") + f": {summary} (" + _("%(num)d late") % {"num": occurrence.late} + ")"
            )
        classes = sorted(
            {task.duty.rule.update_class.value for task in tasks if task.duty.rule.update_class}
        )
        tiers = sorted({task.duty.tier.value for task in tasks})
        sites = {task.duty.asset.site for task in tasks if task.duty.asset}
        event = icalendar.Event.new(
            uid=f"{occurrence.key}@{self.domain}",
            stamp=self.plan.reference_time.astimezone(dt.UTC),
            start=_wall_time(occurrence.first),
            end=_wall_time(occurrence.last),
            summary=_line(summary),
            description=self.runbook(occurrence),
            location=_line(sites.pop()) if len(sites) == 1 and "" not in sites else None,
            priority=PRIORITY[urgent],
            categories=[
                _line(name),
                *classes,
                *tiers,
                *(["late"] if occurrence.late else []),
            ],
        )
        organizer = icalendar.vCalAddress(f"mailto:noreply@{self.domain}")
        organizer.params["CN"] = _line(self.plan.organisation.name)
        event.add("ORGANIZER", organizer)
        event.add("X-MAINTLIB-DOWNTIME", "TRUE" if occurrence.downtime else "FALSE")
        event.add("X-MAINTLIB-TASKS", " ".join(task.uid for task in tasks))
        redundant = {
            task.duty.asset.id
            for task in tasks
            if task.duty.downtime and task.duty.asset and task.duty.asset.redundancy_group
        }
        outage = any(task.duty.downtime and task.duty.asset is None for task in tasks) or any(
            task.duty.downtime and task.duty.asset and not task.duty.asset.redundancy_group
            for task in tasks
        )
        impact = "OUTAGE" if outage else _impact(bool(occurrence.downtime), bool(redundant))
        objects = sorted({asset for task in tasks for asset in task.assets}) or [
            _line(self.plan.organisation.name)
        ]
        for name, value in _maintnote(
            self.domain, _line(self.plan.organisation.name), str(event["UID"]), impact, objects
        ):
            event.add(name, value)
        if self.alarm is not None and (self.alarms is AlarmScope.ALL or occurrence.downtime):
            alarm = icalendar.Alarm()
            alarm.add("ACTION", "DISPLAY")
            alarm.add("DESCRIPTION", _line(summary))
            alarm.add("TRIGGER", -self.alarm)
            event.add_component(alarm)
        return self.sequenced(event)


#: The calendar's own TEXT properties (RFC 7986 section 5, and Apple's X-WR-).
_CALENDAR_TEXT = ("NAME", "X-WR-CALNAME", "DESCRIPTION", "X-WR-CALDESC")


def _escape(text: str) -> str:
    """A TEXT value escaped as icalendar's ``vText`` escapes it (RFC 5545 section
    3.3.11), in the same order of replacements."""
    return (
        text.replace("\\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def _property_lines(component: icalendar.Component, name: str, value: object) -> list[str]:
    """The content lines icalendar writes for one property (unfolded)."""
    component.add(name, value)
    lines = [str(line) for line in component.content_lines()[1:-2]]
    del component[name]
    return lines


class _WallTimes:
    """:func:`_wall_time`, worked out once per distinct moment of a feed (tasks in
    one window occurrence share their times)."""

    def __init__(self) -> None:
        self.known: dict[tuple[dt.datetime, int, str], dt.datetime] = {}

    def __call__(self, moment: dt.datetime) -> dt.datetime:
        key = getattr(moment.tzinfo, "key", "")
        if not key:
            return _wall_time(moment)
        # The fold is part of the key: two readings of a repeated hour compare equal.
        found = self.known.get((moment, moment.fold, key))
        if found is None:
            found = self.known[moment, moment.fold, key] = _wall_time(moment)
        return found


class _FastEvents:
    """Writes a feed's events as bytes, without building them in icalendar's model.

    A feed of thousands of events spent nearly all its time inside icalendar
    (half a millisecond per event). The bytes are the same as
    :meth:`_Writer.event` serialised by icalendar — properties in icalendar's
    order, TEXT escaped and lines folded as it does; a property test compares
    the two over generated plans. Values that repeat across events (organisers,
    categories, locations, zone parameters) are still serialised by icalendar,
    once each.

    Every piece is kept as folded bytes with its CRLF, made once per distinct
    value (a time, what a duty's events share, a fleet's X-MAINTNOTE-OBJECT-ID
    lines), and an event is one join of its pieces.
    """

    def __init__(self, writer: _Writer, wall_time: _WallTimes) -> None:
        self.writer = writer
        self.wall_time = wall_time
        self.previous = writer.previous.events
        stamp = writer.plan.reference_time.astimezone(dt.UTC)
        self.stamp = _folded(_property_lines(icalendar.Event(), "DTSTAMP", stamp))
        self.trigger = (
            _property_lines(icalendar.Alarm(), "TRIGGER", -writer.alarm)[0]
            if writer.alarm is not None
            else ""
        )
        #: The UID's part after the local part: the maintenance id is the rest.
        self.suffix = f"@{writer.domain}"
        self.account = _line(writer.plan.organisation.name)
        self.cached: dict[tuple[str, Hashable], str] = {}
        self.zone_prefixes: dict[str, str] = {}
        self.organizers: dict[str | None, str] = {}
        self.times: dict[tuple[str, dt.datetime, int, str], bytes] = {}
        self.constants: dict[tuple[int, int, bool], _Shared] = {}
        self.escaped: dict[str, bytes] = {}
        #: Folded ends of descriptions (:meth:`description`).
        self.tails: dict[bytes, bytes] = {}
        #: X-MAINTNOTE-OBJECT-ID lines by a fleet's members.
        self.objects: dict[tuple[str, ...], bytes] = {}

    def icalendar_line(self, name: str, key: Hashable, make: Callable[[], object]) -> str:
        """``name``'s content line for the value ``make()`` gives, as icalendar writes
        it; made (and the value too) once per ``key``."""
        found = self.cached.get((name, key))
        if found is None:
            found = _property_lines(icalendar.Event(), name, make())[0]
            self.cached[name, key] = found
        return found

    def time_line(self, name: str, moment: dt.datetime) -> bytes:
        """``name``'s folded line for ``moment``, made once per distinct moment."""
        key = (name, moment, moment.fold, getattr(moment.tzinfo, "key", ""))
        found = self.times.get(key)
        if found is None:
            found = self.times[key] = _content_line(self._time_line(name, moment))
        return found

    def _time_line(self, name: str, moment: dt.datetime) -> str:
        written = self.wall_time(moment)
        zone = written.tzinfo
        if zone is dt.UTC:
            return f"{name}:{written:%Y%m%dT%H%M%S}Z"
        assert isinstance(zone, ZoneInfo)
        prefix = self.zone_prefixes.get(zone.key)
        if prefix is None:
            # ";TZID=Europe/Amsterdam:" as icalendar writes the zone's parameter.
            line = _property_lines(icalendar.Event(), "DTSTART", written)[0]
            prefix = line[len("DTSTART") : line.index(":") + 1]
            self.zone_prefixes[zone.key] = prefix
        return f"{name}{prefix}{written:%Y%m%dT%H%M%S}"

    def organizer(self, task: Task) -> str:
        """The ORGANIZER line, worked out once per owner."""
        asset = task.duty.asset
        key = None if asset is None else asset.owner
        found = self.organizers.get(key)
        if found is None:
            address, name = self.writer.organizer(task)
            value = icalendar.vCalAddress(
                f"mailto:{address}", params={} if name is None else {"CN": name}
            )
            found = self.organizers[key] = _property_lines(icalendar.Event(), "ORGANIZER", value)[0]
        return found

    def sequence(self, fields: _Fields) -> int:
        if not self.previous:
            return 0
        recurrence = "" if fields.recurrence is None else _utc(fields.recurrence)
        known = self.previous.get((fields.uid, recurrence))
        if known is None:
            return 0
        sequence, times = known
        rule = (
            icalendar.vRecur.from_ical(fields.rule).to_ical().decode()
            if fields.rule is not None
            else ""
        )
        moved = (
            f"DTSTART={_utc(fields.start)}|DTEND={_utc(fields.end)}|DURATION=|RRULE={rule}"
            f"|RDATE=|EXDATE={','.join(sorted(_utc(x) for x in fields.excluded))}"
        )
        return sequence if times == moved else sequence + 1

    def constant(self, task: Task) -> _Shared:
        """The folded lines of ``task``'s event that the other tasks of its duty share."""
        duty = task.duty
        late = task.status is Status.LATE
        key = (id(duty), len(task.due.members), late)
        found = self.constants.get(key)
        if found is not None:
            return found
        writer = self.writer
        asset = duty.asset
        summary = _escape(writer.summary(task))
        categories = tuple(writer.categories(task))
        tail = []
        if asset is not None and asset.site:
            tail.append(f"LOCATION:{_escape(_line(asset.site))}")
        tail += [
            self.organizer(task),
            f"PRIORITY:{PRIORITY[duty.tier]}",
            f"X-MAINTLIB-DOWNTIME:{'TRUE' if duty.downtime else 'FALSE'}",
        ]
        owner = _line(asset.owner) if asset else ""
        if owner:
            # icalendar writes X- properties verbatim (RFC 7265 UNKNOWN values).
            tail.append(f"X-MAINTLIB-OWNER:{owner}")
        rule, citation = writer.source(task)
        tail.append(self.icalendar_line("X-MAINTLIB-RULE", rule, lambda: icalendar.vText(rule)))
        if citation:
            source = self.icalendar_line(
                "X-MAINTLIB-SOURCE", citation, lambda: icalendar.vText(citation)
            )
            tail.append(source)
        alarm = (
            ["BEGIN:VALARM", "ACTION:DISPLAY", f"DESCRIPTION:{summary}", self.trigger, "END:VALARM"]
            if writer.alarmed(task)
            else []
        )
        impact = _impact(duty.downtime, asset is not None and bool(asset.redundancy_group))
        # A fleet's members differ between its tasks; any other task's object is its duty's.
        objects = [] if task.due.members else writer.assets(task) or [self.account]
        found = _Shared(
            _folded(["BEGIN:VEVENT", f"SUMMARY:{summary}"]),
            _folded([self.icalendar_line("CATEGORIES", categories, lambda: list(categories))]),
            _folded(tail),
            _folded([f"X-MAINTNOTE-ACCOUNT:{self.account}", f"X-MAINTNOTE-IMPACT:{impact}"]),
            _folded(
                [
                    *(f"X-MAINTNOTE-OBJECT-ID:{item}" for item in objects),
                    f"X-MAINTNOTE-PROVIDER:{writer.domain}",
                    f"X-MAINTNOTE-STATUS:{MAINTNOTE_STATUS}",
                    *alarm,
                    "END:VEVENT",
                ]
            ),
        )
        self.constants[key] = found
        return found

    def description(self, lines: tuple[str, ...]) -> bytes:
        """The DESCRIPTION line, folded, with its CRLF: each line made printable,
        escaped and encoded once per distinct line (escaping is per character, and
        no escape spans the line break that joins two lines). The last line (the
        checklist, mostly) ends many descriptions: its folding is worked out once
        per octet it starts a physical line at."""
        escaped = self.escaped
        parts = [b"DESCRIPTION:"]
        for line in lines:
            found = escaped.get(line)
            if found is None:
                found = escaped[line] = _escape(printable(line)).encode()
            parts.append(found)
        content = parts[0] + b"\\n".join(parts[1:])
        last = len(content) - len(parts[-1]) if lines else len(content)
        return _fold(content, shared=last, memo=self.tails) + b"\r\n"

    def object_lines(self, objects: tuple[str, ...]) -> bytes:
        """The X-MAINTNOTE-OBJECT-ID lines of ``objects``, made once per fleet (its
        tasks of every month list the same members)."""
        found = self.objects.get(objects)
        if found is None:
            found = self.objects[objects] = _folded(
                f"X-MAINTNOTE-OBJECT-ID:{item}" for item in objects
            )
        return found

    def event(self, task: Task, fields: _Fields) -> bytes:
        """The event's bytes, its properties in the order :meth:`_Writer.event`'s are
        written (X-MAINTNOTE-* as :func:`_maintnote` lists them)."""
        shared = self.constant(task)
        time_line = self.time_line
        pieces = [
            shared.head,
            time_line("DTSTART", fields.start),
            time_line("DTEND", fields.end),
            self.stamp,
            _content_line(f"UID:{_escape(fields.uid)}"),
        ]
        if fields.recurrence is not None:
            pieces.append(time_line("RECURRENCE-ID", fields.recurrence))
        pieces.append(b"SEQUENCE:%d\r\n" % self.sequence(fields))
        rule = fields.rule
        if rule is not None:
            line = self.icalendar_line("RRULE", rule, lambda: icalendar.vRecur.from_ical(rule))
            pieces.append(_content_line(line))
        pieces += [time_line("EXDATE", excluded) for excluded in fields.excluded]
        pieces += [
            shared.categories,
            self.description(fields.description),
            shared.tail,
        ]
        if fields.tasks is not None:
            pieces.append(_content_line(f"X-MAINTLIB-TASKS:{fields.tasks}"))
        pieces += [
            shared.maintnote,
            _content_line(f"X-MAINTNOTE-MAINTENANCE-ID:{fields.uid.removesuffix(self.suffix)}"),
        ]
        if task.due.members:
            pieces.append(self.object_lines(self.writer.assets(task) or (self.account,)))
        pieces.append(shared.end)
        return b"".join(pieces)


@attrs.frozen
class _Shared:
    """The folded lines a duty's events share (:meth:`_FastEvents.constant`)."""

    #: BEGIN:VEVENT and SUMMARY.
    head: bytes
    categories: bytes
    #: LOCATION to X-MAINTLIB-SOURCE.
    tail: bytes
    #: X-MAINTNOTE-ACCOUNT and -IMPACT.
    maintnote: bytes
    #: X-MAINTNOTE-OBJECT-ID (but a fleet's), -PROVIDER and -STATUS, the VALARM,
    #: END:VEVENT.
    end: bytes


def _content_line(line: str) -> bytes:
    """One content line, folded, ending in CRLF."""
    data = line.encode()
    return (data if len(data) <= _FOLD_OCTETS else _fold(data)) + b"\r\n"


def _folded(lines: Iterable[str]) -> bytes:
    """Content lines, folded, each ending in CRLF."""
    return b"".join(_content_line(line) for line in lines)


#: A duty with tasks on at least this many days a week (on average over the plan)
#: and no downtime is a daily routine check: a series even in per-task mode.
DAILY = 3


def _daily(tasks: Sequence[Task], keys: Sequence[str], plan: Plan) -> set[str]:
    """The duties (series keys; ``keys`` are the tasks' own) of ``tasks`` that are
    daily routine checks: no downtime, on :data:`DAILY` or more days a week.
    Per-task feeds write them as one recurring event (a backup check every
    business day), not 250 events."""
    weeks = max(1, (plan.horizon.end - plan.horizon.start).days // 7)
    days: dict[str, set[dt.date]] = {}
    downtime: set[str] = set()
    for task, key in zip(tasks, keys, strict=True):
        days.setdefault(key, set()).add(task.start.date())
        if task.duty.downtime:
            downtime.add(key)
    return {
        key for key, dates in days.items() if key not in downtime and len(dates) >= DAILY * weeks
    }


def _moments(series: Iterable[Series], single: Iterable[Task]) -> list[dt.datetime]:
    """Every time the feed writes or makes a reader compute, in its own zone."""
    moments: list[dt.datetime] = []
    for item in series:
        for occurrence in item.occurrences:
            moments += [occurrence, occurrence + item.duration]
        for _, task in item.members:
            moments += [task.start, task.end]
    for task in single:
        moments += [task.start, task.end]
    return moments


def check_domain(domain: str) -> None:
    """Refuse what cannot follow the ``@`` of a UID.

    Raises:
        ValueError: ``domain`` is not a domain name.
    """
    if not _DOMAIN.fullmatch(domain) or len(domain) > 253:
        raise ValueError(f"{domain!r} is not a domain name (like maintlib.example.org)")


def default_name(plan: Plan) -> str:
    """The calendar's name when the caller gives none: ``Maintenance plan — Acme BV``."""
    return f"Maintenance plan — {plan.organisation.name}"


def to_ics(
    plan: Plan,
    *,
    name: str | None = None,
    domain: str = DEFAULT_DOMAIN,
    mode: FeedMode | str = FeedMode.PER_TASK,
    alarm: dt.timedelta | str | None = DEFAULT_ALARM,
    previous: Previous | bytes | None = None,
    tasks: Iterable[Task] | None = None,
    alarms: AlarmScope | str = AlarmScope.DOWNTIME,
    lang: str | None = None,
) -> bytes:
    """The plan's tasks as an iCalendar feed (RFC 5545), UTF-8 with CRLF lines.

    Events are written by a fast path (:class:`_FastEvents`) that gives the same
    bytes as building each event in icalendar (a property test proves it).

    Args:
        plan: The plan.
        name: The calendar's name (``NAME``, ``X-WR-CALNAME``); default
            ``Maintenance plan — <organisation>``.
        domain: Appended to every UID (``hv01.security-updates.20270101T0000@domain``);
            use a domain you control so UIDs are unique in every calendar.
        mode: ``per-task`` (one event per task), ``series`` (recurring events
            where a duty's tasks recur) or ``occurrence`` (one event per window
            occurrence or office day with work, its run-book; see
            :class:`FeedMode`).
        alarm: How long before a task its reminder fires (a ``timedelta`` or ISO
            8601 text, ``"PT2H"``); None for no reminder.
        alarms: Which tasks get one: ``downtime`` (default: only work with
            downtime, so a subscriber is not reminded of every routine check) or
            ``all``.
        previous: The feed published before (bytes), or several read with
            :meth:`Previous.parse`: events whose times changed get a higher
            ``SEQUENCE``, others keep theirs.
        tasks: Only these tasks of the plan (a split or filtered feed, see
            :func:`split_tasks`); default all.
        lang: The language of the events' words (``nl``, ``en``); default the
            organisation's (``nl`` for a Dutch one), as the report's.

    Returns:
        The feed (``METHOD:PUBLISH``: every event has an ``ORGANIZER`` and no
        ``ATTENDEE``). The same arguments give the same bytes.

    Raises:
        ValueError: ``domain`` is not a domain name, ``mode`` is unknown, or
            ``alarm`` is negative.
        TypeError: An argument of the wrong type, named (``previous`` as ``str``:
            pass the file's bytes).
        InputError: ``previous`` is not an iCalendar file, or ``alarm``'s text is
            not an ISO 8601 duration.
    """
    return b"".join(
        to_ics_pieces(
            plan,
            name=name,
            domain=domain,
            mode=mode,
            alarm=alarm,
            previous=previous,
            tasks=tasks,
            alarms=alarms,
            lang=lang,
        )
    )


def to_ics_pieces(
    plan: Plan,
    *,
    name: str | None = None,
    domain: str = DEFAULT_DOMAIN,
    mode: FeedMode | str = FeedMode.PER_TASK,
    alarm: dt.timedelta | str | None = DEFAULT_ALARM,
    previous: Previous | bytes | None = None,
    tasks: Iterable[Task] | None = None,
    alarms: AlarmScope | str = AlarmScope.DOWNTIME,
    lang: str | None = None,
) -> Iterator[bytes]:
    """:func:`to_ics`'s bytes in pieces of about a megabyte, for writing a large
    feed without holding it whole. The arguments are checked (and the same errors
    raised) when this is called, before the first piece.
    """
    return _feed_pieces(
        plan,
        name=name,
        domain=domain,
        mode=mode,
        alarm=alarm,
        previous=previous,
        tasks=tasks,
        alarms=alarms,
        lang=lang,
        fast=True,
    )


def _feed(plan: Plan, *, fast: bool, **options: Any) -> bytes:
    """:func:`to_ics`; with ``fast`` False every event is built in icalendar's model
    (the reference the tests hold the fast path to)."""
    return b"".join(_feed_pieces(plan, fast=fast, **options))


def _feed_pieces(
    plan: Plan,
    *,
    name: str | None,
    domain: str,
    mode: FeedMode | str,
    alarm: dt.timedelta | str | None,
    previous: Previous | bytes | None,
    tasks: Iterable[Task] | None,
    alarms: AlarmScope | str,
    fast: bool,
    lang: str | None = None,
) -> Iterator[bytes]:
    """:func:`_feed` in pieces: the arguments are checked and the calendar's head
    made now; the events as the pieces are taken."""
    if not isinstance(plan, Plan):
        raise TypeError(f"plan: expected a Plan, got {type(plan).__name__}")
    check_domain(domain)
    chosen = FeedMode(mode)
    alarm = None if alarm is None else as_duration(alarm, "alarm")
    if isinstance(previous, str):
        raise TypeError(
            "previous: expected the feed's bytes or a Previous, got str"
            " (pass Path(...).read_bytes(), or text.encode())"
        )
    if previous is not None and not isinstance(previous, bytes | Previous):
        raise TypeError(
            f"previous: expected the feed's bytes or a Previous, got {type(previous).__name__}"
        )
    if alarm is not None and alarm < dt.timedelta(0):
        raise ValueError(f"the alarm must be before the task (a positive duration), got {alarm}")
    if isinstance(previous, bytes):
        previous = Previous.parse({"previous feed": previous})
    organisation = plan.organisation
    title = _line(name or default_name(plan))
    code = lang or default_language(plan.organisation)
    selected = list(plan.tasks if tasks is None else tasks)
    # The labels of this feed's own activities: a plan split into 14 feeds read every
    # task's activity 14 times.
    words = language(code).with_texts(pack_texts(map(_ACTIVITY, selected), code))
    writer = _Writer(plan, domain, alarm, previous or Previous(), AlarmScope(alarms), words)
    runs: list[Occurrence] = []
    if chosen is FeedMode.SERIES:
        found, single = find_series(selected, writer.details)
    elif chosen is FeedMode.OCCURRENCE:
        found, single, runs = [], [], group_occurrences(selected)
    else:
        keys = [series_key(t) for t in selected]
        daily = _daily(selected, keys, plan)
        routine = [key in daily for key in keys]
        found, single = find_series(
            [t for t, check in zip(selected, routine, strict=True) if check], writer.details
        )
        single += [t for t, check in zip(selected, routine, strict=True) if not check]
    from importlib.metadata import version  # loaded when a feed is written, not on import

    calendar = icalendar.Calendar.new(
        prodid=f"-//maintlib//maintlib {version('maintlib')}//EN",
        method="PUBLISH",
        name=title,
        description=_line(
            f"Planned maintenance of {organisation.name} from {plan.horizon.start} until"
            f" {plan.horizon.end}, from maintlib."
        ),
        uid=f"{_slug(title) or 'maintenance'}@{domain}",
        refresh_interval=REFRESH,
    )
    # icalendar leaves out VALUE=DURATION, which RFC 7986 requires here.
    calendar["REFRESH-INTERVAL"].params["VALUE"] = "DURATION"
    # ... and writes the calendar's name and description unescaped: RFC 7986 NAME
    # and DESCRIPTION, and their X-WR- twins, are TEXT like an event's SUMMARY.
    for key in _CALENDAR_TEXT:
        calendar[key] = icalendar.vText(str(calendar[key]))
    calendar.add("X-WR-TIMEZONE", organisation.timezone.key)
    calendar.add("X-PUBLISHED-TTL", icalendar.vDuration(REFRESH))
    wall_time = _WallTimes()
    zones: dict[str, set[dt.datetime]] = {}
    for moment in _moments(found, [*single, *(task for run in runs for task in run.tasks)]):
        if wall_time(moment).tzinfo is not dt.UTC:
            assert isinstance(moment.tzinfo, ZoneInfo)
            zones.setdefault(moment.tzinfo.key, set()).add(moment)
    for key in sorted(zones):
        calendar.add_component(vtimezone(ZoneInfo(key), zones[key]))
    # Events are made one at a time, in (start, uid) order: a list of every event's
    # values made up front kept the cyclic garbage collector busy walking the plan.
    by_start: list[Iterable[tuple[dt.datetime, str, Series | Task | Occurrence]]] = [
        ((item.start, item.key, item) for item in sorted(found, key=lambda s: (s.start, s.key))),
        ((task.start, task.uid, task) for task in sorted(single, key=lambda t: (t.start, t.uid))),
        ((run.first, run.key, run) for run in sorted(runs, key=lambda r: (r.first, r.key))),
    ]
    ordered = heapq.merge(*by_start, key=lambda entry: (entry[0], entry[1]))

    def made(item: Series | Task | Occurrence) -> list[tuple[Task, _Fields] | icalendar.Event]:
        if isinstance(item, Series):
            return [*writer.series(item)]
        if isinstance(item, Task):
            return [*writer.single(item)]
        # An occurrence's run-book: one event per window occurrence, few in a feed,
        # built in icalendar's model either way.
        return [writer.occurrence(item)]

    events = (event for _, _, item in ordered for event in made(item))
    if not fast:
        for event in events:
            calendar.add_component(
                event if isinstance(event, icalendar.Event) else writer.event(*event)
            )
        return iter((_serialise(calendar),))
    head = _serialise(calendar)
    end = b"END:VCALENDAR\r\n"
    assert head.endswith(end)
    return _pieces(head[: -len(end)], events, _FastEvents(writer, wall_time), end)


def _pieces(
    head: bytes,
    events: Iterable[tuple[Task, _Fields] | icalendar.Event],
    fast_events: _FastEvents,
    end: bytes,
) -> Iterator[bytes]:
    """A feed's bytes: ``head``, then the events about a megabyte at a time."""
    yield head
    batch: list[bytes] = []
    size = 0
    for event in events:
        data = (
            _folded(line for line in event.content_lines() if line)
            if isinstance(event, icalendar.Event)
            else fast_events.event(*event)
        )
        batch.append(data)
        size += len(data)
        if size >= 1 << 20:
            yield b"".join(batch)
            batch, size = [], 0
    batch.append(end)
    yield b"".join(batch)


#: Octets of content per physical line; with the leading space of a continuation,
#: no line exceeds RFC 5545's 75 octets.
_FOLD_OCTETS = 74


def _serialise(calendar: icalendar.Calendar) -> bytes:
    """``calendar.to_ical()``, byte for byte, with lines folded by :func:`_fold`.

    icalendar folds character by character in Python, which was 40 % of the time
    of writing the tech example's feed.
    """
    return _folded(line for line in calendar.content_lines() if line)


def _fold(line: bytes, shared: int = 0, memo: dict[bytes, bytes] | None = None) -> bytes:
    """One content line folded as icalendar folds it (RFC 5545 section 3.1).

    Each physical line holds at most :data:`_FOLD_OCTETS` octets of content and
    ends on a whole UTF-8 character; like icalendar, a backslash or caret (the
    start of an escape) is moved to the next line rather than ending one.

    With ``memo``, the octets from ``shared`` on end many lines: once a physical
    line starts there, the rest's folding (which depends only on the octets from
    that start on) is looked up in ``memo``, or worked out and kept there.
    """
    if len(line) <= _FOLD_OCTETS:
        return line
    if line.isascii() and b"\\" not in line and b"^" not in line:
        # No multi-octet character or escape to keep whole: every 74 octets.
        return b"\r\n ".join(
            [line[begin : begin + _FOLD_OCTETS] for begin in range(0, len(line), _FOLD_OCTETS)]
        )
    parts: list[bytes] = []
    begin = 0
    while len(line) - begin > _FOLD_OCTETS:
        if memo is not None and begin >= shared:
            rest = line[begin:]
            folded = memo.get(rest)
            if folded is None:
                folded = memo[rest] = _fold(rest)
            parts.append(folded)
            return b"\r\n ".join(parts)
        end = begin + _FOLD_OCTETS
        while line[end] & 0xC0 == 0x80:  # inside a multi-octet character
            end -= 1
        if line[end - 1] in b"\\^":
            end -= 1
        parts.append(line[begin:end])
        begin = end
    parts.append(line[begin:])
    return b"\r\n ".join(parts)


def _group_key(task: Task, by: SplitBy) -> str:
    asset = task.duty.asset
    if by is SplitBy.MODE:
        return task.duty.mode.value
    if by is SplitBy.DOWNTIME:
        return "downtime" if task.duty.downtime else "no-downtime"
    if by is SplitBy.KIND:
        return asset.kind if asset else "organisation"
    value = (asset.owner if by is SplitBy.OWNER else asset.site) if asset else ""
    return _line(value).strip() or UNASSIGNED


def split_tasks(plan: Plan, by: SplitBy | str) -> dict[str, tuple[Task, ...]]:
    """The plan's tasks grouped by owner, site or asset kind, keys sorted.

    Tasks without an owner or site (and organisation-wide tasks, which have no
    asset) go under :data:`UNASSIGNED`; by kind, organisation-wide tasks go under
    ``organisation``.
    """
    chosen = SplitBy(by)
    groups: dict[str, list[Task]] = {}
    for task in plan.tasks:
        groups.setdefault(_group_key(task, chosen), []).append(task)
    return {key: tuple(groups[key]) for key in sorted(groups)}


def _slug(text: str) -> str:
    """Lower-case ASCII letters, digits and single hyphens: safe in any file system."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:60].strip("-")


def split_paths(target: str | Path, keys: Iterable[str]) -> dict[str, Path]:
    """File names for split feeds, beside ``target``: ``plan.ics`` → ``plan-<key>.ics``.

    The key becomes lower-case ASCII letters, digits and hyphens (at most 60
    characters), so no key can leave the folder or clash with the file system.
    Keys that give the same name (or none) get the first 8 hex digits of their
    SHA-256 appended: ``plan-ops-1a2b3c4d.ics``.
    """
    path = Path(target)
    suffix = path.suffix or ".ics"
    slugs = {key: _slug(key) for key in keys}
    counts: dict[str, int] = {}
    for slug in slugs.values():
        counts[slug] = counts.get(slug, 0) + 1
    names = {}
    for key, slug in slugs.items():
        if not slug or counts[slug] > 1:
            digest = hashlib.sha256(key.encode()).hexdigest()[:8]
            slug = f"{slug}-{digest}" if slug else digest
        names[key] = path.with_name(f"{path.stem}-{slug}{suffix}")
    return names
