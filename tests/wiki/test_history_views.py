"""History pages: lists, diffs, old revisions, citing, the moderators' actions,
deleted and renamed pages, recent changes, feeds and contributors' pages."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from reversion.models import Revision

from people.models import PERSON, Person
from tests.factories import (
    AffiliationFactory,
    CitationFactory,
    OrganizationFactory,
    PersonFactory,
    RelatedPageFactory,
    SourceFactory,
    ThemeFactory,
    UserFactory,
    WorkFactory,
)
from tests.forms import form_data
from tests.wiki.history_helpers import make_moderator, person_with_history, publish
from wiki import history
from wiki.models import Page, Proposal, RevisionMeta
from wiki.services import page_publish

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def url(name, page, **kwargs):
    return reverse(
        f"wiki:{name}", kwargs={"section": page.section, "slug": page.slug, **kwargs}
    )


def diff_url(page, old, new):
    return f"{url('page_diff', page)}?from={old}&to={new}"


def html_of(response) -> str:
    return response.content.decode()


def warm(client, address):
    """Request once, so per-process caches (content types...) don't count."""
    client.get(address)


# History ---------------------------------------------------------------------


def test_history_lists_revisions_with_author_approver_size_and_compare_form(client):
    editor = UserFactory(username="editor")
    person, revisions = person_with_history("One.", "Two, longer.", authors=[editor])
    publish(person, UserFactory(username="tidier"), summary="Tidy", body="Two.")
    RevisionMeta.objects.filter(revision=revisions[0]).update(minor=True)

    response = client.get(url("page_history", person))

    assert response.status_code == 200
    html = html_of(response)
    assert html.index("Tidy") < html.index("Edit 2") < html.index("Edit 1")
    assert 'href="/users/editor/">editor</a>' in html
    # The first revision brings all the text: "Ada Lovelace", "AI researcher", "One."
    assert "+29" in html and "\N{MINUS SIGN}8" in html
    assert 'title="Minor edit">m</abbr>' in html
    for revision in revisions:
        assert url("revision_detail", person, revision_id=revision.pk) in html
    data = form_data(html)
    assert int(data["from"]) == revisions[1].pk  # the two newest, preselected
    assert data["to"] != data["from"]
    assert f'action="{url("page_diff", person)}"' in html


def test_an_approver_is_named_in_brackets_without_a_stray_space(client):
    person, _ = person_with_history("One.")
    approved = type(person).objects.get(pk=person.pk)
    approved.body = "Two."
    page_publish(
        page=approved,
        user=UserFactory(username="author"),
        summary="Approved edit",
        approved_by=UserFactory(username="checker"),
    )
    html = html_of(client.get(reverse("wiki:recent_changes")))
    assert '(approved by <a href="/users/checker/">checker</a>)</span>' in html


@pytest.mark.parametrize("count", [2, 60])
def test_history_costs_the_same_queries_however_many_revisions(
    client, django_assert_num_queries, count
):
    person, _ = person_with_history(*(f"Body {n}." for n in range(count)))
    address = url("page_history", person)
    warm(client, address)
    with django_assert_num_queries(3):
        response = client.get(address)
    assert response.status_code == 200
    rows = html_of(response).count('class="history-row')
    assert rows == min(count, 50)


def test_history_paginates_fifty_revisions_a_page(client):
    person, revisions = person_with_history(*(f"Body {n}." for n in range(55)))
    html = html_of(client.get(url("page_history", person) + "?page=2"))
    assert html.count('class="history-row') == 5
    assert f"#{revisions[0].pk}<" in html
    assert "Page 2 of 2" in html


def test_history_shows_moderators_revert_and_undo_links_only(client):
    person, revisions = person_with_history("One.", "Two.")
    revert = url("revision_revert", person, revision_id=revisions[0].pk)
    assert revert not in html_of(client.get(url("page_history", person)))
    client.force_login(make_moderator())
    html = html_of(client.get(url("page_history", person)))
    assert revert in html
    assert url("revision_undo", person, revision_id=revisions[1].pk) in html


def test_the_admin_history_lists_the_same_revisions_as_the_site(admin_client):
    person, _ = person_with_history("One.", "Two.")
    AffiliationFactory(person=person)
    publish(person, UserFactory(), summary="Affiliation")
    history.page_delete(page=person, user=make_moderator(), reason="Test")
    response = admin_client.get(f"/admin/people/person/{person.pk}/history/")
    admin_ids = [action["revision"].pk for action in response.context["action_list"]]
    site_html = html_of(admin_client.get(url("page_history", person)))
    site_ids = [int(i) for i in re.findall(r'id="revision-(\d+)"', site_html)]
    assert len(admin_ids) == 4
    assert admin_ids == site_ids


# Diff ------------------------------------------------------------------------


def test_diff_shows_changed_fields_only_with_words_marked(client):
    person, revisions = person_with_history("The quick fox.", "The slow fox.")
    response = client.get(diff_url(person, revisions[0].pk, revisions[1].pk))
    assert response.status_code == 200
    html = html_of(response)
    assert "<del>quick</del><ins>slow</ins>" in html
    assert "1 field changed" in html
    assert "Short description" not in html


def test_diff_compares_any_two_revisions_in_either_order(client):
    person, revisions = person_with_history("Alpha.", "Beta.", "Gamma.")
    first, last = revisions[0].pk, revisions[2].pk
    forwards = changes_of(client.get(diff_url(person, first, last)))
    backwards = changes_of(client.get(diff_url(person, last, first)))
    assert "<del>Alpha</del><ins>Gamma</ins>" in forwards
    assert forwards == backwards


def changes_of(response) -> str:
    html = html_of(response)
    return html[html.index('<div class="field-changes">') :]


def test_diff_links_to_the_older_and_newer_change(client):
    person, revisions = person_with_history("A.", "B.", "C.", "D.")
    r = [revision.pk for revision in revisions]
    html = html_of(client.get(diff_url(person, r[1], r[2])))
    assert diff_url(person, r[0], r[1]).replace("&", "&amp;") in html
    assert diff_url(person, r[2], r[3]).replace("&", "&amp;") in html
    assert "Older change" in html and "Newer change" in html


def test_diff_shows_added_and_removed_related_rows(client):
    person, revisions = person_with_history("Body.")
    openai = OrganizationFactory(title="OpenAI")
    theme = ThemeFactory(title="Scaling laws")

    def relate():
        AffiliationFactory(person=person, organization=openai, role="researcher")
        person.themes.add(theme)

    new = publish(person, UserFactory(), save_related=relate)
    html = html_of(client.get(diff_url(person, revisions[0].pk, new.pk)))
    assert "<ins>organization: OpenAI · role: researcher</ins>" in html
    assert "<ins>Scaling laws</ins>" in html


def _person_with_rows(count: int) -> tuple[Person, list]:
    person = PersonFactory.build(title="Rows", slug="rows", body="Start.")
    first = page_publish(page=person, user=UserFactory(), summary="create")

    def rows():
        for _ in range(count):
            AffiliationFactory(person=person)
            CitationFactory(page=person)
            RelatedPageFactory(page=person)
            person.themes.add(ThemeFactory())

    person.body = "End."
    second = page_publish(
        page=person, user=UserFactory(), summary="rows", save_related=rows
    )
    return person, [first, second]


@pytest.mark.parametrize("rows", [1, 25])
def test_diff_costs_the_same_queries_however_many_rows(
    client, django_assert_num_queries, rows
):
    person, revisions = _person_with_rows(rows)
    address = diff_url(person, revisions[0].pk, revisions[1].pk)
    warm(client, address)
    # page, the two revisions, their versions, then one query per related model:
    # organizations, sources, pages, themes.
    with django_assert_num_queries(7):
        response = client.get(address)
    assert html_of(response).count("<ins>organization:") == rows


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ("", 400, "Choose two revisions to compare."),
        ("?from=1", 400, "Choose two revisions to compare."),
        ("?from=x&to=2", 400, "Revision ids are whole numbers."),
        ("?from=1.5&to=2", 400, "Revision ids are whole numbers."),
        ("?from={a}&to={a}", 400, "Choose two different revisions"),
        ("?from={a}&to=999999", 404, "Revision 999999 is not a revision of"),
        ("?from={a}&to={other}", 404, "is not a revision of Ada Lovelace"),
    ],
)
def test_bad_diff_requests_get_a_clear_page_not_an_error(
    client, query, status, message
):
    person, revisions = person_with_history("One.", "Two.")
    _, theirs = person_with_history("Other.", title="Other Person")
    query = query.format(a=revisions[0].pk, other=theirs[0].pk)
    response = client.get(url("page_diff", person) + query)
    assert response.status_code == status
    assert message in html_of(response)
    assert url("page_history", person) in html_of(response)


def _corrupt(revision):
    version = revision.version_set.get(content_type__model="page")
    version.serialized_data = version.serialized_data.replace(
        '"is_deleted": false', '"is_deleted": "not a boolean"'
    )
    version.save()


def test_a_revision_from_before_a_data_change_gets_a_clear_page(client):
    person, revisions = person_with_history("One.", "Two.")
    _corrupt(revisions[0])
    for address in [
        diff_url(person, revisions[0].pk, revisions[1].pk),
        url("revision_detail", person, revision_id=revisions[0].pk),
    ]:
        response = client.get(address)
        assert response.status_code == 410
        assert "older data format and can no longer be read" in html_of(response)


# Old revisions, footer, citing ----------------------------------------------


def test_an_old_revision_shows_the_page_as_it_was_with_a_banner(client):
    openai = OrganizationFactory(title="OpenAI", slug="openai")
    person = PersonFactory.build(title="Ada", slug="ada", body="Old words.")
    first = page_publish(
        page=person,
        user=UserFactory(username="first"),
        summary="Create",
        save_related=lambda: AffiliationFactory(
            person=person, organization=openai, role="researcher"
        ),
    )
    person.body = "New words."
    person.title = "Ada King"
    page_publish(
        page=person,
        user=UserFactory(),
        summary="Rename",
        save_related=lambda: person.affiliations.all().delete(),
    )

    response = client.get(url("revision_detail", person, revision_id=first.pk))

    assert response.status_code == 200
    html = html_of(response)
    assert '<h1 id="page-title">Ada</h1>' in html
    assert "<p>Old words.</p>" in html and "New words." not in html
    assert "OpenAI</a>, researcher" in html
    assert "This is an old revision of this page" in html
    assert f'href="{person.get_absolute_url()}">the current revision</a>' in html
    assert "Diff with the current revision" in html
    assert 'href="/users/first/">first</a>' in html


def test_the_latest_revision_is_labelled_current(client):
    person, revisions = person_with_history("Only.")
    html = html_of(
        client.get(url("revision_detail", person, revision_id=revisions[0].pk))
    )
    assert "This is the current revision of this page" in html


@pytest.mark.parametrize("rows", [1, 20])
def test_an_old_revision_costs_the_same_queries_however_many_rows(
    client, django_assert_num_queries, rows
):
    person, revisions = _person_with_rows(rows)
    address = url("revision_detail", person, revision_id=revisions[1].pk)
    warm(client, address)
    # The live page as the page view reads it (7), the revision (1), its versions
    # (1), one query per model its rows point to (4: themes, organizations,
    # sources, pages), then the bounded navigation lists (5).
    with django_assert_num_queries(18):
        assert client.get(address).status_code == 200


def test_another_pages_revision_or_an_unknown_one_is_a_404_page(client):
    person, _ = person_with_history("Mine.")
    _, theirs = person_with_history("Theirs.", title="Other Person")
    for revision_id in [theirs[0].pk, 99999]:
        response = client.get(url("revision_detail", person, revision_id=revision_id))
        assert response.status_code == 404
        assert "is not a revision of Ada Lovelace" in html_of(response)
    assert (
        client.get(f"{url('page_history', person)}../revisions/abc/").status_code == 404
    )


def test_the_page_footer_names_the_last_editor_and_links_history_and_citing(client):
    editor = UserFactory(username="last-editor")
    person, revisions = person_with_history("One.", "Two.", authors=[editor])
    html = html_of(client.get(person.get_absolute_url()))
    assert "Last edited" in html
    assert 'by <a href="/users/last-editor/">last-editor</a>' in html
    assert f'href="{url("page_history", person)}">History</a>' in html
    permanent = url("revision_detail", person, revision_id=revisions[-1].pk)
    assert f'href="{permanent}">Permanent link</a>' in html
    assert f'href="{url("page_cite", person)}">Cite this page</a>' in html


def test_the_footer_costs_no_query_of_its_own_however_many_revisions(client):
    counts = []
    for n, revisions in enumerate([1, 30]):
        bodies = [f"Body {i}." for i in range(revisions)]
        person, _ = person_with_history(*bodies, title=f"Person {n}")
        address = person.get_absolute_url()
        warm(client, address)
        with CaptureQueriesContext(connection) as captured:
            assert "Last edited" in html_of(client.get(address))
        counts.append(len(captured))
        # The last revision comes with the page, as a subquery of its one query.
        assert not [q for q in captured if q["sql"].startswith('SELECT "reversion')]
    assert counts[0] == counts[1]


def test_cite_this_page_gives_the_permanent_link_in_ready_citations(client):
    person, revisions = person_with_history("One.", "Two.")
    html = html_of(client.get(url("page_cite", person)))
    permanent = "http://testserver" + url(
        "revision_detail", person, revision_id=revisions[-1].pk
    )
    assert f'<a href="{permanent}">{permanent}</a>' in html
    assert html.count(permanent) >= 4
    old = html_of(client.get(url("page_cite", person) + f"?revision={revisions[0].pk}"))
    assert f"/revisions/{revisions[0].pk}/" in old
    assert client.get(url("page_cite", person) + "?revision=x").status_code == 400


# Revert, undo, rollback --------------------------------------------------------


def test_revert_asks_for_confirmation_and_changes_nothing_on_get(client):
    person, revisions = person_with_history("First text.", "Second text.")
    client.force_login(make_moderator())
    address = url("revision_revert", person, revision_id=revisions[0].pk)

    response = client.get(address)

    assert response.status_code == 200
    html = html_of(response)
    assert "<del>Second</del><ins>First</ins>" in html
    assert 'method="post"' in html
    assert Revision.objects.count() == 2


def test_a_moderator_reverts_through_the_confirmation_form(client):
    person, revisions = person_with_history("First text.", "Second text.")
    moderator = make_moderator()
    client.force_login(moderator)
    address = url("revision_revert", person, revision_id=revisions[0].pk)
    data = form_data(html_of(client.get(address)))
    data["summary"] = "Back to the sourced text"

    response = client.post(address, data)

    assert response.status_code == 302
    assert response["Location"] == url("page_history", person)
    assert Person.objects.get(pk=person.pk).body == "First text."
    latest = history.latest_entry(person)
    assert latest.action == RevisionMeta.Action.REVERT
    assert latest.summary.endswith(": Back to the sourced text")
    html = html_of(client.get(response["Location"]))
    assert f"Reverted Ada Lovelace to revision {revisions[0].pk}." in html


def test_reverting_to_the_current_revision_or_a_deleted_page_is_refused_clearly(
    client,
):
    person, revisions = person_with_history("One.", "Two.")
    moderator = make_moderator()
    client.force_login(moderator)
    current = url("revision_revert", person, revision_id=revisions[1].pk)
    response = client.get(current)
    assert response.status_code == 409
    assert "is already the current one" in html_of(response)
    assert client.post(current).status_code == 409

    history.page_delete(page=person, user=moderator, reason="Gone")
    older = url("revision_revert", person, revision_id=revisions[0].pk)
    response = client.post(older, {"summary": ""})
    assert response.status_code == 409
    assert "is deleted. Recover it first." in html_of(response)
    assert Person.objects.get(pk=person.pk).is_deleted


@pytest.mark.parametrize("name", ["revision_revert", "revision_undo"])
def test_only_moderators_may_revert_or_undo(client, name):
    person, revisions = person_with_history("One.", "Two.")
    address = url(name, person, revision_id=revisions[1].pk)
    anonymous = client.post(address)
    assert anonymous.status_code == 302
    assert (
        "/accounts/login/" in anonymous["Location"] or "login" in anonymous["Location"]
    )
    client.force_login(UserFactory(username="contributor"))
    assert client.get(address).status_code == 403
    assert client.post(address).status_code == 403
    assert Revision.objects.count() == 2


def test_undo_page_shows_the_change_and_undoes_it(client):
    person, _ = person_with_history("Body.")
    undone = publish(person, UserFactory(), short_description="Vandal")
    publish(person, UserFactory(), body="Later.")
    client.force_login(make_moderator())
    address = url("revision_undo", person, revision_id=undone.pk)

    html = html_of(client.get(address))
    assert "<del>AI researcher</del> → <ins>Vandal</ins>" in html

    assert client.post(address, form_data(html)).status_code == 302
    person = Person.objects.get(pk=person.pk)
    assert (person.short_description, person.body) == ("AI researcher", "Later.")


def test_undo_that_conflicts_with_a_later_revision_is_refused_clearly(client):
    person, revisions = person_with_history("One.", "Two.", "Three.")
    client.force_login(make_moderator())
    address = url("revision_undo", person, revision_id=revisions[1].pk)
    response = client.get(address)
    assert response.status_code == 409
    assert "later revisions changed the same field (body)" in html_of(response)
    assert client.post(address).status_code == 409
    assert Person.objects.get(pk=person.pk).body == "Three."


def test_rollback_lists_the_run_and_rolls_it_back(client):
    good, vandal = UserFactory(username="good"), UserFactory(username="vandal")
    person, _ = person_with_history(
        "Good.", "Bad.", "Worse.", authors=[good, vandal, vandal]
    )
    client.force_login(make_moderator())
    address = url("page_rollback", person)
    html = html_of(client.get(address))
    assert "latest 2 consecutive revisions by" in html
    assert client.post(address, form_data(html, None)).status_code == 302
    assert Person.objects.get(pk=person.pk).body == "Good."


# Delete, recover, rename --------------------------------------------------------


def test_a_deleted_page_answers_410_with_the_reason_and_its_history_for_moderators(
    client,
):
    person, _ = person_with_history("Text.")
    moderator = make_moderator()
    history.page_delete(page=person, user=moderator, reason="Not notable")
    response = client.get(person.get_absolute_url())
    assert response.status_code == 410
    html = html_of(response)
    assert "Not notable" in html
    assert url("page_history", person) not in html
    assert "Its history is visible to moderators only." in html
    assert client.get(url("page_history", person)).status_code == 410
    client.force_login(moderator)
    assert url("page_history", person) in html_of(client.get(person.get_absolute_url()))
    assert client.get(url("page_history", person)).status_code == 200


def test_deleted_pages_leave_public_lists_and_related_pages(client):
    person, _ = person_with_history("Text.")
    other, _ = person_with_history("Other.", title="Other Person")
    RelatedPageFactory(page=other, target=person)
    publish(other, UserFactory())
    history.page_delete(page=person, user=make_moderator(), reason="Gone")
    assert "Ada Lovelace" not in html_of(client.get(other.get_absolute_url()))
    assert "Ada Lovelace" not in html_of(client.get("/"))
    assert "Ada Lovelace" not in html_of(client.get("/people/"))


def test_deleted_themes_and_members_leave_infoboxes(client):
    theme = ThemeFactory.build(title="Doomed theme", slug="doomed-theme")
    page_publish(page=theme, user=UserFactory(), summary="create")
    openai = OrganizationFactory(title="OpenAI", slug="openai")
    person, _ = person_with_history("Text.")
    AffiliationFactory(person=person, organization=openai)
    work = WorkFactory(title="A Paper", slug="a-paper")
    person.themes.add(theme)
    work.themes.add(theme)
    moderator = make_moderator()
    history.page_delete(page=theme, user=moderator, reason="Merged")
    history.page_delete(page=person, user=moderator, reason="Hoax")
    assert "Doomed theme" not in html_of(client.get(work.get_absolute_url()))
    assert "Ada Lovelace" not in html_of(client.get(openai.get_absolute_url()))
    history.page_recover(page=person, user=moderator)
    assert "Doomed theme" not in html_of(client.get(person.get_absolute_url()))
    assert "Ada Lovelace" in html_of(client.get(openai.get_absolute_url()))


def test_moderators_delete_list_and_recover_pages_through_forms(client):
    person, _ = person_with_history("Text.")
    client.force_login(make_moderator())
    delete = url("page_delete", person)
    data = form_data(html_of(client.get(delete)))
    assert client.post(delete, data).status_code == 400  # the reason is required
    data["reason"] = "Duplicate"
    assert client.post(delete, data).status_code == 302

    listing = html_of(client.get(reverse("wiki:deleted_pages")))
    assert "Ada Lovelace" in listing and "Duplicate" in listing
    recover = url("page_recover", person)
    assert recover in listing
    assert (
        client.post(recover, form_data(html_of(client.get(recover)))).status_code == 302
    )
    assert client.get(person.get_absolute_url()).status_code == 200


def test_only_moderators_see_deleted_pages_or_delete(client):
    person, _ = person_with_history("Text.")
    client.force_login(UserFactory())
    assert client.get(reverse("wiki:deleted_pages")).status_code == 403
    assert client.post(url("page_delete", person), {"reason": "x"}).status_code == 403
    assert not Page.objects.get(pk=person.pk).is_deleted


def test_renamed_pages_answer_301_at_every_old_address(client):
    person, revisions = person_with_history("Text.")
    publish(person, UserFactory(), slug="ada-king")
    publish(person, UserFactory(), slug="ada-countess")

    for old in ["ada-lovelace", "ada-king"]:
        response = client.get(f"/people/{old}/")
        assert response.status_code == 301
        assert response["Location"] == "/people/ada-countess/"
        history_response = client.get(f"/people/{old}/history/?page=1")
        assert history_response.status_code == 301
        assert history_response["Location"] == "/people/ada-countess/history/?page=1"
    revision = client.get(f"/people/ada-lovelace/revisions/{revisions[0].pk}/")
    assert revision["Location"] == f"/people/ada-countess/revisions/{revisions[0].pk}/"


def test_renaming_in_the_admin_keeps_the_old_address(admin_client):
    theme = ThemeFactory.build(title="Old name", slug="old-name")
    page_publish(page=theme, user=UserFactory(), summary="create")
    change = f"/admin/wiki/theme/{theme.pk}/change/"
    data = form_data(html_of(admin_client.get(change)), "theme_form")
    data.update(slug="new-name", _save="Save")
    assert admin_client.post(change, data).status_code == 302
    assert admin_client.get("/themes/old-name/")["Location"] == "/themes/new-name/"


# Recent changes, feeds, contributors --------------------------------------------------


def test_recent_changes_lists_every_page_newest_first_with_diff_links(client):
    person, revisions = person_with_history("One.", "Two.")
    work = WorkFactory.build(title="A Paper", slug="a-paper")
    page_publish(page=work, user=UserFactory(username="writer"), summary="New work")
    html = html_of(client.get(reverse("wiki:recent_changes")))
    assert html.index("A Paper") < html.index("Edit 2") < html.index("Edit 1")
    assert (
        diff_url(person, revisions[0].pk, revisions[1].pk).replace("&", "&amp;") in html
    )
    assert 'href="/users/writer/">writer</a>' in html


def test_recent_changes_filter_by_kind_user_and_dates(client):
    person_with_history("Person text.", authors=[UserFactory(username="alice")])
    work = WorkFactory.build(title="A Paper", slug="a-paper")
    page_publish(page=work, user=UserFactory(username="bob"), summary="Paper")
    changes = reverse("wiki:recent_changes")

    assert "A Paper" not in html_of(client.get(changes + "?kind=person"))
    assert "Ada Lovelace" in html_of(client.get(changes + "?kind=person"))
    assert "Ada Lovelace" not in html_of(client.get(changes + "?user=bob"))
    assert "No changes match." in html_of(client.get(changes + "?since=2999-01-01"))
    assert "A Paper" in html_of(client.get(changes + "?until=2999-01-01"))


def test_recent_changes_pages_keep_the_filters_in_their_links(client):
    person_with_history(*(f"Body {n}." for n in range(55)))
    changes = reverse("wiki:recent_changes")
    first = html_of(client.get(changes + "?kind=person&hide_minor=on"))
    assert '<nav class="pagination" aria-label="Pages">' in first
    assert 'rel="next" href="?kind=person&amp;hide_minor=on&amp;page=2"' in first
    assert 'rel="prev"' not in first
    second = html_of(client.get(changes + "?kind=person&hide_minor=on&page=2"))
    assert 'rel="prev" href="?kind=person&amp;hide_minor=on&amp;page=1"' in second
    assert 'rel="next"' not in second
    # Every change ever made is not counted on each request: no "of N".
    assert "<span>Page 2</span>" in second


def test_a_page_number_past_the_end_or_not_a_number_shows_a_page(client):
    person, revisions = person_with_history(*(f"Body {n}." for n in range(55)))
    past = html_of(client.get(url("page_history", person) + "?page=99"))
    assert "Page 2 of 2" in past and past.count('class="history-row') == 5
    junk = html_of(client.get(url("page_history", person) + "?page=x"))
    assert "Page 1 of 2" in junk and junk.count('class="history-row') == 50


def test_recent_changes_with_bad_filters_explains_them(client):
    response = client.get(
        reverse("wiki:recent_changes") + "?since=2025-02-01&until=2025-01-01&kind=x"
    )
    assert response.status_code == 200
    html = html_of(response)
    assert "The start date is after the end date." in html
    assert "Select a valid choice. x is not one of the available choices." in html
    bad_date = client.get(reverse("wiki:recent_changes") + "?since=yesterday")
    assert "Enter a valid date." in html_of(bad_date)


@pytest.mark.parametrize(
    "query",
    ["until=9999-12-31", "since=0001-01-01", "since=0999-12-31&until=3000-01-01"],
)
@pytest.mark.parametrize("name", ["wiki:recent_changes", "wiki:recent_changes_feed"])
def test_recent_changes_refuse_dates_beyond_the_calendar_they_can_handle(
    client, name, query
):
    person_with_history("Text.")
    response = client.get(f"{reverse(name)}?{query}")
    assert response.status_code == 200
    if name == "wiki:recent_changes":
        html = html_of(response)
        assert "Choose a date between the years 1000 and 2999." in html
        assert "Ada Lovelace" in html
    else:
        assert [title for title, _ in _atom_entries(response)] == [
            "Ada Lovelace: Edit 1"
        ]


@pytest.mark.parametrize("pages", [1, 30])
def test_recent_changes_cost_the_same_queries_however_many_pages(
    client, django_assert_num_queries, pages
):
    for n in range(pages):
        person_with_history("Text.", title=f"Person {n}")
    address = reverse("wiki:recent_changes")
    warm(client, address)
    # The changes and their pages; no COUNT of every change.
    with django_assert_num_queries(2):
        client.get(address)


def _atom_entries(response):
    root = ET.fromstring(response.content)
    return [
        (entry.find(f"{ATOM}title").text, entry.find(f"{ATOM}link").get("href"))
        for entry in root.iter(f"{ATOM}entry")
    ]


def test_recent_changes_and_page_history_have_atom_feeds(client):
    person, revisions = person_with_history("One.", "Two.")
    work = WorkFactory.build(title="A Paper", slug="a-paper")
    page_publish(page=work, user=UserFactory(), summary="<b>bold</b> claim")

    site = client.get(reverse("wiki:recent_changes_feed"))
    assert site["Content-Type"].startswith("application/atom+xml")
    titles = [title for title, _ in _atom_entries(site)]
    assert titles[0] == "A Paper: <b>bold</b> claim"
    assert "Ada Lovelace: Edit 2" in titles

    page_feed = _atom_entries(client.get(url("page_history_feed", person)))
    assert [title for title, _ in page_feed] == [
        "Ada Lovelace: Edit 2",
        "Ada Lovelace: Edit 1",
    ]
    assert page_feed[0][1].endswith(diff_url(person, revisions[0].pk, revisions[1].pk))
    filtered = _atom_entries(
        client.get(reverse("wiki:recent_changes_feed") + "?kind=work")
    )
    assert [title for title, _ in filtered] == ["A Paper: <b>bold</b> claim"]


def test_a_contributors_page_lists_their_published_revisions(client):
    alice = UserFactory(username="alice")
    person_with_history("One.", "Two.", authors=[alice])
    person_with_history("Other.", title="Not Hers")
    response = client.get(reverse("wiki:contributor", kwargs={"username": "alice"}))
    html = html_of(response)
    assert "2 published revisions" in html
    assert "Ada Lovelace" in html and "Not Hers" not in html
    assert "Proposals" not in html
    assert client.get("/users/nobody/").status_code == 404


def test_proposals_show_to_their_author_and_moderators_only(client):
    alice = UserFactory(username="alice")
    Proposal.objects.create(
        kind=PERSON, title="Proposed Person", summary="New page", author=alice
    )
    address = reverse("wiki:contributor", kwargs={"username": "alice"})
    client.force_login(UserFactory(username="stranger"))
    assert "Proposed Person" not in html_of(client.get(address))
    client.force_login(alice)
    assert "Proposed Person" in html_of(client.get(address))
    moderator = make_moderator()
    from django.contrib.auth.models import Permission

    moderator.user_permissions.add(Permission.objects.get(codename="review_proposal"))
    client.force_login(moderator)
    assert "Proposed Person" in html_of(client.get(address))


@pytest.mark.parametrize(
    ("address", "status"),
    [
        ("/changes/?since=2020-01-01&user=<script>", 200),
        ("/changes/feed/?kind=nonsense", 200),
        ("/users/a%20b/", 404),
    ],
)
def test_odd_input_never_breaks_the_change_lists(client, address, status):
    assert client.get(address).status_code == status


def test_unknown_sources_themes_or_works_in_a_revision_do_not_break_it(client):
    source = SourceFactory(key="doomed")
    person = PersonFactory.build(title="Ada", slug="ada", body="Cites.[@doomed]")
    first = page_publish(page=person, user=UserFactory(), summary="create")
    person.body = "No longer."
    page_publish(page=person, user=UserFactory(), summary="drop")
    person.citations.all().delete()
    source.delete()
    response = client.get(url("revision_detail", person, revision_id=first.pk))
    assert response.status_code == 200


def test_every_seed_page_shows_its_first_revision_and_a_diff_after_an_edit(client):
    from sources.seed import load_seed

    load_seed()
    editor = UserFactory(username="editor")
    for page in Page.objects.all():
        specific = page.specific
        first = history.latest_entry(page).id
        edited = type(specific).objects.get(pk=page.pk)
        edited.summary = (edited.summary or "") + " Edited."
        second = page_publish(page=edited, user=editor, summary="Tweak").pk
        old = client.get(url("revision_detail", page, revision_id=first))
        assert old.status_code == 200, page
        assert "This is an old revision of this page" in html_of(old)
        diff = client.get(diff_url(page, first, second))
        assert diff.status_code == 200, page
        assert "<ins> Edited.</ins>" in html_of(diff)


def _pages_by_alice(count: int) -> list:
    alice = UserFactory(username="alice")
    pages = [
        person_with_history("One.", "Two.", "Three.", authors=[alice], title=f"P {k}")[
            0
        ]
        for k in range(count)
    ]
    history.page_delete(page=pages[0], user=make_moderator(), reason="Gone")
    return pages


# Two pages at least: the first is deleted, and a deleted page's revisions are
# listed to moderators only, so one page alone would leave the lists empty.
@pytest.mark.parametrize("count", [2, 12])
@pytest.mark.parametrize(
    ("name", "queries"),
    [("site feed", 2), ("page feed", 2), ("contributor", 4), ("cite", 2), ("gone", 3)],
)
def test_feeds_contributors_citing_and_gone_pages_cost_fixed_queries(
    client, django_assert_num_queries, count, name, queries
):
    pages = _pages_by_alice(count)
    address = {
        "site feed": reverse("wiki:recent_changes_feed"),
        "page feed": url("page_history_feed", pages[-1]),
        "contributor": reverse("wiki:contributor", kwargs={"username": "alice"}),
        "cite": url("page_cite", pages[-1]),
        "gone": pages[0].get_absolute_url(),
    }[name]
    warm(client, address)
    with django_assert_num_queries(queries):
        assert client.get(address).status_code == (410 if name == "gone" else 200)


def test_moderators_lists_cost_the_same_queries_however_many_pages(client):
    counts = []
    for count in [1, 12]:
        Revision.objects.all().delete()
        Page.objects.all().delete()
        pages = _pages_by_alice(count)
        for page in pages[1:]:
            history.page_delete(page=page, user=make_moderator(), reason="Gone")
        client.force_login(make_moderator())
        sizes = []
        for address in [reverse("wiki:deleted_pages"), "/users/alice/"]:
            warm(client, address)
            with CaptureQueriesContext(connection) as captured:
                assert client.get(address).status_code == 200
            sizes.append(len(captured))
        counts.append(sizes)
    assert counts[0] == counts[1]


@pytest.mark.parametrize(
    "query",
    ["?from=99999999999999999999&to=1", "?from=1&to=-5", "?from=1e3&to=2"],
)
def test_ids_too_long_or_malformed_are_a_400_not_a_500(client, query):
    from sources.seed import load_seed

    load_seed()
    response = client.get(f"/people/alec-radford/diff/{query}")
    assert response.status_code == 400
    assert (
        client.get("/people/alec-radford/revisions/99999999999999999999/").status_code
        == 404
    )
    assert client.get("/review/99999999999999999999/").status_code == 404


def test_an_old_revision_is_not_indexed_and_offers_no_edit_link(client):
    person, revisions = person_with_history("One.", "Two.")
    old = html_of(
        client.get(url("revision_detail", person, revision_id=revisions[0].pk))
    )
    assert '<meta name="robots" content="noindex">' in old
    assert "Edit this page" not in old
    current = html_of(client.get(person.get_absolute_url()))
    assert "noindex" not in current and "Edit this page" in current


# -- a confirmation runs the plan it showed ------------------------------------


def _confirm_pages(person, revisions):
    """Each history action's confirmation page, for a page with three revisions
    by two authors, and what the page looks like if the action ran."""
    return {
        "revert": url("revision_revert", person, revision_id=revisions[0].pk),
        "undo": url("revision_undo", person, revision_id=revisions[2].pk),
        "rollback": url("page_rollback", person),
        "delete": url("page_delete", person),
    }


@pytest.mark.parametrize("action", ["revert", "undo", "rollback", "delete"])
def test_a_confirmation_shown_before_the_page_changed_is_refused(client, action):
    good, vandal = UserFactory(username="good"), UserFactory(username="vandal")
    person, revisions = person_with_history(
        "Good.", "Bad.", "Worse.", authors=[good, good, vandal]
    )
    client.force_login(make_moderator())
    address = _confirm_pages(person, revisions)[action]
    data = form_data(html_of(client.get(address)), None)
    data["reason"] = "Private information"
    assert data["seen_revision"] == str(revisions[2].pk)
    meanwhile = publish(person, UserFactory(username="late"), short_description="New")

    response = client.post(address, data)

    assert response.status_code == 409
    html = html_of(response)
    assert (
        f"Ada Lovelace changed after this confirmation was shown: it was at revision "
        f"{revisions[2].pk} and is now at revision {meanwhile.pk}. Nothing was done"
    ) in html
    assert "What changed on the page since you opened this confirmation" in html
    assert "<del>AI researcher</del> → <ins>New</ins>" in html
    assert form_data(html, None)["seen_revision"] == str(meanwhile.pk)
    person = Person.objects.get(pk=person.pk)
    assert (person.body, person.short_description, person.is_deleted) == (
        "Worse.",
        "New",
        False,
    )
    assert Revision.objects.count() == 4


@pytest.mark.parametrize(
    ("action", "field", "typed"),
    [("revert", "summary", "Vandalism"), ("delete", "reason", "Private information")],
)
def test_a_refused_stale_confirmation_keeps_what_was_typed(
    client, action, field, typed
):
    person, revisions = person_with_history("Good.", "Bad.", "Worse.")
    client.force_login(make_moderator())
    address = _confirm_pages(person, revisions)[action]
    data = form_data(html_of(client.get(address)), None)
    data[field] = typed
    publish(person, UserFactory(username="late"), short_description="New")

    response = client.post(address, data)

    assert response.status_code == 409
    assert form_data(html_of(response), None)[field] == typed


@pytest.mark.parametrize(
    ("name", "heading"),
    [
        ("revision_revert", "Revert Ada Lovelace to revision {first}"),
        ("revision_undo", "Undo revision {first} of Ada Lovelace"),
        ("page_rollback", "Roll back the latest edits to Ada Lovelace"),
    ],
)
def test_an_action_on_a_deleted_page_is_refused_under_its_own_heading(
    client, name, heading
):
    person, revisions = person_with_history("One.", "Two.")
    moderator = make_moderator()
    history.page_delete(page=person, user=moderator, reason="Gone")
    client.force_login(moderator)
    kwargs = {"revision_id": revisions[0].pk} if name != "page_rollback" else {}

    response = client.get(url(name, person, **kwargs))

    assert response.status_code == 409
    html = html_of(response)
    assert f"<h1>{heading.format(first=revisions[0].pk)}\n</h1>" in html
    assert "Ada Lovelace is deleted. Recover it first." in html


@pytest.mark.parametrize(
    "name",
    ["page_delete", "page_rollback", "deleted_pages", "visibility_log"],
)
def test_a_contributor_is_refused_a_moderators_page_with_the_forbidden_page(
    client, name
):
    person, _ = person_with_history("Text.")
    client.force_login(UserFactory())
    address = url(name, person) if name.startswith("page_") else reverse(f"wiki:{name}")

    response = client.get(address)

    assert response.status_code == 403
    html = html_of(response)
    assert "<h1>You may not do this</h1>" in html
    assert "<p>Only moderators can do this.</p>" in html


def test_recovering_from_a_stale_confirmation_is_refused(client):
    person, revisions = person_with_history("One.", "Two.")
    moderator = make_moderator()
    client.force_login(moderator)
    history.page_delete(page=person, user=moderator, reason="First deletion")
    address = url("page_recover", person)
    data = form_data(html_of(client.get(address)), None)
    history.page_recover(page=person, user=moderator)
    history.page_delete(page=person, user=moderator, reason="Deleted again")

    response = client.post(address, data)

    assert response.status_code == 409
    assert "Nothing was done" in html_of(response)
    assert Person.objects.get(pk=person.pk).is_deleted


@pytest.mark.parametrize("action", ["revert", "undo", "rollback", "delete"])
def test_a_confirmation_that_does_not_name_its_revision_is_refused(client, action):
    good, vandal = UserFactory(username="good"), UserFactory(username="vandal")
    person, revisions = person_with_history(
        "Good.", "Bad.", "Worse.", authors=[good, good, vandal]
    )
    client.force_login(make_moderator())
    address = _confirm_pages(person, revisions)[action]
    data = form_data(html_of(client.get(address)), None)
    data["reason"] = "Private information"
    del data["seen_revision"]

    response = client.post(address, data)

    assert response.status_code == 400
    html = html_of(response)
    assert "This confirmation does not say which revision of the page it was shown" in (
        html
    )
    resent = form_data(html, None)
    assert resent["seen_revision"] == str(revisions[2].pk)
    if action == "delete":
        assert resent["reason"] == "Private information"
    assert Revision.objects.count() == 3
    assert client.post(address, resent).status_code == 302


def test_atom_entry_ids_are_tag_uris_naming_each_revision(client):
    person, revisions = person_with_history("One.", "Two.")
    feed = ET.fromstring(client.get(url("page_history_feed", person)).content)
    ids = [entry.find(f"{ATOM}id").text for entry in feed.iter(f"{ATOM}entry")]
    assert ids == [
        f"tag:127.0.0.1,2026:revision-{revisions[1].pk}",
        f"tag:127.0.0.1,2026:revision-{revisions[0].pk}",
    ]
