"""Shared test configuration: hypothesis profiles and fixtures."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

from maintlib.model.catalog import Catalog
from maintlib.packs.catalog import build_catalog
from maintlib.testing import make_plugins

# "ci" (the default) runs at least 200 examples per property, reproducibly;
# "long" runs 10,000: HYPOTHESIS_PROFILE=long make unit
settings.register_profile(
    "ci",
    max_examples=200,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "long",
    max_examples=10_000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    """The built-in pack's catalog, built once (no installed packs)."""
    return build_catalog(make_plugins())


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The real-Nautobot test first: its server's migrate takes minutes, and under
    ``pytest -n auto`` the first test goes to a worker at once, so the other
    workers run the rest meanwhile instead of waiting for it at the end."""
    items.sort(key=lambda item: item.path.name != "test_nautobot_server.py")
