"""Risk scoring (article section 3): monotone in every factor, explained factor by factor."""

from __future__ import annotations

from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from maintlib.model.risk import RiskFactor, RiskInputs, RiskWeights
from maintlib.model.vocabulary import Criticality, Exposure, Tier
from maintlib.planning.risk import assess

inputs = st.builds(
    RiskInputs,
    criticality=st.sampled_from(list(Criticality)),
    exposure=st.sampled_from(list(Exposure)),
    vulnerabilities=st.integers(0, 20),
    highest_cvss=st.one_of(st.none(), st.decimals(0, 10, places=1)),
    failures_last_year=st.integers(0, 20),
    value=st.one_of(st.none(), st.decimals(0, 10**6, places=2)),
    blast_radius=st.integers(0, 500),
    infrastructure=st.booleans(),
    kev_listed=st.integers(0, 3),
    highest_epss=st.one_of(st.none(), st.decimals(0, 1, places=5)),
    ssvc_worst=st.integers(0, 3),
)
weights = st.builds(
    RiskWeights,
    criticality=st.floats(0, 50),
    exposure=st.floats(0, 50),
    vulnerabilities=st.floats(0, 50),
    failures=st.floats(0, 50),
    blast_radius=st.floats(0, 50),
)


def raise_one(value: RiskInputs, data: st.DataObject) -> RiskInputs:
    """The same inputs with one factor the article says raises priority raised."""
    choice = data.draw(
        st.sampled_from(
            ["criticality", "exposure", "failures", "blast", "vulns", "cvss", "kev", "epss", "ssvc"]
        )
    )
    if choice == "kev":
        return attrs.evolve(value, kev_listed=value.kev_listed + data.draw(st.integers(0, 3)))
    if choice == "epss":
        higher_epss = data.draw(st.decimals(value.highest_epss or 0, 1, places=5))
        return attrs.evolve(value, highest_epss=higher_epss)
    if choice == "ssvc":
        return attrs.evolve(value, ssvc_worst=data.draw(st.integers(value.ssvc_worst, 3)))
    if choice == "criticality":
        levels = list(Criticality)[value.criticality.rank :]
        return attrs.evolve(value, criticality=data.draw(st.sampled_from(levels)))
    if choice == "exposure":
        levels = list(Exposure)[value.exposure.rank :]
        return attrs.evolve(value, exposure=data.draw(st.sampled_from(levels)))
    if choice == "failures":
        more = data.draw(st.integers(0, 9))
        return attrs.evolve(value, failures_last_year=value.failures_last_year + more)
    if choice == "blast":
        return attrs.evolve(value, blast_radius=value.blast_radius + data.draw(st.integers(0, 99)))
    if choice == "vulns":
        more = data.draw(st.integers(0, 9))
        return attrs.evolve(value, vulnerabilities=value.vulnerabilities + more)
    higher = data.draw(st.decimals(value.highest_cvss or 0, 10, places=1))
    return attrs.evolve(value, highest_cvss=higher)


class TestScore:
    @given(base=inputs, weighting=weights, data=st.data())
    def test_raising_a_factor_never_lowers_the_score(
        self, base: RiskInputs, weighting: RiskWeights, data: st.DataObject
    ) -> None:
        higher = raise_one(base, data)
        assert assess(higher, weighting).score >= assess(base, weighting).score

    @given(base=inputs)
    def test_the_score_is_between_0_and_100_and_the_factors_explain_it(
        self, base: RiskInputs
    ) -> None:
        result = assess(base, RiskWeights())
        assert 0 <= result.score <= 100
        assert result.score == pytest.approx(
            min(100.0, sum(f.contribution for f in result.factors)), abs=0.01
        )
        assert [f.name for f in result.factors] == [
            "criticality",
            "exposure",
            "vulnerabilities",
            "failure history",
            "value",
            "blast radius",
            "infrastructure",
        ]

    def test_default_examples_map_to_the_documented_tiers(self) -> None:
        firewall = RiskInputs(Criticality.CRITICAL, Exposure.INTERNET, infrastructure=True)
        workstation = RiskInputs(Criticality.LOW, Exposure.INTERNAL)
        hypervisor = RiskInputs(
            Criticality.CRITICAL, Exposure.INTERNAL, blast_radius=12, infrastructure=True
        )
        assert assess(firewall, RiskWeights()).tier is Tier.P1
        assert assess(hypervisor, RiskWeights()).tier is Tier.P1
        assert assess(workstation, RiskWeights()).tier is Tier.P4

    def test_a_known_critical_vulnerability_counts_by_its_cvss_score(self) -> None:
        clean = assess(RiskInputs(Criticality.MEDIUM, Exposure.INTERNAL), RiskWeights())
        vulnerable = assess(
            RiskInputs(
                Criticality.MEDIUM,
                Exposure.INTERNAL,
                vulnerabilities=1,
                highest_cvss=Decimal("9.8"),
            ),
            RiskWeights(),
        )
        factor = next(f for f in vulnerable.factors if f.name == "vulnerabilities")
        assert factor.contribution == pytest.approx(14.7)
        assert factor.value == "1 known, highest CVSS 9.8"
        assert vulnerable.score - clean.score == pytest.approx(14.7)

    def test_kev_epss_and_ssvc_count_in_the_vulnerabilities_factor(self) -> None:
        base = RiskInputs(Criticality.MEDIUM, Exposure.INTERNAL, vulnerabilities=1)
        weights = RiskWeights()

        def factor(inputs: RiskInputs) -> RiskFactor:
            return next(f for f in assess(inputs, weights).factors if f.name == "vulnerabilities")

        assert factor(base).contribution == 1.5
        assert factor(attrs.evolve(base, kev_listed=1)).contribution == 15
        epss = factor(attrs.evolve(base, highest_epss=Decimal("0.94235")))
        assert epss.contribution == 14.14
        assert epss.value == "1 known, highest EPSS 0.94235"
        ssvc = factor(attrs.evolve(base, ssvc_worst=3))
        assert ssvc.contribution == 13.5
        assert ssvc.value == "1 known, SSVC 3 of 3 decision points at their worst"
        assert factor(attrs.evolve(base, kev_listed=1)).value == "1 known, 1 in the KEV"

    def test_pack_factors_are_added_and_shown(self) -> None:
        extra = RiskFactor("end of support", "Windows Server 2012 R2, ended 2023-10-10", 25.0)
        result = assess(RiskInputs(Criticality.LOW, Exposure.INTERNAL), RiskWeights(), [extra])
        assert result.factors[-1] == extra
        assert result.tier is Tier.P3

    def test_thresholds_must_be_ordered(self) -> None:
        with pytest.raises(ValueError, match="p1 >= p2 >= p3"):
            RiskWeights(p1=10, p2=20)


class TestSelfUpdating:
    """Issue 27: an internet-facing firewall above a laptop that updates itself."""

    @given(
        base=inputs,
        pack_points=st.floats(0, 25),
        laptop_exposure=st.sampled_from(list(Exposure)),
    )
    def test_an_internet_facing_firewall_outranks_a_self_updating_laptop(
        self, base: RiskInputs, pack_points: float, laptop_exposure: Exposure
    ) -> None:
        # The same criticality, failures, value, dependants and vulnerabilities;
        # the laptop with any exposure and a pack factor up to the largest one a
        # pack gives (the Microsoft pack's end of support: 25).
        firewall = attrs.evolve(
            base, exposure=Exposure.INTERNET, infrastructure=True, self_updating=False
        )
        laptop = attrs.evolve(
            base, exposure=laptop_exposure, infrastructure=False, self_updating=True
        )
        ranked = assess(firewall, RiskWeights())
        lifecycle = RiskFactor("end of support", "Windows 11 Pro 24H2: ended", pack_points)
        other = assess(laptop, RiskWeights(), [lifecycle])
        assert ranked.score >= other.score
        if ranked.score < 100:
            assert ranked.score > other.score

    def test_the_halving_is_shown_in_the_factors(self) -> None:
        laptop = RiskInputs(Criticality.HIGH, Exposure.INTERNET, self_updating=True)
        result = assess(laptop, RiskWeights(), [RiskFactor("end of support", "ended", 25.0)])
        factors = {f.name: f for f in result.factors}
        assert factors["exposure"].contribution == 10.0
        assert factors["exposure"].value == "internet, updates itself"
        assert factors["end of support"].contribution == 12.5
        assert result.score == pytest.approx(20 + 10 + 12.5 + 2.5)
