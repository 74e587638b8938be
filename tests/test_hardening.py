"""The fuzzing findings of issue 14, one regression test each: every crash is now a
located error (exit 2, nothing written, no traceback), every unbounded input is
refused at a documented limit, and untrusted text never reaches a feed, a message
or the terminal raw."""

from __future__ import annotations

import importlib
import os
import re
from pathlib import Path

import pytest

from maintlib import cli
from maintlib._util.text import excerpt
from maintlib.model import limits
from maintlib.model.errors import Problem

BASE = """
{top}
[organisation]
name = {org_name}
timezone = "Europe/Amsterdam"
country = "NL"

[costing]
profile = "smb-cloud"
{costing}

[planning]
soak_days = {soak_days}

{risk}

[[windows]]
name = "evening"
rrule = {rrule}
start = {start}
duration = "PT3H"
capacity_hours = {capacity}
applies_to = ["firewall", "switch"]

{blackouts}

[[assets]]
id = "fw01"
name = {asset_name}
kind = "firewall"
owner = {owner}
value = {value}

[[assets]]
id = "sw01"
kind = "switch"
depends_on = ["fw01"]

{rules}
"""

DEFAULTS = {
    "top": "",
    "org_name": '"Acme"',
    "costing": "",
    "soak_days": "2",
    "risk": "",
    "rrule": '"FREQ=WEEKLY;BYDAY=TU"',
    "start": '"19:00"',
    "capacity": "3",
    "blackouts": "",
    "asset_name": '"Edge firewall"',
    "owner": '"IT <it@example.org>"',
    "value": "1000",
    "rules": "",
}


def inventory(folder: Path, **changes: str) -> Path:
    path = folder / "inventory.toml"
    path.write_text(BASE.format(**{**DEFAULTS, **changes}), encoding="utf-8")
    return path


def plan(
    capsys: pytest.CaptureFixture[str], folder: Path, *extra: str, months: str = "1"
) -> tuple[int, str, str, Path]:
    out = folder / "out"
    code = cli.main(
        [
            *extra,
            "plan",
            str(folder / "inventory.toml"),
            "--start",
            "2027-01-01",
            "--months",
            months,
            "--json",
            str(out / "plan.json"),
            "--ics",
            str(out / "plan.ics"),
        ]
    )
    stdout, stderr = capsys.readouterr()
    return code, stdout, stderr, out


@pytest.fixture(autouse=True)
def _only_builtin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAINTLIB_DISABLE_PLUGINS", "microsoft,network,linux,thirdparty,datacentre")


def refused(capsys: pytest.CaptureFixture[str], folder: Path, fragment: str, *extra: str) -> str:
    """Plan, expecting exit 2 with ``fragment`` in a located message, no traceback,
    nothing written."""
    code, stdout, stderr, out = plan(capsys, folder, *extra)
    assert code == 2, stderr
    assert fragment in stderr, stderr
    assert "Traceback" not in stderr
    assert "internal error" not in stderr
    assert not out.exists()
    assert stdout == ""
    return stderr


HUGE_NUMBERS = {
    "capacity 1e308": ({"capacity": "1e308"}, "capacity_hours: 1E+308 is out of range"),
    "capacity 10**30": ({"capacity": str(10**30)}, "capacity_hours: 1" + "0" * 30),
    "capacity beyond the limit": ({"capacity": "10001"}, "capacity_hours: 10001 is out of range"),
    "soak_days 1e9": ({"soak_days": "1e9"}, "soak_days: 1000000000 is out of range"),
    "soak_days 2**63-1": ({"soak_days": str(2**63 - 1)}, "planning.soak_days"),
    "deadline days 1e9": (
        {"rules": '[[rules]]\nextends = "builtin/hardware-firmware"\ndeadlines = 1000000000'},
        "deadlines: 1000000000 is out of range (at most 3,650)",
    ),
    "deadline days 2**63": (
        {"rules": f'[[rules]]\nextends = "builtin/hardware-firmware"\ndeadlines = {2**63}'},
        "rules[0]",
    ),
    "hourly 1e30": ({"costing": "hourly = 1e30"}, "costing.hourly: 1E+30 is out of range"),
    "band factor 1e308": (
        {
            "costing": '[[costing.bands]]\nname = "all"\nfactor = 1e308\n'
            'spans = ["Mon-Sun 00:00-24:00"]'
        },
        "factor: 1E+308 is out of range",
    ),
    "huge daily labour": (
        {
            "costing": '[[costing.daily_labour]]\nname = "b"\nminutes_low = 1e30\n'
            "minutes_high = 1e30"
        },
        "minutes_low: 1E+30 is out of range",
    ),
    "float 1e309": ({"value": "1e309"}, 'assets[0] (id "fw01").value: 1E+309 is out of range'),
    "value_reference 0": (
        {"risk": "[risk]\nvalue_reference = 0"},
        "risk.value_reference: must be greater than zero",
    ),
}


@pytest.mark.parametrize("case", sorted(HUGE_NUMBERS))
def test_huge_numbers_are_located_errors(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    changes, fragment = HUGE_NUMBERS[case]
    inventory(tmp_path, **changes)
    refused(capsys, tmp_path, fragment)


class TestTimes:
    def test_an_offset_in_a_window_start_is_refused_with_a_hint(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Found: ``22:00+02:00`` passed check, then plan crashed (naive vs aware)."""
        inventory(tmp_path, start='"22:00+02:00"')
        refused(capsys, tmp_path, "window times are wall clock in the window's timezone")

    def test_a_dutch_time_is_not_a_fraction_of_a_second(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Found: ``22.30`` was read as 22:00:00.3."""
        inventory(tmp_path, start='"22.30"')
        refused(capsys, tmp_path, "time '22.30' must look like 22:00 or 22:00:00")


class TestRecurrences:
    @pytest.mark.parametrize(
        "rrule", ["FREQ=MINUTELY", "FREQ=SECONDLY", "FREQ=HOURLY;BYMINUTE=0,30"]
    )
    def test_windows_finer_than_hourly(
        self, rrule: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        inventory(tmp_path, rrule=f'"{rrule}"')
        refused(capsys, tmp_path, "repeats more often than hourly")

    def test_a_rule_finer_than_hourly(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        rules = '[[rules]]\nextends = "builtin/hardware-firmware"\ncadence = { rrule = "FREQ=MINUTELY" }'
        inventory(tmp_path, rules=rules)
        refused(capsys, tmp_path, "repeats more often than hourly")


def _ics(*events: str) -> str:
    body = "".join(
        f"BEGIN:VEVENT\r\nUID:{n}@x\r\nDTSTAMP:20260101T000000Z\r\n{e}END:VEVENT\r\n"
        for n, e in enumerate(events)
    )
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n{body}END:VCALENDAR\r\n"


ICS_BLACKOUT = '[[blackouts]]\nics = "closed.ics"'


class TestBlackoutCalendars:
    @pytest.mark.parametrize("count", ["", "COUNT=100000000;"])
    def test_secondly_recurrence(
        self, count: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        (tmp_path / "closed.ics").write_text(
            _ics(f"DTSTART:20270101T000000Z\r\nDURATION:PT1S\r\nRRULE:FREQ=SECONDLY;{count}\r\n"),
            encoding="utf-8",
        )
        inventory(tmp_path, blackouts=ICS_BLACKOUT)
        refused(capsys, tmp_path, "repeats more often than hourly")

    def test_a_huge_duration(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """Found: "date value out of range" from a DURATION past year 9999."""
        (tmp_path / "closed.ics").write_text(
            _ics("DTSTART;VALUE=DATE:20270101\r\nDURATION:P99999999D\r\n"), encoding="utf-8"
        )
        inventory(tmp_path, blackouts=ICS_BLACKOUT)
        refused(capsys, tmp_path, "DURATION is out of range (at most 366 days)")

    def test_too_many_events(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr("maintlib.loading.blackouts.MAX_CALENDAR_EVENTS", 2)
        day = "DTSTART;VALUE=DATE:20270105\r\n"
        (tmp_path / "closed.ics").write_text(_ics(day, day, day), encoding="utf-8")
        inventory(tmp_path, blackouts=ICS_BLACKOUT)
        refused(capsys, tmp_path, "closed.ics: 3 events; at most 2")

    def test_expansion_is_capped(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr("maintlib.loading.blackouts.MAX_CALENDAR_OCCURRENCES", 10)
        (tmp_path / "closed.ics").write_text(
            _ics("DTSTART:20270101T010000Z\r\nDURATION:PT1H\r\nRRULE:FREQ=HOURLY\r\n"),
            encoding="utf-8",
        )
        inventory(tmp_path, blackouts=ICS_BLACKOUT)
        refused(capsys, tmp_path, "closed.ics: expands to more than 10 blackouts")


class TestSizes:
    def test_a_huge_text(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """Found: a 10 MB asset name grew the process to 4 GiB."""
        inventory(tmp_path, asset_name='"' + "x" * (limits.MAX_TEXT + 1) + '"')
        refused(capsys, tmp_path, "name: text of 4,097 characters; at most 4,096")

    def test_too_many_windows(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        windows = "".join(
            f'[[windows]]\nname = "w{n}"\nrrule = "FREQ=DAILY"\nstart = "01:00"\nduration = "PT1H"\n'
            for n in range(limits.MAX_WINDOWS)
        )
        inventory(tmp_path, blackouts=windows)
        refused(capsys, tmp_path, "windows: 1,001 windows; at most 1,000")

    def test_too_many_assets_in_a_csv(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(importlib.import_module("maintlib.loading.build"), "MAX_ASSETS", 3)
        rows = "".join(f"ws{n},workstation\n" for n in range(5))
        (tmp_path / "a.csv").write_text("id,kind\n" + rows, encoding="utf-8")
        inventory(tmp_path, top='assets_csv = "a.csv"')
        refused(capsys, tmp_path, "a.csv: row 5: more than 3 rows")

    def test_a_file_larger_than_the_limit(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(limits, "MAX_FILE_BYTES", 100)
        monkeypatch.setattr(limits.read_input, "__defaults__", (100,))
        inventory(tmp_path)
        refused(capsys, tmp_path, "cannot read: larger than 100 bytes")


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
class TestSpecialFiles:
    """Found: /dev/zero or /dev/urandom read until MemoryError (3.7-4 GiB)."""

    def test_as_the_asset_table(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        inventory(tmp_path, top='assets_csv = "/dev/zero"')
        refused(capsys, tmp_path, "not a regular file", "--allow-path", "/dev")

    def test_as_a_blackout_calendar(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        inventory(tmp_path, blackouts='[[blackouts]]\nics = "/dev/urandom"')
        refused(capsys, tmp_path, "not a regular file", "--allow-path", "/dev")

    def test_as_the_inventory_or_a_previous_feed(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        inventory(tmp_path)
        code = cli.main(["check", "/dev/zero"])
        assert code == 2
        assert "/dev/zero: cannot read: not a regular file" in capsys.readouterr().err
        code = cli.main(
            [
                "plan",
                str(tmp_path / "inventory.toml"),
                "--start",
                "2027-01-01",
                "--ics",
                str(tmp_path / "out.ics"),
                "--previous",
                "/dev/zero",
            ]
        )
        assert code == 2
        assert "/dev/zero: cannot read: not a regular file" in capsys.readouterr().err
        assert not (tmp_path / "out.ics").exists()


class TestPaths:
    """Found: any path was read, and the error echoed its content."""

    @pytest.mark.parametrize("reference", ["/proc/self/environ", "../outside.csv"])
    def test_outside_the_folder_is_refused(
        self, reference: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        folder = tmp_path / "customer"
        folder.mkdir()
        (tmp_path / "outside.csv").write_text("id,kind\nx,switch\n", encoding="utf-8")
        inventory(folder, top=f'assets_csv = "{reference}"')
        refused(capsys, folder, "lies outside the inventory's folder")

    def test_allow_path_lets_a_folder_in(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        folder = tmp_path / "customer"
        shared = tmp_path / "shared"
        folder.mkdir()
        shared.mkdir()
        (shared / "more.csv").write_text("id,kind\nws01,workstation\n", encoding="utf-8")
        inventory(folder, top='assets_csv = "../shared/more.csv"')
        code, _, stderr, _ = plan(capsys, folder, "--allow-path", str(shared))
        assert code == 0, stderr

    def test_a_symlink_out_of_the_folder_is_refused(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        folder = tmp_path / "customer"
        folder.mkdir()
        (tmp_path / "secret.csv").write_text("id,kind\nx,switch\n", encoding="utf-8")
        (folder / "link.csv").symlink_to(tmp_path / "secret.csv")
        inventory(folder, top='assets_csv = "link.csv"')
        refused(capsys, folder, "lies outside the inventory's folder")

    def test_messages_quote_a_short_excerpt_of_a_file(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        secret = "SECRET_TOKEN=" + "s" * 200
        (tmp_path / "a.csv").write_text(
            f"{secret};{secret}\n" + "".join(f"c{n}," for n in range(30)) + "\n",
            encoding="utf-8",
        )
        inventory(tmp_path, top='assets_csv = "a.csv"')
        stderr = refused(capsys, tmp_path, "a.csv: row 1 (header)")
        assert "s" * 40 not in stderr


class TestArguments:
    @pytest.mark.parametrize(
        "arguments",
        [
            ["--start", "9999-12-01"],
            ["--start", "0001-01-01"],
            ["--start", "2027-01-01", "--reference-time", "9999-01-01T00:00:00Z"],
            ["--start", "2027-01-01", "--reference-time", "0001-01-01T00:00:00Z"],
        ],
    )
    def test_dates_out_of_range(
        self, arguments: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        path = inventory(tmp_path)
        with pytest.raises(SystemExit) as stop:
            cli.main(["plan", str(path), *arguments])
        assert stop.value.code == 2
        assert "out of range (years 1970 to 2199)" in capsys.readouterr().err

    def test_a_horizon_ending_past_the_range(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        path = inventory(tmp_path)
        code = cli.main(["plan", str(path), "--start", "2199-06-01", "--months", "12"])
        assert code == 2
        assert "<arguments>: start: the horizon 2199-06-01 + 12 months is out of range" in (
            capsys.readouterr().err
        )


def plan_feed(folder: Path, feed: Path, *extra: str) -> int:
    """``maintlib plan`` of ``folder``'s inventory for a month, writing ``feed``."""
    inventory = str(folder / "inventory.toml")
    return cli.main(
        ["plan", inventory, "--start", "2027-01-01", "--months", "1", "--ics", str(feed), *extra]
    )


def _lines(feed: bytes) -> list[bytes]:
    """The feed's unfolded content lines."""
    return feed.replace(b"\r\n ", b"").split(b"\r\n")


class TestFeedText:
    CONTROL = re.compile(rb"[\x00-\x08\x0b-\x1f\x7f]")

    def test_crlf_in_the_organisation_name_is_no_property_of_its_own(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        inventory(tmp_path, org_name='"Acme\\r\\nATTENDEE:mailto:evil@x"')
        code, _, stderr, out = plan(capsys, tmp_path)
        assert code == 0, stderr
        feed = (out / "plan.ics").read_bytes()
        assert not any(line.startswith(b"ATTENDEE:mailto:evil") for line in _lines(feed))

    def test_crlf_in_the_calendar_name(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Found: ``--ics-name`` with CR/LF raised AssertionError."""
        inventory(tmp_path)
        feed = tmp_path / "out" / "named.ics"
        assert plan_feed(tmp_path, feed, "--ics-name", "Plan\r\nX-EVIL:1") == 0
        lines = _lines(feed.read_bytes())
        assert not any(line.startswith(b"X-EVIL") for line in lines)

    def test_control_characters_never_reach_the_feed(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        inventory(tmp_path, asset_name='"fw\\u0000\\u001b[2J\\u0007\\u0001\\u007f"')
        code, _, stderr, out = plan(capsys, tmp_path)
        assert code == 0, stderr
        feed = (out / "plan.ics").read_bytes()
        for line in _lines(feed):
            assert not self.CONTROL.search(line), line

    def test_an_owner_with_crlf_can_split_feeds(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Found: an owner containing CRLF crashed ``--ics-split owner``."""
        inventory(tmp_path, owner='"IT\\r\\nATTENDEE:mailto:evil@x <it@example.org>"')
        assert plan_feed(tmp_path, tmp_path / "split" / "plan.ics", "--ics-split", "owner") == 0
        for feed in (tmp_path / "split").iterdir():
            assert not any(
                line.startswith(b"ATTENDEE:mailto:evil") for line in _lines(feed.read_bytes())
            )


class TestTerminal:
    def test_escape_sequences_do_not_reach_the_terminal(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        path = inventory(tmp_path, org_name='"Acme\\u001b]0;pwned\\u0007\\u001b[2J"')
        assert cli.main(["check", str(path)]) == 0
        stdout = capsys.readouterr().out
        assert "\x1b" not in stdout
        assert "\x07" not in stdout
        assert "Acme?]0;pwned??[2J" in stdout

    def test_problems_are_printable(self) -> None:
        problem = Problem("f\x1b.toml", "assets[0]\r\n", "bad \x1b[2J" + "x" * 1000)
        assert "\x1b" not in str(problem)
        assert "\n" not in str(problem)
        assert len(problem.message) == 500


def test_excerpt() -> None:
    assert excerpt("a\nb\x1bc") == "a b?c"
    assert excerpt("x" * 100) == "x" * 39 + "…"


def test_read_input_refuses_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(ValueError, match="not a regular file"):
        limits.read_input(fifo)


def test_the_limits_table_is_maintlib_limits() -> None:
    """docs/inventory.md lists every limit with its value."""
    page = (Path(__file__).parent.parent / "docs" / "inventory.md").read_text(encoding="utf-8")
    table = page.split("<!-- limits: every row is a constant of maintlib.model.limits -->")[1]
    rows = re.findall(r"^\| `(\w+)`(?:, `(\w+)`)? \| ([^|]+) \|", table, flags=re.MULTILINE)
    documented: dict[str, str] = {}
    for first, second, value in rows:
        values = value.strip().split(", ") if second else [value.strip()]
        documented.update(zip([first, second][: len(values)], values, strict=True))
    constants = [name for name in limits.__all__ if name.isupper()]
    assert sorted(documented) == sorted(constants)
    for name, text in documented.items():
        value = getattr(limits, name)
        if name == "MAX_DURATION":
            shown = f"{value.days} days"
        else:
            shown = str(value) if name.endswith("_YEAR") else f"{value:,}"
        assert text == shown, name
