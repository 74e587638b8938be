"""Deadline policies applied to findings: the chosen policies, the strictest ruling, and
the assessment of every finding of an inventory."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

from maintlib.model.errors import InputError, Problem
from maintlib.model.feeds import Feeds
from maintlib.model.inventory import Inventory
from maintlib.model.naming import ProductFamily
from maintlib.model.vulnerabilities import (
    Assessment,
    Assessments,
    Finding,
    Ruling,
    VulnerabilityPolicy,
)
from maintlib.vulns.match import findings, match

__all__ = ["assess", "chosen_policies", "strictest"]


def _kev_due_date(finding: Finding) -> Ruling | None:
    kev = finding.kev
    if kev is None:
        return None
    return Ruling(
        "kev",
        f"KEV dueDate {kev.due_date.isoformat()} (added {kev.date_added.isoformat()})",
        (kev.due_date - kev.date_added).days,
        kev.date_added,
        citation="CISA KEV catalog dueDate",
    )


def strictest(rulings: Iterable[Ruling]) -> Ruling | None:
    """The ruling with the earliest deadline; ties by policy id, then criterion.

    Rulings without a deadline never win. The result does not depend on the
    order of ``rulings``.
    """
    dated = [r for r in rulings if r.deadline is not None]
    if not dated:
        return None
    return min(dated, key=lambda r: (r.deadline, r.policy, r.criterion))


def chosen_policies(
    ids: Sequence[str],
    available: Mapping[str, VulnerabilityPolicy],
    file: str = "<inventory>",
    location: str = "planning.deadline_policies",
) -> list[VulnerabilityPolicy]:
    """The policies named by ``ids``, in id order.

    Args:
        ids: Policy ids, as the inventory or the command line names them.
        available: The catalog's policies.
        file: Where the ids were written, for messages.
        location: Where in it.

    Raises:
        InputError: An id names no loaded policy.
    """
    from maintlib._util.text import did_you_mean

    problems = [
        Problem(
            file,
            location,
            f'unknown deadline policy "{name}"{did_you_mean(name, available)}'
            f" (known: {', '.join(sorted(available))})",
        )
        for name in ids
        if name not in available
    ]
    if problems:
        raise InputError(problems)
    return [available[name] for name in sorted(set(ids))]


def assess(
    inventory: Inventory,
    feeds: Feeds,
    policies: Sequence[VulnerabilityPolicy],
    *,
    as_of: dt.date,
    families: Sequence[ProductFamily] = (),
) -> Assessments:
    """Match the feeds to the assets and rule on every finding.

    Args:
        inventory: The inventory.
        feeds: What the feeds say (may be empty: the assets' own CVE lists still count).
        policies: The chosen policies; the KEV ``dueDate`` always counts as well.
        as_of: The assessment day: the ``known_since`` of a finding no feed dates.
        families: The packs' product families, which tie the products inventories
            name to the software feeds name (:attr:`Catalog.product_families`).
    """
    matches, unmatched = match(inventory, feeds, families, as_of=as_of)
    assessments = []
    for finding in findings(inventory, feeds, matches, as_of):
        rulings = [r for p in policies if (r := p.decide(finding)) is not None]
        if (kev := _kev_due_date(finding)) is not None:
            rulings.append(kev)
        rulings.sort(key=lambda r: (r.policy, r.criterion))
        assessments.append(Assessment(finding, tuple(rulings), strictest(rulings)))
    return Assessments(tuple(assessments), unmatched, tuple(p.id for p in policies))
