"""The built-in pack's rules for servers, hypervisors and storage (article §1, §2, §3, §5)."""

from __future__ import annotations

import datetime as dt

from maintlib._util.text import N_
from maintlib.model.rules import Deadlines, Rule, section5_steps
from maintlib.model.vocabulary import Mode, Tier, UpdateClass
from maintlib.packs.builtin.common import (
    FLEET_CHECK_PER_ASSET,
    FORTNIGHTLY,
    HANDS_ON_FIRMWARE,
    HANDS_ON_PATCH,
    HANDS_ON_PHYSICAL,
    HYPERVISOR_REVIEW,
    MONTHLY,
    QUARTERLY,
    SERVER_CHECK,
    SERVERS,
    VM_REVIEW,
    WEEKLY,
    YEARLY,
    article_rule,
)


def server_rules() -> list[Rule]:
    """Servers and the hypervisor layer: checks, updates, firmware, performance."""
    window, office = Mode.WINDOW, Mode.OFFICE_HOURS
    sec, std, sp, fw = (
        UpdateClass.SECURITY,
        UpdateClass.STANDARD,
        UpdateClass.SERVICE_PACK,
        UpdateClass.FIRMWARE,
    )
    return [
        # Servers (§1, §2, §5): a thorough check at least monthly; updates planned.
        article_rule(
            "server-health-check",
            "health-check",
            (*SERVERS, "storage"),
            MONTHLY,
            0.25,
            "§2: a thorough check of every server at least once a month",
            mode=office,
            deadlines=Deadlines(10, 14, 21, 27),
            steps=SERVER_CHECK,
            cadence_by_tier=((Tier.P1, FORTNIGHTLY),),
            # The month's checks of a site's servers are one session: a quarter of
            # an hour to open the consoles and write the findings, and a thorough
            # quarter of an hour per server on top (disks, services, event log
            # errors, last backup, pending updates, certificates, from the
            # monitoring that watches them all month). maintlib's assumption,
            # calibrated against the article's own price list: its monthly server
            # maintenance of EUR 85-170 per server buys about one hour of work per
            # server a month at EUR 85-140 an hour, patching included
            # (docs/costing.md, "Hours against the article"). It was 45 minutes and
            # half an hour per server before 0.9: two to three hours a server a
            # month with the rest of the server's work.
            fleet=True,
            duration_per_asset=dt.timedelta(minutes=15),
        ),
        article_rule(
            "physical-server-security-updates",
            "security-updates",
            ("physical_server",),
            MONTHLY,
            2,
            "§4, §5: security updates as soon as possible, planned downtime",
            mode=window,
            effort=HANDS_ON_PHYSICAL,
            update_class=sec,
            downtime=True,
            steps=section5_steps(),
        ),
        article_rule(
            "virtual-server-security-updates",
            "security-updates",
            ("virtual_server",),
            MONTHLY,
            1,
            "§1, §2: VMs patched as soon as vendors release",
            mode=window,
            effort=HANDS_ON_PATCH,
            update_class=sec,
            downtime=True,
            steps=section5_steps(backup=N_("Snapshot the VM first.")),
        ),
        article_rule(
            "server-standard-updates",
            "standard-updates",
            ("physical_server", "virtual_server"),
            QUARTERLY,
            1,
            "§4: standard updates, planned",
            mode=window,
            effort=HANDS_ON_PATCH,
            update_class=std,
            downtime=True,
            steps=section5_steps(),
        ),
        article_rule(
            "server-service-pack",
            "service-pack",
            SERVERS,
            YEARLY,
            4,
            "§4: service packs, released less often",
            mode=window,
            effort=dt.timedelta(hours=1),
            update_class=sp,
            downtime=True,
            steps=section5_steps(N_("Install the service pack."), monitor_hours=48),
        ),
        # Hypervisor layer (§1, §3): more, and more often, than its VMs.
        article_rule(
            "hypervisor-security-updates",
            "security-updates",
            ("hypervisor",),
            MONTHLY,
            2,
            "§1, §3: the hypervisor layer first and most often; a fault hits every VM",
            mode=window,
            effort=HANDS_ON_PHYSICAL,
            update_class=sec,
            downtime=True,
            # At least as early as its VMs (the security policy's 7/14/30/30): a
            # week for P1 and P2 (BIO2 8.08.01, within one week when likelihood and
            # damage are high); never the emergency path's days.
            deadlines=Deadlines(7, 7, 14, 30),
            steps=section5_steps(
                backup=N_("Back up the host configuration; move or stop its VMs.")
            ),
        ),
        article_rule(
            "hardware-firmware",
            "firmware-update",
            ("physical_server", "hypervisor", "storage"),
            QUARTERLY,
            2,
            "§1: firmware updates of the hardware",
            mode=window,
            effort=HANDS_ON_FIRMWARE,
            update_class=fw,
            downtime=True,
            steps=section5_steps(N_("Install the firmware (BIOS, BMC, controllers, disks).")),
        ),
        article_rule(
            "hypervisor-performance-review",
            "performance-review",
            ("hypervisor", "storage"),
            WEEKLY,
            # A weekly look at the monitoring of the hosts and their storage (CPU,
            # memory, datastore latency and free space, alerts): a quarter of an
            # hour and two minutes a host (maintlib's assumption, calibrated as
            # the health check's).
            0.25,
            "§1: performance monitoring of the resource layer",
            mode=office,
            deadlines=Deadlines.same(4),
            steps=HYPERVISOR_REVIEW,
            fleet=True,
            duration_per_asset=FLEET_CHECK_PER_ASSET,
        ),
        article_rule(
            "vm-performance-review",
            "performance-review",
            ("virtual_server",),
            MONTHLY,
            0.25,
            "§1: performance monitoring of virtual servers",
            mode=office,
            deadlines=Deadlines(7, 14, 21, 27),
            steps=VM_REVIEW,
            fleet=True,
            duration_per_asset=FLEET_CHECK_PER_ASSET,
        ),
    ]
