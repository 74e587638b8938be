"""Fixtures for the Linux pack's tests: inventories as dicts, plugins with the pack."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import pytest

import maintlib_linux
from maintlib.packs import Plugins
from maintlib.testing import inventory_document

Document = Callable[..., dict[str, Any]]


#: The window of the pack's test inventories.
WINDOW = {
    "name": "thursday-night",
    "rrule": "FREQ=WEEKLY;BYDAY=TH",
    "start": "21:00",
    "duration": "PT4H",
    "applies_to": ["physical_server", "virtual_server", "hypervisor"],
}


@pytest.fixture
def document() -> Document:
    """An inventory with the given assets and rules: Amsterdam, a Thursday night window."""
    return functools.partial(inventory_document, windows=[WINDOW])


@pytest.fixture
def linux(maintlib_plugins: Callable[..., Plugins]) -> Plugins:
    """The built-in pack and this one, as an entry point named ``linux``."""
    return maintlib_plugins({"linux": maintlib_linux})
