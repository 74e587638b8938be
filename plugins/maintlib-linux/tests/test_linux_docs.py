"""The README documents every rule, distribution and lifecycle row; every rule cites a source."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from maintlib.packs import Plugins, build_catalog
from maintlib.testing import load_document, plan_document, tasks_for
from maintlib_linux import DISTROS, SUPPORT

Document = Callable[..., dict[str, Any]]
README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def test_every_rule_is_in_the_readme_and_cites_its_source(linux: Plugins) -> None:
    rules = [r for r in build_catalog(linux).rules if r.pack == "linux"]
    assert len(rules) == 5 * len(DISTROS) + sum(
        len(row.selectors) * (2 if row.extended_tag else 1) for row in SUPPORT
    )
    for rule in rules:
        assert "https://" in rule.citation or not rule.enabled, rule.id
        assert rule.citation, rule.id
        if rule.id.startswith("eos-"):
            continue
        generic = next(
            rule.id.replace(f"{d.key}-", "<distro>-", 1)
            for d in sorted(DISTROS, key=lambda d: -len(d.key))
            if rule.id.startswith(f"{d.key}-")
        )
        assert f"`{generic}`" in README, rule.id


def test_every_distribution_and_lifecycle_row_is_in_the_readme() -> None:
    for distro in DISTROS:
        assert f"`{distro.key}`" in README
        assert f"`{distro.product}`" in README
    for row in SUPPORT:
        line = next(line for line in README.splitlines() if line.startswith(f"| {row.name} |"))
        assert row.ends.isoformat() in line
        assert row.extended_ends is not None
        assert row.extended_ends.isoformat() in line
        assert row.confidence in line
        assert row.endoflife in line
        assert "https://" in row.source


def test_the_override_example_loads(linux: Plugins, document: Document) -> None:
    section = README.split("## Overriding", 1)[1].split("\n## ", 1)[0]
    (block,) = re.findall(r"```toml\n(.*?)```", section, flags=re.DOTALL)
    examples = tuple(tomllib.loads(block)["rules"])
    web = {"id": "web01", "kind": "virtual_server", "product": "Ubuntu 24.04", "tags": ["web"]}
    inventory = load_document(document(web, rules=examples), plugins=linux)
    assert [spec.extends for spec in inventory.rules] == ["linux/ubuntu-kernel-reboot"]
    plan = plan_document(document(web, rules=examples), plugins=linux)
    assert len(tasks_for(plan, "web01", "kernel-reboot")) == 26
