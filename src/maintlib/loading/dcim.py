"""Assets from a source of truth's DCIM and virtualisation records (NetBox, and
Nautobot, its fork with the same data model): the mapping both importers share.

The records are plain dicts as the REST APIs return them (NetBox 4.x:
``/api/dcim/devices/``, ``/api/virtualization/virtual-machines/``); the fetching
is the importers' (:mod:`~maintlib.loading.netbox`; :mod:`~maintlib.loading.nautobot`
turns Nautobot's records into this shape first). What maps to what:

* the device's role (slug) — or else its device type (slug or model) — to an asset
  kind, by the ``[import.kinds]`` table with :data:`DEFAULT_KINDS` underneath;
  a virtual machine is a ``virtual_server`` unless its role says otherwise;
* the platform to the OS (a device's: the device type's model is its product, the
  manufacturer its vendor; a VM's is its product as well — no vendor is recorded,
  and the OS vendor's rules find it by its ``os``); a software version
  (Nautobot's ``software_version``) to the version;
* a VM's host device (or the only device of its cluster) to ``hosted_on``; the
  devices of a cluster with several, the members of a virtual chassis, and those
  of a device redundancy group (Nautobot's ``device_redundancy_group``) to a
  redundancy group;
* site, tenant (a ``tenant:<slug>`` tag, and a filter for per-tenant
  inventories), tags (their slugs);
* the custom fields named by ``criticality_field`` and ``exposure_field``
  (default ``maintlib_criticality``, ``maintlib_exposure``) to criticality and
  exposure, when they hold one of maintlib's values.

Records that are not active (``status`` other than ``active``) are left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from maintlib.model.errors import InputError, Problem
from maintlib.model.vocabulary import Criticality, Exposure

__all__ = ["DEFAULT_KINDS", "ImportMapping", "asset_id", "import_document", "map_records"]

#: Role or device-type slugs → asset kinds, under the inventory's ``[import.kinds]``.
DEFAULT_KINDS: Mapping[str, str] = {
    "access-point": "access_point",
    "ap": "access_point",
    "backup": "backup_system",
    "core-switch": "switch",
    "access-switch": "switch",
    "distribution-switch": "switch",
    "switch": "switch",
    "firewall": "firewall",
    "router": "router",
    "hypervisor": "hypervisor",
    "server": "physical_server",
    "storage": "storage",
    "san": "storage",
    "nas": "storage",
    "workstation": "workstation",
    "laptop": "laptop",
    "vm": "virtual_server",
    "virtual-machine": "virtual_server",
}


@attrs.frozen
class ImportMapping:
    """The ``[import]`` section: how records become assets.

    Attributes:
        kinds: Role or device-type slug (or model) → asset kind, over :data:`DEFAULT_KINDS`.
        criticality_field: The custom field holding the criticality.
        exposure_field: The custom field holding the exposure.
        default_kind: The kind of a device nothing maps (None: such a device is
            reported, not guessed).
    """

    kinds: Mapping[str, str] = attrs.field(factory=dict)
    criticality_field: str = "maintlib_criticality"
    exposure_field: str = "maintlib_exposure"
    default_kind: str | None = None

    @classmethod
    def from_section(cls, section: Mapping[str, Any], file: str = "<input>") -> ImportMapping:
        """Read an inventory's ``[import]`` table.

        Raises:
            InputError: An unknown key, or a value of the wrong type.
        """
        known = {"kinds", "criticality_field", "exposure_field", "default_kind"}
        problems = [
            Problem(file, f"import.{key}", f'unknown key "{key}"') for key in set(section) - known
        ]
        kinds = section.get("kinds", {})
        if not isinstance(kinds, Mapping) or not all(isinstance(v, str) for v in kinds.values()):
            problems.append(Problem(file, "import.kinds", "must be a table of strings"))
            kinds = {}
        for key in ("criticality_field", "exposure_field", "default_kind"):
            if key in section and not isinstance(section[key], str):
                problems.append(Problem(file, f"import.{key}", "must be a string"))
        if problems:
            raise InputError(sorted(problems))
        # Only the keys given: the class's attributes are slot descriptors, not the defaults.
        given = {
            key: section[key]
            for key in ("criticality_field", "exposure_field", "default_kind")
            if key in section
        }
        return cls(kinds=dict(kinds), **given)

    def kind(self, *keys: str | None) -> str | None:
        table = {**DEFAULT_KINDS, **self.kinds}
        for key in keys:
            if key and key in table:
                return table[key]
            if key and key.lower() in table:
                return table[key.lower()]
        return self.default_kind


def asset_id(name: str) -> str:
    """A record's name as an asset id: lower case; runs of anything but letters,
    digits, ``.``, ``_`` and ``-`` become one ``-``."""
    text = re.sub(r"[^a-z0-9._-]+", "-", name.strip().lower()).strip("-._")
    return text or "unnamed"


def _get(record: Mapping[str, Any] | None, *path: str) -> Any:
    value: Any = record
    for key in path:
        if not isinstance(value, Mapping):
            return None
        value = value.get(key)
    return value


def _active(record: Mapping[str, Any]) -> bool:
    status = _get(record, "status", "value")
    return status in (None, "active")


def _common(record: Mapping[str, Any], mapping: ImportMapping) -> dict[str, Any]:
    asset: dict[str, Any] = {}
    if _get(record, "site", "name"):
        asset["site"] = _get(record, "site", "name")
    tags = sorted(
        {str(tag.get("slug") or tag.get("name")) for tag in record.get("tags") or [] if tag}
    )
    tenant = _get(record, "tenant", "slug")
    if tenant:
        tags.append(f"tenant:{tenant}")
    if tags:
        asset["tags"] = tags
    fields = record.get("custom_fields") or {}
    criticality = fields.get(mapping.criticality_field)
    if isinstance(criticality, str) and criticality.lower() in {c.value for c in Criticality}:
        asset["criticality"] = criticality.lower()
    exposure = fields.get(mapping.exposure_field)
    if isinstance(exposure, str) and exposure.lower() in {e.value for e in Exposure}:
        asset["exposure"] = exposure.lower()
    return asset


def map_records(
    devices: Iterable[Mapping[str, Any]],
    virtual_machines: Iterable[Mapping[str, Any]],
    mapping: ImportMapping,
    *,
    tenant: str | None = None,
    source: str = "netbox",
) -> tuple[list[dict[str, Any]], list[Problem]]:
    """The ``[[assets]]`` tables of the records (sorted by id), and a problem for
    each record that could not be mapped (no kind; an id taken twice).

    Args:
        tenant: Only the records of this tenant (slug); hosts of its VMs come along.
    """
    problems: list[Problem] = []
    devices = [d for d in devices if _active(d)]
    machines = [v for v in virtual_machines if _active(v)]
    by_cluster: dict[str, list[str]] = {}
    for device in devices:
        cluster = _get(device, "cluster", "name")
        if cluster:
            by_cluster.setdefault(cluster, []).append(asset_id(str(device["name"])))
    wanted_hosts: set[str] = set()
    assets: dict[str, dict[str, Any]] = {}

    def add(asset: dict[str, Any], record: Mapping[str, Any], where: str) -> None:
        if asset["id"] in assets:
            problems.append(
                Problem(source, where, f'asset id "{asset["id"]}" is taken by another record')
            )
            return
        assets[asset["id"]] = asset

    for vm in sorted(machines, key=lambda r: str(r.get("name"))):
        where = f"virtual machine {vm.get('name')!r} (id {vm.get('id')})"
        if tenant is not None and _get(vm, "tenant", "slug") != tenant:
            continue
        role = _get(vm, "role", "slug")
        asset: dict[str, Any] = {
            "id": asset_id(str(vm.get("name"))),
            "name": str(vm.get("name")),
            "kind": mapping.kind(role) or "virtual_server",
        }
        platform = _get(vm, "platform", "name")
        if platform:
            # The VM's product is its operating system; ``os`` too, so that the OS
            # vendor's rules match without a vendor (NetBox's VM has none).
            asset["product"] = asset["os"] = platform
        version = _get(vm, "software_version", "version")
        if version:
            asset["version"] = str(version)
        host = _get(vm, "device", "name")
        cluster = _get(vm, "cluster", "name")
        if host:
            asset["hosted_on"] = asset_id(str(host))
        elif cluster and len(by_cluster.get(cluster, [])) == 1:
            asset["hosted_on"] = by_cluster[cluster][0]
        if "hosted_on" in asset:
            wanted_hosts.add(asset["hosted_on"])
        asset.update(_common(vm, mapping))
        add(asset, vm, where)
    for device in sorted(devices, key=lambda r: str(r.get("name"))):
        where = f"device {device.get('name')!r} (id {device.get('id')})"
        ident = asset_id(str(device.get("name")))
        foreign = tenant is not None and _get(device, "tenant", "slug") != tenant
        if foreign and ident not in wanted_hosts:
            continue
        kind = mapping.kind(
            _get(device, "role", "slug"),
            _get(device, "device_type", "slug"),
            _get(device, "device_type", "model"),
        )
        if kind is None:
            problems.append(
                Problem(
                    source,
                    where,
                    f"no asset kind for role {_get(device, 'role', 'slug')!r} or device type"
                    f" {_get(device, 'device_type', 'slug')!r}: add it to [import.kinds]",
                )
            )
            continue
        asset = {"id": ident, "name": str(device.get("name")), "kind": kind}
        vendor = _get(device, "device_type", "manufacturer", "name")
        model = _get(device, "device_type", "model")
        platform = _get(device, "platform", "name")
        if vendor:
            asset["vendor"] = vendor
        if model:
            asset["product"] = model
        if platform:
            asset["os"] = platform
        version = _get(device, "software_version", "version")
        if version:
            asset["version"] = str(version)
        chassis = _get(device, "virtual_chassis", "name")
        group = _get(device, "device_redundancy_group", "name")
        cluster = _get(device, "cluster", "name")
        if chassis:
            asset["redundancy_group"] = str(chassis)
        elif group:
            asset["redundancy_group"] = str(group)
        elif cluster and len(by_cluster.get(cluster, [])) > 1:
            asset["redundancy_group"] = str(cluster)
        asset.update(_common(device, mapping))
        add(asset, device, where)
    known = set(assets)
    for asset in assets.values():
        if asset.get("hosted_on") not in (None, *known):
            del asset["hosted_on"]
    return [assets[key] for key in sorted(assets)], problems


def import_document(
    devices: list[dict[str, Any]],
    machines: list[dict[str, Any]],
    base: Mapping[str, Any],
    *,
    tenant: str | None = None,
    source: str = "netbox",
) -> dict[str, Any]:
    """``base`` (an inventory document: its organisation, windows, ``[import]``…)
    with its ``[[assets]]`` replaced by the records'.

    Raises:
        InputError: The ``[import]`` section is invalid, or records cannot be mapped.
    """
    mapping = ImportMapping.from_section(base.get("import", {}), source)
    assets, problems = map_records(devices, machines, mapping, tenant=tenant, source=source)
    if problems:
        raise InputError(problems)
    document = {key: value for key, value in base.items() if key != "assets"}
    if "import" not in document:
        document["import"] = {
            "kinds": {},
            "criticality_field": mapping.criticality_field,
            "exposure_field": mapping.exposure_field,
        }
    document["assets"] = assets
    return document
