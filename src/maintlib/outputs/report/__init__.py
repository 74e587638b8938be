"""The customer report: HTML, Markdown or CSV, in Dutch or English (``docs/report.md``):
what it shows (:mod:`.data`), its words (:mod:`.words`), its charts (:mod:`.charts`)
and its rendering (:mod:`.render`, ``templates/``)."""

from maintlib.outputs.report.render import build_report, render_document

__all__ = ["build_report", "render_document"]
