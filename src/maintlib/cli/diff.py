"""``maintlib diff``: what changed between two plan JSON files."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from maintlib.cli.common import (
    EXIT_DIFFERENT,
    EXIT_OK,
    add_json_option,
    check_outputs,
    write_json,
)
from maintlib.model.errors import InputError, Problem

__all__ = ["add_commands", "cmd_diff"]


def add_commands(commands: Any) -> None:
    """Add ``diff`` to the command parser."""
    diff = commands.add_parser(
        "diff", help="what changed between two plan JSON files (maintlib.plan/1, /2 or /3)"
    )
    diff.add_argument("old", type=Path, metavar="OLD.json", help="the plan JSON before")
    diff.add_argument("new", type=Path, metavar="NEW.json", help="the plan JSON after")
    add_json_option(diff, "the changes", legacy=True)


def cmd_diff(args: argparse.Namespace, out: TextIO) -> int:
    """Print what changed between two plan JSON files; exit 1 when they differ (as
    diff(1) does), 0 when they do not."""
    from maintlib.outputs.diff import plan_diff, read_plan, render_diff

    check_outputs(args, args.json)
    problems: list[Problem] = []
    documents = []
    for path in (args.old, args.new):
        try:
            documents.append(read_plan(path))
        except InputError as error:
            problems += error.problems
    if problems:
        raise InputError(problems)
    changes = plan_diff(*documents)
    if args.json:
        write_json(args, changes.to_json(), out)
    else:
        print(render_diff(changes), file=out, end="")
    return EXIT_DIFFERENT if changes else EXIT_OK
