"""The vulnerability values: feeds matched to assets (:class:`Match`, :class:`Unmatched`),
findings, deadline policies and their rulings, emergencies and the plan's vulnerability
report. The verbs that make them live in :mod:`maintlib.vulns`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import attrs

from maintlib.model.feeds import EpssScore, KevEntry, Ssvc
from maintlib.model.inventory import Asset
from maintlib.model.vocabulary import Exposure

__all__ = [
    "Assessment",
    "Assessments",
    "Emergency",
    "Finding",
    "KevExposure",
    "Match",
    "Ruling",
    "Unmatched",
    "VulnerabilityPolicy",
    "VulnerabilityReport",
]


@attrs.frozen
class Emergency:
    """What makes a duty emergency work.

    Attributes:
        vulnerabilities: The CVE ids the work is about.
        ruling: The ruling that set the deadline.
        rulings: Every policy's ruling (for ``explain``).
    """

    vulnerabilities: tuple[str, ...]
    ruling: Ruling
    rulings: tuple[Ruling, ...] = ()

    def policy_json(self) -> dict[str, object]:
        """The plan JSON's ``policy``: the deciding ruling."""
        return self.ruling.to_json()


@attrs.frozen
class KevExposure:
    """An asset with a KEV-listed CVE, and where its remediation stands.

    Attributes:
        asset: The asset id.
        cve: The CVE id.
        deadline: The deciding ruling's deadline (its last day), or None.
        days_left: Days from the plan's first day to the deadline (negative: overdue).
        status: ``on_time`` (remediation planned by the deadline), ``late`` (planned
            after it), ``overdue`` (the deadline passed before the plan starts),
            ``unplaced``, ``not_in_horizon`` or ``no_deadline``.
        task: The remediation task's uid, or None.
        version_unknown: Matched by name only (:attr:`Match.name_only`): the asset's
            version is not known, or no source excludes it.
    """

    asset: str
    cve: str
    deadline: dt.date | None
    days_left: int | None
    status: str
    task: str | None
    version_unknown: bool = False

    def to_json(self) -> dict[str, Any]:
        """The entry in the plan JSON's ``vulnerabilities.exposures``."""
        return {
            "asset": self.asset,
            "cve": self.cve,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "days_left": self.days_left,
            "status": self.status,
            "task": self.task,
            "version_unknown": self.version_unknown,
        }


@attrs.frozen
class VulnerabilityReport:
    """The vulnerability part of a plan: policies used, KEV exposures, what matched nothing."""

    policies: tuple[str, ...]
    exposures: tuple[KevExposure, ...]
    unmatched: tuple[Unmatched, ...]
    feeds: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """``{"policies", "feeds", "exposures", "unmatched"}``."""
        return {
            "policies": list(self.policies),
            "feeds": list(self.feeds),
            "exposures": [e.to_json() for e in self.exposures],
            "unmatched": [
                {"source": u.source, "cve": u.cve, "reason": u.reason} for u in self.unmatched
            ],
        }


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
        name_only: Matched by vendor and product name alone: the KEV lists no
            versions, and no source says the asset's version is not affected (or
            the asset has none). The emergency work checks the version first.
    """

    asset: str
    cve: str
    via: str
    advisory: str = ""
    remediation: str = ""
    name_only: bool = False


@attrs.frozen
class Unmatched:
    """Something a feed says that applies to no asset (or might: see ``reason``)."""

    source: str
    cve: str
    reason: str


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
        known_at: The moment it became public, where a feed says (the KEV catalog's
            release for an entry added that day, the CSAF advisory's release time);
            None: the start of ``known_since``. Nothing is planned before it.
        name_only: Matched by name alone (:attr:`Match.name_only`).
        fix_released: The day the vendor's fix was released, where a source gives
            it (the CSAF advisory's release, the CVE record's publication), or None.
        fix_source: Which source gave ``fix_released``.
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
    known_at: dt.datetime | None = None
    name_only: bool = False
    fix_released: dt.date | None = None
    fix_source: str = ""

    @property
    def kev_listed(self) -> bool:
        """Whether the CVE is in CISA's KEV catalog."""
        return self.kev is not None

    @property
    def exposed(self) -> bool:
        """Whether the asset is publicly exposed (``exposure = "internet"``)."""
        return self.asset.exposure is Exposure.INTERNET


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
