"""``maintlib cost``: the costs of an inventory's plan, or a profile's quote."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path
from typing import Any, TextIO

from maintlib.cli.common import (
    EXIT_OK,
    add_horizon,
    add_json_option,
    check_outputs,
    load_catalog,
    load_inventory,
    write_outputs,
)
from maintlib.model.errors import InputError, Problem

__all__ = ["add_commands", "cmd_cost"]


def _count(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number")
    return int(text)


def add_commands(commands: Any) -> None:
    """Add ``cost`` to the command parser."""
    cost = commands.add_parser("cost", help="cost a plan, or quote a profile")
    cost.add_argument(
        "inventory", type=Path, nargs="?", help="the inventory to cost (or give --profile)"
    )
    add_horizon(cost, required=False)
    cost.add_argument("--profile", help="quote this profile without an inventory")
    cost.add_argument("--users", type=_count, default=0, help="users or workplaces (quote)")
    cost.add_argument("--servers", type=_count, help="servers (quote)")
    add_json_option(cost, "the costs", legacy=False)


def cmd_cost(args: argparse.Namespace, out: TextIO) -> int:
    """Cost an inventory's plan, or quote a profile without an inventory."""
    from maintlib.costing.cost import quote
    from maintlib.model.catalog import rate_card_for
    from maintlib.outputs.report.render import render_cost_table, render_quote

    catalog = load_catalog(args)
    if args.profile is not None:
        if args.inventory is not None:
            raise InputError(
                [Problem("maintlib cost", "", "give an inventory or --profile, not both")]
            )
        card = catalog.rate_cards.get(args.profile)
        if card is None:
            from maintlib._util.text import did_you_mean

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
        check_outputs(args, args.json)
        offer = quote(card, users=args.users, servers=args.servers)
        messages = write_outputs(
            {args.json: _json_bytes(offer.to_json())} if args.json else {}, out
        )
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

    check_outputs(args, args.json)
    inventory = load_inventory(args, catalog)
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
    messages = write_outputs(
        {args.json: _json_bytes(result.costs.to_json())} if args.json else {}, out
    )
    print(render_cost_table(result), file=messages, end="")
    return EXIT_OK


def _json_bytes(document: object) -> bytes:
    return (json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()
