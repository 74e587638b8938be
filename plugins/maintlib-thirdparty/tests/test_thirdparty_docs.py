"""The README documents every rule, calendar and lifecycle row; every rule cites a source."""

from __future__ import annotations

import re
from pathlib import Path

from maintlib.packs import Plugins, build_catalog
from maintlib_thirdparty import BROWSERS, SUPPORT

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
NAMED = set(re.findall(r"`([a-z0-9*<>\[\]|-]+)`", README))


def documented(name: str) -> bool:
    """Named in the README: as is, as ``<browser>-…``, or as the lifecycle pattern."""
    if name.startswith("eos-oracle-java-se-"):
        return "`eos-oracle-java-se-<release>[-n][-java-subscription]`" in README
    generic = {name.replace(f"{b.key}-", "<browser>-", 1) for b in BROWSERS}
    return name in NAMED or bool(generic & NAMED)


def test_every_rule_is_in_the_readme_and_cites_its_source(thirdparty: Plugins) -> None:
    rules = [r for r in build_catalog(thirdparty).rules if r.pack == "thirdparty"]
    assert rules
    for rule in rules:
        assert rule.citation, rule.id
        assert documented(rule.id), rule.id
        if rule.enabled:
            assert "https://" in rule.citation, rule.id


def test_every_calendar_is_in_the_readme_with_its_rrules(thirdparty: Plugins) -> None:
    calendars = build_catalog(thirdparty).calendars.values()
    assert len(calendars) == 3
    for calendar in calendars:
        assert f"`{calendar.id}`" in README
        assert "https://" in calendar.source
        for period in calendar.periods:
            assert f"`{period.rrule}`" in README


def test_every_lifecycle_row_is_in_the_readme() -> None:
    for row in SUPPORT:
        line = next(line for line in README.splitlines() if line.startswith(f"| {row.name} |"))
        assert row.ends.isoformat() in line
        assert row.extended_ends is not None
        assert row.extended_ends.isoformat() in line
        assert row.endoflife in line
