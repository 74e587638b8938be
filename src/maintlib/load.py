"""The load stage: inventory files (TOML, JSON, CSV) → :class:`~maintlib.inventory.Inventory`.

Loading checks everything and reports *every* problem at once, each with its file
and location, in one :class:`~maintlib.exceptions.InputError`::

    inventory.toml: assets[3] (id "fw01").kind: unknown asset kind "firewal"
        — did you mean "firewall"?

The format is documented field by field in ``docs/inventory.md``.
"""

from __future__ import annotations

import csv
import datetime as dt
import enum
import functools
import io
import json
import os
import re
import tomllib
import warnings
from collections.abc import Collection, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal, TypeVar
from zoneinfo import ZoneInfo

import attrs
import holidays

from maintlib._convert import TOP_LEVEL_KEYS, Converter, _describe, converter, walk
from maintlib.agreement import Sla, sla_problems
from maintlib.catalog import Catalog, build_catalog, did_you_mean, rule_problem
from maintlib.exceptions import InputError, InputWarning, Problem, excerpt
from maintlib.inventory import (
    WEEKDAYS,
    Asset,
    Blackout,
    BlackoutCalendar,
    Inventory,
    OfficeHours,
    Organisation,
    PlanningSettings,
    RecurringBlackout,
    RedundancyGroup,
    Window,
)
from maintlib.limits import (
    MAX_ASSETS,
    MAX_BLACKOUTS,
    MAX_FILE_BYTES,
    MAX_WINDOWS,
    read_input,
)
from maintlib.model import Tier
from maintlib.money import CostRange
from maintlib.rates import CostingSettings, DailyLabour, Fee
from maintlib.recurrence import EPOCH, min_gap, parse_rrule
from maintlib.risk import RiskWeights
from maintlib.rules import Deadlines, Once, Periodic, Released, Rule, RuleSpec
from maintlib.timeutil import format_duration

__all__ = ["Format", "inventory_warnings", "load", "loads", "to_document", "validate"]

Format = Literal["toml", "json"]
T = TypeVar("T")

SECTIONS = TOP_LEVEL_KEYS
#: The file name of problems in an inventory built in code.
CODE = "<inventory>"
#: The pack name given to rules written in the inventory.
INVENTORY_PACK = "inventory"


def load(
    path: str | os.PathLike[str],
    *,
    catalog: Catalog | None = None,
    allow_paths: Sequence[str | os.PathLike[str]] = (),
) -> Inventory:
    """Load and check an inventory file (``.toml`` or ``.json``).

    Args:
        path: The file. Files it refers to (``assets_csv``, blackout ``ics``) are
            read relative to its folder, and must lie inside it.
        catalog: The rule packs' vocabulary to check kinds, calendars, rules and
            profiles against; None builds it from the installed packs.
        allow_paths: More folders the inventory's files may lie in.

    Raises:
        InputError: Anything is wrong; ``problems`` lists every problem found.
    """
    file = Path(path)
    name = os.fspath(path)
    raw = _read_input(file)
    if isinstance(raw, str):
        raise InputError([Problem(name, "", f"cannot read: {raw}")])
    fmt: Format = "json" if file.suffix.lower() == ".json" else "toml"
    return loads(
        raw, format=fmt, name=name, base_dir=file.parent, catalog=catalog, allow_paths=allow_paths
    )


def _read_input(file: Path) -> bytes | str:
    """The bytes of an input file within the limits, or why it cannot be read."""
    try:
        return read_input(file)
    except OSError as error:
        return str(error.strerror or error)
    except ValueError as error:  # not a regular file, too large, a NUL in the name
        return str(error)


def loads(
    data: str | bytes,
    *,
    format: Format = "toml",
    name: str = "<input>",
    base_dir: str | os.PathLike[str] | None = None,
    catalog: Catalog | None = None,
    allow_paths: Sequence[str | os.PathLike[str]] = (),
) -> Inventory:
    """Load and check an inventory from text or bytes.

    Args:
        data: The document (at most :data:`~maintlib.limits.MAX_FILE_BYTES`).
        format: ``"toml"`` or ``"json"``.
        name: The file name used in messages.
        base_dir: Folder for files the document refers to (default: the working
            directory); they must lie inside it.
        catalog: As for :func:`load`.
        allow_paths: As for :func:`load`.

    Raises:
        InputError: Anything is wrong; ``problems`` lists every problem found.
    """
    if len(data) > MAX_FILE_BYTES:
        raise InputError([Problem(name, "", f"larger than {MAX_FILE_BYTES:,} bytes")])
    text = _decode(data, name) if isinstance(data, bytes) else data.removeprefix("\ufeff")
    document = _parse(text, format, name)
    roots = tuple(Path(folder).resolve() for folder in (base_dir or ".", *allow_paths))
    builder = _Builder(name, Path(base_dir or "."), catalog or build_catalog(), roots)
    return builder.build(document)


def _decode(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = data[: error.start]
        line = before.count(b"\n") + 1
        column = error.start - (before.rfind(b"\n") + 1) + 1
        raise InputError(
            [
                Problem(
                    name,
                    f"line {line}, column {column}",
                    f"not valid UTF-8 (byte 0x{data[error.start]:02x}); save the file as UTF-8",
                )
            ]
        ) from None


_TOML_AT = re.compile(
    r"^(?P<message>.*?)\s*\(at (?:line (?P<line>\d+), column (?P<col>\d+)|end of document)\)$"
)


_KEY_VALUE = re.compile(r"\s*(?P<key>[A-Za-z0-9_.-]+)\s*=\s*(?P<value>[^\"'\s#][^#]*?)\s*(?:#.*)?")


def _unquoted_hint(line: str) -> str:
    """For tomllib's "Invalid value": the usual cause, a text written without quotes."""
    match = _KEY_VALUE.fullmatch(line)
    return f' — if it is text, quote it: {match["key"]} = "{match["value"]}"' if match else ""


def _parse(text: str, format: Format, name: str) -> dict[str, Any]:
    try:
        if format == "json":
            document = json.loads(text, parse_float=Decimal, parse_constant=Decimal)
        else:
            document = tomllib.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as error:
        raise InputError(
            [
                Problem(
                    name, f"line {error.lineno}, column {error.colno}", f"invalid JSON: {error.msg}"
                )
            ]
        ) from None
    except RecursionError:
        raise InputError(
            [Problem(name, "", f"invalid {format.upper()}: lists or tables nested too deeply")]
        ) from None
    except tomllib.TOMLDecodeError as error:
        match = _TOML_AT.match(str(error))
        if match and match["line"]:
            where, message = f"line {match['line']}, column {match['col']}", match["message"]
            if message == "Invalid value":
                message += _unquoted_hint(text.splitlines()[int(match["line"]) - 1])
        elif match:
            where, message = f"line {text.count(chr(10)) + 1}", match["message"]
        else:
            where, message = "", str(error)
        raise InputError([Problem(name, where, f"invalid TOML: {message}")]) from None
    except ValueError:  # json refuses integers of more than 4300 digits
        raise InputError(
            [Problem(name, "", "invalid JSON: a number has too many digits")]
        ) from None
    if not isinstance(document, dict):
        raise InputError(
            [Problem(name, "", "the document must be a table/object at the top level")]
        )
    return document


def _label(data: object, index: int, section: str, key: str) -> str:
    where = f"{section}[{index}]"
    if isinstance(data, dict) and isinstance(data.get(key), str):
        where += f' ({key} "{data[key]}")'
    return where


@attrs.define
class _Builder:
    """Builds one inventory, collecting every problem with its location."""

    file: str
    base_dir: Path
    catalog: Catalog
    #: Folders the files the document refers to may lie in.
    roots: tuple[Path, ...]
    problems: list[Problem] = attrs.Factory(list)
    #: The organisation's country, for the words of CSV booleans.
    country: str | None = None
    #: asset id → (file, location) of its first definition.
    asset_places: dict[str, tuple[str, str]] = attrs.Factory(dict)
    #: Section → names written there that did not load (a problem was reported):
    #: references to them are not reported again as unknown.
    unloaded: dict[str, set[str]] = attrs.Factory(lambda: {"windows": set(), "assets": set()})
    converter: Converter = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        self.converter = converter(kinds=frozenset(self.catalog.kinds))

    def problem(self, location: str, message: str, file: str | None = None) -> None:
        self.problems.append(Problem(file or self.file, location, message))

    def structure(
        self, data: object, cl: type[T], location: str, file: str | None = None
    ) -> T | None:
        try:
            return self.converter.structure(data, cl)
        except Exception as error:  # every failure becomes a located problem
            for path, message in walk(error):
                self.problem(location + path, message, file)
            return None

    def build(self, document: dict[str, Any]) -> Inventory:
        for key in sorted(set(document) - set(SECTIONS)):
            hint = did_you_mean(key, SECTIONS)
            if f"{key}s" in _LIST_SECTIONS:
                hint += f" Write [[{key}s]], one table per {key}"
            self.problem(key, f'unknown section "{excerpt(key)}"{hint}')
        organisation = self._organisation(document.get("organisation"))
        if organisation:
            self.converter = converter(organisation.currency, frozenset(self.catalog.kinds))
            self.country = organisation.country
        windows = self._list(document, "windows", "name", Window)
        groups = self._list(document, "redundancy_groups", "name", RedundancyGroup)
        blackouts, calendars = self._blackouts(document.get("blackouts", []))
        assets = self._assets(document)
        rules = self._rules(document.get("rules", []))
        risk = self._optional(document, "risk", RiskWeights)
        planning = self._optional(document, "planning", PlanningSettings)
        costing = self._optional(document, "costing", CostingSettings)
        sla = self._optional(document, "sla", Sla)
        # Without a valid organisation, cross-check against a stand-in so that every
        # other problem is still reported in this run.
        checked = organisation or Organisation(name="", timezone="UTC")
        self.problems.extend(
            validate_parts(
                (checked, Place(self.file, "organisation")),
                windows,
                blackouts,
                assets,
                self.catalog,
                unloaded_windows=self.unloaded["windows"],
                unloaded_assets=self.unloaded["assets"],
            )
        )
        self.problems.extend(_check_groups(groups, assets))
        if costing and costing.profile not in self.catalog.rate_cards:
            self.problem(
                "costing.profile",
                f'unknown profile "{costing.profile}"'
                f"{did_you_mean(costing.profile, self.catalog.rate_cards)}",
            )
        elif costing and organisation:
            self._check_rate_card(organisation, costing)
        if sla is not None:
            names = {window.name for window, _ in windows} | self.unloaded["windows"]
            for location, message in sla_problems(sla, names, self.catalog.vulnerability_policies):
                self.problem(location, message)
        if self.problems or organisation is None:
            raise InputError(self.problems)
        return Inventory(
            organisation=organisation,
            assets=[asset for asset, _ in assets],
            windows=tuple(window for window, _ in windows),
            blackouts=tuple(blackout for blackout, _ in blackouts),
            blackout_calendars=tuple(calendars),
            redundancy_groups=tuple(group for group, _ in groups),
            rules=tuple(rules),
            risk=risk,
            planning=planning or PlanningSettings(),
            costing=costing,
            sla=sla,
        )

    def _check_rate_card(self, organisation: Organisation, costing: CostingSettings) -> None:
        """The rate card ``[costing]`` makes, checked as the cost stage will build it
        (its currency, bands that cover the week)."""
        from maintlib.cost import rate_card_for  # the cost stage is only needed here

        try:
            rate_card_for(Inventory(organisation=organisation, costing=costing), self.catalog)
        except InputError as error:
            for problem in error.problems:
                self.problem(problem.location, problem.message)

    def _organisation(self, data: object) -> Organisation | None:
        if data is None:
            self.problem("organisation", "missing required section [organisation] (name, timezone)")
            return None
        return self.structure(data, Organisation, "organisation")

    def _optional(self, document: Mapping[str, object], key: str, cl: type[T]) -> T | None:
        if key not in document:
            return None
        return self.structure(document[key], cl, key)

    def _unloaded(self, section: str, data: object, name: str) -> None:
        if isinstance(data, Mapping) and isinstance(data.get(name), str):
            self.unloaded.setdefault(section, set()).add(data[name])

    def _items(self, document: Mapping[str, object], key: str) -> list[object]:
        items = document.get(key, [])
        if not isinstance(items, list):
            self.problem(key, f"expected a list of tables ([[{key}]]), got {_describe(items)}")
            return []
        limit = _MAX_ITEMS.get(key)
        if limit is not None and len(items) > limit:
            self.problem(key, f"{len(items):,} {key}; at most {limit:,}")
            return []
        return items

    def _list(
        self, document: Mapping[str, object], key: str, name: str, cl: type[T]
    ) -> list[tuple[T, Place]]:
        result = []
        seen: dict[str, str] = {}
        for index, data in enumerate(self._items(document, key)):
            where = _label(data, index, key, name)
            value = self.structure(data, cl, where)
            if value is None:
                self._unloaded(key, data, name)
                continue
            ident = getattr(value, name)
            if ident in seen:
                self.problem(
                    where + f".{name}",
                    f'duplicate {key.removesuffix("s")} {name} "{ident}" (first at {seen[ident]})',
                )
                continue
            seen[ident] = where
            result.append((value, Place(self.file, where)))
        return result

    def _blackouts(
        self, items: object
    ) -> tuple[list[tuple[Blackout, Place]], list[BlackoutCalendar]]:
        blackouts: list[tuple[Blackout, Place]] = []
        calendars: list[BlackoutCalendar] = []
        for index, data in enumerate(self._items({"blackouts": items}, "blackouts")):
            where = _label(data, index, "blackouts", "name")
            if isinstance(data, dict) and "ics" in data:
                calendar = self._blackout_calendar(data, where)
                if calendar:
                    calendars.append(calendar)
                continue
            if isinstance(data, dict) and "rrule" in data:
                recurring = self.structure(data, RecurringBlackout, where)
                if recurring is not None and recurring.end < recurring.start:
                    self.problem(where + ".end", "ends before it starts")
                elif recurring is not None:
                    calendars.append(recurring.calendar())
                continue
            blackout = self.structure(data, Blackout, where)
            if blackout is not None:
                blackouts.append((blackout, Place(self.file, where)))
        return blackouts, calendars

    def _blackout_calendar(self, data: dict[str, Any], where: str) -> BlackoutCalendar | None:
        keys = ["ics", "reason", "name", "changes_only"]
        for key in sorted(set(data) - set(keys)):
            self.problem(f"{where}.{key}", f'unknown key "{key}"{did_you_mean(key, keys)}')
        changes_only = data.get("changes_only", False)
        if not isinstance(changes_only, bool):
            self.problem(where + ".changes_only", "expected true or false")
            return None
        reference = data["ics"]
        if not isinstance(reference, str):
            self.problem(where + ".ics", "expected a file name (a string)")
            return None
        content = self._read(reference, where + ".ics")
        if content is None:
            return None
        from maintlib.blackouts import check_calendar  # the parser is only needed here

        for problem in check_calendar(content, reference):
            self.problems.append(problem)
        reason = data.get("reason", "")
        return BlackoutCalendar(
            file=reference, content=content, reason=str(reason), changes_only=changes_only
        )

    def _assets(self, document: Mapping[str, object]) -> list[tuple[Asset, Place]]:
        rows: list[tuple[str, str, object]] = [
            (self.file, _label(data, index, "assets", "id"), data)
            for index, data in enumerate(self._items(document, "assets"))
        ]
        csv_files = document.get("assets_csv", [])
        if isinstance(csv_files, str):
            csv_files = [csv_files]
        if not isinstance(csv_files, list) or not all(isinstance(f, str) for f in csv_files):
            self.problem("assets_csv", "expected a file name or a list of file names")
            csv_files = []
        for reference in csv_files:
            rows.extend(self._csv_rows(reference))
        if len(rows) > MAX_ASSETS:
            self.problem("assets", f"more than {MAX_ASSETS:,} assets (with assets_csv)")
            return []
        assets = []
        for file, where, data in rows:
            asset = self.structure(data, Asset, where, file)
            if asset is None:
                self._unloaded("assets", data, "id")
                continue
            if asset.id in self.asset_places:
                first_file, first_where = self.asset_places[asset.id]
                first = first_where if first_file == file else f"{first_file}: {first_where}"
                self.problem(
                    where + ".id", f'duplicate asset id "{asset.id}" (first at {first})', file
                )
                continue
            self.asset_places[asset.id] = (file, where)
            assets.append((asset, Place(file, where)))
        return assets

    def _read(self, reference: str, location: str) -> bytes | None:
        """The bytes of a file the document refers to, or None (a problem is recorded).

        The file must lie inside the inventory's folder (or an allowed one), so an
        uploaded inventory cannot make a service read ``/proc/self/environ``.
        """
        if "\0" in reference:
            self.problem(
                location, f"cannot read {excerpt(repr(reference), 60)}: not a valid file name"
            )
            return None
        path = self.base_dir / reference
        resolved = path.resolve()
        if not any(resolved.is_relative_to(root) for root in self.roots):
            self.problem(
                location,
                f'"{excerpt(reference)}" lies outside the inventory\'s folder; move it there,'
                " or allow its folder (allow_paths=…, --allow-path DIR)",
            )
            return None
        content = _read_input(path)
        if isinstance(content, str):
            self.problem(location, f'cannot read "{excerpt(reference)}": {content}')
            return None
        return content

    def _csv_rows(self, reference: str) -> list[tuple[str, str, object]]:
        content = self._read(reference, "assets_csv")
        if content is None:
            return []
        try:
            text = _decode(content, reference)
        except InputError as error:
            try:  # a spreadsheet's export on Windows: Windows-1252, said aloud
                text = content.decode("cp1252")
            except UnicodeDecodeError:
                self.problems.extend(error.problems)
                return []
            warnings.warn(
                InputWarning(
                    f"{reference}: not UTF-8; read as Windows-1252 (cp1252) — save it as UTF-8"
                    " to be sure every character is what you meant"
                ),
                stacklevel=2,
            )
        delimiter = _delimiter(text.partition("\n")[0])
        reader = csv.DictReader(
            io.StringIO(text, newline=""), delimiter=delimiter, skipinitialspace=True
        )
        try:
            return self._csv_records(reader, reference, delimiter)
        except csv.Error as error:
            # line_num counts the lines before the row that failed
            self.problem(f"row {reader.line_num + 1}", f"unreadable CSV: {error}", reference)
            return []

    def _csv_records(
        self, reader: csv.DictReader[str], reference: str, delimiter: str
    ) -> list[tuple[str, str, object]]:
        fields = _asset_fields()
        header = reader.fieldnames or []
        separator = "," if delimiter == ";" else ";"
        words = _booleans(self.country)
        unknown = [column for column in header if column not in fields]
        for column in unknown[:_MAX_UNKNOWN_COLUMNS]:
            self.problem(
                "row 1 (header)",
                f'unknown column "{excerpt(column)}"{did_you_mean(column, fields)}',
                reference,
            )
        if len(unknown) > _MAX_UNKNOWN_COLUMNS:
            self.problem(
                "row 1 (header)",
                f"and {len(unknown) - _MAX_UNKNOWN_COLUMNS} more unknown columns",
                reference,
            )
        required = [f.name for f in fields.values() if f.default is attrs.NOTHING]
        missing = [name for name in required if header and name not in header]
        for name in missing:
            self.problem("row 1 (header)", f'missing required column "{name}"', reference)
        if missing:
            return []
        # Each column's type as text, worked out once rather than per cell.
        types = {column: str(fields[column].type) for column in header if column in fields}
        rows: list[tuple[str, str, object]] = []
        for row in reader:
            if len(rows) >= MAX_ASSETS:
                self.problem(f"row {reader.line_num}", f"more than {MAX_ASSETS:,} rows", reference)
                break
            line = reader.line_num
            where = f"row {line}"
            if isinstance(row.get("id"), str) and row["id"]:
                where += f' (id "{excerpt(row["id"])}")'
            if None in row:
                self.problem(where, "more cells than header columns", reference)
                self._unloaded("assets", row, "id")
                continue
            data: dict[str, object] = {}
            for column, cell in row.items():
                if column in types and cell is not None and cell.strip():
                    try:
                        data[column] = _csv_value(cell.strip(), types[column], separator, words)
                    except ValueError as error:
                        self.problem(f"{where}.{column}", str(error), reference)
            rows.append((reference, where, data))
        return rows

    def _rules(self, items: object) -> list[RuleSpec]:
        specs = []
        for index, data in enumerate(self._items({"rules": items}, "rules")):
            extends = isinstance(data, dict) and "extends" in data
            where = _label(data, index, "rules", "extends" if extends else "id")
            if isinstance(data, dict) and extends:
                spec = self._extending_rule(data, where)
            else:
                rule = self.structure(data, Rule, where)
                spec = RuleSpec(rule=attrs.evolve(rule, pack=INVENTORY_PACK)) if rule else None
                if spec and spec.rule:
                    self._check_rule(spec.rule, where)
            if spec:
                specs.append(spec)
        return specs

    def _extending_rule(self, data: dict[str, Any], where: str) -> RuleSpec | None:
        key = data["extends"]
        if not isinstance(key, str):
            self.problem(
                where + ".extends", "expected a rule name such as builtin/server-health-check"
            )
            return None
        keys = [rule.key for rule in self.catalog.rules]
        if key not in keys:
            self.problem(where + ".extends", f'unknown rule "{key}"{did_you_mean(key, keys)}')
            return None
        base = self.catalog.rule(key)
        fields = {f.name for f in attrs.fields(Rule)} - {"pack"}
        changes: dict[str, object] = {}
        resolved: dict[str, Any] = {f.name: f.type for f in attrs.fields(attrs.resolve_types(Rule))}
        for name, value in data.items():
            if name == "extends":
                continue
            if name not in fields:
                self.problem(f"{where}.{name}", f'unknown key "{name}"{did_you_mean(name, fields)}')
                continue
            try:
                changes[name] = self.converter.cattrs.structure(value, resolved[name])
            except Exception as error:
                for path, message in walk(error):
                    self.problem(f"{where}.{name}{path}", message)
        try:
            rule = attrs.evolve(base, **changes, pack=INVENTORY_PACK)  # type: ignore[arg-type]
        except (TypeError, ValueError) as error:
            self.problem(where, str(error))
            return None
        self._check_rule(rule, where)
        return RuleSpec(rule=None, extends=key, changes=changes)

    def _check_rule(self, rule: Rule, where: str) -> None:
        problem = rule_problem(
            rule, self.catalog.kinds, self.catalog.activities, self.catalog.calendars
        )
        if problem:
            self.problem(where, problem)


#: Sections written as lists of tables (``[[assets]]``).
_LIST_SECTIONS = ("windows", "blackouts", "assets", "rules")
_MAX_ITEMS = {"assets": MAX_ASSETS, "windows": MAX_WINDOWS, "blackouts": MAX_BLACKOUTS}
#: Unknown CSV columns reported one by one; the rest are counted.
_MAX_UNKNOWN_COLUMNS = 10
#: Words for true and false in CSV cells, besides true/false, yes/no and 1/0: the
#: organisation's language, by its country (a spreadsheet writes WAAR/ONWAAR).
_LOCAL_BOOLEANS = {
    "nl": ({"waar", "ja"}, {"onwaar", "nee"}),
    "de": ({"wahr", "ja"}, {"falsch", "nein"}),
    "fr": ({"vrai", "oui"}, {"faux", "non"}),
}
_LANGUAGES = {"NL": "nl", "BE": "nl", "SR": "nl", "DE": "de", "AT": "de", "CH": "de", "FR": "fr"}
_DELIMITERS = (",", ";", "\t")


@functools.cache
def _asset_fields() -> dict[str, attrs.Attribute[Any]]:
    return {f.name: f for f in attrs.fields(attrs.resolve_types(Asset))}


def _delimiter(header: str) -> str:
    """The column separator of a CSV header: the one of ``,`` ``;`` and tab that
    splits it into the most known column names (then the most columns; ``,`` on
    a tie)."""
    fields = _asset_fields()
    return max(
        _DELIMITERS,
        key=lambda d: (
            sum(c.strip().lstrip("\ufeff") in fields for c in header.split(d)),
            header.count(d),
        ),
    )


def _booleans(country: str | None) -> tuple[set[str], set[str]]:
    true, false = {"true", "yes", "1"}, {"false", "no", "0"}
    local = _LOCAL_BOOLEANS.get(_LANGUAGES.get(country or "", ""))
    if local:
        true, false = true | local[0], false | local[1]
    return true, false


def _csv_value(
    cell: str, text: str, separator: str = ";", words: tuple[set[str], set[str]] | None = None
) -> object:
    """One CSV cell as the value of a field whose type, as text, is ``text``."""
    if text.startswith("tuple"):
        return [part.strip() for part in cell.split(separator) if part.strip()]
    if "bool" in text:
        true, false = words or _booleans(None)
        lowered = cell.lower()
        if lowered in true | false:
            return lowered in true
        local = sorted(true - {"true", "yes", "1"}), sorted(false - {"false", "no", "0"})
        also = f" ({'/'.join(local[0])} or {'/'.join(local[1])})" if local[0] else ""
        raise ValueError(f"expected true or false{also}, got {excerpt(cell)!r}")
    if "int" in text:
        try:
            return int(cell)
        except ValueError:
            raise ValueError(f"expected an integer, got {excerpt(cell)!r}") from None
    return cell


@attrs.frozen
class Place:
    """Where a value was written: file and location."""

    file: str
    where: str

    def problem(self, field: str, message: str) -> Problem:
        """A problem with ``field`` of the value written here."""
        return Problem(self.file, f"{self.where}.{field}" if field else self.where, message)


def _cycle_text(cycle: list[str]) -> str:
    return " -> ".join([*cycle, cycle[0]])


def _dependency_cycles(assets: Mapping[str, Asset]) -> list[list[str]]:
    """Every elementary cycle found by depth-first search, each rotated to start at its
    smallest id, without repeats.

    The search keeps its own stack (a chain of thousands of dependencies must not
    exhaust Python's recursion limit) and visits each asset once.
    """
    cycles: dict[tuple[str, ...], list[str]] = {}
    state: dict[str, int] = {}
    path: list[str] = []
    position: dict[str, int] = {}
    for root in sorted(assets):
        if root in state:
            continue
        state[root] = 1
        path.append(root)
        position[root] = 0
        todo = [iter(assets[root].depends_on)]
        while todo:
            target = next(todo[-1], None)
            if target is None:
                todo.pop()
                node = path.pop()
                del position[node]
                state[node] = 2
                continue
            if target not in assets:
                continue
            if state.get(target) == 1:
                cycle = path[position[target] :]
                start = cycle.index(min(cycle))
                rotated = cycle[start:] + cycle[:start]
                cycles.setdefault(tuple(rotated), rotated)
            elif target not in state:
                state[target] = 1
                position[target] = len(path)
                path.append(target)
                todo.append(iter(assets[target].depends_on))
    return [cycles[key] for key in sorted(cycles)]


def validate_parts(
    organisation: tuple[Organisation, Place],
    windows: Sequence[tuple[Window, Place]],
    blackouts: Sequence[tuple[Blackout, Place]],
    assets: Sequence[tuple[Asset, Place]],
    catalog: Catalog,
    *,
    unloaded_windows: Collection[str] = (),
    unloaded_assets: Collection[str] = (),
) -> list[Problem]:
    """Cross-checks that need more than one value: references, cycles, windows.

    References to ``unloaded_windows`` and ``unloaded_assets`` (written, but with
    problems of their own) are not reported as unknown.
    """
    problems: list[Problem] = []
    by_id = {asset.id: asset for asset, _ in assets}
    places = {asset.id: place for asset, place in assets}
    window_names = {window.name for window, _ in windows}
    known_windows = window_names | set(unloaded_windows)
    known_assets = by_id.keys() | set(unloaded_assets)

    def at(asset_id: str, field: str, message: str) -> None:
        problems.append(places[asset_id].problem(field, message))

    organisation_value, organisation_place = organisation
    problems.extend(_check_organisation(organisation_value, organisation_place))
    for window, place in windows:
        problems.extend(_check_window(window, place))
    for blackout, place in blackouts:
        try:
            start, end = blackout.interval(organisation_value.timezone)
        except OverflowError:
            problems.append(place.problem("end", "must be before 9999-12-31"))
            continue
        if end <= start:
            problems.append(place.problem("end", "ends before it starts"))
    for asset in by_id.values():
        if asset.kind not in catalog.kinds:
            at(
                asset.id,
                "kind",
                f'unknown asset kind "{asset.kind}"{did_you_mean(asset.kind, catalog.kinds)}',
            )
        if asset.window is not None and asset.window not in known_windows:
            at(
                asset.id,
                "window",
                f'unknown window "{asset.window}"{did_you_mean(asset.window, window_names)}',
            )

        # The ids to suggest are built only for a message: doing it for every asset
        # made validation quadratic in the inventory.
        def suggest(target: str, own: str = asset.id) -> str:
            return did_you_mean(target, [i for i in by_id if i != own])

        for field, itself in (
            ("hosted_on", "an asset cannot be hosted on itself"),
            ("runs_on", "an asset cannot run on itself"),
        ):
            target = getattr(asset, field)
            if target == asset.id:
                at(asset.id, field, itself)
            elif target is not None and target not in known_assets:
                at(asset.id, field, f'unknown asset "{target}"{suggest(target)}')
        for target in asset.depends_on:
            if target == asset.id:
                at(asset.id, "depends_on", "an asset cannot depend on itself")
            elif target not in known_assets:
                at(
                    asset.id,
                    "depends_on",
                    f'unknown asset "{target}"{suggest(target)}',
                )
    for cycle in _dependency_cycles(by_id):
        if len(cycle) > 1:
            at(cycle[0], "depends_on", f"dependency cycle: {_cycle_text(cycle)}")
    for loop in _hosting_loops(by_id):
        at(loop[0], "hosted_on", f"hosting loop: {_cycle_text(loop)}")
    return problems


def _check_groups(
    groups: Sequence[tuple[RedundancyGroup, Place]], assets: Sequence[tuple[Asset, Place]]
) -> list[Problem]:
    """Each described redundancy group has members, and its primary is one of them."""
    members: dict[str, list[str]] = {}
    for asset, _ in assets:
        if asset.redundancy_group:
            members.setdefault(asset.redundancy_group, []).append(asset.id)
    problems = []
    for group, place in groups:
        if group.name not in members:
            problems.append(
                place.problem(
                    "name",
                    f'no asset is in redundancy group "{group.name}"'
                    f"{did_you_mean(group.name, members)}",
                )
            )
        elif group.primary is not None and group.primary not in members[group.name]:
            problems.append(
                place.problem(
                    "primary",
                    f'"{group.primary}" is not a member of "{group.name}"'
                    f" (members: {', '.join(sorted(members[group.name]))})",
                )
            )
    return problems


def _hosting_loops(assets: Mapping[str, Asset]) -> list[list[str]]:
    """Each loop of ``hosted_on`` references between two or more assets once,
    starting at its smallest id.

    Each asset hosts on at most one other, so one walk from every asset not yet
    seen finds every loop, and no asset is walked twice.
    """
    loops: list[list[str]] = []
    done: set[str] = set()
    for asset_id in sorted(assets):
        chain: dict[str, int] = {}
        current: str | None = asset_id
        while current is not None and current in assets and current not in done:
            if current in chain:
                loop = list(chain)[chain[current] :]
                start = loop.index(min(loop))
                if len(loop) > 1:  # hosted on itself is a problem of its own
                    loops.append(loop[start:] + loop[:start])
                break
            chain[current] = len(chain)
            current = assets[current].hosted_on
        done.update(chain)
    return sorted(loops)


def _check_organisation(organisation: Organisation, place: Place) -> list[Problem]:
    if organisation.country is None:
        if organisation.subdivision is not None:
            return [place.problem("subdivision", "a subdivision needs a country")]
        return []
    supported = holidays.list_supported_countries()
    if organisation.country not in supported:
        return [
            place.problem(
                "country",
                f'no public-holiday calendar for country "{organisation.country}"'
                f"{did_you_mean(organisation.country, supported)}"
                " (use ISO 3166-1 alpha-2, e.g. NL)",
            )
        ]
    subdivisions = supported[organisation.country]
    if organisation.subdivision is not None and organisation.subdivision not in subdivisions:
        choices = ", ".join(subdivisions) or "none"
        return [
            place.problem(
                "subdivision",
                f'unknown subdivision "{organisation.subdivision}" of {organisation.country}'
                f" (known: {choices})",
            )
        ]
    return []


def _check_window(window: Window, place: Place) -> list[Problem]:
    try:
        parse_rrule(window.rrule, EPOCH)
    except ValueError as error:
        return [place.problem("rrule", str(error))]
    start = dt.datetime.combine(EPOCH.date(), window.start)
    gap = min_gap(window.rrule, start)
    if gap is not None and window.duration > gap:
        return [
            place.problem(
                "duration",
                f"the window lasts {format_duration(window.duration)}, longer than the time"
                f" between its occurrences ({format_duration(gap)}); occurrences would overlap",
            )
        ]
    return []


def validate(inventory: Inventory, catalog: Catalog) -> list[Problem]:
    """Cross-check an inventory built in code (files get this from :func:`load`).

    The same checks as a file gets once its values are built: duplicate asset ids
    and window names, references (kinds, windows, hosts, dependencies), cycles,
    windows, blackouts and blackout calendars, the organisation's holiday region,
    inventory rules and the costing profile. :func:`maintlib.validate` raises these as an
    :class:`~maintlib.exceptions.InputError`.

    Returns:
        Every problem, located by key path in the inventory's sequences
        (``assets[2] (id "fw01").hosted_on``); empty when the inventory is sound.
    """

    def located(section: str, values: Sequence[T], key: str) -> list[tuple[T, Place]]:
        return [
            (value, Place(CODE, f'{section}[{index}] ({key} "{getattr(value, key)}")'))
            for index, value in enumerate(values)
        ]

    assets = located("assets", inventory.assets, "id")
    windows = located("windows", inventory.windows, "name")
    problems = [
        *_duplicates(assets, "id", "asset id"),
        *_duplicates(windows, "name", "window name"),
    ]
    problems += validate_parts(
        (inventory.organisation, Place(CODE, "organisation")),
        windows,
        located("blackouts", inventory.blackouts, "name"),
        assets,
        catalog,
    )
    for index, spec in enumerate(inventory.rules):
        where = f"rules[{index}]"
        if spec.rule is not None:
            problem = rule_problem(spec.rule, catalog.kinds, catalog.activities, catalog.calendars)
            if problem:
                problems.append(Problem(CODE, where, problem))
        elif spec.extends not in {rule.key for rule in catalog.rules}:
            keys = [rule.key for rule in catalog.rules]
            problems.append(
                Problem(
                    CODE,
                    where + ".extends",
                    f'unknown rule "{spec.extends}"{did_you_mean(str(spec.extends), keys)}',
                )
            )
    from maintlib.blackouts import check_calendar  # the parser is only needed here

    for calendar in inventory.blackout_calendars:
        problems += check_calendar(calendar.content, calendar.file)
    if inventory.sla is not None:
        problems += [
            Problem(CODE, location, message)
            for location, message in sla_problems(
                inventory.sla,
                {window.name for window in inventory.windows},
                catalog.vulnerability_policies,
            )
        ]
    costing = inventory.costing
    if costing is not None and costing.profile not in catalog.rate_cards:
        problems.append(
            Problem(
                CODE,
                "costing.profile",
                f'unknown profile "{costing.profile}"'
                f"{did_you_mean(costing.profile, catalog.rate_cards)}",
            )
        )
    return problems


def _duplicates(values: Sequence[tuple[T, Place]], key: str, what: str) -> list[Problem]:
    first: dict[object, str] = {}
    problems = []
    for value, place in values:
        ident = getattr(value, key)
        if ident in first:
            problems.append(
                place.problem(key, f'duplicate {what} "{ident}" (first at {first[ident]})')
            )
        else:
            first[ident] = place.where
    return problems


def inventory_warnings(inventory: Inventory, catalog: Catalog) -> list[str]:
    """Things that are allowed but probably not meant in the windows, for ``maintlib check``.

    ``maintlib.checks.check_warnings`` gives these and the rest, with codes and locations.
    """
    from maintlib.checks import window_warnings

    return [warning.message for warning in window_warnings(inventory, catalog)]


def _plain(value: object, json_safe: bool) -> object:
    """One value in the form the inventory format writes it."""
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
            {"changes_only": True} if value.changes_only else {}
        )
    if isinstance(value, tuple | list):
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
    if attrs.has(type(value)):
        return _table_of(value, json_safe)
    raise TypeError(f"cannot write {type(value).__name__}")


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
