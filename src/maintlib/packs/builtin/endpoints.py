"""The built-in pack's rules for workstations and laptops (article §1, §4)."""

from __future__ import annotations

from maintlib.model.rules import Deadlines, Rule, section5_steps
from maintlib.model.vocabulary import Mode, UpdateClass
from maintlib.packs.builtin.common import ENDPOINTS, FLEET_PER_ASSET, MONTHLY, article_rule


def endpoint_rules() -> list[Rule]:
    """Workstations and laptops: automatic updates and definitions, verified."""
    automatic = Mode.AUTOMATIC
    sec, defs = UpdateClass.SECURITY, UpdateClass.DEFINITIONS
    return [
        # Workstations and laptops (§1, §4): automatic updates, verified.
        article_rule(
            "endpoint-automatic-updates",
            "security-updates",
            ENDPOINTS,
            MONTHLY,
            1 / 6,
            "§1, §4: automatic updates close holes without waiting for people; verified",
            mode=automatic,
            update_class=sec,
            steps=section5_steps(),
            duration_per_asset=FLEET_PER_ASSET,
        ),
        article_rule(
            "endpoint-definitions",
            "definitions-update",
            ENDPOINTS,
            MONTHLY,
            1 / 12,
            "§1: antivirus management",
            mode=automatic,
            update_class=defs,
            deadlines=Deadlines.same(7),
            duration_per_asset=FLEET_PER_ASSET,
        ),
    ]
