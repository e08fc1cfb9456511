"""Junk sent to every URL is answered with a page or a 4xx, never a 500.

Every route of the site (found by walking the URL configuration, so new ones are
swept too) is requested by a reader, a contributor and a moderator with junk in
its path, in every query parameter the site reads, and in every field of every
form it shows (posted where the form posts): NUL and other control characters,
line breaks, bidi overrides, numbers too big for the database, dates past the
calendar, long values.  The admin's pages get the same treatment.
"""

import re
from urllib.parse import quote, urlencode

import pytest
from django.contrib import admin

from tests.factories import SourceFactory, WorkFactory
from tests.forms import form_data
from tests.routes import site_routes
from tests.wiki.moderation_helpers import edit, edit_url
from wiki.models import Proposal
from wiki.services import latest_revision, page_publish

pytestmark = pytest.mark.django_db

JUNK = [
    "\x00",
    "a\x01\x1b\x7f\x9b\r\nb",
    "\u202e\u200b\ufeff<'\"%>",
    "9" * 25,
    "-1",
    "9999-12-31",
    "0001-01-01",
    "x" * 5000,
    "",
]
PATH_JUNK = ["\x00", "a\r\nb\u202e", "9" * 25, "-1", "x" * 300]
# Everything the site's views read from a query string, and the admin's.
PARAMS = [
    "page",
    "q",
    "from",
    "to",
    "since",
    "until",
    "kind",
    "user",
    "title",
    "letter",
    "theme",
    "organization",
    "type",
    "flag",
    "revision",
    "next",
    "hide_minor",
    "o",
    "p",
    "all",
    "_popup",
    "_to_field",
    "cursor",
    "page_size",
    "modified_since",
]
_CONVERTER = re.compile(r"<(?:\w+:)?(?P<name>\w+)>")
_FORM = re.compile(r"<form\b[^>]*>.*?</form>", re.S)
_ACTION = re.compile(r'<form\b[^>]*\baction="([^"]*)"')
_MANAGEMENT = re.compile(r"(TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS$")


@pytest.fixture
def values(client, person, contributor, moderator) -> dict[str, str]:
    """What fills each route's parameters: a person, a pending proposal..."""
    work = WorkFactory.build(title="A Paper", slug="a-paper")
    page_publish(page=work, user=moderator, summary="Create")
    source = SourceFactory(key="paper2020")
    client.force_login(contributor)
    client.post(edit_url(person), edit(person, body="Carol's body."))
    client.logout()
    return {
        "section": "people",
        "slug": person.slug,
        "pk": str(Proposal.objects.get().pk),
        "revision_id": str(latest_revision(person).pk),
        "username": contributor.username,
        "key": "paper2020",
        "lookup": "pages",
        "uidb64": "MQ",
        "token": "set-password",
        "page_id": str(person.pk),
        "source_id": str(source.pk),
    }


def _path(route: str, values: dict[str, str], **junk: str) -> str:
    return "/" + _CONVERTER.sub(
        lambda m: junk.get(m.group("name"), values[m.group("name")]), route
    )


def _forms(path: str, html: str) -> list[tuple[str, dict]]:
    """Each form on a page: where it posts, and what a browser would post."""
    forms = []
    for block in _FORM.findall(html):
        if 'method="post"' not in block.lower():
            continue
        action = _ACTION.search(block)
        forms.append(((action.group(1) if action else "") or path, form_data(block)))
    return forms


def _junk_data(data: dict, junk: str) -> dict:
    """``data`` with every field but formsets' management counts set to junk."""
    return {
        name: value if _MANAGEMENT.search(name) else junk
        for name, value in data.items()
    }


def _sweep(client, path: str) -> None:
    for junk in JUNK:
        address = f"{path}?{urlencode(dict.fromkeys(PARAMS, junk))}"
        assert client.get(address).status_code < 500, (address, junk)
    page = client.get(path)
    assert page.status_code < 500, path
    html = page.getvalue() if page.status_code == 200 else b""  # streamed or not
    forms = _forms(path, html.decode()) if html else []
    for action, data in forms or [(path, {})]:
        for junk in JUNK:
            posted = _junk_data(data, junk) or dict.fromkeys(PARAMS, junk)
            response = client.post(action, posted)
            assert response.status_code < 500, (action, junk)


@pytest.mark.parametrize("route", site_routes())
def test_junk_anywhere_in_a_request_is_never_a_500(
    client, values, contributor, moderator, route
):
    for user in (None, contributor, moderator):
        if user is not None:
            client.force_login(user)
        _sweep(client, _path(route, values))
    for name in _CONVERTER.findall(route):
        for junk in PATH_JUNK:
            path = _path(route, values, **{name: quote(junk, safe="")})
            assert client.get(path).status_code < 500, path
            assert client.post(path, {}).status_code < 500, path


def _admin_paths() -> list[str]:
    paths = []
    for model in admin.site._registry:
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        paths += [base, f"{base}add/"]
    return paths


@pytest.mark.parametrize("path", _admin_paths())
def test_junk_in_the_admin_is_never_a_500(admin_client, values, path):
    _sweep(admin_client, path)
    listing = admin_client.get(path)
    if path.endswith("/add/") or listing.status_code != 200:
        return
    # The change form, history and comparison of the first object listed.
    found = re.search(rf'href="({re.escape(path)}(\d+)/change/)', listing.text)
    if found is None:
        return
    change, pk = found.groups()
    _sweep(admin_client, change)
    _sweep(admin_client, f"{path}{pk}/history/")
    for junk in JUNK:
        compare = f"{path}{pk}/history/compare/?" + urlencode(
            {"from": junk, "to": junk}
        )
        assert admin_client.get(compare).status_code < 500, compare


FIELD_JUNK = ["\x00a\x01\r\n\u202eb", "9" * 25, "x" * 300]
_NOT_TYPED = re.compile(r"(_FORMS|-id|-DELETE|-ORDER|edit-token|edit-base_revision)$")


@pytest.mark.parametrize("junk", FIELD_JUNK)
def test_junk_in_one_field_of_a_valid_edit_is_never_a_500(
    client, person, contributor, moderator, junk
):
    for user in (contributor, moderator):
        client.force_login(user)
        for name in edit(person):
            if _NOT_TYPED.search(name):
                continue
            data = edit(person, body=f"Edited by {user}.")
            data[name] = [junk]
            response = client.post(edit_url(person), data)
            assert response.status_code < 500, (name, junk)
