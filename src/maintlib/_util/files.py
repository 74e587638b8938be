"""Writing output files atomically: a reader never sees a half-written file.

Only regular files are replaced. A path that names a character device or a FIFO
(``/dev/null``, ``/dev/stdout`` on a terminal or pipe, a named pipe) is written
through, never replaced by a regular file; any other special file (a directory,
a socket, a block device) is refused before anything is written.

A temporary file is named after its target, ``.NAME.<12 hex digits>.tmp`` beside
``NAME``, and is locked (``flock``) by its writer until it is renamed. A run killed
while writing leaves one behind; the next run that writes ``NAME`` removes every
such file that is older than that run and that no live writer holds
(:func:`remove_stale`).
"""

from __future__ import annotations

import fcntl
import os
import re
import secrets
import stat
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import BinaryIO

__all__ = ["Content", "check_targets", "encoded", "remove_stale", "temporary_name", "write_all"]


def _special(path: Path) -> int | None:
    """The file type of an existing non-regular ``path`` (links followed), else None."""
    try:
        mode = path.stat().st_mode
    except (FileNotFoundError, NotADirectoryError):
        return None
    return None if stat.S_ISREG(mode) else stat.S_IFMT(mode)


def check_targets(targets: list[str | os.PathLike[str]]) -> list[str]:
    """Why each target cannot be written, before anything is computed or written.

    Returns:
        One message per target that exists and is neither a regular file nor a
        character device or FIFO (which are written through).
    """
    messages = []
    for target in targets:
        kind = _special(Path(target))
        if kind is not None and kind not in (stat.S_IFCHR, stat.S_IFIFO):
            what = "a folder" if kind == stat.S_IFDIR else "a special file"
            messages.append(f"{os.fspath(target)}: is {what}; give a file name to write")
    return messages


#: A file's content: its bytes, or a function that makes them in pieces when the
#: file is written (a large plan's JSON or feed is then never held whole).
Content = bytes | Callable[[], Iterable[bytes]]


def write_all(outputs: Mapping[str | os.PathLike[str], Content]) -> None:
    """Write every file of ``outputs`` (path → content) atomically, all or nothing.

    Each regular file goes to a temporary file in its own folder first; only when
    every temporary file is complete are they renamed over their targets, so a
    target holds its old content or its new content, never part of it, and content
    that fails to be made (an exception from a content function) leaves every
    target as it was. A new file gets the mode a plain ``open()`` gives (``0o666``
    less the umask: the kernel applies it, the umask is never read or changed, so
    this is safe in threads); a replaced file keeps its mode. Character devices and
    FIFOs are written through, in order.

    Raises:
        OSError: A target cannot be written, or is a folder or a special file
            other than a character device or FIFO.
    """
    problems = check_targets(list(outputs))
    if problems:
        raise OSError(problems[0])
    started = time.time()
    done: list[tuple[Path, int, Path]] = []
    try:
        for target, content in outputs.items():
            path = Path(target)
            if _special(path) is not None:
                with path.open("wb") as handle:
                    _write(handle, content)
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            remove_stale(path, started)
            done.append((*_temporary(path, content), path))
        for temp, _, path in done:
            os.replace(temp, path)
    except BaseException:
        for temp, _, _ in done:
            temp.unlink(missing_ok=True)  # those renamed already are gone
        raise
    finally:
        for _, lock, _ in done:
            os.close(lock)  # the lock goes only once the file is renamed or removed


def _write(handle: BinaryIO, content: Content) -> None:
    if isinstance(content, bytes):
        handle.write(content)
        return
    for piece in content():
        handle.write(piece)


def temporary_name(target: Path) -> re.Pattern[str]:
    """The names of ``target``'s temporary files: ``.NAME.<12 hex digits>.tmp``."""
    return re.compile(re.escape(f".{target.name}.") + r"[0-9a-f]{12}\.tmp")


def remove_stale(target: Path, before: float) -> list[Path]:
    """Remove the temporary files of ``target`` that a killed run left: those beside
    it, named by :func:`temporary_name`, last changed before ``before`` (a time
    stamp), and not locked by a live writer.

    Returns:
        The files removed. A file that cannot be examined or removed is left.
    """
    pattern = temporary_name(target)
    removed = []
    try:
        entries = [entry for entry in os.scandir(target.parent) if pattern.fullmatch(entry.name)]
    except OSError:
        return []
    for entry in entries:
        try:
            info = entry.stat(follow_symlinks=False)
            if not stat.S_ISREG(info.st_mode) or info.st_mtime >= before:
                continue
            fd = os.open(entry.path, os.O_RDONLY | os.O_NOFOLLOW)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # fails while a writer holds it
            os.unlink(entry.path)
            removed.append(Path(entry.path))
        except OSError:
            pass
        finally:
            os.close(fd)
    return removed


def _temporary(path: Path, content: Content) -> tuple[Path, int]:
    """A complete temporary file beside ``path`` with ``content`` and, when ``path``
    exists, its mode; and a descriptor that holds its lock (the caller closes it)."""
    try:
        mode: int | None = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = None
    temp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    lock = os.open(temp, os.O_RDONLY)
    fcntl.flock(lock, fcntl.LOCK_EX)
    try:
        with os.fdopen(fd, "wb", buffering=1 << 20) as handle:
            _write(handle, content)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(temp, mode)
    except BaseException:
        temp.unlink(missing_ok=True)
        os.close(lock)
        raise
    return temp, lock


def encoded(chunks: Iterable[str]) -> Iterator[bytes]:
    """``chunks``' text as UTF-8, in pieces of about a megabyte (content for
    :func:`write_all` from text made in many small pieces)."""
    batch: list[str] = []
    size = 0
    for chunk in chunks:
        batch.append(chunk)
        size += len(chunk)
        if size >= 1 << 20:
            yield "".join(batch).encode("utf-8")
            batch, size = [], 0
    yield "".join(batch).encode("utf-8")
