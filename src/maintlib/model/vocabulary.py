"""The small closed vocabularies of the domain, and asset kinds.

Asset kinds are *open*: rule packs add them through the ``maintlib_asset_kinds``
hook, and the built-in kinds arrive the same way, from the built-in pack. The other
vocabularies here are closed enums.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping

import attrs

from maintlib._util.text import IDENTIFIER, check_identifier

__all__ = [
    "IDENTIFIER",
    "AssetKind",
    "Category",
    "Criticality",
    "Environment",
    "Exposure",
    "GroupPolicy",
    "Mode",
    "Tier",
    "UpdateClass",
    "kind_hint",
]


class UpdateClass(enum.StrEnum):
    """What kind of update an activity installs (``docs/domain.md`` section 4)."""

    SECURITY = "security"
    STANDARD = "standard"
    SERVICE_PACK = "service_pack"
    FIRMWARE = "firmware"
    DEFINITIONS = "definitions"


class Criticality(enum.StrEnum):
    """How important an asset is to the business processes it supports."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        """0 for low up to 3 for critical."""
        return list(Criticality).index(self)


class Exposure(enum.StrEnum):
    """How reachable an asset is."""

    ISOLATED = "isolated"
    INTERNAL = "internal"
    INTERNET = "internet"

    @property
    def rank(self) -> int:
        """0 for isolated up to 2 for internet-facing."""
        return list(Exposure).index(self)


class Environment(enum.StrEnum):
    """Which environment an asset belongs to; it sets the asset's ring."""

    DEVELOPMENT = "development"
    TEST = "test"
    ACCEPTANCE = "acceptance"
    PRODUCTION = "production"

    @property
    def ring(self) -> int:
        """The update ring: 0 (test, development), 1 (acceptance), 2 (production)."""
        return {"development": 0, "test": 0, "acceptance": 1, "production": 2}[self.value]


class Tier(enum.StrEnum):
    """Priority tier a risk score maps to; P1 is the most urgent."""

    P1 = "P1"
    P2 = "P2"
    P3 = "P3"
    P4 = "P4"

    @property
    def rank(self) -> int:
        """0 for P1 up to 3 for P4 (lower sorts first)."""
        return list(Tier).index(self)


class Mode(enum.StrEnum):
    """How an activity is carried out."""

    #: Planned work inside a maintenance window.
    WINDOW = "window"
    #: Work during office hours on business days.
    OFFICE_HOURS = "office_hours"
    #: The asset updates itself; a person verifies during office hours.
    AUTOMATIC = "automatic"
    #: A one-off project planned with the owner (an upgrade or replacement at the
    #: end of support): listed with its deadline and costed, placed in no window.
    PROJECT = "project"


class GroupPolicy(enum.StrEnum):
    """How the members of a redundancy group take their downtime."""

    #: One after another in the same window occurrence, never two down at once,
    #: with a settle gap between them (the default).
    ROLLING = "rolling"
    #: In different window occurrences: a soak between the members.
    SEPARATE = "separate"


class Category(enum.StrEnum):
    """The broad family an asset kind belongs to."""

    SERVER = "server"
    NETWORK = "network"
    ENDPOINT = "endpoint"
    APPLICATION = "application"
    CLOUD = "cloud"
    BACKUP = "backup"
    OTHER = "other"


def identifier(_: object, attribute: attrs.Attribute[str], value: str) -> None:
    """An attrs validator: :func:`check_identifier`, naming the field, with the pattern."""
    check_identifier(value, attribute.name)


def spelled_identifier(_: object, attribute: attrs.Attribute[str], value: str) -> None:
    """An attrs validator: :func:`check_identifier`, naming the field, the form in words."""
    check_identifier(value, attribute.name, spelled=True)


@attrs.frozen
class AssetKind:
    """A kind of asset a rule pack knows about.

    Attributes:
        name: The kind's identifier, as written in inventories (``firewall``).
        category: The family it belongs to.
        label: A human label (``Firewall``).
        infrastructure: True for kinds many other assets depend on (hypervisors,
            storage, network gear): the article maintains them more and earlier.
        aliases: Other words people write for the kind (``nas``, ``san`` for
            ``storage``): an inventory that writes one is told the kind's name.
    """

    name: str = attrs.field(validator=identifier)
    category: Category
    label: str
    infrastructure: bool = False
    aliases: tuple[str, ...] = ()


def kind_hint(word: str, kinds: Mapping[str, AssetKind] | Iterable[str]) -> str:
    """`` — did you mean "storage"?`` for an unknown kind: by the words people use for a
    kind (:attr:`AssetKind.aliases`: ``nas`` is ``storage``), else by spelling."""
    from maintlib._util.text import did_you_mean

    folded = word.strip().casefold().replace("-", "_").replace(" ", "_")
    if isinstance(kinds, Mapping):
        for kind in sorted(kinds.values(), key=lambda k: k.name):
            if folded == kind.name or folded in (a.casefold() for a in kind.aliases):
                return f' — did you mean "{kind.name}"?'
    return did_you_mean(word, kinds)
