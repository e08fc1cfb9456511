"""Link previews: /preview/<section>/<slug>/ answers what a link's card shows
(wiki/previews.py), for the price of one page read, never older than the
last publish."""

import pytest
from django.core.cache import caches

from people.models import Person
from sources.seed import load_seed
from tests.factories import UserFactory
from tests.wiki.history_helpers import make_moderator, published_ada
from wiki import cache, history
from wiki.previews import LEDE_CHARACTERS
from wiki.services import page_publish

pytestmark = pytest.mark.django_db

ADA = "/preview/people/ada-lovelace/"


@pytest.fixture(autouse=True)
def caches_on(settings):
    """The page cache (anonymous readers) and fragments (members) on, empty."""
    settings.LINEAGE_PAGE_CACHE = True
    settings.LINEAGE_FRAGMENT_CACHE = True
    caches["default"].clear()
    cache.recent.clear()
    yield
    caches["default"].clear()
    cache.recent.clear()


@pytest.fixture
def moderator():
    return make_moderator()


@pytest.fixture
def ada(moderator):
    return published_ada(moderator, portrait_url="/static/ada.jpg")


def new_lede(person, moderator, lede: str) -> None:
    page = Person.objects.get(pk=person.pk)
    page.summary = lede
    page_publish(page=page, user=moderator, summary="New lede")


def test_a_person_preview_has_title_kind_description_lede_and_no_image(client):
    load_seed()
    response = client.get("/preview/people/alec-radford/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "title": "Alec Radford",
        "kind": "person",
        "url": "/people/alec-radford/",
        "description": "AI researcher",
        "lede": "Alec Radford is an AI researcher whose work connects several "
        "central arcs of modern generative AI: deep convolutional GANs, GPT-style "
        "generative pretraining, GPT-2, PPO, CLIP, and the broader move from "
        "task-specific models toward general systems trained on large unlabeled "
        "or weakly labeled corpora.",
        "image": None,
    }


def test_a_person_with_a_portrait_has_it_as_the_image(client, ada):
    assert client.get(ADA).json()["image"] == {
        "src": "/static/ada.jpg",
        "alt": "Portrait of Ada Lovelace",
    }


def test_a_work_preview_names_its_type_venue_and_date(client):
    load_seed()
    data = client.get("/preview/works/gpt-2/").json()
    assert (data["title"], data["kind"], data["url"]) == (
        "Language Models are Unsupervised Multitask Learners",
        "work",
        "/works/gpt-2/",
    )
    assert data["description"] == "Paper · OpenAI · 2019"
    assert data["lede"].startswith("The 2019 GPT-2 paper: a larger language model")


def test_a_long_lede_is_cut_at_a_word(client, ada, moderator):
    new_lede(ada, moderator, "word " * 200)
    lede = client.get(ADA).json()["lede"]
    assert lede.endswith("word…")
    assert len(lede) <= LEDE_CHARACTERS + 1


def test_a_missing_page_has_no_preview(client):
    response = client.get("/preview/people/nobody/")
    assert response.status_code == 404
    assert response.json() == {"error": "No such page."}


def test_a_deleted_page_has_no_preview(client, ada, moderator):
    assert client.get(ADA).status_code == 200
    history.page_delete(page=ada, user=moderator, reason="Duplicate")
    assert client.get(ADA).status_code == 404


def test_a_section_no_kind_has_is_not_found(client):
    assert client.get("/preview/nowhere/ada-lovelace/").status_code == 404


def test_an_anonymous_preview_reads_one_row_then_comes_from_the_cache(
    client, ada, django_assert_num_queries
):
    # The generation and the page; then the generation alone.
    with django_assert_num_queries(2):
        first = client.get(ADA)
    with django_assert_num_queries(1):
        second = client.get(ADA)
    assert second["X-Cache"] == "hit"
    assert second.content == first.content


def test_a_members_preview_comes_from_the_fragment_cache(
    client, ada, django_assert_num_queries
):
    client.force_login(UserFactory(username="reader"))
    # The generation and the page, then the generation alone: the session
    # and the user are never read (nothing in a preview is the reader's own).
    with django_assert_num_queries(2):
        first = client.get(ADA)
    with django_assert_num_queries(1):
        second = client.get(ADA)
    assert second.content == first.content


@pytest.mark.parametrize("member", [False, True])
def test_a_publish_shows_in_the_next_preview(client, ada, moderator, member):
    if member:
        client.force_login(UserFactory(username="reader"))
    client.get(ADA)
    assert client.get(ADA).json()["lede"] == "Wrote the first program."
    new_lede(ada, moderator, "Wrote notes on the Analytical Engine.")
    assert client.get(ADA).json()["lede"] == "Wrote notes on the Analytical Engine."
