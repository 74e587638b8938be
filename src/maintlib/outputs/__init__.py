"""What a plan becomes: the iCalendar feed (:mod:`~maintlib.outputs.ics`), the
customer report (:mod:`~maintlib.outputs.report`), the difference between two plans,
and an asset's explanation. The language of both (:mod:`~maintlib.outputs.i18n`,
``locale/``) is shared.

Imports the stages below it and :mod:`maintlib.pipeline` (a report made from an
inventory plans it first).
"""
