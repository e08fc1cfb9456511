"""Caching anonymous page views, never stale.

The site has one **content generation**: a token in the database
(``SiteGeneration``) that every write path replaces, through ``bump()``, once
its transaction commits (the publish services, history's revert, delete,
recover and rename, purge, source edits, revision visibility, and the upkeep
that renders other pages again).  A cached response is stored under a key made
of the generation it was rendered in, the request's address (scheme, host,
path and query) and the code's release, so after any change no cached page
can be found again: the next request renders afresh.  That holds for every
page at once, including pages that only show the changed page's title or lede
(navigation, infoboxes, indexes, what links here, home, sitemaps, feeds).

Why the database holds the generation: every app process shares it, whatever
the cache is.  With the default local-memory cache each gunicorn worker has a
cache of its own, and a counter kept in one of them could not be bumped in
the others; the database is the one store they all read, it survives a Redis
restart or eviction, and the bump can wait for the write's commit.  A hit
costs one primary-key read of that row and one cache get.

The generation is a random 62-bit token rather than a counter, so a database
restored from a backup, or a test database rolled back, never brings back a
number whose cache entries were rendered from other content.
"""

import hashlib
import os
import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from functools import cache as memoize
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.db import connections, router, transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date

from wiki import db_router

# Statuses whose anonymous responses are cached: a page, a permanent redirect
# (renamed pages), a missing page and a deleted one.
CACHED_STATUSES = frozenset({200, 301, 404, 410})
PRIVATE = "private, no-cache"


@dataclass(frozen=True, slots=True)
class Generation:
    number: int
    changed: int  # seconds since the epoch: the Last-Modified of its pages
    # Another generation began in the same second, so a client's copy dated
    # that second may be older than this generation's pages.
    shares_second: bool


def _database() -> str:
    # Always the primary: a replica may not have the latest bump yet.
    from wiki.models import SiteGeneration

    return router.db_for_write(SiteGeneration)


def current(using: str | None = None) -> Generation:
    """The site's content generation, read from the database (one query)."""
    using = using or _database()
    with connections[using].cursor() as cursor:
        cursor.execute(_select_sql())
        row = cursor.fetchone()
    if row is None:
        if using != _database():
            return Generation(-1, 0, True)  # a replica behind even the row
        _create_row(using)
        return current(using)
    number, changed_us, previous_us = row
    changed = changed_us // 1_000_000
    return Generation(number, changed, previous_us // 1_000_000 == changed)


def generation() -> int:
    """The site's content generation: it changes after every published change."""
    return current().number


def bump() -> None:
    """Make every cached page stale once the current transaction commits (at
    once outside a transaction).  Call it from every write path that changes
    what a reader can see, and after upkeep that renders other pages again."""
    using = _database()
    transaction.on_commit(lambda: bump_now(using), using=using)


def bump_now(using: str | None = None) -> None:
    """Replace the generation now, in the current transaction (if any)."""
    from wiki.models import SiteGeneration

    using = using or _database()
    now_us = time.time_ns() // 1000
    updated = (
        SiteGeneration.objects.using(using)
        .filter(pk=1)
        .update(
            number=secrets.randbits(62),
            previous_changed_us=F("changed_us"),
            # Never backwards (clocks differ between app servers), so a newer
            # generation never looks older to If-Modified-Since.
            changed_us=Greatest(F("changed_us"), Value(now_us)),
        )
    )
    if not updated:
        _create_row(using)


def _create_row(using: str) -> None:
    from wiki.models import SiteGeneration

    now_us = time.time_ns() // 1000
    SiteGeneration.objects.using(using).get_or_create(
        pk=1,
        defaults={
            "number": secrets.randbits(62),
            "changed_us": now_us,
            "previous_changed_us": 0,
        },
    )


@memoize
def _select_sql() -> str:
    from wiki.models import SiteGeneration

    table = connections[_database()].ops.quote_name(SiteGeneration._meta.db_table)
    return f"SELECT number, changed_us, previous_changed_us FROM {table} WHERE id = 1"


@memoize
def release() -> str:
    """What identifies the running code, so a deploy never serves pages that
    older templates or code rendered: ``LINEAGE_RELEASE`` if set, else a hash
    of the code, templates and static manifest (the same on every server
    running the same files, so they share a Redis cache)."""
    named = os.environ.get("LINEAGE_RELEASE", "").strip()
    if named:
        return named
    digest = hashlib.sha256()
    base = settings.BASE_DIR
    # The project's own apps and templates (not the installed packages).
    roots = [Path(app.path) for app in apps.get_app_configs()]
    roots = [root for root in roots if root.is_relative_to(base)]
    roots += [Path(d) for t in settings.TEMPLATES for d in t.get("DIRS", [])]
    static_root = settings.STATIC_ROOT
    manifest = Path(static_root, "staticfiles.json") if static_root else None
    files = [manifest] if manifest and manifest.exists() else []
    for root in roots:
        for directory, _, names in os.walk(root):
            files += [
                os.path.join(directory, name)
                for name in names
                if name.endswith((".py", ".html", ".txt", ".xml"))
            ]
    for path in sorted(map(str, files)):
        digest.update(path.removeprefix(str(base)).encode())
        with open(path, "rb") as file:
            digest.update(hashlib.sha256(file.read()).digest())
    return digest.hexdigest()[:16]


# The page cache


@dataclass(frozen=True, slots=True)
class Entry:
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    etag: str


def _skipped_prefixes() -> tuple[str, ...]:
    static = "/" + settings.STATIC_URL.lstrip("/")
    media = "/" + settings.MEDIA_URL.lstrip("/")
    return (static, media, *settings.LINEAGE_PAGE_CACHE_SKIP)


def _anonymous(request) -> bool:
    """No session, messages or credentials: the page cannot be anyone's own."""
    cookies = request.COOKIES
    return (
        settings.SESSION_COOKIE_NAME not in cookies
        and "messages" not in cookies
        and "HTTP_AUTHORIZATION" not in request.META
    )


@dataclass(frozen=True, slots=True)
class Stamp:
    """What a cached page is as of: its generation and the day."""

    generation: int
    day: str
    modified: int  # Last-Modified, seconds since the epoch
    # Another generation began in the same second as ``modified``, so a
    # client's copy dated that second may be older than this one.
    ambiguous: bool


def stamp_of(gen: Generation) -> Stamp:
    """Pages are also dated by the day: a few show today's date (a citation's
    "retrieved on"), so a new day renders them afresh."""
    now = timezone.localtime()
    midnight = int(now.replace(hour=0, minute=0, second=0, microsecond=0).timestamp())
    if gen.changed >= midnight:
        modified, ambiguous = gen.changed, gen.shares_second
    else:
        modified, ambiguous = midnight, False
    return Stamp(gen.number, now.date().isoformat(), modified, ambiguous)


def _key(request, stamp: Stamp) -> str:
    # GET and HEAD share an entry: Django answers HEAD as GET, and the server
    # leaves out the body.
    address = request.build_absolute_uri()
    digest = hashlib.md5(address.encode(), usedforsecurity=False).hexdigest()
    return f"page:{release()}:{stamp.generation}:{stamp.day}:{digest}"


def _cacheable(request, response) -> bool:
    """Whether ``response`` is the same for every anonymous reader."""
    if response.status_code not in CACHED_STATUSES or response.streaming:
        return False
    if response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False  # a session, messages or a CSRF token: someone's own
    if response.has_header("Cache-Control"):
        return False  # the view chose for itself (never_cache...)
    varies = {
        v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()
    }
    if varies - {"cookie"}:
        return False  # varies on something the key does not hold
    if len(response.content) > settings.LINEAGE_PAGE_CACHE_MAX_BYTES:
        return False
    return b"csrfmiddlewaretoken" not in response.content


def _etag_of(content: bytes) -> str:
    return f'"{hashlib.md5(content, usedforsecurity=False).hexdigest()}"'


def _public_headers(response, stamp: Stamp) -> str:
    etag = _etag_of(response.content)
    response.headers["ETag"] = etag
    response.headers["Last-Modified"] = http_date(stamp.modified)
    response.headers["Cache-Control"] = (
        f"public, max-age=0, must-revalidate, "
        f"s-maxage={settings.LINEAGE_PAGE_CACHE_SHARED_MAX_AGE}"
    )
    patch_vary_headers(response, ("Cookie",))
    return etag


def _response_of(entry: Entry):
    if entry.status == 301:
        headers = dict(entry.headers)
        response = HttpResponsePermanentRedirect(headers.pop("Location"))
        for name, value in headers.items():
            response.headers[name] = value
        response.content = entry.body
        return response
    return HttpResponse(entry.body, status=entry.status, headers=dict(entry.headers))


def _conditional(request, response, etag: str, stamp: Stamp):
    # Dated to the second, a copy from an earlier generation in the same
    # second would look current: then only a later date matches.
    last_modified = stamp.modified + 1 if stamp.ambiguous else stamp.modified
    return get_conditional_response(
        request, etag=etag, last_modified=last_modified, response=response
    )


def _private(request, response):
    """Mark ``response`` for its reader only.  (No ETag: every signed-in page
    carries a freshly masked CSRF token, so its content never repeats.)"""
    if not response.has_header("Cache-Control"):
        response.headers["Cache-Control"] = PRIVATE
    patch_vary_headers(response, ("Cookie",))
    return response


def _replica_reached(gen: Generation) -> bool:
    """Whether the read replica this request reads from, if any, has the
    primary's generation ``gen``.

    A miss may be rendered from a replica (wiki/db_router.py: one per request,
    the primary for the rest); one that lags behind the bump would render the
    page as it was, and store it under the new generation.  A replica at the
    same generation holds every change that generation follows (the bump
    commits after them), so the page it renders is current, whatever the other
    replicas hold (they are not read).  Checked before rendering: a replica only
    moves forward.  One query, on misses read from a replica only.
    """
    replica = db_router.request_replica()
    return replica is None or current(using=replica).number == gen.number


class RecentEntries:
    """The entries this process served last, unpickled, in front of the cache.

    An entry never changes under its key (the key holds the generation), so a
    copy kept here is exactly as fresh as the shared cache's: a hit skips the
    cache's round trip (Redis) or unpickling (local memory).
    """

    def __init__(self, size: int):
        self.size = size
        self.entries: OrderedDict[str, Entry] = OrderedDict()
        self.lock = threading.Lock()  # gthread workers share it

    def get(self, key: str) -> Entry | None:
        with self.lock:
            entry = self.entries.get(key)
            if entry is not None:
                self.entries.move_to_end(key)
            return entry

    def put(self, key: str, entry: Entry) -> None:
        if self.size <= 0:
            return
        with self.lock:
            self.entries[key] = entry
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()


recent = RecentEntries(0)


def page_cache_middleware(get_response):
    """Serve anonymous GET and HEAD requests for public pages from the cache.

    First in ``MIDDLEWARE``: a hit returns before sessions, authentication or
    CSRF run, with the headers (CSP and the other security headers included)
    the rendered response had.  Logged-in readers are never served from it;
    their pages are marked private.
    """
    skipped = _skipped_prefixes()
    release()  # hash the code now, at start-up, not in a first request
    store = caches[settings.LINEAGE_PAGE_CACHE_ALIAS]
    recent.size = settings.LINEAGE_PAGE_CACHE_RECENT

    def middleware(request):
        if not settings.LINEAGE_PAGE_CACHE:
            return get_response(request)
        if request.path_info.startswith(skipped):
            return get_response(request)
        if request.method not in ("GET", "HEAD") or not _anonymous(request):
            return _private(request, get_response(request))
        # Read before rendering: a change that commits while the page renders
        # leaves it stored under the generation that change's bump retires.
        gen = request._lineage_generation = current()  # fragments read it too
        stamp = stamp_of(gen)
        key = _key(request, stamp)
        entry = recent.get(key)
        if entry is None:
            entry = store.get(key)
            if entry is not None:
                recent.put(key, entry)
        if entry is not None:
            response = _response_of(entry)
            response.headers["X-Cache"] = "hit"
            if entry.status == 200:
                return _conditional(request, response, entry.etag, stamp)
            return response
        replica_current = _replica_reached(gen)
        response = get_response(request)
        if not replica_current or not _cacheable(request, response):
            return _private(request, response)
        etag = _public_headers(response, stamp)
        entry = Entry(
            response.status_code, tuple(response.items()), response.content, etag
        )
        store.set(key, entry, settings.LINEAGE_PAGE_CACHE_SECONDS)
        recent.put(key, entry)
        response.headers["X-Cache"] = "miss"
        if response.status_code == 200:
            return _conditional(request, response, etag, stamp)
        return response

    return middleware


# Accounts: Django's own code saves them (sign-up, the admin, password
# changes), not a service of ours, so a signal is the one place to see it.
# Readers see accounts on contributors' pages (/users/<name>/, a 404 before
# the account exists) and in every history that names them.


def _account_saved(sender, *, update_fields=None, **kwargs) -> None:
    if update_fields is not None and set(update_fields) <= {"last_login", "password"}:
        return  # a login or a password change: nothing a reader sees
    bump()


def _account_deleted(sender, **kwargs) -> None:
    bump()


def _admin_logged(sender, *, created: bool, **kwargs) -> None:
    # The admin logs every add, change and delete it makes.  Its page edits
    # go through the services (which bump), but it also edits rows no
    # service owns (a freed old address, a theme's order, a group): one bump
    # per logged action covers them all.
    if created:
        bump()


def register() -> None:
    from django.contrib.admin.models import LogEntry
    from django.contrib.auth import get_user_model
    from django.db.models.signals import post_delete, post_save

    user_model = get_user_model()
    post_save.connect(_account_saved, sender=user_model, dispatch_uid="cache-user")
    post_delete.connect(
        _account_deleted, sender=user_model, dispatch_uid="cache-user-delete"
    )
    post_save.connect(_admin_logged, sender=LogEntry, dispatch_uid="cache-admin")


# Fragments: the parts of a page that are the same for every reader
#
# A logged-in reader's page is rendered every time (their name, their pending
# proposals, what they may do, a CSRF token), but most of it (the article, its
# infobox, navigation lists and references, the JSON-LD) is the same for
# everyone.  Those parts are cached as rendered HTML under a key made of the
# same generation and day as the page cache's (so any publish, revert, delete,
# recover or rename makes every fragment new, on every page that shows the
# changed title), the code's release, the site's address (fragments hold
# absolute URLs) and what the caller names (the page, its kind).  Nothing of a
# user's own is ever rendered inside a fragment: see templates/wiki/page_detail.html.


def _request_generation(request) -> Generation:
    """The generation for this request, read once (the page cache middleware
    may have read it already, for an anonymous request)."""
    gen = getattr(request, "_lineage_generation", None)
    if gen is None:
        gen = request._lineage_generation = current()
    return gen


class Fragments:
    """The cached fragments of one page view, looked up together (one cache
    read); ``html(name)`` is a fragment's HTML or None, ``store()`` keeps one
    rendered on a miss."""

    def __init__(self, request, *parts: object, names: tuple[str, ...]):
        # Like the page cache, only for reads (a POST renders afresh).
        self.enabled = settings.LINEAGE_FRAGMENT_CACHE and request.method in (
            "GET",
            "HEAD",
        )
        self.found: dict[str, str] = {}
        self.keys: dict[str, str] = {}
        if not self.enabled:
            return
        self.gen = _request_generation(request)
        stamp = stamp_of(self.gen)
        where = f"{request.scheme}://{request.get_host()}|" + "|".join(map(str, parts))
        digest = hashlib.md5(where.encode(), usedforsecurity=False).hexdigest()
        prefix = f"frag:{release()}:{stamp.generation}:{stamp.day}:{digest}"
        self.keys = {name: f"{prefix}:{name}" for name in names}
        found = caches[settings.LINEAGE_PAGE_CACHE_ALIAS].get_many(self.keys.values())
        by_key = {key: name for name, key in self.keys.items()}
        self.found = {by_key[key]: html for key, html in found.items()}
        # A miss renders; from a replica behind the generation that would be
        # stale under the new key (as for the page cache, above).  Checked
        # before rendering: a replica only moves forward.
        self.store_ok = self.complete or _replica_reached(self.gen)

    @property
    def complete(self) -> bool:
        return self.enabled and len(self.found) == len(self.keys)

    def html(self, name: str) -> str | None:
        return self.found.get(name)

    def store(self, name: str, html: str) -> None:
        if not self.enabled:
            return
        if self.store_ok:
            self.found[name] = html
            caches[settings.LINEAGE_PAGE_CACHE_ALIAS].set(
                self.keys[name], html, settings.LINEAGE_PAGE_CACHE_SECONDS
            )
