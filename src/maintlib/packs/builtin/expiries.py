"""Expiries: certificates, domains, and anything with an ``expires`` date (a support
contract, a warranty, a subscription). An expired portal certificate or a lapsed
domain is one of the commonest outages an IT provider causes; the renewal is planned
ahead of the date, and a date already past or near raises the asset's risk.

Lead times, with their sources:

* **TLS certificates**: renewed from 30 days before expiry, by 7 days before. Let's
  Encrypt's integration guide: "we recommend renewing certificates automatically when
  they have a third of their total lifetime left" — 30 days of a 90-day certificate
  (https://letsencrypt.org/docs/integration-guide/). The CA/Browser Forum's ballot
  SC-081 shortens the maximum validity of public TLS certificates to 200 days from
  15 March 2026, 100 days from 15 March 2027 and 47 days from 15 March 2029
  (https://cabforum.org/2025/04/11/ballot-sc081v3-introduce-schedule-of-reducing-validity-and-data-reuse-periods/):
  renewals come ever more often, so certificates tagged ``acme`` (renewed by an ACME
  client) get a check that the renewal happened instead of manual work.
* **Domain names**: renewed from 45 days before expiry, by 14 days before. ICANN's
  Expired Registration Recovery Policy has registrars send renewal reminders about one
  month and about one week before expiration
  (https://www.icann.org/resources/pages/errp-2013-02-28-en); maintlib starts before
  the first and finishes a week before the second.
* **Contracts, warranties, subscriptions** on any other asset: from 60 days before,
  by 30 days before — a purchase order and a supplier's quote take weeks (maintlib
  default).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from maintlib._util.text import N_
from maintlib.model.inventory import Asset
from maintlib.model.risk import RiskFactor
from maintlib.model.rules import Expiry, Rule, Selector, Step, StepKind
from maintlib.model.vocabulary import Mode
from maintlib.packs.hookspecs import hookimpl

__all__ = [
    "CERTIFICATE",
    "CONTRACT",
    "DOMAIN",
    "EXPIRED_RISK",
    "EXPIRING_RISK",
    "expiry_rules",
    "maintlib_risk_factors",
]

#: Certificates: from 30 days before expiry, by 7 (Let's Encrypt's integration guide).
CERTIFICATE = Expiry(lead_days=30, margin_days=7)
#: Domains: from 45 days before expiry, by 14 (ICANN ERRP reminders a month and a week ahead).
DOMAIN = Expiry(lead_days=45, margin_days=14)
#: Contracts, warranties and subscriptions: from 60 days before, by 30 (maintlib default).
CONTRACT = Expiry(lead_days=60, margin_days=30)

#: Risk points when the date has passed: as much as a product past its end of support
#: (``maintlib.packs.lifecycle.ENDED_RISK``): nothing protects the service any more.
EXPIRED_RISK = 25.0
#: Risk points within the lead time of the asset's renewal rule (the date is near).
EXPIRING_RISK = 10.0

_LETS_ENCRYPT = "Let's Encrypt, Integration Guide, https://letsencrypt.org/docs/integration-guide/"
_CABF = (
    "CA/Browser Forum ballot SC-081v3 (validity 200 days from 2026-03-15, 100 from"
    " 2027-03-15, 47 from 2029-03-15), https://cabforum.org/2025/04/11/"
    "ballot-sc081v3-introduce-schedule-of-reducing-validity-and-data-reuse-periods/"
)
_ERRP = (
    "ICANN Expired Registration Recovery Policy (reminders about one month and one week"
    " before expiration), https://www.icann.org/resources/pages/errp-2013-02-28-en"
)


def expiry_rules() -> list[Rule]:
    """Renewals ahead of the ``expires`` date, by kind."""
    return [
        Rule(
            id="certificate-renewal",
            activity="renewal",
            selector=Selector(kinds=("certificate",)),
            cadence=CERTIFICATE,
            duration=dt.timedelta(minutes=45),
            mode=Mode.OFFICE_HOURS,
            steps=(
                Step(StepKind.WORK, N_("Request or renew the certificate (same names, key size).")),
                Step(
                    StepKind.UPDATE, N_("Install it everywhere it is used; restart what reads it.")
                ),
                Step(StepKind.VERIFY, N_("Check the served chain and the new expiry date.")),
                Step(StepKind.WORK, N_("Record the new expires date in the inventory.")),
            ),
            citation=f"{_LETS_ENCRYPT} (renew with a third of the lifetime left); {_CABF}",
        ),
        Rule(
            id="certificate-acme-check",
            activity="renewal",
            selector=Selector(kinds=("certificate",), tags=("acme",)),
            cadence=Expiry(lead_days=25, margin_days=7),
            duration=dt.timedelta(minutes=10),
            mode=Mode.OFFICE_HOURS,
            steps=(
                Step(
                    StepKind.VERIFY,
                    N_("The ACME client renewed it: the served certificate's expiry moved on."),
                ),
                Step(StepKind.WORK, N_("If not: renew by hand and repair the client.")),
            ),
            citation=(
                f"{_LETS_ENCRYPT}: an ACME client renews at a third of the lifetime; checked"
                f" five days after it should have; {_CABF}"
            ),
        ),
        Rule(
            id="domain-renewal",
            activity="renewal",
            selector=Selector(kinds=("domain",)),
            cadence=DOMAIN,
            duration=dt.timedelta(minutes=20),
            mode=Mode.OFFICE_HOURS,
            steps=(
                Step(
                    StepKind.WORK, N_("Renew at the registrar (or check auto-renew and payment).")
                ),
                Step(StepKind.VERIFY, N_("WHOIS/RDAP shows the new expiry date; DNS unchanged.")),
                Step(StepKind.WORK, N_("Record the new expires date in the inventory.")),
            ),
            citation=_ERRP,
        ),
        Rule(
            id="contract-renewal",
            activity="renewal",
            selector=Selector(),
            cadence=CONTRACT,
            duration=dt.timedelta(minutes=30),
            mode=Mode.OFFICE_HOURS,
            steps=(
                Step(
                    StepKind.WORK, N_("Ask the supplier for a quote; renew or decide to replace.")
                ),
                Step(StepKind.WORK, N_("Record the new expires date in the inventory.")),
            ),
            citation=(
                "Support contracts, warranties and subscriptions (FortiGuard, a vendor's"
                " support) lapse on a date: renewed ahead of it, a purchase takes weeks"
                " (maintlib default)"
            ),
        ),
    ]


_LEADS = {"certificate": CERTIFICATE, "domain": DOMAIN}


@hookimpl
def maintlib_risk_factors(asset: Asset, as_of: dt.date | None) -> Sequence[RiskFactor] | None:
    """``expiry``: 25 points once the asset's ``expires`` date has passed, 10 within
    its renewal's lead time; nothing without a date or an ``as_of`` day."""
    if asset.expires is None or as_of is None:
        return None
    lead = _LEADS.get(asset.kind, CONTRACT).lead_days
    if asset.expires < as_of:
        return [RiskFactor("expiry", f"expired {asset.expires.isoformat()}", EXPIRED_RISK)]
    if asset.expires <= as_of + dt.timedelta(days=lead):
        return [RiskFactor("expiry", f"expires {asset.expires.isoformat()}", EXPIRING_RISK)]
    return None
