"""The 500 and 503 pages (wiki/errors.py): friendly, never a traceback, and
503 with Retry-After while the database or Redis cannot be reached, wherever
the request met the outage (a view or the outermost middleware).  Redis down
is not an outage for readers: pages come from the database
(wiki/cache_backend.py).

The outages are real: the database connection is pointed at a socket
directory that does not exist, Redis at a port nobody listens on.
"""

import socket

import pytest
from django.db import connection
from django.test import Client

from tests.factories import UserFactory
from tests.wiki.history_helpers import make_moderator
from wiki import cache
from wiki.models import Theme
from wiki.services import page_publish

pytestmark = pytest.mark.urls("tests.wiki.error_urls")

TRACEBACK_MARKERS = ("Traceback", 'File "', "secret-detail", "OperationalError")


def assert_friendly(response, status: int, heading: str) -> str:
    html = response.content.decode()
    assert response.status_code == status
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert f"<h1>{heading}</h1>" in html
    assert '<link rel="stylesheet" href="/static/css/lineage.css">' in html
    for marker in TRACEBACK_MARKERS:
        assert marker not in html
    return html


def dead_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # closed again: nothing listens on it


@pytest.fixture
def browser():
    """A client that gets the error page instead of the test's exception."""
    return Client(raise_request_exception=False)


@pytest.fixture
def theme(transactional_db):
    page = Theme(title="Outages", slug="outages", body="What happens when.")
    page_publish(page=page, user=make_moderator(), summary="Create")
    return page


@pytest.fixture
def database_down(transactional_db):
    """PostgreSQL unreachable: every new connection fails, as while it restarts."""
    if connection.vendor != "postgresql":
        pytest.skip("points a PostgreSQL connection at a missing socket")
    connection.close()
    saved = dict(connection.settings_dict)
    connection.settings_dict["HOST"] = "/nonexistent-lineage-socket-dir"
    yield
    connection.close()
    connection.settings_dict.clear()
    connection.settings_dict.update(saved)


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "wiki.cache_backend.TolerantRedisCache",
            "LOCATION": f"redis://127.0.0.1:{dead_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    settings.LINEAGE_PAGE_CACHE = True
    settings.LINEAGE_FRAGMENT_CACHE = True
    cache.recent.clear()
    yield
    cache.recent.clear()


def test_handler500_is_the_friendly_one():
    from wiki import urls

    assert urls.handler500 == "wiki.errors.server_error"


@pytest.mark.django_db
def test_an_error_in_a_view_answers_500_without_a_traceback(browser):
    response = browser.get("/test-fails/")
    assert_friendly(response, 500, "Something went wrong")
    assert "Retry-After" not in response
    assert response["Cache-Control"] == "no-store"


@pytest.mark.postgres
def test_the_database_down_at_the_outermost_middleware_answers_503(
    theme, database_down, browser, settings
):
    settings.LINEAGE_PAGE_CACHE = True  # reads the generation before any view
    response = browser.get("/themes/outages/")
    html = assert_friendly(response, 503, "Back in a moment")
    assert response["Retry-After"] == "5"
    assert "usually lasts only a few seconds" in html


@pytest.mark.postgres
def test_the_database_down_in_a_view_answers_503(theme, database_down, browser):
    response = browser.get("/themes/outages/")
    assert_friendly(response, 503, "Back in a moment")
    assert response["Retry-After"] == "5"


@pytest.mark.postgres
def test_a_form_sent_while_the_database_is_down_answers_503(
    theme, database_down, browser
):
    response = browser.post("/accounts/login/", {"username": "a", "password": "b"})
    assert_friendly(response, 503, "Back in a moment")


@pytest.mark.postgres
def test_the_site_answers_again_once_the_database_is_back(theme, browser):
    connection.close()
    saved = connection.settings_dict["HOST"]
    connection.settings_dict["HOST"] = "/nonexistent-lineage-socket-dir"
    try:
        assert browser.get("/themes/outages/").status_code == 503
    finally:
        connection.close()
        connection.settings_dict["HOST"] = saved
    assert browser.get("/themes/outages/").status_code == 200


@pytest.mark.django_db
def test_redis_down_where_it_is_needed_answers_503(browser, redis_down):
    response = browser.get("/test-counts/")
    assert_friendly(response, 503, "Back in a moment")
    assert response["Retry-After"] == "5"


def test_redis_down_pages_come_from_the_database(theme, browser, redis_down):
    response = browser.get("/themes/outages/")
    assert response.status_code == 200
    assert "What happens when." in response.content.decode()
    assert response["X-Cache"] == "miss"
    # Only the process's own copy holds it (wiki/cache.py, RecentEntries);
    # without it, the page is rendered from the database again.
    cache.recent.clear()
    response = browser.get("/themes/outages/")
    assert (response.status_code, response["X-Cache"]) == (200, "miss")
    assert "What happens when." in response.content.decode()


def test_redis_down_readers_log_in_and_stay_logged_in(theme, browser, redis_down):
    user = UserFactory(username="reader")
    user.set_password("a-long-password-1")
    user.save()
    response = browser.post(
        "/accounts/login/", {"username": "reader", "password": "a-long-password-1"}
    )
    assert response.status_code == 302
    # The session is in the database (cached_db writes through): still
    # logged in on the next request, though Redis never held it.
    response = browser.get("/themes/outages/")
    assert response.status_code == 200
    assert "Log out" in response.content.decode()
    assert '<a href="/users/reader/"' in response.content.decode()
