"""How rules read an asset's product: the spellings one product goes by.

People write the same product in several ways: ``product = "Windows Server"`` with
``version = "2016"``, or ``product = "Windows Server 2016"``; ``"Windows 11 Pro"``
with ``"24H2"``, or ``"Windows 11 Pro 24H2"`` (as an RMM export does); a switch as
``"Catalyst 9300 IOS XE"`` (the model, then its operating system) or with an
explicit ``os = "IOS XE"``. A rule's ``product`` and ``version`` globs match an
asset when they match any one of its spellings (both globs the same spelling), so
each of these finds the vendor's rules. ``docs/inventory.md`` ("Product names")
documents the spellings.
"""

from __future__ import annotations

import fnmatch
import re
from functools import lru_cache
from typing import Protocol

import attrs

__all__ = [
    "VERSION_TOKEN",
    "Product",
    "ProductFamily",
    "normalise",
    "os_spellings",
    "same_vendor",
    "spellings",
]


class Product(Protocol):
    """What an asset says about its product (an :class:`~maintlib.model.inventory.Asset`
    is one)."""

    @property
    def product(self) -> str: ...

    @property
    def version(self) -> str: ...

    @property
    def os(self) -> str: ...


#: A version written inside a product name: a year release (``2016``, ``2012 R2``),
#: a Windows half-year release (``24H2``), or a dotted release (``7.4.7``). Plain
#: numbers such as the ``11`` of ``Windows 11`` are part of the name.
VERSION_TOKEN = re.compile(
    r"(?<!\S)(?P<version>(?:19|20)\d\d(?: R\d)?|\d\dH\d|\d+\.\d+(?:\.\d+)*)(?!\S)",
    re.IGNORECASE,
)


def _split(name: str) -> tuple[tuple[str, str], ...]:
    """``"Windows Server 2022 Datacenter"`` → ``("Windows Server", "2022")`` and
    ``("Windows Server Datacenter", "2022")``: the name without its version, with
    and without the words after it (an edition)."""
    found = VERSION_TOKEN.search(name)
    if found is None:
        return ()
    before = name[: found.start()].strip()
    after = name[found.end() :].strip()
    if not before:
        return ()
    version = found.group("version")
    pairs = [(before, version)]
    if after:
        pairs.append((f"{before} {after}", version))
    return tuple(pairs)


def _tails(name: str) -> tuple[str, ...]:
    """Every tail of ``name`` that starts at a word: the OS after a model name."""
    words = name.split()
    return tuple(" ".join(words[i:]) for i in range(1, len(words)))


@lru_cache(maxsize=4096)
def _spellings(product: str, version: str, os: str) -> tuple[tuple[str, str], ...]:
    found: list[tuple[str, str]] = [(product, version)]
    names = [product] + ([os] if os else [])
    if os:
        found.append((os, version))
    for name in names:
        found.extend(_split(name))
        for tail in _tails(name):
            found.append((tail, version))
            found.extend(_split(tail))
    return tuple(dict.fromkeys(found))


def spellings(asset: Product) -> tuple[tuple[str, str], ...]:
    """Every ``(product, version)`` an asset's product goes by, as written first.

    * as written: ``(product, version)``;
    * its operating system, when the asset names one: ``(os, version)``;
    * a version inside the name, split off (``"Windows Server 2016"`` →
      ``("Windows Server", "2016")``; words after the version, an edition, are
      kept in a second spelling and dropped in the first);
    * every tail of the name that starts at a word (``"Catalyst 9300 IOS XE"`` →
      ``"IOS XE"``), with its version split off likewise.
    """
    return _spellings(asset.product, asset.version, asset.os)


def os_spellings(asset: Product) -> tuple[tuple[str, str], ...]:
    """The spellings of the asset's operating system alone (``os`` with the asset's
    ``version``, split and tailed as :func:`spellings` does), or none: what a
    vendor's rule reads when the hardware is another vendor's."""
    return _spellings(asset.os, asset.version, "") if asset.os else ()


def normalise(text: str) -> str:
    """A vendor, product or version as matching compares it.

    Case-insensitive; runs of spaces, ``_`` and ``-`` count as one space
    (``"FortiOS"``, ``"fortios"``; ``"IOS XE"``, ``"ios-xe"``).
    """
    return re.sub(r"[\s_\-]+", " ", text.casefold()).strip()


def same_vendor(one: str, other: str) -> bool:
    """Whether two spellings name the same vendor: equal once normalised, or one is
    the other with words after it (``Palo Alto`` and ``Palo Alto Networks``,
    ``Fortinet`` and ``Fortinet Inc.``)."""
    a, b = normalise(one), normalise(other)
    return bool(a and b) and (a == b or a.startswith(b + " ") or b.startswith(a + " "))


@attrs.frozen
class ProductFamily:
    """A vendor's product line and the software it runs, as vulnerability feeds name it.

    Inventories name the box (``FortiGate 100F``, ``Catalyst 9300``, ``PA-3220``);
    the KEV catalog, CVE records and CSAF advisories name the software on it
    (``FortiOS``, ``IOS XE Software``, ``PAN-OS``). A family ties the two, so that
    matching finds the devices a feed names. Returned by the
    ``maintlib_product_families`` hook (``docs/plugins/hooks.md``).

    Attributes:
        vendor: The vendor, as feeds and inventories write it (``Fortinet``).
        products: Globs on an asset's product spellings (:func:`spellings`) that
            belong to the family (``FortiGate*``), case-insensitive.
        software: What the family runs, as feeds name it (``FortiOS``); the first is
            its usual name.
        vendor_names: Other spellings of the vendor in feeds and inventories
            (``Juniper`` beside ``Juniper Networks``).
        cpe: The software's CPE ``vendor:product`` (``fortinet:fortios``).
        cumulative: Every release includes the fixes of all earlier ones (a
            monthly cumulative update): a KEV entry matched by name only is then
            covered by the routine update once a cycle has passed.
        citation: Where the facts come from.
        pack: The pack that declared it (set when the catalog is built).
    """

    vendor: str
    products: tuple[str, ...]
    software: tuple[str, ...]
    vendor_names: tuple[str, ...] = ()
    cpe: tuple[str, ...] = ()
    cumulative: bool = False
    citation: str = ""
    pack: str = ""

    def __attrs_post_init__(self) -> None:
        if not self.vendor.strip():
            raise ValueError("a product family needs its vendor")
        if not self.software or not all(name.strip() for name in self.software):
            raise ValueError(f"product family of {self.vendor}: software must name what it runs")

    @property
    def name(self) -> str:
        """``Fortinet FortiOS``: the vendor and the software's usual name."""
        return f"{self.vendor} {self.software[0]}"

    def covers(self, asset: Product, vendor: str) -> bool:
        """Whether an asset of ``vendor`` is one of the family's products (or runs
        its software, named as the product or the ``os``)."""
        if not any(same_vendor(vendor, name) for name in (self.vendor, *self.vendor_names)):
            return False
        patterns = [p.casefold() for p in (*self.products, *self.software)]
        return any(
            fnmatch.fnmatchcase(product.casefold(), pattern)
            for product, _ in spellings(asset)
            for pattern in patterns
        )
