"""The built-in pack's rules for backup systems (article §2, §4, §7, tip 4)."""

from __future__ import annotations

import datetime as dt

from maintlib._util.text import N_
from maintlib.model.rules import Deadlines, Rule, Step, StepKind
from maintlib.model.vocabulary import Mode, UpdateClass
from maintlib.packs.builtin.common import (
    BACKUP_CHECK,
    HANDS_ON_PATCH,
    MONTHLY,
    QUARTERLY,
    RESTORE_TEST,
    WORKDAYS,
    article_rule,
)

#: Where backup-system vendors publish their advisories. Synology's page says fixed
#: vulnerabilities are "announced on Synology's official website" (High); QNAP's and
#: Veeam's pages are named from their sites, not quoted (UNCONFIRMED).
BACKUP_ADVISORIES = (
    "Synology Product Security Advisory, https://www.synology.com/en-global/security/advisory;"
    " QNAP Security Advisories, https://www.qnap.com/en/security-advisories (UNCONFIRMED);"
    " Veeam Knowledge Base security bulletins, https://www.veeam.com/knowledge-base.html"
    " (UNCONFIRMED)"
)


def backup_rules() -> list[Rule]:
    """Backups made regularly and restores tested; the backup system kept updated."""
    window, office = Mode.WINDOW, Mode.OFFICE_HOURS
    sec = UpdateClass.SECURITY
    return [
        # Backups (§2, tip 4): made regularly, restores tested regularly.
        article_rule(
            "backup-check",
            "backup-check",
            ("backup_system",),
            WORKDAYS,
            0.25,
            "§7: backup management, 5 to 15 minutes of work a day",
            # A quarter of an hour on the day, ten minutes of it hands-on: the
            # middle of the article's 5 to 15 (the daily fee of the rate cards
            # keeps the article's whole range).
            effort=dt.timedelta(minutes=10),
            mode=office,
            deadlines=Deadlines.same(3),
            steps=BACKUP_CHECK,
            # One look at the backup console covers every backup system: the
            # article's 5 to 15 minutes a day are for the whole backup estate.
            fleet=True,
        ),
        # A backup system is itself software that attackers go after first: its
        # vendor's advisories are read monthly and the update (Synology DSM, QNAP
        # QTS/QuTS, Veeam) installed outside office hours.
        article_rule(
            "backup-system-updates",
            "security-updates",
            ("backup_system",),
            MONTHLY,
            1,
            "§4: security updates as soon as possible; §2: backups must keep working."
            f" Advisories: {BACKUP_ADVISORIES}",
            mode=window,
            effort=HANDS_ON_PATCH,
            update_class=sec,
            downtime=True,
            steps=(
                Step(StepKind.WORK, N_("Read the vendor's security advisories since last month.")),
                Step(
                    StepKind.BACKUP,
                    N_("Export the system's configuration; note the last good backup."),
                ),
                Step(
                    StepKind.UPDATE,
                    N_(
                        "Install the firmware or software update that fixes them (DSM, QTS, Veeam);"
                        " if none applies, record that and close the task."
                    ),
                ),
                Step(StepKind.VERIFY, N_("Check the next backup job runs and succeeds.")),
                Step(
                    StepKind.ROLLBACK,
                    N_("If it fails: restore the configuration, call the vendor."),
                ),
            ),
        ),
        article_rule(
            "backup-restore-test",
            "restore-test",
            ("backup_system",),
            QUARTERLY,
            2,
            "§2 and tip 4: test restores regularly",
            mode=office,
            deadlines=Deadlines(14, 30, 45, 60),
            steps=RESTORE_TEST,
        ),
    ]
