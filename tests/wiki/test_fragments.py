"""The parts of a page view that are the same for every reader (the article,
its JSON-LD) come from the fragment cache (wiki/cache.py, "Fragments"), so a
logged-in page, rendered every time, renders only what is the reader's own.

Each change is made after the fragment was served from the cache (``warm``
checks that the second view was a hit: the page read without its
navigation), so a stale fragment fails here.
"""

import re

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sources.seed import load_seed
from tests.factories import UserFactory
from tests.wiki.history_helpers import make_moderator, publish, published_ada
from tests.wiki.moderation_helpers import submit
from wiki import history
from wiki.models import Theme
from wiki.revision_visibility import revisions_set_visibility
from wiki.services import latest_revision, page_publish

pytestmark = pytest.mark.django_db

ADA = "/people/ada-lovelace/"


@pytest.fixture(autouse=True)
def fragment_cache(settings):
    """Fragments on (the page cache stays off: these pages are rendered), empty."""
    settings.LINEAGE_FRAGMENT_CACHE = True
    caches["default"].clear()
    yield
    caches["default"].clear()


@pytest.fixture
def moderator():
    return make_moderator()


@pytest.fixture
def ada(moderator):
    return published_ada(moderator, body="The first notes.")


@pytest.fixture
def reader(client):
    """A contributor's browser, logged in."""
    client.force_login(UserFactory(username="reader"))
    return client


def fragments_hit(client, url: str):
    """GET ``url``; return the response and whether its article came from
    the fragment cache (then the page is read without its navigation)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    reads = " ".join(q["sql"] for q in queries)
    return response, "wiki_relatedpage" not in reads


def warm(client, *urls: str) -> None:
    for url in urls:
        client.get(url)
        response, hit = fragments_hit(client, url)
        assert (response.status_code, hit) == (200, True), url


def html_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def test_a_logged_in_reader_sees_an_edit_at_once(reader, ada, moderator):
    warm(reader, ADA)
    publish(ada, moderator, body="The second notes.", summary="Second")
    html = html_of(reader, ADA)
    assert "The second notes." in html and "The first notes." not in html


def test_a_changed_title_shows_at_once_on_a_page_that_lists_it(reader, ada, moderator):
    linking = Theme(title="Engines", slug="engines", body="Built by [[Ada Lovelace]].")
    page_publish(page=linking, user=moderator, summary="Create")
    warm(reader, ADA)
    assert ">Engines</a>" in html_of(reader, ADA)  # what links here

    publish(linking, moderator, title="Difference engines")

    html = html_of(reader, ADA)
    assert ">Difference engines</a>" in html and ">Engines</a>" not in html


def test_a_deleted_page_is_gone_at_once_for_a_logged_in_reader(reader, ada, moderator):
    warm(reader, ADA)
    history.page_delete(page=ada, user=moderator, reason="Duplicate")
    assert reader.get(ADA).status_code == 410


def test_a_revert_shows_the_old_text_at_once(reader, ada, moderator):
    first = latest_revision(ada)
    publish(ada, moderator, body="Vandalised.")
    warm(reader, ADA)
    history.page_revert(page=ada, revision=first, user=moderator)
    html = html_of(reader, ADA)
    assert "The first notes." in html and "Vandalised." not in html


def test_an_old_revision_is_never_the_cached_article(reader, ada, moderator):
    first = latest_revision(ada)
    publish(ada, moderator, body="The second notes.")
    warm(reader, ADA)
    html = html_of(reader, f"{ADA}revisions/{first.pk}/")
    assert "The first notes." in html and "The second notes." not in html


def test_each_reader_sees_only_their_own_header_and_pending_changes(
    client, ada, moderator
):
    author = UserFactory(username="author")
    other = UserFactory(username="other")
    proposal = submit(ada, author, summary="Add the engine", body="Engine notes.")
    client.force_login(other)
    warm(client, ADA)  # the article is cached: the others are hits

    client.force_login(author)
    response, hit = fragments_hit(client, ADA)
    html = response.content.decode()
    assert hit
    assert ">author</a>" in html and ">other</a>" not in html
    assert f'href="{proposal.get_absolute_url()}">1 pending change</a> (yours)' in html

    client.force_login(moderator)
    warm(client, ADA)  # who may see hidden names has a copy of their own
    response, hit = fragments_hit(client, ADA)
    html = response.content.decode()
    assert hit
    assert ">moderator</a>" in html and ">author</a> " not in html
    assert '<span class="count" aria-label="1 pending">1</span>' in html  # Review
    assert "1 pending change</a>, awaiting review" in html and "(yours)" not in html

    client.force_login(other)
    response, hit = fragments_hit(client, ADA)
    html = response.content.decode()
    assert hit
    assert ">other</a>" in html and ">author</a>" not in html
    assert "1 pending change, awaiting review" in html  # no link: not theirs
    assert "(yours)" not in html and 'aria-label="1 pending"' not in html
    assert "Engine notes." not in html  # the proposal is not published


def test_a_hidden_editor_name_is_shown_only_to_those_who_may_see_it(
    client, ada, moderator
):
    reader = UserFactory(username="reader")  # (a new account bumps the generation)
    revisions_set_visibility(
        page=ada,
        revision_ids=[latest_revision(ada).pk],
        changes={"author": True},
        reason="Abuse",
        by=moderator,
    )
    client.force_login(moderator)
    warm(client, ADA)
    footer = html_of(client, ADA).split('class="page-footer-line"')[1]
    assert 'by <a href="/users/moderator/">moderator</a>' in footer

    client.force_login(reader)
    response, hit = fragments_hit(client, ADA)
    html = response.content.decode()
    assert not hit  # a copy of its own for who may not see hidden names
    assert '<span class="revdel">(hidden)</span>' in html
    assert "/users/moderator/" not in html.split('class="page-footer-line"')[1]


def test_the_logged_in_profile_costs_fewer_queries_from_the_fragment_cache(
    client, django_assert_num_queries
):
    load_seed()
    client.force_login(UserFactory(username="reader"))
    url = "/people/alec-radford/"
    # Rendered: session, user, its permissions (user, groups), the
    # generation, the page, related pages, citations, themes, affiliations,
    # six bounded lists (one with notes), the header's unread count, the
    # page's pending count and whether the reader watches it.
    with django_assert_num_queries(20):
        first = client.get(url)
    # From the cache: session, user, permissions (2), the generation, the
    # page, the unread count, the pending count, the watch.
    with django_assert_num_queries(9):
        second = client.get(url)
    assert main_of(first) == main_of(second)


def main_of(response) -> str:
    main = response.content.decode().split("<main")[1].split("</main>")[0]
    # The watch button's CSRF token is masked afresh in every response.
    return re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", main)
