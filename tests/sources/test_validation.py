"""What a source form accepts: DOIs, arXiv identifiers and citation keys."""

import pytest
from django.urls import reverse

from sources.forms import SourceForm
from sources.models import Source
from tests.factories import SourceFactory

pytestmark = pytest.mark.django_db

BASE = {"key": "doe2024", "source_type": "paper", "title": "A title"}


def form(**fields) -> SourceForm:
    return SourceForm({**BASE, **fields}, instance=Source())


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("10.1145/3442188.3445922", "10.1145/3442188.3445922"),
        ("10.48550/arXiv.2103.00020", "10.48550/arXiv.2103.00020"),
        ("10.1000.10/xyz(1)", "10.1000.10/xyz(1)"),
        ("https://doi.org/10.1038/nature14539", "10.1038/nature14539"),
        ("doi:10.1038/nature14539", "10.1038/nature14539"),
        (" DOI:10.1038/nature14539 ", "10.1038/nature14539"),
    ],
)
def test_a_doi_is_accepted_and_stored_without_its_link(typed, stored):
    bound = form(doi=typed)
    assert bound.is_valid(), bound.errors
    assert bound.cleaned_data["doi"] == stored


@pytest.mark.parametrize(
    "typed", ["10.12/abc", "11.1234/abc", "10.1234", "10.1234/", "10.1234/a b", "abc"]
)
def test_a_malformed_doi_is_refused_with_its_expected_shape(typed):
    bound = form(doi=typed)
    assert not bound.is_valid()
    assert bound.errors["doi"] == [
        "A DOI looks like 10.1234/abc.5678: “10.”, four or more digits, a slash, "
        "then the rest (no spaces)."
    ]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("2103.00020", "2103.00020"),
        ("2103.00020v1", "2103.00020v1"),
        ("0704.0001", "0704.0001"),
        ("1706.03762v7", "1706.03762v7"),
        ("hep-th/9901001", "hep-th/9901001"),
        ("math.GT/0309136v2", "math.GT/0309136v2"),
        ("cond-mat/0102536", "cond-mat/0102536"),
        ("arXiv:2103.00020", "2103.00020"),
        ("https://arxiv.org/abs/2103.00020v2", "2103.00020v2"),
        ("https://arxiv.org/pdf/2103.00020.pdf", "2103.00020"),
    ],
)
def test_an_arxiv_identifier_new_or_old_style_is_accepted(typed, stored):
    bound = form(arxiv_id=typed)
    assert bound.is_valid(), bound.errors
    assert bound.cleaned_data["arxiv_id"] == stored


@pytest.mark.parametrize(
    "typed",
    ["2113.00020", "2103.0002", "2103.000200", "2103.00020v", "2103.00020v0",
     "hep-th/99010", "HEP-TH/9901001", "9901001", "2103-00020"],
)  # fmt: skip
def test_a_malformed_arxiv_identifier_is_refused(typed):
    bound = form(arxiv_id=typed)
    assert not bound.is_valid()
    assert bound.errors["arxiv_id"] == [
        "An arXiv identifier looks like 2103.00020 (or 2103.00020v1), or in the "
        "old style hep-th/9901001."
    ]


@pytest.mark.parametrize("key", ["radford2019language", "a", "doe:2024.x-y_z", "@doe"])
def test_a_citation_key_is_accepted(key):
    bound = form(key=key)
    assert bound.is_valid(), bound.errors
    assert bound.cleaned_data["key"] == key.lstrip("@")


@pytest.mark.parametrize("key", ["2019radford", "doe 2024", "doe/2024", "doe[1]", ""])
def test_a_malformed_citation_key_is_refused(key):
    bound = form(key=key)
    assert not bound.is_valid()
    assert "key" in bound.errors


def test_the_key_new_is_reserved_for_the_create_form():
    bound = form(key="new")
    assert not bound.is_valid()
    assert bound.errors["key"] == [
        "“new” is reserved for the site; choose another key."
    ]


def test_a_key_doi_or_arxiv_identifier_another_source_has_is_refused_naming_it():
    SourceFactory(key="doe2024", title="Old", doi="10.1234/x", arxiv_id="2103.00020")

    bound = form(doi="10.1234/x", arxiv_id="2103.00020")

    assert not bound.is_valid()
    link = '<a href="/sources/doe2024/">doe2024: Old</a>.'
    assert bound.errors == {
        "key": [f"Another source has this citation key: {link}"],
        "doi": [f"Another source has this DOI: {link}"],
        "arxiv_id": [f"Another source has this arXiv identifier: {link}"],
    }


def test_a_source_keeps_its_own_key_doi_and_arxiv_identifier_when_edited():
    source = SourceFactory(key="doe2024", doi="10.1234/x", arxiv_id="2103.00020")

    bound = SourceForm(
        {**BASE, "doi": "10.1234/x", "arxiv_id": "2103.00020"}, instance=source
    )

    assert bound.is_valid(), bound.errors


def test_an_invalid_source_form_is_shown_again_with_what_was_typed(client, contributor):
    client.force_login(contributor)
    url = reverse("sources:source_create")
    data = {
        "key": "doe2024",
        "source_type": "paper",
        "title": "A title typed with care",
        "doi": "doi 10/1",
        "edit-summary": "",
        "edit-token": "4b0b8f7e-5b7a-4d2a-9a55-2f3b8d7c1a10",
    }

    response = client.post(url, data)

    content = response.content.decode()
    assert response.status_code == 400
    assert "A DOI looks like 10.1234/abc.5678" in content
    assert 'value="A title typed with care"' in content
    assert "Say briefly what you changed and why." in content
    assert not Source.objects.exists()
