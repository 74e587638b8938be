"""What Microsoft's products are called in vulnerability feeds.

The KEV catalog names most Windows vulnerabilities by the product ``Windows`` and
the rest by the Windows component they are in (``Win32k``, ``Netlogon``, ``SMBv1``);
inventories say ``Windows Server 2022`` or ``Windows 11 Pro 24H2``. Windows, SQL Server
and SharePoint are serviced by cumulative updates — each month's contains every
earlier fix — so KEV entries older than a month are left to the routine monthly
update the plan already has (``docs/vulnerabilities.md``, "Matching by name").
Exchange Server's security updates apply to one cumulative update only: an Exchange
server a CU behind misses them, so its entries always count.
"""

from __future__ import annotations

from maintlib.packs import ProductFamily
from maintlib_microsoft._sources import (
    EXCHANGE_CU,
    KEV_MICROSOFT_PRODUCTS,
    SQL_MODERN_SERVICING,
    WINDOWS_MONTHLY_CUMULATIVE,
)

__all__ = ["FAMILIES", "WINDOWS_COMPONENTS"]

#: Windows components the KEV catalog uses as the product of a Windows vulnerability
#: (KEV_MICROSOFT_PRODUCTS). Names starting with "Windows" need no entry: "Windows"
#: is their longest known prefix.
WINDOWS_COMPONENTS = (
    "Windows",
    "Win32k",
    "Active Directory",
    "Ancillary Function Driver (afd.sys)",
    "ATM Font Driver",
    "Client-Server Run-time Subsystem (CSRSS)",
    "DirectX Graphics Kernel (DXGKRNL)",
    "DWM Core Library",
    "Enhanced Cryptographic Provider",
    "Graphics Component",
    "Graphics Device Interface (GDI)",
    "HTTP Protocol Stack",
    "HTTP.sys",
    "Internet Information Services (IIS)",
    "Kerberos Key Distribution Center (KDC)",
    "MSHTML",
    "Netlogon",
    "Remote Desktop Services",
    "SMBv1",
    "SMBv3",
    "Streaming Service",
    "Task Scheduler",
    "Update Notification Manager",
    "WinVerifyTrust function",
)

_WINDOWS = f"{KEV_MICROSOFT_PRODUCTS} (High); {WINDOWS_MONTHLY_CUMULATIVE} (High)"

FAMILIES: tuple[ProductFamily, ...] = (
    ProductFamily(
        "Microsoft",
        ("Windows Server*",),
        WINDOWS_COMPONENTS,
        cpe=("microsoft:windows_server",),
        cumulative=True,
        citation=_WINDOWS,
    ),
    ProductFamily(
        "Microsoft",
        ("Windows 1[01]*",),
        WINDOWS_COMPONENTS,
        cpe=("microsoft:windows_11", "microsoft:windows_10"),
        cumulative=True,
        citation=_WINDOWS,
    ),
    ProductFamily(
        "Microsoft",
        ("Exchange*",),
        ("Exchange Server", "Exchange"),
        cpe=("microsoft:exchange_server",),
        citation=f"{KEV_MICROSOFT_PRODUCTS} (High); {EXCHANGE_CU} (High)",
    ),
    ProductFamily(
        "Microsoft",
        ("SQL Server*",),
        ("SQL Server",),
        cpe=("microsoft:sql_server",),
        cumulative=True,
        citation=f"{KEV_MICROSOFT_PRODUCTS} (High); {SQL_MODERN_SERVICING} (High)",
    ),
    ProductFamily(
        "Microsoft",
        ("SharePoint*",),
        ("SharePoint Server", "SharePoint"),
        cpe=("microsoft:sharepoint_server",),
        cumulative=True,
        citation=f"{KEV_MICROSOFT_PRODUCTS} (High)",
    ),
)
