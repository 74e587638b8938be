"""The corpus of malformed inventories in ``tests/data/bad``: every message, exactly.

A case is ``NAME.toml`` or ``NAME.json`` (with the CSV and .ics files it refers
to, beside it) and ``NAME.expected``: the exact stderr of ``maintlib check
NAME.toml`` run in that folder — one ``FILE: location: message`` line per
problem, then the count. The library must report the same problems, in the same
order, as :class:`~maintlib.model.errors.InputError` ``.problems``.

The CLI runs with ``--no-plugins`` and the library with the built-in pack only,
so that installed rule packs cannot change the hints.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from maintlib.cli.app import main
from maintlib.loading.read import load
from maintlib.model.catalog import Catalog
from maintlib.model.errors import InputError

BAD = Path(__file__).parent / "data" / "bad"
CASES = sorted(path.name for path in BAD.iterdir() if path.suffix in (".toml", ".json"))


def expected(case: str) -> list[str]:
    """The stderr lines ``maintlib check`` must print for ``case``."""
    return (BAD / case).with_suffix(".expected").read_text(encoding="utf-8").splitlines()


@pytest.fixture
def in_corpus(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run in the corpus folder, so that file names print as the .expected files say."""
    monkeypatch.chdir(BAD)


def test_corpus_is_complete() -> None:
    assert len(CASES) >= 30
    stems = {Path(case).stem for case in CASES}
    assert len(stems) == len(CASES), "two cases share a name: their .expected would clash"
    assert {path.stem for path in BAD.glob("*.expected")} == stems


def test_error_examples_in_the_docs_come_from_the_corpus() -> None:
    docs = (Path(__file__).parent.parent / "docs" / "inventory.md").read_text(encoding="utf-8")
    block = docs.split("<!-- corpus:", 1)[1].split("```text\n", 1)[1].split("```", 1)[0]
    examples = block.splitlines()
    printed = {line for path in BAD.glob("*.expected") for line in path.read_text().splitlines()}
    assert len(examples) >= 20
    assert [line for line in examples if line not in printed] == []


@pytest.mark.usefixtures("in_corpus")
class TestCorpus:
    @pytest.mark.parametrize("case", CASES)
    def test_library(self, case: str, catalog: Catalog) -> None:
        with pytest.raises(InputError) as raised:
            load(case, catalog=catalog)
        *lines, summary = expected(case)
        assert [str(problem) for problem in raised.value.problems] == lines
        count = len(lines)
        assert summary == f"{count} problem{'s' if count != 1 else ''} found; nothing was written."

    @pytest.mark.parametrize("case", CASES)
    def test_cli(self, case: str, capsys: pytest.CaptureFixture[str]) -> None:
        status = main(["--no-plugins", "check", case])
        out, err = capsys.readouterr()
        assert (status, out) == (2, "")
        assert "Traceback" not in err
        assert err.splitlines() == expected(case)


@pytest.mark.parametrize("case", ["unknown-kind.toml", "not-utf8.toml", "csv-bad-cells.toml"])
def test_console_script(case: str) -> None:
    """The installed ``maintlib`` command, in a process of its own."""
    command = Path(sys.executable).with_name("maintlib")
    result = subprocess.run(
        [command, "--no-plugins", "check", case],
        cwd=BAD,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.splitlines() == expected(case)
