"""Independent readers of iCalendar feeds, for the tests.

ical.js (the engine of Thunderbird) runs under Node from ``tests/js`` (``make
test`` installs it with ``npm ci``). It has no zone database of its own: the
feed's VTIMEZONEs are all it knows, which is what makes it the reader that can
catch a wrong VTIMEZONE — Python readers resolve a known TZID from their own
zone database and never look at the block.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest

JS = Path(__file__).parent / "js"


def ical_js(*feeds: bytes) -> list[list[dict[str, Any]]]:
    """Every occurrence of each feed as ical.js expands it.

    Returns:
        Per feed, ``{"uid", "recurrenceId", "start", "end", "zone"}`` for each
        occurrence; times in UTC as ISO 8601 with milliseconds and ``Z``;
        ``recurrenceId`` None for events that do not recur; ``zone`` the TZID
        ical.js resolved (``floating`` when it found no VTIMEZONE).
    """
    if not (JS / "node_modules" / "ical.js").is_dir():
        pytest.fail("ical.js is not installed: run `make test` (it runs npm ci --prefix tests/js)")
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for index, feed in enumerate(feeds):
            path = Path(folder) / f"feed{index}.ics"
            path.write_bytes(feed)
            paths.append(str(path))
        result = subprocess.run(
            ["node", str(JS / "expand.mjs"), *paths],
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
            env={**os.environ, "TZ": "UTC"},
        )
    if result.returncode != 0:
        pytest.fail(f"ical.js failed:\n{result.stderr}")
    expanded: list[list[dict[str, Any]]] = json.loads(result.stdout)
    return expanded


def js_time(text: str) -> str:
    """An ical.js UTC time (``2027-01-02T21:00:00.000Z``) as Python writes it."""
    return text.replace(".000Z", "+00:00")
