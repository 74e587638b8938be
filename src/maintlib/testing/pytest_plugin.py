"""The pytest plugin maintlib installs (entry point ``pytest11``): the
``maintlib_plugins`` fixture for rule-pack authors.

Kept apart from :mod:`maintlib.testing` so that the helpers import without pytest.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from maintlib.packs.manager import Plugins
from maintlib.testing.helpers import make_plugins

__all__ = ["maintlib_plugins"]


@pytest.fixture
def maintlib_plugins() -> Callable[..., Plugins]:
    """:func:`~maintlib.testing.make_plugins`, as a fixture:
    ``maintlib_plugins({"acme": acme_pack})``."""
    return make_plugins
