"""What the commands of ``maintlib`` share: exit statuses, argument types and
options, reading the catalog, the inventory, the feeds and the log, and writing
the outputs atomically (``-`` is standard output).

Each command module imports this one, and none imports another command module.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import json
import os
import sys
import warnings
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO, cast

from maintlib._util.files import Content, check_targets, write_all
from maintlib._util.text import excerpt, printable
from maintlib.loading.read import load
from maintlib.model.catalog import Catalog
from maintlib.model.errors import InputError, InputWarning, Problem
from maintlib.model.feeds import Feeds
from maintlib.model.inventory import Inventory
from maintlib.model.limits import MAX_YEAR, MIN_YEAR
from maintlib.model.plan import Plan
from maintlib.packs.catalog import build_catalog
from maintlib.packs.eol import EOL_CACHE, load_lifecycle
from maintlib.packs.manager import load_plugins
from maintlib.records.log import Log, read_log
from maintlib.vulns.feeds import CACHE_LAYOUT, cache_paths, read_feeds

__all__ = [
    "EXIT_DIFFERENT",
    "EXIT_ERROR",
    "EXIT_INPUT",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_STRICT",
    "EXTENSIONS",
    "LEGACY_JSON",
    "REPORT_MONTHS",
    "STDOUT",
    "Printable",
    "Quiet",
    "add_horizon",
    "add_json_option",
    "add_vulnerability_options",
    "check_outputs",
    "check_policies",
    "chosen_plugins",
    "date",
    "format_of",
    "is_stdout",
    "legacy_json_arguments",
    "load_catalog",
    "load_inventory",
    "moment",
    "months",
    "output_path",
    "print_problems",
    "read_log_for",
    "reference_time",
    "report_compliance",
    "vulnerability_feeds",
    "write_json",
    "write_outputs",
]


EXIT_OK, EXIT_ERROR, EXIT_INPUT, EXIT_STRICT = 0, 1, 2, 3


#: ``maintlib diff``: the plans differ (as diff(1) says it).
EXIT_DIFFERENT = 1


#: 128 + SIGINT, as a shell reports a process ended by Ctrl-C.
EXIT_INTERRUPTED = 130


_YEARS = f"years {MIN_YEAR} to {MAX_YEAR}"


def date(text: str) -> dt.date:
    """A day, ``YYYY-MM-DD``, within the years an inventory may name (an argument type)."""
    try:
        value = dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{excerpt(text)!r} is not a date (YYYY-MM-DD)") from None
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise argparse.ArgumentTypeError(f"{text} is out of range ({_YEARS})")
    return value


def months(text: str) -> int:
    """A number of months from 1 to 120 (an argument type)."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= 120:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of months from 1 to 120")
    return value


def moment(text: str) -> dt.datetime:
    """A date-time with its offset, or ``Z`` (an argument type)."""
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


def add_horizon(parser: argparse.ArgumentParser, *, required: bool = True) -> None:
    """Add ``--start`` and ``--months``."""
    parser.add_argument("--start", type=date, required=required, help="first day (YYYY-MM-DD)")
    parser.add_argument("--months", type=months, default=12, help="months to plan (default 12)")


def add_vulnerability_options(parser: argparse.ArgumentParser) -> None:
    """Add the feed files and ``--policy`` (read by :func:`vulnerability_feeds`)."""
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


def chosen_plugins(args: argparse.Namespace) -> set[str] | None:
    """The rule packs ``--no-plugins`` or ``--plugins`` keep (None: every one)."""
    if args.no_plugins:
        return {"builtin"}
    if args.plugins is not None:
        return {name.strip() for name in args.plugins.split(",") if name.strip()}
    return None


@contextlib.contextmanager
def printed_warnings() -> Iterator[None]:
    """Print each :class:`InputWarning` raised inside as ``warning: …`` on standard error."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", InputWarning)
        try:
            yield
        finally:
            err = Printable(sys.stderr)
            for warning in caught:
                err.write(f"warning: {warning.message}\n")


def load_catalog(args: argparse.Namespace) -> Catalog:
    """The catalog of the rule packs the options keep; warnings printed on standard error."""
    feeds = getattr(args, "feeds", None)
    # endoflife.date data: the shipped snapshot, or the feed cache's newer copy
    # (`maintlib feeds update --eol` fills DIR/eol).
    lifecycle = load_lifecycle(feeds / EOL_CACHE) if feeds is not None else None
    with printed_warnings():
        catalog = build_catalog(load_plugins(only=chosen_plugins(args), lifecycle=lifecycle))
    if getattr(args, "verbose", False):
        packs = ", ".join(f"{p.name} {p.version}" for p in catalog.packs)
        print(
            f"maintlib: rule packs: {packs} ({len(catalog.rules)} rules,"
            f" {len(catalog.kinds)} asset kinds)",
            file=Printable(sys.stderr),
        )
    return catalog


def load_inventory(args: argparse.Namespace, catalog: Catalog) -> Inventory:
    """The inventory; what the loader warns about is printed on standard error."""
    with printed_warnings():
        inventory = load(args.inventory, catalog=catalog, allow_paths=args.allow_path)
    if getattr(args, "verbose", False):
        print(
            f"maintlib: read {args.inventory}: {len(inventory.assets)} assets,"
            f" {len(inventory.windows)} windows,"
            f" {len(inventory.blackouts) + len(inventory.blackout_calendars)} blackouts",
            file=Printable(sys.stderr),
        )
    return inventory


def check_policies(
    args: argparse.Namespace, inventory: Inventory, catalog: Catalog, *, option: bool = True
) -> None:
    """Every policy id of the inventory and of ``--policy`` names a loaded policy.

    Raises:
        InputError: Every unknown id, located.
    """
    from maintlib.vulns.rulings import chosen_policies

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


def vulnerability_feeds(args: argparse.Namespace) -> Feeds | None:
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


def reference_time(args: argparse.Namespace, zone: Any) -> dt.datetime:
    """``--reference-time``, or the start of ``--start`` in ``zone``."""
    if args.reference_time is not None:
        reference: dt.datetime = args.reference_time
        return reference
    return dt.datetime.combine(args.start, dt.time(), tzinfo=zone)


def read_log_for(path: Path | None) -> Log | None:
    """The log at ``path`` (None: None), its warnings printed on standard error."""
    if path is None:
        return None
    log = read_log(path)
    for warning in log.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return log


#: The longest period a report's compliance section looks back.
REPORT_MONTHS = 12


def report_compliance(inventory: Any, catalog: Any, log: Log | None, plan: Plan) -> Any:
    """The compliance a report of ``plan`` shows: from the first day the log
    accounts for (the plan's look-back), at most a year, up to the plan's start;
    None without a log, or when the log starts with the plan."""
    from maintlib.model.work import add_months
    from maintlib.pipeline import compliance

    if log is None or plan.history is None:
        return None
    start = max(plan.history.since, add_months(plan.horizon.start, -REPORT_MONTHS))
    if start >= plan.horizon.start:
        return None
    return compliance(inventory, log=log, start=start, end=plan.horizon.start, plugins=catalog)


#: The output path that means standard output.
STDOUT = "-"


def is_stdout(path: str | os.PathLike[str] | None) -> bool:
    """Whether ``path`` is :data:`STDOUT`."""
    return path is not None and os.fspath(path) == STDOUT


def check_outputs(args: argparse.Namespace, *paths: Path | None) -> None:
    """Output paths checked before any work: at most one ``-``, no split feed to
    standard output, no folder or socket to write over.

    Raises:
        InputError: One problem per bad path.
    """
    given = [path for path in paths if path is not None]
    problems = [
        Problem("maintlib", "", message)
        for message in check_targets([p for p in given if not is_stdout(p)])
    ]
    if sum(is_stdout(path) for path in given) > 1:
        problems.append(Problem("maintlib", "", "only one output can go to standard output (-)"))
    if getattr(args, "ics_split", None) and is_stdout(args.ics):
        problems.append(
            Problem("maintlib", "", "--ics-split writes several files: give --ics FILE")
        )
    if problems:
        raise InputError(problems)


def write_outputs(outputs: dict[str | os.PathLike[str], Content], out: TextIO) -> TextIO:
    """Write the files, and the output named ``-`` to standard output.

    Returns:
        Where messages go: standard output, or standard error when standard output
        carries a file's content.
    """
    content = next((data for path, data in outputs.items() if is_stdout(path)), None)
    if content is not None and not isinstance(content, bytes):
        # Made in full first: standard output cannot be replaced atomically.
        content = b"".join(content())
    write_all({path: data for path, data in outputs.items() if not is_stdout(path)})
    if content is None:
        return out
    out.flush()
    sys.stdout.buffer.write(content)
    sys.stdout.buffer.flush()
    return out if isinstance(out, Quiet) else cast(TextIO, Printable(sys.stderr))


class Printable(io.TextIOBase):
    """A terminal stream that strips control characters (escape sequences in an
    asset's name must not retitle or clear the user's terminal)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(printable(text))
        return len(text)

    def flush(self) -> None:
        self.stream.flush()


def print_problems(problems: Sequence[Problem], stream: TextIO) -> None:
    """Every problem, then how many and that nothing was written."""
    for problem in problems:
        print(problem, file=stream)
    count = len(problems)
    print(f"{count} problem{'s' if count != 1 else ''} found; nothing was written.", file=stream)


# One convention for output files (issue 29): ``--json FILE.json`` everywhere, ``-`` for
# standard output; every output's type from its file's extension, or an error.

#: Extension → format of each kind of output.
EXTENSIONS: dict[str, dict[str, str]] = {
    "json": {".json": "json"},
    "report": {".html": "html", ".htm": "html", ".md": "md", ".csv": "csv"},
    "summary": {".html": "html", ".htm": "html", ".md": "md"},
    "ics": {".ics": "ics"},
}


def output_path(kind: str) -> Callable[[str], Path]:
    """An argument type: a path whose extension says it holds ``kind`` (or ``-``)."""
    known = EXTENSIONS[kind]

    def check(text: str) -> Path:
        if text == STDOUT or Path(text).suffix.lower() in known or Path(text).is_dir():
            return Path(text)  # a folder is refused, with its own message, by check_outputs
        raise argparse.ArgumentTypeError(
            f"{excerpt(text)!r}: the file's extension says what it holds — write"
            f" {' or '.join(sorted(set(known)))}, or - for standard output"
        )

    return check


def format_of(path: Path | None, kind: str, chosen: str | None, default: str) -> str:
    """The format an output is written in: ``--format`` if given, else the file's
    extension, else ``default`` (standard output).

    Raises:
        InputError: ``--format`` and the extension disagree.
    """
    by_name = None if path is None or is_stdout(path) else EXTENSIONS[kind].get(path.suffix.lower())
    if chosen is not None and by_name is not None and chosen != by_name:
        raise InputError(
            [
                Problem(
                    "maintlib",
                    "--format",
                    f"{chosen} does not match {path} (its extension says {by_name})",
                )
            ]
        )
    return chosen or by_name or default


class _JsonAction(argparse.Action):
    """``--json FILE`` (``-``: standard output); on the commands that printed JSON
    with a bare ``--json``, that old form still prints it, with a note."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: object,
        option_string: str | None = None,
    ) -> None:
        if values is None:
            namespace.json_bare = True
            values = Path(STDOUT)
        setattr(namespace, self.dest, values)


#: The commands whose ``--json`` took no FILE before (it printed to standard output).
LEGACY_JSON = ("check", "plugins", "explain", "diff", "compliance", "sla")


def add_json_option(parser: argparse.ArgumentParser, what: str, *, legacy: bool) -> None:
    """Add ``--json FILE`` (``-`` for standard output)."""
    note = " (a bare --json, the old form, still prints it until the next release)"
    parser.add_argument(
        "--json",
        type=output_path("json"),
        nargs="?" if legacy else None,
        action=_JsonAction,
        metavar="FILE",
        help=f"write {what} as JSON to FILE.json, or - for standard output"
        + (note if legacy else ""),
    )


def legacy_json_arguments(
    argv: Sequence[str], parses: Callable[[list[str]], bool]
) -> tuple[list[str], bool]:
    """``argv`` with the old bare ``--json`` of :data:`LEGACY_JSON` commands made
    ``--json -`` where the next word is an input, not an output (``check --json
    inventory.toml``; ``diff --json OLD.json NEW.json``), and whether it was.

    ``parses`` says whether words parse: the old form is taken only when the words
    do not parse as written and do with ``-`` after ``--json``.
    """
    words = list(argv)
    command = next((w for w in words if w in LEGACY_JSON), None)
    if command is None or "--json" not in words:
        return words, False
    at = words.index("--json")
    following = words[at + 1] if at + 1 < len(words) else None
    if following is None or following == STDOUT or following.startswith("-"):
        return words, False
    old = [*words[: at + 1], STDOUT, *words[at + 1 :]]
    if not parses(words) and parses(old):
        return old, True
    return words, False


def write_json(args: argparse.Namespace, document: object, out: TextIO) -> None:
    """``document`` as JSON to ``--json``'s FILE (atomically) or standard output."""
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    messages = write_outputs({args.json: text.encode("utf-8")}, out)
    if not is_stdout(args.json):
        print(f"wrote {args.json}", file=messages)


class Quiet(io.TextIOBase):
    """Where messages go under ``-q``: nowhere."""

    def write(self, text: str) -> int:
        return len(text)
