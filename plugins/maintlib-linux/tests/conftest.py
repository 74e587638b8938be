"""Fixtures for the Linux pack's tests: inventories as dicts, plugins with the pack."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import maintlib_linux
from maintlib.packs import Plugins

Document = Callable[..., dict[str, Any]]


@pytest.fixture
def document() -> Document:
    """An inventory with the given assets and rules: Amsterdam, a Thursday night window."""

    def build(*assets: dict[str, Any], rules: tuple[dict[str, Any], ...] = ()) -> dict[str, Any]:
        return {
            "organisation": {"name": "Fabrikam", "timezone": "Europe/Amsterdam", "country": "NL"},
            "windows": [
                {
                    "name": "thursday-night",
                    "rrule": "FREQ=WEEKLY;BYDAY=TH",
                    "start": "21:00",
                    "duration": "PT4H",
                    "applies_to": ["physical_server", "virtual_server", "hypervisor"],
                }
            ],
            "assets": list(assets),
            "rules": list(rules),
        }

    return build


@pytest.fixture
def linux(maintlib_plugins: Callable[..., Plugins]) -> Plugins:
    """The built-in pack and this one, as an entry point named ``linux``."""
    return maintlib_plugins({"linux": maintlib_linux})
