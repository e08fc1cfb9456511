"""The site's settings, with the test-only apps (a toy page kind) installed."""

from wiki.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "tests.toykind.apps.ToyKindConfig"]  # noqa: F405

# The page cache (wiki/cache.py) is off for the suite, whose tests pin the
# queries of rendered pages; tests/wiki/test_cache.py turns it on.
LINEAGE_PAGE_CACHE = False

# A replica alias on the test database itself, for the database router's tests
# (tests/wiki/test_db_router.py and test_lagging_replica.py turn the router
# on); nothing else reads it.
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405

# A read replica that lags behind: its own test database (not a mirror), which
# holds only what a test copies to it, as replication would
# (tests/wiki/test_lagging_replica.py).  It is created only in a run that
# collects a test asking for it (pytest-django sets up the aliases the
# collected tests' django_db marks name).  SQLite keeps it in memory under its
# alias; other engines need a test name of their own (pytest-xdist suffixes it).
_primary = DATABASES["default"]  # noqa: F405
_lagging = {**_primary, "TEST": {}}
if _lagging["ENGINE"] != "django.db.backends.sqlite3":
    _test_name = _primary.get("TEST", {}).get("NAME") or f"test_{_primary['NAME']}"
    _lagging["TEST"]["NAME"] = f"{_test_name}_lagging"
DATABASES["lagging"] = _lagging  # noqa: F405

# Fragments of page views (wiki/cache.py) are off too, for the same reason as
# the page cache; tests/wiki/test_fragments.py turns them on.
LINEAGE_FRAGMENT_CACHE = False

# The API's throttle (api/throttling.py) counts in the cache, which lives for
# the whole run: the suite's requests would add up.  tests/api/test_limits.py
# sets a low rate of its own.
LINEAGE_API_RATE = "100000/minute"
