"""Vulnerabilities of the inventory's assets: matched, enriched, and given a deadline.

The stage between the feeds and the emergency work (``docs/vulnerabilities.md``):

1. **Match** (:func:`match`): the asset's own CVE list, CVE records whose affected
   vendor/product/version range covers the asset, and CSAF advisories whose
   affected products (vendor/product/version, or CPE) are the asset's. Advisories
   that match no asset are reported, never dropped.
2. **Enrich**: each match becomes a :class:`Finding` with the KEV entry, EPSS
   score, SSVC decision points and the highest CVSS base score known for the CVE.
3. **Rule** (:func:`assess`): every chosen :class:`VulnerabilityPolicy` — the
   built-in ``bod-26-04``, ``pci-dss-4``, ``bio``, ``cis-v8``, ``cvss-bands`` or a
   pack's — gives a :class:`Ruling`; a KEV entry's own ``dueDate`` is one too. The
   strictest deadline wins (ties: policy id, then criterion — never the order
   the policies were chosen in).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal

import attrs

from maintlib.exceptions import InputError, Problem
from maintlib.feeds import (
    Advisory,
    CveRecord,
    EpssScore,
    Feeds,
    KevEntry,
    Ssvc,
    TechnicalImpact,
)
from maintlib.inventory import Asset, Inventory, cvss_base_score
from maintlib.model import Exposure

__all__ = [
    "BOD_26_04_CITATION",
    "Assessment",
    "Assessments",
    "Finding",
    "Match",
    "Ruling",
    "Unmatched",
    "VulnerabilityPolicy",
    "assess",
    "builtin_policies",
    "chosen_policies",
    "match",
    "normalise",
    "strictest",
]


def normalise(text: str) -> str:
    """A vendor, product or version as matching compares it.

    Case-insensitive; runs of spaces, ``_`` and ``-`` count as one space
    (``"FortiOS"``, ``"fortios"``; ``"IOS XE"``, ``"ios-xe"``). The one place
    matching normalises names, so that a richer normalisation can replace it.
    """
    return re.sub(r"[\s_\-]+", " ", text.casefold()).strip()


# -- matching ------------------------------------------------------------------------


@attrs.frozen
class Match:
    """A CVE that applies to an asset, and how maintlib knows.

    Attributes:
        asset: The asset's id.
        cve: The CVE id.
        via: How it was matched: ``inventory``, ``CVE record (vendor/product/version)``,
            ``CSAF BSI-2022-0001 product CSAFPID-0001 (cpe)``.
        advisory: The CSAF advisory id, or "".
        remediation: The advisory's remediation for the product, or "".
    """

    asset: str
    cve: str
    via: str
    advisory: str = ""
    remediation: str = ""


@attrs.frozen
class Unmatched:
    """Something a feed says that applies to no asset (or might: see ``reason``)."""

    source: str
    cve: str
    reason: str


def _version_key(version: str) -> tuple[int, ...] | None:
    parts = re.findall(r"\d+", version)
    if not parts or not re.fullmatch(r"[vV]?\d+(\.\d+)*", version.strip()):
        return None
    return tuple(int(p) for p in parts)


def _in_range(version: str, lower: str, less_than: str, at_most: str) -> bool:
    """Whether ``version`` lies in ``[lower, less_than)`` or ``[lower, at_most]``.

    Dotted numeric versions are compared numerically; anything else only by
    equality with ``lower``.
    """
    key, low = _version_key(version), _version_key(lower)
    if key is None or low is None:
        return normalise(version) == normalise(lower)
    if key < low:
        return False
    if less_than and (high := _version_key(less_than)) is not None:
        return key < high
    if at_most and (high := _version_key(at_most)) is not None:
        return key <= high
    return key == low


def _record_matches(record: CveRecord, asset: Asset) -> bool:
    if not (asset.vendor and asset.product and asset.version):
        return False
    for vendor, product, ranges in record.ranges:
        if normalise(vendor) != normalise(asset.vendor):
            continue
        if normalise(product) != normalise(asset.product):
            continue
        if any(_in_range(asset.version, *bounds) for bounds in ranges):
            return True
    return False


def _cpe_key(cpe: str) -> tuple[str, ...]:
    """``(part, vendor, product, version)`` of a CPE 2.3 string or a CPE 2.2 URI."""
    if cpe.startswith("cpe:2.3:"):
        fields = cpe[8:].split(":")
    elif cpe.startswith("cpe:/"):
        fields = cpe[5:].split(":")
    else:
        return ()
    return tuple(normalise(f) for f in [*fields, "", "", "", ""][:4])


def _advisory_matches(advisory: Advisory, asset: Asset) -> Iterable[tuple[str, str, str, str]]:
    """``(cve, product id, how, remediation)`` for each vulnerability hitting the asset."""
    for vulnerability in advisory.vulnerabilities:
        for product_id in vulnerability.known_affected:
            product = advisory.products.get(product_id)
            if product is None:
                continue
            how = ""
            if asset.cpe and product.cpe and _cpe_key(asset.cpe) == _cpe_key(product.cpe):
                how = "cpe"
            elif (
                asset.vendor
                and asset.product
                and normalise(product.vendor) == normalise(asset.vendor)
                and normalise(product.product) == normalise(asset.product)
                and normalise(product.version) == normalise(asset.version)
            ):
                how = "vendor/product/version"
            if not how:
                continue
            fixes = [
                r
                for r in vulnerability.remediations
                if not r.product_ids or product_id in r.product_ids
            ]
            fixes.sort(key=lambda r: (r.category != "vendor_fix", r.category))
            remediation = f"{fixes[0].details} ({fixes[0].category})" if fixes else ""
            yield vulnerability.cve, product_id, how, remediation
            break


def match(inventory: Inventory, feeds: Feeds) -> tuple[tuple[Match, ...], tuple[Unmatched, ...]]:
    """Every CVE that applies to an asset, and what the feeds say that applies to none.

    Returns:
        The matches, by asset then CVE (one per asset and CVE: the first way found
        — inventory, then CVE record, then CSAF by advisory id), and the unmatched:
        CSAF vulnerabilities no asset has, and KEV entries whose vendor and product
        are an asset's but whose CVE no source ties to it (KEV lists no versions:
        add the CVE to the asset if it applies).
    """
    found: dict[tuple[str, str], Match] = {}

    def add(item: Match) -> None:
        found.setdefault((item.asset, item.cve), item)

    for asset in inventory.assets:
        for vulnerability in asset.vulnerabilities:
            add(Match(asset.id, vulnerability.id, "inventory"))
        for record in feeds.records.values():
            if _record_matches(record, asset):
                add(Match(asset.id, record.cve, "CVE record (vendor/product/version)"))
    unmatched: list[Unmatched] = []
    for advisory in feeds.advisories:
        hit: set[str] = set()
        for asset in inventory.assets:
            for cve, product_id, how, remediation in _advisory_matches(advisory, asset):
                hit.add(cve)
                add(
                    Match(
                        asset.id,
                        cve,
                        f"CSAF {advisory.id} product {product_id} ({how})",
                        advisory.id,
                        remediation,
                    )
                )
        for entry in advisory.vulnerabilities:
            if entry.cve not in hit:
                unmatched.append(
                    Unmatched(
                        f"CSAF {advisory.id} ({advisory.file})",
                        entry.cve,
                        "no asset has an affected product (vendor/product/version or CPE)",
                    )
                )
    matched = {cve for _, cve in found}
    products = {
        (normalise(a.vendor), normalise(a.product)): a.id
        for a in inventory.assets
        if a.vendor and a.product
    }
    for cve, listed in feeds.kev.items():
        owner = products.get((normalise(listed.vendor), normalise(listed.product)))
        if owner is not None and cve not in matched:
            unmatched.append(
                Unmatched(
                    "KEV",
                    cve,
                    f"{listed.vendor} {listed.product} is the product of {owner}, but no source"
                    " says its version is affected; list the CVE on the asset if it is",
                )
            )
    return tuple(found[key] for key in sorted(found)), tuple(
        sorted(unmatched, key=lambda u: (u.cve, u.source))
    )


# -- findings ----------------------------------------------------------------------


@attrs.frozen
class Finding:
    """A vulnerability on an asset, with everything the feeds say about it.

    Attributes:
        asset: The asset.
        cve: The CVE id.
        via: How it was matched.
        known_since: The day it became known: the KEV ``dateAdded`` or the CSAF
            advisory's release, whichever is earlier; else the assessment day.
            Policies count their days from it.
        kev: The KEV entry, or None (not listed).
        epss: The EPSS score, or None.
        ssvc: CISA's SSVC decision points, or None (not assessed).
        cvss: The highest CVSS base score of the vectors known (the asset's, the
            CVE record's, the advisory's), or None.
        remediation: What to do: the KEV ``requiredAction`` or the CSAF remediation.
        advisory: The CSAF advisory id, or "".
    """

    asset: Asset
    cve: str
    via: str
    known_since: dt.date
    kev: KevEntry | None = None
    epss: EpssScore | None = None
    ssvc: Ssvc | None = None
    cvss: Decimal | None = None
    remediation: str = ""
    advisory: str = ""

    @property
    def kev_listed(self) -> bool:
        """Whether the CVE is in CISA's KEV catalog."""
        return self.kev is not None

    @property
    def exposed(self) -> bool:
        """Whether the asset is publicly exposed (``exposure = "internet"``)."""
        return self.asset.exposure is Exposure.INTERNET


def _findings(
    inventory: Inventory, feeds: Feeds, matches: Sequence[Match], as_of: dt.date
) -> list[Finding]:
    released = {a.id: a.released.date() for a in feeds.advisories}
    advisory_vectors = {(a.id, v.cve): v.cvss for a in feeds.advisories for v in a.vulnerabilities}
    result = []
    for item in matches:
        asset = inventory.asset(item.asset)
        kev = feeds.kev.get(item.cve)
        record = feeds.records.get(item.cve)
        vectors = [v.cvss for v in asset.vulnerabilities if v.id == item.cve and v.cvss]
        vectors += record.cvss if record else ()
        vectors += advisory_vectors.get((item.advisory, item.cve), ())
        scores = [cvss_base_score(v) for v in vectors if v]
        dates = [d for d in (kev.date_added if kev else None, released.get(item.advisory)) if d]
        result.append(
            Finding(
                asset=asset,
                cve=item.cve,
                via=item.via,
                known_since=min(dates) if dates else as_of,
                kev=kev,
                epss=feeds.epss.get(item.cve),
                ssvc=record.ssvc if record else None,
                cvss=max(scores) if scores else None,
                remediation=item.remediation or (kev.required_action if kev else ""),
                advisory=item.advisory,
            )
        )
    return result


# -- policies ----------------------------------------------------------------------


@attrs.frozen
class Ruling:
    """What one policy says about one finding.

    Attributes:
        policy: The policy's id.
        criterion: The row or clause that applies, in words.
        days: Days allowed from ``anchor``, or None: the policy sets no deadline
            (BOD 26-04's "next upgrade", PCI's entity-defined time frame).
        anchor: The day the days count from.
        triage: Whether forensic triage is required before remediation.
        assumed: What was assumed for missing data (worst case), in words.
        citation: Where the rule comes from.
    """

    policy: str
    criterion: str
    days: int | None
    anchor: dt.date
    triage: bool = False
    assumed: tuple[str, ...] = ()
    citation: str = ""

    @property
    def deadline(self) -> dt.date | None:
        """The last day allowed (work must start by its end), or None."""
        return None if self.days is None else self.anchor + dt.timedelta(days=self.days)

    def to_json(self) -> dict[str, object]:
        """``{"id", "criterion", "days", "deadline", "triage", "assumed", "citation"}``."""
        return {
            "id": self.policy,
            "criterion": self.criterion,
            "days": self.days,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "triage": self.triage,
            "assumed": list(self.assumed),
            "citation": self.citation,
        }


@attrs.frozen
class VulnerabilityPolicy:
    """A deadline policy for vulnerabilities, returned by ``maintlib_deadline_policies``.

    Attributes:
        id: How inventories choose it (``bod-26-04``).
        name: Its title.
        citation: The document it encodes.
        decide: The rule: a finding in, a ruling out (None: the policy does not
            apply to the finding).
        pack: The pack that contributed it (set when the catalog is built).
    """

    id: str
    name: str
    citation: str
    decide: Callable[[Finding], Ruling | None] = attrs.field(eq=False, repr=False)
    pack: str = ""


_WORST = "no CISA SSVC assessment: automatable and total technical impact assumed (worst case)"
_NO_CVSS = "no CVSS score known: critical assumed (worst case)"


def _ssvc_or_worst(finding: Finding) -> tuple[bool, bool, tuple[str, ...]]:
    """``(automatable, total, assumed)``; missing SSVC counts as the worst case."""
    if finding.ssvc is None:
        return True, True, (_WORST,)
    return (
        finding.ssvc.automatable,
        finding.ssvc.technical_impact is TechnicalImpact.TOTAL,
        (),
    )


#: BOD 26-04 Table 1, as far as public material confirms it. Key: (publicly
#: exposed, KEV-listed, automatable, total technical impact) → (days or None for
#: "next upgrade", forensic triage, how sure). The directive's own table was not
#: in the material available; see docs/vulnerabilities.md for each source.
BOD_26_04_CITATION = (
    "CISA BOD 26-04 'Prioritizing Security Updates Based on Risk' (2026-06-10), Table 1:"
    " Remediation Timelines, as reported by secondary sources; rows marked UNCONFIRMED"
    " are maintlib's reconstruction"
)


def _bod_26_04_row(
    exposed: bool, kev: bool, auto: bool, total: bool
) -> tuple[int | None, bool, str]:
    # All four criteria: 3 days and forensic triage (CISA press coverage: cybernoz,
    # CyberScoop via broadside.deepfathom.ai, ctipilot.ch). Exposed, total control and
    # KEV or automatable: the "three rows" with 3 days and triage (mallory.ai's
    # reading of Table 1).
    if exposed and total and (kev or auto):
        return 3, True, "confirmed by secondary sources"
    # Exposed, KEV, automatable, partial control: 3 days without triage (netrise.io:
    # "total or partial control"; cisowhisperer.com: "some control over internet-facing").
    if exposed and kev and auto:
        return 3, False, "secondary sources only"
    # The rest of the table: the bands are 14 days, 60 days and "next upgrade"
    # (every source), but which rows fall in which band was not found: UNCONFIRMED.
    if kev:
        return 14, False, "UNCONFIRMED"
    if (exposed and (auto or total)) or (auto and total):
        return 60, False, "UNCONFIRMED"
    return None, False, "UNCONFIRMED"


def _bod_26_04(finding: Finding) -> Ruling:
    auto, total, assumed = _ssvc_or_worst(finding)
    exposed, kev = finding.exposed, finding.kev_listed
    days, triage, confidence = _bod_26_04_row(exposed, kev, auto, total)
    words = [
        "publicly exposed" if exposed else "not publicly exposed",
        "in the KEV" if kev else "not in the KEV",
        "automatable" if auto else "not automatable",
        "total technical impact" if total else "partial technical impact",
    ]
    outcome = f"{days} days" if days is not None else "next upgrade"
    if triage:
        outcome += " and forensic triage"
    return Ruling(
        "bod-26-04",
        f"Table 1: {', '.join(words)} → {outcome} ({confidence})",
        days,
        finding.known_since,
        triage,
        assumed,
        BOD_26_04_CITATION,
    )


def _critical(finding: Finding) -> tuple[bool, tuple[str, ...]]:
    if finding.cvss is None:
        return True, (_NO_CVSS,)
    return finding.cvss >= Decimal("9.0"), ()


def _pci_dss_4(finding: Finding) -> Ruling:
    critical, assumed = _critical(finding)
    critical = critical or finding.kev_listed
    if not critical:
        return Ruling(
            "pci-dss-4",
            f"6.3.3: not critical (CVSS {finding.cvss}): the entity's own time frame",
            None,
            finding.known_since,
            citation="PCI DSS v4.0.1 requirement 6.3.3",
        )
    why = "KEV-listed" if finding.kev_listed else f"CVSS {finding.cvss or 'unknown'}"
    return Ruling(
        "pci-dss-4",
        f"6.3.3: critical ({why}): installed within one month of release (30 days)",
        30,
        finding.known_since,
        assumed=assumed if not finding.kev_listed else (),
        citation="PCI DSS v4.0.1 requirement 6.3.3",
    )


#: EPSS probability from which BIO's "high likelihood" is assumed (maintlib's choice).
BIO_EPSS = Decimal("0.1")


def _bio(finding: Finding) -> Ruling:
    _, total, assumed = _ssvc_or_worst(finding)
    exploited = finding.kev_listed or (
        finding.ssvc is not None and finding.ssvc.exploitation.value == "active"
    )
    likely = exploited or (finding.epss is not None and finding.epss.epss >= BIO_EPSS)
    if finding.ssvc is None and finding.epss is None and not finding.kev_listed:
        likely = True
        assumed = (*assumed, "no KEV, EPSS or SSVC data: high likelihood assumed (worst case)")
    _, missing = _critical(finding)
    damage = total or (finding.cvss is not None and finding.cvss >= Decimal("7.0")) or bool(missing)
    citation = (
        "BIO2 8.08.01 (earlier BIO 12.6.1.1): patches within one week when likelihood"
        " and damage are high"
    )
    if likely and damage:
        return Ruling(
            "bio",
            "8.08.01: high likelihood and high damage → within one week",
            7,
            finding.known_since,
            assumed=(*assumed, *missing),
            citation=citation,
        )
    return Ruling(
        "bio",
        "8.08.01: not both high likelihood and high damage: no term set",
        None,
        finding.known_since,
        citation=citation,
    )


def _cis_v8(finding: Finding) -> Ruling:
    return Ruling(
        "cis-v8",
        "safeguards 7.3/7.4: operating system and application patches monthly or more often",
        30,
        finding.known_since,
        citation="CIS Controls v8, safeguards 7.3 and 7.4",
    )


#: CVSS bands: (lowest score, band, days, source).
CVSS_BANDS = (
    (Decimal("9.0"), "critical", 15, "BOD 19-02 (revoked by BOD 26-04): critical within 15 days"),
    (Decimal("7.0"), "high", 30, "BOD 19-02 (revoked by BOD 26-04): high within 30 days"),
    (Decimal("4.0"), "medium", 90, "maintlib default"),
    (Decimal("0.0"), "low", 180, "maintlib default"),
)


def _cvss_bands(finding: Finding) -> Ruling:
    score = finding.cvss if finding.cvss is not None else Decimal("10.0")
    assumed = (_NO_CVSS,) if finding.cvss is None else ()
    for low, band, days, source in CVSS_BANDS:
        if score >= low:
            return Ruling(
                "cvss-bands",
                f"CVSS {finding.cvss or 'unknown'}: {band} → {days} days ({source})",
                days,
                finding.known_since,
                assumed=assumed,
                citation="CVSS v3.1/v4.0 qualitative severity bands (FIRST)",
            )
    raise AssertionError("the lowest band starts at 0")


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


def builtin_policies() -> list[VulnerabilityPolicy]:
    """The built-in vulnerability deadline policies (``docs/vulnerabilities.md``)."""
    return [
        VulnerabilityPolicy("bod-26-04", "CISA BOD 26-04", BOD_26_04_CITATION, _bod_26_04),
        VulnerabilityPolicy(
            "pci-dss-4", "PCI DSS v4.0.1 req. 6.3.3", "PCI DSS v4.0.1 6.3.3", _pci_dss_4
        ),
        VulnerabilityPolicy(
            "bio", "Baseline Informatiebeveiliging Overheid (BIO2)", "BIO2 8.08.01", _bio
        ),
        VulnerabilityPolicy("cis-v8", "CIS Controls v8 7.3/7.4", "CIS Controls v8", _cis_v8),
        VulnerabilityPolicy(
            "cvss-bands", "CVSS severity bands", "FIRST CVSS; BOD 19-02", _cvss_bands
        ),
    ]


def strictest(rulings: Iterable[Ruling]) -> Ruling | None:
    """The ruling with the earliest deadline; ties by policy id, then criterion.

    Rulings without a deadline never win. The result does not depend on the
    order of ``rulings``.
    """
    dated = [r for r in rulings if r.deadline is not None]
    if not dated:
        return None
    return min(dated, key=lambda r: (r.deadline, r.policy, r.criterion))


# -- the stage ------------------------------------------------------------------------


@attrs.frozen
class Assessment:
    """A finding, every ruling on it, and the one that sets its deadline."""

    finding: Finding
    rulings: tuple[Ruling, ...]
    deciding: Ruling | None

    @property
    def triage(self) -> bool:
        """Whether any ruling asks for forensic triage."""
        return any(r.triage for r in self.rulings)


@attrs.frozen
class Assessments:
    """What :func:`assess` returns: every assessment, and the unmatched."""

    assessments: tuple[Assessment, ...] = ()
    unmatched: tuple[Unmatched, ...] = ()
    policies: tuple[str, ...] = ()

    def of(self, asset_id: str) -> tuple[Assessment, ...]:
        """The assessments of one asset, by CVE."""
        return tuple(a for a in self.assessments if a.finding.asset.id == asset_id)


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
    from maintlib.catalog import did_you_mean

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
) -> Assessments:
    """Match the feeds to the assets and rule on every finding.

    Args:
        inventory: The inventory.
        feeds: What the feeds say (may be empty: the assets' own CVE lists still count).
        policies: The chosen policies; the KEV ``dueDate`` always counts as well.
        as_of: The assessment day: the ``known_since`` of a finding no feed dates.
    """
    matches, unmatched = match(inventory, feeds)
    assessments = []
    for finding in _findings(inventory, feeds, matches, as_of):
        rulings = [r for p in policies if (r := p.decide(finding)) is not None]
        if (kev := _kev_due_date(finding)) is not None:
            rulings.append(kev)
        rulings.sort(key=lambda r: (r.policy, r.criterion))
        assessments.append(Assessment(finding, tuple(rulings), strictest(rulings)))
    return Assessments(tuple(assessments), unmatched, tuple(p.id for p in policies))
