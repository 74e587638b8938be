"""The commands about the past and the promises: ``log``, ``compliance``, ``sla``.

Registered by :mod:`maintlib.cli.app`, with the exit statuses of every command:
0 success, 2 bad input (located, nothing written), 3 with ``--strict`` when the
SLA is breached.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path
from typing import Any, TextIO

from maintlib.cli.common import (
    EXIT_OK,
    EXIT_STRICT,
    add_json_option,
    check_outputs,
    date,
    format_of,
    is_stdout,
    load_catalog,
    load_inventory,
    moment,
    months,
    output_path,
    read_log_for,
    write_json,
    write_outputs,
)
from maintlib.model.errors import InputError, Problem
from maintlib.records.log import Outcome, Record, append, import_export, read_mapping

__all__ = ["add_commands", "cmd_compliance", "cmd_log", "cmd_sla"]


def add_commands(commands: Any) -> None:
    """Add ``log``, ``compliance`` and ``sla`` to the command parser."""
    log = commands.add_parser("log", help="the maintenance log: add a record, import, check")
    log_commands = log.add_subparsers(dest="log_command", required=True, metavar="COMMAND")
    add = log_commands.add_parser("add", help="append one record (safe with concurrent writers)")
    add.add_argument("log", type=Path, metavar="LOG", help="the log (.jsonl, or .csv)")
    add.add_argument("--task", help="the task uid (or give --asset, --activity and --due)")
    add.add_argument("--asset", help="the asset id (organisation for organisation-wide work)")
    add.add_argument("--activity", help="the activity (security-updates)")
    add.add_argument("--due", type=moment, metavar="TIME", help="the due's anchor")
    add.add_argument("--started", type=moment, metavar="TIME", help="when work started")
    add.add_argument(
        "--finished", type=moment, metavar="TIME", required=True, help="when work ended"
    )
    add.add_argument("--by", default="", help="who did it")
    add.add_argument(
        "--outcome",
        choices=[o.value for o in Outcome],
        required=True,
        help="how it went (skipped and failed need --reason)",
    )
    add.add_argument("--reason", default="", help="why it was skipped or failed")
    add.add_argument("--notes", default="", help="free text for the record")
    add.add_argument(
        "--covers", action="append", default=[], metavar="ID", help="a release or CVE (repeatable)"
    )
    imports = log_commands.add_parser("import", help="append the records of an RMM/PSA export")
    imports.add_argument("export", type=Path, metavar="EXPORT.csv", help="the tool's CSV export")
    imports.add_argument(
        "--mapping",
        type=Path,
        required=True,
        metavar="MAP.toml",
        help="which export column is which record field (docs/log.md)",
    )
    imports.add_argument(
        "--to", type=Path, required=True, metavar="LOG", dest="log", help="the log to append to"
    )
    check = log_commands.add_parser("check", help="read a log and count its records")
    check.add_argument("log", type=Path, metavar="LOG", help="the log (.jsonl, or .csv)")

    compliance = commands.add_parser(
        "compliance", help="on-time rates, overdue work and restore tests from a log"
    )
    compliance.add_argument("inventory", type=Path, help="the inventory file (TOML or JSON)")
    _period(compliance)
    add_json_option(compliance, "the figures", legacy=True)

    sla = commands.add_parser("sla", help="the SLA: check a plan or a log, write its summary")
    sla_commands = sla.add_subparsers(dest="sla_command", required=True, metavar="COMMAND")
    sla_check = sla_commands.add_parser(
        "check", help="breaches of a plan (--start) or of a log (--log, --from, --to)"
    )
    sla_check.add_argument("inventory", type=Path, help="the inventory file with its [sla]")
    sla_check.add_argument("--start", type=date, help="check the plan from this day")
    sla_check.add_argument("--months", type=months, default=12, help="months to plan")
    _period(sla_check, required=False)
    add_json_option(sla_check, "the breaches", legacy=True)
    sla_check.add_argument("--strict", action="store_true", help="exit 3 when there are breaches")
    sla_summary = sla_commands.add_parser("summary", help="the agreed terms, for the customer")
    sla_summary.add_argument("inventory", type=Path, help="the inventory file with its [sla]")
    sla_summary.add_argument(
        "--format",
        choices=["md", "html"],
        help="Markdown or HTML (default: from --out's extension, else md)",
    )
    sla_summary.add_argument(
        "--out",
        type=output_path("summary"),
        metavar="FILE",
        help="write to FILE.md or FILE.html (the extension gives the format); default: stdout",
    )


def _period(parser: argparse.ArgumentParser, *, required: bool = True) -> None:
    parser.add_argument(
        "--log", type=Path, required=required, metavar="FILE", help="the maintenance log"
    )
    parser.add_argument(
        "--from",
        type=date,
        required=required,
        dest="period_from",
        metavar="DATE",
        help="the period's first day",
    )
    parser.add_argument(
        "--to",
        type=date,
        required=required,
        dest="period_to",
        metavar="DATE",
        help="the day after the period (exclusive)",
    )


def cmd_log(args: argparse.Namespace, out: TextIO) -> int:
    """Run ``log add``, ``log import`` or ``log check``."""
    return {"add": _log_add, "import": _log_import, "check": _log_check}[args.log_command](
        args, out
    )


def cmd_sla(args: argparse.Namespace, out: TextIO) -> int:
    """Run ``sla check`` or ``sla summary``."""
    return {"check": _sla_check, "summary": _sla_summary}[args.sla_command](args, out)


def _log_add(args: argparse.Namespace, out: TextIO) -> int:
    try:
        record = Record(
            finished=args.finished,
            outcome=Outcome(args.outcome),
            task=args.task,
            asset=args.asset,
            activity=args.activity,
            due=args.due,
            started=args.started,
            by=args.by,
            reason=args.reason,
            notes=args.notes,
            covers=tuple(args.covers),
        )
    except ValueError as error:
        raise InputError([Problem("maintlib log add", "", str(error))]) from None
    if args.log.exists():
        read_log_for(args.log)  # refuse to append to a file that is no log
    for warning in append(args.log, [record]):
        print(f"warning: {warning}", file=sys.stderr)
    print(f"appended 1 record to {args.log}", file=out)
    return EXIT_OK


def _log_import(args: argparse.Namespace, out: TextIO) -> int:
    mapping = read_mapping(args.mapping)
    records = import_export(args.export.read_bytes(), mapping, file=os.fspath(args.export))
    if args.log.exists():
        read_log_for(args.log)
    for warning in append(args.log, records):
        print(f"warning: {warning}", file=sys.stderr)
    print(f"appended {len(records)} records to {args.log}", file=out)
    return EXIT_OK


def _log_check(args: argparse.Namespace, out: TextIO) -> int:
    log = read_log_for(args.log)
    assert log is not None
    print(f"{args.log}: {len(log.records)} records", file=out)
    return EXIT_OK


def _load(args: argparse.Namespace) -> Any:
    catalog = load_catalog(args)
    return load_inventory(args, catalog), catalog


def _compliance_of(args: argparse.Namespace, inventory: Any, catalog: Any) -> Any:
    from maintlib.pipeline import compliance

    log = read_log_for(args.log)
    assert log is not None
    return log, compliance(
        inventory, log=log, start=args.period_from, end=args.period_to, plugins=catalog
    )


def cmd_compliance(args: argparse.Namespace, out: TextIO) -> int:
    """On-time rates, overdue work and restore tests of a period, from the log."""
    check_outputs(args, args.json)
    inventory, catalog = _load(args)
    _, result = _compliance_of(args, inventory, catalog)
    document = result.to_json()
    if args.json:
        write_json(args, document, out)
        return EXIT_OK
    counts = document["counts"]
    rate = _percent(document["on_time_rate"])
    print(
        f"compliance {result.start} to {result.end}: {document['dues']} dues, on time {rate}"
        f" ({counts['on_time']} on time, {counts['late']} late, {counts['overdue']} overdue,"
        f" {counts['open']} open)",
        file=out,
    )
    for tier, figures in document["by_tier"].items():
        print(f"  {tier}: on time {_percent(figures['on_time_rate'])}", file=out)
    remediation = document["remediation"]
    if remediation["count"]:
        print(
            f"  time to remediate: median {remediation['median_days']} days, p90"
            f" {remediation['p90_days']} days (deadline median"
            f" {remediation['deadline_median_days']} days)",
            file=out,
        )
    tests = document["restore_tests"]
    print(f"  restore tests: {tests['done']} of {tests['planned']} done", file=out)
    for item in document["overdue"]:
        print(f"  overdue {item['due']}: {item['age_days']} days past its deadline", file=out)
    if document["unmaintained_assets"]:
        print(f"  no recorded maintenance: {', '.join(document['unmaintained_assets'])}", file=out)
    return EXIT_OK


def _percent(rate: float | None) -> str:
    return "n/a" if rate is None else f"{rate * 100:.1f}%"


def _sla_of(inventory: Any) -> Any:
    if inventory.sla is None:
        raise InputError([Problem("maintlib sla", "", "the inventory has no [sla] section")])
    return inventory.sla


def _sla_check(args: argparse.Namespace, out: TextIO) -> int:
    from maintlib.pipeline import plan as make_plan
    from maintlib.records.sla import check_log, check_plan

    check_outputs(args, args.json)
    by_plan = args.start is not None
    by_log = args.log is not None or args.period_from is not None or args.period_to is not None
    if by_plan == by_log or (by_log and None in (args.log, args.period_from, args.period_to)):
        raise InputError(
            [
                Problem(
                    "maintlib sla check",
                    "",
                    "give --start DATE (check the plan) or --log FILE --from DATE --to DATE"
                    " (check the log)",
                )
            ]
        )
    inventory, catalog = _load(args)
    sla = _sla_of(inventory)
    if by_plan:
        zone = inventory.organisation.timezone
        result = make_plan(
            inventory,
            start=args.start,
            months=args.months,
            reference_time=dt.datetime.combine(args.start, dt.time(), tzinfo=zone),
            plugins=catalog,
        )
        breaches = check_plan(result, sla)
        what = f"plan {args.start} + {args.months} months"
    else:
        log, compliance = _compliance_of(args, inventory, catalog)
        breaches = check_log(compliance, log, sla)
        what = f"log {args.period_from} to {args.period_to}"
    if args.json:
        document = {"checked": what, "breaches": [b.to_json() for b in breaches]}
        write_json(args, document, out)
    else:
        print(f"SLA {sla.provider} for {sla.customer}, {what}: {len(breaches)} breaches", file=out)
        for breach in breaches:
            print(f"  {breach}", file=out)
    return EXIT_STRICT if args.strict and breaches else EXIT_OK


def _sla_summary(args: argparse.Namespace, out: TextIO) -> int:
    from maintlib.records.sla import summary

    if args.out is not None:
        check_outputs(args, args.out)
    inventory, _ = _load(args)
    content = summary(_sla_of(inventory), format=format_of(args.out, "summary", args.format, "md"))
    if args.out is None or is_stdout(args.out):
        out.write(content.decode())
        return EXIT_OK
    messages = write_outputs({args.out: content}, out)
    print(f"wrote {args.out}", file=messages)
    return EXIT_OK
