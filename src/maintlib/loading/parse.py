"""Reading an inventory file's bytes: the format, decoding and the TOML/JSON parse, with
located errors."""

from __future__ import annotations

import re
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from maintlib._util.json import JsonInputError, loads
from maintlib._util.text import excerpt, quoting_briefly
from maintlib.model.errors import InputError, Problem
from maintlib.model.limits import read_input

__all__ = ["Format"]


Format = Literal["toml", "json"]


def _read_input(file: Path) -> bytes | str:
    """The bytes of an input file within the limits, or why it cannot be read."""
    try:
        return read_input(file)
    except OSError as error:
        return str(error.strerror or error)
    except ValueError as error:  # not a regular file, too large, a NUL in the name
        return str(error)


def _decode(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = data[: error.start]
        line = before.count(b"\n") + 1
        column = error.start - (before.rfind(b"\n") + 1) + 1
        raise InputError(
            [
                Problem(
                    name,
                    f"line {line}, column {column}",
                    f"not valid UTF-8 (byte 0x{data[error.start]:02x}); save the file as UTF-8",
                )
            ]
        ) from None


_TOML_AT = re.compile(
    r"^(?P<message>.*?)\s*\(at (?:line (?P<line>\d+), column (?P<col>\d+)|end of document)\)$"
)


_KEY_VALUE = re.compile(r"\s*(?P<key>[A-Za-z0-9_.-]+)\s*=\s*(?P<value>[^\"'\s#][^#]*?)\s*(?:#.*)?")


def _unquoted_hint(line: str) -> str:
    """For tomllib's "Invalid value": the usual cause, a text written without quotes."""
    match = _KEY_VALUE.fullmatch(line)
    if not match:
        return ""
    return f' — if it is text, quote it: {excerpt(match["key"])} = "{excerpt(match["value"])}"'


def _parse(text: str, format: Format, name: str) -> dict[str, Any]:
    try:
        if format == "json":
            document = loads(text, parse_float=Decimal, parse_constant=Decimal)
        else:
            document = tomllib.loads(text, parse_float=Decimal)
    except JsonInputError as error:
        raise InputError([Problem(name, error.where, f"invalid JSON: {error.message}")]) from None
    except RecursionError:
        raise InputError(
            [Problem(name, "", f"invalid {format.upper()}: lists or tables nested too deeply")]
        ) from None
    except tomllib.TOMLDecodeError as error:
        match = _TOML_AT.match(str(error))
        if match and match["line"]:
            where, message = f"line {match['line']}, column {match['col']}", match["message"]
            if message == "Invalid value":
                message += _unquoted_hint(text.splitlines()[int(match["line"]) - 1])
        elif match:
            where, message = f"line {text.count(chr(10)) + 1}", match["message"]
        else:
            where, message = "", str(error)
        raise InputError(
            [Problem(name, where, f"invalid TOML: {quoting_briefly(message)}")]
        ) from None
    if not isinstance(document, dict):
        raise InputError(
            [Problem(name, "", "the document must be a table/object at the top level")]
        )
    return document


def _label(data: object, index: int, section: str, key: str) -> str:
    where = f"{section}[{index}]"
    if isinstance(data, dict) and isinstance(data.get(key), str):
        where += f' ({key} "{data[key]}")'
    return where
