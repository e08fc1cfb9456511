"""The access log line's fields (wiki/access_log.py); tests/test_deploy.py
checks the lines gunicorn writes."""

import pytest

from tests.factories import UserFactory
from wiki.access_log import USER_KEY, access_record


def record(environ=None, headers=()):
    return access_record(
        status=200,
        method="GET",
        path="/people/ada/",
        sent=1234,
        seconds=0.01234,
        environ={"REMOTE_ADDR": "10.0.0.2", **(environ or {})},
        headers=list(headers),
    )


def test_a_line_has_the_request_and_its_cost_and_no_address():
    line = record()

    assert {key: line[key] for key in line if key != "time"} == {
        "method": "GET",
        "path": "/people/ada/",
        "status": 200,
        "bytes": 1234,
        "duration_ms": 12.3,
        "user": "anonymous",
        "cache": None,
    }


def test_the_cache_says_hit_or_miss_in_the_environ_or_a_header():
    assert record({"lineage.cache": "HIT"})["cache"] == "hit"
    assert record(headers=[("X-Cache", "miss")])["cache"] == "miss"


def test_the_client_address_is_logged_only_when_asked(monkeypatch):
    monkeypatch.setenv("LINEAGE_ACCESS_LOG_REMOTE_ADDR", "true")

    behind_proxy = record({"HTTP_X_FORWARDED_FOR": "1.2.3.4, 203.0.113.9"})

    assert behind_proxy["remote_addr"] == "203.0.113.9"
    assert record()["remote_addr"] == "10.0.0.2"


@pytest.mark.django_db
def test_the_reader_is_anonymous_or_logged_in(client):
    anonymous = client.get("/robots.txt")
    client.force_login(UserFactory())
    logged_in = client.get("/")

    assert anonymous.wsgi_request.META[USER_KEY] == "anonymous"
    assert logged_in.wsgi_request.META[USER_KEY] == "logged-in"
