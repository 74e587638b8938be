"""The load stage: inventory files (TOML, JSON, CSV) → :class:`~maintlib.model.inventory.Inventory`.

Loading checks everything and reports *every* problem at once, each with its file
and location, in one :class:`~maintlib.model.errors.InputError`::

    inventory.toml: assets[3] (id "fw01").kind: unknown asset kind "firewal"
        — did you mean "firewall"?

The format is documented field by field in ``docs/inventory.md``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from maintlib.loading.build import _Builder
from maintlib.loading.parse import Format, _decode, _parse, _read_input
from maintlib.model.catalog import Catalog
from maintlib.model.errors import InputError, Problem
from maintlib.model.inventory import Inventory
from maintlib.model.limits import MAX_FILE_BYTES
from maintlib.packs.catalog import build_catalog

__all__ = ["load", "loads"]


def load(
    path: str | os.PathLike[str],
    *,
    catalog: Catalog | None = None,
    allow_paths: Sequence[str | os.PathLike[str]] = (),
) -> Inventory:
    """Load and check an inventory file (``.toml`` or ``.json``).

    Args:
        path: The file. Files it refers to (``assets_csv``, blackout ``ics``) are
            read relative to its folder, and must lie inside it.
        catalog: The rule packs' vocabulary to check kinds, calendars, rules and
            profiles against; None builds it from the installed packs.
        allow_paths: More folders the inventory's files may lie in.

    Raises:
        InputError: Anything is wrong; ``problems`` lists every problem found.
    """
    file = Path(path)
    name = os.fspath(path)
    raw = _read_input(file)
    if isinstance(raw, str):
        raise InputError([Problem(name, "", f"cannot read: {raw}")])
    fmt: Format = "json" if file.suffix.lower() == ".json" else "toml"
    return loads(
        raw, format=fmt, name=name, base_dir=file.parent, catalog=catalog, allow_paths=allow_paths
    )


def loads(
    data: str | bytes,
    *,
    format: Format = "toml",
    name: str = "<input>",
    base_dir: str | os.PathLike[str] | None = None,
    catalog: Catalog | None = None,
    allow_paths: Sequence[str | os.PathLike[str]] = (),
) -> Inventory:
    """Load and check an inventory from text or bytes.

    Args:
        data: The document (at most :data:`~maintlib.model.limits.MAX_FILE_BYTES`).
        format: ``"toml"`` or ``"json"``.
        name: The file name used in messages.
        base_dir: Folder for files the document refers to (default: the working
            directory); they must lie inside it.
        catalog: As for :func:`load`.
        allow_paths: As for :func:`load`.

    Raises:
        InputError: Anything is wrong; ``problems`` lists every problem found.
    """
    if len(data) > MAX_FILE_BYTES:
        raise InputError([Problem(name, "", f"larger than {MAX_FILE_BYTES:,} bytes")])
    text = _decode(data, name) if isinstance(data, bytes) else data.removeprefix("\ufeff")
    document = _parse(text, format, name)
    roots = tuple(Path(folder).resolve() for folder in (base_dir or ".", *allow_paths))
    builder = _Builder(name, Path(base_dir or "."), catalog or build_catalog(), roots)
    return builder.build(document)
