"""``maintlib feeds update`` against a local HTTP server on the loopback, never the internet."""

from __future__ import annotations

import hashlib
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from maintlib import cli
from maintlib.vulns.download import targets, update, vulnrichment_path
from maintlib.vulns.feeds import read_feeds

DATA = Path(__file__).parent / "data" / "feeds"


class Server:
    """Serves fixture files with ETags; honours If-None-Match; can truncate a body."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {
            "/kev.json": (DATA / "kev.json").read_bytes(),
            "/epss.csv.gz": (DATA / "epss.csv.gz").read_bytes(),
            "/csaf/bsi-2022-0001.json": (DATA / "csaf" / "bsi-2022-0001.json").read_bytes(),
        }
        self.truncate: set[str] = set()
        self.log: list[tuple[str, int]] = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = server.files.get(self.path)
                # Logged before answering: the client may be done (and the test
                # reading the log) as soon as the answer is out.
                if body is None:
                    server.log.append((self.path, 404))
                    self.send_response(404)
                    self.end_headers()
                    return
                etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
                if self.headers.get("If-None-Match") == etag:
                    server.log.append((self.path, 304))
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                server.log.append((self.path, 200))
                self.send_response(200)
                self.send_header("ETag", etag)
                self.send_header("Last-Modified", "Sun, 29 Nov 2026 12:55:00 GMT")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.path in server.truncate:
                    self.wfile.write(body[: len(body) // 2])
                    self.close_connection = True
                else:
                    self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return self.base + path


@pytest.fixture
def server() -> Iterator[Server]:
    running = Server()
    running.thread.start()
    yield running
    running.httpd.shutdown()
    running.httpd.server_close()


def downloads(server: Server) -> dict[str, str]:
    return targets(
        {"kev": server.url("/kev.json"), "epss": server.url("/epss.csv.gz")},
        [server.url("/csaf/bsi-2022-0001.json")],
    )


class TestUpdate:
    def test_first_fetch_then_304_then_offline(self, server: Server, tmp_path: Path) -> None:
        cache = tmp_path / "cache"
        first = update(cache, downloads(server))
        assert [(r.target, r.status) for r in first] == [
            ("csaf/bsi-2022-0001.json", "updated"),
            ("epss/epss_scores-current.csv.gz", "updated"),
            ("kev/known_exploited_vulnerabilities.json", "updated"),
        ]
        second = update(cache, downloads(server))
        assert {r.status for r in second} == {"not modified"}
        assert sorted(code for _, code in server.log) == [200, 200, 200, 304, 304, 304]
        # Offline afterwards: the cache reads like the fixtures.
        feeds = read_feeds(
            kev=cache / "kev" / "known_exploited_vulnerabilities.json",
            epss=cache / "epss" / "epss_scores-current.csv.gz",
            csaf=cache / "csaf",
        )
        assert len(feeds.kev) == 4
        assert (cache / ".meta" / "kev" / "known_exploited_vulnerabilities.json.json").is_file()

    def test_a_truncated_download_leaves_the_old_cache_intact(
        self, server: Server, tmp_path: Path
    ) -> None:
        cache = tmp_path / "cache"
        update(cache, downloads(server))
        kev = cache / "kev" / "known_exploited_vulnerabilities.json"
        old = kev.read_bytes()
        server.files["/kev.json"] = old.replace(b"2024.02.13", b"2024.02.14")
        server.truncate.add("/kev.json")
        (result,) = [r for r in update(cache, downloads(server)) if r.target.startswith("kev/")]
        assert result.status == "failed"
        assert result.detail.startswith("truncated")
        assert kev.read_bytes() == old
        assert not list(kev.parent.glob(".*.tmp"))

    def test_an_invalid_file_is_not_put_in_place(self, server: Server, tmp_path: Path) -> None:
        cache = tmp_path / "cache"
        server.files["/kev.json"] = b'{"catalogVersion": "x", "vulnerabilities": [{}]}'
        (result,) = [r for r in update(cache, downloads(server)) if r.target.startswith("kev/")]
        assert result.status == "failed"
        assert result.detail.startswith("not a valid kev file:")
        assert not (cache / "kev" / "known_exploited_vulnerabilities.json").exists()

    def test_a_missing_file_fails_without_touching_the_cache(
        self, server: Server, tmp_path: Path
    ) -> None:
        results = update(tmp_path, {"csaf/gone.json": server.url("/csaf/gone.json")})
        assert [(r.status, r.detail) for r in results] == [("failed", "HTTP 404 Not Found")]
        assert not (tmp_path / "csaf").exists()


class TestTargets:
    def test_the_default_sources_and_the_vulnrichment_layout(self) -> None:
        assert targets(cves=["CVE-2024-21762"]) == {
            "kev/known_exploited_vulnerabilities.json": "https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json",
            "epss/epss_scores-current.csv.gz": "https://epss.empiricalsecurity.com/epss_scores-current.csv.gz",
            "vulnrichment/2024/21xxx/CVE-2024-21762.json": "https://raw.githubusercontent.com/cisagov/vulnrichment/develop/2024/21xxx/CVE-2024-21762.json",
        }
        assert vulnrichment_path("CVE-2024-3931") == "2024/3xxx/CVE-2024-3931.json"

    def test_an_unknown_source_is_refused(self) -> None:
        with pytest.raises(ValueError, match="unknown feed 'nvd'"):
            targets({"nvd": "http://127.0.0.1/"})


def test_the_command(server: Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = [
        "feeds",
        "update",
        str(tmp_path),
        "--source",
        f"kev={server.url('/kev.json')}",
        "--source",
        f"epss={server.url('/epss.csv.gz')}",
    ]
    assert cli.main(args) == 0
    assert "kev/known_exploited_vulnerabilities.json: updated" in capsys.readouterr().out
    server.truncate.add("/epss.csv.gz")
    server.files["/epss.csv.gz"] = server.files["/epss.csv.gz"] + b"\n"
    assert cli.main(args) == 1
    out = capsys.readouterr().out
    assert "kev/known_exploited_vulnerabilities.json: not modified" in out
    assert "1 download(s) failed; the cache keeps the old copies." in out
