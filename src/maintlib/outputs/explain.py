"""Why an asset gets the maintenance it gets: its risk and its duties, in words.

The data behind ``maintlib explain``: read from the apply stage, nothing more.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from maintlib._util.clock import format_duration
from maintlib.model.arguments import as_date
from maintlib.model.catalog import Catalog
from maintlib.model.errors import InputError
from maintlib.model.feeds import Feeds
from maintlib.model.inventory import Inventory
from maintlib.model.rules import Periodic
from maintlib.model.vulnerabilities import Assessment, Assessments
from maintlib.model.work import Duty
from maintlib.planning.apply import apply
from maintlib.vulns.rulings import assess, chosen_policies

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


def _assessment_json(assessment: Assessment) -> dict[str, Any]:
    finding = assessment.finding
    kev, epss, ssvc = finding.kev, finding.epss, finding.ssvc
    deciding = assessment.deciding
    return {
        "cve": finding.cve,
        "via": finding.via,
        "known_since": finding.known_since.isoformat(),
        "kev": None
        if kev is None
        else {
            "date_added": kev.date_added.isoformat(),
            "due_date": kev.due_date.isoformat(),
            "required_action": kev.required_action,
            "ransomware": kev.ransomware,
        },
        "epss": None
        if epss is None
        else {"epss": str(epss.epss.normalize()), "percentile": str(epss.percentile.normalize())},
        "ssvc": None
        if ssvc is None
        else {
            "exploitation": ssvc.exploitation.value,
            "automatable": ssvc.automatable,
            "technical_impact": ssvc.technical_impact.value,
        },
        "cvss": str(finding.cvss) if finding.cvss is not None else None,
        "remediation": finding.remediation,
        "rulings": [ruling.to_json() for ruling in assessment.rulings],
        "deciding": deciding.to_json() if deciding else None,
        "triage": assessment.triage,
    }


def explain(
    inventory: Inventory,
    asset_id: str,
    catalog: Catalog,
    *,
    as_of: dt.date | str | None = None,
    feeds: Feeds | None = None,
    policies: Sequence[str] = (),
) -> dict[str, Any]:
    """The asset's risk (score, tier, factors), duties and vulnerabilities, as JSON-ready data.

    Args:
        inventory: The inventory.
        asset_id: The asset to explain.
        catalog: The rule packs.
        as_of: The day risks are assessed for (end of support is compared with
            it; a date or ``"YYYY-MM-DD"``), or None.
        feeds: Vulnerability feeds, or None.
        policies: Deadline policies besides the inventory's. With feeds or
            policies, each of the asset's vulnerabilities is shown with every
            policy's ruling, the one that decides, and what was assumed.

    Raises:
        InputError: The inventory is not sound (see :func:`maintlib.validate`).
        KeyError: No such asset.
        TypeError: ``as_of`` is neither a date nor its text.
        ValueError: Feeds or policies without ``as_of``.
        InputError: A policy id names no loaded policy.
    """
    from maintlib.loading.validate import (
        validate,  # the load stage's checks, for code-built inventories
    )

    as_of = None if as_of is None else as_date(as_of, "as_of")
    problems = validate(inventory, catalog)
    if problems:
        raise InputError(problems)
    asset = inventory.asset(asset_id)
    chosen = [*inventory.planning.deadline_policies, *policies]
    assessments: Assessments | None = None
    if feeds or chosen:
        if as_of is None:
            raise ValueError("explaining vulnerabilities needs as_of (the assessment day)")
        selected = chosen_policies(chosen, catalog.vulnerability_policies)
        assessments = assess(
            inventory, feeds or Feeds(), selected, as_of=as_of, families=catalog.product_families
        )
    duties = apply(inventory, catalog, as_of=as_of, vulnerabilities=assessments)
    result: dict[str, Any] = {
        "asset": asset.id,
        "name": asset.name,
        "kind": asset.kind,
        "risk": duties.risks[asset.id].to_json(),
        "duties": [_duty_json(duty) for duty in duties.of(asset.id)],
    }
    if assessments is not None:
        result["policies"] = list(assessments.policies)
        result["vulnerabilities"] = [_assessment_json(a) for a in assessments.of(asset.id)]
    return result


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
    if "vulnerabilities" in data:
        lines += _render_vulnerabilities(data["vulnerabilities"], data["policies"])
    return "\n".join(lines) + "\n"


def _render_vulnerabilities(items: list[dict[str, Any]], policies: list[str]) -> list[str]:
    lines = [f"vulnerabilities ({len(items)}; policies: {', '.join(policies) or 'none'}):"]
    for item in items:
        lines.append(f"  {item['cve']} ({item['via']}), known since {item['known_since']}")
        kev = item["kev"]
        lines.append(
            f"    KEV: added {kev['date_added']}, due {kev['due_date']}: {kev['required_action']}"
            if kev
            else "    KEV: not listed"
        )
        facts = []
        if item["epss"]:
            facts.append(f"EPSS {item['epss']['epss']} (percentile {item['epss']['percentile']})")
        ssvc = item["ssvc"]
        if ssvc:
            automatable = "yes" if ssvc["automatable"] else "no"
            facts.append(
                f"SSVC exploitation {ssvc['exploitation']}, automatable {automatable},"
                f" technical impact {ssvc['technical_impact']}"
            )
        else:
            facts.append("SSVC: not assessed by CISA (policies assume the worst case)")
        if item["cvss"]:
            facts.append(f"CVSS {item['cvss']}")
        lines.append("    " + "; ".join(facts))
        deciding = item["deciding"]
        for ruling in item["rulings"]:
            mark = "  ← decides" if ruling == deciding else ""
            deadline = ruling["deadline"] or "no deadline"
            lines.append(f"    {ruling['id']}: {ruling['criterion']}; {deadline}{mark}")
            for assumed in ruling["assumed"]:
                lines.append(f"      assumed: {assumed}")
        if deciding is None:
            lines.append("    no policy sets a deadline: no emergency work")
    return lines
