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
        self._taken: dict[str, tuple[Exclusion, ...]] | None = None

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

    def needs_up(self, asset: Asset) -> tuple[Exclusion, ...]:
        """The assets whose downtime takes ``asset`` down, so that no work on it can
        run then, with or without downtime of its own: its host without live
        migration (with the settle gap: the guest starts again after it); for an
        application, what it runs on and depends on — servers and other
        applications (a database engine), back to back — and, the same way, what
        those need in turn, hosts with the settle gap. A database job on a guest
        does not run while its host restarts; an application's update does not run
        while the SQL Server it uses, its server or that server's host is down."""
        found: dict[str, Exclusion] = {}
        inventory = self.inventory
        waiting = [asset]
        seen = {asset.id}
        while waiting:
            current = waiting.pop()
            host = self.host(current)
            if host is not None and not self.redundancy.migrates(host) and host not in seen:
                seen.add(host)
                found[host] = Exclusion(host, self.settle, Reason.HOST_GUEST)
            server = self.server(current)
            for needed in (*([server] if server is not None else []), *self.needs(current)):
                if needed in seen:
                    continue
                seen.add(needed)
                found[needed] = Exclusion(needed, 0, Reason.SERVER_APPLICATION)
                if needed in inventory:
                    waiting.append(inventory.asset(needed))
        return tuple(found[other] for other in sorted(found))

    def takes_down(self, asset: Asset) -> tuple[Exclusion, ...]:
        """The assets ``asset``'s downtime takes down with it — the inverse of
        :meth:`needs_up`: its guests without live migration, the applications on
        it or that depend on it, and what needs those in turn. A downtime task on
        ``asset`` keeps clear of all of their work, not only of their downtime."""
        if self._taken is None:
            taken: dict[str, list[Exclusion]] = {}
            for other in self.inventory.assets:
                for needed in self.needs_up(other):
                    taken.setdefault(needed.other, []).append(
                        Exclusion(other.id, needed.gap, needed.reason)
                    )
            self._taken = {key: tuple(items) for key, items in taken.items()}
        return self._taken.get(asset.id, ())

    def needs(self, asset: Asset) -> tuple[str, ...]:
        """The servers and applications an application ``depends_on``."""
        if asset.kind not in self.applications:
            return ()
        inventory = self.inventory
        wanted = self.servers | self.applications
        return tuple(
            target
            for target in asset.depends_on
            if target in inventory and inventory.asset(target).kind in wanted
        )
