"""Why an asset gets the maintenance it gets: its risk and its duties, in words.

The data behind ``maintlib explain``: read from the apply stage, nothing more.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from maintlib.apply import Duty, apply
from maintlib.catalog import Catalog
from maintlib.exceptions import InputError
from maintlib.inventory import Inventory
from maintlib.rules import Periodic
from maintlib.timeutil import format_duration

__all__ = ["explain", "render_explanation"]


def _duty_json(duty: Duty) -> dict[str, Any]:
    cadence = duty.cadence
    return {
        "activity": duty.activity.name,
        "label": duty.activity.label,
        "update_class": duty.rule.update_class.value if duty.rule.update_class else None,
        "cadence": cadence.describe(),
        "rrule": cadence.rrule if isinstance(cadence, Periodic) else None,
        "calendar": getattr(cadence, "calendar", None),
        "deadline_days": duty.deadline_days,
        "duration": format_duration(duty.duration),
        "mode": duty.mode.value,
        "downtime": duty.downtime,
        "steps": [{"kind": step.kind.value, "text": step.text} for step in duty.steps],
        "source": {"pack": duty.rule.pack, "rule": duty.rule.id, "citation": duty.rule.citation},
        "overrides": list(duty.overrides),
        "notes": list(duty.notes),
    }


def explain(
    inventory: Inventory, asset_id: str, catalog: Catalog, *, as_of: dt.date | None = None
) -> dict[str, Any]:
    """The asset's risk (score, tier, factors) and duties, as JSON-ready data.

    Args:
        inventory: The inventory.
        asset_id: The asset to explain.
        catalog: The rule packs.
        as_of: The day risks are assessed for (end of support is compared with
            it), or None.

    Raises:
        InputError: The inventory is not sound (see :func:`maintlib.validate`).
        KeyError: No such asset.
    """
    from maintlib.load import validate  # the load stage's checks, for code-built inventories

    problems = validate(inventory, catalog)
    if problems:
        raise InputError(problems)
    asset = inventory.asset(asset_id)
    duties = apply(inventory, catalog, as_of=as_of)
    return {
        "asset": asset.id,
        "name": asset.name,
        "kind": asset.kind,
        "risk": duties.risks[asset.id].to_json(),
        "duties": [_duty_json(duty) for duty in duties.of(asset.id)],
    }


def render_explanation(data: dict[str, Any]) -> str:
    """:func:`explain`'s data as text for a terminal."""
    risk = data["risk"]
    lines = [
        f"{data['asset']} ({data['kind']}){' — ' + data['name'] if data['name'] else ''}",
        f"risk {risk['score']} → {risk['tier']}",
    ]
    for factor in risk["factors"]:
        lines.append(f"  {factor['name']:<16} {factor['contribution']:>6}  {factor['value']}")
    lines.append(f"duties ({len(data['duties'])}):")
    for duty in data["duties"]:
        deadline = (
            f", deadline {duty['deadline_days']} days" if duty["deadline_days"] is not None else ""
        )
        lines.append(f"  {duty['label']} [{duty['activity']}]")
        lines.append(
            f"    {duty['cadence']}{deadline}, {duty['duration']}, {duty['mode']}"
            f"{', downtime' if duty['downtime'] else ''}"
        )
        source = duty["source"]
        lines.append(f"    rule {source['pack']}/{source['rule']}: {source['citation']}")
        if duty["overrides"]:
            lines.append(f"    overrides {', '.join(duty['overrides'])}")
        for note in duty["notes"]:
            lines.append(f"    note: {note}")
        for step in duty["steps"]:
            lines.append(f"    - [{step['kind']}] {step['text']}")
    return "\n".join(lines) + "\n"
