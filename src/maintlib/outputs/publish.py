"""Publishing a feed into a CalDAV calendar collection, and keeping it in sync.

:func:`publish_caldav` takes the bytes :func:`~maintlib.outputs.ics.feed.to_ics`
wrote and makes a calendar collection (Nextcloud, Radicale, SOGo, Fastmail, iCloud)
hold exactly its events, with python-caldav (``caldav``) as the client:

* every UID of the feed becomes one calendar object resource (RFC 4791 section
  4.1: one UID per resource — a series with its overrides together — and no
  ``METHOD``), with the ``VTIMEZONE`` blocks its events use;
* an object the collection already holds is left alone when only ``DTSTAMP`` and
  ``SEQUENCE`` differ; one that differs otherwise is replaced, its ``SEQUENCE``
  one above the server's (RFC 5545 section 3.8.7.4: a client that compares it
  keeps the newer copy);
* objects of earlier runs — UIDs ending in ``@<domain>``, maintlib's — that the
  feed no longer has are deleted; every other object in the collection (a
  person's own entries, another tool's) is never read beyond its UID, written or
  deleted;
* writes are conditional (``If-None-Match: *`` for new objects, ``If-Match`` with
  the ETag read for replaced and deleted ones), so an entry someone changed in
  between is not overwritten: the run stops with an error and the next one
  starts from what the server then holds.

The sync is stateless: each run reads the collection and works out what to
change, so a run that failed halfway (a server error, a lost connection) is
repaired by the next. New and changed objects are written before anything is
deleted. Credentials come from the caller — :func:`credentials_for` reads them
from the environment or ``~/.netrc``, never from an inventory or a command line.
"""

from __future__ import annotations

import datetime as dt
import netrc
import os
import urllib.parse
from collections.abc import Mapping
from typing import Any, Literal

import attrs
import icalendar

from maintlib.model.errors import MaintlibError
from maintlib.outputs.ics.feed import DEFAULT_DOMAIN, check_domain

__all__ = [
    "PASSWORD_ENV",
    "USERNAME_ENV",
    "CalDAVCollection",
    "Change",
    "Credentials",
    "PublishError",
    "SyncResult",
    "credentials_for",
    "publish_caldav",
    "split_objects",
]


#: The environment variables :func:`credentials_for` reads first.
USERNAME_ENV, PASSWORD_ENV = "MAINTLIB_CALDAV_USERNAME", "MAINTLIB_CALDAV_PASSWORD"

#: Properties that change with every run and say nothing about the event.
_VOLATILE = frozenset({"DTSTAMP", "SEQUENCE", "LAST-MODIFIED", "CREATED"})


class PublishError(MaintlibError):
    """The calendar could not be read or brought in sync (the message says how far
    the run got; the next run continues from what the server holds)."""


@attrs.frozen
class Credentials:
    """A user name and password for the CalDAV server (the password never printed)."""

    username: str
    password: str = attrs.field(repr=False)


def credentials_for(
    url: str,
    *,
    environ: Mapping[str, str] | None = None,
    netrc_file: str | os.PathLike[str] | None = None,
) -> Credentials | None:
    """The credentials for ``url``: ``MAINTLIB_CALDAV_USERNAME`` and
    ``MAINTLIB_CALDAV_PASSWORD`` when both are set, else the ``machine`` entry of
    ``~/.netrc`` (or ``$NETRC``, or ``netrc_file``) for the URL's host (or its
    ``default`` entry); None when there are none.

    Raises:
        PublishError: The URL holds a user name or password (they would end up in
            the shell's history), only one of the two variables is set, or the
            netrc file cannot be read.
    """
    environ = os.environ if environ is None else environ
    parts = urllib.parse.urlsplit(url)
    if parts.username is not None or parts.password is not None:
        raise PublishError(
            f"{_safe_url(url)}: put no user name or password in the URL; set"
            f" {USERNAME_ENV} and {PASSWORD_ENV} or use ~/.netrc"
        )
    username, password = environ.get(USERNAME_ENV), environ.get(PASSWORD_ENV)
    if username is not None or password is not None:
        if not username or password is None:
            raise PublishError(f"set both {USERNAME_ENV} and {PASSWORD_ENV}, or neither")
        return Credentials(username, password)
    path = netrc_file or environ.get("NETRC") or os.path.join(os.path.expanduser("~"), ".netrc")
    if not os.path.exists(path):
        return None
    try:
        entry = netrc.netrc(os.fspath(path)).authenticators(parts.hostname or "")
    except (OSError, netrc.NetrcParseError) as error:
        raise PublishError(f"{os.fspath(path)}: cannot read: {error}") from None
    if entry is None:
        return None
    login, _, secret = entry
    return Credentials(login, secret or "")


@attrs.frozen
class Change:
    """One change to the collection: ``create``, ``update`` or ``delete`` the
    object of ``uid`` at ``href``."""

    action: Literal["create", "update", "delete"]
    uid: str
    href: str


@attrs.frozen
class SyncResult:
    """What a sync did (or, with ``dry_run``, would do).

    Attributes:
        url: The collection.
        created: The collection was (or would be) created.
        changes: The objects written and deleted, in the order they were.
        unchanged: maintlib's objects left as they were.
        foreign: Objects with UIDs outside maintlib's domain, left alone.
        dry_run: Nothing was changed.
    """

    url: str
    created: bool
    changes: tuple[Change, ...]
    unchanged: int
    foreign: int
    dry_run: bool

    def count(self, action: str) -> int:
        return sum(1 for change in self.changes if change.action == action)

    def summary(self) -> str:
        """``caldav http://…/plan/: 3 created, 1 updated, 2 deleted, 40 unchanged,
        5 others left alone`` (``would create`` … with ``dry_run``)."""
        verb = "would be " if self.dry_run else ""
        parts = [
            f"{self.count('create')} {verb}created",
            f"{self.count('update')} {verb}updated",
            f"{self.count('delete')} {verb}deleted",
            f"{self.unchanged} unchanged",
            f"{self.foreign} others left alone",
        ]
        head = f"caldav {self.url}"
        if self.created:
            head += " (collection would be created)" if self.dry_run else " (collection created)"
        return f"{head}: {', '.join(parts)}"


@attrs.frozen
class _Held:
    """An object the collection holds: where, its ETag, its content (maintlib's only)."""

    href: str
    etag: str | None
    uid: str
    content: bytes | None


def _safe_url(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    if parts.port is not None:
        host += f":{parts.port}"
    return urllib.parse.urlunsplit((parts.scheme, host, parts.path, "", ""))


def _tzids(component: icalendar.Component) -> set[str]:
    found = set()
    for _, value in component.property_items(recursive=True):
        params = getattr(value, "params", None)
        if params and "TZID" in params:
            found.add(str(params["TZID"]))
    return found


def split_objects(feed: bytes) -> dict[str, bytes]:
    """The feed as calendar object resources: UID → a ``VCALENDAR`` with that UID's
    events (a series and its overrides), the ``VTIMEZONE`` s they use, and the
    feed's ``VERSION``, ``PRODID`` and ``CALSCALE`` (no ``METHOD``: RFC 4791
    section 4.1).

    Raises:
        PublishError: ``feed`` is not iCalendar.
    """
    try:
        calendar = icalendar.Calendar.from_ical(feed.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise PublishError(f"the feed is not an iCalendar file: {error}") from None
    zones = {str(zone["TZID"]): zone for zone in calendar.walk("VTIMEZONE")}
    events: dict[str, list[icalendar.Component]] = {}
    for event in calendar.walk("VEVENT"):
        events.setdefault(str(event["UID"]), []).append(event)
    objects = {}
    for uid in sorted(events):
        piece = icalendar.Calendar()
        for name in ("PRODID", "VERSION", "CALSCALE"):
            if name in calendar:
                piece.add(name, calendar[name])
        used = set().union(*(_tzids(event) for event in events[uid]))
        for key in sorted(used & zones.keys()):
            piece.add_component(zones[key])
        for event in events[uid]:
            piece.add_component(event)
        objects[uid] = piece.to_ical()
    return objects


def _normalised(value: Any) -> str:
    if hasattr(value, "dt"):
        moment = value.dt
        return (
            moment.astimezone(dt.UTC).isoformat()
            if getattr(moment, "tzinfo", None)
            else str(moment)
        )
    if hasattr(value, "dts"):
        return ",".join(sorted(_normalised(part) for part in value.dts))
    text = value.to_ical()
    text = text.decode() if isinstance(text, bytes) else str(text)
    params = getattr(value, "params", None)
    if params and not hasattr(value, "dt"):
        shown = sorted((k, str(v)) for k, v in params.items() if k != "TZID")
        return f"{text};{shown}"
    return text


def _fingerprint(component: icalendar.Component) -> tuple[Any, ...]:
    """What a client shows of a component: its properties but the volatile ones,
    times in UTC, and its sub-components (alarms) — the same whoever serialised it."""
    properties = sorted(
        (name, _normalised(value))
        for name, value in component.property_items(recursive=False)
        if name not in ("BEGIN", "END") and name not in _VOLATILE
    )
    return (
        component.name,
        tuple(properties),
        tuple(
            sorted(
                (_fingerprint(sub) for sub in component.subcomponents if sub.name != "VTIMEZONE"),
                key=repr,
            )
        ),
    )


def _events(content: bytes) -> dict[str, icalendar.Component]:
    """RECURRENCE-ID in UTC (or "") → the event, of one calendar object."""
    calendar = icalendar.Calendar.from_ical(content.decode("utf-8"))
    found = {}
    for event in calendar.walk("VEVENT"):
        recurrence = event.get("RECURRENCE-ID")
        found[_normalised(recurrence) if recurrence is not None else ""] = event
    return found


def _same(new: bytes, held: bytes) -> bool:
    try:
        theirs = _events(held)
    except (UnicodeDecodeError, ValueError):
        return False
    ours = _events(new)
    if ours.keys() != theirs.keys():
        return False
    return all(_fingerprint(ours[key]) == _fingerprint(theirs[key]) for key in ours)


def _sequenced(new: bytes, held: bytes | None) -> bytes:
    """``new`` with each event's SEQUENCE one above the server's copy (or its own,
    if higher)."""
    theirs: dict[str, icalendar.Component] = {}
    if held is not None:
        try:
            theirs = _events(held)
        except (UnicodeDecodeError, ValueError):
            theirs = {}
    calendar = icalendar.Calendar.from_ical(new.decode("utf-8"))
    for event in calendar.walk("VEVENT"):
        recurrence = event.get("RECURRENCE-ID")
        key = _normalised(recurrence) if recurrence is not None else ""
        ours = int(event.get("SEQUENCE", 0))
        previous = theirs.get(key)
        before = -1 if previous is None else _int(previous.get("SEQUENCE", 0))
        event.pop("SEQUENCE", None)
        event.add("SEQUENCE", max(ours, before + 1))
    result: bytes = calendar.to_ical()
    return result


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


class CalDAVCollection:
    """One calendar collection on a CalDAV server, read once and then synced.

    Args:
        url: The collection's URL (``https://dav.example.org/calendars/ops/maintenance/``).
        credentials: Basic/Digest credentials, or None for a server without login.
        domain: maintlib's UID domain: objects whose UID ends in ``@domain`` are
            maintlib's to replace and delete; all others are left alone.
        create: Create the collection (``MKCALENDAR``) when it does not exist.
        timeout: Seconds per request.
    """

    def __init__(
        self,
        url: str,
        *,
        credentials: Credentials | None = None,
        domain: str = DEFAULT_DOMAIN,
        create: bool = False,
        timeout: int = 30,
    ) -> None:
        check_domain(domain)
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise PublishError(f"{url!r} is not an http(s) URL of a calendar collection")
        if parts.username is not None or parts.password is not None:
            raise PublishError(f"{_safe_url(url)}: put no user name or password in the URL")
        self.url = url if url.endswith("/") else url + "/"
        self.domain = domain
        self.create = create
        self.credentials = credentials
        self.timeout = timeout
        self._client: Any = None
        self._held: dict[str, _Held] | None = None
        self._exists = False
        self.foreign = 0

    # -- the client ---------------------------------------------------------------

    def _connect(self) -> Any:
        if self._client is None:
            from caldav.davclient import DAVClient

            self._client = DAVClient(
                url=self.url,
                username=None if self.credentials is None else self.credentials.username,
                password=None if self.credentials is None else self.credentials.password,
                timeout=self.timeout,
                enable_rfc6764=False,
                rate_limit_handle=False,
            )
        return self._client

    def _request(self, method: str, href: str, body: str = "", **headers: str) -> Any:
        """One request; a refused login, a lost connection or an HTTP error status
        becomes a :class:`PublishError`."""
        from caldav.lib import error as dav_error

        client = self._connect()
        try:
            response = client.request(href, method, body, headers)
        except dav_error.AuthorizationError as failure:
            raise PublishError(
                f"{_safe_url(self.url)}: the server refused the login (HTTP"
                f" {getattr(failure, 'status', None) or '401/403'}); check {USERNAME_ENV},"
                f" {PASSWORD_ENV} or ~/.netrc"
            ) from None
        except dav_error.DAVError as failure:
            raise PublishError(f"{_safe_url(href)}: {failure}") from None
        except OSError as failure:
            raise PublishError(f"{_safe_url(href)}: {failure}") from None
        except Exception as failure:  # niquests/requests connection errors
            if type(failure).__module__.split(".")[0] in ("niquests", "requests", "urllib3"):
                raise PublishError(f"{_safe_url(href)}: {failure}") from None
            raise
        return response

    # -- reading ------------------------------------------------------------------

    def read(self) -> None:
        """Read what the collection holds (a login refused, a URL that is not a
        calendar collection, or one that does not exist and may not be created,
        raise :class:`PublishError`)."""
        response = self._request(
            "PROPFIND",
            self.url,
            '<?xml version="1.0" encoding="utf-8"?><D:propfind xmlns:D="DAV:"><D:prop>'
            "<D:resourcetype/></D:prop></D:propfind>",
            Depth="0",
            **{"Content-Type": "application/xml; charset=utf-8"},
        )
        if response.status == 404:
            if not self.create:
                raise PublishError(
                    f"{_safe_url(self.url)}: no such calendar collection (allow creating it:"
                    " --caldav-create)"
                )
            self._exists = False
            self._held = {}
            return
        if response.status >= 300:
            raise PublishError(f"{_safe_url(self.url)}: HTTP {response.status} {response.reason}")
        kinds = " ".join(str(r.properties) for r in response.parse_propfind())
        if "calendar" not in kinds:
            raise PublishError(f"{_safe_url(self.url)}: not a calendar collection")
        self._exists = True
        self._held = self._list()

    def _list(self) -> dict[str, _Held]:
        """UID → the object, by a calendar-query REPORT for every VEVENT's data."""
        body = (
            '<?xml version="1.0" encoding="utf-8"?>'
            '<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">'
            "<D:prop><D:getetag/><C:calendar-data/></D:prop>"
            '<C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"/>'
            "</C:comp-filter></C:filter></C:calendar-query>"
        )
        response = self._request(
            "REPORT",
            self.url,
            body,
            Depth="1",
            **{"Content-Type": "application/xml; charset=utf-8"},
        )
        if response.status >= 300:
            raise PublishError(f"{_safe_url(self.url)}: HTTP {response.status} {response.reason}")
        held: dict[str, _Held] = {}
        self.foreign = 0
        suffix = f"@{self.domain}"
        for found in sorted(response.parse_calendar_query(), key=lambda r: str(r.href)):
            text = found.calendar_data
            uid = None if not text else _uid(text)
            if uid is None or not uid.endswith(suffix):
                self.foreign += 1
                continue
            href = urllib.parse.urljoin(self.url, str(found.href))
            held[uid] = _Held(href, found.etag, uid, text.encode("utf-8") if text else None)
        return held

    # -- syncing ------------------------------------------------------------------

    def plan_changes(self, objects: Mapping[str, bytes]) -> tuple[list[Change], int]:
        """The changes that make the collection hold ``objects``, and how many of
        maintlib's objects stay as they are."""
        if self._held is None:
            self.read()
        held = self._held or {}
        changes, unchanged = [], 0
        for uid, content in sorted(objects.items()):
            known = held.get(uid)
            if known is None:
                changes.append(Change("create", uid, self._href(uid)))
            elif known.content is not None and _same(content, known.content):
                unchanged += 1
            else:
                changes.append(Change("update", uid, known.href))
        changes += [
            Change("delete", uid, held[uid].href) for uid in sorted(held.keys() - objects.keys())
        ]
        return changes, unchanged

    def _href(self, uid: str) -> str:
        return self.url + urllib.parse.quote(uid, safe="") + ".ics"

    def sync(self, feed: bytes, *, dry_run: bool = False) -> SyncResult:
        """Make the collection hold exactly ``feed``'s events (see the module).

        Raises:
            PublishError: The server refused a change or could not be reached; the
                message says how many changes were made before (the next run
                finishes the work).
        """
        objects = split_objects(feed)
        suffix = f"@{self.domain}"
        outside = sorted(uid for uid in objects if not uid.endswith(suffix))
        if outside:
            raise PublishError(
                f"the feed has UIDs outside the domain {self.domain!r} ({outside[0]}…):"
                " publish with the same --ics-domain"
            )
        changes, unchanged = self.plan_changes(objects)
        created = not self._exists
        result = SyncResult(self.url, created, tuple(changes), unchanged, self.foreign, dry_run)
        if dry_run:
            return result
        if created:
            self._make_collection()
        held = self._held or {}
        for done, change in enumerate(changes):
            try:
                self._apply(change, objects.get(change.uid), held.get(change.uid))
            except PublishError as error:
                raise PublishError(
                    f"{error} — {done} of {len(changes)} changes were made; run again to"
                    " finish (nothing of others was touched)"
                ) from None
        self._held = None  # read again before another sync
        return result

    def _make_collection(self) -> None:
        response = self._request("MKCALENDAR", self.url)
        if response.status not in (200, 201):
            raise PublishError(
                f"{_safe_url(self.url)}: cannot create the calendar: HTTP {response.status}"
                f" {response.reason}"
            )
        self._exists = True

    def _apply(self, change: Change, content: bytes | None, held: _Held | None) -> None:
        if change.action == "delete":
            assert held is not None
            headers = {} if held.etag is None else {"If-Match": held.etag}
            response = self._request("DELETE", change.href, **headers)
            if response.status not in (200, 204, 404):
                raise _refused(change, response)
            return
        assert content is not None
        body = content if held is None else _sequenced(content, held.content)
        condition = (
            {"If-None-Match": "*"}
            if held is None
            else ({} if held.etag is None else {"If-Match": held.etag})
        )
        response = self._request(
            "PUT",
            change.href,
            body.decode("utf-8"),
            **{"Content-Type": "text/calendar; charset=utf-8"},
            **condition,
        )
        if response.status not in (200, 201, 204):
            raise _refused(change, response)


def _refused(change: Change, response: Any) -> PublishError:
    why = (
        "someone changed it since it was read"
        if response.status == 412
        else f"HTTP {response.status} {response.reason}"
    )
    return PublishError(f"{_safe_url(change.href)}: cannot {change.action} {change.uid}: {why}")


def _uid(text: str) -> str | None:
    """The UID of a calendar object's first component, read from its lines."""
    for line in text.replace("\r\n ", "").replace("\n ", "").splitlines():
        if line.upper().startswith("UID:") or line.upper().startswith("UID;"):
            return line.split(":", 1)[1].strip()
    return None


def publish_caldav(
    feed: bytes,
    url: str,
    *,
    credentials: Credentials | None = None,
    domain: str = DEFAULT_DOMAIN,
    create: bool = False,
    dry_run: bool = False,
    timeout: int = 30,
) -> SyncResult:
    """Put ``feed`` (from :func:`~maintlib.outputs.ics.feed.to_ics`, made with the
    same ``domain``) into the calendar collection at ``url`` and keep it in sync:
    new events created, changed ones replaced with a higher ``SEQUENCE``,
    maintlib's events that the feed no longer has deleted, everything else left
    alone. With ``dry_run`` nothing is changed; the result lists what would be.

    Raises:
        PublishError: A login refused, a server that cannot be reached, a URL that
            is not a calendar collection (or does not exist, without ``create``),
            or a change refused halfway (the next run repairs it).
    """
    collection = CalDAVCollection(
        url, credentials=credentials, domain=domain, create=create, timeout=timeout
    )
    collection.read()
    return collection.sync(feed, dry_run=dry_run)
