"""Fixtures for the data-centre pack's tests: inventories as dicts, plugins with the pack."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import pytest

import maintlib_datacentre
from maintlib.packs import Plugins
from maintlib.testing import inventory_document

Document = Callable[..., dict[str, Any]]


#: The window of the pack's test inventories.
WINDOW = {
    "name": "saturday",
    "rrule": "FREQ=WEEKLY;BYDAY=SA",
    "start": "08:00",
    "duration": "PT10H",
    "applies_to": ["hypervisor", "physical_server", "virtual_server", "storage", "backup_system"],
}


@pytest.fixture
def document() -> Document:
    """An inventory with the given assets: Amsterdam, a window every Saturday."""
    return functools.partial(inventory_document, windows=[WINDOW])


@pytest.fixture
def datacentre(maintlib_plugins: Callable[..., Plugins]) -> Plugins:
    """The built-in pack and this one, as an entry point named ``datacentre``."""
    return maintlib_plugins({"datacentre": maintlib_datacentre})
