"""Helpers for testing rule packs, the way their users will run them.

Use them from plain tests::

    from maintlib.testing import make_plugins, plan_document, tasks_for

    def test_my_pack_adds_firmware_after_each_release():
        plugins = make_plugins({"acme": my_pack})
        plan = plan_document({...inventory as a dict...}, plugins=plugins)
        firmware = tasks_for(plan, "ups1", "firmware-update")
        ...

or through the pytest fixture ``maintlib_plugins`` (installed with maintlib; no
``conftest.py`` needed), which returns :func:`make_plugins`. This module does not
import pytest: benchmarks and scripts use the helpers without the test extras
(the fixture lives in :mod:`maintlib.testing.pytest_plugin`).

Nothing here reads installed entry points unless asked: a test sees exactly the
packs it names, so it does not depend on what else is installed.
"""

from __future__ import annotations

from typing import Any

from maintlib.testing.helpers import (
    REFERENCE_TIME,
    inventory_document,
    load_document,
    make_plugins,
    plan_document,
    projects_for,
    tasks_for,
)

__all__ = [
    "REFERENCE_TIME",
    "inventory_document",
    "load_document",
    "make_plugins",
    "plan_document",
    "projects_for",
    "tasks_for",
]


def __getattr__(name: str) -> Any:
    """``maintlib.testing.maintlib_plugins``, the fixture, imported (with pytest) on use."""
    if name == "maintlib_plugins":
        from maintlib.testing.pytest_plugin import maintlib_plugins

        return maintlib_plugins
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
