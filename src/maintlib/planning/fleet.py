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
import re
from collections.abc import Sequence

import attrs

from maintlib.model.vocabulary import Mode, Tier
from maintlib.model.work import Due, Duty

__all__ = ["FLEET_MAX", "fleet_key", "group"]


#: The longest fleet task: half a working day, so that it fits in any office day.
FLEET_MAX = dt.timedelta(hours=4)


_SLUG = re.compile(r"[^a-z0-9]+")


_RANK = {tier: tier.rank for tier in Tier}


_ADDRESS = re.compile(r"<[^>]*>")


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


def _chunks(members: list[Due]) -> list[list[Due]]:
    """``members`` in runs short enough for one fleet task each."""
    rule = members[0].duty.rule
    base, each = members[0].duty.duration, rule.duration_per_asset
    if each <= dt.timedelta(0):
        return [members]
    size = max(1, int((FLEET_MAX - base) / each))
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
                shape = (
                    duty.rule.key,
                    duty.activity.name,
                    fleet_key(duty),
                    duty.duration,
                    duty.effort,
                    duty.steps,
                    duty.mode,
                )
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
                extra = duty.rule.duration_per_asset * len(members)
                shared = duties[duty_key] = attrs.evolve(
                    duty, duration=duty.duration + extra, effort=duty.effort + extra
                )
            anchor_text = first.uid.rsplit(".", 1)[1]
            # The group's readable key: the values it is grouped by that the assets
            # have (an asset without a site adds nothing, not "none").
            name = "-".join(_slug(v) for v in fleet_key(duty) if _slug(v) != "none") or "all"
            suffix = f"-{number}" if number > 1 else ""
            rule = _slug(duty.rule.key)
            uid = f"fleet-{name}-{rule}{suffix}.{duty.activity.name}.{anchor_text}"
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


def _unique(fleets: list[Due]) -> list[Due]:
    """Fleet dues by uid; the rare fleets that share one (the same rule and group,
    but another mode or duration for some members) numbered by their members."""
    fleets.sort(key=lambda d: (d.uid, d.covers))
    seen: dict[str, int] = {}
    result = []
    for due in fleets:
        count = seen[due.uid] = seen.get(due.uid, 0) + 1
        if count > 1:
            head, activity, anchor = due.uid.rsplit(".", 2)
            due = attrs.evolve(due, uid=f"{head}-v{count}.{activity}.{anchor}")
        result.append(due)
    return result
