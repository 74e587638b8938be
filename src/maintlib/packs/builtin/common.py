"""What the built-in pack's rules share: the article's citation prefix, the groups of
asset kinds, the cadences, the fleet allowances and the rule constructor."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from maintlib.model.rules import Periodic, Rule, Selector, Step, StepKind

ARTICLE = "Source article, docs/domain.md"


SERVERS = ("physical_server", "hypervisor", "virtual_server")


NETWORK = ("firewall", "router", "switch", "access_point")


ENDPOINTS = ("workstation", "laptop")


#: What a per-server fee counts: the machines, not the virtual servers on them.
PHYSICAL_SERVERS = ("physical_server", "hypervisor")


MONTHLY = Periodic("FREQ=MONTHLY")


QUARTERLY = Periodic("FREQ=MONTHLY;INTERVAL=3")


YEARLY = Periodic("FREQ=YEARLY")


WEEKLY = Periodic("FREQ=WEEKLY")


FORTNIGHTLY = Periodic("FREQ=WEEKLY;INTERVAL=2")


WORKDAYS = Periodic("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR")


def in_hours(value: float) -> dt.timedelta:
    return dt.timedelta(hours=value)


#: What a fleet check takes per member on top of its base duration: following up
#: one device's compliance status in the management console. maintlib's own
#: assumption (the article gives no figure); change it with an inventory rule.
FLEET_PER_ASSET = dt.timedelta(minutes=1)


#: What a routine check of several similar devices together takes per device on
#: top of the rule's duration (performance reviews, configuration backups, log
#: reviews done from one console): reading the device's line in the console that
#: collects them (status, last export, alerts). maintlib's own assumption, not the
#: article's; 2 minutes since 0.9 (it was 5). Calibrated against the article's own
#: price list (docs/costing.md, "Hours against the article"): its network fee of
#: EUR 85-170 a month for a small firm's firewalls, switches and access points buys
#: one to two hours of work a month at EUR 85-140 an hour, which 5 minutes per
#: device per weekly check alone exceeded several times over.
FLEET_CHECK_PER_ASSET = dt.timedelta(minutes=2)


#: Hands-on technician time of window work (``Rule.effort``): what a technician
#: spends and what is billed, apart from the wall-clock ``duration`` (install,
#: restart, checks) that downtime and conflicts use. Patching a server is approving
#: and starting the update from the management console (WSUS, ConfigMgr, Intune,
#: the hypervisor's or appliance's console), then checking its services after the
#: restart; the install and the restart run on their own, so one technician
#: watches several servers at once. The article gives no per-server figure;
#: maintlib's assumption, argued so: 15 minutes for a virtual server or an
#: application, 20 for a physical machine or a hypervisor (out-of-band console,
#: cluster drain and resume by Cluster-Aware Updating — Microsoft Learn,
#: "Cluster-Aware Updating overview": CAU drains each node, installs, restarts
#: and resumes it without an administrator), 30 for firmware and functional
#: updates (more to read and verify). Change them with an inventory rule.
HANDS_ON_PATCH = dt.timedelta(minutes=15)
HANDS_ON_PHYSICAL = dt.timedelta(minutes=20)
HANDS_ON_FIRMWARE = dt.timedelta(minutes=30)


def article_rule(
    rule_id: str,
    activity: str,
    kinds: Sequence[str],
    cadence: Periodic,
    hours: float,
    citation: str,
    **options: object,
) -> Rule:
    return Rule(
        id=rule_id,
        activity=activity,
        selector=Selector(kinds=tuple(kinds)),
        cadence=cadence,
        duration=in_hours(hours),
        citation=f"{ARTICLE} {citation}",
        **options,  # type: ignore[arg-type]
    )


CHECK = (Step(StepKind.WORK, "Work through the checklist; record findings."),)
