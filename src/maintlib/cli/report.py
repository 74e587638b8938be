"""``maintlib report``: the customer report (HTML, Markdown, CSV) of an inventory
planned here, or of a plan JSON made before."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from maintlib._util.files import write_all
from maintlib._util.json import JsonInputError, loads
from maintlib._util.text import excerpt
from maintlib.cli.common import (
    EXIT_OK,
    STDOUT,
    add_horizon,
    check_outputs,
    date,
    format_of,
    is_stdout,
    load_catalog,
    moment,
    output_path,
    read_log_for,
    reference_time,
    report_compliance,
    write_outputs,
)
from maintlib.loading.read import load
from maintlib.model.errors import InputError, Problem
from maintlib.model.limits import read_input

__all__ = ["add_commands", "cmd_report"]


def add_commands(commands: Any) -> None:
    """Add ``report`` to the command parser."""
    report = commands.add_parser(
        "report", help="the customer report (HTML, Markdown, CSV) of an inventory or a plan JSON"
    )
    report.add_argument(
        "source",
        type=Path,
        metavar="INVENTORY|PLAN.json",
        help="an inventory to plan here, or a plan JSON made before",
    )
    report.add_argument(
        "--inventory",
        type=Path,
        metavar="FILE",
        help="with a plan JSON: the inventory it was made from (names, owners, risks)",
    )
    add_horizon(report, required=False)
    report.add_argument(
        "--reference-time",
        type=moment,
        metavar="TIME",
        help="the plan's 'now', the report's date; default: the horizon's start",
    )
    report.add_argument(
        "--log",
        type=Path,
        metavar="FILE",
        help="re-plan from a maintenance log and add its compliance section (docs/compliance.md)",
    )
    report.add_argument(
        "--since", type=date, metavar="DATE", help="with --log: the first day it accounts for"
    )
    report.add_argument(
        "--format",
        choices=["html", "md", "csv"],
        help="HTML, Markdown or CSV (default: from --out's extension, else html)",
    )
    report.add_argument(
        "--lang", choices=["nl", "en"], help="default: nl for a Dutch organisation, else en"
    )
    report.add_argument(
        "--out",
        type=output_path("report"),
        metavar="FILE",
        help="write to FILE.html, FILE.md or FILE.csv (the extension gives the format);"
        " default: stdout",
    )


def cmd_report(args: argparse.Namespace, out: TextIO) -> int:
    """Write the customer report of an inventory (planned here) or of a plan JSON."""
    from maintlib.outputs.report.render import (
        build_report,
        default_language,
        plan_of_json,
        render_document,
    )
    from maintlib.pipeline import plan as make_plan

    catalog = load_catalog(args)
    if args.source.suffix.lower() == ".json":
        if args.inventory is None or args.start is not None or args.reference_time is not None:
            raise InputError(
                [
                    Problem(
                        "maintlib report",
                        "",
                        "with a plan JSON give --inventory FILE (the plan's horizon and"
                        " reference time come from the JSON, not --start or --reference-time)",
                    )
                ]
            )
        if args.log is not None:
            raise InputError(
                [
                    Problem(
                        "maintlib report", "", "--log goes with INVENTORY --start, not a plan JSON"
                    )
                ]
            )
        document = _read_json(args.source)
        inventory = load(args.inventory, catalog=catalog)
        result = plan_of_json(document, inventory, catalog, name=str(args.source))
        compliance = None
    else:
        if args.start is None or args.inventory is not None:
            raise InputError(
                [
                    Problem(
                        "maintlib report",
                        "",
                        "give INVENTORY --start DATE, or PLAN.json --inventory FILE",
                    )
                ]
            )
        inventory = load(args.source, catalog=catalog)
        reference = reference_time(args, inventory.organisation.timezone)
        log = read_log_for(args.log)
        result = make_plan(
            inventory,
            start=args.start,
            months=args.months,
            reference_time=reference,
            plugins=catalog,
            log=log,
            since=args.since,
        )
        compliance = report_compliance(inventory, catalog, log, result)
    content = render_document(
        build_report(result, inventory, catalog, compliance),
        format=format_of(args.out, "report", args.format, "html"),
        lang=args.lang or default_language(inventory.organisation),
    )
    if args.out is None or is_stdout(args.out):
        # File content, not a message: written as it is (CR/LF kept), without the
        # byte-order mark a file for Excel gets.
        write_outputs({STDOUT: content.decode("utf-8-sig").encode("utf-8")}, out)
        return EXIT_OK
    check_outputs(args, args.out)
    write_all({args.out: content})
    print(f"wrote {args.out}", file=out)
    return EXIT_OK


def _read_json(path: Path) -> Any:
    try:
        return loads(read_input(path).decode("utf-8"))
    except OSError as error:
        raise InputError([Problem(str(path), "", f"cannot read: {error.strerror}")]) from None
    except JsonInputError as error:
        raise InputError([Problem(str(path), error.where, f"not JSON: {error.message}")]) from None
    except ValueError as error:  # not UTF-8, not a regular file, too large
        raise InputError(
            [Problem(str(path), "", f"cannot read: {excerpt(str(error), 80)}")]
        ) from None
