"""Writing output files atomically: a reader never sees a half-written file."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

__all__ = ["write_all"]


def _mode(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


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
            # mkstemp makes the file private (0600); give it the mode a plain
            # open() would (or keep the replaced file's), so a web server can
            # serve the feed.
            os.chmod(temp, _mode(path))
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
