"""What-if: inventories derived from another, with assets, windows or blackouts
added, replaced or removed.

Each helper returns a new frozen :class:`~maintlib.model.inventory.Inventory`; the one
given is never changed. The result is not checked as a whole (removing an asset
others depend on leaves dangling references): :func:`maintlib.plan` and
:func:`maintlib.validate` report that, located by key path.

    bigger = maintlib.with_added(inventory, maintlib.Asset("vm42", "virtual_server"))
    changes = maintlib.plan_diff(maintlib.plan(inventory, ...), maintlib.plan(bigger, ...))
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

from maintlib._util.text import did_you_mean
from maintlib.model.errors import InputError, Problem
from maintlib.model.inventory import Asset, Blackout, Inventory, Window

__all__ = ["with_added", "with_replaced", "without"]


Item = Asset | Window | Blackout


#: For each kind of item: the inventory's field, and the attribute that names it.
_FIELDS: dict[type, tuple[str, str]] = {
    Asset: ("assets", "id"),
    Window: ("windows", "name"),
    Blackout: ("blackouts", "name"),
}


CODE = "<inventory>"


def _field(item: object) -> tuple[str, str]:
    try:
        return _FIELDS[type(item)]
    except KeyError:
        raise TypeError(
            f"expected an Asset, a Window or a Blackout, got {type(item).__name__}"
        ) from None


def _names(inventory: Inventory, field: str, key: str) -> list[str]:
    return [getattr(item, key) for item in getattr(inventory, field)]


def with_added(inventory: Inventory, *items: Item) -> Inventory:
    """``inventory`` with ``items`` (assets, windows, blackouts) added.

    Raises:
        InputError: An asset id or window name is taken already.
        TypeError: An item is not an Asset, Window or Blackout.
    """
    changes: dict[str, list[Item]] = {}
    problems = []
    for item in items:
        field, key = _field(item)
        name = getattr(item, key)
        taken = _names(inventory, field, key) + [getattr(i, key) for i in changes.get(field, [])]
        if field != "blackouts" and name in taken:
            problems.append(Problem(CODE, field, f'{key} "{name}" is taken; use with_replaced'))
        changes.setdefault(field, []).append(item)
    if problems:
        raise InputError(problems)
    return _evolve(
        inventory, {field: (*getattr(inventory, field), *added) for field, added in changes.items()}
    )


def with_replaced(inventory: Inventory, *items: Item) -> Inventory:
    """``inventory`` with each of ``items`` in place of the one with its id or name.

    Raises:
        InputError: No asset, window or blackout has that id or name.
        TypeError: An item is not an Asset, Window or Blackout.
    """
    result = inventory
    problems = []
    for item in items:
        field, key = _field(item)
        name = getattr(item, key)
        names = _names(result, field, key)
        if name not in names:
            problems.append(_missing(field, key, name, names))
            continue
        values = tuple(item if getattr(v, key) == name else v for v in getattr(result, field))
        result = _evolve(result, {field: values})
    if problems:
        raise InputError(problems)
    return result


def without(
    inventory: Inventory,
    *,
    assets: Iterable[str] = (),
    windows: Iterable[str] = (),
    blackouts: Iterable[str] = (),
) -> Inventory:
    """``inventory`` without the assets (by id), windows and blackouts (by name) named.

    Raises:
        InputError: A name matches nothing.
    """
    changes: dict[str, Any] = {}
    problems = []
    for field, names in (("assets", assets), ("windows", windows), ("blackouts", blackouts)):
        gone = set(names)
        if not gone:
            continue
        key = "id" if field == "assets" else "name"
        known = _names(inventory, field, key)
        problems += [_missing(field, key, name, known) for name in sorted(gone - set(known))]
        changes[field] = tuple(v for v in getattr(inventory, field) if getattr(v, key) not in gone)
    if problems:
        raise InputError(problems)
    return _evolve(inventory, changes)


def _evolve(inventory: Inventory, changes: dict[str, Any]) -> Inventory:
    return attrs.evolve(inventory, **changes)


def _missing(field: str, key: str, name: str, known: list[str]) -> Problem:
    return Problem(
        CODE, field, f'no {field.removesuffix("s")} {key} "{name}"{did_you_mean(name, known)}'
    )
