"""The hook implementations: what the pack gives maintlib."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from maintlib import hookimpl
from maintlib.packs import (
    Activity,
    Asset,
    Lifecycle,
    ReleaseCalendar,
    RiskFactor,
    Rule,
    support_risk,
)
from maintlib_thirdparty._calendars import ADOBE_SECURITY, M365_APPS, ORACLE_CPU_DAYS
from maintlib_thirdparty._lifecycle import support
from maintlib_thirdparty._rules import activities, rules


@hookimpl
def maintlib_activities() -> Sequence[Activity]:
    """The move to the next extended-support branch (Firefox ESR)."""
    return activities()


@hookimpl
def maintlib_release_calendars() -> Sequence[ReleaseCalendar]:
    """Adobe's scheduled updates, Oracle's Critical Patch Updates, Microsoft 365 Apps."""
    return [ADOBE_SECURITY, ORACLE_CPU_DAYS, M365_APPS]


@hookimpl
def maintlib_rules(lifecycle: Lifecycle) -> Sequence[Rule]:
    """Browsers, Acrobat, Java, Microsoft 365 Apps, and Java's end of support (dated
    from ``lifecycle``)."""
    return rules(lifecycle)


@hookimpl
def maintlib_risk_factors(
    asset: Asset, as_of: dt.date | None, lifecycle: Lifecycle
) -> Sequence[RiskFactor] | None:
    """``end of support`` for a Java SE release past or near its end."""
    factor = support_risk(asset, support(lifecycle), as_of)
    return [factor] if factor else None
