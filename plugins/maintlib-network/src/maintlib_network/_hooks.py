"""The hook implementations: what the pack gives maintlib."""

from __future__ import annotations

from collections.abc import Sequence

from maintlib import hookimpl
from maintlib.packs import Activity, DeadlinePolicy, ProductFamily, ReleaseCalendar, Rule
from maintlib_network._families import FAMILIES
from maintlib_network._rules import activities, psirt_deadline_policies, rules
from maintlib_network._vendors import VENDORS


@hookimpl
def maintlib_activities() -> Sequence[Activity]:
    """The vendor advisory check."""
    return activities()


@hookimpl
def maintlib_release_calendars() -> Sequence[ReleaseCalendar]:
    """Cisco IOS/IOS XE, Fortinet PSIRT, Juniper SIRT and Palo Alto Networks."""
    return [vendor.calendar for vendor in VENDORS if vendor.calendar is not None]


@hookimpl
def maintlib_rules() -> Sequence[Rule]:
    """PSIRT fixes, firmware, HA variants, access reviews, advisory checks, backups, logs."""
    return rules()


@hookimpl
def maintlib_deadline_policies() -> Sequence[DeadlinePolicy]:
    """Deadlines per advisory severity (Critical, High, Medium, Low)."""
    return psirt_deadline_policies()


@hookimpl
def maintlib_product_families() -> Sequence[ProductFamily]:
    """What FortiGates, Catalysts, SRXs, PA-Series and RouterBOARDs run, as feeds name it."""
    return FAMILIES
