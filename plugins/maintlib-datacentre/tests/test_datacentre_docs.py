"""The README documents every rule and lifecycle row; every enabled rule cites a URL."""

from __future__ import annotations

import re
from pathlib import Path

from maintlib.packs import Plugins, build_catalog
from maintlib_datacentre import HARDWARE, NAS, SUPPORT

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
NAMED = set(re.findall(r"`([a-z0-9<>\[\]-]+)`", README))


def generic(rule_id: str) -> set[str]:
    names = {rule_id}
    for hw in sorted(HARDWARE, key=lambda h: -len(h.key)):
        names.add(rule_id.replace(f"{hw.key}-", "<hardware>-", 1))
    for nas in NAS:
        names.add(rule_id.replace(f"{nas.key}-", "<nas>-", 1))
    return names


def test_every_rule_is_in_the_readme_and_cites_its_source(datacentre: Plugins) -> None:
    rules = [r for r in build_catalog(datacentre).rules if r.pack == "datacentre"]
    assert rules
    for rule in rules:
        assert rule.citation, rule.id
        if rule.enabled:
            assert "https://" in rule.citation, rule.id
        if rule.id.startswith("eos-"):
            assert "`eos-<release>[-n]`" in README
            continue
        assert generic(rule.id) & NAMED, rule.id


def test_every_lifecycle_row_is_in_the_readme() -> None:
    for row in SUPPORT:
        line = next(line for line in README.splitlines() if line.startswith(f"| {row.name} |"))
        assert row.ends.isoformat() in line
        if row.extended_ends is not None:
            assert row.extended_ends.isoformat() in line
        assert row.endoflife in line
        assert "https://" in row.source


def test_every_vendor_glob_is_in_the_readme() -> None:
    for hw in HARDWARE:
        assert f"`{hw.key}`" in README
        assert f"`{hw.vendor}`" in README
    for nas in NAS:
        assert f"`{nas.key}`" in README
        assert f"`{nas.vendor}`" in README
