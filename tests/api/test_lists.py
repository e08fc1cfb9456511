"""Pagination, filters, refused parameters and methods, and the queries each
endpoint costs."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from sources.models import Work
from tests.api.conftest import get_json, walk
from tests.factories import (
    AuthorshipFactory,
    CitationFactory,
    OrganizationFactory,
    PersonFactory,
    SourceFactory,
    ThemeFactory,
    UserFactory,
    WorkFactory,
)
from tests.toykind.models import Dataset
from wiki.models import Page, Theme
from wiki.services import latest_revision, page_publish

pytestmark = pytest.mark.django_db


def publish_theme(title: str, author) -> Theme:
    theme = ThemeFactory.build(title=title, slug=title.lower().replace(" ", "-"))
    page_publish(page=theme, user=author, summary="Create")
    return theme


def test_walking_the_list_while_pages_are_added_shows_each_page_once(client, db):
    author = UserFactory()
    before = [publish_theme(f"Theme {n}", author).pk for n in range(10)]
    seen, added = [], []
    url = "/api/pages/?page_size=3"
    while url:
        data = get_json(client, url)
        seen += [row["id"] for row in data["results"]]
        url = data["next"]
        if len(added) < 4:  # a page added between two requests
            added.append(publish_theme(f"Added {len(added)}", author).pk)
    assert seen == before + added
    assert len(seen) == len(set(seen))


def test_a_page_changed_during_the_walk_comes_again_at_the_end(client, db):
    author = UserFactory()
    pages = [publish_theme(f"Theme {n}", author) for n in range(5)]
    first = get_json(client, "/api/pages/?page_size=2")
    pages[0].summary = "Changed."
    page_publish(page=pages[0], user=author, summary="Edit")
    rest = walk(client, first["next"])
    ids = [row["id"] for row in first["results"] + rest]
    assert ids == [p.pk for p in pages] + [pages[0].pk]


def test_the_kind_filter_lists_pages_of_that_kind_only(client, db):
    author = UserFactory()
    publish_theme("Computing", author)
    ada = PersonFactory.build(title="Ada Lovelace", slug="ada-lovelace")
    page_publish(page=ada, user=author, summary="Create")
    people = walk(client, "/api/pages/?kind=person")
    assert [(row["kind"], row["title"]) for row in people] == [
        ("person", "Ada Lovelace")
    ]


def test_modified_since_lists_pages_changed_at_or_after_it(client, db):
    author = UserFactory()
    old = publish_theme("Old", author)
    Page.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=3))
    new = publish_theme("New", author)
    since = (timezone.now() - timedelta(days=1)).date().isoformat()
    assert [
        row["id"] for row in walk(client, f"/api/pages/?modified_since={since}")
    ] == [new.pk]
    exact = Page.objects.get(pk=old.pk).updated_at.isoformat()
    url = "/api/pages/?" + f"modified_since={exact.replace('+', '%2B')}"
    assert [row["id"] for row in walk(client, url)] == [old.pk, new.pk]


@pytest.mark.parametrize(
    ("query", "parameter", "message"),
    [
        ("page_size=0", "page_size", "Give a whole number from 1 to 100."),
        ("page_size=101", "page_size", "Give a whole number from 1 to 100."),
        ("page_size=ten", "page_size", "Give a whole number from 1 to 100."),
        ("page_size=-1", "page_size", "Give a whole number from 1 to 100."),
        (
            "page_size=99999999999999999999",
            "page_size",
            "Give a whole number from 1 to 100.",
        ),
        (
            "cursor=not-a-cursor",
            "cursor",
            "Not a cursor of this list: use the next link of a previous page.",
        ),
        (
            "cursor=WyJ4Il0",  # ["x"]: base64 JSON, but not this list's key
            "cursor",
            "Not a cursor of this list: use the next link of a previous page.",
        ),
        (
            "modified_since=yesterday",
            "modified_since",
            "Give a date or a date and time in ISO 8601, e.g. 2026-01-31 or "
            "2026-01-31T12:00:00Z.",
        ),
        (
            "modified_since=2026-02-31",
            "modified_since",
            "Give a date or a date and time in ISO 8601, e.g. 2026-01-31 or "
            "2026-01-31T12:00:00Z.",
        ),
        (
            "kind=unicorn",
            "kind",
            "Give one of: theme, person, organization, work, dataset.",
        ),
    ],
)
def test_a_parameter_out_of_range_answers_400_naming_it(
    client, db, query, parameter, message
):
    data = get_json(client, f"/api/pages/?{query}", status=400)
    assert data == {
        "error": "invalid",
        "detail": f"Invalid {parameter}: {message}",
        "parameters": {parameter: message},
    }


@pytest.mark.parametrize(
    "url", ["/api/changes/?cursor=%5B", "/api/sources/?page_size=0"]
)
def test_other_lists_refuse_bad_parameters_too(client, db, url):
    data = get_json(client, url, status=400)
    assert list(data["parameters"]) == [url.split("?")[1].split("=")[0]]


@pytest.mark.parametrize(
    ("url", "parameter", "takes"),
    [
        (
            "/api/pages/?kidn=person",
            "kidn",
            "this address takes kind, modified_since, cursor, page_size",
        ),
        (
            "/api/pages/?kind=person&since=2026-01-01",
            "since",
            "this address takes kind, modified_since, cursor, page_size",
        ),
        ("/api/sources/?kind=paper", "kind", "this address takes cursor, page_size"),
        ("/api/changes/?page=2", "page", "this address takes cursor, page_size"),
        (
            "/api/pages/{id}/?format=xml",
            "format",
            "this address takes no query parameters",
        ),
    ],
)
def test_a_parameter_an_address_does_not_take_answers_400_naming_it(
    client, db, url, parameter, takes
):
    theme = publish_theme("Computing", UserFactory())
    data = get_json(client, url.format(id=theme.pk), status=400)
    message = f"Not a parameter of this address: {takes}."
    assert data == {
        "error": "invalid",
        "detail": f"Invalid {parameter}: {message}",
        "parameters": {parameter: message},
    }


def test_an_address_of_nothing_answers_404_whatever_its_query(client, db):
    assert get_json(client, "/api/nowhere/?kind=person", status=404)["error"] == (
        "not_found"
    )


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writes_answer_405_in_json(client, db, method):
    author = UserFactory()
    theme = publish_theme("Computing", author)
    for url in ["/api/pages/", f"/api/pages/{theme.pk}/", "/api/schema/"]:
        response = getattr(client, method)(url, {"title": "x"})
        assert response.status_code == 405
        assert response["Allow"] == "GET, HEAD, OPTIONS"
        assert response.json() == {
            "error": "method_not_allowed",
            "detail": f'Method "{method.upper()}" not allowed.',
        }
    assert Theme.objects.get().title == "Computing"


def test_missing_things_answer_404_in_json(client, db):
    for url in [
        "/api/pages/999/",
        "/api/pages/999/works/",
        "/api/pages/999/revisions/",
        "/api/pages/999/revisions/1/",
        "/api/sources/999/",
        "/api/sources/999/citations/",
    ]:
        data = get_json(client, url, status=404)
        assert data["error"] == "not_found"


def test_a_list_a_kind_does_not_have_is_404(client, db):
    theme = publish_theme("Computing", UserFactory())
    data = get_json(client, f"/api/pages/{theme.pk}/works/", status=404)
    assert data == {"error": "not_found", "detail": "A theme has no works."}


def test_a_person_with_many_works_embeds_the_first_and_links_the_rest(client, db):
    author = UserFactory()
    ada = PersonFactory(title="Ada Lovelace", slug="ada-lovelace")
    limit = settings.LINEAGE_API_EMBEDDED
    works = [WorkFactory(title=f"Note {n}", slug=f"note-{n}") for n in range(limit + 5)]
    for work in works:
        AuthorshipFactory(work=work, person=ada, position=0)
    page_publish(page=ada, user=author, summary="Create")
    data = get_json(client, f"/api/pages/{ada.pk}/")["works"]
    assert data["count"] == limit + 5
    assert len(data["results"]) == limit
    rest = walk(client, data["next"])
    titles = [row["work"]["title"] for row in data["results"] + rest]
    assert titles == [w.title for w in works]


def pages_of(author, n):
    return [publish_theme(f"Theme {i}", author) for i in range(n)]


def test_the_page_list_costs_one_query_whatever_its_size(
    client, db, django_assert_num_queries
):
    pages_of(UserFactory(), 30)
    for size in (2, 30):
        with django_assert_num_queries(1):
            get_json(client, f"/api/pages/?page_size={size}")


# A page's detail: the page's kind, the page with its current revision, and
# one query for each of its kind's lists (api/relations.py).
QUERIES = {"person": 8, "organization": 6, "theme": 5, "work": 7, "dataset": 5}


def test_a_page_detail_costs_the_same_queries_whatever_its_lists_hold(
    client, db, django_assert_num_queries
):
    author = UserFactory()
    ada = PersonFactory(title="Ada Lovelace", slug="ada-lovelace")
    few = PersonFactory(title="Few", slug="few")
    for n in range(60):
        work = WorkFactory(title=f"Note {n}", slug=f"note-{n}")
        AuthorshipFactory(work=work, person=ada, position=0)
        if n < 2:
            AuthorshipFactory(work=work, person=few, position=1)
    for person in (ada, few):
        page_publish(page=person, user=author, summary="Create")
    for person in (ada, few):
        with django_assert_num_queries(QUERIES["person"]):
            get_json(client, f"/api/pages/{person.pk}/")
    work = Work.objects.first()
    page_publish(page=work, user=author, summary="Edit")
    with django_assert_num_queries(QUERIES["work"]):
        get_json(client, f"/api/pages/{work.pk}/")


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        ("/api/pages/{ada}/works/?page_size={size}", 2),
        ("/api/pages/{ada}/revisions/?page_size={size}", 2),
        ("/api/changes/?page_size={size}", 2),
        ("/api/sources/?page_size={size}", 1),
    ],
)
def test_each_list_costs_the_same_queries_whatever_its_page_size(
    client, db, django_assert_num_queries, url, queries
):
    author = UserFactory()
    ada = PersonFactory(title="Ada Lovelace", slug="ada-lovelace")
    for n in range(12):
        work = WorkFactory(title=f"Note {n}", slug=f"note-{n}")
        AuthorshipFactory(work=work, person=ada, position=0)
        ada.summary = f"Edit {n}"
        page_publish(page=ada, user=author, summary=f"Edit {n}")
    get_json(client, url.format(ada=ada.pk, size=1))  # content types, cached
    for size in (2, 12):
        with django_assert_num_queries(queries):
            get_json(client, url.format(ada=ada.pk, size=size))


def test_every_kind_of_page_costs_its_pinned_queries(
    client, db, django_assert_num_queries
):
    author = UserFactory()
    pages = {
        "theme": ThemeFactory(title="Computing", slug="computing"),
        "organization": OrganizationFactory(title="Engine Society", slug="aes"),
        "dataset": Dataset(title="WebText", slug="webtext"),
    }
    for page in pages.values():
        page_publish(page=page, user=author, summary="Create")
    assert set(pages) | {"person", "work"} == set(QUERIES)
    for kind, page in pages.items():
        with django_assert_num_queries(QUERIES[kind]):
            get_json(client, f"/api/pages/{page.pk}/")


def test_sources_and_revisions_cost_pinned_queries(
    client, db, django_assert_num_queries
):
    author = UserFactory()
    source = SourceFactory(key="menabrea1843")
    ada = PersonFactory(title="Ada Lovelace", slug="ada-lovelace", body="One.\n")
    for n in range(30):
        citing = ThemeFactory(title=f"Theme {n}", slug=f"theme-{n}")
        CitationFactory(page=citing, source=source)
    page_publish(page=ada, user=author, summary="Create")
    ada.body = "Two.\n"
    page_publish(page=ada, user=author, summary="Edit")
    revision = latest_revision(ada)
    get_json(client, f"/api/pages/{ada.pk}/revisions/{revision.pk}/")  # types
    for url, queries in [
        (f"/api/sources/{source.pk}/", 1),
        (f"/api/sources/{source.pk}/citations/?page_size=2", 2),
        (f"/api/sources/{source.pk}/citations/?page_size=30", 2),
        # the page, the revision, whether its parent's text is hidden, and
        # both revisions' versions (a page without rows names nothing more)
        (f"/api/pages/{ada.pk}/revisions/{revision.pk}/", 4),
    ]:
        with django_assert_num_queries(queries):
            get_json(client, url)


def test_head_and_options_are_answered(client, db):
    theme = ThemeFactory(title="Computing", slug="computing")
    page_publish(page=theme, user=UserFactory(), summary="Create")
    head = client.head(f"/api/pages/{theme.pk}/")
    assert head.status_code == 200
    assert head.content == b""
    response = client.options("/api/pages/")
    assert response.status_code == 200
    assert response.json()["name"] == "Page List"
