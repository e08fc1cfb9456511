"""History services: reading revisions, reverting, undoing, rolling back,
deleting and recovering pages, each as a new revision."""

import pytest
from reversion.models import Revision

from people.models import Affiliation, Person
from sources.models import Citation
from tests.factories import (
    AffiliationFactory,
    OrganizationFactory,
    PersonFactory,
    SourceFactory,
    ThemeFactory,
    UserFactory,
)
from tests.wiki.history_helpers import make_moderator, person_with_history, publish
from wiki import history
from wiki.diff import RevisionDataError, revision_snapshot
from wiki.models import Page, PageRedirect, RevisionMeta
from wiki.services import page_publish

pytestmark = pytest.mark.django_db


def ids(entries):
    return [entry.id for entry in entries]


def test_history_lists_every_revision_newest_first_with_the_one_before():
    person, revisions = person_with_history("One.", "Two.", "Three.")
    entries = history.entries(history.page_history(person))
    assert ids(entries) == [r.pk for r in reversed(revisions)]
    assert [e.previous_id for e in entries] == [revisions[1].pk, revisions[0].pk, None]
    assert [e.summary for e in entries] == ["Edit 3", "Edit 2", "Edit 1"]
    assert entries[0].meta.size_delta == len("Three.") - len("Two.")
    # The first revision adds all the page's text: title and description too.
    first_size = len("Ada Lovelace") + len("AI researcher") + len("One.")
    assert entries[2].meta.size_delta == first_size


def test_history_of_one_page_leaves_out_other_pages():
    person, _ = person_with_history("Mine.")
    person_with_history("Theirs.", title="Someone Else")
    assert len(history.page_history(person)) == 1


def test_revert_restores_text_fields_and_owned_rows_as_a_new_revision():
    moderator = make_moderator()
    openai = OrganizationFactory(title="OpenAI", slug="openai")
    theme = ThemeFactory(title="Scaling")
    SourceFactory(key="old2019")
    new_source = SourceFactory(key="new24")
    person = PersonFactory.build(title="Ada", slug="ada", body="Original.[@old2019]")

    def first_relations():
        AffiliationFactory(person=person, organization=openai, role="researcher")
        person.themes.add(theme)

    first = page_publish(
        page=person, user=UserFactory(), summary="Create", save_related=first_relations
    )

    def second_relations():
        affiliation = person.affiliations.get()
        affiliation.role = "director"
        affiliation.save()
        AffiliationFactory(person=person, role="advisor")
        person.themes.clear()

    person.body = "Rewritten.[@new24]"
    person.short_description = "Changed"
    page_publish(
        page=person,
        user=UserFactory(),
        summary="Rewrite",
        save_related=second_relations,
    )

    revision = history.page_revert(
        page=person, revision=first, user=moderator, summary="vandalism"
    )

    person = Person.objects.get(pk=person.pk)
    assert person.body == "Original.[@old2019]"
    assert "Original." in person.body_html
    assert person.short_description == "AI researcher"
    assert [a.role for a in person.affiliations.all()] == ["researcher"]
    assert list(person.themes.all()) == [theme]
    assert list(person.citations.values_list("source__key", flat=True)) == ["old2019"]
    assert revision.meta.action == RevisionMeta.Action.REVERT
    assert revision.user == moderator
    assert revision.comment.startswith(f"Reverted to revision {first.pk} of ")
    assert revision.comment.endswith(": vandalism")
    assert Revision.objects.count() == 3
    assert not new_source.citations.exists()


def test_revert_to_the_current_revision_is_refused():
    person, revisions = person_with_history("One.", "Two.")
    with pytest.raises(history.HistoryError, match="already the current"):
        history.page_revert(page=person, revision=revisions[-1], user=make_moderator())


def test_revert_to_another_pages_revision_is_refused():
    person, _ = person_with_history("Mine.", "Mine again.")
    _, theirs = person_with_history("Theirs.", title="Someone Else")
    with pytest.raises(history.HistoryError, match="not a revision of"):
        history.page_revert(page=person, revision=theirs[0], user=make_moderator())
    assert Person.objects.get(pk=person.pk).body == "Mine again."


def test_reverting_a_rename_moves_the_page_back_and_keeps_both_addresses():
    person, revisions = person_with_history("Text.")
    publish(person, UserFactory(), slug="ada-byron")
    assert PageRedirect.objects.get(slug="ada-lovelace").page_id == person.pk

    history.page_revert(page=person, revision=revisions[0], user=make_moderator())

    assert Page.objects.get(pk=person.pk).slug == "ada-lovelace"
    assert PageRedirect.objects.get(slug="ada-byron").page_id == person.pk
    assert not PageRedirect.objects.filter(slug="ada-lovelace").exists()


def test_undo_takes_back_one_revision_and_keeps_later_changes():
    person, _ = person_with_history("Body one.")
    undone = publish(person, UserFactory(), short_description="Vandal")
    publish(person, UserFactory(), body="Body two.")

    revision = history.page_undo(page=person, revision=undone, user=make_moderator())

    person = Person.objects.get(pk=person.pk)
    assert person.short_description == "AI researcher"
    assert person.body == "Body two."
    assert revision.comment == f"Undid revision {undone.pk} by {undone.user}"
    assert revision.meta.action == RevisionMeta.Action.REVERT


def test_undo_restores_owned_rows_the_revision_removed():
    person, _ = person_with_history("Body.")
    AffiliationFactory(person=person, role="researcher")
    publish(person, UserFactory(), summary="Add affiliation")
    undone = publish(
        person,
        UserFactory(),
        summary="Remove it",
        save_related=lambda: Affiliation.objects.get(person=person).delete(),
    )
    publish(person, UserFactory(), body="Later body.")

    history.page_undo(page=person, revision=undone, user=make_moderator())

    assert [a.role for a in Affiliation.objects.filter(person=person)] == ["researcher"]
    assert Person.objects.get(pk=person.pk).body == "Later body."


def test_undo_is_refused_when_a_later_revision_changed_the_same_field():
    person, _ = person_with_history("One.", "Two.", "Three.")
    second = history.page_history(person)[1].revision
    with pytest.raises(history.UndoConflict) as raised:
        history.page_undo(page=person, revision=second, user=make_moderator())
    assert raised.value.labels == ["body"]
    assert Person.objects.get(pk=person.pk).body == "Three."


def test_the_first_revision_cannot_be_undone():
    person, revisions = person_with_history("One.", "Two.")
    with pytest.raises(history.HistoryError, match="first revision"):
        history.page_undo(page=person, revision=revisions[0], user=make_moderator())


def test_rollback_reverts_every_consecutive_revision_by_the_last_author():
    good, vandal = UserFactory(username="good"), UserFactory(username="vandal")
    person, revisions = person_with_history(
        "Good.", "Bad.", "Worse.", authors=[good, vandal, vandal]
    )
    run, target = history.rollback_plan(person)
    assert ids(run) == [revisions[2].pk, revisions[1].pk]
    assert target.id == revisions[0].pk

    revision = history.page_rollback(page=person, user=make_moderator())

    assert Person.objects.get(pk=person.pk).body == "Good."
    assert revision.comment == (
        f"Rolled back 2 edits by vandal to revision {revisions[0].pk} by good"
    )


def test_rollback_is_refused_when_one_author_wrote_every_revision():
    person, _ = person_with_history("One.", "Two.")
    with pytest.raises(history.HistoryError, match="no earlier author"):
        history.page_rollback(page=person, user=make_moderator())


def test_delete_hides_the_page_and_records_the_reason_as_a_revision():
    person, _ = person_with_history("Text.")
    moderator = make_moderator()

    revision = history.page_delete(page=person, user=moderator, reason="Hoax")

    assert not Page.objects.published().filter(pk=person.pk).exists()
    assert revision.meta.action == RevisionMeta.Action.DELETE
    assert revision.comment == "Hoax"
    assert history.deletion_entry(person).summary == "Hoax"
    deleted = history.deleted_pages().get()
    assert (deleted.deletion_reason, deleted.deleted_by) == ("Hoax", "moderator")


def test_delete_needs_a_reason_and_a_live_page():
    person, _ = person_with_history("Text.")
    with pytest.raises(history.HistoryError, match="reason"):
        history.page_delete(page=person, user=make_moderator(), reason="  ")
    history.page_delete(page=person, user=make_moderator(), reason="Spam")
    with pytest.raises(history.HistoryError, match="deleted"):
        history.page_delete(page=person, user=make_moderator(), reason="Again")


def test_recover_brings_the_page_back_with_its_citations_and_links():
    source = SourceFactory(key="cited2020")
    target, _ = person_with_history("Linked to.", title="Linked Person")
    person, _ = person_with_history("See [[Linked Person]].[@cited2020]")
    moderator = make_moderator()
    history.page_delete(page=person, user=moderator, reason="Mistake")

    revision = history.page_recover(page=person, user=moderator)

    person = Person.objects.get(pk=person.pk)
    assert not person.is_deleted
    assert revision.meta.action == RevisionMeta.Action.RECOVER
    assert list(Citation.objects.filter(page=person).values_list("source", flat=True))
    assert person.links_out.get().target_id == target.pk
    assert f'href="{target.get_absolute_url()}"' in person.body_html
    assert source.citations.count() == 1


def test_deleting_a_page_turns_links_to_it_red_and_recovering_turns_them_blue():
    target, _ = person_with_history("Target.", title="Target Person")
    linking, _ = person_with_history("See [[Target Person]].", title="Linking Person")
    moderator = make_moderator()

    history.page_delete(page=target, user=moderator, reason="Gone")
    assert "wikilink-missing" in Page.objects.get(pk=linking.pk).body_html

    history.page_recover(page=target, user=moderator)
    assert "wikilink-missing" not in Page.objects.get(pk=linking.pk).body_html


def test_reverting_or_undoing_a_deleted_page_is_refused():
    person, revisions = person_with_history("One.", "Two.")
    moderator = make_moderator()
    history.page_delete(page=person, user=moderator, reason="Gone")
    person = Person.objects.get(pk=person.pk)
    with pytest.raises(history.HistoryError, match="Recover it first"):
        history.page_revert(page=person, revision=revisions[0], user=moderator)
    with pytest.raises(history.HistoryError, match="Recover it first"):
        history.page_rollback(page=person, user=moderator)


def test_page_at_revision_rebuilds_the_page_and_its_rows_from_the_revision():
    openai = OrganizationFactory(title="OpenAI", slug="openai")
    person = PersonFactory.build(title="Ada", slug="ada", body="Old body.")

    first = page_publish(
        page=person,
        user=UserFactory(),
        summary="Create",
        save_related=lambda: AffiliationFactory(
            person=person, organization=openai, role="researcher"
        ),
    )
    person.body = "New body."

    def promote():
        affiliation = person.affiliations.get()
        affiliation.role = "director"
        affiliation.save()

    page_publish(page=person, user=UserFactory(), summary="Edit", save_related=promote)

    old = history.page_at_revision(person, first.pk)

    assert old.body == "Old body."
    assert old.body_html == "<p>Old body.</p>"
    assert [(a.role, a.organization.title) for a in old.affiliations.all()] == [
        ("researcher", "OpenAI")
    ]


def test_an_unreadable_revision_raises_a_clear_error():
    person, revisions = person_with_history("One.", "Two.")
    version = revisions[0].version_set.get(content_type__model="page")
    version.serialized_data = version.serialized_data.replace(
        '"is_deleted": false', '"is_deleted": "not a boolean"'
    )
    version.save()
    with pytest.raises(RevisionDataError, match="older data format"):
        revision_snapshot(revisions[0], person)
    with pytest.raises(RevisionDataError):
        history.page_at_revision(person, revisions[0].pk)


def test_revert_to_a_revision_pointing_at_a_deleted_organization_is_refused():
    gone = OrganizationFactory(title="Defunct Lab", slug="defunct-lab")
    person, revisions = person_with_history("Text.")
    AffiliationFactory(person=person, organization=gone, role="researcher")
    with_affiliation = publish(person, UserFactory(), summary="Affiliation")
    publish(
        person,
        UserFactory(),
        summary="Remove it",
        save_related=lambda: Affiliation.objects.filter(person=person).delete(),
    )
    Page.objects.get(pk=gone.pk).delete()  # deleted for good, in the admin

    with pytest.raises(history.HistoryError, match="deleted since"):
        history.page_revert(
            page=person, revision=with_affiliation, user=make_moderator()
        )
    assert not Affiliation.objects.filter(person=person).exists()
    assert len(history.page_history(person)) == 3


def test_undo_restoring_a_theme_deleted_since_is_refused():
    theme = ThemeFactory(title="Gone theme")
    person, _ = person_with_history("Text.")
    publish(person, UserFactory(), save_related=lambda: person.themes.add(theme))
    undone = publish(
        person, UserFactory(), save_related=lambda: person.themes.remove(theme)
    )
    Page.objects.get(pk=theme.pk).delete()

    with pytest.raises(history.HistoryError, match="deleted since"):
        history.page_undo(page=person, revision=undone, user=make_moderator())
