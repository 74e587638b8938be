"""Text helpers shared by every layer: printable excerpts of untrusted input,
``did you mean`` suggestions and the one identifier check."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

__all__ = [
    "IDENTIFIER",
    "N_",
    "check_identifier",
    "did_you_mean",
    "excerpt",
    "printable",
    "quoting_briefly",
]


#: The form of asset ids, kind names, activity names and rule ids.
IDENTIFIER = re.compile(r"[a-z0-9][a-z0-9._-]*")


#: :data:`IDENTIFIER` in words, for the people who write inventories.
_IDENTIFIER_WORDS = "lower-case letters, digits, '.', '_' {} '-', starting with a letter or digit"


def check_identifier(value: str, name: str | None = None, *, spelled: bool = False) -> str:
    """``value``, when it has the form of an identifier (:data:`IDENTIFIER`).

    Args:
        value: The text to check.
        name: The field it is the value of; without it the message says "id".
        spelled: With ``name``: say the form in words (for inventory authors)
            rather than show the pattern (for rule-pack authors).

    Raises:
        ValueError: ``value`` is no identifier.
    """
    if IDENTIFIER.fullmatch(value):
        return value
    if name is None:
        message = f"{value!r} is not a valid id: use {_IDENTIFIER_WORDS.format('and')}"
    elif spelled:
        message = f"{name} {value!r} must be {_IDENTIFIER_WORDS.format('or')}"
    else:
        message = f"{name} {value!r} must match {IDENTIFIER.pattern}"
    raise ValueError(message)


def natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """A sort key that puts ``ws2`` before ``ws10`` (numbers by value, the rest by
    letters whatever their case)."""
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part.casefold())
        for part in re.split(r"(\d+)", text)
        if part
    )


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`` — did you mean "firewall"?`` when a close match exists, else ``""``."""
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f' — did you mean "{close[0]}"?' if close else ""


#: C0 controls but tab and newline, DEL and C1 controls (ESC, BEL, CSI…).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


#: Characters of a message, at most (one problem on a screen, a file's content never
#: echoed at length).
MESSAGE_LIMIT = 500


def printable(text: str, *, newlines: bool = True) -> str:
    """``text`` without control characters (terminal escapes, NUL, BEL, CR).

    Each is replaced by ``?``; tabs stay, and newlines too unless ``newlines`` is
    False (then they become spaces).
    """
    cleaned = _CONTROL.sub("?", text)
    return cleaned if newlines else cleaned.replace("\n", " ").replace("\t", " ")


def excerpt(text: str, limit: int = 40) -> str:
    """A short, printable excerpt of text from a file, for a message.

    Control characters become ``?``, newlines spaces, and text longer than
    ``limit`` characters is cut with ``…``: an error never echoes a file's
    content at length (``/proc/self/environ`` read as CSV).
    """
    cleaned = printable(text, newlines=False)
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"


#: What another library's message may quote: text in quotes or brackets, or a
#: long unbroken run (a content line, a number).
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|\([^()]*\)|\S{41,}")


def quoting_briefly(message: object, limit: int = 40) -> str:
    """Another library's error message (tomllib's, icalendar's, zlib's) for one of
    ours: what it quotes cut like an :func:`excerpt` (icalendar quotes a whole
    content line, tomllib a whole key), the rest kept, control characters
    replaced."""

    def cut(match: re.Match[str]) -> str:
        text = match[0]
        if len(text) <= limit + 2:
            return text
        if text[0] in "'\"(" and text[-1] in "'\")":
            return text[0] + excerpt(text[1:-1], limit) + text[-1]
        return excerpt(text, limit)

    return _QUOTED.sub(cut, printable(str(message), newlines=False))


def N_(message: str) -> str:
    """``message`` itself, marked for the translation catalogue (Babel's extractor
    finds ``N_("…")``): texts made where no language is known yet, translated where
    they are shown (a checklist's steps in the calendar feed)."""
    return message
