"""The columnar floor (issue 32): the benchmark fleet's dues and tasks, made and written
the cheapest way we know in CPython, with no scheduling guarantees.

For a fleet written by ``benchmarks/on_disk.py`` this computes, in one process:

* **load**: the files read into columns (``tomllib`` and ``csv``; nothing validated);
* **expand**: each distinct schedule's occurrences once, as numpy arrays of epoch
  seconds, broadcast to every duty that shares it; fleet groups as arrays of due
  indices (the same buckets, order and size limits as ``maintlib.planning.fleet``);
* **schedule**: every task starts at its earliest moment (no window, capacity,
  blackout, ring, HA or dependency: none of maintlib's guarantees);
* **cost**: hands-on minutes times one hourly rate, totals per month and per asset;
* **json**: the tasks in the plan JSON's layout (sorted keys, two-space indent), each
  assembled from pieces encoded once per shape (a duty's constant fields, a
  checklist, a source), ISO text once per distinct moment, each asset id and due uid
  encoded once;
* **feed**: one VEVENT per task in a feed per asset kind, the description escaped
  and folded once per shape, times once per distinct moment.

Both outputs are written in ~1 MB pieces with ``fsync``, as maintlib writes its own.

What the floor takes from maintlib, untimed: the duties (``apply``: rules and risk;
the floor does not redo the rule engine, so bench_scale compares apply with nothing)
and each distinct schedule's occurrence values (``timings``, called once per
distinct schedule: a few hundred calls). Everything done per asset, due or task is
the floor's own. It is a lower bound to compare maintlib with, not a planner.

    .venv/bin/python benchmarks/on_disk.py 10000 /tmp/f10k --csv
    .venv/bin/python benchmarks/floor.py /tmp/f10k/inventory.toml /tmp/f10k/floor-out
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import re
import sys
import time
import tomllib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

START = dt.date(2027, 1, 1)
REFERENCE = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
#: One hourly rate for every hand (the floor's costing), in cents.
RATE_CENTS = 9_000
_SLUG = re.compile(r"[^a-z0-9]+")
_ADDRESS = re.compile(r"<[^>]*>")
_MARK = re.compile(r'"@@(\w+)@@"')


def _slug(text: str) -> str:
    return _SLUG.sub("-", _ADDRESS.sub("", text).casefold()).strip("-") or "none"


def write(path: Path, pieces: Iterable[str]) -> int:
    """``pieces`` encoded and written about a megabyte at a time, then ``fsync``."""
    written = 0
    with path.open("wb") as handle:
        batch: list[str] = []
        size = 0
        for piece in pieces:
            batch.append(piece)
            size += len(piece)
            if size > 1 << 20:
                written += handle.write("".join(batch).encode())
                batch, size = [], 0
        written += handle.write("".join(batch).encode())
        handle.flush()
        os.fsync(handle.fileno())
    return written


def load_columns(path: Path) -> dict[str, list[str]]:
    """The inventory's assets as columns, read without validation."""
    document = tomllib.loads(path.read_text(encoding="utf-8"))
    columns: dict[str, list[str]] = {}
    name = document.get("assets_csv")
    if name:
        with (path.parent / name).open(newline="", encoding="utf-8") as handle:
            rows = csv.reader(handle)
            header = next(rows)
            values = list(zip(*rows, strict=True))
            columns = {key: list(column) for key, column in zip(header, values, strict=True)}
    return columns


class Floor:
    """The floor's stages over one fleet; each stage's CPU seconds in ``seconds``."""

    def __init__(self, inventory_path: Path, out: Path, months: int = 12) -> None:
        self.path = inventory_path
        self.out = out
        self.months = months
        self.seconds: dict[str, float] = {}

    def timed(self, name: str, stage: Callable[[], None]) -> None:
        began = time.process_time()
        stage()
        self.seconds[name] = time.process_time() - began

    def run(self) -> dict[str, Any]:
        from maintlib.loading.read import load
        from maintlib.model.work import Horizon
        from maintlib.packs.catalog import build_catalog
        from maintlib.planning.apply import apply

        self.timed("load", lambda: setattr(self, "columns", load_columns(self.path)))
        # Untimed: maintlib's duties (the rule engine), the floor's input.
        catalog = build_catalog()
        inventory = load(self.path, catalog=catalog)
        self.zone = inventory.organisation.timezone
        self.horizon = Horizon(START, self.months, self.zone)
        self.calendars = catalog.calendars
        self.duties = list(apply(inventory, catalog, as_of=START).duties)
        self.timed("expand", self.expand)
        self.timed("schedule", self.schedule)
        self.timed("cost", self.cost)
        self.out.mkdir(parents=True, exist_ok=True)
        self.timed("json", self.write_json)
        self.timed("feed", self.write_feed)
        return {
            "assets": len(inventory.assets),
            "dues": int(self.due_duty.size),
            "tasks": int(self.task_head.size),
            "fleet_tasks": int(np.count_nonzero(self.task_size > 1)),
            "schedules": len(self.schedules),
            "json_mb": self.json_bytes / 1e6,
            "feed_mb": self.feed_bytes / 1e6,
            "cpu": self.seconds,
        }

    # -- expand -----------------------------------------------------------------------

    def expand(self) -> None:
        from maintlib.model.rules import Expiry
        from maintlib.model.vocabulary import Mode
        from maintlib.planning.expand import timings

        duties = [d for d in self.duties if not isinstance(d.cadence, Expiry)]
        self.duties = duties
        ids = sorted({d.subject for d in duties})
        rank = {asset: i for i, asset in enumerate(ids)}
        self.asset_ids = ids
        n = len(duties)
        schedule = np.empty(n, np.int32)
        shape = np.empty(n, np.int32)
        asset = np.empty(n, np.int32)
        keys: dict[tuple[object, ...], int] = {}
        shapes: dict[tuple[object, ...], int] = {}
        self.shape_rows: list[tuple[Any, ...]] = []
        limits: list[int] = []
        for i, duty in enumerate(duties):
            key = (duty.cadence, duty.deadline_days)
            schedule[i] = keys.setdefault(key, len(keys))
            asset[i] = rank[duty.subject]
            rule = duty.rule
            if (
                duty.asset is None
                or duty.downtime
                or rule.fleet is False
                or not (rule.fleet is True or duty.mode is Mode.AUTOMATIC)
            ):
                shape[i] = -1
                continue
            row = (
                rule.key,
                duty.activity.name,
                tuple(str(getattr(duty.asset, f)) for f in rule.group_by),
                duty.duration,
                duty.effort,
                duty.steps,
                duty.mode,
            )
            number = shapes.get(row)
            if number is None:
                number = shapes[row] = len(shapes)
                self.shape_rows.append(row)
                limits.append(_chunk(duty.duration, rule.duration_per_asset))
            shape[i] = number
        # Each distinct schedule's occurrences once, as epoch seconds.
        self.schedules = []
        for cadence, days in keys:
            found = timings(cadence, days, self.horizon, self.calendars)  # type: ignore[arg-type]
            self.schedules.append(
                np.array(
                    [
                        (
                            int(a.timestamp()),
                            int(r.timestamp()) if r else -1,
                            int(e.timestamp()),
                            int(d.timestamp()),
                        )
                        for a, r, e, d, _ in found
                    ],
                    np.int64,
                ).reshape(-1, 4)
            )
        counts = np.array([len(s) for s in self.schedules], np.int64)[schedule]
        due_duty = np.repeat(np.arange(n, dtype=np.int32), counts)
        starts = np.cumsum(counts) - counts
        occurrence = np.arange(due_duty.size, dtype=np.int64) - np.repeat(starts, counts)
        # Broadcast: each schedule's table is stacked once, the dues index into it.
        offsets = np.cumsum([0] + [len(s) for s in self.schedules])
        table = np.concatenate(self.schedules) if self.schedules else np.zeros((0, 4), np.int64)
        row = offsets[schedule[due_duty]] + occurrence
        self.due_duty = due_duty
        self.due_times = table[row]  # anchor, released, earliest, deadline
        self.duty_asset, self.duty_shape = asset, shape
        # Fleet buckets: (shape, anchor, released, earliest); members by asset id.
        grouped = np.flatnonzero(shape[due_duty] >= 0)
        g_shape = shape[due_duty[grouped]]
        g_times = self.due_times[grouped]
        order = np.lexsort(
            (asset[due_duty[grouped]], g_times[:, 2], g_times[:, 1], g_times[:, 0], g_shape)
        )
        members = grouped[order]
        g_shape, g_times = g_shape[order], g_times[order]
        new = np.ones(members.size, bool)
        if members.size:
            new[1:] = (
                (g_shape[1:] != g_shape[:-1])
                | (g_times[1:, 0] != g_times[:-1, 0])
                | (g_times[1:, 1] != g_times[:-1, 1])
                | (g_times[1:, 2] != g_times[:-1, 2])
            )
        bucket_start = np.maximum.accumulate(np.where(new, np.arange(members.size), 0))
        position = np.arange(members.size) - bucket_start
        limit = np.array(limits or [1], np.int64)
        chunk_new = new | (position % limit[g_shape] == 0)
        heads = np.flatnonzero(chunk_new)
        sizes = np.diff(np.append(heads, members.size))
        # Tasks: every due that does not group, every chunk of one, every fleet.
        alone = np.flatnonzero(shape[due_duty] < 0)
        singles = members[heads[sizes == 1]]
        fleets = heads[sizes > 1]
        self.members = members
        self.task_head = np.concatenate([alone, singles, members[fleets]])
        self.task_first = np.concatenate([np.full(alone.size + singles.size, -1, np.int64), fleets])
        self.task_size = np.concatenate(
            [np.ones(alone.size + singles.size, np.int64), sizes[sizes > 1]]
        )
        self.task_chunk = np.concatenate(
            [
                np.zeros(alone.size + singles.size, np.int64),
                (position[fleets] // limit[g_shape[fleets]]) + 1,
            ]
        )
        deadline = self.due_times[self.task_head, 3].copy()
        if fleets.size:
            deadline[alone.size + singles.size :] = np.minimum.reduceat(
                self.due_times[members, 3], heads
            )[sizes > 1]
        self.task_deadline = deadline

    # -- schedule and cost ------------------------------------------------------------

    def schedule(self) -> None:
        duties = self.duties
        duration = np.array([d.duration.total_seconds() for d in duties], np.int64)
        effort = np.array([d.effort.total_seconds() for d in duties], np.int64)
        each = np.array([d.rule.duration_per_asset.total_seconds() for d in duties], np.int64)
        duty = self.due_duty[self.task_head]
        extra = np.where(self.task_size > 1, each[duty] * self.task_size, 0)
        self.task_start = self.due_times[self.task_head, 2]
        self.task_end = self.task_start + duration[duty] + extra
        self.task_effort = effort[duty] + extra

    def cost(self) -> None:
        minutes = -(-self.task_effort // 60)
        cents = minutes * RATE_CENTS // 60
        firsts = [
            int(dt.datetime.combine(day, dt.time(), tzinfo=self.zone).timestamp())
            for day in self.horizon.month_starts()
        ]
        month = np.searchsorted(np.array(firsts, np.int64), self.task_start, side="right") - 1
        self.by_month = np.bincount(month, weights=cents, minlength=len(firsts))
        # Each member of a fleet carries its share.
        covered = np.concatenate(
            [
                self.task_head[self.task_first < 0],
                *(
                    self.members[first : first + size]
                    for first, size in zip(
                        self.task_first[self.task_first >= 0],
                        self.task_size[self.task_first >= 0],
                        strict=True,
                    )
                ),
            ]
        )
        order = np.concatenate(
            [np.flatnonzero(self.task_first < 0), np.flatnonzero(self.task_first >= 0)]
        )
        share = np.repeat((cents / self.task_size)[order], self.task_size[order])
        self.by_asset = np.bincount(
            self.duty_asset[self.due_duty[covered]],
            weights=share,
            minlength=len(self.asset_ids),
        )
        self.total = int(cents.sum())

    # -- outputs ----------------------------------------------------------------------

    def _members(self, task: int) -> np.ndarray:
        first = self.task_first[task]
        if first < 0:
            return self.task_head[task : task + 1]
        return self.members[first : first + self.task_size[task]]

    def write_json(self) -> None:
        zone = self.zone
        iso: dict[int, str] = {}

        def text(at: int) -> str:
            found = iso.get(at)
            if found is None:
                found = iso[at] = (
                    "null" if at < 0 else f'"{dt.datetime.fromtimestamp(at, zone).isoformat()}"'
                )
            return found

        anchor_text: dict[int, str] = {}

        def anchor(at: int) -> str:
            found = anchor_text.get(at)
            if found is None:
                found = anchor_text[at] = f"{dt.datetime.fromtimestamp(at, zone):%Y%m%dT%H%M}"
            return found

        assets = [json.dumps(a, ensure_ascii=False) for a in self.asset_ids]
        pieces_of: dict[int, list[str]] = {}  # per duty shape: the constant pieces
        shared: dict[str, list[str]] = {}

        def pieces(duty_index: int) -> list[str]:
            found = pieces_of.get(duty_index)
            if found is None:
                duty = self.duties[duty_index]
                rule, asset = duty.rule, duty.asset
                template = {
                    "activity": duty.activity.name,
                    "after": [],
                    "asset": "@@asset@@",
                    "assets": "@@assets@@",
                    "cost": "@@cost@@",
                    "downtime": duty.downtime,
                    "due": {
                        "deadline": "@@deadline@@",
                        "earliest": "@@earliest@@",
                        "released": "@@released@@",
                    },
                    "dues": "@@dues@@",
                    "effort_minutes": "@@effort@@",
                    "emergency": False,
                    "end": "@@end@@",
                    "late_by": None,
                    "late_detail": None,
                    "late_reason": None,
                    "mode": duty.mode.value,
                    "policy": None,
                    "priority": duty.tier.value,
                    "ring": asset.environment.value if asset else None,
                    "source": {"citation": rule.citation, "pack": rule.pack, "rule": rule.id},
                    "start": "@@start@@",
                    "status": "on_time",
                    "steps": [{"kind": s.kind.value, "text": s.text} for s in duty.steps],
                    "uid": "@@uid@@",
                    "update_class": rule.update_class.value if rule.update_class else None,
                    "vulnerabilities": [],
                    "window": None,
                }
                body = json.dumps(template, indent=2, sort_keys=True, ensure_ascii=False)
                body = body.replace("\n", "\n    ")
                # Equal shapes share one list of pieces (a checklist encoded once).
                found = shared.setdefault(body, _MARK.split(body)[0::2])
                pieces_of[duty_index] = found
            return found

        def strings(values: list[str]) -> str:
            return "[\n        " + ",\n        ".join(values) + "\n      ]"

        duty_prefix: dict[int, str] = {}
        due_duty, due_times = self.due_duty, self.due_times

        def uid(due: int) -> str:
            d = int(due_duty[due])
            prefix = duty_prefix.get(d)
            if prefix is None:
                duty = self.duties[d]
                prefix = duty_prefix[d] = f"{duty.subject}.{duty.activity.name}."
            return prefix + anchor(int(due_times[due, 0]))

        def tasks() -> Iterator[str]:
            yield '{\n  "format": "floor",\n  "tasks": [\n    '
            separator = ""
            for task in range(self.task_head.size):
                head = int(self.task_head[task])
                d = int(due_duty[head])
                members = self._members(task)
                member_assets = [assets[self.duty_asset[due_duty[m]]] for m in members]
                uids = [uid(int(m)) for m in members]
                if members.size > 1:
                    row = self.shape_rows[self.duty_shape[d]]
                    name = "-".join(_slug(v) for v in row[2])
                    chunk = int(self.task_chunk[task])
                    suffix = f"-{chunk}" if chunk > 1 else ""
                    task_uid = (
                        f'"fleet-{name}-{_slug(str(row[0]))}{suffix}.{row[1]}.'
                        f'{anchor(int(due_times[head, 0]))}"'
                    )
                else:
                    task_uid = f'"{uids[0]}"'
                p = pieces(d)
                times = due_times[head]
                values = (
                    member_assets[0],
                    strings(member_assets),
                    '{\n        "currency": "EUR",\n        "high": "'
                    f'{int(self.task_effort[task]) * 2}.00",\n        "low": "'
                    f'{int(self.task_effort[task])}.00"\n      }}',
                    text(int(self.task_deadline[task])),
                    text(int(times[2])),
                    text(int(times[1])),
                    strings([f'"{u}"' for u in uids]),
                    str(-(-int(self.task_effort[task]) // 60)),
                    text(int(self.task_end[task])),
                    text(int(self.task_start[task])),
                    task_uid,
                )
                parts = [separator, p[0]]
                for value, piece in zip(values, p[1:], strict=True):
                    parts.append(value)
                    parts.append(piece)
                yield "".join(parts)
                separator = ",\n    "
            yield "\n  ]\n}\n"

        self.json_bytes = write(self.out / "floor.json", tasks())

    def write_feed(self) -> None:
        zone = self.zone
        key = getattr(zone, "key", "UTC")
        stamps: dict[int, str] = {}

        def stamp(at: int) -> str:
            found = stamps.get(at)
            if found is None:
                found = stamps[at] = f"{dt.datetime.fromtimestamp(at, zone):%Y%m%dT%H%M%S}"
            return found

        described: dict[int, tuple[str, str]] = {}

        def shape(d: int) -> tuple[str, str]:
            """The event's text that a duty's tasks share: summary head, and the
            properties after the times (description escaped and folded once)."""
            found = described.get(d)
            if found is None:
                duty = self.duties[d]
                label = str(duty.activity.label)
                lines = [
                    f"Lasts {duty.duration.total_seconds() / 60:.0f} minutes",
                    f"Priority: {duty.tier.value}",
                    "",
                    "Checklist:",
                    *(f"☐ {i}. {s.text}" for i, s in enumerate(duty.steps, 1)),
                ]
                description = _escape("\n".join(lines))
                rule = duty.rule
                tail = (
                    f"CATEGORIES:{duty.asset.kind if duty.asset else 'organisation'},"
                    f"{_escape(label)},{duty.tier.value}\r\n"
                    + _fold(f"DESCRIPTION:{description}")
                    + f"X-MAINTLIB-RULE:{rule.pack}/{rule.id}\r\n"
                    + _fold(f"X-MAINTLIB-SOURCE:{_escape(rule.citation)}")
                    + "END:VEVENT\r\n"
                )
                found = described[d] = (_escape(label), tail)
            return found

        head = (
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//maintlib//floor//EN\r\n"
            f"X-WR-TIMEZONE:{key}\r\n"
        )
        by_kind: dict[str, list[int]] = {}
        kinds = [d.asset.kind if d.asset else "organisation" for d in self.duties]
        for task, due in enumerate(self.task_head):
            by_kind.setdefault(str(kinds[self.due_duty[due]]), []).append(task)
        subjects = [_escape(a) for a in self.asset_ids]

        def events(tasks: list[int]) -> Iterator[str]:
            yield head
            for task in tasks:
                due = int(self.task_head[task])
                d = int(self.due_duty[due])
                label, tail = shape(d)
                members = self._members(task)
                subject = subjects[self.duty_asset[d]]
                if members.size > 1:
                    subject = f"{members.size} × {subject}"
                yield (
                    f"BEGIN:VEVENT\r\nSUMMARY:{label} — {subject}\r\n"
                    f"DTSTART;TZID={key}:{stamp(int(self.task_start[task]))}\r\n"
                    f"DTEND;TZID={key}:{stamp(int(self.task_end[task]))}\r\n"
                    f"DTSTAMP:20261201T000000Z\r\nUID:{task}@floor.invalid\r\n{tail}"
                )
            yield "END:VCALENDAR\r\n"

        self.feed_bytes = sum(
            write(self.out / f"floor-{kind}.ics", events(tasks)) for kind, tasks in by_kind.items()
        )


def _chunk(base: dt.timedelta, each: dt.timedelta) -> int:
    """Members per fleet task, as ``maintlib.planning.fleet`` splits a group."""
    from maintlib.planning.fleet import FLEET_MAX

    if each <= dt.timedelta(0):
        return 1 << 40
    return max(1, int((FLEET_MAX - base) / each))


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """``line`` folded at 75 octets (RFC 5545 3.1), with its CRLF."""
    data = line.encode()
    if len(data) <= 75:
        return line + "\r\n"
    parts, start, limit = [], 0, 75
    while start < len(data):
        end = min(start + limit, len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:
            end -= 1
        parts.append(data[start:end].decode())
        start, limit = end, 74
    return "\r\n ".join(parts) + "\r\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("inventory", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--months", type=int, default=12)
    args = parser.parse_args()
    print(json.dumps(Floor(args.inventory, args.out, args.months).run()))


if __name__ == "__main__":
    sys.exit(main())
