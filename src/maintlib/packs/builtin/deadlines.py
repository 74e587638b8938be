"""The built-in pack's deadline policies: per update class, and for vulnerabilities."""

from __future__ import annotations

from collections.abc import Sequence

from maintlib.model.rules import DeadlinePolicy, Deadlines
from maintlib.model.vocabulary import UpdateClass
from maintlib.model.vulnerabilities import VulnerabilityPolicy
from maintlib.packs.hookspecs import hookimpl
from maintlib.packs.policies import builtin_policies


@hookimpl
def maintlib_deadline_policies() -> Sequence[DeadlinePolicy | VulnerabilityPolicy]:
    """Default deadlines per update class (docs/rules.md explains each number), and the
    vulnerability deadline policies (docs/vulnerabilities.md)."""
    return [
        *builtin_policies(),
        DeadlinePolicy(
            "security",
            # Routine security updates after a vendor's release: a week at most for
            # P1, two for P2, a month for the rest. Days belong to the emergency
            # path (KEV, exploited, a policy's 3-day row: docs/vulnerabilities.md).
            Deadlines(7, 14, 30, 30),
            update_class=UpdateClass.SECURITY,
            citation=(
                "Article §4 (security updates as soon as possible); BIO2 8.08.01 (within one"
                " week when likelihood and damage are high); NCSC (UK) Cyber Essentials,"
                " 'Cyber Essentials: Requirements for IT infrastructure' v3.1, security update"
                " management (critical and high within 14 days of release); CIS Controls v8"
                " 7.3/7.4 (monthly or more frequent)"
            ),
        ),
        DeadlinePolicy(
            "standard",
            Deadlines(14, 30, 60, 90),
            update_class=UpdateClass.STANDARD,
            citation="Article §4 (functional updates); maintlib default",
        ),
        DeadlinePolicy(
            "service-pack",
            Deadlines(30, 60, 90, 120),
            update_class=UpdateClass.SERVICE_PACK,
            citation="Article §4 (service packs, released less often); maintlib default",
        ),
        DeadlinePolicy(
            "firmware",
            Deadlines(14, 30, 45, 60),
            update_class=UpdateClass.FIRMWARE,
            citation="Article §1 and §6 (firmware of hypervisor hardware and network gear)",
        ),
        DeadlinePolicy(
            "definitions",
            Deadlines(1, 1, 2, 3),
            update_class=UpdateClass.DEFINITIONS,
            citation="Article §1 (antivirus management); maintlib default",
        ),
    ]
