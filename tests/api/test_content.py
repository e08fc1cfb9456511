"""What the read API shows of the seed, exactly, and of every kind of page."""

import pytest
from reversion.models import Version

from people.models import Organization, Person
from sources.models import Source, Work
from tests.api.conftest import get_json, walk
from tests.factories import UserFactory
from tests.toykind.models import Dataset
from wiki.models import Page
from wiki.services import latest_revision, page_publish

pytestmark = pytest.mark.django_db

T = "http://testserver"


def ref(page) -> dict:
    return {
        "id": page.pk,
        "kind": page.kind,
        "title": page.title,
        "web_url": T + page.get_absolute_url(),
        "api_url": f"{T}/api/pages/{page.pk}/",
    }


def test_alec_radford_has_his_fields_affiliation_works_and_themes(client, seeded):
    alec = Person.objects.get(slug="alec-radford")
    openai = Organization.objects.get(slug="openai")
    data = get_json(client, f"/api/pages/{alec.pk}/")

    assert data["kind"] == "person"
    assert data["title"] == "Alec Radford"
    assert data["short_description"] == "AI researcher"
    assert data["revision_id"] == latest_revision(alec).pk
    assert data["body"] == alec.body
    assert data["body_html"] == alec.body_html
    assert data["known_for_html"] == alec.fields_html["known_for"]
    assert data["reading_title"] == "Spiralist Reading"
    assert data["identifiers"] == []
    assert data["affiliations"] == {
        "count": 1,
        "results": [
            {
                "id": alec.affiliations.get().pk,
                "person": ref(alec),
                "organization": ref(openai),
                "role": "senior researcher",
                "start_year": None,
                "start_month": None,
                "end_year": None,
                "end_month": None,
                "note": "Reporting in December 2024 said he left OpenAI to pursue "
                "independent research.[@theinformation2024radford]",
            }
        ],
        "url": f"{T}/api/pages/{alec.pk}/affiliations/",
        "next": None,
    }
    works = [
        (row["position"], row["work"]["title"], row["work"]["year"])
        for row in data["works"]["results"]
    ]
    assert works == [
        (
            0,
            "Unsupervised Representation Learning with Deep Convolutional "
            "Generative Adversarial Networks",
            2015,
        ),
        (0, "Improving Language Understanding by Generative Pre-Training", 2018),
        (0, "Language Models are Unsupervised Multitask Learners", 2019),
        (
            0,
            "Learning Transferable Visual Models From Natural Language Supervision",
            2021,
        ),
        (3, "Proximal Policy Optimization Algorithms", 2017),
    ]
    assert data["works"]["count"] == 5
    assert [t["title"] for t in data["themes"]["results"]] == [
        t.title for t in alec.themes.order_by("pk")
    ]
    assert data["related"]["count"] == 13
    assert data["related"]["results"][0] == {"position": 0, "page": ref(openai)}
    assert [c["source"]["key"] for c in data["citations"]["results"]] == [
        "radford2015unsupervised",
        "radford2018improving",
        "radford2019language",
        "openai2019better",
        "openai2019gpt2release",
        "radford2021learning",
        "openai2021clip",
        "schulman2017proximal",
        "theinformation2024radford",
    ]
    links = {link["title"]: link["page"] for link in data["links"]["results"]}
    assert links["Luke Metz"] == ref(Person.objects.get(slug="luke-metz"))


def test_a_work_lists_its_authors_in_order(client, seeded):
    gpt = Work.objects.get(slug="gpt")
    data = get_json(client, f"/api/pages/{gpt.pk}/")
    assert data["kind"] == "work"
    assert data["work_type"] == gpt.work_type
    assert data["year"] == 2018
    assert [
        (a["position"], a["person"]["title"]) for a in data["authors"]["results"]
    ] == [
        (0, "Alec Radford"),
        (1, "Karthik Narasimhan"),
        (2, "Tim Salimans"),
        (3, "Ilya Sutskever"),
    ]
    walked = walk(client, data["authors"]["url"] + "?page_size=1")
    assert walked == data["authors"]["results"]


def test_a_source_has_its_identifiers_and_the_pages_citing_it(client, seeded):
    source = Source.objects.get(key="radford2015unsupervised")
    data = get_json(client, f"/api/sources/{source.pk}/")
    assert data["identifiers"] == [
        {
            "scheme": "arxiv",
            "name": "arXiv",
            "value": "1511.06434",
            "url": "https://arxiv.org/abs/1511.06434",
        }
    ]
    assert data["work"] == ref(Work.objects.get(slug="dcgan"))
    citing = walk(client, data["citations_url"])
    assert [row["page"]["title"] for row in citing] == [
        c.page.title for c in source.citations.order_by("pk")
    ]
    assert "Alec Radford" in [row["page"]["title"] for row in citing]
    keys = [row["key"] for row in walk(client, "/api/sources/?page_size=4")]
    assert keys == list(Source.objects.order_by("pk").values_list("key", flat=True))


def test_every_registered_kind_is_served_with_its_own_fields(client, db):
    author = UserFactory()
    dataset = Dataset(title="WebText", slug="webtext", licence="CC-BY")
    page_publish(page=dataset, user=author, summary="Create")
    data = get_json(client, f"/api/pages/{dataset.pk}/")
    assert data["kind"] == "dataset"
    assert data["licence"] == "CC-BY"
    assert [row["kind"] for row in walk(client, "/api/pages/?kind=dataset")] == [
        "dataset"
    ]


def test_a_revision_shows_what_it_changed_from_its_parent(client, db):
    author = UserFactory(username="writer")
    page = Dataset(title="WebText", slug="webtext", body="One line.\n")
    page_publish(page=page, user=author, summary="Create")
    page.body = "One line, longer.\n"
    page_publish(page=page, user=author, summary="Longer")
    revisions = walk(client, f"/api/pages/{page.pk}/revisions/")
    assert [(r["summary"], r["author"]) for r in revisions] == [
        ("Longer", "writer"),
        ("Create", "writer"),
    ]
    assert revisions[0]["parent_id"] == revisions[1]["id"]
    assert revisions[1]["parent_id"] is None
    data = get_json(client, revisions[0]["api_url"])
    body = next(c for c in data["changes"] if c["field"] == "body")
    assert body["old"] == "One line.\n"
    assert body["new"] == "One line, longer.\n"
    assert body["diff_html"] == "One line<ins>, longer</ins>.\n"
    first = get_json(client, revisions[1]["api_url"])
    assert {c["field"] for c in first["changes"]} >= {"title", "body", "slug"}


def test_recent_changes_list_pages_and_sources_newest_first(client, seeded):
    changes = walk(client, "/api/changes/?page_size=7")
    ids = [change["id"] for change in changes]
    assert ids == sorted(ids, reverse=True)
    assert (
        len(ids)
        == len(set(ids))
        == Version.objects.filter(content_type__model__in=["page", "source"])
        .values("revision_id")
        .distinct()
        .count()
    )
    sources = [c["source"]["key"] for c in changes if c["source"]]
    assert set(sources) == set(Source.objects.values_list("key", flat=True))
    pages = {c["page"]["id"] for c in changes if c["page"]}
    assert pages == set(Page.objects.values_list("pk", flat=True))
