"""Revision deletion: moderators hide a revision's text, summary or author from
the public, with a logged reason; readers see "(hidden)"; deleted pages'
histories are for moderators only."""

import xml.etree.ElementTree as ET

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from people.models import Person
from tests.factories import UserFactory
from tests.forms import form_data
from tests.wiki.history_helpers import person_with_history, publish
from tests.wiki.moderation_helpers import page_data
from wiki import history, moderation
from wiki.models import RevisionMeta, RevisionVisibilityChange
from wiki.revision_visibility import VisibilityError, revisions_set_visibility
from wiki.roles import MODERATORS

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SECRET = "Lives at 5 Hidden Lane."
LEAK_SUMMARY = "Add her home address"
REASON = "Private information about a living person"


def url(name, page, **kwargs):
    return reverse(
        f"wiki:{name}", kwargs={"section": page.section, "slug": page.slug, **kwargs}
    )


def diff_url(page, old, new):
    return f"{url('page_diff', page)}?from={old}&to={new}"


def html_of(response) -> str:
    return response.content.decode()


@pytest.fixture
def leaked(db):
    """Ada Lovelace: a first revision, a leak of her address by "leaker", then a
    revision by "fixer" that removes it.  Returns (person, first, leak, fix)."""
    fixer = UserFactory(username="fixer")
    person, (first,) = person_with_history("Mathematician.", authors=[fixer])
    leak = publish(
        person,
        UserFactory(username="leaker"),
        summary=LEAK_SUMMARY,
        body=f"Mathematician. {SECRET}",
    )
    fix = publish(person, fixer, summary="Remove the address", body="Mathematician.")
    return Person.objects.get(pk=person.pk), first, leak, fix


def hide(page, revision, by, **parts):
    return revisions_set_visibility(
        page=page, revision_ids=[revision.pk], changes=parts, reason=REASON, by=by
    )


def viewer_client(client, who, contributor, moderator):
    if who == "contributor":
        client.force_login(contributor)
    elif who == "moderator":
        client.force_login(moderator)
    return client


def feed(client, address) -> list[dict]:
    response = client.get(address)
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return [
        {
            "title": entry.find(f"{ATOM}title").text,
            "author": entry.find(f"{ATOM}author/{ATOM}name").text,
            "description": entry.find(f"{ATOM}summary").text,
            "link": entry.find(f"{ATOM}link").get("href"),
        }
        for entry in root.iter(f"{ATOM}entry")
    ]


def public_views(person, first, leak, fix) -> dict[str, str]:
    return {
        "history": url("page_history", person),
        "changes": reverse("wiki:recent_changes"),
        "leaker's page": reverse("wiki:contributor", kwargs={"username": "leaker"}),
        "diff before": diff_url(person, first.pk, leak.pk),
        "diff after": diff_url(person, leak.pk, fix.pk),
    }


# The service and its log ------------------------------------------------------


def test_hiding_a_revisions_text_logs_who_when_which_parts_and_why(leaked, moderator):
    person, _, leak, _ = leaked

    log = hide(person, leak, moderator, text=True)

    meta = RevisionMeta.objects.get(revision=leak)
    assert (meta.text_hidden, meta.summary_hidden, meta.author_hidden) == (
        True,
        False,
        False,
    )
    assert meta.hidden_reason == REASON
    assert len(log) == 1
    entry = RevisionVisibilityChange.objects.get()
    assert entry.revision_id == leak.pk
    assert entry.page_id == person.pk
    assert entry.user == moderator
    assert entry.hidden_parts == ["text"]
    assert entry.shown_parts == []
    assert entry.reason == REASON
    assert entry.created_at is not None
    assert entry.description == "hid the text"


def test_showing_parts_again_is_logged_and_clears_the_reason(leaked, moderator):
    person, _, leak, _ = leaked
    hide(person, leak, moderator, text=True, summary=True, author=True)
    revisions_set_visibility(
        page=person,
        revision_ids=[leak.pk],
        changes={"summary": False},
        reason="The summary says nothing private",
        by=moderator,
    )
    meta = RevisionMeta.objects.get(revision=leak)
    assert meta.hidden_parts == ["text", "author"]
    assert meta.hidden_reason == REASON  # what stays hidden keeps its reason

    revisions_set_visibility(
        page=person,
        revision_ids=[leak.pk],
        changes={"text": False, "author": False},
        reason="Hidden by mistake",
        by=moderator,
    )
    meta.refresh_from_db()
    assert meta.hidden_parts == []
    assert meta.hidden_reason == ""
    descriptions = [e.description for e in RevisionVisibilityChange.objects.all()]
    assert descriptions == [
        "showed the text and the author",
        "showed the edit summary",
        "hid the text, the edit summary and the author",
    ]


def test_the_current_revisions_text_cannot_be_hidden_but_its_summary_and_author_can(
    leaked, moderator
):
    person, _, _, fix = leaked
    with pytest.raises(VisibilityError) as refused:
        hide(person, fix, moderator, text=True, summary=True)
    assert str(refused.value) == (
        f"Revision {fix.pk} is the current revision of Ada Lovelace: its text "
        "cannot be hidden, since the page shows it. Edit or revert the page "
        "first; its summary and author can be hidden."
    )
    assert not RevisionMeta.objects.get(revision=fix).summary_hidden
    assert not RevisionVisibilityChange.objects.exists()

    hide(person, fix, moderator, summary=True, author=True)
    assert RevisionMeta.objects.get(revision=fix).hidden_parts == ["summary", "author"]


def test_hiding_needs_a_reason_a_change_and_revisions_of_the_page(leaked, moderator):
    person, _, leak, _ = leaked
    other, (theirs,) = person_with_history("Other.", title="Other Person")
    with pytest.raises(VisibilityError, match="Give a reason"):
        revisions_set_visibility(
            page=person,
            revision_ids=[leak.pk],
            changes={"text": True},
            reason="  ",
            by=moderator,
        )
    with pytest.raises(VisibilityError, match="is not a revision of Ada Lovelace"):
        hide(person, theirs, moderator, text=True)
    hide(person, leak, moderator, text=True)
    with pytest.raises(VisibilityError, match="Nothing changes"):
        hide(person, leak, moderator, text=True)
    assert RevisionVisibilityChange.objects.count() == 1


# Hidden text ------------------------------------------------------------------


@pytest.mark.parametrize("who", ["anonymous", "contributor"])
def test_a_hidden_text_is_withheld_from_readers_with_a_notice(
    client, leaked, contributor, moderator, who
):
    person, first, leak, fix = leaked
    hide(person, leak, moderator, text=True)
    client = viewer_client(client, who, contributor, moderator)

    revision = client.get(url("revision_detail", person, revision_id=leak.pk))
    assert revision.status_code == 403
    html = html_of(revision)
    assert "The text of this revision has been hidden by a moderator." in html
    assert SECRET not in html
    assert LEAK_SUMMARY in html  # only the text is hidden
    assert 'href="/users/leaker/">leaker</a>' in html

    for address in [
        diff_url(person, first.pk, leak.pk),
        diff_url(person, leak.pk, fix.pk),
    ]:
        diff = client.get(address)
        assert diff.status_code == 403
        html = html_of(diff)
        assert (
            f"The text of revision {leak.pk} has been hidden by a moderator, "
            "so this comparison cannot be shown."
        ) in html
        assert "Hidden Lane" not in html
        assert REASON not in html
    # Comparing around it is still possible.
    around = client.get(diff_url(person, first.pk, fix.pk))
    assert around.status_code == 200

    history_html = html_of(client.get(url("page_history", person)))
    assert url("revision_detail", person, revision_id=leak.pk) not in history_html
    assert "(text hidden)" in history_html
    assert REASON not in history_html
    changes = html_of(client.get(reverse("wiki:recent_changes")))
    assert url("revision_detail", person, revision_id=leak.pk) not in changes
    assert "(text hidden)" in changes
    for address in [
        reverse("wiki:recent_changes_feed"),
        url("page_history_feed", person),
    ]:
        links = [item["link"] for item in feed(client, address)]
        assert (
            links[1]
            == f"http://testserver{url('page_history', person)}#revision-{leak.pk}"
        )
        assert links[0].endswith(diff_url(person, leak.pk, fix.pk))


def test_moderators_read_a_hidden_text_marked_hidden_with_the_reason(
    client, leaked, moderator
):
    person, first, leak, fix = leaked
    hide(person, leak, moderator, text=True)
    client.force_login(moderator)

    revision = client.get(url("revision_detail", person, revision_id=leak.pk))
    assert revision.status_code == 200
    html = html_of(revision)
    assert SECRET in html
    assert "The text of this revision is hidden from the public" in html
    assert f"Hidden from the public: the text (“{REASON}”)" in html

    diff = client.get(diff_url(person, leak.pk, fix.pk))
    assert diff.status_code == 200
    html = html_of(diff)
    assert "Hidden Lane" in html
    assert f"The text of revision {leak.pk} is hidden from the public" in html

    history_html = html_of(client.get(url("page_history", person)))
    assert url("revision_detail", person, revision_id=leak.pk) in history_html
    assert f"Hidden from the public: the text (“{REASON}”)" in history_html
    assert "(text hidden)" not in history_html


# Hidden summary and author ----------------------------------------------------


@pytest.mark.parametrize("who", ["anonymous", "contributor"])
def test_a_hidden_summary_reads_hidden_on_every_view(
    client, leaked, contributor, moderator, who
):
    person, first, leak, fix = leaked
    hide(person, leak, moderator, summary=True)
    client = viewer_client(client, who, contributor, moderator)

    addresses = public_views(person, first, leak, fix)
    addresses["revision"] = url("revision_detail", person, revision_id=leak.pk)
    for name, address in addresses.items():
        html = html_of(client.get(address))
        assert LEAK_SUMMARY not in html, name
        assert '<span class="revdel">(hidden)</span>' in html, name
        assert REASON not in html, name

    for address in [
        reverse("wiki:recent_changes_feed"),
        url("page_history_feed", person),
    ]:
        items = feed(client, address)
        leak_item = items[1]
        assert leak_item["title"] == "Ada Lovelace: (hidden)"
        assert LEAK_SUMMARY not in leak_item["description"]
        assert "Summary: (hidden)" in leak_item["description"]
        assert leak_item["author"] == "leaker"


@pytest.mark.parametrize("who", ["anonymous", "contributor"])
def test_a_hidden_author_reads_hidden_and_leaves_their_contributions(
    client, leaked, contributor, moderator, who
):
    person, first, leak, fix = leaked
    hide(person, leak, moderator, author=True)
    client = viewer_client(client, who, contributor, moderator)

    for name, address in public_views(person, first, leak, fix).items():
        html = html_of(client.get(address))
        assert 'href="/users/leaker/"' not in html, name
        assert REASON not in html, name
        if name != "leaker's page":
            assert '<span class="revdel">(hidden)</span>' in html, name
    revision = html_of(client.get(url("revision_detail", person, revision_id=leak.pk)))
    assert 'href="/users/leaker/"' not in revision
    assert 'published by <span class="revdel">(hidden)</span>' in revision

    own_page = html_of(
        client.get(reverse("wiki:contributor", kwargs={"username": "leaker"}))
    )
    assert "0 published revisions" in own_page
    assert "No changes match." in html_of(
        client.get(reverse("wiki:recent_changes") + "?user=leaker")
    )
    for address in [
        reverse("wiki:recent_changes_feed"),
        url("page_history_feed", person),
    ]:
        leak_item = feed(client, address)[1]
        assert leak_item["author"] == "(hidden)"
        assert "by (hidden)" in leak_item["description"]
        assert leak_item["title"] == f"Ada Lovelace: {LEAK_SUMMARY}"
    assert feed(client, reverse("wiki:recent_changes_feed") + "?user=leaker") == []


def test_the_current_revisions_hidden_author_is_hidden_in_the_page_footer(
    client, leaked, moderator
):
    person, _, _, fix = leaked
    hide(person, fix, moderator, author=True)
    html = html_of(client.get(person.get_absolute_url()))
    assert 'Last edited <time datetime="' in html
    assert 'by <span class="revdel">(hidden)</span>' in html
    assert "/users/fixer/" not in html
    cite = html_of(client.get(url("page_cite", person)))
    assert "/users/fixer/" not in cite and "(hidden)" in cite
    client.force_login(moderator)
    assert 'by <a href="/users/fixer/">fixer</a>' in html_of(
        client.get(person.get_absolute_url())
    )


def test_moderators_see_a_hidden_summary_and_author_marked_with_the_reason(
    client, leaked, moderator
):
    person, first, leak, fix = leaked
    hide(person, leak, moderator, summary=True, author=True)
    client.force_login(moderator)
    note = f"Hidden from the public: the edit summary and the author (“{REASON}”)"

    for name, address in public_views(person, first, leak, fix).items():
        html = html_of(client.get(address))
        assert '<span class="revdel">(hidden)</span>' not in html, name
        assert 'class="revdel-shown"><a href="/users/leaker/">leaker</a>' in html, name
        quoted = name in ("changes", "leaker's page")  # lists quote summaries
        summary = f"“{LEAK_SUMMARY}”" if quoted else LEAK_SUMMARY
        assert f'<span class="revdel-shown">{summary}<span' in html, name
        assert note in html, name
    assert "1 published revision" in html_of(
        client.get(reverse("wiki:contributor", kwargs={"username": "leaker"}))
    )
    leak_item = feed(client, reverse("wiki:recent_changes_feed"))[1]
    assert leak_item["title"] == (
        f"Ada Lovelace: {LEAK_SUMMARY} (summary hidden from the public)"
    )
    assert leak_item["author"] == "leaker"
    assert REASON in leak_item["description"]


def test_showing_again_restores_every_view(client, leaked, moderator):
    person, first, leak, fix = leaked
    hide(person, leak, moderator, text=True, summary=True, author=True)
    revisions_set_visibility(
        page=person,
        revision_ids=[leak.pk],
        changes={"text": False, "summary": False, "author": False},
        reason="Not private after all",
        by=moderator,
    )
    revision = client.get(url("revision_detail", person, revision_id=leak.pk))
    assert revision.status_code == 200
    assert SECRET in html_of(revision)
    assert client.get(diff_url(person, leak.pk, fix.pk)).status_code == 200
    for address in public_views(person, first, leak, fix).values():
        html = html_of(client.get(address))
        assert "(hidden)" not in html
        assert LEAK_SUMMARY in html
        assert 'href="/users/leaker/">leaker</a>' in html
    assert feed(client, url("page_history_feed", person))[1]["author"] == "leaker"


# Reverting to a hidden text ---------------------------------------------------


def test_reverting_undoing_or_rolling_back_to_a_hidden_text_is_refused(
    client, leaked, moderator
):
    person, first, leak, fix = leaked
    vandal = UserFactory(username="vandal")
    publish(person, vandal, summary="Vandalism", body="Vandalised.")
    hide(person, leak, moderator, text=True)
    client.force_login(moderator)

    shown = client.get(url("revision_revert", person, revision_id=leak.pk))
    assert shown.status_code == 409
    assert "is hidden from the public" in html_of(shown)
    revert = client.post(
        url("revision_revert", person, revision_id=leak.pk),
        {"summary": "", "seen_revision": str(history.latest_entry(person).id)},
    )
    assert revert.status_code == 409
    assert (
        f"The text of revision {leak.pk} is hidden from the public, so it cannot "
        "be restored by a revert."
    ) in html_of(revert)
    undo = client.get(url("revision_undo", person, revision_id=fix.pk))
    assert undo.status_code == 409
    assert "cannot be restored by undoing the revision after it" in html_of(undo)
    assert "Hidden Lane" not in Person.objects.get(pk=person.pk).body
    # The revert link is not offered for it either.
    history_html = html_of(client.get(url("page_history", person)))
    assert url("revision_revert", person, revision_id=leak.pk) not in history_html
    assert url("revision_revert", person, revision_id=first.pk) in history_html


def test_rolling_back_to_a_hidden_text_is_refused(client, moderator):
    leaker, vandal = UserFactory(username="leaker"), UserFactory(username="vandal")
    person, revisions = person_with_history(
        f"Text. {SECRET}", "Vandalised.", authors=[leaker, vandal]
    )
    hide(person, revisions[0], moderator, text=True)
    client.force_login(moderator)
    response = client.get(url("page_rollback", person))
    assert response.status_code == 409
    assert "cannot be restored by a rollback" in html_of(response)


# The form and the log ---------------------------------------------------------


def visibility_url(page, *revisions) -> str:
    ids = "&".join(f"ids={revision.pk}" for revision in revisions)
    return f"{url('revision_visibility', page)}?{ids}"


def test_the_visibility_form_asks_anonymous_visitors_to_log_in(client, leaked):
    person, _, leak, _ = leaked
    address = visibility_url(person, leak)
    for response in [
        client.get(address),
        client.post(address, {"text": "on", "reason": "x"}),
        client.get(reverse("wiki:visibility_log")),
    ]:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    assert RevisionMeta.objects.get(revision=leak).hidden_parts == []


def test_the_visibility_form_and_log_are_403_for_contributors(
    client, leaked, contributor
):
    person, _, leak, _ = leaked
    client.force_login(contributor)
    address = visibility_url(person, leak)
    assert client.get(address).status_code == 403
    assert client.post(address, {"text": "on", "reason": "x"}).status_code == 403
    assert client.get(reverse("wiki:visibility_log")).status_code == 403
    assert RevisionMeta.objects.get(revision=leak).hidden_parts == []
    assert 'name="ids"' not in html_of(client.get(url("page_history", person)))


def test_a_moderator_chooses_revisions_in_the_history_and_hides_parts_with_a_reason(
    client, leaked, moderator
):
    person, _, leak, _ = leaked
    client.force_login(moderator)
    history_html = html_of(client.get(url("page_history", person)))
    assert (
        f'<input type="checkbox" name="ids" value="{leak.pk}" form="visibility-form" '
        f'aria-label="Select revision {leak.pk}">'
    ) in history_html
    assert (
        f'<form id="visibility-form" class="visibility-select" method="get" '
        f'action="{url("revision_visibility", person)}">'
    ) in history_html

    address = visibility_url(person, leak)
    page = client.get(address)
    assert page.status_code == 200
    html = html_of(page)
    assert "csrfmiddlewaretoken" in html
    assert '<label for="id_text">Hide the text</label>' in html
    assert '<label for="id_summary">Hide the edit summary</label>' in html
    assert '<label for="id_author">Hide the author&#x27;s name</label>' in html
    data = form_data(html)
    data.update(text="on", author="on", reason=REASON)

    response = client.post(address, data)

    assert response.status_code == 302
    assert response["Location"] == url("page_history", person)
    assert RevisionMeta.objects.get(revision=leak).hidden_parts == ["text", "author"]
    followed = html_of(client.get(url("page_history", person)))
    assert "Changed the visibility of 1 revision of Ada Lovelace." in followed

    again = html_of(client.get(address))
    assert 'name="text" aria-describedby="id_text_helptext" id="id_text" checked>' in (
        again
    )
    assert 'name="summary" id="id_summary">' in again
    assert "hid the text and the author of" in again
    log = html_of(client.get(reverse("wiki:visibility_log")))
    assert 'href="/users/mod/">mod</a>' in log
    assert "hid the text and the author of" in log
    assert f"revision {leak.pk}</a> of" in log
    assert f"(“{REASON}”)" in log


def test_the_form_refuses_the_current_revisions_text_with_a_clear_message(
    client, leaked, moderator
):
    person, _, leak, fix = leaked
    client.force_login(moderator)
    address = visibility_url(person, leak, fix)
    html = html_of(client.get(address))
    assert (
        f"Revision {fix.pk} is the current revision of Ada Lovelace: its text "
        "cannot be hidden"
    ) in html
    response = client.post(address, {"text": "on", "reason": REASON})
    assert response.status_code == 409
    assert "cannot be hidden, since the page shows it." in html_of(response)
    assert 'role="alert"' in html_of(response)
    assert RevisionMeta.objects.get(revision=leak).hidden_parts == []
    assert not RevisionVisibilityChange.objects.exists()


def test_the_form_needs_a_reason(client, leaked, moderator):
    person, _, leak, _ = leaked
    client.force_login(moderator)
    response = client.post(visibility_url(person, leak), {"text": "on"})
    assert response.status_code == 200
    assert "This field is required." in html_of(response)
    assert RevisionMeta.objects.get(revision=leak).hidden_parts == []


def test_the_form_leaves_a_part_hidden_on_some_chosen_revisions_as_it_is(
    client, leaked, moderator
):
    person, first, leak, _ = leaked
    hide(person, leak, moderator, text=True)
    client.force_login(moderator)
    address = visibility_url(person, first, leak)
    html = html_of(client.get(address))
    assert "Leave as it is (hidden on some)" in html
    data = form_data(html)
    assert data["text"] == ""
    data.update(summary="on", reason="Both summaries name her street")
    assert client.post(address, data).status_code == 302
    assert RevisionMeta.objects.get(revision=first).hidden_parts == ["summary"]
    assert RevisionMeta.objects.get(revision=leak).hidden_parts == ["text", "summary"]

    data.update(text="show", summary="on", reason="Her address is public now")
    assert client.post(address, data).status_code == 302
    assert RevisionMeta.objects.get(revision=leak).hidden_parts == ["summary"]


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ("", 400, "Choose at least one revision in the history."),
        ("?ids=x", 400, "Revision ids are whole numbers."),
        ("?ids={other}", 404, "is not a revision of Ada Lovelace"),
        ("?ids=99999999999999999999", 400, "Revision ids are whole numbers."),
    ],
)
def test_bad_visibility_requests_get_a_clear_page(
    client, leaked, moderator, query, status, message
):
    person, *_ = leaked
    _, (theirs,) = person_with_history("Other.", title="Other Person")
    client.force_login(moderator)
    response = client.get(
        url("revision_visibility", person) + query.format(other=theirs.pk)
    )
    assert response.status_code == status
    assert message in html_of(response)


# Deleted pages ----------------------------------------------------------------


@pytest.mark.parametrize("who", ["anonymous", "contributor"])
def test_a_deleted_pages_history_is_for_moderators_only(
    client, leaked, contributor, moderator, who
):
    person, first, leak, fix = leaked
    history.page_delete(page=person, user=moderator, reason="Exposes a private life")
    client = viewer_client(client, who, contributor, moderator)

    for address in [
        url("page_history", person),
        url("revision_detail", person, revision_id=leak.pk),
        diff_url(person, first.pk, leak.pk),
        url("page_cite", person),
        url("page_history_feed", person),
    ]:
        response = client.get(address)
        assert response.status_code == 410, address
        html = html_of(response)
        assert "Ada Lovelace has been deleted" in html
        assert (
            "The history of a deleted page, its old revisions and its changes are "
            "visible to moderators only."
        ) in html
        assert SECRET not in html
    changes = html_of(client.get(reverse("wiki:recent_changes")))
    assert "Ada Lovelace" not in changes
    assert "No changes match." in changes
    assert feed(client, reverse("wiki:recent_changes_feed")) == []
    leaker = html_of(
        client.get(reverse("wiki:contributor", kwargs={"username": "leaker"}))
    )
    assert "0 published revisions" in leaker


def test_moderators_read_a_deleted_pages_history_revisions_and_changes(
    client, leaked, moderator
):
    person, first, leak, fix = leaked
    history.page_delete(page=person, user=moderator, reason="Exposes a private life")
    client.force_login(moderator)
    for address in [
        url("page_history", person),
        url("revision_detail", person, revision_id=leak.pk),
        diff_url(person, first.pk, leak.pk),
        url("page_cite", person),
    ]:
        assert client.get(address).status_code == 200, address
    assert SECRET in html_of(
        client.get(url("revision_detail", person, revision_id=leak.pk))
    )
    changes = html_of(client.get(reverse("wiki:recent_changes")))
    assert "Ada Lovelace" in changes
    assert '<span class="badge badge-delete">page deleted</span>' in changes
    assert len(feed(client, url("page_history_feed", person))) == 4
    assert len(feed(client, reverse("wiki:recent_changes_feed"))) == 4


# Proposals --------------------------------------------------------------------


def test_a_proposal_begun_on_a_hidden_text_does_not_show_it_to_its_author(
    client, contributor, moderator
):
    leaker = UserFactory(username="leaker")
    person, (leak,) = person_with_history(f"Text. {SECRET}", authors=[leaker])
    proposal = moderation.proposal_submit(
        kind="person",
        page=person,
        data=page_data(person, summary="Born in London.", body=f"Text. {SECRET} More."),
        base_revision=leak,
        base_data=page_data(person),
        summary="Where she lives",
        minor=False,
        author=contributor,
    )
    publish(person, moderator, summary="Remove the address", body="Text.")
    hide(person, leak, moderator, text=True)

    client.force_login(contributor)
    html = html_of(client.get(proposal.get_absolute_url()))
    assert "Hidden Lane" not in html
    assert "London" in html
    client.force_login(moderator)
    assert "Hidden Lane" in html_of(client.get(proposal.get_absolute_url()))


# Costs ------------------------------------------------------------------------


@pytest.mark.parametrize("hidden", [1, 20])
def test_lists_cost_the_same_queries_however_many_revisions_are_hidden(
    client, django_assert_num_queries, moderator, hidden
):
    person, revisions = person_with_history(*(f"Body {n}." for n in range(21)))
    revisions_set_visibility(
        page=person,
        revision_ids=[r.pk for r in revisions[:hidden]],
        changes={"text": True, "summary": True, "author": True},
        reason=REASON,
        by=moderator,
    )
    for address, queries in [
        (url("page_history", person), 3),
        (reverse("wiki:recent_changes"), 2),  # no COUNT of every change
        (reverse("wiki:recent_changes_feed"), 2),
        (url("page_history_feed", person), 2),
        # The page and the revision: a hidden text reads nothing more.
        (url("revision_detail", person, revision_id=revisions[0].pk), 2),
        (diff_url(person, revisions[0].pk, revisions[1].pk), 2),
    ]:
        client.get(address)
        with django_assert_num_queries(queries):
            client.get(address)


def test_moderators_history_costs_the_same_queries_however_many_are_hidden(
    client, moderator
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for n, hidden in enumerate([1, 20]):
        person, revisions = person_with_history(
            *(f"Body {i}." for i in range(21)), title=f"Person {n}"
        )
        revisions_set_visibility(
            page=person,
            revision_ids=[r.pk for r in revisions[:hidden]],
            changes={"text": True, "summary": True, "author": True},
            reason=REASON,
            by=moderator,
        )
        client.force_login(moderator)
        address = url("page_history", person)
        client.get(address)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(address).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_the_moderators_group_can_hide_revisions(roles):
    moderators = Group.objects.get(name=MODERATORS)
    assert moderators.permissions.filter(codename="hide_revision").exists()
