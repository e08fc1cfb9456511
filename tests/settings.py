"""The site's settings, with the test-only apps (a toy page kind) installed."""

from wiki.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "tests.toykind.apps.ToyKindConfig"]  # noqa: F405

# A replica alias on the test database itself, for the database router's tests
# (tests/wiki/test_db_router.py turn the router on); nothing else reads it.
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
