"""``maintlib plan-many``: the command line of :mod:`maintlib.tenants`.

The progress bar and the Dask client are imported only when this command runs.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
from collections.abc import Iterator
from concurrent.futures import Executor
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TextIO

import attrs

from maintlib._util.files import write_all
from maintlib.cli.common import EXIT_OK, add_horizon, chosen_plugins, moment
from maintlib.model.errors import InputError, Problem
from maintlib.tenants.overview import TenantResult
from maintlib.tenants.run import find_tenants, plan_many

__all__ = ["EXIT_TENANTS", "add_commands", "cmd_plan_many"]


#: Exit status when at least one tenant failed (the others' outputs and the
#: overview are written).
EXIT_TENANTS = 4


def _capacity(text: str) -> tuple[str, Decimal]:
    name, sep, hours = text.partition("=")
    try:
        value = Decimal(hours)
    except InvalidOperation:
        value = Decimal(-1)
    if not sep or not name.strip() or not value.is_finite() or value < 0:
        raise argparse.ArgumentTypeError(f"expected WINDOW=HOURS (weeknight=16), got {text!r}")
    return name.strip(), value


def add_commands(commands: Any) -> None:
    """Add ``plan-many`` to the command line's sub-commands."""
    parser = commands.add_parser(
        "plan-many",
        help="plan many tenants' inventories in parallel, with an MSP overview",
    )
    parser.add_argument(
        "sources",
        nargs="+",
        metavar="DIR|GLOB|FILE",
        help="a tenant's folder or inventory, a folder of tenant folders, or a pattern",
    )
    add_horizon(parser)
    parser.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar="DIR",
        help="where to write DIR/<tenant>/plan.json, plan.ics and DIR/overview.{json,md,csv}",
    )
    parser.add_argument("--no-ics", action="store_true", help="write no feeds")
    parser.add_argument(
        "--workers", type=int, metavar="N", help="processes of the local pool (default: CPUs)"
    )
    parser.add_argument(
        "--dask",
        metavar="local|ADDRESS",
        help="run on a dask.distributed cluster: 'local' starts one on this machine,"
        " or give a scheduler address (tcp://host:8786); needs maintlib[dask]",
    )
    parser.add_argument(
        "--team-capacity",
        type=_capacity,
        action="append",
        default=[],
        metavar="WINDOW=HOURS",
        help="the shared team's technician-hours per occurrence of a window (repeatable;"
        " default: the largest capacity any tenant gives the window)",
    )
    parser.add_argument(
        "--reference-time",
        type=moment,
        metavar="TIME",
        help="the plans' 'now'; default: the horizon's start in each tenant's zone",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar (as the global -q)")


@contextlib.contextmanager
def _dask_executor(address: str, workers: int | None) -> Iterator[Executor]:
    try:
        distributed: Any = importlib.import_module("distributed")
    except ImportError:
        raise InputError(
            [Problem("maintlib", "--dask", "needs dask.distributed: pip install 'maintlib[dask]'")]
        ) from None
    if address == "local":
        with (
            distributed.LocalCluster(
                n_workers=workers or os.cpu_count() or 1,
                threads_per_worker=1,
                dashboard_address=None,
            ) as cluster,
            distributed.Client(cluster) as client,
        ):
            yield client.get_executor()
    else:
        with distributed.Client(address) as client:
            yield client.get_executor()


class _Progress:
    """A progress bar on standard error, only on a terminal."""

    def __init__(self, total: int, show: bool) -> None:
        self.bar: Any = None
        if show:
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="tenant", file=sys.stderr, leave=False)

    def step(self, failed: bool) -> None:
        if self.bar is not None:
            self.bar.update(1)
            if failed:
                self.bar.set_postfix_str("some failed")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def cmd_plan_many(args: argparse.Namespace, out: TextIO) -> int:
    """Plan every tenant, write its outputs as it arrives, then the overview."""
    folder: Path = args.out
    problems = []
    if folder.exists() and not folder.is_dir():
        problems.append(Problem("maintlib", "--out", f"{folder}: is not a folder"))
    if args.workers is not None and args.workers < 1:
        problems.append(Problem("maintlib", "--workers", "at least 1"))
    if problems:
        raise InputError(problems)
    tenants = find_tenants(args.sources)
    progress = _Progress(
        len(tenants), not (args.quiet or args.global_quiet) and sys.stderr.isatty()
    )

    def arrived(result: TenantResult) -> TenantResult:
        if result.ok:
            target = folder / result.tenant.name
            outputs: dict[str | os.PathLike[str], bytes] = {target / "plan.json": result.plan_json}
            if result.feed:
                outputs[target / "plan.ics"] = result.feed
            write_all(outputs)
        progress.step(not result.ok)
        return attrs.evolve(result, plan_json=b"", feed=b"")

    executor: contextlib.AbstractContextManager[Executor | None] = (
        _dask_executor(args.dask, args.workers) if args.dask else contextlib.nullcontext()
    )
    try:
        with executor as chosen:
            overview = plan_many(
                tenants,
                start=args.start,
                months=args.months,
                reference_time=args.reference_time,
                plugins=chosen_plugins(args),
                executor=chosen,
                workers=args.workers,
                capacity=dict(args.team_capacity),
                feed=not args.no_ics,
                on_result=arrived,
            )
    finally:
        progress.close()
    write_all(
        {
            folder / "overview.json": overview.dumps(),
            folder / "overview.md": overview.to_markdown(),
            folder / "overview.csv": overview.to_csv(),
        }
    )
    planned = len(overview.results) - len(overview.failed)
    print(f"planned {planned} of {len(overview.results)} tenants into {folder}", file=out)
    for result in overview.failed:
        print(f"failed: {result.tenant.name}", file=out)
        for problem in result.problems:
            print(f"  {problem}", file=out)
    if overview.overbooked:
        print(
            f"shared technicians: {len(overview.overbooked)} window occurrences exceed the"
            f" team's capacity (see {folder / 'overview.md'})",
            file=out,
        )
    print(f"wrote {folder / 'overview.json'}, overview.md, overview.csv", file=out)
    return EXIT_TENANTS if overview.failed else EXIT_OK
