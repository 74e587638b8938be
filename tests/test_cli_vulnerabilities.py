"""``maintlib plan`` and ``maintlib explain`` with vulnerability feeds and policies."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from maintlib import cli

DATA = Path(__file__).parent / "data" / "feeds"
INVENTORY = str(DATA / "fortigate.toml")
FEEDS = [
    "--kev",
    str(DATA / "kev.json"),
    "--epss",
    str(DATA / "epss.csv.gz"),
    "--vulnrichment",
    str(DATA / "vulnrichment"),
    "--csaf",
    str(DATA / "csaf"),
]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(["--no-plugins", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_plan_with_feeds_writes_emergency_tasks(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "plan.json"
    code, stdout, _ = run(
        capsys,
        "plan",
        INVENTORY,
        "--start",
        "2026-12-01",
        "--months",
        "1",
        *FEEDS,
        "--json",
        str(out),
    )
    assert code == 0
    document = json.loads(out.read_text())
    emergency = {t["activity"]: t for t in document["tasks"] if t["emergency"]}
    # The real entry was added on 2024-02-09: overdue, so BOD 26-04's 3 days count
    # again from the plan's first day (Tuesday): triage by Wednesday, the fix by the
    # end of Friday — but the FortiGate's only window is on Saturday: late, not dropped.
    assert sorted(emergency) == [
        "emergency-remediation",
        "forensic-triage",
        "remediation-verification",
    ]
    fix = emergency["emergency-remediation"]
    assert (fix["start"], fix["status"], fix["late_by"]) == (
        "2026-12-05T06:00:00+01:00",
        "late",
        "PT6H",
    )
    assert document["vulnerabilities"]["exposures"] == [
        {
            "asset": "fw01",
            "cve": "CVE-2024-21762",
            "deadline": "2024-02-12",
            "days_left": -1023,
            "status": "overdue",
            "task": "fw01.emergency-remediation.CVE-2024-21762",
            "version_unknown": False,
        }
    ]
    assert "vulnerabilities (policies: bod-26-04): 3 emergency tasks, 1 KEV exposures" in stdout


def test_the_feeds_cache_directory(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    (cache / "kev").mkdir(parents=True)
    shutil.copy(DATA / "kev.json", cache / "kev" / "known_exploited_vulnerabilities.json")
    shutil.copytree(DATA / "vulnrichment", cache / "vulnrichment")
    code, stdout, _ = run(
        capsys, "plan", INVENTORY, "--start", "2026-12-01", "--months", "1", "--feeds", str(cache)
    )
    assert code == 0
    assert "fw01 CVE-2024-21762: overdue, deadline 2024-02-12" in stdout


def test_a_malformed_feed_exits_2_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    broken = tmp_path / "kev.json"
    document = json.loads((DATA / "kev.json").read_text())
    del document["vulnerabilities"][2]["dueDate"]
    broken.write_text(json.dumps(document))
    out = tmp_path / "plan.json"
    code, _, stderr = run(
        capsys, "plan", INVENTORY, "--start", "2026-12-01", "--kev", str(broken), "--json", str(out)
    )
    assert code == 2
    assert f'{broken}: vulnerabilities[2] (cveID "CVE-2024-21762").dueDate: is missing' in stderr
    assert "Traceback" not in stderr
    assert not out.exists()


def test_an_unknown_policy_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, stderr = run(
        capsys, "plan", INVENTORY, "--start", "2026-12-01", "--policy", "pci-dss-3"
    )
    assert code == 2
    assert (
        'maintlib: --policy: unknown deadline policy "pci-dss-3" — did you mean "pci-dss-4"?'
        in stderr
    )


def test_check_reports_an_unknown_policy_of_the_inventory(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    inventory = tmp_path / "inventory.toml"
    inventory.write_text(
        (DATA / "fortigate.toml").read_text().replace('["bod-26-04"]', '["bod-22-01"]')
    )
    code, _, stderr = run(capsys, "check", str(inventory))
    assert code == 2
    assert stderr.startswith(
        f'{inventory}: planning.deadline_policies: unknown deadline policy "bod-22-01"'
    )


def test_explain_shows_every_ruling_and_the_deciding_one(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, stdout, _ = run(
        capsys, "explain", INVENTORY, "fw01", "--as-of", "2026-12-01", *FEEDS, "--policy", "cis-v8"
    )
    assert code == 0
    assert "vulnerabilities (1; policies: bod-26-04, cis-v8):" in stdout
    assert (
        "  CVE-2024-21762 (CVE record (vendor/product/version)), known since 2024-02-09" in stdout
    )
    assert "SSVC exploitation active, automatable yes, technical impact total; CVSS 9.8" in stdout
    assert "EPSS 0.94235 (percentile 0.9992)" in stdout
    decides = [line for line in stdout.splitlines() if line.endswith("← decides")]
    assert decides == [
        "    bod-26-04: Table 1: publicly exposed, in the KEV, automatable, total technical impact"
        " → 3 days and forensic triage (3DF); 2024-02-12  ← decides"
    ]
    assert "1 known, highest CVSS 9.8, 1 in the KEV, highest EPSS 0.94235" in stdout


def test_explain_says_when_ssvc_is_missing(capsys: pytest.CaptureFixture[str]) -> None:
    code, stdout, _ = run(
        capsys,
        "explain",
        INVENTORY,
        "fw01",
        "--as-of",
        "2026-12-01",
        "--json",
        "--kev",
        str(DATA / "kev.json"),
        "--csaf",
        str(DATA / "csaf"),
    )
    assert code == 0
    data = json.loads(stdout)
    # Without the CVE record no source excludes fw01's version: the worst case, matched
    # by name, with the version to be checked (found: KEV entries never reached the
    # devices they name).
    (found,) = data["vulnerabilities"]
    assert found["cve"] == "CVE-2024-21762"
    assert found["via"] == (
        "KEV by name (FortiOS is Fortinet FortiOS); version 7.2.5 not excluded by any record"
    )
    code, stdout, _ = run(
        capsys,
        "explain",
        INVENTORY,
        "fw01",
        "--as-of",
        "2026-12-01",
        "--kev",
        str(DATA / "kev.json"),
        "--vulnrichment",
        str(DATA / "vulnrichment"),
    )
    assert "SSVC exploitation active" in stdout
