"""Process hygiene of the command line and the library: standard output as ``-``,
special files written through (never replaced), a closed pipe, file modes without
the umask, plugin faults contained, and imports without the test extras."""

from __future__ import annotations

import io
import json
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path
from types import ModuleType

import pytest

from maintlib import cli, hookimpl
from maintlib._util.files import write_all
from maintlib.cli import check as check_command
from maintlib.model.errors import PluginError
from maintlib.model.risk import RiskFactor
from maintlib.model.vocabulary import AssetKind, Category
from maintlib.testing import make_plugins

EXAMPLES = Path(__file__).parent.parent / "examples"
SMB = EXAMPLES / "smb-cloud" / "inventory.toml"
PLAN = ["plan", str(SMB), "--start", "2027-01-01", "--months", "1"]


@pytest.fixture(autouse=True)
def _only_builtin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAINTLIB_DISABLE_PLUGINS", "microsoft,network,linux,thirdparty,datacentre")


class TestStandardOutput:
    def test_dash_writes_the_json_to_stdout_and_the_summary_to_stderr(
        self, capsysbinary: pytest.CaptureFixture[bytes]
    ) -> None:
        assert cli.main([*PLAN, "--json", "-"]) == 0
        out, err = capsysbinary.readouterr()
        assert json.loads(out)["format"].startswith("maintlib.plan/")
        assert b"wrote" not in err
        assert err  # the summary

    def test_only_one_output_on_stdout(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert cli.main([*PLAN, "--json", "-", "--ics", "-"]) == 2
        assert "only one output can go to standard output (-)" in capsys.readouterr().err

    def test_a_split_feed_is_no_stdout(self, capsys: pytest.CaptureFixture[str]) -> None:
        assert cli.main([*PLAN, "--ics", "-", "--ics-split", "owner"]) == 2
        assert "--ics-split writes several files" in capsys.readouterr().err


class TestSpecialFiles:
    def test_a_fifo_is_written_through_not_replaced(self, tmp_path: Path) -> None:
        """Found: ``--json /dev/full`` as root replaced the device node with a file."""
        fifo = tmp_path / "plan.fifo"
        os.mkfifo(fifo)
        received: list[bytes] = []
        reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
        reader.start()
        write_all({fifo: b"content"})
        reader.join(timeout=10)
        assert received == [b"content"]
        assert stat.S_ISFIFO(fifo.stat().st_mode)

    def test_dev_null_stays_a_device(self) -> None:
        write_all({"/dev/null": b"x"})
        assert stat.S_ISCHR(os.stat("/dev/null").st_mode)

    def test_a_folder_is_refused_before_planning(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert cli.main([*PLAN, "--json", str(tmp_path)]) == 2
        assert "is a folder; give a file name to write" in capsys.readouterr().err


class TestModes:
    def test_a_new_file_gets_the_umask_without_touching_it(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The umask is process-wide: reading it means setting it, which races
        with other threads. The kernel applies it instead."""
        previous = os.umask(0o027)
        try:
            monkeypatch.setattr(os, "umask", lambda _: pytest.fail("os.umask called"))
            write_all({tmp_path / "new.ics": b"x"})
        finally:
            monkeypatch.undo()
            os.umask(previous)
        assert stat.S_IMODE((tmp_path / "new.ics").stat().st_mode) == 0o640

    def test_a_replaced_file_keeps_its_mode(self, tmp_path: Path) -> None:
        target = tmp_path / "plan.ics"
        target.write_bytes(b"old")
        target.chmod(0o600)
        write_all({target: b"new"})
        assert target.read_bytes() == b"new"
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
        assert [p.name for p in tmp_path.iterdir()] == ["plan.ics"]


def _run(*args: str) -> subprocess.CompletedProcess[bytes]:
    env = {
        **os.environ,
        "MAINTLIB_DISABLE_PLUGINS": "microsoft,network,linux,thirdparty,datacentre",
    }
    return subprocess.run(args, capture_output=True, env=env, timeout=120, check=False)


class _ClosedPipe(io.TextIOWrapper):
    """Standard output whose reader went away: every write raises BrokenPipeError."""

    def __init__(self) -> None:
        super().__init__(io.BytesIO())

    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


@pytest.mark.parametrize("output", [[], ["--json", "-"]])
def test_a_closed_pipe_ends_the_run_quietly(
    output: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Found: ``maintlib plan … | head -1`` printed "maintlib: Broken pipe: None"."""
    closed = _ClosedPipe()
    monkeypatch.setattr(closed.buffer, "write", closed.write)
    monkeypatch.setattr(sys, "stdout", closed)
    assert cli.main([*PLAN, *output]) == 1
    assert capsys.readouterr().err == ""


def test_maintlib_testing_imports_without_pytest() -> None:
    code = "import sys; sys.modules['pytest'] = None; import maintlib.testing; print('ok')"
    result = _run(sys.executable, "-c", code)
    assert result.stdout.strip() == b"ok", result.stderr


class TestPluginFaults:
    @pytest.mark.parametrize("fault", [SystemExit(0), SystemExit("bye")])
    def test_system_exit_is_contained(self, fault: BaseException) -> None:
        """Found: a hook raising SystemExit(0) made ``plan`` exit 0 without output."""

        class Pack:
            @hookimpl
            def maintlib_asset_kinds(self) -> list[AssetKind]:
                raise fault

        plugins = make_plugins({"quitter": Pack()})
        with pytest.raises(PluginError, match="plugin 'quitter' failed in maintlib_asset_kinds"):
            plugins.asset_kinds()

    def test_keyboard_interrupt_is_130_quietly(
        self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        def interrupted(*_: object, **__: object) -> None:
            raise KeyboardInterrupt

        monkeypatch.setattr(check_command, "load_catalog", interrupted)
        assert cli.main(["check", str(SMB)]) == 130
        err = capsys.readouterr().err
        assert "Traceback" not in err
        assert err == "maintlib: interrupted; nothing was written\n"

    @pytest.mark.parametrize("points", [float("nan"), float("inf")])
    def test_a_risk_contribution_must_be_finite(self, points: float) -> None:
        """Found: a NaN or infinite contribution silently made the asset P1."""
        with pytest.raises(ValueError, match="finite number of points"):
            RiskFactor("support", "x", points)

    def test_a_conflicting_kind_is_blamed_on_the_pack_that_came_second(self) -> None:
        """Found: a pack redefining a built-in kind got the conflict blamed on builtin."""

        class Pack:
            @hookimpl
            def maintlib_asset_kinds(self) -> list[AssetKind]:
                return [AssetKind("firewall", Category.NETWORK, "A different firewall")]

        from maintlib.packs.catalog import build_catalog

        with pytest.raises(PluginError) as error:
            build_catalog(make_plugins({"acme": Pack()}))
        assert error.value.plugin == "acme"
        assert "also defined, differently, by pack 'builtin'" in str(error.value)

    def test_a_misspelt_hook_gets_a_suggestion(self) -> None:
        def maintlib_asset_kind() -> list[AssetKind]:
            return []

        pack = ModuleType("typo")
        pack.maintlib_asset_kind = maintlib_asset_kind  # type: ignore[attr-defined]
        with pytest.raises(
            PluginError, match='maintlib_asset_kind: did you mean "maintlib_asset_kinds"'
        ):
            make_plugins({"typo": pack})


class TestDidYouMean:
    @pytest.mark.parametrize(
        ("asked", "hint"), [("fw1", "fw01"), ("FW01", "fw01"), ("Edge firewall", "fw01")]
    )
    def test_explain_suggests_an_asset(
        self, asked: str, hint: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert cli.main(["explain", str(SMB), asked]) == 2
        assert f'no asset "{asked}" — did you mean "{hint}"?' in capsys.readouterr().err

    def test_asset_for_assets(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        path = tmp_path / "inventory.toml"
        path.write_text(
            '[organisation]\nname = "x"\ntimezone = "UTC"\n\n'
            '[[asset]]\nid = "fw01"\nkind = "firewall"\n',
            encoding="utf-8",
        )
        assert cli.main(["check", str(path)]) == 2
        err = capsys.readouterr().err
        assert 'unknown section "asset" — did you mean "assets"? Write [[assets]]' in err


def test_make_demo_installs_the_runtime_dependencies_only() -> None:
    makefile = (Path(__file__).parent.parent / "Makefile").read_text(encoding="utf-8")
    runtime = makefile.split("$(RUNTIME_STAMP):", 1)[1].split("\n\n", 1)[0]
    assert "[test]" not in runtime
    assert "pip install --quiet -e . " in runtime
    assert "\ndemo: $(RUNTIME_STAMP)\n" in makefile
    assert "'.[test]'" in makefile.split("$(STAMP): $(RUNTIME_STAMP)", 1)[1].split("\n\n")[0]
