"""The benchmarks still run (their figures are printed, never asserted; issue 32).

They import the library's stages directly, so a renamed stage function breaks them
without any other test noticing: the columnar floor did, once. Each script runs
here on a tiny fleet, in a fresh process as ``bench_scale`` runs it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).parent.parent / "benchmarks"


def run(script: str, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, str(BENCHMARKS / script), *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_the_columnar_floor_runs_on_a_fleet_from_disk(tmp_path: Path) -> None:
    run("on_disk.py", "40", str(tmp_path), "--csv")
    output = run(
        "floor.py", str(tmp_path / "inventory.toml"), str(tmp_path / "out"), "--months", "2"
    )
    figures = json.loads(output.strip().splitlines()[-1])
    assert figures["assets"] >= 40
    assert figures["tasks"] > 0
    assert set(figures["cpu"]) == {"load", "expand", "schedule", "cost", "json", "feed"}
