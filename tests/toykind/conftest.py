from tests.wiki.conftest import contributor, moderator, roles  # noqa: F401
