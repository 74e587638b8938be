"""Writing output files atomically: a reader never sees a half-written file."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

__all__ = ["write_all"]


def write_all(outputs: Mapping[str | os.PathLike[str], bytes]) -> None:
    """Write every file of ``outputs`` (path → content) atomically.

    Each file goes to a temporary file in its own folder first, then is renamed
    over the target, so a target holds its old content or its new content, never
    part of it. All content is computed before this is called.
    """
    for target, content in outputs.items():
        path = Path(target)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(content)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
