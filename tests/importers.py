"""For the importers' tests (NetBox, Nautobot): running the CLI, and the assets it wrote."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from maintlib import cli


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    """``maintlib *args``: the exit code, standard output and standard error."""
    code = cli.main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def assets_of(path: Path) -> dict[str, dict[str, Any]]:
    """The ``[[assets]]`` of the inventory at ``path``, by id."""
    document = tomllib.loads(path.read_text(encoding="utf-8"))
    return {asset["id"]: asset for asset in document["assets"]}
