"""The network vendors this pack knows, and where each publishes its advisories."""

from __future__ import annotations

import attrs

from maintlib.packs import ReleaseCalendar
from maintlib_network._calendars import CISCO, FORTINET, JUNIPER, PALO_ALTO_NETWORKS
from maintlib_network._sources import ARUBA, MIKROTIK, UBIQUITI

__all__ = ["VENDORS", "NetworkVendor"]


@attrs.frozen
class NetworkVendor:
    """A vendor, how inventories name its devices, and its advisory calendar.

    Attributes:
        key: Prefix of the vendor's rule ids (``fortinet``).
        name: The vendor's name.
        vendor: Glob on the asset's ``vendor`` (``Fortinet*``).
        product: Glob on the asset's ``product``, when only some products follow
            the calendar (Cisco: IOS and IOS XE), else None.
        calendar: The vendor's advisory calendar, or None when it publishes none:
            then a monthly advisory check, and firmware quarterly.
        source: Where the calendar, or its absence, comes from.
        fix_quarterly: The routine fix of internet-facing devices is quarterly, not
            per publication (Cisco from July 2026: core network OS quarterly, with
            notice), so a device has at most one routine security outage a quarter.
    """

    key: str
    name: str
    vendor: str
    product: str | None
    calendar: ReleaseCalendar | None
    source: str
    fix_quarterly: bool = False


VENDORS: tuple[NetworkVendor, ...] = (
    NetworkVendor("cisco", "Cisco", "Cisco*", "IOS*", CISCO, CISCO.source, fix_quarterly=True),
    NetworkVendor("fortinet", "Fortinet", "Fortinet*", None, FORTINET, FORTINET.source),
    NetworkVendor("juniper", "Juniper Networks", "*Juniper*", None, JUNIPER, JUNIPER.source),
    NetworkVendor(
        "paloalto",
        "Palo Alto Networks",
        "Palo Alto*",
        None,
        PALO_ALTO_NETWORKS,
        PALO_ALTO_NETWORKS.source,
    ),
    # No published cadence found (Medium, absence of evidence).
    NetworkVendor("ubiquiti", "Ubiquiti", "Ubiquiti*", None, None, UBIQUITI),
    NetworkVendor("mikrotik", "MikroTik", "MikroTik*", None, None, MIKROTIK),
    NetworkVendor("aruba", "HPE Aruba Networking", "*Aruba*", None, None, ARUBA),
)
