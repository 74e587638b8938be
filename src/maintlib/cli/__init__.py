"""The ``maintlib`` command: a thin shell over the library (``docs/index.md``)."""

from maintlib.cli.app import main

__all__ = ["main"]
