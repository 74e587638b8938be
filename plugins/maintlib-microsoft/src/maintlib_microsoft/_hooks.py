"""The hook implementations: what the pack gives maintlib."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from maintlib import hookimpl
from maintlib.packs import (
    Activity,
    Asset,
    DeadlinePolicy,
    Lifecycle,
    ProductFamily,
    ReleaseCalendar,
    RiskFactor,
    Rule,
)
from maintlib_microsoft._calendars import PATCH_TUESDAY, PREVIEW
from maintlib_microsoft._classification import msrc_deadline_policies
from maintlib_microsoft._families import FAMILIES
from maintlib_microsoft._lifecycle import lifecycle_rules, patch_end_rules, support_risk
from maintlib_microsoft._rules import activities, rules


@hookimpl
def maintlib_activities() -> Sequence[Activity]:
    """Hotpatch, feature update and preview validation."""
    return activities()


@hookimpl
def maintlib_release_calendars() -> Sequence[ReleaseCalendar]:
    """Patch Tuesday and the optional preview release."""
    return [PATCH_TUESDAY, PREVIEW]


@hookimpl
def maintlib_rules(lifecycle: Lifecycle) -> Sequence[Rule]:
    """Servers, products, cloud, clients, hotpatch, servicing, and end of support
    (dated from ``lifecycle``)."""
    pack = rules()
    return [*pack, *lifecycle_rules(lifecycle), *patch_end_rules(pack, lifecycle)]


@hookimpl
def maintlib_deadline_policies() -> Sequence[DeadlinePolicy]:
    """Deadlines per MSRC severity, for the vulnerability path."""
    return msrc_deadline_policies()


@hookimpl
def maintlib_product_families() -> Sequence[ProductFamily]:
    """Windows (by its KEV product and component names), Exchange, SQL Server, SharePoint."""
    return FAMILIES


@hookimpl
def maintlib_risk_factors(
    asset: Asset, as_of: dt.date | None, lifecycle: Lifecycle
) -> Sequence[RiskFactor] | None:
    """``end of support`` for a product past, or within a year of, its end."""
    factor = support_risk(asset, as_of, lifecycle)
    return [factor] if factor else None
