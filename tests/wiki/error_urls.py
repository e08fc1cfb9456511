"""The site's URLs, with views that fail, for tests/wiki/test_error_pages.py."""

from django.core.cache import caches
from django.urls import path

from wiki.urls import handler404, handler500, urlpatterns  # noqa: F401


def fails(request):
    raise ValueError("secret-detail-of-the-failure")


def counts_in_the_cache(request):
    caches["default"].incr("a-counter")  # raises while Redis is down


urlpatterns = [
    path("test-fails/", fails),
    path("test-counts/", counts_in_the_cache),
    *urlpatterns,
]
