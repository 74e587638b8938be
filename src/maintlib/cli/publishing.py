"""``maintlib plan … --caldav URL``: the plan's feed published into a CalDAV
calendar collection (:mod:`maintlib.outputs.publish`).

Not a command of its own: :mod:`~maintlib.cli.plan` adds these options and calls
:func:`open_collection` before planning — so a refused login or a wrong URL ends
the run (exit 1) before anything is written or deleted — and :func:`publish`
after its files are written. Credentials come from ``MAINTLIB_CALDAV_USERNAME``
and ``MAINTLIB_CALDAV_PASSWORD`` or ``~/.netrc``, never from the command line.
"""

from __future__ import annotations

import argparse
import datetime as dt
from typing import TextIO

from maintlib.model.errors import InputError, Problem
from maintlib.model.plan import Plan
from maintlib.outputs.ics.feed import DEFAULT_DOMAIN, Previous, to_ics
from maintlib.outputs.publish import CalDAVCollection, credentials_for

__all__ = ["add_options", "open_collection", "publish"]


def add_options(plan: argparse.ArgumentParser) -> None:
    """``--caldav``, ``--caldav-create`` and ``--dry-run``."""
    plan.add_argument(
        "--caldav",
        metavar="URL",
        help="publish the feed into this CalDAV calendar collection and keep it in sync"
        " (credentials: MAINTLIB_CALDAV_USERNAME/MAINTLIB_CALDAV_PASSWORD or ~/.netrc)",
    )
    plan.add_argument(
        "--caldav-create",
        action="store_true",
        help="with --caldav: create the collection when it does not exist",
    )
    plan.add_argument(
        "--dry-run",
        action="store_true",
        help="with --caldav: list what publishing would change, and change nothing there",
    )


def open_collection(args: argparse.Namespace) -> CalDAVCollection | None:
    """The collection of ``--caldav``, read (None without it).

    Raises:
        InputError: ``--caldav-create`` or ``--dry-run`` without ``--caldav``.
        PublishError: No login, a refused one, or no such collection.
    """
    if args.caldav is None:
        problems = [
            Problem("maintlib plan", "", f"--{name} needs --caldav URL")
            for name in ("caldav-create", "dry-run")
            if getattr(args, name.replace("-", "_"))
        ]
        if problems:
            raise InputError(problems)
        return None
    collection = CalDAVCollection(
        args.caldav,
        credentials=credentials_for(args.caldav),
        domain=args.ics_domain or DEFAULT_DOMAIN,
        create=args.caldav_create,
    )
    collection.read()
    return collection


def publish(
    args: argparse.Namespace,
    collection: CalDAVCollection,
    plan: Plan,
    previous: Previous | None,
    alarm: dt.timedelta | None,
    out: TextIO,
) -> None:
    """Sync the whole plan's feed (whatever ``--ics-split`` says) into the
    collection, and print what changed (with ``--dry-run``: what would)."""
    feed = to_ics(
        plan,
        name=args.ics_name,
        domain=collection.domain,
        mode=args.ics_mode or "per-task",
        alarm=alarm,
        alarms=args.ics_alarms or "downtime",
        previous=previous,
    )
    result = collection.sync(feed, dry_run=args.dry_run)
    print(result.summary(), file=out)
    if args.dry_run:
        for change in result.changes:
            print(f"  would {change.action} {change.uid}", file=out)
