"""The ``maintlib`` command: a thin shell over the library.

Exit status: 0 success, 2 bad input (every problem printed as ``FILE: location:
message``, no traceback, no output file written), 1 anything else (a rule pack
that fails — raises, even ``SystemExit`` — is named), 130 when interrupted
(Ctrl-C), quietly. Output paths may be ``-`` for standard output; a reader that
goes away (``| head``) ends the run quietly.

Each command group has its module — :mod:`~maintlib.cli.check` (check, plugins,
explain), :mod:`~maintlib.cli.plan`, :mod:`~maintlib.cli.tenants` (plan-many),
:mod:`~maintlib.cli.diff`, :mod:`~maintlib.cli.export` (ssm, azure, awx),
:mod:`~maintlib.cli.importing` (import netbox),
:mod:`~maintlib.cli.feeds`, :mod:`~maintlib.cli.report`,
:mod:`~maintlib.cli.cost`, :mod:`~maintlib.cli.records` (log, compliance, sla) —
which adds its sub-commands to the parser and runs them; what they share is in
:mod:`~maintlib.cli.common`. This module builds the parser and dispatches.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gc
import io
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO, cast

import maintlib
from maintlib.cli import (
    check,
    cost,
    diff,
    export,
    feeds,
    importing,
    plan,
    records,
    report,
    tenants,
)
from maintlib.cli.common import (
    EXIT_ERROR,
    EXIT_INPUT,
    EXIT_INTERRUPTED,
    Printable,
    Quiet,
    legacy_json_arguments,
    print_problems,
)
from maintlib.model.errors import InputError, MaintlibError, PluginError
from maintlib.packs.manager import DISABLE_ENV

__all__ = ["main"]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every command."""
    parser = argparse.ArgumentParser(
        prog="maintlib",
        description="Risk-prioritised IT maintenance plans, exported as iCalendar feeds.",
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"maintlib {maintlib.__version__}",
        help="print the version and exit",
    )
    talk = parser.add_mutually_exclusive_group()
    talk.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        dest="global_quiet",
        help="print only warnings and errors (files and - outputs are still written)",
    )
    talk.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="also say what was read: the rule packs loaded and the inventory's size",
    )
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--no-plugins",
        action="store_true",
        help="load no external rule pack (only the built-in one)",
    )
    group.add_argument(
        "--plugins",
        metavar="A,B",
        help="load only these rule packs (by name; include 'builtin' to keep it)",
    )
    parser.add_argument(
        "--allow-path",
        type=Path,
        action="append",
        default=[],
        metavar="DIR",
        help="a folder outside the inventory's own that its files (CSV, .ics) may lie in"
        " (repeatable)",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check.add_commands(commands)  # check, plugins, explain
    plan.add_commands(commands)
    tenants.add_commands(commands)  # plan-many
    diff.add_commands(commands)
    export.add_commands(commands)  # ssm, azure, awx
    importing.add_commands(commands)  # import netbox
    feeds.add_commands(commands)
    report.add_commands(commands)
    cost.add_commands(commands)
    records.add_commands(commands)  # log, compliance, sla
    completion = commands.add_parser(
        "completion",
        help='print a shell completion script: eval "$(maintlib completion bash)"',
    )
    completion.add_argument(
        "shell", choices=["bash", "zsh", "tcsh"], help="the shell to complete in"
    )
    return parser


COMMANDS: dict[str, Callable[[argparse.Namespace, TextIO], int]] = {
    "check": check.cmd_check,
    "plugins": check.cmd_plugins,
    "explain": check.cmd_explain,
    "plan": plan.cmd_plan,
    "plan-many": tenants.cmd_plan_many,
    "diff": diff.cmd_diff,
    "export": export.cmd_export,
    "import": importing.cmd_import,
    "feeds": feeds.cmd_feeds,
    "report": report.cmd_report,
    "cost": cost.cmd_cost,
    "log": records.cmd_log,
    "compliance": records.cmd_compliance,
    "sla": records.cmd_sla,
    "completion": lambda args, out: _completion(args, out),
}


def _completion(args: argparse.Namespace, out: TextIO) -> int:
    """The completion script of every command and option (shtab, from the parser)."""
    import shtab

    print(shtab.complete(build_parser(), shell=args.shell), file=out)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    words, bare = legacy_json_arguments(
        sys.argv[1:] if argv is None else argv, functools.partial(_parses, parser)
    )
    args = parser.parse_args(words)
    out = cast(TextIO, Quiet() if args.global_quiet else Printable(sys.stdout))
    err = cast(TextIO, Printable(sys.stderr))
    if bare or getattr(args, "json_bare", False):
        print(
            "maintlib: note: --json without FILE is deprecated and goes in the next release;"
            " write --json - (standard output) or --json FILE.json",
            file=err,
        )
    # The command line's GC policy (issue 32): what importing left is permanent, and
    # a plan makes millions of small objects that live to the end of the run, so the
    # collector is asked to walk them less often. The library leaves an embedder's
    # GC alone; main() restores the settings (tests call it in-process).
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(100_000, 50, 1000)
    try:
        code = _run(args, out, err)
        out.flush()
    except KeyboardInterrupt:
        print("maintlib: interrupted; nothing was written", file=err)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (``maintlib plan … | head -1``): stop quietly, and
        # point stdout at /dev/null so the interpreter's final flush cannot fail.
        _silence_stdout()
        return EXIT_ERROR
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()
    return code


def _parses(parser: argparse.ArgumentParser, words: list[str]) -> bool:
    """Whether ``words`` parse (quietly: a trial, its messages dropped)."""
    with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
        try:
            parser.parse_args(words)
        except SystemExit:
            return False
    return True


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no file descriptor (a test's captured stream)
        pass


def _run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    try:
        return COMMANDS[args.command](args, out)
    except InputError as error:
        print_problems(error.problems, err)
        return EXIT_INPUT
    except BrokenPipeError:
        raise
    except PluginError as error:
        print(f"maintlib: {error}", file=err)
        print(f"  (run without it: {DISABLE_ENV}={error.plugin})", file=err)
        return EXIT_ERROR
    except MaintlibError as error:
        print(f"maintlib: {error}", file=err)
        return EXIT_ERROR
    except OSError as error:
        print(f"maintlib: {error.strerror}: {error.filename}", file=err)
        return EXIT_ERROR
    except Exception:
        traceback.print_exc()
        print(
            "maintlib: internal error — please report it with the traceback above",
            file=err,
        )
        return EXIT_ERROR
