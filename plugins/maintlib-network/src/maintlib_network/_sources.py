"""Where every network-vendor fact of this pack comes from.

One constant per source, with what the pack takes from it and how sure we are
(``High``: the vendor's own text seen verbatim; ``Medium``: vendor data seen in
part or through a reliable secondary copy; ``UNCONFIRMED``: secondary sources
only). The README's "Sources" table lists the same documents.
"""

from __future__ import annotations

#: High (2008 – June 2026). "we now aim to announce groups of Cisco IOS Security
#: Advisories, called 'bundles', only twice a year: on the fourth Wednesdays in March
#: and September." The first bundle was 2008-03-26.
CISCO_BUNDLES = (
    "Cisco Blogs, 'Why Out-of-Cycle Cisco IOS Security Advisories Are a Good Thing'"
    " (2009-09-08),"
    " https://blogs.cisco.com/security/why_out-of-cycle_cisco_ios_security_advisories_are_a_good_thing"
)

#: Medium (vendor page seen only in part). From July 2026 Cisco reserves "the first
#: and third Wednesday of each month for security hardened software publications",
#: with 7 days' notice of the technologies covered. The schedule details come from
#: secondary sources quoting the blog (anintent.com, aicerts.ai). UNCONFIRMED: which
#: months carry the quarterly IOS XE publication, and whether the March/September
#: bundle formally ends.
CISCO_2026 = (
    "Cisco Blogs, 'Cisco's Risk-Based Vulnerability Disclosure in the Age of AI',"
    " https://blogs.cisco.com/security/ciscos-risk-based-vulnerability-disclosure-in-the-age-of-ai"
    " (schedule details via secondary sources)"
)

#: High. "all vulnerabilities up to and including high severity are posted on the
#: second Tuesday of the month during Pacific Time business hours ... All Critical
#: Severity issues will be addressed via an out of cycle advisory as required."
FORTINET_PSIRT = (
    "Fortinet Community, 'PSIRT Note: Fortinet PSIRT and Monthly PSIRT Advisories',"
    " https://community.fortinet.com/fortiguard-23/psirt-note-fortinet-psirt-and-monthly-psirt-advisories-94244;"
    " Fortinet PSIRT Policy, https://www.fortiguard.com/psirt_policy"
)

#: High for the rule; Medium that it still applies after HPE's acquisition (no
#: change found). "a predefined quarterly schedule of the second Wednesday of
#: January, April, July, and October, covering all Juniper products."
JUNIPER_SIRT = (
    "Juniper KB16613, 'Overview of the Juniper Networks SIRT Quarterly Security Bulletin"
    " Publication Process', https://kb.juniper.net/InfoCenter/index?page=content&id=KB16613"
)

#: Medium. Second Wednesday of each month ("Patch Wednesday"): seen in PANW PSIRT's
#: CVE Project pull requests (github.com/CVEProject/cvelist #810, #2485, #4486, dated
#: second Wednesdays); the policy's own wording was not retrieved (UNCONFIRMED).
PALO_ALTO = (
    "Palo Alto Networks, 'Product Security Assurance and Vulnerability Disclosure Policy',"
    " https://www.paloaltonetworks.com/product-security-assurance; 'Patch Wednesday' CVE"
    " pull requests, github.com/CVEProject/cvelist #810, #2485, #4486"
)

#: Medium (absence of evidence): no fixed publication day found for these vendors.
UBIQUITI = (
    "Ubiquiti Community, Security Advisory Bulletins; https://ui.com/support/security-rewards/about"
)
MIKROTIK = "MikroTik, 'Security', https://mikrotik.com/supportsec"
ARUBA = (
    "HPE Aruba Networking, 'Aruba Product Security Incident Response Policy',"
    " https://www.arubanetworks.com/support-services/sirt/"
)

#: High. "Before upgrading a cluster, back up your configuration ... The firmware is
#: upgraded on all of the subordinate units. A new primary unit is selected from the
#: upgraded subordinates. The firmware is upgraded on the former primary unit."
FORTINET_HA = (
    "Fortinet Docs, FortiOS Administration Guide, 'Upgrading FortiGates in an HA cluster',"
    " https://docs.fortinet.com/document/fortigate/7.4.4/administration-guide/247944"
)

#: High. Load the image on both units, reload the standby, fail over when it is
#: Standby Ready, reload the former active unit.
CISCO_HA = (
    "Cisco ASA Series Configuration Guide (CLI), 'Performing Zero Downtime Upgrades for"
    " Failover Pairs'"
)

#: High. "Conduct reviews of audit logs to detect anomalies or abnormal events that
#: could indicate a potential threat. Conduct reviews on a weekly, or more frequent,
#: basis." (Implementation Groups 2 and 3.)
CIS_8_11 = (
    "CIS Controls v8, safeguard 8.11 'Conduct Audit Log Reviews',"
    " https://controls-assessment-specification.readthedocs.io/en/latest/control-8/control-8.11.html"
)

#: The source article: network maintenance (firmware, configuration backups, access
#: checks, traffic monitoring), outside office hours, verified afterwards.
ARTICLE = "Source article (maintlib docs/domain.md) §1, §6"
CISCO_SIR = (
    "Cisco Blogs, 'Scoring Cisco Security Vulnerabilities with CVSSv3',"
    " https://blogs.cisco.com/security/scoring-cisco-security-vulnerabilities-with-cvssv3:"
    " the Security Impact Rating 'uses basically the same scale as the new CVSSv3 qualitative"
    " severity rating scale' (Critical, High, Medium, Low); Cisco Security Vulnerability Policy"
)

#: High. The FortiOS Administration Guide is the guide of "FortiGate / FortiOS"; its
#: "Parallel path processing (life of a packet)" describes "a FortiGate running
#: FortiOS 6.4 and higher". FortiWiFi models are FortiGates with a wireless radio.
FORTIOS_DEVICES = (
    "Fortinet Docs, FortiOS Administration Guide,"
    " https://docs.fortinet.com/document/fortigate/7.4.4/administration-guide;"
    " 'Parallel path processing (life of a packet)',"
    " https://docs.fortinet.com/document/fortigate/6.4.0/parallel-path-processing-life-of-a-packet"
)

#: High. Cisco IOS XE 17's configuration guides are per platform: Catalyst 9200, 9300,
#: 9400, 9500 and 9600 switches, with guides for access and edge routers (ISR 1000 and
#: 4000, ASR 1000, Catalyst 8000); Catalyst 3650/3850 ran IOS XE 16.
CISCO_IOS_XE_DEVICES = (
    "Cisco, 'Cisco IOS XE 17 – Configuration Guides',"
    " https://cisco.com/c/en/us/support/ios-nx-os-software/ios-xe-17/products-installation-and-configuration-guides-list.html;"
    " 'Cisco IOS XE 16 – Command References',"
    " https://cisco.com/c/en/us/support/ios-nx-os-software/ios-xe-16/products-command-reference-list.html"
)

#: Medium (from the product names Cisco gives the software; the platform lists were
#: not checked one by one): Nexus switches run NX-OS; ASA appliances the Adaptive
#: Security Appliance software; Firepower and Secure Firewall appliances Firepower
#: Threat Defense; the Catalyst 2960 family and ISR G2 (1900/2900/3900) classic IOS.
CISCO_OTHER_DEVICES = (
    "Cisco, 'Cisco IOS and NX-OS Software' support pages,"
    " https://www.cisco.com/c/en/us/support/ios-nx-os-software/index.html;"
    " Cisco ASA and Firepower Threat Defense product pages"
)

#: High. Junos OS documentation lists its supported platforms per statement: "EX, J,
#: M, MX, PTX, QFX, SRX, T Series".
JUNOS_DEVICES = (
    "Juniper Networks, Junos OS documentation, 'Notational Conventions Used in Junos OS"
    " Configuration Hierarchies' (supported platforms EX, J, M, MX, PTX, QFX, SRX, T Series),"
    " https://juniper.net/documentation/en_US/junos13.2/topics/reference/statement-hierarchy/security-firewall-authentication.html"
)

#: Medium. PA-Series hardware and VM-Series virtual firewalls run PAN-OS (the PAN-OS
#: Administrator's Guide and the XML API's "show the PAN-OS version for a firewall").
PAN_OS_DEVICES = (
    "Palo Alto Networks, PAN-OS XML API, 'Get Version Info (API)',"
    " https://docs.paloaltonetworks.com/pan-os/10-1/pan-os-panorama-api/pan-os-xml-api-request-types/get-version-info-api.html;"
    " PAN-OS Administrator's Guide"
)

#: Medium. RouterOS is the operating system of MikroTik's RouterBOARD, CCR, CRS and
#: hAP/hEX devices.
ROUTEROS_DEVICES = "MikroTik, RouterOS documentation, https://help.mikrotik.com/docs/"

#: High. "All software on in-scope devices must be ... updated ... within 14 days of an
#: update being released, where: the update fixes vulnerabilities described by the
#: vendor as 'critical' or 'high risk'; ... CVSS v3 base score of 7 or above; ... no
#: details of the level of vulnerabilities." (Requirements for IT Infrastructure v3.1,
#: section 3 'Security update management'.)
CYBER_ESSENTIALS = (
    "NCSC/IASME, 'Cyber Essentials: Requirements for IT Infrastructure' v3.1, Security"
    " update management (14 days for critical and high-risk fixes),"
    " https://www.ncsc.gov.uk/cyberessentials/overview"
)

#: The Dutch government baseline, as maintlib's built-in security policy cites it:
#: patches within one week when likelihood and damage are high.
BIO_WEEK = "BIO2 8.08.01 (within one week when likelihood and damage are high)"

#: High (the same note as FORTINET_PSIRT): "All Critical Severity issues will be
#: addressed via an out of cycle advisory as required."
FORTINET_PSIRT_CYCLE = (
    "Fortinet Community, 'PSIRT Note: Fortinet PSIRT and Monthly PSIRT Advisories'"
    " (bundles up to High on the second Tuesday; Criticals out of cycle)"
)
