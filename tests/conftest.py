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
