"""What every installed rule pack must do, whoever wrote it: be listed by ``maintlib
plugins``, ship a README whose sources are URLs, cite a source in every rule it
enables, and leave no trace in a plan when it is blocked.

The plans are of the examples, which between them hold every kind of estate the
packs under ``plugins/`` know: each pack must show up in at least one of them.
"""

from __future__ import annotations

import json
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import pytest

from maintlib import cli
from maintlib.packs import ENTRY_POINT_GROUP, build_catalog, load_plugins

ROOT = Path(__file__).parent.parent
EXAMPLES = sorted(ROOT.glob("examples/*/inventory.toml"))
PACKS = sorted(ep.name for ep in entry_points(group=ENTRY_POINT_GROUP) if ep.name != "builtin")


def _readme(pack: str) -> str:
    (ep,) = entry_points(group=ENTRY_POINT_GROUP, name=pack)
    assert ep.dist is not None
    folder = ROOT / "plugins" / ep.dist.name
    if not folder.is_dir():
        pytest.skip(f"{ep.dist.name} is installed from elsewhere")
    return (folder / "README.md").read_text(encoding="utf-8")


def _plans(tmp_path: Path, environ: str, monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    monkeypatch.setenv("MAINTLIB_DISABLE_PLUGINS", environ)
    found = []
    for example in EXAMPLES:
        target = tmp_path / f"{example.parent.name}-{environ or 'all'}.json"
        args = ["plan", str(example), "--start", "2027-01-01", "--months", "1", "--json"]
        assert cli.main([*args, str(target)]) == 0
        found.append(json.loads(target.read_text(encoding="utf-8")))
    return found


@pytest.mark.parametrize("pack", PACKS)
def test_the_pack_is_listed_with_its_version(pack: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--plugins", f"builtin,{pack}", "plugins"]) == 0
    assert f"  {pack} " in capsys.readouterr().out


@pytest.mark.parametrize("pack", PACKS)
def test_every_enabled_rule_cites_a_url_and_the_readme_has_sources(pack: str) -> None:
    readme = _readme(pack)
    assert "## Sources" in readme
    assert "https://" in readme.split("## Sources", 1)[1]
    catalog = build_catalog(load_plugins(only={"builtin", pack}, environ={}))
    rules = [r for r in catalog.rules if r.pack == pack]
    assert rules
    for rule in rules:
        assert rule.citation, rule.key
        assert (
            "https://" in rule.citation or not rule.enabled or "Source article" in rule.citation
        ), rule.key


def test_every_pack_plans_work_in_the_examples_and_blocked_leaves_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    everything = _plans(tmp_path, "", monkeypatch)
    for pack in PACKS:
        assert any(
            plan["sources"][t["source"]]["pack"] == pack
            for plan in everything
            for t in plan["tasks"]
        ), f"no example exercises {pack}"
        for plan in _plans(tmp_path, pack, monkeypatch):
            assert not any(plan["sources"][t["source"]]["pack"] == pack for t in plan["tasks"])
            assert not any(p.startswith(f"{pack} ") for p in plan["packs"])
