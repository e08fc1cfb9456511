"""The relationship graph of a page (wiki/graph.py): the pages one and two
steps away, as graph.json for the drawing and as a list without JavaScript."""

import re

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from people.models import Person
from sources.seed import load_seed
from tests.factories import AuthorshipFactory, PersonFactory, UserFactory, WorkFactory
from tests.rows import count_rows
from tests.wiki.bounded_corpus import build_hub
from wiki import graph
from wiki.models import PageLink

pytestmark = pytest.mark.django_db

ALEC = "/people/alec-radford/"
# Everyone who shares a work with Alec Radford in seed/alec-radford.txt.
SEED_COAUTHORS = [
    "Filip Wolski",  # PPO
    "Ilya Sutskever",  # GPT, GPT-2, CLIP
    "John Schulman",  # PPO
    "Karthik Narasimhan",  # GPT
    "Luke Metz",  # DCGAN
    "Oleg Klimov",  # PPO
    "Prafulla Dhariwal",  # PPO
    "Soumith Chintala",  # DCGAN
    "Tim Salimans",  # GPT
]


@pytest.fixture
def seeded():
    load_seed()


def graph_json(client, path):
    response = client.get(path + "graph.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()


def edges_by_relation(data, relation):
    titles = {node["id"]: node["title"] for node in data["nodes"]}
    return {
        frozenset((titles[e["source"]], titles[e["target"]]))
        for e in data["edges"]
        if relation in e["relations"]
    }


def steps(data):
    return {node["title"]: node["step"] for node in data["nodes"]}


def test_alec_radfords_coauthors_are_linked_to_him_through_shared_works(
    client, seeded, django_assert_num_queries
):
    # Not one query per related page (13 were, for is_deleted).
    with django_assert_num_queries(QUERIES_PERSON):
        data = graph_json(client, ALEC)
    coauthors = sorted(
        title
        for pair in edges_by_relation(data, "Co-authors")
        if "Alec Radford" in pair
        for title in pair - {"Alec Radford"}
    )
    assert coauthors == SEED_COAUTHORS
    sharing_a_work = (
        Person.objects.filter(
            authorships__work__authorships__person__slug="alec-radford"
        )
        .exclude(slug="alec-radford")
        .distinct()
        .order_by("title")
    )
    assert coauthors == [person.title for person in sharing_a_work]


def test_coauthors_of_coauthors_are_linked_by_the_works_they_share(client, seeded):
    """Between pages one step away too: every pair of seed people sharing a
    work, and no other."""
    data = graph_json(client, ALEC)
    pairs = set()
    for person in Person.objects.all():
        for other in Person.objects.filter(
            authorships__work__authorships__person=person
        ).exclude(pk=person.pk):
            pairs.add(frozenset((person.title, other.title)))
    assert edges_by_relation(data, "Co-authors") == pairs
    assert frozenset(("Ilya Sutskever", "Tim Salimans")) in pairs


def test_the_seed_graph_names_its_works_organizations_and_themes(client, seeded):
    data = graph_json(client, ALEC)
    assert data["page"] == {
        "id": str(Person.objects.get(slug="alec-radford").pk),
        "title": "Alec Radford",
        "short_title": "Alec Radford",
        "kind": "person",
        "kind_label": "person",
        "url": ALEC,
        "step": 0,
    }
    one_step = steps(data)
    for title in ["OpenAI", "Generative pretraining", "Release governance"]:
        assert one_step[title] == 1, title
    assert (
        one_step[
            "Learning Transferable Visual Models From Natural Language Supervision"
        ]
        == 1
    )
    assert sorted(data) == [
        "edges",
        "kinds",
        "left_out",
        "left_out_at_least",
        "limits",
        "nodes",
        "page",
    ]
    assert data["left_out"] == {"one_step": 0, "two_steps": 0}
    assert data["left_out_at_least"] == {"one_step": False, "two_steps": False}
    assert data["limits"] == {
        "one_step": graph.STEP_ONE_NODES,
        "two_steps": graph.STEP_TWO_NODES,
    }
    # Every kind in the site's order, so each has one colour everywhere (the
    # test settings add a toy kind after these).
    assert [k["kind"] for k in data["kinds"]][:4] == [
        "theme",
        "person",
        "organization",
        "work",
    ]
    ids = {node["id"] for node in data["nodes"]}
    assert len(ids) == len(data["nodes"])
    for edge in data["edges"]:
        assert {edge["source"], edge["target"]} <= ids
        assert edge["source"] != edge["target"]
        assert edge["relations"]


def test_the_graph_reaches_two_steps_and_no_further(client):
    """Ada wrote with Ben, Ben with Cy, Cy with Dee: from Ada, Ben is one
    step away, Cy and their paper two, Dee three (not shown)."""
    ada, ben, cy, dee = (
        PersonFactory(title=name) for name in ("Ada", "Ben", "Cy", "Dee")
    )
    for title, authors in [("W1", [ada, ben]), ("W2", [ben, cy]), ("W3", [cy, dee])]:
        work = WorkFactory(title=title)
        for person in authors:
            AuthorshipFactory(work=work, person=person)
    data = graph_json(client, ada.get_absolute_url())
    assert steps(data) == {"Ada": 0, "Ben": 1, "W1": 1, "Cy": 2, "W2": 2}
    assert edges_by_relation(data, "Co-authors") == {
        frozenset(("Ada", "Ben")),
        frozenset(("Ben", "Cy")),
    }
    html = client.get(ada.get_absolute_url() + "network/").content.decode()
    two_steps = html[html.index('<h2 id="step-2">') :]
    cy_link = f'<a href="{cy.get_absolute_url()}">Cy</a>'
    assert f'{cy_link} <span class="note">through Ben</span>' in two_steps
    assert "Dee" not in html


def by_step(data):
    return [sum(1 for n in data["nodes"] if n["step"] == s) for s in (0, 1, 2)]


# A person's graph.json, however connected: the page and its three prefetches
# (related pages, themes, affiliations); from the page, then from the pages
# one step away, its co-authors and its other relations (a UNION ALL).
QUERIES_PERSON = 8


def test_a_very_connected_page_shows_a_bounded_graph_and_says_what_it_leaves_out(
    client, django_assert_num_queries, monkeypatch
):
    hub = build_hub(150)
    with count_rows() as rows, django_assert_num_queries(QUERIES_PERSON):
        data = graph_json(client, hub.person.get_absolute_url())
    # 40 of the hub's 300 neighbours, in turns: its lab and themes, then a
    # work and a co-author at a time; and 19 pages those touch that the hub
    # does not (members of its lab and themes, their papers).
    assert by_step(data) == [1, 40, 19]
    kinds = {node["kind"] for node in data["nodes"] if node["step"] == 1}
    assert kinds == {"person", "organization", "work", "theme"}
    # Connections, counted once per relation that has them, each count
    # stopping at COUNT_CAP (100): so "at least".
    assert graph.COUNT_CAP == 100
    # Co-authors are found through the hub's latest 50 works.
    assert data["left_out"] == {"one_step": 288, "two_steps": 282}
    assert data["left_out_at_least"] == {"one_step": True, "two_steps": True}
    monkeypatch.setattr(graph, "STEP_TWO_NODES", 10)
    data = graph_json(client, hub.person.get_absolute_url())
    assert by_step(data) == [1, 40, 10]
    assert data["left_out"]["two_steps"] > 282
    # 150 people and 150 works, each linked to the hub several ways: what is
    # read is bounded by the graph's caps, not by them.
    assert rows.total < 400


def test_past_a_hundred_connections_the_graph_says_at_least(client):
    hub = build_hub(99)
    html = client.get(hub.person.get_absolute_url() + "network/").content.decode()
    assert re.search(r'<p class="graph-left-out">\d+ more connections are', html)
    PageLink.objects.bulk_create(
        PageLink(source=page, target=hub.person, target_title=f"Hub {n}")
        for n, page in enumerate(hub.works[:2])
    )  # 101 pages link to the hub now
    data = graph_json(client, hub.person.get_absolute_url())
    assert data["left_out_at_least"]["one_step"] is True
    html = client.get(hub.person.get_absolute_url() + "network/").content.decode()
    assert re.search(r'<p class="graph-left-out">At least \d+ more connections', html)


def test_the_network_page_lists_the_graph_by_step_and_kind_without_javascript(
    client, seeded
):
    response = client.get(ALEC + "network/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Network" in html
    one_step = html[html.index('<h2 id="step-1">') : html.index('<h2 id="step-2">')]
    headings = re.findall(
        r'<h3 id="step-1-\w+">(\w+) <span class="count">\((\d+)\)', one_step
    )
    assert [name for name, _ in headings] == [
        "People",
        "Organizations",
        "Works",
        "Themes",
    ]
    assert dict(headings)["People"] == str(len(SEED_COAUTHORS))
    assert (
        '<a href="/people/tim-salimans/">Tim Salimans</a> '
        '<span class="note">co-author, linked from this page</span>'
    ) in one_step
    assert '<a href="/organizations/openai/">OpenAI</a>' in one_step
    # The drawing is there for scripts, hidden until drawn.
    assert 'data-graph-src="/people/alec-radford/graph.json"' in html
    assert re.search(r'<div class="graph-view"[^>]* hidden>', html)


def test_every_page_links_to_its_network_and_loads_the_drawing(client, seeded):
    for path in [
        ALEC,
        "/works/clip/",
        "/organizations/openai/",
        "/themes/release-governance/",
    ]:
        html = client.get(path).content.decode()
        assert f'href="{path}network/">Pages one and two steps from' in html, path
        assert f'data-graph-src="{path}graph.json"' in html, path
        assert re.search(r'<script src="/static/js/graph\.js" defer></script>', html)
        assert 'data-library="/static/vendor/cytoscape.min.js"' in html


def test_the_graph_of_a_missing_page_is_a_json_404(client, seeded):
    response = client.get("/people/nobody/graph.json")
    assert response.status_code == 404
    assert response.json() == {
        "error": "not_found",
        "detail": "No person at this address.",
    }
    assert client.get("/people/nobody/network/").status_code == 404


def test_the_graph_is_cached_until_the_site_changes(client, settings, seeded):
    settings.LINEAGE_FRAGMENT_CACHE = True
    caches["default"].clear()
    client.force_login(UserFactory())
    first = graph_json(client, ALEC)
    with CaptureQueriesContext(connection) as queries:
        assert graph_json(client, ALEC) == first
    graph_queries = [q["sql"] for q in queries if "sources_authorship" in q["sql"]]
    assert graph_queries == []
    caches["default"].clear()


def test_the_network_list_says_what_each_page_is_to_this_one(client, seeded):
    def notes(path):
        html = client.get(path + "network/").content.decode()
        one_step = html[html.index('<h2 id="step-1">') : html.index('<h2 id="step-2">')]
        return dict(
            re.findall(r'>([^<]+)</a> <span class="note">([^<]+)</span>', one_step)
        )

    openai = notes("/organizations/openai/")
    assert openai["Alec Radford"] == (
        "links to this page, lists this page as related, member"
    )
    clip = notes("/works/clip/")
    assert (
        clip["Alec Radford"] == "author, links to this page, lists this page as related"
    )
    assert clip["Zero-shot behavior"] == "theme"
    theme = notes("/themes/release-governance/")
    assert theme["Alec Radford"] == "has it as a core theme, links to this page"
    assert theme["Language Models are Unsupervised Multitask Learners"] == "about it"
    html = client.get("/organizations/openai/network/").content.decode()
    left_out = re.search(r'<p class="graph-left-out">([^<]+)</p>', html).group(1)
    assert left_out.endswith(
        "more connections are not shown here: the network follows up to 6 of each "
        "kind of connection from each page one step away, 40 pages in all. Each "
        "page's own network shows more of its connections."
    )


def test_the_contents_name_the_network_in_the_order_of_the_page(client, seeded):
    html = client.get(ALEC).content.decode()
    more = html[html.index('<ul class="toc-more">') :]
    more = more[: more.index("</ul>")]
    targets = re.findall(r'<a href="#([\w-]+)">([^<]+)</a>', more)
    assert ("graph-heading", "Network") in targets
    body = html[html.index("</nav>") :]  # after the contents
    places = [body.index(f'id="{target}"') for target, _ in targets]
    assert places == sorted(places), targets
