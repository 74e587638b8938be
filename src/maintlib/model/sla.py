"""The service level agreement of outsourced maintenance (``[sla]`` in the inventory).

What an SLA for IT maintenance holds follows the article's section 9
("Uitbesteden", outsourcing under an SLA): who provides the service to whom,
response and resolution times per priority, patch deadlines per update class,
the maintenance windows agreed, the availability target, how often the provider
reports, whom to escalate to, and how often the agreement is reviewed.
``docs/sla.md`` documents every key; :mod:`maintlib.records.sla` checks plans and logs
against it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

import attrs

from maintlib._util.clock import format_duration
from maintlib._util.text import did_you_mean
from maintlib.model.vocabulary import Tier, UpdateClass

__all__ = ["REVIEW_RULES", "Contact", "PatchDeadlines", "PriorityTimes", "Sla", "sla_problems"]


#: The review cadences, as recurrences (first day of the period, 09:00 is set by
#: the office hours the review is planned in).
REVIEW_RULES = {
    "monthly": "FREQ=MONTHLY;BYMONTHDAY=1",
    "quarterly": "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1",
    "half-yearly": "FREQ=MONTHLY;INTERVAL=6;BYMONTHDAY=1",
    "yearly": "FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=1",
}


def _positive_or_none(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if not isinstance(value, dt.timedelta):
        raise TypeError(f"{attribute.name} must be a duration, got {value!r}")
    if value <= dt.timedelta(0):
        raise ValueError(f"{attribute.name} must be longer than zero")


def _days_or_none(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{attribute.name} must be a number of days, got {value!r}")
    if not 0 <= value <= 3660:
        raise ValueError(f"{attribute.name} must be 0 to 3660 days, got {value}")


@attrs.frozen
class PriorityTimes:
    """A time per priority tier (``p1`` … ``p4``); None: not agreed for that tier."""

    p1: dt.timedelta | None = attrs.field(default=None, validator=_positive_or_none)
    p2: dt.timedelta | None = attrs.field(default=None, validator=_positive_or_none)
    p3: dt.timedelta | None = attrs.field(default=None, validator=_positive_or_none)
    p4: dt.timedelta | None = attrs.field(default=None, validator=_positive_or_none)

    def for_tier(self, tier: Tier) -> dt.timedelta | None:
        """The time agreed for ``tier``, or None."""
        value: dt.timedelta | None = getattr(self, tier.value.lower())
        return value


@attrs.frozen
class PatchDeadlines:
    """Days from a vendor's release by which its update must be installed, per
    update class; None: not agreed for that class."""

    security: int | None = attrs.field(default=None, validator=_days_or_none)
    standard: int | None = attrs.field(default=None, validator=_days_or_none)
    service_pack: int | None = attrs.field(default=None, validator=_days_or_none)
    firmware: int | None = attrs.field(default=None, validator=_days_or_none)
    definitions: int | None = attrs.field(default=None, validator=_days_or_none)

    def for_class(self, update_class: UpdateClass) -> int | None:
        """The days agreed for ``update_class``, or None."""
        value: int | None = getattr(self, update_class.value)
        return value


@attrs.frozen
class Contact:
    """Someone to escalate to, in order of the list."""

    name: str = attrs.field(validator=attrs.validators.min_len(1))
    role: str = ""
    email: str = ""
    phone: str = ""


def _percent(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{attribute.name} must be a percentage, got {value!r}")
    if not 0 < value <= 100:
        raise ValueError(f"{attribute.name} must be above 0 and at most 100, got {value}")


def _period(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value not in REVIEW_RULES:
        raise ValueError(f"{attribute.name} {value!r} is none of {', '.join(REVIEW_RULES)}")


@attrs.frozen
class Sla:
    """The agreement between the maintenance provider and the customer.

    Attributes:
        provider: Who maintains.
        customer: For whom.
        response: Time from the moment work becomes due (a release, a
            vulnerability known) to its start, per priority.
        resolution: Time from that moment to the work's end, per priority.
        patch_deadlines: Days from a release to its installation, per update class.
        deadline_policy: A vulnerability deadline policy the provider keeps to
            (``docs/vulnerabilities.md``), or None.
        windows: The maintenance windows agreed (names of the inventory's
            windows); empty: any window of the inventory.
        availability: The availability target, in percent, or None.
        reporting: How often the provider reports (``monthly`` …).
        review: How often the agreement is reviewed; the review becomes a task
            in the plan.
        review_duration: How long a review takes.
        escalation: Whom to escalate to, in order.
    """

    provider: str = attrs.field(validator=attrs.validators.min_len(1))
    customer: str = attrs.field(validator=attrs.validators.min_len(1))
    response: PriorityTimes = PriorityTimes()
    resolution: PriorityTimes = PriorityTimes()
    patch_deadlines: PatchDeadlines = PatchDeadlines()
    deadline_policy: str | None = None
    windows: tuple[str, ...] = attrs.field(default=(), converter=tuple)
    availability: float | None = attrs.field(default=None, validator=_percent)
    reporting: str = attrs.field(default="monthly", validator=_period)
    review: str = attrs.field(default="quarterly", validator=_period)
    review_duration: dt.timedelta = attrs.field(
        default=dt.timedelta(hours=1), validator=_positive_or_none
    )
    escalation: tuple[Contact, ...] = attrs.field(default=(), converter=tuple)


def sla_problems(
    sla: Sla, windows: Collection[str], policies: Collection[str]
) -> list[tuple[str, str]]:
    """What is wrong with ``sla`` against the inventory and the packs:
    ``(location, message)`` pairs, located under ``sla``."""
    problems = []
    for index, name in enumerate(sla.windows):
        if name not in windows:
            problems.append(
                (f"sla.windows[{index}]", f'unknown window "{name}"{did_you_mean(name, windows)}')
            )
    if sla.deadline_policy is not None and sla.deadline_policy not in policies:
        problems.append(
            (
                "sla.deadline_policy",
                f'unknown deadline policy "{sla.deadline_policy}"'
                f"{did_you_mean(sla.deadline_policy, policies)}",
            )
        )
    for tier in Tier:
        response, resolution = sla.response.for_tier(tier), sla.resolution.for_tier(tier)
        if response is not None and resolution is not None and resolution < response:
            problems.append(
                (
                    f"sla.resolution.{tier.value.lower()}",
                    f"{format_duration(resolution)} is shorter than the response time"
                    f" {format_duration(response)}",
                )
            )
    return problems
