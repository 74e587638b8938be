"""The loader (``maintlib.load``) and its strict conversions (``maintlib.loading.convert``).

Messages are asserted exactly: they are the user interface of a bad inventory. The
corpus of malformed files is in ``test_load_corpus.py``; the properties (round trips,
robustness against arbitrary documents) are at the end of this module.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest
import tomli_w
from hypothesis import event, given
from hypothesis import strategies as st

from loading import ORGANISATION, document, dump, inventory_catalog, load_source, problems
from maintlib.loading.build import INVENTORY_PACK
from maintlib.loading.convert import TOP_LEVEL_KEYS
from maintlib.loading.document import to_document
from maintlib.loading.read import load, loads
from maintlib.loading.validate import validate
from maintlib.model.cve import Vulnerability
from maintlib.model.errors import InputError, Problem
from maintlib.model.inventory import (
    Asset,
    Blackout,
    BlackoutCalendar,
    Inventory,
    OfficeHours,
    Organisation,
    PlanningSettings,
    Window,
)
from maintlib.model.money import CostRange
from maintlib.model.rates import CostingSettings, DailyLabour, Fee, TimeBand
from maintlib.model.risk import RiskWeights
from maintlib.model.rules import Deadlines, Once, Periodic, Released, Rule, RuleSpec, Selector
from maintlib.model.sla import Contact, Sla
from maintlib.model.vocabulary import Criticality, Environment, Exposure, Mode, Tier, UpdateClass
from maintlib.planning.checks import inventory_warnings
from strategies import (
    CLOSURES,
    CLOSURES_FILE,
    Vocabulary,
    documents,
    json_scalars,
    mutated_documents,
    toml_scalars,
    valid_inventories,
)

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
NOT_AN_ID = (
    "is not a valid id: use lower-case letters, digits, '.', '_' and '-', starting with a"
    " letter or digit"
)
CATALOG = inventory_catalog()
NAMES = Vocabulary.of(CATALOG)

#: Every section, with a value for most fields.
FULL = """\
assets_csv = "assets.csv"

[organisation]
name = "Van Dijk B.V."
timezone = "Europe/Amsterdam"
country = "DE"
subdivision = "BY"
currency = "EUR"
users = 25
office_hours = "Mon-Thu 07:30-16:30; Fri 07:30-12:00"

[[windows]]
name = "saturday-night"
rrule = "FREQ=WEEKLY;BYDAY=SA"
start = 22:00:00
duration = "PT6H"
capacity_hours = 6.5
timezone = "Europe/London"
applies_to = ["hypervisor", "database"]

[[blackouts]]
name = "year-end"
start = 2027-12-24
end = 2028-01-01
reason = "Year-end closing"

[[blackouts]]
name = "launch"
start = "2027-10-04T00:00:00+02:00"
end = 2027-10-06T00:00:00Z
changes_only = true

[[blackouts]]
ics = "closures.ics"
reason = "Office closed"

[[assets]]
id = "hv01"
name = "Hyper-V host"
kind = "hypervisor"
criticality = "critical"
exposure = "isolated"
environment = "acceptance"
window = "saturday-night"
redundancy_group = "cluster"
failures_last_year = 2
value = 18000.50
tags = ["database"]
vulnerabilities = [
  "CVE-2024-21762",
  "CVE-2024-3400 CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
  { id = "CVE-2023-4966", cvss = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N" },
]

[[assets]]
id = "vm01"
kind = "virtual_server"
hosted_on = "hv01"
depends_on = ["hv01"]
auto_update = false

[[rules]]
id = "weekly-firewall-check"
activity = "health-check"
selector = { kinds = ["firewall"], vendor = "Fortinet*" }
cadence = { rrule = "FREQ=WEEKLY" }
duration = "PT30M"
mode = "office_hours"
deadlines = 3

[[rules]]
extends = "builtin/server-health-check"
duration = "PT1H"
cadence_by_tier = { P1 = { rrule = "FREQ=WEEKLY" } }

[risk]
exposure = 25
p1 = 60

[planning]
soak_days = 1
verification = "PT30M"

[costing]
profile = "production"
hourly = { low = 90, high = 150 }
callout = 45
"""

FULL_CSV = """\
id,name,kind,criticality,auto_update,depends_on,tags,vulnerabilities,failures_last_year,value
ws01,Laptop Anna,laptop,low,yes,hv01;vm01,workplace; sales,CVE-2024-1086,0,
ws02,,workstation,,0,,,,3,1200.50
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A folder holding :data:`FULL` as ``inventory.toml``, its CSV and its .ics."""
    (tmp_path / "inventory.toml").write_text(FULL, encoding="utf-8")
    (tmp_path / "assets.csv").write_text(FULL_CSV, encoding="utf-8")
    (tmp_path / "closures.ics").write_bytes(CLOSURES)
    return tmp_path


@pytest.fixture(scope="module")
def closures_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with :data:`~strategies.CLOSURES` in it, for documents that refer to it."""
    path = tmp_path_factory.mktemp("closures")
    (path / CLOSURES_FILE).write_bytes(CLOSURES)
    return path


def asset_doc(asset_id: str = "a", kind: str = "firewall", **fields: Any) -> dict[str, Any]:
    return {"id": asset_id, "kind": kind, **fields}


def window_doc(name: str = "w", **fields: Any) -> dict[str, Any]:
    return {"name": name, "rrule": "FREQ=WEEKLY;BYDAY=SA", "start": "22:00"} | {
        "duration": "PT4H",
        **fields,
    }


class TestToml:
    def test_every_section(self, folder: Path) -> None:
        inventory = load(folder / "inventory.toml", catalog=CATALOG)
        assert inventory.organisation == Organisation(
            name="Van Dijk B.V.",
            timezone=AMSTERDAM,
            country="DE",
            subdivision="BY",
            currency="EUR",
            users=25,
            office_hours=OfficeHours.parse("Mon-Thu 07:30-16:30; Fri 07:30-12:00"),
        )
        assert inventory.windows == (
            Window(
                name="saturday-night",
                rrule="FREQ=WEEKLY;BYDAY=SA",
                start=dt.time(22),
                duration=dt.timedelta(hours=6),
                capacity_hours=Decimal("6.5"),
                timezone=ZoneInfo("Europe/London"),
                applies_to=("hypervisor", "database"),
            ),
        )
        assert inventory.blackouts == (
            Blackout("year-end", dt.date(2027, 12, 24), dt.date(2028, 1, 1), "Year-end closing"),
            Blackout(
                "launch",
                dt.datetime(2027, 10, 4, tzinfo=dt.timezone(dt.timedelta(hours=2))),
                dt.datetime(2027, 10, 6, tzinfo=dt.UTC),
                changes_only=True,
            ),
        )
        assert inventory.blackout_calendars == (
            BlackoutCalendar("closures.ics", CLOSURES, "Office closed"),
        )
        assert inventory.risk == RiskWeights(exposure=25, p1=60)
        assert inventory.planning == PlanningSettings(1, dt.timedelta(minutes=30))
        assert inventory.costing == CostingSettings(
            profile="production",
            hourly=CostRange(Decimal(90), Decimal(150), "EUR"),
            callout=CostRange(Decimal(45), Decimal(45), "EUR"),
        )

    def test_assets(self, folder: Path) -> None:
        inventory = load(folder / "inventory.toml", catalog=CATALOG)
        assert [a.id for a in inventory.assets] == ["hv01", "vm01", "ws01", "ws02"]
        assert inventory.asset("hv01") == Asset(
            id="hv01",
            name="Hyper-V host",
            kind="hypervisor",
            criticality=Criticality.CRITICAL,
            exposure=Exposure.ISOLATED,
            environment=Environment.ACCEPTANCE,
            window="saturday-night",
            redundancy_group="cluster",
            failures_last_year=2,
            value=Decimal("18000.50"),
            tags=("database",),
            vulnerabilities=(
                Vulnerability("CVE-2024-21762"),
                Vulnerability("CVE-2024-3400", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
                Vulnerability("CVE-2023-4966", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"),
            ),
        )
        assert inventory.asset("vm01") == Asset(
            id="vm01",
            kind="virtual_server",
            hosted_on="hv01",
            depends_on=("hv01",),
            auto_update=False,
        )
        assert inventory.asset("hv01").vulnerabilities[1].base_score == Decimal("9.8")

    def test_rules(self, folder: Path) -> None:
        inventory = load(folder / "inventory.toml", catalog=CATALOG)
        assert inventory.rules == (
            RuleSpec(
                rule=Rule(
                    id="weekly-firewall-check",
                    activity="health-check",
                    selector=Selector(kinds=("firewall",), vendor="Fortinet*"),
                    cadence=Periodic("FREQ=WEEKLY"),
                    duration=dt.timedelta(minutes=30),
                    mode=Mode.OFFICE_HOURS,
                    deadlines=Deadlines.same(3),
                    pack=INVENTORY_PACK,
                )
            ),
            RuleSpec(
                extends="builtin/server-health-check",
                changes={
                    "duration": dt.timedelta(hours=1),
                    "cadence_by_tier": ((Tier.P1, Periodic("FREQ=WEEKLY")),),
                },
            ),
        )

    def test_strings_for_dates_times_and_numbers(self) -> None:
        inventory = load_source(
            document(
                windows=[window_doc(start="06:30:15", capacity_hours="2.5")],
                blackouts=[{"name": "b", "start": "2027-01-01", "end": "2027-01-02"}],
            )
        )
        assert inventory.windows[0].start == dt.time(6, 30, 15)
        assert inventory.windows[0].capacity_hours == Decimal("2.5")
        assert inventory.blackouts[0].end == dt.date(2027, 1, 2)

    def test_defaults(self) -> None:
        inventory = load_source(document(assets=[asset_doc()]))
        assert inventory.organisation == Organisation("Test B.V.", AMSTERDAM)
        assert str(inventory.organisation.office_hours) == "Mon-Fri 08:00-18:00"
        assert inventory.assets == (Asset("a", "firewall"),)
        assert inventory.planning == PlanningSettings()
        assert (inventory.risk, inventory.costing, inventory.rules) == (None, None, ())

    def test_integral_decimals_are_integers(self) -> None:
        inventory = load_source('[organisation]\nname = "X"\ntimezone = "UTC"\nusers = 2.0\n')
        assert inventory.organisation.users == 2


class TestJson:
    def test_same_as_toml(self, folder: Path) -> None:
        from_toml = load(folder / "inventory.toml", catalog=CATALOG)
        text = json.dumps(to_document(from_toml, json_safe=True))
        (folder / "inventory.json").write_text(text, encoding="utf-8")
        # The CSV assets are now in the document itself: no assets_csv.
        assert load(folder / "inventory.json", catalog=CATALOG) == from_toml

    def test_numbers_are_exact(self) -> None:
        text = '{"organisation": {"name": "X", "timezone": "UTC"}, '
        text += '"assets": [{"id": "a", "kind": "firewall", "value": 0.1}]}'
        assert load_source(text, "json").assets[0].value == Decimal("0.1")

    def test_nan_is_not_a_number(self) -> None:
        text = '{"organisation": {"name": "X", "timezone": "UTC"}, "risk": {"p1": NaN}}'
        assert problems(text, "json") == [
            "inventory.json: risk.p1: expected a finite number, got NaN"
        ]

    def test_null_where_a_value_is_needed(self) -> None:
        """Found writing the docs: the message said "got NoneType"."""
        doc = {"organisation": ORGANISATION | {"name": None}}
        assert problems(doc, "json") == [
            "inventory.json: organisation.name: expected a string, got null"
        ]

    def test_null_is_the_default(self) -> None:
        doc = document(assets=[asset_doc(window=None, value=None, auto_update=None)])
        assert load_source(doc, "json").assets == (Asset("a", "firewall"),)


class TestCsv:
    def test_merged_with_toml_assets(self, folder: Path) -> None:
        inventory = load(folder / "inventory.toml", catalog=CATALOG)
        assert inventory.asset("ws01") == Asset(
            id="ws01",
            name="Laptop Anna",
            kind="laptop",
            criticality=Criticality.LOW,
            auto_update=True,
            depends_on=("hv01", "vm01"),
            tags=("workplace", "sales"),
            vulnerabilities=(Vulnerability("CVE-2024-1086"),),
        )
        assert inventory.asset("ws02") == Asset(
            id="ws02",
            kind="workstation",
            auto_update=False,
            failures_last_year=3,
            value=Decimal("1200.50"),
        )

    def test_several_files(self, tmp_path: Path) -> None:
        (tmp_path / "a.csv").write_text("id,kind\nx1,laptop\n", encoding="utf-8")
        (tmp_path / "b.csv").write_text("kind,id\nswitch,x2\n", encoding="utf-8")
        doc = document(assets_csv=["a.csv", "b.csv"])
        assert load_source(doc, base_dir=tmp_path).assets == (
            Asset("x1", "laptop"),
            Asset("x2", "switch"),
        )

    def test_rows_alike_share_their_texts(self, tmp_path: Path) -> None:
        # 100,000 rows name a few kinds and products: each text is kept once.
        (tmp_path / "a.csv").write_text(
            "id,kind,vendor,product,tags\n"
            "x1,laptop,Dell,Latitude 5440,office;finance\n"
            "x2,laptop,Dell,Latitude 5440,office\n",
            encoding="utf-8",
        )
        first, second = load_source(document(assets_csv="a.csv"), base_dir=tmp_path).assets
        assert (first.vendor, first.product, first.tags) == (
            "Dell",
            "Latitude 5440",
            ("office", "finance"),
        )
        assert second.tags == ("office",)
        assert first.vendor is second.vendor
        assert first.product is second.product
        assert first.tags[0] is second.tags[0]

    @pytest.mark.parametrize(
        ("cells", "expected"),
        [
            ("true", True),
            ("Yes", True),
            ("1", True),
            ("FALSE", False),
            ("no", False),
            ("0", False),
            ("", None),
        ],
    )
    def test_booleans(self, tmp_path: Path, cells: str, expected: bool | None) -> None:
        (tmp_path / "a.csv").write_text(f"id,kind,auto_update\nx,laptop,{cells}\n")
        inventory = load_source(document(assets_csv="a.csv"), base_dir=tmp_path)
        assert inventory.assets[0].auto_update is expected

    def test_duplicate_across_files(self, tmp_path: Path) -> None:
        (tmp_path / "a.csv").write_text("id,kind\nx1,laptop\nx1,laptop\n", encoding="utf-8")
        doc = document(assets_csv="a.csv", assets=[asset_doc("x1")])
        assert problems(doc, base_dir=tmp_path) == [
            'a.csv: row 2 (id "x1").id: duplicate asset id "x1"'
            ' (first at inventory.toml: assets[0] (id "x1"))',
            'a.csv: row 3 (id "x1").id: duplicate asset id "x1"'
            ' (first at inventory.toml: assets[0] (id "x1"))',
        ]

    def test_cells(self, tmp_path: Path) -> None:
        (tmp_path / "a.csv").write_text(
            "id,kind,auto_update,failures_last_year,value\n"
            "x1,laptop,maybe,1.5,-3\n"
            "x2,laptop,true,1,1,extra\n",
            encoding="utf-8",
        )
        assert problems(document(assets_csv="a.csv"), base_dir=tmp_path) == [
            """a.csv: row 2 (id "x1").auto_update: expected true or false, got 'maybe'""",
            """a.csv: row 2 (id "x1").failures_last_year: expected an integer, got '1.5'""",
            'a.csv: row 3 (id "x2"): more cells than header columns',
            'a.csv: row 2 (id "x1").value: must not be negative, got -3',
        ]

    def test_header(self, tmp_path: Path) -> None:
        (tmp_path / "a.csv").write_text("name,knd\nx,laptop\n", encoding="utf-8")
        (tmp_path / "b.csv").write_text("id;kind;tags\nx;laptop;a\n", encoding="utf-8")
        assert problems(document(assets_csv=["a.csv", "b.csv"]), base_dir=tmp_path) == [
            'a.csv: row 1 (header): unknown column "knd" — did you mean "kind"?',
            'a.csv: row 1 (header): missing required column "id"',
            'a.csv: row 1 (header): missing required column "kind"',
        ]

    def test_blanks_after_commas(self, tmp_path: Path) -> None:
        """Found writing the docs: "id, name, kind" made three unknown columns."""
        (tmp_path / "a.csv").write_text("id, name, kind\nx1, Laptop 1, laptop\n")
        inventory = load_source(document(assets_csv="a.csv"), base_dir=tmp_path)
        assert inventory.assets == (Asset("x1", "laptop", name="Laptop 1"),)

    def test_empty_file_has_no_assets(self, tmp_path: Path) -> None:
        (tmp_path / "a.csv").write_text("", encoding="utf-8")
        assert load_source(document(assets_csv="a.csv"), base_dir=tmp_path).assets == ()

    def test_unreadable(self, tmp_path: Path) -> None:
        """Found by hand: an over-long cell raised csv.Error out of load()."""
        (tmp_path / "a.csv").write_text("id,kind\nx,laptop\ny," + "a" * 200_000 + "\n")
        assert problems(document(assets_csv="a.csv"), base_dir=tmp_path) == [
            "a.csv: row 3: unreadable CSV: field larger than field limit (131072)"
        ]

    def test_neither_utf8_nor_cp1252(self, tmp_path: Path) -> None:
        (tmp_path / "a.csv").write_bytes(b"id,kind,name\nx,laptop,Caf\x81\n")
        assert problems(document(assets_csv="a.csv"), base_dir=tmp_path) == [
            "a.csv: line 2, column 13: not valid UTF-8 (byte 0x81); save the file as UTF-8"
        ]

    @pytest.mark.parametrize(
        ("reference", "expected"),
        [
            ("missing.csv", 'assets_csv: cannot read "missing.csv": No such file or directory'),
            ("a\0.csv", "assets_csv: cannot read 'a\\x00.csv': not a valid file name"),
            (5, "assets_csv: expected a file name or a list of file names"),
            (["a.csv", 5], "assets_csv: expected a file name or a list of file names"),
        ],
    )
    def test_bad_reference(self, tmp_path: Path, reference: object, expected: str) -> None:
        """The NUL case was found by hand: it raised ValueError out of load()."""
        assert problems(document(assets_csv=reference), base_dir=tmp_path) == [
            f"inventory.toml: {expected}"
        ]


class TestRelativePaths:
    def test_relative_to_the_inventory_file(
        self,
        folder: Path,
        monkeypatch: pytest.MonkeyPatch,
        tmp_path_factory: pytest.TempPathFactory,
    ) -> None:
        monkeypatch.chdir(tmp_path_factory.mktemp("elsewhere"))
        inventory = load(folder / "inventory.toml", catalog=CATALOG)
        assert "ws01" in inventory
        assert inventory.blackout_calendars[0].file == "closures.ics"

    def test_loads_reads_relative_to_the_working_directory(
        self, folder: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.chdir(folder)
        assert "ws02" in loads(FULL, catalog=CATALOG)

    def test_missing_inventory_file(self, tmp_path: Path) -> None:
        with pytest.raises(InputError) as raised:
            load(tmp_path / "nope.toml", catalog=CATALOG)
        assert raised.value.problems == (
            Problem(str(tmp_path / "nope.toml"), "", "cannot read: No such file or directory"),
        )

    def test_json_by_suffix(self, tmp_path: Path) -> None:
        (tmp_path / "inv.JSON").write_text(json.dumps(document()), encoding="utf-8")
        assert load(tmp_path / "inv.JSON", catalog=CATALOG).organisation.name == "Test B.V."


class TestParse:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            (
                "[organisation]\ntimezone = Europe/Amsterdam  # the zone\n",
                "line 2, column 12: invalid TOML: Invalid value — if it is text, quote it:"
                ' timezone = "Europe/Amsterdam"',
            ),
            ("a = [\n  b,\n]\n", "line 2, column 3: invalid TOML: Invalid value"),
            (
                '[organisation]\nname = "X\n',
                "line 2, column 10: invalid TOML: Illegal character '\\n'",
            ),
            ("x = [1,\n", "line 2: invalid TOML: Invalid value"),
            ("[a]\n[a]\n", "line 2, column 3: invalid TOML: Cannot declare ('a',) twice"),
        ],
    )
    def test_toml_syntax(self, text: str, expected: str) -> None:
        assert problems(text) == [f"inventory.toml: {expected}"]

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            (
                '{"organisation": {},}',
                "line 1, column 21: invalid JSON: Expecting property name"
                " enclosed in double quotes",
            ),
            ("", "line 1, column 1: invalid JSON: Expecting value"),
            ("[1]", "the document must be a table/object at the top level"),
            ("1" * 5000, "line 1, column 1: invalid JSON: a number longer than 100 characters"),
        ],
    )
    def test_json_syntax(self, text: str, expected: str) -> None:
        """The too-many-digits case was found by hand: json's ValueError escaped loads()."""
        assert problems(text, "json") == [f"inventory.json: {expected}"]

    @pytest.mark.parametrize("format", ["toml", "json"])
    def test_nested_too_deeply(self, format: Any) -> None:
        """Found by hand: RecursionError escaped loads()."""
        text = "x = " + "[" * 5000 if format == "toml" else "[" * 100_000
        assert problems(text, format) == [
            "inventory.toml: invalid TOML: lists or tables nested too deeply"
            if format == "toml"
            else "inventory.json: invalid JSON: arrays and objects nested 100,000 deep (at most 64)"
        ]

    def test_not_utf8(self) -> None:
        data = '[organisation]\nname = "Bäckerei"\n'.encode("latin-1")
        assert problems(data) == [
            "inventory.toml: line 2, column 10: not valid UTF-8 (byte 0xe4); save the file as UTF-8"
        ]

    @pytest.mark.parametrize("as_bytes", [True, False])
    def test_byte_order_mark(self, as_bytes: bool) -> None:
        text = "\ufeff" + dump(document())
        data = text.encode() if as_bytes else text
        assert load_source(data).organisation.name == "Test B.V."


class TestConvert:
    """The strict cattrs hooks: types, enums, identifiers, lists and where a problem is."""

    @pytest.mark.parametrize(
        ("fields", "expected"),
        [
            ({"users": "25"}, "organisation.users: expected an integer, got '25' (a string)"),
            ({"users": 1.5}, "organisation.users: expected an integer, got 1.5 (a number)"),
            ({"users": True}, "organisation.users: expected an integer, got true (a boolean)"),
            ({"users": -1}, "organisation.users: must not be negative, got -1"),
            ({"name": 5}, "organisation.name: expected a string, got 5 (a number)"),
            ({"name": ["X"]}, "organisation.name: expected a string, got a list"),
            (
                {"name": dt.date(2027, 1, 1)},
                "organisation.name: expected a string, got 2027-01-01 (a date)",
            ),
            (
                {"currency": "EURO"},
                'organisation.currency: unknown ISO 4217 currency "EURO" — did you mean "EUR"?',
            ),
            (
                {"timezone": "Europe/Amsterdm"},
                'organisation.timezone: unknown time zone "Europe/Amsterdm" — did you mean'
                ' "Europe/Amsterdam"?',
            ),
            (
                {"timezone": "CET+1"},
                'organisation.timezone: unknown time zone "CET+1" — did you mean "CET"?',
            ),
            (
                {"colour": "red"},
                'organisation.colour: unknown key "colour" — did you mean "country"?',
            ),
        ],
    )
    def test_organisation(self, fields: dict[str, Any], expected: str) -> None:
        assert problems({"organisation": ORGANISATION | fields}) == [f"inventory.toml: {expected}"]

    def test_integers_beyond_64_bits(self) -> None:
        """TOML integers are 64-bit; JSON's are held to the same range."""
        doc = {"organisation": ORGANISATION | {"users": 2**63}}
        assert problems(doc, "json") == [
            "inventory.json: organisation.users: 9223372036854775808 is too large for an integer"
        ]

    @pytest.mark.parametrize(
        ("fields", "expected"),
        [
            (
                {"criticality": "hgh"},
                '.criticality: unknown criticality "hgh" — did you mean "high"?',
            ),
            (
                {"exposure": "public"},
                '.exposure: unknown exposure "public" — expected one of "isolated", "internal",'
                ' "internet"',
            ),
            ({"kind": "firewal"}, '.kind: unknown asset kind "firewal" — did you mean "firewall"?'),
            (
                {"id": "FW 1"},
                f".id: 'FW 1' {NOT_AN_ID}",
            ),
            (
                {"tags": "dmz"},
                """.tags: expected a list of strings, got 'dmz' (a string) — write ["dmz"]""",
            ),
            ({"tags": ["a", 1]}, ".tags[1]: expected a string, got 1 (a number)"),
            (
                {"depends_on": ["b", "B c"]},
                f".depends_on[1]: 'B c' {NOT_AN_ID}",
            ),
            ({"auto_update": "yes"}, ".auto_update: expected true or false, got 'yes' (a string)"),
            ({"value": True}, ".value: expected a number, got true (a boolean)"),
            ({"value": "lots"}, ".value: 'lots' is not a number"),
            (
                {"failures_last_year": 2.5},
                ".failures_last_year: expected an integer, got 2.5 (a number)",
            ),
            (
                {"vulnerabilities": ["CVE-24-1"]},
                ".vulnerabilities[0]: 'CVE-24-1' is not a CVE id (CVE-2024-3400)",
            ),
            (
                {"vulnerabilities": ["CVE-٢٠٢٤-3400"]},
                ".vulnerabilities[0]: 'CVE-٢٠٢٤-3400' is not a CVE id (CVE-2024-3400)",
            ),
            (
                {"vulnerabilities": [{"cvss": "AV:N"}]},
                '.vulnerabilities[0]: missing required key "id"',
            ),
            (
                {"vulnerabilities": [{"id": "CVE-2024-3400", "score": 9}]},
                '.vulnerabilities[0]: unknown key "score"',
            ),
            (
                {"vulnerabilities": [5]},
                ".vulnerabilities[0]: expected a CVE id or a table {id, cvss}, got 5 (a number)",
            ),
            (
                {"vulnerabilities": ["CVE-2024-3400 CVSS:3.1/AV:X"]},
                ".vulnerabilities[0]: invalid CVSS vector 'CVSS:3.1/AV:X':"
                ' Unknown value "X" in field "AV:X"',
            ),
        ],
    )
    def test_asset(self, fields: dict[str, Any], expected: str) -> None:
        """CVE ids with other digits than 0-9 were accepted (found by hand)."""
        doc = document(assets=[asset_doc("a") | fields])
        label = f'assets[0] (id "{fields.get("id", "a")}")'
        assert problems(doc) == [f"inventory.toml: {label}{expected}"]

    @pytest.mark.parametrize(
        ("fields", "expected"),
        [
            (
                {"rrule": "FREQ=WEEKLY;BYDAY=XX"},
                ".rrule: recurrence rule 'FREQ=WEEKLY;BYDAY=XX': BYDAY 'XX' is not a weekday",
            ),
            ({"rrule": "BYDAY=SA"}, ".rrule: recurrence rule 'BYDAY=SA' has no FREQ"),
            (
                {"rrule": "FREQ=DAILY;INTERVAL=0"},
                ".rrule: recurrence rule 'FREQ=DAILY;INTERVAL=0': INTERVAL must be a whole number"
                " from 1",
            ),
            (
                {"rrule": "FREQ=DAILY;UNTIL=00000101T000000Z"},
                ".rrule: invalid recurrence rule 'FREQ=DAILY;UNTIL=00000101T000000Z': year 0 is"
                " out of range",
            ),
            ({"start": "25:00"}, ".start: time '25:00' is not a time of day (00:00 to 23:59:59)"),
            (
                {"duration": "P1M"},
                ".duration: duration 'P1M' is not ISO 8601 (write e.g. PT6H, PT1H30M, P1D; months"
                " and years are not allowed)",
            ),
            ({"duration": "PT0S"}, ".duration: duration 'PT0S' must be longer than zero"),
            (
                {"duration": "PT99999999999999H"},
                ".duration: duration 'PT99999999999999H' is too long",
            ),
            ({"capacity_hours": -1}, ".capacity_hours: must not be negative, got -1"),
            ({"timezone": "Mars/Base"}, '.timezone: unknown time zone "Mars/Base"'),
            (
                {"name": "Sat night"},
                f".name: 'Sat night' {NOT_AN_ID}",
            ),
        ],
    )
    def test_window(self, fields: dict[str, Any], expected: str) -> None:
        """INTERVAL=0, the year-0 UNTIL and the overlong duration were found by hand."""
        doc = document(windows=[window_doc() | fields])
        label = f'windows[0] (name "{fields.get("name", "w")}")'
        assert problems(doc) == [f"inventory.toml: {label}{expected}"]

    @pytest.mark.parametrize(
        ("start", "end", "expected"),
        [
            (dt.date(2027, 1, 2), dt.date(2027, 1, 1), ".end: ends before it starts"),
            (
                dt.datetime(2027, 1, 1, 10, tzinfo=dt.UTC),
                dt.datetime(2027, 1, 1, 11, tzinfo=dt.timezone(dt.timedelta(hours=1))),
                ".end: ends before it starts",
            ),
            (
                dt.datetime(2027, 1, 1, 10),
                dt.date(2027, 1, 1),
                ".start: naive date-time 2027-01-01T10:00:00: add an offset (+01:00 or Z) or write"
                " a date",
            ),
            (
                "24-12-2027",
                dt.date(2027, 12, 31),
                ".start: '24-12-2027' is not a date (2027-12-24) or a date-time with offset"
                " (2027-12-24T18:00:00+01:00)",
            ),
            (
                dt.time(10),
                dt.date(2027, 1, 1),
                ".start: expected a date (2027-12-24) or a date-time with offset"
                " (2027-12-24T18:00:00+01:00), got 10:00:00 (a time of day)",
            ),
            (dt.date(2027, 1, 1), dt.date.max, ".end: must be before 9999-12-31"),
        ],
    )
    def test_blackout(self, start: object, end: object, expected: str) -> None:
        """Found by hand: a blackout ending 9999-12-31 raised OverflowError; times of
        day and numbers got 'expected a string'."""
        doc = document(blackouts=[{"name": "b", "start": start, "end": end}])
        assert problems(doc) == [f'inventory.toml: blackouts[0] (name "b"){expected}']

    def test_blackout_every_problem(self) -> None:
        doc = document(blackouts=[{"name": "b", "start": dt.time(10), "end": 2027}])
        assert problems(doc) == [
            'inventory.toml: blackouts[0] (name "b").start: expected a date (2027-12-24) or a'
            " date-time with offset (2027-12-24T18:00:00+01:00), got 10:00:00 (a time of day)",
            'inventory.toml: blackouts[0] (name "b").end: expected a date (2027-12-24) or a'
            " date-time with offset (2027-12-24T18:00:00+01:00), got 2027 (a number)",
        ]

    @pytest.mark.parametrize(
        ("section", "expected"),
        [
            ({"risk": {"criticality": -1}}, "risk.criticality: must not be negative, got -1"),
            ({"risk": {"exposure": "high"}}, "risk.exposure: 'high' is not a number"),
            (
                {"risk": {"p1": 10, "p2": 20}},
                "risk: tier thresholds must satisfy p1 >= p2 >= p3, got 10, 20, 20",
            ),
            (
                {"risk": {"p1": Decimal("1e400")}},
                "risk.p1: 1E+400 is out of range (at most 1,000,000,000)",
            ),
            ({"planning": {"soak_days": -1}}, "planning.soak_days: must not be negative, got -1"),
            (
                {"planning": {"soakdays": 1}},
                'planning.soakdays: unknown key "soakdays" — did you mean "soak_days"?',
            ),
            (
                {"costing": {"profile": "prodution"}},
                'costing.profile: unknown profile "prodution" — did you mean "production"?',
            ),
            (
                {"costing": {"hourly": {"low": 100, "high": 50}}},
                "costing.hourly: high 50 is below low 100",
            ),
            (
                {"costing": {"hourly": {"low": 100}}},
                "costing.hourly: an amount range needs low and high",
            ),
            (
                {"costing": {"fees": [{"name": "x", "basis": "per_month", "amount": 5}]}},
                'costing.fees[0].basis: unknown fee basis "per_month" — did you mean'
                ' "per_user_month"?',
            ),
            (
                {
                    "costing": {
                        "bands": [{"name": "x", "factor": 1, "spans": ["Mon-Fri 00:00-24:00"]}]
                    }
                },
                "costing.bands: no band covers Sat from 00:00 to midnight",
            ),
            (
                {
                    "costing": {
                        "bands": [{"name": "x", "factor": 1, "spans": ["Mon-Fri 08:00-25:00"]}]
                    }
                },
                "costing.bands[0].spans: office hours: 25:00 is not a time of day (00:00 to 24:00)",
            ),
        ],
    )
    def test_settings(self, section: dict[str, Any], expected: str) -> None:
        """Found by hand: negative risk weights were reported at "risk", floats
        printed as 10.0, 1e400 became infinity, "fee basis" read "feebasis"."""
        assert problems(document(**section)) == [f"inventory.toml: {expected}"]

    @pytest.mark.parametrize(
        ("rule", "expected"),
        [
            (
                {"activity": "firmware-updat"},
                ': unknown activity "firmware-updat" — did you mean "firmware-update"?',
            ),
            (
                {"cadence": {"calendar": "test-releasse"}},
                ': unknown release calendar "test-releasse" — did you mean "test-releases"?',
            ),
            (
                {"cadence": {"rrule": "FREQ=MONTHLY", "once": dt.date(2027, 1, 1)}},
                ".cadence: a cadence needs exactly one of rrule (periodic), calendar (after vendor"
                " releases), once (a single date) or expires_lead_days (ahead of the asset's"
                " expires date)",
            ),
            (
                {"cadence": {"calendar": "test-releases", "months": 5}},
                ".cadence: months: expected a list of month numbers, got 5 (a number)",
            ),
            (
                {"cadence": {"calendar": "test-releases", "months": [13]}},
                ".cadence: months must be 1–12, got (13,)",
            ),
            ({"selector": 5}, ".selector: expected a table, got 5 (a number)"),
            (
                {"selector": {"kinds": ["nas"]}},
                ': unknown asset kind "nas" — did you mean "storage"?',
            ),
            ({"selector": {"colour": 1}}, '.selector.colour: unknown key "colour"'),
            ({"steps": [1]}, ".steps[0]: expected a table, got 1 (a number)"),
            ({"mode": "auto"}, '.mode: unknown mode "auto" — did you mean "automatic"?'),
            (
                {"update_class": "patch"},
                '.update_class: unknown update class "patch" — expected one of "security",'
                ' "standard", "service_pack", "firmware", "definitions"',
            ),
            ({"deadlines": {"P1": 1}}, ".deadlines: deadlines need every tier; missing P2, P3, P4"),
        ],
    )
    def test_rule(self, rule: dict[str, Any], expected: str) -> None:
        """Found by hand: "selector = 5" said "argument of type 'int' is not iterable"."""
        base = {
            "id": "r",
            "activity": "health-check",
            "selector": {"kinds": ["firewall"]},
            "cadence": {"rrule": "FREQ=MONTHLY"},
            "duration": "PT1H",
        }
        assert problems(document(rules=[base | rule])) == [
            f'inventory.toml: rules[0] (id "r"){expected}'
        ]

    def test_extending_rule(self) -> None:
        """Found by hand: unknown keys of an extending rule were located at the rule."""
        rules = [
            {"extends": "builtin/server-health-chek"},
            {"extends": "builtin/server-health-check", "duraton": "PT2H", "mode": "windows"},
            {"extends": 5},
        ]
        assert problems(document(rules=rules)) == [
            'inventory.toml: rules[0] (extends "builtin/server-health-chek").extends: unknown rule'
            ' "builtin/server-health-chek" — did you mean "builtin/server-health-check"?',
            'inventory.toml: rules[1] (extends "builtin/server-health-check").duraton: unknown key'
            ' "duraton" — did you mean "duration"?',
            'inventory.toml: rules[1] (extends "builtin/server-health-check").mode: unknown mode'
            ' "windows" — did you mean "window"?',
            "inventory.toml: rules[2].extends: expected a rule name such as"
            " builtin/server-health-check",
        ]

    def test_sections(self) -> None:
        doc = document(assetz=[], windows={"name": "w"}, rules=5)
        assert problems(doc) == [
            'inventory.toml: assetz: unknown section "assetz" — did you mean "assets"?',
            "inventory.toml: windows: expected a list of tables ([[windows]]), got a table",
            "inventory.toml: rules: expected a list of tables ([[rules]]), got 5 (a number)",
        ]

    def test_misplaced_top_level_key(self) -> None:
        text = dump(document()) + 'assets_csv = "assets.csv"\n'
        assert problems(text) == [
            'inventory.toml: organisation.assets_csv: unknown key "assets_csv" — "assets_csv" is a'
            " top-level key: in TOML a key belongs to the table above it, so write it before the"
            " first [table]"
        ]

    def test_missing_keys(self) -> None:
        doc = {"organisation": {"name": "X"}, "assets": [{"kind": "firewall"}], "windows": [{}]}
        assert problems(doc) == [
            'inventory.toml: organisation: missing required key "timezone"',
            'inventory.toml: windows[0]: missing required key "name"',
            'inventory.toml: windows[0]: missing required key "rrule"',
            'inventory.toml: windows[0]: missing required key "start"',
            'inventory.toml: windows[0]: missing required key "duration"',
            'inventory.toml: assets[0]: missing required key "id"',
        ]

    def test_missing_organisation_reports_everything_else(self) -> None:
        doc = {"assets": [asset_doc("a", hosted_on="b"), asset_doc("c", kind="firewal")]}
        assert problems(doc) == [
            "inventory.toml: organisation: missing required section [organisation] (name,"
            " timezone)",
            'inventory.toml: assets[1] (id "c").kind: unknown asset kind "firewal" — did you mean'
            ' "firewall"?',
            'inventory.toml: assets[0] (id "a").hosted_on: unknown asset "b"',
        ]

    @pytest.mark.parametrize(
        ("fields", "expected"),
        [
            (
                {"country": "XX"},
                'organisation.country: no public-holiday calendar for country "XX" (use ISO 3166-1'
                " alpha-2, e.g. NL)",
            ),
            (
                {"country": "DE", "subdivision": "Bayern"},
                'organisation.subdivision: unknown subdivision "Bayern" of DE (known: BB, BE, BW,'
                " BY, HB, HE, HH, MV, NI, NW, RP, SH, SL, SN, ST, TH, Augsburg)",
            ),
            ({"subdivision": "BY"}, "organisation.subdivision: a subdivision needs a country"),
            (
                {"office_hours": "Mon-Fry 08:00-18:00"},
                "organisation.office_hours: unknown weekday in 'Mon-Fry'; use Mon, Tue, … Sun",
            ),
            (
                {"office_hours": "Mon-Fri 8-18"},
                "organisation.office_hours: office hours 'Mon-Fri 8-18' must look like 'Mon-Fri"
                " 08:00-18:00' (spans separated by ';')",
            ),
        ],
    )
    def test_holidays_and_office_hours(self, fields: dict[str, Any], expected: str) -> None:
        assert problems({"organisation": ORGANISATION | fields}) == [f"inventory.toml: {expected}"]


class TestCrossChecks:
    def test_references_to_what_did_not_load(self) -> None:
        """Found by the corpus: an asset or window with a problem of its own was
        reported again, as unknown, by everything that refers to it."""
        doc = document(
            windows=[window_doc("sat", duration="P1M")],
            assets=[
                asset_doc("hv1", "hypervisr"),
                asset_doc("vm1", "virtual_server", hosted_on="hv1", window="sat"),
                asset_doc("app", "application", depends_on=["vm1", "hv1", "db1"]),
            ],
        )
        assert problems(doc) == [
            "inventory.toml: windows[0] (name \"sat\").duration: duration 'P1M' is not ISO 8601"
            " (write e.g. PT6H, PT1H30M, P1D; months and years are not allowed)",
            'inventory.toml: assets[0] (id "hv1").kind: unknown asset kind "hypervisr" — did you'
            ' mean "hypervisor"?',
            'inventory.toml: assets[2] (id "app").depends_on: unknown asset "db1"',
        ]

    def test_references(self) -> None:
        doc = document(
            windows=[window_doc("sat")],
            assets=[
                asset_doc("vm1", "virtual_server", hosted_on="hv1", window="saturday"),
                asset_doc("db", depends_on=["db1", "db"], hosted_on="db"),
            ],
        )
        assert problems(doc) == [
            'inventory.toml: assets[0] (id "vm1").window: unknown window "saturday"',
            'inventory.toml: assets[0] (id "vm1").hosted_on: unknown asset "hv1"',
            'inventory.toml: assets[1] (id "db").hosted_on: an asset cannot be hosted on itself',
            'inventory.toml: assets[1] (id "db").depends_on: unknown asset "db1"',
            'inventory.toml: assets[1] (id "db").depends_on: an asset cannot depend on itself',
        ]

    def test_a_hint_never_names_the_asset_itself(self) -> None:
        """Found by hand: vm1's unknown host "vm2" got "did you mean "vm1"?"."""
        doc = document(assets=[asset_doc("vm1", hosted_on="vm2"), asset_doc("vm3")])
        assert problems(doc) == [
            'inventory.toml: assets[0] (id "vm1").hosted_on: unknown asset "vm2" — did you mean'
            ' "vm3"?'
        ]

    def test_cycles_and_loops(self) -> None:
        doc = document(
            assets=[
                asset_doc("c", depends_on=["a"]),
                asset_doc("a", depends_on=["b"]),
                asset_doc("b", depends_on=["c", "d"]),
                asset_doc("d", depends_on=["b"]),
                asset_doc("h2", hosted_on="h1"),
                asset_doc("h1", hosted_on="h2"),
            ]
        )
        assert problems(doc) == [
            'inventory.toml: assets[1] (id "a").depends_on: dependency cycle: a -> b -> c -> a',
            'inventory.toml: assets[2] (id "b").depends_on: dependency cycle: b -> d -> b',
            'inventory.toml: assets[5] (id "h1").hosted_on: hosting loop: h1 -> h2 -> h1',
        ]

    def test_duplicates(self) -> None:
        doc = document(windows=[window_doc(), window_doc()], assets=[asset_doc(), asset_doc()])
        assert problems(doc) == [
            'inventory.toml: windows[1] (name "w").name: duplicate window name "w"'
            ' (first at windows[0] (name "w"))',
            'inventory.toml: assets[1] (id "a").id: duplicate asset id "a"'
            ' (first at assets[0] (id "a"))',
        ]

    def test_window_longer_than_its_recurrence(self) -> None:
        doc = document(windows=[window_doc(rrule="FREQ=DAILY", duration="PT25H")])
        assert problems(doc) == [
            'inventory.toml: windows[0] (name "w").duration: the window lasts P1DT1H, longer than'
            " the time between its occurrences (P1D); occurrences would overlap"
        ]

    def test_rate_card_in_another_currency(self) -> None:
        """Found writing the docs: `maintlib check` accepted what `maintlib cost`
        refused, and `cost` named the file "<inventory>"."""
        organisation = ORGANISATION | {"currency": "USD"}
        doc = {"organisation": organisation, "costing": {"profile": "production"}}
        assert problems(doc) == [
            "inventory.toml: costing.profile: profile 'production' is priced in EUR, the"
            " organisation uses USD; override its hourly rate and fees in USD"
        ]
        doc["costing"] |= {"hourly": 100}
        assert load_source(doc).costing == CostingSettings(
            "production", hourly=CostRange(Decimal(100), Decimal(100), "USD")
        )

    def test_blackout_calendar(self, tmp_path: Path) -> None:
        """Found by hand: an unknown key was located at the blackout, not at the key."""
        (tmp_path / "bad.ics").write_text(
            "BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nSUMMARY:Closed\n"
            "DTSTART;VALUE=DATE:20270102\nDTEND;VALUE=DATE:20270101\nEND:VEVENT\nEND:VCALENDAR\n"
        )
        doc = document(
            blackouts=[
                {"ics": "missing.ics"},
                {"ics": 5, "colour": "red"},
                {"ics": "bad.ics", "name": "closures"},
            ]
        )
        assert problems(doc, base_dir=tmp_path) == [
            'inventory.toml: blackouts[0].ics: cannot read "missing.ics": No such file or'
            " directory",
            'inventory.toml: blackouts[1].colour: unknown key "colour"',
            "inventory.toml: blackouts[1].ics: expected a file name (a string)",
            'bad.ics: line 3 (event "Closed"): the event ends before it starts',
        ]


class TestValidate:
    """validate(): the cross-checks for inventories built in code."""

    def test_sound(self, folder: Path) -> None:
        assert validate(load(folder / "inventory.toml", catalog=CATALOG), CATALOG) == []

    def test_problems_located_in_the_sequences(self) -> None:
        inventory = Inventory(
            organisation=Organisation("X", "Europe/Amsterdam", country="XX"),
            windows=(Window("w", "FREQ=DAILY", dt.time(22), dt.timedelta(hours=25)),),
            blackouts=(Blackout("b", dt.date(2027, 1, 2), dt.date(2027, 1, 1)),),
            assets=[
                Asset("b", "nas", depends_on=("a",)),
                Asset("a", "switch", depends_on=("b",), window="x", hosted_on="z"),
            ],
        )
        assert [str(p) for p in validate(inventory, CATALOG)] == [
            '<inventory>: organisation.country: no public-holiday calendar for country "XX"'
            " (use ISO 3166-1 alpha-2, e.g. NL)",
            '<inventory>: windows[0] (name "w").duration: the window lasts P1DT1H, longer than'
            " the time between its occurrences (P1D); occurrences would overlap",
            '<inventory>: blackouts[0] (name "b").end: ends before it starts',
            '<inventory>: assets[0] (id "a").window: unknown window "x"',
            '<inventory>: assets[0] (id "a").hosted_on: unknown asset "z"',
            '<inventory>: assets[1] (id "b").kind: unknown asset kind "nas" — did you mean "storage"?',
            '<inventory>: assets[0] (id "a").depends_on: dependency cycle: a -> b -> a',
        ]

    def test_validators_of_the_values(self) -> None:
        with pytest.raises(ValueError, match="id 'A' must be lower-case letters"):
            Asset("A", "switch")
        with pytest.raises(ValueError, match="failures_last_year must not be negative, got -1"):
            Asset("a", "switch", failures_last_year=-1)


class TestWarnings:
    def test_none(self, folder: Path) -> None:
        inventory = load(folder / "inventory.toml", catalog=CATALOG)
        assert inventory_warnings(inventory, CATALOG) == []

    def test_applies_to_and_capacity(self) -> None:
        doc = document(
            windows=[window_doc(applies_to=["firewall", "dmz", "hypervisr"], capacity_hours=0)],
            assets=[asset_doc(tags=["dmz"])],
        )
        assert inventory_warnings(load_source(doc), CATALOG) == [
            'window "w": applies_to "hypervisr" is neither an asset kind nor a tag any asset'
            " carries",
            'window "w" has capacity 0: nothing can be planned in it',
        ]


class TestLookups:
    @pytest.fixture
    def inventory(self) -> Inventory:
        return load_source(
            document(
                assets=[
                    asset_doc("hv1", "hypervisor", redundancy_group="cluster"),
                    asset_doc("hv2", "hypervisor", redundancy_group="cluster"),
                    asset_doc("vm2", "virtual_server", hosted_on="hv1"),
                    asset_doc("vm1", "virtual_server", hosted_on="hv1"),
                    asset_doc("db", "virtual_server", hosted_on="hv2", depends_on=["vm1"]),
                    asset_doc("app", "application", depends_on=["db", "vm1"]),
                    asset_doc("web", "application", depends_on=["app"]),
                ]
            )
        )

    def test_by_id(self, inventory: Inventory) -> None:
        assert inventory.asset("db").hosted_on == "hv2"
        assert "db" in inventory
        assert "nope" not in inventory
        with pytest.raises(KeyError):
            inventory.asset("nope")

    def test_sorted_by_id(self, inventory: Inventory) -> None:
        assert [a.id for a in inventory.assets] == ["app", "db", "hv1", "hv2", "vm1", "vm2", "web"]

    def test_guests(self, inventory: Inventory) -> None:
        assert inventory.guests("hv1") == ("vm1", "vm2")
        assert inventory.guests("vm1") == ()

    def test_dependents(self, inventory: Inventory) -> None:
        assert inventory.dependents("vm1") == ("app", "db")
        assert inventory.dependents("web") == ()

    def test_group_members(self, inventory: Inventory) -> None:
        assert inventory.group_members("cluster") == ("hv1", "hv2")
        assert inventory.group_members("none") == ()

    @pytest.mark.parametrize(
        ("asset_id", "radius"),
        [("hv1", 5), ("hv2", 3), ("vm1", 3), ("db", 2), ("app", 1), ("web", 0), ("nope", 0)],
    )
    def test_blast_radius(self, inventory: Inventory, asset_id: str, radius: int) -> None:
        """hv1 → vm1, vm2; vm1 → db, app; db → app; app → web."""
        assert inventory.blast_radius(asset_id) == radius

    def test_window(self) -> None:
        inventory = load_source(document(windows=[window_doc("sat")]))
        assert inventory.window("sat").duration == dt.timedelta(hours=4)
        with pytest.raises(KeyError):
            inventory.window("sun")


class TestOfficeHours:
    @pytest.mark.parametrize(
        ("text", "written"),
        [
            ("Mon-Fri 08:00-18:00", "Mon-Fri 08:00-18:00"),
            ("mon-wed 8:00-17:00;thu,fri 08:00-12:00", "Mon-Wed 08:00-17:00; Thu-Fri 08:00-12:00"),
            ("Sat 00:00-24:00; Mon 09:00-17:00", "Mon 09:00-17:00; Sat 00:00-24:00"),
            ("Mon,Wed,Fri 07:30 - 16:30", "Mon 07:30-16:30; Wed 07:30-16:30; Fri 07:30-16:30"),
        ],
    )
    def test_parse_and_str(self, text: str, written: str) -> None:
        """24:00 was written back as 23:59 (found by the round-trip property)."""
        hours = OfficeHours.parse(text)
        assert str(hours) == written
        assert OfficeHours.parse(str(hours)) == hours

    def test_spans(self) -> None:
        hours = OfficeHours.parse("Mon-Tue 08:00-18:00; Sat 10:00-24:00")
        assert hours.spans == (
            (0, dt.time(8), dt.time(18)),
            (1, dt.time(8), dt.time(18)),
            (5, dt.time(10), dt.time.max),
        )
        assert hours.on(5) == (dt.time(10), dt.time.max)
        assert hours.on(6) is None

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("Mon-Fri 18:00-08:00", "office hours 'Mon-Fri 18:00-08:00' end before they start"),
            ("Fri-Mon 08:00-18:00", "weekday range 'fri-mon' runs backwards"),
            (
                "Mon 08:00-12:00; Mon 13:00-17:00",
                "office hours 'Mon 08:00-12:00; Mon 13:00-17:00' name mon twice",
            ),
            ("Mon 08:00-24:30", "office hours: 24:30 is not a time of day (00:00 to 24:00)"),
            ("", "office hours '' must look like 'Mon-Fri 08:00-18:00' (spans separated by ';')"),
        ],
    )
    def test_errors(self, text: str, message: str) -> None:
        with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
            OfficeHours.parse(text)


class TestToDocument:
    def test_defaults_left_out(self) -> None:
        inventory = load_source(document(assets=[asset_doc()]))
        assert to_document(inventory) == {
            "organisation": {"name": "Test B.V.", "timezone": "Europe/Amsterdam"},
            "assets": [{"id": "a", "kind": "firewall", "name": ""}],
        }

    def test_json_safe(self) -> None:
        inventory = Inventory(
            Organisation("X", "UTC"),
            windows=(
                Window(
                    "w", "FREQ=DAILY", dt.time(1, 2, 3, 4), dt.timedelta(hours=1), Decimal("1.5")
                ),
            ),
            blackouts=(Blackout("b", dt.date(2027, 1, 1), dt.date(2027, 1, 2)),),
            risk=RiskWeights(criticality=12.5),
        )
        assert to_document(inventory, json_safe=True) == {
            "organisation": {"name": "X", "timezone": "UTC"},
            "windows": [
                {
                    "name": "w",
                    "rrule": "FREQ=DAILY",
                    "start": "01:02:03.000004",
                    "duration": "PT1H",
                    "capacity_hours": "1.5",
                }
            ],
            "blackouts": [{"name": "b", "start": "2027-01-01", "end": "2027-01-02"}],
            "risk": {"criticality": 12.5},
        }

    def test_floats(self) -> None:
        """Found by the round-trip property: risk weights are floats, and to_document
        raised "cannot write float"."""
        inventory = Inventory(Organisation("X", "UTC"), risk=RiskWeights(value_reference=0.5))
        assert to_document(inventory)["risk"] == {"value_reference": 0.5}

    def test_extension_without_tier_cadences(self) -> None:
        """Found by the round-trip property: an extension clearing cadence_by_tier was
        written as a list, which does not load."""
        spec = RuleSpec(extends="builtin/server-health-check", changes={"cadence_by_tier": ()})
        inventory = Inventory(Organisation("X", "UTC"), rules=(spec,))
        doc = to_document(inventory)
        assert doc["rules"] == [{"extends": "builtin/server-health-check", "cadence_by_tier": {}}]
        assert load_source(doc) == inventory

    def test_cadences(self) -> None:
        once = Once(dt.date(2027, 1, 12), dt.date(2028, 1, 12))
        released = Released("test-releases", 4, (1, 7))
        rule = Rule(
            id="r",
            activity="health-check",
            selector=Selector(),
            cadence=once,
            duration=dt.timedelta(hours=1),
            update_class=UpdateClass.SECURITY,
            cadence_by_tier=((Tier.P1, released),),
            pack=INVENTORY_PACK,
        )
        inventory = Inventory(Organisation("X", "UTC"), rules=(RuleSpec(rule=rule),))
        assert to_document(inventory)["rules"] == [
            {
                "id": "r",
                "activity": "health-check",
                "selector": {},
                "cadence": {"once": dt.date(2027, 1, 12), "deadline": dt.date(2028, 1, 12)},
                "duration": "PT1H",
                "update_class": "security",
                "cadence_by_tier": {
                    "P1": {"calendar": "test-releases", "offset_days": 4, "months": [1, 7]}
                },
            }
        ]
        assert load_source(to_document(inventory)) == inventory


class TestDocs:
    """docs/inventory.md names every field an inventory may write."""

    DOCS = Path(__file__).parent.parent / "docs" / "inventory.md"

    @pytest.mark.parametrize(
        "cl",
        [
            Organisation,
            Window,
            Blackout,
            Asset,
            Rule,
            Selector,
            RiskWeights,
            PlanningSettings,
            CostingSettings,
            Fee,
            DailyLabour,
            TimeBand,
            Sla,
            Contact,
        ],
    )
    def test_every_field_is_documented(self, cl: type) -> None:
        text = self.DOCS.read_text(encoding="utf-8")
        pack_only = {(Rule, "pack"), (Fee, "citation"), (DailyLabour, "citation")}
        fields = [f.name for f in attrs.fields(cl) if f.init and (cl, f.name) not in pack_only]
        assert [name for name in fields if f"`{name}`" not in text] == []

    def test_every_section_is_documented(self) -> None:
        text = self.DOCS.read_text(encoding="utf-8")
        assert [key for key in TOP_LEVEL_KEYS if f"`{key}`" not in text] == []


def assert_loads_back(text: str, format: Any, inventory: Inventory, folder: Path) -> None:
    assert load_source(text, format, base_dir=folder) == inventory


def assert_only_input_errors(data: str | bytes, format: Any, folder: Path) -> None:
    """Loading ``data`` succeeds or raises InputError — nothing else; what loads is
    sound and writes back to an equal inventory."""
    try:
        inventory = load_source(data, format, base_dir=folder)
    except InputError as error:
        found = error.problems
    else:
        found = ()
    event("rejected" if found else "loaded")
    if found:
        assert all(problem.file and problem.message for problem in found)
        return
    assert validate(inventory, CATALOG) == []
    again = to_document(inventory, json_safe=format == "json")
    written = json.dumps(again) if format == "json" else tomli_w.dumps(again)
    assert_loads_back(written, format, inventory, folder)


class TestRoundTrip:
    """Any valid inventory written with to_document loads back equal."""

    @given(valid_inventories(NAMES))
    def test_toml(self, closures_folder: Path, inventory: Inventory) -> None:
        assert_loads_back(tomli_w.dumps(to_document(inventory)), "toml", inventory, closures_folder)

    @given(valid_inventories(NAMES))
    def test_json(self, closures_folder: Path, inventory: Inventory) -> None:
        text = json.dumps(to_document(inventory, json_safe=True))
        assert_loads_back(text, "json", inventory, closures_folder)


class TestRobustness:
    """Arbitrary documents never raise anything but InputError."""

    @given(documents(toml_scalars()))
    def test_random_toml(self, closures_folder: Path, doc: dict[str, Any]) -> None:
        assert_only_input_errors(tomli_w.dumps(doc), "toml", closures_folder)

    @given(documents(json_scalars()))
    def test_random_json(self, closures_folder: Path, doc: dict[str, Any]) -> None:
        assert_only_input_errors(json.dumps(doc), "json", closures_folder)

    @given(mutated_documents(NAMES, toml_scalars(), json_safe=False))
    def test_mutated_toml(self, closures_folder: Path, doc: dict[str, Any]) -> None:
        assert_only_input_errors(tomli_w.dumps(doc), "toml", closures_folder)

    @given(mutated_documents(NAMES, json_scalars(), json_safe=True))
    def test_mutated_json(self, closures_folder: Path, doc: dict[str, Any]) -> None:
        assert_only_input_errors(json.dumps(doc), "json", closures_folder)

    @given(st.text() | st.binary())
    def test_any_text(self, closures_folder: Path, data: str | bytes) -> None:
        for format in ("toml", "json"):
            assert_only_input_errors(data, format, closures_folder)
