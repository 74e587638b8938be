"""The installed pack on the command line: ``maintlib explain`` (listing and blocking:
``tests/test_pack_meta.py``, for every pack)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from maintlib import cli


@pytest.fixture
def inventory(tmp_path: Path, document: Callable[..., dict[str, Any]]) -> Path:
    path = tmp_path / "inventory.json"
    focal = {"id": "app01", "kind": "virtual_server", "product": "Ubuntu 20.04"}
    path.write_text(json.dumps(document(focal)), encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert cli.main(list(args)) == 0
    return capsys.readouterr().out


def test_explain_flags_ubuntu_2004_past_standard_support(
    capsys: pytest.CaptureFixture[str], inventory: Path
) -> None:
    out = run(
        capsys,
        "--plugins",
        "builtin,linux",
        "explain",
        str(inventory),
        "app01",
        "--as-of",
        "2027-01-01",
    )
    assert "end of support" in out
    assert "Ubuntu 20.04 LTS: support ended 2025-05-31" in out
    assert "rule linux/ubuntu-security-updates" in out
    assert "overrides builtin/virtual-server-security-updates" in out
    assert "Service pack" not in out
