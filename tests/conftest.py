"""Fixtures shared by the whole suite (factories live in tests/factories.py)."""

import pytest


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """Hash passwords cheaply: the default hasher costs ~0.3 s per user."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
