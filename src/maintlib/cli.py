"""The ``maintlib`` command: a thin shell over the library.

Exit status: 0 success, 2 bad input (every problem printed as ``FILE: location:
message``, no traceback, no output file written), 1 anything else (a rule pack
that fails is named).
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import os
import sys
import traceback
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

import maintlib
from maintlib._files import write_all
from maintlib.catalog import Catalog, build_catalog
from maintlib.checks import check_warnings
from maintlib.exceptions import InputError, MaintlibError, PluginError, Problem
from maintlib.ics import (
    DEFAULT_ALARM,
    DEFAULT_DOMAIN,
    Previous,
    check_domain,
    default_name,
    split_paths,
    split_tasks,
    to_ics,
)
from maintlib.load import load
from maintlib.plan import Plan
from maintlib.plugins import DISABLE_ENV, ENTRY_POINT_GROUP, load_plugins
from maintlib.timeutil import parse_duration

__all__ = ["main"]

EXIT_OK, EXIT_ERROR, EXIT_INPUT, EXIT_STRICT = 0, 1, 2, 3


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


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
            f"{text!r} is not a date-time with offset (2026-12-01T09:00:00+01:00 or …Z)"
        )
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
        choices=["per-task", "series"],
        help="one event per task (default), or recurring events where a duty's tasks recur",
    )
    plan.add_argument(
        "--ics-split",
        choices=["owner", "site", "kind"],
        help="one feed per owner, site or asset kind, named FILE-<key>.ics (instead of FILE)",
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
    plan.add_argument(
        "--reference-time",
        type=_moment,
        metavar="TIME",
        help="the plan's 'now' (DTSTAMP, generated_at); default: the horizon's start",
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
    return parser


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


def _print_problems(problems: Sequence[Problem], stream: TextIO) -> None:
    for problem in problems:
        print(problem, file=stream)
    count = len(problems)
    print(f"{count} problem{'s' if count != 1 else ''} found; nothing was written.", file=stream)


def cmd_check(args: argparse.Namespace, out: TextIO) -> int:
    catalog = _catalog(args)
    inventory = load(args.inventory, catalog=catalog)
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
    inventory = load(args.inventory, catalog=catalog)
    if args.asset not in inventory:
        from maintlib.catalog import did_you_mean

        ids = [a.id for a in inventory.assets]
        raise InputError(
            [
                Problem(
                    str(args.inventory),
                    "",
                    f'no asset "{args.asset}"{did_you_mean(args.asset, ids)}',
                )
            ]
        )
    as_of = args.as_of or dt.datetime.now(inventory.organisation.timezone).date()
    explanation = explain(inventory, args.asset, catalog, as_of=as_of)
    if args.json:
        print(json.dumps(explanation, indent=2, ensure_ascii=False), file=out)
    else:
        print(render_explanation(explanation), file=out, end="")
    return EXIT_OK


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

    previous = _previous(args)
    catalog = _catalog(args)
    inventory = load(args.inventory, catalog=catalog)
    reference = _reference(args, inventory.organisation.timezone)
    result = make_plan(
        inventory, start=args.start, months=args.months, reference_time=reference, plugins=catalog
    )
    outputs: dict[str | os.PathLike[str], bytes] = {}
    if args.json:
        outputs[args.json] = result.dumps()
    if args.report:
        outputs[args.report] = render_document(
            build_report(result, inventory, catalog),
            format="md",
            lang=default_language(inventory.organisation),
        )
    outputs.update(_feeds(args, result, previous))
    write_all(outputs)
    print(render_summary(result), file=out, end="")
    for path in outputs:
        print(f"wrote {path}", file=out)
    if args.strict and result.problems(URGENT):
        return EXIT_STRICT
    return EXIT_OK


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
        document = _read_json(args.source)
        inventory = load(args.inventory, catalog=catalog)
        result = plan_of_json(document, inventory, catalog, name=str(args.source))
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
        result = make_plan(
            inventory,
            start=args.start,
            months=args.months,
            reference_time=reference,
            plugins=catalog,
        )
    content = render_document(
        build_report(result, inventory, catalog),
        format=args.format,
        lang=args.lang or default_language(inventory.organisation),
    )
    if args.out is None:
        out.write(content.decode("utf-8-sig"))
        return EXIT_OK
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


_FEED_OPTIONS = ("ics_mode", "ics_split", "previous", "ics_name", "ics_domain", "ics_alarm")


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
            contents[str(path)] = path.read_bytes()
        except OSError as error:
            problems.append(Problem(str(path), "", f"cannot read: {error.strerror}"))
    try:
        previous = Previous.parse(contents)
    except InputError as error:
        problems += error.problems
    if problems:
        raise InputError(problems)
    return previous


def _feeds(
    args: argparse.Namespace, plan: Plan, previous: Previous | None
) -> dict[str | os.PathLike[str], bytes]:
    """The iCalendar outputs of ``maintlib plan`` (none without ``--ics``)."""
    if args.ics is None:
        return {}
    feed = functools.partial(
        to_ics,
        plan,
        domain=args.ics_domain or DEFAULT_DOMAIN,
        mode=args.ics_mode or "per-task",
        alarm=DEFAULT_ALARM if args.ics_alarm is _ALARM_NOT_GIVEN else args.ics_alarm,
        previous=previous,
    )
    if args.ics_split is None:
        return {args.ics: feed(name=args.ics_name)}
    title = args.ics_name or default_name(plan)
    groups = split_tasks(plan, args.ics_split)
    paths = split_paths(args.ics, groups)
    return {paths[key]: feed(name=f"{title} — {key}", tasks=tasks) for key, tasks in groups.items()}


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
        offer = quote(card, users=args.users, servers=args.servers)
        if args.json:
            write_all({args.json: _json_bytes(offer.to_json())})
        print(render_quote(offer), file=out, end="")
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

    inventory = load(args.inventory, catalog=catalog)
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
    if args.json:
        write_all({args.json: _json_bytes(result.costs.to_json())})
    print(render_cost_table(result), file=out, end="")
    return EXIT_OK


def _json_bytes(document: object) -> bytes:
    return (json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


COMMANDS: dict[str, Callable[[argparse.Namespace, TextIO], int]] = {
    "check": cmd_check,
    "plugins": cmd_plugins,
    "explain": cmd_explain,
    "plan": cmd_plan,
    "report": cmd_report,
    "cost": cmd_cost,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return COMMANDS[args.command](args, sys.stdout)
    except InputError as error:
        _print_problems(error.problems, sys.stderr)
        return EXIT_INPUT
    except PluginError as error:
        print(f"maintlib: {error}", file=sys.stderr)
        print(f"  (run without it: {DISABLE_ENV}={error.plugin})", file=sys.stderr)
        return EXIT_ERROR
    except MaintlibError as error:
        print(f"maintlib: {error}", file=sys.stderr)
        return EXIT_ERROR
    except OSError as error:
        print(f"maintlib: {error.strerror}: {error.filename}", file=sys.stderr)
        return EXIT_ERROR
    except Exception:
        traceback.print_exc()
        print(
            "maintlib: internal error — please report it with the traceback above",
            file=sys.stderr,
        )
        return EXIT_ERROR
