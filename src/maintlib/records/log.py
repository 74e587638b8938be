"""The maintenance log: what was done, when, by whom, and how it ended.

One :class:`Record` per piece of work, in a file of JSON Lines (``.jsonl``) or
CSV (``.csv``); ``docs/log.md`` documents both, field by field.

* :func:`read_log` reads a log and checks every record; every problem is
  reported with the file and line. A last line without its newline is what a
  writer killed in the middle of a write leaves: it is ignored, and reported as
  a warning with its line number (:attr:`Log.warnings`), never silently.
* :func:`append` adds records safely while other writers append too: it takes
  an exclusive lock on the file, writes the records with one ``write`` on a file
  opened ``O_APPEND``, then ``fsync`` s. A torn line left by a killed writer is
  cut off first (and reported), so the new records start on a line of their own.
* :func:`import_export` reads an RMM/PSA ticket export (CSV) through a mapping
  of its columns (``docs/log.md``, "Importing an export").
"""

from __future__ import annotations

import csv
import datetime as dt
import enum
import fcntl
import io
import json
import os
import stat
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs

from maintlib._util.json import JsonInputError, loads
from maintlib._util.text import excerpt, quoting_briefly
from maintlib.model.errors import InputError, Problem
from maintlib.model.limits import MAX_FILE_BYTES, date_problem, read_input

__all__ = [
    "FIELDS",
    "ColumnMapping",
    "Log",
    "Outcome",
    "Record",
    "append",
    "dumps",
    "import_export",
    "log_format",
    "parse_log",
    "read_log",
    "read_mapping",
    "record_from_fields",
]


#: The fields of a record, in the order CSV logs write them.
FIELDS = (
    "task",
    "asset",
    "activity",
    "due",
    "started",
    "finished",
    "by",
    "outcome",
    "reason",
    "notes",
    "covers",
)


#: How a CSV log separates the releases and CVEs of ``covers``.
COVERS_SEPARATOR = ";"


LogFormat = Literal["jsonl", "csv"]


class Outcome(enum.StrEnum):
    """How a piece of work ended."""

    DONE = "done"
    FAILED = "failed"
    ROLLED_BACK = "rolled_back"
    #: Not done on purpose; a reason is required.
    SKIPPED = "skipped"


def _aware(value: dt.datetime | None) -> None:
    if value is None:
        return
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{value.isoformat()} has no offset: write +01:00 or Z")
    problem = date_problem(value)
    if problem is not None:
        raise ValueError(f"{value.isoformat()}: {problem}")


@attrs.frozen
class Record:
    """One piece of maintenance work, as it was done.

    The work is named by ``task`` (the task uid of the plan), or, for work done
    outside a plan, by ``asset`` (or ``organisation``), ``activity`` and ``due``
    (the anchor of the due it fulfils: the release, or the period start).

    Attributes:
        task: The task uid, or None.
        asset: The asset id (``organisation`` for organisation-wide work), or None.
        activity: The activity (``security-updates``), or None.
        due: The due's anchor (aware), or None.
        started: When work started (aware), or None when not known.
        finished: When work ended (aware).
        by: Who did it.
        outcome: ``done``, ``failed``, ``rolled_back`` or ``skipped``.
        reason: Why it was skipped (required then), or why it failed.
        notes: Anything else.
        covers: The releases or CVEs the work installed (``KB5040442``, ``CVE-2024-3400``).
    """

    finished: dt.datetime
    outcome: Outcome = attrs.field(converter=Outcome)
    task: str | None = None
    asset: str | None = None
    activity: str | None = None
    due: dt.datetime | None = None
    started: dt.datetime | None = None
    by: str = ""
    reason: str = ""
    notes: str = ""
    covers: tuple[str, ...] = attrs.field(default=(), converter=tuple)

    def __attrs_post_init__(self) -> None:
        for moment in (self.finished, self.due, self.started):
            _aware(moment)
        if not self.task and not (self.asset and self.activity and self.due):
            raise ValueError("name the work: task, or asset, activity and due")
        if self.started is not None and self.started > self.finished:
            raise ValueError(
                f"started {self.started.isoformat()} is after finished {self.finished.isoformat()}"
            )
        if self.outcome is Outcome.SKIPPED and not self.reason.strip():
            raise ValueError("a skipped record needs a reason")
        if any(not item or COVERS_SEPARATOR in item for item in self.covers):
            raise ValueError(f"covers: empty item, or one with {COVERS_SEPARATOR!r} in it")

    @property
    def begun(self) -> dt.datetime:
        """When work started, or, when that is not known, when it ended."""
        return self.started if self.started is not None else self.finished

    def key(self, zone: ZoneInfo) -> str:
        """The uid of the due the record is for: ``task``, or the uid
        ``asset.activity.YYYYMMDDTHHMM`` that the plan gives that due (the anchor on
        the organisation's wall clock in ``zone``)."""
        if self.task:
            return self.task
        assert self.due is not None
        return f"{self.asset}.{self.activity}.{self.due.astimezone(zone):%Y%m%dT%H%M}"

    def to_json(self) -> dict[str, Any]:
        """The record as a JSON object (fields at their defaults left out)."""
        document: dict[str, Any] = {}
        for name in FIELDS:
            value = getattr(self, name)
            if value is None or value == "" or value == ():
                continue
            if isinstance(value, dt.datetime):
                value = value.isoformat()
            elif isinstance(value, tuple):
                value = list(value)
            elif isinstance(value, Outcome):
                value = value.value
            document[name] = value
        return document

    def to_row(self) -> list[str]:
        """The record as a CSV row, in :data:`FIELDS` order."""
        document = self.to_json()
        row = []
        for name in FIELDS:
            value = document.get(name, "")
            row.append(COVERS_SEPARATOR.join(value) if isinstance(value, list) else str(value))
        return row


@attrs.frozen
class Log:
    """A maintenance log as read.

    Attributes:
        records: The records, in file order.
        lines: Each record's line number in its file (a CSV record's first line).
        file: The file's name as given.
        warnings: What was read but ignored (a torn last line), with its line.
    """

    records: tuple[Record, ...] = ()
    lines: tuple[int, ...] = ()
    file: str = "<log>"
    warnings: tuple[str, ...] = ()

    def located(self) -> Iterable[tuple[str, Record]]:
        """``("log.jsonl: line 4", record)`` for every record."""
        for line, record in zip(self.lines, self.records, strict=True):
            yield f"{self.file}: line {line}", record


def log_format(path: str | os.PathLike[str]) -> LogFormat:
    """``csv`` for a ``.csv`` file, else ``jsonl``."""
    return "csv" if os.fspath(path).lower().endswith(".csv") else "jsonl"


def _moment(text: object, field: str) -> dt.datetime | None:
    if text is None or text == "":
        return None
    if not isinstance(text, str):
        raise ValueError(f"{field}: expected a date-time text, got {type(text).__name__}")
    try:
        value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(
            f'{field}: "{excerpt(text)}" is not a date-time (2027-03-09T22:15:00+01:00)'
        ) from None
    if value.tzinfo is None:
        raise ValueError(f'{field}: "{excerpt(text)}" has no offset: add +01:00 or Z')
    problem = date_problem(value)
    if problem is not None:
        raise ValueError(f"{field}: {problem}")
    return value


def _text(value: object, field: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError(f"{field}: expected text, got {type(value).__name__}")
    return value.strip()


def record_from_fields(fields: Mapping[str, object]) -> Record:
    """A record from its fields as a log stores them (texts, ISO 8601 times).

    Raises:
        ValueError: A field is missing, unknown or invalid (the message names it).
    """
    unknown = sorted(set(fields) - set(FIELDS))
    if unknown:
        raise ValueError(f'unknown field "{excerpt(unknown[0])}" (fields: {", ".join(FIELDS)})')
    finished = _moment(fields.get("finished"), "finished")
    if finished is None:
        raise ValueError("finished: missing (when the work ended)")
    outcome = _text(fields.get("outcome"), "outcome")
    if outcome not in Outcome.__members__.values():
        raise ValueError(
            f'outcome: "{excerpt(outcome)}" is none of {", ".join(o.value for o in Outcome)}'
        )
    covers = fields.get("covers", ())
    if isinstance(covers, str):
        covers = [item.strip() for item in covers.split(COVERS_SEPARATOR) if item.strip()]
    if not isinstance(covers, list | tuple) or not all(isinstance(c, str) for c in covers):
        raise ValueError("covers: expected a list of release or CVE ids")
    return Record(
        finished=finished,
        outcome=Outcome(outcome),
        task=_text(fields.get("task"), "task") or None,
        asset=_text(fields.get("asset"), "asset") or None,
        activity=_text(fields.get("activity"), "activity") or None,
        due=_moment(fields.get("due"), "due"),
        started=_moment(fields.get("started"), "started"),
        by=_text(fields.get("by"), "by"),
        reason=_text(fields.get("reason"), "reason"),
        notes=_text(fields.get("notes"), "notes"),
        covers=tuple(covers),
    )


def dumps(records: Iterable[Record], format: LogFormat, *, header: bool = True) -> bytes:
    """``records`` as lines of a log in ``format`` (a CSV log with its header line
    unless ``header`` is False)."""
    if format == "jsonl":
        return b"".join(
            json.dumps(r.to_json(), ensure_ascii=False, separators=(",", ":")).encode() + b"\n"
            for r in records
        )
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if header:
        writer.writerow(FIELDS)
    writer.writerows(r.to_row() for r in records)
    return buffer.getvalue().encode()


def _split_torn(data: bytes) -> tuple[bytes, bytes]:
    """``(complete lines, torn tail)``: the tail is what follows the last newline."""
    cut = data.rfind(b"\n") + 1
    return data[:cut], data[cut:]


def _torn_warning(file: str, line: int) -> str:
    return (
        f"{file}: line {line}: the last line has no end (a writer was interrupted): it is ignored"
    )


def read_log(path: str | os.PathLike[str], *, name: str | None = None) -> Log:
    """Read and check a maintenance log (JSON Lines, or CSV for ``.csv``).

    Args:
        path: The log file.
        name: How to name the file in messages (default: ``path`` as given).

    Returns:
        The log; a torn last line is left out and named in ``warnings``.

    Raises:
        InputError: Every bad line, with the file and line number.
        OSError: The file cannot be read.
    """
    file = name or os.fspath(path)
    try:
        data = read_input(path)
    except ValueError as error:  # not a regular file, or too large
        raise InputError([Problem(file, "", f"cannot read: {error}")]) from None
    return parse_log(data, log_format(path), file)


def parse_log(data: bytes, format: LogFormat, file: str = "<log>") -> Log:
    """A log from its bytes; see :func:`read_log`.

    A last line without its end is a torn record (a writer was interrupted) only
    after lines that are log records (or a CSV log's header): a file that is one
    line without an end is read as that line, so a file that is no log is refused
    whatever its length, and a one-record log written without its final newline
    is read whole.
    """
    complete, torn = _split_torn(data)
    if not complete.strip():
        complete, torn = data + b"\n", b""
    try:
        text = complete.decode("utf-8")
    except UnicodeDecodeError as error:
        line = complete[: error.start].count(b"\n") + 1
        raise InputError([Problem(file, f"line {line}", "not UTF-8 text")]) from None
    warnings: list[str] = []
    if torn.strip():
        warnings.append(_torn_warning(file, text.count("\n") + 1))
    records: list[Record] = []
    lines: list[int] = []
    problems: list[Problem] = []
    for line, fields in _rows(text, format, file, problems):
        try:
            records.append(record_from_fields(fields))
        except ValueError as error:
            problems.append(Problem(file, f"line {line}", str(error)))
        else:
            lines.append(line)
    if problems and not records and problems[0].location.startswith("line 1"):
        first = problems[0]
        problems[0] = attrs.evolve(first, message=f"{first.message} — {_NO_LOG}")
    if problems:
        raise InputError(problems)
    return Log(tuple(records), tuple(lines), file, tuple(warnings))


#: What a file whose first line is no record probably is.
_NO_LOG = "not a maintenance log? (one JSON object or CSV row per record: docs/log.md)"


def _rows(
    text: str, format: LogFormat, file: str, problems: list[Problem]
) -> Iterable[tuple[int, Mapping[str, object]]]:
    if format == "jsonl":
        for number, line in enumerate(text.split("\n"), 1):
            if not line.strip():
                continue
            try:
                value = loads(line)
            except JsonInputError as error:
                column = error.where.partition(", ")[2]
                problems.append(
                    Problem(
                        file,
                        f"line {number}" + (f", {column}" if column else ""),
                        f"bad JSON: {error.message}",
                    )
                )
                continue
            if not isinstance(value, dict):
                problems.append(Problem(file, f"line {number}", "expected a JSON object"))
                continue
            yield number, value
        return
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    for row in reader:
        number = reader.line_num - sum(cell.count("\n") for cell in row)
        if not any(cell.strip() for cell in row):
            continue
        if header is None:
            header = [cell.strip() for cell in row]
            unknown = [cell for cell in header if cell not in FIELDS]
            if unknown:
                problems.append(
                    Problem(
                        file,
                        f"line {number}",
                        f'unknown column "{excerpt(unknown[0])}" (columns: {", ".join(FIELDS)})',
                    )
                )
                return
            continue
        if len(row) != len(header):
            problems.append(
                Problem(file, f"line {number}", f"{len(row)} cells, the header has {len(header)}")
            )
            continue
        yield number, dict(zip(header, row, strict=True))


def append(path: str | os.PathLike[str], records: Sequence[Record]) -> list[str]:
    """Append ``records`` to the log at ``path`` (created when missing), safely.

    Under an exclusive ``flock`` on the file: the file is read whole and checked
    to be a log (:func:`parse_log`; a file that is no log is never changed), a
    torn last line (a killed writer's) is cut off, the records are written with
    one ``write`` of the whole lines to a file opened with ``O_APPEND``, and the
    file is ``fsync`` ed before the lock goes. Concurrent writers that use this
    function never interleave, and a writer killed at any point leaves every
    earlier record intact.

    Returns:
        Warnings: the torn line cut off, with its line number and text.

    Raises:
        InputError: The file is not a log (not a regular file, or a line that is
            no record): nothing is written.
        OSError: The file cannot be opened, locked or written.
    """
    format = log_format(path)
    file = os.fspath(path)
    warnings: list[str] = []
    fd = os.open(file, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o666)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise InputError([Problem(file, "", "not a regular file: a log is not appended to it")])
        data = _read_all(fd, file)
        prefix = b""
        if data:
            log = parse_log(data, format, file)  # a file that is no log is never changed
            if log.warnings:
                warnings.extend(_cut_torn(fd, file, data))
            elif not data.endswith(b"\n"):
                prefix = b"\n"  # one record written without its end: keep it
        content = prefix + dumps(records, format, header=not data.strip())
        written = 0
        while written < len(content):
            written += os.write(fd, content[written:])
        os.fsync(fd)
    finally:
        os.close(fd)  # closing releases the lock
    return warnings


def _read_all(fd: int, file: str) -> bytes:
    """The whole content of the open file, read from its start."""
    pieces = []
    offset = 0
    while piece := os.pread(fd, 1 << 20, offset):
        pieces.append(piece)
        offset += len(piece)
        if offset > MAX_FILE_BYTES:
            raise InputError([Problem(file, "", f"larger than {MAX_FILE_BYTES:,} bytes")])
    return b"".join(pieces)


def _cut_torn(fd: int, file: str, data: bytes) -> list[str]:
    """Cut the torn last line off the open log; the warning."""
    complete, torn = _split_torn(data)
    os.ftruncate(fd, len(complete))
    os.fsync(fd)
    line = complete.count(b"\n") + 1
    text = excerpt(torn.decode("utf-8", "replace"))
    return [f"{_torn_warning(file, line)}; cut off before appending: {text}"]


@attrs.frozen
class ColumnMapping:
    """How an export's columns become log fields (``docs/log.md``).

    Attributes:
        columns: Log field → the export's column holding it.
        outcomes: The export's status text → outcome (case-insensitive).
        activities: The export's job or category text → activity.
        timezone: The zone of timestamps written without an offset, or None
            (then such a timestamp is an error).
        time_format: A :func:`~datetime.datetime.strptime` format of the
            timestamps, or None for ISO 8601.
        covers_separator: What separates several releases or CVEs in a cell.
        delimiter: The CSV delimiter.
    """

    columns: Mapping[str, str]
    outcomes: Mapping[str, Outcome] = attrs.field(factory=dict)
    activities: Mapping[str, str] = attrs.field(factory=dict)
    timezone: ZoneInfo | None = None
    time_format: str | None = None
    covers_separator: str = ","
    delimiter: str = ","


_MAPPING_KEYS = {
    "columns",
    "outcomes",
    "activities",
    "timezone",
    "time_format",
    "covers_separator",
    "delimiter",
}


def read_mapping(path: str | os.PathLike[str]) -> ColumnMapping:
    """Read a column mapping (TOML); every problem is located by key.

    Raises:
        InputError: The mapping is not valid.
    """
    file = os.fspath(path)
    try:
        document = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise InputError([Problem(file, "", f"not TOML: {quoting_briefly(error)}")]) from None
    except UnicodeDecodeError:
        raise InputError([Problem(file, "", "not UTF-8 text")]) from None
    problems: list[Problem] = []
    for key in sorted(set(document) - _MAPPING_KEYS):
        problems.append(
            Problem(file, key, f"unknown key (keys: {', '.join(sorted(_MAPPING_KEYS))})")
        )
    columns = _mapping_columns(document, file, problems)
    outcomes = _mapping_outcomes(document, file, problems)
    activities = document.get("activities", {})
    if not isinstance(activities, dict) or not all(
        isinstance(v, str) and v for v in activities.values()
    ):
        problems.append(Problem(file, "activities", "expected a table of job = activity"))
        activities = {}
    zone = None
    if "timezone" in document:
        try:
            zone = ZoneInfo(str(document["timezone"]))
        except (ZoneInfoNotFoundError, ValueError):
            problems.append(Problem(file, "timezone", "unknown time zone (Europe/Amsterdam)"))
    texts = _mapping_texts(document, file, problems)
    if problems:
        raise InputError(problems)
    return ColumnMapping(
        columns=dict(columns),
        outcomes=outcomes,
        activities=dict(activities),
        timezone=zone,
        time_format=texts["time_format"],
        covers_separator=texts["covers_separator"] or ",",
        delimiter=texts["delimiter"] or ",",
    )


def _mapping_columns(
    document: dict[str, Any], file: str, problems: list[Problem]
) -> dict[str, Any]:
    """The mapping's ``columns`` table (log field = export column), checked."""
    columns = document.get("columns")
    if not isinstance(columns, dict) or not columns:
        problems.append(Problem(file, "columns", "missing: a table of log field = export column"))
        columns = {}
    for field, column in columns.items():
        if field not in FIELDS:
            problems.append(
                Problem(
                    file, f"columns.{field}", f"unknown log field (fields: {', '.join(FIELDS)})"
                )
            )
        elif not isinstance(column, str) or not column:
            problems.append(Problem(file, f"columns.{field}", "expected a column name"))
    if columns and "finished" not in columns:
        problems.append(Problem(file, "columns", 'missing "finished": the column of the end time'))
    return columns


def _mapping_outcomes(
    document: dict[str, Any], file: str, problems: list[Problem]
) -> dict[str, Outcome]:
    """The mapping's ``outcomes`` table (export status = outcome), by casefolded status."""
    outcomes: dict[str, Outcome] = {}
    raw_outcomes = document.get("outcomes", {})
    if not isinstance(raw_outcomes, dict):
        problems.append(Problem(file, "outcomes", "expected a table of status = outcome"))
        raw_outcomes = {}
    for status, outcome in raw_outcomes.items():
        if outcome not in Outcome.__members__.values():
            problems.append(
                Problem(
                    file,
                    f"outcomes.{status}",
                    f'"{excerpt(str(outcome))}" is none of {", ".join(o.value for o in Outcome)}',
                )
            )
        else:
            outcomes[status.casefold()] = Outcome(outcome)
    return outcomes


def _mapping_texts(
    document: dict[str, Any], file: str, problems: list[Problem]
) -> dict[str, str | None]:
    """The mapping's text settings: time format, covers separator, delimiter."""
    texts = {}
    for key, default in (("time_format", None), ("covers_separator", ","), ("delimiter", ",")):
        value = document.get(key, default)
        if value is not None and (not isinstance(value, str) or not value):
            problems.append(Problem(file, key, "expected text"))
            value = default
        texts[key] = value
    if texts["delimiter"] is not None and len(texts["delimiter"]) != 1:
        problems.append(Problem(file, "delimiter", "expected one character"))
        texts["delimiter"] = ","
    return texts


def _import_moment(text: str, mapping: ColumnMapping) -> str:
    """An export's timestamp as ISO 8601 with offset ("" stays "")."""
    text = text.strip()
    if not text:
        return ""
    try:
        if mapping.time_format:
            value = dt.datetime.strptime(text, mapping.time_format)  # noqa: DTZ007 - zone below
        else:
            value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        expected = mapping.time_format or "ISO 8601"
        raise ValueError(f'"{excerpt(text)}" does not match the time format {expected}') from None
    if value.tzinfo is None:
        if mapping.timezone is None:
            raise ValueError(f'"{excerpt(text)}" has no offset, and the mapping names no timezone')
        value = value.replace(tzinfo=mapping.timezone)
    return value.isoformat()


def import_export(data: bytes, mapping: ColumnMapping, *, file: str = "<export>") -> list[Record]:
    """The records of an RMM/PSA export (CSV), read through ``mapping``.

    Raises:
        InputError: Every bad row, with the file, line and column.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError([Problem(file, "", "not UTF-8 text")]) from None
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=mapping.delimiter)
    header = reader.fieldnames or []
    missing = [column for column in mapping.columns.values() if column not in header]
    if missing:
        raise InputError(
            [
                Problem(file, "line 1", f'no column "{excerpt(column)}" (the mapping names it)')
                for column in missing
            ]
        )
    records: list[Record] = []
    problems: list[Problem] = []
    for row in reader:
        line = reader.line_num
        fields: dict[str, object] = {}
        try:
            for field, column in mapping.columns.items():
                cell = (row.get(column) or "").strip()
                where = column
                if field in ("due", "started", "finished"):
                    fields[field] = _import_moment(cell, mapping)
                elif field == "outcome":
                    fields[field] = mapping.outcomes.get(cell.casefold(), cell.casefold())
                elif field == "activity":
                    fields[field] = mapping.activities.get(cell, cell)
                elif field == "covers":
                    fields[field] = [
                        c.strip() for c in cell.split(mapping.covers_separator) if c.strip()
                    ]
                else:
                    fields[field] = cell
            where = ""
            records.append(record_from_fields(fields))
        except ValueError as error:
            location = f'line {line}, column "{excerpt(where)}"' if where else f"line {line}"
            problems.append(Problem(file, location, str(error)))
    if problems:
        raise InputError(problems)
    return records
