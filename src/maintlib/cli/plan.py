"""``maintlib plan``: an inventory planned, and its outputs written — the plan
JSON, the short report, the iCalendar feeds (split, with alarms, after a previous
feed) — all or nothing."""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from maintlib._util.clock import parse_duration
from maintlib._util.files import Content, encoded
from maintlib.cli import publishing
from maintlib.cli.common import (
    EXIT_OK,
    EXIT_STRICT,
    add_horizon,
    add_json_option,
    add_vulnerability_options,
    check_outputs,
    check_policies,
    date,
    format_of,
    is_stdout,
    load_catalog,
    load_inventory,
    moment,
    output_path,
    read_log_for,
    reference_time,
    report_compliance,
    vulnerability_feeds,
    write_outputs,
)
from maintlib.model.errors import InputError, Problem
from maintlib.model.limits import read_input
from maintlib.model.plan import Plan
from maintlib.outputs.ics.feed import (
    DEFAULT_ALARM,
    DEFAULT_DOMAIN,
    Previous,
    check_domain,
    default_name,
    split_paths,
    split_tasks,
    to_ics_pieces,
)

__all__ = ["add_commands", "cmd_plan"]


#: ``--ics-alarm`` not given; None is ``--ics-alarm none``.
_ALARM_NOT_GIVEN = object()


#: What each feed option holds when it is not given.
_NOT_GIVEN: dict[str, object] = {"ics_alarm": _ALARM_NOT_GIVEN}


def _domain(text: str) -> str:
    try:
        check_domain(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return text


def _alarm(text: str) -> dt.timedelta | None:
    if text.strip().lower() == "none":
        return None
    try:
        return parse_duration(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{error}, or none") from None


def _seconds(text: str) -> float:
    """A positive number of seconds (``--time-limit``)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not 0 < value <= 86400:
        raise argparse.ArgumentTypeError(f"{text} is not between 0 and 86400 seconds")
    return value


def add_commands(commands: Any) -> None:
    """Add ``plan`` to the command parser."""
    plan = commands.add_parser("plan", help="plan an inventory and write the outputs")
    plan.add_argument("inventory", type=Path, help="the inventory file (TOML or JSON)")
    add_horizon(plan)
    add_json_option(plan, "the plan", legacy=False)
    plan.add_argument(
        "--report",
        type=output_path("report"),
        metavar="FILE",
        help="write the report to FILE.md, FILE.html or FILE.csv (the extension gives the"
        " format; - is Markdown on standard output), in the organisation's language",
    )
    plan.add_argument(
        "--ics",
        type=output_path("ics"),
        metavar="FILE",
        help="write the iCalendar feed to FILE.ics (- for standard output)",
    )
    plan.add_argument(
        "--lang",
        choices=["nl", "en"],
        help="the language of the feed's and the report's words"
        " (default: nl for a Dutch organisation, else en)",
    )
    plan.add_argument(
        "--strict",
        action="store_true",
        help="exit 3 when any P1 or P2 due is late or unplaced (the outputs are still written)",
    )
    _add_feed_options(plan)
    publishing.add_options(plan)
    add_vulnerability_options(plan)
    plan.add_argument(
        "--log",
        type=Path,
        metavar="FILE",
        help="re-plan from a maintenance log (.jsonl or .csv): docs/log.md",
    )
    plan.add_argument(
        "--since",
        type=date,
        metavar="DATE",
        help="with --log: the first day the log accounts for (default: its first record's month)",
    )
    plan.add_argument(
        "--reference-time",
        type=moment,
        metavar="TIME",
        help="the plan's 'now' (DTSTAMP, generated_at); default: the horizon's start",
    )
    plan.add_argument(
        "--solver",
        choices=["greedy", "cp-sat"],
        default="greedy",
        help="the planner: greedy (default), or OR-Tools CP-SAT towards the optimum"
        " (needs: pip install 'maintlib[optimize]')",
    )
    plan.add_argument(
        "--time-limit",
        type=_seconds,
        metavar="SECONDS",
        help="CP-SAT's deterministic time limit for the whole horizon (default 8)",
    )


def _add_feed_options(plan: argparse.ArgumentParser) -> None:
    """The options of the iCalendar feeds (:data:`_FEED_OPTIONS`: each needs ``--ics``)."""
    plan.add_argument(
        "--ics-mode",
        choices=["per-task", "series", "occurrence"],
        help="one event per task (default), recurring events where a duty's tasks recur, or"
        " one event per window occurrence and office day with its run-book",
    )
    plan.add_argument(
        "--ics-split",
        choices=["owner", "site", "kind", "mode", "downtime"],
        help="one feed per owner, site, asset kind, mode (window, office_hours, automatic)"
        " or downtime (downtime, no-downtime), named FILE-<key>.ics (instead of FILE)",
    )
    plan.add_argument(
        "--ics-alarms",
        choices=["downtime", "all"],
        help="which events get a reminder: work with downtime (default), or all",
    )
    plan.add_argument(
        "--previous",
        type=Path,
        action="append",
        metavar="FILE",
        help="a feed published before (repeatable): events that moved get a higher SEQUENCE",
    )
    plan.add_argument("--ics-name", metavar="NAME", help="the calendar's name")
    plan.add_argument(
        "--ics-domain", type=_domain, metavar="DOMAIN", help="UID domain (maintlib.invalid)"
    )
    plan.add_argument(
        "--ics-alarm",
        type=_alarm,
        metavar="DURATION|none",
        default=_ALARM_NOT_GIVEN,
        help="reminder before each task (P1D, PT2H; default P1D) or none",
    )


def solver_progress(stream: TextIO) -> Callable[[int, int], None] | None:
    """CP-SAT's progress on ``stream`` when it is a terminal (``CP-SAT: model 3 of
    12``, rewritten in place); None otherwise, so logs and pipes stay clean."""
    isatty = getattr(stream, "isatty", None)
    if not callable(isatty) or not isatty():
        return None

    def show(done: int, models: int) -> None:
        end = "\n" if done == models else ""
        print(f"\rCP-SAT: model {done} of {models}", end=end, file=stream, flush=True)

    return show


def cmd_plan(args: argparse.Namespace, out: TextIO) -> int:
    """Plan an inventory; write the plan JSON, the report and the feeds asked for."""
    from maintlib.outputs.report.render import (
        URGENT,
        build_report,
        default_language,
        render_document,
        render_summary,
    )
    from maintlib.pipeline import plan as make_plan

    check_outputs(args, args.json, args.report, args.ics)
    previous = _previous(args)
    collection = publishing.open_collection(args)
    catalog = load_catalog(args)
    inventory = load_inventory(args, catalog)
    check_policies(args, inventory, catalog)
    feeds = vulnerability_feeds(args)
    log = read_log_for(args.log)
    reference = reference_time(args, inventory.organisation.timezone)
    result = make_plan(
        inventory,
        start=args.start,
        months=args.months,
        reference_time=reference,
        plugins=catalog,
        feeds=feeds,
        policies=args.policy,
        log=log,
        since=args.since,
        solver=args.solver,
        time_limit=args.time_limit,
        progress=(
            solver_progress(sys.stderr)
            if args.solver == "cp-sat" and not getattr(args, "global_quiet", False)
            else None
        ),
    )
    outputs: dict[str | os.PathLike[str], Content] = {}
    if args.json:
        outputs[args.json] = lambda: encoded(result.json_chunks())
    if args.report:
        outputs[args.report] = render_document(
            build_report(
                result, inventory, catalog, report_compliance(inventory, catalog, log, result)
            ),
            format=format_of(args.report, "report", None, "md"),
            lang=args.lang or default_language(inventory.organisation),
        )
    outputs.update(_feeds(args, result, previous))
    messages = write_outputs(outputs, out)
    print(render_summary(result), file=messages, end="")
    if result.vulnerabilities is not None:
        _print_vulnerabilities(result, messages)
    if result.history is not None:
        _print_history(result, messages)
    for path in outputs:
        if not is_stdout(path):
            print(f"wrote {path}", file=messages)
    if collection is not None:
        publishing.publish(args, collection, result, previous, _alarm_of(args), messages)
    if args.strict and result.problems(URGENT):
        return EXIT_STRICT
    return EXIT_OK


def _print_vulnerabilities(plan: Plan, out: TextIO) -> None:
    report = plan.vulnerabilities
    assert report is not None
    emergency = sum(1 for task in plan.tasks if task.duty.emergency is not None)
    print(
        f"  vulnerabilities (policies: {', '.join(report.policies) or 'KEV dueDate only'}):"
        f" {emergency} emergency tasks, {len(report.exposures)} KEV exposures,"
        f" {len(report.unmatched)} unmatched",
        file=out,
    )
    for exposure in report.exposures:
        print(
            f"    {exposure.asset} {exposure.cve}: {exposure.status}, deadline"
            f" {exposure.deadline or 'none'}",
            file=out,
        )
    for entry in report.unmatched:
        print(f"    unmatched {entry.cve} ({entry.source}): {entry.reason}", file=out)


def _print_history(plan: Plan, out: TextIO) -> None:
    """One line on what the log did to the plan, and its unmatched records."""
    history = plan.history
    assert history is not None
    print(
        f"  log since {history.since}: {history.records} records, {len(history.done)} dues"
        f" done, {len(history.overdue)} overdue, {len(history.retries)} retried,"
        f" {len(history.carried)} carried, {len(history.moved)} moved",
        file=out,
    )
    for entry in history.unmatched:
        print(f"    unmatched: {entry}", file=out)


_FEED_OPTIONS = (
    "ics_mode",
    "ics_split",
    "previous",
    "ics_name",
    "ics_domain",
    "ics_alarm",
    "ics_alarms",
)


def _previous(args: argparse.Namespace) -> Previous | None:
    """The previous feeds of ``maintlib plan``, read and checked before planning.

    Raises:
        InputError: A feed option without ``--ics``, or a previous feed that
            cannot be read or is not iCalendar.
    """
    if args.ics is None and args.caldav is None:
        problems = [
            Problem("maintlib plan", "", f"--{name.replace('_', '-')} needs --ics FILE or --caldav")
            for name in _FEED_OPTIONS
            if getattr(args, name) is not _NOT_GIVEN.get(name)
        ]
        if problems:
            raise InputError(problems)
    if not args.previous:
        return None
    contents, problems = {}, []
    for path in args.previous:
        try:
            contents[str(path)] = read_input(path)
        except OSError as error:
            problems.append(Problem(str(path), "", f"cannot read: {error.strerror}"))
        except ValueError as error:  # not a regular file, or too large
            problems.append(Problem(str(path), "", f"cannot read: {error}"))
    try:
        previous = Previous.parse(contents)
    except InputError as error:
        problems += error.problems
    if problems:
        raise InputError(problems)
    return previous


def _alarm_of(args: argparse.Namespace) -> dt.timedelta | None:
    return DEFAULT_ALARM if args.ics_alarm is _ALARM_NOT_GIVEN else args.ics_alarm


def _feeds(
    args: argparse.Namespace, plan: Plan, previous: Previous | None
) -> dict[str | os.PathLike[str], Content]:
    """The iCalendar outputs of ``maintlib plan`` (none without ``--ics``), each made
    when it is written: split feeds are not all held at once."""
    if args.ics is None:
        return {}
    feed = functools.partial(
        to_ics_pieces,
        plan,
        domain=args.ics_domain or DEFAULT_DOMAIN,
        mode=args.ics_mode or "per-task",
        alarm=_alarm_of(args),
        alarms=args.ics_alarms or "downtime",
        previous=previous,
        lang=args.lang,
    )
    if args.ics_split is None:
        return {args.ics: functools.partial(feed, name=args.ics_name)}
    title = args.ics_name or default_name(plan)
    groups = split_tasks(plan, args.ics_split)
    paths = split_paths(args.ics, groups)
    return {
        paths[key]: functools.partial(feed, name=f"{title} — {key}", tasks=tasks)
        for key, tasks in groups.items()
    }
