"""Exports of the plan's windows to AWS SSM, Azure Update Manager and AWX, each read
back by the target's own means where one installs: moto accepts the SSM calls,
the Azure template carries the resource schema's required fields, the AWX RRULEs
parse with dateutil and give the window's occurrences."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import boto3
import pytest
from dateutil.rrule import rrulestr
from hypothesis import given
from hypothesis import strategies as st
from moto import mock_aws
from tzlocal.windows_tz import tz_win

from maintlib import cli
from maintlib.loading.read import load
from maintlib.model.inventory import Inventory, Window
from maintlib.model.plan import Plan
from maintlib.outputs.exports.awx import to_awx
from maintlib.outputs.exports.azure import recur_every, to_azure
from maintlib.outputs.exports.ssm import TAG, apply_ssm, to_ssm
from maintlib.outputs.exports.windows import second_tuesday, shape_of
from maintlib.pipeline import plan as make_plan

EXAMPLES = sorted(Path(__file__).parent.parent.glob("examples/*/inventory.toml"))
START = dt.date(2027, 1, 1)
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@pytest.fixture(scope="module", params=EXAMPLES, ids=lambda p: p.parent.name)
def example(request: pytest.FixtureRequest) -> tuple[Plan, Inventory]:
    inventory = load(request.param)
    result = make_plan(
        inventory,
        start=START,
        months=3,
        reference_time=dt.datetime(2027, 1, 1, tzinfo=dt.UTC),
    )
    return result, inventory


def window(rrule: str, start: str = "22:00", hours: float = 4) -> Window:
    return Window(
        name="w",
        rrule=rrule,
        start=dt.time.fromisoformat(start),
        duration=dt.timedelta(hours=hours),
    )


# -- window shapes ----------------------------------------------------------------------

#: The Saturday after Patch Tuesday (PT is the 8th–14th, so PT+4 the 12th–18th).
SATURDAY_AFTER = "FREQ=MONTHLY;BYDAY=SA;BYMONTHDAY=12,13,14,15,16,17,18"
#: Ten days after Patch Tuesday: a Friday, the 18th–24th.
TEN_DAYS_AFTER = "FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=18,19,20,21,22,23,24"
#: The Sunday before Patch Tuesday: the 6th–12th.
SUNDAY_BEFORE = "FREQ=MONTHLY;BYDAY=SU;BYMONTHDAY=6,7,8,9,10,11,12"


@pytest.mark.parametrize(
    ("rrule", "kind", "detail"),
    [
        ("FREQ=DAILY", "daily", {"interval": 1}),
        ("FREQ=WEEKLY;BYDAY=SA,SU", "weekly", {"weekdays": (5, 6)}),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=SA", "weekly", {"interval": 2}),
        ("FREQ=MONTHLY;BYDAY=-1SU", "monthly", {"nth": -1, "weekday": 6}),
        ("FREQ=MONTHLY;BYDAY=2TU", "monthly", {"nth": 2, "weekday": 1}),
        ("FREQ=MONTHLY;BYDAY=TU;BYSETPOS=3", "monthly", {"nth": 3, "weekday": 1}),
        (SATURDAY_AFTER, "patch-tuesday", {"offset": 4}),
        (TEN_DAYS_AFTER, "patch-tuesday", {"offset": 10}),
        (SUNDAY_BEFORE, "patch-tuesday", {"offset": -2}),
        ("FREQ=MONTHLY;BYMONTHDAY=1,15", "other", {}),
    ],
)
def test_window_shapes(rrule: str, kind: str, detail: dict[str, Any]) -> None:
    shape = shape_of(window(rrule), AMSTERDAM, START)
    assert shape.kind == kind
    for name, value in detail.items():
        assert getattr(shape, name) == value


def test_second_tuesday() -> None:
    # Microsoft's 2027 Update Tuesdays: the second Tuesday of each month.
    assert [second_tuesday(2027, m).day for m in (1, 2, 3, 6, 12)] == [12, 9, 9, 8, 14]


@pytest.mark.parametrize(
    ("rrule", "cron", "offset", "azure"),
    [
        ("FREQ=WEEKLY;BYDAY=SA", "cron(0 22 ? * SAT *)", None, "Week Saturday"),
        ("FREQ=DAILY", "cron(0 22 * * ? *)", None, "Day"),
        ("FREQ=MONTHLY;BYDAY=-1SU", "cron(0 22 ? * SUNL *)", None, "Month Last Sunday"),
        ("FREQ=MONTHLY;BYDAY=2TU", "cron(0 22 ? * TUE#2 *)", None, "Month Second Tuesday"),
        (SATURDAY_AFTER, "cron(0 22 ? * TUE#2 *)", 4, "Month Second Tuesday Offset4"),
        (SUNDAY_BEFORE, None, None, "Month Second Tuesday Offset-2"),
        (TEN_DAYS_AFTER, None, None, None),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=SA", None, None, "2Weeks Saturday"),
    ],
)
def test_schedules_per_target(
    rrule: str, cron: str | None, offset: int | None, azure: str | None
) -> None:
    from maintlib.outputs.exports.ssm import _schedule

    shape = shape_of(window(rrule), AMSTERDAM, START)
    ssm = _schedule(shape)
    if cron is None:
        assert not isinstance(ssm, tuple)
        assert ssm.code in ("export-offset-range", "export-schedule-unexpressible")
    else:
        assert ssm == (cron, offset)
    found = recur_every(shape)
    if azure is None:
        assert not isinstance(found, str)
        assert found.code == "export-offset-range"
        assert "-6 to 6" in found.message
    else:
        assert found == azure


def monthly_inventory(tmp_path: Path, rrule: str) -> tuple[Plan, Inventory]:
    path = tmp_path / "inventory.toml"
    path.write_text(
        f"""
[organisation]
name = "Acme BV"
timezone = "Europe/Amsterdam"

[[windows]]
name = "patch-window"
rrule = "{rrule}"
start = "22:00"
duration = "PT4H30M"

[[assets]]
id = "srv01"
kind = "virtual_server"
product = "Windows Server 2022"
window = "patch-window"
""",
        encoding="utf-8",
    )
    inventory = load(path)
    result = make_plan(
        inventory, start=START, months=3, reference_time=dt.datetime(2027, 1, 1, tzinfo=dt.UTC)
    )
    return result, inventory


def test_an_offset_beyond_six_days_is_a_warning_naming_the_window(tmp_path: Path) -> None:
    result, inventory = monthly_inventory(tmp_path, TEN_DAYS_AFTER)
    for export in (to_ssm(result, inventory), to_azure(result, inventory)):
        codes = {(w.code, w.where) for w in export.warnings}
        assert ("export-offset-range", "window 'patch-window'") in codes
        assert "+10 days" in str(export.warnings[0]) or any(
            "+10 days" in str(w) for w in export.warnings
        )
    assert to_ssm(result, inventory).document["Resources"] == {}
    assert to_azure(result, inventory).document["resources"] == []
    schedules = to_awx(result, inventory).document["schedules"]
    assert len(schedules) == 1  # AWX takes any RRULE


def test_patch_tuesday_offset_in_ssm_and_azure(tmp_path: Path) -> None:
    result, inventory = monthly_inventory(tmp_path, SATURDAY_AFTER)
    ssm = to_ssm(result, inventory)
    (window_resource,) = [
        r for r in ssm.document["Resources"].values() if r["Type"] == "AWS::SSM::MaintenanceWindow"
    ]
    assert window_resource["Properties"]["ScheduleOffset"] == 4
    assert window_resource["Properties"]["Duration"] == 5
    assert [w.code for w in ssm.warnings] == ["export-duration-rounded"]
    (configuration,) = to_azure(result, inventory).document["resources"]
    assert configuration["properties"]["maintenanceWindow"]["recurEvery"] == (
        "Month Second Tuesday Offset4"
    )
    assert configuration["properties"]["maintenanceWindow"]["duration"] == "04:30"


# -- SSM through moto -------------------------------------------------------------------


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "eu-west-1",
    }.items():
        monkeypatch.setenv(name, value)


@pytest.mark.usefixtures("aws")
def test_moto_accepts_the_ssm_windows_of_the_examples(example: tuple[Plan, Inventory]) -> None:
    result, inventory = example
    export = to_ssm(result, inventory)
    resources = export.document["Resources"]
    with mock_aws():
        client = boto3.client("ssm", region_name="eu-west-1")
        created = apply_ssm(export, client)
        again = apply_ssm(export, client)  # replaced, not doubled
        windows = client.describe_maintenance_windows()["WindowIdentities"]
        assert sorted(w["Name"] for w in windows) == sorted(created) == sorted(again)
        for resource in resources.values():
            if resource["Type"] != "AWS::SSM::MaintenanceWindow":
                continue
            properties = resource["Properties"]
            found = client.get_maintenance_window(WindowId=again[properties["Name"]])
            assert found["Schedule"] == properties["Schedule"]
            assert found["ScheduleTimezone"] == properties["ScheduleTimezone"]
            assert found["Duration"] == properties["Duration"]
            targets = client.describe_maintenance_window_targets(
                WindowId=again[properties["Name"]]
            )["Targets"]
            tasks = client.describe_maintenance_window_tasks(WindowId=again[properties["Name"]])[
                "Tasks"
            ]
            assert targets
            assert len(tasks) == len(targets)
            assert all(t["Targets"][0]["Key"] == f"tag:{TAG}" for t in targets)
    shapes = {w.name: w for w in inventory.windows}
    placed = {t.window for t in result.tasks if t.window}
    assert {
        r["Properties"]["Name"] for r in resources.values() if "Schedule" in r["Properties"]
    } == {f"maintlib-{name}" for name in placed if name in shapes} - {
        f"maintlib-{w.where.split(chr(39))[1]}" for w in export.warnings if "left out" in w.message
    }


def test_ssm_rings_are_task_priorities_and_redundancy_is_one_at_a_time(
    example: tuple[Plan, Inventory],
) -> None:
    result, inventory = example
    for key, resource in to_ssm(result, inventory).document["Resources"].items():
        if resource["Type"] != "AWS::SSM::MaintenanceWindowTask":
            continue
        ring = int(re.search(r"Ring(\d)", key).group(1))  # type: ignore[union-attr]
        assert resource["Properties"]["Priority"] == ring
        target = to_ssm(result, inventory).document["Resources"][key.replace("Patch", "Targets")]
        assets = target["Properties"]["Targets"][0]["Values"]
        groups = [inventory.asset(a).redundancy_group for a in assets]
        shared = any(g and groups.count(g) > 1 for g in groups)
        assert resource["Properties"]["MaxConcurrency"] == ("1" if shared else "100%")


# -- Azure -------------------------------------------------------------------------------

#: recurEvery's grammar (MaintenanceWindow.recurEvery, REST API 2023-04-01).
RECUR = re.compile(
    r"(\d*Days?)"
    r"|(\d*Weeks?( (Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
    r"(,(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday))*)?)"
    r"|(\d*Months? (First|Second|Third|Fourth|Last)"
    r" (Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)( Offset-?[0-6])?)"
)


def test_the_azure_template_has_the_schemas_required_fields(
    example: tuple[Plan, Inventory],
) -> None:
    result, inventory = example
    document = json.loads(json.dumps(to_azure(result, inventory).document))
    assert document["$schema"].endswith("deploymentTemplate.json#")
    assert document["contentVersion"]
    assert document["resources"]
    for resource in document["resources"]:
        assert resource["type"] == "Microsoft.Maintenance/maintenanceConfigurations"
        for key in ("apiVersion", "name", "location", "properties"):
            assert resource[key]
        properties = resource["properties"]
        assert properties["maintenanceScope"] == "InGuestPatch"
        assert properties["extensionProperties"] == {"InGuestPatchMode": "User"}
        window = properties["maintenanceWindow"]
        assert RECUR.fullmatch(window["recurEvery"]), window["recurEvery"]
        assert re.fullmatch(r"\d{2}:\d{2}", window["duration"])
        dt.datetime.strptime(window["startDateTime"], "%Y-%m-%d %H:%M")
        assert window["timeZone"] in set(tz_win.values())
        assert properties["installPatches"]["rebootSetting"] in (
            "IfRequired",
            "Never",
            "Always",
        )
        name = resource["name"].removeprefix("maintlib-")
        assert document["outputs"][f"assets-{name}"]["value"]


# -- AWX ---------------------------------------------------------------------------------


def test_awx_rrules_parse_with_dateutil_and_hold_every_window_task(
    example: tuple[Plan, Inventory],
) -> None:
    result, inventory = example
    document = to_awx(result, inventory).document
    assert document["schedules"]
    # Late work may be placed after the horizon: the schedules must hold it too.
    last = max(t.occurrence for t in result.tasks if t.occurrence is not None)
    end = max(dt.datetime.combine(result.horizon.end, dt.time()), last.replace(tzinfo=None))
    end += dt.timedelta(days=1)
    for schedule in document["schedules"]:
        name = schedule["extra_data"]["maintlib_window"]
        head, _ = schedule["rrule"].split(" ")
        zone = ZoneInfo(head.split("TZID=")[1].split(":")[0])
        parsed = rrulestr(schedule["rrule"].replace(" ", "\n"))
        starts = {
            moment.replace(tzinfo=None)
            for moment in parsed.between(
                parsed._dtstart, end.replace(tzinfo=parsed._dtstart.tzinfo), inc=True
            )
        }
        occurrences = {
            t.occurrence.astimezone(zone).replace(tzinfo=None)
            for t in result.tasks
            if t.window == name
        }
        assert occurrences
        assert occurrences <= starts


def test_awx_inventory_groups_and_order(example: tuple[Plan, Inventory]) -> None:
    result, inventory = example
    document = to_awx(result, inventory).document["inventory"]
    hostvars = document["_meta"]["hostvars"]
    for name, group in document.items():
        if name in ("_meta", "all"):
            continue
        assert re.fullmatch(r"[A-Za-z0-9_]+", name)
        for host in group.get("hosts", []):
            assert host in hostvars
        for child in group.get("children", []):
            assert child in document
    for host, variables in hostvars.items():
        ring = inventory.asset(host).environment.ring
        assert variables["maintlib_ring"] == ring
        assert host in document[f"ring_{ring}"]["hosts"]
    # maintlib_order follows the plan: a host's first task in its window comes
    # no later than that of the next host in the same ring.
    first: dict[str, dt.datetime] = {}
    for task in result.tasks:
        for asset in task.assets:
            if task.window == hostvars.get(asset, {}).get("maintlib_window"):
                first[asset] = min(first.get(asset, task.start), task.start)
    by_window: dict[tuple[str, int], list[tuple[int, str]]] = {}
    for host, variables in hostvars.items():
        key = (variables["maintlib_window"], variables["maintlib_ring"])
        by_window.setdefault(key, []).append((variables["maintlib_order"], host))
    for hosts in by_window.values():
        ordered = [host for _, host in sorted(hosts)]
        assert [first[h] for h in ordered] == sorted(first[h] for h in ordered)


# -- the command -------------------------------------------------------------------------


def test_export_command_writes_json_and_prints_warnings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tech = next(p for p in EXAMPLES if p.parent.name == "tech")
    out = tmp_path / "azure.json"
    code = cli.main(["export", "azure", str(tech), "--start", "2027-01-01", "-o", str(out)])
    captured = capsys.readouterr()
    assert code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["resources"]
    assert "warning[export-rings-together] window 'weeknight'" in captured.out
    strict = cli.main(
        ["export", "azure", str(tech), "--start", "2027-01-01", "-o", str(out), "--strict"]
    )
    assert strict == 3
    capsys.readouterr()
    assert cli.main(["export", "awx", str(tech), "--start", "2027-01-01", "--apply"]) == 2
    assert "--apply is for ssm only" in capsys.readouterr().err


# -- a property: any fixed offset from Patch Tuesday ----------------------------------


@given(offset=st.integers(min_value=-7, max_value=14), hour=st.integers(0, 23))
def test_any_patch_tuesday_offset_is_found_and_kept_within_each_targets_range(
    offset: int, hour: int
) -> None:
    from maintlib.outputs.exports.ssm import _schedule

    days = ",".join(str(day) for day in range(8 + offset, 15 + offset))
    rule = f"FREQ=MONTHLY;BYDAY={('MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU')[(1 + offset) % 7]}"
    shape = shape_of(window(f"{rule};BYMONTHDAY={days}", f"{hour:02}:30"), AMSTERDAM, START)
    assert shape.kind == "patch-tuesday"
    assert shape.offset == offset
    azure = recur_every(shape)
    if offset == 0:
        assert azure == "Month Second Tuesday"
    elif -6 <= offset <= 6:
        assert azure == f"Month Second Tuesday Offset{offset}"
    else:
        assert not isinstance(azure, str)
    ssm = _schedule(shape)
    if 0 <= offset <= 6:
        assert ssm == (f"cron(30 {hour} ? * TUE#2 *)", offset or None)
    else:
        assert not isinstance(ssm, tuple)
        assert ssm.code == "export-offset-range"
