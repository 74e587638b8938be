"""The history values: the result of re-planning dues against the maintenance log."""

from __future__ import annotations

import datetime as dt

import attrs

from maintlib.model.work import Due

__all__ = ["History", "Replan"]


@attrs.frozen
class History:
    """What the maintenance log did to a plan (``history`` in the plan JSON).

    Attributes:
        since: The first day of the look-back.
        records: How many records the log held.
        done: Uids of the dues a ``done`` record closed.
        overdue: Uids of the dues that came back overdue.
        carried: Uids of look-back dues not done whose deadline is still ahead.
        retries: Uids of the retry dues.
        moved: Uids of the dues that recur from the last ``done`` record.
        replaced: Uids of the calendar dues not done that gave way to those.
        skipped: Uids of the dues whose last record is ``skipped`` (overdue or
            carried as well).
        unmatched: The records that name no due, located (``log.jsonl: line 7``).
    """

    since: dt.date
    records: int
    done: tuple[str, ...] = ()
    overdue: tuple[str, ...] = ()
    carried: tuple[str, ...] = ()
    retries: tuple[str, ...] = ()
    moved: tuple[str, ...] = ()
    replaced: tuple[str, ...] = ()
    skipped: tuple[str, ...] = ()
    unmatched: tuple[str, ...] = ()

    def to_json(self) -> dict[str, object]:
        """The history as a JSON-ready dict."""
        return {
            "since": self.since.isoformat(),
            "records": self.records,
            **{
                name: list(getattr(self, name))
                for name in (
                    "done",
                    "overdue",
                    "carried",
                    "retries",
                    "moved",
                    "replaced",
                    "skipped",
                )
            },
            "unmatched": list(self.unmatched),
        }


@attrs.frozen
class Replan:
    """The result of :func:`replan`: the dues to plan, and what the log did."""

    dues: tuple[Due, ...]
    history: History
