"""cattrs hooks that turn parsed TOML/JSON/CSV into maintlib values, strictly.

Strict: a string is never silently an int, a bool never a number, a float never
money. Every failure becomes a message with a hint, and cattrs's exception groups
are walked into ``(path, message)`` pairs so the loader can say where.
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import functools
import math
import operator
import re
import zoneinfo
from collections.abc import Callable, Collection, Iterator, Mapping
from decimal import Decimal
from typing import Any, TypeVar

import attrs
import cattrs
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn, override

from maintlib._util.clock import parse_clock, parse_duration
from maintlib._util.recurrence import EPOCH, parse_rrule
from maintlib._util.text import check_identifier, did_you_mean, excerpt
from maintlib.model import limits
from maintlib.model.cve import CVE_ID, Vulnerability, cvss_base_score
from maintlib.model.inventory import (
    Asset,
    OfficeHours,
    Organisation,
    PlanningSettings,
    RecurringBlackout,
    RedundancyGroup,
    Window,
)
from maintlib.model.money import CURRENCIES, CostRange
from maintlib.model.rates import CostingSettings, DailyLabour, Fee, TimeBand
from maintlib.model.risk import RiskWeights
from maintlib.model.rules import (
    Cadence,
    Deadlines,
    Expiry,
    Once,
    Periodic,
    Released,
    Rule,
    Selector,
    Step,
)
from maintlib.model.vocabulary import (
    AssetKind,
    Category,
    Environment,
    Tier,
    kind_hint,
)

__all__ = ["Converter", "converter", "walk"]

T = TypeVar("T")


#: The keys of an inventory document's top level (for a hint when one is misplaced).
TOP_LEVEL_KEYS = (
    "organisation",
    "windows",
    "blackouts",
    "redundancy_groups",
    "assets",
    "assets_csv",
    "rules",
    "risk",
    "planning",
    "costing",
    "sla",
    # How `maintlib import netbox` maps records to assets (loading/dcim.py); planning
    # does not read it.
    "import",
)


_TYPE_NAMES = {
    str: "a string",
    int: "an integer",
    bool: "true or false",
    dict: "a table",
    list: "a list",
    Decimal: "a number",
    float: "a number",
}


#: TOML integers are 64-bit; JSON integers are held to the same range.
_INTEGER_LIMIT = 2**63


def _describe(value: object) -> str:
    if isinstance(value, dt.datetime):
        return f"{value.isoformat()} (a date-time)"
    if isinstance(value, dt.date):
        return f"{value.isoformat()} (a date)"
    if isinstance(value, dt.time):
        return f"{value.isoformat()} (a time of day)"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a boolean)"
    if isinstance(value, str):
        return f"{excerpt(value)!r} (a string)"
    if isinstance(value, int | Decimal | float):
        return f"{value} (a number)"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "null"
    return type(value).__name__


def _expect(value: object, wanted: type) -> TypeError:
    return TypeError(f"expected {_TYPE_NAMES.get(wanted, wanted.__name__)}, got {_describe(value)}")


def _str(value: object, _: type) -> str:
    if not isinstance(value, str):
        raise _expect(value, str)
    if len(value) > limits.MAX_TEXT:
        raise ValueError(f"text of {len(value):,} characters; at most {limits.MAX_TEXT:,}")
    return value


def _int(value: object, _: type) -> int:
    if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
        value = int(value) if abs(value) < _INTEGER_LIMIT else value
    if isinstance(value, bool) or not isinstance(value, int):
        raise _expect(value, int)
    if abs(value) >= _INTEGER_LIMIT:
        raise ValueError(f"{value} is too large for an integer")
    return value


def _bool(value: object, _: type) -> bool:
    if not isinstance(value, bool):
        raise _expect(value, bool)
    return value


def _decimal(value: object, _: type) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | Decimal | str):
        raise _expect(value, Decimal)
    try:
        result = Decimal(value)
    except decimal.InvalidOperation:
        raise ValueError(f"{value!r} is not a number") from None
    if not result.is_finite():
        raise ValueError(f"expected a finite number, got {value}")
    if abs(result) > limits.MAX_NUMBER:
        raise ValueError(f"{excerpt(str(value))} is out of range (at most {limits.MAX_NUMBER:,})")
    return result


def _at_most(hook: Callable[[object, type], T], limit: Any) -> Callable[[object, type], T]:
    """``hook``, then a documented upper limit (``docs/inventory.md``, Limits)."""

    def structure(value: object, cl: type) -> T:
        result = hook(value, cl)
        if result is not None and result > limit:
            raise ValueError(f"{result} is out of range (at most {limit:,})")
        return result

    return structure


def _positive_float(value: object, _: type) -> float:
    number = _float(value, float)
    if number <= 0:
        raise ValueError(f"must be greater than zero, got {value}")
    return number


def _float(value: object, _: type) -> float:
    number = float(_decimal(value, Decimal))
    if not math.isfinite(number):
        raise ValueError(f"{value} is too large")
    return number


def _identifier(value: object, _: type) -> str:
    return check_identifier(_str(value, str))


def _non_negative_int(value: object, _: type) -> int:
    number = _int(value, int)
    if number < 0:
        raise ValueError(f"must not be negative, got {number}")
    return number


def _positive_int(value: object, _: type) -> int:
    number = _int(value, int)
    if number < 1:
        raise ValueError(f"must be at least 1, got {number}")
    return number


def _team_sizes(value: object, _: type) -> dict[str, int]:
    """``[planning.teams]``: owner → technicians (each at least 1)."""
    if not isinstance(value, Mapping):
        raise ValueError(f"expected a table of owner = technicians, got {_describe(value)}")
    teams: dict[str, int] = {}
    for owner, size in value.items():
        name = _str(owner, str).strip()
        if not name:
            raise ValueError("an owner's name must not be empty")
        try:
            teams[name] = _positive_int(size, int)
        except (TypeError, ValueError) as error:
            raise ValueError(f"team {name!r}: {error}") from None
        if teams[name] > limits.MAX_TECHNICIANS:
            raise ValueError(
                f"team {name!r}: {teams[name]} is out of range (at most {limits.MAX_TECHNICIANS:,})"
            )
    return teams


def _team_handles(value: object, _: type) -> dict[str, tuple[str, ...]]:
    """``[planning.team_handles]``: team → the kinds or tags it handles."""
    if not isinstance(value, Mapping):
        raise ValueError(f"expected a table of team = [kinds or tags], got {_describe(value)}")
    handles: dict[str, tuple[str, ...]] = {}
    for team, words in value.items():
        name = _str(team, str).strip()
        if not isinstance(words, list) or not words:
            raise ValueError(f"team {name!r}: expected a list of kinds or tags")
        handles[name] = tuple(_str(word, str) for word in words)
    return handles


def _non_negative_decimal(value: object, _: type) -> Decimal:
    number = _decimal(value, Decimal)
    if number < 0:
        raise ValueError(f"must not be negative, got {number}")
    return number


def _non_negative_float(value: object, _: type) -> float:
    number = _float(value, float)
    if number < 0:
        raise ValueError(f"must not be negative, got {value}")
    return number


_days = _at_most(_non_negative_int, limits.MAX_DAYS)


_deadline_days = _at_most(_non_negative_int, limits.MAX_DEADLINE_DAYS)


_amount = _at_most(_non_negative_decimal, limits.MAX_AMOUNT)


def _optional(hook: Callable[[object, type], T]) -> Callable[[object, type], T | None]:
    def structure(value: object, cl: type) -> T | None:
        return None if value is None else hook(value, cl)

    return structure


@functools.cache
def _members(cl: type[enum.Enum]) -> dict[object, enum.Enum]:
    """Value → member, built once per enum (loading looks up several per asset)."""
    return {member.value: member for member in cl}


def _enum(value: object, cl: type[enum.Enum]) -> enum.Enum:
    text = _str(value, str)
    member = _members(cl).get(text)
    if member is not None:
        return member
    choices = [member.value for member in cl]
    what = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", cl.__name__).lower()
    hint = did_you_mean(text, choices) or " — expected one of " + ", ".join(
        f'"{c}"' for c in choices
    )
    raise ValueError(f'unknown {what} "{text}"{hint}')


@functools.cache
def _zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _zone(value: object, _: type) -> zoneinfo.ZoneInfo:
    text = _str(value, str)
    if text not in _zones():
        raise ValueError(f'unknown time zone "{text}"{did_you_mean(text, _zones())}')
    return zoneinfo.ZoneInfo(text)


def _time(value: object, _: type) -> dt.time:
    if isinstance(value, dt.time):
        if value.tzinfo is not None:
            raise ValueError("write a local time without offset; the zone is set separately")
        return value
    return parse_clock(_str(value, str))


def _rrule(value: object, _: type) -> str:
    text = _str(value, str)
    parse_rrule(text, EPOCH)
    return text


def _duration(value: object, _: type) -> dt.timedelta:
    duration = parse_duration(_str(value, str))
    if duration <= dt.timedelta(0):
        raise ValueError(f"duration {value!r} must be longer than zero")
    if duration > limits.MAX_DURATION:
        raise ValueError(
            f"duration {value!r} is out of range (at most {limits.MAX_DURATION.days} days)"
        )
    return duration


def _moment(value: object, _: type) -> dt.date | dt.datetime:
    if isinstance(value, str):
        try:
            value = (
                dt.date.fromisoformat(value)
                if len(value) == 10
                else dt.datetime.fromisoformat(value)
            )
        except ValueError:
            raise ValueError(
                f"{value!r} is not a date (2027-12-24) or a date-time with offset"
                " (2027-12-24T18:00:00+01:00)"
            ) from None
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise ValueError(
                f"naive date-time {value.isoformat()}: add an offset (+01:00 or Z) or write a date"
            )
        return value
    if isinstance(value, dt.date):
        return value
    raise TypeError(
        "expected a date (2027-12-24) or a date-time with offset (2027-12-24T18:00:00+01:00),"
        f" got {_describe(value)}"
    )


def _date(value: object, _: type) -> dt.date:
    moment = _moment(value, dt.date)
    if isinstance(moment, dt.datetime):
        raise ValueError(f"expected a date (2027-12-24), got a date-time {moment.isoformat()}")
    return moment


def _vulnerability(value: object, _: type) -> Vulnerability:
    if isinstance(value, str):
        head, _blank, tail = value.strip().partition(" ")
        data: dict[str, object] = {"id": head, "cvss": tail.strip() or None}
    elif isinstance(value, dict):
        unknown = set(value) - {"id", "cvss"}
        if unknown:
            name = sorted(unknown)[0]
            raise ValueError(f'unknown key "{name}"{did_you_mean(name, ["id", "cvss"])}')
        if "id" not in value:
            raise ValueError('missing required key "id"')
        data = dict(value)
    else:
        raise TypeError(f"expected a CVE id or a table {{id, cvss}}, got {_describe(value)}")
    ident = _str(data["id"], str) if "id" in data else ""
    if not CVE_ID.fullmatch(ident):
        raise ValueError(f"{ident!r} is not a CVE id (CVE-2024-3400)")
    vector = None if data.get("cvss") is None else _str(data["cvss"], str)
    if vector is not None:
        cvss_base_score(vector)
    return Vulnerability(ident, vector)


def _office_hours(value: object, _: type) -> OfficeHours:
    return OfficeHours.parse(_str(value, str))


def _currency_code(value: object, _: type) -> str:
    text = _str(value, str)
    if text not in CURRENCIES:
        raise ValueError(f'unknown ISO 4217 currency "{text}"{did_you_mean(text, CURRENCIES)}')
    return text


def _each(value: object, hook: Callable[[object, type], T]) -> tuple[T, ...]:
    """Every item of a list of strings through ``hook``; failures name their index."""
    if isinstance(value, str):
        raise TypeError(f'expected a list of strings, got {_describe(value)} — write ["{value}"]')
    if not isinstance(value, list | tuple):
        raise TypeError(f"expected a list of strings, got {_describe(value)}")
    items: list[T] = []
    errors: list[Exception] = []
    for index, item in enumerate(value):
        try:
            items.append(hook(item, str))
        except (TypeError, ValueError) as error:
            error.add_note(IterableValidationNote(f"item {index}", index, str))
            errors.append(error)
    if errors:
        raise IterableValidationError("invalid list items", errors, tuple)
    return tuple(items)


def _strings(value: object, _: type) -> tuple[str, ...]:
    return _each(value, _str)


def _ids(value: object, _: type) -> tuple[str, ...]:
    return _each(value, _identifier)


def _table(value: object, keys: tuple[str, ...], what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise TypeError(f"expected a table for {what}, got {_describe(value)}")
    unknown = sorted(set(value) - set(keys))
    if unknown:
        raise ValueError(f'unknown key "{unknown[0]}" in {what}{did_you_mean(unknown[0], keys)}')
    return value


def _cadence(value: object, _: type) -> Cadence:
    data = _table(
        value,
        (
            "rrule",
            "calendar",
            "offset_days",
            "months",
            "until",
            "once",
            "deadline",
            "expires_lead_days",
            "expires_margin_days",
        ),
        "cadence",
    )
    given = [key for key in ("rrule", "calendar", "once", "expires_lead_days") if key in data]
    if len(given) != 1:
        raise ValueError(
            "a cadence needs exactly one of rrule (periodic), calendar (after vendor releases),"
            " once (a single date) or expires_lead_days (ahead of the asset's expires date)"
        )
    if "expires_lead_days" in data:
        extra = set(data) - {"expires_lead_days", "expires_margin_days"}
        if extra:
            raise ValueError(
                "an expiry cadence takes expires_lead_days and expires_margin_days, not"
                f" {', '.join(sorted(extra))}"
            )
        return Expiry(
            _days(data["expires_lead_days"], int), _days(data.get("expires_margin_days", 0), int)
        )
    if "rrule" in data:
        extra = set(data) - {"rrule"}
        if extra:
            raise ValueError(f"a periodic cadence takes only rrule, not {', '.join(sorted(extra))}")
        return Periodic(_str(data["rrule"], str))
    if "calendar" in data:
        if "once" in data or "deadline" in data:
            raise ValueError("a calendar cadence takes calendar, offset_days, months and until")
        months = data.get("months", [])
        if not isinstance(months, list):
            raise TypeError(f"months: expected a list of month numbers, got {_describe(months)}")
        until = data.get("until")
        return Released(
            _str(data["calendar"], str),
            _days(data.get("offset_days", 0), int),
            tuple(_int(m, int) for m in months),
            None if until is None else _date(until, dt.date),
        )
    deadline = data.get("deadline")
    return Once(
        _date(data["once"], dt.date), None if deadline is None else _date(deadline, dt.date)
    )


def _deadlines(value: object, _: type) -> Deadlines:
    if isinstance(value, int) and not isinstance(value, bool):
        return Deadlines.same(_deadline_days(value, int))
    data = _table(value, ("P1", "P2", "P3", "P4"), "deadlines")
    missing = [t.value for t in Tier if t.value not in data]
    if missing:
        raise ValueError(f"deadlines need every tier; missing {', '.join(missing)}")
    return Deadlines(*(_deadline_days(data[t.value], int) for t in Tier))


def _cadence_by_tier(value: object, _: type) -> tuple[tuple[Tier, Cadence], ...]:
    data = _table(value, ("P1", "P2", "P3", "P4"), "cadence_by_tier")
    return tuple((Tier(key), _cadence(data[key], object)) for key in sorted(data))


def _table_only(hook: Callable[[Any, type], T]) -> Callable[[object, type], T]:
    """``hook`` for an attrs class, refusing anything but a table with a plain message."""

    def structure(value: object, cl: type) -> T:
        if not isinstance(value, dict):
            raise TypeError(f"expected a table, got {_describe(value)}")
        return hook(value, cl)

    return structure


@functools.lru_cache(maxsize=32)
def converter(
    currency: str = "EUR", kinds: frozenset[str] | frozenset[AssetKind] | None = None
) -> Converter:
    """The :class:`Converter` for ``currency`` and ``kinds``, built once per process.

    Building one generates cattrs' structuring code for every class (about 25 ms);
    an MSP's worker loads hundreds of inventories with the same packs and currency.
    A converter keeps no state between inventories.
    """
    return Converter(currency, kinds)


class Converter:
    """A strict cattrs converter for one inventory.

    Args:
        currency: The currency of every amount.
        kinds: The asset kinds the loaded packs know (names, or the kinds
            themselves for hints by alias); None accepts any kind.
    """

    def __init__(
        self,
        currency: str = "EUR",
        kinds: Collection[str] | Collection[AssetKind] | None = None,
    ) -> None:
        self.currency = currency
        described = [k for k in kinds or () if isinstance(k, AssetKind)]
        #: The kinds' descriptions (their aliases give hints), when given.
        self.kind_map: Mapping[str, AssetKind] = {k.name: k for k in described}
        self.kinds = (
            None if kinds is None else frozenset(k if isinstance(k, str) else k.name for k in kinds)
        )
        c = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
        hooks: list[tuple[Any, Callable[[object, type], Any]]] = [
            (str, _str),
            (int, _int),
            (bool, _bool),
            (Decimal, _decimal),
            (float, _float),
            (zoneinfo.ZoneInfo, _zone),
            (dt.time, _time),
            (dt.timedelta, _duration),
            (dt.date, _date),
            (Vulnerability, _vulnerability),
            (OfficeHours, _office_hours),
            (Deadlines, _deadlines),
            (CostRange, self._cost_range),
        ]
        for cl, hook in hooks:
            c.register_structure_hook(cl, hook)
        exact_hooks: list[tuple[Any, Callable[[object, type], Any]]] = [
            (tuple[str, ...], _strings),
            (dt.date | dt.datetime, _moment),
            (Cadence, _cadence),
            (tuple[tuple[Tier, Cadence], ...], _cadence_by_tier),
            (tuple[tuple[int, dt.time, dt.time | None], ...], self._spans),
            (CostRange | None, _optional(self._cost_range)),
            (tuple[Category, ...], self._enums(Category)),
            (tuple[Environment, ...], self._enums(Environment)),
        ]
        for exact, hook in exact_hooks:
            c.register_structure_hook_func(functools.partial(operator.eq, exact), hook)
        # StrEnum before str in the MRO: enums get their own hook, not the str one.
        c.register_structure_hook(enum.Enum, _enum)
        c.register_structure_hook(enum.StrEnum, _enum)
        self._register_overrides(c)
        self.cattrs = c

    def _register_overrides(self, c: cattrs.Converter) -> None:
        ids = override(struct_hook=_identifier)
        optional_id = override(struct_hook=_optional(_identifier))
        count = override(struct_hook=_non_negative_int)
        amount = override(struct_hook=_optional(_non_negative_decimal))
        minutes = override(struct_hook=_at_most(_non_negative_decimal, limits.MAX_DAILY_MINUTES))
        hours = override(
            struct_hook=_optional(_at_most(_non_negative_decimal, limits.MAX_CAPACITY_HOURS))
        )
        # Risk weights must not be negative; the tier thresholds may be.
        weights: dict[str, Any] = {
            field.name: override(struct_hook=_non_negative_float)
            for field in attrs.fields(RiskWeights)
            if field.name not in ("p1", "p2", "p3")
        }
        # The value factor divides by the reference value.
        weights["value_reference"] = override(struct_hook=_positive_float)
        # Parts before wholes: a generated function keeps the hooks its fields had
        # when it was made (Selector and Step for Rule; Fee, DailyLabour and TimeBand
        # for CostingSettings).
        fields: list[tuple[type, dict[str, Any]]] = [
            (
                Asset,
                {
                    "id": ids,
                    "kind": override(struct_hook=self._kind),
                    "window": optional_id,
                    "hosted_on": optional_id,
                    "runs_on": optional_id,
                    "redundancy_group": override(struct_hook=_optional(_str)),
                    "depends_on": override(struct_hook=_ids),
                    "failures_last_year": count,
                    "value": amount,
                },
            ),
            (Organisation, {"currency": override(struct_hook=_currency_code), "users": count}),
            (
                Window,
                {"name": ids, "capacity_hours": hours, "rrule": override(struct_hook=_rrule)},
            ),
            (
                PlanningSettings,
                {
                    "soak_days": override(struct_hook=_days),
                    "technicians": override(struct_hook=_positive_int),
                    "teams": override(struct_hook=_team_sizes),
                    "team_handles": override(struct_hook=_team_handles),
                    "lookahead_days": override(struct_hook=_days),
                },
            ),
            (RedundancyGroup, {"name": override(struct_hook=_str), "primary": optional_id}),
            (RecurringBlackout, {"rrule": override(struct_hook=_rrule)}),
            (Selector, {"kinds": override(struct_hook=_ids), "assets": override(struct_hook=_ids)}),
            (Step, {}),
            (Rule, {"id": ids, "activity": ids, "pack": override(omit=True)}),
            (RiskWeights, weights),
            (Fee, {"citation": override(omit=True)}),
            (
                DailyLabour,
                {
                    "minutes_low": minutes,
                    "minutes_high": minutes,
                    "citation": override(omit=True),
                },
            ),
            (
                TimeBand,
                {
                    "factor": override(
                        struct_hook=_at_most(_non_negative_decimal, limits.MAX_FACTOR)
                    )
                },
            ),
            (CostingSettings, {}),
        ]
        for cl, overrides in fields:
            c.register_structure_hook(cl, _table_only(make_dict_structure_fn(cl, c, **overrides)))

    @staticmethod
    def _enums(cl: type[enum.Enum]) -> Callable[[object, type], tuple[Any, ...]]:
        def structure(value: object, _: type) -> tuple[Any, ...]:
            return _each(value, lambda item, _: _enum(item, cl))

        return structure

    def _kind(self, value: object, _: type) -> str:
        kind = _str(value, str)
        if self.kinds is not None and kind not in self.kinds:
            hint = kind_hint(kind, self.kind_map or self.kinds)
            raise ValueError(f'unknown asset kind "{kind}"{hint}')
        return kind

    def _spans(self, value: object, _: type) -> tuple[tuple[int, dt.time, dt.time | None], ...]:
        spans: list[tuple[int, dt.time, dt.time | None]] = []
        for text in _strings(value, tuple):
            hours = OfficeHours.parse(text)
            spans.extend(
                (day, start, None if end == dt.time.max else end) for day, start, end in hours.spans
            )
        return tuple(spans)

    def _cost_range(self, value: object, _: type) -> CostRange:
        if isinstance(value, dict):
            data = _table(value, ("low", "high"), "an amount range")
            if set(data) != {"low", "high"}:
                raise ValueError("an amount range needs low and high")
            low, high = (_amount(data[k], Decimal) for k in ("low", "high"))
        else:
            low = high = _amount(value, Decimal)
        if high < low:
            raise ValueError(f"high {high} is below low {low}")
        return CostRange(low, high, self.currency)

    def structure(self, data: object, cl: type[T]) -> T:
        """Structure ``data`` into ``cl``; raises cattrs's grouped errors."""
        if not isinstance(data, dict) and attrs.has(cl):
            raise TypeError(f"expected a table, got {_describe(data)}")
        return self.cattrs.structure(data, cl)


def walk(error: BaseException, path: str = "") -> Iterator[tuple[str, str]]:
    """Flatten a cattrs error into ``(path, message)`` pairs.

    ``path`` grows as ``.field`` and ``[index]``; messages come from the hooks.
    """
    if isinstance(error, ForbiddenExtraKeysError):
        known = [a.name for a in attrs.fields(error.cl)] if attrs.has(error.cl) else []
        for key in sorted(error.extra_fields):
            # A field the inventory may not set (a pack's citation) is no hint for itself.
            hint = did_you_mean(key, [name for name in known if name != key])
            if not hint and key in TOP_LEVEL_KEYS:
                hint = (
                    f' — "{key}" is a top-level key: in TOML a key belongs to the table above'
                    " it, so write it before the first [table]"
                )
            yield f"{path}.{key}", f'unknown key "{key}"{hint}'
        return
    if isinstance(error, ClassValidationError | IterableValidationError):
        for inner in error.exceptions:
            yield from walk(inner, path + _step(inner))
        return
    if isinstance(error, KeyError):
        yield path.rsplit(".", 1)[0], f'missing required key "{error.args[0]}"'
        return
    yield path, str(error)


def _step(error: BaseException) -> str:
    for note in getattr(error, "__notes__", ()):
        if isinstance(note, AttributeValidationNote):
            return f".{note.name}"
        if isinstance(note, IterableValidationNote):
            return f"[{note.index}]"
    return ""
