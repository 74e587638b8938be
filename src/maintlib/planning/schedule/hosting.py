"""Hosts and guests; applications and the servers they run on.

* **A guest** is an asset ``hosted_on`` a hypervisor (a virtual server on a
  host). Without live migration, the host's downtime takes its guests down, so a
  host's downtime never overlaps a guest's, with the settle gap between them.
  Order, for the same release: **the guests first, then their host**. A host
  without live migration takes every guest down when it restarts, so its restart
  comes last: it is the one outage of the guests that cannot be avoided, and it
  shows that every freshly updated guest starts again on the updated host. The
  guests' own updates can go in any window that serves virtual servers (a
  weekday evening), while the host needs the long window; putting the host first
  would hold every guest back until the host's window.
* **Live-migrating clusters** (:attr:`RedundancyGroup.live_migration`): the host
  moves its guests to another member before it goes down, so host and guests do
  not exclude each other and need no order.
* **An application** ``runs_on`` a server (SQL Server on a virtual server). The
  application may be updated in the same occurrence as its server, before or
  after it, but not while the server is down. **One outage per service**: the
  planner puts downtime work of an application and of its server into an
  occurrence the other already has work in, when that occurrence lies between
  the due's earliest start and its deadline — so the service goes down once a
  month, its parts back to back, not on two nights. (An application that names a
  server in ``hosted_on`` is read the same way: it is software on that server,
  not a guest of it.) An application's service also holds the servers it
  ``depends_on`` (its database server beside its application server): when any
  of them is down, the application is. Services that share a server are one.
"""

from __future__ import annotations

from collections.abc import Mapping

from maintlib.model.inventory import Asset, Inventory
from maintlib.model.plan import Reason
from maintlib.model.vocabulary import AssetKind, Category
from maintlib.planning.schedule.redundancy import Exclusion, Redundancy

__all__ = ["Hosting"]


class Hosting:
    """The host/guest and server/application relations of an inventory.

    Args:
        inventory: The assets.
        kinds: The catalog's asset kinds (to tell applications from servers);
            None: only the kind named ``application`` is an application.
        redundancy: The redundancy groups (for live migration).
    """

    def __init__(
        self,
        inventory: Inventory,
        kinds: Mapping[str, AssetKind] | None,
        redundancy: Redundancy,
    ) -> None:
        self.inventory = inventory
        self.redundancy = redundancy
        self.settle = int(inventory.planning.settle.total_seconds())
        if kinds is None:
            self.applications = frozenset({"application"})
            self.servers = frozenset({"physical_server", "virtual_server"})
        else:
            self.applications = frozenset(
                name for name, kind in kinds.items() if kind.category is Category.APPLICATION
            )
            # Servers an application may need; a hypervisor's downtime is its
            # cluster's business (live migration), not the application's.
            self.servers = frozenset(
                name
                for name, kind in kinds.items()
                if kind.category is Category.SERVER and name != "hypervisor"
            )
        self._services: dict[str, str] | None = None

    def host(self, asset: Asset) -> str | None:
        """The hypervisor the asset is a guest of (None for software on a server)."""
        if asset.hosted_on is None or asset.kind in self.applications:
            return None
        return asset.hosted_on

    def server(self, asset: Asset) -> str | None:
        """The server the asset runs on as software, if any."""
        if asset.runs_on is not None:
            return asset.runs_on
        if asset.hosted_on is not None and asset.kind in self.applications:
            return asset.hosted_on
        return None

    def guests(self, asset: Asset) -> tuple[str, ...]:
        """The guests of ``asset`` as a hypervisor."""
        inventory = self.inventory
        return tuple(g for g in inventory.guests(asset.id) if self.host(inventory.asset(g)))

    def software(self, asset: Asset) -> tuple[str, ...]:
        """The applications that run on ``asset``."""
        inventory = self.inventory
        named = inventory.software(asset.id)
        hosted = tuple(
            g for g in inventory.guests(asset.id) if inventory.asset(g).kind in self.applications
        )
        return tuple(sorted({*named, *hosted}))

    def service(self, asset: Asset) -> str | None:
        """The service ``asset`` is part of — an application with the servers it
        runs on and depends on, named by its first member's id — or None. Downtime
        of one service goes into one occurrence where the deadlines allow (one
        outage a month for the accounting application, its application server and
        its SQL server, not three)."""
        if self._services is None:
            self._services = self._link_services()
        return self._services.get(asset.id)

    def _link_services(self) -> dict[str, str]:
        """Each asset of a service → the service's name: the connected parts of
        "application runs on or depends on server"."""
        inventory = self.inventory
        parent: dict[str, str] = {}

        def find(node: str) -> str:
            while parent.setdefault(node, node) != node:
                parent[node] = parent[parent[node]]
                node = parent[node]
            return node

        for asset in inventory.assets:
            if asset.kind not in self.applications:
                continue
            for server in (self.server(asset), *self.needs(asset)):
                if server is not None:
                    first, second = sorted((find(asset.id), find(server)))
                    parent[second] = first
        return {node: find(node) for node in parent}

    def waits_for(self, asset: Asset) -> tuple[str, ...]:
        """The guests whose work of the same release must finish before the host's."""
        if self.redundancy.migrates(asset.id):
            return ()
        return self.guests(asset)

    def exclusions(self, asset: Asset) -> tuple[Exclusion, ...]:
        """Assets whose downtime a downtime task on ``asset`` must keep clear of."""
        found: list[Exclusion] = []
        host = self.host(asset)
        if host is not None and not self.redundancy.migrates(host):
            found.append(Exclusion(host, self.settle, Reason.HOST_GUEST))
        if not self.redundancy.migrates(asset.id):
            found.extend(Exclusion(g, self.settle, Reason.HOST_GUEST) for g in self.guests(asset))
        server = self.server(asset)
        linked = [server] if server is not None else []
        linked.extend(self.software(asset))
        # An application and the servers it depends on: back to back, not at once
        # (its update runs on them).
        linked.extend(self.needs(asset))
        linked.extend(self.needed_by(asset))
        found.extend(Exclusion(a, 0, Reason.SERVER_APPLICATION) for a in dict.fromkeys(linked))
        return tuple(found)

    def needs(self, asset: Asset) -> tuple[str, ...]:
        """The servers an application ``depends_on``."""
        if asset.kind not in self.applications:
            return ()
        inventory = self.inventory
        return tuple(
            target
            for target in asset.depends_on
            if target in inventory and inventory.asset(target).kind in self.servers
        )

    def needed_by(self, asset: Asset) -> tuple[str, ...]:
        """The applications that depend on server ``asset``."""
        if asset.kind not in self.servers:
            return ()
        inventory = self.inventory
        return tuple(
            user
            for user in inventory.dependents(asset.id)
            if inventory.asset(user).kind in self.applications
        )
