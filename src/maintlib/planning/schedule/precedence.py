"""What must come first: rings, dependencies and hosts, as a precedence graph.

* **Rings** (article section 5, step 2): dues of the same release — same
  activity, anchor, vendor and product — whose assets are in different rings
  (``test``/``development`` < ``acceptance`` < ``production``) for the update
  classes security, standard, service pack and firmware. Every due of a lower
  ring precedes every due of a higher ring, plus ``soak_days`` of elapsed time;
  one *barrier node* per group and ring keeps the edges linear in the assets.
* **Dependencies** (step 3): for the same activity and anchor, the due of a
  ``depends_on`` target precedes its dependant's; and a due follows the dues it
  names in ``follows`` (an emergency's triage, then its remediation, then the
  verification).
* Emergency work is not held back by ring soak: an actively exploited
  vulnerability is fixed everywhere by its deadline.
* **Guests before hosts**: for the same activity and anchor, a host's due
  follows its guests' (:mod:`maintlib.planning.schedule.hosting` says why), unless the
  host migrates its guests away. The host waits only for guests' tasks that end
  by its own deadline: a guest that slipped a week does not hold its host back.
* **Rings before dependencies**: a test asset that depends on a production asset
  of the same release (a test server on the production domain controller) goes
  first, with its ring: the release is tried in the test ring before production
  (article section 5: test, step 2, before planning around dependencies, step 3),
  and the dependency is on the controller running, which it does on the old
  release.
* **Contradictions** left (a production guest on a test host) would have to go
  both first and second. Strongly connected components (Tarjan) find every such
  cycle; the dues on it lose their ring order and a warning names them.

:meth:`Precedence.order` is Kahn's algorithm, choosing among the ready dues by a
priority key; :meth:`Precedence.bounds` is the earliest start the placed
predecessors allow.
"""

from __future__ import annotations

import heapq
from array import array
from collections.abc import Callable, Iterator, Mapping, Sequence

from maintlib._util.text import N_
from maintlib.model.plan import Reason, Task
from maintlib.model.vocabulary import Mode, UpdateClass
from maintlib.model.work import Due
from maintlib.planning.schedule.hosting import Hosting
from maintlib.planning.schedule.slots import ts

__all__ = ["RING_CLASSES", "Precedence"]


#: Update classes whose releases go through the rings (article section 5 step 2).
RING_CLASSES = frozenset(
    {UpdateClass.SECURITY, UpdateClass.STANDARD, UpdateClass.SERVICE_PACK, UpdateClass.FIRMWARE}
)


def _cycles(successors: Mapping[int, Sequence[int]]) -> list[list[int]]:
    """Strongly connected components with more than one node (Tarjan, iterative)."""
    index_of: dict[int, int] = {}
    low: dict[int, int] = {}
    on_stack: set[int] = set()
    stack: list[int] = []
    components: list[list[int]] = []
    counter = 0
    for root in sorted(successors):
        if root in index_of:
            continue
        work = [(root, 0)]
        while work:
            node, position = work.pop()
            if position == 0:
                index_of[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            targets = successors.get(node, ())
            for offset in range(position, len(targets)):
                target = targets[offset]
                if target not in index_of:
                    work.append((node, offset + 1))
                    work.append((target, 0))
                    break
                if target in on_stack:
                    low[node] = min(low[node], index_of[target])
            else:
                if low[node] == index_of[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        components.append(component)
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
    return components


class Precedence:
    """The precedence graph of a plan's dues.

    Args:
        dues: Every due, by index.
        hosting: Host/guest relations (hosts first).
        soak: The ring soak in seconds.
        warnings: Where contradictions are reported.
    """

    def __init__(
        self, dues: Sequence[Due], hosting: Hosting, soak: int, warnings: list[str]
    ) -> None:
        self.dues = dues
        self.hosting = hosting
        self.soak = soak
        self.warnings = warnings
        self.guests_first: dict[int, list[int]] = {}
        self.depends = self._dependencies()
        self.groups = self._drop_contradicted_rings(self._ring_levels())
        #: Due → its ``(ring group, level)``, one tuple per level shared by its
        #: members (400,000 dues at 100k assets).
        self.ring_of: dict[int, tuple[int, int]] = {}
        for group, levels in enumerate(self.groups):
            for level, members in levels.items():
                self.ring_of.update(dict.fromkeys(members, (group, level)))
        self.successors = self._graph(self.groups)
        #: Dues that something else waits for (never moved by priority repair).
        self.awaited = self._awaited()
        self._ring_cache: dict[tuple[int, int], tuple[int | None, tuple[str, ...], str]] = {}
        #: ring group → dues planned although the lower ring's task is unplaced.
        self.untested: dict[int, int] = {}

    def constrained(self, index: int) -> bool:
        """Whether the due has a predecessor or a successor."""
        return index in self.ring_of or index in self.depends or index in self.awaited

    @staticmethod
    def _release(due: Due) -> tuple[object, ...] | None:
        """The release ``due`` goes through the rings with — activity, anchor, vendor
        and product — or None: not ring work (no asset, automatic, an emergency, an
        update class the rings do not hold back)."""
        duty = due.duty
        asset = duty.asset
        if asset is None or duty.mode is Mode.AUTOMATIC or duty.emergency is not None:
            return None
        if duty.rule.update_class not in RING_CLASSES:
            return None
        return (duty.activity.name, due.anchor, asset.vendor.casefold(), asset.product.casefold())

    def _ring_levels(self) -> list[dict[int, list[int]]]:
        """Dues of the same release and product, by ring level (groups of 2+ levels)."""
        by_key: dict[tuple[object, ...], dict[int, list[int]]] = {}
        for index, due in enumerate(self.dues):
            release = self._release(due)
            if release is not None:
                ring = due.duty.asset.environment.ring  # type: ignore[union-attr]
                by_key.setdefault(release, {}).setdefault(ring, []).append(index)
        return [levels for levels in by_key.values() if len(levels) > 1]

    def _ring_first(self, due: Due, target: Due) -> bool:
        """Whether ``due``'s asset is in a lower ring than ``target``'s, for the same
        release: the rings put it first although it depends on ``target``."""
        release = self._release(due)
        if release is None or release != self._release(target):
            return False
        low, high = due.duty.asset, target.duty.asset
        return low is not None and high is not None and low.environment.ring < high.environment.ring

    def _dependencies(self) -> dict[int, list[int]]:
        """Due → the dues that must finish first: its ``depends_on`` targets' and, for
        a host, its guests' that are due no later than it, with the same activity and
        anchor (a host due before its guests goes first)."""
        befores: dict[str, list[str]] = {}
        guests: dict[str, tuple[str, ...]] = {}
        for due in self.dues:
            asset = due.duty.asset
            if asset is not None and asset.id not in befores:
                guests[asset.id] = self.hosting.waits_for(asset)
                befores[asset.id] = [*asset.depends_on, *guests[asset.id]]
        targets = {target for items in befores.values() for target in items}
        lookup = {
            (due.duty.subject, due.duty.activity.name, due.anchor): index
            for index, due in enumerate(self.dues)
            if due.duty.subject in targets
        }
        depends: dict[int, list[int]] = {}
        followed = {uid for due in self.dues for uid in due.follows}
        if followed:
            by_uid = {due.uid: index for index, due in enumerate(self.dues) if due.uid in followed}
            for index, due in enumerate(self.dues):
                for uid in due.follows:
                    if uid in by_uid:
                        depends.setdefault(index, []).append(by_uid[uid])
        for index, due in enumerate(self.dues):
            asset = due.duty.asset
            for target in befores.get(asset.id, ()) if asset else ():
                before = lookup.get((target, due.duty.activity.name, due.anchor))
                if before is None or before in depends.get(index, ()):
                    continue
                guest = asset is not None and target in guests[asset.id]
                if not guest and self._ring_first(due, self.dues[before]):
                    # A test server that depends on the production domain controller
                    # (as every Windows server does) takes the release first: the
                    # test ring is what the release is tried on before production
                    # (article section 5, step 2 before step 3). Its dependency is
                    # on the controller running, which it is, on the old release.
                    continue
                if guest and self.dues[before].deadline > due.deadline:
                    # The host is due before its guest: it goes first (the
                    # downtimes still never overlap), rather than wait for work
                    # that may take the night it needs.
                    continue
                depends.setdefault(index, []).append(before)
                if guest:
                    self.guests_first.setdefault(index, []).append(before)
        return depends

    def _graph(self, groups: list[dict[int, list[int]]]) -> dict[int, list[int]]:
        """Successors of the dues that have any, and of one barrier node per ring
        group and level (numbered from ``len(dues)`` on)."""
        successors: dict[int, list[int]] = {}
        barrier = len(self.dues)
        for levels in groups:
            below: list[int] = []
            for level in sorted(levels):
                if below:
                    successors[barrier] = list(levels[level])
                    for index in below:
                        successors.setdefault(index, []).append(barrier)
                    barrier += 1
                below = below + levels[level]
        for index, befores in self.depends.items():
            for before in befores:
                successors.setdefault(before, []).append(index)
        return successors

    def _awaited(self) -> set[int]:
        count = len(self.dues)
        return {node for node, after in self.successors.items() if node < count and after}

    def _drop_contradicted_rings(
        self, groups: list[dict[int, list[int]]]
    ) -> list[dict[int, list[int]]]:
        """Take dues out of ring ordering where it contradicts what must come first
        otherwise: a chain of ``depends_on`` across products, or a host after its
        guests (a production guest on a test host)."""
        count = len(self.dues)
        cyclic = {
            node for component in _cycles(self._graph(groups)) for node in component if node < count
        }
        if not cyclic:
            return groups
        for index in sorted(cyclic, key=lambda i: self.dues[i].uid):
            if any(index in members for levels in groups for members in levels.values()):
                self.warnings.append(
                    f"{self.dues[index].uid}: its ring order contradicts depends_on or a host's"
                    " guests going first; ring order is not applied to it"
                )
        cleaned = []
        for levels in groups:
            kept = {
                level: [i for i in members if i not in cyclic] for level, members in levels.items()
            }
            kept = {level: members for level, members in kept.items() if members}
            if len(kept) > 1:
                cleaned.append(kept)
        return cleaned

    def inherit(
        self, rank: list[int], deadline: list[int], length: Sequence[int] | None = None
    ) -> tuple[list[int], list[int]]:
        """Each due's rank and deadline, raised to those of the work that waits for it.

        A test-ring update that production's P1 update waits for, or a guest whose
        host's update must follow it, is as urgent as that work: it is taken in the
        order with the most urgent successor's tier and deadline (priority
        inheritance), so that equal-tier work does not take the slot before the
        chain gets there. With ``length`` (each due's wall-clock seconds) a due's
        inherited deadline is its successor's less its own length — it must be done
        before the successor can start (the modified deadlines of earliest-deadline
        scheduling with precedences): vCenter's update goes before other work due
        the same day as the hosts that wait for it.
        """
        count = len(self.dues)
        successors = self.successors
        indegree: dict[int, int] = {}
        for targets in successors.values():
            for target in targets:
                indegree[target] = indegree.get(target, 0) + 1
        ready = sorted(node for node in successors if node not in indegree)
        order: list[int] = []
        while ready:
            node = ready.pop()
            order.append(node)
            for target in successors.get(node, ()):
                indegree[target] -= 1
                if indegree[target] == 0:
                    ready.append(target)
        best_rank, best_deadline = list(rank), list(deadline)
        barrier: dict[int, tuple[int, int]] = {}
        # Reverse topological order: each node after everything it precedes.
        for node in reversed(order):
            low_rank, low_deadline = (rank[node], deadline[node]) if node < count else (9, 2**62)
            for target in successors.get(node, ()):
                target_rank, target_deadline = (
                    (best_rank[target], best_deadline[target])
                    if target < count
                    else barrier[target]
                )
                if length is not None and node < count:
                    target_deadline -= length[node]
                low_rank = min(low_rank, target_rank)
                low_deadline = min(low_deadline, target_deadline)
            if node < count:
                best_rank[node], best_deadline[node] = low_rank, low_deadline
            else:
                barrier[node] = (low_rank, low_deadline)
        return best_rank, best_deadline

    def order(
        self, skip: Sequence[bool], key: Callable[[int], tuple[object, ...]]
    ) -> Iterator[int]:
        """Due indexes in a precedence-respecting order (Kahn's algorithm): among the
        dues whose predecessors are all done, the smallest ``key`` first. Dues
        marked in ``skip`` are left out."""
        successors = self.successors
        count = len(self.dues)
        indegree: dict[int, int] = {}
        for targets in successors.values():
            for target in targets:
                indegree[target] = indegree.get(target, 0) + 1
        # Every due that may be yielded, sorted once by ``(key, index)``: the heap
        # holds positions in this order, integers that compare at once, where
        # ``(key, index)`` tuples compared element by element on every push and pop.
        # (Machine integers: they last the whole run, 587,000 of them at 100k assets.)
        ranked = array(
            "q", sorted((i for i in range(count) if not skip[i]), key=lambda i: (key(i), i))
        )
        position = array("q", bytes(8 * count))
        for place, index in enumerate(ranked):
            position[index] = place
        heap = [position[i] for i in ranked if i not in indegree]
        heapq.heapify(heap)
        pending = [node for node in successors if node >= count and node not in indegree]
        while heap or pending:
            if pending:
                node = pending.pop()
            else:
                node = ranked[heapq.heappop(heap)]
                yield node
            for after in successors.get(node, ()):
                indegree[after] -= 1
                if indegree[after] == 0:
                    if after >= count:
                        pending.append(after)
                    elif not skip[after]:
                        heapq.heappush(heap, position[after])

    def _ring_bound(
        self, group: int, level: int, placed: Mapping[int, Task]
    ) -> tuple[int | None, tuple[str, ...], str]:
        """What the lower rings of ``group`` impose on its dues at ``level``: the
        earliest start (None when none of them is placed), the uid of the
        last-finishing task of each lower level, and the text of the test step."""
        key = (group, level)
        if key in self._ring_cache:
            return self._ring_cache[key]
        levels = self.groups[group]
        last: list[Task] = []
        for lower_level in sorted(lv for lv in levels if lv < level):
            tasks = [placed[i] for i in levels[lower_level] if i in placed]
            if tasks:
                last.append(max(tasks, key=lambda t: (t.end, t.uid)))
        if not last:
            text = (
                N_("This is the lower ring for the release: watch it before production.")
                if level == min(levels)
                else N_("The lower ring's task for this release was not placed: test first.")
            )
            result: tuple[int | None, tuple[str, ...], str] = (None, (), text)
        else:
            # What a technician reads: the lower ring's asset (a fleet's group) and
            # when its task started; the uids are in the task's ``after``.
            tested = "; ".join(f"{t.subject} on {t.start:%Y-%m-%d %H:%M}" for t in last)
            text = f"Confirm the same release passed the lower ring: {tested}."
            bound = max(ts(t.end) for t in last) + self.soak
            result = (bound, tuple(t.uid for t in last), text)
        self._ring_cache[key] = result
        return result

    def bounds(
        self, index: int, earliest: int, deadline: int, placed: Mapping[int, Task]
    ) -> tuple[int, Reason | None, tuple[str, ...], str]:
        """Earliest start from precedences, what set it, predecessor uids, test-step text."""
        lower, cause = earliest, None
        ring_after: tuple[str, ...] = ()
        test_text = N_("No lower-ring asset runs this release; test on a snapshot or spare first.")
        ring = self.ring_of.get(index)
        if ring is not None:
            bound, ring_after, test_text = self._ring_bound(*ring, placed)
            if bound is None and ring[1] != min(self.groups[ring[0]]):
                self.untested[ring[0]] = self.untested.get(ring[0], 0) + 1
            if bound is not None and bound > lower:
                lower, cause = bound, Reason.RING_SOAK
        after: list[str] = []
        soft = self.guests_first.get(index, ())
        for before in self.depends.get(index, []):
            task = placed.get(before)
            if task is None:
                continue
            end = ts(task.end)
            if before in soft and end > deadline:
                continue
            after.append(task.uid)
            if end > lower:
                lower, cause = end, Reason.DEPENDENCY
        # The ring's tuple is shared by the level's tasks when nothing else is added.
        return lower, cause, (*ring_after, *after) if after else ring_after, test_text
