"""``maintlib import netbox``: devices and virtual machines read from NetBox's REST
API with pynetbox, mapped to assets by :mod:`~maintlib.loading.dcim`, and written
into an inventory document whose other sections (organisation, windows, …) are
the person's own."""

from __future__ import annotations

from typing import Any

from maintlib.loading.dcim import import_document
from maintlib.model.errors import MaintlibError

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
