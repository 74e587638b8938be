"""``maintlib feeds update``: the public vulnerability feeds (or, with ``--eol``,
endoflife.date's lifecycle data) downloaded into a cache folder — the only command
that uses the network."""

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
    update.add_argument(
        "--eol",
        action="store_true",
        help="refresh endoflife.date's lifecycle data (DIR/eol) instead of the vulnerability"
        " feeds; the packs prefer it to their shipped snapshot when it is newer",
    )
    update.add_argument(
        "--eol-source",
        metavar="URL|DIR",
        help="where to read the API v1 product documents: a base URL (default"
        " https://endoflife.date/api/v1/products, fetched as URL/<product>) or a folder"
        " of <product>.json files",
    )
    update.add_argument(
        "--eol-product",
        action="append",
        default=[],
        metavar="NAME",
        help="an endoflife.date product to refresh (default: every product the packs"
        " read); repeatable",
    )


def _eol(args: argparse.Namespace) -> list[Any]:
    from maintlib.vulns.download import copy_eol, eol_products, eol_targets, update

    if args.source or args.csaf_url or args.cve:
        raise InputError(
            [
                Problem(
                    "maintlib feeds update",
                    "--eol",
                    "--source, --csaf-url and --cve are"
                    " for the vulnerability feeds; run them without --eol",
                )
            ]
        )
    try:
        products = eol_products(args.eol_product)
    except ValueError as error:
        raise InputError([Problem("maintlib feeds update", "--eol-product", str(error))]) from None
    source = args.eol_source
    if source is not None and "://" not in source:
        folder = Path(source)
        if not folder.is_dir():
            raise InputError([Problem(source, "--eol-source", "is neither a URL nor a folder")])
        args.cache.mkdir(parents=True, exist_ok=True)
        return copy_eol(args.cache, folder, products)
    return update(args.cache, eol_targets(products, *(() if source is None else (source,))))


def cmd_feeds(args: argparse.Namespace, out: TextIO) -> int:
    """Download the public vulnerability feeds (or endoflife.date's data) into a cache folder."""
    from maintlib.vulns.download import targets, update

    if args.eol:
        results = _eol(args)
    else:
        if args.eol_source is not None or args.eol_product:
            raise InputError([Problem("maintlib feeds update", "--eol-source", "needs --eol")])
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
