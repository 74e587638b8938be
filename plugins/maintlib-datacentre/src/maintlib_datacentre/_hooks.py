"""The hook implementations: what the pack gives maintlib."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from maintlib import hookimpl
from maintlib.packs import Activity, Asset, Lifecycle, RiskFactor, Rule, support_risk
from maintlib_datacentre._lifecycle import support
from maintlib_datacentre._rules import activities, rules


@hookimpl
def maintlib_activities() -> Sequence[Activity]:
    """The monthly vendor advisory review."""
    return activities()


@hookimpl
def maintlib_rules(lifecycle: Lifecycle) -> Sequence[Rule]:
    """vSphere, server firmware and controllers, NAS and backup, and end of support
    (dated from ``lifecycle``)."""
    return rules(lifecycle)


@hookimpl
def maintlib_risk_factors(
    asset: Asset, as_of: dt.date | None, lifecycle: Lifecycle
) -> Sequence[RiskFactor] | None:
    """``end of support`` for vSphere, DSM and Veeam releases past or near their end."""
    factor = support_risk(asset, support(lifecycle), as_of)
    return [factor] if factor else None
