"""Risk: a 0–100 score per asset from the article's factors, and its priority tier.

Article section 3 names the factors that raise an asset's maintenance priority:
importance (criticality), exposure to the internet, known vulnerabilities, failure
history, cost against value, and — for infrastructure — how many systems depend on
it (blast radius). Each factor contributes up to its weight; the contributions are
kept so that ``maintlib explain`` can show why an asset got its tier. The defaults
and their reasons are in ``docs/risk.md``.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

import attrs

from maintlib.model.vocabulary import Criticality, Exposure, Tier

__all__ = ["RiskAssessment", "RiskFactor", "RiskInputs", "RiskWeights"]


def _non_negative(_: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value < 0:
        raise ValueError(f"{attribute.name} must not be negative, got {value}")


@attrs.frozen
class RiskWeights:
    """The most each factor can add to the score, and the tier thresholds.

    The default weights add up to 100. A score of at least ``p1`` maps to P1, at
    least ``p2`` to P2, at least ``p3`` to P3, anything lower to P4.
    """

    criticality: float = attrs.field(default=30, validator=_non_negative)
    exposure: float = attrs.field(default=20, validator=_non_negative)
    vulnerabilities: float = attrs.field(default=15, validator=_non_negative)
    failures: float = attrs.field(default=10, validator=_non_negative)
    value: float = attrs.field(default=5, validator=_non_negative)
    blast_radius: float = attrs.field(default=15, validator=_non_negative)
    infrastructure: float = attrs.field(default=5, validator=_non_negative)
    #: Asset value at which the value factor is full.
    value_reference: float = attrs.field(default=50_000, validator=attrs.validators.gt(0))
    p1: float = 55
    p2: float = 35
    p3: float = 20

    def __attrs_post_init__(self) -> None:
        if not self.p1 >= self.p2 >= self.p3:
            raise ValueError(
                "tier thresholds must satisfy p1 >= p2 >= p3,"
                f" got {self.p1:g}, {self.p2:g}, {self.p3:g}"
            )

    def tier(self, score: float) -> Tier:
        """The priority tier of ``score``."""
        if score >= self.p1:
            return Tier.P1
        if score >= self.p2:
            return Tier.P2
        if score >= self.p3:
            return Tier.P3
        return Tier.P4


def _finite_points(_: object, attribute: attrs.Attribute[float], value: float) -> None:
    # NaN passes every comparison, and an infinite contribution made any asset P1.
    if not math.isfinite(value):
        raise ValueError(f"{attribute.name} must be a finite number of points, got {value}")


@attrs.frozen
class RiskFactor:
    """One factor's share of an asset's risk score.

    Attributes:
        name: The factor (``exposure``).
        value: What was measured, in words (``internet``).
        contribution: Points it adds to the score (0 or more).
    """

    name: str
    value: str
    contribution: float = attrs.field(validator=[_non_negative, _finite_points])


@attrs.frozen
class RiskAssessment:
    """An asset's risk: the score (0–100), its tier, and each factor's share."""

    score: float
    tier: Tier
    factors: tuple[RiskFactor, ...]

    def to_json(self) -> dict[str, object]:
        """``{"score", "tier", "factors": [{"name", "value", "contribution"}]}``."""
        return {
            "score": self.score,
            "tier": self.tier.value,
            "factors": [
                {"name": f.name, "value": f.value, "contribution": f.contribution}
                for f in self.factors
            ],
        }


@attrs.frozen
class RiskInputs:
    """What the score is computed from, gathered from the asset and the inventory."""

    criticality: Criticality
    exposure: Exposure
    vulnerabilities: int = 0
    highest_cvss: Decimal | None = None
    failures_last_year: int = 0
    value: Decimal | None = None
    blast_radius: int = 0
    infrastructure: bool = False
    #: How many of the asset's CVEs are in CISA's KEV catalog.
    kev_listed: int = 0
    #: The highest EPSS probability of the asset's CVEs, or None.
    highest_epss: Decimal | None = None
    #: The most SSVC decision points at their worst for one CVE (0–3: exploitation
    #: active, automatable, total technical impact); CVEs CISA has not assessed
    #: do not count.
    ssvc_worst: int = 0
    #: The asset updates itself (``auto_update = true``): its exposure and the
    #: packs' factors (a version's end of support) count half — the time it stays
    #: exposed is the hours to its next automatic update, not the days to a
    #: window, and its next version arrives the same way (docs/risk.md).
    self_updating: bool = False
