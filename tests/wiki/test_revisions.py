"""One edit of a page and everything it owns is one revision, and reverts whole."""

import pytest
from reversion.models import Revision, Version

from people.models import Affiliation, Person
from sources.models import Citation
from tests.factories import (
    AffiliationFactory,
    CitationFactory,
    OrganizationFactory,
    PersonFactory,
    RelatedPageFactory,
    SourceFactory,
    UserFactory,
)
from wiki.models import RelatedPage, RevisionMeta
from wiki.services import page_publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def published_person():
    user = UserFactory(username="first-editor")
    person = PersonFactory.build(title="Ada", slug="ada", body="Original text.")
    openai = OrganizationFactory(title="OpenAI", slug="openai")
    old_source = SourceFactory(key="old2019")

    def related():
        AffiliationFactory(person=person, organization=openai, role="researcher")
        CitationFactory(page=person, source=old_source)
        RelatedPageFactory(page=person)

    page_publish(page=person, user=user, summary="Create", save_related=related)
    return person


def test_an_edit_with_text_citation_and_affiliation_is_one_revision(published_person):
    person = Person.objects.get(pk=published_person.pk)
    editor = UserFactory(username="editor")
    new_source = SourceFactory(key="new2024")
    before = Revision.objects.count()

    person.body = "Changed text."

    def related():
        CitationFactory(page=person, source=new_source, position=1)
        affiliation = person.affiliations.get()
        affiliation.role = "senior researcher"
        affiliation.end_year = 2024
        affiliation.save()

    revision = page_publish(
        page=person, user=editor, summary="Edit all three", save_related=related
    )

    assert Revision.objects.count() == before + 1
    assert revision.user == editor
    assert revision.comment == "Edit all three"
    models = {v.content_type.model for v in revision.version_set.all()}
    assert {"person", "page", "affiliation", "citation", "relatedpage"} <= models
    assert revision.meta.approved_by == editor
    assert revision.meta.page.pk == person.pk


def test_reverting_restores_text_citation_and_affiliation_together(published_person):
    person = Person.objects.get(pk=published_person.pk)
    original = Version.objects.get_for_object(person).get().revision
    new_source = SourceFactory(key="new2024")
    person.body = "Changed text."

    def related():
        CitationFactory(page=person, source=new_source, position=1)
        affiliation = person.affiliations.get()
        affiliation.role = "senior researcher"
        affiliation.save()

    page_publish(page=person, user=UserFactory(), summary="Edit", save_related=related)
    assert Citation.objects.filter(page=person).count() == 2

    original.revert(delete=True)

    person = Person.objects.get(pk=person.pk)
    assert person.body == "Original text."
    assert person.body_html == "<p>Original text.</p>"
    assert list(person.citations.values_list("source__key", flat=True)) == ["old2019"]
    assert Affiliation.objects.get(person=person).role == "researcher"
    assert RelatedPage.objects.filter(page=person).count() == 1


def test_each_revision_records_size_and_size_change(published_person):
    person = Person.objects.get(pk=published_person.pk)
    person.body = "Original text. And more."
    revision = page_publish(page=person, user=UserFactory(), summary="Grow", minor=True)
    metas = RevisionMeta.objects.filter(page=person).order_by("revision_id")
    assert [m.size_delta for m in metas] == [
        len("Ada") + len("AI researcher") + len("Original text."),
        len(" And more."),
    ]
    assert revision.meta.minor is True


def test_themes_are_versioned_with_the_person(published_person):
    from tests.factories import ThemeFactory

    person = Person.objects.get(pk=published_person.pk)
    first = Version.objects.get_for_object(person).get().revision
    theme = ThemeFactory()
    page_publish(
        page=person,
        user=UserFactory(),
        summary="Theme",
        save_related=lambda: person.themes.add(theme),
    )
    assert list(person.themes.all()) == [theme]
    first.revert(delete=True)
    assert list(Person.objects.get(pk=person.pk).themes.all()) == []
