"""The installed pack on the command line: listed and blockable."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from maintlib import cli


def run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert cli.main(list(args)) == 0
    return capsys.readouterr().out


def test_maintlib_plugins_lists_the_pack(capsys: pytest.CaptureFixture[str]) -> None:
    out = run(capsys, "--plugins", "builtin,thirdparty", "plugins")
    assert "  thirdparty 0.1.0: " in out
    assert "maintlib_release_calendars" in out


def test_a_blocked_pack_leaves_no_trace_in_the_plan(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    document: Callable[..., dict[str, Any]],
) -> None:
    inventory = tmp_path / "inventory.json"
    java = {"id": "java", "kind": "application", "vendor": "Oracle", "product": "Java SE 21"}
    inventory.write_text(json.dumps(document(java)), encoding="utf-8")
    args = ("plan", str(inventory), "--start", "2027-01-01", "--months", "12", "--json")
    run(capsys, "--plugins", "builtin,thirdparty", *args, str(tmp_path / "with.json"))
    monkeypatch.setenv("MAINTLIB_DISABLE_PLUGINS", "thirdparty")
    run(capsys, *args, str(tmp_path / "without.json"))
    with_pack = json.loads((tmp_path / "with.json").read_text(encoding="utf-8"))
    without = json.loads((tmp_path / "without.json").read_text(encoding="utf-8"))
    assert any(t["source"]["pack"] == "thirdparty" for t in with_pack["tasks"])
    assert not any(t["source"]["pack"] == "thirdparty" for t in without["tasks"])
    assert not any(p.startswith("thirdparty ") for p in without["packs"])
