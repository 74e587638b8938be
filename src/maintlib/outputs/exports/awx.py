"""AWX/Ansible: an inventory with a group per window and per ring (the plan's order
as host variables), and an AWX schedule per window as an RRULE.

The inventory is Ansible's JSON inventory format (``ansible-inventory --list``):
groups ``window_<name>`` with children ``window_<name>_ring_<n>``, groups
``ring_<n>``; each host has ``maintlib_window``, ``maintlib_ring``,
``maintlib_order`` (its place in the window's order, from 1) and, where it has
one, ``maintlib_redundancy_group``. A schedule is AWX's ``rrule`` text:
``DTSTART;TZID=<zone>:<first occurrence> RRULE:<the window's rule>``, with
``limit`` the window's group.

AWX's limits: a schedule starts a job and has no end (the window's length is not
enforced), and one schedule does not order rings — run the ring groups one after
another in a workflow. Both are warnings.
"""

from __future__ import annotations

import re
from typing import Any

from maintlib.model.inventory import Inventory
from maintlib.model.plan import Plan
from maintlib.outputs.exports.windows import Export, ExportWarning, redundancy_warnings, shapes

__all__ = ["group_name", "to_awx"]


def group_name(*parts: str) -> str:
    """An Ansible group name: letters, digits and underscores."""
    return re.sub(r"[^A-Za-z0-9_]", "_", "_".join(parts))


def to_awx(plan: Plan, inventory: Inventory) -> Export:
    """The AWX inventory and schedules of the plan's windows."""
    groups: dict[str, Any] = {}
    hostvars: dict[str, dict[str, Any]] = {}
    schedules: list[dict[str, Any]] = []
    warnings: list[ExportWarning] = []
    rings: dict[str, list[str]] = {}
    for shape in shapes(plan, inventory):
        where = f"window {shape.name!r}"
        window_group = group_name("window", shape.name)
        children = []
        order = 0
        for ring, assets in shape.assets.items():
            child = group_name("window", shape.name, "ring", str(ring))
            children.append(child)
            groups[child] = {"hosts": list(assets)}
            rings.setdefault(group_name("ring", str(ring)), []).extend(assets)
            for asset in assets:
                order += 1
                variables = hostvars.setdefault(asset, {})
                variables.setdefault("maintlib_windows", []).append(shape.name)
                variables.setdefault("maintlib_window", shape.name)
                variables.setdefault("maintlib_order", order)
                variables["maintlib_ring"] = ring
                group = inventory.asset(asset).redundancy_group
                if group:
                    variables["maintlib_redundancy_group"] = group
        groups[window_group] = {
            "children": children,
            "vars": {
                "maintlib_window_duration_minutes": int(shape.window.duration.total_seconds() // 60)
            },
        }
        assert shape.first is not None
        schedules.append(
            {
                "name": f"maintlib {shape.name}",
                "description": f"{inventory.organisation.name}: window {shape.name}, from maintlib",
                "rrule": f"DTSTART;TZID={shape.zone.key}:{shape.first:%Y%m%dT%H%M%S}"
                f" RRULE:{shape.window.rrule}",
                "limit": window_group,
                "extra_data": {"maintlib_window": shape.name},
            }
        )
        warnings.append(
            ExportWarning(
                "export-no-end",
                where,
                "an AWX schedule starts a job and has no end: the window's"
                f" {shape.window.duration.total_seconds() / 3600:g} h are not enforced"
                " (maintlib_window_duration_minutes)",
            )
        )
        if len(shape.assets) > 1:
            warnings.append(
                ExportWarning(
                    "export-ring-order",
                    where,
                    "one schedule does not order rings: run "
                    + ", then ".join(children)
                    + " in a workflow",
                )
            )
        warnings += redundancy_warnings(shape, inventory, "export-redundancy-together", "AWX")
    for name, hosts in sorted(rings.items()):
        groups[name] = {"hosts": sorted(set(hosts))}
    document: dict[str, Any] = {
        "inventory": {
            "_meta": {"hostvars": {host: hostvars[host] for host in sorted(hostvars)}},
            "all": {"children": sorted(name for name in groups if "_ring_" not in name)},
            **{name: groups[name] for name in sorted(groups)},
        },
        "schedules": schedules,
    }
    return Export(document, tuple(sorted(warnings)))
