"""Every write path leaves the same traces: one revision with its metadata, and
the derived data (link graph, red and blue links, wanted pages, what links
here) in step with the published pages.

Each case drives one path through its real URLs (the site's forms, the review
page, the admin) or its command, then the same checks run on what a reader
and a moderator would see.
"""

import re
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from reversion.models import Revision, Version

from sources.models import Source
from sources.seed import load_seed
from sources.services import source_publish
from tests.factories import UserFactory
from tests.forms import form_data
from wiki import history
from wiki.models import Page, PageLink, Proposal, Theme
from wiki.roles import CONTRIBUTORS, MODERATORS, ensure_roles
from wiki.services import page_publish

pytestmark = pytest.mark.django_db

LINKER_BODY = "See [[Target Title]], [[Old Name]] and [[Alec Radford]].[@smith2020]"


@dataclass
class World:
    client: object
    moderator: object
    contributor: object
    linker: Theme
    source: Source


@dataclass
class Expected:
    blue: set[str]  # titles the linking page shows as blue links
    red: set[str]  # ... and as red links
    new_revisions: int
    meta: tuple  # (action, author, approver, summary) of the newest revision
    source_title: str = "Old source title"


def user_in(group: str, username: str, **fields):
    user = UserFactory(username=username, **fields)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def world(client):
    ensure_roles()
    moderator = user_in(MODERATORS, "mod", is_staff=True)
    contributor = user_in(CONTRIBUTORS, "carol")
    source = Source(key="smith2020", title="Old source title")
    source_publish(source=source, user=moderator, summary="Add a source")
    linker = Theme(title="Linker", slug="linker", body=LINKER_BODY)
    page_publish(page=linker, user=moderator, summary="Start")
    client.force_login(moderator)
    return World(client, moderator, contributor, linker, source)


def theme(world, title: str, slug: str) -> Theme:
    page = Theme(title=title, slug=slug, summary="A theme.")
    page_publish(page=page, user=world.moderator, summary="Start the theme")
    return page


def post_ok(client, url: str, data: dict) -> None:
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]


def admin_form(client, url: str, form_id: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200
    return form_data(response.content.decode(), form_id)


# -- the paths -------------------------------------------------------------------


def site_create(world):
    url = "/themes/new/?title=Target%20Title"
    data = form_data(world.client.get(url).content.decode(), "edit-form")
    data.update(
        {"slug": "target-title", "summary": "A theme.", "edit-summary": "New theme"}
    )
    post_ok(world.client, url, data)
    return Expected(
        blue={"Target Title"},
        red={"Old Name", "Alec Radford"},
        new_revisions=1,
        meta=("edit", world.moderator, world.moderator, "New theme"),
    )


def proposal_approval(world):
    client = world.client
    client.force_login(world.contributor)
    url = "/themes/new/?title=Target%20Title"
    data = form_data(client.get(url).content.decode(), "edit-form")
    data.update(
        {"slug": "target-title", "summary": "A theme.", "edit-summary": "Proposed"}
    )
    post_ok(client, url, data)
    proposal = Proposal.objects.get(summary="Proposed")
    client.force_login(world.moderator)
    review = reverse("moderation:review_detail", args=[proposal.pk])
    data = form_data(client.get(review).content.decode(), "approve-form")
    post_ok(client, reverse("moderation:review_approve", args=[proposal.pk]), data)
    return Expected(
        blue={"Target Title"},
        red={"Old Name", "Alec Radford"},
        new_revisions=1,
        meta=("edit", world.contributor, world.moderator, "Proposed"),
    )


def admin_add(world):
    url = "/admin/wiki/theme/add/"
    data = admin_form(world.client, url, "theme_form")
    data.update(
        {
            "title": "Target Title",
            "slug": "target-title",
            "summary": "A theme.",
            "_save": "Save",
        }
    )
    post_ok(world.client, url, data)
    return Expected(
        blue={"Target Title"},
        red={"Old Name", "Alec Radford"},
        new_revisions=1,
        meta=("edit", world.moderator, world.moderator, "Created in the admin"),
    )


def admin_change(world):
    page = theme(world, "Old Name", "old-name")
    url = f"/admin/wiki/theme/{page.pk}/change/"
    data = admin_form(world.client, url, "theme_form")
    data.update({"title": "Target Title", "_save": "Save"})
    post_ok(world.client, url, data)
    return Expected(
        blue={"Target Title"},
        red={"Old Name", "Alec Radford"},
        new_revisions=2,
        meta=("edit", world.moderator, world.moderator, "Edited in the admin: Title"),
    )


def admin_delete(world):
    page = theme(world, "Target Title", "target-title")
    post_ok(
        world.client, f"/admin/wiki/theme/{page.pk}/delete/", {"reason": "Duplicate"}
    )
    return Expected(
        blue=set(),
        red={"Target Title", "Old Name", "Alec Radford"},
        new_revisions=2,
        meta=("delete", world.moderator, world.moderator, "Duplicate"),
    )


def admin_revert(world):
    page = theme(world, "Target Title", "target-title")
    first = Version.objects.get_for_object(page).get()
    page.title, page.slug = "Old Name", "old-name"
    page_publish(page=page, user=world.moderator, summary="Rename")
    url = f"/admin/wiki/theme/{page.pk}/history/{first.pk}/"
    data = admin_form(world.client, url, "theme_form")
    post_ok(world.client, url, data)
    revision = first.revision
    when = history._when(revision)
    return Expected(
        blue={"Target Title"},
        red={"Old Name", "Alec Radford"},
        new_revisions=3,
        meta=(
            "revert",
            world.moderator,
            world.moderator,
            f"Reverted to revision {revision.pk} of {when}",
        ),
    )


def seed_load(world):
    load_seed()
    return Expected(
        blue={"Alec Radford"},
        red={"Target Title", "Old Name"},
        new_revisions=Page.objects.count() - 1 + Source.objects.count() - 1,
        meta=("import", None, None, "Imported from seed"),
    )


def site_rename(world):
    page = theme(world, "Old Name", "old-name")
    url = reverse(
        "moderation:page_edit", kwargs={"section": "themes", "slug": "old-name"}
    )
    data = form_data(world.client.get(url).content.decode(), "edit-form")
    data.update({"title": "Target Title", "slug": "target-title"})
    data["edit-summary"] = "Rename"
    post_ok(world.client, url, data)
    assert Page.objects.get(pk=page.pk).slug == "target-title"
    return Expected(
        blue={"Target Title"},
        red={"Old Name", "Alec Radford"},
        new_revisions=2,
        meta=("edit", world.moderator, world.moderator, "Rename"),
    )


def site_delete(world):
    theme(world, "Target Title", "target-title")
    url = reverse(
        "wiki:page_delete", kwargs={"section": "themes", "slug": "target-title"}
    )
    data = form_data(world.client.get(url).content.decode(), None)
    data["reason"] = "Duplicate"
    post_ok(world.client, url, data)
    return Expected(
        blue=set(),
        red={"Target Title", "Old Name", "Alec Radford"},
        new_revisions=2,
        meta=("delete", world.moderator, world.moderator, "Duplicate"),
    )


def site_recover(world):
    page = theme(world, "Target Title", "target-title")
    history.page_delete(page=page, user=world.moderator, reason="Duplicate")
    kwargs = {"section": "themes", "slug": "target-title"}
    url = reverse("wiki:page_recover", kwargs=kwargs)
    data = form_data(world.client.get(url).content.decode(), None)
    post_ok(world.client, url, data)
    return Expected(
        blue={"Target Title"},
        red={"Old Name", "Alec Radford"},
        new_revisions=3,
        meta=("recover", world.moderator, world.moderator, "Recovered the page"),
    )


def source_edit_site(world):
    url = reverse("sources:source_edit", args=["smith2020"])
    data = form_data(world.client.get(url).content.decode(), "edit-form")
    data.update({"title": "New source title", "edit-summary": "Fix title"})
    post_ok(world.client, url, data)
    return Expected(
        blue=set(),
        red={"Target Title", "Old Name", "Alec Radford"},
        new_revisions=1,
        meta=("edit", world.moderator, world.moderator, "Fix title"),
        source_title="New source title",
    )


def source_edit_admin(world):
    url = f"/admin/sources/source/{world.source.pk}/change/"
    data = admin_form(world.client, url, "source_form")
    data.update({"title": "New source title", "_save": "Save"})
    post_ok(world.client, url, data)
    return Expected(
        blue=set(),
        red={"Target Title", "Old Name", "Alec Radford"},
        new_revisions=1,
        meta=("edit", world.moderator, world.moderator, "Edited in the admin: Title"),
        source_title="New source title",
    )


PATHS = [
    site_create,
    proposal_approval,
    admin_add,
    admin_change,
    admin_delete,
    admin_revert,
    seed_load,
    site_rename,
    site_delete,
    site_recover,
    source_edit_site,
    source_edit_admin,
]


# -- the checks ------------------------------------------------------------------

WIKILINK = re.compile(
    r'<a class="wikilink( wikilink-missing)?" href="[^"]*"(?: title="[^"]*")?>'
    r"([^<]+)</a>"
)


WANTED = re.compile(r'<li><a class="wikilink-missing" href="[^"]*">([^<]+)</a>')


@pytest.mark.parametrize("path", PATHS, ids=[p.__name__ for p in PATHS])
def test_every_write_path_records_one_revision_and_keeps_derived_data(world, path):
    before = Revision.objects.count()

    expected = path(world)

    # Revisions and their metadata.
    assert Revision.objects.count() - before == expected.new_revisions
    revision = Revision.objects.select_related("meta").latest("pk")
    meta = revision.meta
    assert (
        meta.action,
        revision.user,
        meta.approved_by,
        revision.get_comment(),
    ) == expected.meta

    # The link graph of the linking page.
    client = world.client
    stored = {
        link.target_title: link.target_id is not None
        for link in PageLink.objects.filter(source=world.linker)
    }
    assert stored == {
        **dict.fromkeys(expected.blue, True),
        **dict.fromkeys(expected.red, False),
    }

    # Red and blue links as readers see them.
    html = Page.objects.get(pk=world.linker.pk).body_html
    shown = {title: not missing for missing, title in WIKILINK.findall(html)}
    assert shown == stored
    assert f'title="{expected.source_title}"' in html

    # Wanted pages: exactly the red links.
    wanted = client.get(reverse("wiki:wanted")).content.decode()
    assert set(WANTED.findall(wanted)) == expected.red

    # What links here, on each page the links reach.
    for title in expected.blue:
        target = Page.objects.get(title=title)
        detail = client.get(target.get_absolute_url()).content.decode()
        here = detail[detail.index("What links here") :]
        assert 'href="/themes/linker/"' in here
