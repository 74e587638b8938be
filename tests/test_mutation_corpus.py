"""The mutation-based robustness corpus (issue 14): more than 500 mutants of the
example inventories, on a fixed seed, through ``maintlib plan``.

Every case must end in a located error (exit 2, every problem as ``FILE: …``,
nothing written) or a valid plan (exit 0, its outputs written: the plan JSON, and
the feed for every third case) — never a
traceback — within 10 s and 1 GiB: the worker (``tests/mutants.py``) runs in a
subprocess with ``RLIMIT_AS`` at 1 GiB and an alarm per case.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from mutants import SECONDS, cases, write_cases

COUNT = 520
SHARDS = 2


def test_the_corpus_is_deterministic_and_large_enough() -> None:
    first = [name for name, _ in cases(COUNT)]
    assert len(first) == COUNT > 500
    assert first == [name for name, _ in cases(COUNT)]
    kinds = Counter(name.split(": ", 1)[0].split(" ", 1)[1] for name in first)
    assert set(kinds) == {"accounting", "engineering", "production", "smb-cloud", "tech"}


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, object]]:
    root = tmp_path_factory.mktemp("mutants")
    names = write_cases(root, COUNT)
    worker = Path(__file__).parent / "mutants.py"
    env = {
        **os.environ,
        "MAINTLIB_DISABLE_PLUGINS": "microsoft,network,linux,thirdparty,datacentre",
    }
    # Two workers, one per core of the CI machine; each holds its own limits.
    workers = [
        subprocess.Popen(
            [sys.executable, str(worker), str(root), str(shard), str(SHARDS)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for shard in range(SHARDS)
    ]
    rows = []
    for process in workers:
        stdout, stderr = process.communicate(timeout=1800)
        assert process.returncode == 0, stderr[-3000:]
        rows += [json.loads(line) for line in stdout.splitlines()]
    for row in rows:
        row["name"] = names[str(row["case"])]
    return rows


def _failure(row: dict[str, object]) -> str | None:
    """Why a case breaks the contract, or None."""
    stderr = str(row["stderr"])
    if "Traceback" in stderr or "internal error" in stderr:
        return "traceback"
    if float(str(row["seconds"])) >= SECONDS:
        return "too slow"
    if row["code"] == 0:
        if row["written"] != row["expected"] or not str(row["format"]).startswith("maintlib.plan/"):
            return "no valid plan written"
        return None
    if row["code"] != 2:
        return f"exit {row['code']}"
    if row["written"]:
        return "wrote output on bad input"
    lines = stderr.splitlines()
    if not lines or not lines[-1].endswith("found; nothing was written."):
        return "no problem count"
    if any(": " not in line for line in lines[:-1] if not line.startswith("warning: ")):
        return "a problem without its file"
    return None


def test_every_mutant_is_a_located_error_or_a_valid_plan(
    results: list[dict[str, object]],
) -> None:
    assert len(results) == COUNT
    failures = [
        f"{row['name']}: {why}\n{row['stderr']}" for row in results if (why := _failure(row))
    ]
    assert failures == []


def test_both_outcomes_occur(results: list[dict[str, object]]) -> None:
    """The mutants reach the planner, not only the loader."""
    codes = Counter(row["code"] for row in results)
    assert codes[0] > COUNT // 10
    assert codes[2] > COUNT // 2
