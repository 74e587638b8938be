"""The documentation's code does what the documentation says."""

from __future__ import annotations

import json
import re
import sys
import tomllib
from pathlib import Path
from types import ModuleType

import pytest

from packs import acme_ups

DOCS = Path(__file__).parent.parent / "docs"


def blocks(page: str, language: str) -> list[str]:
    text = (DOCS / page).read_text(encoding="utf-8")
    return re.findall(rf"```{language}\n(.*?)```", text, flags=re.DOTALL)


class TestWritingTutorial:
    def test_the_pack_in_the_tutorial_is_the_tested_sample_pack(self) -> None:
        source = Path(acme_ups.__file__).read_text(encoding="utf-8")
        assert source in blocks("plugins/writing.md", "python")

    def test_the_pyproject_registers_the_entry_point(self) -> None:
        (pyproject,) = blocks("plugins/writing.md", "toml")[:1]
        data = tomllib.loads(pyproject)
        assert data["project"]["entry-points"]["maintlib"] == {"acme": "maintlib_acme"}

    def test_the_tutorials_tests_pass(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setitem(sys.modules, "maintlib_acme", acme_ups)
        (code,) = [
            block for block in blocks("plugins/writing.md", "python") if "def test_" in block
        ]
        module = ModuleType("test_acme_tutorial")
        exec(compile(code, "docs/plugins/writing.md", "exec"), module.__dict__)
        tests = [value for name, value in vars(module).items() if name.startswith("test_")]
        assert len(tests) == 3
        for test in tests:
            test()


def test_the_readme_example_plans_and_writes_its_json(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    readme = DOCS.parent / "README.md"
    (code,) = re.findall(r"```python\n(.*?)```", readme.read_text(encoding="utf-8"), re.DOTALL)
    monkeypatch.chdir(DOCS.parent)
    code = code.replace('"plan.json"', repr(str(tmp_path / "plan.json")))
    exec(compile(code, "README.md", "exec"), {})
    printed = capsys.readouterr().out.splitlines()
    assert len([line for line in printed if not line.startswith("unplaced:")]) == 5
    assert all("EUR" in line for line in printed[:5])
    document = json.loads((tmp_path / "plan.json").read_text(encoding="utf-8"))
    assert document["format"] == "maintlib.plan/3"
    assert document["organisation"]
