"""Expiries (issue 30): certificates, domains and contracts renewed ahead of their
``expires`` date; the date in the risk register and in ``maintlib check``."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from maintlib.model.rules import Expiry, Once
from maintlib.outputs.i18n import language as words_language
from maintlib.outputs.report.words import expiry, factor_name
from maintlib.packs.catalog import build_catalog
from maintlib.planning.apply import apply
from maintlib.planning.checks import check_warnings
from maintlib.testing import (
    inventory_document,
    load_document,
    make_plugins,
    plan_document,
    tasks_for,
)

START = dt.date(2027, 1, 1)


_NIGHT = {
    "name": "night",
    "rrule": "FREQ=WEEKLY;BYDAY=TH",
    "start": "21:00",
    "duration": "PT4H",
    "applies_to": ["firewall"],
}


def _document(*assets: dict[str, Any]) -> dict[str, Any]:
    return inventory_document(*assets, windows=[_NIGHT])


def _renewals(document: dict[str, Any]) -> dict[str, Any]:
    inventory = load_document(document)
    duties = apply(inventory, build_catalog(make_plugins()), as_of=START).duties
    return {d.subject: d for d in duties if d.activity.name == "renewal"}


class TestDuties:
    def test_each_kind_gets_its_lead_time(self) -> None:
        renewals = _renewals(
            _document(
                {"id": "portal-cert", "kind": "certificate", "expires": "2027-05-01"},
                {
                    "id": "acme-cert",
                    "kind": "certificate",
                    "expires": "2027-05-01",
                    "tags": ["acme"],
                },
                {"id": "example-nl", "kind": "domain", "expires": "2027-05-01"},
                {"id": "fw01", "kind": "firewall", "expires": "2027-05-01"},
                {"id": "fw02", "kind": "firewall"},
            )
        )
        expected = {
            "portal-cert": ("builtin/certificate-renewal", 30, 7),
            "acme-cert": ("builtin/certificate-acme-check", 25, 7),
            "example-nl": ("builtin/domain-renewal", 45, 14),
            "fw01": ("builtin/contract-renewal", 60, 30),
        }
        assert set(renewals) == set(expected)
        for asset, (rule, lead, margin) in expected.items():
            duty = renewals[asset]
            assert duty.rule.key == rule
            day = dt.date(2027, 5, 1)
            assert duty.cadence == Once(
                day - dt.timedelta(days=lead), day - dt.timedelta(days=margin)
            )

    def test_an_expiry_cadence_needs_a_lead_at_least_its_margin(self) -> None:
        with pytest.raises(ValueError, match="margin_days 9 is more than lead_days 3"):
            Expiry(lead_days=3, margin_days=9)

    def test_an_inventory_rule_can_have_an_expiry_cadence(self) -> None:
        document = _document({"id": "licence", "kind": "firewall", "expires": "2027-09-30"})
        document["rules"] = [
            {
                "extends": "builtin/contract-renewal",
                "cadence": {"expires_lead_days": 90, "expires_margin_days": 45},
            }
        ]
        (duty,) = _renewals(document).values()
        assert duty.cadence == Once(dt.date(2027, 7, 2), dt.date(2027, 8, 16))


@settings(max_examples=40, deadline=None)
@given(
    expires=st.dates(dt.date(2027, 3, 3), dt.date(2027, 12, 20)),
    kind=st.sampled_from(["certificate", "domain", "firewall"]),
)
def test_the_renewal_is_done_before_the_date(expires: dt.date, kind: str) -> None:
    """Whatever the date in the year (the whole lead time inside the plan): one
    renewal task, in office hours, on time, before the date itself."""
    document = _document({"id": "x", "kind": kind, "expires": expires.isoformat()})
    plan = plan_document(document, start=START, months=12)
    (task,) = tasks_for(plan, "x", "renewal")
    assert task.window is None
    day = task.start.date()
    assert day < expires
    assert not task.late_by
    assert task.due.deadline.date() < expires


class TestRisk:
    def test_an_expired_certificate_raises_the_risk_and_check_says_so(self) -> None:
        document = _document({"id": "portal-cert", "kind": "certificate", "expires": "2026-11-30"})
        inventory = load_document(document)
        catalog = build_catalog(make_plugins())
        risk = apply(inventory, catalog, as_of=START).risks["portal-cert"]
        (factor,) = [f for f in risk.factors if f.name == "expiry"]
        assert (factor.value, factor.contribution) == ("expired 2026-11-30", 25.0)
        found = [
            w for w in check_warnings(inventory, catalog, as_of=START) if w.code == "expiry-near"
        ]
        assert len(found) == 1
        assert "certificate portal-cert expired 2026-11-30 (as of 2027-01-01)" in found[0].message
        # Its renewal is due at once: planned in the first office days.
        plan = plan_document(document, start=START, months=1)
        (task,) = tasks_for(plan, "portal-cert", "renewal")
        assert task.start.date() <= dt.date(2027, 1, 8)

    def test_inside_the_lead_time_it_counts_less(self) -> None:
        document = _document({"id": "portal-cert", "kind": "certificate", "expires": "2027-01-20"})
        risk = apply(load_document(document), build_catalog(make_plugins()), as_of=START).risks
        (factor,) = [f for f in risk["portal-cert"].factors if f.name == "expiry"]
        assert (factor.value, factor.contribution) == ("expires 2027-01-20", 10.0)

    def test_far_off_dates_and_no_date_add_nothing(self) -> None:
        document = _document(
            {"id": "a", "kind": "certificate", "expires": "2027-12-01"},
            {"id": "b", "kind": "certificate"},
        )
        inventory = load_document(document)
        risks = apply(inventory, build_catalog(make_plugins()), as_of=START).risks
        assert not [f for r in risks.values() for f in r.factors if f.name == "expiry"]
        assert not [
            w
            for w in check_warnings(inventory, build_catalog(make_plugins()), as_of=START)
            if w.code == "expiry-near"
        ]

    def test_the_report_says_it_in_dutch(self) -> None:
        dutch = words_language("nl")
        assert factor_name(dutch, "expiry") == "verloopdatum"
        assert expiry(dutch, "expired 2026-11-30") == "verlopen op 30 nov 2026"
        assert expiry(dutch, "expires 2027-01-20") == "verloopt op 20 jan 2027"
