"""AWS Systems Manager maintenance windows: a CloudFormation template, and the same
created through boto3.

Per window of the plan: an ``AWS::SSM::MaintenanceWindow`` (a ``cron`` schedule in
the window's IANA zone, ``ScheduleOffset`` for days after Patch Tuesday, the
duration in whole hours, a cutoff of an hour), per ring a
``AWS::SSM::MaintenanceWindowTarget`` selecting the plan's assets by the tag
``maintlib:asset``, and per ring an ``AWS-RunPatchBaseline`` task whose
``Priority`` is the ring (SSM runs lower priorities first: test before
production), one at a time where members of a redundancy group share the ring.

SSM's limits (the API reference of CreateMaintenanceWindow and
MaintenanceWindowIdentity, docs.aws.amazon.com): ``Duration`` 1–24 whole hours,
``Cutoff`` 0–23 hours, ``ScheduleOffset`` 1–6 days after the cron date (so never
before Patch Tuesday), names ``[a-zA-Z0-9_.-]{3,128}``; a target's tag may list
at most 50 values. What falls outside is a warning, never silently changed.
"""

from __future__ import annotations

import math
import re
from typing import Any

from maintlib.model.inventory import Inventory
from maintlib.model.plan import Plan
from maintlib.outputs.exports.windows import (
    Export,
    ExportWarning,
    WindowShape,
    offset_warning,
    other_shape,
    shapes,
)

__all__ = ["TAG", "apply_ssm", "to_ssm"]

#: The instance tag whose value is the maintlib asset id.
TAG = "maintlib:asset"

#: At most this many values in one target's tag filter.
MAX_VALUES = 50

_CRON_DAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")


def _logical(name: str) -> str:
    return "".join(part.capitalize() for part in re.split(r"[^A-Za-z0-9]+", name) if part)


def _schedule(shape: WindowShape) -> tuple[str, int | None] | ExportWarning:
    """The cron expression and ScheduleOffset, or why there is none."""
    start = shape.window.start
    time = f"{start.minute} {start.hour}"
    if shape.kind == "daily" and shape.interval == 1:
        return f"cron({time} * * ? *)", None
    if shape.kind == "weekly" and shape.interval == 1:
        days = ",".join(_CRON_DAYS[d] for d in shape.weekdays)
        return f"cron({time} ? * {days} *)", None
    if shape.kind == "monthly" and shape.interval == 1:
        assert shape.nth is not None
        assert shape.weekday is not None
        day = _CRON_DAYS[shape.weekday]
        return f"cron({time} ? * {day + 'L' if shape.nth == -1 else f'{day}#{shape.nth}'} *)", None
    if shape.kind == "patch-tuesday":
        assert shape.offset is not None
        if shape.offset == 0:
            return f"cron({time} ? * TUE#2 *)", None
        if 1 <= shape.offset <= 6:
            return f"cron({time} ? * TUE#2 *)", shape.offset
        return offset_warning(shape, "SSM's ScheduleOffset is 1 to 6 days after the cron date")
    return other_shape(shape, "SSM")


def to_ssm(plan: Plan, inventory: Inventory) -> Export:
    """The plan's windows as a CloudFormation template (see the module)."""
    resources: dict[str, Any] = {}
    warnings: list[ExportWarning] = []
    for shape in shapes(plan, inventory):
        where = f"window {shape.name!r}"
        schedule = _schedule(shape)
        if isinstance(schedule, ExportWarning):
            warnings.append(schedule)
            continue
        cron, offset = schedule
        hours = shape.window.duration.total_seconds() / 3600
        duration = min(24, max(1, math.ceil(hours)))
        if duration != hours:
            warnings.append(
                ExportWarning(
                    "export-duration-rounded",
                    where,
                    f"SSM windows last whole hours from 1 to 24: {hours:g} h written as"
                    f" {duration} h",
                )
            )
        key = f"Window{_logical(shape.name)}"
        properties: dict[str, Any] = {
            "Name": f"maintlib-{shape.name}",
            "Description": f"{inventory.organisation.name}: window {shape.name}"
            f" ({shape.window.rrule}) from maintlib"[:128],
            "Schedule": cron,
            "ScheduleTimezone": shape.zone.key,
            "Duration": duration,
            "Cutoff": 1 if duration > 1 else 0,
            "AllowUnassociatedTargets": False,
        }
        if offset is not None:
            properties["ScheduleOffset"] = offset
        resources[key] = {"Type": "AWS::SSM::MaintenanceWindow", "Properties": properties}
        for ring, assets in shape.assets.items():
            groups = [inventory.asset(a).redundancy_group for a in assets]
            rolling = any(g and groups.count(g) > 1 for g in groups)
            for part, start in enumerate(range(0, len(assets), MAX_VALUES)):
                chunk = list(assets[start : start + MAX_VALUES])
                suffix = f"Ring{ring}" + (f"Part{part + 1}" if len(assets) > MAX_VALUES else "")
                resources[f"{key}{suffix}Targets"] = {
                    "Type": "AWS::SSM::MaintenanceWindowTarget",
                    "Properties": {
                        "WindowId": {"Ref": key},
                        "Name": f"maintlib-{shape.name}-ring{ring}"[:128],
                        "ResourceType": "INSTANCE",
                        "Targets": [{"Key": f"tag:{TAG}", "Values": chunk}],
                    },
                }
                resources[f"{key}{suffix}Patch"] = {
                    "Type": "AWS::SSM::MaintenanceWindowTask",
                    "Properties": {
                        "WindowId": {"Ref": key},
                        "Name": f"maintlib-{shape.name}-ring{ring}-patch"[:128],
                        "TaskArn": "AWS-RunPatchBaseline",
                        "TaskType": "RUN_COMMAND",
                        "Priority": ring,
                        "MaxConcurrency": "1" if rolling else "100%",
                        "MaxErrors": "1",
                        "Targets": [
                            {"Key": "WindowTargetIds", "Values": [{"Ref": f"{key}{suffix}Targets"}]}
                        ],
                        "TaskInvocationParameters": {
                            "MaintenanceWindowRunCommandParameters": {
                                "Parameters": {"Operation": ["Install"]}
                            }
                        },
                    },
                }
        if len(shape.assets) > 1:
            warnings.append(
                ExportWarning(
                    "export-soak-time",
                    where,
                    "rings run in priority order within one SSM window, without the soak"
                    " time the plan keeps between them",
                )
            )
    document = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": f"Maintenance windows of {inventory.organisation.name}, from maintlib",
        "Resources": resources,
    }
    return Export(document, tuple(sorted(warnings)))


def apply_ssm(export: Export, client: Any) -> dict[str, str]:
    """Create the template's windows, targets and tasks through a boto3 SSM
    ``client``; a window of the same name made earlier is replaced. Returns each
    window's name → its WindowId."""
    resources = export.document["Resources"]
    ids: dict[str, str] = {}
    created: dict[str, str] = {}
    for key, resource in resources.items():
        if resource["Type"] != "AWS::SSM::MaintenanceWindow":
            continue
        properties = dict(resource["Properties"])
        found = client.describe_maintenance_windows(
            Filters=[{"Key": "Name", "Values": [properties["Name"]]}]
        )["WindowIdentities"]
        for old in found:
            client.delete_maintenance_window(WindowId=old["WindowId"])
        window = client.create_maintenance_window(**properties)["WindowId"]
        ids[key] = window
        created[properties["Name"]] = window
    for key, resource in resources.items():
        if resource["Type"] != "AWS::SSM::MaintenanceWindowTarget":
            continue
        properties = dict(resource["Properties"])
        properties["WindowId"] = ids[properties["WindowId"]["Ref"]]
        ids[key] = client.register_target_with_maintenance_window(**properties)["WindowTargetId"]
    for resource in resources.values():
        if resource["Type"] != "AWS::SSM::MaintenanceWindowTask":
            continue
        properties = dict(resource["Properties"])
        properties["WindowId"] = ids[properties["WindowId"]["Ref"]]
        properties["Targets"] = [
            {"Key": "WindowTargetIds", "Values": [ids[v["Ref"]] for v in t["Values"]]}
            for t in properties["Targets"]
        ]
        # CloudFormation's MaintenanceWindowRunCommandParameters is the API's RunCommand.
        invocation = properties["TaskInvocationParameters"]
        properties["TaskInvocationParameters"] = {
            "RunCommand": invocation["MaintenanceWindowRunCommandParameters"]
        }
        client.register_task_with_maintenance_window(**properties)
    return created
