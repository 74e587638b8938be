"""``maintlib export ssm|azure|awx``: the plan's windows for the tools that execute
them (:mod:`maintlib.outputs.exports`), as JSON, with a warning for everything the
target cannot express; ``export ssm --apply`` creates the windows through boto3."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any, TextIO

from maintlib.cli.common import (
    EXIT_OK,
    EXIT_STRICT,
    add_horizon,
    check_outputs,
    load_catalog,
    load_inventory,
    moment,
    reference_time,
    write_outputs,
)

__all__ = ["add_commands", "cmd_export"]

TARGETS = ("ssm", "azure", "awx")


def add_commands(commands: Any) -> None:
    """Add ``export`` to the command parser."""
    export = commands.add_parser(
        "export",
        help="the plan's windows for AWS SSM (CloudFormation), Azure Update Manager (ARM)"
        " or AWX (inventory and RRULE schedules)",
    )
    export.add_argument(
        "target", choices=TARGETS, help="ssm (CloudFormation), azure (ARM template) or awx"
    )
    export.add_argument("inventory", type=Path, help="the inventory file (TOML or JSON)")
    add_horizon(export)
    export.add_argument(
        "--reference-time", type=moment, metavar="TIME", help="the plan's 'now' (default: --start)"
    )
    export.add_argument(
        "-o", "--output", type=Path, default=Path("-"), metavar="FILE", help="default: stdout"
    )
    export.add_argument(
        "--apply",
        action="store_true",
        help="ssm only: create the windows through boto3 (AWS credentials as boto3 finds them)",
    )
    export.add_argument(
        "--strict", action="store_true", help="exit 3 when the target cannot express something"
    )


def cmd_export(args: argparse.Namespace, out: TextIO) -> int:
    """Plan the inventory and write the export of its windows."""
    from maintlib.model.errors import InputError, Problem
    from maintlib.outputs.exports.awx import to_awx
    from maintlib.outputs.exports.azure import to_azure
    from maintlib.outputs.exports.ssm import apply_ssm, to_ssm
    from maintlib.pipeline import plan as make_plan

    if args.apply and args.target != "ssm":
        raise InputError([Problem("maintlib export", "", "--apply is for ssm only")])
    check_outputs(args, args.output)
    catalog = load_catalog(args)
    inventory = load_inventory(args, catalog)
    result = make_plan(
        inventory,
        start=args.start,
        months=args.months,
        reference_time=reference_time(args, inventory.organisation.timezone),
        plugins=catalog,
    )
    export = {"ssm": to_ssm, "azure": to_azure, "awx": to_awx}[args.target](result, inventory)
    text = json.dumps(export.document, indent=2, ensure_ascii=False) + "\n"
    messages = write_outputs({args.output: text.encode("utf-8")}, out)
    for warning in export.warnings:
        print(warning, file=messages)
    if args.apply:
        import boto3

        created = apply_ssm(export, boto3.client("ssm"))
        for name, window in created.items():
            print(f"created {name}: {window}", file=messages)
    if args.strict and export.warnings:
        return EXIT_STRICT
    return EXIT_OK
