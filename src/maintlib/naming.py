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

import re
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from maintlib.inventory import Asset

__all__ = ["VERSION_TOKEN", "spellings"]

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


def spellings(asset: Asset) -> tuple[tuple[str, str], ...]:
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
