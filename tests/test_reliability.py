"""Issue 33, "Reliability round 3": the inputs that still broke through.

One test per cause of the 22 internal errors the independent fuzz run found (each
now a located input error: exit 2, no traceback, nothing written), the hourly
blackouts that ran away, the log that ate a file, and the calendar names that were
not escaped. The inputs are built here, from the test data, so each case says what
it does to the file.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import gzip
import json
import os
import re
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from maintlib import cli
from maintlib._util.files import remove_stale
from maintlib.loading import blackouts
from maintlib.loading.blackouts import expand_calendar
from maintlib.loading.read import load
from maintlib.model.errors import InputError
from maintlib.model.inventory import BlackoutCalendar
from maintlib.model.limits import MAX_CALENDAR_OCCURRENCES
from maintlib.records.log import Record, append, dumps, read_log

DATA = Path(__file__).parent / "data"
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The small office of the history tests and the FortiGate of the feed tests."""
    shutil.copy(DATA / "history" / "inventory.toml", tmp_path / "office.toml")
    shutil.copy(DATA / "feeds" / "fortigate.toml", tmp_path / "fortigate.toml")
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def plan(
    capsys: pytest.CaptureFixture[str], folder: Path, inventory: str, *extra: str
) -> tuple[int, str, str]:
    return run(
        capsys,
        "plan",
        str(folder / inventory),
        "--start",
        "2027-01-01",
        "--months",
        "2",
        "--json",
        str(folder / "out" / "plan.json"),
        "--ics",
        str(folder / "out" / "plan.ics"),
        *extra,
    )


def refused(
    capsys: pytest.CaptureFixture[str], folder: Path, inventory: str, where: str, *extra: str
) -> str:
    """Plan, expecting exit 2 with the problem located at ``where``, no traceback,
    nothing written."""
    code, out, err = plan(capsys, folder, inventory, *extra)
    assert (code, out) == (2, ""), err
    assert "Traceback" not in err, err
    assert "internal error" not in err, err
    assert where in err, err
    assert err.endswith("found; nothing was written.\n"), err
    assert not (folder / "out").exists()
    return err


def refused_file(
    capsys: pytest.CaptureFixture[str],
    folder: Path,
    inventory: str,
    option: str,
    name: str,
    content: str | bytes,
    where: str,
) -> str:
    """:func:`refused` with ``content`` written to ``name`` and given as ``option``."""
    path = folder / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return refused(capsys, folder, inventory, where, option, str(path))


def add_to(folder: Path, inventory: str, text: str) -> str:
    path = folder / inventory
    path.write_text(path.read_text(encoding="utf-8") + "\n" + text, encoding="utf-8")
    return inventory


def ics(*events: str) -> str:
    body = "".join(
        f"BEGIN:VEVENT\r\nUID:{index}@test\r\nDTSTAMP:20260101T000000Z\r\n{event}END:VEVENT\r\n"
        for index, event in enumerate(events)
    )
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n{body}END:VCALENDAR\r\n"


def blackout_file(folder: Path, *events: str) -> str:
    (folder / "closures.ics").write_text(ics(*events), encoding="utf-8")
    # A full stop (not a change freeze): nothing planned while it lasts.
    return add_to(
        folder, "office.toml", '[[blackouts]]\nics = "closures.ics"\nchanges_only = false\n'
    )


# 1. FREQ=MONTHLY;BYDAY=53MO: an IndexError inside dateutil, in every place a rule is.
BYDAY_53 = "FREQ=MONTHLY;BYDAY=53MO"
ORDINAL = "BYDAY ordinals with FREQ=MONTHLY are 1 to 5"


@pytest.mark.parametrize(
    ("text", "where"),
    [
        (
            f'[[windows]]\nname = "w"\nrrule = "{BYDAY_53}"\nstart = "22:00"\nduration = "PT2H"\n',
            'windows[1] (name "w").rrule',
        ),
        (
            f'[[blackouts]]\nname = "b"\nstart = 2027-01-04\nend = 2027-01-04\nrrule = "{BYDAY_53}"\n',
            'blackouts[0] (name "b").rrule',
        ),
        (
            '[[rules]]\nextends = "builtin/server-health-check"\n'
            f'cadence = {{rrule = "{BYDAY_53}"}}\n',
            'rules[7] (extends "builtin/server-health-check")',
        ),
    ],
    ids=["window", "blackout", "cadence"],
)
def test_1_a_byday_ordinal_out_of_range_is_located(
    capsys: pytest.CaptureFixture[str], folder: Path, text: str, where: str
) -> None:
    err = refused(capsys, folder, add_to(folder, "office.toml", text), where)
    assert ORDINAL in err


def test_1_a_byday_ordinal_out_of_range_in_a_blackout_file(
    capsys: pytest.CaptureFixture[str], folder: Path
) -> None:
    inventory = blackout_file(folder, f"DTSTART;VALUE=DATE:20270104\r\nRRULE:{BYDAY_53}\r\n")
    err = refused(capsys, folder, inventory, "closures.ics: line 4: RRULE:")
    assert ORDINAL in err


# 2. COUNT=99999999999999999999 on a blackout.
def test_2_a_huge_count_on_a_blackout_is_located(
    capsys: pytest.CaptureFixture[str], folder: Path
) -> None:
    inventory = add_to(
        folder,
        "office.toml",
        '[[blackouts]]\nname = "b"\nstart = 2027-01-04\nend = 2027-01-04\n'
        'rrule = "FREQ=MONTHLY;COUNT=99999999999999999999"\n',
    )
    err = refused(capsys, folder, inventory, 'blackouts[0] (name "b").rrule')
    assert "COUNT must be a whole number from 1 to 1,000,000" in err


def test_2_a_huge_count_in_a_blackout_file_is_located(
    capsys: pytest.CaptureFixture[str], folder: Path
) -> None:
    inventory = blackout_file(
        folder, "DTSTART;VALUE=DATE:20270104\r\nRRULE:FREQ=MONTHLY;COUNT=2000000\r\n"
    )
    err = refused(capsys, folder, inventory, "closures.ics: line 4: RRULE:")
    assert "COUNT must be a whole number from 1 to 1,000,000" in err


# 3. A log record finishing in 9999, or due on 0001-01-01: OverflowError in replan.
LOG_RECORD = {
    "task": "srv01.health-check.20270101T0000",
    "started": "2027-01-04T11:00:00+01:00",
    "finished": "2027-01-04T12:00:00+01:00",
    "by": "anna",
    "outcome": "done",
}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"finished": "9999-12-31T12:00:00+01:00"}, "finished: year 9999 is outside 1900–2200"),
        (
            {"task": None, "asset": "srv01", "activity": "health-check",
             "due": "0001-01-01T00:00:00+00:00"},
            "due: year 1 is outside 1900–2200",
        ),
    ],
    ids=["finished-9999", "due-0001"],
)  # fmt: skip
def test_3_log_times_outside_the_supported_years_are_located(
    capsys: pytest.CaptureFixture[str], folder: Path, change: dict[str, str | None], message: str
) -> None:
    record = {key: value for key, value in {**LOG_RECORD, **change}.items() if value is not None}
    (folder / "log.jsonl").write_text(json.dumps(record) + "\n")
    refused(
        capsys,
        folder,
        "office.toml",
        f"log.jsonl: line 1: {message}",
        "--log",
        str(folder / "log.jsonl"),
    )


# 4. and 5. Deeply nested JSON, and integers of thousands of digits, in every JSON reader.
DEEP = "[" * 100_000 + "]" * 100_000
NESTED = "arrays and objects nested 100,000 deep (at most 64)"
LONG = "a number longer than 100 characters"


def _feed_file(folder: Path, option: str, text: str) -> list[str]:
    """The options that give ``text`` as the feed of ``option`` (a folder for CSAF
    and CVE records)."""
    if option in ("--csaf", "--vulnrichment"):
        (folder / "feed").mkdir()
        (folder / "feed" / "record.json").write_text(text)
        return [option, str(folder / "feed")]
    (folder / "feed.json").write_text(text)
    return [option, str(folder / "feed.json")]


@pytest.mark.parametrize("option", ["--kev", "--csaf", "--vulnrichment"])
def test_4_deep_nesting_in_a_feed_is_located(
    capsys: pytest.CaptureFixture[str], folder: Path, option: str
) -> None:
    refused(capsys, folder, "fortigate.toml", NESTED, *_feed_file(folder, option, DEEP))


def test_4_a_csaf_product_tree_500_branches_deep_is_refused(
    capsys: pytest.CaptureFixture[str], folder: Path
) -> None:
    advisory = json.loads((DATA / "feeds" / "csaf" / "bsi-2022-0001.json").read_text())
    branch = '{"category": "vendor", "name": "v", "product": {"product_id": "p", "name": "n"}}'
    for level in range(500):
        branch = f'{{"category": "vendor", "name": "v{level}", "branches": [{branch}]}}'
    advisory["product_tree"] = {"branches": "TREE"}
    text = json.dumps(advisory).replace('"TREE"', f"[{branch}]")
    refused(
        capsys, folder, "fortigate.toml", "nested 1,005 deep", *_feed_file(folder, "--csaf", text)
    )


def test_4_deep_nesting_in_a_log_is_located(
    capsys: pytest.CaptureFixture[str], folder: Path
) -> None:
    text = json.dumps(LOG_RECORD) + "\n" + '{"notes": ' + DEEP + "}\n"
    where = "log.jsonl: line 2: bad JSON: arrays and objects nested"
    refused_file(capsys, folder, "office.toml", "--log", "log.jsonl", text, where)


def test_5_a_huge_integer_in_a_log_is_located(
    capsys: pytest.CaptureFixture[str], folder: Path
) -> None:
    text = '{"notes": ' + "9" * 5000 + "}\n"
    where = f"log.jsonl: line 1, column 11: bad JSON: {LONG}"
    refused_file(capsys, folder, "office.toml", "--log", "log.jsonl", text, where)


def test_5_a_huge_kev_count_is_located(capsys: pytest.CaptureFixture[str], folder: Path) -> None:
    catalog = json.loads((DATA / "feeds" / "kev.json").read_text())
    catalog["count"] = "COUNT"
    text = json.dumps(catalog).replace('"COUNT"', "9" * 5000)
    refused(
        capsys,
        folder,
        "fortigate.toml",
        "feed.json: line 1, column",
        *_feed_file(folder, "--kev", text),
    )


# 6. A KEV dateAdded of 9999-12-31.
def test_6_a_kev_date_outside_the_supported_years_is_located(
    capsys: pytest.CaptureFixture[str], folder: Path
) -> None:
    catalog = json.loads((DATA / "feeds" / "kev.json").read_text())
    for entry in catalog["vulnerabilities"]:
        if entry["cveID"] == "CVE-2024-21762":
            entry["dateAdded"] = "9999-12-31"
    refused(
        capsys, folder, "fortigate.toml",
        'vulnerabilities[2] (cveID "CVE-2024-21762").dateAdded: year 9999 is outside 1900–2200',
        *_feed_file(folder, "--kev", json.dumps(catalog)),
    )  # fmt: skip


# 7. An EPSS score NaN (and its siblings).
@pytest.mark.parametrize("score", ["NaN", "sNaN", "-nan", "Infinity"])
def test_7_an_epss_score_that_is_no_finite_number_is_located(
    capsys: pytest.CaptureFixture[str], folder: Path, score: str
) -> None:
    lines = (DATA / "feeds" / "epss.csv").read_text().splitlines()
    cells = lines[2].split(",")
    lines[2] = ",".join([cells[0], score, *cells[2:]])
    where = f"epss.csv: line 3: epss '{score}' is not a number from 0 to 1"
    text = "\n".join(lines) + "\n"
    refused_file(capsys, folder, "fortigate.toml", "--epss", "epss.csv", text, where)


# 8. A corrupt .csv.gz (bytes 10–30 zeroed), and a gzip bomb.
def test_8_a_corrupt_gzip_file_is_located(capsys: pytest.CaptureFixture[str], folder: Path) -> None:
    data = bytearray((DATA / "feeds" / "epss.csv.gz").read_bytes())
    data[10:30] = bytes(20)
    where = "epss.csv.gz: is not a readable gzip file"
    refused_file(capsys, folder, "fortigate.toml", "--epss", "epss.csv.gz", bytes(data), where)


def test_8_a_gzip_bomb_stops_at_the_file_limit(
    capsys: pytest.CaptureFixture[str], folder: Path
) -> None:
    bomb = gzip.compress(b"\n" * (65 * 1024 * 1024))
    where = "epss.csv.gz: unpacks to more than 67,108,864 bytes"
    refused_file(capsys, folder, "fortigate.toml", "--epss", "epss.csv.gz", bomb, where)


# 9. An all-day blackout from 0001-01-01 to 9999-12-31: clipped, a valid plan.
def test_9_an_all_day_event_of_eight_millennia_is_clipped_to_the_horizon(
    capsys: pytest.CaptureFixture[str], folder: Path
) -> None:
    inventory = blackout_file(
        folder, "DTSTART;VALUE=DATE:00010101\r\nDTEND;VALUE=DATE:99991231\r\nSUMMARY:Ever\r\n"
    )
    code, _, err = plan(capsys, folder, inventory)
    assert code == 0, err
    document = json.loads((folder / "out" / "plan.json").read_text())
    assert document["tasks"] == []  # no slot is free, ever
    calendar = load(folder / inventory).blackout_calendars[0]
    start = dt.datetime(2027, 1, 1, tzinfo=AMSTERDAM)
    (blackout,) = expand_calendar(calendar, start, start + dt.timedelta(days=59), AMSTERDAM)
    assert (blackout.start, blackout.end) == (dt.date(2027, 1, 1), dt.date(2027, 3, 1))


def test_9_timed_events_outside_the_supported_years_are_located(
    capsys: pytest.CaptureFixture[str], folder: Path
) -> None:
    inventory = blackout_file(folder, "DTSTART:00010101T000000Z\r\nDTEND:99991231T000000Z\r\n")
    err = refused(capsys, folder, inventory, "closures.ics: line 4: DTSTART: year 1 is outside")
    assert "DTEND: year 9999 is outside 1900–2200" in err


# 10. A --previous feed with DTSTART:99999999T999999.
def test_10_a_previous_feed_with_a_broken_start_is_located(
    capsys: pytest.CaptureFixture[str], folder: Path
) -> None:
    (folder / "previous.ics").write_text(ics("DTSTART:99999999T999999\r\nSUMMARY:x\r\n"))
    refused(
        capsys, folder, "office.toml",
        'previous.ics: event 1 (UID "0@test"): DTSTART: Wrong datetime format',
        "--previous", str(folder / "previous.ics"),
    )  # fmt: skip


# 11. log add on /proc/self/environ: "Invalid argument: None".
def test_11_log_add_on_a_proc_file_says_it_is_no_log(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(
        capsys, "log", "add", "/proc/self/environ", "--task", "a.b.20270101T0000",
        "--finished", "2027-01-04T12:00:00+01:00", "--outcome", "done",
    )  # fmt: skip
    assert code == 2, err
    assert err.startswith("/proc/self/environ: line 1, column 1: bad JSON: Expecting value — not a")
    assert out == ""


# Runaways: hourly blackouts.
def test_an_hourly_inline_blackout_plans(capsys: pytest.CaptureFixture[str], folder: Path) -> None:
    inventory = add_to(
        folder,
        "office.toml",
        '[[blackouts]]\nname = "hourly"\nstart = 2027-01-04\nend = 2027-01-04\n'
        'rrule = "FREQ=HOURLY"\n',
    )
    code, _, err = plan(capsys, folder, inventory)
    assert code == 0, err
    calendar = load(folder / inventory).blackout_calendars[0]
    start = dt.datetime(2027, 1, 1, tzinfo=AMSTERDAM)
    year = expand_calendar(calendar, start, start.replace(year=2028), AMSTERDAM)
    # 8,000-odd whole days that overlap are one closure from the first day on.
    assert [(b.start, b.end) for b in year] == [(dt.date(2027, 1, 4), dt.date(2027, 12, 31))]


def test_an_hourly_event_begun_long_ago_expands_only_near_the_horizon() -> None:
    content = ics("DTSTART:19000101T000000Z\r\nDTEND:19000101T003000Z\r\nRRULE:FREQ=HOURLY\r\n")
    calendar = BlackoutCalendar("closures.ics", content.encode())
    start = dt.datetime(2027, 1, 1, tzinfo=dt.UTC)
    found = expand_calendar(calendar, start, start + dt.timedelta(days=2), AMSTERDAM)
    assert len(found) == 48
    assert found[0].interval(AMSTERDAM) == (start, start + dt.timedelta(minutes=30))


def test_sixty_hourly_events_stop_at_the_occurrence_limit(
    capsys: pytest.CaptureFixture[str], folder: Path
) -> None:
    events = [
        f"DTSTART:20270101T00{minute:02d}00Z\r\nDURATION:PT1M\r\nRRULE:FREQ=HOURLY\r\n"
        for minute in range(60)
    ]
    inventory = blackout_file(folder, *events)
    code, _, err = run(
        capsys, "plan", str(folder / inventory), "--start", "2027-01-01", "--months", "12",
        "--json", str(folder / "out" / "plan.json"),
    )  # fmt: skip
    assert code == 2, err
    assert f"closures.ics: expands to more than {MAX_CALENDAR_OCCURRENCES:,} blackouts" in err
    assert not (folder / "out").exists()


def test_the_occurrence_limit_is_counted_while_expanding(monkeypatch: pytest.MonkeyPatch) -> None:
    """The error comes as the count passes the limit, not after the expansion: 60
    hourly events over ten years (5 million occurrences) stop at the 50,001st."""
    made: list[int] = []
    count = blackouts._Budget.count

    def counted(budget: blackouts._Budget) -> None:
        made.append(1)
        count(budget)

    monkeypatch.setattr(blackouts._Budget, "count", counted)
    events = [
        f"DTSTART:20270101T00{minute:02d}00Z\r\nDURATION:PT1M\r\nRRULE:FREQ=HOURLY\r\n"
        for minute in range(60)
    ]
    calendar = BlackoutCalendar("closures.ics", ics(*events).encode())
    start = dt.datetime(2027, 1, 1, tzinfo=dt.UTC)
    with pytest.raises(InputError, match="more than 50,000 blackouts"):
        expand_calendar(calendar, start, start.replace(year=2037), AMSTERDAM)
    assert len(made) == MAX_CALENDAR_OCCURRENCES + 1


# Data loss: log add on a file that is no log.
ADD = (
    "--task",
    "a.b.20270101T0000",
    "--finished",
    "2027-01-04T12:00:00+01:00",
    "--outcome",
    "done",
)


@pytest.mark.parametrize(
    "content",
    [b"my notes", b"x" * 5_000_000, b"my notes\n", b'{"task": "a.b.20270101T0000"'],
    ids=["one-line", "one-huge-line", "one-line-with-end", "one-torn-record"],
)
def test_log_add_never_changes_a_file_that_is_no_log(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(content)
    code, out, err = run(capsys, "log", "add", str(path), *ADD)
    assert (code, out) == (2, ""), err
    assert err.startswith(f"{path}: line 1"), err
    assert path.read_bytes() == content
    with pytest.raises(InputError, match="line 1"):
        append(path, [Record(dt.datetime(2027, 1, 4, tzinfo=dt.UTC), "done", task="a.b.c")])
    assert path.read_bytes() == content


def test_a_log_of_one_huge_line_is_an_input_error_not_empty(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "log.jsonl"
    path.write_bytes(b"[" + b"1," * 1_000_000 + b"1]")
    code, out, err = run(capsys, "log", "check", str(path))
    assert (code, out) == (2, ""), err
    assert err.startswith(f"{path}: line 1: expected a JSON object — not a"), err


def test_a_one_record_log_without_its_end_is_kept_when_appended_to(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    first = dumps([Record(dt.datetime(2027, 1, 4, tzinfo=dt.UTC), "done", task="a.b.c")], "jsonl")
    path.write_bytes(first.rstrip(b"\n"))
    assert read_log(path).records[0].task == "a.b.c"
    assert (
        append(path, [Record(dt.datetime(2027, 1, 5, tzinfo=dt.UTC), "done", task="d.e.f")]) == []
    )
    assert [r.task for r in read_log(path).records] == ["a.b.c", "d.e.f"]


def test_a_torn_line_after_records_is_still_cut(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    first = dumps([Record(dt.datetime(2027, 1, 4, tzinfo=dt.UTC), "done", task="a.b.c")], "jsonl")
    path.write_bytes(first + b'{"task": "x')
    (warning,) = append(path, [Record(dt.datetime(2027, 1, 5, tzinfo=dt.UTC), "done", task="d")])
    assert "cut off before appending" in warning
    assert [r.task for r in read_log(path).records] == ["a.b.c", "d"]


# Echo: a message quotes at most 40 characters of the input.
LONG_KEY = "k" * 431


@pytest.mark.parametrize(
    ("name", "content", "option"),
    [
        ("office.toml", f"[{LONG_KEY}]\n[{LONG_KEY}]\n", None),
        ("office.toml", "[organisation]\nname = " + "k" * 431 + "\n", None),
        ("closures.ics", "BEGIN:VCALENDAR\r\nX" + "k" * 431 + "\r\nEND:VCALENDAR\r\n", None),
        ("closures.ics", ics("DTSTART:" + "9" * 431 + "\r\n"), None),
        (
            "previous.ics",
            "BEGIN:VCALENDAR\r\nX" + "k" * 431 + "\r\nEND:VCALENDAR\r\n",
            "--previous",
        ),
        ("previous.ics", ics("DTSTART:" + "9" * 431 + "\r\n"), "--previous"),
        ("mapping.toml", f"[{LONG_KEY}]\n[{LONG_KEY}]\n", "mapping"),
    ],
    ids=[
        "toml-key",
        "toml-value",
        "ics-line",
        "ics-start",
        "previous-line",
        "previous-start",
        "map",
    ],
)
def test_syntax_errors_quote_at_most_40_characters(
    capsys: pytest.CaptureFixture[str],
    folder: Path,
    name: str,
    content: str,
    option: str | None,
) -> None:
    (folder / name).write_text(content)
    if name == "closures.ics":
        add_to(folder, "office.toml", '[[blackouts]]\nics = "closures.ics"\n')
    if option == "mapping":
        (folder / "export.csv").write_text("a\n1\n")
        arguments = ["log", "import", str(folder / "export.csv"), "--to", str(folder / "log.jsonl")]
        code, _, err = run(capsys, *arguments, "--mapping", str(folder / name))
    elif option:
        code, _, err = plan(capsys, folder, "office.toml", option, str(folder / name))
    else:
        code, _, err = plan(capsys, folder, "office.toml")
    assert code == 2, err
    assert "Traceback" not in err
    longest = max(len(run_) for run_ in re.findall(r"k+|9+", err))
    assert 20 < longest <= 39, err  # 40 with the ellipsis


# Crash residue: a killed run's temporary files are removed by the next run.
def test_a_later_run_removes_stale_temporary_files_of_its_own_outputs(
    capsys: pytest.CaptureFixture[str], folder: Path
) -> None:
    out = folder / "out"
    out.mkdir()
    stale = out / ".plan.json.0123456789ab.tmp"
    held = out / ".plan.json.ba9876543210.tmp"
    other = out / ".notes.json.0123456789ab.tmp"
    unlike = out / ".plan.json.backup.tmp"
    for path in (stale, held, other, unlike):
        path.write_bytes(b"{half a plan")
        os.utime(path, (1_700_000_000, 1_700_000_000))
    with held.open("rb") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # a live writer's
        code, _, err = plan(capsys, folder, "office.toml")
    assert code == 0, err
    left = sorted(path.name for path in out.iterdir())
    assert left == sorted([held.name, other.name, unlike.name, "plan.ics", "plan.json"])


def test_a_temporary_file_newer_than_the_run_is_left(tmp_path: Path) -> None:
    target = tmp_path / "plan.json"
    fresh = tmp_path / ".plan.json.0123456789ab.tmp"
    fresh.write_bytes(b"")
    assert remove_stale(target, before=fresh.stat().st_mtime) == []
    assert remove_stale(target, before=fresh.stat().st_mtime + 1) == [fresh]
    assert not fresh.exists()
