"""The customer report: HTML, Markdown or CSV, in Dutch or English (``docs/report.md``):
what it shows (:mod:`.data`), its words (:mod:`.words`), its charts (:mod:`.charts`)
and its rendering (:mod:`.render`, ``templates/``).

:mod:`.render` (and Jinja2 with it) is imported when :func:`build_report` or
:func:`render_document` is first asked for: the calendar writer uses the words
alone, and ``import maintlib`` should not pay for the report stack."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from maintlib.outputs.report.render import build_report, render_document

__all__ = ["build_report", "render_document"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from maintlib.outputs.report import render

        return getattr(render, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
