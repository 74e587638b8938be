"""The built-in pack's rules for network equipment (article §1, §6)."""

from __future__ import annotations

from maintlib._util.text import N_
from maintlib.model.rules import Deadlines, Rule, Step, StepKind
from maintlib.model.vocabulary import Mode, Tier, UpdateClass
from maintlib.packs.builtin.common import (
    ACCESS_REVIEW,
    CONFIGURATION_BACKUP,
    FLEET_CHECK_PER_ASSET,
    HANDS_ON_PHYSICAL,
    LOG_REVIEW,
    MONTHLY,
    NETWORK,
    QUARTERLY,
    WEEKLY,
    article_rule,
)

_NETWORK_STEPS = (
    Step(StepKind.BACKUP, N_("Back up the device configuration first.")),
    Step(StepKind.TEST, N_("Confirm the same firmware passed the lower ring.")),
    Step(StepKind.UPDATE, N_("Install the firmware, most critical device first.")),
    Step(StepKind.VERIFY, N_("Verify everything works afterwards: links, VPNs, wireless, rules.")),
    Step(StepKind.ROLLBACK, N_("If problems appear: boot the previous image, restore the config.")),
)


def network_rules() -> list[Rule]:
    """Network equipment: firmware outside office hours, backups, access, logs."""
    window, office = Mode.WINDOW, Mode.OFFICE_HOURS
    fw = UpdateClass.FIRMWARE
    return [
        # Network equipment (§1, §6): firmware outside office hours, backups, access.
        article_rule(
            "network-firmware",
            "firmware-update",
            NETWORK,
            QUARTERLY,
            1,
            "§1, §6: firmware updates, planned, outside office hours, verified afterwards",
            mode=window,
            effort=HANDS_ON_PHYSICAL,
            update_class=fw,
            downtime=True,
            steps=_NETWORK_STEPS,
        ),
        article_rule(
            "network-configuration-backup",
            "configuration-backup",
            NETWORK,
            MONTHLY,
            0.25,
            "§1: configuration management and configuration backups",
            mode=office,
            deadlines=Deadlines.same(7),
            steps=CONFIGURATION_BACKUP,
            fleet=True,
            duration_per_asset=FLEET_CHECK_PER_ASSET,
        ),
        article_rule(
            "network-access-review",
            "access-review",
            NETWORK,
            QUARTERLY,
            0.5,
            "§1: not exposed to the internet, strong passwords, few admin accounts",
            mode=office,
            deadlines=Deadlines(14, 30, 45, 60),
            steps=ACCESS_REVIEW,
        ),
        article_rule(
            "network-log-review",
            "log-review",
            ("firewall", "router"),
            MONTHLY,
            0.5,
            "§1: traffic monitoring to detect anomalies",
            mode=office,
            deadlines=Deadlines(3, 7, 14, 21),
            steps=LOG_REVIEW,
            fleet=True,
            duration_per_asset=FLEET_CHECK_PER_ASSET,
            cadence_by_tier=((Tier.P1, WEEKLY),),
        ),
    ]
