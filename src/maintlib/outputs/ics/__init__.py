"""The iCalendar feed (RFC 5545): one event per task, recurring series, or a run-book
per window occurrence; VTIMEZONEs as yearly rules (``docs/calendar.md``)."""

from maintlib.outputs.ics.feed import split_paths, split_tasks, to_ics, to_ics_pieces

__all__ = ["split_paths", "split_tasks", "to_ics", "to_ics_pieces"]
