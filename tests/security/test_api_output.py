"""The read API sends page text as JSON data, never as markup a browser
would run: application/json with nosniff, and <, > and & escaped inside the
strings, which still read back exactly as typed."""

import json

import pytest

from tests.factories import UserFactory
from tests.security.hostile_site import one_line
from tests.security.payloads import PAYLOADS
from wiki.models import Theme
from wiki.services import page_publish

pytestmark = pytest.mark.django_db


def test_payloads_in_titles_and_bodies_come_back_as_escaped_json(client):
    author = UserFactory()
    typed = [p for p in PAYLOADS if "\x00" not in p.text]
    for payload in typed:
        theme = Theme(
            title=f"{payload.number} {one_line(payload.text)}"[:255],
            slug=f"payload-{payload.number}",
            summary=one_line(payload.text),
            body=payload.text + "\n",
        )
        page_publish(page=theme, user=author, summary=one_line(payload.text)[:200])
    stored = {t.pk: t for t in Theme.objects.all()}

    urls = ["/api/pages/?page_size=100", "/api/changes/?page_size=100"]
    urls += [f"/api/pages/{pk}/" for pk in stored]
    urls += [f"/api/pages/{pk}/revisions/" for pk in stored]
    pages_seen = set()
    for url in urls:
        while url:
            response = client.get(url)
            assert response.status_code == 200, url
            assert response["Content-Type"] == "application/json"
            assert response["X-Content-Type-Options"] == "nosniff"
            body = response.content
            assert b"<" not in body and b">" not in body and b"&" not in body, url
            data = json.loads(body)
            for row in data.get("results", [data]):
                page = stored.get(row.get("id")) if "kind" in row else None
                if page is not None:
                    assert row["title"] == page.title
                    if "body" in row:
                        assert row["body"] == page.body
                        assert row["body_html"] == page.body_html
                        pages_seen.add(page.pk)
            url = data.get("next")
    assert pages_seen == set(stored)
    assert len(typed) > 80
