"""Search: ranking, snippets, near misses, the write path keeping the index
current, filters, bad input and the suggestions endpoint.  Every test runs on
both backends (the PostgreSQL pass and the SQLite pass of ``make test``)."""

import json
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from people.models import Affiliation
from tests.factories import (
    OrganizationFactory,
    PersonFactory,
    ThemeFactory,
    UserFactory,
    WorkFactory,
)
from tests.wiki.history_helpers import make_moderator, publish
from tests.wiki.moderation_helpers import submit
from wiki import history, search
from wiki.models import Page, SearchEntry
from wiki.services import page_publish, page_purge

pytestmark = pytest.mark.django_db

SEARCH = reverse("wiki:search")
SUGGEST = reverse("wiki:search_suggest")


@pytest.fixture
def writer():
    return UserFactory(username="writer")


def new(factory, writer, **fields):
    page = factory.build(**fields)
    page_publish(page=page, user=writer, summary="Create")
    return type(page).objects.get(pk=page.pk)


def titles(response) -> list[str]:
    html = response.content.decode()
    block = html.split('<ol class="search-results"', 1)
    if len(block) == 1:
        return []
    return re.findall(r'class="search-title" href="[^"]*">([^<]*)</a>', block[1])


def found(query: str, **params) -> list[str]:
    return [hit.title for hit in search.search(query, **params).hits]


# Ranking -------------------------------------------------------------------


def test_a_title_match_ranks_above_pages_that_only_mention_it(client, writer):
    new(
        PersonFactory,
        writer,
        title="Mentioner",
        body="Pretraining here, pretraining there; pretraining all the way. " * 5,
    )
    new(ThemeFactory, writer, title="Pretraining", body="A way to learn.")
    new(PersonFactory, writer, title="Lede writer", summary="Known for pretraining.")
    response = client.get(SEARCH, {"q": "pretraining", "fulltext": "1"})
    assert response.status_code == 200
    assert titles(response) == ["Pretraining", "Lede writer", "Mentioner"]


def test_a_phrase_ranks_above_the_same_words_scattered(writer):
    new(
        PersonFactory,
        writer,
        title="Scattered",
        body="Generative models are one topic. Much later, a word on adversarial "
        "ideas and on other networks entirely.",
    )
    new(
        PersonFactory,
        writer,
        title="Together",
        body="She worked on generative adversarial networks for years.",
    )
    assert found("generative adversarial networks") == ["Together", "Scattered"]
    # In quotes, only the phrase.
    assert found('"generative adversarial networks"') == ["Together"]


def test_exclusions_and_or_work_as_on_the_web(writer):
    new(PersonFactory, writer, title="Both", body="Transformers and convolutions.")
    new(PersonFactory, writer, title="Only transformers", body="Transformers only.")
    new(PersonFactory, writer, title="Only convolutions", body="Convolutions only.")
    assert found("transformers -convolutions") == ["Only transformers"]
    assert sorted(found("transformers or convolutions")) == [
        "Both",
        "Only convolutions",
        "Only transformers",
    ]


def test_words_are_found_by_their_stem(writer):
    new(PersonFactory, writer, title="Trainer", body="She trained the models.")
    assert found("training") == ["Trainer"]


# Snippets ------------------------------------------------------------------


def test_snippets_highlight_the_match_and_escape_the_text(client, writer):
    new(
        PersonFactory,
        writer,
        title="Escaper",
        body="Writes `<script>alert(1)</script>` next to diffusion & if a<b too.",
    )
    response = client.get(SEARCH, {"q": "diffusion"})
    html = response.content.decode()
    snippet = html.split('class="search-snippet">', 1)[1].split("</p>", 1)[0]
    assert "<mark>diffusion</mark>" in snippet
    assert "&amp; if a&lt;b too" in snippet
    # The code's markup is text: escaped (SQLite) or left out as a tag
    # (PostgreSQL's headline parser), never markup.
    assert "<script" not in html.split("<main", 1)[1].split("</main>", 1)[0]


def test_a_writer_cannot_forge_a_highlight(writer):
    new(PersonFactory, writer, title="Forger", body="\ue000fake\ue001 and real text")
    [hit] = search.search("real").hits
    assert str(hit.snippet).count("<mark>") == 1
    assert "<mark>real</mark>" in str(hit.snippet)


# Near misses -----------------------------------------------------------------


def test_a_typo_is_answered_with_did_you_mean(client, writer):
    new(PersonFactory, writer, title="Alec Radford", body="A researcher.")
    new(PersonFactory, writer, title="Ilya Sutskever", body="Another one.")
    response = client.get(SEARCH, {"q": "alec radfrod"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "No page or source matches “alec radfrod”." in html
    assert re.search(
        r"Did you mean <a href=\"\?q=Alec\+Radford\">Alec Radford</a>", html
    )
    results = search.search("radfrod")
    assert results.suggestion == "Alec Radford"
    assert [h.title for h in results.close_titles] == ["Alec Radford"]


# The write path keeps the index current --------------------------------------


def test_a_published_page_is_found_at_once_and_an_edit_replaces_its_words(writer):
    person = new(PersonFactory, writer, title="Grace Hopper", body="Compilers.")
    assert found("compilers") == ["Grace Hopper"]
    publish(person, writer, body="Debugging.")
    assert found("compilers") == []
    assert found("debugging") == ["Grace Hopper"]


def test_a_renamed_page_is_found_by_its_old_title(client, writer):
    person = new(PersonFactory, writer, title="Ada Byron", slug="ada-byron")
    publish(person, writer, title="Ada Lovelace")
    assert found("byron") == ["Ada Lovelace"]
    entry = SearchEntry.objects.get(page=person)
    assert entry.other_titles.split("\n") == ["", "Ada Byron"]
    # The old title, typed in full, goes to the page.
    response = client.get(SEARCH, {"q": "Ada Byron"})
    assert response.status_code == 302
    assert response["Location"] == "/people/ada-byron/"
    # A second rename keeps both old titles.
    publish(person, writer, title="Augusta Ada King")
    entry.refresh_from_db()
    assert entry.other_titles.split("\n") == ["", "Ada Byron", "Ada Lovelace"]


def test_deleting_recovering_and_reverting_a_page_keep_search_in_step(writer):
    moderator = make_moderator()
    person = new(PersonFactory, writer, title="Kept", body="Original words.")
    first = publish(person, writer, summary="Same")
    publish(person, writer, body="Vandalised words.")
    assert found("vandalised") == ["Kept"]
    history.page_revert(page=person, revision=first, user=moderator)
    assert found("original") == ["Kept"]
    assert found("vandalised") == []
    history.page_delete(page=person, user=moderator, reason="Test")
    assert found("original") == []
    assert not SearchEntry.objects.filter(object_id=person.pk).exists()
    history.page_recover(page=person, user=moderator)
    assert found("original") == ["Kept"]
    history.page_delete(page=person, user=moderator, reason="Again")
    page_purge(page=Page.objects.get(pk=person.pk), user=moderator, reason="Gone")
    assert SearchEntry.objects.count() == 0


def test_a_source_is_found_by_its_key_title_and_authors(client, writer):
    from sources.models import Source
    from sources.services import source_publish

    source = Source(
        key="vaswani2017attention",
        title="Attention Is All You Need",
        authors="Ashish Vaswani et al.",
        year=2017,
    )
    source_publish(source=source, user=writer, summary="Create")
    assert found("attention") == ["Attention Is All You Need"]
    assert found("vaswani") == ["Attention Is All You Need"]
    assert found("vaswani2017attention") == ["Attention Is All You Need"]
    source.title = "Attention is all you need (revised)"
    source_publish(source=source, user=writer, summary="Retitle")
    assert found("revised") == ["Attention is all you need (revised)"]
    [suggestion] = search.suggest("vaswani2017")
    assert suggestion.as_json()["kind"] == "source"


def test_rebuild_search_writes_every_entry_again_with_its_progress(writer):
    new(PersonFactory, writer, title="Rebuilt", body="Archived words.")
    new(ThemeFactory, writer, title="Theme rebuilt")
    SearchEntry.objects.all().delete()
    assert found("archived") == []
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command("rebuild_search", stdout=out, stderr=err)
    assert found("archived") == ["Rebuilt"]
    assert "Indexed 2 entries for search." in out.getvalue()
    assert "People: 1/1" in err.getvalue()


# Filters -----------------------------------------------------------------------


def test_results_narrow_to_kinds_and_to_pages_within_a_theme_or_organization(
    client, writer
):
    theme = new(ThemeFactory, writer, title="Robotics")
    lab = new(OrganizationFactory, writer, title="Lab Nine", slug="lab-nine")
    inside = PersonFactory.build(title="Inside", body="Grasping research.")

    def rows():
        inside.themes.set([theme])
        Affiliation.objects.create(person=inside, organization=lab, role="Lead")

    page_publish(page=inside, user=writer, summary="Create", save_related=rows)
    new(PersonFactory, writer, title="Outside", body="Grasping research.")
    new(WorkFactory, writer, title="Grasping paper", body="On grasping research.")
    assert sorted(found("grasping")) == ["Grasping paper", "Inside", "Outside"]
    response = client.get(SEARCH, {"q": "grasping", "kind": "person"})
    assert sorted(titles(response)) == ["Inside", "Outside"]
    response = client.get(SEARCH, {"q": "grasping", "within": "Robotics"})
    assert titles(response) == ["Inside"]
    response = client.get(SEARCH, {"q": "grasping", "within": "lab nine"})
    assert titles(response) == ["Inside"]
    response = client.get(SEARCH, {"q": "grasping", "within": "Nowhere"})
    assert "No theme or organization is called “Nowhere”" in response.content.decode()
    assert titles(response) == []


def test_an_exact_title_goes_to_the_page_unless_asked_for_pages_containing_it(
    client, writer
):
    new(WorkFactory, writer, title="CLIP model", short_title="CLIP", slug="clip")
    assert client.get(SEARCH, {"q": "clip model"})["Location"] == "/works/clip/"
    assert client.get(SEARCH, {"q": "CLIP"})["Location"] == "/works/clip/"
    response = client.get(SEARCH, {"q": "CLIP", "fulltext": "1"})
    assert response.status_code == 200
    assert titles(response) == ["CLIP model"]


def test_results_are_paged_and_pages_past_the_end_are_not_found(client, writer):
    for n in range(search.PER_PAGE + 3):
        page_publish(
            page=PersonFactory.build(title=f"Pager {n:02}", body="Paging words."),
            user=writer,
            summary="Create",
        )
    first = client.get(SEARCH, {"q": "paging"})
    assert len(titles(first)) == search.PER_PAGE
    assert "23 results; 1–20 shown." in first.content.decode()
    second = client.get(SEARCH, {"q": "paging", "page": "2"})
    assert len(titles(second)) == 3
    assert '<ol class="search-results" start="21">' in second.content.decode()
    assert set(titles(first)).isdisjoint(titles(second))
    assert client.get(SEARCH, {"q": "paging", "page": "3"}).status_code == 404
    assert client.get(SEARCH, {"q": "paging", "page": "0"}).status_code == 404
    assert client.get(SEARCH, {"q": "paging", "page": "x"}).status_code == 404
    assert client.get(SEARCH, {"q": "paging", "page": "99999"}).status_code == 404


# Bad input -------------------------------------------------------------------


def test_an_empty_query_offers_what_to_browse(client):
    response = client.get(SEARCH, {"q": "   "})
    html = response.content.decode()
    assert response.status_code == 200
    assert '<a href="/people/">People</a>' in html
    assert '<ol class="search-results"' not in html


@pytest.mark.parametrize(
    "query",
    [
        '"unclosed quote',
        "a & b | !c <-> (d:*",
        "'; DROP TABLE wiki_page; --",
        "OR OR - - \"\" ''",
        "NEAR(a b) AND title:x {body}: *",
        "🚀 rocket",
        "\u202eטקסט עברי\u202c",
        "-",
        "%_\\",
    ],
)
def test_no_query_raises(client, writer, query):
    new(PersonFactory, writer, title="Rocket", body="Rocket science 🚀 and טקסט.")
    response = client.get(SEARCH, {"q": query, "fulltext": "1"})
    assert response.status_code == 200
    assert client.get(SUGGEST, {"q": query}).status_code == 200


def test_a_nul_byte_is_refused_as_everywhere_on_the_site(client):
    for url in (SEARCH, SUGGEST):
        response = client.get(url, {"q": "nul\x00byte"})
        assert response.status_code == 400
        assert "contains a NUL character (%00)" in response.content.decode()
    assert search.search("nul\x00byte").hits == []  # called directly: dropped


def test_a_long_query_is_cut_to_the_stated_limit(client, writer):
    new(PersonFactory, writer, title="Longword", body="Longword text.")
    query = "longword " + "x" * 5000
    response = client.get(SEARCH, {"q": query, "fulltext": "1"})
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        f"Searched for the first {search.MAX_QUERY} characters of your query." in html
    )
    assert f'value="{query[: search.MAX_QUERY].strip()}"' in html


def test_an_unknown_kind_is_a_bad_request(client):
    response = client.get(SEARCH, {"q": "x", "kind": "planet"})
    assert response.status_code == 400
    assert "There is no kind “planet”." in response.content.decode()


# Moderators ----------------------------------------------------------------------


def test_moderators_may_include_pending_proposals_and_others_may_not(client, writer):
    person = new(PersonFactory, writer, title="Proposed page", body="Words.")
    submit(person, UserFactory(username="proposer"), title="Quantum proposals")
    moderator = make_moderator()
    client.force_login(moderator)
    response = client.get(SEARCH, {"q": "quantum", "proposals": "1"})
    html = response.content.decode()
    assert "Pending proposals" in html
    assert re.search(r'<a href="/review/\d+/">Quantum proposals</a>', html)
    client.force_login(writer)
    response = client.get(SEARCH, {"q": "quantum", "proposals": "1"})
    assert "Quantum proposals" not in response.content.decode()
    assert "Pending proposals too" not in response.content.decode()


# Suggestions endpoint --------------------------------------------------------


def test_suggestions_find_a_title_by_the_start_of_any_of_its_words(client, writer):
    new(
        PersonFactory,
        writer,
        title="Alec Radford",
        summary="An AI researcher known for GPT.",
    )
    new(ThemeFactory, writer, title="Radiology")
    response = client.get(SUGGEST, {"q": "radf"})
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data == {
        "query": "radf",
        "results": [
            {
                "title": "Alec Radford",
                "kind": "person",
                "kind_label": "person",
                "url": "/people/alec-radford/",
                "lede": "An AI researcher known for GPT.",
                "also": [],
                "link": "Alec Radford",
            }
        ],
        "search_url": "/search/?q=radf",
    }
    rad = json.loads(client.get(SUGGEST, {"q": "rad"}).content)
    # A title starting with the query before one with a word starting with it.
    assert [r["title"] for r in rad["results"]] == ["Radiology", "Alec Radford"]
    only = json.loads(client.get(SUGGEST, {"q": "rad", "kind": "theme"}).content)
    assert [r["title"] for r in only["results"]] == ["Radiology"]


def test_a_suggestions_link_names_its_kind_when_another_page_has_its_title(
    client, writer
):
    from sources.models import Source
    from sources.services import source_publish

    new(WorkFactory, writer, title="Transformer", slug="transformer")
    new(ThemeFactory, writer, title="Transformer", slug="transformer")
    new(ThemeFactory, writer, title="Transformers in vision")
    source_publish(
        source=Source(key="transformer2017", title="Transformer paper", year=2017),
        user=writer,
        summary="Create",
    )
    data = json.loads(client.get(SUGGEST, {"q": "transformer", "pages": "1"}).content)
    assert sorted(r["link"] for r in data["results"]) == [
        "Transformer (theme)",
        "Transformer (work)",
        "Transformers in vision",
    ]
    data = json.loads(client.get(SUGGEST, {"q": "transf", "kind": "source"}).content)
    assert [r["link"] for r in data["results"]] == ["transformer2017"]


def test_suggestions_are_bounded_and_refuse_bad_parameters(client, writer):
    for n in range(15):
        new(ThemeFactory, writer, title=f"Topic {n:02}")
    data = json.loads(client.get(SUGGEST, {"q": "topic"}).content)
    assert len(data["results"]) == search.SUGGESTIONS
    data = json.loads(client.get(SUGGEST, {"q": "topic", "limit": "10"}).content)
    assert len(data["results"]) == 10
    assert client.get(SUGGEST, {"q": "topic", "limit": "11"}).status_code == 400
    assert client.get(SUGGEST, {"q": "topic", "limit": "x"}).status_code == 400
    response = client.get(SUGGEST, {"q": "topic", "kind": "planet"})
    assert response.status_code == 400
    assert json.loads(response.content) == {"error": "Unknown kind: planet."}
    assert json.loads(client.get(SUGGEST, {"q": ""}).content)["results"] == []


def test_the_edit_forms_page_fields_suggest_from_the_search_index(client, writer):
    new(OrganizationFactory, writer, title="OpenAI", slug="openai")
    client.force_login(writer)
    url = reverse("moderation:autocomplete", kwargs={"lookup": "pages"})
    data = json.loads(client.get(url, {"q": "open", "kind": "organization"}).content)
    assert [r["value"] for r in data["results"]] == ["OpenAI"]


# Cost --------------------------------------------------------------------------


def test_a_search_costs_a_fixed_number_of_queries(
    client, writer, django_assert_max_num_queries
):
    for n in range(30):
        page_publish(
            page=PersonFactory.build(title=f"Counted {n}", body="Counted words."),
            user=writer,
            summary="Create",
        )
    client.get(SEARCH, {"q": "counted", "fulltext": "1"})  # sessions, settings
    with django_assert_max_num_queries(6):
        response = client.get(SEARCH, {"q": "counted", "fulltext": "1"})
    assert len(titles(response)) == search.PER_PAGE
    with django_assert_max_num_queries(3):
        client.get(SUGGEST, {"q": "count"})


# Recent changes by text ------------------------------------------------------


def changed_titles(response) -> list[str]:
    return re.findall(r'class="change-page"[^>]*>([^<]*)<', response.content.decode())


def test_recent_changes_filter_by_title_or_summary_but_not_a_hidden_summary(
    client, writer
):
    from sources.models import Source
    from sources.services import source_publish
    from wiki.revision_visibility import revisions_set_visibility

    moderator = make_moderator()
    quantum = new(PersonFactory, writer, title="Quantum Person", body="One.")
    other = new(PersonFactory, writer, title="Other Person", body="One.")
    publish(other, writer, summary="Fix a quantum typo", body="Two.")
    hidden = new(PersonFactory, writer, title="Hidden Person", body="One.")
    secret = publish(hidden, writer, summary="Quantum secret", body="Two.")
    publish(hidden, writer, summary="Later", body="Three.")
    revisions_set_visibility(
        page=hidden,
        revision_ids=[secret.pk],
        changes={"summary": True},
        reason="Private",
        by=moderator,
    )
    source_publish(
        source=Source(key="q2020", title="Quantum Source", year=2020),
        user=writer,
        summary="Create",
    )
    url = reverse("wiki:recent_changes")
    response = client.get(url, {"q": "quantum"})
    assert response.status_code == 200
    assert changed_titles(response) == [
        "q2020: Quantum Source",
        "Other Person",
        "Quantum Person",
    ]
    client.force_login(moderator)
    response = client.get(url, {"q": "QUANTUM"})
    assert changed_titles(response) == [
        "q2020: Quantum Source",
        "Hidden Person",
        "Other Person",
        "Quantum Person",
    ]
    assert quantum.title in changed_titles(client.get(url, {"q": "person quantum"}))


# Without FTS5 --------------------------------------------------------------------


def test_the_simple_ranking_finds_and_orders_by_the_field_matched(
    client, writer, settings
):
    """What SQLite without FTS5 gets (``LINEAGE_SEARCH_BACKEND = "simple"``
    forces it on any database): every word, title matches first."""
    settings.LINEAGE_SEARCH_BACKEND = "simple"
    new(PersonFactory, writer, title="Body mention", body="Notes on pretraining.")
    new(ThemeFactory, writer, title="Pretraining", body="A way to learn.")
    new(PersonFactory, writer, title="Lede mention", summary="Known for pretraining.")
    new(PersonFactory, writer, title="Excluded", body="Pretraining and fraud.")
    assert search.backend() == "simple"
    response = client.get(SEARCH, {"q": "pretraining -fraud", "fulltext": "1"})
    assert titles(response) == ["Pretraining", "Lede mention", "Body mention"]
    snippet = response.content.decode().split('class="search-snippet">')[3]
    assert "Notes on <mark>pretraining</mark>." in snippet
    assert [s.title for s in search.suggest("pretr")] == ["Pretraining"]
    assert search.search("pretrainig").suggestion == "Pretraining"


def test_a_work_is_found_by_its_authors_names(writer):
    from sources.models import Authorship

    author = new(PersonFactory, writer, title="Grace Hopper", body="A pioneer.")
    other = new(PersonFactory, writer, title="Howard Aiken", body="An engineer.")
    work = WorkFactory.build(title="A Compiler Paper", slug="a-compiler-paper")

    def authors():
        Authorship.objects.create(work=work, person=author, position=0)
        Authorship.objects.create(work=work, person=other, position=1)

    page_publish(page=work, user=writer, summary="Create", save_related=authors)
    assert found("hopper") == ["Grace Hopper", "A Compiler Paper"]
    entry = SearchEntry.objects.get(page=work)
    assert entry.lede == "By Grace Hopper and Howard Aiken."
