"""Publishing into a CalDAV collection (``maintlib.outputs.publish``, ``plan --caldav``),
against a real Radicale server on 127.0.0.1 with htpasswd logins.

The server's state is read back without python-caldav (the publisher's client):
a ``REPORT`` parsed with ElementTree and icalendar, so a sync that only looks
right to its own client fails here.
"""

from __future__ import annotations

import base64
import http.client
import http.server
import itertools
import threading
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import icalendar
import pytest

from maintlib import cli
from maintlib.outputs.ics.feed import to_ics
from maintlib.outputs.publish import (
    PASSWORD_ENV,
    USERNAME_ENV,
    Credentials,
    PublishError,
    credentials_for,
    publish_caldav,
    split_objects,
)
from servers import radicale_server

USER, PASSWORD = "alice", "s3cret"
ALICE = Credentials(USER, PASSWORD)

INVENTORY = """
[organisation]
name = "Acme BV"
timezone = "Europe/Amsterdam"
country = "NL"

[[windows]]
name = "sat-night"
rrule = "FREQ=WEEKLY;BYDAY=SA"
start = "22:00"
duration = "PT6H"

[[windows]]
name = "wed-night"
rrule = "FREQ=WEEKLY;BYDAY=WE"
start = "23:00"
duration = "PT3H"

[[assets]]
id = "hv01"
name = "Hyper-V host 1"
kind = "hypervisor"
window = "sat-night"
criticality = "high"

[[assets]]
id = "fw01"
name = "Edge firewall"
kind = "firewall"
window = "wed-night"
criticality = "critical"
exposure = "internet"

[[assets]]
id = "ws01"
kind = "workstation"
"""

REMOVED = "ws01"


@pytest.fixture(scope="module")
def radicale(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A Radicale server on 127.0.0.1: temporary storage, htpasswd (plain) logins,
    no delay after a failed one. Each test uses a collection of its own."""
    folder = tmp_path_factory.mktemp("radicale")
    users = folder / "users"
    users.write_text(f"{USER}:{PASSWORD}\n", encoding="utf-8")
    with radicale_server(
        folder / "collections",
        "--auth-type",
        "htpasswd",
        "--auth-htpasswd-filename",
        str(users),
        "--auth-htpasswd-encryption",
        "plain",
        "--auth-delay",
        "0",
    ) as base:
        yield base


_names = itertools.count()


@pytest.fixture
def collection(radicale: str) -> str:
    """A collection URL that does not exist yet."""
    return f"{radicale}/{USER}/plan-{next(_names)}/"


# -- reading the server without python-caldav ---------------------------------------


def dav(method: str, url: str, body: bytes = b"", **headers: str) -> tuple[int, bytes]:
    token = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
    request = urllib.request.Request(
        url,
        data=body or None,
        method=method,
        headers={"Authorization": f"Basic {token}", **headers},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


QUERY = (
    b'<?xml version="1.0"?><C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">'
    b"<D:prop><D:getetag/><C:calendar-data/></D:prop><C:filter>"
    b'<C:comp-filter name="VCALENDAR"/></C:filter></C:calendar-query>'
)


def held(url: str) -> dict[str, tuple[str, list[icalendar.Component]]]:
    """UID → (ETag, its events) of every object in the collection."""
    status, body = dav("REPORT", url, QUERY, Depth="1", **{"Content-Type": "application/xml"})
    assert status == 207, body
    found = {}
    for response in ET.fromstring(body).iter("{DAV:}response"):
        etag = response.findtext(".//{DAV:}getetag")
        data = response.findtext(".//{urn:ietf:params:xml:ns:caldav}calendar-data")
        assert etag
        assert data
        events = icalendar.Calendar.from_ical(data).walk("VEVENT")
        (uid,) = {str(event["UID"]) for event in events}
        assert uid not in found
        found[uid] = (etag, events)
    return found


def feed_uids(feed: bytes) -> set[str]:
    return {str(event["UID"]) for event in icalendar.Calendar.from_ical(feed).walk("VEVENT")}


def content(events: list[icalendar.Component]) -> list[bytes]:
    """The events as a client shows them: DTSTAMP and SEQUENCE left out."""
    shown = []
    for event in events:
        copy = icalendar.Event.from_ical(event.to_ical())
        for name in ("DTSTAMP", "SEQUENCE"):
            copy.pop(name, None)
        shown.append(copy.to_ical())
    return sorted(shown)


def sequences(events: list[icalendar.Component]) -> set[int]:
    return {int(event.get("SEQUENCE", 0)) for event in events}


# -- plans ----------------------------------------------------------------------------


@pytest.fixture
def inventory(tmp_path: Path) -> Path:
    path = tmp_path / "inventory.toml"
    path.write_text(INVENTORY, encoding="utf-8")
    return path


def run_plan(
    capsys: pytest.CaptureFixture[str],
    inventory: Path,
    start: str,
    *extra: str | Path,
    months: int = 1,
) -> tuple[int, str, str]:
    code = cli.main(
        ["plan", str(inventory), "--start", start, "--months", str(months), *map(str, extra)]
    )
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def login(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(USERNAME_ENV, USER)
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    monkeypatch.setenv("HOME", str(tmp_path))  # no ~/.netrc of the machine's


def publish_run(
    capsys: pytest.CaptureFixture[str],
    inventory: Path,
    start: str,
    url: str,
    ics: Path,
    months: int = 1,
) -> bytes:
    code, out, err = run_plan(
        capsys, inventory, start, "--ics", ics, "--caldav", url, "--caldav-create", months=months
    )
    assert code == 0, err
    assert f"caldav {url}" in out
    return ics.read_bytes()


# -- the tests ------------------------------------------------------------------------


@pytest.mark.usefixtures("login")
class TestPlanCaldav:
    def test_first_publish_holds_exactly_the_feeds_uids(
        self, capsys: pytest.CaptureFixture[str], inventory: Path, collection: str, tmp_path: Path
    ) -> None:
        feed = publish_run(capsys, inventory, "2027-01-01", collection, tmp_path / "a.ics")
        on_server = held(collection)
        assert set(on_server) == feed_uids(feed)
        assert len(on_server) > 10
        served = {uid: content(events) for uid, (_, events) in on_server.items()}
        written = {
            uid: content(icalendar.Calendar.from_ical(data).walk("VEVENT"))
            for uid, data in split_objects(feed).items()
        }
        assert served == written

    def test_a_replan_a_month_later_changes_only_what_changed(
        self, capsys: pytest.CaptureFixture[str], inventory: Path, collection: str, tmp_path: Path
    ) -> None:
        first = publish_run(capsys, inventory, "2027-01-01", collection, tmp_path / "a.ics", 2)
        before = held(collection)
        # A month later, the firewall has a new name: its events' summaries change.
        text = inventory.read_text(encoding="utf-8")
        inventory.write_text(text.replace("Edge firewall", "Edge firewall B"), encoding="utf-8")
        second = publish_run(capsys, inventory, "2027-02-01", collection, tmp_path / "b.ics", 2)
        after = held(collection)
        assert set(after) == feed_uids(second)
        new = {
            uid: content(icalendar.Calendar.from_ical(data).walk("VEVENT"))
            for uid, data in split_objects(second).items()
        }
        kept = set(before) & set(after)
        same = {uid for uid in kept if content(before[uid][1]) == new[uid]}
        changed = kept - same
        assert same, "no event stayed the same: the test shows nothing"
        assert changed, "no event changed: the test shows nothing"
        assert {uid.split(".")[0] for uid in changed} == {"fw01"}
        assert set(before) - set(after) == feed_uids(first) - feed_uids(second)
        for uid in same:  # not rewritten at all
            assert after[uid][0] == before[uid][0]
            assert sequences(after[uid][1]) == sequences(before[uid][1])
        for uid in changed:
            assert after[uid][0] != before[uid][0]
            assert content(after[uid][1]) == new[uid]
            assert min(sequences(after[uid][1])) == max(sequences(before[uid][1])) + 1

    def test_a_removed_assets_events_are_deleted(
        self, capsys: pytest.CaptureFixture[str], inventory: Path, collection: str, tmp_path: Path
    ) -> None:
        publish_run(capsys, inventory, "2027-01-01", collection, tmp_path / "a.ics")
        before = held(collection)
        gone = {uid for uid in before if uid.startswith(f"{REMOVED}.")}
        assert gone
        text = inventory.read_text(encoding="utf-8")
        inventory.write_text(text[: text.index('[[assets]]\nid = "ws01"')], encoding="utf-8")
        publish_run(capsys, inventory, "2027-01-01", collection, tmp_path / "b.ics")
        after = held(collection)
        assert set(after) == set(before) - gone
        assert all(after[uid][0] == before[uid][0] for uid in after)

    def test_wrong_credentials_exit_1_and_change_nothing(
        self,
        capsys: pytest.CaptureFixture[str],
        inventory: Path,
        collection: str,
        tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        publish_run(capsys, inventory, "2027-01-01", collection, tmp_path / "a.ics")
        before = held(collection)
        monkeypatch.setenv(PASSWORD_ENV, "wrong")
        code, _, err = run_plan(
            capsys, inventory, "2027-02-01", "--ics", tmp_path / "b.ics", "--caldav", collection
        )
        assert code == 1
        assert "refused the login" in err
        assert "wrong" not in err
        assert PASSWORD not in err
        assert "Traceback" not in err
        assert held(collection) == before
        assert not (tmp_path / "b.ics").exists()

    def test_foreign_events_survive(
        self, capsys: pytest.CaptureFixture[str], inventory: Path, collection: str, tmp_path: Path
    ) -> None:
        publish_run(capsys, inventory, "2027-01-01", collection, tmp_path / "a.ics")
        foreign = (
            b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//someone//EN\r\nBEGIN:VEVENT\r\n"
            b"UID:team-lunch@example.org\r\nDTSTAMP:20270101T000000Z\r\n"
            b"DTSTART:20270115T120000Z\r\nDTEND:20270115T130000Z\r\nSUMMARY:Lunch\r\n"
            b"END:VEVENT\r\nEND:VCALENDAR\r\n"
        )
        status, _ = dav(
            "PUT", collection + "lunch.ics", foreign, **{"Content-Type": "text/calendar"}
        )
        assert status == 201
        before = held(collection)["team-lunch@example.org"]
        inventory.write_text(INVENTORY.replace("Edge firewall", "Firewall"), encoding="utf-8")
        code, out, _ = run_plan(capsys, inventory, "2027-01-01", "--caldav", collection)
        assert code == 0
        assert "1 others left alone" in out
        assert held(collection)["team-lunch@example.org"] == before

    def test_dry_run_lists_and_changes_nothing(
        self, capsys: pytest.CaptureFixture[str], inventory: Path, collection: str, tmp_path: Path
    ) -> None:
        code, out, _ = run_plan(
            capsys, inventory, "2027-01-01", "--caldav", collection, "--caldav-create", "--dry-run"
        )
        assert code == 0
        assert "collection would be created" in out
        assert "would create hv01." in out
        assert dav("PROPFIND", collection, Depth="0")[0] == 404
        publish_run(capsys, inventory, "2027-01-01", collection, tmp_path / "a.ics")
        before = held(collection)
        code, out, _ = run_plan(
            capsys, inventory, "2027-02-01", "--caldav", collection, "--dry-run"
        )
        assert code == 0
        assert "would delete" in out
        assert "would create" in out
        assert held(collection) == before

    def test_a_missing_collection_without_create_is_an_error(
        self, capsys: pytest.CaptureFixture[str], inventory: Path, collection: str
    ) -> None:
        code, _, err = run_plan(capsys, inventory, "2027-01-01", "--caldav", collection)
        assert code == 1
        assert "--caldav-create" in err

    def test_caldav_options_need_caldav(
        self, capsys: pytest.CaptureFixture[str], inventory: Path
    ) -> None:
        code, _, err = run_plan(capsys, inventory, "2027-01-01", "--dry-run")
        assert code == 2
        assert "--dry-run needs --caldav URL" in err


# -- a server error halfway -------------------------------------------------------


class FailingProxy(http.server.ThreadingHTTPServer):
    """Forwards to Radicale, but answers the ``fail_at``-th PUT with a 500."""

    def __init__(self, target: str, fail_at: int) -> None:
        self.target = target.removeprefix("http://")
        self.fail_at = fail_at
        self.puts = 0
        self.lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), _ProxyHandler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _ProxyHandler(http.server.BaseHTTPRequestHandler):
    server: FailingProxy

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _forward(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.command == "PUT":
            with self.server.lock:
                self.server.puts += 1
                fail = self.server.puts == self.server.fail_at
            if fail:
                self.send_response(500)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
        connection = http.client.HTTPConnection(self.server.target, timeout=30)
        headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
        connection.request(self.command, self.path, body, headers)
        response = connection.getresponse()
        data = response.read()
        self.send_response(response.status)
        for name, value in response.getheaders():
            if name.lower() not in ("transfer-encoding", "connection", "content-length"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        connection.close()

    do_GET = do_PUT = do_DELETE = do_PROPFIND = do_REPORT = do_MKCALENDAR = do_OPTIONS = _forward


@pytest.fixture
def proxy(radicale: str) -> Iterator[FailingProxy]:
    server = FailingProxy(radicale, fail_at=4)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def a_plan(inventory: Path, start: str) -> bytes:
    import datetime as dt

    from maintlib.loading.read import load
    from maintlib.pipeline import plan

    begin = dt.date.fromisoformat(start)
    result = plan(
        load(inventory),
        start=begin,
        months=1,
        reference_time=dt.datetime(begin.year, begin.month, 1, tzinfo=dt.UTC),
    )
    return to_ics(result)


def test_a_server_error_halfway_is_repaired_by_the_next_run(
    inventory: Path, collection: str, proxy: FailingProxy
) -> None:
    first = a_plan(inventory, "2027-01-01")
    through_proxy = proxy.url + urllib.parse.urlsplit(collection).path
    with pytest.raises(PublishError, match=r"HTTP 500.* — 3 of \d+ changes were made; run again"):
        publish_caldav(first, through_proxy, credentials=ALICE, create=True)
    assert len(held(collection)) == 3
    result = publish_caldav(first, collection, credentials=ALICE)
    assert result.count("create") == len(feed_uids(first)) - 3
    assert result.unchanged == 3
    assert set(held(collection)) == feed_uids(first)
    # The re-plan fails halfway too; the old events stay until the writes are done.
    proxy.puts, proxy.fail_at = 0, 2
    second = a_plan(inventory, "2027-02-01")
    with pytest.raises(PublishError):
        publish_caldav(second, through_proxy, credentials=ALICE)
    assert feed_uids(first) <= set(held(collection))
    publish_caldav(second, collection, credentials=ALICE)
    assert set(held(collection)) == feed_uids(second)


def test_series_and_run_book_feeds_publish_one_object_per_uid(
    inventory: Path, collection: str
) -> None:
    import datetime as dt

    from maintlib.loading.read import load
    from maintlib.pipeline import plan

    result = plan(
        load(inventory),
        start=dt.date(2027, 1, 1),
        months=1,
        reference_time=dt.datetime(2027, 1, 1, tzinfo=dt.UTC),
    )
    for mode in ("series", "occurrence"):
        feed = to_ics(result, mode=mode)
        publish_caldav(feed, collection, credentials=ALICE, create=True)
        on_server = held(collection)
        assert set(on_server) == feed_uids(feed)
        counts: dict[str, int] = {}
        for event in icalendar.Calendar.from_ical(feed).walk("VEVENT"):
            counts[str(event["UID"])] = counts.get(str(event["UID"]), 0) + 1
        assert {uid: len(events) for uid, (_, events) in on_server.items()} == counts


def test_a_feed_of_another_domain_is_refused(inventory: Path, collection: str) -> None:
    from maintlib.outputs.publish import CalDAVCollection

    feed = a_plan(inventory, "2027-01-01")
    target = CalDAVCollection(collection, credentials=ALICE, domain="ops.example.org", create=True)
    target.read()
    with pytest.raises(PublishError, match="outside the domain"):
        target.sync(feed)


# -- credentials --------------------------------------------------------------------


class TestCredentials:
    URL = "https://dav.example.org/cal/ops/"

    def test_the_environment_comes_first(self, tmp_path: Path) -> None:
        netrc = tmp_path / "netrc"
        netrc.write_text("machine dav.example.org login bob password pw\n", encoding="utf-8")
        netrc.chmod(0o600)
        environ = {USERNAME_ENV: "alice", PASSWORD_ENV: "x"}
        assert credentials_for(self.URL, environ=environ, netrc_file=netrc) == Credentials(
            "alice", "x"
        )
        assert credentials_for(self.URL, environ={}, netrc_file=netrc) == Credentials("bob", "pw")

    def test_netrc_by_host_or_none(self, tmp_path: Path) -> None:
        netrc = tmp_path / "netrc"
        netrc.write_text("machine other.example.org login bob password pw\n", encoding="utf-8")
        netrc.chmod(0o600)
        assert credentials_for(self.URL, environ={}, netrc_file=netrc) is None
        assert credentials_for(self.URL, environ={"NETRC": str(tmp_path / "none")}) is None

    def test_netrc_from_the_environment(self, tmp_path: Path) -> None:
        netrc = tmp_path / "netrc"
        netrc.write_text("default login carol password pw\n", encoding="utf-8")
        netrc.chmod(0o600)
        assert credentials_for(self.URL, environ={"NETRC": str(netrc)}) == Credentials(
            "carol", "pw"
        )

    def test_no_password_in_the_url_or_half_a_login(self) -> None:
        with pytest.raises(PublishError, match="no user name or password in the URL"):
            credentials_for("https://bob:pw@dav.example.org/cal/", environ={})
        with pytest.raises(PublishError, match="set both"):
            credentials_for(self.URL, environ={USERNAME_ENV: "alice"})

    def test_the_password_is_not_in_the_repr(self) -> None:
        assert "s3cret" not in repr(ALICE)


def test_split_objects_keeps_a_series_with_its_overrides_and_its_zones() -> None:
    feed = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nMETHOD:PUBLISH\r\n"
        b"BEGIN:VTIMEZONE\r\nTZID:Europe/Amsterdam\r\nBEGIN:STANDARD\r\n"
        b"DTSTART:19701025T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\n"
        b"END:STANDARD\r\nEND:VTIMEZONE\r\n"
        b"BEGIN:VEVENT\r\nUID:a@x.invalid\r\nDTSTAMP:20270101T000000Z\r\n"
        b"DTSTART;TZID=Europe/Amsterdam:20270102T220000\r\nRRULE:FREQ=WEEKLY\r\nEND:VEVENT\r\n"
        b"BEGIN:VEVENT\r\nUID:a@x.invalid\r\nDTSTAMP:20270101T000000Z\r\n"
        b"RECURRENCE-ID;TZID=Europe/Amsterdam:20270109T220000\r\n"
        b"DTSTART;TZID=Europe/Amsterdam:20270110T220000\r\nEND:VEVENT\r\n"
        b"BEGIN:VEVENT\r\nUID:b@x.invalid\r\nDTSTAMP:20270101T000000Z\r\n"
        b"DTSTART:20270102T220000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    objects = split_objects(feed)
    assert sorted(objects) == ["a@x.invalid", "b@x.invalid"]
    a = icalendar.Calendar.from_ical(objects["a@x.invalid"])
    assert len(a.walk("VEVENT")) == 2
    assert [str(z["TZID"]) for z in a.walk("VTIMEZONE")] == ["Europe/Amsterdam"]
    assert "METHOD" not in a
    b = icalendar.Calendar.from_ical(objects["b@x.invalid"])
    assert b.walk("VTIMEZONE") == []
