"""The errors maintlib raises.

Every error derives from :class:`MaintlibError`. Errors about the caller's input
also derive from :class:`ValueError`, so code that already catches ``ValueError``
keeps working.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from maintlib._util.text import MESSAGE_LIMIT, excerpt

__all__ = ["InputError", "InputWarning", "MaintlibError", "PluginError", "Problem"]


def _message(text: str) -> str:
    return excerpt(text, MESSAGE_LIMIT)


class MaintlibError(Exception):
    """The root of every error maintlib raises on purpose."""


@attrs.frozen(order=True)
class Problem:
    """One thing wrong with the input, and where it is.

    Attributes:
        file: The file the problem is in, as the caller named it (or ``"<input>"``).
        location: Where in the file: ``assets[3] (id "fw01").kind`` or ``line 4, column 7``.
        message: What is wrong, with a hint where one helps.
    """

    file: str = attrs.field(converter=_message)
    location: str = attrs.field(converter=_message)
    message: str = attrs.field(converter=_message)

    def __str__(self) -> str:
        where = f"{self.file}: {self.location}" if self.location else self.file
        return f"{where}: {self.message}"


class InputError(MaintlibError, ValueError):
    """The input is invalid; :attr:`problems` lists *every* problem found.

    Args:
        problems: The problems, in the order they were found (sorted by file and
            location before display).
    """

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        if not self.problems:
            raise ValueError("InputError needs at least one problem")
        super().__init__("\n".join(str(p) for p in self.problems))


class PluginError(MaintlibError):
    """A rule pack misbehaved: it raised, or returned something malformed.

    Args:
        plugin: The plugin's registered name.
        hook: The hook being called.
        message: What went wrong.
    """

    def __init__(self, plugin: str, hook: str, message: str) -> None:
        self.plugin = plugin
        self.hook = hook
        super().__init__(f"plugin {plugin!r} failed in {hook}: {message}")


class InputWarning(UserWarning):
    """The input was read, but maybe not as meant (a CSV file that was not UTF-8).

    Issued with :func:`warnings.warn`; ``maintlib check`` and ``plan`` print it as
    ``warning: …`` on standard error.
    """
