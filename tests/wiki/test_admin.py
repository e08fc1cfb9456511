"""Moderators edit everything in the admin; every save is one revision."""

import pytest
from django.contrib.auth.models import Group
from reversion.models import Revision, Version

from people.models import Person
from sources.models import Source
from sources.seed import load_seed
from tests.factories import UserFactory
from tests.forms import form_data
from wiki.models import Page, RelatedPage, Theme
from wiki.roles import MODERATORS, ensure_roles
from wiki.services import page_publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator(client):
    load_seed()
    ensure_roles()
    user = UserFactory(username="mod", is_staff=True)
    user.groups.add(Group.objects.get(name=MODERATORS))
    client.force_login(user)
    return user


def alec():
    return Person.objects.get(slug="alec-radford")


def change_url(page):
    return f"/admin/people/person/{page.pk}/change/"


def post_change(client, page, edit):
    response = client.get(change_url(page))
    assert response.status_code == 200
    data = form_data(response.content.decode(), "person_form")
    edit(data)
    return client.post(change_url(page), data)


def test_the_admin_edit_form_uses_the_markdown_preview_widget(client, moderator):
    html = client.get(change_url(alec())).content.decode()
    assert 'data-markdownx-urls-path="/preview/markdown/"' in html
    assert "markdownx-editor" in html
    for inline in (
        "affiliations-TOTAL_FORMS",
        "citations-TOTAL_FORMS",
        "related_links-TOTAL_FORMS",
    ):
        assert inline in html


def test_an_admin_edit_of_text_citation_and_affiliation_is_one_revision(
    client, moderator
):
    page = alec()
    before = Revision.objects.count()
    extra = Source.objects.create(key="extra2025", title="An extra source")

    def edit(data):
        data["body"] = data["body"] + "\n\nA new closing line.[@extra2025]"
        data["affiliations-0-role"] = "research scientist"
        data["_save"] = "Save"

    response = post_change(client, page, edit)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Revision.objects.count() == before + 1
    revision = Revision.objects.latest("pk")
    assert revision.user == moderator
    assert revision.meta.approved_by == moderator
    page = alec()
    assert "A new closing line." in page.body_html
    assert page.citations.filter(source=extra).exists()
    assert page.affiliations.get().role == "research scientist"

    # Reverting to the import restores all three at once.
    first = (
        Version.objects.get_for_object(page).order_by("revision_id").first().revision
    )
    first.revert(delete=True)
    page = alec()
    assert "A new closing line." not in page.body_html
    assert not page.citations.filter(source=extra).exists()
    assert page.affiliations.get().role == "senior researcher"


def test_history_lists_revisions_and_compares_any_two(client, moderator):
    page = alec()
    post_change(
        client, page, lambda d: d.update(summary=d["summary"] + " Edited.", _save="1")
    )
    html = client.get(f"/admin/people/person/{page.pk}/history/").content.decode()
    assert "Imported from seed" in html
    assert "Compare selected revisions" in html
    old, new = (
        v.revision_id for v in Version.objects.get_for_object(page).order_by("pk")
    )
    response = client.get(
        f"/admin/people/person/{page.pk}/history/compare/?from={new}&to={old}"
    )
    assert response.status_code == 200
    assert "<ins> Edited.</ins>" in response.content.decode()


@pytest.mark.parametrize("query", ["", "?from=1", "?from=x&to=y"])
def test_compare_with_bad_ids_is_a_400(client, moderator, query):
    response = client.get(f"/admin/people/person/{alec().pk}/history/compare/{query}")
    assert response.status_code == 400


def test_compare_with_another_pages_revision_is_a_404(client, moderator):
    other = Person.objects.get(slug="luke-metz")
    foreign = Version.objects.get_for_object(other).get().revision_id
    mine = Version.objects.get_for_object(alec()).get().revision_id
    url = f"/admin/people/person/{alec().pk}/history/compare/?from={mine}&to={foreign}"
    assert client.get(url).status_code == 404


def test_invalid_input_gets_clear_messages_not_errors(client, moderator):
    def edit(data):
        data["slug"] = "Not a slug!"
        data["affiliations-0-start_year"] = "2025"
        data["affiliations-0-end_year"] = "2024"  # before the start
        data["_save"] = "Save"

    response = post_change(client, alec(), edit)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Use lowercase letters, digits and single hyphens" in html
    assert "The end date is before the start date." in html


def test_a_title_another_page_of_its_kind_has_in_another_case_is_a_form_error(
    client, moderator
):
    theme = Page.objects.get(slug="ai-copyright-litigation")
    html = client.get("/admin/wiki/theme/add/").content.decode()
    data = form_data(html, "theme_form")
    data.update(title=theme.title.upper(), slug="shouting", _save="Save")
    response = client.post("/admin/wiki/theme/add/", data)
    assert response.status_code == 200
    assert (
        f"A theme is already titled “{theme.title}” (…/ai-copyright-litigation/)."
        in response.content.decode()
    )
    assert not Page.objects.filter(slug="shouting").exists()


def test_a_slug_another_page_of_the_kind_has_is_a_form_error(client, moderator):
    def edit(data):
        data["slug"] = "luke-metz"
        data["_save"] = "Save"

    response = post_change(client, alec(), edit)
    assert response.status_code == 200
    assert "“Luke Metz” already has the address …/luke-metz/" in (
        response.content.decode()
    )
    assert alec().title == "Alec Radford"


@pytest.mark.parametrize(
    ("url", "form_id", "slug", "message"),
    [
        ("/admin/people/person/add/", "person_form", "luke-metz", "already has"),
        ("/admin/wiki/theme/add/", "theme_form", "new", "is reserved"),
    ],
)
def test_adding_a_page_at_a_taken_or_reserved_slug_is_a_form_error(
    client, moderator, url, form_id, slug, message
):
    data = form_data(client.get(url).content.decode(), form_id)
    data.update({"title": "Someone New", "slug": slug, "_save": "Save"})
    response = client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert form_data(html, form_id)["title"] == "Someone New"


def test_a_person_may_share_a_slug_with_a_theme(client, moderator):
    theme_slug = Theme.objects.first().slug
    url = "/admin/people/person/add/"
    data = form_data(client.get(url).content.decode(), "person_form")
    data.update({"title": "Namesake", "slug": theme_slug, "_save": "Save"})
    assert client.post(url, data).status_code == 302
    assert Person.objects.get(slug=theme_slug).title == "Namesake"


def test_an_admin_delete_asks_for_a_reason_and_deletes_softly(client, moderator):
    page = Page.objects.get(slug="ai-copyright-litigation")
    url = f"/admin/wiki/theme/{page.pk}/delete/"
    form = client.get(url).content.decode()
    assert '<textarea name="reason" id="id_reason"' in form
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 400
    assert "Give a reason for deleting the page." in response.content.decode()
    assert not Page.objects.get(pk=page.pk).is_deleted

    response = client.post(url, {"reason": "Merged into another theme"})
    assert response.status_code == 302
    page = Page.objects.get(pk=page.pk)
    assert page.is_deleted
    assert RelatedPage.objects.filter(target=page).exists()  # rows are kept
    revision = Revision.objects.latest("pk")
    assert (revision.meta.action, revision.user, revision.get_comment()) == (
        "delete",
        moderator,
        "Merged into another theme",
    )
    assert "ai-copyright-litigation" in client.get("/deleted/").content.decode()
    change = client.get(f"/admin/wiki/theme/{page.pk}/change/").content.decode()
    assert "Deleted: recover on the site" in change
    assert ">Purge</a>" not in change  # moderators do not purge


def test_a_deleted_page_is_recovered_in_the_admin_as_on_the_site(client, moderator):
    theme = Theme(title="Short-lived", slug="short-lived", summary="Soon gone.")
    page_publish(page=theme, user=moderator, summary="create")
    response = client.post(
        f"/admin/wiki/theme/{theme.pk}/delete/", {"reason": "Not notable"}
    )
    assert response.status_code == 302
    assert Page.objects.get(pk=theme.pk).is_deleted
    version = Version.objects.get_for_object(theme).order_by("pk").first()
    url = f"/admin/wiki/theme/recover/{version.pk}/"
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    theme = Theme.objects.get(slug="short-lived")
    assert (theme.is_deleted, theme.summary) == (False, "Soon gone.")
    revision = Revision.objects.latest("pk")
    assert (revision.meta.action, revision.user) == ("recover", moderator)


def test_no_admin_deletes_pages_in_bulk(client, moderator):
    for url in ("/admin/wiki/theme/", "/admin/people/person/", "/admin/wiki/page/"):
        assert "delete_selected" not in client.get(url).content.decode()
    page = Page.objects.first()
    response = client.post(f"/admin/wiki/page/{page.pk}/delete/", {"reason": "x"})
    assert response.status_code == 403
    assert Page.objects.filter(pk=page.pk, is_deleted=False).exists()


@pytest.mark.parametrize(
    "url",
    [
        "/admin/",
        "/admin/wiki/page/",
        "/admin/wiki/page/?q=rad",
        "/admin/wiki/theme/",
        "/admin/people/person/",
        "/admin/people/organization/",
        "/admin/sources/work/",
        "/admin/sources/source/",
        "/admin/people/person/add/",
        "/admin/sources/work/add/",
        "/admin/sources/source/add/",
        "/admin/wiki/theme/add/",
        "/admin/people/organization/add/",
        "/admin/wiki/pageredirect/",
    ],
)
def test_moderators_reach_every_admin_page(client, moderator, url):
    assert client.get(url).status_code == 200


def test_contributors_and_anonymous_users_are_kept_out_of_the_admin(client):
    response = client.get("/admin/people/person/")
    assert response.status_code == 302
    client.force_login(UserFactory())
    assert client.get("/admin/people/person/").status_code == 302


def test_the_admin_refuses_markdown_past_the_renderers_limits(client, moderator):
    def edit(data):
        data["body"] = "- " * 40 + "deep"
        data["_save"] = "Save"

    before = alec().body
    response = post_change(client, alec(), edit)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Lists and quotes may nest 16 levels deep; this line goes deeper" in html
    assert alec().body == before


# Committed for real, as on a live site: the purge locks rows in its own
# transaction and re-renders the pages linking to it after the commit.
@pytest.mark.django_db(transaction=True)
def test_only_the_purge_permission_removes_a_deleted_page_for_good(client, moderator):
    from wiki.history import page_delete
    from wiki.models import PurgeRecord

    linking = Theme(title="Linking", slug="linking", body="See [[Short-lived]].")
    page_publish(page=linking, user=moderator, summary="create")
    theme = Theme(title="Short-lived", slug="short-lived", summary="Soon gone.")
    page_publish(page=theme, user=moderator, summary="create")
    url = f"/admin/wiki/theme/{theme.pk}/purge/"
    assert client.post(url, {"reason": "Spam"}).status_code == 403

    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.post(url, {"reason": "Spam"})
    assert response.status_code == 400
    assert "Short-lived is not deleted; delete it first." in response.content.decode()

    page_delete(page=theme, user=moderator, reason="Not notable")
    change = client.get(f"/admin/wiki/theme/{theme.pk}/change/").content.decode()
    assert f'<a href="{url}">Purge</a>' in change
    assert client.get(url).status_code == 200
    assert client.post(url, {"reason": "Spam"}).status_code == 302
    assert not Page.objects.filter(pk=theme.pk).exists()
    assert not Version.objects.filter(object_id=str(theme.pk)).exists()
    record = PurgeRecord.objects.get()
    assert (record.title, record.kind, record.slug) == (
        "Short-lived",
        "theme",
        "short-lived",
    )
    assert (record.revision_count, record.purged_by, record.reason) == (
        2,
        admin,
        "Spam",
    )
    assert (
        'class="wikilink wikilink-missing"' in Page.objects.get(pk=linking.pk).body_html
    )

    client.force_login(moderator)
    html = client.get("/admin/wiki/purgerecord/").content.decode()
    assert "Short-lived" in html


def test_deleting_a_theme_in_the_admin_keeps_others_whole(client, moderator):
    from wiki.history import page_revert

    scaling = Theme.objects.get(title="Scaling")
    works = set(scaling.works.values_list("pk", flat=True))
    assert works
    response = client.post(
        f"/admin/wiki/theme/{scaling.pk}/delete/", {"reason": "Too broad"}
    )
    assert response.status_code == 302
    page = alec()
    assert "Scaling" in [t.title for t in page.themes.all()]
    seed = Version.objects.get_for_object(page).order_by("pk").first().revision
    page.body += "\n\nAn edit."
    page_publish(page=page, user=moderator, summary="edit")
    revision = page_revert(page=alec(), revision=seed, user=moderator)
    assert revision.meta.action == "revert"
    assert set(Theme.objects.get(pk=scaling.pk).works.values_list("pk", flat=True)) == (
        works
    )


def test_a_page_deleted_in_the_admin_leaves_no_blue_link_to_a_404(client, moderator):
    theme = Theme.objects.get(title__iexact="Representation learning")
    address = theme.get_absolute_url()
    assert f'href="{address}"' in alec().body_html
    response = client.post(
        f"/admin/wiki/theme/{theme.pk}/delete/", {"reason": "Merged"}
    )
    assert response.status_code == 302
    assert client.get(address).status_code == 410
    html = alec().body_html
    assert f'href="{address}"' not in html
    assert 'title="Representation learning (page does not exist)"' in html


def test_an_admin_revert_to_a_deletion_is_a_revert_that_keeps_the_page(
    client, moderator
):
    from wiki.history import page_recover

    theme = Theme(title="Short-lived", slug="short-lived", summary="Soon gone.")
    page_publish(page=theme, user=moderator, summary="create")
    url = f"/admin/wiki/theme/{theme.pk}/delete/"
    assert client.post(url, {"reason": "Not notable"}).status_code == 302
    deletion = Version.objects.get_for_object(theme).order_by("pk").last()
    page_recover(page=Page.objects.get(pk=theme.pk), user=moderator)
    before = Revision.objects.count()

    url = f"/admin/wiki/theme/{theme.pk}/history/{deletion.pk}/"
    data = form_data(client.get(url).content.decode(), "theme_form")
    assert client.post(url, data).status_code == 302

    assert Revision.objects.count() == before + 1
    revision = Revision.objects.latest("pk")
    assert (revision.meta.action, revision.user) == ("revert", moderator)
    assert not Page.objects.get(pk=theme.pk).is_deleted


def test_a_deleted_page_is_read_only_in_the_admin(client, moderator):
    from wiki.history import page_delete

    theme = Theme(title="Short-lived", slug="short-lived", summary="Soon gone.")
    page_publish(page=theme, user=moderator, summary="create")
    page_delete(page=theme, user=moderator, reason="Not notable")
    before = Revision.objects.count()
    url = f"/admin/wiki/theme/{theme.pk}/change/"
    assert 'name="summary"' not in client.get(url).content.decode()
    response = client.post(url, {"title": "Short-lived", "summary": "Changed"})
    assert response.status_code == 403
    assert Revision.objects.count() == before
    assert Theme.objects.get(pk=theme.pk).summary == "Soon gone."


def breadcrumbs(html):
    start = html.index('<ol class="breadcrumbs">')
    return html[start : html.index("</ol>", start)]


def crumb_texts(html):
    import re

    return [
        re.sub(r"<[^>]+>", "", item).strip()
        for item in re.findall(r"<li[^>]*>(.*?)</li>", breadcrumbs(html), re.S)
    ]


def test_the_admins_own_pages_have_the_admins_breadcrumbs(client, moderator):
    theme = Theme(title="Short-lived", slug="short-lived", summary="Soon gone.")
    page_publish(page=theme, user=moderator, summary="create")
    base = f"/admin/wiki/theme/{theme.pk}"
    html = client.get(f"{base}/delete/").content.decode()
    assert '<div class="breadcrumbs">' not in html
    assert crumb_texts(html) == [
        "Home",
        "Wiki",
        "Themes",
        "Short-lived",
        "Delete Short-lived",
    ]
    assert '<li aria-current="page">Delete Short-lived</li>' in html

    theme.summary = "Edited."
    page_publish(page=theme, user=moderator, summary="edit")
    old = Version.objects.get_for_object(theme).order_by("pk").first().pk
    ids = [v.revision_id for v in Version.objects.get_for_object(theme)]
    html = client.get(
        f"{base}/history/compare/?from={min(ids)}&to={max(ids)}"
    ).content.decode()
    assert crumb_texts(html) == [
        "Home",
        "Wiki",
        "Themes",
        "Short-lived",
        "History",
        "Compare",
    ]

    html = client.get(f"{base}/history/{old}/").content.decode()
    assert crumb_texts(html) == [
        "Home",
        "Wiki",
        "Themes",
        "Short-lived",
        "History",
        f"Revert to revision {min(ids)}",
    ]

    client.post(f"{base}/delete/", {"reason": "Not notable"})
    html = client.get(f"/admin/wiki/theme/recover/{old}/").content.decode()
    assert crumb_texts(html)[-1] == "Recover Short-lived"


def test_the_revert_page_shows_the_revision_read_only(client, moderator):
    page = alec()
    seed = Version.objects.get_for_object(page).get()
    post_change(
        client, page, lambda d: d.update(summary=d["summary"] + " Edited.", _save="1")
    )
    url = f"/admin/people/person/{page.pk}/history/{seed.pk}/"
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        f"This is revision {seed.revision_id}, shown read-only. Saving reverts "
        f"this person to revision {seed.revision_id} exactly as it was, recorded "
        "as a revert; to change it, revert first, then edit." in html
    )
    for name in ("title", "summary", "body", "slug"):
        assert f'name="{name}"' not in html
    for name in ("affiliations-0-organization", "related_links-0-target"):
        assert f'name="{name}"' not in html  # inlines too
    assert '<input type="submit" value="Save"' in html
    assert Person.objects.get(pk=page.pk).summary.endswith(" Edited.")


def test_a_deleted_page_offers_neither_delete_nor_view_on_site(client, moderator):
    from wiki.history import page_delete

    theme = Theme(title="Short-lived", slug="short-lived", summary="Soon gone.")
    page_publish(page=theme, user=moderator, summary="create")
    url = f"/admin/wiki/theme/{theme.pk}/change/"
    html = client.get(url).content.decode()
    assert 'class="deletelink"' in html
    assert "View on site" in html

    page_delete(page=theme, user=moderator, reason="Not notable")
    html = client.get(url).content.decode()
    assert 'class="deletelink"' not in html
    assert "View on site" not in html
    assert "Deleted: recover on the site" in html
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    html = client.get(url).content.decode()
    assert f'<a href="/admin/wiki/theme/{theme.pk}/purge/">Purge</a>' in html
    assert 'class="deletelink"' not in html


def test_purging_a_page_not_deleted_shows_only_the_error(client, moderator):
    theme = Theme.objects.get(title="Scaling")
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.get(f"/admin/wiki/theme/{theme.pk}/purge/")
    html = response.content.decode()
    assert response.status_code == 400
    assert '<p class="errornote">Scaling is not deleted; delete it first.</p>' in html
    assert 'name="reason"' not in html
    assert "Purge for good" not in html
    assert f'<a href="/admin/wiki/theme/{theme.pk}/change/">Back to Scaling</a>' in html


def test_the_reason_box_fits_a_narrow_screen(client, moderator):
    theme = Theme.objects.get(title="Scaling")
    html = client.get(f"/admin/wiki/theme/{theme.pk}/delete/").content.decode()
    assert 'class="confirm-reason"' in html
    assert "/static/css/admin-confirm.css" in html
    assert "style=" not in html.split('id="content"')[1]  # the CSP allows none
    from django.contrib.staticfiles import finders

    with open(finders.find("css/admin-confirm.css")) as css:
        rule = css.read()
    assert "textarea.confirm-reason {" in rule
    assert "width: 100%;" in rule


# Committed, as the purge needs (see above).
@pytest.mark.django_db(transaction=True)
def test_admin_delete_and_purge_reasons_are_cleaned_as_the_forms_clean_text(
    client, moderator
):
    """A NUL byte in a typed reason is dropped (PostgreSQL refuses it: a 500)."""
    from wiki.models import PurgeRecord

    theme = Theme(title="Short-lived", slug="short-lived", summary="Soon gone.")
    page_publish(page=theme, user=moderator, summary="create")
    url = f"/admin/wiki/theme/{theme.pk}/delete/"
    assert client.post(url, {"reason": "Not\x00 notable"}).status_code == 302
    assert Revision.objects.latest("pk").get_comment() == "Not notable"

    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    url = f"/admin/wiki/theme/{theme.pk}/purge/"
    assert client.post(url, {"reason": "Sp\x00am"}).status_code == 302
    assert PurgeRecord.objects.get().reason == "Spam"
