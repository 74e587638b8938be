"""Text helpers shared by every layer: printable excerpts of untrusted input and
``did you mean`` suggestions."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

__all__ = ["did_you_mean", "excerpt", "printable"]


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
