"""Compliance figures from the maintenance log, computed by hand for the scenario.

The small office (tests/data/history/inventory.toml) from 1 January to 1 July
2027 has 17 dues; the log (tests/data/history/log.jsonl) shows:

======================================  ==========  =======================
due                                     deadline    judged (as of 1 July)
======================================  ==========  =======================
srv01 health-check January              23 Jan      on time (done 4 Jan)
srv01 health-check February             23 Feb      late (done 25 Feb)
srv01 health-check March, May, June     23rd        overdue (no record)
srv01 health-check April                23 Apr      on time (done 6 Apr)
srv01 security-updates January          26 Jan      on time (done 16 Jan)
srv01 security-updates February         23 Feb      on time (rolled back, retry done 20 Feb)
srv01 security-updates March            23 Mar      overdue (failed)
srv01 security-updates April            27 Apr      overdue (skipped)
srv01 security-updates May              25 May      late (done 29 May)
srv01 security-updates June             22 Jun      overdue (no record)
nas01 restore-test January              3 Mar       on time (done 8 Jan)
nas01 restore-test April                1 Jun       overdue (no record)
organisation plan-review, sla-review    1 Feb       on time (10 and 20 Jan)
organisation training                   2 Apr       overdue (no record)
======================================  ==========  =======================

7 on time, 2 late, 8 overdue: 7/17 = 0.4118.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from maintlib import cli
from maintlib.loading.read import load
from maintlib.model.catalog import Catalog
from maintlib.model.errors import InputError
from maintlib.packs.catalog import build_catalog
from maintlib.packs.manager import load_plugins
from maintlib.pipeline import compliance
from maintlib.records.compliance import Compliance, percentile
from maintlib.records.log import read_log

DATA = Path(__file__).parent / "data" / "history"
INVENTORY = DATA / "inventory.toml"
LOG = DATA / "log.jsonl"
ZONE = ZoneInfo("Europe/Amsterdam")


#: The packs the figures above were worked out with: the data-centre pack would give
#: the Synology its own monthly update, review and end of support.
PACKS = {"builtin", "microsoft", "network"}


@pytest.fixture(autouse=True)
def _scenario_packs(monkeypatch: pytest.MonkeyPatch) -> None:
    """The command line sees the same packs."""
    monkeypatch.setenv("MAINTLIB_DISABLE_PLUGINS", "linux,thirdparty,datacentre")


@pytest.fixture(scope="module")
def installed() -> Catalog:
    return build_catalog(load_plugins(only=PACKS, environ={}))


@pytest.fixture(scope="module")
def half_year(installed: Catalog) -> Compliance:
    inventory = load(INVENTORY, catalog=installed)
    return compliance(
        inventory,
        log=read_log(LOG),
        start=dt.date(2027, 1, 1),
        end=dt.date(2027, 7, 1),
        plugins=installed,
    )


class TestFigures:
    def test_on_time_rates(self, half_year: Compliance) -> None:
        document = half_year.to_json()
        assert document["dues"] == 17
        assert document["counts"] == {
            "on_time": 7,
            "late": 2,
            "overdue": 8,
            "open": 0,
            "on_time_rate": round(7 / 17, 4),
        }
        assert document["on_time_rate"] == 0.4118
        # P4 is the restore tests; P3 everything else.
        assert {t: f["on_time_rate"] for t, f in document["by_tier"].items()} == {
            "P3": round(6 / 15, 4),
            "P4": 0.5,
        }
        assert {o: f["on_time_rate"] for o, f in document["by_owner"].items()} == {
            "IT": round(4 / 12, 4),
            "Office": 0.5,
            "none": round(2 / 3, 4),
        }
        assert {k: f["on_time_rate"] for k, f in document["by_kind"].items()} == {
            "backup_system": 0.5,
            "organisation": round(2 / 3, 4),
            "virtual_server": round(4 / 12, 4),
        }
        assert {
            c: (f["on_time"], f["late"], f["overdue"])
            for c, f in document["by_update_class"].items()
        } == {
            "none": (5, 1, 5),
            "security": (2, 1, 3),
        }

    def test_overdue_items_with_their_age(self, half_year: Compliance) -> None:
        overdue = half_year.to_json()["overdue"]
        assert [(o["due"], o["age_days"], o["last_outcome"], o["reason"]) for o in overdue] == [
            # 23 March 00:00 CET to 1 July 00:00 CEST: 100 days less the DST hour.
            ("srv01.health-check.20270301T0000", 99.96, None, None),
            # 23 March 10:00 PDT = 18:00 CET.
            ("srv01.security-updates.20270309T1900", 99.21, "failed", "update 0x800f0922"),
            ("organisation.training.20270101T0000", 90.0, None, None),
            # 27 April 19:00 CEST.
            (
                "srv01.security-updates.20270413T1900",
                64.21,
                "skipped",
                "change freeze for the tax deadline",
            ),
            ("srv01.health-check.20270501T0000", 39.0, None, None),
            ("nas01.restore-test.20270401T0000", 30.0, None, None),
            ("srv01.security-updates.20270608T1900", 8.21, None, None),
            ("srv01.health-check.20270601T0000", 8.0, None, None),
        ]

    def test_time_to_remediate_against_the_deadline(self, half_year: Compliance) -> None:
        remediation = half_year.to_json()["remediation"]
        # Anchor to the end of the work, in days, of the nine done dues:
        # health checks 3.5, 24.5, 5.5; updates 4.17, 11.17, 18.17 (released 19:00,
        # done 23:00 on the 4th, 11th and 18th day); restore test 7.5; plan review
        # 9.5; SLA review 19.5. Sorted: 3.5 4.17 5.5 7.5 9.5 11.17 18.17 19.5 24.5.
        # Allowed: 22 22 22 (health), 14 14 14 (updates), 61 (restore), 31 31.
        assert {k: v for k, v in remediation.items() if k != "by_update_class"} == {
            "count": 9,
            "median_days": 9.5,
            "p90_days": 24.5,
            "deadline_median_days": 22.0,
            "deadline_p90_days": 61.0,
        }
        assert remediation["by_update_class"]["security"] == {
            "count": 3,
            "median_days": 11.17,
            "p90_days": 18.17,
            "deadline_median_days": 14.0,
            "deadline_p90_days": 14.0,
        }

    def test_restore_tests_done_against_planned(self, half_year: Compliance) -> None:
        assert half_year.restore_tests() == {"planned": 2, "done": 1}

    def test_assets_without_recorded_maintenance(self, installed: Catalog) -> None:
        inventory = load(INVENTORY, catalog=installed)
        second_quarter = compliance(
            inventory,
            log=read_log(LOG),
            start=dt.date(2027, 4, 1),
            end=dt.date(2027, 7, 1),
            plugins=installed,
        )
        assert second_quarter.unmaintained == ("nas01",)
        assert second_quarter.to_json()["unmaintained_assets"] == ["nas01"]

    def test_work_after_the_period_is_not_counted(self, installed: Catalog) -> None:
        inventory = load(INVENTORY, catalog=installed)
        february = compliance(
            inventory,
            log=read_log(LOG),
            start=dt.date(2027, 2, 1),
            end=dt.date(2027, 2, 24),
            plugins=installed,
        )
        # The February health check was done on 25 February: overdue by the 24th.
        states = {j.due.uid: j.state for j in february.judgements}
        assert states["srv01.health-check.20270201T0000"] == "overdue"
        assert states["srv01.security-updates.20270209T1900"] == "on_time"

    def test_the_period_must_not_be_empty(self, installed: Catalog) -> None:
        inventory = load(INVENTORY, catalog=installed)
        with pytest.raises(InputError, match="is not after the start"):
            compliance(
                inventory,
                log=read_log(LOG),
                start=dt.date(2027, 2, 1),
                end=dt.date(2027, 2, 1),
                plugins=installed,
            )


@pytest.mark.parametrize(
    ("values", "fraction", "expected"),
    [
        ([5.0], 0.9, 5.0),
        ([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0], 0.9, 9.0),
        ([3.0, 1.0, 2.0], 0.5, 2.0),
    ],
)
def test_percentile_is_the_nearest_rank(
    values: list[float], fraction: float, expected: float
) -> None:
    assert percentile(values, fraction) == expected


#: ``maintlib compliance`` over the first half-year.
HALF_YEAR = [
    "compliance",
    str(INVENTORY),
    "--log",
    str(LOG),
    "--from",
    "2027-01-01",
    "--to",
    "2027-07-01",
]


class TestCommand:
    def test_json(self, capsys: pytest.CaptureFixture[str]) -> None:
        code = cli.main([*HALF_YEAR, "--json"])
        document = json.loads(capsys.readouterr().out)
        assert code == 0
        assert document["format"] == "maintlib.compliance/1"
        assert document["on_time_rate"] == 0.4118
        assert document["by_tier"]["P4"]["on_time_rate"] == 0.5

    def test_text(self, capsys: pytest.CaptureFixture[str]) -> None:
        code = cli.main(HALF_YEAR)
        out = capsys.readouterr().out
        assert code == 0
        assert out.splitlines()[:3] == [
            "compliance 2027-01-01 to 2027-07-01: 17 dues, on time 41.2% (7 on time, 2 late,"
            " 8 overdue, 0 open)",
            "  P3: on time 40.0%",
            "  P4: on time 50.0%",
        ]
        assert "  restore tests: 1 of 2 done" in out

    def test_a_bad_period_is_exit_2(self, capsys: pytest.CaptureFixture[str]) -> None:
        code = cli.main(
            [
                "compliance",
                str(INVENTORY),
                "--log",
                str(LOG),
                "--from",
                "2027-07-01",
                "--to",
                "2027-01-01",
            ]
        )
        assert code == 2
        assert (
            "<arguments>: end: 2027-01-01 is not after the start 2027-07-01"
            in capsys.readouterr().err
        )


@pytest.fixture(scope="module")
def pages() -> dict[tuple[str, str], str]:
    """The scenario re-planned from July, with its half-year's compliance, as a
    report in each format and language."""
    from maintlib.outputs.report.render import build_report, render_document

    catalog = build_catalog(load_plugins(only=PACKS, environ={}))
    inventory = load(INVENTORY, catalog=catalog)
    log = read_log(LOG)
    from maintlib.pipeline import plan

    start = dt.date(2027, 7, 1)
    result = plan(
        inventory,
        start=start,
        months=6,
        reference_time=dt.datetime(2027, 7, 1, tzinfo=ZONE),
        plugins=catalog,
        log=log,
    )
    figures = compliance(inventory, log=log, start=dt.date(2027, 1, 1), end=start, plugins=catalog)
    data = build_report(result, inventory, catalog, figures)
    return {
        (format, lang): render_document(data, format=format, lang=lang).decode()
        for format in ("md", "html")
        for lang in ("en", "nl")
    }


class TestReport:
    def test_the_section_in_english(self, pages: dict[tuple[str, str], str]) -> None:
        text = pages["md", "en"]
        section = text[text.index("## Compliance") : text.index("## Risk register")]
        assert "From 1 January 2027 to 1 July 2027: 17 dues, 41.2% done on time." in section
        assert "| P4 | 1 | 0 | 1 | 50% |" in section
        assert "Restore tests: 1 of 2 done." in section
        assert "median 9.5 days, 90th percentile 24.5 days" in section
        assert section.count("- Overdue: ") == 8

    def test_the_section_in_dutch_has_no_english_left(
        self, pages: dict[tuple[str, str], str]
    ) -> None:
        from test_report_i18n import _english_left

        for format, heading, after in (
            ("md", "## Naleving", "## Risicoregister"),
            ("html", '<section id="compliance">', '<section id="risks">'),
        ):
            text = pages[format, "nl"]
            section = text[text.index(heading) : text.index(after)]
            assert "41,2%" in section
            assert _english_left(section) == []

    def test_the_html_section(self, pages: dict[tuple[str, str], str]) -> None:
        html = pages["html", "en"]
        assert html.count('<section id="compliance">') == 1
        assert "<h3>Overdue</h3>" in html

    def test_the_report_command_with_a_log(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        out = tmp_path / "report.md"
        code = cli.main(
            ["report", str(INVENTORY), "--start", "2027-07-01", "--months", "6", "--log", str(LOG), "--format", "md", "--lang", "en", "--out", str(out)]
        )  # fmt: skip
        assert code == 0
        assert "## Compliance: what the maintenance log shows" in out.read_text()

    def test_no_section_without_a_log(self, tmp_path: Path) -> None:
        out = tmp_path / "report.md"
        code = cli.main(
            ["report", str(INVENTORY), "--start", "2027-07-01", "--format", "md", "--out", str(out)]
        )
        assert code == 0
        assert "Compliance" not in out.read_text()
