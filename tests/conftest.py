"""Settings and fixtures shared by the whole suite (factories: tests/factories.py)."""

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
