"""endoflife.date lifecycle data (API v1): the shipped snapshot, the loader's checks, the
feed cache's newer copies preferred, and ``maintlib feeds update --eol`` against a local
server replaying API v1 answers (pytest-httpserver, never the internet)."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pytest_httpserver import HTTPServer

from maintlib import cli
from maintlib.model.errors import InputError
from maintlib.packs import build_catalog, load_lifecycle, load_plugins, shipped_lifecycle
from maintlib.packs.eol import SNAPSHOT, Lifecycle, read_eol_product

ROOT = Path(__file__).parent.parent
ENGINEERING = ROOT / "examples" / "engineering" / "inventory.toml"
#: The products the packs read: every one must be in the snapshot.
PACK_PRODUCTS = {
    "debian",
    "esxi",
    "msexchange",
    "mssqlserver",
    "oracle-jdk",
    "rhel",
    "ubuntu",
    "vcenter",
    "veeam-backup-and-replication",
    "windows",
    "windows-server",
}


def snapshot(product: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((SNAPSHOT / f"{product}.json").read_text("utf-8"))
    return document


def newer(product: str, cycle: str, **dates: str) -> dict[str, Any]:
    """The snapshot's document for ``product``, generated a year later, with ``cycle``'s
    dates changed."""
    document = copy.deepcopy(snapshot(product))
    document["generated_at"] = "2027-08-22T00:00:00Z"
    (release,) = [r for r in document["result"]["releases"] if r["name"] == cycle]
    release.update(dates)
    return document


def encoded(document: dict[str, Any]) -> bytes:
    return json.dumps(document).encode()


class TestSnapshot:
    def test_it_holds_every_product_the_packs_read_with_source_and_licence(self) -> None:
        assert {p.name for p in shipped_lifecycle().products} == PACK_PRODUCTS
        for product in PACK_PRODUCTS:
            document = snapshot(product)
            assert document["schema_version"].startswith("1.")
            source = document["maintlib_snapshot"]
            assert source["repository"] == "endoflife-date/endoflife.date"
            assert source["path"].startswith("products/")
            assert len(source["commit"]) == 40
            assert "MIT" in source["licence"]
        licence = (SNAPSHOT / "LICENSE.endoflife-date").read_text("utf-8")
        assert "Copyright 2020 endoflife.date contributors" in licence
        assert "Permission is hereby granted, free of charge" in licence

    def test_the_facts_issue_30_asked_to_verify(self) -> None:
        data = shipped_lifecycle()
        # Windows Server 2025: the pack had the IoT LTSC date, 2034-10-10.
        assert data.cycle("windows-server", "2025").eol == dt.date(2034, 11, 14)
        sql_2016 = data.cycle("mssqlserver", "13.0-sp3")
        assert (sql_2016.eol, sql_2016.eoes) == (dt.date(2026, 7, 14), dt.date(2029, 7, 17))
        assert sql_2016.source == "endoflife.date mssqlserver/13.0-sp3"

    def test_a_missing_cycle_is_named(self) -> None:
        with pytest.raises(LookupError, match=r"endoflife\.date ubuntu/9\.99: no such cycle"):
            shipped_lifecycle().cycle("ubuntu", "9.99")
        with pytest.raises(LookupError, match="'nope' is not in the lifecycle data"):
            shipped_lifecycle().cycle("nope", "1")


class TestReader:
    def test_unknown_fields_are_ignored_and_nulls_are_no_date(self) -> None:
        document = snapshot("ubuntu")
        document["result"]["new_field"] = {"x": 1}
        document["result"]["releases"][0]["eolFrom"] = None
        product = read_eol_product(encoded(document), "ubuntu.json")
        assert product.cycles[0].eol is None
        assert product.generated_at == dt.datetime(2026, 8, 22, 8, 52, 34, tzinfo=dt.UTC)

    @pytest.mark.parametrize(
        ("change", "location", "message"),
        [
            (lambda d: d.update(schema_version="2.0.0"), "schema_version", "API v1"),
            (lambda d: d.update(generated_at="yesterday"), "generated_at", "date-time"),
            (lambda d: d.update(result=[]), "result", "must be an object"),
            (lambda d: d["result"].update(releases={}), "result.releases", "array"),
            (lambda d: d["result"].update(name="Ubuntu Linux"), "result.name", "product name"),
            (
                lambda d: d["result"]["releases"][1].update(eolFrom="2027-13-01"),
                "result.releases[1].eolFrom",
                "YYYY-MM-DD",
            ),
            (
                lambda d: d["result"]["releases"][2].update(eoesFrom="2036"),
                "result.releases[2].eoesFrom",
                "YYYY-MM-DD",
            ),
            (
                lambda d: d["result"]["releases"][0].update(releaseDate="9999-01-01"),
                "result.releases[0].releaseDate",
                "outside",
            ),
            (
                lambda d: d["result"]["releases"][0].update(isLts="yes"),
                "result.releases[0].isLts",
                "true or false",
            ),
            (
                lambda d: d["result"]["releases"][1].update(name="26.04"),
                "result.releases[1].name",
                "appears twice",
            ),
            (lambda d: d["result"]["releases"].append(7), "result.releases[", "object"),
        ],
    )
    def test_a_malformed_document_is_refused_with_file_and_path(
        self, change: Any, location: str, message: str
    ) -> None:
        document = snapshot("ubuntu")
        change(document)
        with pytest.raises(InputError) as caught:
            read_eol_product(encoded(document), "cache/eol/ubuntu.json")
        (problem,) = caught.value.problems
        assert problem.file == "cache/eol/ubuntu.json"
        assert problem.location.startswith(location)
        assert message in problem.message

    @pytest.mark.parametrize("content", [b"", b"{", b"\xff\xfe", b"[1]", b'{"a":' * 300])
    def test_what_is_not_a_json_object_is_refused(self, content: bytes) -> None:
        with pytest.raises(InputError) as caught:
            read_eol_product(content, "x.json")
        assert all(p.file == "x.json" for p in caught.value.problems)

    @given(
        st.lists(
            st.tuples(
                st.dates(dt.date(1990, 1, 1), dt.date(2100, 12, 31)),
                st.none() | st.dates(dt.date(1990, 1, 1), dt.date(2100, 12, 31)),
                st.booleans(),
            ),
            max_size=20,
        )
    )
    def test_what_the_api_says_is_what_is_read(
        self, cycles: list[tuple[dt.date, dt.date | None, bool]]
    ) -> None:
        releases = [
            {
                "name": str(index),
                "label": f"v{index}",
                "releaseDate": released.isoformat(),
                "eolFrom": eol.isoformat() if eol else None,
                "isLts": lts,
                "isEol": False,
            }
            for index, (released, eol, lts) in enumerate(cycles)
        ]
        document = {
            "schema_version": "1.2.1",
            "generated_at": "2026-01-01T00:00:00+00:00",
            "result": {"name": "p", "releases": releases},
        }
        product = read_eol_product(encoded(document))
        assert [(c.released, c.eol, c.lts) for c in product.cycles] == cycles


class TestCache:
    def test_a_newer_copy_wins_an_older_one_does_not(self, tmp_path: Path) -> None:
        cache = tmp_path / "eol"
        cache.mkdir()
        later = newer("debian", "12", eoesFrom="2028-12-31")
        (cache / "debian.json").write_bytes(encoded(later))
        older = copy.deepcopy(newer("rhel", "9", eolFrom="2040-01-01"))
        older["generated_at"] = "2020-01-01T00:00:00Z"
        (cache / "rhel.json").write_bytes(encoded(older))
        data = load_lifecycle(cache)
        assert data.cycle("debian", "12").eoes == dt.date(2028, 12, 31)
        assert data.cycle("rhel", "9").eol == dt.date(2032, 5, 31)
        assert load_lifecycle(tmp_path / "missing") is shipped_lifecycle()
        assert load_lifecycle(cache) == data  # the same files, the same data

    def test_a_bad_cached_file_names_the_file(self, tmp_path: Path) -> None:
        (tmp_path / "ubuntu.json").write_text("{}", encoding="utf-8")
        (tmp_path / "rhel.json").write_bytes(encoded(snapshot("debian")))
        with pytest.raises(InputError) as caught:
            load_lifecycle(tmp_path)
        files = {Path(p.file).name for p in caught.value.problems}
        assert files == {"ubuntu.json", "rhel.json"}

    def test_the_packs_use_the_data_they_are_given(self) -> None:
        cached = shipped_lifecycle().merged(
            [read_eol_product(encoded(newer("debian", "12", eoesFrom="2028-12-31")))]
        )
        rules = {r.key: r for r in build_catalog(load_plugins(lifecycle=cached)).rules}
        rule = rules["linux/eos-debian-12"]
        assert rule.cadence.deadline == dt.date(2028, 12, 31)  # type: ignore[union-attr]
        assert "endoflife.date debian/12" in rule.citation
        shipped = {r.key: r for r in build_catalog(load_plugins()).rules}
        assert shipped["linux/eos-debian-12"].cadence.deadline == dt.date(2028, 6, 30)  # type: ignore[union-attr]

    def test_data_missing_a_cycle_the_pack_needs_names_the_pack(self) -> None:
        document = snapshot("debian")
        document["result"]["releases"] = [
            r for r in document["result"]["releases"] if r["name"] != "12"
        ]
        document["generated_at"] = "2030-01-01T00:00:00Z"
        broken = shipped_lifecycle().merged([read_eol_product(encoded(document), "d.json")])
        with pytest.raises(Exception, match=r"linux.*debian/12: no such cycle in d.json"):
            build_catalog(load_plugins(lifecycle=broken))

    def test_lifecycles_with_the_same_products_are_equal(self) -> None:
        assert Lifecycle(shipped_lifecycle().products) == shipped_lifecycle()
        assert hash(Lifecycle(shipped_lifecycle().products)) == hash(shipped_lifecycle())


def serve(httpserver: HTTPServer, documents: dict[str, bytes]) -> str:
    for product, body in documents.items():
        httpserver.expect_request(f"/api/v1/products/{product}").respond_with_data(
            body, content_type="application/json"
        )
    return httpserver.url_for("/api/v1/products")


class TestFeedsUpdate:
    def test_it_fetches_checks_and_the_plan_uses_the_newer_data(
        self, httpserver: HTTPServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        later = newer("debian", "12", eoesFrom="2028-12-31")
        base = serve(httpserver, {"debian": encoded(later), "ubuntu": encoded(snapshot("ubuntu"))})
        cache = tmp_path / "cache"
        update = ["feeds", "update", str(cache), "--eol", "--eol-source", base]
        args = [*update, "--eol-product", "debian", "--eol-product", "ubuntu"]
        assert cli.main(args) == 0
        out = capsys.readouterr().out
        assert "eol/debian.json: updated" in out
        assert "eol/ubuntu.json: updated" in out
        assert json.loads((cache / "eol" / "debian.json").read_text("utf-8")) == later
        plans = []
        for _ in range(2):
            target = tmp_path / f"plan{len(plans)}.json"
            plan = ["plan", str(ENGINEERING), "--start", "2027-01-01", "--months", "12"]
            assert cli.main([*plan, "--json", str(target), "--feeds", str(cache)]) == 0
            plans.append(target.read_bytes())
        assert plans[0] == plans[1]  # same inputs, same plan
        projects = json.loads(plans[0])["projects"]
        (debian,) = [p for p in projects if p["uid"].startswith("lic01.upgrade-or-replace")]
        assert debian["due"]["deadline"].startswith("2028-12-31")
        assert "endoflife.date debian/12" in debian["source"]["citation"]

    def test_a_bad_answer_leaves_the_cache_as_it_was(
        self, httpserver: HTTPServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        cache = tmp_path / "cache"
        good = encoded(snapshot("rhel"))
        base = serve(httpserver, {"rhel": good})
        args = ["feeds", "update", str(cache), "--eol", "--eol-source", base]
        assert cli.main([*args, "--eol-product", "rhel"]) == 0
        httpserver.clear()
        broken = snapshot("rhel")
        broken["result"]["releases"][0]["eolFrom"] = "soon"
        serve(httpserver, {"rhel": encoded(broken), "debian": encoded(snapshot("ubuntu"))})
        assert cli.main([*args, "--eol-product", "rhel", "--eol-product", "debian"]) == 1
        out = capsys.readouterr().out
        assert "eol/rhel.json: failed (not a valid eol file:" in out
        assert "eolFrom" in out
        assert "eol/debian.json: failed (holds product 'ubuntu', not 'debian')" in out
        assert (cache / "eol" / "rhel.json").read_bytes() == good
        assert not (cache / "eol" / "debian.json").exists()

    def test_every_pack_product_by_default_from_a_folder(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        cache = tmp_path / "cache"
        args = ["feeds", "update", str(cache), "--eol", "--eol-source", str(SNAPSHOT)]
        assert cli.main(args) == 0
        assert {p.stem for p in (cache / "eol").glob("*.json")} == PACK_PRODUCTS
        assert load_lifecycle(cache / "eol") == shipped_lifecycle()
        capsys.readouterr()

    @pytest.mark.parametrize(
        "extra",
        [
            ["--eol", "--eol-product", "Not A Product"],
            ["--eol", "--cve", "CVE-2024-0001"],
            ["--eol", "--eol-source", "no-such-folder"],
            ["--eol-source", "https://example.invalid/"],
        ],
    )
    def test_wrong_options_are_bad_input(
        self, extra: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert cli.main(["feeds", "update", str(tmp_path / "c"), *extra]) == 2
        assert "problem found; nothing was written" in capsys.readouterr().err
        assert not (tmp_path / "c").exists()


def test_the_facade_passes_its_lifecycle_to_the_hooks() -> None:
    from maintlib.packs import Lifecycle, hookimpl
    from maintlib.packs.manager import plugins_from

    seen: list[Lifecycle] = []

    class Pack:
        @hookimpl
        def maintlib_rules(self, lifecycle: Lifecycle) -> None:
            seen.append(lifecycle)

        @hookimpl
        def maintlib_risk_factors(self, lifecycle: Lifecycle) -> None:
            seen.append(lifecycle)

    mine = Lifecycle(shipped_lifecycle().products[:1])
    plugins = plugins_from({"p": Pack()}, lifecycle=mine)
    plugins.rules()
    plugins.risk_factors(None, None)  # type: ignore[arg-type]  # the pack reads neither
    assert seen == [mine, mine]
    assert plugins_from({"p": Pack()}).lifecycle is shipped_lifecycle()
    assert plugins.with_lifecycle(shipped_lifecycle()).lifecycle is shipped_lifecycle()
