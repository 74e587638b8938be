"""The feed values: what CISA KEV, FIRST EPSS, CVE JSON 5 (Vulnrichment) and CSAF 2.0
say, as read by :mod:`maintlib.vulns.feeds`."""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Mapping
from decimal import Decimal

import attrs

__all__ = [
    "Advisory",
    "AdvisoryProduct",
    "CveRecord",
    "EpssScore",
    "Feeds",
    "KevEntry",
    "Remediation",
    "Ssvc",
]


CVE_ID = re.compile(r"CVE-[0-9]{4}-[0-9]{4,}")


@attrs.frozen
class KevEntry:
    """One entry of the CISA KEV catalog.

    Attributes:
        cve: ``cveID``.
        vendor: ``vendorProject``.
        product: ``product``.
        name: ``vulnerabilityName``.
        date_added: ``dateAdded``: when CISA listed it.
        description: ``shortDescription``.
        required_action: ``requiredAction``: what CISA asks agencies to do.
        due_date: ``dueDate``: CISA's remediation date for federal agencies.
        ransomware: ``knownRansomwareCampaignUse`` (``Known`` or ``Unknown``).
        notes: ``notes`` (vendor advisory links).
        cwes: ``cwes`` (added to the catalog in 2024; empty when absent).
    """

    cve: str
    vendor: str
    product: str
    name: str
    date_added: dt.date
    description: str
    required_action: str
    due_date: dt.date
    ransomware: str = "Unknown"
    notes: str = ""
    cwes: tuple[str, ...] = ()


@attrs.frozen
class EpssScore:
    """A CVE's EPSS probability of exploitation in the next 30 days, and its percentile."""

    cve: str
    epss: Decimal
    percentile: Decimal


class Exploitation(enum.StrEnum):
    """SSVC decision point Exploitation (v1.1.0): evidence of exploitation."""

    NONE = "none"
    POC = "poc"
    ACTIVE = "active"


class TechnicalImpact(enum.StrEnum):
    """SSVC decision point Technical Impact (v1.0.0): control an exploit gives."""

    PARTIAL = "partial"
    TOTAL = "total"


@attrs.frozen
class Ssvc:
    """The SSVC decision points CISA's ADP container publishes for a CVE.

    Attributes:
        exploitation: ``none``, ``poc`` or ``active``.
        automatable: ``yes`` → True: an attacker can automate steps 1–4 of the kill chain.
        technical_impact: ``partial`` or ``total``.
        timestamp: When CISA assessed it.
    """

    exploitation: Exploitation
    automatable: bool
    technical_impact: TechnicalImpact
    timestamp: str = ""

    @property
    def worst(self) -> int:
        """How many decision points are at their worst (active, automatable, total): 0–3."""
        return (
            (self.exploitation is Exploitation.ACTIVE)
            + self.automatable
            + (self.technical_impact is TechnicalImpact.TOTAL)
        )


@attrs.frozen
class CveRecord:
    """What maintlib reads from a CVE JSON 5 record (``cisagov/vulnrichment``).

    Attributes:
        cve: ``cveMetadata.cveId``.
        ssvc: The CISA ADP container's SSVC options, or None when CISA has not
            assessed the CVE.
        kev_added: The ADP container's KEV ``dateAdded``, or None.
        cvss: CVSS vectors from the CNA and ADP ``metrics`` (v3.x and v4.0).
        ranges: Affected versions from the CNA and CISA ``affected`` lists:
            ``(vendor, product, ((version, lessThan, lessThanOrEqual), …))``, only
            entries whose ``status`` is ``affected``.
        published: ``cveMetadata.datePublished`` (the day the CVE, with the
            vendor's fix in a coordinated disclosure, was published), or None.
    """

    cve: str
    ssvc: Ssvc | None = None
    kev_added: dt.date | None = None
    cvss: tuple[str, ...] = ()
    ranges: tuple[tuple[str, str, tuple[tuple[str, str, str], ...]], ...] = ()
    published: dt.date | None = None


@attrs.frozen
class AdvisoryProduct:
    """A product of a CSAF product tree: the full path of branch names, flattened.

    Attributes:
        id: ``product_id``.
        name: ``name`` of the product.
        vendor: The ``vendor`` branch above it.
        product: The ``product_name`` branch above it (or ``product_family``).
        version: The ``product_version`` (or ``service_pack``) branch above it.
        cpe: ``product_identification_helper.cpe``, or "".
    """

    id: str
    name: str
    vendor: str = ""
    product: str = ""
    version: str = ""
    cpe: str = ""


@attrs.frozen
class Remediation:
    """A CSAF remediation: ``vendor_fix``, ``workaround``, ``mitigation``, …"""

    category: str
    details: str
    product_ids: tuple[str, ...] = ()
    url: str = ""


@attrs.frozen
class AdvisoryVulnerability:
    """One entry of a CSAF advisory's ``vulnerabilities``."""

    cve: str
    title: str = ""
    known_affected: tuple[str, ...] = ()
    remediations: tuple[Remediation, ...] = ()
    cvss: tuple[str, ...] = ()


@attrs.frozen
class Advisory:
    """A CSAF 2.0 security advisory.

    Attributes:
        file: The file it was read from (for messages and the unmatched list).
        id: ``document.tracking.id``.
        title: ``document.title``.
        publisher: ``document.publisher.name``.
        released: ``document.tracking.initial_release_date``.
        products: Every product of the product tree, by id.
        vulnerabilities: The advisory's vulnerabilities.
    """

    file: str
    id: str
    title: str
    publisher: str
    released: dt.datetime
    products: Mapping[str, AdvisoryProduct]
    vulnerabilities: tuple[AdvisoryVulnerability, ...]


@attrs.frozen
class Feeds:
    """Everything read from the feeds, indexed by CVE id.

    Attributes:
        kev: KEV entries by CVE id.
        kev_version: The catalog's ``catalogVersion`` ("" without a catalog).
        kev_released: The catalog's ``dateReleased``: entries added that day were
            public from then on. None without a catalog (or a catalog without it).
        epss: EPSS scores by CVE id.
        epss_date: The scores' ``score_date`` ("" without scores).
        records: Vulnrichment records by CVE id.
        advisories: CSAF advisories, by id.
    """

    kev: Mapping[str, KevEntry] = attrs.field(factory=dict)
    kev_version: str = ""
    kev_released: dt.datetime | None = None
    epss: Mapping[str, EpssScore] = attrs.field(factory=dict)
    epss_date: str = ""
    records: Mapping[str, CveRecord] = attrs.field(factory=dict)
    advisories: tuple[Advisory, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.kev or self.epss or self.records or self.advisories)
