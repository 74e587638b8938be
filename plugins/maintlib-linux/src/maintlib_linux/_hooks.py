"""The hook implementations: what the pack gives maintlib."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from maintlib import hookimpl
from maintlib.packs import Activity, Asset, Lifecycle, RiskFactor, Rule, support_risk
from maintlib_linux._lifecycle import support
from maintlib_linux._rules import activities, rules


@hookimpl
def maintlib_activities() -> Sequence[Activity]:
    """The kernel reboot."""
    return activities()


@hookimpl
def maintlib_rules(lifecycle: Lifecycle) -> Sequence[Rule]:
    """Automatic security updates verified, kernel reboots, point releases, no service
    packs, and end of support (dated from ``lifecycle``)."""
    return rules(lifecycle)


@hookimpl
def maintlib_risk_factors(
    asset: Asset, as_of: dt.date | None, lifecycle: Lifecycle
) -> Sequence[RiskFactor] | None:
    """``end of support`` for a release past, near, or extended beyond its end."""
    factor = support_risk(asset, support(lifecycle), as_of)
    return [factor] if factor else None
