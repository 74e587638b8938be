"""Where every data-centre fact of this pack comes from.

``High``: the vendor's own text seen verbatim; ``Medium``: vendor data seen in part or
through a reliable secondary copy; ``UNCONFIRMED``: not retrieved in this session, or
secondary sources only. The README's "Sources" table lists the same documents.
"""

from __future__ import annotations

#: Medium for the advisories' existence and place; none has a fixed publication day
#: (no calendar found: absence of evidence).
VMSA = (
    "Broadcom, VMware Security Advisories (VMSA),"
    " https://support.broadcom.com/web/ecx/security-advisory?segment=VC"
)

#: UNCONFIRMED (not retrieved): vCenter Server is updated before the ESXi hosts it
#: manages, for the same release.
VSPHERE_SEQUENCE = (
    "Broadcom KB, 'Update sequence for vSphere 8.0 and its compatible VMware products',"
    " https://knowledge.broadcom.com/ (UNCONFIRMED, not retrieved)"
)

#: Medium (community runbooks of vLCM/VUM remediation, several): a host is remediated
#: in maintenance mode, its VMs moved off by DRS (vMotion), then restarted.
HSM = (
    "VMware vSphere Lifecycle Manager documentation, firmware updates through a hardware"
    " support manager (Dell OpenManage Integration for VMware vCenter, HPE iLO Amplifier"
    " or OneView for VMware) in the cluster image,"
    " https://techdocs.broadcom.com/us/en/vmware-cis/vsphere/vsphere/8-0/managing-host-and-cluster-lifecycle.html;"
    " VMware Cloud Foundation API, UpgradablesClusterResource ('Hardware Support Managers"
    " for Firmware upgrade'),"
    " https://developer.broadcom.com/xapis/vmware-cloud-foundation-api/latest/data-structures/UpgradablesClusterResource"
    " (Medium)"
)
VLCM = (
    "VMware vSphere Lifecycle Manager documentation, remediation in maintenance mode,"
    " https://techdocs.broadcom.com/us/en/vmware-cis/vsphere/vsphere/8-0/managing-host-and-cluster-lifecycle.html"
    " (Medium)"
)

#: UNCONFIRMED: ESXi and vCenter patch and update releases come several times a year,
#: on no fixed day (from the release notes' dates as endoflife.date lists them).
VSPHERE_RELEASES = (
    "Broadcom, ESXi and vCenter Server release notes; endoflife.date,"
    " https://endoflife.date/esxi, https://endoflife.date/vcenter"
)

#: Medium (endoflife.date "vcenter", which reads Broadcom's lifecycle): general support
#: of vSphere 7 ended 2025-10-02 (extended from 2025-04-02), of vSphere 8 ends
#: 2027-10-11; technical guidance after it brings no security patches.
VSPHERE_LIFECYCLE = (
    "Broadcom Product Lifecycle, https://support.broadcom.com/web/ecx/productlifecycle;"
    " endoflife.date, https://endoflife.date/vcenter, https://endoflife.date/esxi"
)

#: UNCONFIRMED for any cadence: Dell publishes security advisories (DSA) for iDRAC,
#: BIOS and other firmware as needed; Dell Repository Manager and the iDRAC Lifecycle
#: Controller update from Dell's catalog.
DELL = (
    "Dell Security Advisories, https://www.dell.com/support/security/; iDRAC9 Lifecycle"
    " Controller firmware update, https://www.dell.com/support/"
)

#: UNCONFIRMED for any cadence: HPE publishes security bulletins for iLO and server
#: firmware; the Service Pack for ProLiant (SPP) bundles firmware, drivers and tools
#: several times a year.
HPE = (
    "HPE Security Bulletins, https://support.hpe.com/connect/s/securitybulletinlibrary;"
    " Service Pack for ProLiant, https://www.hpe.com/servers/spp"
)

#: UNCONFIRMED for any cadence: Lenovo posts security advisories on its product
#: security site as fixes become available (its Vulnerability Disclosure Policy); its
#: firmware best-practice guide for ThinkSystem servers recommends updating firmware
#: and drivers "on a regular schedule", the XClarity Controller (XCC, the BMC) among
#: them, through XClarity Essentials UpdateXpress or XClarity Administrator.
LENOVO = (
    "Lenovo Product Security Advisories, https://www.lenovo.com/product_security/advisories"
    " (Lenovo Vulnerability Disclosure Policy,"
    " https://www.lenovo.com/us/en/product-security/vulnerability-disclosure-policy);"
    " Lenovo Press LP1991, 'ThinkSystem V3 Server Firmware and Drivers Update Best"
    " Practices', https://lenovopress.lenovo.com/lp1991"
)

#: High for Synology's page (as the built-in pack quotes it: fixed vulnerabilities are
#: "announced on Synology's official website"); QNAP's and Veeam's pages named, not
#: quoted (UNCONFIRMED).
SYNOLOGY = (
    "Synology Product Security Advisory, https://www.synology.com/en-global/security/advisory"
)
QNAP = "QNAP Security Advisories, https://www.qnap.com/en/security-advisories (UNCONFIRMED)"
VEEAM = (
    "Veeam Knowledge Base security bulletins, https://www.veeam.com/knowledge-base.html"
    " (UNCONFIRMED)"
)

#: UNCONFIRMED: Synology's Software Life Cycle Policy (months only: each date the
#: month's last day). endoflife.date has no Synology DSM product (checked against
#: endoflife-date/endoflife.date at a70eca3), so these dates have no second reading.
DSM_LIFECYCLE = (
    "Synology Software Life Cycle Policy,"
    " https://kb.synology.com/en-global/WP/Software_Life_Cycle_Policy/2"
)

#: Medium (endoflife.date "veeam-backup-and-replication", from Veeam's lifecycle page).
VEEAM_LIFECYCLE = (
    "Veeam Product Lifecycle, https://www.veeam.com/product-lifecycle.html; endoflife.date,"
    " https://endoflife.date/veeam-backup-and-replication"
)

#: The source article: the hypervisor layer and its hardware get firmware and software
#: updates, more and earlier than the VMs (§1, §3); backups made and restores tested.
ARTICLE = "Source article (maintlib docs/domain.md) §1, §3"
