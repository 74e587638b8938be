"""``maintlib import nautobot``: devices and virtual machines read from Nautobot's
REST API (2.x and 3.x) with pynautobot, turned into the NetBox-shaped records
:mod:`~maintlib.loading.dcim` maps, and written like NetBox's.

Where Nautobot's records differ from NetBox's:

* ``location`` instead of ``site`` (its name becomes the asset's site);
* ``status``, ``role``, ``tenant``, ``platform`` and tags are objects without
  slugs (removed in Nautobot 2.0): the slug is made from the name as Django's
  ``slugify`` does (``"Core Switch"`` → ``core-switch``, ``"Acme BV"`` → ``acme-bv``),
  so ``[import.kinds]`` keys, ``--tenant`` and the ``tenant:`` tags take that form;
* nested objects are only named when asked for with ``?depth=1``; a device type's
  manufacturer is one level further down, so device types are read on their own;
* a device's cluster is a ``cluster`` field in Nautobot 2.x and a many-to-many
  ``clusters`` (device–cluster assignments, not in the default response) in 3.x;
* devices may belong to a ``device_redundancy_group`` and carry a
  ``software_version`` (Nautobot 2.2 and later): the redundancy group and version;
* a virtual machine has no host device, only its cluster.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from maintlib.loading.dcim import import_document
from maintlib.model.errors import MaintlibError

__all__ = ["fetch_nautobot", "import_document", "normalise", "slug"]


def slug(name: str) -> str:
    """``name`` as Django's ``slugify`` makes it: ASCII, lower case, anything but
    letters, digits, ``_`` and ``-`` dropped, runs of spaces and ``-`` one ``-``."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^\w\s-]", "", text.lower())
    return re.sub(r"[-\s]+", "-", text).strip("-_")


def fetch_nautobot(
    url: str, token: str | None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Every device and virtual machine of the Nautobot at ``url``, normalised
    (:func:`normalise`) into the NetBox-shaped dicts of :mod:`~maintlib.loading.dcim`.

    Raises:
        MaintlibError: Nautobot refused the token or could not be reached.
    """
    import pynautobot
    import requests

    api = pynautobot.api(url, token=token)
    try:
        devices = [dict(record) for record in api.dcim.devices.all(depth=1)]
        machines = [dict(record) for record in api.virtualization.virtual_machines.all(depth=1)]
        device_types = [dict(record) for record in api.dcim.device_types.all(depth=1)]
        assignments: list[dict[str, Any]] = []
        clusters: list[dict[str, Any]] = []
        if any("cluster" not in device for device in devices):  # Nautobot 3: many-to-many
            assignments = [dict(record) for record in api.dcim.device_cluster_assignments.all()]
            clusters = [dict(record) for record in api.virtualization.clusters.all()]
    except pynautobot.RequestError as error:
        raise MaintlibError(f"{url}: Nautobot answered {error}") from None
    except requests.RequestException as error:
        raise MaintlibError(f"{url}: {error}") from None
    return normalise(
        devices, machines, device_types=device_types, assignments=assignments, clusters=clusters
    )


def normalise(
    devices: Iterable[Mapping[str, Any]],
    machines: Iterable[Mapping[str, Any]],
    *,
    device_types: Iterable[Mapping[str, Any]] = (),
    assignments: Iterable[Mapping[str, Any]] = (),
    clusters: Iterable[Mapping[str, Any]] = (),
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Nautobot's records (``?depth=1``) as the NetBox-shaped dicts that
    :func:`~maintlib.loading.dcim.map_records` reads.

    Args:
        device_types: ``/api/dcim/device-types/?depth=1``, for the manufacturers' names.
        assignments: ``/api/dcim/device-cluster-assignments/`` (Nautobot 3.x).
        clusters: ``/api/virtualization/clusters/``, the assignments' cluster names.
    """
    types = {str(record.get("id")): record for record in device_types}
    cluster_names = {str(record.get("id")): record.get("name") for record in clusters}
    clusters_of: dict[str, list[str]] = {}
    for assignment in assignments:
        name = cluster_names.get(str(_id(assignment.get("cluster"))))
        if name:
            clusters_of.setdefault(str(_id(assignment.get("device"))), []).append(str(name))
    return (
        [_device(record, types, clusters_of) for record in devices],
        [_machine(record) for record in machines],
    )


def _id(value: Any) -> Any:
    return value.get("id") if isinstance(value, Mapping) else value


def _named(value: Any) -> dict[str, Any] | None:
    """A nested object as NetBox's brief form: its name and a slug."""
    if not isinstance(value, Mapping) or not value.get("name"):
        return None
    name = str(value["name"])
    return {"id": value.get("id"), "name": name, "slug": value.get("slug") or slug(name)}


def _status(value: Any) -> dict[str, Any] | None:
    if not isinstance(value, Mapping):
        return None
    name = value.get("name") or value.get("value") or value.get("label")
    return {"value": slug(str(name)), "label": name} if name else None


def _common(record: Mapping[str, Any]) -> dict[str, Any]:
    tags = [
        {"name": tag["name"], "slug": tag.get("slug") or slug(str(tag["name"]))}
        for tag in record.get("tags") or []
        if isinstance(tag, Mapping) and tag.get("name")
    ]
    version = record.get("software_version")
    return {
        "id": record.get("id"),
        "name": record.get("name") or record.get("display"),
        "status": _status(record.get("status")),
        "role": _named(record.get("role")),
        "platform": _named(record.get("platform")),
        "site": _named(record.get("location")),
        "tenant": _named(record.get("tenant")),
        "software_version": (
            {"version": version["version"]}
            if isinstance(version, Mapping) and version.get("version")
            else None
        ),
        "tags": tags,
        "custom_fields": dict(record.get("custom_fields") or {}),
    }


def _device(
    record: Mapping[str, Any],
    types: Mapping[str, Mapping[str, Any]],
    clusters_of: Mapping[str, list[str]],
) -> dict[str, Any]:
    nested = record.get("device_type")
    device_type: Mapping[str, Any] = {
        **(nested if isinstance(nested, Mapping) else {}),
        **types.get(str(_id(nested)), {}),
    }
    model = device_type.get("model")
    cluster = _named(record.get("cluster"))
    if cluster is None and clusters_of.get(str(record.get("id"))):
        name = sorted(clusters_of[str(record.get("id"))])[0]
        cluster = {"name": name, "slug": slug(name)}
    return {
        **_common(record),
        "device_type": {
            "model": model,
            "slug": device_type.get("slug") or (slug(str(model)) if model else None),
            "manufacturer": _named(device_type.get("manufacturer")),
        },
        "cluster": cluster,
        "virtual_chassis": _named(record.get("virtual_chassis")),
        "device_redundancy_group": _named(record.get("device_redundancy_group")),
    }


def _machine(record: Mapping[str, Any]) -> dict[str, Any]:
    return {**_common(record), "cluster": _named(record.get("cluster")), "device": None}
