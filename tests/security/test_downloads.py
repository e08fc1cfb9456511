"""The BibTeX and CSL-JSON downloads carry hostile text as data: a browser
saves them (an attachment, of a type it does not sniff as HTML), and each
payload comes back from them exactly as it was typed."""

import json

import pytest

from sources.bibtex import parse_bibtex
from sources.models import Source
from sources.services import source_publish
from tests.factories import PersonFactory, UserFactory
from tests.security.hostile_site import one_line
from tests.security.payloads import PAYLOADS
from wiki.services import page_publish
from wiki.text import clean_line, clean_title

pytestmark = pytest.mark.django_db


@pytest.fixture
def hostile_sources(db):
    author = UserFactory(username="mallory")
    sources = []
    for payload in PAYLOADS:
        # As the source form stores them (control characters dropped).
        text = one_line(payload.text)
        source = Source(
            key=f"payload{payload.number}",
            title=clean_title(text)[:500],
            authors=clean_line(text)[:500],
            publisher=clean_line(text)[:255],
            year=2020,
        )
        source_publish(source=source, user=author, summary="Add")
        sources.append(Source.objects.get(pk=source.pk))
    body = " ".join(f"[@{source.key}]" for source in sources)
    page = PersonFactory.build(title="Cited", slug="cited", body=body)
    page_publish(page=page, user=author, summary="Create")
    return sources


def _download(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "html" not in response["Content-Type"]
    return b"".join(response.streaming_content).decode()


@pytest.mark.parametrize(
    "url", ["/sources/all.bib", "/people/cited/references.bib", "one"]
)
def test_bibtex_downloads_give_back_every_payload_as_typed(
    client, hostile_sources, url
):
    if url == "one":
        texts = "".join(
            _download(client, f"/sources/{source.key}/cite.bib")
            for source in hostile_sources
        )
    else:
        texts = _download(client, url)
    parsed = parse_bibtex(texts)
    assert parsed.malformed == []
    read = {entry.key: entry.source for entry in parsed.entries}
    for source in hostile_sources:
        back = read[source.key]
        assert (back.title, back.publisher) == (source.title, source.publisher)


@pytest.mark.parametrize(
    "url", ["/sources/all.json", "/people/cited/references.json", "one"]
)
def test_csl_json_downloads_give_back_every_payload_as_typed(
    client, hostile_sources, url
):
    if url == "one":
        items = [
            json.loads(_download(client, f"/sources/{source.key}/cite.json"))[0]
            for source in hostile_sources
        ]
    else:
        items = json.loads(_download(client, url))
    titles = {item["id"]: item["title"] for item in items}
    assert titles == {source.key: source.title for source in hostile_sources}
