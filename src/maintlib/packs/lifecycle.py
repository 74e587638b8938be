"""End of support for rule packs: a product version's lifecycle row, the duty to
upgrade or replace it in time, and the risk of running it close to (or past) the end.

A vendor pack lists :class:`SupportEnd` rows — one per product version, each with
the selectors of the spellings inventories use (``"Ubuntu Server 22.04 LTS"``,
``"Red Hat Enterprise Linux 9"``) and the source of its dates — and returns
:func:`support_rules` from ``maintlib_rules`` and :func:`support_risk` from
``maintlib_risk_factors``. Many vendors sell (or give) a phase after standard
support (Ubuntu Pro's Expanded Security Maintenance, Red Hat's ELS, Debian LTS,
Oracle's Extended Support): a row names it, and the tag of the assets enrolled in it
(or none, when every installation gets it, as Debian LTS).

Rows take their dates from endoflife.date's data (:mod:`maintlib.packs.eol`) with
:func:`support_from`: the row names the ``product/cycle`` it read, and its citation
says so. Where a pack keeps a vendor-sourced date that differs, it passes the date and
an ``override`` reason, and the citation names the vendor page as the source.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import attrs

from maintlib._util.text import N_
from maintlib.model.inventory import Asset
from maintlib.model.risk import RiskFactor
from maintlib.model.rules import Deadlines, Once, Rule, Selector, Step, StepKind, selector_key
from maintlib.model.vocabulary import Category, Mode, Tier
from maintlib.model.work import add_months
from maintlib.packs.eol import Cycle

__all__ = [
    "ENDED_RISK",
    "ENDING_RISK",
    "EXTENDED_RISK",
    "PAST_END_DEADLINES",
    "WARNING_MONTHS",
    "SupportEnd",
    "first_match",
    "support_end",
    "support_from",
    "support_risk",
    "support_rules",
]

#: The upgrade is planned from this many months before support ends (maintlib default,
#: the Microsoft pack's).
WARNING_MONTHS = 12
#: Risk points once support has ended (maintlib default, the Microsoft pack's).
ENDED_RISK = 25.0
#: Risk points when support ends within WARNING_MONTHS (maintlib default).
ENDING_RISK = 15.0
#: Risk points while an asset lives on a paid or volunteer extension (ESM, ELS, LTS):
#: fewer packages or only the worst fixes are covered (maintlib default).
EXTENDED_RISK = 10.0
#: When support has already ended, the upgrade is due within these days (per tier).
PAST_END_DEADLINES = Deadlines(30, 60, 90, 120)


@attrs.frozen
class SupportEnd:
    """When a product version stops getting security fixes.

    Attributes:
        name: The version as people say it (``Ubuntu 20.04 LTS``).
        selectors: The spellings of assets that run it, any of them.
        ends: The last day of standard security support.
        source: Where the dates come from (URL).
        confidence: ``High``, ``Medium`` or ``UNCONFIRMED``.
        extended: The phase after standard support (``Expanded Security
            Maintenance``), or empty when there is none.
        extended_ends: The last day of that phase.
        extended_tag: Tag of the assets enrolled in it; None when every
            installation gets it (Debian LTS).
        endoflife: endoflife.date ``product/cycle`` the dates come from (or agree
            with), if any.
        override: Why a date differs from endoflife.date's, when the pack keeps its
            own (vendor-sourced) date; empty when the dates are endoflife.date's.
    """

    name: str
    selectors: tuple[Selector, ...]
    ends: dt.date
    source: str
    confidence: str
    extended: str = ""
    extended_ends: dt.date | None = None
    extended_tag: str | None = None
    endoflife: str = ""
    override: str = ""

    def __attrs_post_init__(self) -> None:
        if not self.selectors:
            raise ValueError(f"{self.name}: a support row needs at least one selector")
        if (self.extended_ends is None) != (not self.extended):
            raise ValueError(f"{self.name}: name the extended phase and its end together")

    def matches(self, asset: Asset) -> bool:
        """Whether ``asset`` runs this version (kinds and categories are not consulted)."""
        return any(selector.matches(asset, Category.OTHER) for selector in self.selectors)

    def end_for(self, asset: Asset) -> tuple[dt.date, bool]:
        """The end that applies to ``asset``, and whether it is the extended phase's."""
        if self.extended_ends is not None and (
            self.extended_tag is None or self.extended_tag in asset.tags
        ):
            return self.extended_ends, True
        return self.ends, False

    @property
    def citation(self) -> str:
        """Source, confidence and the endoflife.date cycle, as a rule cites them."""
        text = f"{self.source} ({self.confidence})"
        if self.override:
            return text + f"; differs from endoflife.date {self.endoflife}: {self.override}"
        return text + (f"; endoflife.date {self.endoflife}" if self.endoflife else "")


def support_from(
    cycle: Cycle,
    name: str,
    selectors: tuple[Selector, ...],
    source: str,
    *,
    confidence: str = "Medium",
    extended: str = "",
    extended_tag: str | None = None,
    ends: dt.date | None = None,
    extended_ends: dt.date | None = None,
    override: str = "",
) -> SupportEnd:
    """A row dated from endoflife.date's ``cycle``: standard support ends on its
    ``eolFrom``, the ``extended`` phase (when named) on its ``eoesFrom``.

    ``ends`` or ``extended_ends`` keep the pack's own date instead; then ``override``
    must say why (the vendor page that differs), and the citation cites the pack's
    ``source`` over endoflife.date.

    Raises:
        LookupError: The cycle lacks a date the row needs (endoflife.date has none).
        ValueError: A date is overridden without a reason, or a reason given for none.
    """
    if (ends is not None or extended_ends is not None) != bool(override):
        raise ValueError(f"{name}: override a date of {cycle.source} with a reason, and only then")
    standard = ends or cycle.eol
    if standard is None:
        raise LookupError(f"{name}: {cycle.source} has no end-of-life date")
    later = extended_ends or (cycle.eoes if extended else None)
    if extended and later is None:
        raise LookupError(f"{name}: {cycle.source} has no extended-support end")
    return SupportEnd(
        name,
        selectors,
        standard,
        source,
        confidence,
        extended=extended,
        extended_ends=later,
        extended_tag=extended_tag,
        endoflife=cycle.key,
        override=override,
    )


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")


def _steps(what: str, kind: str, ends: dt.date) -> tuple[Step, ...]:
    return (
        Step(StepKind.BACKUP, N_("Back up the whole system first.")),
        Step(StepKind.TEST, N_("Rehearse the upgrade or migration on a copy or in test.")),
        Step(
            StepKind.UPDATE,
            f"Upgrade in place, or move the workload to a supported version: {kind} for"
            f" {what} ends {ends.isoformat()}.",
        ),
        Step(StepKind.MONITOR, N_("Monitor the system for 48 hours afterwards.")),
        Step(StepKind.ROLLBACK, N_("If problems appear: go back to the backup.")),
    )


def _rule(
    row: SupportEnd,
    index: int,
    selector: Selector,
    *,
    extended: bool,
    duration: dt.timedelta,
    mode: Mode,
) -> Rule:
    ends = row.extended_ends if extended and row.extended_ends else row.ends
    kind = row.extended if extended else "standard support"
    tags = (row.extended_tag,) if extended and row.extended_tag else ()
    suffix = (f"-{index + 1}" if index else "") + (f"-{row.extended_tag}" if tags else "")
    return Rule(
        id="eos-" + _slug(row.name) + suffix,
        activity="upgrade-or-replace",
        selector=attrs.evolve(selector, tags=(*selector.tags, *tags)),
        cadence=Once(at=add_months(ends, -WARNING_MONTHS), deadline=ends),
        duration=duration,
        mode=mode,
        downtime=mode is not Mode.AUTOMATIC,
        deadlines=PAST_END_DEADLINES,
        # A system past its end gets no security fixes at all: its upgrade is P1
        # whatever the asset's own risk (maintlib default, the Microsoft pack's).
        priority=Tier.P1,
        steps=_steps(row.name, kind, ends),
        citation=f"{row.citation}: {kind} for {row.name} ends {ends.isoformat()}",
    )


def support_rules(
    rows: Iterable[SupportEnd],
    *,
    duration: dt.timedelta = dt.timedelta(hours=4),
    mode: Mode = Mode.PROJECT,
) -> list[Rule]:
    """One ``upgrade-or-replace`` rule per row and selector (``eos-<name>``), due once
    from :data:`WARNING_MONTHS` before the end with the end as its deadline — past the
    end, within :data:`PAST_END_DEADLINES` — and a twin for assets tagged with the
    row's ``extended_tag``, measured against the extended end.

    The rules are ``project`` work by default: an upgrade or a replacement is planned
    with the owner, not fitted into a maintenance window (``docs/rules.md``); pass
    ``mode`` for a product whose upgrade is routine work (a runtime on a desktop).

    A row whose extended phase needs no tag has one rule, against the extended end.
    """
    found = []
    for row in rows:
        # The standard end, unless every installation gets the extended phase; then the
        # extended end for the assets tagged with the phase's tag.
        phases = [row.extended_ends is not None and row.extended_tag is None]
        if row.extended_ends is not None and row.extended_tag is not None:
            phases.append(True)
        for index, selector in enumerate(row.selectors):
            for extended in phases:
                found.append(
                    _rule(row, index, selector, extended=extended, duration=duration, mode=mode)
                )
    return found


def support_end(asset: Asset, rows: Iterable[SupportEnd]) -> SupportEnd | None:
    """The first row ``asset`` matches, or None (remembered per kind of asset for a
    tuple of rows: :func:`first_match`)."""
    if not isinstance(rows, tuple):
        return next((row for row in rows if row.matches(asset)), None)
    return first_match(rows, asset, SupportEnd.matches, names=_names)


def _names(row: SupportEnd) -> Iterable[str]:
    return (name for selector in row.selectors for name in selector.assets)


_Row = TypeVar("_Row")


def first_match(
    rows: tuple[_Row, ...],
    asset: Asset,
    matches: Callable[[_Row, Asset], bool],
    *,
    names: Callable[[_Row], Iterable[str]] | None = None,
) -> _Row | None:
    """The first of ``rows`` that ``matches(row, asset)``, or None — remembered per
    kind of asset (:func:`~maintlib.model.rules.selector_key`), since a fleet has
    thousands of assets of a few products and ``maintlib_risk_factors`` runs per
    asset.

    ``rows`` is a pack's table, made once (cache it: ``functools.cache``); ``matches``
    must read of the asset only what a :class:`Selector` reads. ``names`` gives the
    asset ids a row's selectors name, if any: those assets are matched on their own.
    """
    entry = _FOUND.get(id(rows))
    if entry is None or entry[0] is not rows:
        if len(_FOUND) >= 64:  # tables made and dropped over and over: start afresh
            _FOUND.clear()
        named = frozenset(name for row in rows for name in names(row)) if names else frozenset()
        entry = _FOUND[id(rows)] = (rows, named, {})
    _, named, found = entry
    key = (*selector_key(asset), asset.id if asset.id in named else None)
    if key not in found:
        found[key] = next((row for row in rows if matches(row, asset)), None)
    return found[key]  # type: ignore[no-any-return]


#: Per table of rows (by id; the table kept, so that the id stays its own): the ids
#: its selectors name, and the row found per kind of asset.
_FOUND: dict[int, tuple[tuple[Any, ...], frozenset[str], dict[tuple[object, ...], Any]]] = {}


def support_risk(
    asset: Asset, rows: Iterable[SupportEnd], as_of: dt.date | None
) -> RiskFactor | None:
    """The ``end of support`` risk factor of ``asset`` as of ``as_of``.

    :data:`ENDED_RISK` once the end that applies has passed; :data:`ENDING_RISK`
    within :data:`WARNING_MONTHS` of it; :data:`EXTENDED_RISK` while the asset lives
    on the extended phase; None otherwise, for products in no row, and without a date.
    """
    row = support_end(asset, rows)
    if row is None or as_of is None:
        return None
    ends, extended = row.end_for(asset)
    name = row.name
    if ends < as_of:
        text = f"{name}: {row.extended if extended else 'support'} ended {ends.isoformat()}"
        if not extended and row.extended_ends is not None and row.extended_ends >= as_of:
            text += (
                f" ({row.extended} to {row.extended_ends.isoformat()}"
                f" for assets tagged {row.extended_tag})"
            )
        return RiskFactor("end of support", text, ENDED_RISK)
    if ends < add_months(as_of, WARNING_MONTHS):
        return RiskFactor("end of support", f"{name}: ends {ends.isoformat()}", ENDING_RISK)
    if extended and row.ends < as_of:
        return RiskFactor(
            "end of support",
            f"{name}: standard support ended {row.ends.isoformat()}; {row.extended}"
            f" to {ends.isoformat()}",
            EXTENDED_RISK,
        )
    return None
