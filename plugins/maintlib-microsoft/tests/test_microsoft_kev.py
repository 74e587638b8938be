"""KEV entries reach Microsoft servers: Windows by its KEV names, cumulative updates
leaving older entries to the routine patching, Exchange's entries always counting."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from maintlib import read_feeds
from maintlib.packs import Plugins
from maintlib.testing import plan_document

Document = Callable[..., dict[str, Any]]
KEV = Path(__file__).parent / "data" / "kev-microsoft.json"
#: A month after Patch Tuesday 2025-06-10: June's Windows entry is recent, May's is
#: older than a cumulative cycle.
START = dt.date(2025, 7, 1)


def server(asset_id: str, product: str, kind: str = "virtual_server") -> dict[str, Any]:
    return {"id": asset_id, "kind": kind, "vendor": "Microsoft", "product": product}


def test_windows_gets_the_recent_entry_and_leaves_older_ones_to_the_cumulative_update(
    document: Document, microsoft: Plugins
) -> None:
    plan = plan_document(
        document(server("srv01", "Windows Server 2022"), server("ex01", "Exchange Server 2019")),
        start=START,
        months=1,
        plugins=microsoft,
        feeds=read_feeds(kev=KEV),
        policies=("bod-26-04",),
    )
    vulnerabilities = plan.to_json()["vulnerabilities"]
    listed = {(e["asset"], e["cve"]) for e in vulnerabilities["exposures"]}
    assert listed == {("srv01", "CVE-2025-33053"), ("ex01", "CVE-2021-31196")}
    (covered,) = [u for u in vulnerabilities["unmatched"] if u["cve"] == "3 entries"]
    assert covered["reason"].startswith("srv01: older than 35 days before 2025-07-01")
    assert "srv01.version-check.kev-by-name" in plan.tasks_by_uid()
