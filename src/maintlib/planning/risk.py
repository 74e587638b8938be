"""The risk stage: an asset's risk score from its factors (``docs/risk.md``)."""

from __future__ import annotations

import math
from collections.abc import Sequence

from maintlib.model.risk import RiskAssessment, RiskFactor, RiskInputs, RiskWeights
from maintlib.model.vocabulary import Exposure

__all__ = ["assess"]


_EXPOSURE_SHARE = {Exposure.ISOLATED: 0.0, Exposure.INTERNAL: 0.25, Exposure.INTERNET: 1.0}


#: A blast radius of this many dependants (or more) gives the full weight.
_FULL_BLAST = 16


#: Failures per year that give the full weight.
_FULL_FAILURES = 5


#: Vulnerabilities without a CVSS vector: this many give half the weight.
_FULL_UNSCORED = 5


#: What an asset that updates itself keeps of its exposure and of the packs'
#: factors: its exposure lasts until its next automatic update (hours), not
#: until a window, so an internet-facing firewall ranks above a laptop that
#: updates itself (docs/risk.md).
SELF_UPDATING_SHARE = 0.5

#: A CVE that is actively exploited, automatable and gives total control (SSVC)
#: gives this share; a KEV listing gives the full weight.
_SSVC_SHARE = 0.9


def _share(inputs: RiskInputs, weights: RiskWeights) -> list[tuple[str, str, float]]:
    vulns_share = max(
        float(inputs.highest_cvss) / 10 if inputs.highest_cvss is not None else 0.0,
        0.5 * min(inputs.vulnerabilities, _FULL_UNSCORED) / _FULL_UNSCORED,
        1.0 if inputs.kev_listed else 0.0,
        float(inputs.highest_epss) if inputs.highest_epss is not None else 0.0,
        _SSVC_SHARE * min(inputs.ssvc_worst, 3) / 3,
    )
    vulns_text = f"{inputs.vulnerabilities} known"
    if inputs.highest_cvss is not None:
        vulns_text += f", highest CVSS {inputs.highest_cvss}"
    if inputs.kev_listed:
        vulns_text += f", {inputs.kev_listed} in the KEV"
    if inputs.highest_epss is not None:
        vulns_text += f", highest EPSS {inputs.highest_epss.normalize()}"
    if inputs.ssvc_worst:
        vulns_text += f", SSVC {inputs.ssvc_worst} of 3 decision points at their worst"
    if inputs.value is None:
        value_share, value_text = 0.5, "unknown"
    else:
        value_share = min(1.0, float(inputs.value) / weights.value_reference)
        value_text = str(inputs.value)
    blast = math.log2(1 + inputs.blast_radius) / math.log2(1 + _FULL_BLAST)
    return [
        (
            "criticality",
            inputs.criticality.value,
            weights.criticality * inputs.criticality.rank / 3,
        ),
        (
            "exposure",
            inputs.exposure.value + (", updates itself" if inputs.self_updating else ""),
            weights.exposure
            * _EXPOSURE_SHARE[inputs.exposure]
            * (SELF_UPDATING_SHARE if inputs.self_updating else 1.0),
        ),
        ("vulnerabilities", vulns_text, weights.vulnerabilities * vulns_share),
        (
            "failure history",
            f"{inputs.failures_last_year} failures last year",
            weights.failures * min(inputs.failures_last_year, _FULL_FAILURES) / _FULL_FAILURES,
        ),
        ("value", value_text, weights.value * value_share),
        (
            "blast radius",
            f"{inputs.blast_radius} dependants",
            weights.blast_radius * min(1.0, blast),
        ),
        (
            "infrastructure",
            "yes" if inputs.infrastructure else "no",
            weights.infrastructure if inputs.infrastructure else 0.0,
        ),
    ]


def assess(
    inputs: RiskInputs, weights: RiskWeights, extra: Sequence[RiskFactor] = ()
) -> RiskAssessment:
    """Score an asset.

    Args:
        inputs: The asset's measured factors.
        weights: How much each factor can add, and the tier thresholds.
        extra: Factors contributed by rule packs (``maintlib_risk_factors``).

    Returns:
        The score (rounded to 2 decimals, capped at 100), its tier and every
        factor's contribution. Raising criticality, exposure, vulnerabilities,
        failures or blast radius never lowers the score.
    """
    factors = [
        RiskFactor(name, value, round(points, 2)) for name, value, points in _share(inputs, weights)
    ]
    if inputs.self_updating:
        extra = [
            RiskFactor(f.name, f.value, round(f.contribution * SELF_UPDATING_SHARE, 2))
            for f in extra
        ]
    factors.extend(extra)
    score = round(min(100.0, sum(f.contribution for f in factors)), 2)
    return RiskAssessment(score=score, tier=weights.tier(score), factors=tuple(factors))
