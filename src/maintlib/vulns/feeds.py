"""Vulnerability feeds, read from files in their published formats.

* CISA Known Exploited Vulnerabilities catalog (``known_exploited_vulnerabilities.json``).
* FIRST EPSS scores (``epss_scores-current.csv``, plain or gzipped).
* CVE JSON 5 records with CISA's ADP "Vulnrichment" container (SSVC decision points).
* CSAF 2.0 security advisories (vendors' out-of-band and scheduled publications).

Every reader returns frozen values and collects *every* problem of a file with its
location (a JSON path, or a line number) in one :class:`~maintlib.model.errors.InputError`.
Fields the library does not use are accepted and ignored, so a feed that grows new
fields keeps loading. Nothing here touches the network: see :mod:`maintlib.vulns.download`
for ``maintlib feeds update``. The formats, with the records the tests copy, are
described in ``docs/vulnerabilities.md``.
"""

from __future__ import annotations

import csv
import datetime as dt
import zlib
from collections.abc import Iterator, Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TypeVar

from maintlib._util.json import JsonInputError, loads
from maintlib._util.text import excerpt, quoting_briefly
from maintlib.model.cve import cvss_base_score
from maintlib.model.errors import InputError, Problem
from maintlib.model.feeds import (
    CVE_ID,
    Advisory,
    AdvisoryProduct,
    AdvisoryVulnerability,
    CveRecord,
    EpssScore,
    Exploitation,
    Feeds,
    KevEntry,
    Remediation,
    Ssvc,
    TechnicalImpact,
)
from maintlib.model.limits import MAX_FILE_BYTES, date_problem, read_input

__all__ = [
    "CACHE_LAYOUT",
    "cache_paths",
    "read_csaf",
    "read_epss",
    "read_feeds",
    "read_kev",
    "read_kev_catalog",
    "read_vulnrichment",
]


_When = TypeVar("_When", dt.date, dt.datetime)


class _Reader:
    """Walks a JSON document, recording problems at JSON paths instead of raising."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def problem(self, where: str, message: str) -> None:
        self.problems.append(Problem(self.file, where, message))

    def mapping(self, value: object, where: str) -> dict[str, Any] | None:
        if isinstance(value, dict):
            return value
        self.problem(where or "(top level)", f"must be an object, got {_kind(value)}")
        return None

    def array(self, value: object, where: str) -> list[Any]:
        if isinstance(value, list):
            return value
        self.problem(where, f"must be an array, got {_kind(value)}")
        return []

    def text(self, item: Mapping[str, Any], key: str, where: str, *, required: bool = True) -> str:
        value = item.get(key)
        if value is None:
            if required:
                self.problem(f"{where}.{key}" if where else key, "is missing")
            return ""
        if not isinstance(value, str):
            self.problem(
                f"{where}.{key}" if where else key, f"must be a string, got {_kind(value)}"
            )
            return ""
        return value

    def date(self, item: Mapping[str, Any], key: str, where: str) -> dt.date | None:
        text = self.text(item, key, where)
        if not text:
            return None
        try:
            value = dt.date.fromisoformat(text)
        except ValueError:
            self.problem(f"{where}.{key}", f"{excerpt(text)!r} is not a date (YYYY-MM-DD)")
            return None
        return self.in_range(value, f"{where}.{key}")

    def in_range(self, value: _When, where: str) -> _When | None:
        """``value``, or None with a problem when its year is out of range."""
        problem = date_problem(value)
        if problem is not None:
            self.problem(where, problem)
            return None
        return value

    def moment(self, item: Mapping[str, Any], key: str, where: str) -> dt.datetime | None:
        text = self.text(item, key, where)
        if not text:
            return None
        try:
            value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            value = None
        if value is None or value.tzinfo is None:
            self.problem(f"{where}.{key}", f"{excerpt(text)!r} is not a date-time with offset")
            return None
        return self.in_range(value, f"{where}.{key}")

    def cve(self, item: Mapping[str, Any], key: str, where: str) -> str:
        text = self.text(item, key, where)
        if text and not CVE_ID.fullmatch(text.strip().upper()):
            self.problem(f"{where}.{key}", f"{excerpt(text)!r} is not a CVE id (CVE-YYYY-NNNN)")
            return ""
        return text.strip().upper()

    def vector(self, vector: object, where: str) -> str | None:
        if not isinstance(vector, str):
            self.problem(where, f"must be a CVSS vector string, got {_kind(vector)}")
            return None
        try:
            cvss_base_score(vector)
        except ValueError as error:
            self.problem(where, str(error))
            return None
        return vector

    def document(self, content: bytes) -> dict[str, Any]:
        """The file's top-level JSON object.

        Raises:
            InputError: The file is not JSON, or not an object.
        """
        document = self.mapping(_json(content, self.file), "")
        self.check()
        assert document is not None
        return document

    def check(self) -> None:
        if self.problems:
            raise InputError(self.problems)


def _kind(value: object) -> str:
    if value is None:
        return "null"
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}.get(
        type(value), "a number"
    )


def _json(content: bytes, file: str) -> Any:
    try:
        return loads(content.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise InputError([Problem(file, f"byte {error.start}", "is not UTF-8")]) from None
    except JsonInputError as error:
        raise InputError([Problem(file, error.where, error.message)]) from None


def read_kev(content: bytes, file: str = "<kev>") -> tuple[dict[str, KevEntry], str]:
    """Read the CISA KEV catalog (JSON).

    Args:
        content: The file's bytes.
        file: Its name, for messages.

    Returns:
        The entries by CVE id, and the catalog's ``catalogVersion``.

    Raises:
        InputError: Every problem found, located by JSON path.
    """
    entries, version, _ = read_kev_catalog(content, file)
    return entries, version


def read_kev_catalog(
    content: bytes, file: str = "<kev>"
) -> tuple[dict[str, KevEntry], str, dt.datetime | None]:
    """:func:`read_kev`, and the catalog's ``dateReleased`` (None when absent).

    Raises:
        InputError: Every problem found, located by JSON path.
    """
    reader = _Reader(file)
    document = reader.document(content)
    version = reader.text(document, "catalogVersion", "")
    released = reader.moment(document, "dateReleased", "") if document.get("dateReleased") else None
    entries: dict[str, KevEntry] = {}
    for index, raw in enumerate(reader.array(document.get("vulnerabilities"), "vulnerabilities")):
        item = reader.mapping(raw, f"vulnerabilities[{index}]")
        if item is None:
            continue
        cve = item.get("cveID")
        where = f"vulnerabilities[{index}]" + (f' (cveID "{cve}")' if isinstance(cve, str) else "")
        entry = _kev_entry(reader, item, where)
        if entry is not None:
            entries[entry.cve] = entry
    count = document.get("count")
    if isinstance(count, int) and not reader.problems and count != len(entries):
        reader.problem("count", f"says {count} entries, the file has {len(entries)}")
    reader.check()
    return dict(sorted(entries.items())), version, released


def _kev_entry(reader: _Reader, item: Mapping[str, Any], where: str) -> KevEntry | None:
    before = len(reader.problems)
    cve = reader.cve(item, "cveID", where)
    added = reader.date(item, "dateAdded", where)
    due = reader.date(item, "dueDate", where)
    text = {
        key: reader.text(item, key, where)
        for key in ("vendorProject", "product", "vulnerabilityName", "requiredAction")
    }
    optional = {
        key: reader.text(item, key, where, required=False)
        for key in ("shortDescription", "knownRansomwareCampaignUse", "notes")
    }
    cwes = item.get("cwes", [])
    if not isinstance(cwes, list) or not all(isinstance(c, str) for c in cwes):
        reader.problem(f"{where}.cwes", "must be an array of strings")
        cwes = []
    if len(reader.problems) > before or added is None or due is None:
        return None
    return KevEntry(
        cve=cve,
        vendor=text["vendorProject"],
        product=text["product"],
        name=text["vulnerabilityName"],
        date_added=added,
        description=optional["shortDescription"],
        required_action=text["requiredAction"],
        due_date=due,
        ransomware=optional["knownRansomwareCampaignUse"] or "Unknown",
        notes=optional["notes"],
        cwes=tuple(cwes),
    )


def read_epss(content: bytes, file: str = "<epss>") -> tuple[dict[str, EpssScore], str]:
    """Read FIRST's EPSS scores: ``#model_version:…,score_date:…``, then ``cve,epss,percentile``.

    Gzipped files (``epss_scores-current.csv.gz``) are recognised by their magic bytes.

    Returns:
        The scores by CVE id, and the ``score_date`` of the comment line ("" without one).

    Raises:
        InputError: Every malformed line, by line number.
    """
    if content[:2] == b"\x1f\x8b":
        content = _gunzip(content, file)
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError([Problem(file, f"byte {error.start}", "is not UTF-8")]) from None
    problems: list[Problem] = []
    scores: dict[str, EpssScore] = {}
    score_date = ""
    lines = iter(enumerate(text.splitlines(), start=1))
    header_seen = False
    for number, line in lines:
        if not line.strip():
            continue
        if line.startswith("#"):
            fields = dict(part.split(":", 1) for part in line[1:].split(",") if ":" in part)
            score_date = fields.get("score_date", score_date).strip()
            continue
        if not header_seen:
            header = [cell.strip() for cell in next(csv.reader([line]))]
            if header[:3] != ["cve", "epss", "percentile"]:
                problems.append(
                    Problem(file, f"line {number}", "the header must be cve,epss,percentile")
                )
                break
            header_seen = True
            continue
        row = next(csv.reader([line]))
        score = _epss_row(row, file, number, problems)
        if score is not None:
            scores[score.cve] = score
    if not header_seen and not problems:
        problems.append(Problem(file, "", "has no cve,epss,percentile header"))
    if problems:
        raise InputError(problems)
    return dict(sorted(scores.items())), score_date


def _gunzip(content: bytes, file: str) -> bytes:
    """A gzip file's content, at most :data:`~maintlib.model.limits.MAX_FILE_BYTES`
    of it: a corrupt, truncated or bomb-sized file is an input error."""
    inflater = zlib.decompressobj(wbits=31)
    try:
        data = inflater.decompress(content, MAX_FILE_BYTES + 1)
    except zlib.error as error:
        raise InputError(
            [Problem(file, "", f"is not a readable gzip file: {quoting_briefly(error)}")]
        ) from None
    if len(data) > MAX_FILE_BYTES:
        raise InputError([Problem(file, "", f"unpacks to more than {MAX_FILE_BYTES:,} bytes")])
    if not inflater.eof:
        raise InputError([Problem(file, "", "is not a readable gzip file: it is cut short")])
    return data


def _epss_row(row: list[str], file: str, number: int, problems: list[Problem]) -> EpssScore | None:
    where = f"line {number}"
    if len(row) < 3:
        problems.append(Problem(file, where, f"needs cve,epss,percentile, got {len(row)} fields"))
        return None
    cve = row[0].strip().upper()
    if not CVE_ID.fullmatch(cve):
        problems.append(Problem(file, where, f"{excerpt(row[0])!r} is not a CVE id"))
        return None
    values = []
    for name, cell in (("epss", row[1]), ("percentile", row[2])):
        try:
            value = Decimal(cell.strip())
        except InvalidOperation:
            value = Decimal(-1)
        if not value.is_finite() or not Decimal(0) <= value <= Decimal(1):
            problems.append(
                Problem(file, where, f"{name} {excerpt(cell)!r} is not a number from 0 to 1")
            )
            return None
        values.append(value)
    return EpssScore(cve, values[0], values[1])


_ADP = "CISA-ADP"


_EXPLOITATION = {e.value: e for e in Exploitation}


_IMPACT = {t.value: t for t in TechnicalImpact}


def read_vulnrichment(content: bytes, file: str = "<cve>") -> CveRecord:
    """Read one CVE JSON 5 record; SSVC and KEV from the CISA ADP container.

    The SSVC options sit in ``containers.adp[] (providerMetadata.shortName
    "CISA-ADP").metrics[].other`` with ``type`` ``ssvc``: ``content.options`` is a
    list of one-key objects (``{"Exploitation": "active"}``, ``{"Automatable":
    "yes"}``, ``{"Technical Impact": "total"}``).

    Raises:
        InputError: Every problem, by JSON path.
    """
    reader = _Reader(file)
    document = reader.document(content)
    metadata = reader.mapping(document.get("cveMetadata"), "cveMetadata") or {}
    cve = reader.cve(metadata, "cveId", "cveMetadata")
    containers = reader.mapping(document.get("containers"), "containers") or {}
    vectors: list[str] = []
    cna = containers.get("cna", {})
    ranges: list[tuple[str, str, tuple[tuple[str, str, str], ...]]] = []
    if isinstance(cna, dict):
        vectors += _vectors(reader, cna.get("metrics", []), "containers.cna.metrics")
        ranges += _ranges(reader, cna.get("affected", []), "containers.cna.affected")
    ssvc: Ssvc | None = None
    kev_added: dt.date | None = None
    for index, raw in enumerate(reader.array(containers.get("adp", []), "containers.adp")):
        where = f"containers.adp[{index}]"
        adp = reader.mapping(raw, where)
        if adp is None:
            continue
        provider = adp.get("providerMetadata", {})
        if not isinstance(provider, dict) or provider.get("shortName") != _ADP:
            continue
        metrics = reader.array(adp.get("metrics", []), f"{where}.metrics")
        ranges += _ranges(reader, adp.get("affected", []), f"{where}.affected")
        vectors += _vectors(reader, metrics, f"{where}.metrics")
        for number, metric in enumerate(metrics):
            other = metric.get("other") if isinstance(metric, dict) else None
            if not isinstance(other, dict):
                continue
            place = f"{where}.metrics[{number}].other"
            body = reader.mapping(other.get("content"), f"{place}.content") or {}
            if other.get("type") == "ssvc":
                ssvc = _ssvc(reader, body, f"{place}.content")
            elif other.get("type") == "kev":
                kev_added = reader.date(body, "dateAdded", f"{place}.content")
    published = metadata.get("datePublished")
    published_on = reader.moment(metadata, "datePublished", "cveMetadata") if published else None
    reader.check()
    return CveRecord(
        cve,
        ssvc,
        kev_added,
        tuple(dict.fromkeys(vectors)),
        tuple(ranges),
        published_on.date() if published_on else None,
    )


def _ranges(
    reader: _Reader, affected: object, where: str
) -> list[tuple[str, str, tuple[tuple[str, str, str], ...]]]:
    result = []
    for index, raw in enumerate(reader.array(affected, where)):
        item = reader.mapping(raw, f"{where}[{index}]")
        if item is None:
            continue
        place = f"{where}[{index}]"
        vendor = reader.text(item, "vendor", place, required=False)
        product = reader.text(item, "product", place, required=False)
        bounds = []
        for number, version in enumerate(
            reader.array(item.get("versions", []), f"{place}.versions")
        ):
            entry = reader.mapping(version, f"{place}.versions[{number}]")
            if entry is None or entry.get("status") != "affected":
                continue
            spot = f"{place}.versions[{number}]"
            bounds.append(
                (
                    reader.text(entry, "version", spot),
                    reader.text(entry, "lessThan", spot, required=False),
                    reader.text(entry, "lessThanOrEqual", spot, required=False),
                )
            )
        if vendor and product and bounds:
            result.append((vendor, product, tuple(bounds)))
    return result


def _ssvc(reader: _Reader, content: Mapping[str, Any], where: str) -> Ssvc | None:
    options: dict[str, str] = {}
    for index, raw in enumerate(reader.array(content.get("options"), f"{where}.options")):
        if not isinstance(raw, dict) or len(raw) != 1:
            reader.problem(f"{where}.options[{index}]", "must be an object with one decision")
            continue
        ((key, value),) = raw.items()
        options[key.casefold()] = str(value).casefold()
    before = len(reader.problems)
    exploitation = _choice(reader, options, "exploitation", _EXPLOITATION, where)
    automatable = _choice(reader, options, "automatable", {"yes": True, "no": False}, where)
    impact = _choice(reader, options, "technical impact", _IMPACT, where)
    if len(reader.problems) > before:
        return None
    assert exploitation is not None
    assert automatable is not None
    assert impact is not None
    stamp = content.get("timestamp")
    return Ssvc(exploitation, automatable, impact, stamp if isinstance(stamp, str) else "")


def _choice(
    reader: _Reader, options: Mapping[str, str], key: str, allowed: Mapping[str, Any], where: str
) -> Any:
    value = options.get(key)
    if value is None:
        reader.problem(f"{where}.options", f'has no "{key.title()}" decision')
        return None
    if value not in allowed:
        reader.problem(
            f"{where}.options",
            f'"{key.title()}" is {value!r}; expected one of {", ".join(map(str, allowed))}',
        )
        return None
    return allowed[value]


def _vectors(reader: _Reader, metrics: object, where: str) -> list[str]:
    found: list[str] = []
    if not isinstance(metrics, list):
        return found
    for index, metric in enumerate(metrics):
        if not isinstance(metric, dict):
            continue
        for key in ("cvssV4_0", "cvssV3_1", "cvssV3_0"):
            block = metric.get(key)
            if isinstance(block, dict) and "vectorString" in block:
                vector = reader.vector(
                    block["vectorString"], f"{where}[{index}].{key}.vectorString"
                )
                if vector:
                    found.append(vector)
    return found


_VERSION_CATEGORIES = ("product_version", "service_pack", "product_version_range")


def read_csaf(content: bytes, file: str = "<csaf>") -> Advisory:
    """Read a CSAF 2.0 advisory: tracking, product tree, vulnerabilities.

    Products are flattened from the branch tree: each leaf ``product`` gets the
    names of the ``vendor``, ``product_name`` (or ``product_family``) and
    ``product_version`` (or ``service_pack``) branches above it, and its CPE.

    Raises:
        InputError: Every problem, by JSON path.
    """
    reader = _Reader(file)
    document = reader.document(content)
    head = reader.mapping(document.get("document"), "document") or {}
    if head and reader.text(head, "csaf_version", "document") not in ("", "2.0"):
        reader.problem("document.csaf_version", f'is {head["csaf_version"]!r}; expected "2.0"')
    tracking = reader.mapping(head.get("tracking"), "document.tracking") or {}
    advisory_id = reader.text(tracking, "id", "document.tracking")
    released = reader.moment(tracking, "initial_release_date", "document.tracking")
    publisher = head.get("publisher", {})
    products: dict[str, AdvisoryProduct] = {}
    tree = document.get("product_tree", {})
    if isinstance(tree, dict):
        for product in _leaves(reader, tree.get("branches", []), "product_tree.branches", {}):
            products[product.id] = product
        for index, raw in enumerate(tree.get("full_product_names", []) or []):
            where = f"product_tree.full_product_names[{index}]"
            item = reader.mapping(raw, where)
            if item is not None:
                named = _product(reader, item, where, {})
                if named is not None:
                    products.setdefault(named.id, named)
    vulnerabilities = []
    for index, raw in enumerate(
        reader.array(document.get("vulnerabilities", []), "vulnerabilities")
    ):
        where = f"vulnerabilities[{index}]"
        item = reader.mapping(raw, where)
        if item is None or "cve" not in item:
            continue
        vulnerabilities.append(_advisory_vulnerability(reader, item, where, products))
    reader.check()
    assert released is not None
    return Advisory(
        file=file,
        id=advisory_id,
        title=reader.text(head, "title", "document", required=False),
        publisher=str(publisher.get("name", "")) if isinstance(publisher, dict) else "",
        released=released,
        products=dict(sorted(products.items())),
        vulnerabilities=tuple(vulnerabilities),
    )


def _leaves(
    reader: _Reader, branches: object, where: str, path: Mapping[str, str]
) -> Iterator[AdvisoryProduct]:
    for index, raw in enumerate(reader.array(branches, where)):
        here = f"{where}[{index}]"
        branch = reader.mapping(raw, here)
        if branch is None:
            continue
        category = reader.text(branch, "category", here)
        name = reader.text(branch, "name", here)
        below = dict(path)
        if category == "vendor":
            below["vendor"] = name
        elif category in ("product_name", "product_family"):
            below.setdefault("product", name)
            if category == "product_name":
                below["product"] = name
        elif category in _VERSION_CATEGORIES:
            below["version"] = name
        if "product" in branch:
            item = reader.mapping(branch["product"], f"{here}.product")
            if item is not None:
                product = _product(reader, item, f"{here}.product", below)
                if product is not None:
                    yield product
        if "branches" in branch:
            yield from _leaves(reader, branch["branches"], f"{here}.branches", below)


def _product(
    reader: _Reader, item: Mapping[str, Any], where: str, path: Mapping[str, str]
) -> AdvisoryProduct | None:
    product_id = reader.text(item, "product_id", where)
    name = reader.text(item, "name", where)
    if not product_id:
        return None
    helper = item.get("product_identification_helper", {})
    cpe = helper.get("cpe", "") if isinstance(helper, dict) else ""
    return AdvisoryProduct(
        id=product_id,
        name=name,
        vendor=path.get("vendor", ""),
        product=path.get("product", ""),
        version=path.get("version", ""),
        cpe=cpe if isinstance(cpe, str) else "",
    )


def _advisory_vulnerability(
    reader: _Reader, item: Mapping[str, Any], where: str, products: Mapping[str, AdvisoryProduct]
) -> AdvisoryVulnerability:
    cve = reader.cve(item, "cve", where)
    status = item.get("product_status", {})
    affected: list[str] = []
    if isinstance(status, dict):
        for key in ("known_affected", "first_affected", "last_affected"):
            for product_id in reader.array(status.get(key, []), f"{where}.product_status.{key}"):
                if product_id not in products:
                    reader.problem(
                        f"{where}.product_status.{key}",
                        f"names product {product_id!r}, which the product tree does not define",
                    )
                affected.append(str(product_id))
    remediations = []
    for index, raw in enumerate(
        reader.array(item.get("remediations", []), f"{where}.remediations")
    ):
        place = f"{where}.remediations[{index}]"
        entry = reader.mapping(raw, place)
        if entry is None:
            continue
        remediations.append(
            Remediation(
                category=reader.text(entry, "category", place),
                details=reader.text(entry, "details", place),
                product_ids=tuple(str(p) for p in entry.get("product_ids", []) or []),
                url=reader.text(entry, "url", place, required=False),
            )
        )
    vectors = []
    for index, raw in enumerate(reader.array(item.get("scores", []), f"{where}.scores")):
        if not isinstance(raw, dict):
            continue
        for key in ("cvss_v4", "cvss_v3"):
            block = raw.get(key)
            if isinstance(block, dict) and "vectorString" in block:
                vector = reader.vector(
                    block["vectorString"], f"{where}.scores[{index}].{key}.vectorString"
                )
                if vector:
                    vectors.append(vector)
    return AdvisoryVulnerability(
        cve=cve,
        title=reader.text(item, "title", where, required=False),
        known_affected=tuple(dict.fromkeys(affected)),
        remediations=tuple(remediations),
        cvss=tuple(dict.fromkeys(vectors)),
    )


def _read(path: Path, problems: list[Problem]) -> bytes | None:
    try:
        return read_input(path)
    except OSError as error:
        problems.append(Problem(str(path), "", f"cannot read: {error.strerror}"))
    except ValueError as error:  # not a regular file, or too large
        problems.append(Problem(str(path), "", f"cannot read: {error}"))
    return None


def _json_files(directory: Path, problems: list[Problem]) -> list[Path]:
    if not directory.is_dir():
        problems.append(Problem(str(directory), "", "is not a directory"))
        return []
    return sorted(p for p in directory.rglob("*.json") if p.is_file())


def read_feeds(
    *,
    kev: Path | None = None,
    epss: Path | None = None,
    csaf: Path | None = None,
    vulnrichment: Path | None = None,
) -> Feeds:
    """Read the feeds given; a directory is read recursively (``*.json``).

    Args:
        kev: The KEV catalog file.
        epss: The EPSS CSV file (plain or gzipped).
        csaf: A directory of CSAF advisories.
        vulnrichment: A directory of CVE JSON 5 records (a ``cisagov/vulnrichment``
            checkout, or the cache's ``vulnrichment/``).

    Raises:
        InputError: Every problem of every file.
    """
    problems: list[Problem] = []
    result: dict[str, Any] = {}

    def attempt(call: Any, *args: Any) -> Any:
        try:
            return call(*args)
        except InputError as error:
            problems.extend(error.problems)
            return None

    if kev is not None and (content := _read(kev, problems)) is not None:
        found = attempt(read_kev_catalog, content, str(kev))
        if found:
            result["kev"], result["kev_version"], result["kev_released"] = found
    if epss is not None and (content := _read(epss, problems)) is not None:
        found = attempt(read_epss, content, str(epss))
        if found:
            result["epss"], result["epss_date"] = found
    records: dict[str, CveRecord] = {}
    for path in _json_files(vulnrichment, problems) if vulnrichment is not None else ():
        if (content := _read(path, problems)) is not None:
            record = attempt(read_vulnrichment, content, str(path))
            if record is not None:
                records[record.cve] = record
    advisories: list[Advisory] = []
    for path in _json_files(csaf, problems) if csaf is not None else ():
        if (content := _read(path, problems)) is not None:
            advisory = attempt(read_csaf, content, str(path))
            if advisory is not None:
                advisories.append(advisory)
    if problems:
        raise InputError(problems)
    return Feeds(
        records=dict(sorted(records.items())),
        advisories=tuple(sorted(advisories, key=lambda a: (a.id, a.file))),
        **result,
    )


#: Where ``maintlib feeds update`` keeps each feed, inside the cache directory.
CACHE_LAYOUT = {
    "kev": "kev/known_exploited_vulnerabilities.json",
    "epss": "epss/epss_scores-current.csv.gz",
    "csaf": "csaf",
    "vulnrichment": "vulnrichment",
}


def cache_paths(directory: Path) -> dict[str, Path]:
    """The feeds present in a cache directory (``CACHE_LAYOUT``), by name.

    Raises:
        InputError: ``directory`` is not a directory.
    """
    if not directory.is_dir():
        raise InputError([Problem(str(directory), "", "is not a directory")])
    return {
        name: directory / relative
        for name, relative in CACHE_LAYOUT.items()
        if (directory / relative).exists()
    }
