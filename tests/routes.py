"""The site's routes, found by walking the URL configuration.

Tests that must cover every URL (the junk sweep in tests/wiki/test_urls.py, the
permission table in tests/wiki/test_roles.py) list them from here, so a new
route is covered, or reported, without anyone remembering to add it.
"""

from django.urls import URLPattern, URLResolver, get_resolver


def url_patterns(
    resolver: URLResolver | None = None,
    prefix: str = "",
    namespace: str = "",
    *,
    admin: bool = True,
) -> list[tuple[str, str | None]]:
    """Every route with its URL name, e.g. ("review/<id:pk>/",
    "moderation:review_detail"); the admin's too unless ``admin`` is false.
    The name is None for the few unnamed routes (the admin's catch-all)."""
    found = []
    for pattern in (resolver or get_resolver()).url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if route == "admin/" and not admin:
                continue
            inner = ":".join(filter(None, [namespace, pattern.namespace]))
            found += url_patterns(pattern, route, inner, admin=admin)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            found.append((route, name if pattern.name else None))
    return found


def site_routes() -> list[str]:
    """Every route of the site but the admin's, e.g. "<section:section>/new/"."""
    return [route for route, _ in url_patterns(admin=False)]
