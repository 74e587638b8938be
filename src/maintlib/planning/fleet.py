"""The group stage: per-asset dues → fleet dues, one per group of similar assets.

Checking that 450 workstations installed their automatic updates is one job in
a management console, not 450 calendar entries. Dues of the same rule, activity,
release and times, for assets alike in the rule's ``group_by`` fields (kind, site
and owner by default), become one **fleet due** whose task covers every member:

* which work: automatic updates' checks by default; any work without downtime
  whose rule says ``fleet = true``; never work with downtime, and never when the
  rule says ``fleet = false``;
* duration: the rule's ``duration`` plus ``duration_per_asset`` for each member,
  at most :data:`FLEET_MAX` (half a working day): a larger group is split into
  fleet tasks of consecutive members (by due uid) that each fit, numbered from
  the second on (``fleet-…-2.…``);
* effort: the rule's ``effort`` plus ``duration_per_asset`` for each member (each
  member's check is hands-on);
* a group of one stays an ordinary due.

Every member stays traceable: the fleet due lists its members' dues, its task
lists their assets (``assets``) and due uids (``dues``).
"""

from __future__ import annotations

import datetime as dt
import operator
import re
from collections.abc import Iterable, Mapping, Sequence

import attrs

from maintlib.model.rules import ReleaseCalendar
from maintlib.model.vocabulary import Mode, Tier
from maintlib.model.work import Due, Duty, Horizon, Members
from maintlib.planning.expand import Timing, Timings, dues_of

__all__ = ["FLEET_MAX", "compact", "expand_fleets", "fleet_key", "group"]


#: The longest fleet task: half a working day, so that it fits in any office day.
FLEET_MAX = dt.timedelta(hours=4)


_SLUG = re.compile(r"[^a-z0-9]+")


_RANK = {tier: tier.rank for tier in Tier}


_ADDRESS = re.compile(r"<[^>]*>")


_UID = operator.attrgetter("uid")
_COVERS = operator.attrgetter("covers")


def _slug(text: str) -> str:
    """``"Platform team <platform@nimbus.example>"`` → ``platform-team``."""
    return _SLUG.sub("-", _ADDRESS.sub("", text).casefold()).strip("-") or "none"


def _groups(duty: Duty) -> bool:
    rule = duty.rule
    if duty.asset is None or duty.downtime or rule.fleet is False:
        return False
    return rule.fleet is True or duty.mode is Mode.AUTOMATIC


def fleet_key(duty: Duty) -> tuple[str, ...]:
    """The values of the duty's rule's ``group_by`` fields for its asset."""
    asset = duty.asset
    assert asset is not None
    return tuple(str(getattr(asset, field)) for field in duty.rule.group_by)


def _shape(duty: Duty) -> tuple[object, ...]:
    """What a duty's dues must share with others' to join their fleet."""
    return (
        duty.rule.key,
        duty.activity.name,
        fleet_key(duty),
        duty.duration,
        duty.effort,
        duty.steps,
        duty.mode,
    )


def _size(duty: Duty) -> int | None:
    """How many members fit in one fleet task of ``duty``'s rule (None: any number)."""
    base, each = duty.duration, duty.rule.duration_per_asset
    if each <= dt.timedelta(0):
        return None
    return max(1, int((FLEET_MAX - base) / each))


def _chunks(members: list[Due]) -> list[list[Due]]:
    """``members`` in runs short enough for one fleet task each."""
    size = _size(members[0].duty)
    if size is None:
        return [members]
    return [members[i : i + size] for i in range(0, len(members), size)]


def group(dues: Sequence[Due]) -> list[Due]:
    """``dues`` with each group of similar assets' dues merged into a fleet due.

    Dues that do not group stay as they are, in their order; fleet dues follow, by
    uid. The same assets, rule and anchor give the same fleet uid in every run:
    ``fleet-<group-by values>-<pack>-<rule>.<activity>.<anchor>``. A fleet is as
    urgent as its most urgent member: its tier, and the earliest deadline.
    """
    kept: list[Due] = []
    buckets: dict[tuple[int, object, object, object], list[Due]] = {}
    # A duty's part of the key, once per duty (a duty has a due per occurrence),
    # numbered: the buckets are keyed by that number, not by the whole shape.
    shapes: dict[int, int | None] = {}
    numbers: dict[tuple[object, ...], int] = {}
    keys: list[tuple[object, ...]] = []
    for due in dues:
        duty = due.duty
        number = shapes.get(id(duty), -1)
        if number == -1:
            number = None
            if _groups(duty):
                shape = _shape(duty)
                number = numbers.get(shape)
                if number is None:
                    number = numbers[shape] = len(keys)
                    keys.append(shape)
            shapes[id(duty)] = number
        if number is None:
            kept.append(due)
            continue
        buckets.setdefault((number, due.anchor, due.released, due.earliest), []).append(due)
    fleets: list[Due] = []
    # One fleet duty per group and size, shared by its dues of every anchor: the
    # planner tells a duty's next due by it (superseding).
    duties: dict[tuple[object, ...], Duty] = {}
    for bucket_key, bucket in buckets.items():
        key = keys[bucket_key[0]]
        if len(bucket) == 1:
            kept.extend(bucket)
            continue
        bucket.sort(key=lambda d: d.uid)
        for number, members in enumerate(_chunks(bucket), start=1):
            if len(members) == 1:
                kept.extend(members)
                continue
            first = members[0]
            # The fleet is as urgent as its most urgent member: its tier, and the
            # earliest of their deadlines.
            urgent = min(members, key=lambda d: (_RANK[d.duty.tier], d.deadline, d.uid))
            duty = urgent.duty
            duty_key = (key[0], key[1], key[2], number, len(members), duty.tier)
            shared = duties.get(duty_key)
            if shared is None:
                shared = duties[duty_key] = _fleet_duty(duty, len(members))
            uid = _fleet_uid(duty, number, first.uid.rsplit(".", 1)[1])
            fleets.append(
                Due(
                    shared,
                    first.anchor,
                    first.released,
                    first.earliest,
                    urgent.deadline,
                    uid,
                    members=tuple(members),
                )
            )
    return kept + _unique(fleets)


def compact(dues: Sequence[Due]) -> list[Due]:
    """``dues`` (from :func:`group`) with each fleet due's members as a
    :class:`~maintlib.model.work.Members` — their duties and deadlines — so that
    the per-asset dues can go. A fleet whose members are not the dues ``expand``
    makes (a uid of another form, something they follow) keeps them as they are."""
    return [_compacted(due) if due.members else due for due in dues]


def _compacted(due: Due) -> Due:
    members = due.members
    if isinstance(members, Members):
        return due
    first = members[0]
    text = first.uid.rsplit(".", 1)[1]
    for member in members:
        duty = member.duty
        if (
            member.follows
            or member.anchor != first.anchor
            or member.released != first.released
            or member.earliest != first.earliest
            or member.uid != f"{duty.subject}.{duty.activity.name}.{text}"
        ):
            return due
    return attrs.evolve(
        due,
        members=Members(
            tuple(member.duty for member in members),
            tuple(member.deadline for member in members),
            first.anchor,
            first.released,
            first.earliest,
            text,
        ),
    )


def _fleet_duty(duty: Duty, size: int) -> Duty:
    """The most urgent member's duty, with the time of a fleet of ``size``."""
    extra = duty.rule.duration_per_asset * size
    return attrs.evolve(duty, duration=duty.duration + extra, effort=duty.effort + extra)


def _fleet_uid(duty: Duty, number: int, anchor_text: str) -> str:
    """``fleet-<group-by values>-<pack>-<rule>[-<number>].<activity>.<anchor>``."""
    # The group's readable key: the values it is grouped by that the assets
    # have (an asset without a site adds nothing, not "none").
    name = "-".join(_slug(v) for v in fleet_key(duty) if _slug(v) != "none") or "all"
    suffix = f"-{number}" if number > 1 else ""
    rule = _slug(duty.rule.key)
    return f"fleet-{name}-{rule}{suffix}.{duty.activity.name}.{anchor_text}"


def _unique(fleets: list[Due]) -> list[Due]:
    """Fleet dues by uid; the rare fleets that share one (the same rule and group,
    but another mode or duration for some members) numbered by their members."""
    fleets.sort(key=_UID)
    # Fleets that share a uid are ordered by their members' uids (read only there).
    start = 0
    for end in range(1, len(fleets) + 1):
        if end == len(fleets) or fleets[end].uid != fleets[start].uid:
            if end - start > 1:
                fleets[start:end] = sorted(fleets[start:end], key=_COVERS)
            start = end
    seen: dict[str, int] = {}
    result = []
    for due in fleets:
        count = seen[due.uid] = seen.get(due.uid, 0) + 1
        if count > 1:
            head, activity, anchor = due.uid.rsplit(".", 2)
            due = attrs.evolve(due, uid=f"{head}-v{count}.{activity}.{anchor}")
        result.append(due)
    return result


#: Where a due joins others: its shape's number, anchor, release and earliest start.
_Bucket = tuple[int, dt.datetime, dt.datetime | None, dt.datetime]


#: A fleet's members in uid order, in runs that each fit one fleet task: each
#: run's duties and the place of its most urgent member in it.
Runs = list[tuple[tuple[Duty, ...], int]]


def _runs(duties: Sequence[Duty], deadlines: Sequence[dt.datetime] | Sequence[int] | None) -> Runs:
    """``duties`` (in their dues' uid order) cut into runs short enough for one
    fleet task each (``deadlines``: each member's, or their order as numbers, or
    None when they share one).

    The most urgent member sets the fleet's tier and deadline: the lowest tier
    rank, then the earliest deadline, then the first in uid order.
    """
    size = _size(duties[0]) or len(duties)
    ranks = [_RANK[duty.tier] for duty in duties]
    runs: Runs = []
    for start in range(0, len(duties), size):
        stop = min(start + size, len(duties))
        if deadlines is None:
            urgent = min(range(start, stop), key=ranks.__getitem__)
        else:
            urgent = min(range(start, stop), key=lambda i: (ranks[i], deadlines[i]))
        runs.append((tuple(duties[start:stop]), urgent - start))
    return runs


@attrs.define
class _Kin:
    """Duties that share a fleet shape and a cadence: their dues fall on the same
    times, so they are bucketed once for all of them.

    A due's uid is ``<asset>.<activity>.<anchor>`` and the dues of one bucket
    share the rest, so ordering them by ``<asset>.`` orders their uids, the same
    at every anchor — unless an asset id holds a dot (``srv`` and ``srv.a``):
    then the order depends on the anchor, and the caller orders by the whole uid.
    Equal uids keep the input order.
    """

    timings: list[Timing]
    duties: list[Duty] = attrs.Factory(list)
    #: Each duty's place in the input (equal uids keep it).
    places: list[int] = attrs.Factory(list)
    #: Each duty's ``<asset>.``, or None when one holds a dot (worked out once).
    keys: list[str] | None = None
    #: The duties' runs in uid order, worked out once (see :meth:`runs`).
    cut: Runs | None = None

    def sort_keys(self) -> list[str] | None:
        """Each duty's ``<asset>.``, which orders their uids; None: an asset id
        holds a dot."""
        if self.keys is None:
            keys = [duty.subject + "." for duty in self.duties]
            self.keys = [] if any(key.count(".") > 1 for key in keys) else keys
        return self.keys or None

    def runs(self) -> Runs | None:
        """The kin's dues at any one anchor in runs (:func:`_runs`), the same at
        every anchor; None when an asset id holds a dot."""
        if self.cut is None:
            keys = self.sort_keys()
            if keys is None:
                self.cut = []
            else:
                order = sorted(range(len(keys)), key=keys.__getitem__)
                self.cut = _runs([self.duties[i] for i in order], None)
        return self.cut or None


#: A bucket with members of several kin, by the kin: the members in uid order,
#: which kin each came from, and their runs by the order of the kin's deadlines.
_Merged = dict[tuple[int, ...], tuple[list[Duty], list[int], dict[tuple[int, ...], Runs]]]


def expand_fleets(
    duties: Iterable[Duty], horizon: Horizon, calendars: Mapping[str, ReleaseCalendar]
) -> list[Due]:
    """``group(expand(duties, horizon, calendars))``, without a :class:`Due` for each
    fleet member: a fleet's members are a :class:`~maintlib.model.work.Members`.

    The same dues in the same order, with the same uids, times, duties and
    members (issue 32: a fleet of 300 members recurring monthly made 3,600 dues
    to be folded into 12).
    """
    kept: list[Due] = []
    times = Timings(horizon, calendars)
    numbers: dict[tuple[object, ...], int] = {}
    keys: list[tuple[object, ...]] = []
    kins: dict[tuple[int, int], _Kin] = {}
    buckets: dict[_Bucket, list[tuple[_Kin, int]]] = {}
    for place, duty in enumerate(duties):
        found = times(duty)
        if not found:
            continue
        if not _groups(duty):
            kept.extend(dues_of(duty, found))
            continue
        shape = _shape(duty)
        number = numbers.get(shape)
        if number is None:
            number = numbers[shape] = len(keys)
            keys.append(shape)
        # The timings list is the cadence's, shared by every duty with it.
        kin = kins.get((number, id(found)))
        if kin is None:
            kin = kins[(number, id(found))] = _Kin(found)
            for index, (anchor, released, earliest, _, _) in enumerate(found):
                buckets.setdefault((number, anchor, released, earliest), []).append((kin, index))
        kin.duties.append(duty)
        kin.places.append(place)
    fleets: list[Due] = []
    shared: dict[tuple[object, ...], Duty] = {}
    merged: _Merged = {}
    for (number, anchor, released, earliest), parts in buckets.items():
        kin, index = parts[0]
        text = kin.timings[index][4]
        runs = kin.runs() if len(parts) == 1 else None
        if runs is not None:
            deadline = kin.timings[index][3]
            cut = [(run, urgent, (deadline,) * len(run)) for run, urgent in runs]
        else:
            cut = _mixed(parts, merged)
        shape = keys[number]
        for place, (run, urgent, deadlines) in enumerate(cut, start=1):
            if len(run) == 1:
                kept.append(_due(run[0], anchor, released, earliest, deadlines[0], text))
                continue
            most = run[urgent]
            duty_key = (shape[0], shape[1], shape[2], place, len(run), most.tier)
            fleet_duty = shared.get(duty_key)
            if fleet_duty is None:
                fleet_duty = shared[duty_key] = _fleet_duty(most, len(run))
            members = Members(run, deadlines, anchor, released, earliest, text)
            uid = _fleet_uid(most, place, text)
            fleets.append(
                Due(fleet_duty, anchor, released, earliest, deadlines[urgent], uid, members=members)
            )
    return kept + _unique(fleets)


def _due(
    duty: Duty,
    anchor: dt.datetime,
    released: dt.datetime | None,
    earliest: dt.datetime,
    deadline: dt.datetime,
    text: str,
) -> Due:
    uid = f"{duty.subject}.{duty.activity.name}.{text}"
    return Due(duty, anchor, released, earliest, deadline, uid)


def _mixed(
    parts: list[tuple[_Kin, int]], merged: _Merged
) -> list[tuple[tuple[Duty, ...], int, tuple[dt.datetime, ...]]]:
    """The runs of a bucket whose members come from several kin, in uid order,
    then input place (by :func:`_dotted` when an asset id holds a dot).

    The same kin meet at every anchor: their merged order is worked out once, and
    the runs once per order of the kin's deadlines (ties included), which is all
    that picks each run's most urgent member besides the tiers.
    """
    kins = [kin for kin, _ in parts]
    keys = [kin.sort_keys() for kin in kins]
    if any(key is None for key in keys):
        return _dotted(parts)
    found = merged.get(tuple(map(id, kins)))
    if found is None:
        entries = sorted(
            (kin_keys[i], kin.places[i], number, i)
            for number, (kin, kin_keys) in enumerate(zip(kins, keys, strict=True))
            if kin_keys is not None
            for i in range(len(kin.duties))
        )
        duties = [kins[number].duties[i] for _, _, number, i in entries]
        origin = [number for _, _, number, _ in entries]
        found = merged[tuple(map(id, kins))] = (duties, origin, {})
    duties, origin, by_order = found
    deadlines = [kin.timings[index][3] for kin, index in parts]
    distinct = sorted(set(deadlines))
    order = tuple(distinct.index(deadline) for deadline in deadlines)
    runs = by_order.get(order)
    if runs is None:
        runs = by_order[order] = _runs(duties, [order[number] for number in origin])
    return _cut(runs, [deadlines[number] for number in origin])


def _cut(
    runs: Runs, deadlines: Sequence[dt.datetime]
) -> list[tuple[tuple[Duty, ...], int, tuple[dt.datetime, ...]]]:
    """``runs`` with their members' deadlines (``deadlines``: every member's, in
    the runs' order)."""
    result = []
    start = 0
    for run, urgent in runs:
        result.append((run, urgent, tuple(deadlines[start : start + len(run)])))
        start += len(run)
    return result


def _dotted(
    parts: list[tuple[_Kin, int]],
) -> list[tuple[tuple[Duty, ...], int, tuple[dt.datetime, ...]]]:
    """The runs of a bucket where an asset id holds a dot: ordered by the whole
    uid, then by input place."""
    entries = sorted(
        (
            (
                f"{duty.subject}.{duty.activity.name}.{kin.timings[index][4]}",
                place,
                duty,
                index,
                kin,
            )
            for kin, index in parts
            for duty, place in zip(kin.duties, kin.places, strict=True)
        ),
        key=lambda entry: entry[:2],
    )
    duties = [entry[2] for entry in entries]
    deadlines = [entry[4].timings[entry[3]][3] for entry in entries]
    return _cut(_runs(duties, deadlines), deadlines)
