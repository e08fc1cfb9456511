"""No payload survives as executable markup in any view (raw HTML, both databases).

One hostile site (tests/security/hostile_site.py) holds every payload of
tests/security/payloads.py in every field the site's forms offer and every
Markdown context; every view of it is fetched and scanned
(tests/security/checker.py).  A stored text field no payload reaches, or a
route neither fetched nor listed as showing no user text, fails the test.
"""

import time

import pytest
from django.db.models import Q

from tests.routes import site_routes
from tests.security import coverage, hostile_site, views
from tests.security.checker import unsafe_feed, unsafe_json, unsafe_markup
from tests.security.payloads import FAMILIES, PAYLOADS
from wiki.models import Page

pytestmark = pytest.mark.django_db


def _markers(text: str) -> set[int]:
    return {
        int(next(g for g in match.groups() if g))
        for match in hostile_site.MARKER.finditer(text)
    } & {p.number for p in PAYLOADS}


def test_no_payload_survives_as_executable_markup_in_any_view(client):
    started = time.monotonic()
    site = hostile_site.build(client)
    built = time.monotonic() - started

    # Every stored text field holds payloads, or says why no user text reaches it.
    uncovered, fields, pairs = [], 0, 0
    for model, name in coverage.text_fields():
        label = coverage.label(model, name)
        if label in coverage.NOT_USER_TEXT:
            continue
        filled = model._default_manager.filter(
            Q(**{f"{name}__regex": hostile_site.MARKER_SQL})
        )
        shown = set()
        for value in filled.values_list(name, flat=True).iterator():
            shown |= _markers(value)
        if not shown:
            uncovered.append(label)
        fields += 1
        pairs += len(shown)
    assert uncovered == [], (
        f"fields with no XSS coverage: {uncovered}: fill them in "
        "tests/security/hostile_site.py, or say why no user text reaches them in "
        "tests/security/coverage.py"
    )

    # Every view, scanned.
    clients = {}
    users = {
        "contributor": site.contributor,
        "moderator": site.moderator,
        "admin": site.admin,
    }
    problems, fetched, cells = [], 0, 0
    routes_seen = set()
    from django.test import Client

    for view in [*views.site_views(site), None, *views.admin_views()]:
        if view is None:
            Page.objects.filter(kind="dataset").delete()
            continue
        who, method, url = view
        if who not in clients:
            clients[who] = Client()
            if who in users:
                clients[who].force_login(users[who])
        expected = 200
        if method == "POST":
            data, expected = views.post(url)
            response = clients[who].post(url, data)
        else:
            response = clients[who].get(url)
        routes_seen.add(views.route_of(url))
        if response.status_code >= 500 or (
            method == "POST" and response.status_code != expected
        ):
            problems.append(f"{method} {url} ({who}): {response.status_code}")
            continue
        if response.status_code != expected:
            continue
        fetched += 1
        body = (
            b"".join(response.streaming_content)
            if response.streaming
            else response.content
        )
        kind = response.get("Content-Type", "")
        if "xml" in kind:
            found = unsafe_feed(body) if b"<feed" in body[:500] else unsafe_json(b"0")
        elif "json" in kind:
            found = unsafe_json(body)
        else:
            found = unsafe_markup(body.decode())
        problems += [f"{url} ({who}): {problem}" for problem in found]
        cells += len(_markers(body.decode()))

    unvisited = [
        route
        for route in site_routes()
        if route not in routes_seen and route not in views.NOT_SHOWING_USER_TEXT
    ]
    assert unvisited == [], (
        f"routes with no XSS coverage: {unvisited}: fetch them in "
        "tests/security/views.py, or list them in NOT_SHOWING_USER_TEXT with why"
    )
    stale = set(views.NOT_SHOWING_USER_TEXT) - set(site_routes())
    assert stale == set(), f"listed routes that no longer exist: {stale}"
    assert problems == []
    print(
        f"\nXSS raw HTML: {len(PAYLOADS)} payloads in {len(FAMILIES)} families, "
        f"{fields} stored fields, "
        f"{len(site.filled)} form fields, {pairs} payload x stored field pairs, "
        f"{fetched} views fetched over "
        f"{len(routes_seen)} routes, {cells} payload x view cells "
        f"(payloads seen in a view), built in {built:.1f} s"
    )
    assert fetched > 100 and cells > 10_000
