"""Fixtures for sources: the roles and the page with rows of tests/wiki, and
what a browser posts from the source form."""

import pytest
from django.urls import reverse

from sources.models import Source
from sources.services import source_publish
from tests.factories import UserFactory
from tests.wiki.conftest import contributor, moderator, person, roles  # noqa: F401
from tests.wiki.moderation_helpers import form_of


@pytest.fixture
def source(db):
    """A published source, cited by nothing."""
    author = UserFactory(username="librarian")
    source = Source(
        key="vaswani2017attention",
        source_type=Source.Type.PAPER,
        authors="Ashish Vaswani et al.",
        title="Attention Is All You Need",
        publisher="NeurIPS",
        year=2017,
    )
    source_publish(source=source, user=author, summary="Add the paper")
    return source


def create_source_url(key: str = "") -> str:
    url = reverse("sources:source_create")
    return f"{url}?key={key}" if key else url


def source_form(
    client, path: str, /, *, summary: str = "Add a source", **fields
) -> dict:
    """The source form at ``url`` as a browser posts it, with ``fields`` typed in."""
    data = form_of(client, path)
    data["edit-summary"] = summary
    for name, value in fields.items():
        data[name] = value
    return data


NEW_SOURCE = {
    "key": "radford2018improving",
    "source_type": "paper",
    "authors": "Alec Radford, Karthik Narasimhan, Tim Salimans, Ilya Sutskever",
    "title": "Improving Language Understanding by Generative Pre-Training",
    "publisher": "OpenAI",
    "year": "2018",
    "month": "6",
    "url": "https://openai.com/research/language-unsupervised",
}
