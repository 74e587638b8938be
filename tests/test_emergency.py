"""Emergency work in the plan, and the issue's scenario.

The scenario: an internet-facing FortiGate on FortiOS 7.2.5; CISA adds
CVE-2024-21762 to the KEV on Thursday 2026-12-03 (the real entry, re-dated: it was
added on 2024-02-09); CISA's Vulnrichment record says automatable, total technical
impact. Under BOD 26-04 that is 3 days and forensic triage.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from maintlib.model.catalog import Catalog
from maintlib.model.feeds import Feeds
from maintlib.model.inventory import Asset, Inventory, Organisation, PlanningSettings, Window
from maintlib.model.plan import Plan, Reason, Task
from maintlib.model.rules import Periodic, Rule, RuleSpec, Selector
from maintlib.model.vocabulary import Criticality, Exposure, Mode
from maintlib.outputs.ics.feed import to_ics
from maintlib.pipeline import plan
from maintlib.vulns.feeds import read_feeds, read_kev

DATA = Path(__file__).parent / "data" / "feeds"
AMS = ZoneInfo("Europe/Amsterdam")
THURSDAY = dt.date(2026, 12, 3)
SATURDAY = dt.date(2026, 12, 5)
CVE = "CVE-2024-21762"


def feeds(added: dt.date = THURSDAY, *, ssvc: bool = True) -> Feeds:
    document = json.loads((DATA / "kev.json").read_text())
    for entry in document["vulnerabilities"]:
        if entry["cveID"] == CVE:
            entry["dateAdded"] = added.isoformat()
            entry["dueDate"] = (added + dt.timedelta(days=21)).isoformat()
    kev, version = read_kev(json.dumps(document).encode())
    base = read_feeds(epss=DATA / "epss.csv", vulnrichment=DATA / "vulnrichment")
    records = base.records if ssvc else {CVE: attrs.evolve(base.records[CVE], ssvc=None)}
    return attrs.evolve(base, kev=kev, kev_version=version, records=records)


ROUTINE = RuleSpec(
    rule=Rule(
        id="saturday-health-check",
        activity="health-check",
        selector=Selector(kinds=("firewall",)),
        cadence=Periodic("FREQ=WEEKLY;BYDAY=SA"),
        duration=dt.timedelta(hours=4),
        pack="inventory",
    )
)


def inventory(
    exposure: Exposure = Exposure.INTERNET,
    *,
    capacity: str = "8",
    planning: PlanningSettings | None = None,
    windows: tuple[Window, ...] | None = None,
) -> Inventory:
    saturday = Window(
        "saturday",
        "FREQ=WEEKLY;BYDAY=SA",
        dt.time(6),
        dt.timedelta(hours=8),
        Decimal(capacity),
        None,
        ("firewall",),
    )
    return Inventory(
        Organisation("Example", AMS, country="NL"),
        [
            Asset(
                "fw01",
                "firewall",
                name="FortiGate",
                vendor="Fortinet",
                product="FortiOS",
                version="7.2.5",
                exposure=exposure,
                criticality=Criticality.CRITICAL,
            )
        ],
        windows=windows if windows is not None else (saturday,),
        rules=(ROUTINE,),
        planning=planning or PlanningSettings(deadline_policies=("bod-26-04",)),
    )


def make(catalog: Catalog, inv: Inventory, data: Feeds | None = None, **kwargs: Any) -> Plan:
    return plan(
        inv,
        start=kwargs.pop("start", dt.date(2026, 12, 1)),
        months=1,
        reference_time=dt.datetime(2026, 12, 3, 9, tzinfo=AMS),
        plugins=catalog,
        feeds=data if data is not None else feeds(),
        **kwargs,
    )


def task(result: Plan, activity: str) -> Task:
    return result.tasks_by_uid()[f"fw01.{activity}.{CVE}"]


class TestScenario:
    def test_internet_facing_gets_3_days_triage_first_and_displaces_saturday_work(
        self, catalog: Catalog
    ) -> None:
        result = make(catalog, inventory())
        triage = task(result, "forensic-triage")
        fix = task(result, "emergency-remediation")
        check = task(result, "remediation-verification")
        # Triage in office hours on the Thursday the entry lands, before patching.
        assert triage.start == dt.datetime(2026, 12, 3, 8, tzinfo=AMS)
        assert triage.window is None
        # The firmware fix in Saturday's window, within the 3 days (by the end of Sunday).
        assert fix.start == dt.datetime(2026, 12, 5, 6, tzinfo=AMS)
        assert fix.window == "saturday"
        assert fix.start.date() <= THURSDAY + dt.timedelta(days=3)
        assert fix.due.deadline == dt.datetime(2026, 12, 7, tzinfo=AMS)
        assert triage.end <= fix.start
        # The routine Saturday work comes after it, in the same window occurrence.
        routine = result.tasks_by_uid()["fw01.health-check.20261205T0000"]
        assert routine.occurrence == fix.occurrence
        assert routine.start == fix.end
        assert check.start > fix.due.deadline - dt.timedelta(days=1)

    def test_when_capacity_is_short_the_routine_work_is_the_one_displaced(
        self, catalog: Catalog
    ) -> None:
        result = make(catalog, inventory(capacity="5"))
        assert task(result, "emergency-remediation").start.date() == SATURDAY
        # Saturday's routine check no longer fits: the next Saturday's check covers it.
        uids = result.tasks_by_uid()
        assert "fw01.health-check.20261205T0000" not in uids
        assert uids["fw01.health-check.20261212T0000"].dues == (
            "fw01.health-check.20261205T0000",
            "fw01.health-check.20261212T0000",
        )

    def test_without_internet_exposure_the_directive_still_asks_3_days_and_triage(
        self, catalog: Catalog
    ) -> None:
        """BOD 26-04 Table 1: in the KEV, not exposed, automatable, total → 3 days and
        forensic triage (found: the hand-written table gave 14 days and no triage)."""
        result = make(catalog, inventory(Exposure.INTERNAL))
        uids = result.tasks_by_uid()
        assert f"fw01.forensic-triage.{CVE}" in uids
        fix = task(result, "emergency-remediation")
        policy = fix.to_json()["policy"]
        assert policy["days"] == 3
        assert "not publicly exposed" in policy["criterion"]
        assert policy["criterion"].endswith("(3DF)")

    def test_the_task_json_and_description(self, catalog: Catalog) -> None:
        fix = task(make(catalog, inventory()), "emergency-remediation")
        data = fix.to_json()
        assert data["update_class"] == "security"
        assert data["emergency"] is True
        assert data["vulnerabilities"] == [CVE]
        assert data["priority"] == "P1"
        assert data["policy"]["id"] == "bod-26-04"
        assert data["policy"]["triage"] is True
        assert data["steps"][1] == {
            "kind": "update",
            "text": "Apply mitigations per vendor instructions or discontinue use of the product"
            " if mitigations are unavailable.",
        }
        description = fix.duty.activity.description
        for cited in (
            CVE,
            "added 2026-12-03, due 2026-12-24",
            "EPSS 0.94235 (percentile 0.9992)",
            "SSVC: exploitation active, automatable yes, technical impact total",
            "policy bod-26-04: Table 1: publicly exposed, in the KEV, automatable, total",
            "deadline 2026-12-06",
        ):
            assert cited in description

    def test_replanning_mid_month_when_the_entry_lands(self, catalog: Catalog) -> None:
        result = make(catalog, inventory(), start=THURSDAY)
        assert task(result, "emergency-remediation").start.date() == SATURDAY
        assert result.to_json()["vulnerabilities"]["exposures"] == [
            {
                "asset": "fw01",
                "cve": CVE,
                "deadline": "2026-12-06",
                "days_left": 3,
                "status": "on_time",
                "task": f"fw01.emergency-remediation.{CVE}",
                "version_unknown": False,
            }
        ]


class TestEmergencyWork:
    def test_missing_ssvc_is_planned_as_the_worst_case_and_says_so(self, catalog: Catalog) -> None:
        fix = task(
            make(catalog, inventory(Exposure.INTERNAL), feeds(ssvc=False)), "emergency-remediation"
        )
        assert fix.to_json()["policy"]["assumed"] == [
            "no CISA SSVC assessment: automatable and total technical impact assumed (worst case)"
        ]
        assert "assumed: no CISA SSVC assessment" in fix.duty.activity.description

    def test_an_overdue_entry_is_planned_at_once_and_listed_overdue(self, catalog: Catalog) -> None:
        result = make(catalog, inventory(Exposure.INTERNAL), feeds(dt.date(2024, 2, 9)))
        fix = task(result, "emergency-remediation")
        assert fix.due.earliest == dt.datetime(2026, 12, 1, tzinfo=AMS)
        (exposure,) = result.to_json()["vulnerabilities"]["exposures"]
        assert exposure["status"] == "overdue"
        assert exposure["days_left"] < 0

    def test_emergency_anytime_plans_at_once(self, catalog: Catalog) -> None:
        settings = PlanningSettings(deadline_policies=("bod-26-04",), emergency_anytime=True)
        result = make(catalog, inventory(planning=settings))
        fix = task(result, "emergency-remediation")
        triage = task(result, "forensic-triage")
        # Right after the triage (evidence before patching), at any hour: the day
        # the KEV entry lands, not after the triage's deadline.
        assert fix.window == "emergency-anytime"
        assert triage.uid in fix.after
        assert fix.start == triage.end
        assert fix.start.date() == dt.date(2026, 12, 3)
        check = task(result, "remediation-verification")
        assert fix.uid in check.after
        assert check.start >= fix.end

    def test_an_emergency_window_serves_emergency_work_only(self, catalog: Catalog) -> None:
        emergency = Window(
            "on-call", "FREQ=DAILY", dt.time(20), dt.timedelta(hours=4), None, None, ("emergency",)
        )
        saturday = Window(
            "saturday",
            "FREQ=WEEKLY;BYDAY=SA",
            dt.time(6),
            dt.timedelta(hours=8),
            None,
            None,
            ("firewall",),
        )
        result = make(catalog, inventory(Exposure.INTERNAL, windows=(saturday, emergency)))
        fix = task(result, "emergency-remediation")
        # The evening of the Thursday the entry lands, not Saturday's window.
        assert (fix.window, fix.start) == ("on-call", dt.datetime(2026, 12, 3, 20, tzinfo=AMS))
        assert all(t.window != "on-call" for t in result.tasks if t.duty.emergency is None)

    def test_a_plan_without_feeds_or_policies_has_no_vulnerability_part(
        self, catalog: Catalog
    ) -> None:
        inv = inventory(planning=PlanningSettings())
        result = plan(
            inv,
            start=dt.date(2026, 12, 1),
            months=1,
            reference_time=dt.datetime(2026, 12, 1, tzinfo=AMS),
            plugins=catalog,
        )
        document = result.to_json()
        assert "vulnerabilities" not in document
        assert all(t["emergency"] is False and t["policy"] is None for t in document["tasks"])

    def test_feeds_change_the_digest(self, catalog: Catalog) -> None:
        assert make(catalog, inventory()).digest != make(catalog, inventory(), Feeds()).digest

    def test_the_same_inputs_give_the_same_bytes(self, catalog: Catalog) -> None:
        assert make(catalog, inventory()).dumps() == make(catalog, inventory()).dumps()

    @pytest.mark.parametrize("mode", [Mode.OFFICE_HOURS])
    def test_triage_and_verification_are_office_hours_work(
        self, catalog: Catalog, mode: Mode
    ) -> None:
        result = make(catalog, inventory())
        assert task(result, "forensic-triage").duty.mode is mode
        assert task(result, "remediation-verification").duty.mode is mode


class TestProperties:
    @settings(max_examples=25, deadline=None)
    @given(
        added=st.dates(dt.date(2026, 9, 1), dt.date(2027, 1, 15)),
        exposure=st.sampled_from([Exposure.INTERNET, Exposure.INTERNAL]),
        ssvc=st.booleans(),
        policies=st.lists(
            st.sampled_from(["bod-26-04", "pci-dss-4", "bio", "cis-v8", "cvss-bands"]),
            unique=True,
        ),
    )
    def test_emergency_dues_are_consistent_and_accounted_for(
        self,
        catalog: Catalog,
        added: dt.date,
        exposure: Exposure,
        ssvc: bool,
        policies: list[str],
    ) -> None:
        settings_ = PlanningSettings(deadline_policies=tuple(policies))
        result = make(catalog, inventory(exposure, planning=settings_), feeds(added, ssvc=ssvc))
        entries = [*result.tasks, *result.unplaced]
        assert len(entries) == result.dues
        emergency = [e for e in entries if e.due.duty.emergency is not None]
        # The KEV dueDate always sets a deadline; a finding known after the horizon has none.
        in_horizon = added < result.horizon.end
        assert bool(emergency) == in_horizon
        for entry in emergency:
            due = entry.due
            assert due.earliest <= due.deadline
            assert due.duty.tier.value == "P1"
        for unplaced in result.unplaced:
            assert unplaced.reason is not Reason.DEADLINE_BEFORE_EARLIEST
        uids = result.tasks_by_uid()
        triage = uids.get(f"fw01.forensic-triage.{CVE}")
        fix = uids.get(f"fw01.emergency-remediation.{CVE}")
        if triage is not None and fix is not None:
            assert fix.start >= triage.due.deadline or fix.start >= triage.end


def test_the_calendar_event_cites_the_vulnerability(catalog: Catalog) -> None:
    feed = to_ics(make(catalog, inventory()), lang="en").decode().replace("\r\n ", "")
    event = next(
        block
        for block in feed.split("BEGIN:VEVENT")
        if f"UID:fw01.emergency-remediation.{CVE}" in block
    )
    assert "KEV: Fortinet FortiOS Out-of-Bound Write Vulnerability\\; added 2026-12-03" in event
    assert "policy bod-26-04: Table 1: publicly exposed" in event
    assert "Emergency remediation — fw01 FortiGate" in event
    assert f"Vulnerabilities: {CVE}" in event
    assert "X-MAINTLIB-RULE:" in event  # the source is a property, not text


def test_a_csaf_advisory_brings_its_remediation_into_the_plan(catalog: Catalog) -> None:
    converter = Asset(
        "conv01",
        "application",
        vendor="CSAF Tools",
        product="CVRF-CSAF-Converter",
        version="1.0.0-rc1",
    )
    inv = Inventory(
        Organisation("Example", AMS, country="NL"),
        [converter],
        planning=PlanningSettings(deadline_policies=("cvss-bands",), emergency_anytime=True),
    )
    result = make(catalog, inv, read_feeds(csaf=DATA / "csaf"))
    fix = result.tasks_by_uid()["conv01.emergency-remediation.CVE-2022-27193"]
    assert fix.to_json()["policy"]["criterion"] == "CVSS 6.1: medium → 90 days (maintlib default)"
    assert fix.steps[1].text == (
        "Update to the latest version of the product. At least version 1.0.0-rc2 (vendor_fix)"
    )
    assert "matched by CSAF BSI-2022-0001 product CSAFPID-0005" in fix.duty.activity.description
