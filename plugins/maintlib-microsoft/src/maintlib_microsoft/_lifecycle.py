"""End of support: Microsoft products' lifecycle dates, the duty to upgrade or
replace in time, and the risk of running close to (or past) the end.

An asset is matched by ``vendor`` (``Microsoft…``), ``product`` and ``version``
exactly as the README's "Inventory conventions" say (``product = "Windows
Server"``, ``version = "2016"``). Assets tagged ``esu`` (enrolled in Extended
Security Updates) are measured against the ESU end where Microsoft sells ESU.
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
    Deadlines,
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
)
from maintlib_microsoft._sources import (
    ENDOFLIFE_EXCHANGE,
    ENDOFLIFE_SQL,
    ENDOFLIFE_WINDOWS,
    ENDOFLIFE_WINDOWS_SERVER,
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
    """

    products: tuple[str, ...]
    version: str | None
    ends: dt.date
    source: str
    confidence: str
    esu_ends: dt.date | None = None
    client: bool = False

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


D = dt.date


def _row(
    product: str, version: str, ends: dt.date, source: str, confidence: str, esu: dt.date | None
) -> EndOfSupport:
    return EndOfSupport((product,), version, ends, source, confidence, esu)


def _server(
    version: str, ends: dt.date, confidence: str, esu: dt.date | None = None
) -> EndOfSupport:
    return _row("Windows Server", version, ends, _SERVER, confidence, esu)


def _exchange(version: str) -> EndOfSupport:
    return _row(
        "Exchange Server", version, D(2025, 10, 14), ENDOFLIFE_EXCHANGE, "Medium", D(2026, 10, 13)
    )


def _sql(version: str, ends: dt.date, esu: dt.date | None = None) -> EndOfSupport:
    return _row("SQL Server", version, ends, ENDOFLIFE_SQL, "Medium", esu)


def _windows_11(
    version: str, home_pro: dt.date, business: dt.date, business_confidence: str = "Medium"
) -> tuple[EndOfSupport, EndOfSupport]:
    # Home/Pro get 24 months per release, Enterprise/Education 36 (RELEASE_CYCLE).
    return (
        EndOfSupport(WINDOWS_11_HOME_PRO, version, home_pro, _W11, "Medium", client=True),
        EndOfSupport(
            WINDOWS_11_BUSINESS, version, business, _W11, business_confidence, client=True
        ),
    )


#: The lifecycle table; each row's source and confidence also stand in the README.
END_OF_SUPPORT: tuple[EndOfSupport, ...] = (
    # Windows Server: extended support end; ESU where Microsoft sold or sells it.
    _server("2008", D(2020, 1, 14), "Medium", esu=D(2023, 1, 10)),
    _server("2008 R2", D(2020, 1, 14), "Medium", esu=D(2023, 1, 10)),
    _server("2012", D(2023, 10, 10), "Medium", esu=D(2026, 10, 13)),
    _server("2012 R2", D(2023, 10, 10), "Medium", esu=D(2026, 10, 13)),
    # 2027-01-12 on Microsoft's lifecycle page; an old release-information page said
    # 2027-01-11. A 2016 ESU offer is UNCONFIRMED, so no ESU end here.
    _server("2016", D(2027, 1, 12), "Medium"),
    _server("2019", D(2029, 1, 9), "High"),
    _server("2022", D(2031, 10, 14), "High"),
    _server("2025", D(2034, 10, 10), "Medium"),
    # Windows 10 22H2, every mainstream edition: 2025-10-14 (High). Commercial ESU up
    # to 2028-10-10 (Medium, secondary sources). Earlier versions ended earlier still.
    EndOfSupport(
        WINDOWS_10,
        None,
        D(2025, 10, 14),
        " and ".join(_W10),
        "High",
        esu_ends=D(2028, 10, 10),
        client=True,
    ),
    *_windows_11("22H2", D(2024, 10, 8), D(2025, 10, 14)),
    *_windows_11("23H2", D(2025, 11, 11), D(2026, 11, 10)),
    *_windows_11("24H2", D(2026, 10, 13), D(2027, 10, 12)),
    # 25H2 Enterprise/Education: computed as the second Tuesday of October 2028 (36
    # months); one secondary page says 2028-09-30. UNCONFIRMED.
    *_windows_11("25H2", D(2027, 10, 12), D(2028, 10, 10), "UNCONFIRMED"),
    # Exchange 2016 and 2019 both ended 2025-10-14 (Exchange Team blog, as quoted by
    # endoflife.date and others). The paid ESU ran to 2026-04-14 ("period 1"); Microsoft
    # then announced a second six-month period, May through October 2026, for servers
    # enrolled in the first (Exchange Team blog, as reported by windowsnews.ai and others,
    # Medium): the end is taken as October 2026's Patch Tuesday, 2026-10-13 (UNCONFIRMED day).
    # Exchange Server SE follows the Modern Lifecycle: no end date, so no row.
    _exchange("2016"),
    _exchange("2019"),
    # SQL Server: extended support end; ESU end where sold (endoflife.date, Medium).
    _sql("2014", D(2024, 7, 9), esu=D(2027, 7, 12)),
    _sql("2016", D(2026, 7, 14), esu=D(2029, 7, 17)),
    _sql("2017", D(2027, 10, 12)),
    _sql("2019", D(2030, 1, 8)),
    _sql("2022", D(2033, 1, 11)),
    _sql("2025", D(2036, 1, 6)),
)


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
                f"{entry.source} ({entry.confidence}): servicing of {what} ends"
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
        citation=f"{entry.source} ({entry.confidence}): {kind} for {what} ends {ends.isoformat()}",
    )


def lifecycle_rules() -> list[Rule]:
    """One ``upgrade-or-replace`` rule per product name and version (and its ESU twin).

    Each is due once, from :data:`WARNING_MONTHS` before the end, with the end as
    its deadline; past the end, within :data:`PAST_END_DEADLINES`.
    """
    rules = []
    for entry in END_OF_SUPPORT:
        for product in entry.products:
            rules.append(_rule(entry, product, esu=False))
            if entry.esu_ends is not None:
                rules.append(_rule(entry, product, esu=True))
    return rules


def patch_end_rules(patch_rules: Iterable[Rule]) -> list[Rule]:
    """Patching ends with support: a twin of each release-anchored patch rule per
    server product version, ending at that version's end (or ESU end, tagged ``esu``).

    Nothing ships after the end, so there is nothing to install; the end-of-support
    rules plan the upgrade instead. A twin names the product and version, so it is
    more specific than the rule it copies and replaces it for those assets.
    """
    found = []
    for entry in END_OF_SUPPORT:
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
                                f" {what}: {entry.source} ({entry.confidence})"
                            ),
                        )
                    )
    return found


def end_of_support(asset: Asset) -> tuple[EndOfSupport, dt.date] | None:
    """The lifecycle row ``asset`` matches and the end that applies to it, or None."""
    # Every row's selectors name Microsoft: an asset of another vendor matches none.
    if not Selector(vendor=VENDOR).matches(asset, Category.OTHER):
        return None
    for entry, selectors in _row_selectors():
        # Lifecycle selectors name no kinds or categories: the category is not consulted.
        if any(selector.matches(asset, Category.OTHER) for selector in selectors):
            return entry, entry.end_for(asset)
    return None


@functools.cache
def _row_selectors() -> tuple[tuple[EndOfSupport, tuple[Selector, ...]], ...]:
    """Each lifecycle row with the selectors of its products, made once."""
    return tuple(
        (entry, tuple(entry.selector(product, esu=False) for product in entry.products))
        for entry in END_OF_SUPPORT
    )


def support_risk(asset: Asset, as_of: dt.date | None) -> RiskFactor | None:
    """The ``end of support`` risk factor of ``asset`` as of ``as_of``.

    :data:`ENDED_RISK` points once support has ended, :data:`ENDING_RISK` when it
    ends within :data:`WARNING_MONTHS`; None otherwise, for products not in the
    table, and without a date.
    """
    found = end_of_support(asset)
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
