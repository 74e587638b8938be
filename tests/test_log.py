"""The maintenance log: records, both formats read back, safe appends, imports."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from maintlib import cli
from maintlib.model.errors import InputError
from maintlib.records.log import (
    FIELDS,
    Log,
    Outcome,
    Record,
    append,
    dumps,
    import_export,
    parse_log,
    read_log,
    read_mapping,
)

DATA = Path(__file__).parent / "data" / "history"
ZONE = ZoneInfo("Europe/Amsterdam")


def moment(day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2027, 3, day, hour, tzinfo=ZONE)


def record(**fields: object) -> Record:
    values: dict[str, object] = {
        "task": "srv01.health-check.20270301T0000",
        "finished": moment(2),
        "outcome": Outcome.DONE,
    }
    values.update(fields)
    return Record(**values)  # type: ignore[arg-type]


_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=20).map(str.strip)
_ID = st.from_regex(r"[a-z0-9][a-z0-9-]{0,10}", fullmatch=True)
_MOMENTS = st.datetimes(
    min_value=dt.datetime(2020, 1, 1),
    max_value=dt.datetime(2030, 1, 1),
    timezones=st.sampled_from([ZONE, dt.UTC, ZoneInfo("America/New_York")]),
    allow_imaginary=False,
).map(lambda m: m.replace(microsecond=0))


@st.composite
def records(draw: st.DrawFn) -> Record:
    finished = draw(_MOMENTS)
    started = draw(
        st.none() | st.just(finished - draw(st.timedeltas(dt.timedelta(0), dt.timedelta(days=2))))
    )
    outcome = draw(st.sampled_from(Outcome))
    reason = draw(_TEXT)
    if outcome is Outcome.SKIPPED and not reason:
        reason = "not needed"
    by_task = draw(st.booleans())
    return Record(
        finished=finished,
        outcome=outcome,
        task=f"{draw(_ID)}.{draw(_ID)}.20270301T0000" if by_task else None,
        asset=None if by_task else draw(_ID),
        activity=None if by_task else draw(_ID),
        due=None if by_task else draw(_MOMENTS),
        started=started,
        by=draw(_TEXT),
        reason=reason,
        notes=draw(_TEXT),
        covers=tuple(
            draw(st.lists(st.from_regex(r"(KB|CVE-)[0-9]{4,7}", fullmatch=True), max_size=3))
        ),
    )


def utc(items: Sequence[Record]) -> list[Record]:
    """``items`` with every time in UTC: the same instants compare equal even in a
    DST overlap (where Python's comparison across zones says they differ)."""

    def moment(value: dt.datetime | None) -> dt.datetime | None:
        return value.astimezone(dt.UTC) if value is not None else None

    return [
        attrs.evolve(r, finished=moment(r.finished), started=moment(r.started), due=moment(r.due))
        for r in items
    ]


class TestRecord:
    @pytest.mark.parametrize(
        ("fields", "message"),
        [
            ({"finished": dt.datetime(2027, 3, 2, 10)}, "no offset"),
            ({"outcome": "skipped"}, "needs a reason"),
            ({"started": moment(3)}, "is after finished"),
            ({"task": None}, "name the work"),
            ({"task": None, "asset": "srv01", "activity": "health-check"}, "name the work"),
            ({"covers": ("KB1;KB2",)}, "covers"),
            ({"outcome": "finished"}, "is not a valid Outcome"),
        ],
    )
    def test_invalid_records_are_refused(self, fields: dict[str, object], message: str) -> None:
        with pytest.raises(ValueError, match=message):
            record(**fields)

    def test_the_key_of_work_outside_the_plan_is_the_due_uid(self) -> None:
        outside = record(
            task=None,
            asset="srv01",
            activity="security-updates",
            due=dt.datetime(2027, 3, 9, 10, tzinfo=ZoneInfo("America/Los_Angeles")),
        )
        assert outside.key(ZONE) == "srv01.security-updates.20270309T1900"


class TestFormats:
    @given(st.lists(records(), max_size=6))
    def test_jsonl_round_trip_and_independent_reader(self, items: list[Record]) -> None:
        data = dumps(items, "jsonl")
        assert utc(parse_log(data, "jsonl").records) == utc(items)
        lines = data.decode().splitlines()
        assert [json.loads(line) for line in lines] == [item.to_json() for item in items]

    @given(st.lists(records(), max_size=6))
    def test_csv_round_trip_and_independent_reader(self, items: list[Record]) -> None:
        data = dumps(items, "csv")
        assert utc(parse_log(data, "csv").records) == utc(items)
        rows = list(csv.DictReader(io.StringIO(data.decode(), newline="")))
        assert [row["outcome"] for row in rows] == [item.outcome.value for item in items]
        assert [row["finished"] for row in rows] == [item.finished.isoformat() for item in items]
        assert list(rows[0]) == list(FIELDS) if rows else True

    def test_bad_lines_are_located(self) -> None:
        data = (
            b'{"task":"a.b.20270301T0000","finished":"2027-03-02T10:00:00+01:00","outcome":"done"}\n'
            b"{not json}\n"
            b'{"task":"a.b.20270301T0000","finished":"2027-03-02T10:00:00","outcome":"done"}\n'
            b'{"task":"a.b.20270301T0000","finished":"2027-03-02T10:00:00Z","outcome":"done","x":1}\n'
        )
        with pytest.raises(InputError) as error:
            parse_log(data, "jsonl", "log.jsonl")
        assert [str(p) for p in error.value.problems] == [
            "log.jsonl: line 2, column 2: bad JSON: Expecting property name enclosed in double quotes",
            'log.jsonl: line 3: finished: "2027-03-02T10:00:00" has no offset: add +01:00 or Z',
            'log.jsonl: line 4: unknown field "x" (fields: ' + ", ".join(FIELDS) + ")",
        ]

    def test_a_csv_log_with_an_unknown_column_is_refused(self) -> None:
        with pytest.raises(InputError, match='line 1: unknown column "when"'):
            parse_log(b"task,when\nx,y\n", "csv", "log.csv")

    @pytest.mark.parametrize("format", ["jsonl", "csv"])
    def test_a_torn_last_line_is_reported_with_its_line_and_ignored(self, format: str) -> None:
        whole = dumps([record(), record(by="anna")], format)  # type: ignore[arg-type]
        torn = whole + dumps([record(by="bram")], format, header=False)[:25]  # type: ignore[arg-type]
        log = parse_log(torn, format, "log")  # type: ignore[arg-type]
        assert [r.by for r in log.records] == ["", "anna"]
        line = whole.count(b"\n") + 1
        assert log.warnings == (
            f"log: line {line}: the last line has no end (a writer was interrupted): it is ignored",
        )


class TestAppend:
    @pytest.mark.parametrize("name", ["log.jsonl", "log.csv"])
    def test_appends_add_lines(self, tmp_path: Path, name: str) -> None:
        path = tmp_path / name
        assert append(path, [record()]) == []
        assert append(path, [record(by="anna"), record(by="bram")]) == []
        assert [r.by for r in read_log(path).records] == ["", "anna", "bram"]

    def test_a_torn_line_is_cut_before_appending(self, tmp_path: Path) -> None:
        path = tmp_path / "log.jsonl"
        append(path, [record()])
        with path.open("ab") as handle:
            handle.write(b'{"task":"srv01.hea')
        warnings = append(path, [record(by="anna")])
        assert warnings == [
            f"{path}: line 2: the last line has no end (a writer was interrupted): it is"
            ' ignored; cut off before appending: {"task":"srv01.hea'
        ]
        log = read_log(path)
        assert [r.by for r in log.records] == ["", "anna"]
        assert log.warnings == ()

    def test_concurrent_writers_lose_nothing(self, tmp_path: Path) -> None:
        path = tmp_path / "log.jsonl"
        writers = [_writer(path, f"writer{n}-", 40, 5000) for n in range(4)]
        assert [writer.wait(timeout=120) for writer in writers] == [0, 0, 0, 0]
        log = read_log(path)
        assert log.warnings == ()
        assert sorted(r.by for r in log.records) == sorted(
            f"writer{n}-{i}" for n in range(4) for i in range(40)
        )

    def test_a_killed_writer_leaves_every_earlier_record(self, tmp_path: Path) -> None:
        path = tmp_path / "log.jsonl"
        writer = _writer(path, "n", 100_000, 2000)
        try:
            deadline = time.monotonic() + 60
            while (
                not path.exists() or path.stat().st_size < 50_000
            ) and time.monotonic() < deadline:
                time.sleep(0.01)
        finally:
            writer.send_signal(signal.SIGKILL)
            writer.wait()
        log = read_log(path)  # raises on any bad line but a torn last one
        numbers = [int(r.by[1:]) for r in log.records]
        assert numbers == list(range(len(numbers)))
        assert len(numbers) >= 20
        append(path, [record(by="after")])
        again = read_log(path)
        assert again.warnings == ()
        assert [r.by for r in again.records][-1] == "after"
        assert len(again.records) == len(numbers) + 1


def _writer(path: Path, name: str, count: int, size: int) -> subprocess.Popen[bytes]:
    """A process appending ``count`` records to ``path``, one at a time, named
    ``<name><index>`` with ``size`` bytes of notes."""
    script = (
        "import sys, datetime as dt\n"
        "from maintlib.records.log import Record, append\n"
        "finished = dt.datetime(2027, 3, 2, 10, tzinfo=dt.UTC)\n"
        "for i in range(int(sys.argv[3])):\n"
        "    append(sys.argv[1], [Record(finished=finished, outcome='done',"
        " task='a.b.20270301T0000', by=f'{sys.argv[2]}{i}', notes='x' * int(sys.argv[4]))])\n"
    )
    return subprocess.Popen([sys.executable, "-c", script, str(path), name, str(count), str(size)])


class TestImport:
    def test_an_export_is_read_through_its_mapping(self) -> None:
        mapping = read_mapping(DATA / "rmm-mapping.toml")
        records = import_export((DATA / "rmm-export.csv").read_bytes(), mapping)
        assert [(r.asset, r.activity, r.outcome, r.covers) for r in records] == [
            ("srv01", "security-updates", Outcome.DONE, ("KB5049983",)),
            ("srv01", "security-updates", Outcome.FAILED, ()),
            ("nas01", "restore-test", Outcome.SKIPPED, ()),
            ("srv01", "health-check", Outcome.DONE, ("KB1", "KB2")),
        ]
        first = records[0]
        assert first.due == dt.datetime(2027, 1, 12, 19, 0, tzinfo=ZONE)
        assert first.started == dt.datetime(2027, 1, 16, 22, 0, tzinfo=ZONE)
        assert first.by == "Bram"
        assert records[2].reason == "NAS replaced"

    def test_bad_rows_are_located(self) -> None:
        mapping = read_mapping(DATA / "rmm-mapping.toml")
        data = (
            DATA / "rmm-export.csv"
        ).read_bytes() + b"srv01;Patch;12-01-2027 19:00;;32-01-2027 10:00;X;Bogus;;\n"
        with pytest.raises(InputError) as error:
            import_export(data, mapping, file="export.csv")
        assert [str(p) for p in error.value.problems] == [
            'export.csv: line 6, column "End": "32-01-2027 10:00" does not match the time'
            " format %d-%m-%Y %H:%M"
        ]

    def test_a_bad_mapping_is_located(self, tmp_path: Path) -> None:
        path = tmp_path / "map.toml"
        path.write_text(
            'timezone = "Mars/Olympus"\ncolour = 1\n[columns]\nwhen = "Date"\n'
            '[outcomes]\nOK = "fine"\n'
        )
        with pytest.raises(InputError) as error:
            read_mapping(path)
        assert [p.location for p in error.value.problems] == [
            "colour",
            "columns.when",
            "columns",
            "outcomes.OK",
            "timezone",
        ]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


class TestCommands:
    def test_log_add_appends_one_record(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        path = tmp_path / "log.jsonl"
        arguments = ["log", "add", str(path), "--task", "srv01.health-check.20270301T0000"]
        times = [
            "--started",
            "2027-03-02T09:00:00+01:00",
            "--finished",
            "2027-03-02T10:00:00+01:00",
        ]
        code, out, _ = run(capsys, *arguments, *times, "--outcome", "done", "--covers", "KB1")
        assert (code, out) == (0, f"appended 1 record to {path}\n")
        code, _, _ = run(capsys, *arguments, *times, "--outcome", "failed", "--reason", "disk full")
        assert code == 0
        log = read_log(path)
        assert [(r.outcome, r.covers, r.reason) for r in log.records] == [
            (Outcome.DONE, ("KB1",), ""),
            (Outcome.FAILED, (), "disk full"),
        ]

    def test_log_add_refuses_bad_input_with_exit_2(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        path = tmp_path / "log.jsonl"
        code, _, err = run(
            capsys, "log", "add", str(path), "--asset", "srv01",
            "--finished", "2027-03-02T10:00:00+01:00", "--outcome", "done",
        )  # fmt: skip
        assert code == 2
        assert "name the work: task, or asset, activity and due" in err
        assert not path.exists()

    def test_log_add_refuses_to_append_to_a_file_that_is_no_log(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        path = tmp_path / "log.jsonl"
        path.write_text("hello\n")
        code, _, err = run(
            capsys, "log", "add", str(path), "--task", "a.b.20270301T0000",
            "--finished", "2027-03-02T10:00:00+01:00", "--outcome", "done",
        )  # fmt: skip
        assert code == 2
        assert f"{path}: line 1, column 1: bad JSON" in err
        assert path.read_text() == "hello\n"

    def test_log_check_reports_a_torn_line(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        path = tmp_path / "log.jsonl"
        path.write_bytes(dumps([record()], "jsonl") + b'{"task"')
        code, out, err = run(capsys, "log", "check", str(path))
        assert (code, out) == (0, f"{path}: 1 records\n")
        assert f"warning: {path}: line 2: the last line has no end" in err

    def test_log_import_appends_the_export(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        path = tmp_path / "log.csv"
        code, out, _ = run(
            capsys, "log", "import", str(DATA / "rmm-export.csv"),
            "--mapping", str(DATA / "rmm-mapping.toml"), "--to", str(path),
        )  # fmt: skip
        assert (code, out) == (0, f"appended 4 records to {path}\n")
        assert len(read_log(path).records) == 4
        assert path.read_text().splitlines()[0] == ",".join(FIELDS)


def test_the_sample_log_reads(tmp_path: Path) -> None:
    log = read_log(DATA / "log.jsonl")
    assert isinstance(log, Log)
    assert len(log.records) == 12
    assert log.lines == tuple(range(1, 13))
    assert os.fspath(DATA / "log.jsonl") == log.file


class TestDocs:
    TEXT = (Path(__file__).parent.parent / "docs" / "log.md").read_text(encoding="utf-8")

    def test_the_documented_lines_read(self) -> None:
        (jsonl,) = re.findall(r"```json\n(.*?)```", self.TEXT, re.DOTALL)
        assert len(parse_log(jsonl.encode(), "jsonl").records) == 3
        csv_block = next(
            b
            for b in re.findall(r"```text\n(.*?)```", self.TEXT, re.DOTALL)
            if b.startswith("task,")
        )
        (only,) = parse_log(csv_block.encode(), "csv").records
        assert only.covers == ("KB5049983",)

    def test_the_documented_mapping_is_the_tested_one(self, tmp_path: Path) -> None:
        (block,) = re.findall(r"```toml\n(.*?)```", self.TEXT, re.DOTALL)
        path = tmp_path / "map.toml"
        path.write_text(block)
        documented, tested = read_mapping(path), read_mapping(DATA / "rmm-mapping.toml")
        assert documented.columns == tested.columns
        assert documented.outcomes == tested.outcomes
        assert set(documented.activities.items()) <= set(tested.activities.items())
