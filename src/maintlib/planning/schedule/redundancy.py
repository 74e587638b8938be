"""Redundancy groups — HA pairs and clusters: how their members take downtime.

* **rolling** (the default): members go down one at a time, never two at the same
  moment, with a settle gap between them for the failover and the health checks;
  the planner prefers an occurrence with room for the whole group, so a pair is
  done in one night (a FortiGate HA pair must not run two firmware versions for
  longer than the upgrade takes — Fortinet, "FGCP multi-version cluster upgrade",
  FortiOS 7.4 Administration Guide: in the ``uninterruptible`` upgrade mode the
  secondary members are upgraded first, then the primary).
* **separate**: members in different window occurrences — a soak between them,
  for whoever wants one.

Where the inventory names a group's ``primary``, the other members (standby,
secondary) go first and the primary last. A group with ``live_migration`` (a
Hyper-V failover cluster updated with Cluster-Aware Updating, which moves the
clustered roles off each node before updating it, one node at a time —
Microsoft, ``Invoke-CauRun``; vSphere DRS likewise) keeps its members' guests up:
see :mod:`maintlib.planning.schedule.hosting`.
"""

from __future__ import annotations

import attrs

from maintlib.model.inventory import Asset, Inventory
from maintlib.model.plan import Reason
from maintlib.model.vocabulary import GroupPolicy
from maintlib.planning.schedule.slots import Slot
from maintlib.planning.schedule.timeline import Ignore

__all__ = ["Exclusion", "Redundancy"]


@attrs.frozen
class Exclusion:
    """Another asset whose downtime a downtime task must keep clear of, by ``gap``
    seconds on either side."""

    other: str
    gap: int
    reason: Reason


class Redundancy:
    """The redundancy groups of an inventory, as the planner asks about them."""

    def __init__(self, inventory: Inventory) -> None:
        self.inventory = inventory
        self.default_settle = int(inventory.planning.settle.total_seconds())

    def settle(self, group: str) -> int:
        """The group's settle gap in seconds."""
        settle = self.inventory.redundancy_group(group).settle
        return self.default_settle if settle is None else int(settle.total_seconds())

    def exclusions(self, asset: Asset) -> tuple[Exclusion, ...]:
        """The other members of the asset's group, each ``settle`` apart."""
        group = asset.redundancy_group
        if not group:
            return ()
        gap = self.settle(group)
        return tuple(
            Exclusion(member, gap, Reason.HA_PARTNER)
            for member in self.inventory.group_members(group)
            if member != asset.id
        )

    def separate(self, asset: Asset) -> str | None:
        """The asset's group when its policy keeps members in different occurrences."""
        group = asset.redundancy_group
        if group and self.inventory.redundancy_group(group).policy is GroupPolicy.SEPARATE:
            return group
        return None

    def parallel(self, asset: Asset) -> tuple[str, int, int] | None:
        """``(group, max_parallel, settle)`` when the asset's rolling group lets more
        than one member be down at once; None otherwise (pairwise exclusions)."""
        group = self.rolling(asset)
        if group is None:
            return None
        count = self.inventory.redundancy_group(group).max_parallel
        return (group, count, self.settle(group)) if count > 1 else None

    def rolling(self, asset: Asset) -> str | None:
        """The asset's group when its members roll through one occurrence."""
        group = asset.redundancy_group
        if group and self.inventory.redundancy_group(group).policy is GroupPolicy.ROLLING:
            return group
        return None

    def role(self, asset: Asset | None) -> int:
        """Order within a group: 1 for the primary (last), 0 for every other asset."""
        if asset is None or not asset.redundancy_group:
            return 0
        return int(self.inventory.redundancy_group(asset.redundancy_group).primary == asset.id)

    def migrates(self, host: str) -> bool:
        """Whether ``host`` moves its guests away before it goes down."""
        if host not in self.inventory:
            return False
        group = self.inventory.asset(host).redundancy_group
        return group is not None and self.inventory.redundancy_group(group).live_migration

    @staticmethod
    def occupied(slot: Slot, group: str, asset: str, ignore: Ignore) -> bool:
        """Whether another member of ``group`` is down in ``slot`` (``separate``)."""
        members = slot.down_groups.get(group)
        if not members:
            return False
        return any(
            member.split("\0", 1)[0] != asset and not ignore(int(member.split("\0", 1)[1]))
            for member in members
        )

    @staticmethod
    def record(slot: Slot, group: str, asset: str, due: int) -> None:
        slot.down_groups.setdefault(group, set()).add(f"{asset}\0{due}")

    @staticmethod
    def release(slot: Slot, group: str, asset: str, due: int) -> None:
        slot.down_groups[group].discard(f"{asset}\0{due}")
