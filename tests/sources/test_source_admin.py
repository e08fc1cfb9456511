"""The source admin writes through source_publish and never deletes a source."""

import pytest
from django.contrib.auth.models import Group
from reversion.models import Revision, Version

from sources.models import Source
from sources.services import source_publish
from tests.factories import UserFactory
from tests.forms import form_data
from wiki.roles import MODERATORS, ensure_roles

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator(client):
    ensure_roles()
    user = UserFactory(username="mod", is_staff=True)
    user.groups.add(Group.objects.get(name=MODERATORS))
    client.force_login(user)
    return user


@pytest.fixture
def source(moderator):
    source = Source(key="smith2020", title="First title")
    source_publish(source=source, user=moderator, summary="Add")
    return source


def test_a_source_is_never_deleted_in_the_admin(client, source):
    url = f"/admin/sources/source/{source.pk}/delete/"
    response = client.post(url, {"post": "yes"}, follow=True)
    assert response.redirect_chain == [("/admin/sources/source/", 302)]
    assert "Sources are not deleted" in response.content.decode()
    assert Source.objects.filter(pk=source.pk).exists()
    changelist = client.get("/admin/sources/source/").content.decode()
    assert "delete_selected" not in changelist


def test_an_admin_revert_of_a_source_is_one_revert_revision(client, moderator, source):
    first = Version.objects.get_for_object(source).get()
    source.title = "Second title"
    source_publish(source=source, user=moderator, summary="Retitle")
    before = Revision.objects.count()

    url = f"/admin/sources/source/{source.pk}/history/{first.pk}/"
    data = form_data(client.get(url).content.decode(), "source_form")
    assert client.post(url, data).status_code == 302

    assert Source.objects.get(pk=source.pk).title == "First title"
    assert Revision.objects.count() == before + 1
    revision = Revision.objects.latest("pk")
    assert (revision.meta.action, revision.user, revision.meta.approved_by) == (
        "revert",
        moderator,
        moderator,
    )
    assert revision.get_comment() == f"Reverted to revision {first.revision_id}"


def test_the_revert_page_of_a_source_is_read_only(client, moderator, source):
    first = Version.objects.get_for_object(source).get()
    html = client.get(
        f"/admin/sources/source/{source.pk}/history/{first.pk}/"
    ).content.decode()
    assert 'name="title"' not in html
    assert (
        f"Saving reverts this source to revision {first.revision_id} exactly as "
        "it was, recorded as a revert" in html
    )


def test_a_sources_admin_history_lists_its_revisions_without_a_compare_form(
    client, moderator, source
):
    """The history template is shared by every versioned admin; only pages'
    admins have a compare view (the source's used to answer 500, NoReverseMatch)."""
    source.title = "Second title"
    source_publish(source=source, user=moderator, summary="Retitle")

    response = client.get(f"/admin/sources/source/{source.pk}/history/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Retitle" in html and "Add" in html
    assert 'name="from"' not in html and "Compare selected revisions" not in html
