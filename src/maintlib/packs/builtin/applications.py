"""The built-in pack's rules for applications and cloud services (article §1, §7)."""

from __future__ import annotations

import datetime as dt

from maintlib.model.rules import Deadlines, Rule, Selector, section5_steps
from maintlib.model.vocabulary import Mode, UpdateClass
from maintlib.packs.builtin.common import (
    ARTICLE,
    CLOUD_REVIEW,
    DATABASE_CHECK,
    HANDS_ON_FIRMWARE,
    HANDS_ON_PATCH,
    LICENCE_REVIEW,
    MONTHLY,
    QUARTERLY,
    article_rule,
    in_hours,
)


def application_rules() -> list[Rule]:
    """Applications and cloud services: updates, databases, reviews, licences."""
    window, office = Mode.WINDOW, Mode.OFFICE_HOURS
    sec, std = UpdateClass.SECURITY, UpdateClass.STANDARD
    return [
        # Applications (§1): updates, database management, backups.
        article_rule(
            "application-security-updates",
            "security-updates",
            ("application",),
            MONTHLY,
            1,
            "§1: software updates of applications",
            mode=window,
            effort=HANDS_ON_PATCH,
            update_class=sec,
            downtime=True,
            steps=section5_steps(),
        ),
        article_rule(
            "application-standard-updates",
            "standard-updates",
            ("application",),
            QUARTERLY,
            2,
            "§1, §4: functional updates of applications",
            mode=window,
            effort=HANDS_ON_FIRMWARE,
            update_class=std,
            downtime=True,
            steps=section5_steps(),
        ),
        Rule(
            id="database-maintenance",
            activity="database-maintenance",
            selector=Selector(kinds=("application", "virtual_server"), tags=("database",)),
            cadence=MONTHLY,
            duration=in_hours(1),
            # The integrity checks, index maintenance and statistics run as the
            # database's own jobs (SQL Server Agent maintenance plans or Ola
            # Hallengren's Maintenance Solution, https://ola.hallengren.com): the
            # technician starts or checks them and reviews growth and errors.
            # maintlib's assumption: 20 minutes of the hour.
            effort=dt.timedelta(minutes=20),
            mode=window,
            deadlines=Deadlines(7, 14, 21, 27),
            steps=DATABASE_CHECK,
            citation=f"{ARTICLE} §1: database management of applications",
        ),
        # Cloud services (§1, §7): monthly maintenance; subscriptions.
        article_rule(
            "cloud-monthly-review",
            "cloud-review",
            ("cloud_service",),
            MONTHLY,
            1,
            "§1, §7: monthly maintenance of cloud services",
            mode=office,
            deadlines=Deadlines.same(14),
            steps=CLOUD_REVIEW,
        ),
        article_rule(
            "cloud-licence-review",
            "licence-review",
            ("cloud_service",),
            QUARTERLY,
            0.5,
            "§7: cloud services priced per user; review seats against users",
            mode=office,
            deadlines=Deadlines.same(30),
            steps=LICENCE_REVIEW,
        ),
    ]
