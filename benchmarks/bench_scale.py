"""Benchmark for issue 18: planning from the file on disk, and many tenants at once.

Two parts, each printing figures (never asserting them; record them in
docs/performance.md):

* ``sizes``: the benchmark fleet (benchmarks/fleet.py, built-in and installed
  packs, 12 months) written to disk as TOML + CSV, then in a fresh process per
  size: load (read, parse, validate), plan (apply + expand, schedule, cost), plan
  JSON, split calendar feeds (one per asset kind). Next to it, in the same
  process, the naive baseline: one dateutil rrule per asset and cadence, and one
  icalendar event per occurrence. The baseline is measured on every k-th periodic
  duty (about --naive-duties of them) and multiplied out to all: it does the same
  work for each duty, independently, so it is linear by construction (at 100,000
  assets measuring all of it would take an hour).
  With ``--repeat N`` each size runs N times, alternating with the columnar floor
  (``benchmarks/floor.py``: the same dues and fleet tasks, no scheduling
  guarantees) on the same files, each in a fresh process; the minimum CPU seconds of
  each stage are printed with maintlib ÷ floor per stage.
* ``floor``: what any plan of this size costs in CPython before it plans anything.
  For each size, the real run above (``one``) gives the counts (dues, tasks,
  events, JSON and feed bytes); then, in a fresh process, the bare work of
  holding and writing that much: the same number of ``Due`` and ``Task`` objects
  (maintlib's own classes, uids made as ``expand`` makes them, start and end
  moments cached as the planner caches them) and the same number of JSON and feed
  bytes, one f-string per task or event, encoded and written with ``fsync``. No
  rule is applied, no slot searched, no cost computed, nothing escaped or
  folded: a lower bound for this plan format, not a design to copy.
* ``tenants``: N tenants of 20-200 assets each (seeded), planned with JSON and
  feed by plan_many: in this process one after the other, on a local pool of 2
  processes, and on a dask LocalCluster of 2 worker processes.

    .venv/bin/python benchmarks/bench_scale.py sizes --sizes 1000 10000 50000 100000
    .venv/bin/python benchmarks/bench_scale.py sizes --sizes 1000 10000 --repeat 3 --naive-duties 20
    .venv/bin/python benchmarks/bench_scale.py floor --sizes 10000 100000
    .venv/bin/python benchmarks/bench_scale.py tenants --tenants 1000
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
START = dt.date(2027, 1, 1)
REFERENCE = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)


def naive(duties: list[object], months: int, sample: int) -> tuple[float, int, int]:
    """CPU seconds of the naive way for all periodic duties, from every k-th one.

    One dateutil rrule per asset and periodic cadence, expanded over the horizon;
    one icalendar event per occurrence, serialised. Returns the estimate for all
    duties, the duties measured and the dues they had.
    """
    import icalendar
    from dateutil.rrule import rrulestr

    from maintlib.model.rules import Periodic
    from maintlib.model.work import add_months

    first = dt.datetime.combine(START, dt.time())
    last = dt.datetime.combine(add_months(START, months), dt.time())
    periodic = [d for d in duties if isinstance(d.cadence, Periodic)]  # type: ignore[attr-defined]
    chosen = periodic[:: max(1, len(periodic) // sample)]
    began = time.process_time()
    dues = 0
    for duty in chosen:
        rule = rrulestr(duty.cadence.rrule, dtstart=dt.datetime(2024, 1, 1))  # type: ignore[attr-defined]
        calendar = icalendar.Calendar()
        for when in rule.between(first, last, inc=True):
            event = icalendar.Event.new(
                uid=f"{duty.subject}.{duty.activity.name}.{when:%Y%m%dT%H%M}@naive.invalid",  # type: ignore[attr-defined]
                stamp=REFERENCE,
                start=when,
                end=when + dt.timedelta(hours=1),
                summary=str(duty.activity.label),  # type: ignore[attr-defined]
            )
            calendar.add_component(event)
            dues += 1
        calendar.to_ical()
    seconds = time.process_time() - began
    return seconds * len(periodic) / max(1, len(chosen)), len(chosen), dues


def measure_size(size: int, months: int, folder: Path, sample_duties: int) -> dict[str, object]:
    """One size in this process: every stage from the file, and the baseline."""
    sys.path.insert(0, str(HERE))
    from maintlib._util.files import encoded, write_all
    from maintlib.costing.cost import cost_plan
    from maintlib.loading.read import load
    from maintlib.model.catalog import rate_card_for
    from maintlib.model.work import Horizon
    from maintlib.outputs.ics.feed import split_paths, split_tasks, to_ics_pieces
    from maintlib.packs.catalog import build_catalog
    from maintlib.pipeline import digest
    from maintlib.planning.apply import apply
    from maintlib.planning.fleet import expand_fleets
    from maintlib.planning.schedule.planner import schedule
    from maintlib.vulns.emergency import scheduling_inventory
    from on_disk import write_fleet

    path = write_fleet(size, folder, as_csv=True)
    catalog = build_catalog()
    clock = time.perf_counter
    cpu = time.process_time
    marks = [(clock(), cpu())]

    def mark() -> None:
        marks.append((clock(), cpu()))

    inventory = load(path, catalog=catalog)
    mark()
    horizon = Horizon(START, months, inventory.organisation.timezone)
    duties = apply(inventory, catalog, as_of=START).duties
    mark()
    dues = expand_fleets(duties, horizon, catalog.calendars)
    grouped = len(dues)
    mark()
    plan = schedule(
        dues,
        scheduling_inventory(inventory),
        horizon,
        reference_time=REFERENCE,
        digest=digest(inventory, catalog, horizon, REFERENCE, []),
        packs=[f"{p.name} {p.version}" for p in catalog.packs],
        kinds=catalog.kinds,
    )
    mark()
    import attrs

    plan = attrs.evolve(plan, costs=cost_plan(plan, rate_card_for(inventory, catalog), inventory))
    mark()
    # Written as `maintlib plan` writes them: the JSON in pieces, one feed at a time
    # (made as it is written, then dropped), all renamed into place at the end.
    out = folder / "out"
    json_path = out / "plan.json"
    write_all({json_path: lambda: encoded(plan.json_chunks())})
    mark()
    groups = split_tasks(plan, "kind")
    paths = split_paths(out / "plan.ics", groups)
    write_all(
        {
            paths[key]: functools.partial(to_ics_pieces, plan, tasks=tasks)
            for key, tasks in groups.items()
        }
    )
    mark()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    events = feed_bytes = 0
    for path in paths.values():
        with path.open("rb") as handle:
            for line in handle:
                feed_bytes += len(line)
                events += line == b"BEGIN:VEVENT\r\n"
    naive_s, naive_duties, naive_dues = naive(list(duties), months, sample_duties)
    names = ("load", "apply", "expand", "schedule", "cost", "json", "feed")
    wall = {n: marks[i + 1][0] - marks[i][0] for i, n in enumerate(names)}
    cpu_s = {n: marks[i + 1][1] - marks[i][1] for i, n in enumerate(names)}
    return {
        "assets": len(inventory.assets),
        "dues": plan.dues,
        "tasks": len(plan.tasks),
        "grouped": grouped,
        "events": events,
        "feeds": len(paths),
        "json_mb": json_path.stat().st_size / 1e6,
        "feed_mb": feed_bytes / 1e6,
        "wall": wall,
        "cpu": cpu_s,
        "peak_mib": peak,
        "naive_s": naive_s,
        "naive_sampled_duties": naive_duties,
        "naive_sampled_dues": naive_dues,
        "load_average": os.getloadavg()[0],
    }


def sizes(args: argparse.Namespace) -> None:
    header = (
        f"{'assets':>7} {'tasks':>8} {'events':>8} {'load':>6} {'apply':>6} {'expand':>6}"
        f" {'sched':>6}"
        f" {'cost':>5} {'json':>5} {'feed':>6} {'total':>7} {'ev/s':>7} {'peak MiB':>8}"
        f" {'naive s':>8} {'ratio':>5} {'load1':>5}"
    )
    print("CPU seconds per stage (wall-clock in the JSON lines below)")
    print(header)
    rows = []
    floors = []
    for size in args.sizes:
        runs, bare = [], []
        with tempfile.TemporaryDirectory() as folder:
            for _ in range(args.repeat):
                output = subprocess.run(
                    [
                        *(sys.executable, __file__, "one", str(size), folder),
                        *("--months", str(args.months), "--naive-duties", str(args.naive_duties)),
                    ],
                    check=True,
                    capture_output=True,
                    text=True,
                ).stdout
                runs.append(json.loads(output))
                bare.append(columnar_floor(Path(folder), args.months))
        row = least(runs)
        floors.append((row, least(bare)))
        rows.append(row)
        cpu = row["cpu"]
        total = sum(cpu.values())
        naive_total = row["naive_s"]
        print(
            f"{row['assets']:>7} {row['tasks']:>8} {row['events']:>8} {cpu['load']:>6.2f}"
            f" {cpu['apply']:>6.2f} {cpu['expand']:>6.2f} {cpu['schedule']:>6.2f}"
            f" {cpu['cost']:>5.2f}"
            f" {cpu['json']:>5.2f} {cpu['feed']:>6.2f} {total:>7.2f}"
            f" {row['events'] / cpu['feed']:>7.0f} {row['peak_mib']:>8.0f}"
            f" {naive_total:>8.1f} {naive_total / total:>5.1f} {row['load_average']:>5.1f}",
            flush=True,
        )
    print_ratios(floors)
    for row in rows:
        print(json.dumps(row))
    by_size = {row["assets"]: sum(row["cpu"].values()) for row in rows}
    ordered = sorted(by_size)
    for small in ordered:
        for large in ordered:
            if 1.9 < large / small < 2.1:
                print(f"time({large})/time({small}) = {by_size[large] / by_size[small]:.2f}")


def columnar_floor(folder: Path, months: int) -> dict[str, Any]:
    """``benchmarks/floor.py`` on the fleet in ``folder``, in a fresh process."""
    output = subprocess.run(
        [
            *(sys.executable, str(HERE / "floor.py"), str(folder / "inventory.toml")),
            *(str(folder / "floor-out"), "--months", str(months)),
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result: dict[str, Any] = json.loads(output)
    return result


def least(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The first run with each stage's CPU seconds at its minimum over ``runs``."""
    row = dict(runs[0])
    row["cpu"] = {name: min(run["cpu"][name] for run in runs) for name in runs[0]["cpu"]}
    row["runs"] = len(runs)
    return row


def print_ratios(floors: list[tuple[dict[str, Any], dict[str, Any]]]) -> None:
    """Per stage: maintlib's CPU seconds, the columnar floor's, and maintlib ÷ floor."""
    stages = ("load", "expand", "schedule", "cost", "json", "feed")
    print("\nmaintlib/floor, CPU seconds (min of runs) and ratio; apply has no floor")
    print(
        f"{'assets':>7} {'dues':>8} {'tasks':>7} {'floor':>7} {'apply':>6}"
        + "".join(f" {name:>16}" for name in stages)
        + f" {'total':>17} {'w/o apply':>9}"
    )
    for real, bare in floors:
        cells = "".join(
            f" {real['cpu'][n]:>5.2f}/{bare['cpu'][n]:<5.2f}"
            f"{real['cpu'][n] / max(bare['cpu'][n], 1e-3):>4.0f}x"
            for n in stages
        )
        total = sum(real["cpu"].values())
        floor_total = sum(bare["cpu"].values())
        without = total - real["cpu"]["apply"]
        print(
            f"{real['assets']:>7} {real['dues']:>8} {real['grouped']:>7} {bare['tasks']:>7}"
            f" {real['cpu']['apply']:>6.2f}{cells} {total:>6.2f}/{floor_total:<5.2f}"
            f"{total / floor_total:>4.1f}x {without / floor_total:>8.1f}x",
            flush=True,
        )
        print(
            f"        JSON {real['json_mb']:.1f} MB (floor {bare['json_mb']:.1f}),"
            f" feed {real['feed_mb']:.1f} MB (floor {bare['feed_mb']:.1f})"
        )


def measure_floor(counts: dict[str, int], folder: Path) -> dict[str, float]:
    """CPU seconds of the bare work behind a plan of ``counts``' size (see the
    module docstring): making its dues and tasks, and writing its JSON and feed
    bytes. Nothing here plans; it is the floor under any pure-Python planner that
    keeps every due and task and writes them in these formats."""
    from zoneinfo import ZoneInfo

    from maintlib.model.plan import Task
    from maintlib.model.work import Due

    zone = ZoneInfo("Europe/Amsterdam")
    cpu = time.process_time
    seconds: dict[str, float] = {}
    # The columnar floor's writer (batched, fsynced), imported before the clock starts.
    from floor import write

    began = cpu()
    days = [dt.datetime(2027, 1, 1, tzinfo=zone) + dt.timedelta(days=d) for d in range(365)]
    texts = [f"{day:%Y%m%dT%H%M}" for day in days]
    assets = max(1, counts["assets"])
    prefixes = [f"asset-{a:06d}.security-updates." for a in range(assets)]
    duty = object()  # no rule is applied: every due shares one stand-in duty
    dues = [
        Due(
            duty,
            days[i % 365],
            None,
            days[i % 365],
            days[i % 365],
            prefixes[i % assets] + texts[i % 365],
        )  # type: ignore[arg-type]
        for i in range(counts["dues"])
    ]
    seconds["dues"] = cpu() - began
    began = cpu()
    moments: dict[int, dt.datetime] = {}

    def moment(at: int) -> dt.datetime:
        found = moments.get(at)
        if found is None:
            found = moments[at] = dt.datetime.fromtimestamp(at, zone)
        return found

    first = int(days[0].timestamp())
    tasks = []
    for i in range(counts["tasks"]):
        at = first + (i * 900) % (365 * 86400)  # quarter hours through the year
        tasks.append(Task(dues[i], moment(at), moment(at + 3600), "window", days[0], ()))
    seconds["tasks"] = cpu() - began

    uids = [due.uid for due in dues]
    per_task = max(1, counts["dues"] // max(1, counts["tasks"]))
    iso: dict[dt.datetime, str] = {}
    stamp: dict[dt.datetime, str] = {}

    def json_pieces(fill: str) -> Iterator[str]:
        for i, task in enumerate(tasks):
            due = task.due
            start = iso.get(task.start) or iso.setdefault(task.start, task.start.isoformat())
            end = iso.get(task.end) or iso.setdefault(task.end, task.end.isoformat())
            listed = '", "'.join(uids[i * per_task : (i + 1) * per_task])
            yield (
                f'    {{\n      "deadline": "{due.deadline.isoformat()}",'
                f'\n      "dues": ["{listed}"],'
                f'\n      "end": "{end}",\n      "start": "{start}",\n      "uid": "{due.uid}",'
                f'\n      "rest": "{fill}"\n    }},\n'
            )

    def feed_pieces(fill: str) -> Iterator[str]:
        for task in tasks[: counts["events"]]:
            start = stamp.get(task.start) or stamp.setdefault(
                task.start, f"{task.start:%Y%m%dT%H%M%S}"
            )
            end = stamp.get(task.end) or stamp.setdefault(task.end, f"{task.end:%Y%m%dT%H%M%S}")
            yield (
                f"BEGIN:VEVENT\r\nUID:{task.due.uid}@maintlib.invalid\r\nDTSTAMP:20261201T000000Z\r\n"
                f"DTSTART;TZID=Europe/Amsterdam:{start}\r\nDTEND;TZID=Europe/Amsterdam:{end}\r\n"
                f"{fill}END:VEVENT\r\n"
            )

    def filler(total: int, count: int, sample: str) -> str:
        """The constant rest of each record, so that the records add up to ``total``."""
        return "x" * max(0, total // max(1, count) - len(sample))

    began = cpu()
    sample = next(json_pieces(""), "")
    write(folder / "floor.json", json_pieces(filler(counts["json_bytes"], counts["tasks"], sample)))
    seconds["json"] = cpu() - began
    began = cpu()
    sample = next(feed_pieces(""), "")
    write(folder / "floor.ics", feed_pieces(filler(counts["feed_bytes"], counts["events"], sample)))
    seconds["feed"] = cpu() - began
    return seconds


def floor(args: argparse.Namespace) -> None:
    print("CPU seconds: maintlib from the file on disk, and the floor of the same size")
    print(
        f"{'assets':>7} {'dues':>9} {'tasks':>8} {'JSON MB':>8} {'feed MB':>8} {'maintlib':>8}"
        f" {'dues':>6} {'tasks':>6} {'json':>6} {'feed':>6} {'floor':>6} {'ratio':>5} {'load1':>5}"
    )
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as folder:
            real = json.loads(
                subprocess.run(
                    [sys.executable, __file__, "one", str(size), folder, "--naive-duties", "20"],
                    check=True,
                    capture_output=True,
                    text=True,
                ).stdout
            )
        counts = {
            "assets": real["assets"],
            "dues": real["dues"],
            "tasks": real["tasks"],
            "events": real["events"],
            "json_bytes": int(real["json_mb"] * 1e6),
            "feed_bytes": int(real["feed_mb"] * 1e6),
        }
        with tempfile.TemporaryDirectory() as folder:
            bare = json.loads(
                subprocess.run(
                    [sys.executable, __file__, "floor-one", json.dumps(counts), folder],
                    check=True,
                    capture_output=True,
                    text=True,
                ).stdout
            )
        total = sum(real["cpu"].values())
        least = sum(bare.values())
        print(
            f"{counts['assets']:>7} {counts['dues']:>9} {counts['tasks']:>8}"
            f" {real['json_mb']:>8.0f} {real['feed_mb']:>8.0f} {total:>8.2f}"
            f" {bare['dues']:>6.2f} {bare['tasks']:>6.2f} {bare['json']:>6.2f} {bare['feed']:>6.2f}"
            f" {least:>6.2f} {total / least:>5.1f} {os.getloadavg()[0]:>5.1f}",
            flush=True,
        )


def write_tenants(count: int, folder: Path, seed: int) -> list[int]:
    """``count`` tenant folders of 20-200 assets (seeded); their asset counts."""
    sys.path.insert(0, str(HERE))
    from fleet import fleet
    from on_disk import write_inventory

    rng = random.Random(seed)
    counts = []
    for index in range(count):
        inventory = fleet(rng.randint(20, 200), seed=seed + index)
        write_inventory(inventory, folder / f"tenant-{index:04d}")
        counts.append(len(inventory.assets))
    return counts


#: The ways ``tenants`` runs the same tenants, each in a fresh process.
EXECUTORS = {
    "sequential": "sequential (one process)",
    "pool": "local process pool, 2 workers",
    "dask": "dask LocalCluster, 2 worker processes",
}


def run_tenants(executor: str, folder: Path, months: int) -> float:
    """Wall-clock seconds of plan_many over ``folder``'s tenants with ``executor``,
    in this process (started fresh by :func:`tenants`: no run inherits another's
    memory, which a forked worker would copy)."""
    import concurrent.futures

    import attrs

    from maintlib.tenants.overview import TenantResult
    from maintlib.tenants.run import plan_many

    def light(result: TenantResult) -> TenantResult:
        return attrs.evolve(result, plan_json=b"", feed=b"")

    common = {"start": START, "months": months, "reference_time": REFERENCE, "on_result": light}

    def timed(**options: object) -> float:
        began = time.perf_counter()
        overview = plan_many([folder], **common, **options)  # type: ignore[arg-type]
        seconds = time.perf_counter() - began
        assert not overview.failed, overview.failed[0].problems
        return seconds

    if executor == "sequential":
        return timed(workers=1)
    if executor == "pool":
        with concurrent.futures.ProcessPoolExecutor(max_workers=2) as pool:
            return timed(executor=pool)
    from distributed import Client, LocalCluster

    with (
        LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        return timed(executor=client.get_executor())


def tenants(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as folder:
        counts = write_tenants(args.tenants, Path(folder), args.seed)
        print(
            f"{args.tenants} tenants, {sum(counts):,} assets ({min(counts)}-{max(counts)} each),"
            f" {args.months} months, JSON and feed each; load average"
            f" {os.getloadavg()[0]:.1f} before"
        )
        runs: dict[str, float] = {}
        for executor, label in EXECUTORS.items():
            if executor == "dask":
                try:
                    import distributed  # noqa: F401
                except ImportError:
                    print("dask.distributed is not installed: pip install 'maintlib[dask]'")
                    continue
            output = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "tenant-run",
                    executor,
                    folder,
                    "--months",
                    str(args.months),
                ],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            runs[label] = float(output.split()[-1])
            print(
                f"{label:<40} {runs[label]:>7.1f} s  {args.tenants / runs[label]:>6.1f} tenants/s"
                f"  (load average {os.getloadavg()[0]:.1f})",
                flush=True,
            )
        base = runs[EXECUTORS["sequential"]]
        for label, seconds in runs.items():
            print(f"speed-up of {label}: {base / seconds:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parts = parser.add_subparsers(dest="part", required=True)
    by_size = parts.add_parser("sizes")
    by_size.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 50_000, 100_000])
    by_size.add_argument("--months", type=int, default=12)
    by_size.add_argument("--naive-duties", type=int, default=2_000)
    by_size.add_argument(
        "--repeat", type=int, default=1, help="runs per size, alternating with the floor"
    )
    one = parts.add_parser("one")
    one.add_argument("size", type=int)
    one.add_argument("folder", type=Path)
    one.add_argument("--months", type=int, default=12)
    one.add_argument("--naive-duties", type=int, default=2_000)
    many = parts.add_parser("tenants")
    many.add_argument("--tenants", type=int, default=1000)
    many.add_argument("--months", type=int, default=12)
    many.add_argument("--seed", type=int, default=2027)
    bare = parts.add_parser("floor")
    bare.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    bare_one = parts.add_parser("floor-one")
    bare_one.add_argument("counts")
    bare_one.add_argument("folder", type=Path)
    run = parts.add_parser("tenant-run")
    run.add_argument("executor", choices=sorted(EXECUTORS))
    run.add_argument("folder", type=Path)
    run.add_argument("--months", type=int, default=12)
    args = parser.parse_args()
    if args.part == "tenant-run":
        print(run_tenants(args.executor, args.folder, args.months))
    elif args.part == "one":
        print(json.dumps(measure_size(args.size, args.months, args.folder, args.naive_duties)))
    elif args.part == "sizes":
        sizes(args)
    elif args.part == "floor":
        floor(args)
    elif args.part == "floor-one":
        print(json.dumps(measure_floor(json.loads(args.counts), args.folder)))
    else:
        tenants(args)


if __name__ == "__main__":
    main()
