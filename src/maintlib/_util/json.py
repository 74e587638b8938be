"""``json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)``, faster.

The standard library's indenting encoder is pure Python, built from generators: a
10,000-asset plan's JSON took longer to encode than to plan. This writes the same
text with one recursive function that appends to a list, and the C string
escaper for every string. ``tests/test_json.py`` proves it byte-identical to
``json.dumps`` over generated documents; anything it does not know (a non-string
key, a type other than the JSON ones) is handed to ``json.dumps`` whole.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring
from typing import Any

__all__ = ["dumps", "value_text"]


_INDENT = "  "


class _Unknown(Exception):
    """A value this encoder leaves to ``json.dumps``."""


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value == float("inf"):
        return "Infinity"
    if value == -float("inf"):
        return "-Infinity"
    return float.__repr__(value)


def dumps(value: Any) -> str:
    """``json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)``."""
    return value_text(value, 0)


def value_text(value: Any, level: int) -> str:
    """``value`` as :func:`dumps` writes it nested ``level`` deep (the indent of its
    closing bracket), so callers can write a large document piece by piece."""
    parts: list[str] = []
    append = parts.append

    def write(item: Any, level: int) -> None:
        if isinstance(item, str):
            append(encode_basestring(item))
        elif item is None:
            append("null")
        elif item is True:
            append("true")
        elif item is False:
            append("false")
        elif isinstance(item, int):
            append(int.__repr__(item))
        elif isinstance(item, float):
            append(_float(item))
        elif isinstance(item, dict):
            if not item:
                append("{}")
                return
            if not all(isinstance(key, str) for key in item):
                raise _Unknown
            inner = "\n" + _INDENT * (level + 1)
            append("{")
            separator = inner
            for key in sorted(item):
                append(separator)
                append(encode_basestring(key))
                append(": ")
                write(item[key], level + 1)
                separator = "," + inner
            append("\n" + _INDENT * level + "}")
        elif isinstance(item, list | tuple):
            if not item:
                append("[]")
                return
            inner = "\n" + _INDENT * (level + 1)
            append("[")
            separator = inner
            for element in item:
                append(separator)
                write(element, level + 1)
                separator = "," + inner
            append("\n" + _INDENT * level + "]")
        else:
            raise _Unknown

    try:
        write(value, level)
    except _Unknown:
        text = json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)
        return text.replace("\n", "\n" + _INDENT * level)
    return "".join(parts)
