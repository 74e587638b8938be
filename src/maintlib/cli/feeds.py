"""``maintlib feeds update``: the public vulnerability feeds downloaded into a
cache folder — the only command that uses the network."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from maintlib.cli.common import EXIT_ERROR, EXIT_OK
from maintlib.model.errors import InputError, Problem

__all__ = ["add_commands", "cmd_feeds"]


def _source(text: str) -> tuple[str, str]:
    from maintlib.vulns.download import parse_source

    try:
        return parse_source(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def add_commands(commands: Any) -> None:
    """Add ``feeds`` (``feeds update``) to the command parser."""
    feeds = commands.add_parser("feeds", help="vulnerability feeds")
    feed_commands = feeds.add_subparsers(dest="feeds_command", required=True, metavar="COMMAND")
    update = feed_commands.add_parser(
        "update", help="download the public feeds into a cache directory (the network)"
    )
    update.add_argument("cache", type=Path, metavar="DIR", help="the cache folder to fill")
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


def cmd_feeds(args: argparse.Namespace, out: TextIO) -> int:
    """Download the public vulnerability feeds into a cache folder."""
    from maintlib.vulns.download import targets, update

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
