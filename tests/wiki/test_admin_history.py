"""What the admin never deletes or rewrites: the rows that are history.

Pages are deleted softly there (tests/wiki/test_admin.py) and sources not at
all (tests/sources/test_source_admin.py); here the rest: proposals, the link
graph, accounts with history, purge records, and the history itself, which
has no admin pages.  Only a superuser purges, and the purge is recorded.
"""

import pytest
from django.contrib.auth.models import Group
from reversion.models import Revision

from tests.factories import ThemeFactory, UserFactory
from tests.wiki.moderation_helpers import submit
from wiki.history import page_delete
from wiki.models import Page, PageLink, Proposal, PurgeRecord
from wiki.roles import MODERATORS
from wiki.services import page_publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(roles):
    """A moderator as the site makes one (staff, in Moderators) and an
    administrator (superuser)."""
    moderator = UserFactory(username="staff-mod", is_staff=True)
    moderator.groups.add(Group.objects.get(name=MODERATORS))
    administrator = UserFactory(username="root", is_staff=True, is_superuser=True)
    return {"moderator": moderator, "administrator": administrator}


def test_no_one_deletes_a_link_of_the_link_graph_in_the_admin(client, person, staff):
    link = PageLink.objects.get(source=person)
    url = f"/admin/wiki/pagelink/{link.pk}/delete/"
    for user in staff.values():
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.post(url, {"post": "yes"}).status_code == 403
        listing = client.get("/admin/wiki/pagelink/")
        assert listing.status_code == 200
        assert "delete_selected" not in listing.text
        bulk = {"action": "delete_selected", "_selected_action": [link.pk]}
        client.post("/admin/wiki/pagelink/", bulk)
        assert PageLink.objects.filter(pk=link.pk).exists()


def test_no_one_deletes_or_decides_a_proposal_in_the_admin(
    client, person, contributor, staff
):
    proposal = submit(person, contributor, body="Carol's body.")
    for user in staff.values():
        client.force_login(user)
        delete = f"/admin/wiki/proposal/{proposal.pk}/delete/"
        assert client.get(delete).status_code == 403
        assert client.post(delete, {"post": "yes"}).status_code == 403
        change = f"/admin/wiki/proposal/{proposal.pk}/change/"
        response = client.post(change, {"status": "approved", "review_note": "x"})
        assert response.status_code == 403
        bulk = {"action": "delete_selected", "_selected_action": [proposal.pk]}
        client.post("/admin/wiki/proposal/", bulk)
        proposal.refresh_from_db()
        assert (proposal.status, proposal.review_note) == ("pending", "")


def test_an_account_with_history_is_deactivated_not_deleted(
    client, person, contributor, staff
):
    submit(person, contributor, body="Carol's body.")
    client.force_login(staff["administrator"])
    url = f"/admin/auth/user/{contributor.pk}/delete/"
    assert client.get(url).status_code == 403
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Proposal.objects.filter(author=contributor).exists()
    assert "delete_selected" not in client.get("/admin/auth/user/").text

    # The first author of the person: revisions but no proposals.
    author = Revision.objects.filter(user__isnull=False).first().user
    url = f"/admin/auth/user/{author.pk}/delete/"
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Revision.objects.filter(user=author).exists()

    # An account without history can go.
    idle = UserFactory(username="idle")
    url = f"/admin/auth/user/{idle.pk}/delete/"
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not type(idle).objects.filter(pk=idle.pk).exists()


def test_moderators_neither_reach_nor_delete_accounts(client, contributor, staff):
    client.force_login(staff["moderator"])
    url = f"/admin/auth/user/{contributor.pk}/delete/"
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert type(contributor).objects.filter(pk=contributor.pk).exists()


def test_only_a_superuser_purges_and_the_purge_is_recorded(client, staff):
    theme = ThemeFactory.build(title="Short-lived", slug="short-lived")
    page_publish(page=theme, user=staff["moderator"], summary="Create")
    page_delete(page=theme, user=staff["moderator"], reason="Not notable")
    url = f"/admin/wiki/theme/{theme.pk}/purge/"

    client.force_login(staff["moderator"])
    assert client.get(url).status_code == 403
    assert client.post(url, {"reason": "Spam"}).status_code == 403
    assert Page.objects.filter(pk=theme.pk, is_deleted=True).exists()
    assert not PurgeRecord.objects.exists()

    client.force_login(staff["administrator"])
    assert client.post(url, {"reason": "Spam"}).status_code == 302
    record = PurgeRecord.objects.get()
    assert (record.page_id, record.title, record.purged_by, record.reason) == (
        theme.pk,
        "Short-lived",
        staff["administrator"],
        "Spam",
    )
    assert record.purged_at is not None
    assert not Page.objects.filter(pk=theme.pk).exists()


def test_purge_records_are_kept_as_they_are(client, staff):
    theme = ThemeFactory.build(title="Short-lived", slug="short-lived")
    page_publish(page=theme, user=staff["moderator"], summary="Create")
    page_delete(page=theme, user=staff["moderator"], reason="Not notable")
    client.force_login(staff["administrator"])
    client.post(f"/admin/wiki/theme/{theme.pk}/purge/", {"reason": "Spam"})
    record = PurgeRecord.objects.get()
    for user in staff.values():
        client.force_login(user)
        base = f"/admin/wiki/purgerecord/{record.pk}"
        assert client.post(f"{base}/delete/", {"post": "yes"}).status_code == 403
        assert client.post(f"{base}/change/", {"reason": "Nothing"}).status_code == 403
        assert "delete_selected" not in client.get("/admin/wiki/purgerecord/").text
    record.refresh_from_db()
    assert record.reason == "Spam"


@pytest.mark.parametrize(
    "url",
    [
        "/admin/admin/logentry/",
        "/admin/reversion/revision/",
        "/admin/reversion/version/",
        "/admin/wiki/revisionmeta/",
        "/admin/wiki/revisionvisibilitychange/",
        "/admin/wiki/proposalversion/",
    ],
)
def test_history_has_no_admin_pages_to_edit_it(client, staff, url):
    for user in staff.values():
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.get(f"{url}1/delete/").status_code == 404
