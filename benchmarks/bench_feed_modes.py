"""Benchmark: the calendar feed of a benchmark fleet in each feed mode.

Plans the synthetic fleet (benchmarks/fleet.py) for 12 months and writes its feed
per task, as series, and by occurrence (run-books), printing events, megabytes
and seconds for each, and the work per 1,000 assets: dues (one task each without
fleet tasks) against tasks. Figures are printed, never asserted; record them in
docs/performance.md.

    .venv/bin/python benchmarks/bench_feed_modes.py              # 1,000 assets
    .venv/bin/python benchmarks/bench_feed_modes.py --sizes 1000 5000
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent
REFERENCE = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
MODES = ("per-task", "series", "occurrence")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000])
    arguments = parser.parse_args()
    sys.path.insert(0, str(HERE))
    from fleet import fleet
    from maintlib import plan, to_ics
    from maintlib.packs.catalog import build_catalog
    from maintlib.testing import make_plugins

    catalog = build_catalog(make_plugins())
    print("assets  dues/1k  tasks/1k  mode        events     MB      s")
    for size in arguments.sizes:
        inventory = fleet(size)
        result = plan(
            inventory,
            start=dt.date(2027, 1, 1),
            months=12,
            reference_time=REFERENCE,
            plugins=catalog,
        )
        per_thousand = 1000 / len(inventory.assets)
        for mode in MODES:
            began = time.perf_counter()
            feed = to_ics(result, mode=mode)
            seconds = time.perf_counter() - began
            print(
                f"{len(inventory.assets):>6}  {result.dues * per_thousand:>7,.0f}"
                f"  {len(result.tasks) * per_thousand:>8,.0f}  {mode:<10}"
                f"  {feed.count(b'BEGIN:VEVENT'):>6,}  {len(feed) / 1e6:>5.2f}  {seconds:>5.2f}"
            )


if __name__ == "__main__":
    main()
