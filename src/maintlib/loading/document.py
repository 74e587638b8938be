"""An inventory written back as the document the inventory format reads (TOML/JSON)."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import attrs

from maintlib._util.clock import format_duration
from maintlib.model.inventory import (
    WEEKDAYS,
    BlackoutCalendar,
    Inventory,
    OfficeHours,
    PlanningSettings,
)
from maintlib.model.money import CostRange
from maintlib.model.rates import DailyLabour, Fee
from maintlib.model.rules import Deadlines, Expiry, Once, Periodic, Released, Rule, RuleSpec
from maintlib.model.vocabulary import Tier

__all__ = ["to_document"]


#: What the helpers of :func:`_plain` return for a value that is not theirs.
_NOT_MINE = object()


def _plain(value: object, json_safe: bool) -> object:
    """One value in the form the inventory format writes it."""
    for form in (_scalar, _value_object):
        plain = form(value, json_safe)
        if plain is not _NOT_MINE:
            return plain
    if isinstance(value, tuple | list):
        return _sequence(value, json_safe)
    if attrs.has(type(value)):
        return _table_of(value, json_safe)
    raise TypeError(f"cannot write {type(value).__name__}")


def _scalar(value: object, json_safe: bool) -> object:
    """A number, text, enum, zone, duration, time, date or office hours; a dict."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Decimal):
        return str(value) if json_safe else value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, ZoneInfo):
        return value.key
    if isinstance(value, dt.timedelta):
        return format_duration(value)
    if isinstance(value, dt.time):
        return value.isoformat(
            timespec="minutes" if value == value.replace(second=0, microsecond=0) else "auto"
        )
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat() if json_safe else value
    if isinstance(value, OfficeHours):
        return str(value)
    if isinstance(value, dict):
        return {str(key): _plain(item, json_safe) for key, item in value.items()}
    return _NOT_MINE


def _value_object(value: object, json_safe: bool) -> object:
    """A cost range, cadence, deadlines or blackout calendar: its own table."""
    if isinstance(value, CostRange):
        return {"low": _plain(value.low, json_safe), "high": _plain(value.high, json_safe)}
    if isinstance(value, Periodic):
        return {"rrule": value.rrule}
    if isinstance(value, Released):
        released: dict[str, object] = {
            "calendar": value.calendar,
            "offset_days": value.offset_days,
            "months": list(value.months),
        }
        if value.until:
            released["until"] = _plain(value.until, json_safe)
        return released
    if isinstance(value, Expiry):
        return {"expires_lead_days": value.lead_days, "expires_margin_days": value.margin_days}
    if isinstance(value, Once):
        document: dict[str, object] = {"once": _plain(value.at, json_safe)}
        if value.deadline:
            document["deadline"] = _plain(value.deadline, json_safe)
        return document
    if isinstance(value, Deadlines):
        return value.to_mapping()
    if isinstance(value, BlackoutCalendar):
        if value.recurring is not None:
            return _table_of(value.recurring, json_safe)
        return {"ics": value.file, "reason": value.reason} | (
            {} if value.changes_only else {"changes_only": False}
        )
    return _NOT_MINE


def _sequence(value: tuple[Any, ...] | list[Any], json_safe: bool) -> object:
    """Cadences by tier as a table, time spans as text, anything else as a list."""
    if (
        value
        and isinstance(value[0], tuple)
        and len(value[0]) == 2
        and isinstance(value[0][0], Tier)
    ):
        return {tier.value: _plain(cadence, json_safe) for tier, cadence in value}
    if value and isinstance(value[0], tuple) and len(value[0]) == 3:
        return [_span_text(span) for span in value]
    return [_plain(item, json_safe) for item in value]


def _span_text(span: tuple[int, dt.time, dt.time | None]) -> str:
    day, start, end = span
    return f"{WEEKDAYS[day].title()} {start:%H:%M}-{'24:00' if end is None else f'{end:%H:%M}'}"


_SKIP = {Rule: {"pack"}, Fee: {"citation"}, DailyLabour: {"citation"}}


def _table_of(value: Any, json_safe: bool) -> dict[str, object]:
    skip = _SKIP.get(type(value), set())
    table: dict[str, object] = {}
    for field in attrs.fields(type(value)):
        if field.name in skip or not field.init:
            continue
        item = getattr(value, field.name)
        if item is None or (item == field.default and field.name not in ("id", "name", "kind")):
            continue
        if isinstance(item, tuple) and not item:
            continue
        table[field.name] = _plain(item, json_safe)
    return table


def to_document(inventory: Inventory, *, json_safe: bool = False) -> dict[str, object]:
    """The inventory as the document :func:`loads` reads back (equal on reload).

    Args:
        inventory: The inventory to write.
        json_safe: Write dates, times and decimals as strings (for JSON); by
            default they stay TOML-native values (for ``tomli_w``).

    Fields at their defaults are left out. Blackout calendars are written as
    their ``ics`` reference: the file must be beside the document.
    """
    document: dict[str, object] = {"organisation": _table_of(inventory.organisation, json_safe)}
    if inventory.windows:
        document["windows"] = [_table_of(w, json_safe) for w in inventory.windows]
    blackouts = [
        *(_table_of(b, json_safe) for b in inventory.blackouts),
        *(_plain(c, json_safe) for c in inventory.blackout_calendars),
    ]
    if blackouts:
        document["blackouts"] = blackouts
    if inventory.assets:
        document["assets"] = [_table_of(a, json_safe) for a in inventory.assets]
    if inventory.redundancy_groups:
        document["redundancy_groups"] = [
            _table_of(group, json_safe) for group in inventory.redundancy_groups
        ]
    if inventory.rules:
        document["rules"] = [_rule_document(spec, json_safe) for spec in inventory.rules]
    for key in ("risk", "costing", "sla"):
        value = getattr(inventory, key)
        if value is not None:
            document[key] = _table_of(value, json_safe)
    if inventory.planning != PlanningSettings():
        document["planning"] = _table_of(inventory.planning, json_safe)
    return document


def _rule_document(spec: RuleSpec, json_safe: bool) -> object:
    if spec.rule is not None:
        return _table_of(spec.rule, json_safe)
    changes = {name: _plain(value, json_safe) for name, value in spec.changes.items()}
    if spec.changes.get("cadence_by_tier") == ():
        changes["cadence_by_tier"] = {}  # no cadence for any tier: a table, not a list
    return {"extends": spec.extends, **changes}
