"""The installed pack on the command line: listed, explained, blockable."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from maintlib import cli

Document = Callable[..., dict[str, Any]]


@pytest.fixture
def inventory(tmp_path: Path, document: Document) -> Path:
    path = tmp_path / "inventory.json"
    vm = {"id": "fs01", "kind": "virtual_server", "vendor": "Microsoft"}
    vm |= {"product": "Windows Server", "version": "2016"}
    path.write_text(json.dumps(document(vm)), encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert cli.main(list(args)) == 0
    return capsys.readouterr().out


def test_maintlib_plugins_lists_the_pack(capsys: pytest.CaptureFixture[str]) -> None:
    packs = json.loads(run(capsys, "--plugins", "builtin,microsoft", "plugins", "--json"))
    (mine,) = [p for p in packs if p["name"] == "microsoft"]
    assert mine["rules"] > 0
    assert "maintlib_risk_factors" in mine["hooks"]


def test_explain_shows_the_pack_rule_overriding_the_builtin_one(
    capsys: pytest.CaptureFixture[str], inventory: Path
) -> None:
    out = run(
        capsys, "--plugins", "builtin,microsoft", "explain", str(inventory), "fs01",
        "--as-of", "2027-01-01",
    )  # fmt: skip
    assert "rule microsoft/windows-server-vm-security-updates" in out
    assert "overrides builtin/virtual-server-security-updates" in out
    assert "end of support" in out
    assert "Windows Server 2016: ends 2027-01-12" in out


def test_a_blocked_pack_leaves_no_trace_in_the_plan(
    capsys: pytest.CaptureFixture[str],
    inventory: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    args = ("plan", str(inventory), "--start", "2027-01-01", "--months", "12", "--json")
    run(capsys, "--plugins", "builtin,microsoft", *args, str(tmp_path / "with.json"))
    monkeypatch.setenv("MAINTLIB_DISABLE_PLUGINS", "microsoft")
    run(capsys, *args, str(tmp_path / "without.json"))
    with_pack = json.loads((tmp_path / "with.json").read_text(encoding="utf-8"))
    without = json.loads((tmp_path / "without.json").read_text(encoding="utf-8"))
    assert any(with_pack["sources"][t["source"]]["pack"] == "microsoft" for t in with_pack["tasks"])
    assert not any(without["sources"][t["source"]]["pack"] == "microsoft" for t in without["tasks"])
    assert not any(p.startswith("microsoft ") for p in without["packs"])
    assert not any(t["activity"] == "upgrade-or-replace" for t in without["tasks"])
