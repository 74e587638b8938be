"""The catalog: everything the loaded rule packs know, merged and checked (built by
:func:`maintlib.packs.build_catalog`)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Any, Protocol

import attrs

from maintlib.model.errors import InputError, Problem
from maintlib.model.inventory import Asset, Inventory
from maintlib.model.naming import ProductFamily
from maintlib.model.rates import CostingSettings, RateCard, check_bands
from maintlib.model.risk import RiskFactor
from maintlib.model.rules import Activity, DeadlinePolicy, Deadlines, ReleaseCalendar, Rule
from maintlib.model.vocabulary import AssetKind, Category, Tier, UpdateClass
from maintlib.model.vulnerabilities import VulnerabilityPolicy

__all__ = ["Catalog", "PackHooks", "PackInfo", "rate_card_for", "select_rate_card"]


class PackHooks(Protocol):
    """The per-asset hooks a catalog keeps from its packs, consulted while duties are
    built (the facade :class:`maintlib.packs.Plugins` is one)."""

    def risk_factors(
        self, asset: Asset, inventory: Inventory, as_of: dt.date | None = None
    ) -> list[tuple[str, RiskFactor]]: ...


@attrs.frozen
class Catalog:
    """Asset kinds, activities, release calendars, rules, deadline policies and
    rate cards from every loaded pack.

    Attributes:
        vulnerability_policies: Vulnerability deadline policies by id
            (``docs/vulnerabilities.md``).
        product_families: What the packs' products run, as feeds name it, by pack
            (:class:`~maintlib.model.naming.ProductFamily`).
        plugins: The packs, kept for the per-asset hooks consulted while duties
            are built (risk factors); None for a catalog built by hand.
    """

    kinds: Mapping[str, AssetKind]
    activities: Mapping[str, Activity]
    calendars: Mapping[str, ReleaseCalendar]
    rules: tuple[Rule, ...]
    deadline_policies: tuple[DeadlinePolicy, ...]
    rate_cards: Mapping[str, RateCard]
    packs: tuple[PackInfo, ...] = ()
    vulnerability_policies: Mapping[str, VulnerabilityPolicy] = attrs.field(factory=dict)
    product_families: tuple[ProductFamily, ...] = ()
    plugins: PackHooks | None = attrs.field(default=None, eq=False, repr=False)

    def rule(self, key: str) -> Rule:
        """The rule named ``pack/id``.

        Raises:
            KeyError: No such rule.
        """
        for rule in self.rules:
            if rule.key == key:
                return rule
        raise KeyError(key)

    def default_deadlines(self, update_class: UpdateClass | None) -> Deadlines | None:
        """The strictest deadlines any policy sets for ``update_class``, per tier."""
        policies = [
            p.deadlines
            for p in self.deadline_policies
            if update_class is not None and p.update_class is update_class and p.severity is None
        ]
        if not policies:
            return None
        return Deadlines(*(min(d.for_tier(t) for d in policies) for t in Tier))

    def rules_by_pack(self) -> dict[str, int]:
        """Number of rules each pack contributed."""
        counts = {pack.name: 0 for pack in self.packs}
        for rule in self.rules:
            counts[rule.pack] = counts.get(rule.pack, 0) + 1
        return counts


#: The profile name that chooses by the organisation's size.
AUTO = "auto"


def _size_distance(users: int, card: RateCard) -> float:
    """How far ``users`` lies from the size ``card`` was written for (0: inside),
    as a ratio on a log scale (40 users is as far from 25 as 25 from 15.6)."""
    assert card.users is not None
    fewest, most = card.users
    users = max(users, 1)
    if users < fewest:
        return math.log(fewest / users)
    if most is not None and users > most:
        return math.log(users / most)
    return 0.0


def select_rate_card(inventory: Inventory, catalog: Catalog) -> RateCard | None:
    """The profile ``[costing] profile = "auto"`` takes.

    Among the cards that say which size they fit (``users``) and, where they say
    it, whether the company has servers on site: the nearest by users on a log
    scale (ties: by name). The article's three: ``smb-cloud`` (5-25, no servers),
    ``production`` (25, servers on site), ``tech`` (150 and more). When no pack
    gives sizes: the ``default`` card.
    """
    kinds = catalog.kinds
    on_site = any(
        asset.kind in kinds and kinds[asset.kind].category is Category.SERVER
        for asset in inventory.assets
    )
    users = inventory.organisation.users
    fitting = [
        card
        for card in catalog.rate_cards.values()
        if card.users is not None
        and (card.servers_on_site is None or card.servers_on_site == on_site)
    ]
    if not fitting:
        return catalog.rate_cards.get("default")
    return min(fitting, key=lambda card: (_size_distance(users, card), card.name))


def rate_card_for(inventory: Inventory, catalog: Catalog) -> RateCard | None:
    """The inventory's profile with its overrides applied.

    Returns:
        The rate card, or None when the inventory names no profile and the
        default profile's currency is not the organisation's (nothing to cost
        with).

    Raises:
        InputError: The profile does not exist, its currency differs from the
            organisation's, or the resulting bands leave a gap or overlap.
    """
    settings = inventory.costing
    currency = inventory.organisation.currency
    name = settings.profile if settings else "default"
    card = select_rate_card(inventory, catalog) if name == AUTO else catalog.rate_cards.get(name)
    if card is None:
        if settings is None:
            return None
        raise InputError([Problem("<inventory>", "costing.profile", f"unknown profile {name!r}")])
    if settings is None:
        return card if card.currency == currency else None
    card = _override(card, settings)
    if card.currency != currency:
        raise InputError(
            [
                Problem(
                    "<inventory>",
                    "costing.profile",
                    f"profile {name!r} is priced in {card.currency}, the organisation uses"
                    f" {currency}; override its hourly rate and fees in {currency}",
                )
            ]
        )
    problem = check_bands(card.bands)
    if problem:
        raise InputError([Problem("<inventory>", "costing.bands", problem)])
    return card


def _replace_by_name(original: tuple[Any, ...], changes: tuple[Any, ...]) -> tuple[Any, ...]:
    names = {item.name for item in changes}
    return (*(item for item in original if item.name not in names), *changes)


def _override(card: RateCard, settings: CostingSettings) -> RateCard:
    changes: dict[str, Any] = {
        "fees": _replace_by_name(card.fees, settings.fees),
        "daily_labour": _replace_by_name(card.daily_labour, settings.daily_labour),
    }
    for field in ("hourly", "minimum_billable", "billing_increment", "callout"):
        value = getattr(settings, field)
        if value is not None:
            changes[field] = value
    if settings.bands:
        changes["bands"] = settings.bands
    return attrs.evolve(card, **changes)


@attrs.frozen
class PackInfo:
    """A loaded pack: its name, version and the hooks it implements."""

    name: str
    version: str
    hooks: tuple[str, ...]
