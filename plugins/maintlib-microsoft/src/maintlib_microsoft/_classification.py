"""Microsoft's update vocabularies mapped onto maintlib's: WSUS classifications
onto update classes, MSRC severities onto deadlines."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from maintlib.packs import DeadlinePolicy, Deadlines, UpdateClass, did_you_mean, severity_policies
from maintlib_microsoft._sources import CLASSIFICATIONS, MSRC_SEVERITY

__all__ = [
    "MSRC_DEADLINES",
    "WSUS_CLASSIFICATIONS",
    "WSUS_SOURCE",
    "msrc_deadline_policies",
    "msrc_deadlines",
    "update_class_for",
]

#: The WSUS classifications (their plural names, as WSUS shows them) and the
#: maintlib update class each maps to. The quoted definitions are Microsoft's, from
#: KB 824684, "Description of the standard terminology that is used to describe
#: Microsoft software updates" (``_sources.CLASSIFICATIONS``; High). Upgrades is not
#: defined there (Medium).
WSUS_CLASSIFICATIONS: Mapping[str, UpdateClass] = MappingProxyType(
    {
        # "A widely released fix for a product-specific, security-related vulnerability."
        "Security Updates": UpdateClass.SECURITY,
        # "... addresses a critical, non-security-related bug": urgent, but not security.
        "Critical Updates": UpdateClass.STANDARD,
        # "... additions to a product's definition database ... malicious code".
        "Definition Updates": UpdateClass.DEFINITIONS,
        # "A tested, cumulative set of hotfixes, security updates, critical updates, and
        # updates that are packaged together": a bundle, like a service pack.
        "Update Rollups": UpdateClass.SERVICE_PACK,
        # "A tested, cumulative set of all hotfixes, security updates, critical updates,
        # and updates."
        "Service Packs": UpdateClass.SERVICE_PACK,
        # "New product functionality ... first distributed outside ... a product release".
        "Feature Packs": UpdateClass.STANDARD,
        # "A utility or feature that helps complete a task or set of tasks."
        "Tools": UpdateClass.STANDARD,
        # "Software that controls the input and output of a device": hardware software,
        # updated with the hardware's firmware.
        "Drivers": UpdateClass.FIRMWARE,
        # Not in KB 824684; WSUS and Configuration Manager list it
        # (WSUS_CLASSIFICATION_LIST, Medium): sets of drivers for a device model,
        # updated with the hardware like single drivers.
        "Driver Sets": UpdateClass.FIRMWARE,
        # Not in KB 824684; WSUS lists it (WSUS_CLASSIFICATION_LIST, Medium): updates of
        # Microsoft applications (Office, …) outside security fixes: functional change.
        "Applications": UpdateClass.STANDARD,
        # "A widely released fix for a specific problem ... noncritical, non-security".
        "Updates": UpdateClass.STANDARD,
        # Not in KB 824684; Configuration Manager's wording: "an upgrade for Windows 10
        # features and functionality" (Medium): a new version, functional change.
        "Upgrades": UpdateClass.STANDARD,
    }
)


#: Where the classifications are defined, for whoever cites the mapping.
WSUS_SOURCE = CLASSIFICATIONS


def _key(name: str) -> str:
    """``"Security Updates"`` and ``"security update"`` alike: case and plural ignored."""
    folded = " ".join(name.split()).casefold()
    return folded.removesuffix("s")


_BY_KEY = {_key(name): update_class for name, update_class in WSUS_CLASSIFICATIONS.items()}


def update_class_for(classification: str) -> UpdateClass:
    """The maintlib update class of a WSUS classification.

    Args:
        classification: As WSUS names it (``"Security Updates"``) or as KB 824684
            does (``"Security update"``); case does not matter.

    Raises:
        ValueError: Not a WSUS classification (the message suggests a close one).
    """
    try:
        return _BY_KEY[_key(classification)]
    except KeyError:
        hint = did_you_mean(classification, WSUS_CLASSIFICATIONS)
        raise ValueError(f"unknown WSUS classification {classification!r}{hint}") from None


#: Days allowed per tier (P1–P4) from a release, per MSRC severity. maintlib's
#: defaults, following MSRC's recommendations (MSRC_SEVERITY): Critical "apply
#: immediately" (stricter than the built-in security policy); Important "at the
#: earliest opportunity" (the built-in security policy: BIO2 8.08.01, within a week
#: when likelihood and damage are high); Moderate "consider applying"; Low
#: "evaluate whether to apply".
MSRC_DEADLINES: Mapping[str, Deadlines] = MappingProxyType(
    {
        "Critical": Deadlines(2, 3, 7, 14),
        "Important": Deadlines(3, 7, 14, 30),
        "Moderate": Deadlines(7, 14, 30, 60),
        "Low": Deadlines(14, 30, 60, 90),
    }
)


def msrc_deadlines(severity: str) -> Deadlines:
    """The deadlines for an MSRC severity (``Critical``, ``Important``, ``Moderate``, ``Low``).

    Raises:
        ValueError: Not an MSRC severity; case does not matter.
    """
    for name, deadlines in MSRC_DEADLINES.items():
        if name.casefold() == severity.strip().casefold():
            return deadlines
    hint = did_you_mean(severity.strip().title(), MSRC_DEADLINES)
    raise ValueError(f"unknown MSRC severity {severity!r}{hint}")


def msrc_deadline_policies() -> list[DeadlinePolicy]:
    """One deadline policy per MSRC severity, for the vulnerability path.

    They carry a ``severity``, so they never change the default deadlines of an
    update class.
    """
    return severity_policies(
        "msrc", MSRC_DEADLINES, f"{MSRC_SEVERITY}; days: maintlib defaults (see the pack README)"
    )
