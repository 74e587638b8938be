"""Inputs as people write them (issue 14): CSV from spreadsheets — Dutch Excel's
semicolons, a BOM, Windows-1252, the booleans of the organisation's language — and
blackouts that recur."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import maintlib
from maintlib import Asset, InputError, InputWarning
from maintlib.loading.document import to_document

from .loading import document, inventory_catalog, load_source, problems


def load_csv(tmp_path: Path, content: bytes, country: str | None = "NL") -> tuple[Asset, ...]:
    (tmp_path / "a.csv").write_bytes(content)
    organisation = {"name": "x", "timezone": "Europe/Amsterdam"}
    if country:
        organisation["country"] = country
    doc = document(assets_csv="a.csv", organisation=organisation)
    return load_source(doc, base_dir=tmp_path).assets


class TestDelimiters:
    @pytest.mark.parametrize("delimiter", [",", ";", "\t"])
    def test_each_separator_is_read_from_the_header(self, tmp_path: Path, delimiter: str) -> None:
        rows = delimiter.join(["id", "kind", "name"]) + "\n"
        rows += delimiter.join(["ws01", "laptop", "Laptop Anna"]) + "\n"
        (asset,) = load_csv(tmp_path, rows.encode())
        assert (asset.id, asset.kind, asset.name) == ("ws01", "laptop", "Laptop Anna")

    def test_dutch_excel_semicolons_with_a_bom_and_list_items_by_commas(
        self, tmp_path: Path
    ) -> None:
        """Found: refused with "separate the columns with commas"."""
        content = "\ufeffid;kind;tags;auto_update\nws01;laptop;sales,workplace;WAAR\n"
        (asset,) = load_csv(tmp_path, content.encode("utf-8"))
        assert asset.tags == ("sales", "workplace")
        assert asset.auto_update is True

    def test_a_comma_inside_a_semicolon_file_is_text(self, tmp_path: Path) -> None:
        (asset,) = load_csv(tmp_path, b'id;kind;name\nws01;laptop;"Smith, J."\n')
        assert asset.name == "Smith, J."


class TestEncoding:
    def test_cp1252_is_read_with_a_warning_naming_the_file(self, tmp_path: Path) -> None:
        """Found: refused with "not valid UTF-8 (byte 0xeb)"."""
        content = "id;kind;name\nws01;laptop;Laptop Zoë\n".encode("cp1252")
        with pytest.warns(InputWarning, match=r"a\.csv: not UTF-8; read as Windows-1252"):
            (asset,) = load_csv(tmp_path, content)
        assert asset.name == "Laptop Zoë"

    def test_the_command_line_prints_the_warning(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        from maintlib import cli

        (tmp_path / "a.csv").write_bytes("id,kind,name\nws01,laptop,Zoë\n".encode("cp1252"))
        inventory = tmp_path / "inventory.toml"
        inventory.write_text(
            'assets_csv = "a.csv"\n[organisation]\nname = "x"\ntimezone = "UTC"\n',
            encoding="utf-8",
        )
        assert cli.main(["--no-plugins", "check", str(inventory)]) == 0
        assert "warning: a.csv: not UTF-8; read as Windows-1252" in capsys.readouterr().err


class TestBooleans:
    @pytest.mark.parametrize(
        ("country", "true", "false"),
        [
            ("NL", "WAAR", "ONWAAR"),
            ("NL", "ja", "nee"),
            ("DE", "wahr", "nein"),
            ("FR", "oui", "faux"),
        ],
    )
    def test_the_organisations_language(
        self, tmp_path: Path, country: str, true: str, false: str
    ) -> None:
        content = f"id,kind,auto_update\na,laptop,{true}\nb,laptop,{false}\n".encode()
        first, second = load_csv(tmp_path, content, country)
        assert (first.auto_update, second.auto_update) == (True, False)

    def test_another_language_is_refused_with_the_words_it_takes(self, tmp_path: Path) -> None:
        content = b"id,kind,auto_update\na,laptop,waar\n"
        with pytest.raises(InputError, match="expected true or false, got 'waar'"):
            load_csv(tmp_path, content, None)
        with pytest.raises(InputError, match=r"expected true or false \(ja/wahr or falsch/nein\)"):
            load_csv(tmp_path, b"id,kind,auto_update\na,laptop,vielleicht\n", "DE")


CHRISTMAS = {
    "name": "christmas",
    "start": "2027-12-20",
    "end": "2027-12-31",
    "rrule": "FREQ=YEARLY",
    "reason": "annual freeze",
}
NIGHTS = {
    "name": "nights",
    "rrule": "FREQ=DAILY",
    "start": "22:00",
    "duration": "PT2H",
    "applies_to": ["firewall"],
}


class TestRecurringBlackouts:
    """Found: annual freezes could only repeat through an .ics file."""

    def test_a_yearly_freeze_blocks_every_year(self) -> None:
        doc = document(
            windows=[NIGHTS], blackouts=[CHRISTMAS], assets=[{"id": "fw01", "kind": "firewall"}]
        )
        inventory = load_source(doc)
        plan = maintlib.plan(
            inventory,
            start=dt.date(2027, 1, 1),
            months=36,
            reference_time=dt.datetime(2027, 1, 1, tzinfo=dt.UTC),
            plugins=inventory_catalog(),
        )
        in_freeze = [t for t in plan.tasks if t.start.month == 12 and t.start.day >= 20]
        assert plan.tasks
        assert in_freeze == []
        later = [t for t in plan.tasks if t.start.year == 2029 and t.start.month == 12]
        assert later  # the first days of December 2029 are still planned

    def test_it_round_trips(self) -> None:
        inventory = load_source(document(blackouts=[{**CHRISTMAS, "changes_only": False}]))
        (calendar,) = inventory.blackout_calendars
        assert not calendar.changes_only
        written = to_document(inventory, json_safe=True)
        assert written["blackouts"] == [{**CHRISTMAS, "changes_only": False}]
        # A change freeze is the default (issue 27): written without the key.
        frozen = load_source(document(blackouts=[CHRISTMAS]))
        assert frozen.blackout_calendars[0].changes_only
        assert to_document(frozen, json_safe=True)["blackouts"] == [CHRISTMAS]
        assert load_source(written) == inventory

    @pytest.mark.parametrize(
        ("change", "expected"),
        [
            (
                {"end": "2027-12-01"},
                'blackouts[0] (name "christmas").end: ends before it starts',
            ),
            (
                {"rrule": "FREQ=MINUTELY"},
                'blackouts[0] (name "christmas").rrule: recurrence rule',
            ),
            (
                {"start": "2027-12-20T00:00:00Z"},
                'blackouts[0] (name "christmas").start: expected a date',
            ),
        ],
    )
    def test_problems_are_located(self, change: dict[str, str], expected: str) -> None:
        (problem,) = problems(document(blackouts=[{**CHRISTMAS, **change}]))
        assert expected in problem
