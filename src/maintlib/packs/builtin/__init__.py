"""The built-in rule pack: the knowledge of the article maintlib was founded on.

Loaded through the entry point ``builtin`` exactly like an external pack (and
blockable like one). Every rule cites the section of ``docs/domain.md`` it encodes;
numbers the article does not give are documented defaults, with the reason, in
``docs/rules.md``. Inventories override any of them with ``[[rules]]``.

The pack is this package: its hook implementations are re-exported here, where the
entry point ``maintlib.packs.builtin`` finds them. One module per concern:
:mod:`~maintlib.packs.builtin.kinds` (asset kinds and activities),
:mod:`~maintlib.packs.builtin.deadlines` (deadline policies),
:mod:`~maintlib.packs.builtin.common` (what the rules share), the rules per domain
(:mod:`~maintlib.packs.builtin.servers`, ``network``, ``endpoints``, ``applications``,
``backups``, ``organisation``, gathered in :mod:`~maintlib.packs.builtin.rules`) and
:mod:`~maintlib.packs.builtin.rates` (rate cards).
"""

from maintlib.packs.builtin.backups import BACKUP_ADVISORIES
from maintlib.packs.builtin.common import (
    ARTICLE,
    ENDPOINTS,
    FLEET_CHECK_PER_ASSET,
    FLEET_PER_ASSET,
    FORTNIGHTLY,
    MONTHLY,
    NETWORK,
    PHYSICAL_SERVERS,
    QUARTERLY,
    SERVERS,
    WEEKLY,
    WORKDAYS,
    YEARLY,
)
from maintlib.packs.builtin.deadlines import maintlib_deadline_policies
from maintlib.packs.builtin.expiries import maintlib_risk_factors
from maintlib.packs.builtin.kinds import maintlib_activities, maintlib_asset_kinds
from maintlib.packs.builtin.rates import (
    COST_SOURCE,
    DEFAULT_BANDS,
    HOURLY,
    WEEKDAYS,
    maintlib_rate_cards,
)
from maintlib.packs.builtin.rules import maintlib_rules

__all__ = [
    "ARTICLE",
    "BACKUP_ADVISORIES",
    "COST_SOURCE",
    "DEFAULT_BANDS",
    "ENDPOINTS",
    "FLEET_CHECK_PER_ASSET",
    "FLEET_PER_ASSET",
    "FORTNIGHTLY",
    "HOURLY",
    "MONTHLY",
    "NETWORK",
    "PHYSICAL_SERVERS",
    "QUARTERLY",
    "SERVERS",
    "WEEKDAYS",
    "WEEKLY",
    "WORKDAYS",
    "YEARLY",
    "maintlib_activities",
    "maintlib_asset_kinds",
    "maintlib_deadline_policies",
    "maintlib_rate_cards",
    "maintlib_risk_factors",
    "maintlib_rules",
]
