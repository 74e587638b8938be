"""Fixtures for the network pack's tests: inventories as dicts, plugins with the pack."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

import maintlib_network
from maintlib.packs import Plugins


@pytest.fixture
def document() -> Callable[..., dict[str, Any]]:
    """An inventory with the given assets and rules: Amsterdam, an evening window daily."""

    def build(*assets: dict[str, Any], rules: tuple[dict[str, Any], ...] = ()) -> dict[str, Any]:
        return {
            "organisation": {"name": "Fabrikam", "timezone": "Europe/Amsterdam", "country": "NL"},
            "windows": [
                {
                    "name": "evening",
                    "rrule": "FREQ=DAILY",
                    "start": "20:00",
                    "duration": "PT4H",
                    "applies_to": ["firewall", "router", "switch", "access_point"],
                }
            ],
            "assets": list(assets),
            "rules": list(rules),
        }

    return build


@pytest.fixture
def network(maintlib_plugins: Callable[..., Plugins]) -> Plugins:
    """The built-in pack and this one, as an entry point named ``network``."""
    return maintlib_plugins({"network": maintlib_network})


def _nth_weekdays(
    weekday: int, nth: tuple[int, ...], months: range | tuple[int, ...]
) -> list[dt.date]:
    """The ``nth`` weekdays (0 = Monday) of the given months of 2027, counted by hand."""
    found: list[dt.date] = []
    for month in months:
        days = [dt.date(2027, month, d) for d in range(1, 29)]
        matching = [d for d in days if d.weekday() == weekday]
        found.extend(matching[n - 1] for n in nth)
    return found


@pytest.fixture
def fortinet_2027() -> list[dt.date]:
    """Second Tuesdays of 2027."""
    return _nth_weekdays(1, (2,), range(1, 13))


@pytest.fixture
def paloalto_2027() -> list[dt.date]:
    """Second Wednesdays of 2027."""
    return _nth_weekdays(2, (2,), range(1, 13))


@pytest.fixture
def juniper_2027() -> list[dt.date]:
    """Second Wednesdays of January, April, July and October 2027."""
    return [dt.date(2027, 1, 13), dt.date(2027, 4, 14), dt.date(2027, 7, 14), dt.date(2027, 10, 13)]


@pytest.fixture
def cisco_2027() -> list[dt.date]:
    """First and third Wednesdays of every month of 2027."""
    return _nth_weekdays(2, (1, 3), range(1, 13))
