"""Servers the tests start on 127.0.0.1: Radicale (CalDAV)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@contextmanager
def radicale_server(folder: Path, *options: str) -> Iterator[str]:
    """A Radicale server on a free port of 127.0.0.1, storing in ``folder``, with
    the command-line ``options`` (``--auth-type none`` unless they say otherwise);
    yields its base URL and stops it afterwards."""
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "radicale",
            "--config",
            "",
            "--server-hosts",
            f"127.0.0.1:{port}",
            "--storage-filesystem-folder",
            str(folder),
            *(options or ("--auth-type", "none")),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/", timeout=1).close()
                break
            except urllib.error.HTTPError:
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("Radicale did not start within 10 seconds")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)
