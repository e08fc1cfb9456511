"""A renamed page keeps its old address: it redirects, and no other page takes it
unless a moderator frees it."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from people.models import Person
from tests.factories import PersonFactory, UserFactory
from tests.wiki.history_helpers import make_moderator, person_with_history, publish
from tests.wiki.moderation_helpers import create_url, form_of, page_data
from wiki import history
from wiki.editing import Editor
from wiki.models import Page, PageRedirect
from wiki.roles import MODERATORS, ensure_roles

pytestmark = pytest.mark.django_db

KEPT = (
    "…/ada-lovelace/ is an old address of “Ada Lovelace”, kept so that links to it "
    "still arrive there. Choose another slug, or ask a moderator to free this one "
    "(Admin › Page redirects)."
)


@pytest.fixture
def renamed():
    """Ada Lovelace, moved from …/ada-lovelace/ to …/ada-byron/; and the
    revision from before the move."""
    person, revisions = person_with_history("Text.")
    publish(person, UserFactory(username="renamer"), slug="ada-byron")
    return Person.objects.get(pk=person.pk), revisions[0]


def test_a_new_page_may_not_take_a_renamed_pages_old_address(client, renamed):
    client.force_login(UserFactory())
    data = form_of(client, create_url("people"))
    data.update({"title": "Ada", "slug": "ada-lovelace", "edit-summary": "New"})
    response = client.post(create_url("people"), data)
    assert response.status_code == 400
    assert KEPT in response.content.decode()
    assert not Page.objects.filter(slug="ada-lovelace").exists()


def test_another_page_may_not_move_onto_a_renamed_pages_old_address(renamed):
    other = PersonFactory(title="Charles Babbage", slug="babbage")
    editor = Editor("person", page=other, data=page_data(other, slug="ada-lovelace"))
    assert not editor.is_valid()
    assert editor.form.errors["slug"] == [KEPT]


def test_the_renamed_page_may_move_back_to_its_old_address(renamed):
    person, _ = renamed
    editor = Editor("person", page=person, data=page_data(person, slug="ada-lovelace"))
    assert editor.is_valid(), editor.form.errors


def test_reverting_a_rename_gives_the_page_its_old_address_back(renamed):
    person, before = renamed
    history.page_revert(page=person, revision=before, user=make_moderator())
    assert Page.objects.get(pk=person.pk).slug == "ada-lovelace"
    assert PageRedirect.objects.get(slug="ada-byron").page_id == person.pk


def test_a_moderator_frees_an_old_address_in_the_admin(client, renamed):
    person, _ = renamed
    ensure_roles()
    moderator = UserFactory(username="mod", is_staff=True)
    moderator.groups.add(Group.objects.get(name=MODERATORS))
    client.force_login(moderator)
    kept = PageRedirect.objects.get(slug="ada-lovelace")
    listing = client.get("/admin/wiki/pageredirect/").content.decode()
    assert "ada-lovelace" in listing
    response = client.post(
        f"/admin/wiki/pageredirect/{kept.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    assert client.get("/people/ada-lovelace/").status_code == 404
    other = PersonFactory(title="Charles Babbage", slug="babbage")
    editor = Editor("person", page=other, data=page_data(other, slug="ada-lovelace"))
    assert editor.is_valid(), editor.form.errors


def _taken_by_another_page(renamed):
    """The old address freed and taken by another page."""
    PageRedirect.objects.filter(slug="ada-lovelace").delete()
    publish(
        PersonFactory(title="Ada Two", slug="ada-two"),
        UserFactory(),
        slug="ada-lovelace",
    )


def test_reverting_a_rename_onto_an_address_another_page_took_says_which(renamed):
    person, before = renamed
    _taken_by_another_page(renamed)
    with pytest.raises(history.HistoryError) as error:
        history.page_revert(page=person, revision=before, user=make_moderator())
    assert str(error.value) == (
        f"Restoring revision {before.pk} would give this page back a title or "
        "address that is taken: “Ada Two” already has the address "
        "…/ada-lovelace/. Rename or move that page first."
    )
    assert Page.objects.get(pk=person.pk).slug == "ada-byron"


def test_undoing_a_rename_onto_an_address_another_page_took_says_which(renamed):
    person, _ = renamed
    _taken_by_another_page(renamed)
    rename = history.latest_entry(person).revision
    with pytest.raises(history.HistoryError, match="“Ada Two” already has the address"):
        history.page_undo(page=person, revision=rename, user=make_moderator())


def test_the_revert_page_answers_409_with_the_reason(client, renamed):
    person, before = renamed
    _taken_by_another_page(renamed)
    client.force_login(make_moderator())
    url = reverse(
        "wiki:revision_revert",
        kwargs={"section": "people", "slug": "ada-byron", "revision_id": before.pk},
    )
    seen = history.latest_entry(person).id
    response = client.post(url, {"summary": "", "seen_revision": str(seen)})
    assert response.status_code == 409
    assert "“Ada Two” already has the address …/ada-lovelace/" in (
        response.content.decode()
    )


def test_a_renamed_page_is_found_by_its_old_title_and_says_so(client, renamed):
    person, _ = renamed
    publish(person, UserFactory(username="retitler"), title="Ada Byron")
    response = client.get(
        reverse("wiki:resolve"), {"title": "Ada Lovelace"}, follow=True
    )
    assert response.redirect_chain == [(person.get_absolute_url(), 302)]
    assert "Redirected from “Ada Lovelace”." in response.content.decode()


def test_an_unknown_title_is_still_a_missing_page(client, renamed):
    response = client.get(reverse("wiki:resolve"), {"title": "Ada Nobody"})
    assert response.status_code == 404
