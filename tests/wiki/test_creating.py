"""Creating pages: the links that lead to the create form name the kind."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_missing_title_offers_to_create_it_as_each_kind_with_link_text(client):
    response = client.get("/go/?title=Jane Doe")

    assert response.status_code == 404
    paragraph = re.search(
        r'<p class="create-links">(.*?)</p>', response.content.decode(), re.S
    ).group(1)
    links = re.findall(r'<a href="([^"]+)" rel="nofollow">([^<]+)</a>', paragraph)
    assert links == [
        ("/themes/new/?title=Jane%20Doe", "theme"),
        ("/people/new/?title=Jane%20Doe", "person"),
        ("/organizations/new/?title=Jane%20Doe", "organization"),
        ("/works/new/?title=Jane%20Doe", "work"),
        ("/datasets/new/?title=Jane%20Doe", "dataset"),  # tests/toykind's kind
    ]
    text = re.sub(r"<[^>]+>", "", paragraph)
    assert text == (
        "Create it as a theme, a person, an organization, a work or a dataset "
        "(after logging in)."
    )


@pytest.mark.parametrize(
    ("index", "create"),
    [
        ("/people/", "/people/new/"),
        ("/organizations/", "/organizations/new/"),
        ("/works/", "/works/new/"),
        ("/themes/", "/themes/new/"),
    ],
)
def test_every_index_has_a_create_a_page_entry_for_its_kind(client, index, create):
    content = client.get(index).content.decode()

    assert f'<a class="button" href="{create}">Create a page</a>' in content


def test_the_sources_index_has_a_create_a_source_entry(client):
    content = client.get(reverse("sources:source_index")).content.decode()

    assert '<a class="button" href="/sources/new/">Create a source</a>' in content


@pytest.mark.parametrize(
    ("url", "heading"),
    [
        ("/people/new/?title=Jane%20Doe", "Create a person: Jane Doe"),
        ("/organizations/new/?title=Acme%20Lab", "Create an organization: Acme Lab"),
        ("/works/new/", "Create a work"),
    ],
)
def test_the_create_form_heading_names_the_kind_and_the_title(
    client, contributor, url, heading
):
    client.force_login(contributor)

    content = client.get(url).content.decode()

    assert f"<h1>{heading}</h1>" in content
    assert f"<title>{heading} · Lineage</title>" in content
