"""Azure Update Manager: maintenance configurations
(``Microsoft.Maintenance/maintenanceConfigurations``, scope ``InGuestPatch``) as an
ARM template that Bicep decompiles and ``az deployment group create`` deploys.

Per window of the plan, one configuration: ``startDateTime`` the window's first
occurrence in the horizon, ``duration`` ``HH:mm``, ``timeZone`` the Windows name
of the window's zone (the CLDR mapping tzlocal ships), and ``recurEvery`` —
``Day``, ``Week Saturday,Sunday``, ``Month Second Tuesday``, ``Month Second
Tuesday Offset4``. The assets of each configuration are listed in the template's
``outputs`` (assign the machines with configuration assignments or a dynamic
scope).

Azure's limits (the ``recurEvery`` property of the MaintenanceWindow model, REST
API 2023-04-01, learn.microsoft.com): an offset from the n-th weekday of -6 to 6
days; the week of the month First, Second, Third, Fourth or Last. A configuration
patches all its machines together: rings and redundancy groups sharing a window
are warnings.
"""

from __future__ import annotations

from typing import Any

from tzlocal.windows_tz import tz_win

from maintlib.model.inventory import Inventory
from maintlib.model.plan import Plan
from maintlib.outputs.exports.windows import (
    Export,
    ExportWarning,
    WindowShape,
    offset_warning,
    other_shape,
    redundancy_warnings,
    shapes,
)

__all__ = ["API_VERSION", "to_azure"]

API_VERSION = "2023-04-01"

_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_WEEKS = {1: "First", 2: "Second", 3: "Third", 4: "Fourth", -1: "Last"}


def _every(count: int, unit: str) -> str:
    return unit if count == 1 else f"{count}{unit}s"


def recur_every(shape: WindowShape) -> str | ExportWarning:
    """The ``recurEvery`` text of ``shape``, or why there is none."""
    if shape.kind == "daily":
        return _every(shape.interval, "Day")
    if shape.kind == "weekly":
        return f"{_every(shape.interval, 'Week')} {','.join(_DAYS[d] for d in shape.weekdays)}"
    if shape.kind == "monthly":
        assert shape.nth is not None
        assert shape.weekday is not None
        return f"{_every(shape.interval, 'Month')} {_WEEKS[shape.nth]} {_DAYS[shape.weekday]}"
    if shape.kind == "patch-tuesday":
        assert shape.offset is not None
        if shape.offset == 0:
            return "Month Second Tuesday"
        if -6 <= shape.offset <= 6:
            return f"Month Second Tuesday Offset{shape.offset}"
        return offset_warning(shape, "Azure allows an offset of -6 to 6 days")
    return other_shape(shape, "Azure Update Manager")


def to_azure(plan: Plan, inventory: Inventory) -> Export:
    """The plan's windows as an ARM template of maintenance configurations."""
    resources: list[dict[str, Any]] = []
    outputs: dict[str, Any] = {}
    warnings: list[ExportWarning] = []
    for shape in shapes(plan, inventory):
        where = f"window {shape.name!r}"
        recurrence = recur_every(shape)
        if isinstance(recurrence, ExportWarning):
            warnings.append(recurrence)
            continue
        zone = tz_win.get(shape.zone.key)
        if zone is None:
            warnings.append(
                ExportWarning(
                    "export-timezone",
                    where,
                    f"no Windows time zone for {shape.zone.key}; written as UTC",
                )
            )
        minutes = int(shape.window.duration.total_seconds() // 60)
        assert shape.first is not None
        name = f"maintlib-{shape.name}"
        resources.append(
            {
                "type": "Microsoft.Maintenance/maintenanceConfigurations",
                "apiVersion": API_VERSION,
                "name": name,
                "location": "[parameters('location')]",
                "tags": {"maintlib-window": shape.name},
                "properties": {
                    "maintenanceScope": "InGuestPatch",
                    "visibility": "Custom",
                    "extensionProperties": {"InGuestPatchMode": "User"},
                    "maintenanceWindow": {
                        "startDateTime": f"{shape.first:%Y-%m-%d %H:%M}",
                        "duration": f"{minutes // 60:02d}:{minutes % 60:02d}",
                        "timeZone": zone or "UTC",
                        "recurEvery": recurrence,
                    },
                    "installPatches": {
                        "rebootSetting": "IfRequired",
                        "windowsParameters": {"classificationsToInclude": ["Critical", "Security"]},
                        "linuxParameters": {"classificationsToInclude": ["Critical", "Security"]},
                    },
                },
            }
        )
        outputs[f"assets-{shape.name}"] = {"type": "array", "value": list(shape.all_assets)}
        if len(shape.assets) > 1:
            rings = ", ".join(f"ring {r}: {', '.join(a)}" for r, a in shape.assets.items())
            warnings.append(
                ExportWarning(
                    "export-rings-together",
                    where,
                    f"one configuration patches all its machines together ({rings}); give each"
                    " ring a window of its own to keep test before production",
                )
            )
        warnings += redundancy_warnings(
            shape, inventory, "export-redundancy-together", "Azure Update Manager"
        )
    document = {
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "contentVersion": "1.0.0.0",
        "parameters": {
            "location": {"type": "string", "defaultValue": "[resourceGroup().location]"}
        },
        "resources": resources,
        "outputs": outputs,
    }
    return Export(document, tuple(sorted(warnings)))
