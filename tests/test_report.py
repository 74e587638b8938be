"""The customer report: golden files, escaping, CSV safety, the status adapter, the CLI.

Golden files live in ``tests/data/report/``; after a deliberate change, rewrite
them with ``MAINTLIB_UPDATE_GOLDEN=1 pytest tests/test_report.py`` and read the diff.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import os
import re
from collections import Counter
from pathlib import Path
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import maintlib
from loading import document, dump, inventory_catalog, load_source
from maintlib import cli
from maintlib.model.catalog import Catalog
from maintlib.model.inventory import Inventory
from maintlib.model.plan import Status
from maintlib.model.vocabulary import Tier
from maintlib.outputs.explain import explain
from maintlib.outputs.report.data import (
    ReportData,
    TaskLine,
    dues_by_tier,
    task_assets,
    task_status,
)
from maintlib.outputs.report.render import (
    URGENT,
    build_report,
    default_language,
    md_escape,
    render_document,
)
from maintlib.packs.catalog import build_catalog
from maintlib.packs.manager import load_plugins

ROOT = Path(__file__).parent.parent
SMB = ROOT / "examples" / "smb-cloud" / "inventory.toml"
PRODUCTION = ROOT / "examples" / "production" / "inventory.toml"
GOLDEN = Path(__file__).parent / "data" / "report"
START = dt.date(2027, 1, 1)


@functools.cache
def packs() -> Catalog:
    """The packs of this repository (built-in, microsoft, network), whatever else is installed."""
    return build_catalog(load_plugins(only={"builtin", "microsoft", "network"}))


@functools.cache
def example_plan(path: Path, months: int) -> maintlib.Plan:
    inventory = maintlib.load(path, catalog=packs())
    reference = dt.datetime(2026, 12, 15, 9, tzinfo=inventory.organisation.timezone)
    return maintlib.plan(
        inventory, start=START, months=months, reference_time=reference, plugins=packs()
    )


@functools.cache
def example(path: Path, months: int) -> ReportData:
    inventory = maintlib.load(path, catalog=packs())
    return build_report(example_plan(path, months), inventory, packs())


def report(path: Path = SMB, months: int = 3, *, format: str, lang: str) -> bytes:
    return render_document(example(path, months), format=format, lang=lang)


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("format", ["html", "md", "csv"])
def test_golden_files(format: str, lang: str) -> None:
    """Same plan, same bytes: the smb-cloud example, three months, in each format and language."""
    content = report(format=format, lang=lang)
    golden = GOLDEN / f"smb-cloud.{lang}.{format}"
    if os.environ.get("MAINTLIB_UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(content)
    assert content == golden.read_bytes()


def test_rendering_twice_gives_the_same_bytes() -> None:
    first = render_document(example(PRODUCTION, 12), format="html", lang="nl")
    example.cache_clear()
    example_plan.cache_clear()
    assert render_document(example(PRODUCTION, 12), format="html", lang="nl") == first


class TestHtml:
    def test_is_self_contained(self) -> None:
        """No script, no stylesheet or image to fetch: the only URL is the SVG namespace."""
        html = report(format="html", lang="en").decode()
        assert "<script" not in html
        assert "<link" not in html
        assert " src=" not in html
        assert "url(" not in html
        assert set(re.findall(r"https?://[^\s\"'<>]+", html)) == {"http://www.w3.org/2000/svg"}

    def test_has_the_sections_and_accessible_charts(self) -> None:
        html = report(format="html", lang="en").decode()
        for section in ("summary", "risks", "maintenance", "months", "appendix"):
            assert f'<section id="{section}">' in html
        assert html.count('<svg xmlns="http://www.w3.org/2000/svg"') == 3
        for chart in ("hours", "cost", "heat"):
            assert f'aria-labelledby="{chart}-title {chart}-desc"' in html
            assert f'<title id="{chart}-title">' in html
            assert f'<desc id="{chart}-desc">' in html
        assert "@page { size: A4;" in html

    def test_money_and_dates_follow_the_language(self) -> None:
        dutch = report(format="html", lang="nl").decode()
        english = report(format="html", lang="en").decode()
        assert re.search(r"€\xa0\d{1,3}(\.\d{3})*,\d\d", dutch)
        assert re.search(r"€\d{1,3}(,\d{3})*\.\d\d", english)
        assert "januari 2027" in dutch
        assert "January 2027" in english
        assert '<html lang="nl">' in dutch

    def test_every_task_is_in_the_appendix(self) -> None:
        data = example(SMB, 3)
        html = report(format="html", lang="en").decode()
        appendix = html[html.index('<section id="appendix">') :]
        rows = appendix[: appendix.index("<h3>")].count("<tr><td>")
        # A fleet task is listed under each asset it covers.
        assert rows == sum(len(task.asset_ids) or 1 for task in data.tasks)
        assert appendix.count("<details>") == len(data.appendix)

    def test_times_are_in_the_organisations_zone_not_the_vendors(self) -> None:
        """Release-anchored deadlines come in the vendor's zone (Pacific): never shown so."""
        html = report(PRODUCTION, 12, format="html", lang="en").decode()
        assert "America/Los_Angeles" not in html
        assert "-07:00" not in html
        assert "-08:00" not in html


class TestMarkdown:
    def test_production_is_short(self) -> None:
        """A firm of 25 seats and 38 assets: the issue asks for about 300 lines at most."""
        for lang in ("nl", "en"):
            lines = report(PRODUCTION, 12, format="md", lang=lang).decode().splitlines()
            assert len(lines) <= 300

    def test_has_summary_risk_register_and_maintenance_table(self) -> None:
        text = report(PRODUCTION, 12, format="md", lang="en").decode()
        for heading in (
            "## Summary",
            "## Risk register",
            "## Maintenance table: what, how often, who, when",
        ):
            assert f"\n{heading}\n" in text
        # Grouped per kind, not per asset: the 20 workstations share their rows.
        assert "Workstation × 20 (ws06 … ws25)" in text

    def test_risk_figures_are_explains(self) -> None:
        """The register shows the same contributions as ``maintlib explain``."""
        inventory = maintlib.load(PRODUCTION, catalog=packs())
        explained = explain(inventory, "fw01", packs(), as_of=START)
        text = report(PRODUCTION, 12, format="md", lang="en").decode()
        (line,) = [line for line in text.splitlines() if line.startswith("| fw01 ")]
        assert f"| {explained['risk']['score']} | {explained['risk']['tier']} |" in line
        for factor in explained["risk"]["factors"]:
            if factor["contribution"]:
                assert f"{factor['name']} {factor['contribution']:g}" in line

    def test_tables_are_well_formed(self) -> None:
        """Every table row has as many cells as its header."""
        text = report(PRODUCTION, 12, format="md", lang="nl").decode()
        header_cells = 0
        for line in text.splitlines():
            if not line.startswith("|"):
                header_cells = 0
                continue
            cells = len(re.split(r"(?<!\\)\|", line)) - 2
            if not header_cells:
                header_cells = cells
            assert cells == header_cells, line


NASTY_NAME = "Evil <script>alert(1)</script> | pipe\n# Heading & [link](http://x) *bold*"
NASTY_OWNER = '=HYPERLINK("http://x")'
NASTY_ORGANISATION = "=cmd|' /C calc'!A0"


@functools.cache
def nasty() -> ReportData:
    """A tiny inventory whose user text tries to inject into every format."""
    doc = document(
        assets=[
            {"id": "fw01", "kind": "firewall", "name": NASTY_NAME, "owner": NASTY_OWNER},
            {"id": "ws01", "kind": "workstation", "name": "+cmd|' /C calc'!A0", "owner": "@SUM(1)"},
            {"id": "ws02", "kind": "workstation", "name": "-2+3", "owner": "\tTab"},
        ],
        windows=[
            {
                "name": "evening",
                "rrule": "FREQ=WEEKLY;BYDAY=TU",
                "start": dt.time(19),
                "duration": "PT3H",
                "applies_to": ["firewall"],
            }
        ],
    )
    doc["organisation"]["name"] = NASTY_ORGANISATION
    inventory: Inventory = load_source(dump(doc))
    plan = maintlib.plan(
        inventory,
        start=START,
        months=12,
        reference_time=dt.datetime(2027, 1, 1, tzinfo=dt.UTC),
        plugins=inventory_catalog(),
    )
    return build_report(plan, inventory, inventory_catalog())


class TestInjection:
    def test_html_escapes_user_text(self) -> None:
        html = render_document(nasty(), format="html", lang="en").decode()
        assert "<script" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "[link](http://x)" in html  # shown as text, not a link
        assert '<a href="http' not in html

    @pytest.mark.parametrize("lang", ["nl", "en"])
    def test_markdown_escapes_user_text(self, lang: str) -> None:
        text = render_document(nasty(), format="md", lang=lang).decode()
        assert not re.search(r"(?<!\\)[<>]", text)  # no HTML: every angle bracket escaped
        assert "\\<script\\>" in text
        assert not any(line.startswith("# Heading") for line in text.splitlines())
        assert "\\| pipe \\# Heading \\& \\[link\\](http://x) \\*bold\\*" in text
        (row,) = [line for line in text.splitlines() if line.startswith("| fw01 ")]
        assert len(re.split(r"(?<!\\)\|", row)) - 2 == 5

    def test_md_escape(self) -> None:
        assert md_escape("a|b\nc") == "a\\|b c"
        assert md_escape("<b>&") == "\\<b\\>\\&"
        assert md_escape("fw01-edge.1") == "fw01-edge.1"

    @pytest.mark.parametrize("lang", ["nl", "en"])
    def test_csv_neutralises_formulas(self, lang: str) -> None:
        rows = read_csv(render_document(nasty(), format="csv", lang=lang), lang)
        cells = [cell for row in rows for cell in row]
        assert all(not cell or cell[0] not in "=+-@\t\r\n" for cell in cells)
        # Organisation-wide work has the organisation's name as its subject.
        assert NASTY_ORGANISATION not in cells
        assert "'" + NASTY_ORGANISATION in cells

    def test_csv_neutralises_a_leading_formula_character(self) -> None:
        from maintlib.outputs.report.render import _neutralise

        for text in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "\nx"):
            assert _neutralise(text) == "'" + text
        assert _neutralise("fw01") == "fw01"
        assert _neutralise("") == ""


def read_csv(content: bytes, lang: str) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")
    text = content.decode("utf-8-sig")
    assert "\r\n" in text
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";" if lang == "nl" else ","))


class TestCsv:
    @pytest.mark.parametrize("lang", ["nl", "en"])
    def test_one_row_per_task_with_its_assets(self, lang: str) -> None:
        data = example(SMB, 3)
        rows = read_csv(report(format="csv", lang=lang), lang)
        assert len(rows) == len(data.tasks) + 1
        assert len({len(row) for row in rows}) == 1
        assert [row[0] for row in rows[1:]] == [task.uid for task in data.tasks]
        assert [row[1] for row in rows[1:]] == [" ".join(t.asset_ids) for t in data.tasks]

    def test_dutch_uses_semicolons_and_decimal_commas(self) -> None:
        rows = read_csv(report(format="csv", lang="nl"), "nl")
        assert rows[0][:3] == ["taak", "systeemcodes", "onderwerp"]
        hours = rows[0].index("uren")
        assert all(re.fullmatch(r"\d+,\d\d", row[hours]) for row in rows[1:])
        english = read_csv(report(format="csv", lang="en"), "en")
        assert all(re.fullmatch(r"\d+\.\d\d", row[hours]) for row in english[1:])


@functools.cache
def one_month() -> maintlib.Plan:
    inventory = maintlib.load(SMB, catalog=packs())
    reference = dt.datetime(2027, 1, 1, tzinfo=dt.UTC)
    return maintlib.plan(
        inventory, start=START, months=1, reference_time=reference, plugins=packs()
    )


class TestStatusAdapter:
    """The one place the report reads the planner's status fields (issue 12)."""

    def test_reads_the_planners_status_assets_and_superseded(self) -> None:
        plan = example_plan(PRODUCTION, 12)
        for task in plan.tasks:
            assert task_status(task) == (task.status, task.late_by, task.late_reason)
            assert task_assets(task) == task.assets
        counts = dues_by_tier(plan)
        assert set(counts) == set(Tier)
        assert sum(sum(figures) for figures in counts.values()) == plan.dues

    def test_a_task_after_its_deadline_is_late(self) -> None:
        task = one_month().tasks[0]
        moved = attrs.evolve(
            task,
            start=task.due.deadline + dt.timedelta(hours=5),
            end=task.due.deadline + dt.timedelta(hours=6),
        )
        assert task_status(moved)[:2] == (Status.LATE, dt.timedelta(hours=5))

    def test_the_summary_counts_every_due_once(self) -> None:
        """on time + late + superseded + without a slot + projects = dues, per tier
        and in all (the production example's Windows Server 2016 file server is a
        project: its support ends 2027-01-12)."""
        data = example(PRODUCTION, 12)
        plan = example_plan(PRODUCTION, 12)
        assert sum(t.projects for t in data.tiers) == len(plan.projects) >= 1
        assert sum(
            t.on_time + t.late + t.superseded + t.unplaced + t.projects for t in data.tiers
        ) == (plan.dues)
        for row in data.tiers:
            figures = plan.summary()["by_tier"][row.tier.value]
            assert (row.on_time, row.late, row.superseded, row.unplaced, row.projects) == (
                figures["on_time"],
                figures["late"],
                figures["superseded"],
                figures["unplaced"],
                figures["projects"],
            )

    def test_late_p1_and_p2_tasks_come_first_with_their_reason(self) -> None:
        data = example(PRODUCTION, 12)
        late = [t for t in data.tasks if t.status is Status.LATE and t.tier in URGENT]
        assert all(item in data.problems for item in late)
        text = report(PRODUCTION, 12, format="md", lang="en").decode()
        assert (
            text.count("| Starts ")
            == min(len([p for p in data.problems if isinstance(p, TaskLine)]), 15)
            or len(data.problems) > 15
        )

    def test_late_and_superseded_columns_are_present(self) -> None:
        text = report(format="md", lang="en").decode()
        assert "| Priority | On time | Late | Not scheduled | Superseded |" in text


def test_default_language_is_dutch_for_dutch_organisations() -> None:
    assert default_language(maintlib.load(SMB, catalog=packs()).organisation) == "nl"
    other = load_source(document(assets=[]))
    assert default_language(other.organisation) == "en"


def test_unknown_format_or_language_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown report format"):
        render_document(example(SMB, 3), format="pdf")
    with pytest.raises(ValueError, match="unknown report language"):
        render_document(example(SMB, 3), lang="de")


class TestCli:
    @pytest.fixture(autouse=True)
    def _only_repository_packs(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("MAINTLIB_DISABLE_PLUGINS", "")

    def run(self, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
        code = cli.main(["--plugins", "builtin,microsoft,network", *args])
        out, err = capsys.readouterr()
        return code, out, err

    def test_report_writes_the_library_bytes(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        target = tmp_path / "report.html"
        args = ["report", str(SMB), "--start", "2027-01-01", "--months", "3"]
        reference = ["--reference-time", "2026-12-15T09:00:00+01:00"]
        code, out, _ = self.run(capsys, *args, *reference, "--out", str(target))
        assert code == 0
        assert out == f"wrote {target}\n"
        assert target.read_bytes() == report(format="html", lang="nl")

    @pytest.mark.parametrize(("format", "lang"), [("md", "en"), ("csv", "nl")])
    def test_report_to_stdout(
        self, capsys: pytest.CaptureFixture[str], format: str, lang: str
    ) -> None:
        args = ["report", str(SMB), "--start", "2027-01-01", "--months", "3"]
        reference = ["--reference-time", "2026-12-15T09:00:00+01:00"]
        code, out, _ = self.run(capsys, *args, *reference, "--format", format, "--lang", lang)
        assert code == 0
        assert out == report(format=format, lang=lang).decode("utf-8-sig")

    def test_a_plan_json_with_its_inventory_gives_the_same_report(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        plan = tmp_path / "plan.json"
        options = ["--start", "2027-01-01", "--months", "3"]
        reference = ["--reference-time", "2026-12-15T09:00:00+01:00"]
        assert self.run(capsys, "plan", str(SMB), *options, *reference, "--json", str(plan))[0] == 0
        target = tmp_path / "report.html"
        code, _, err = self.run(
            capsys, "report", str(plan), "--inventory", str(SMB), "--out", str(target)
        )
        assert (code, err) == (0, "")
        assert target.read_bytes() == report(format="html", lang="nl")

    def test_a_plan_json_of_another_inventory_is_refused(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        plan = tmp_path / "plan.json"
        args = ["plan", str(SMB), "--start", "2027-01-01", "--months", "1", "--json", str(plan)]
        assert self.run(capsys, *args)[0] == 0
        target = tmp_path / "r.html"
        code, _, err = self.run(
            capsys, "report", str(plan), "--inventory", str(PRODUCTION), "--out", str(target)
        )
        assert code == 2
        assert f"{plan}: digest: the plan was made from other inputs" in err
        assert not target.exists()

    @pytest.mark.parametrize(
        ("args", "message"),
        [
            (["plan.json"], "with a plan JSON give --inventory FILE"),
            (["plan.json", "--inventory", "x.toml", "--start", "2027-01-01"], "not --start"),
            (["inventory.toml"], "give INVENTORY --start DATE, or PLAN.json --inventory FILE"),
        ],
    )
    def test_the_two_ways_are_not_mixed(
        self, capsys: pytest.CaptureFixture[str], args: list[str], message: str
    ) -> None:
        code, _, err = self.run(capsys, "report", *args)
        assert code == 2
        assert message in err

    def test_a_file_that_is_not_a_plan_is_refused(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        plan = tmp_path / "plan.json"
        plan.write_text('{"format": "something/1"}', encoding="utf-8")
        code, _, err = self.run(capsys, "report", str(plan), "--inventory", str(SMB))
        assert code == 2
        assert "not a maintlib plan JSON" in err


def test_the_docs_example_runs(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    page = (ROOT / "docs" / "report.md").read_text(encoding="utf-8")
    (code,) = re.findall(r"```python\n(.*?)```", page, flags=re.DOTALL)
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("MAINTLIB_DISABLE_PLUGINS", "")
    namespace: dict[str, object] = {}
    exec(compile(code, "docs/report.md", "exec"), namespace)
    assert capsys.readouterr().out == "# Maintenance plan — Metaalbewerking Van Dijk B.V.\n"
    html = namespace["html"]
    assert isinstance(html, bytes)
    assert html.startswith(b'<!DOCTYPE html>\n<html lang="nl">')


def test_the_docs_figures_are_the_reports() -> None:
    page = (ROOT / "docs" / "report.md").read_text(encoding="utf-8")
    html = report(PRODUCTION, 12, format="html", lang="nl")
    html_lines = round(html.count(b"\n"), -2)
    size = f"{len(html) / 1e6:.1f} MB, {html_lines:,} lines"
    assert f"| {size} |\n| `md` | a short summary" in page
    lines = report(PRODUCTION, 12, format="md", lang="en").decode().count("\n")
    assert f"| {lines} lines |" in page
    assert f"{lines} lines for the production example" in page


MD_SPECIAL = set("\\`*_[]<>&|#!~")


def md_unescape(text: str) -> str:
    """The text a CommonMark reader shows for ``text``; fails on any unescaped markup."""
    shown, index = [], 0
    while index < len(text):
        char = text[index]
        if char == "\\":
            assert text[index + 1] in MD_SPECIAL, text
            shown.append(text[index + 1])
            index += 2
            continue
        assert char not in MD_SPECIAL, text
        assert char not in "\r\n", text
        shown.append(char)
        index += 1
    return "".join(shown)


@given(st.text())
def test_md_escape_shows_any_text_as_itself_on_one_line(text: str) -> None:
    """Whatever a name holds, the Markdown shows those characters and no markup."""
    assert md_unescape(md_escape(text)) == " ".join(text.splitlines())


@given(st.text())
def test_a_csv_cell_reads_back_as_written_and_never_as_a_formula(text: str) -> None:
    from maintlib.outputs.report.render import _neutralise

    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerow(
        [_neutralise(text)]
    )
    (row,) = list(csv.reader(io.StringIO(buffer.getvalue(), newline=""), delimiter=";"))
    (cell,) = row if row else [""]
    assert cell in (text, "'" + text)
    assert cell[:1] not in ("=", "+", "-", "@", "\t", "\r", "\n")


def test_the_heat_map_keeps_ordinary_days_apart_from_a_spike() -> None:
    """One day with a fleet's upgrade must not paint every other day alike (or all dark)."""
    from decimal import Decimal

    from maintlib.outputs.report.charts import HEAT, heat_map

    start = dt.date(2027, 1, 4)
    hours = {start + dt.timedelta(days=i): Decimal(1 + i % 3) for i in range(60)}
    hours[start] = Decimal(100)
    end = start + dt.timedelta(days=60)
    svg = heat_map("h", "t", "d", start, end, hours, list("MTWTFSS"), str, lambda d, h: f"{d} {h}")
    fills = re.findall(r'<rect [^>]*fill="(#[0-9a-f]{6})"><title>', svg)
    assert len(fills) == 60
    assert fills[0] == HEAT[4]
    assert {fills[i] for i in range(1, 60) if i % 3 == 0} == {HEAT[1]}  # the 1-hour days
    assert len(set(fills)) >= 3


def test_emergency_work_is_listed_with_the_one_off_work(catalog: Catalog) -> None:
    """Issue 15's scenario: a KEV entry for an internet-facing FortiGate."""
    from test_emergency import inventory as fortigate
    from test_emergency import make

    inventory = fortigate()
    data = build_report(make(catalog, inventory), inventory, catalog)
    emergency = [item for item in data.one_off if item.asset_ids == ("fw01",)]
    assert emergency
    text = render_document(data, format="md", lang="en").decode()
    section = text[text.index("### End of support and one-off work") :]
    section = section[: section.index("\n### ", 5)]
    for item in emergency:
        assert item.activity_label in section


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_the_report_speaks_plain_words_not_the_planners(lang: str) -> None:
    """Issue 29: the customer reads "could not be scheduled", not the planner's
    "dues without a slot"; a group of access points and switches is labelled as
    both, not as its first member's kind."""
    text = report(format="md", lang=lang).decode()
    for jargon in ("without a slot", "zonder plek", " dues ", "due without"):
        assert jargon not in text, jargon
    assert "(ap01, ap02, sw01, sw02)" in text
    assert "Firewall × 5" not in text
    # (The Dutch catalogue keeps "Access point" and "Switch", as Dutch IT does.)
    assert "Access point / Switch (ap01, ap02, sw01, sw02)" in text


#: Zones whose months start in a DST gap or fold, or at odd offsets, next to ours.
MONTH_ZONES = (
    "Europe/Amsterdam",
    "America/Asuncion",  # DST began at midnight, on 2017-10-01 too
    "America/Sao_Paulo",  # DST began at midnight until 2019
    "America/Havana",  # midnight transitions
    "Asia/Kathmandu",  # +05:45
    "Australia/Lord_Howe",  # half-hour DST
    "Pacific/Apia",  # skipped 2011-12-30 entirely
    "UTC",
)


@given(
    st.lists(
        st.datetimes(
            min_value=dt.datetime(2008, 1, 1),
            max_value=dt.datetime(2030, 12, 31),
            timezones=st.sampled_from([ZoneInfo("UTC"), ZoneInfo("Europe/Amsterdam")]),
        ),
        max_size=40,
    ),
    st.sampled_from(MONTH_ZONES),
    st.booleans(),
)
def test_tasks_per_month_match_each_start_read_in_the_zone(
    starts: list[dt.datetime], zone_name: str, in_order: bool
) -> None:
    """The terminal summary's tasks per month count each start in the month its own
    wall clock shows, in order (a plan's) or not, across DST gaps at midnight."""
    from maintlib.outputs.report.render import _per_month

    zone = ZoneInfo(zone_name)
    if in_order:
        starts = sorted(starts)
    expected = Counter(start.astimezone(zone).strftime("%Y-%m") for start in starts)
    assert _per_month(starts, zone) == expected


def test_month_bounds_at_a_midnight_gap() -> None:
    """Asunción's clocks went from 2017-10-01 00:00 to 01:00: October's first instant
    (04:00 UTC, 01:00 local) and September's last fall on either side of the bound."""
    from maintlib.outputs.report.render import _per_month

    zone = ZoneInfo("America/Asuncion")
    first = dt.datetime(2017, 10, 1, 4, tzinfo=dt.UTC)
    last = first - dt.timedelta(microseconds=1)
    assert _per_month([last, first, first + dt.timedelta(days=31)], zone) == Counter(
        {"2017-09": 1, "2017-10": 1, "2017-11": 1}
    )
    # Backwards: October's bound is its lower one.
    assert _per_month([first, last], zone) == Counter({"2017-09": 1, "2017-10": 1})


def test_the_summary_is_worked_out_once_and_each_caller_gets_its_own_copy() -> None:
    plan = example_plan(PRODUCTION, 12)
    first = plan.summary()
    first["by_tier"]["P1"]["late"] = -1
    first["dues"] = -1
    second = plan.summary()
    assert second["dues"] == plan.dues
    assert second["by_tier"]["P1"]["late"] >= 0
    assert second == plan.summary()


def test_tasks_by_uid_is_made_once_per_plan_and_read_only() -> None:
    plan = example_plan(PRODUCTION, 12)
    tasks = plan.tasks_by_uid()
    assert tasks is plan.tasks_by_uid()
    assert dict(tasks) == {task.uid: task for task in plan.tasks}
    with pytest.raises(TypeError):
        tasks["x"] = plan.tasks[0]  # type: ignore[index]
    moved = attrs.evolve(plan, tasks=plan.tasks[1:])
    assert plan.tasks[0].uid not in moved.tasks_by_uid()
