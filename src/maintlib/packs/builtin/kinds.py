"""The built-in pack's vocabulary: the asset kinds and the activities the article names."""

from __future__ import annotations

from collections.abc import Sequence

from maintlib.model.rules import Activity
from maintlib.model.vocabulary import AssetKind, Category
from maintlib.packs.hookspecs import hookimpl


@hookimpl
def maintlib_asset_kinds() -> Sequence[AssetKind]:
    """The asset kinds of article section 1."""
    server, network = Category.SERVER, Category.NETWORK
    return [
        AssetKind("physical_server", server, "Physical server", aliases=("bare_metal", "pserver")),
        AssetKind(
            "hypervisor",
            server,
            "Hypervisor host",
            infrastructure=True,
            aliases=("esxi", "hyper_v", "proxmox", "vm_host"),
        ),
        AssetKind("virtual_server", server, "Virtual server", aliases=("vm", "virtual_machine")),
        AssetKind("storage", server, "Shared storage", infrastructure=True, aliases=("nas", "san")),
        AssetKind("firewall", network, "Firewall", infrastructure=True, aliases=("utm",)),
        AssetKind("router", network, "Router", infrastructure=True),
        AssetKind("switch", network, "Switch", infrastructure=True),
        AssetKind(
            "access_point", network, "Access point", infrastructure=True, aliases=("ap", "wap")
        ),
        AssetKind("workstation", Category.ENDPOINT, "Workstation", aliases=("pc", "desktop")),
        AssetKind("laptop", Category.ENDPOINT, "Laptop", aliases=("notebook",)),
        AssetKind("application", Category.APPLICATION, "Application", aliases=("app",)),
        AssetKind("cloud_service", Category.CLOUD, "Cloud service", aliases=("saas", "cloud")),
        AssetKind("backup_system", Category.BACKUP, "Backup system", aliases=("backup",)),
        # Things that run out on a date rather than needing patches (issue 30).
        AssetKind("certificate", Category.APPLICATION, "TLS certificate", aliases=("cert", "tls")),
        AssetKind("domain", Category.CLOUD, "Domain name", aliases=("domain_name",)),
    ]


@hookimpl
def maintlib_activities() -> Sequence[Activity]:
    """The activities the article names (sections 1, 2, 5, 6, 8)."""
    return [
        Activity("security-updates", "Security updates", "Patches for known vulnerabilities."),
        Activity("standard-updates", "Standard updates", "Functional and performance updates."),
        Activity("service-pack", "Service pack", "A larger bundle of fixes and improvements."),
        Activity("firmware-update", "Firmware update", "The manufacturer's firmware."),
        Activity("definitions-update", "Antivirus definitions", "Malware definitions."),
        Activity("health-check", "Health check", "A thorough check of the system's state."),
        Activity("performance-review", "Performance review", "Review of monitored performance."),
        Activity("configuration-backup", "Configuration backup", "Save the device configuration."),
        Activity(
            "access-review",
            "Access review",
            "Not exposed to the internet, strong passwords, few admin accounts.",
        ),
        Activity("log-review", "Log and traffic review", "Look for anomalies in logs and traffic."),
        Activity("database-maintenance", "Database maintenance", "Integrity, indexes, growth."),
        Activity("backup-check", "Backup check", "Did last night's backups succeed?"),
        Activity("restore-test", "Restore test", "Restore a sample to prove backups work."),
        Activity("cloud-review", "Cloud service review", "Updates, workplace management, support."),
        Activity("licence-review", "Licence and subscription review", "Seats, renewals, costs."),
        Activity("plan-review", "Maintenance plan review", "Evaluate and adjust the plan."),
        Activity("training", "Training", "Keep infrastructure and security skills current."),
        Activity("upgrade-or-replace", "Upgrade or replace", "The product's support ends."),
        Activity(
            "renewal",
            "Renewal",
            "A certificate, domain, contract or subscription runs out on its date.",
        ),
    ]
