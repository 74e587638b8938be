"""The feed readers, on real records copied with their field layout.

Fixtures in ``tests/data/feeds/`` (sources in ``docs/vulnerabilities.md``):

* ``kev.json``: four entries of the CISA KEV catalog as published in February
  2024 (escaped slashes and ``\\r\\n`` in ``notes`` as CISA writes them), with the
  ``cwes`` field the catalog gained later (values: see docs/vulnerabilities.md).
* ``epss.csv`` / ``epss.csv.gz``: the FIRST layout (comment line, header, rows);
  the scores are illustrative.
* ``vulnrichment/CVE-2024-21762.json``: the record from ``cisagov/vulnrichment``
  (``2024/21xxx/CVE-2024-21762.json``), ADP ``affected`` list shortened.
* ``csaf/bsi-2022-0001.json``: ``oasis-tcs/csaf`` ``csaf_2.0/examples/csaf/bsi-2022-0001.json``.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from maintlib.model.errors import InputError
from maintlib.model.feeds import Exploitation, TechnicalImpact
from maintlib.vulns.feeds import read_csaf, read_epss, read_feeds, read_kev, read_vulnrichment

DATA = Path(__file__).parent / "data" / "feeds"


def problems(error: pytest.ExceptionInfo[InputError]) -> list[str]:
    return [str(p) for p in error.value.problems]


def kev_document() -> dict[str, Any]:
    return json.loads((DATA / "kev.json").read_text())


class TestKev:
    def test_reads_the_catalog(self) -> None:
        entries, version = read_kev((DATA / "kev.json").read_bytes())
        assert version == "2024.02.13"
        assert list(entries) == sorted(entries)
        fortios = entries["CVE-2024-21762"]
        assert (fortios.vendor, fortios.product) == ("Fortinet", "FortiOS")
        assert fortios.date_added == dt.date(2024, 2, 9)
        assert fortios.due_date == dt.date(2024, 2, 16)
        assert fortios.required_action.startswith("Apply mitigations per vendor instructions")
        assert fortios.notes == "https://fortiguard.fortinet.com/psirt/FG-IR-24-015"
        assert fortios.cwes == ("CWE-787",)
        assert entries["CVE-2024-21412"].cwes == ()

    def test_unknown_fields_are_accepted(self) -> None:
        document = kev_document()
        document["schemaVersion"] = "2.0"
        document["vulnerabilities"][0]["triageSteps"] = ["collect volatile evidence"]
        entries, _ = read_kev(json.dumps(document).encode())
        assert len(entries) == 4

    def test_every_problem_is_located(self) -> None:
        document = kev_document()
        del document["vulnerabilities"][1]["dueDate"]
        document["vulnerabilities"][2]["dateAdded"] = "09/02/2024"
        document["vulnerabilities"][3]["cveID"] = "CVE-24-1"
        with pytest.raises(InputError) as error:
            read_kev(json.dumps(document).encode(), "kev.json")
        assert problems(error) == [
            'kev.json: vulnerabilities[1] (cveID "CVE-2024-21893").dueDate: is missing',
            "kev.json: vulnerabilities[2] (cveID \"CVE-2024-21762\").dateAdded: '09/02/2024'"
            " is not a date (YYYY-MM-DD)",
            "kev.json: vulnerabilities[3] (cveID \"CVE-24-1\").cveID: 'CVE-24-1' is not a CVE"
            " id (CVE-YYYY-NNNN)",
        ]

    def test_a_count_that_disagrees_is_reported(self) -> None:
        document = kev_document()
        document["count"] = 5
        with pytest.raises(InputError) as error:
            read_kev(json.dumps(document).encode(), "kev.json")
        assert problems(error) == ["kev.json: count: says 5 entries, the file has 4"]

    def test_broken_json_gives_line_and_column(self) -> None:
        content = (DATA / "kev.json").read_bytes()[:500]
        with pytest.raises(InputError) as error:
            read_kev(content, "kev.json")
        assert problems(error)[0].startswith("kev.json: line ")


class TestEpss:
    def test_plain_and_gzipped_read_the_same(self) -> None:
        plain = read_epss((DATA / "epss.csv").read_bytes())
        zipped = read_epss((DATA / "epss.csv.gz").read_bytes())
        assert plain == zipped
        scores, score_date = plain
        assert score_date == "2026-11-29T12:55:00Z"
        assert scores["CVE-2024-21762"].epss == Decimal("0.94235")
        assert scores["CVE-2024-21762"].percentile == Decimal("0.99920")

    def test_bad_rows_are_reported_by_line(self) -> None:
        content = b"#model_version:v2025.03.14,score_date:2026-11-29\ncve,epss,percentile\nCVE-2024-1,0.5,0.5\nCVE-2024-21762,1.5,0.9\nCVE-2024-21412,0.1\n"
        with pytest.raises(InputError) as error:
            read_epss(content, "epss.csv")
        assert problems(error) == [
            "epss.csv: line 3: 'CVE-2024-1' is not a CVE id",
            "epss.csv: line 4: epss '1.5' is not a number from 0 to 1",
            "epss.csv: line 5: needs cve,epss,percentile, got 2 fields",
        ]

    def test_a_truncated_gzip_is_an_input_error(self) -> None:
        content = (DATA / "epss.csv.gz").read_bytes()[:40]
        with pytest.raises(InputError) as error:
            read_epss(content, "epss.csv.gz")
        assert problems(error)[0].startswith("epss.csv.gz: is not a readable gzip file")

    def test_a_wrong_header_is_reported(self) -> None:
        with pytest.raises(InputError) as error:
            read_epss(b"cve,score\nCVE-2024-21762,0.9\n", "epss.csv")
        assert problems(error) == ["epss.csv: line 1: the header must be cve,epss,percentile"]

    @given(
        st.dictionaries(
            st.integers(1000, 99999).map(lambda n: f"CVE-2024-{n}"),
            st.tuples(st.integers(0, 100000), st.integers(0, 100000)),
            max_size=20,
        )
    )
    def test_gzip_never_changes_what_is_read(self, rows: dict[str, tuple[int, int]]) -> None:
        lines = [
            "#model_version:v2025.03.14,score_date:2026-11-29T00:00:00+0000",
            "cve,epss,percentile",
        ]
        lines += [f"{cve},{a / 100000:.5f},{b / 100000:.5f}" for cve, (a, b) in rows.items()]
        content = ("\n".join(lines) + "\n").encode()
        assert read_epss(gzip.compress(content)) == read_epss(content)
        assert set(read_epss(content)[0]) == set(rows)


class TestVulnrichment:
    def test_reads_ssvc_kev_and_cvss_from_the_record(self) -> None:
        record = read_vulnrichment((DATA / "vulnrichment" / "CVE-2024-21762.json").read_bytes())
        assert record.cve == "CVE-2024-21762"
        assert record.ssvc is not None
        assert record.ssvc.exploitation is Exploitation.ACTIVE
        assert record.ssvc.automatable is True
        assert record.ssvc.technical_impact is TechnicalImpact.TOTAL
        assert record.kev_added == dt.date(2024, 2, 9)
        assert record.cvss == ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:H/RL:W/RC:C",)
        assert (
            "Fortinet",
            "FortiOS",
            (("7.4.0", "", "7.4.2"), ("7.2.0", "", "7.2.6"), ("7.0.0", "", "7.0.13")),
        ) in record.ranges
        assert ("fortinet", "fortios", (("7.2.0", "7.2.7", ""),)) in record.ranges

    def test_a_record_without_the_cisa_container_has_no_ssvc(self) -> None:
        document = json.loads((DATA / "vulnrichment" / "CVE-2024-21762.json").read_text())
        document["containers"]["adp"] = document["containers"]["adp"][:1]
        record = read_vulnrichment(json.dumps(document).encode())
        assert record.ssvc is None
        assert record.kev_added is None

    def test_bad_decisions_and_vectors_are_located(self) -> None:
        document = json.loads((DATA / "vulnrichment" / "CVE-2024-21762.json").read_text())
        options = document["containers"]["adp"][1]["metrics"][0]["other"]["content"]["options"]
        options[1] = {"Automatable": "maybe"}
        document["containers"]["cna"]["metrics"][0]["cvssV3_1"]["vectorString"] = "CVSS:3.1/AV:Q"
        with pytest.raises(InputError) as error:
            read_vulnrichment(json.dumps(document).encode(), "CVE-2024-21762.json")
        found = problems(error)
        assert len(found) == 2
        assert found[0].startswith(
            "CVE-2024-21762.json: containers.cna.metrics[0].cvssV3_1.vectorString: invalid CVSS"
        )
        assert found[1] == (
            "CVE-2024-21762.json: containers.adp[1].metrics[0].other.content.options:"
            " \"Automatable\" is 'maybe'; expected one of yes, no"
        )

    def test_cvss_v4_vectors_are_read(self) -> None:
        document = json.loads((DATA / "vulnrichment" / "CVE-2024-21762.json").read_text())
        vector = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"
        document["containers"]["cna"]["metrics"].append({"cvssV4_0": {"vectorString": vector}})
        assert vector in read_vulnrichment(json.dumps(document).encode()).cvss


class TestCsaf:
    def test_reads_the_product_tree_and_remediations(self) -> None:
        advisory = read_csaf((DATA / "csaf" / "bsi-2022-0001.json").read_bytes())
        assert advisory.id == "BSI-2022-0001"
        assert advisory.released == dt.datetime(2022, 3, 17, 13, 3, 42, 105000, tzinfo=dt.UTC)
        product = advisory.products["CSAFPID-0001"]
        assert (product.vendor, product.product, product.version) == (
            "CSAF Tools",
            "CVRF-CSAF-Converter",
            "1.0.0-alpha",
        )
        assert product.cpe == "cpe:/a:csaf-tools:cvrf-csaf-converter:1.0.0-alpha"
        (vulnerability,) = advisory.vulnerabilities
        assert vulnerability.cve == "CVE-2022-27193"
        assert vulnerability.known_affected[0] == "CSAFPID-0001"
        assert vulnerability.remediations[0].category == "vendor_fix"
        assert vulnerability.cvss == ("CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:N/A:L/E:F/RL:O/RC:C",)

    def test_an_affected_product_missing_from_the_tree_is_reported(self) -> None:
        document = json.loads((DATA / "csaf" / "bsi-2022-0001.json").read_text())
        document["vulnerabilities"][0]["product_status"]["known_affected"].append("CSAFPID-9999")
        del document["document"]["tracking"]["initial_release_date"]
        with pytest.raises(InputError) as error:
            read_csaf(json.dumps(document).encode(), "bsi.json")
        assert problems(error) == [
            "bsi.json: document.tracking.initial_release_date: is missing",
            "bsi.json: vulnerabilities[0].product_status.known_affected: names product"
            " 'CSAFPID-9999', which the product tree does not define",
        ]


class TestReadFeeds:
    def test_reads_every_feed(self) -> None:
        feeds = read_feeds(
            kev=DATA / "kev.json",
            epss=DATA / "epss.csv.gz",
            csaf=DATA / "csaf",
            vulnrichment=DATA / "vulnrichment",
        )
        assert len(feeds.kev) == 4
        assert feeds.epss_date == "2026-11-29T12:55:00Z"
        assert list(feeds.records) == ["CVE-2024-21762"]
        assert [a.id for a in feeds.advisories] == ["BSI-2022-0001"]
        assert feeds

    def test_no_feeds_is_empty(self) -> None:
        assert not read_feeds()

    def test_problems_of_several_files_are_collected(self, tmp_path: Path) -> None:
        (tmp_path / "kev.json").write_text("{}")
        (tmp_path / "epss.csv").write_text("nonsense\n")
        with pytest.raises(InputError) as error:
            read_feeds(kev=tmp_path / "kev.json", epss=tmp_path / "epss.csv", csaf=tmp_path / "no")
        assert problems(error) == [
            f"{tmp_path / 'kev.json'}: catalogVersion: is missing",
            f"{tmp_path / 'kev.json'}: vulnerabilities: must be an array, got null",
            f"{tmp_path / 'epss.csv'}: line 1: the header must be cve,epss,percentile",
            f"{tmp_path / 'no'}: is not a directory",
        ]
