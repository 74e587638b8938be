"""Many tenants planned together: the same bytes as alone, failures isolated, the
shared team checked (issue 18)."""

from __future__ import annotations

import concurrent.futures
import csv
import datetime as dt
import io
import json
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

import maintlib
from maintlib import cli
from maintlib.tenants.overview import Occurrence, Tenant, TenantResult, shared_technicians
from maintlib.tenants.run import find_tenants, plan_many

EXAMPLES = Path(__file__).parent.parent / "examples"
START, MONTHS = dt.date(2027, 1, 1), 2


@pytest.fixture(scope="module")
def alone() -> dict[str, tuple[bytes, bytes]]:
    """Each example planned on its own, as ``maintlib plan`` plans it: (JSON, feed)."""
    found = {}
    for path in sorted(EXAMPLES.glob("*/inventory.toml")):
        inventory = maintlib.load(path)
        zone = inventory.organisation.timezone
        plan = maintlib.plan(
            inventory,
            start=START,
            months=MONTHS,
            reference_time=dt.datetime.combine(START, dt.time(), tzinfo=zone),
        )
        found[path.parent.name] = (plan.dumps(), maintlib.to_ics(plan))
    return found


def _bytes(results: tuple[TenantResult, ...]) -> dict[str, tuple[bytes, bytes]]:
    return {result.tenant.name: (result.plan_json, result.feed) for result in results}


class TestSameBytesAsAlone:
    def test_in_this_process(self, alone: dict[str, tuple[bytes, bytes]]) -> None:
        overview = plan_many([EXAMPLES], start=START, months=MONTHS, workers=1)
        assert _bytes(overview.results) == alone

    def test_in_a_process_pool(self, alone: dict[str, tuple[bytes, bytes]]) -> None:
        with concurrent.futures.ProcessPoolExecutor(max_workers=2) as pool:
            overview = plan_many([EXAMPLES], start=START, months=MONTHS, executor=pool)
        assert _bytes(overview.results) == alone
        assert [result.tenant.name for result in overview.results] == sorted(alone)

    def test_on_a_dask_local_cluster(self, alone: dict[str, tuple[bytes, bytes]]) -> None:
        distributed = pytest.importorskip("distributed")
        with (
            distributed.LocalCluster(
                n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
            ) as cluster,
            distributed.Client(cluster) as client,
        ):
            overview = plan_many(
                [EXAMPLES], start=START, months=MONTHS, executor=client.get_executor()
            )
        assert _bytes(overview.results) == alone


def _bad(folder: Path, name: str, text: str) -> Path:
    (folder / name).mkdir(parents=True)
    path = folder / name / "inventory.toml"
    path.write_text(text, encoding="utf-8")
    return path


class TestFailureIsolation:
    def test_a_bad_tenant_gets_its_located_error_and_the_others_complete(
        self, tmp_path: Path
    ) -> None:
        broken = _bad(tmp_path, "broken", '[organisation]\nname = "B"\ntimezone = "Mars/Base"\n')
        syntax = _bad(tmp_path, "syntax", "[organisation\n")
        overview = plan_many(
            [EXAMPLES / "smb-cloud", broken, syntax], start=START, months=MONTHS, workers=2
        )
        by_name = {result.tenant.name: result for result in overview.results}
        assert by_name["smb-cloud"].ok
        assert by_name["smb-cloud"].plan_json
        assert by_name["broken"].problems == (
            f'{broken}: organisation.timezone: unknown time zone "Mars/Base"',
        )
        assert (
            by_name["syntax"].problems[0].startswith(f"{syntax}: line 1, column 14: invalid TOML")
        )
        assert [result.tenant.name for result in overview.failed] == ["broken", "syntax"]
        document = json.loads(overview.dumps())
        assert document["failed"] == ["broken", "syntax"]
        failed = {t["name"]: t for t in document["tenants"] if t["status"] == "failed"}
        assert failed["broken"]["problems"] == list(by_name["broken"].problems)


def _result(name: str, *occurrences: tuple[str, str, float, str | None]) -> TenantResult:
    return TenantResult(
        tenant=Tenant(name, f"{name}/inventory.toml"),
        occurrences=tuple(
            Occurrence(window, start, int(hours * 3600), None if cap is None else Decimal(cap))
            for window, start, hours, cap in occurrences
        ),
    )


class TestSharedTechnicians:
    """Worked out by hand: two tenants share the night team of 6 hours."""

    NIGHT_1 = "2027-01-02T21:00:00+00:00"
    NIGHT_2 = "2027-01-09T21:00:00+00:00"

    def results(self) -> list[TenantResult]:
        return [
            # a: 3 h in night 1, 2 h in night 2; its inventory says the team has 6 h.
            _result("a", ("night", self.NIGHT_1, 3, "6"), ("night", self.NIGHT_2, 2, "6")),
            # b: 4 h in night 1 (3 + 4 = 7 > 6), 4 h in night 2 (2 + 4 = 6: fits);
            # its inventory says 4 h, the larger 6 is the team's.
            _result("b", ("night", self.NIGHT_1, 4, "4"), ("night", self.NIGHT_2, 4, "4")),
            # c: 5 h in a window nobody limits: not checked.
            _result("c", ("day", self.NIGHT_1, 5, None)),
        ]

    def test_only_the_occurrence_over_the_team_capacity_is_flagged(self) -> None:
        capacity, overbooked = shared_technicians(self.results())
        assert capacity == {"night": Decimal(6)}
        assert len(overbooked) == 1
        item = overbooked[0]
        assert (item.window, item.start) == ("night", self.NIGHT_1)
        assert item.hours == Decimal("7.00")
        assert item.capacity_hours == Decimal(6)
        assert item.tenants == {"a": Decimal("3.00"), "b": Decimal("4.00")}

    def test_the_team_capacity_given_wins(self) -> None:
        _, overbooked = shared_technicians(self.results(), {"night": Decimal(5), "day": Decimal(4)})
        assert [(item.window, item.start, item.hours) for item in overbooked] == [
            ("day", self.NIGHT_1, Decimal("5.00")),
            ("night", self.NIGHT_1, Decimal("7.00")),
            ("night", self.NIGHT_2, Decimal("6.00")),
        ]

    def test_occurrences_match_by_window_name_and_instant(self) -> None:
        other_start = "2027-01-02T22:00:00+00:00"
        results = [
            _result("a", ("night", self.NIGHT_1, 4, "6")),
            _result("b", ("night", other_start, 4, "6"), ("late-night", self.NIGHT_1, 4, "6")),
        ]
        assert shared_technicians(results)[1] == ()

    def test_failed_tenants_are_left_out(self) -> None:
        failed = TenantResult(tenant=Tenant("x", "x.toml"), problems=("x.toml: broken",))
        assert shared_technicians([failed]) == ({}, ())

    def test_two_inventories_planned_into_the_same_night(self, tmp_path: Path) -> None:
        """Each tenant fills its own 2-hour window on the first Saturday (9 firewalls
        of 20 minutes' hands-on work each: 2 hours, then 1 hour the week after); the
        shared team has 2 hours, so the first night is 4 hours of work, the second
        2 hours (fits)."""
        firewalls = "".join(
            f'\n[[assets]]\nid = "fw{i}"\nkind = "firewall"\nwindow = "night"\n'
            for i in range(1, 10)
        )
        for name in ("north", "south"):
            _bad(
                tmp_path,
                name,
                f"""
[organisation]
name = "{name}"
timezone = "Europe/Amsterdam"

[[windows]]
name = "night"
rrule = "FREQ=WEEKLY;BYDAY=SA"
start = "22:00"
duration = "PT4H"
capacity_hours = 2
{firewalls}""",
            )
        overview = plan_many([tmp_path], start=START, months=1, workers=1)
        assert not overview.failed
        first, second = "2027-01-02T21:00:00+00:00", "2027-01-09T21:00:00+00:00"
        for result in overview.results:
            assert [(o.window, o.start, o.seconds) for o in result.occurrences] == [
                ("night", first, 7200),
                ("night", second, 3600),
            ]
        assert [item.to_json() for item in overview.overbooked] == [
            {
                "window": "night",
                "start": first,
                "hours": "4.00",
                "capacity_hours": "2",
                "tenants": {"north": "2.00", "south": "2.00"},
            }
        ]


class TestFindTenants:
    def test_folders_files_and_patterns(self, tmp_path: Path) -> None:
        for name in ("acme", "beta"):
            _bad(tmp_path / "customers", name, "")
        (tmp_path / "other").mkdir()
        single = tmp_path / "other" / "gamma.toml"
        single.write_text("")
        tenants = find_tenants([tmp_path / "customers", single, str(tmp_path / "customers" / "a*")])
        assert [(t.name, Path(t.inventory).name) for t in tenants] == [
            ("acme", "inventory.toml"),
            ("beta", "inventory.toml"),
            ("gamma", "gamma.toml"),
        ]

    def test_the_same_name_twice_gets_a_number(self, tmp_path: Path) -> None:
        _bad(tmp_path / "one", "acme", "")
        _bad(tmp_path / "two", "acme", "")
        names = [t.name for t in find_tenants([tmp_path / "one", tmp_path / "two"])]
        assert names == ["acme", "acme-2"]

    def test_a_source_naming_nothing_is_an_input_error(self, tmp_path: Path) -> None:
        with pytest.raises(maintlib.InputError) as error:
            find_tenants([tmp_path / "missing", str(tmp_path / "*.toml"), tmp_path])
        assert len(error.value.problems) == 3


class TestCommandLine:
    def test_outputs_overview_and_exit_code(
        self,
        tmp_path: Path,
        alone: dict[str, tuple[bytes, bytes]],
        capsys: pytest.CaptureFixture[str],
    ) -> None:
        sources = tmp_path / "tenants"
        shutil.copytree(EXAMPLES, sources)
        _bad(sources, "zz-broken", "[organisation]\n")
        out = tmp_path / "out"
        code = cli.main(
            [
                *("plan-many", str(sources), "--start", "2027-01-01", "--months", str(MONTHS)),
                *("--out", str(out), "--workers", "2"),
            ]
        )
        captured = capsys.readouterr()
        assert code == 4
        assert captured.err == ""  # no progress bar off a terminal
        for name, (plan_json, feed) in alone.items():
            assert (out / name / "plan.json").read_bytes() == plan_json
            assert (out / name / "plan.ics").read_bytes() == feed
        assert not (out / "zz-broken").exists()
        document = json.loads((out / "overview.json").read_text(encoding="utf-8"))
        assert document["format"] == "maintlib.overview/1"
        assert document["failed"] == ["zz-broken"]
        rows = list(csv.DictReader(io.StringIO((out / "overview.csv").read_text("utf-8"))))
        tenants = [t for t in document["tenants"] if t["status"] == "planned"]
        assert len(rows) == sum(len(t["months"]) for t in tenants)
        first = tenants[0]["months"][0]
        assert rows[0]["hours"] == first["hours"]
        assert rows[0]["cost_low"] == first["cost"]["low"]
        markdown = (out / "overview.md").read_text(encoding="utf-8")
        assert "## Failed tenants" in markdown
        assert "zz-broken" in markdown
        assert f"failed: zz-broken\n  {document['tenants'][-1]['problems'][0]}\n" in captured.out

    def test_all_planned_exits_0_and_a_source_naming_nothing_exits_2(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        arguments = ["--start", "2027-01-01", "--months", "1", "--out", str(tmp_path / "o")]
        assert cli.main(["plan-many", str(EXAMPLES / "smb-cloud"), *arguments, "--no-ics"]) == 0
        assert (tmp_path / "o" / "smb-cloud" / "plan.json").exists()
        assert not (tmp_path / "o" / "smb-cloud" / "plan.ics").exists()
        assert cli.main(["plan-many", str(tmp_path / "none"), *arguments]) == 2
        assert "no such folder or file" in capsys.readouterr().err


def test_the_documentations_example_runs(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    page = (EXAMPLES.parent / "docs" / "tenants.md").read_text(encoding="utf-8")
    (code,) = re.findall(r"```python\n(.*?)```", page, flags=re.DOTALL)
    monkeypatch.chdir(EXAMPLES.parent)
    exec(compile(code, "docs/tenants.md", "exec"), {})
    printed = capsys.readouterr().out.splitlines()
    names = ("accounting", "engineering", "production", "smb-cloud", "tech")
    assert printed[: len(names)] == [f"{name} planned" for name in names]
    assert printed[len(names)].endswith("window occurrences exceed the team's capacity")
