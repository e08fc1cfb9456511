"""Formatted references are cached per source: a page of 50 references runs
the CSL processor once per source, then never again until a source changes."""

import time

import pytest
from django.core.cache import caches

from sources import csl
from sources.models import Source
from sources.services import source_publish
from tests.factories import PersonFactory, UserFactory
from wiki.cache import bump
from wiki.services import page_publish

pytestmark = pytest.mark.django_db

REFERENCES = 50


@pytest.fixture
def long_page(db):
    author = UserFactory(username="writer")
    for n in range(REFERENCES):
        source_publish(
            source=Source(
                key=f"ref{n}",
                title=f"A study of things, part {n}",
                authors="Ada Lovelace, Charles Babbage, Mary Somerville",
                source_type=Source.Type.PAPER,
                publisher="Philosophical Transactions",
                year=1843,
                doi=f"10.1000/ref.{n}",
            ),
            user=author,
            summary="Add",
        )
    body = "\n\n".join(f"Claim {n} [@ref{n}]." for n in range(REFERENCES))
    page = PersonFactory.build(title="Ada Lovelace", slug="ada", body=body)
    page_publish(page=page, user=author, summary="Create")
    return page


@pytest.fixture
def formatted(monkeypatch):
    """The sources the CSL processor formats, as it formats them."""
    calls = []
    real = csl.format_source

    def counting(source):
        calls.append(source.key)
        return real(source)

    monkeypatch.setattr(csl, "format_source", counting)
    return calls


def _view(client) -> float:
    started = time.perf_counter()
    response = client.get("/people/ada/")
    elapsed = time.perf_counter() - started
    assert response.status_code == 200
    assert response.content.decode().count('<span class="reference">') == REFERENCES
    return elapsed


def test_the_page_view_formats_nothing_once_its_sources_are_cached(
    client, long_page, formatted
):
    caches["references"].clear()
    cold = _view(client)
    assert len(formatted) == REFERENCES
    bump()  # the page's own cached article is dropped; the references are kept
    warm = _view(client)
    assert len(formatted) == REFERENCES
    print(
        f"\npage of 50 references, rendered: cold {cold * 1000:.0f} ms, "
        f"references cached {warm * 1000:.0f} ms"
    )


def test_a_page_of_50_references_formats_each_once_then_reads_the_cache(
    client, long_page, formatted
):
    caches["references"].clear()
    sources = list(Source.objects.order_by("pk"))
    started = time.perf_counter()
    csl.formatted_references(sources)
    cold = time.perf_counter() - started
    assert len(formatted) == REFERENCES
    started = time.perf_counter()
    csl.formatted_references(sources)
    warm = time.perf_counter() - started
    assert len(formatted) == REFERENCES  # nothing formatted again
    print(f"\n50 references: cold {cold * 1000:.0f} ms, warm {warm * 1000:.1f} ms")


def test_a_changed_source_alone_is_formatted_again(client, long_page, formatted):
    sources = list(Source.objects.order_by("pk"))
    csl.formatted_references(sources)
    formatted.clear()
    changed = Source.objects.get(key="ref7")
    changed.title = "Renamed"
    source_publish(source=changed, user=UserFactory(), summary="Rename")
    out = csl.formatted_references(Source.objects.order_by("pk"))
    assert formatted == ["ref7"]
    assert "<i>Renamed</i>" not in out[changed.pk]  # APA: article titles plain
    assert "Renamed." in out[changed.pk]


def test_the_sources_index_prints_each_reference_as_the_pages_do(
    client, long_page, formatted
):
    caches["references"].clear()
    html = client.get("/sources/").content.decode()
    assert len(formatted) == REFERENCES  # the 50 on its first page, each once
    ref7 = Source.objects.get(key="ref7")
    line = (
        f'<li><span class="reference">{csl.formatted_references([ref7])[ref7.pk]}'
        '</span> <a class="source-link" href="/sources/ref7/">[ref7]</a>'
    )
    assert line in html
    assert "Lovelace, A., Babbage, C., &amp; Somerville, M. (1843)." in line
    # The page citing them reads the same cache: nothing formatted again.
    formatted.clear()
    assert client.get("/people/ada/").status_code == 200
    assert formatted == []
