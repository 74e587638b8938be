"""Fixtures for the Microsoft pack's tests: inventories as dicts, plugins with the pack."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

import maintlib_microsoft
from maintlib.packs import Plugins

Document = Callable[..., dict[str, Any]]

SERVER_KINDS = ["physical_server", "hypervisor", "virtual_server", "application"]


@pytest.fixture
def document() -> Document:
    """An inventory with the given assets and rules: Amsterdam, a window every night."""

    def build(*assets: dict[str, Any], rules: tuple[dict[str, Any], ...] = ()) -> dict[str, Any]:
        return {
            "organisation": {"name": "Contoso", "timezone": "Europe/Amsterdam", "country": "NL"},
            "windows": [
                {
                    "name": "nightly",
                    "rrule": "FREQ=DAILY",
                    "start": "22:00",
                    "duration": "PT6H",
                    "applies_to": SERVER_KINDS,
                }
            ],
            "assets": list(assets),
            "rules": list(rules),
        }

    return build


@pytest.fixture
def microsoft(maintlib_plugins: Callable[..., Plugins]) -> Plugins:
    """The built-in pack and this one, as an entry point named ``microsoft``."""
    return maintlib_plugins({"microsoft": maintlib_microsoft})


@pytest.fixture
def patch_tuesdays() -> list[dt.date]:
    """The second Tuesdays of 2027, counted on a calendar."""
    return [
        dt.date(2027, 1, 12),
        dt.date(2027, 2, 9),
        dt.date(2027, 3, 9),
        dt.date(2027, 4, 13),
        dt.date(2027, 5, 11),
        dt.date(2027, 6, 8),
        dt.date(2027, 7, 13),
        dt.date(2027, 8, 10),
        dt.date(2027, 9, 14),
        dt.date(2027, 10, 12),
        dt.date(2027, 11, 9),
        dt.date(2027, 12, 14),
    ]
