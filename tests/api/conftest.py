"""Fixtures for the read API: the seed, and a client that reads JSON."""

import pytest
from django.core.cache import cache

from sources.seed import load_seed
from tests.wiki.conftest import contributor, moderator, roles  # noqa: F401


@pytest.fixture
def seeded(db):
    load_seed()


@pytest.fixture(autouse=True)
def fresh_throttle():
    """Each test counts its requests from zero (the throttle's counts are in
    the cache, which outlives a test)."""
    cache.clear()


def get_json(client, url, status=200, **extra):
    response = client.get(url, **extra)
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"] == "application/json"
    return response.json()


def walk(client, url) -> list[dict]:
    """Every row of a paginated list, following its next links."""
    rows = []
    while url:
        data = get_json(client, url)
        rows += data["results"]
        url = data["next"]
    return rows
