"""Vulnerabilities of the inventory's assets: matched, enriched, and given a deadline.

The stage between the feeds and the emergency work (``docs/vulnerabilities.md``):

1. **Match** (:func:`match`): the asset's own CVE list, CVE records whose affected
   vendor/product/version range covers the asset, and CSAF advisories whose
   affected products (vendor/product/version, or CPE) are the asset's. Advisories
   that match no asset are reported, never dropped.
2. **Enrich**: each match becomes a :class:`Finding` with the KEV entry, EPSS
   score, SSVC decision points and the highest CVSS base score known for the CVE.
3. **Rule** (:func:`assess`): every chosen :class:`VulnerabilityPolicy` — the
   built-in ``bod-26-04``, ``pci-dss-4``, ``bio``, ``cis-v8``, ``cvss-bands`` or a
   pack's — gives a :class:`Ruling`; a KEV entry's own ``dueDate`` is one too. The
   strictest deadline wins (ties: policy id, then criterion — never the order
   the policies were chosen in).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping, Sequence

from maintlib.model.cve import cvss_base_score
from maintlib.model.feeds import Advisory, AdvisoryProduct, CveRecord, Feeds, KevEntry
from maintlib.model.inventory import Asset, Inventory
from maintlib.model.naming import ProductFamily, normalise, same_vendor, spellings
from maintlib.model.vulnerabilities import Finding, Match, Unmatched

__all__ = ["CUMULATIVE_DAYS", "Identities", "feed_products", "findings", "match", "normalise"]


def _version_key(version: str) -> tuple[int, ...] | None:
    parts = re.findall(r"\d+", version)
    if not parts or not re.fullmatch(r"[vV]?\d+(\.\d+)*", version.strip()):
        return None
    return tuple(int(p) for p in parts)


def _in_range(version: str, lower: str, less_than: str, at_most: str) -> bool:
    """Whether ``version`` lies in ``[lower, less_than)`` or ``[lower, at_most]``.

    Dotted numeric versions are compared numerically; anything else only by
    equality with ``lower``.
    """
    key, low = _version_key(version), _version_key(lower)
    if key is None or low is None:
        return normalise(version) == normalise(lower)
    if key < low:
        return False
    if less_than and (high := _version_key(less_than)) is not None:
        return key < high
    if at_most and (high := _version_key(at_most)) is not None:
        return key <= high
    return key == low


#: How a feed's product field lists several products: ``IOS and IOS XE Software``,
#: ``IOS, IOS XR, and IOS XE``, ``FortiOS and FortiProxy``.
_LIST = re.compile(r"\s*,\s*and\s+|\s*,\s*|\s+and\s+|\s*/\s*")


def feed_products(vendor: str, product: str) -> tuple[str, ...]:
    """The products a feed's ``vendor``/``product`` pair names, normalised.

    ``("Cisco", "IOS and IOS XE Software")`` → ``("ios", "ios xe")``: a list is
    split, a trailing ``Software`` and a leading vendor name are dropped.
    """
    folded = normalise(vendor)
    found = []
    for part in _LIST.split(product):
        name = normalise(part)
        if folded and name.startswith(folded + " "):
            name = name[len(folded) + 1 :]
        name = re.sub(r" software$", "", name)
        if name:
            found.append(name)
    return tuple(dict.fromkeys(found))


class Identities:
    """Who an inventory's assets are, as feeds name them.

    Each asset goes by its vendor with each of its product spellings
    (:func:`~maintlib.model.naming.spellings`), and — through the packs'
    :class:`~maintlib.model.naming.ProductFamily` s — by the software its product
    runs (``FortiGate 100F`` runs ``FortiOS``).
    """

    def __init__(self, inventory: Inventory, families: Sequence[ProductFamily] = ()) -> None:
        self._names: dict[str, set[tuple[str, str]]] = {}
        self._families: dict[str, list[ProductFamily]] = {}
        #: vendor → every name a product of the vendor goes by (for the longest match).
        self.known: dict[str, set[str]] = {}
        for family in families:
            for vendor in (family.vendor, *family.vendor_names):
                self.known.setdefault(normalise(vendor), set()).update(
                    normalise(name) for name in family.software
                )
        for asset in inventory.assets:
            names = self._names.setdefault(asset.id, set())
            if asset.vendor:
                vendor = normalise(asset.vendor)
                for product, _ in spellings(asset):
                    if product:
                        names.add((vendor, normalise(product)))
            for family in families:
                if asset.vendor and family.covers(asset, asset.vendor):
                    self._families.setdefault(asset.id, []).append(family)
                    for vendor in (family.vendor, *family.vendor_names, asset.vendor):
                        names.update((normalise(vendor), normalise(sw)) for sw in family.software)
            for vendor, name in names:
                self.known.setdefault(vendor, set()).add(name)

    def families(self, asset: Asset) -> tuple[ProductFamily, ...]:
        """The families the asset belongs to."""
        return tuple(self._families.get(asset.id, ()))

    def names(self, asset: Asset, vendor: str, product: str) -> bool:
        """Whether a feed's ``vendor``/``product`` names the asset.

        A listed product names the asset when the longest name of the vendor's
        products it starts with is one the asset goes by: ``IOS XE Web UI`` names an
        IOS XE device, ``IOS Software`` does not.
        """
        mine = {name for v, name in self._names.get(asset.id, ()) if same_vendor(v, vendor)}
        if not mine:
            return False
        known = self.known.get(normalise(vendor), set()) | mine
        for listed in feed_products(vendor, product):
            prefixes = [n for n in known if listed == n or listed.startswith(n + " ")]
            if prefixes and max(prefixes, key=len) in mine:
                return True
        return False

    def versions(self, asset: Asset) -> tuple[str, ...]:
        """The asset's version, as written or split off its product's name."""
        found = [asset.version] if asset.version else []
        found += [version for _, version in spellings(asset) if version]
        return tuple(dict.fromkeys(found))


def _record_affects(record: CveRecord, asset: Asset, identities: Identities) -> bool | None:
    """Whether the CVE record says the asset's version is affected: True, False (a
    range for its product excludes its version), or None (the record says nothing
    about it, or the asset has no version)."""
    versions = identities.versions(asset)
    verdict: bool | None = None
    for vendor, product, ranges in record.ranges:
        if not identities.names(asset, vendor, product) or not versions:
            continue
        if any(_in_range(v, *bounds) for v in versions for bounds in ranges):
            return True
        verdict = False
    return verdict


def _cpe_key(cpe: str) -> tuple[str, ...]:
    """``(part, vendor, product, version)`` of a CPE 2.3 string or a CPE 2.2 URI."""
    if cpe.startswith("cpe:2.3:"):
        fields = cpe[8:].split(":")
    elif cpe.startswith("cpe:/"):
        fields = cpe[5:].split(":")
    else:
        return ()
    return tuple(normalise(f) for f in [*fields, "", "", "", ""][:4])


def _cpe_matches(product: AdvisoryProduct, asset: Asset, identities: Identities) -> bool:
    """The advisory's CPE is the asset's, or its vendor:product is a family's
    software at the asset's version."""
    if not product.cpe:
        return False
    key = _cpe_key(product.cpe)
    if asset.cpe and key == _cpe_key(asset.cpe):
        return True
    if len(key) < 4 or not key[3] or key[3] not in map(normalise, identities.versions(asset)):
        return False
    return any(
        (key[1], key[2]) == tuple(normalise(part) for part in pair.split(":", 1))
        for family in identities.families(asset)
        for pair in family.cpe
    )


def _advisory_matches(
    advisory: Advisory, asset: Asset, identities: Identities
) -> Iterable[tuple[str, str, str, str]]:
    """``(cve, product id, how, remediation)`` for each vulnerability hitting the asset."""
    versions = {normalise(v) for v in identities.versions(asset)}
    for vulnerability in advisory.vulnerabilities:
        for product_id in vulnerability.known_affected:
            product = advisory.products.get(product_id)
            if product is None:
                continue
            how = ""
            if _cpe_matches(product, asset, identities):
                how = "cpe"
            elif (
                product.vendor
                and product.product
                and identities.names(asset, product.vendor, product.product)
                and normalise(product.version) in versions
            ):
                how = "vendor/product/version"
            if not how:
                continue
            fixes = [
                r
                for r in vulnerability.remediations
                if not r.product_ids or product_id in r.product_ids
            ]
            fixes.sort(key=lambda r: (r.category != "vendor_fix", r.category))
            remediation = f"{fixes[0].details} ({fixes[0].category})" if fixes else ""
            yield vulnerability.cve, product_id, how, remediation
            break


#: A cumulative product's KEV entries matched by name only count for this long
#: before the assessment day: older ones are fixed by the routine cumulative update
#: (a month's update contains every earlier month's fixes).
CUMULATIVE_DAYS = 35


def _by_name(
    inventory: Inventory,
    feeds: Feeds,
    identities: Identities,
    found: Mapping[tuple[str, str], Match],
    as_of: dt.date | None,
) -> tuple[list[Match], list[Unmatched]]:
    """KEV entries matched to assets by vendor and product name (no version in the KEV)."""
    matches: list[Match] = []
    excluded: list[Unmatched] = []
    covered: dict[str, int] = {}
    for cve, entry in feeds.kev.items():
        for asset in inventory.assets:
            if (asset.id, cve) in found or not identities.names(asset, entry.vendor, entry.product):
                continue
            record = feeds.records.get(cve)
            if record is not None and _record_affects(record, asset, identities) is False:
                excluded.append(
                    Unmatched(
                        "KEV",
                        cve,
                        f"{entry.vendor} {entry.product} names {asset.id}, but its version"
                        f" {', '.join(identities.versions(asset))} is outside the affected"
                        " versions of the CVE record",
                    )
                )
                continue
            families = identities.families(asset)
            if (
                as_of is not None
                and families
                and all(f.cumulative for f in families)
                and entry.date_added < as_of - dt.timedelta(days=CUMULATIVE_DAYS)
            ):
                covered[asset.id] = covered.get(asset.id, 0) + 1
                continue
            version = identities.versions(asset)
            runs = f"{asset.product or asset.os} is {entry.vendor} {entry.product}"
            if families:
                runs = f"{asset.product or asset.os} runs {families[0].name}"
            matches.append(
                Match(
                    asset.id,
                    cve,
                    f"KEV by name ({runs}); version "
                    + (f"{version[0]} not excluded by any record" if version else "unknown"),
                    name_only=True,
                )
            )
    notes = [
        Unmatched(
            "KEV",
            f"{count} entries",
            f"{asset}: older than {CUMULATIVE_DAYS} days before {as_of}; its cumulative"
            " updates, which the routine work installs, contain the fixes (list a CVE on"
            " the asset if it is not patched monthly)",
        )
        for asset, count in sorted(covered.items())
    ]
    return matches, excluded + notes


def match(
    inventory: Inventory,
    feeds: Feeds,
    families: Sequence[ProductFamily] = (),
    *,
    as_of: dt.date | None = None,
) -> tuple[tuple[Match, ...], tuple[Unmatched, ...]]:
    """Every CVE that applies to an asset, and what the feeds say that applies to none.

    Args:
        inventory: The inventory.
        feeds: What the feeds say.
        families: The packs' product families (``FortiGate`` runs ``FortiOS``).
        as_of: The assessment day (for cumulative products' older KEV entries).

    Returns:
        The matches, by asset then CVE (one per asset and CVE: the first way found
        — inventory, then CVE record, then CSAF by advisory id, then the KEV by
        name), and the unmatched: CSAF vulnerabilities no asset has, KEV entries of
        an asset's vendor that name no product, and cumulative products' older KEV
        entries (counted per asset).
    """
    identities = Identities(inventory, families)
    found: dict[tuple[str, str], Match] = {}

    def add(item: Match) -> None:
        found.setdefault((item.asset, item.cve), item)

    for asset in inventory.assets:
        for vulnerability in asset.vulnerabilities:
            add(Match(asset.id, vulnerability.id, "inventory"))
        for record in feeds.records.values():
            if _record_affects(record, asset, identities):
                add(Match(asset.id, record.cve, "CVE record (vendor/product/version)"))
    unmatched: list[Unmatched] = []
    for advisory in feeds.advisories:
        unmatched += _advisory_findings(advisory, inventory, identities, add)
    by_name, covered = _by_name(inventory, feeds, identities, found, as_of)
    for item in by_name:
        add(item)
    unmatched += covered
    unmatched += _unnamed_kev_products(inventory, feeds, {cve for _, cve in found})
    return tuple(found[key] for key in sorted(found)), tuple(
        sorted(unmatched, key=lambda u: (u.cve, u.source, u.reason))
    )


def _advisory_findings(
    advisory: Advisory,
    inventory: Inventory,
    identities: Identities,
    add: Callable[[Match], None],
) -> list[Unmatched]:
    """Add the matches of one CSAF advisory; return its vulnerabilities no asset has."""
    hit: set[str] = set()
    for asset in inventory.assets:
        for cve, product_id, how, remediation in _advisory_matches(advisory, asset, identities):
            hit.add(cve)
            add(
                Match(
                    asset.id,
                    cve,
                    f"CSAF {advisory.id} product {product_id} ({how})",
                    advisory.id,
                    remediation,
                )
            )
    return [
        Unmatched(
            f"CSAF {advisory.id} ({advisory.file})",
            entry.cve,
            "no asset has an affected product (vendor/product/version or CPE)",
        )
        for entry in advisory.vulnerabilities
        if entry.cve not in hit
    ]


def _unnamed_kev_products(inventory: Inventory, feeds: Feeds, matched: set[str]) -> list[Unmatched]:
    """KEV entries of an asset's vendor listed as "multiple products", not matched."""
    vendors = {a.vendor for a in inventory.assets if a.vendor}
    unmatched = []
    for cve, listed in feeds.kev.items():
        if cve in matched or normalise(listed.product) != "multiple products":
            continue
        owners = sorted(v for v in vendors if same_vendor(v, listed.vendor))
        if owners:
            unmatched.append(
                Unmatched(
                    "KEV",
                    cve,
                    f"{listed.vendor} lists {listed.product!r}: which of {owners[0]}'s"
                    " products is not said; list the CVE on the asset if it applies",
                )
            )
    return unmatched


def _known(
    feeds: Feeds, kev: KevEntry | None, advisory: Advisory | None
) -> list[tuple[dt.date, dt.datetime | None]]:
    """When the finding became known, per source: the day, and the moment where the
    source says (a KEV entry added on the catalog's release day: the release)."""
    found: list[tuple[dt.date, dt.datetime | None]] = []
    if kev is not None:
        released = feeds.kev_released
        same_day = released is not None and released.astimezone(dt.UTC).date() == kev.date_added
        found.append((kev.date_added, released if same_day else None))
    if advisory is not None:
        found.append((advisory.released.date(), advisory.released))
    return sorted(found, key=lambda item: item[0])


def findings(
    inventory: Inventory, feeds: Feeds, matches: Sequence[Match], as_of: dt.date
) -> list[Finding]:
    """Each match with everything the feeds say about its CVE: KEV entry, EPSS, SSVC,
    the highest CVSS score, when it became known and when the fix was released."""
    advisories = {a.id: a for a in feeds.advisories}
    advisory_vectors = {(a.id, v.cve): v.cvss for a in feeds.advisories for v in a.vulnerabilities}
    result = []
    for item in matches:
        asset = inventory.asset(item.asset)
        kev = feeds.kev.get(item.cve)
        record = feeds.records.get(item.cve)
        advisory = advisories.get(item.advisory)
        vectors = [v.cvss for v in asset.vulnerabilities if v.id == item.cve and v.cvss]
        vectors += record.cvss if record else ()
        vectors += advisory_vectors.get((item.advisory, item.cve), ())
        scores = [cvss_base_score(v) for v in vectors if v]
        known = _known(feeds, kev, advisory)
        fix_released, fix_source = None, ""
        if advisory is not None:
            fix_released, fix_source = advisory.released.date(), f"CSAF {advisory.id} release"
        elif record is not None and record.published is not None:
            fix_released, fix_source = record.published, "CVE record datePublished"
        result.append(
            Finding(
                asset=asset,
                cve=item.cve,
                via=item.via,
                known_since=known[0][0] if known else as_of,
                kev=kev,
                epss=feeds.epss.get(item.cve),
                ssvc=record.ssvc if record else None,
                cvss=max(scores) if scores else None,
                remediation=item.remediation or (kev.required_action if kev else ""),
                advisory=item.advisory,
                known_at=known[0][1] if known else None,
                name_only=item.name_only,
                fix_released=fix_released,
                fix_source=fix_source,
            )
        )
    return result
