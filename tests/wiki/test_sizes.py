"""Sizes: a revision and a proposal measure a page's text with one function."""

import pytest

from people.models import Person
from tests.factories import OrganizationFactory, UserFactory
from tests.wiki.moderation_helpers import page_data
from tests.wiki.test_moderation import submit
from wiki import moderation
from wiki.services import latest_revision, page_publish, page_text_size

pytestmark = pytest.mark.django_db

# Ada's text in the `person` fixture, field by field.
ADA = {
    "title": "Ada Lovelace",
    "short_description": "AI researcher",
    "summary": "Mathematician.",
    "body": "Ada wrote the first program.\n\nShe worked with [[Charles Babbage]].\n",
    "known_for": "Notes on the Engine",
}


def test_a_page_size_counts_every_text_field_of_its_own(person):
    assert page_text_size(person) == sum(len(text) for text in ADA.values())


def test_addresses_and_choices_are_not_text():
    page = Person(
        title="Ada",
        slug="a-very-long-address-that-is-not-text",
        portrait_url="https://example.org/a-very-long-address-that-is-not-text.png",
        portrait_credit="Photo: Ada's family",
    )
    assert page_text_size(page) == len("Ada") + len("Photo: Ada's family")
    organization = OrganizationFactory.build(
        title="OpenAI", org_type="lab", website="https://openai.com"
    )
    assert page_text_size(organization) == len("OpenAI")


def test_the_first_revision_counts_every_field(person):
    meta = person.revision_metas.get()
    assert meta.size == sum(len(text) for text in ADA.values())
    assert meta.size_delta == meta.size


@pytest.mark.parametrize(
    ("field", "text"),
    [
        ("summary", "Mathematician and writer."),
        ("short_description", "Mathematician"),
        ("title", "Augusta Ada King"),
        ("known_for", "The first published program"),
    ],
)
def test_a_revision_that_changes_any_text_field_changes_the_size(person, field, text):
    page = Person.objects.get(pk=person.pk)
    setattr(page, field, text)
    page_publish(page=page, user=UserFactory(), summary="Edit")
    meta = person.revision_metas.order_by("-revision_id").first()
    assert meta.size_delta == len(text) - len(ADA[field])
    assert meta.size == sum(len(t) for t in ADA.values()) + meta.size_delta


def test_a_proposal_changing_the_lede_and_description_has_their_size_change(
    person, contributor
):
    data = page_data(
        person,
        summary="Mathematician and the first programmer.",
        short_description="Mathematician, writer",
    )
    proposal = moderation.proposal_submit(
        kind="person", page=person, data=data, base_revision=latest_revision(person),
        base_data=moderation.current_data(person), summary="Sharper lede",
        minor=False, author=contributor,
    )  # fmt: skip
    assert proposal.size_delta == (
        len("Mathematician and the first programmer.") - len("Mathematician.")
    ) + (len("Mathematician, writer") - len("AI researcher"))
    assert proposal.size_delta == 25 + 8


def test_an_approved_proposal_and_its_revision_have_the_same_size_change(
    person, contributor, moderator
):
    proposal = submit(
        person, contributor, short_description="", known_for="Notes, and G."
    )
    revision = moderation.proposal_approve(
        proposal=proposal, by=moderator, seen=moderation.seen_now(proposal)
    )
    assert proposal.size_delta == -len("AI researcher") + (
        len("Notes, and G.") - len("Notes on the Engine")
    )
    assert revision.meta.size_delta == proposal.size_delta
    assert revision.meta.size == page_text_size(Person.objects.get(pk=person.pk))


def test_a_row_only_change_leaves_the_size_alone(person, contributor):
    proposal = submit(person, contributor, **{"affiliations-0-role": "author"})
    assert proposal.size_delta == 0


def test_recount_sizes_measures_old_revisions_again(person):
    import io

    from django.core.management import call_command

    from wiki.models import RevisionMeta

    page = Person.objects.get(pk=person.pk)
    page.summary = "Mathematician and writer."
    page_publish(page=page, user=UserFactory(), summary="Lede")
    # As recorded when only the lede, body and reading were counted.
    RevisionMeta.objects.filter(page=person).update(size=1, size_delta=1)
    out = io.StringIO()

    call_command("recount_sizes", stdout=out)

    first = sum(len(text) for text in ADA.values())
    metas = RevisionMeta.objects.filter(page=person).order_by("revision_id")
    assert [(m.size, m.size_delta) for m in metas] == [
        (first, first),
        (first + 11, 11),
    ]
    assert out.getvalue() == "Recounted 2 revision(s).\n"
    call_command("recount_sizes", stdout=out)
    assert out.getvalue().endswith("Recounted 0 revision(s).\n")
