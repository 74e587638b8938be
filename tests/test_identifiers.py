"""The one identifier check, and every place that uses it."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from maintlib._util.text import IDENTIFIER, check_identifier
from maintlib.model.inventory import Asset
from maintlib.model.rules import Activity, Periodic, Rule, Selector
from maintlib.model.vocabulary import AssetKind, Category

_WORDS = "lower-case letters, digits, '.', '_' {} '-', starting with a letter or digit"

_TEXT = st.text(alphabet=st.sampled_from("aZ09._- /é\n"), max_size=8)


@given(value=_TEXT)
def test_an_identifier_is_exactly_what_the_pattern_matches(value: str) -> None:
    if re.fullmatch(r"[a-z0-9][a-z0-9._-]*", value):
        assert check_identifier(value) == value
        assert check_identifier(value, "id", spelled=True) == value
    else:
        with pytest.raises(ValueError, match="is not a valid id"):
            check_identifier(value)


@pytest.mark.parametrize(
    ("name", "spelled", "message"),
    [
        (None, False, f"'FW01' is not a valid id: use {_WORDS.format('and')}"),
        ("id", True, f"id 'FW01' must be {_WORDS.format('or')}"),
        ("name", False, f"name 'FW01' must match {IDENTIFIER.pattern}"),
    ],
)
def test_the_three_messages(name: str | None, spelled: bool, message: str) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        check_identifier("FW01", name, spelled=spelled)


def test_values_check_their_ids_with_it() -> None:
    """Kinds, activities and rules show pack authors the pattern; assets say it in words."""
    with pytest.raises(
        ValueError, match=re.escape(f"name 'Firewall' must match {IDENTIFIER.pattern}")
    ):
        AssetKind("Firewall", Category.NETWORK, "Firewall")
    with pytest.raises(ValueError, match=re.escape("name 'Patch' must match")):
        Activity("Patch", "Patch", "Patches.")
    with pytest.raises(ValueError, match=re.escape("activity 'Patch' must match")):
        Rule(
            id="patch",
            activity="Patch",
            selector=Selector(),
            cadence=Periodic("FREQ=MONTHLY"),
            duration=dt.timedelta(hours=1),
        )
    with pytest.raises(ValueError, match=re.escape(f"id 'FW 01' must be {_WORDS.format('or')}")):
        Asset(id="FW 01", kind="firewall")
