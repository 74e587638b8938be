"""Where every Microsoft fact of this pack comes from.

One constant per source: the document's title and address, what it says that
the pack uses, and how sure we are (``High``: the vendor's own text seen
verbatim; ``Medium``: vendor data seen in part or through a reliable secondary
copy; ``UNCONFIRMED``: secondary sources only). The README's "Sources" table
lists the same documents.
"""

from __future__ import annotations

#: High. "Second Tuesday of each month, typically published at 10:00 AM Pacific
#: Time (PST/PDT)"; the optional preview: "Fourth Tuesday of each month" and
#: "Starting in April 2023, all Optional non-security preview releases will be
#: released on the fourth Tuesday of the month"; out-of-band releases: "As needed";
#: feature updates: "Once a year in the second half of the calendar year".
RELEASE_CYCLE = (
    "Microsoft Learn, 'Update release cycle for Windows clients',"
    " https://learn.microsoft.com/en-us/windows/deployment/update/release-cycle"
)

#: High. Baseline months January, April, July, October (cumulative update and
#: restart); hotpatches without restart in the other eight months.
HOTPATCH_SCHEDULE = (
    "Microsoft Learn training, 'Hotpatch updates – Update schedules',"
    " https://learn.microsoft.com/en-us/training/modules/hotpatch-updates/3-update-schedules"
)

#: High. "Unplanned baselines are released when an important update (such as a
#: zero-day fix) is released, and that particular update can't be released as a
#: hotpatch"; Windows Server 2025 Standard and Datacenter need Azure Arc.
HOTPATCH_SERVER = (
    "Microsoft Learn, 'Hotpatch for Windows Server',"
    " https://learn.microsoft.com/en-us/windows-server/get-started/hotpatch; 'Enable Hotpatch"
    " for Azure Arc-enabled servers',"
    " https://learn.microsoft.com/en-us/windows-server/get-started/enable-hotpatch-azure-arc-enabled-servers"
)

#: High for the monthly engine and platform releases ("Engine updates are
#: included with security intelligence updates and are released on a monthly
#: cadence"; platform updates KB4052623 monthly). The release frequency of
#: security intelligence itself is UNCONFIRMED: Microsoft says only "a scheduled
#: cadence (configurable via policy)".
DEFENDER_UPDATES = (
    "Microsoft Learn, 'Microsoft Defender Antivirus security intelligence and product"
    " updates', https://learn.microsoft.com/en-us/defender-endpoint/microsoft-defender-antivirus-updates"
)

#: High. The client checks for security intelligence every 1–24 hours, default 24.
DEFENDER_INTERVAL = "Microsoft Learn, Windows unattend reference, 'SignatureUpdateInterval'"

#: High (Upgrades: Medium, not defined in the KB). Definitions of the update
#: classifications WSUS uses.
CLASSIFICATIONS = (
    "Microsoft Learn, 'Description of the standard terminology that is used to describe"
    " Microsoft software updates' (KB 824684),"
    " https://learn.microsoft.com/en-us/troubleshoot/windows-client/installing-updates-features-roles/standard-terminology-software-updates"
)

#: High for Critical, Important and Moderate; Medium for Low. Recommendations:
#: "apply Critical updates immediately", "apply Important updates at the earliest
#: opportunity", "consider applying", "evaluate whether to apply".
MSRC_SEVERITY = (
    "MSRC, 'Security Update Severity Rating System',"
    " https://www.microsoft.com/en-us/msrc/security-update-severity-rating-system"
)

#: Medium. Microsoft publishes Exchange Server and SQL Server security updates in
#: the monthly release: Microsoft's own CVE records carry second-Tuesday dates
#: (Exchange CVE-2021-26427 2021-10-12, CVE-2022-21855 2022-01-11; SQL Server
#: CVE-2026-33120 2026-04-14, CVE-2026-40370 2026-05-12, CVE-2026-67642 2026-09-08).
#: Not every month has one, and out-of-band releases happen (Exchange, March 2021).
SERVER_PRODUCTS_ON_PATCH_TUESDAY = (
    "MSRC Security Update Guide, https://msrc.microsoft.com/update-guide (Microsoft CVE"
    " records for Exchange Server and SQL Server dated on second Tuesdays)"
)

#: Medium. Message center posts for the tenant, through the service
#: communications API.
M365_MESSAGE_CENTER = (
    "Microsoft Graph, 'List serviceAnnouncement messages' (message center posts),"
    " https://learn.microsoft.com/en-us/graph/api/serviceannouncement-list-messages"
)

#: Lifecycle dates: Microsoft Learn lifecycle pages where a copy was seen, else
#: endoflife.date, which links each date to them. Confidence per row in
#: :mod:`maintlib_microsoft._lifecycle`.
LIFECYCLE = "Microsoft Learn, Lifecycle, https://learn.microsoft.com/lifecycle/products/"
ENDOFLIFE_WINDOWS_SERVER = "endoflife.date, 'Windows Server', https://endoflife.date/windows-server"
ENDOFLIFE_WINDOWS = "endoflife.date, 'Microsoft Windows', https://endoflife.date/windows"
ENDOFLIFE_EXCHANGE = "endoflife.date, 'Microsoft Exchange', https://endoflife.date/msexchange"
#: Where the Exchange 2016/2019 ESU "period 2" comes from (the link endoflife.date's
#: msexchange page gives; the day is UNCONFIRMED, see the README).
EXCHANGE_ESU_PERIOD_2 = (
    "Exchange Team Blog, 'Announcing period 2 of the Exchange 2016/2019 Extended Security"
    " Update (ESU) program',"
    " https://techcommunity.microsoft.com/blog/exchange/announcing-period-2-exchange-20162019-extended-security-update-esu-program/4511603"
)
ENDOFLIFE_SQL = "endoflife.date, 'Microsoft SQL Server', https://endoflife.date/mssqlserver"
SQL_MODERN_SERVICING = (
    "Microsoft Support, KB 4041553, 'SQL Server 2017 and later versions will no longer receive"
    " SPs' (Modern Servicing Model), https://support.microsoft.com/help/4041553; SQL Server"
    " Blog, 'Announcing the Modern Servicing Model for SQL Server'"
)
WINDOWS_MONTHLY_CUMULATIVE = (
    "Microsoft Learn, 'Update release cycle for Windows clients' (monthly cumulative"
    " quality updates; Windows Server 2016 and later are serviced the same way); the last"
    " Windows service pack was Windows 7 / Windows Server 2008 R2 SP1 (2011), and Windows"
    " Server 2012 R2 had one cumulative 'Update' (KB2919355, 2014): secondary sources"
)
EXCHANGE_CU = (
    "Microsoft Learn, 'Exchange Server build numbers and release dates'; Exchange Team blog:"
    " Exchange 2013 and later, and Exchange Server SE, ship Cumulative Updates (CUs) and"
    " Security Updates (SUs), no service packs"
)
DECEMBER_PREVIEW = (
    "Microsoft Support, KB4586781 (2020-11-10): 'Because of minimal operations during the"
    " holidays and the upcoming Western new year, there won't be any preview releases for the"
    " month of December'; the same announced for December 2024 (Windows release health, as"
    " reported by windowsforum and others)"
)
WSUS_CLASSIFICATION_LIST = (
    "Microsoft Learn, Configuration Manager, 'Software update classifications' (the WSUS"
    " classification list: Applications, Driver Sets, …)"
)

#: High. The KEV catalog (cisagov/kev-data, known_exploited_vulnerabilities.json,
#: catalog 2025.08.25) names Microsoft's Windows vulnerabilities by product "Windows"
#: (150 entries) or by the component ("Win32k", "Netlogon", "SMBv1", "Remote Desktop
#: Services", "Internet Information Services (IIS)", ...), and its server products as
#: "Exchange Server", "SQL Server", "SharePoint Server".
KEV_MICROSOFT_PRODUCTS = (
    "CISA Known Exploited Vulnerabilities catalog, vendorProject 'Microsoft' product names"
    " (github.com/cisagov/kev-data, known_exploited_vulnerabilities.json)"
)
