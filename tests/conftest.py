"""Settings and fixtures shared by the whole suite (factories: tests/factories.py)."""

import os

import pytest


def pytest_configure(config):
    from django.conf import settings

    # collectstatic never runs for tests, so STATIC_ROOT does not exist; without
    # autorefresh WhiteNoise scans it at start-up and warns, and warnings are
    # errors here.  Tests get static files from the finders instead.
    settings.WHITENOISE_AUTOREFRESH = True


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """Hash passwords cheaply: the default hasher costs ~0.3 s per user."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def postgres_only(request):
    """Tests marked ``postgres`` need PostgreSQL: a failure in CI, a skip elsewhere.

    ``make test`` runs them on its PostgreSQL pass and deselects them
    (``-m "not postgres"``) on the SQLite pass, so CI never skips them.
    """
    if request.node.get_closest_marker("postgres") is None:
        return
    from django.db import connection

    if connection.vendor != "postgresql":
        message = f"needs PostgreSQL, and the database is {connection.vendor}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
