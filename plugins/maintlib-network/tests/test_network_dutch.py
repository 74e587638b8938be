"""The pack's checklists in Dutch: every step has its ``nl`` text, and a Dutch feed shows it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import icalendar

import maintlib
from maintlib.packs import Plugins, build_catalog
from maintlib.testing import load_document
from maintlib_network._dutch import DUTCH


def test_every_step_of_the_pack_has_its_dutch(network: Plugins) -> None:
    catalog = build_catalog(network)
    steps = {step for rule in catalog.rules if rule.pack == "network" for step in rule.steps}
    assert steps
    assert [step.text for step in steps if "nl" not in step.texts] == []
    used = {step.text for step in steps}
    assert set(DUTCH) == used  # no Dutch text left over for a step that is gone


def test_a_dutch_feed_shows_the_steps_in_dutch(
    network: Plugins, document: Callable[..., dict[str, Any]]
) -> None:
    data = document(
        {
            "id": "fw01",
            "kind": "firewall",
            "vendor": "Fortinet",
            "product": "FortiGate 60F",
            "criticality": "high",
        }
    )
    inventory = load_document(data, plugins=network)
    plan = maintlib.plan(
        inventory,
        start=dt.date(2027, 1, 1),
        months=3,
        reference_time=dt.datetime(2026, 12, 1, tzinfo=dt.UTC),
        plugins=network,
    )
    for lang, shown, hidden in (
        ("nl", "Installeer de firmware.", "Install the firmware."),
        ("en", "Install the firmware.", "Installeer de firmware."),
    ):
        feed = icalendar.Calendar.from_ical(maintlib.to_ics(plan, lang=lang))
        text = "\n".join(str(event["DESCRIPTION"]) for event in feed.walk("VEVENT"))
        assert shown in text
        assert hidden not in text
