"""Matching feeds to assets, the deadline policies, and the strictest choice."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from maintlib import hookimpl
from maintlib.model.catalog import Catalog
from maintlib.model.cve import Vulnerability
from maintlib.model.errors import InputError, PluginError
from maintlib.model.feeds import Exploitation, Feeds, Ssvc, TechnicalImpact
from maintlib.model.inventory import Asset, Inventory, Organisation
from maintlib.model.vocabulary import Exposure
from maintlib.model.vulnerabilities import Finding, Ruling, VulnerabilityPolicy
from maintlib.packs.catalog import build_catalog
from maintlib.packs.policies import builtin_policies
from maintlib.testing import make_plugins
from maintlib.vulns.feeds import read_feeds
from maintlib.vulns.match import match, normalise
from maintlib.vulns.rulings import assess, chosen_policies, strictest

DATA = Path(__file__).parent / "data" / "feeds"
POLICIES = {p.id: p for p in builtin_policies()}
FORTIGATE = Asset(
    "fw01",
    "firewall",
    vendor="Fortinet",
    product="FortiOS",
    version="7.2.5",
    exposure=Exposure.INTERNET,
)


def feeds() -> Feeds:
    return read_feeds(
        kev=DATA / "kev.json",
        epss=DATA / "epss.csv",
        csaf=DATA / "csaf",
        vulnrichment=DATA / "vulnrichment",
    )


def inventory(*assets: Asset) -> Inventory:
    return Inventory(Organisation("Example", ZoneInfo("Europe/Amsterdam")), assets)


def finding(**changes: object) -> Finding:
    base = Finding(
        asset=FORTIGATE,
        cve="CVE-2024-21762",
        via="inventory",
        known_since=dt.date(2026, 12, 3),
    )
    return attrs.evolve(base, **changes)  # type: ignore[arg-type]


with (Path(__file__).parent / "data" / "ssvc" / "cisa_bod_26_04_1_0_0.csv").open(
    encoding="utf-8", newline=""
) as _published:
    PUBLISHED_BOD_26_04 = list(csv.DictReader(_published))

SSVC_WORST = Ssvc(Exploitation.ACTIVE, True, TechnicalImpact.TOTAL)
SSVC_MILD = Ssvc(Exploitation.NONE, False, TechnicalImpact.PARTIAL)


class TestNormalise:
    @pytest.mark.parametrize(
        ("a", "b"), [("FortiOS", "fortios"), ("IOS XE", "ios-xe"), (" Cisco_IOS ", "cisco ios")]
    )
    def test_equal_names(self, a: str, b: str) -> None:
        assert normalise(a) == normalise(b)


class TestMatch:
    def test_the_cve_record_matches_an_affected_version(self) -> None:
        matches, _ = match(inventory(FORTIGATE), feeds())
        assert [(m.asset, m.cve, m.via) for m in matches] == [
            ("fw01", "CVE-2024-21762", "CVE record (vendor/product/version)")
        ]

    @pytest.mark.parametrize("version", ["7.2.7", "7.6.0", "6.4.15"])
    def test_a_fixed_version_does_not_match(self, version: str) -> None:
        matches, unmatched = match(inventory(attrs.evolve(FORTIGATE, version=version)), feeds())
        assert matches == ()
        # KEV names FortiOS, so the entry is reported for a human to check, not dropped.
        assert ("KEV", "CVE-2024-21762") in {(u.source, u.cve) for u in unmatched}

    def test_the_inventory_list_matches_first(self) -> None:
        asset = attrs.evolve(FORTIGATE, vulnerabilities=(Vulnerability("CVE-2024-21762"),))
        matches, _ = match(inventory(asset), feeds())
        assert [m.via for m in matches] == ["inventory"]

    def test_csaf_by_vendor_product_version(self) -> None:
        converter = Asset(
            "conv01",
            "application",
            vendor="csaf tools",
            product="CVRF CSAF Converter",
            version="1.0.0-rc1",
        )
        matches, unmatched = match(inventory(converter), feeds())
        (found,) = matches
        assert found.cve == "CVE-2022-27193"
        assert found.via == "CSAF BSI-2022-0001 product CSAFPID-0005 (vendor/product/version)"
        assert found.remediation.startswith("Update to the latest version of the product")
        assert "CVE-2022-27193" not in {u.cve for u in unmatched}

    def test_csaf_by_cpe(self) -> None:
        converter = Asset(
            "conv01", "application", cpe="cpe:2.3:a:csaf-tools:cvrf-csaf-converter:1.0.0-dev2"
        )
        (found,), _ = match(inventory(converter), feeds())
        assert found.via == "CSAF BSI-2022-0001 product CSAFPID-0003 (cpe)"

    def test_a_fixed_csaf_product_is_unmatched_and_reported(self) -> None:
        fixed = Asset(
            "conv01",
            "application",
            vendor="CSAF Tools",
            product="CVRF-CSAF-Converter",
            version="1.0.0-rc2",
        )
        matches, unmatched = match(inventory(fixed), feeds())
        assert matches == ()
        (entry,) = [u for u in unmatched if u.cve == "CVE-2022-27193"]
        assert entry.source == f"CSAF BSI-2022-0001 ({DATA / 'csaf' / 'bsi-2022-0001.json'})"


class TestBod2604:
    decide = staticmethod(POLICIES["bod-26-04"].decide)

    def test_exposed_kev_automatable_total_is_3_days_and_triage(self) -> None:
        kev = feeds().kev["CVE-2024-21762"]
        ruling = self.decide(finding(kev=kev, ssvc=SSVC_WORST))
        assert ruling is not None
        assert (ruling.days, ruling.triage) == (3, True)
        assert ruling.criterion.startswith(
            "Table 1: publicly exposed, in the KEV, automatable, total technical impact"
            " → 3 days and forensic triage"
        )
        assert ruling.assumed == ()

    def test_not_exposed_but_automatable_and_total_is_3_days_and_triage(self) -> None:
        """Found: the hand-written table gave 14 days without triage."""
        kev = feeds().kev["CVE-2024-21762"]
        internal = attrs.evolve(FORTIGATE, exposure=Exposure.INTERNAL)
        ruling = self.decide(finding(asset=internal, kev=kev, ssvc=SSVC_WORST))
        assert ruling is not None
        assert (ruling.days, ruling.triage) == (3, True)
        assert ruling.criterion.endswith("(3DF)")

    def test_not_exposed_not_automatable_partial_in_the_kev_is_14_days(self) -> None:
        kev = feeds().kev["CVE-2024-21762"]
        internal = attrs.evolve(FORTIGATE, exposure=Exposure.INTERNAL)
        ruling = self.decide(finding(asset=internal, kev=kev, ssvc=SSVC_MILD))
        assert ruling is not None
        assert (ruling.days, ruling.triage) == (14, False)
        assert ruling.criterion.endswith("(14D)")

    def test_missing_ssvc_is_the_worst_case_and_says_so(self) -> None:
        """Exposed, not in the KEV, automatable and total assumed: 3 days, no triage
        (found: the hand-written table asked for triage here)."""
        ruling = self.decide(finding(ssvc=None))
        assert ruling is not None
        assert (ruling.days, ruling.triage) == (3, False)
        assert ruling.assumed == (
            "no CISA SSVC assessment: automatable and total technical impact assumed (worst case)",
        )

    def test_the_lowest_row_waits_for_the_next_upgrade(self) -> None:
        internal = attrs.evolve(FORTIGATE, exposure=Exposure.INTERNAL)
        ruling = self.decide(finding(asset=internal, ssvc=SSVC_MILD))
        assert ruling is not None
        assert ruling.days is None
        assert ruling.deadline is None
        assert "fix on the next scheduled upgrade" in ruling.criterion

    @pytest.mark.parametrize("row", PUBLISHED_BOD_26_04, ids=lambda row: row["row"])
    def test_every_row_gives_the_published_outcome(self, row: dict[str, str]) -> None:
        """CERT/CC's BOD2604 1.0.0 as published (tests/data/ssvc, a copy of
        data/csv/cisa/cisa_bod_26_04_1_0_0.csv of github.com/CERTCC/SSVC)."""
        yes = {"yes": True, "no": False}
        kev = feeds().kev["CVE-2024-21762"] if yes[row["In KEV v1.0.0 (cisa)"]] else None
        exposure = (
            Exposure.INTERNET if yes[row["Publicly Exposed v1.0.0 (cisa)"]] else Exposure.INTERNAL
        )
        ssvc = Ssvc(
            Exploitation.NONE,
            yes[row["Automatable v2.0.0"]],
            TechnicalImpact.TOTAL
            if row["Technical Impact v1.0.0"] == "total"
            else TechnicalImpact.PARTIAL,
        )
        asset = attrs.evolve(FORTIGATE, exposure=exposure)
        ruling = self.decide(finding(asset=asset, kev=kev, ssvc=ssvc))
        assert ruling is not None
        expected = {
            "fix on system upgrade": (None, False),
            "60 days": (60, False),
            "14 days": (14, False),
            "3 days": (3, False),
            "3 days & forensic investigation": (3, True),
        }[row["CISA BOD 26-04 Remediation Timelines v1.0.0 (cisa)"]]
        assert (ruling.days, ruling.triage) == expected
        assert ruling.assumed == ()


class TestOtherPolicies:
    def test_pci_critical_within_a_month(self) -> None:
        ruling = POLICIES["pci-dss-4"].decide(finding(cvss=Decimal("9.6")))
        assert ruling is not None
        assert ruling.days == 30
        low = POLICIES["pci-dss-4"].decide(finding(cvss=Decimal("6.1")))
        assert low is not None
        assert low.days is None

    def test_pci_counts_the_month_from_the_fixs_release(self) -> None:
        """Found: 6.3.3's "one month of release" was counted from the KEV dateAdded."""
        kev = feeds().kev["CVE-2024-21762"]
        released = finding(
            kev=kev, fix_released=dt.date(2024, 2, 8), fix_source="CSAF FG-IR-24-015 release"
        )
        ruling = POLICIES["pci-dss-4"].decide(released)
        assert ruling is not None
        assert ruling.deadline == dt.date(2024, 3, 9)
        assert "30 days from the fix's release (CSAF FG-IR-24-015 release)" in ruling.criterion
        unknown = POLICIES["pci-dss-4"].decide(finding(kev=kev, known_since=kev.date_added))
        assert unknown is not None
        assert unknown.deadline == kev.date_added + dt.timedelta(days=30)
        assert "the day it became known (no release date known)" in unknown.criterion

    def test_the_cve_records_publication_is_the_fixs_release(self) -> None:
        (found,) = assess(inventory(FORTIGATE), feeds(), [], as_of=dt.date(2026, 12, 1)).assessments
        assert found.finding.fix_source == "CVE record datePublished"
        assert found.finding.fix_released is not None

    def test_bio_one_week_for_likely_and_damaging(self) -> None:
        kev = feeds().kev["CVE-2024-21762"]
        ruling = POLICIES["bio"].decide(finding(kev=kev, cvss=Decimal("9.6"), ssvc=SSVC_WORST))
        assert ruling is not None
        assert ruling.days == 7
        unlikely = POLICIES["bio"].decide(
            finding(
                cvss=Decimal("9.6"),
                ssvc=SSVC_MILD,
                epss=feeds().epss["CVE-2022-27193"],
            )
        )
        assert unlikely is not None
        assert unlikely.days is None

    def test_cis_monthly(self) -> None:
        ruling = POLICIES["cis-v8"].decide(finding())
        assert ruling is not None
        assert ruling.days == 30

    @pytest.mark.parametrize(
        ("score", "days"), [("9.8", 15), ("7.0", 30), ("5.0", 90), ("0.0", 180), (None, 15)]
    )
    def test_cvss_bands(self, score: str | None, days: int) -> None:
        cvss = Decimal(score) if score is not None else None
        ruling = POLICIES["cvss-bands"].decide(finding(cvss=cvss))
        assert ruling is not None
        assert ruling.days == days
        assert bool(ruling.assumed) == (score is None)


class TestAssess:
    def test_the_strictest_policy_sets_the_deadline(self) -> None:
        result = assess(
            inventory(FORTIGATE),
            feeds(),
            chosen_policies(["cis-v8", "bod-26-04", "pci-dss-4"], POLICIES, "inventory.toml"),
            as_of=dt.date(2026, 12, 1),
        )
        (assessment,) = result.assessments
        assert [r.policy for r in assessment.rulings] == ["bod-26-04", "cis-v8", "kev", "pci-dss-4"]
        assert assessment.deciding is not None
        assert assessment.deciding.policy == "bod-26-04"
        assert assessment.deciding.deadline == dt.date(2024, 2, 12)
        assert assessment.triage
        # The vector's base score; Fortinet's record says 9.6, the temporal score of
        # its E:H/RL:W/RC:C.
        assert assessment.finding.cvss == Decimal("9.8")
        assert assessment.finding.remediation.startswith("Apply mitigations per vendor")

    def test_without_policies_the_kev_due_date_still_counts(self) -> None:
        result = assess(inventory(FORTIGATE), feeds(), [], as_of=dt.date(2026, 12, 1))
        (assessment,) = result.assessments
        assert assessment.deciding is not None
        assert assessment.deciding.policy == "kev"
        assert assessment.deciding.deadline == dt.date(2024, 2, 16)

    def test_an_unknown_policy_is_an_input_error(self) -> None:
        with pytest.raises(InputError) as error:
            chosen_policies(["bod-26-4"], POLICIES, "inventory.toml")
        assert str(error.value.problems[0]) == (
            'inventory.toml: planning.deadline_policies: unknown deadline policy "bod-26-4" — did'
            ' you mean "bod-26-04"? (known: bio, bod-26-04, cis-v8, cvss-bands, pci-dss-4)'
        )


rulings = st.builds(
    Ruling,
    policy=st.sampled_from(["bod-26-04", "pci-dss-4", "bio", "cis-v8", "cvss-bands", "kev"]),
    criterion=st.text(max_size=5),
    days=st.none() | st.integers(0, 90),
    anchor=st.dates(dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
    triage=st.booleans(),
)


@given(st.lists(rulings, max_size=8), st.randoms())
def test_the_strictest_choice_is_independent_of_policy_order(
    choices: list[Ruling], random: object
) -> None:
    shuffled = list(choices)
    random.shuffle(shuffled)  # type: ignore[attr-defined]
    assert strictest(shuffled) == strictest(choices)
    winner = strictest(choices)
    dated = [r.deadline for r in choices if r.deadline is not None]
    assert (winner is None) == (not dated)
    if winner is not None:
        assert winner.deadline == min(dated)


@given(st.permutations(sorted(POLICIES)), st.sampled_from([Exposure.INTERNET, Exposure.INTERNAL]))
def test_assessing_with_policies_in_any_order_gives_the_same_deadline(
    order: list[str], exposure: Exposure
) -> None:
    asset = attrs.evolve(FORTIGATE, exposure=exposure)
    data = feeds()
    first = assess(
        inventory(asset),
        data,
        chosen_policies(sorted(POLICIES), POLICIES, "x"),
        as_of=dt.date(2026, 12, 1),
    )
    again = assess(
        inventory(asset), data, chosen_policies(order, POLICIES, "x"), as_of=dt.date(2026, 12, 1)
    )
    assert first == again


class TestHook:
    def test_the_builtin_pack_returns_the_policies(self, catalog: Catalog) -> None:
        assert sorted(catalog.vulnerability_policies) == [
            "bio",
            "bod-26-04",
            "cis-v8",
            "cvss-bands",
            "pci-dss-4",
        ]
        assert {p.pack for p in catalog.vulnerability_policies.values()} == {"builtin"}

    def test_a_pack_adds_a_policy(self) -> None:
        agency = VulnerabilityPolicy(
            "bod-26-04-agency",
            "BOD 26-04 with the agency's table",
            "agency policy",
            lambda f: Ruling("bod-26-04-agency", "every row: 2 days", 2, f.known_since),
        )
        pack = SimpleNamespace(maintlib_deadline_policies=hookimpl(lambda: [agency]))
        catalog = build_catalog(make_plugins({"agency": pack}))
        assert catalog.vulnerability_policies["bod-26-04-agency"].pack == "agency"

    def test_a_second_pack_with_a_builtin_id_fails(self) -> None:
        again = SimpleNamespace(maintlib_deadline_policies=hookimpl(lambda: builtin_policies()[:1]))
        with pytest.raises(PluginError, match="id 'bod-26-04' is also defined"):
            build_catalog(make_plugins({"again": again}))

    def test_a_wrong_value_names_both_types(self) -> None:
        wrong = SimpleNamespace(maintlib_deadline_policies=hookimpl(lambda: ["bod-26-04"]))
        with pytest.raises(
            PluginError, match="returned str, expected DeadlinePolicy or VulnerabilityPolicy"
        ):
            build_catalog(make_plugins({"wrong": wrong}))
