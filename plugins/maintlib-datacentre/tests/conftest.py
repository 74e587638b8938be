"""Fixtures for the data-centre pack's tests: inventories as dicts, plugins with the pack."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import maintlib_datacentre
from maintlib.packs import Plugins

Document = Callable[..., dict[str, Any]]


@pytest.fixture
def document() -> Document:
    """An inventory with the given assets: Amsterdam, a window every Saturday."""

    def build(*assets: dict[str, Any], rules: tuple[dict[str, Any], ...] = ()) -> dict[str, Any]:
        return {
            "organisation": {"name": "Fabrikam", "timezone": "Europe/Amsterdam", "country": "NL"},
            "windows": [
                {
                    "name": "saturday",
                    "rrule": "FREQ=WEEKLY;BYDAY=SA",
                    "start": "08:00",
                    "duration": "PT10H",
                    "applies_to": [
                        "hypervisor",
                        "physical_server",
                        "virtual_server",
                        "storage",
                        "backup_system",
                    ],
                }
            ],
            "assets": list(assets),
            "rules": list(rules),
        }

    return build


@pytest.fixture
def datacentre(maintlib_plugins: Callable[..., Plugins]) -> Plugins:
    """The built-in pack and this one, as an entry point named ``datacentre``."""
    return maintlib_plugins({"datacentre": maintlib_datacentre})
