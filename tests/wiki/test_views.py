import pytest
from django.urls import reverse

from sources.seed import load_seed
from tests.factories import (
    AffiliationFactory,
    AuthorshipFactory,
    PersonFactory,
    RelatedPageFactory,
    SourceFactory,
    ThemeFactory,
    UserFactory,
    WorkFactory,
)
from wiki import registry
from wiki.services import page_publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    load_seed()


def test_the_seed_profile_shows_every_part(client, seeded):
    response = client.get("/people/alec-radford/")
    assert response.status_code == 200
    html = response.content.decode()
    for text in [
        ">Alec Radford</h1>",
        "AI researcher",
        "whose work connects several central arcs of modern generative AI",  # lede
        "Snapshot",
        "Known for",
        'OpenAI</a>, senior researcher<span class="note">Reporting in December '
        "2024 said he left OpenAI to pursue independent research."
        '<sup class="cite"><a href="#ref-theinformation2024radford">[9]</a></sup>'
        "</span>",
        "Core themes",
        "Release governance</a>",
        "less publicly visible than many AI executives",
        ">DCGAN and Representation Learning</h2>",
        ">GPT and Unsupervised Pretraining</h2>",
        ">GPT-2 and Release Governance</h2>",
        ">CLIP and Multimodal Learning</h2>",
        ">Research Style and Influence</h2>",
        "Spiralist Reading",
        "public environment",
        "Open questions",
        "credit low-profile technical contributors",
        "Related pages",
        'href="/people/ilya-sutskever/">Ilya Sutskever</a>',
        'href="/works/clip/">CLIP</a>',
        "References",
        "Senior OpenAI Researcher Radford Departs",
    ]:
        assert text in html, text
    assert html.count('<li id="ref-') == 9
    assert "wikilink-missing" not in html


@pytest.mark.parametrize(
    "url",
    [
        "/works/clip/",
        "/themes/release-governance/",
        "/organizations/openai/",
        "/people/luke-metz/",
        "/sources/radford2021learning/",
        "/",
    ],
)
def test_every_kind_of_page_answers(client, seeded, url):
    assert client.get(url).status_code == 200


def test_the_clip_paper_lists_its_authors_and_themes(client, seeded):
    html = client.get("/works/clip/").content.decode()
    assert 'href="/people/alec-radford/">Alec Radford</a>' in html
    assert "et al." in html
    assert "Multimodal embeddings</a>" in html
    assert (
        'href="/sources/radford2021learning/"><code>[@radford2021learning]</code>'
        in html
    )


def test_a_source_shows_the_pages_citing_it(client, seeded):
    html = client.get("/sources/theinformation2024radford/").content.decode()
    assert 'href="/people/alec-radford/">Alec Radford</a>' in html
    assert "[@theinformation2024radford]" in html


def test_unknown_slug_is_a_404_page_with_close_matches(client, seeded):
    response = client.get("/people/alec-radferd/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert 'href="/people/alec-radford/">Alec Radford</a>' in html
    assert 'name="title"' in html


def test_unknown_source_and_section_are_404s(client, seeded):
    assert client.get("/sources/nosuchkey/").status_code == 404
    assert client.get("/planets/mars/").status_code == 404


def test_pages_carry_a_strict_content_security_policy(client, seeded):
    policy = client.get("/people/alec-radford/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "object-src 'none'" in policy
    assert "unsafe-inline" not in policy


def test_the_policy_lets_images_come_only_from_the_site_and_the_allowed_hosts(
    client, seeded
):
    policy = client.get("/people/alec-radford/")["Content-Security-Policy"]
    assert "img-src 'self' https://upload.wikimedia.org;" in policy


def _rich_person(size):
    """A person with ``size`` of everything a profile shows."""
    person = PersonFactory.build(title="Prolific", slug="prolific")
    themes = [ThemeFactory() for _ in range(size)]
    sources = [SourceFactory() for _ in range(size)]

    def related():
        person.themes.set(themes)
        for n in range(size):
            work = WorkFactory(year=2000 + n)
            work.themes.add(themes[n])
            AuthorshipFactory(person=person, work=work, position=0)
            AuthorshipFactory(work=work, position=1)  # a co-author
            AffiliationFactory(person=person, position=n)
            RelatedPageFactory(page=person, target=work, position=n)
            neighbour = PersonFactory()
            neighbour.themes.add(themes[n])

    person.body = " ".join(
        f"Claim [@{s.key}] [[{t.title}]]." for s, t in zip(sources, themes, strict=True)
    )
    page_publish(
        page=person, user=UserFactory(), summary="create", save_related=related
    )
    linking = PersonFactory.build(title="Fan", slug="fan", body="[[Prolific]]")
    page_publish(page=linking, user=UserFactory(), summary="link")
    return person


@pytest.mark.parametrize("size", [1, 40])
def test_a_profile_costs_the_same_queries_whatever_its_size(
    client, django_assert_num_queries, size
):
    person = _rich_person(size)
    url = reverse("wiki:page_detail", kwargs={"section": "people", "slug": person.slug})
    # Each bounded list costs one query, two with its notes (wiki/registry.py).
    with django_assert_num_queries(13):
        response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('<li id="ref-') == size
    assert "Co-authors <span" in html and "What links here <span" in html
    # The career timeline is drawn from those rows: no query of its own.
    assert html.count('<li class="timeline-entry timeline-span">') == size
    assert html.count('<li class="timeline-entry timeline-point">') == min(
        size, registry.nav_list_size()
    )
