"""``maintlib check``, ``maintlib plugins`` and ``maintlib explain``: an inventory,
the loaded rule packs and one asset's duties, read without planning."""

from __future__ import annotations

import argparse
import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Any, TextIO

from maintlib.cli.common import (
    EXIT_OK,
    add_json_option,
    add_vulnerability_options,
    check_outputs,
    check_policies,
    date,
    load_catalog,
    load_inventory,
    vulnerability_feeds,
    write_json,
)
from maintlib.model.catalog import Catalog
from maintlib.model.errors import InputError, Problem
from maintlib.model.inventory import Inventory
from maintlib.packs.manager import ENTRY_POINT_GROUP
from maintlib.planning.checks import check_warnings

__all__ = ["add_commands", "cmd_check", "cmd_explain", "cmd_plugins"]


def add_commands(commands: Any) -> None:
    """Add ``check``, ``plugins`` and ``explain`` to the command parser."""
    check = commands.add_parser("check", help="check an inventory and summarise it")
    check.add_argument("inventory", type=Path, help="the inventory file (TOML or JSON)")
    add_json_option(check, "the summary (warnings with codes)", legacy=True)
    check.add_argument(
        "--as-of",
        type=date,
        metavar="DATE",
        help="the day expires dates are measured against (expiry-near; default: today)",
    )

    plugins = commands.add_parser("plugins", help="list the loaded rule packs")
    add_json_option(plugins, "the packs (or, with --kinds, the kinds)", legacy=True)
    plugins.add_argument(
        "--kinds",
        action="store_true",
        help="list the asset kinds the packs know (name, category, label, other names)",
    )

    explain = commands.add_parser("explain", help="an asset's risk and duties, and why")
    explain.add_argument("inventory", type=Path, help="the inventory file (TOML or JSON)")
    explain.add_argument("asset", help="the asset's id")
    explain.add_argument(
        "--as-of",
        type=date,
        metavar="DATE",
        help="the day risks are assessed for, e.g. end of support (default: today)",
    )
    add_json_option(explain, "the explanation", legacy=True)
    add_vulnerability_options(explain)


def cmd_check(args: argparse.Namespace, out: TextIO) -> int:
    """Check an inventory and summarise it, with its warnings."""
    check_outputs(args, args.json)
    catalog = load_catalog(args)
    inventory = load_inventory(args, catalog)
    check_policies(args, inventory, catalog, option=False)
    kinds = Counter(asset.kind for asset in inventory.assets)
    blackouts = len(inventory.blackouts) + len(inventory.blackout_calendars)
    as_of = args.as_of or dt.datetime.now(inventory.organisation.timezone).date()
    warnings = check_warnings(inventory, catalog, as_of=as_of)
    if args.json:
        document = {
            "inventory": str(args.inventory),
            "organisation": inventory.organisation.name,
            "assets": dict(sorted(kinds.items())),
            "windows": len(inventory.windows),
            "blackouts": blackouts,
            "warnings": [warning.to_json() for warning in warnings],
        }
        write_json(args, document, out)
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
    """List the loaded rule packs, their hooks and how many rules each gives."""
    check_outputs(args, args.json)
    catalog = load_catalog(args)
    if args.kinds:
        return _print_kinds(catalog, args, out)
    counts = catalog.rules_by_pack()
    if args.json:
        packs = [
            {"name": p.name, "version": p.version, "hooks": list(p.hooks), "rules": counts[p.name]}
            for p in catalog.packs
        ]
        write_json(args, packs, out)
        return EXIT_OK
    print(f"rule packs (entry-point group {ENTRY_POINT_GROUP!r}):", file=out)
    for pack in catalog.packs:
        print(f"  {pack.name} {pack.version}: {counts[pack.name]} rules", file=out)
        print(f"    hooks: {', '.join(pack.hooks)}", file=out)
    return EXIT_OK


def _print_kinds(catalog: Catalog, args: argparse.Namespace, out: TextIO) -> int:
    """The asset kinds of ``catalog``: what an inventory's ``kind`` may say."""
    kinds = list(catalog.kinds.values())
    if args.json:
        document = [
            {
                "name": kind.name,
                "category": kind.category.value,
                "label": kind.label,
                "infrastructure": kind.infrastructure,
                "aliases": list(kind.aliases),
            }
            for kind in kinds
        ]
        write_json(args, document, out)
        return EXIT_OK
    width = max((len(kind.name) for kind in kinds), default=0)
    print("asset kinds (an asset's `kind`):", file=out)
    for kind in kinds:
        also = f" (also written: {', '.join(kind.aliases)})" if kind.aliases else ""
        print(f"  {kind.name:<{width}}  {kind.category.value}: {kind.label}{also}", file=out)
    return EXIT_OK


def cmd_explain(args: argparse.Namespace, out: TextIO) -> int:
    """An asset's risk and duties, and why."""
    from maintlib.outputs.explain import explain, render_explanation

    check_outputs(args, args.json)
    catalog = load_catalog(args)
    inventory = load_inventory(args, catalog)
    check_policies(args, inventory, catalog)
    feeds = vulnerability_feeds(args)
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
        write_json(args, explanation, out)
    else:
        print(render_explanation(explanation), file=out, end="")
    return EXIT_OK


def _asset_hint(asked: str, inventory: Inventory) -> str:
    """`` — did you mean "fw01"?``: by id, whatever the case, or by name."""
    from maintlib._util.text import did_you_mean

    folded = asked.strip().casefold()
    for asset in inventory.assets:
        if folded in (asset.id.casefold(), asset.name.casefold()):
            return f' — did you mean "{asset.id}"?'
    return did_you_mean(folded, [asset.id for asset in inventory.assets])
