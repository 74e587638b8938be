"""The fast indenting JSON encoder writes exactly what ``json.dumps`` writes."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from maintlib._util.json import dumps

leaves = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text()
)
documents = st.recursive(
    leaves,
    lambda children: (
        st.lists(children, max_size=4)
        | st.tuples(children, children)
        | st.dictionaries(st.text(), children, max_size=4)
    ),
    max_leaves=30,
)


def reference(value: Any) -> str:
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)


@given(documents)
def test_the_same_text_as_json_dumps(value: Any) -> None:
    assert dumps(value) == reference(value)


@given(st.dictionaries(st.integers() | st.text(), st.integers(), max_size=4))
def test_keys_that_are_not_strings_go_to_json_dumps(value: dict[Any, int]) -> None:
    try:
        expected = reference(value)
    except TypeError:  # int and str keys together cannot be sorted
        return
    assert dumps(value) == expected


def test_a_plan_document(catalog: Any) -> None:
    import datetime as dt
    from pathlib import Path

    from maintlib.loading.read import load
    from maintlib.pipeline import plan
    from maintlib.testing import REFERENCE_TIME

    examples = Path(__file__).parent.parent / "examples"
    inventory = load(examples / "smb-cloud" / "inventory.toml", catalog=catalog)
    result = plan(
        inventory,
        start=dt.date(2027, 1, 1),
        months=3,
        reference_time=REFERENCE_TIME,
        plugins=catalog,
    )
    document = result.to_json()
    assert dumps(document) == reference(document)
