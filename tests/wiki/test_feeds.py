"""Atom feeds never fail on what is stored: characters XML cannot carry are
left out of them."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from tests.factories import PersonFactory, UserFactory
from tests.wiki.history_helpers import publish
from wiki.services import page_publish

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def _feed(client, address) -> ET.Element:
    response = client.get(address)
    assert response.status_code == 200
    return ET.fromstring(response.content)


def test_control_characters_stored_in_titles_and_summaries_stay_out_of_feeds(
    client,
):
    # Stored before input was cleaned (or by a service that does not clean).
    author = UserFactory(username="ctrl")
    person = PersonFactory.build(title="Ada\x01 Lovelace\x1b", slug="ada")
    page_publish(page=person, user=author, summary="Create\x02 the\x0c page")
    publish(person, author, summary="Fix\x08 a typo\ufffe")

    history = reverse(
        "wiki:page_history_feed", kwargs={"section": "people", "slug": "ada"}
    )
    for address in (reverse("wiki:recent_changes_feed"), history):
        root = _feed(client, address)
        titles = [
            entry.find(f"{ATOM}title").text for entry in root.iter(f"{ATOM}entry")
        ]
        assert titles == ["Ada Lovelace: Fix a typo", "Ada Lovelace: Create the page"]
        summaries = [
            entry.find(f"{ATOM}summary").text for entry in root.iter(f"{ATOM}entry")
        ]
        assert "<p>Fix a typo</p>" in summaries[0]
    assert _feed(client, history).find(f"{ATOM}title").text == (
        "Lineage: history of Ada Lovelace"
    )
