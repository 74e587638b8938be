"""Loading inventories in tests: a minimal document, and the problems a load reports."""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
from collections.abc import Mapping
from types import SimpleNamespace
from typing import Any

import tomli_w

from maintlib.loading.parse import Format
from maintlib.loading.read import loads
from maintlib.model.catalog import Catalog
from maintlib.model.errors import InputError
from maintlib.model.inventory import Inventory
from maintlib.model.rules import CalendarPeriod, ReleaseCalendar
from maintlib.packs.catalog import build_catalog
from maintlib.testing import make_plugins

#: A valid ``[organisation]``.
ORGANISATION: dict[str, Any] = {"name": "Test B.V.", "timezone": "Europe/Amsterdam"}

#: A release calendar for rules anchored to vendor releases (``calendar = "test-releases"``).
TEST_RELEASES = ReleaseCalendar(
    id="test-releases",
    name="Test releases",
    vendor="Test vendor",
    timezone="America/Los_Angeles",
    time=dt.time(10),
    periods=(CalendarPeriod("FREQ=MONTHLY;BYDAY=+2TU"),),
    source="tests",
)


def document(**sections: Any) -> dict[str, Any]:
    """An inventory document: a valid organisation plus ``sections``."""
    return {"organisation": dict(ORGANISATION), **sections}


@functools.cache
def inventory_catalog() -> Catalog:
    """The built-in pack plus a pack holding :data:`TEST_RELEASES`."""
    calendars = SimpleNamespace(maintlib_release_calendars=lambda: [TEST_RELEASES])
    return build_catalog(make_plugins({"test-calendars": calendars}))


def dump(doc: Mapping[str, Any], format: Format = "toml") -> str:
    """``doc`` as TOML (dates and times native) or JSON (dates and times as text)."""
    if format == "json":
        return json.dumps(doc, default=str)
    return tomli_w.dumps(doc)


def load_source(
    source: str | bytes | Mapping[str, Any],
    format: Format = "toml",
    *,
    base_dir: str | os.PathLike[str] | None = None,
) -> Inventory:
    """Load ``source`` (text, bytes, or a document to dump) as ``inventory.<format>``."""
    data = source if isinstance(source, str | bytes) else dump(source, format)
    return loads(
        data,
        format=format,
        name=f"inventory.{format}",
        base_dir=base_dir,
        catalog=inventory_catalog(),
    )


def problems(
    source: str | bytes | Mapping[str, Any],
    format: Format = "toml",
    *,
    base_dir: str | os.PathLike[str] | None = None,
) -> list[str]:
    """Every problem loading ``source`` reports, as ``FILE: location: message`` lines.

    Empty when ``source`` loads.
    """
    try:
        load_source(source, format, base_dir=base_dir)
    except InputError as error:
        return [str(problem) for problem in error.problems]
    return []
