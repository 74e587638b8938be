"""Benchmark: planning synthetic fleets of 1,000 to 100,000 assets over 12 months.

Each size runs in a fresh process so that its peak memory is its own. Next to
maintlib's full pipeline (apply, expand, schedule with every constraint, cost) it
times a naive baseline in the same process: every asset's cadences expanded with
its own dateutil rrule, no constraints, no placement. Figures are printed, never
asserted: machines are noisy. Record them in docs/performance.md.

    .venv/bin/python benchmarks/bench_plan.py                 # 1k, 10k, 20k, 50k, 100k
    .venv/bin/python benchmarks/bench_plan.py --sizes 1000 2000
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent
REFERENCE = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
START = dt.date(2027, 1, 1)


def baseline(inventory: object, duties: list[object], months: int) -> tuple[float, int]:
    """Naive: one dateutil rrule per asset and periodic cadence, expanded, nothing else."""
    from dateutil.rrule import rrulestr

    from maintlib.model.rules import Periodic
    from maintlib.model.work import add_months

    began = time.perf_counter()
    first = dt.datetime.combine(START, dt.time())
    last = dt.datetime.combine(add_months(START, months), dt.time())
    count = 0
    for duty in duties:
        cadence = duty.cadence  # type: ignore[attr-defined]
        if isinstance(cadence, Periodic):
            rule = rrulestr(cadence.rrule, dtstart=dt.datetime(2024, 1, 1))
            count += len(rule.between(first, last, inc=True))
    return time.perf_counter() - began, count


def measure(size: int, months: int) -> dict[str, float]:
    """One size, in this process: the pipeline's stages, the baseline, peak memory."""
    sys.path.insert(0, str(HERE))
    from fleet import fleet
    from maintlib.costing.cost import cost_plan
    from maintlib.model.catalog import rate_card_for
    from maintlib.model.work import Horizon
    from maintlib.packs.catalog import build_catalog
    from maintlib.planning.apply import apply
    from maintlib.planning.fleet import expand_fleets
    from maintlib.planning.schedule.planner import schedule
    from maintlib.testing import make_plugins

    inventory = fleet(size)
    catalog = build_catalog(make_plugins())
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    times = [time.perf_counter()]
    duties = apply(inventory, catalog).duties
    times.append(time.perf_counter())
    horizon = Horizon(START, months, inventory.organisation.timezone)
    dues = expand_fleets(duties, horizon, catalog.calendars)
    times.append(time.perf_counter())
    plan = schedule(dues, inventory, horizon, reference_time=REFERENCE, kinds=catalog.kinds)
    times.append(time.perf_counter())
    costs = cost_plan(plan, rate_card_for(inventory, catalog), inventory)
    times.append(time.perf_counter())
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    naive_time, naive_dues = baseline(inventory, list(duties), months)
    assert costs is not None
    summary = plan.summary()
    return {
        "assets": len(inventory.assets),
        "dues": plan.dues,
        "tasks": len(plan.tasks),
        "on_time": summary["on_time"],
        "late": summary["late"],
        "superseded": summary["superseded"],
        "unplaced": summary["unplaced"],
        "p1p2_late": sum(summary["by_tier"][t]["late"] for t in ("P1", "P2")),
        "apply": times[1] - times[0],
        "expand": times[2] - times[1],
        "schedule": times[3] - times[2],
        "cost": times[4] - times[3],
        "total": times[4] - times[0],
        "peak_mib": peak / 1024,
        "planning_mib": (peak - rss_before) / 1024,
        "baseline": naive_time,
        "baseline_dues": naive_dues,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=[1000, 10_000, 20_000, 50_000, 100_000]
    )
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, args.months)))
        return
    rows = []
    header = (
        f"{'assets':>8} {'dues':>9} {'apply':>6} {'expand':>6} {'sched':>6} {'cost':>6}"
        f" {'total s':>8} {'dues/s':>9} {'peak MiB':>9} {'naive s':>8} {'ratio':>6}"
    )
    print(header)
    print("-" * len(header))
    shares = []
    for size in args.sizes:
        output = subprocess.run(
            [sys.executable, __file__, "--one", str(size), "--months", str(args.months)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        row = json.loads(output)
        rows.append(row)
        print(
            f"{row['assets']:>8} {row['dues']:>9} {row['apply']:>6.2f} {row['expand']:>6.2f}"
            f" {row['schedule']:>6.2f} {row['cost']:>6.2f} {row['total']:>8.2f}"
            f" {row['dues'] / row['total']:>9.0f} {row['peak_mib']:>9.0f}"
            f" {row['baseline']:>8.2f} {row['total'] / row['baseline']:>6.1f}",
            flush=True,
        )
        shares.append(
            f"{row['assets']:>8}: on time {row['on_time'] / row['dues']:.1%},"
            f" late {row['late'] / row['dues']:.1%} (P1/P2: {row['p1p2_late']}),"
            f" superseded {row['superseded'] / row['dues']:.1%},"
            f" unplaced {row['unplaced'] / row['dues']:.1%}"
        )
    print("\nwhat happened to the dues:")
    print("\n".join(shares))
    by_size = {row["assets"]: row for row in rows}
    sizes = sorted(by_size)
    for small in sizes:
        for large in sizes:
            if 1.9 < large / small < 2.1:
                ratio = by_size[large]["total"] / by_size[small]["total"]
                print(f"time({large})/time({small}) = {ratio:.2f}")


if __name__ == "__main__":
    main()
