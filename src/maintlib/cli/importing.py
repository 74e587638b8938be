"""``maintlib import netbox|nautobot URL``: an inventory's assets from NetBox
(:mod:`maintlib.loading.netbox`) or Nautobot (:mod:`maintlib.loading.nautobot`),
written as TOML for a person to review."""

from __future__ import annotations

import argparse
import os
import tomllib
from pathlib import Path
from typing import Any, TextIO

from maintlib.cli.common import EXIT_OK, check_outputs, write_outputs
from maintlib.model.errors import InputError, Problem

__all__ = ["add_commands", "cmd_import"]


def add_commands(commands: Any) -> None:
    """Add ``import`` to the command parser."""
    parser = commands.add_parser(
        "import",
        help="an inventory's assets from NetBox or Nautobot (devices, VMs, clusters, tenants)",
    )
    parser.add_argument("source", choices=["netbox", "nautobot"], help="where the assets come from")
    parser.add_argument("url", help="the server's URL (https://netbox.example.org)")
    parser.add_argument(
        "--token-env",
        metavar="VAR",
        help="the environment variable holding the API token"
        " (default NETBOX_TOKEN or NAUTOBOT_TOKEN)",
    )
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        required=True,
        metavar="FILE",
        help="the inventory to write; when it exists, everything but its [[assets]] is kept"
        " (organisation, windows, [import])",
    )
    parser.add_argument("--tenant", metavar="SLUG", help="only this tenant's records")
    parser.add_argument("--organisation", metavar="NAME", help="for a new inventory")
    parser.add_argument("--timezone", metavar="ZONE", help="for a new inventory (IANA)")


def cmd_import(args: argparse.Namespace, out: TextIO) -> int:
    """Fetch, map and write."""
    import tomli_w

    from maintlib.loading.dcim import import_document
    from maintlib.loading.nautobot import fetch_nautobot
    from maintlib.loading.netbox import fetch_netbox

    check_outputs(args, args.output)
    base = _base(args)
    token = os.environ.get(args.token_env or f"{args.source.upper()}_TOKEN")
    fetch = fetch_nautobot if args.source == "nautobot" else fetch_netbox
    devices, machines = fetch(args.url, token)
    document = import_document(devices, machines, base, tenant=args.tenant, source=args.source)
    text = tomli_w.dumps(document)
    messages = write_outputs({args.output: text.encode("utf-8")}, out)
    print(
        f"wrote {args.output}: {len(document['assets'])} assets from {len(devices)} devices"
        f" and {len(machines)} virtual machines; review it, then maintlib check {args.output}",
        file=messages,
    )
    return EXIT_OK


def _base(args: argparse.Namespace) -> dict[str, Any]:
    path: Path = args.output
    if path.exists():
        try:
            return tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
            raise InputError([Problem(str(path), "", f"cannot read: {error}")]) from None
    missing = [name for name in ("organisation", "timezone") if not getattr(args, name)]
    if missing:
        raise InputError(
            [
                Problem("maintlib import", "", f"--{name} is needed for a new inventory")
                for name in missing
            ]
        )
    return {"organisation": {"name": args.organisation, "timezone": args.timezone}}
