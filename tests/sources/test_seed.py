import pytest
from reversion.models import Revision, Version

from people.models import Affiliation, Organization, Person
from sources.models import Source, Work
from sources.seed import COMMENT, load_seed
from sources.services import source_publish
from tests.factories import UserFactory
from wiki.history import page_delete
from wiki.models import Page, Theme
from wiki.services import page_publish

pytestmark = pytest.mark.django_db

RELATED = [
    "OpenAI",
    "Transformer Architecture",
    "Foundation Models",
    "Training Data",
    "Generative Adversarial Networks",
    "CLIP",
    "Multimodal AI",
    "Open-Weight AI Models",
    "Content Provenance and Watermarking",
    "AI Copyright Litigation",
    "Ilya Sutskever",
    "John Schulman",
    "Individual Players",
]


@pytest.fixture
def seeded():
    return load_seed()


def test_the_seed_profile_is_complete(seeded):
    alec = Person.objects.get(slug="alec-radford")
    assert alec.short_description == "AI researcher"
    assert alec.summary.startswith(
        "Alec Radford is an AI researcher whose work connects"
    )
    assert (
        "[[DCGAN]]" in alec.known_for and "contributions to [[PPO]]" in alec.known_for
    )
    assert alec.why_they_matter.startswith("Radford is less publicly visible")
    sections = [
        "DCGAN and Representation Learning",
        "GPT and Unsupervised Pretraining",
        "GPT-2 and Release Governance",
        "CLIP and Multimodal Learning",
        "Research Style and Influence",
    ]
    for section in sections:
        assert f">{section}</h2>" in alec.body_html
    assert alec.reading_title == "Spiralist Reading"
    assert "architects of the general pretraining turn" in alec.reading_html
    assert alec.html["open_questions"].count("<li>") == 4
    assert sorted(alec.themes.values_list("title", flat=True)) == sorted(
        [
            "Representation learning",
            "Generative pretraining",
            "Transfer learning",
            "Scaling",
            "Multimodal embeddings",
            "Zero-shot behavior",
            "Release governance",
        ]
    )
    assert [
        link.target.title for link in alec.related_links.select_related("target")
    ] == [Page.objects.titled([t]).get().title for t in RELATED]
    assert alec.citations.count() == 9
    assert "wikilink-missing" not in alec.body_html
    assert "cite-unknown" not in alec.body_html


def test_the_affiliation_claims_no_dates_the_seed_does_not_give(seeded):
    affiliation = Affiliation.objects.get(person__slug="alec-radford")
    assert affiliation.organization == Organization.objects.get(slug="openai")
    assert (affiliation.start_year, affiliation.end_year) == (None, None)
    assert affiliation.period_display == ""
    assert affiliation.note == (
        "Reporting in December 2024 said he left OpenAI to pursue independent "
        "research.[@theinformation2024radford]"
    )


def test_works_have_their_authors_in_order(seeded):
    authors = {
        work.short_title: [
            a.person.title for a in work.authorships.select_related("person")
        ]
        for work in Work.objects.all()
    }
    assert authors == {
        "DCGAN": ["Alec Radford", "Luke Metz", "Soumith Chintala"],
        "GPT": ["Alec Radford", "Karthik Narasimhan", "Tim Salimans", "Ilya Sutskever"],
        "GPT-2": ["Alec Radford"],
        "CLIP": ["Alec Radford"],
        "PPO": [
            "John Schulman",
            "Filip Wolski",
            "Prafulla Dhariwal",
            "Alec Radford",
            "Oleg Klimov",
        ],
    }
    assert Work.objects.get(short_title="GPT-2").authors_incomplete
    assert Source.objects.get(key="radford2021learning").work.short_title == "CLIP"


def test_the_nine_sources_have_keys_and_dates(seeded):
    assert Source.objects.count() == 9
    assert (
        Source.objects.get(key="openai2019better").date_display == "February 14, 2019"
    )
    assert (
        Source.objects.get(key="theinformation2024radford").date_display
        == "December 2024"
    )


def test_every_object_has_one_first_revision_saying_imported_from_seed(seeded):
    objects = [*Page.objects.all(), *Source.objects.all()]
    assert len(objects) == 41
    for obj in objects:
        versions = Version.objects.get_for_object(
            obj.specific if isinstance(obj, Page) else obj
        )
        assert versions.count() == 1, obj
        assert versions.get().revision.comment == COMMENT


def test_loading_twice_changes_nothing(seeded):
    revisions = Revision.objects.count()
    pages = list(Page.objects.values_list("id", "updated_at", "body_html"))
    report = load_seed()
    assert report.created == []
    assert Revision.objects.count() == revisions
    assert list(Page.objects.values_list("id", "updated_at", "body_html")) == pages


def test_stubs_say_only_what_the_seed_says(seeded):
    metz = Person.objects.get(slug="luke-metz")
    assert metz.body == ""
    assert "DCGAN" in metz.summary
    assert Theme.objects.get(slug="ai-copyright-litigation").summary == ""


def test_loading_after_a_rename_finds_the_renamed_page(seeded, client):
    alec = Person.objects.get(slug="alec-radford")
    old_url = alec.get_absolute_url()
    alec.title, alec.slug = "Alec Radford (researcher)", "alec-radford-researcher"
    page_publish(page=alec, user=UserFactory(), summary="rename")
    revisions = Revision.objects.count()

    report = load_seed()

    assert report.created == []
    assert Revision.objects.count() == revisions
    assert not Page.objects.filter(slug="alec-radford").exists()
    response = client.get(old_url)
    assert (response.status_code, response["Location"]) == (
        301,
        alec.get_absolute_url(),
    )


def test_loading_after_a_delete_does_not_bring_the_page_back(seeded):
    scaling = Theme.objects.get(title="Scaling")
    page_delete(page=scaling, user=UserFactory(), reason="Not a theme")
    themes = Theme.objects.count()

    assert load_seed().created == []
    assert Theme.objects.count() == themes
    assert Theme.objects.get(title="Scaling").is_deleted


def test_loading_after_a_source_edit_leaves_the_source_as_edited(seeded):
    source = Source.objects.exclude(work=None).first()
    work = source.work
    source.title, source.work = "An edited title", None
    source_publish(source=source, user=UserFactory(), summary="edit")
    revisions = Revision.objects.count()

    assert load_seed().created == []
    source = Source.objects.get(pk=source.pk)
    assert (source.title, source.work) == ("An edited title", None)
    assert Revision.objects.count() == revisions
    assert Work.objects.filter(pk=work.pk).exists()
