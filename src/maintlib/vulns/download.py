"""``maintlib feeds update``: the public feeds, downloaded into a cache directory.

The only module of maintlib that touches the network, and only when called. Each
download is conditional (``If-None-Match`` with the ETag, ``If-Modified-Since``
with the ``Last-Modified`` of the copy in the cache), checked — complete, and
readable by its feed reader — and only then put in place with an atomic rename,
so a failed or truncated download leaves the old copy intact. After an update
everything works offline: ``maintlib plan --feeds DIR``.

The cache layout (``docs/vulnerabilities.md``)::

    DIR/kev/known_exploited_vulnerabilities.json
    DIR/epss/epss_scores-current.csv.gz
    DIR/csaf/<advisory file name>
    DIR/vulnrichment/<year>/<bucket>/CVE-….json
    DIR/eol/<product>.json                       endoflife.date API v1 (``--eol``)
    DIR/.meta/<the same relative path>.json    {"url", "etag", "last_modified"}
"""

from __future__ import annotations

import http.client
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import attrs

from maintlib._util.files import write_all
from maintlib.model.errors import InputError
from maintlib.model.feeds import CVE_ID
from maintlib.model.limits import read_input
from maintlib.packs.eol import API, EOL_CACHE, MAX_EOL_BYTES, read_eol_product, shipped_lifecycle
from maintlib.vulns.feeds import CACHE_LAYOUT, read_csaf, read_epss, read_kev, read_vulnrichment

__all__ = [
    "SOURCES",
    "Fetched",
    "copy_eol",
    "eol_products",
    "eol_targets",
    "parse_source",
    "targets",
    "update",
    "vulnrichment_path",
]


#: Where the public feeds are published.
SOURCES = {
    "kev": "https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json",
    "epss": "https://epss.empiricalsecurity.com/epss_scores-current.csv.gz",
}


#: One CVE record of ``cisagov/vulnrichment`` (``2024/21xxx/CVE-2024-21762.json``).
VULNRICHMENT = "https://raw.githubusercontent.com/cisagov/vulnrichment/develop/{path}"


#: How each part of the cache is checked before it replaces the old copy.
CHECKS: dict[str, Callable[[bytes, str], Any]] = {
    "kev": read_kev,
    "epss": read_epss,
    "csaf": read_csaf,
    "vulnrichment": read_vulnrichment,
    EOL_CACHE: read_eol_product,
}


@attrs.frozen
class Fetched:
    """The outcome of one download.

    Attributes:
        target: The path inside the cache (``kev/known_exploited_vulnerabilities.json``).
        url: Where it came from.
        status: ``updated``, ``not modified`` or ``failed``.
        detail: Why it failed, or the size written.
    """

    target: str
    url: str
    status: str
    detail: str = ""


def vulnrichment_path(cve: str) -> str:
    """``2024/21xxx/CVE-2024-21762.json``: where the repository keeps a CVE's record."""
    _, year, number = cve.split("-")
    return f"{year}/{number[:-3]}xxx/{cve}.json"


def targets(
    sources: Mapping[str, str] | None = None,
    csaf: list[str] | tuple[str, ...] = (),
    cves: list[str] | tuple[str, ...] = (),
) -> dict[str, str]:
    """What to download: path inside the cache → URL.

    Args:
        sources: ``kev`` and ``epss`` URLs replacing :data:`SOURCES` (a mirror).
        csaf: CSAF advisory URLs (a vendor's out-of-band advisory, say).
        cves: CVE ids whose Vulnrichment records to fetch.

    Raises:
        ValueError: An unknown source name or a malformed CVE id.
    """
    urls = dict(SOURCES)
    for name, url in (sources or {}).items():
        if name not in SOURCES:
            raise ValueError(f"unknown feed {name!r}; known: {', '.join(SOURCES)}")
        urls[name] = url
    result = {CACHE_LAYOUT[name]: url for name, url in urls.items()}
    for url in csaf:
        name = Path(urllib.parse.urlparse(url).path).name or "advisory.json"
        result[f"{CACHE_LAYOUT['csaf']}/{name}"] = url
    for cve in cves:
        if not CVE_ID.fullmatch(cve):
            raise ValueError(f"{cve!r} is not a CVE id")
        path = vulnrichment_path(cve)
        result[f"{CACHE_LAYOUT['vulnrichment']}/{path}"] = VULNRICHMENT.format(path=path)
    return result


_PRODUCT = re.compile(r"[a-z0-9][a-z0-9._-]{0,99}")


def eol_products(names: list[str] | tuple[str, ...] = ()) -> list[str]:
    """The endoflife.date products to refresh: ``names``, or every product of the
    shipped snapshot (the ones the packs read).

    Raises:
        ValueError: A name that is not an endoflife.date product name.
    """
    for name in names:
        if not _PRODUCT.fullmatch(name):
            raise ValueError(f"{name!r} is not an endoflife.date product name")
    return sorted(set(names)) or [product.name for product in shipped_lifecycle().products]


def eol_targets(products: list[str], base: str = API) -> dict[str, str]:
    """Path inside the cache → URL of each product's API v1 document (``base`` is
    ``https://endoflife.date/api/v1/products`` or a mirror of it)."""
    return {f"{EOL_CACHE}/{name}.json": f"{base.rstrip('/')}/{name}" for name in products}


def copy_eol(cache: Path, directory: Path, products: list[str]) -> list[Fetched]:
    """Copy each product's API v1 document from ``directory`` (``<product>.json``,
    saved from the API elsewhere) into ``cache``, checked first; a bad or missing file
    leaves the cached copy as it was."""
    results = []
    for name in products:
        target = f"{EOL_CACHE}/{name}.json"
        source = directory / f"{name}.json"
        try:
            body = read_input(source, MAX_EOL_BYTES)
            product = read_eol_product(body, str(source))
        except InputError as error:
            results.append(
                Fetched(target, str(source), "failed", f"not valid: {error.problems[0]}")
            )
            continue
        except (OSError, ValueError) as error:
            reason = getattr(error, "strerror", None) or str(error)
            results.append(Fetched(target, str(source), "failed", reason))
            continue
        if product.name != name:
            detail = f"holds product {product.name!r}, not {name!r}"
            results.append(Fetched(target, str(source), "failed", detail))
            continue
        write_all({cache / target: body})
        results.append(Fetched(target, str(source), "updated", f"{len(body)} bytes"))
    return results


def _meta_path(cache: Path, target: str) -> Path:
    return cache / ".meta" / f"{target}.json"


def _conditional(cache: Path, target: str, url: str) -> dict[str, str]:
    meta_path = _meta_path(cache, target)
    if not (cache / target).is_file() or not meta_path.is_file():
        return {}
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(meta, dict) or meta.get("url") != url:
        return {}
    headers = {}
    if meta.get("etag"):
        headers["If-None-Match"] = str(meta["etag"])
    if meta.get("last_modified"):
        headers["If-Modified-Since"] = str(meta["last_modified"])
    return headers


def _fetch(cache: Path, target: str, url: str, timeout: float) -> Fetched:
    request = urllib.request.Request(url, headers=_conditional(cache, target, url))
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            expected = response.headers.get("Content-Length")
            body = response.read()
            etag = response.headers.get("ETag", "")
            modified = response.headers.get("Last-Modified", "")
    except urllib.error.HTTPError as error:
        if error.code == 304:
            return Fetched(target, url, "not modified")
        return Fetched(target, url, "failed", f"HTTP {error.code} {error.reason}")
    except http.client.IncompleteRead as error:
        return Fetched(target, url, "failed", f"truncated: {len(error.partial)} bytes received")
    except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
        return Fetched(target, url, "failed", str(getattr(error, "reason", error)))
    if expected is not None and expected.isdigit() and int(expected) != len(body):
        return Fetched(target, url, "failed", f"truncated: {len(body)} of {expected} bytes")
    kind = target.split("/", 1)[0]
    try:
        checked = CHECKS[kind](body, url)
    except InputError as error:
        return Fetched(target, url, "failed", f"not a valid {kind} file: {error.problems[0]}")
    if kind == EOL_CACHE and checked.name != Path(target).stem:
        detail = f"holds product {checked.name!r}, not {Path(target).stem!r}"
        return Fetched(target, url, "failed", detail)
    meta = {"url": url, "etag": etag, "last_modified": modified}
    # Content first, then what it was fetched with: an interrupted update never
    # pairs new validators with old content.
    write_all({cache / target: body})
    write_all({_meta_path(cache, target): (json.dumps(meta, indent=2) + "\n").encode()})
    return Fetched(target, url, "updated", f"{len(body)} bytes")


def update(cache: Path, downloads: Mapping[str, str], *, timeout: float = 60) -> list[Fetched]:
    """Download each target into ``cache``, conditionally and atomically.

    Args:
        cache: The cache directory (created when missing).
        downloads: Path inside the cache → URL (:func:`targets`).
        timeout: Seconds to wait for each server.

    Returns:
        One outcome per target, in path order. A failed download leaves the copy
        already in the cache as it was.
    """
    cache.mkdir(parents=True, exist_ok=True)
    return [_fetch(cache, target, downloads[target], timeout) for target in sorted(downloads)]


def parse_source(text: str) -> tuple[str, str]:
    """``kev=https://…`` → ``("kev", "https://…")``.

    Raises:
        ValueError: Not of that form.
    """
    match = re.fullmatch(r"([a-z]+)=(\S+)", text)
    if not match:
        raise ValueError(f"{text!r} is not NAME=URL (kev=https://…)")
    return match[1], match[2]
