"""``maintlib diff``: what changed between two plan JSON files."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any, TextIO

from maintlib.cli.common import EXIT_OK
from maintlib.model.errors import InputError, Problem

__all__ = ["add_commands", "cmd_diff"]


def add_commands(commands: Any) -> None:
    """Add ``diff`` to the command parser."""
    diff = commands.add_parser(
        "diff", help="what changed between two plan JSON files (maintlib.plan/1 or /2)"
    )
    diff.add_argument("old", type=Path, metavar="OLD.json")
    diff.add_argument("new", type=Path, metavar="NEW.json")
    diff.add_argument("--json", action="store_true", help="print JSON")


def cmd_diff(args: argparse.Namespace, out: TextIO) -> int:
    """Print what changed between two plan JSON files."""
    from maintlib.outputs.diff import plan_diff, read_plan, render_diff

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
        print(json.dumps(changes.to_json(), indent=2, ensure_ascii=False), file=out)
    else:
        print(render_diff(changes), file=out, end="")
    return EXIT_OK
