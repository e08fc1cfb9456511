"""Anonymous page views come from a cache that is never stale (wiki/cache.py).

Every test runs twice: with the default local-memory cache and with a real
Redis server (``redis-server``, started here on a free port; a failure in CI
when it is missing, a skip elsewhere).  Each change is made after the pages
that show it were served from the cache (``warm`` checks that the second view
was a hit: one query, the generation read), so a write path that forgot to
bump the generation fails here.
"""

import contextlib
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.http import http_date

from people.models import Affiliation, Organization
from sources.models import Source
from sources.services import source_publish
from tests.factories import UserFactory
from tests.wiki.history_helpers import make_moderator, publish, published_ada
from tests.wiki.moderation_helpers import submit
from wiki import cache, history, moderation
from wiki.models import Page, PageRedirect, Theme
from wiki.revision_visibility import revisions_set_visibility
from wiki.services import latest_revision, page_publish, page_purge

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    """A redis-server of our own, on a free port with a temporary directory."""
    server = shutil.which("redis-server")
    if server is None:
        if os.environ.get("CI"):
            pytest.fail("redis-server is not installed")
        pytest.skip("redis-server is not installed")
    port = _free_port()
    directory = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(directory)]
        + ["--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while True:
        with (
            contextlib.suppress(OSError),
            socket.create_connection(("127.0.0.1", port)),
        ):
            break
        if time.monotonic() > deadline or process.poll() is not None:
            process.kill()
            pytest.fail("redis-server did not start")
        time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(params=["locmem", "redis"], autouse=True)
def page_cache(request, settings):
    """The page cache on, over local memory or Redis, empty."""
    settings.LINEAGE_PAGE_CACHE = True
    if request.param == "redis":
        settings.CACHES = {
            "default": {
                "BACKEND": "wiki.cache_backend.TolerantRedisCache",
                "LOCATION": request.getfixturevalue("redis_url"),
            }
        }
    from django.core.cache import caches

    caches["default"].clear()
    cache.recent.clear()
    yield request.param
    caches["default"].clear()
    cache.recent.clear()


@pytest.fixture
def moderator():
    return make_moderator()


@pytest.fixture
def reader(client):
    """An anonymous reader's browser."""
    return client


@pytest.fixture
def ada(moderator):
    return published_ada(moderator, body="The first notes.")


def html_of(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def served_from_cache(client, url: str):
    """GET ``url``; return the response and whether it was a cache hit (a
    hit reads the generation and nothing else)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    hit = response.get("X-Cache") == "hit"
    if hit:
        assert [q["sql"] for q in queries] == [cache._select_sql()]
    return response, hit


def warm(client, *urls: str, status: int = 200) -> None:
    """View ``urls`` until they come from the cache."""
    for url in urls:
        client.get(url)
        response, hit = served_from_cache(client, url)
        assert (response.status_code, hit) == (status, True), url


# Hits: what they cost, what they carry


def test_a_second_anonymous_view_is_a_hit_that_reads_only_the_generation(
    reader, ada, django_assert_num_queries
):
    first = reader.get("/people/ada-lovelace/")
    with django_assert_num_queries(1) as queries:
        second = reader.get("/people/ada-lovelace/")
    assert "sitegeneration" in queries.captured_queries[0]["sql"]
    assert second.status_code == 200
    assert second.content == first.content


def test_a_process_without_its_own_copy_hits_the_shared_cache(reader, ada):
    warm(reader, "/people/ada-lovelace/")
    cache.recent.clear()  # as in another worker
    response, hit = served_from_cache(reader, "/people/ada-lovelace/")
    assert (response.status_code, hit) == (200, True)
    assert "The first notes." in response.content.decode()


def test_a_hit_carries_the_csp_and_security_headers_of_a_fresh_page(reader, ada):
    fresh = reader.get("/people/ada-lovelace/")
    hit, from_cache = served_from_cache(reader, "/people/ada-lovelace/")
    assert from_cache
    for name in (
        "Content-Security-Policy",
        "X-Frame-Options",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Cross-Origin-Opener-Policy",
        "Content-Type",
    ):
        assert hit[name] == fresh[name], name
    assert "script-src 'self'" in hit["Content-Security-Policy"]


def test_head_is_answered_from_the_gets_entry_without_a_body(reader, ada):
    warm(reader, "/people/ada-lovelace/")
    with CaptureQueriesContext(connection) as queries:
        response = reader.head("/people/ada-lovelace/")
    assert (response.status_code, response.content, len(queries)) == (200, b"", 1)


def test_pages_differing_in_query_or_host_are_cached_apart(reader, ada, settings):
    settings.ALLOWED_HOSTS = ["testserver", "other.example"]
    warm(reader, "/people/?letter=A")
    _, hit = served_from_cache(reader, "/people/?letter=B")
    assert not hit
    response = reader.get("/people/ada-lovelace/", headers={"host": "other.example"})
    assert 'href="http://other.example/people/ada-lovelace/"' in (
        response.content.decode()
    )


# Every change shows on the next anonymous request


def test_an_edit_shows_on_the_next_anonymous_view(reader, ada, moderator):
    warm(reader, "/people/ada-lovelace/")
    publish(ada, moderator, body="The second notes.")
    assert "The second notes." in html_of(reader, "/people/ada-lovelace/")


def test_a_new_lede_shows_on_the_index_that_lists_it(reader, ada, moderator):
    warm(reader, "/people/")
    publish(ada, moderator, short_description="Analyst of engines")
    assert "Analyst of engines" in html_of(reader, "/people/")


def test_a_rename_redirects_the_old_address_and_renames_it_everywhere(
    reader, ada, moderator
):
    org = Organization(title="Analytical Society", slug="analytical-society")
    page_publish(page=org, user=moderator, summary="Create")
    Affiliation.objects.create(person=ada, organization=org, role="member")
    publish(ada, moderator, summary="Affiliated")  # a revision with it
    linking = Theme(title="Engines", slug="engines", body="Built by [[Ada Lovelace]].")
    page_publish(page=linking, user=moderator, summary="Create")
    urls = (
        "/people/ada-lovelace/",
        "/organizations/analytical-society/",
        "/themes/engines/",
        "/people/",
    )
    warm(reader, *urls)
    assert "Ada Lovelace" in html_of(reader, "/organizations/analytical-society/")
    assert 'href="/people/ada-lovelace/"' in html_of(reader, "/themes/engines/")

    publish(ada, moderator, title="Ada King", slug="ada-king")

    moved = reader.get("/people/ada-lovelace/")
    assert (moved.status_code, moved["Location"]) == (301, "/people/ada-king/")
    assert "Ada King" in html_of(reader, "/people/ada-king/")
    member_of = html_of(reader, "/organizations/analytical-society/")
    assert "Ada King" in member_of and "Ada Lovelace" not in member_of
    assert ">Ada King</a>" in html_of(reader, "/people/")
    # The theme's [[Ada Lovelace]] no longer names a page: rendered again, red.
    assert "wikilink-missing" in html_of(reader, "/themes/engines/")


def test_a_changed_title_shows_in_what_links_here_and_the_infobox(
    reader, ada, moderator
):
    org = Organization(title="Analytical Society", slug="analytical-society")
    page_publish(page=org, user=moderator, summary="Create")
    Affiliation.objects.create(person=ada, organization=org, role="member")
    linking = Theme(title="Engines", slug="engines", body="See [[Ada Lovelace]].")
    page_publish(page=linking, user=moderator, summary="Create")
    warm(reader, "/people/ada-lovelace/")
    assert "Analytical Society" in html_of(reader, "/people/ada-lovelace/")

    publish(org, moderator, title="Royal Society")
    publish(linking, moderator, title="Difference engines")

    html = html_of(reader, "/people/ada-lovelace/")
    assert "Royal Society" in html and "Analytical Society" not in html
    assert "Difference engines" in html


def test_a_deleted_page_is_gone_at_once_and_back_when_recovered(reader, ada, moderator):
    warm(reader, "/people/ada-lovelace/", "/people/")
    history.page_delete(page=ada, user=moderator, reason="Duplicate")
    assert reader.get("/people/ada-lovelace/").status_code == 410
    assert "Ada Lovelace" not in html_of(reader, "/people/")
    warm(reader, "/people/ada-lovelace/", status=410)

    history.page_recover(page=Page.objects.get(pk=ada.pk), user=moderator)
    assert "The first notes." in html_of(reader, "/people/ada-lovelace/")
    assert "Ada Lovelace" in html_of(reader, "/people/")


def test_a_revert_shows_the_old_text_at_once(reader, ada, moderator):
    first = latest_revision(ada)
    publish(ada, moderator, body="Vandalised.")
    warm(reader, "/people/ada-lovelace/")
    history.page_revert(page=ada, revision=first, user=moderator)
    html = html_of(reader, "/people/ada-lovelace/")
    assert "The first notes." in html and "Vandalised." not in html


def test_a_purged_page_is_missing_at_once(reader, ada, moderator):
    history.page_delete(page=ada, user=moderator, reason="Spam")
    warm(reader, "/people/ada-lovelace/", status=410)

    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    page_purge(page=Page.objects.get(pk=ada.pk), user=admin, reason="Spam")

    assert reader.get("/people/ada-lovelace/").status_code == 404


def test_an_edited_source_shows_in_the_citation_tooltip_of_a_citing_page(
    reader, moderator
):
    source = Source(key="lovelace1843", title="Sketch of the engine", year=1843)
    source_publish(source=source, user=moderator, summary="Add")
    theme = Theme(title="Engines", slug="engines", body="As noted [@lovelace1843].")
    page_publish(page=theme, user=moderator, summary="Create")
    warm(reader, "/themes/engines/", "/sources/lovelace1843/")
    assert 'title="Sketch of the engine"' in html_of(reader, "/themes/engines/")

    source = Source.objects.get(pk=source.pk)
    source.title = "Notes on the engine"
    source_publish(source=source, user=moderator, summary="Title")

    assert 'title="Notes on the engine"' in html_of(reader, "/themes/engines/")
    assert "Notes on the engine" in html_of(reader, "/sources/lovelace1843/")


def test_hiding_a_summary_hides_it_from_the_cached_history(reader, ada, moderator):
    revision = publish(ada, moderator, summary="Rude words", body="More.")
    warm(reader, "/people/ada-lovelace/history/")
    assert "Rude words" in html_of(reader, "/people/ada-lovelace/history/")
    revisions_set_visibility(
        page=ada,
        revision_ids=[revision.pk],
        changes={"summary": True},
        reason="Abuse",
        by=moderator,
    )
    assert "Rude words" not in html_of(reader, "/people/ada-lovelace/history/")


def test_a_proposal_shows_to_its_author_pending_and_to_readers_once_approved(
    reader, ada, moderator
):
    author = UserFactory(username="contributor")
    warm(reader, "/people/ada-lovelace/")
    proposal = submit(ada, author, body="Proposed notes.")

    assert "Proposed notes." not in html_of(reader, "/people/ada-lovelace/")
    _, hit = served_from_cache(reader, "/people/ada-lovelace/")
    assert hit  # a pending proposal changes nothing readers see
    mine = Client()
    mine.force_login(author)
    contributions = html_of(mine, "/me/contributions/")
    assert "Ada Lovelace" in contributions and "Pending" in contributions

    moderation.proposal_approve(
        proposal=proposal, by=moderator, seen=moderation.seen_now(proposal)
    )
    assert "Proposed notes." in html_of(reader, "/people/ada-lovelace/")


def test_a_bump_by_another_process_reaches_this_processs_cache(reader, ada):
    """The generation is read from the database on every anonymous request, so
    a change published by another app server (its own memory cache) shows."""
    warm(reader, "/people/ada-lovelace/")
    with connection.cursor() as cursor:  # as another process's write would
        cursor.execute("UPDATE wiki_page SET summary = 'Elsewhere.'")
        cursor.execute("UPDATE wiki_sitegeneration SET number = number + 1")
    assert "Elsewhere." in html_of(reader, "/people/ada-lovelace/")


def test_bump_waits_for_the_commit_and_a_rollback_keeps_the_generation():
    before = cache.generation()
    with contextlib.suppress(RuntimeError), transaction_that_fails():
        cache.bump()
    assert cache.generation() == before
    cache.bump()
    assert cache.generation() != before


@contextlib.contextmanager
def transaction_that_fails():
    from django.db import transaction

    with transaction.atomic():
        yield
        raise RuntimeError("rolled back")


# Logged-in readers: their own pages, never cached ones


def test_a_logged_in_reader_never_gets_the_cached_anonymous_page(reader, ada):
    warm(reader, "/people/ada-lovelace/")
    member = Client()
    member.force_login(UserFactory(username="grace"))
    response, hit = served_from_cache(member, "/people/ada-lovelace/")
    assert not hit
    assert ">grace</a>" in response.content.decode()
    assert response["Cache-Control"] == "private, no-cache"


def test_an_anonymous_reader_never_gets_a_logged_in_readers_page(reader, ada):
    member = Client()
    member.force_login(UserFactory(username="grace"))
    html_of(member, "/people/ada-lovelace/")
    html_of(member, "/people/ada-lovelace/")
    html = html_of(reader, "/people/ada-lovelace/")
    assert "grace" not in html and "Log in" in html


def test_headers_say_public_for_readers_and_private_for_members(reader, ada):
    anonymous = reader.get("/people/ada-lovelace/")
    assert anonymous["Cache-Control"] == (
        "public, max-age=0, must-revalidate, s-maxage=0"
    )
    assert anonymous["Vary"] == "Cookie"
    assert anonymous["ETag"].startswith('"')
    assert anonymous["Last-Modified"].endswith(" GMT")
    member = Client()
    member.force_login(UserFactory(username="grace"))
    mine = member.get("/people/ada-lovelace/")
    assert mine["Cache-Control"] == "private, no-cache"
    assert mine["Vary"] == "Cookie"
    assert "Last-Modified" not in mine


def test_the_shared_cache_lifetime_is_a_setting(reader, ada, settings):
    settings.LINEAGE_PAGE_CACHE_SHARED_MAX_AGE = 30
    response = reader.get("/people/ada-lovelace/")
    assert response["Cache-Control"] == (
        "public, max-age=0, must-revalidate, s-maxage=30"
    )


def test_a_page_with_a_csrf_form_is_never_cached(reader, settings):
    settings.LINEAGE_PAGE_CACHE_SKIP = ()  # even were it not skipped by address
    first = reader.get("/accounts/login/")
    second, hit = served_from_cache(reader, "/accounts/login/")
    assert (first.status_code, second.status_code, hit) == (200, 200, False)
    assert "csrftoken" in second.cookies
    assert "private" in second["Cache-Control"]


def test_a_reader_with_messages_waiting_is_not_served_from_the_cache(reader, ada):
    warm(reader, "/people/ada-lovelace/")
    reader.cookies["messages"] = "anything"
    response, hit = served_from_cache(reader, "/people/ada-lovelace/")
    assert (response.status_code, hit) == (200, False)
    assert response["Cache-Control"] == "private, no-cache"


def test_the_admin_accounts_and_review_are_never_cached(reader, moderator):
    for url in ("/admin/login/", "/accounts/signup/", "/review/"):
        reader.get(url)
        _, hit = served_from_cache(reader, url)
        assert not hit, url


def test_a_post_is_never_answered_from_the_cache(reader, ada):
    warm(reader, "/people/ada-lovelace/")
    with CaptureQueriesContext(connection) as queries:
        reader.post("/people/ada-lovelace/")
    assert not any("sitegeneration" in q["sql"] for q in queries)


# Conditional requests


def test_a_matching_etag_gets_a_304_without_a_body(reader, ada):
    etag = reader.get("/people/ada-lovelace/")["ETag"]
    response = reader.get("/people/ada-lovelace/", headers={"if-none-match": etag})
    assert (response.status_code, response.content) == (304, b"")
    assert response["ETag"] == etag


def test_an_etag_stops_matching_once_the_page_changes(reader, ada, moderator):
    etag = reader.get("/people/ada-lovelace/")["ETag"]
    publish(ada, moderator, body="Changed.")
    response = reader.get("/people/ada-lovelace/", headers={"if-none-match": etag})
    assert response.status_code == 200
    assert "Changed." in response.content.decode()


def test_an_unchanged_page_keeps_its_etag_when_another_page_changes(
    reader, ada, moderator
):
    other = Theme(title="Engines", slug="engines")
    page_publish(page=other, user=moderator, summary="Create")
    etag = reader.get("/people/ada-lovelace/")["ETag"]
    publish(other, moderator, body="Elsewhere.")
    response = reader.get("/people/ada-lovelace/", headers={"if-none-match": etag})
    assert response.status_code == 304


def generation_alone_in_its_second() -> None:
    """Bump in a second no other generation began in (writes a second apart,
    as on a live site), so its date alone tells a copy's age."""
    started = cache.current().changed
    while int(time.time()) <= started:
        time.sleep(0.05)
    cache.bump()


def test_if_modified_since_gets_a_304_until_the_site_changes(reader, ada, moderator):
    generation_alone_in_its_second()
    modified = reader.get("/people/ada-lovelace/")["Last-Modified"]
    since = {"if-modified-since": modified}
    assert reader.get("/people/ada-lovelace/", headers=since).status_code == 304
    publish(ada, moderator, body="Changed.")
    # Even within the same second as the copy's date: never a stale 304.
    response = reader.get("/people/ada-lovelace/", headers=since)
    assert response.status_code == 200
    assert "Changed." in response.content.decode()


def test_a_copy_dated_the_second_of_two_generations_is_sent_again(reader, ada):
    """Two generations began in the same second: a copy dated that second may
    be the older one, so it is not confirmed (the ETag still is)."""
    page = reader.get("/people/ada-lovelace/")
    for _ in range(5):  # unless a second ends between the two
        cache.bump()
        cache.bump()
        if cache.current().shares_second:
            break
    since = {"if-modified-since": http_date(cache.current().changed)}
    assert reader.get("/people/ada-lovelace/", headers=since).status_code == 200
    etag = {"if-none-match": page["ETag"]}
    assert reader.get("/people/ada-lovelace/", headers=etag).status_code == 304


def test_a_later_if_modified_since_gets_a_304(reader, ada):
    later = {"if-modified-since": http_date(time.time() + 60)}
    assert reader.get("/people/ada-lovelace/", headers=later).status_code == 304


def test_a_new_account_has_a_contributor_page_at_once(reader):
    warm(reader, "/users/newcomer/", status=404)
    UserFactory(username="newcomer")
    assert "newcomer" in html_of(reader, "/users/newcomer/")


def test_logging_in_does_not_empty_the_cache(reader, ada):
    UserFactory(username="grace")
    warm(reader, "/people/ada-lovelace/")
    response = Client().post(
        "/accounts/login/", {"username": "grace", "password": "correct horse battery"}
    )
    assert response.status_code == 302
    _, hit = served_from_cache(reader, "/people/ada-lovelace/")
    assert hit


def test_an_old_address_freed_in_the_admin_stops_redirecting_at_once(
    reader, ada, moderator
):
    publish(ada, moderator, slug="ada-king")
    staff = UserFactory(username="staff", is_staff=True, is_superuser=True)
    admin = Client()  # a superuser: the admin's own delete, no service
    admin.force_login(staff)
    warm(reader, "/people/ada-lovelace/", status=301)
    kept = PageRedirect.objects.get(slug="ada-lovelace")
    url = f"/admin/wiki/pageredirect/{kept.pk}/delete/"
    assert admin.post(url, {"post": "yes"}).status_code == 302
    assert reader.get("/people/ada-lovelace/").status_code == 404


def test_the_bump_generation_command_makes_cached_pages_stale(reader, ada):
    warm(reader, "/people/ada-lovelace/")
    with connection.cursor() as cursor:  # a change made from a shell
        cursor.execute("UPDATE wiki_page SET summary = 'From a shell.'")
    out = io.StringIO()
    call_command("bump_generation", stdout=out)
    assert f"generation is now {cache.generation()}" in out.getvalue()
    assert "From a shell." in html_of(reader, "/people/ada-lovelace/")


@pytest.mark.parametrize("cache_url", ["", "redis://127.0.0.1:6379/0"])
def test_cache_url_chooses_redis_and_cached_sessions(cache_url):
    script = (
        "import json; from django.conf import settings as s; "
        "print(json.dumps([s.CACHES['default']['BACKEND'], s.SESSION_ENGINE]))"
    )
    env = {
        **os.environ,
        "CACHE_URL": cache_url,
        "DJANGO_SETTINGS_MODULE": "wiki.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    backend, sessions = json.loads(result.stdout.splitlines()[-1])
    if cache_url:
        assert (backend, sessions) == (
            "wiki.cache_backend.TolerantRedisCache",
            "django.contrib.sessions.backends.cached_db",
        )
    else:
        assert (backend, sessions) == (
            "django.core.cache.backends.locmem.LocMemCache",
            "django.contrib.sessions.backends.db",
        )


def test_a_page_showing_todays_date_is_rendered_afresh_on_a_new_day(
    reader, ada, settings
):
    """A citation says when it was retrieved.  Two zones 26 hours apart are
    always on different dates: a day passes between the two views."""
    settings.TIME_ZONE = "Etc/GMT+12"
    warm(reader, "/people/ada-lovelace/cite/")
    yesterday = html_of(reader, "/people/ada-lovelace/cite/")
    settings.TIME_ZONE = "Pacific/Kiritimati"
    response, hit = served_from_cache(reader, "/people/ada-lovelace/cite/")
    assert not hit
    today = timezone.localdate().strftime("%B %-d, %Y")
    assert f"Retrieved {today}" in response.content.decode()
    assert f"Retrieved {today}" not in yesterday


def test_a_rename_shows_on_home_and_in_the_feed(reader, ada, moderator):
    warm(reader, "/", "/changes/feed/")
    assert "Ada Lovelace" in html_of(reader, "/")

    publish(ada, moderator, summary="Married name", title="Ada King", slug="ada-king")

    assert "Ada King" in html_of(reader, "/")
    assert "Married name" in html_of(reader, "/changes/feed/")
