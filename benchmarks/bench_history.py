"""Benchmark: the maintenance log — reading, appending, re-planning from it.

For a synthetic fleet (benchmarks/fleet.py, built-in pack) planned January to
June 2027, a log records every task: 85% done on time, 10% missed (no record),
5% failed. It times, in this process:

* reading the log (JSON Lines and CSV), records per second;
* appending single records with :func:`maintlib.records.log.append` (lock, write, fsync),
  appends per second, to a file in the system's temporary folder;
* re-planning July to December from the log, against planning the same horizon
  without it (the baseline, same process): ``ratio`` is the one over the other;
* compliance of the first half-year.

Figures are printed, never asserted: record them in docs/performance.md.

    .venv/bin/python benchmarks/bench_history.py                 # 1,000 and 10,000 assets
    .venv/bin/python benchmarks/bench_history.py --sizes 1000
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).parent
JANUARY = dt.date(2027, 1, 1)
JULY = dt.date(2027, 7, 1)
APPENDS = 200


def measure(size: int) -> dict[str, float]:
    sys.path.insert(0, str(HERE))
    from fleet import fleet
    from maintlib.packs.catalog import build_catalog
    from maintlib.pipeline import compliance, plan
    from maintlib.records.log import Outcome, Record, append, dumps, parse_log
    from maintlib.testing import make_plugins

    catalog = build_catalog(make_plugins())
    inventory = fleet(size)
    zone = inventory.organisation.timezone

    def reference(day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(), tzinfo=zone)

    first = plan(
        inventory, start=JANUARY, months=6, reference_time=reference(JANUARY), plugins=catalog
    )
    records = []
    for index, task in enumerate(first.tasks):
        if index % 20 in (1, 2):
            continue  # missed
        outcome = Outcome.FAILED if index % 20 == 3 else Outcome.DONE
        records.append(
            Record(finished=task.end, started=task.start, outcome=outcome, task=task.uid)
        )
    figures: dict[str, float] = {"assets": len(inventory.assets), "records": len(records)}
    for format in ("jsonl", "csv"):
        data = dumps(records, format)  # type: ignore[arg-type]
        began = time.perf_counter()
        log = parse_log(data, format)  # type: ignore[arg-type]
        figures[f"read_{format}_s"] = time.perf_counter() - began
        figures[f"{format}_mib"] = len(data) / 2**20
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "log.jsonl"
        began = time.perf_counter()
        for record in records[:APPENDS]:
            append(path, [record])
        figures["appends_per_s"] = APPENDS / (time.perf_counter() - began)
    began = time.perf_counter()
    plan(inventory, start=JULY, months=6, reference_time=reference(JULY), plugins=catalog)
    figures["plan_s"] = time.perf_counter() - began
    began = time.perf_counter()
    again = plan(
        inventory, start=JULY, months=6, reference_time=reference(JULY), plugins=catalog, log=log
    )
    figures["replan_s"] = time.perf_counter() - began
    assert again.history is not None
    figures["overdue"] = len(again.history.overdue)
    figures["retries"] = len(again.history.retries)
    began = time.perf_counter()
    compliance(inventory, log=log, start=JANUARY, end=JULY, plugins=catalog)
    figures["compliance_s"] = time.perf_counter() - began
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    args = parser.parse_args()
    print(
        "| assets | records | read JSONL s | read CSV s | JSONL MiB | appends/s | plan s"
        " | re-plan s | ratio | overdue | retries | compliance s |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for size in args.sizes:
        f = measure(size)
        print(
            f"| {f['assets']:,.0f} | {f['records']:,.0f} | {f['read_jsonl_s']:.2f}"
            f" | {f['read_csv_s']:.2f} | {f['jsonl_mib']:.1f} | {f['appends_per_s']:,.0f}"
            f" | {f['plan_s']:.2f} | {f['replan_s']:.2f} | {f['replan_s'] / f['plan_s']:.1f}"
            f" | {f['overdue']:,.0f} | {f['retries']:,.0f} | {f['compliance_s']:.2f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
