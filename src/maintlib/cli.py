"""The ``maintlib`` command: a thin shell over the library.

Exit status: 0 success, 2 bad input (every problem printed as ``FILE: location:
message``, no traceback, no output file written), 1 anything else (a rule pack
that fails — raises, even ``SystemExit`` — is named), 130 when interrupted
(Ctrl-C), quietly. Output paths may be ``-`` for standard output; a reader that
goes away (``| head``) ends the run quietly.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import io
import json
import os
import sys
import traceback
import warnings
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO, cast

import maintlib
from maintlib._files import Content, check_targets, encoded, write_all
from maintlib.catalog import Catalog, build_catalog
from maintlib.checks import check_warnings
from maintlib.exceptions import (
    InputError,
    InputWarning,
    MaintlibError,
    PluginError,
    Problem,
    excerpt,
    printable,
)
from maintlib.feeds import CACHE_LAYOUT, Feeds, cache_paths, read_feeds
from maintlib.ics import (
    DEFAULT_ALARM,
    DEFAULT_DOMAIN,
    Previous,
    check_domain,
    default_name,
    split_paths,
    split_tasks,
    to_ics_pieces,
)
from maintlib.inventory import Inventory
from maintlib.limits import MAX_YEAR, MIN_YEAR, read_input
from maintlib.load import load
from maintlib.plan import Plan
from maintlib.plugins import DISABLE_ENV, ENTRY_POINT_GROUP, load_plugins
from maintlib.timeutil import parse_duration

__all__ = ["main"]

EXIT_OK, EXIT_ERROR, EXIT_INPUT, EXIT_STRICT = 0, 1, 2, 3
#: 128 + SIGINT, as a shell reports a process ended by Ctrl-C.
EXIT_INTERRUPTED = 130


_YEARS = f"years {MIN_YEAR} to {MAX_YEAR}"


def _date(text: str) -> dt.date:
    try:
        value = dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{excerpt(text)!r} is not a date (YYYY-MM-DD)") from None
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise argparse.ArgumentTypeError(f"{text} is out of range ({_YEARS})")
    return value


def _months(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= 120:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of months from 1 to 120")
    return value


def _moment(text: str) -> dt.datetime:
    try:
        value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        value = None
    if value is None or value.tzinfo is None:
        raise argparse.ArgumentTypeError(
            f"{excerpt(text)!r} is not a date-time with offset (2026-12-01T09:00:00+01:00 or …Z)"
        )
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise argparse.ArgumentTypeError(f"{text} is out of range ({_YEARS})")
    return value


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


def _source(text: str) -> tuple[str, str]:
    from maintlib.download import parse_source

    try:
        return parse_source(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _count(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number")
    return int(text)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every command."""
    parser = argparse.ArgumentParser(
        prog="maintlib",
        description="Risk-prioritised IT maintenance plans, exported as iCalendar feeds.",
    )
    parser.add_argument("--version", action="version", version=f"maintlib {maintlib.__version__}")
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

    check = commands.add_parser("check", help="check an inventory and summarise it")
    check.add_argument("inventory", type=Path)
    check.add_argument("--json", action="store_true", help="print JSON (warnings with codes)")

    plugins = commands.add_parser("plugins", help="list the loaded rule packs")
    plugins.add_argument("--json", action="store_true", help="print JSON")

    explain = commands.add_parser("explain", help="an asset's risk and duties, and why")
    explain.add_argument("inventory", type=Path)
    explain.add_argument("asset")
    explain.add_argument(
        "--as-of",
        type=_date,
        metavar="DATE",
        help="the day risks are assessed for, e.g. end of support (default: today)",
    )
    explain.add_argument("--json", action="store_true", help="print JSON")
    _vulnerability_options(explain)

    plan = commands.add_parser("plan", help="plan an inventory and write the outputs")
    plan.add_argument("inventory", type=Path)
    _horizon(plan)
    plan.add_argument("--json", type=Path, metavar="FILE", help="write the plan JSON")
    plan.add_argument(
        "--report",
        type=Path,
        metavar="FILE",
        help="write the short Markdown report (the organisation's language)",
    )
    plan.add_argument("--ics", type=Path, metavar="FILE", help="write an iCalendar feed")
    plan.add_argument(
        "--strict",
        action="store_true",
        help="exit 3 when any P1 or P2 due is late or unplaced (the outputs are still written)",
    )
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
    _vulnerability_options(plan)
    plan.add_argument(
        "--log",
        type=Path,
        metavar="FILE",
        help="re-plan from a maintenance log (.jsonl or .csv): docs/log.md",
    )
    plan.add_argument(
        "--since",
        type=_date,
        metavar="DATE",
        help="with --log: the first day the log accounts for (default: its first record's month)",
    )
    plan.add_argument(
        "--reference-time",
        type=_moment,
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

    from maintlib._tenants_cli import add_parser as add_plan_many

    add_plan_many(commands, _horizon, _moment)

    diff = commands.add_parser(
        "diff", help="what changed between two plan JSON files (maintlib.plan/1 or /2)"
    )
    diff.add_argument("old", type=Path, metavar="OLD.json")
    diff.add_argument("new", type=Path, metavar="NEW.json")
    diff.add_argument("--json", action="store_true", help="print JSON")
    feeds = commands.add_parser("feeds", help="vulnerability feeds")
    feed_commands = feeds.add_subparsers(dest="feeds_command", required=True, metavar="COMMAND")
    update = feed_commands.add_parser(
        "update", help="download the public feeds into a cache directory (the network)"
    )
    update.add_argument("cache", type=Path, metavar="DIR")
    update.add_argument(
        "--source",
        action="append",
        default=[],
        type=_source,
        metavar="NAME=URL",
        help="another URL for kev or epss (a mirror); repeatable",
    )
    update.add_argument(
        "--csaf-url", action="append", default=[], metavar="URL", help="a CSAF advisory to fetch"
    )
    update.add_argument(
        "--cve",
        action="append",
        default=[],
        metavar="CVE",
        help="fetch this CVE's record from cisagov/vulnrichment; repeatable",
    )
    report = commands.add_parser(
        "report", help="the customer report (HTML, Markdown, CSV) of an inventory or a plan JSON"
    )
    report.add_argument("source", type=Path, metavar="INVENTORY|PLAN.json")
    report.add_argument(
        "--inventory",
        type=Path,
        metavar="FILE",
        help="with a plan JSON: the inventory it was made from (names, owners, risks)",
    )
    _horizon(report, required=False)
    report.add_argument(
        "--reference-time",
        type=_moment,
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
        "--since", type=_date, metavar="DATE", help="with --log: the first day it accounts for"
    )
    report.add_argument("--format", choices=["html", "md", "csv"], default="html")
    report.add_argument(
        "--lang", choices=["nl", "en"], help="default: nl for a Dutch organisation, else en"
    )
    report.add_argument("--out", type=Path, metavar="FILE", help="write here (default: stdout)")

    cost = commands.add_parser("cost", help="cost a plan, or quote a profile")
    cost.add_argument("inventory", type=Path, nargs="?")
    _horizon(cost, required=False)
    cost.add_argument("--profile", help="quote this profile without an inventory")
    cost.add_argument("--users", type=_count, default=0, help="users or workplaces (quote)")
    cost.add_argument("--servers", type=_count, help="servers (quote)")
    cost.add_argument("--json", type=Path, metavar="FILE", help="write the costs as JSON")
    from maintlib._cli_records import add_commands  # log, compliance, sla

    add_commands(commands)
    return parser


def _vulnerability_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("vulnerabilities (docs/vulnerabilities.md)")
    group.add_argument("--kev", type=Path, metavar="FILE", help="CISA KEV catalog (JSON)")
    group.add_argument("--epss", type=Path, metavar="FILE", help="FIRST EPSS scores (CSV or .gz)")
    group.add_argument("--csaf", type=Path, metavar="DIR", help="CSAF 2.0 advisories")
    group.add_argument(
        "--vulnrichment", type=Path, metavar="DIR", help="CVE JSON 5 records (CISA Vulnrichment)"
    )
    group.add_argument(
        "--feeds", type=Path, metavar="DIR", help="the cache `maintlib feeds update` fills"
    )
    group.add_argument(
        "--policy",
        action="append",
        default=[],
        metavar="ID",
        help="deadline policy (repeatable): bod-26-04, pci-dss-4, bio, cis-v8, cvss-bands",
    )


def _check_policies(
    args: argparse.Namespace, inventory: Inventory, catalog: Catalog, *, option: bool = True
) -> None:
    """Every policy id of the inventory and of ``--policy`` names a loaded policy.

    Raises:
        InputError: Every unknown id, located.
    """
    from maintlib.vulnerabilities import chosen_policies

    problems: list[Problem] = []
    sources = [
        (inventory.planning.deadline_policies, str(args.inventory), "planning.deadline_policies")
    ]
    if option:
        sources.append((tuple(args.policy), "maintlib", "--policy"))
    for ids, file, location in sources:
        try:
            chosen_policies(ids, catalog.vulnerability_policies, file, location)
        except InputError as error:
            problems += error.problems
    if problems:
        raise InputError(problems)


def _read_feeds(args: argparse.Namespace) -> Feeds | None:
    """The feeds the options name (``--feeds DIR`` first, single options over it).

    Raises:
        InputError: A feed file is malformed or missing (before anything is planned).
    """
    paths: dict[str, Path] = cache_paths(args.feeds) if args.feeds is not None else {}
    for name in CACHE_LAYOUT:
        if getattr(args, name) is not None:
            paths[name] = getattr(args, name)
    if not paths:
        return None
    return read_feeds(**paths)


def _seconds(text: str) -> float:
    """A positive number of seconds (``--time-limit``)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not 0 < value <= 86400:
        raise argparse.ArgumentTypeError(f"{text} is not between 0 and 86400 seconds")
    return value


def _horizon(parser: argparse.ArgumentParser, *, required: bool = True) -> None:
    parser.add_argument("--start", type=_date, required=required, help="first day (YYYY-MM-DD)")
    parser.add_argument("--months", type=_months, default=12, help="months to plan (default 12)")


def _catalog(args: argparse.Namespace) -> Catalog:
    if args.no_plugins:
        return build_catalog(load_plugins(only={"builtin"}))
    only = None
    if args.plugins is not None:
        only = {name.strip() for name in args.plugins.split(",") if name.strip()}
    return build_catalog(load_plugins(only=only))


def _load(args: argparse.Namespace, catalog: Catalog) -> Inventory:
    """The inventory; what the loader warns about is printed on standard error."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", InputWarning)
        try:
            return load(args.inventory, catalog=catalog, allow_paths=args.allow_path)
        finally:
            err = _Printable(sys.stderr)
            for warning in caught:
                err.write(f"warning: {warning.message}\n")


def _print_problems(problems: Sequence[Problem], stream: TextIO) -> None:
    for problem in problems:
        print(problem, file=stream)
    count = len(problems)
    print(f"{count} problem{'s' if count != 1 else ''} found; nothing was written.", file=stream)


def cmd_check(args: argparse.Namespace, out: TextIO) -> int:
    catalog = _catalog(args)
    inventory = _load(args, catalog)
    _check_policies(args, inventory, catalog, option=False)
    kinds = Counter(asset.kind for asset in inventory.assets)
    blackouts = len(inventory.blackouts) + len(inventory.blackout_calendars)
    warnings = check_warnings(inventory, catalog)
    if args.json:
        document = {
            "inventory": str(args.inventory),
            "organisation": inventory.organisation.name,
            "assets": dict(sorted(kinds.items())),
            "windows": len(inventory.windows),
            "blackouts": blackouts,
            "warnings": [warning.to_json() for warning in warnings],
        }
        print(json.dumps(document, indent=2, ensure_ascii=False), file=out)
        return EXIT_OK
    print(f"{args.inventory}: OK — {inventory.organisation.name}", file=out)
    print(f"  assets: {len(inventory.assets)}", file=out)
    for kind in sorted(kinds):
        print(f"    {kind}: {kinds[kind]}", file=out)
    print(f"  windows: {len(inventory.windows)}", file=out)
    print(f"  blackouts: {blackouts}", file=out)
    print(f"  warnings: {len(warnings)}", file=out)
    for warning in warnings:
        print(f"    warning: {warning}", file=out)
    return EXIT_OK


def cmd_plugins(args: argparse.Namespace, out: TextIO) -> int:
    catalog = _catalog(args)
    counts = catalog.rules_by_pack()
    if args.json:
        packs = [
            {"name": p.name, "version": p.version, "hooks": list(p.hooks), "rules": counts[p.name]}
            for p in catalog.packs
        ]
        print(json.dumps(packs, indent=2), file=out)
        return EXIT_OK
    print(f"rule packs (entry-point group {ENTRY_POINT_GROUP!r}):", file=out)
    for pack in catalog.packs:
        print(f"  {pack.name} {pack.version}: {counts[pack.name]} rules", file=out)
        print(f"    hooks: {', '.join(pack.hooks)}", file=out)
    return EXIT_OK


def cmd_explain(args: argparse.Namespace, out: TextIO) -> int:
    from maintlib.explain import explain, render_explanation

    catalog = _catalog(args)
    inventory = _load(args, catalog)
    _check_policies(args, inventory, catalog)
    feeds = _read_feeds(args)
    if args.asset not in inventory:
        raise InputError(
            [
                Problem(
                    str(args.inventory),
                    "",
                    f'no asset "{args.asset}"{_asset_hint(args.asset, inventory)}',
                )
            ]
        )
    as_of = args.as_of or dt.datetime.now(inventory.organisation.timezone).date()
    explanation = explain(
        inventory, args.asset, catalog, as_of=as_of, feeds=feeds, policies=args.policy
    )
    if args.json:
        print(json.dumps(explanation, indent=2, ensure_ascii=False), file=out)
    else:
        print(render_explanation(explanation), file=out, end="")
    return EXIT_OK


def _asset_hint(asked: str, inventory: Inventory) -> str:
    """`` — did you mean "fw01"?``: by id, whatever the case, or by name."""
    from maintlib.catalog import did_you_mean

    folded = asked.strip().casefold()
    for asset in inventory.assets:
        if folded in (asset.id.casefold(), asset.name.casefold()):
            return f' — did you mean "{asset.id}"?'
    return did_you_mean(folded, [asset.id for asset in inventory.assets])


def _reference(args: argparse.Namespace, zone: Any) -> dt.datetime:
    if args.reference_time is not None:
        reference: dt.datetime = args.reference_time
        return reference
    return dt.datetime.combine(args.start, dt.time(), tzinfo=zone)


def cmd_plan(args: argparse.Namespace, out: TextIO) -> int:
    from maintlib.pipeline import plan as make_plan
    from maintlib.report import (
        URGENT,
        build_report,
        default_language,
        render_document,
        render_summary,
    )

    _check_outputs(args, args.json, args.report, args.ics)
    previous = _previous(args)
    catalog = _catalog(args)
    inventory = _load(args, catalog)
    _check_policies(args, inventory, catalog)
    feeds = _read_feeds(args)
    from maintlib._cli_records import read_log_for, report_compliance

    log = read_log_for(args.log)
    reference = _reference(args, inventory.organisation.timezone)
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
    )
    outputs: dict[str | os.PathLike[str], Content] = {}
    if args.json:
        outputs[args.json] = lambda: encoded(result.json_chunks())
    if args.report:
        outputs[args.report] = render_document(
            build_report(
                result, inventory, catalog, report_compliance(inventory, catalog, log, result)
            ),
            format="md",
            lang=default_language(inventory.organisation),
        )
    outputs.update(_feeds(args, result, previous))
    messages = _write(outputs, out)
    print(render_summary(result), file=messages, end="")
    if result.vulnerabilities is not None:
        _print_vulnerabilities(result, messages)
    if result.history is not None:
        from maintlib._cli_records import print_history

        print_history(result, messages)
    for path in outputs:
        if not _is_stdout(path):
            print(f"wrote {path}", file=messages)
    if args.strict and result.problems(URGENT):
        return EXIT_STRICT
    return EXIT_OK


#: The output path that means standard output.
STDOUT = "-"


def _is_stdout(path: str | os.PathLike[str] | None) -> bool:
    return path is not None and os.fspath(path) == STDOUT


def _check_outputs(args: argparse.Namespace, *paths: Path | None) -> None:
    """Output paths checked before any work: at most one ``-``, no split feed to
    standard output, no folder or socket to write over.

    Raises:
        InputError: One problem per bad path.
    """
    given = [path for path in paths if path is not None]
    problems = [
        Problem("maintlib", "", message)
        for message in check_targets([p for p in given if not _is_stdout(p)])
    ]
    if sum(_is_stdout(path) for path in given) > 1:
        problems.append(Problem("maintlib", "", "only one output can go to standard output (-)"))
    if getattr(args, "ics_split", None) and _is_stdout(args.ics):
        problems.append(
            Problem("maintlib", "", "--ics-split writes several files: give --ics FILE")
        )
    if problems:
        raise InputError(problems)


def _write(outputs: dict[str | os.PathLike[str], Content], out: TextIO) -> TextIO:
    """Write the files, and the output named ``-`` to standard output.

    Returns:
        Where messages go: standard output, or standard error when standard output
        carries a file's content.
    """
    content = next((data for path, data in outputs.items() if _is_stdout(path)), None)
    if content is not None and not isinstance(content, bytes):
        # Made in full first: standard output cannot be replaced atomically.
        content = b"".join(content())
    write_all({path: data for path, data in outputs.items() if not _is_stdout(path)})
    if content is None:
        return out
    out.flush()
    sys.stdout.buffer.write(content)
    sys.stdout.buffer.flush()
    return cast(TextIO, _Printable(sys.stderr))


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


def cmd_report(args: argparse.Namespace, out: TextIO) -> int:
    from maintlib.pipeline import plan as make_plan
    from maintlib.report import build_report, default_language, plan_of_json, render_document

    catalog = _catalog(args)
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
        reference = _reference(args, inventory.organisation.timezone)
        from maintlib._cli_records import read_log_for, report_compliance

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
        format=args.format,
        lang=args.lang or default_language(inventory.organisation),
    )
    if args.out is None or _is_stdout(args.out):
        # File content, not a message: written as it is (CR/LF kept), without the
        # byte-order mark a file for Excel gets.
        _write({STDOUT: content.decode("utf-8-sig").encode("utf-8")}, out)
        return EXIT_OK
    _check_outputs(args, args.out)
    write_all({args.out: content})
    print(f"wrote {args.out}", file=out)
    return EXIT_OK


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise InputError([Problem(str(path), "", f"cannot read: {error.strerror}")]) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InputError([Problem(str(path), "", f"not JSON: {error}")]) from None


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
    if args.ics is None:
        problems = [
            Problem("maintlib plan", "", f"--{name.replace('_', '-')} needs --ics FILE")
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
        alarm=DEFAULT_ALARM if args.ics_alarm is _ALARM_NOT_GIVEN else args.ics_alarm,
        alarms=args.ics_alarms or "downtime",
        previous=previous,
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


def cmd_cost(args: argparse.Namespace, out: TextIO) -> int:
    from maintlib.cost import quote, rate_card_for
    from maintlib.report import render_cost_table, render_quote

    catalog = _catalog(args)
    if args.profile is not None:
        if args.inventory is not None:
            raise InputError(
                [Problem("maintlib cost", "", "give an inventory or --profile, not both")]
            )
        card = catalog.rate_cards.get(args.profile)
        if card is None:
            from maintlib.catalog import did_you_mean

            names = sorted(catalog.rate_cards)
            raise InputError(
                [
                    Problem(
                        "--profile",
                        "",
                        f'unknown profile "{args.profile}"{did_you_mean(args.profile, names)}'
                        f" (known: {', '.join(names)})",
                    )
                ]
            )
        _check_outputs(args, args.json)
        offer = quote(card, users=args.users, servers=args.servers)
        messages = _write({args.json: _json_bytes(offer.to_json())} if args.json else {}, out)
        print(render_quote(offer), file=messages, end="")
        return EXIT_OK
    if args.inventory is None or args.start is None:
        raise InputError(
            [
                Problem(
                    "maintlib cost", "", "give INVENTORY --start DATE, or --profile NAME --users N"
                )
            ]
        )
    from maintlib.pipeline import plan as make_plan

    _check_outputs(args, args.json)
    inventory = _load(args, catalog)
    if rate_card_for(inventory, catalog) is None:
        raise InputError(
            [
                Problem(
                    str(args.inventory),
                    "costing",
                    "no profile priced in the organisation's currency; add [costing] profile = …",
                )
            ]
        )
    reference = dt.datetime.combine(args.start, dt.time(), tzinfo=inventory.organisation.timezone)
    result = make_plan(
        inventory, start=args.start, months=args.months, reference_time=reference, plugins=catalog
    )
    assert result.costs is not None
    messages = _write({args.json: _json_bytes(result.costs.to_json())} if args.json else {}, out)
    print(render_cost_table(result), file=messages, end="")
    return EXIT_OK


def cmd_feeds(args: argparse.Namespace, out: TextIO) -> int:
    from maintlib.download import targets, update

    try:
        downloads = targets(dict(args.source), args.csaf_url, args.cve)
    except ValueError as error:
        raise InputError([Problem("maintlib feeds update", "", str(error))]) from None
    results = update(args.cache, downloads)
    for result in results:
        detail = f" ({result.detail})" if result.detail else ""
        print(f"{result.target}: {result.status}{detail} — {result.url}", file=out)
    failed = [r for r in results if r.status == "failed"]
    if failed:
        print(f"{len(failed)} download(s) failed; the cache keeps the old copies.", file=out)
        return EXIT_ERROR
    return EXIT_OK


def _json_bytes(document: object) -> bytes:
    return (json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


def cmd_diff(args: argparse.Namespace, out: TextIO) -> int:
    from maintlib.diff import plan_diff, read_plan, render_diff

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


def _plan_many(args: argparse.Namespace, out: TextIO) -> int:
    from maintlib._tenants_cli import cmd_plan_many

    return cmd_plan_many(args, out)


COMMANDS: dict[str, Callable[[argparse.Namespace, TextIO], int]] = {
    "diff": cmd_diff,
    "check": cmd_check,
    "plugins": cmd_plugins,
    "explain": cmd_explain,
    "plan": cmd_plan,
    "report": cmd_report,
    "cost": cmd_cost,
    "feeds": cmd_feeds,
    "plan-many": _plan_many,
    "log": lambda args, out: _records_command(args, out),
    "compliance": lambda args, out: _records_command(args, out),
    "sla": lambda args, out: _records_command(args, out),
}


def _records_command(args: argparse.Namespace, out: TextIO) -> int:
    from maintlib._cli_records import run

    return run(args, out)


class _Printable(io.TextIOBase):
    """A terminal stream that strips control characters (escape sequences in an
    asset's name must not retitle or clear the user's terminal)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(printable(text))
        return len(text)

    def flush(self) -> None:
        self.stream.flush()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    out = cast(TextIO, _Printable(sys.stdout))
    err = cast(TextIO, _Printable(sys.stderr))
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
    return code


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
        _print_problems(error.problems, err)
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
