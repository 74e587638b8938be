"""The types of what a rule pack returns, checked field by field when the catalog is built.

attrs does not check annotations, so ``Rule(cadence="FREQ=WEEKLY")`` builds; without this
check the string would travel to the planner and fail there, naming no pack. Every value a
hook returns is walked against its class's annotations (attrs classes, unions, ``Literal``,
enums, ``tuple[X, ...]``, mappings), and the first mismatch is reported with the path of the
field that holds it: ``rule 'weekly': cadence: expected Periodic | Released | Once, got str
'FREQ=WEEKLY'``.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import types
import typing
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

__all__ = ["value_problem"]


def value_problem(value: object) -> str | None:
    """What is wrong with the types inside ``value`` (an attrs instance), or None.

    The answer names the value (``rule 'weekly'``) and the field path.
    """
    problem = _check_instance(value, "")
    if problem is None:
        return None
    return f"{_describe(value)}: {problem}"


def _describe(value: object) -> str:
    name = type(value).__name__
    for key in ("id", "name", "vendor"):
        label = getattr(value, key, None)
        if isinstance(label, str):
            return f"{name} {label!r}"
    return name


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _check_instance(value: object, path: str) -> str | None:
    cls: Any = type(value)
    hints = _hints(cls)
    for field in attrs.fields(cls):
        if not field.init or field.name not in hints:
            continue
        item = getattr(value, field.name)
        if item is field.default:
            continue  # the class's own default (the very object) needs no check
        where = f"{path}.{field.name}" if path else field.name
        problem = _check(item, hints[field.name], where)
        if problem:
            return problem
    return None


def _spell(annotation: Any) -> str:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return " | ".join(_spell(arg) for arg in typing.get_args(annotation))
    if origin is typing.Literal:
        return " | ".join(repr(arg) for arg in typing.get_args(annotation))
    if annotation is type(None):
        return "None"
    if origin is not None:
        return f"{getattr(origin, '__name__', str(origin))}[…]"
    return getattr(annotation, "__name__", str(annotation))


def _got(value: object) -> str:
    text = repr(value)
    shown = text if len(text) <= 60 else text[:57] + "…"
    return f"got {type(value).__name__} {shown}"


def _mismatch(value: object, annotation: Any, path: str) -> str:
    hint = ""
    is_enum = isinstance(annotation, type) and issubclass(annotation, enum.Enum)
    if isinstance(value, str) and is_enum:
        hint = f" (write {annotation.__name__}({value!r}))"
    elif isinstance(value, str) and "Periodic" in _spell(annotation):
        hint = f" (write Periodic({value!r}))"
    return f"{path}: expected {_spell(annotation)}, {_got(value)}{hint}"


@functools.cache
def _parts(annotation: Any) -> tuple[Any, tuple[Any, ...]]:
    """``(origin, args)`` of an annotation (``typing.get_origin`` is slow, and a catalog
    checks the same few annotations thousands of times)."""
    return typing.get_origin(annotation), typing.get_args(annotation)


def _check(value: object, annotation: Any, path: str) -> str | None:
    if annotation is Any or annotation is object:
        return None
    origin, args = _parts(annotation)
    if origin in (typing.Union, types.UnionType):
        # Plain classes the value is no instance of are skipped without a message.
        candidates = [arg for arg in args if _parts(arg)[0] is not None or _is_class_of(value, arg)]
        problems = [_check(value, arg, path) for arg in candidates]
        if any(p is None for p in problems):
            return None
        # One alternative of the right class with a wrong field inside says more.
        inner = [p for p, arg in zip(problems, candidates, strict=True) if _is_class_of(value, arg)]
        return inner[0] if inner else _mismatch(value, annotation, path)
    if origin is typing.Literal:
        return None if value in args else _mismatch(value, annotation, path)
    if origin is tuple:
        if not isinstance(value, tuple):
            return _mismatch(value, annotation, path)
        if len(args) == 2 and args[1] is Ellipsis:
            items = [(item, args[0]) for item in value]
        elif len(args) != len(value):
            return f"{path}: expected {len(args)} items, got {len(value)}"
        else:
            items = list(zip(value, args, strict=True))
        for index, (item, arg) in enumerate(items):
            problem = _check(item, arg, f"{path}[{index}]")
            if problem:
                return problem
        return None
    if origin is not None and isinstance(origin, type) and issubclass(origin, Mapping):
        if not isinstance(value, Mapping):
            return _mismatch(value, annotation, path)
        key_type, value_type = args or (Any, Any)
        for key, item in value.items():
            problem = _check(key, key_type, f"{path}[{key!r}]") or _check(
                item, value_type, f"{path}[{key!r}]"
            )
            if problem:
                return problem
        return None
    if not isinstance(annotation, type):
        return None  # a Protocol, a callable, a type variable: not checked
    if not _is_class_of(value, annotation):
        return _mismatch(value, annotation, path)
    if attrs.has(annotation):
        return _check_instance(value, path)
    return None


def _is_class_of(value: object, annotation: Any) -> bool:
    if not isinstance(annotation, type):
        return False
    if isinstance(value, bool) and annotation is not bool:
        return False  # True is an int to Python, never a number of days to a pack author
    if annotation is float:
        return isinstance(value, int | float)
    if annotation is Decimal:
        return isinstance(value, int | Decimal)
    if annotation is dt.date and isinstance(value, dt.datetime):
        return False  # a date field takes a day, not a moment
    if getattr(annotation, "_is_protocol", False):
        return True
    return isinstance(value, annotation)
