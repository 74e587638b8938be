"""``[[redundancy_groups]]``: how HA pairs and clusters are described, and checked."""

from __future__ import annotations

from typing import Any

import pytest

from maintlib.model.errors import InputError
from maintlib.model.vocabulary import GroupPolicy
from maintlib.testing import load_document


def document(*groups: dict[str, Any]) -> dict[str, Any]:
    pair = {"kind": "firewall", "redundancy_group": "fw-ha"}
    return {
        "organisation": {"name": "HA BV", "timezone": "Europe/Amsterdam"},
        "assets": [{"id": "fw01", **pair}, {"id": "fw02", **pair}],
        "redundancy_groups": list(groups),
    }


def problems(*groups: dict[str, Any]) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_document(document(*groups))
    return [f"{p.location}: {p.message}" for p in caught.value.problems]


def test_a_described_group_is_read_with_its_settings() -> None:
    inventory = load_document(
        document({"name": "fw-ha", "policy": "separate", "settle": "PT30M", "primary": "fw01"})
    )
    group = inventory.redundancy_group("fw-ha")
    assert group.policy is GroupPolicy.SEPARATE
    assert group.settle is not None
    assert group.settle.total_seconds() == 1800
    assert group.primary == "fw01"
    # A group nobody describes gets the defaults.
    assert inventory.redundancy_group("other").policy is GroupPolicy.ROLLING


def test_a_group_without_members_is_a_located_error() -> None:
    (problem,) = problems({"name": "fw-hq"})
    assert problem.startswith("redundancy_groups[0]")
    assert 'no asset is in redundancy group "fw-hq" — did you mean "fw-ha"?' in problem


def test_a_primary_outside_the_group_is_a_located_error() -> None:
    (problem,) = problems({"name": "fw-ha", "primary": "sw01"})
    assert '"sw01" is not a member of "fw-ha" (members: fw01, fw02)' in problem


@pytest.mark.parametrize(
    "entry",
    [{"policy": "rolling"}, {"name": 7}, {"name": "fw-ha", "policy": "sideways"}],
)
def test_a_malformed_entry_is_a_located_error_not_a_crash(entry: dict[str, Any]) -> None:
    found = problems(entry)
    assert found
    assert all(p.startswith("redundancy_groups[0]") for p in found)
