"""The site's settings, with the test-only apps (a toy page kind) installed."""

from wiki.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "tests.toykind.apps.ToyKindConfig"]  # noqa: F405

# The page cache (wiki/cache.py) is off for the suite, whose tests pin the
# queries of rendered pages; tests/wiki/test_cache.py turns it on.
LINEAGE_PAGE_CACHE = False

# A replica alias on the test database itself, for the database router's tests
# (tests/wiki/test_db_router.py turn the router on); nothing else reads it.
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405

# Fragments of page views (wiki/cache.py) are off too, for the same reason;
# tests/wiki/test_fragments.py turns them on.
LINEAGE_FRAGMENT_CACHE = False
