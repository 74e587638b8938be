"""What the network vendors' devices run, as vulnerability feeds name it.

The KEV catalog and CVE records name the operating system (``Fortinet / FortiOS``,
``Cisco / IOS and IOS XE Software``, ``Juniper / Junos OS``, ``Palo Alto Networks /
PAN-OS``); inventories name the box (``FortiGate 100F``, ``Catalyst 9300``,
``SRX345``, ``PA-3220``). These families tie them, so that a KEV entry reaches every
device that runs the software (``docs/vulnerabilities.md``, "Matching by name").
"""

from __future__ import annotations

from maintlib.packs import ProductFamily
from maintlib_network._sources import (
    CISCO_IOS_XE_DEVICES,
    CISCO_OTHER_DEVICES,
    FORTIOS_DEVICES,
    JUNOS_DEVICES,
    PAN_OS_DEVICES,
    ROUTEROS_DEVICES,
)

__all__ = ["FAMILIES"]

#: The KEV writes Cisco's operating systems with and without "Software", in lists
#: ("IOS, IOS XR, and IOS XE"), and once as "IOS, XR, and XE Software": hence "XE".
FAMILIES: tuple[ProductFamily, ...] = (
    ProductFamily(
        "Fortinet",
        ("FortiGate*", "FortiWiFi*", "FG-*", "FWF-*"),
        ("FortiOS",),
        cpe=("fortinet:fortios",),
        citation=f"{FORTIOS_DEVICES} (High)",
    ),
    ProductFamily(
        "Cisco",
        (
            "Catalyst 9*",
            "Catalyst 8*",
            "Catalyst 3650*",
            "Catalyst 3850*",
            "C9[2-6]00*",
            "C8[0-5]00*",
            "ISR 1[01]*",
            "ISR1[01]*",
            "ISR 4*",
            "ISR4*",
            "ASR 1*",
            "ASR1*",
        ),
        ("IOS XE", "XE"),
        vendor_names=("Cisco Systems",),
        cpe=("cisco:ios_xe",),
        citation=f"{CISCO_IOS_XE_DEVICES} (High)",
    ),
    ProductFamily(
        "Cisco",
        ("Catalyst 2960*", "WS-C2960*", "ISR 19*", "ISR 29*", "ISR 39*"),
        ("IOS",),
        vendor_names=("Cisco Systems",),
        cpe=("cisco:ios",),
        citation=f"{CISCO_OTHER_DEVICES} (Medium)",
    ),
    ProductFamily(
        "Cisco",
        ("Nexus*", "N9K*", "N3K*"),
        ("NX-OS",),
        vendor_names=("Cisco Systems",),
        cpe=("cisco:nx-os",),
        citation=f"{CISCO_OTHER_DEVICES} (Medium)",
    ),
    ProductFamily(
        "Cisco",
        ("ASA*",),
        ("Adaptive Security Appliance (ASA)", "Adaptive Security Appliance"),
        vendor_names=("Cisco Systems",),
        cpe=("cisco:adaptive_security_appliance_software",),
        citation=f"{CISCO_OTHER_DEVICES} (Medium)",
    ),
    ProductFamily(
        "Cisco",
        ("Firepower*", "FPR*", "Secure Firewall*"),
        ("Firepower Threat Defense (FTD)", "Firepower Threat Defense"),
        vendor_names=("Cisco Systems",),
        cpe=("cisco:firepower_threat_defense",),
        citation=f"{CISCO_OTHER_DEVICES} (Medium)",
    ),
    ProductFamily(
        "Juniper Networks",
        ("SRX*", "vSRX*", "EX[0-9]*", "MX[0-9]*", "QFX*", "ACX*", "PTX*"),
        ("Junos OS", "Junos"),
        vendor_names=("Juniper",),
        cpe=("juniper:junos",),
        citation=f"{JUNOS_DEVICES} (High)",
    ),
    ProductFamily(
        "Palo Alto Networks",
        ("PA-*", "PA[0-9]*", "VM-Series*", "PA-VM*"),
        ("PAN-OS",),
        cpe=("paloaltonetworks:pan-os",),
        citation=f"{PAN_OS_DEVICES} (Medium)",
    ),
    ProductFamily(
        "MikroTik",
        ("RB*", "CCR*", "CRS*", "hAP*", "hEX*", "RouterBOARD*"),
        ("RouterOS",),
        cpe=("mikrotik:routeros",),
        citation=f"{ROUTEROS_DEVICES} (Medium)",
    ),
)
