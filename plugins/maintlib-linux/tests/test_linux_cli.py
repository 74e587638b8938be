"""The installed pack on the command line: listed, explained, blockable."""

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


def test_maintlib_plugins_lists_the_pack(capsys: pytest.CaptureFixture[str]) -> None:
    out = run(capsys, "--plugins", "builtin,linux", "plugins")
    assert "  linux 0.1.0: " in out
    assert "maintlib_risk_factors" in out


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


def test_a_blocked_pack_leaves_no_trace_in_the_plan(
    capsys: pytest.CaptureFixture[str],
    inventory: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    args = ("plan", str(inventory), "--start", "2027-01-01", "--months", "12", "--json")
    run(capsys, "--plugins", "builtin,linux", *args, str(tmp_path / "with.json"))
    monkeypatch.setenv("MAINTLIB_DISABLE_PLUGINS", "linux")
    run(capsys, *args, str(tmp_path / "without.json"))
    with_pack = json.loads((tmp_path / "with.json").read_text(encoding="utf-8"))
    without = json.loads((tmp_path / "without.json").read_text(encoding="utf-8"))
    assert any(t["source"]["pack"] == "linux" for t in with_pack["tasks"])
    assert not any(t["source"]["pack"] == "linux" for t in without["tasks"])
    assert not any(p.startswith("linux ") for p in without["packs"])
    assert any(t["activity"] == "service-pack" for t in without["tasks"])
    assert not any(t["activity"] == "service-pack" for t in with_pack["tasks"])
