"""Building an :class:`~maintlib.model.inventory.Inventory` from a parsed document:
sections, CSV assets, every problem located."""

from __future__ import annotations

import csv
import functools
import io
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import attrs

from maintlib._util.text import did_you_mean, excerpt
from maintlib.loading.convert import TOP_LEVEL_KEYS, Converter, _describe, converter, walk
from maintlib.loading.parse import _decode, _label, _read_input
from maintlib.loading.validate import Place, _check_groups, validate_parts
from maintlib.model.catalog import Catalog
from maintlib.model.errors import InputError, InputWarning, Problem
from maintlib.model.inventory import (
    Asset,
    Blackout,
    BlackoutCalendar,
    Inventory,
    Organisation,
    PlanningSettings,
    RecurringBlackout,
    RedundancyGroup,
    Window,
)
from maintlib.model.limits import (
    MAX_ASSETS,
    MAX_BLACKOUTS,
    MAX_DURATION,
    MAX_WINDOWS,
    date_problem,
)
from maintlib.model.rates import CostingSettings
from maintlib.model.risk import RiskWeights
from maintlib.model.rules import Rule, RuleSpec, extend
from maintlib.model.sla import Sla, sla_problems
from maintlib.packs.catalog import rule_problem

T = TypeVar("T")


SECTIONS = TOP_LEVEL_KEYS


#: The pack name given to rules written in the inventory.
INVENTORY_PACK = "inventory"


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
    #: Each text a CSV cell held, once: 100,000 rows name a few kinds, vendors and
    #: products, and each cell read is a string of its own.
    texts: dict[str, str] = attrs.Factory(dict)
    converter: Converter = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        self.converter = converter(kinds=frozenset(self.catalog.kinds.values()))

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
            self.converter = converter(
                organisation.currency, frozenset(self.catalog.kinds.values())
            )
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
        if costing and costing.profile not in (*self.catalog.rate_cards, "auto"):
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
        from maintlib.model.catalog import rate_card_for  # the cost stage is only needed here

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
                elif recurring is not None and (problem := date_problem(recurring.start)):
                    self.problem(where + ".start", problem)
                elif recurring is not None and recurring.end - recurring.start >= MAX_DURATION:
                    self.problem(
                        where + ".end",
                        f"a recurring blackout lasts at most {MAX_DURATION.days} days",
                    )
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
        changes_only = data.get("changes_only", True)
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
        from maintlib.loading.blackouts import check_calendar  # the parser is only needed here

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
        if not self._csv_header(header, fields, reference):
            return []
        separator = "," if delimiter == ";" else ";"
        words = _booleans(self.country)
        # Each column's type as text, worked out once rather than per cell.
        types = {column: str(fields[column].type) for column in header if column in fields}
        rows: list[tuple[str, str, object]] = []
        for row in reader:
            if len(rows) >= MAX_ASSETS:
                self.problem(f"row {reader.line_num}", f"more than {MAX_ASSETS:,} rows", reference)
                break
            record = self._csv_row(row, reader.line_num, types, separator, words, reference)
            if record is not None:
                rows.append(record)
        return rows

    def _csv_header(
        self, header: Sequence[str], fields: Mapping[str, attrs.Attribute[Any]], reference: str
    ) -> bool:
        """Report the header's unknown and missing columns; False when one is missing."""
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
        return not missing

    def _csv_row(
        self,
        row: dict[str, str],
        line: int,
        types: Mapping[str, str],
        separator: str,
        words: tuple[set[str], set[str]],
        reference: str,
    ) -> tuple[str, str, object] | None:
        """One row's record ``(reference, where, data)``; None for a row with more
        cells than the header has columns."""
        where = f"row {line}"
        if isinstance(row.get("id"), str) and row["id"]:
            where += f' (id "{excerpt(row["id"])}")'
        if None in row:
            self.problem(where, "more cells than header columns", reference)
            self._unloaded("assets", row, "id")
            return None
        data: dict[str, object] = {}
        for column, cell in row.items():
            if column in types and cell is not None and cell.strip():
                try:
                    value = _csv_value(cell.strip(), types[column], separator, words)
                except ValueError as error:
                    self.problem(f"{where}.{column}", str(error), reference)
                    continue
                texts = self.texts
                if isinstance(value, str):
                    value = texts.setdefault(value, value)
                elif isinstance(value, list):
                    value = [texts.setdefault(part, part) for part in value]
                data[column] = value
        return reference, where, data

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
            rule = extend(base, changes, INVENTORY_PACK)
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
