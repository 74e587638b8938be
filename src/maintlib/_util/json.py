"""``json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)``, faster; and
:func:`loads`, the one JSON reader of untrusted input (nesting and numbers bounded).

The standard library's indenting encoder is pure Python, built from generators: a
10,000-asset plan's JSON took longer to encode than to plan. This writes the same
text with one recursive function that appends to a list, and the C string
escaper for every string. ``tests/test_json.py`` proves it byte-identical to
``json.dumps`` over generated documents; anything it does not know (a non-string
key, a type other than the JSON ones) is handed to ``json.dumps`` whole.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable
from json.encoder import encode_basestring
from typing import Any

__all__ = ["MAX_DEPTH", "MAX_DIGITS", "JsonInputError", "compact", "dumps", "loads", "value_text"]


#: Arrays and objects nested in one another, at most: real documents stay below
#: ten (a CSAF product tree of vendor, product and version is about 8); deeper
#: nesting only exhausts the parser's or a reader's recursion.
MAX_DEPTH = 64


#: Characters of one number, at most (a 64-bit integer has 20; Python refuses to
#: convert integers of more than 4,300 digits at all).
MAX_DIGITS = 100


class JsonInputError(ValueError):
    """Untrusted JSON that is malformed or past the bounds.

    Attributes:
        where: ``line L, column C`` (or ``""``).
        message: What is wrong, quoting at most a short excerpt of the input.
    """

    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"{where}: {message}" if where else message)
        self.where = where
        self.message = message


_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}
_LONG_NUMBER = re.compile(rf"[-+0-9.eE]{{{MAX_DIGITS + 1},}}")


def _position(text: str, index: int) -> str:
    line = text.count("\n", 0, index) + 1
    return f"line {line}, column {index - (text.rfind(chr(10), 0, index) + 1) + 1}"


def nesting(text: str) -> int:
    """How deeply the arrays and objects of JSON ``text`` nest (brackets in strings
    left out); counted without recursion, before anything is parsed."""
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    return max(itertools.accumulate(map(_STEP.__getitem__, brackets)), default=0)


def _bounded(convert: Callable[[str], Any]) -> Callable[[str], Any]:
    def number(text: str) -> Any:
        if len(text) > MAX_DIGITS:
            raise _TooLong
        return convert(text)

    return number


class _TooLong(Exception):
    """A number longer than :data:`MAX_DIGITS`."""


def _no_constant(text: str) -> Any:
    raise JsonInputError("", f"{text} is not a JSON number")


def loads(
    text: str,
    *,
    parse_float: Callable[[str], Any] = float,
    parse_constant: Callable[[str], Any] | None = None,
) -> Any:
    """``json.loads(text)`` for input from outside, within bounds: at most
    :data:`MAX_DEPTH` levels of nesting (checked before parsing), numbers of at most
    :data:`MAX_DIGITS` characters, and ``NaN``/``Infinity`` refused unless
    ``parse_constant`` takes them.

    Raises:
        JsonInputError: Malformed JSON, or past a bound (with the line and column
            where known).
    """
    depth = nesting(text)
    if depth > MAX_DEPTH:
        raise JsonInputError("", f"arrays and objects nested {depth:,} deep (at most {MAX_DEPTH})")
    try:
        return json.loads(
            text,
            parse_int=_bounded(int),
            parse_float=_bounded(parse_float),
            parse_constant=parse_constant or _no_constant,
        )
    except json.JSONDecodeError as error:
        raise JsonInputError(f"line {error.lineno}, column {error.colno}", error.msg) from None
    except (_TooLong, ValueError, RecursionError) as error:
        if isinstance(error, JsonInputError):
            raise
        long = _LONG_NUMBER.search(_STRING.sub(lambda m: " " * len(m[0]), text))
        where = _position(text, long.start()) if long else ""
        raise JsonInputError(where, f"a number longer than {MAX_DIGITS} characters") from None


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


def compact(value: Any) -> str:
    """``value`` on one line: ``json.dumps(value, sort_keys=True, ensure_ascii=False,
    separators=(",", ":"))`` (the standard library's C encoder)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


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
