"""Lifecycle data from endoflife.date, in its API v1 format, for the packs' end-of-support
rows (:mod:`maintlib.packs.lifecycle`).

A product's document is what ``https://endoflife.date/api/v1/products/<product>/``
returns: ``{"schema_version": "1.x", "generated_at": ..., "result": {"name": ...,
"releases": [{"name", "label", "releaseDate", "eolFrom", "eoasFrom", "eoesFrom", ...}]}}``
(the API's ``openapi.yml``; ``docs/plugins/lifecycle.md``). maintlib ships a snapshot
of the products its packs cover (``maintlib/packs/endoflife/``, with endoflife.date's
MIT licence and, in each file, the repository path and commit it was built from);
``maintlib feeds update --eol`` puts newer copies into a feed cache, and
:func:`load_lifecycle` prefers a cached copy to the shipped one when it was generated
later. Nothing here touches the network.

A pack asks :meth:`Lifecycle.cycle` for ``("ubuntu", "22.04")`` and gets a
:class:`Cycle` whose :attr:`Cycle.source` (``endoflife.date ubuntu/22.04``) goes into
the rule's citation. Packs receive the :class:`Lifecycle` through the ``lifecycle``
argument of ``maintlib_rules`` and ``maintlib_risk_factors`` (the plugin facade passes
the one it was given, the shipped snapshot by default), so the same inputs give the
same plan.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs

from maintlib._util.json import JsonInputError, loads
from maintlib.model.errors import InputError, Problem
from maintlib.model.limits import date_problem, read_input

__all__ = [
    "API",
    "EOL_CACHE",
    "MAX_EOL_BYTES",
    "MAX_RELEASES",
    "SNAPSHOT",
    "Cycle",
    "EolProduct",
    "Lifecycle",
    "load_lifecycle",
    "read_eol_product",
    "shipped_lifecycle",
]

#: Where endoflife.date's API v1 serves a product: ``{API}/<product>``.
API = "https://endoflife.date/api/v1/products"
#: The folder of a feed cache that ``maintlib feeds update --eol`` fills.
EOL_CACHE = "eol"
#: The snapshot shipped with maintlib: one API v1 product document per file.
SNAPSHOT = Path(__file__).with_name("endoflife")
#: Largest product document read (the biggest endoflife.date product is under 1 MB).
MAX_EOL_BYTES = 4 * 1024 * 1024
#: Most release cycles read from one product.
MAX_RELEASES = 2_000
_PRODUCT = re.compile(r"[a-z0-9][a-z0-9._-]{0,99}")
_SCHEMA = re.compile(r"1\.\d+(\.\d+)?")


@attrs.frozen
class Cycle:
    """One release cycle of a product, as endoflife.date's API v1 describes it.

    Attributes:
        product: The endoflife.date product (``ubuntu``).
        name: The cycle's name (``22.04``, ``2016``, ``13.0-sp3``).
        label: Its label (``22.04 'Jammy Jellyfish' (LTS)``).
        released: ``releaseDate``.
        eol: ``eolFrom``: the end of security support, or None (no date, or none yet).
        eoas: ``eoasFrom``: the end of active support, or None.
        eoes: ``eoesFrom``: the end of extended support (ESM, ELS, ESU), or None.
        lts: ``isLts``.
    """

    product: str
    name: str
    label: str
    released: dt.date | None
    eol: dt.date | None
    eoas: dt.date | None = None
    eoes: dt.date | None = None
    lts: bool = False

    @property
    def source(self) -> str:
        """``endoflife.date <product>/<cycle>``, as a lifecycle fact cites it."""
        return f"endoflife.date {self.product}/{self.name}"

    @property
    def key(self) -> str:
        """``<product>/<cycle>``."""
        return f"{self.product}/{self.name}"


@attrs.frozen(cache_hash=True)
class EolProduct:
    """One product's document: its cycles and when endoflife.date generated it.

    Attributes:
        name: The product (``result.name``).
        generated_at: ``generated_at``; a newer document wins.
        cycles: Its release cycles, in the document's order.
        file: Where it was read from.
    """

    name: str
    generated_at: dt.datetime
    cycles: tuple[Cycle, ...]
    file: str = attrs.field(eq=False)


@attrs.frozen(cache_hash=True)
class Lifecycle:
    """The endoflife.date products a plan is made with, by name."""

    products: tuple[EolProduct, ...] = ()

    def product(self, name: str) -> EolProduct | None:
        """The product's document, or None."""
        return next((product for product in self.products if product.name == name), None)

    def cycle(self, product: str, name: str) -> Cycle:
        """The cycle ``name`` of ``product``.

        Raises:
            LookupError: The product or the cycle is missing (a stale cache or a
                snapshot that lost a cycle; the message names both).
        """
        found = self.product(product)
        if found is None:
            raise LookupError(f"endoflife.date product {product!r} is not in the lifecycle data")
        for cycle in found.cycles:
            if cycle.name == name:
                return cycle
        raise LookupError(f"endoflife.date {product}/{name}: no such cycle in {found.file}")

    def merged(self, newer: Iterable[EolProduct]) -> Lifecycle:
        """This data with each of ``newer`` in place of the same product when it was
        generated later (or the product is new)."""
        products = {product.name: product for product in self.products}
        for product in newer:
            old = products.get(product.name)
            if old is None or product.generated_at > old.generated_at:
                products[product.name] = product
        return Lifecycle(tuple(products[name] for name in sorted(products)))


def _kind(value: object) -> str:
    return "null" if value is None else type(value).__name__


class _Reader:
    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def problem(self, where: str, message: str) -> None:
        self.problems.append(Problem(self.file, where, message))

    def text(self, item: Mapping[str, Any], key: str, where: str) -> str:
        value = item.get(key)
        if isinstance(value, str) and value and len(value) <= 200:
            return value
        self.problem(f"{where}.{key}", f"must be a text of 1 to 200 characters, got {_kind(value)}")
        return ""

    def date(self, item: Mapping[str, Any], key: str, where: str) -> dt.date | None:
        value = item.get(key)
        if value is None:
            return None
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            try:
                day = dt.date.fromisoformat(value)
            except ValueError:
                pass
            else:
                problem = date_problem(day)
                if problem is None:
                    return day
                self.problem(f"{where}.{key}", problem)
                return None
        self.problem(f"{where}.{key}", f"must be a date (YYYY-MM-DD) or null, got {value!r:.40}")
        return None

    def flag(self, item: Mapping[str, Any], key: str, where: str) -> bool:
        value = item.get(key, False)
        if isinstance(value, bool):
            return value
        self.problem(f"{where}.{key}", f"must be true or false, got {_kind(value)}")
        return False


def read_eol_product(content: bytes, file: str = "<endoflife.date>") -> EolProduct:
    """Read one product's endoflife.date API v1 document.

    Unknown fields are ignored (the API adds fields in minor versions); every
    problem is collected with its JSON path.

    Raises:
        InputError: Not JSON, not an API v1 product document, or a field of the
            wrong type — each problem names ``file`` and the path.
    """
    reader = _Reader(file)
    try:
        document = loads(content.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise InputError([Problem(file, "", f"not UTF-8 ({error.reason})")]) from None
    except JsonInputError as error:
        raise InputError([Problem(file, error.where, error.message)]) from None
    if not isinstance(document, dict):
        raise InputError([Problem(file, "(top level)", "must be an object")])
    schema = document.get("schema_version")
    if not isinstance(schema, str) or not _SCHEMA.fullmatch(schema):
        reader.problem("schema_version", f"must be an API v1 version (1.x), got {schema!r:.40}")
    generated = document.get("generated_at")
    moment = dt.datetime.min.replace(tzinfo=dt.UTC)
    try:
        moment = dt.datetime.fromisoformat(str(generated))
        if moment.tzinfo is None:
            raise ValueError
    except ValueError:
        reader.problem("generated_at", f"must be a date-time with a zone, got {generated!r:.40}")
    result = document.get("result")
    if not isinstance(result, dict):
        reader.problem("result", f"must be an object (a product), got {_kind(result)}")
        raise InputError(reader.problems)
    name = reader.text(result, "name", "result")
    if name and not _PRODUCT.fullmatch(name):
        reader.problem("result.name", f"not an endoflife.date product name: {name!r:.40}")
    releases = result.get("releases")
    if not isinstance(releases, list):
        reader.problem("result.releases", f"must be an array, got {_kind(releases)}")
        releases = []
    if len(releases) > MAX_RELEASES:
        reader.problem("result.releases", f"more than {MAX_RELEASES} release cycles")
        releases = []
    cycles = []
    seen: set[str] = set()
    for index, item in enumerate(releases):
        where = f"result.releases[{index}]"
        if not isinstance(item, dict):
            reader.problem(where, f"must be an object, got {_kind(item)}")
            continue
        cycle_name = reader.text(item, "name", where)
        if cycle_name in seen:
            reader.problem(f"{where}.name", f"cycle {cycle_name!r} appears twice")
        seen.add(cycle_name)
        label = item.get("label")
        cycles.append(
            Cycle(
                product=name,
                name=cycle_name,
                label=label if isinstance(label, str) else cycle_name,
                released=reader.date(item, "releaseDate", where),
                eol=reader.date(item, "eolFrom", where),
                eoas=reader.date(item, "eoasFrom", where),
                eoes=reader.date(item, "eoesFrom", where),
                lts=reader.flag(item, "isLts", where),
            )
        )
    if reader.problems:
        raise InputError(reader.problems)
    return EolProduct(name, moment, tuple(cycles), file)


def _read_directory(directory: Path) -> list[EolProduct]:
    problems: list[Problem] = []
    products = []
    for path in sorted(directory.glob("*.json")):
        try:
            products.append(read_eol_product(read_input(path, MAX_EOL_BYTES), str(path)))
        except InputError as error:
            problems.extend(error.problems)
        except (OSError, ValueError) as error:
            problems.append(Problem(str(path), "", getattr(error, "strerror", None) or str(error)))
    for product in products:
        # <product>.json: a file holding another product would shadow it unseen.
        if product.name != Path(product.file).stem:
            message = f"holds product {product.name!r}: the file must be {product.name}.json"
            problems.append(Problem(product.file, "result.name", message))
    if problems:
        raise InputError(problems)
    return products


@functools.cache
def shipped_lifecycle() -> Lifecycle:
    """The snapshot shipped with maintlib (:data:`SNAPSHOT`), read once."""
    return Lifecycle().merged(_read_directory(SNAPSHOT))


def load_lifecycle(cache: Path | None = None) -> Lifecycle:
    """The shipped snapshot, with each product in ``cache`` (a folder of API v1
    documents, ``<product>.json``: the ``eol`` folder of a feed cache) in its place
    when that copy was generated later.

    Raises:
        InputError: A file in ``cache`` is unreadable or malformed (every problem,
            each naming its file).
    """
    shipped = shipped_lifecycle()
    if cache is None or not cache.is_dir():
        return shipped
    return shipped.merged(_read_directory(cache))
