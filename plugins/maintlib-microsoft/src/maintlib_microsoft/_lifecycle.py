"""End of support: Microsoft products' lifecycle dates, the duty to upgrade or
replace in time, and the risk of running close to (or past) the end.

An asset is matched by ``vendor`` (``Microsoft…``), ``product`` and ``version``
exactly as the README's "Inventory conventions" say (``product = "Windows
Server"``, ``version = "2016"``). Assets tagged ``esu`` (enrolled in Extended
Security Updates) are measured against the ESU end where Microsoft sells ESU.

The dates come from endoflife.date's data (the lifecycle data the pack is given: the
snapshot shipped with maintlib, or a feed cache's newer copy): the end is a cycle's
``eolFrom``, the ESU end its ``eoesFrom``. Each row names its ``product/cycle``; a row
that keeps a date of its own says why (``override``) and cites the Microsoft page.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import functools
import re
from collections.abc import Iterable

import attrs

from maintlib.packs import (
    Asset,
    Category,
    Cycle,
    Deadlines,
    Lifecycle,
    Mode,
    Once,
    Released,
    RiskFactor,
    Rule,
    Selector,
    Step,
    StepKind,
    Tier,
    UpdateClass,
    add_months,
    first_match,
    shipped_lifecycle,
)
from maintlib_microsoft._sources import (
    ENDOFLIFE_SQL,
    ENDOFLIFE_WINDOWS,
    ENDOFLIFE_WINDOWS_SERVER,
    EXCHANGE_ESU_PERIOD_2,
    LIFECYCLE,
)

__all__ = [
    "ENDED_RISK",
    "ENDING_RISK",
    "END_OF_SUPPORT",
    "ESU_TAG",
    "WARNING_MONTHS",
    "EndOfSupport",
    "end_of_support",
    "end_of_support_table",
    "lifecycle_rules",
    "patch_end_rules",
    "support_risk",
]

VENDOR = "Microsoft*"
#: Assets with this tag are enrolled in Extended Security Updates.
ESU_TAG = "esu"
#: The upgrade is planned from this many months before support ends.
WARNING_MONTHS = 12
#: Risk points for an asset whose support has ended (maintlib default).
ENDED_RISK = 25.0
#: Risk points for an asset whose support ends within WARNING_MONTHS (maintlib default).
ENDING_RISK = 15.0


@attrs.frozen
class EndOfSupport:
    """When Microsoft stops shipping security updates for a product version.

    Attributes:
        products: Product names as inventories write them; matched exactly,
            ignoring case.
        version: The version as inventories write it, or None for every version.
        ends: The last day of support (extended support, or servicing).
        source: Where the date comes from.
        confidence: ``High``, ``Medium`` or ``UNCONFIRMED`` (see the README).
        esu_ends: End of Extended Security Updates, for assets tagged ``esu``.
        client: A Windows client (upgraded during office hours), not a server.
        endoflife: The endoflife.date ``product/cycle`` the dates come from.
        override: Why a date differs from endoflife.date's (the row keeps its own,
            from ``source``); empty when the dates are endoflife.date's.
    """

    products: tuple[str, ...]
    version: str | None
    ends: dt.date
    source: str
    confidence: str
    esu_ends: dt.date | None = None
    client: bool = False
    endoflife: str = ""
    override: str = ""

    @property
    def cited(self) -> str:
        """Source, confidence and the endoflife.date cycle (or why the row differs)."""
        text = f"{self.source} ({self.confidence})"
        if self.override:
            return text + f"; differs from endoflife.date {self.endoflife}: {self.override}"
        return text + (f"; endoflife.date {self.endoflife}" if self.endoflife else "")

    def selector(self, product: str, *, esu: bool) -> Selector:
        """The assets running ``product`` of this version (tagged ``esu`` or not)."""
        return Selector(
            vendor=VENDOR, product=product, version=self.version, tags=(ESU_TAG,) if esu else ()
        )

    def end_for(self, asset: Asset) -> dt.date:
        """The end that applies to ``asset``: the ESU end when it is enrolled."""
        if self.esu_ends is not None and ESU_TAG in asset.tags:
            return self.esu_ends
        return self.ends


_SERVER = ENDOFLIFE_WINDOWS_SERVER + f" (links {LIFECYCLE}windows-server-…)"
_W10 = (ENDOFLIFE_WINDOWS, f"{LIFECYCLE}windows-10-home-and-pro")
_W11 = (
    "pureinfotech / thewindowsclub tables and windowsforum posts citing"
    f" {LIFECYCLE}windows-11-home-and-pro and windows-11-enterprise-and-education (secondary)"
)
WINDOWS_10 = (
    "Windows 10",
    "Windows 10 Home",
    "Windows 10 Pro",
    "Windows 10 Enterprise",
    "Windows 10 Education",
)
WINDOWS_11_HOME_PRO = ("Windows 11", "Windows 11 Home", "Windows 11 Pro")
WINDOWS_11_BUSINESS = ("Windows 11 Enterprise", "Windows 11 Education")


def _ends(cycle: Cycle, name: str) -> dt.date:
    if cycle.eol is None:
        raise LookupError(f"{name}: {cycle.source} has no end-of-life date")
    return cycle.eol


def _row(
    cycle: Cycle,
    products: tuple[str, ...],
    version: str | None,
    source: str,
    confidence: str,
    *,
    client: bool = False,
) -> EndOfSupport:
    return EndOfSupport(
        products,
        version,
        _ends(cycle, cycle.key),
        source,
        confidence,
        cycle.eoes,
        client=client,
        endoflife=cycle.key,
    )


#: Windows Server versions as inventories write them, and their endoflife.date cycles.
_SERVER_CYCLES = (
    ("2008", "2008-sp2", "Medium"),
    ("2008 R2", "2008-r2-sp1", "Medium"),
    ("2012", "2012", "Medium"),
    ("2012 R2", "2012-r2", "Medium"),
    # 2027-01-12 on Microsoft's lifecycle page; an old release-information page said
    # 2027-01-11. endoflife.date's ESU end is left out: see _server.
    ("2016", "2016", "Medium"),
    ("2019", "2019", "High"),
    ("2022", "2022", "High"),
    # 2034-11-14 (endoflife.date, Microsoft's lifecycle page); the 2034-10-10 the pack
    # used to carry is Windows 11 IoT Enterprise LTSC 2024's end.
    ("2025", "2025", "Medium"),
)
#: SQL Server versions and their endoflife.date cycles (the latest service pack's).
_SQL_CYCLES = (
    ("2014", "12.0-sp3"),
    ("2016", "13.0-sp3"),
    ("2017", "14.0"),
    ("2019", "15.0"),
    ("2022", "16.0"),
    ("2025", "17.0"),
)
#: Windows 11 versions; Home/Pro get 24 months per release, Enterprise/Education 36
#: (RELEASE_CYCLE): endoflife.date's ``-w`` and ``-e`` cycles.
_WINDOWS_11 = ("22H2", "23H2", "24H2", "25H2")


def _server(row: EndOfSupport) -> EndOfSupport:
    """Windows Server 2016 without endoflife.date's ESU end: endoflife.date added an ESU
    to 2030-01-12 (its pull request #10174, May 2026) — a Saturday, where Microsoft's
    ESU years end on a Patch Tuesday — and no Microsoft page read for this pack offers
    a 2016 ESU. Until one is, a 2016 server tagged ``esu`` is measured against the end
    of extended support, the earlier and safer date (UNCONFIRMED)."""
    if row.version != "2016" or row.esu_ends is None:
        return row
    return attrs.evolve(
        row,
        source=f"{row.source}; {LIFECYCLE}windows-server-2016",
        esu_ends=None,
        override=(
            f"its ESU end {row.esu_ends.isoformat()} is left out: no Microsoft page read"
            " offers a Windows Server 2016 ESU (UNCONFIRMED)"
        ),
    )


def _exchange(data: Lifecycle, version: str) -> EndOfSupport:
    row = _row(data.cycle("msexchange", version), ("Exchange Server",), version, "", "")
    # The paid ESU ran to 2026-04-14 ("period 1"); Microsoft then announced a second
    # six-month period, May through October 2026, for servers enrolled in the first
    # (Exchange Team blog). endoflife.date marks the period's end as 2026-11-01; the
    # last update of the period ships on October 2026's Patch Tuesday, 2026-10-13,
    # which the pack keeps as the ESU end (the day is UNCONFIRMED).
    return attrs.evolve(
        row,
        source=EXCHANGE_ESU_PERIOD_2,
        confidence="Medium",
        esu_ends=dt.date(2026, 10, 13),
        override=(
            "ESU period 2 runs May through October 2026; its last update ships on"
            " October's Patch Tuesday, 2026-10-13 (UNCONFIRMED day)"
        ),
    )


@functools.cache
def end_of_support_table(data: Lifecycle) -> tuple[EndOfSupport, ...]:
    """The lifecycle table dated from ``data``; each row's source and confidence also
    stand in the README (with the dates of the shipped snapshot).

    Raises:
        LookupError: ``data`` lacks a cycle or a date a row needs.
    """
    return (
        # Windows Server: extended support end; ESU where Microsoft sold or sells it.
        *(
            _server(
                _row(data.cycle("windows-server", cycle), ("Windows Server",), version, _SERVER, c)
            )
            for version, cycle, c in _SERVER_CYCLES
        ),
        # Windows 10 22H2, every mainstream edition: 2025-10-14 (High). Commercial ESU to
        # 2028-10-10 (endoflife.date). Earlier versions ended earlier still.
        _row(
            data.cycle("windows", "10-22h2"),
            WINDOWS_10,
            None,
            " and ".join(_W10),
            "High",
            client=True,
        ),
        *(
            _row(
                data.cycle("windows", f"11-{v.lower()}-{edition}"),
                products,
                v,
                _W11,
                "Medium",
                client=True,
            )
            for v in _WINDOWS_11
            for edition, products in (("w", WINDOWS_11_HOME_PRO), ("e", WINDOWS_11_BUSINESS))
        ),
        # Exchange 2016 and 2019 both ended 2025-10-14. Exchange Server SE follows the
        # Modern Lifecycle: no end date, so no row.
        _exchange(data, "2016"),
        _exchange(data, "2019"),
        # SQL Server: extended support end; ESU end where sold.
        *(
            _row(
                data.cycle("mssqlserver", cycle), ("SQL Server",), version, ENDOFLIFE_SQL, "Medium"
            )
            for version, cycle in _SQL_CYCLES
        ),
    )


#: The table dated from the snapshot shipped with maintlib.
END_OF_SUPPORT: tuple[EndOfSupport, ...] = end_of_support_table(shipped_lifecycle())


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")


#: When support has already ended, the upgrade is due within these days (per tier).
PAST_END_DEADLINES = Deadlines(30, 60, 90, 120)
_CLIENT_STEPS = (
    Step(StepKind.BACKUP, "Back up the user's data and settings first."),
    Step(StepKind.UPDATE, "Upgrade to a supported Windows version, or replace the device."),
    Step(StepKind.VERIFY, "Verify the user's applications, printers and sign-in work."),
)
#: A Windows 11 version past its end of servicing needs the next version, which the
#: device already runs: a feature update, set by policy and installed by Windows
#: Update (RELEASE_CYCLE: feature updates; maintlib default: 15 minutes to set and
#: check). Replacement is only for hardware that cannot run a supported version.
_FEATURE_UPDATE_STEPS = (
    Step(
        StepKind.UPDATE,
        "Set the target version to a supported Windows 11 release (Windows Update for"
        " Business TargetReleaseVersion, or an Intune feature-update profile).",
    ),
    Step(StepKind.VERIFY, "Check the device reports the new version after its restart."),
    Step(
        StepKind.WORK,
        "A device that cannot take it (hardware, disk space): plan its replacement.",
    ),
)


def _rule(entry: EndOfSupport, product: str, *, esu: bool) -> Rule:
    ends = entry.esu_ends if esu and entry.esu_ends else entry.ends
    what = f"{product} {entry.version}" if entry.version else product
    kind = "Extended Security Updates" if esu else "support"
    server = not entry.client
    # Windows 11 versions: a feature update (entry.version is a half-year release);
    # Windows 10 (no version): the hardware may not run Windows 11, so upgrade or replace.
    feature = entry.client and entry.version is not None
    if feature:
        return Rule(
            id="eos-" + _slug(what) + ("-esu" if esu else ""),
            activity="feature-update",
            selector=entry.selector(product, esu=esu),
            cadence=Once(at=add_months(ends, -WARNING_MONTHS), deadline=ends),
            duration=dt.timedelta(minutes=15),
            mode=Mode.AUTOMATIC,
            update_class=UpdateClass.STANDARD,
            deadlines=PAST_END_DEADLINES,
            steps=_FEATURE_UPDATE_STEPS,
            citation=(
                f"{entry.cited}: servicing of {what} ends"
                f" {ends.isoformat()}; the next version is a feature update"
            ),
        )
    return Rule(
        id="eos-" + _slug(what) + ("-esu" if esu else ""),
        activity="upgrade-or-replace",
        selector=entry.selector(product, esu=esu),
        cadence=Once(at=add_months(ends, -WARNING_MONTHS), deadline=ends),
        duration=dt.timedelta(hours=4 if server else 2),
        # A server's upgrade or migration is a project planned with its owner, not a
        # window task (issue 27); a workstation's is done at the desk.
        mode=Mode.PROJECT if server else Mode.OFFICE_HOURS,
        downtime=True,
        deadlines=PAST_END_DEADLINES,
        # A server past its end gets no security fixes at all: its upgrade is P1
        # whatever the asset's own risk (maintlib default).
        priority=Tier.P1 if server else None,
        steps=(
            (
                Step(StepKind.BACKUP, "Back up the whole system first."),
                Step(StepKind.TEST, "Rehearse the upgrade or migration on a copy or in test."),
                Step(
                    StepKind.UPDATE,
                    f"Upgrade in place, or move the workload to a supported version: {kind}"
                    f" for {what} ends {ends.isoformat()}.",
                ),
                Step(StepKind.MONITOR, "Monitor the system for 48 hours afterwards."),
                Step(StepKind.ROLLBACK, "If problems appear: go back to the backup."),
            )
            if server
            else _CLIENT_STEPS
        ),
        citation=f"{entry.cited}: {kind} for {what} ends {ends.isoformat()}",
    )


def lifecycle_rules(lifecycle: Lifecycle | None = None) -> list[Rule]:
    """One ``upgrade-or-replace`` rule per product name and version (and its ESU twin).

    Each is due once, from :data:`WARNING_MONTHS` before the end, with the end as
    its deadline; past the end, within :data:`PAST_END_DEADLINES`. Dated from
    ``lifecycle`` (default: the snapshot shipped with maintlib).
    """
    rules = []
    for entry in end_of_support_table(lifecycle or shipped_lifecycle()):
        for product in entry.products:
            rules.append(_rule(entry, product, esu=False))
            if entry.esu_ends is not None:
                rules.append(_rule(entry, product, esu=True))
    return rules


def patch_end_rules(patch_rules: Iterable[Rule], lifecycle: Lifecycle | None = None) -> list[Rule]:
    """Patching ends with support: a twin of each release-anchored patch rule per
    server product version, ending at that version's end (or ESU end, tagged ``esu``).

    Nothing ships after the end, so there is nothing to install; the end-of-support
    rules plan the upgrade instead. A twin names the product and version, so it is
    more specific than the rule it copies and replaces it for those assets.
    """
    found = []
    for entry in end_of_support_table(lifecycle or shipped_lifecycle()):
        if entry.client:
            continue
        for product in entry.products:
            for rule in patch_rules:
                cadence = rule.cadence
                if not isinstance(cadence, Released) or rule.selector.product is None:
                    continue
                if not fnmatch.fnmatchcase(product.casefold(), rule.selector.product.casefold()):
                    continue
                what = f"{product} {entry.version}"
                ends = [(entry.ends, False)]
                if entry.esu_ends is not None:
                    ends.append((entry.esu_ends, True))
                for end, esu in ends:
                    tags = (*rule.selector.tags, ESU_TAG) if esu else rule.selector.tags
                    found.append(
                        attrs.evolve(
                            rule,
                            id=f"{rule.id}-{_slug(what)}" + ("-esu" if esu else ""),
                            selector=attrs.evolve(
                                rule.selector, product=product, version=entry.version, tags=tags
                            ),
                            cadence=attrs.evolve(cadence, until=end),
                            citation=(
                                f"{rule.citation}; until {end.isoformat()}, the end of"
                                f" {'Extended Security Updates' if esu else 'support'} for"
                                f" {what}: {entry.cited}"
                            ),
                        )
                    )
    return found


def end_of_support(
    asset: Asset, lifecycle: Lifecycle | None = None
) -> tuple[EndOfSupport, dt.date] | None:
    """The lifecycle row ``asset`` matches and the end that applies to it, or None
    (rows dated from ``lifecycle``; default: the snapshot shipped with maintlib)."""
    # Every row's selectors name Microsoft: an asset of another vendor matches none,
    # unless its operating system is Microsoft's (Windows Server on an HPE server).
    if not asset.os and not Selector(vendor=VENDOR).matches(asset, Category.OTHER):
        return None
    # Remembered per kind of asset (the selectors name no assets): a fleet has
    # thousands of assets of a few Windows versions.
    found = first_match(_row_selectors(lifecycle or shipped_lifecycle()), asset, _matches)
    return (found[0], found[0].end_for(asset)) if found is not None else None


def _matches(row: tuple[EndOfSupport, tuple[Selector, ...]], asset: Asset) -> bool:
    # Lifecycle selectors name no kinds or categories: the category is not consulted.
    return any(selector.matches(asset, Category.OTHER) for selector in row[1])


@functools.cache
def _row_selectors(
    lifecycle: Lifecycle,
) -> tuple[tuple[EndOfSupport, tuple[Selector, ...]], ...]:
    """Each lifecycle row with the selectors of its products, made once per data."""
    return tuple(
        (entry, tuple(entry.selector(product, esu=False) for product in entry.products))
        for entry in end_of_support_table(lifecycle)
    )


def support_risk(
    asset: Asset, as_of: dt.date | None, lifecycle: Lifecycle | None = None
) -> RiskFactor | None:
    """The ``end of support`` risk factor of ``asset`` as of ``as_of``.

    :data:`ENDED_RISK` points once support has ended, :data:`ENDING_RISK` when it
    ends within :data:`WARNING_MONTHS`; None otherwise, for products not in the
    table, and without a date.
    """
    found = end_of_support(asset, lifecycle)
    if found is None or as_of is None:
        return None
    entry, ends = found
    what = " ".join(part for part in (asset.product, asset.version) if part)
    if ends != entry.ends:
        what += " (ESU)"
    if ends < as_of:
        return RiskFactor("end of support", f"{what}: ended {ends.isoformat()}", ENDED_RISK)
    if ends < add_months(as_of, WARNING_MONTHS):
        return RiskFactor("end of support", f"{what}: ends {ends.isoformat()}", ENDING_RISK)
    return None
