"""Servers the tests start on 127.0.0.1: Radicale (CalDAV); Nautobot with its own
PostgreSQL cluster and Redis."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import attrs
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


#: The venv ``make nautobot`` creates: nautobot and Django apart from maintlib's .venv.
NAUTOBOT_VENV = Path(__file__).parent.parent / ".nautobot-venv"
#: Set to 1 to skip the real-Nautobot test where its servers cannot be installed.
SKIP_NAUTOBOT = "MAINTLIB_SKIP_NAUTOBOT"


@attrs.frozen
class Nautobot:
    """A running Nautobot: its base URL, a superuser's API token, and how many
    seconds each step of the start took (``migrate`` the longest)."""

    url: str
    token: str
    seconds: dict[str, float]


def _missing(what: str) -> None:
    pytest.fail(
        f"{what}: run `make nautobot` (Debian: apt-get install postgresql redis-server),"
        f" or set {SKIP_NAUTOBOT}=1 to skip this test",
        pytrace=False,
    )


def _run(command: list[str], log: Path, timeout: float, env: dict[str, str] | None = None) -> None:
    """Run ``command`` with its output in ``log``; fail the test with the log's end."""
    with log.open("ab") as out:
        result = subprocess.run(
            command, stdout=out, stderr=subprocess.STDOUT, timeout=timeout, env=env, check=False
        )
    if result.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace")[-3000:]
        pytest.fail(f"{' '.join(command[:3])} exited {result.returncode}:\n{tail}", pytrace=False)


def _wait(url: str, seconds: float, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except urllib.error.HTTPError:
            return  # it answers (403 without a token)
        except OSError:
            time.sleep(0.2)
    tail = log.read_text(encoding="utf-8", errors="replace")[-3000:]
    pytest.fail(f"{url} did not answer within {seconds:.0f} s:\n{tail}", pytrace=False)


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def nautobot_server() -> Iterator[Nautobot]:
    """Nautobot (from ``.nautobot-venv``) on a free port of 127.0.0.1, over a
    throwaway PostgreSQL cluster (Debian's binaries; run as ``nobody`` when we are
    root, which PostgreSQL refuses) and a redis-server, both on free ports; migrated,
    with a superuser and an API token. Everything is stopped and removed afterwards.

    Fails when a part is not installed; skips, without looking, with
    ``MAINTLIB_SKIP_NAUTOBOT=1``.
    """
    if os.environ.get(SKIP_NAUTOBOT) == "1":
        pytest.skip(f"{SKIP_NAUTOBOT}=1: the real Nautobot is not started")
    server = NAUTOBOT_VENV / "bin" / "nautobot-server"
    if not server.exists():
        _missing(f"{server} is missing")
    initdbs = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4])
    )
    if not initdbs:
        _missing("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb)")
    redis = shutil.which("redis-server")
    if redis is None:
        _missing("redis-server is not installed")
    assert redis is not None
    bin_dir = Path(initdbs[-1]).parent
    seconds: dict[str, float] = {}
    folder = Path(tempfile.mkdtemp(prefix="maintlib-nautobot-"))
    folder.chmod(0o755)
    data = folder / "postgres"
    data.mkdir()
    as_user: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(data, "nobody")
        as_user = ["runuser", "-u", "nobody", "--"]
    log = folder / "nautobot.log"
    db_port, redis_port, port = free_port(), free_port(), free_port()
    token = "0123456789abcdef0123456789abcdef01234567"
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"PYTHONPATH", "VIRTUAL_ENV"} and not key.startswith("NAUTOBOT_")
    }
    env.update(
        NAUTOBOT_ROOT=str(folder / "root"),
        NAUTOBOT_CONFIG=str(folder / "nautobot_config.py"),
        NAUTOBOT_DB_HOST="127.0.0.1",
        NAUTOBOT_DB_PORT=str(db_port),
        NAUTOBOT_DB_USER="nautobot",
        NAUTOBOT_DB_NAME="nautobot",
        NAUTOBOT_REDIS_HOST="127.0.0.1",
        NAUTOBOT_REDIS_PORT=str(redis_port),
        NAUTOBOT_ALLOWED_HOSTS="*",
        NAUTOBOT_SECRET_KEY="maintlib-tests-only-" + "x" * 40,
        NAUTOBOT_INSTALLATION_METRICS_ENABLED="False",
    )
    with ExitStack() as stack:
        stack.callback(shutil.rmtree, folder, ignore_errors=True)
        started = time.monotonic()
        postgres = [*as_user, str(bin_dir / "pg_ctl"), "-D", str(data)]
        initdb = [*as_user, str(bin_dir / "initdb"), "-D", str(data)]
        _run([*initdb, *"-U nautobot --auth=trust -E UTF8 --no-sync".split()], log, 120)
        options = f"-p {db_port} -k {data} -c listen_addresses=127.0.0.1 -c fsync=off"
        _run([*postgres, "-w", "-l", str(data / "log"), "-o", options, "start"], log, 120)
        stop = [*postgres, "-m", "immediate", "stop"]
        stack.callback(subprocess.run, stop, capture_output=True, check=False)
        createdb = [str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(db_port)]
        _run([*createdb, "-U", "nautobot", "nautobot"], log, 60)
        output = stack.enter_context(log.open("ab"))
        process = subprocess.Popen(
            [redis, *f"--port {redis_port} --bind 127.0.0.1 --dir {folder}".split(), "--save", ""],
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        stack.callback(_stop, process)
        seconds["postgresql and redis"] = time.monotonic() - started
        nautobot = [str(server)]
        init = ["init", "--disable-installation-metrics", env["NAUTOBOT_CONFIG"]]
        _run([*nautobot, *init], log, 60, env=env)
        started = time.monotonic()
        _run([*nautobot, "migrate", "--no-input"], log, 900, env=env)
        seconds["migrate"] = time.monotonic() - started
        started = time.monotonic()
        superuser = (
            "from django.contrib.auth import get_user_model\n"
            "from nautobot.users.models import Token\n"
            "user = get_user_model().objects.create_superuser("
            "'admin', 'admin@example.invalid', 'admin')\n"
            f"Token.objects.create(user=user, key={token!r})\n"
        )
        _run([*nautobot, "shell", "--command", superuser], log, 120, env=env)
        seconds["superuser and token"] = time.monotonic() - started
        started = time.monotonic()
        web = subprocess.Popen(
            [*nautobot, "runserver", f"127.0.0.1:{port}", "--noreload"],
            stdout=output,
            stderr=subprocess.STDOUT,
            env=env,
        )
        stack.callback(_stop, web)
        url = f"http://127.0.0.1:{port}"
        _wait(f"{url}/api/", 120, web, log)
        seconds["runserver"] = time.monotonic() - started
        yield Nautobot(url=url, token=token, seconds=seconds)
