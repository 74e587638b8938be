"""The command line: outputs, exit codes, and nothing half-written on bad input."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

import maintlib
from maintlib import cli, hookimpl
from maintlib.cli import common
from maintlib.testing import make_plugins

EXAMPLES = Path(__file__).parent.parent / "examples"
SMB = EXAMPLES / "smb-cloud" / "inventory.toml"
PRODUCTION = EXAMPLES / "production" / "inventory.toml"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(autouse=True)
def _only_builtin(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI sees the built-in pack only, whatever else is installed."""
    monkeypatch.setenv("MAINTLIB_DISABLE_PLUGINS", "microsoft,network,linux,thirdparty,datacentre")


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        cli.main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out.strip() == f"maintlib {maintlib.__version__}"


class TestCheck:
    def test_a_good_inventory_is_summarised(self, capsys: pytest.CaptureFixture[str]) -> None:
        code, out, err = run(capsys, "check", str(PRODUCTION))
        assert code == 0
        assert err == ""
        assert "OK — Metaalbewerking Van Dijk B.V." in out
        assert "    workstation: 20\n" in out
        assert "  windows: 3\n" in out

    def test_bad_input_exits_2_with_every_problem_and_no_traceback(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        bad = tmp_path / "bad.toml"
        bad.write_text(
            '[organisation]\nname = "x"\ntimezone = "Mars/Olympus"\n\n'
            '[[assets]]\nid = "fw01"\nkind = "firewal"\n',
            encoding="utf-8",
        )
        code, out, err = run(capsys, "check", str(bad))
        assert code == 2
        assert out == ""
        assert f'{bad}: organisation.timezone: unknown time zone "Mars/Olympus"' in err
        assert (
            f'{bad}: assets[0] (id "fw01").kind: unknown asset kind "firewal" — did you mean "firewall"?'
            in err
        )
        assert "Traceback" not in err
        assert err.rstrip().endswith("2 problems found; nothing was written.")

    def test_a_missing_file_is_bad_input(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        code, _, err = run(capsys, "check", str(tmp_path / "nope.toml"))
        assert code == 2
        assert "nope.toml: cannot read: No such file or directory" in err


class TestPlan:
    def test_plan_writes_deterministic_json_and_a_report(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        first, second, report = tmp_path / "a.json", tmp_path / "b.json", tmp_path / "r.md"
        args = ["plan", str(SMB), "--start", "2027-01-01", "--months", "3"]
        code, out, _ = run(capsys, *args, "--json", str(first), "--report", str(report))
        assert code == 0
        assert "tasks per month:" in out
        assert run(capsys, *args, "--json", str(second))[0] == 0
        assert first.read_bytes() == second.read_bytes()
        document = json.loads(first.read_text(encoding="utf-8"))
        assert document["format"] == "maintlib.plan/3"
        assert document["generated_at"] == "2027-01-01T00:00:00+01:00"
        assert document["summary"]["tasks"] == len(document["tasks"])
        # The short Markdown report, in the organisation's language (a Dutch bakery).
        assert report.read_text(encoding="utf-8").startswith(
            "# Onderhoudsplan — Bakkerij De Korenaar"
        )

    def test_reference_time_is_recorded(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        target = tmp_path / "p.json"
        args = ["plan", str(SMB), "--start", "2027-01-01", "--months", "1", "--json", str(target)]
        assert run(capsys, *args, "--reference-time", "2026-12-01T09:30:00Z")[0] == 0
        assert json.loads(target.read_text())["generated_at"] == "2026-12-01T09:30:00+00:00"

    def test_bad_input_writes_nothing(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        folder = tmp_path / "inv"
        shutil.copytree(EXAMPLES / "smb-cloud", folder)
        inventory = folder / "inventory.toml"
        inventory.write_text(inventory.read_text().replace('kind = "firewall"', 'kind = "firewal"'))
        target = tmp_path / "plan.json"
        target.write_text("previous plan")
        code, _, err = run(
            capsys, "plan", str(inventory), "--start", "2027-01-01", "--json", str(target)
        )
        assert code == 2
        assert 'unknown asset kind "firewal"' in err
        assert target.read_text() == "previous plan"
        assert list(tmp_path.glob(".plan.json.*")) == []

    @pytest.mark.parametrize(
        ("option", "value", "message"),
        [
            ("--start", "2027-13-01", "is not a date"),
            ("--months", "0", "is not a number of months"),
            ("--reference-time", "2026-12-01T09:00", "is not a date-time with offset"),
        ],
    )
    def test_bad_options_exit_2(
        self, capsys: pytest.CaptureFixture[str], option: str, value: str, message: str
    ) -> None:
        args = ["plan", str(SMB), "--start", "2027-01-01", option, value]
        with pytest.raises(SystemExit) as stop:
            cli.main(args)
        assert stop.value.code == 2
        assert message in capsys.readouterr().err


class TestExplainAndPlugins:
    def test_explain_shows_risk_and_duties(self, capsys: pytest.CaptureFixture[str]) -> None:
        code, out, _ = run(capsys, "explain", str(PRODUCTION), "hv01")
        assert code == 0
        assert out.startswith("hv01 (hypervisor) — Hyper-V host")
        assert "rule builtin/hypervisor-security-updates" in out

    def test_explain_json(self, capsys: pytest.CaptureFixture[str]) -> None:
        code, out, _ = run(capsys, "explain", str(PRODUCTION), "fw01", "--json")
        data = json.loads(out)
        assert code == 0
        assert set(data) >= {"asset", "risk", "duties"}
        assert set(data["risk"]) == {"score", "tier", "factors"}
        assert set(data["duties"][0]) >= {
            "activity",
            "update_class",
            "cadence",
            "deadline_days",
            "duration",
            "mode",
            "source",
            "overrides",
        }

    def test_explain_an_unknown_asset(self, capsys: pytest.CaptureFixture[str]) -> None:
        code, _, err = run(capsys, "explain", str(PRODUCTION), "hv1")
        assert code == 2
        assert 'no asset "hv1" — did you mean "hv01"?' in err

    def test_plugins_json(self, capsys: pytest.CaptureFixture[str]) -> None:
        code, out, _ = run(capsys, "--no-plugins", "plugins", "--json")
        packs = json.loads(out)
        assert code == 0
        assert [p["name"] for p in packs] == ["builtin"]
        assert set(packs[0]) == {"name", "version", "hooks", "rules"}
        assert packs[0]["rules"] > 20

    def test_a_failing_pack_is_named_and_exits_1(
        self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        def broken() -> list[object]:
            raise KeyError("region")

        plugins = make_plugins({"flaky": SimpleNamespace(maintlib_rules=hookimpl(broken))})
        monkeypatch.setattr(common, "load_plugins", lambda **_: plugins)
        code, _, err = run(capsys, "check", str(SMB))
        assert code == 1
        assert "plugin 'flaky' failed in maintlib_rules: KeyError: 'region'" in err
        assert "MAINTLIB_DISABLE_PLUGINS=flaky" in err


class TestCost:
    def test_quote_json(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        target = tmp_path / "quote.json"
        code, out, _ = run(
            capsys,
            "cost",
            "--profile",
            "production",
            "--users",
            "25",
            "--servers",
            "4",
            "--json",
            str(target),
        )
        assert code == 0
        # Backup management on working days (issue 13): was 2,639.20–3,913.33.
        assert "2,577.64–3,609.17" in out
        document = json.loads(target.read_text())
        assert document["monthly"] == {"low": "2577.64", "high": "3609.17"}

    def test_unknown_profile(self, capsys: pytest.CaptureFixture[str]) -> None:
        code, _, err = run(capsys, "cost", "--profile", "prod", "--users", "3")
        assert code == 2
        assert 'unknown profile "prod"' in err

    def test_month_by_month_table(self, capsys: pytest.CaptureFixture[str]) -> None:
        code, out, _ = run(capsys, "cost", str(SMB), "--start", "2027-01-01", "--months", "2")
        assert code == 0
        lines = out.splitlines()
        assert lines[0] == "profile smb-cloud, amounts in EUR"
        assert lines[3].startswith("2027-01-01")
        assert lines[4].startswith("2027-02-01")
        assert lines[6].startswith("total")


def test_outputs_get_the_usual_file_mode(tmp_path: Path) -> None:
    import os

    from maintlib._util.files import write_all

    fresh, existing = tmp_path / "fresh.ics", tmp_path / "existing.ics"
    existing.write_bytes(b"old")
    existing.chmod(0o640)
    write_all({fresh: b"new", existing: b"new"})
    umask = os.umask(0)
    os.umask(umask)
    assert fresh.stat().st_mode & 0o777 == 0o666 & ~umask
    assert existing.stat().st_mode & 0o777 == 0o640
    assert existing.read_bytes() == b"new"


def test_outputs_made_in_pieces_are_written_all_or_nothing(tmp_path: Path) -> None:
    from collections.abc import Iterator

    from maintlib._util.files import write_all

    first, second = tmp_path / "plan.json", tmp_path / "feed.ics"
    first.write_bytes(b"old plan")

    def pieces() -> Iterator[bytes]:
        yield b"new "
        yield b"feed"

    def broken() -> Iterator[bytes]:
        yield b"half a feed"
        raise RuntimeError("the feed could not be made")

    with pytest.raises(RuntimeError, match="could not be made"):
        write_all({first: b"new plan", second: broken})
    # The plan's temporary file was complete, but nothing replaces a target until
    # every output is: both are as they were, and no temporary file is left.
    assert first.read_bytes() == b"old plan"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.json"]
    write_all({first: b"new plan", second: pieces})
    assert (first.read_bytes(), second.read_bytes()) == (b"new plan", b"new feed")


class TestConventions:
    """Issue 29: one JSON convention, types from extensions, diff's exit status,
    global -q/-v, help on every option."""

    def test_json_file_or_dash_on_every_command(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        target = tmp_path / "check.json"
        code, out, err = run(capsys, "check", str(SMB), "--json", str(target))
        assert code == 0, err
        assert json.loads(target.read_text(encoding="utf-8"))["windows"] >= 0
        assert f"wrote {target}" in out
        code, out, err = run(capsys, "plugins", "--json", "-")
        assert code == 0
        assert json.loads(out)[0]["name"] == "builtin"
        assert "deprecated" not in err

    @pytest.mark.parametrize(
        "words",
        [
            ["check", str(SMB), "--json"],
            ["check", "--json", str(SMB)],
            ["plugins", "--json"],
        ],
    )
    def test_the_old_bare_json_still_prints_with_a_note(
        self, capsys: pytest.CaptureFixture[str], words: list[str]
    ) -> None:
        code, out, err = run(capsys, *words)
        assert code == 0, err
        json.loads(out)
        assert "--json without FILE is deprecated" in err

    def test_diff_exits_1_when_the_plans_differ_and_takes_the_old_json_form(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        one, two = tmp_path / "one.json", tmp_path / "two.json"
        for path, months in ((one, "1"), (two, "2")):
            args = ["plan", str(SMB), "--start", "2027-01-01", "--months", months]
            assert run(capsys, *args, "--json", str(path))[0] == 0
        assert run(capsys, "diff", str(one), str(one))[0] == 0
        code, out, _ = run(capsys, "diff", str(one), str(two))
        assert code == 1
        assert out
        code, out, err = run(capsys, "diff", "--json", str(one), str(two))
        assert code == 1
        assert "added" in json.loads(out)
        assert "deprecated" in err

    @pytest.mark.parametrize(
        ("option", "name", "message"),
        [
            ("--json", "plan.txt", "write .json, or - for standard output"),
            ("--ics", "feed.txt", "write .ics, or -"),
            ("--report", "r.pdf", "write .csv or .htm or .html or .md, or -"),
        ],
    )
    def test_an_output_type_the_extension_does_not_say_is_an_error(
        self,
        tmp_path: Path,
        capsys: pytest.CaptureFixture[str],
        option: str,
        name: str,
        message: str,
    ) -> None:
        with pytest.raises(SystemExit) as stop:
            cli.main(["plan", str(SMB), "--start", "2027-01-01", option, str(tmp_path / name)])
        assert stop.value.code == 2
        assert message in capsys.readouterr().err
        assert list(tmp_path.iterdir()) == []

    def test_the_report_format_follows_the_extension(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        html, md = tmp_path / "r.html", tmp_path / "r2.md"
        code, _, err = run(capsys, "plan", str(SMB), "--start", "2027-01-01", "--report", str(html))
        assert code == 0, err
        assert html.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")
        code, _, err = run(capsys, "report", str(SMB), "--start", "2027-01-01", "--out", str(md))
        assert code == 0, err
        assert md.read_text(encoding="utf-8").startswith("#")
        code, _, err = run(
            capsys,
            "report",
            str(SMB),
            "--start",
            "2027-01-01",
            "--format",
            "html",
            "--out",
            str(md),
        )
        assert code == 2
        assert "--format: html does not match" in err

    def test_quiet_and_verbose(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        target = tmp_path / "plan.json"
        args = ["plan", str(SMB), "--start", "2027-01-01", "--json", str(target)]
        code, out, err = run(capsys, "-q", *args)
        assert (code, out, err) == (0, "", "")
        assert target.exists()
        code, out, err = run(capsys, "-q", "plan", str(SMB), "--start", "2027-01-01", "--json", "-")
        assert code == 0
        assert json.loads(out)["format"].startswith("maintlib.plan/")
        assert err == ""
        code, out, err = run(capsys, "-v", "check", str(SMB))
        assert code == 0
        assert "maintlib: rule packs: builtin" in err
        assert f"maintlib: read {SMB}:" in err

    def test_every_option_has_help(self) -> None:
        import argparse

        from maintlib.cli.app import build_parser

        missing = []

        def walk(parser: argparse.ArgumentParser, path: str) -> None:
            for action in parser._actions:
                if isinstance(action, argparse._SubParsersAction):
                    for name, sub in action.choices.items():
                        walk(sub, f"{path} {name}")
                elif not action.help and not isinstance(action, argparse._HelpAction):
                    missing.append(f"{path} {'/'.join(action.option_strings) or action.dest}")

        walk(build_parser(), "maintlib")
        assert missing == []

    def test_shell_completion_is_a_valid_script_that_knows_the_options(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        import subprocess

        code, out, _ = run(capsys, "completion", "bash")
        assert code == 0
        assert "--json" in out
        assert "plan" in out
        assert "--ics-mode" in out
        script = tmp_path / "maintlib.bash"
        script.write_text(out, encoding="utf-8")
        if shutil.which("bash"):
            assert subprocess.run(["bash", "-n", str(script)], check=False).returncode == 0
