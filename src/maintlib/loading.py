"""The load stage — the public import path of :mod:`maintlib.load`'s contents.

``maintlib.load`` is the loading *function* (``maintlib.load("inventory.toml")``),
which hides the module of the same name as an attribute of the package. Import
the rest from here (``from maintlib.loading import to_document``); ``from
maintlib.load import to_document`` keeps working, for code written before.
"""

from __future__ import annotations

from maintlib.load import Format, inventory_warnings, load, loads, to_document, validate

__all__ = ["Format", "inventory_warnings", "load", "loads", "to_document", "validate"]
