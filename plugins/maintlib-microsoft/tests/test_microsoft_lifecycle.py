"""End of support: the table, the upgrade-or-replace duty, and the risk factor."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from maintlib import duties
from maintlib.packs import Asset, Plugins, RiskFactor, build_catalog
from maintlib.testing import load_document, plan_document, projects_for, tasks_for
from maintlib_microsoft import END_OF_SUPPORT, end_of_support

Document = Callable[..., dict[str, Any]]
README = Path(__file__).parent.parent / "README.md"
START = dt.date(2027, 1, 1)


def server(asset_id: str, version: str, *tags: str, product: str = "Windows Server") -> Asset:
    return Asset(
        id=asset_id,
        kind="virtual_server",
        vendor="Microsoft",
        product=product,
        version=version,
        tags=tags,
    )


def raw(asset: Asset) -> dict[str, Any]:
    """The asset as an inventory writes it."""
    return {
        "id": asset.id,
        "kind": asset.kind,
        "vendor": asset.vendor,
        "product": asset.product,
        "version": asset.version,
        "tags": list(asset.tags),
    }


class TestTable:
    def test_the_readme_shows_the_table_the_code_uses(self) -> None:
        """Every row of the README's lifecycle table, and nothing else, is in the code."""
        text = README.read_text(encoding="utf-8")
        section = text.split("## End of support", 1)[1].split("\n## ", 1)[0]
        rows = set()
        for line in section.splitlines():
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) < 5 or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", cells[2]):
                continue
            products = tuple(p.strip() for p in cells[0].split(","))
            version = None if cells[1] == "any" else cells[1]
            esu = None if cells[3] == "–" else dt.date.fromisoformat(cells[3])
            rows.add((products, version, dt.date.fromisoformat(cells[2]), esu, cells[4]))
        code = {(e.products, e.version, e.ends, e.esu_ends, e.confidence) for e in END_OF_SUPPORT}
        assert rows == code

    def test_rows_are_dated_from_endoflife_date_and_overrides_say_why(self) -> None:
        rows = {(e.products[0], e.version): e for e in END_OF_SUPPORT}
        # Issue 30: Windows Server 2025 ends 2034-11-14 (the pack had the IoT LTSC date).
        ws2025 = rows[("Windows Server", "2025")]
        assert ws2025.ends == dt.date(2034, 11, 14)
        assert ws2025.cited.endswith("; endoflife.date windows-server/2025")
        # SQL Server 2016's ESU end, verified against the snapshot.
        assert rows[("SQL Server", "2016")].esu_ends == dt.date(2029, 7, 17)
        assert "endoflife.date mssqlserver/13.0-sp3" in rows[("SQL Server", "2016")].cited
        # The two overrides cite the vendor side and the cycle they differ from.
        exchange = rows[("Exchange Server", "2019")]
        assert exchange.esu_ends == dt.date(2026, 10, 13)
        assert "techcommunity.microsoft.com" in exchange.cited
        assert "differs from endoflife.date msexchange/2019" in exchange.cited
        ws2016 = rows[("Windows Server", "2016")]
        assert ws2016.esu_ends is None
        assert "differs from endoflife.date windows-server/2016" in ws2016.cited
        for entry in END_OF_SUPPORT:
            assert entry.endoflife, entry

    def test_esu_ends_after_support_and_products_are_unique_per_version(self) -> None:
        seen = set()
        for entry in END_OF_SUPPORT:
            assert entry.esu_ends is None or entry.esu_ends > entry.ends
            assert entry.source
            for product in entry.products:
                assert (product.casefold(), entry.version) not in seen
                seen.add((product.casefold(), entry.version))

    @pytest.mark.parametrize(
        ("asset", "ends"),
        [
            (server("a", "2016"), dt.date(2027, 1, 12)),
            (server("a", "2012 R2", "esu"), dt.date(2026, 10, 13)),
            (server("a", "2012 r2"), dt.date(2023, 10, 10)),
            (server("a", "2019", product="SQL Server"), dt.date(2030, 1, 8)),
            (server("a", "2016", "esu", product="SQL Server"), dt.date(2029, 7, 17)),
            (server("a", "2019", "esu", product="Exchange Server"), dt.date(2026, 10, 13)),
            (server("a", "24H2", product="Windows 11 Pro"), dt.date(2026, 10, 13)),
            (server("a", "24H2", product="Windows 11 Enterprise"), dt.date(2027, 10, 12)),
            (server("a", "22H2", product="Windows 10 Education"), dt.date(2025, 10, 14)),
            # The version inside the product name, as people also write it.
            (server("a", "2016", product="Windows Server 2016"), dt.date(2027, 1, 12)),
        ],
    )
    def test_an_asset_finds_its_row_and_end(self, asset: Asset, ends: dt.date) -> None:
        found = end_of_support(asset)
        assert found is not None
        assert found[1] == ends

    @pytest.mark.parametrize(
        "asset",
        [
            server("a", "SE", product="Exchange Server"),
            server("a", "24H2", product="Windows 11 Enterprise LTSC"),
            Asset(id="a", kind="virtual_server", vendor="Canonical", product="Windows Server"),
        ],
    )
    def test_products_outside_the_conventions_or_without_an_end_match_nothing(
        self, asset: Asset
    ) -> None:
        assert end_of_support(asset) is None


class TestRisk:
    @pytest.mark.parametrize(
        ("asset", "factor"),
        [
            (
                server("old", "2012 R2"),
                RiskFactor("end of support", "Windows Server 2012 R2: ended 2023-10-10", 25.0),
            ),
            (
                server("soon", "2016"),
                RiskFactor("end of support", "Windows Server 2016: ends 2027-01-12", 15.0),
            ),
            (
                server("esu", "2014", "esu", product="SQL Server"),
                RiskFactor("end of support", "SQL Server 2014 (ESU): ends 2027-07-12", 15.0),
            ),
            (server("later", "2019"), None),
            (server("esu-later", "2016", "esu", product="SQL Server"), None),
        ],
    )
    def test_past_or_within_a_year_of_the_end_as_of_the_plan_start(
        self, document: Document, microsoft: Plugins, asset: Asset, factor: RiskFactor | None
    ) -> None:
        inventory = load_document(document(raw(asset)), plugins=microsoft)
        catalog = build_catalog(microsoft)
        factors = duties(inventory, plugins=catalog, as_of=START).risks[asset.id].factors
        assert [f for f in factors if f.name == "end of support"] == ([factor] if factor else [])
        undated = duties(inventory, plugins=catalog).risks[asset.id].factors
        assert "end of support" not in {f.name for f in undated}


class TestDuty:
    def test_an_upgrade_is_due_before_support_ends_within_the_plan(
        self, document: Document, microsoft: Plugins
    ) -> None:
        plan = plan_document(document(raw(server("fs01", "2016"))), plugins=microsoft)
        (upgrade,) = projects_for(plan, "fs01", "upgrade-or-replace")
        assert upgrade.duty.rule.key == "microsoft/eos-windows-server-2016"
        assert upgrade.due.anchor.date() == dt.date(2026, 1, 12)
        assert upgrade.due.deadline.date() == dt.date(2027, 1, 12)
        # A server's upgrade is a project planned with its owner, in no window.
        assert not upgrade.overdue
        assert upgrade.duty.downtime
        assert tasks_for(plan, "fs01", "upgrade-or-replace") == []

    def test_past_the_end_the_upgrade_is_due_within_the_rules_days(
        self, document: Document, microsoft: Plugins
    ) -> None:
        plan = plan_document(document(raw(server("old", "2012 R2"))), plugins=microsoft)
        (upgrade,) = projects_for(plan, "old", "upgrade-or-replace")
        days = upgrade.duty.deadline_days
        assert days is not None
        # Counted from the plan's start, the earliest start of an overdue upgrade.
        assert upgrade.due.earliest.date() == START
        assert START + dt.timedelta(days=days) <= upgrade.due.deadline.date()
        assert upgrade.due.deadline.date() <= START + dt.timedelta(days=days + 1)

    def test_esu_moves_the_deadline_and_clients_upgrade_in_office_hours(
        self, document: Document, microsoft: Plugins
    ) -> None:
        sql = raw(server("sql", "2014", "esu", product="SQL Server"))
        pc = raw(server("pc", "24H2", product="Windows 11 Enterprise")) | {"kind": "workstation"}
        plan = plan_document(document(sql, pc), plugins=microsoft)
        (esu,) = projects_for(plan, "sql", "upgrade-or-replace")
        assert esu.duty.rule.key == "microsoft/eos-sql-server-2014-esu"
        assert esu.due.deadline.date() == dt.date(2027, 7, 12)
        # A Windows 11 version's end: a feature update, not a new device.
        assert projects_for(plan, "pc", "upgrade-or-replace") == []
        (client,) = tasks_for(plan, "pc", "feature-update")
        assert client.due.deadline.date() == dt.date(2027, 10, 12)
        assert client.window is None

    def test_far_ends_give_no_task_in_the_plan(
        self, document: Document, microsoft: Plugins
    ) -> None:
        plan = plan_document(document(raw(server("new", "2025"))), plugins=microsoft)
        assert projects_for(plan, "new", "upgrade-or-replace") == []


@pytest.mark.parametrize(
    ("product", "version"),
    [(p, e.version) for e in END_OF_SUPPORT if e.version for p in e.products],
)
def test_every_row_matches_both_spellings(product: str, version: str) -> None:
    """``product = "Windows Server 2016"`` is ``"Windows Server"`` + ``"2016"``."""
    apart = end_of_support(server("a", version, product=product))
    together = end_of_support(server("a", "", product=f"{product} {version}"))
    assert apart is not None
    assert together == apart


class TestPatchingEndsWithSupport:
    def test_no_patch_tasks_past_the_end_but_a_p1_upgrade_project(
        self, document: Document, microsoft: Plugins
    ) -> None:
        old = raw(server("old", "", product="Windows Server 2012 R2"))
        plan = plan_document(document(old | {"kind": "physical_server"}), plugins=microsoft)
        assert tasks_for(plan, "old", "security-updates") == []
        (upgrade,) = projects_for(plan, "old", "upgrade-or-replace")
        assert upgrade.duty.tier.value == "P1"
        assert upgrade.duty.notes[-1].startswith("priority P1 by its rule; the asset's risk")
        assert upgrade.overdue
        assert upgrade.due.deadline.date() <= START + dt.timedelta(days=31)
        assert not [u for u in plan.unplaced if u.due.duty.subject == "old"]

    def test_esu_keeps_patching_until_its_end(
        self, document: Document, microsoft: Plugins, patch_tuesdays: list[dt.date]
    ) -> None:
        sql = raw(server("sql", "2014", "esu", product="SQL Server"))
        plan = plan_document(document(sql), plugins=microsoft)
        released = [t.due.released for t in tasks_for(plan, "sql", "security-updates")]
        # SQL Server 2014 ESU ends 2027-07-12: January to June.
        assert [r.date() for r in released if r is not None] == patch_tuesdays[:6]
        without = plan_document(
            document(raw(server("sql", "2014", product="SQL Server"))), plugins=microsoft
        )
        assert tasks_for(without, "sql", "security-updates") == []

    def test_support_ending_inside_the_plan_patches_until_then(
        self, document: Document, microsoft: Plugins, patch_tuesdays: list[dt.date]
    ) -> None:
        plan = plan_document(document(raw(server("fs01", "2016"))), plugins=microsoft)
        released = [t.due.released for t in tasks_for(plan, "fs01", "security-updates")]
        # Windows Server 2016 ends 2027-01-12, a Patch Tuesday: its last update ships
        # that day, nothing after it.
        assert [r.date() for r in released if r is not None] == [dt.date(2027, 1, 12)]


class TestServicing:
    @pytest.mark.parametrize(
        ("product", "version"),
        [
            ("Windows Server", "2022"),
            ("Windows Server 2019", ""),
            ("SQL Server", "2019"),
            ("SQL Server 2022", ""),
            ("Exchange Server", "SE"),
        ],
    )
    def test_no_service_pack_and_no_quarterly_standard_update(
        self, document: Document, microsoft: Plugins, product: str, version: str
    ) -> None:
        plan = plan_document(
            document(raw(server("s", version, product=product))), plugins=microsoft
        )
        assert tasks_for(plan, "s", "service-pack") == []
        assert tasks_for(plan, "s", "standard-updates") == []
        assert len(tasks_for(plan, "s", "security-updates")) == 12

    def test_sql_server_2016_keeps_the_builtin_rules(
        self, document: Document, microsoft: Plugins
    ) -> None:
        catalog = build_catalog(microsoft)
        inventory = load_document(
            document(raw(server("s", "2016", "esu", product="SQL Server"))), plugins=microsoft
        )
        winners = {d.activity.name: d.rule.key for d in duties(inventory, plugins=catalog).duties}
        assert winners["service-pack"] == "builtin/server-service-pack"
        assert winners["standard-updates"] == "builtin/server-standard-updates"
