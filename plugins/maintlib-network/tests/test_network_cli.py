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
    srx = {"id": "srx01", "kind": "firewall", "vendor": "Juniper Networks", "product": "SRX345"}
    path.write_text(json.dumps(document(srx)), encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert cli.main(list(args)) == 0
    return capsys.readouterr().out


def test_maintlib_plugins_lists_the_pack(capsys: pytest.CaptureFixture[str]) -> None:
    out = run(capsys, "--plugins", "builtin,network", "plugins")
    assert "  network 0.1.0: " in out
    assert "maintlib_release_calendars" in out


def test_explain_shows_the_pack_rule_overriding_the_builtin_one(
    capsys: pytest.CaptureFixture[str], inventory: Path
) -> None:
    out = run(capsys, "--plugins", "builtin,network", "explain", str(inventory), "srx01")
    assert "rule network/juniper-firmware" in out
    assert "overrides builtin/network-firmware" in out
    assert "rule network/juniper-advisory-triage" in out
    assert "at each release of juniper-sirt" in out


def test_a_blocked_pack_leaves_no_trace_in_the_plan(
    capsys: pytest.CaptureFixture[str],
    inventory: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    args = ("plan", str(inventory), "--start", "2027-01-01", "--months", "12", "--json")
    run(capsys, "--plugins", "builtin,network", *args, str(tmp_path / "with.json"))
    monkeypatch.setenv("MAINTLIB_DISABLE_PLUGINS", "network")
    run(capsys, *args, str(tmp_path / "without.json"))
    with_pack = json.loads((tmp_path / "with.json").read_text(encoding="utf-8"))
    without = json.loads((tmp_path / "without.json").read_text(encoding="utf-8"))
    assert any(with_pack["sources"][t["source"]]["pack"] == "network" for t in with_pack["tasks"])
    assert not any(without["sources"][t["source"]]["pack"] == "network" for t in without["tasks"])
    assert not any(p.startswith("network ") for p in without["packs"])
    firmware = [t for t in without["tasks"] if t["activity"] == "firmware-update"]
    assert all(t["due"]["released"] is None for t in firmware)
