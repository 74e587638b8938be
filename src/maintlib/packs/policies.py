"""The built-in vulnerability deadline policies: BOD 26-04, PCI DSS 4.0, BIO, CIS v8 and
CVSS bands, as rulings over a finding (``docs/vulnerabilities.md``)."""

from __future__ import annotations

from decimal import Decimal

from maintlib.model.feeds import TechnicalImpact
from maintlib.model.vulnerabilities import Finding, Ruling, VulnerabilityPolicy

__all__ = ["BOD_26_04_CITATION", "BOD_26_04_OUTCOMES", "BOD_26_04_TABLE", "builtin_policies"]


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


#: Where the table comes from. CERT/CC publishes CISA's Table 1 as an SSVC decision
#: table; its package (``certcc-ssvc``) needs Python >= 3.12, so the 16 rows are copied
#: below. When maintlib requires Python >= 3.12, read them from
#: ``ssvc.decision_tables.cisa.bod_2604_dt.BOD_26_04`` instead.
BOD_26_04_CITATION = (
    "CISA BOD 26-04 'Prioritizing Security Updates Based on Risk' (2026-06-10), Table 1:"
    " Remediation Timelines, as CERT/CC's SSVC decision table BOD2604 1.0.0"
    " (github.com/CERTCC/SSVC src/ssvc/decision_tables/cisa/bod_2604_dt.py)"
)

#: The outcomes of BOD2604 1.0.0 (src/ssvc/outcomes/cisa/bod2604.py): key → (days, or
#: None for "remediated the next time the vulnerable asset receives a scheduled major
#: upgrade or rebuild"; forensic triage "to assess whether the system is compromised").
BOD_26_04_OUTCOMES: dict[str, tuple[int | None, bool]] = {
    "FSU": (None, False),
    "60D": (60, False),
    "14D": (14, False),
    "3D": (3, False),
    "3DF": (3, True),
}

#: BOD2604 1.0.0's mapping, row by row as CERT/CC publishes it: (in the KEV, publicly
#: exposed, automatable, total technical impact) → outcome key.
BOD_26_04_TABLE: dict[tuple[bool, bool, bool, bool], str] = {
    (False, False, False, False): "FSU",
    (True, False, False, False): "14D",
    (False, True, False, False): "60D",
    (False, False, True, False): "60D",
    (False, False, False, True): "FSU",
    (True, True, False, False): "14D",
    (True, False, True, False): "14D",
    (False, True, True, False): "14D",
    (True, False, False, True): "14D",
    (False, True, False, True): "14D",
    (False, False, True, True): "60D",
    (True, True, True, False): "3D",
    (True, True, False, True): "3DF",
    (True, False, True, True): "3DF",
    (False, True, True, True): "3D",
    (True, True, True, True): "3DF",
}


def _bod_26_04(finding: Finding) -> Ruling:
    auto, total, assumed = _ssvc_or_worst(finding)
    exposed, kev = finding.exposed, finding.kev_listed
    outcome = BOD_26_04_TABLE[(kev, exposed, auto, total)]
    days, triage = BOD_26_04_OUTCOMES[outcome]
    words = [
        "publicly exposed" if exposed else "not publicly exposed",
        "in the KEV" if kev else "not in the KEV",
        "automatable" if auto else "not automatable",
        "total technical impact" if total else "partial technical impact",
    ]
    result = f"{days} days" if days is not None else "fix on the next scheduled upgrade"
    if triage:
        result += " and forensic triage"
    return Ruling(
        "bod-26-04",
        f"Table 1: {', '.join(words)} → {result} ({outcome})",
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
    # 6.3.3 counts "within one month of release": the fix's release where a source
    # gives it, else the day the vulnerability became known (the KEV dateAdded).
    if finding.fix_released is not None:
        anchor, since = finding.fix_released, f"the fix's release ({finding.fix_source})"
    else:
        anchor, since = finding.known_since, "the day it became known (no release date known)"
    return Ruling(
        "pci-dss-4",
        f"6.3.3: critical ({why}): installed within one month of release (30 days from {since})",
        30,
        anchor,
        assumed=assumed if not finding.kev_listed else (),
        citation="PCI DSS v4.0.1 requirement 6.3.3",
    )


#: EPSS probability from which BIO's "high likelihood" is assumed: maintlib's choice
#: (UNCONFIRMED as a reading of BIO2, which sets no number).
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
        " and damage are high (control number and wording UNCONFIRMED: the current BIO2"
        " text was not available; EPSS >= 0.1 as high likelihood is maintlib's choice)"
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
