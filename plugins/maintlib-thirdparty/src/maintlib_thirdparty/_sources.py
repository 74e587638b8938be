"""Where every third-party application fact of this pack comes from.

``High``: the vendor's own text seen verbatim; ``Medium``: vendor data seen in part or
through a reliable secondary copy; ``UNCONFIRMED``: secondary sources only, or not
seen. The README's "Sources" table lists the same documents.
"""

from __future__ import annotations

#: Medium (Google's Security Blog post, through several reports quoting it): from
#: Chrome 116 (August 2023) a Stable channel security update every week between the
#: four-weekly milestones.
CHROME_WEEKLY = (
    "Google Security Blog, 'An update on Chrome Security updates' (2023-08-08),"
    " https://security.googleblog.com/2023/08/an-update-on-chrome-security-updates.html;"
    " Chrome Releases, https://chromereleases.googleblog.com/"
)

#: UNCONFIRMED (not retrieved): Microsoft Edge Stable follows Chromium's security fixes
#: within days; its release notes list each security update.
EDGE = (
    "Microsoft Learn, 'Release notes for Microsoft Edge Security Updates',"
    " https://learn.microsoft.com/en-us/deployedge/microsoft-edge-relnotes-security"
    " (UNCONFIRMED)"
)

#: Medium (endoflife.date "firefox", which links Mozilla's calendar): a new Firefox
#: every four weeks; ESR branches about a year each, overlapping the next one by about
#: three releases (ESR 115: 2023-07-04 to 2024-10-01; ESR 128: 2024-07-09 to 2025-09-16).
FIREFOX = (
    "Mozilla, 'Firefox ESR release cycle', https://support.mozilla.org/kb/firefox-esr-release-cycle;"
    " release calendar, https://whattrainisitnow.com/calendar/; endoflife.date,"
    " https://endoflife.date/firefox"
)

#: Medium (reports of Adobe's 2009 announcement; Adobe's bulletins carry second-Tuesday
#: dates): Adobe's scheduled security updates come on Microsoft's Patch Tuesday. From
#: 2026-07-14 a second monthly release on the fourth Tuesday (reports of Adobe's blog,
#: July 2026: "every advisory that includes a formally published CVE requiring
#: customer action" — Medium).
ADOBE = (
    "Adobe Security Bulletins and Advisories, https://helpx.adobe.com/security.html;"
    " Adobe, 'Quarterly security updates on Patch Tuesday' (2009, as reported by"
    " findmysoft.com); twice-monthly bulletins from July 2026 (CSO, as reported by"
    " viruss.eu and infosecradar.com)"
)

#: High (quoted from Oracle's page by several projects: "They are released on the
#: Tuesday closest to the 17th day of January, April, July and October"); Oracle's
#: vulnerability-disclosure page says "the third Tuesday", which gives the same days
#: in 2027. Initial distribution 13:00 Pacific (Oracle's CVRF for July 2013:
#: 2013-07-16T13:00:00-07:00). From January 2011; before, the Tuesday closest to the 15th.
ORACLE_CPU = (
    "Oracle, 'Critical Patch Updates, Security Alerts and Bulletins',"
    " https://www.oracle.com/security-alerts/; Oracle Security Practices, 'Critical Patch"
    " Update and Security Alert programs',"
    " https://www.oracle.com/corporate/security-practices/assurance/vulnerability/"
)

#: Medium (endoflife.date "oracle-jdk", from Oracle's Java SE Support Roadmap):
#: Premier Support five years, Extended Support three more for LTS releases.
JAVA_ROADMAP = (
    "Oracle Java SE Support Roadmap,"
    " https://www.oracle.com/java/technologies/java-se-support-roadmap.html; endoflife.date,"
    " https://endoflife.date/oracle-jdk"
)

#: UNCONFIRMED (not retrieved in this session): Current Channel "at least once a
#: month", no set schedule; Monthly Enterprise Channel "once a month, on the second
#: Tuesday"; Semi-Annual Enterprise Channel feature updates "in January and July, on
#: the second Tuesday", security updates on the second Tuesday of every month.
M365_APPS_CHANNELS = (
    "Microsoft Learn, 'Overview of update channels for Microsoft 365 Apps',"
    " https://learn.microsoft.com/en-us/microsoft-365-apps/updates/overview-update-channels"
    " (UNCONFIRMED)"
)

#: The source article: automatic updates close holes without waiting for people;
#: applications get software updates.
ARTICLE = "Source article (maintlib docs/domain.md) §1, §4"
