"""``maintlib import netbox``: devices and virtual machines read from NetBox's REST
API with pynetbox, mapped to assets by :mod:`~maintlib.loading.dcim`, and written
into an inventory document whose other sections (organisation, windows, …) are
the person's own."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from maintlib.loading.dcim import ImportMapping, map_records
from maintlib.model.errors import InputError, MaintlibError

__all__ = ["fetch_netbox", "import_document"]


def fetch_netbox(url: str, token: str | None) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Every device and virtual machine of the NetBox at ``url``, as the API's dicts.

    Raises:
        MaintlibError: NetBox refused the token or could not be reached.
    """
    import pynetbox
    import requests

    api = pynetbox.api(url, token=token)
    try:
        devices = [dict(record) for record in api.dcim.devices.all()]
        machines = [dict(record) for record in api.virtualization.virtual_machines.all()]
    except pynetbox.RequestError as error:
        raise MaintlibError(f"{url}: NetBox answered {error}") from None
    except requests.RequestException as error:
        raise MaintlibError(f"{url}: {error}") from None
    return devices, machines


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
