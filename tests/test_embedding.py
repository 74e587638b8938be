"""The library as a service embeds it: the public API, what-if helpers, plan diff,
and the tested example of ``docs/embedding.md``."""

from __future__ import annotations

import datetime as dt
import inspect
import json
import re
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import maintlib
from maintlib import Asset, Blackout, InputError, Inventory, Window, cli
from maintlib.model.inventory import Organisation
from maintlib.outputs.diff import Slot, plan_diff
from maintlib.testing import make_plugins

ROOT = Path(__file__).parent.parent
DOCS = ROOT / "docs"
CATALOG = maintlib.build_catalog(make_plugins())
HORIZON = {
    "start": dt.date(2027, 1, 1),
    "months": 2,
    "reference_time": dt.datetime(2026, 12, 1, tzinfo=dt.UTC),
    "plugins": CATALOG,
}
NIGHTS = Window(
    "nights", "FREQ=WEEKLY;BYDAY=SA", dt.time(22), dt.timedelta(hours=6), applies_to=("switch",)
)
BASE = Inventory(
    Organisation("Acme", "Europe/Amsterdam"),
    windows=(NIGHTS,),
    assets=[Asset("fw01", "firewall", window="nights"), Asset("sw01", "switch")],
)


class TestPublicApi:
    def test_all_is_sorted_and_importable(self) -> None:
        names = maintlib.__all__
        assert names == sorted(names, key=lambda n: (not n[0].isupper(), n))
        assert len(set(names)) == len(names)
        for name in names:
            assert hasattr(maintlib, name), name

    def test_every_exported_name_is_in_the_api_reference(self) -> None:
        reference = (DOCS / "api.md").read_text(encoding="utf-8")
        documented = set(re.findall(r"^### `(\w+)`$", reference, flags=re.MULTILINE))
        assert sorted(set(maintlib.__all__) - documented) == []
        assert sorted(documented - set(maintlib.__all__)) == []

    def test_the_types_a_caller_needs(self) -> None:
        """Found: Window was not exported."""
        for name in ("Window", "Blackout", "Organisation", "PlanningSettings", "Criticality"):
            assert name in maintlib.__all__

    def test_public_functions_document_what_they_raise(self) -> None:
        for name in maintlib.__all__:
            value = getattr(maintlib, name)
            if inspect.isfunction(value) and name not in ("hookimpl",):
                assert "Raises:" in (value.__doc__ or ""), name


class TestWhatIf:
    def test_added_replaced_removed_return_new_values(self) -> None:
        added = maintlib.with_added(BASE, Asset("ap01", "access_point"))
        assert [a.id for a in added.assets] == ["ap01", "fw01", "sw01"]
        assert [a.id for a in BASE.assets] == ["fw01", "sw01"]
        replaced = maintlib.with_replaced(added, Asset("ap01", "access_point", criticality="high"))
        assert replaced.asset("ap01").criticality is maintlib.Criticality.HIGH
        removed = maintlib.without(replaced, assets=["ap01"], windows=["nights"])
        assert [a.id for a in removed.assets] == ["fw01", "sw01"]
        assert removed.windows == ()
        blackout = Blackout("freeze", dt.date(2027, 1, 10), dt.date(2027, 1, 20))
        assert maintlib.with_added(BASE, blackout).blackouts == (blackout,)

    def test_mistakes_are_input_errors_with_hints(self) -> None:
        with pytest.raises(InputError, match='id "fw01" is taken; use with_replaced'):
            maintlib.with_added(BASE, Asset("fw01", "firewall"))
        with pytest.raises(InputError, match='no asset id "fw1" — did you mean "fw01"'):
            maintlib.with_replaced(BASE, Asset("fw1", "firewall"))
        with pytest.raises(InputError, match='no window name "night" — did you mean "nights"'):
            maintlib.without(BASE, windows=["night"])
        with pytest.raises(TypeError, match="expected an Asset, a Window or a Blackout"):
            maintlib.with_added(BASE, "fw02")  # type: ignore[arg-type]

    def test_removing_a_dependency_is_found_when_planning(self) -> None:
        inventory = maintlib.with_added(BASE, Asset("vm01", "virtual_server", depends_on=("sw01",)))
        with pytest.raises(InputError, match=r'assets\[1\] \(id "vm01"\).depends_on'):
            maintlib.plan(maintlib.without(inventory, assets=["sw01"]), **HORIZON)


@pytest.fixture(scope="module")
def plans() -> tuple[maintlib.Plan, maintlib.Plan]:
    """A plan, and the plan after a critical switch was added."""
    before = maintlib.plan(BASE, **HORIZON)
    bigger = maintlib.with_added(BASE, Asset("sw02", "switch", criticality="critical"))
    return before, maintlib.plan(bigger, **HORIZON)


class TestPlanDiff:
    def test_a_plan_against_itself_is_empty(self, plans: tuple[maintlib.Plan, ...]) -> None:
        before, _ = plans
        diff = plan_diff(before, before)
        assert not diff
        assert diff.cost_delta in (None, (0, 0))

    def test_an_added_asset(self, plans: tuple[maintlib.Plan, maintlib.Plan]) -> None:
        before, after = plans
        diff = plan_diff(before, after)
        assert diff.added
        # sw02's own work, or fleet work it now shares with sw01 (one task for both
        # switches' configuration backups): every added task covers sw02 ...
        tasks = after.tasks_by_uid()
        assert all("sw02" in tasks[uid].assets for uid, _ in diff.added)
        # ... and no due of the old plan is lost: a removed task's dues are covered.
        covered = {due for task in after.tasks for due in task.dues}
        removed = before.tasks_by_uid()
        assert all(set(removed[uid].dues) <= covered for uid, _ in diff.removed)
        old = {t.uid: Slot(t.start.isoformat(), t.end.isoformat(), t.window) for t in before.tasks}
        new = {t.uid: Slot(t.start.isoformat(), t.end.isoformat(), t.window) for t in after.tasks}
        assert diff.apply(old) == new

    def test_plans_and_their_json_compare_the_same(
        self, plans: tuple[maintlib.Plan, maintlib.Plan]
    ) -> None:
        before, after = plans
        as_json = plan_diff(json.loads(before.dumps()), json.loads(after.dumps()))
        assert as_json == plan_diff(before, after)

    def test_format_2_and_unknown_fields_are_read(
        self, plans: tuple[maintlib.Plan, maintlib.Plan]
    ) -> None:
        before, after = (json.loads(p.dumps()) for p in plans)
        after["format"] = "maintlib.plan/2"
        for task in after["tasks"]:
            task["assignee"] = "future field"
        assert plan_diff(before, after) == plan_diff(*plans)

    def test_the_command_line(
        self,
        plans: tuple[maintlib.Plan, maintlib.Plan],
        tmp_path: Path,
        capsys: pytest.CaptureFixture[str],
    ) -> None:
        old, new = tmp_path / "old.json", tmp_path / "new.json"
        old.write_bytes(plans[0].dumps())
        new.write_bytes(plans[1].dumps())
        assert cli.main(["diff", str(old), str(new), "--json", "-"]) == 1  # they differ
        document = json.loads(capsys.readouterr().out)
        assert len(document["added"]) == len(plan_diff(*plans).added)
        assert cli.main(["diff", str(old), str(new)]) == 1
        diff = plan_diff(*plans)
        assert f"{len(diff.added)} added, {len(diff.removed)} removed" in capsys.readouterr().out

    def test_not_a_plan(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        bad = tmp_path / "bad.json"
        bad.write_text('{"format": "maintlib.plan/9", "tasks": []}', encoding="utf-8")
        assert cli.main(["diff", str(bad), str(bad)]) == 2
        err = capsys.readouterr().err
        assert "format: maintlib.plan/9 is not a plan format" in err


SLOTS = st.builds(
    Slot,
    st.sampled_from(["2027-01-02T22:00:00+01:00", "2027-01-09T22:00:00+01:00"]),
    st.sampled_from(["2027-01-03T02:00:00+01:00", "2027-01-10T02:00:00+01:00"]),
    st.none() | st.sampled_from(["nights", "days"]),
)
TASKS = st.dictionaries(st.sampled_from([f"a{n}.x.2027" for n in range(8)]), SLOTS, max_size=8)


def _document(tasks: dict[str, Slot], unplaced: list[str]) -> dict[str, object]:
    return {
        "format": "maintlib.plan/1",
        "tasks": [{"uid": uid, **attrs.asdict(slot)} for uid, slot in tasks.items()],
        "unplaced": [{"uid": uid} for uid in unplaced],
    }


@given(TASKS, TASKS, st.lists(st.sampled_from(["u1", "u2", "u3"]), unique=True))
def test_diff_properties(old: dict[str, Slot], new: dict[str, Slot], unplaced: list[str]) -> None:
    """diff(a, a) is empty; applying diff(a, b) to a's tasks gives b's."""
    a, b = _document(old, unplaced), _document(new, unplaced[:1])
    assert not plan_diff(a, a)
    diff = plan_diff(a, b)
    assert diff.apply(old) == new
    assert set(diff.no_longer_unplaced) == set(unplaced[1:])


def test_the_embedding_example_runs(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(maintlib, "build_catalog", lambda *_: CATALOG)
    page = (DOCS / "embedding.md").read_text(encoding="utf-8")
    code = page.split("<!-- tested: tests/test_embedding.py runs this block -->")[1]
    code = code.split("```python\n", 1)[1].split("```", 1)[0]
    exec(compile(code, "docs/embedding.md", "exec"), {"__name__": "embedding"})
    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == (
        '<inventory>: assets[2] (id "vm02").hosted_on: unknown asset "hv1" — did you mean "hv01"?'
    )
    added = int(printed[1].split()[0])
    assert added > 0
    # The host's updates now also wait for the new guest, and the office checks
    # share the technician with its own: some tasks move.
    assert printed[1].startswith(f"{added} tasks added, ")
    assert printed[1].endswith(" moved")
    # vm02's own work, or the fleet work it now shares with vm01.
    assert all(line.startswith(("  new: vm02.", "  new: fleet-")) for line in printed[2:])


class TestArgumentsAtTheDoor:
    """Issue 29: wrong argument types fail where they are passed, naming the parameter."""

    def test_iso_text_is_accepted_where_natural(self) -> None:
        by_text = maintlib.plan(
            BASE,
            start="2027-01-01",
            months=2,
            reference_time="2026-12-01T00:00:00+00:00",
            plugins=CATALOG,
        )
        assert by_text.dumps() == maintlib.plan(BASE, **HORIZON).dumps()
        feed = maintlib.to_ics(by_text, alarm="PT2H", alarms="all")
        assert b"TRIGGER:-PT2H" in feed
        assert feed == maintlib.to_ics(by_text, alarm=dt.timedelta(hours=2), alarms="all")

    @pytest.mark.parametrize(
        ("changes", "error", "message"),
        [
            (
                {"months": 1.5},
                TypeError,
                r"months: expected a whole number of months \(int\), got float 1.5",
            ),
            ({"months": True}, TypeError, "months: expected a whole number"),
            ({"start": 20270101}, TypeError, "start: expected a date or YYYY-MM-DD, got int"),
            (
                {"start": dt.datetime(2027, 1, 1, tzinfo=dt.UTC)},
                TypeError,
                r"start: expected a date \(not a datetime",
            ),
            (
                {"start": "01/01/2027"},
                InputError,
                r"<arguments>: start: '01/01/2027' is not a date",
            ),
            (
                {"reference_time": dt.date(2026, 12, 1)},
                TypeError,
                "reference_time: expected an aware datetime",
            ),
            (
                {"reference_time": "2026-12-01T00:00"},
                ValueError,
                "reference_time must be an aware datetime",
            ),
            ({"since": 5}, TypeError, "since: expected a date"),
            ({"time_limit": "8"}, TypeError, "time_limit: expected a number"),
            ({"policies": "bod-26-04"}, TypeError, "policies: expected a sequence of ids"),
        ],
    )
    def test_plan_names_the_parameter(
        self, changes: dict[str, object], error: type[Exception], message: str
    ) -> None:
        with pytest.raises(error, match=message):
            maintlib.plan(BASE, **{**HORIZON, **changes})  # type: ignore[arg-type]

    def test_an_inventory_path_is_not_an_inventory(self) -> None:
        with pytest.raises(
            TypeError, match=r"inventory: expected an Inventory, got str \(read a file"
        ):
            maintlib.plan("inventory.toml", **HORIZON)  # type: ignore[arg-type]

    def test_to_ics_names_the_parameter(self) -> None:
        plan = maintlib.plan(BASE, **HORIZON)
        with pytest.raises(InputError, match="<arguments>: alarm: duration '2 hours'"):
            maintlib.to_ics(plan, alarm="2 hours")
        with pytest.raises(TypeError, match="alarm: expected a timedelta or ISO 8601 duration"):
            maintlib.to_ics(plan, alarm=7200)  # type: ignore[arg-type]
        with pytest.raises(TypeError, match=r"previous: expected the feed's bytes .* got str"):
            maintlib.to_ics(plan, previous="BEGIN:VCALENDAR")  # type: ignore[arg-type]
        with pytest.raises(TypeError, match="plan: expected a Plan, got dict"):
            maintlib.to_ics(plan.to_json())  # type: ignore[arg-type]

    def test_duties_compliance_and_explain_take_dates_the_same_way(self) -> None:
        assert maintlib.duties(BASE, plugins=CATALOG, as_of="2027-01-01") == maintlib.duties(
            BASE, plugins=CATALOG, as_of=dt.date(2027, 1, 1)
        )
        with pytest.raises(TypeError, match="as_of: expected a date"):
            maintlib.duties(BASE, plugins=CATALOG, as_of=2027)  # type: ignore[arg-type]
        with pytest.raises(TypeError, match="end: expected a date"):
            maintlib.compliance(BASE, log=maintlib.Log(()), start="2027-01-01", end=None)  # type: ignore[arg-type]
        explained = maintlib.explain(BASE, "fw01", CATALOG, as_of="2027-01-01")
        assert explained == maintlib.explain(BASE, "fw01", CATALOG, as_of=dt.date(2027, 1, 1))


class TestAssetKinds:
    def test_a_word_people_use_for_a_kind_gets_its_name(self) -> None:
        inventory = Inventory(Organisation("Acme", "UTC"), assets=[Asset("nas01", "nas")])
        with pytest.raises(InputError, match='unknown asset kind "nas" — did you mean "storage"'):
            maintlib.validate(inventory, plugins=CATALOG)
        with pytest.raises(InputError, match='did you mean "storage"'):
            maintlib.loads(
                '[organisation]\nname = "x"\ntimezone = "UTC"\n'
                '[[assets]]\nid = "nas01"\nkind = "NAS"\n',
                catalog=CATALOG,
            )

    def test_the_api_reference_lists_the_loaded_kinds(self) -> None:
        catalog = maintlib.build_catalog(maintlib.load_plugins(environ={}))
        reference = (DOCS / "api.md").read_text(encoding="utf-8")
        listed = re.findall(r"^\| `(\w+)` \| (\w+) \|", reference, flags=re.MULTILINE)
        assert listed == [(k.name, k.category.value) for k in catalog.kinds.values()]

    def test_every_public_class_field_is_in_the_api_reference(self) -> None:
        reference = (DOCS / "api.md").read_text(encoding="utf-8")
        sections = dict(
            re.findall(r"^### `(\w+)`\n(.*?)(?=^### |^## |\Z)", reference, re.MULTILINE | re.DOTALL)
        )
        missing = []
        for name in maintlib.__all__:
            value = getattr(maintlib, name)
            if isinstance(value, type) and attrs.has(value):
                names = [f.name for f in attrs.fields(value) if not f.name.startswith("_")]
                names += [
                    k for k, v in vars(value).items() if isinstance(v, property) and k[0] != "_"
                ]
                missing += [f"{name}.{n}" for n in names if f"`{n}`" not in sections[name]]
        assert missing == []

    def test_plugins_kinds_on_the_command_line(self, capsys: pytest.CaptureFixture[str]) -> None:
        assert cli.main(["plugins", "--kinds"]) == 0
        out = capsys.readouterr().out
        assert re.search(r"storage +server: Shared storage \(also written: nas, san\)", out)
