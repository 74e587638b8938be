"""Loading large inventories: work per asset, not per pair of assets (issue 18).

Times are measured in ``benchmarks/bench_scale.py``, never here; these tests pin
the structure that keeps loading linear and deep inventories loadable.
"""

from __future__ import annotations

import pytest
import tomli_w

from maintlib.loading.read import loads
from maintlib.model.catalog import Catalog
from maintlib.model.errors import InputError


def _document(assets: list[dict[str, object]]) -> str:
    return tomli_w.dumps(
        {"organisation": {"name": "Deep", "timezone": "Europe/Amsterdam"}, "assets": assets}
    )


def _server(index: int, **fields: object) -> dict[str, object]:
    return {"id": f"s{index:05d}", "kind": "physical_server", **fields}


def test_a_chain_of_thousands_of_dependencies_loads(catalog: Catalog) -> None:
    """The cycle search keeps its own stack: a long chain is no RecursionError."""
    depth = 5_000
    assets = [_server(0)] + [_server(i, depends_on=[f"s{i - 1:05d}"]) for i in range(1, depth)]
    inventory = loads(_document(assets), catalog=catalog)
    assert inventory.dependents("s00000") == ("s00001",)


def test_a_long_cycle_and_a_long_hosting_loop_are_each_reported_once(catalog: Catalog) -> None:
    depth = 3_000
    assets = [
        _server(i, depends_on=[f"s{(i + 1) % depth:05d}"], hosted_on=f"s{(i + 1) % depth:05d}")
        for i in range(depth)
    ]
    with pytest.raises(InputError) as error:
        loads(_document(assets), catalog=catalog)
    messages = [problem.message for problem in error.value.problems]
    assert len(messages) == 2
    assert messages[0].startswith("dependency cycle: s00000 -> s00001 -> s00002")
    assert messages[1].startswith("hosting loop: s00000 -> s00001 -> s00002")
