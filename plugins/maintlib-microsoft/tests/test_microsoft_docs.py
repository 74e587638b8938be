"""The README documents every rule, calendar and activity; every rule cites a source."""

from __future__ import annotations

import datetime as dt
import fnmatch
import re
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from maintlib.packs import Plugins, build_catalog
from maintlib.testing import load_document, plan_document, tasks_for

Document = Callable[..., dict[str, Any]]
README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
NAMED = set(re.findall(r"`([a-z0-9*<>\[\]-]+)`", README))


def documented(name: str) -> bool:
    return name in NAMED or any(fnmatch.fnmatchcase(name, pattern) for pattern in NAMED)


def test_every_rule_is_in_the_readme_and_cites_its_source(microsoft: Plugins) -> None:
    rules = [r for r in build_catalog(microsoft).rules if r.pack == "microsoft"]
    for rule in rules:
        assert rule.citation, rule.id
        if not rule.id.startswith("eos-"):
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


def test_the_override_examples_load(microsoft: Plugins, document: Document) -> None:
    section = README.split("## Overriding", 1)[1].split("\n## ", 1)[0]
    (block,) = re.findall(r"```toml\n(.*?)```", section, flags=re.DOTALL)
    examples = tomllib.loads(block)["rules"]
    assert len(examples) == 3
    vm = {"id": "vm01", "kind": "virtual_server", "vendor": "Microsoft"}
    vm |= {"product": "Windows Server", "version": "2022"}
    inventory = load_document(document(vm, rules=tuple(examples)), plugins=microsoft)
    assert [spec.extends for spec in inventory.rules] == [e["extends"] for e in examples]
    plan = plan_document(document(vm, rules=tuple(examples)), plugins=microsoft)
    for task in tasks_for(plan, "vm01", "security-updates"):
        assert task.due.released is not None
        assert task.start - task.due.released >= dt.timedelta(days=7)
