"""Fixtures for the third-party pack's tests: inventories as dicts, plugins with the pack."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import maintlib_thirdparty
from maintlib.packs import Plugins

Document = Callable[..., dict[str, Any]]


@pytest.fixture
def document() -> Document:
    """An inventory with the given assets and rules: Amsterdam, a window every evening."""

    def build(*assets: dict[str, Any], rules: tuple[dict[str, Any], ...] = ()) -> dict[str, Any]:
        return {
            "organisation": {"name": "Fabrikam", "timezone": "Europe/Amsterdam", "country": "NL"},
            "windows": [
                {
                    "name": "evening",
                    "rrule": "FREQ=DAILY",
                    "start": "20:00",
                    "duration": "PT3H",
                    "applies_to": ["application", "virtual_server", "physical_server"],
                }
            ],
            "assets": list(assets),
            "rules": list(rules),
        }

    return build


@pytest.fixture
def thirdparty(maintlib_plugins: Callable[..., Plugins]) -> Plugins:
    """The built-in pack and this one, as an entry point named ``thirdparty``."""
    return maintlib_plugins({"thirdparty": maintlib_thirdparty})
