"""The README documents every rule, calendar and activity; every rule cites a source."""

from __future__ import annotations

import fnmatch
import re
from pathlib import Path

from maintlib.catalog import build_catalog
from maintlib.plugins import Plugins

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
NAMED = set(re.findall(r"`([a-z0-9*<>\[\]-]+)`", README))


def documented(name: str) -> bool:
    return name in NAMED or any(fnmatch.fnmatchcase(name, pattern) for pattern in NAMED)


def test_every_rule_is_in_the_readme_and_cites_its_source(microsoft: Plugins) -> None:
    rules = [r for r in build_catalog(microsoft).rules if r.pack == "microsoft"]
    for rule in rules:
        assert rule.citation, rule.id
        if rule.activity != "upgrade-or-replace":
            assert documented(rule.id), rule.id
    lifecycle = [r for r in rules if r.activity == "upgrade-or-replace"]
    assert lifecycle
    assert all(r.id.startswith("eos-") for r in lifecycle)


def test_every_calendar_and_activity_is_in_the_readme(microsoft: Plugins) -> None:
    catalog = build_catalog(microsoft)
    assert documented("patch-tuesday")
    assert documented("microsoft-preview")
    for activity in ("hotpatch", "feature-update", "preview-validation"):
        assert activity in catalog.activities
        assert documented(activity)
