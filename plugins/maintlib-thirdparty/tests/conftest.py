"""Fixtures for the third-party pack's tests: inventories as dicts, plugins with the pack."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import pytest

import maintlib_thirdparty
from maintlib.packs import Plugins
from maintlib.testing import inventory_document

Document = Callable[..., dict[str, Any]]


#: The window of the pack's test inventories.
WINDOW = {
    "name": "evening",
    "rrule": "FREQ=DAILY",
    "start": "20:00",
    "duration": "PT3H",
    "applies_to": ["application", "virtual_server", "physical_server"],
}


@pytest.fixture
def document() -> Document:
    """An inventory with the given assets and rules: Amsterdam, a window every evening."""
    return functools.partial(inventory_document, windows=[WINDOW])


@pytest.fixture
def thirdparty(maintlib_plugins: Callable[..., Plugins]) -> Plugins:
    """The built-in pack and this one, as an entry point named ``thirdparty``."""
    return maintlib_plugins({"thirdparty": maintlib_thirdparty})
