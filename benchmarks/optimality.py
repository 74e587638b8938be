"""The greedy planner against CP-SAT on seeded fleets (docs/scheduling.md, "The
CP-SAT planner").

Fleets of 10 to 300 assets (``benchmarks/fleet.py``'s mix), their window capacity
scaled by a pressure factor (0.25 to 1.5 of the fleet's usual capacity), planned
over ``--months`` from 2027-01-01 by both planners. Per fleet it prints the P1/P2
on-time share, the weighted lateness (the objective's first part), the
after-hours quarter hours (its second part), the time of each planner, and
CP-SAT's status and proven gap; then the totals, and the fleets where the greedy's
P1/P2 on-time share is more than 2 percentage points below CP-SAT's.

    .venv/bin/python benchmarks/optimality.py --fleets 50 --months 3 --time-limit 5
    .venv/bin/python benchmarks/optimality.py --year 200   # one 200-asset year, default limit
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

import attrs

sys.path.insert(0, str(Path(__file__).parent))

from fleet import fleet
from maintlib.model.inventory import Inventory
from maintlib.model.plan import Plan, Status
from maintlib.model.vocabulary import Tier
from maintlib.packs.catalog import build_catalog
from maintlib.pipeline import plan
from maintlib.planning.schedule.optimize import _Hours, objective
from maintlib.planning.schedule.slots import SlotBook
from maintlib.testing import make_plugins

START = dt.date(2027, 1, 1)
REFERENCE = dt.datetime(2027, 1, 1, tzinfo=dt.UTC)
URGENT = (Tier.P1, Tier.P2)


def pressured(inventory: Inventory, factor: float) -> Inventory:
    """The inventory with every window's capacity times ``factor`` (at least 2 h)."""
    windows = tuple(
        attrs.evolve(
            w,
            capacity_hours=max(Decimal(2), (w.capacity_hours * Decimal(str(factor))).quantize(1)),
        )
        if w.capacity_hours is not None
        else w
        for w in inventory.windows
    )
    return attrs.evolve(inventory, windows=windows)


def on_time_share(result: Plan) -> tuple[int, int]:
    """P1/P2 dues on time, and all P1/P2 dues."""
    on_time = sum(
        len(t.due.covers)
        for t in result.tasks
        if t.due.tier in URGENT and t.status is Status.ON_TIME
    )
    summary = result.summary()["by_tier"]
    total = sum(
        summary[tier.value][k]
        for tier in URGENT
        for k in ("on_time", "late", "superseded", "unplaced")
    )
    return on_time, total


def measure(inventory: Inventory, months: int, limit: float | None) -> dict[str, object]:
    catalog = build_catalog(make_plugins())
    figures: dict[str, object] = {"assets": len(inventory.assets)}
    warnings: list[str] = []
    span = (
        dt.datetime.combine(START, dt.time(), tzinfo=inventory.organisation.timezone),
        dt.datetime.combine(
            START + dt.timedelta(days=31 * months + 200), dt.time(), inventory.organisation.timezone
        ),
    )
    hours = _Hours(SlotBook(inventory, span, warnings))
    lookahead = inventory.planning.lookahead_days
    for name in ("greedy", "cp-sat"):
        began = time.perf_counter()
        result = plan(
            inventory,
            start=START,
            months=months,
            reference_time=REFERENCE,
            plugins=catalog,
            solver=name,
            time_limit=limit,
        )
        figures[f"{name} seconds"] = time.perf_counter() - began
        figures[f"{name} on time"] = on_time_share(result)
        lateness, after = objective(result, lookahead, hours)
        figures[f"{name} lateness"] = lateness // 100
        figures[f"{name} after-hours"] = after
        if result.solver is not None:
            kept = " (greedy kept)" * result.solver.kept_greedy
            figures["status"] = result.solver.status + kept
            figures["gap"] = result.solver.gap
            figures["limit"] = result.solver.time_limit
            figures["models"] = result.solver.models
    return figures


def share(pair: object) -> float:
    on_time, total = pair  # type: ignore[misc]
    return 100.0 * on_time / total if total else 100.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fleets", type=int, default=50)
    parser.add_argument("--months", type=int, default=3)
    parser.add_argument(
        "--time-limit", type=float, help="CP-SAT's deterministic limit (default: the planner's)"
    )
    parser.add_argument("--year", type=int, help="plan one fleet of this size for 12 months")
    args = parser.parse_args()
    if args.year:
        figures = measure(fleet(args.year, seed=2027), 12, args.time_limit)
        print(figures)
        return
    rng = random.Random(19)
    rows = []
    print(
        "fleet assets pressure | P1/P2 on time % greedy cp-sat | weighted lateness greedy cp-sat"
        " | after-hours qh greedy cp-sat | seconds greedy cp-sat | status gap"
    )
    for number in range(args.fleets):
        size = rng.randint(10, 300)
        factor = rng.choice((0.25, 0.5, 0.75, 1.0, 1.5))
        inventory = pressured(fleet(size, seed=number), factor)
        f = measure(inventory, args.months, args.time_limit)
        rows.append(f)
        print(
            f"{number:3d} {f['assets']:4d} {factor:4.2f} |"
            f" {share(f['greedy on time']):6.2f} {share(f['cp-sat on time']):6.2f} |"
            f" {f['greedy lateness']:9d} {f['cp-sat lateness']:9d} |"
            f" {f['greedy after-hours']:6d} {f['cp-sat after-hours']:6d} |"
            f" {f['greedy seconds']:6.2f} {f['cp-sat seconds']:7.2f} |"
            f" {f['status']} {f['gap']:.3f}",
            flush=True,
        )

    def total(key: str) -> tuple[int, int]:
        pairs = [r[key] for r in rows]
        return sum(p[0] for p in pairs), sum(p[1] for p in pairs)  # type: ignore[index]

    print(
        f"all: P1/P2 on time greedy {share(total('greedy on time')):.2f}%"
        f" cp-sat {share(total('cp-sat on time')):.2f}%;"
        f" weighted lateness greedy {sum(r['greedy lateness'] for r in rows)}"  # type: ignore[misc]
        f" cp-sat {sum(r['cp-sat lateness'] for r in rows)};"  # type: ignore[misc]
        f" after-hours qh greedy {sum(r['greedy after-hours'] for r in rows)}"  # type: ignore[misc]
        f" cp-sat {sum(r['cp-sat after-hours'] for r in rows)};"  # type: ignore[misc]
        f" seconds greedy {sum(r['greedy seconds'] for r in rows):.1f}"  # type: ignore[misc]
        f" cp-sat {sum(r['cp-sat seconds'] for r in rows):.1f}"  # type: ignore[misc]
    )
    behind = [
        (i, share(r["cp-sat on time"]) - share(r["greedy on time"]))
        for i, r in enumerate(rows)
        if share(r["cp-sat on time"]) - share(r["greedy on time"]) > 2
    ]
    print(f"fleets where the greedy is more than 2 points behind: {behind}")


if __name__ == "__main__":
    main()
