"""Editing and reviewing through the site: permissions, forms, bad input, queries."""

import re

import pytest
from django.urls import reverse

from people.models import Person
from tests.factories import ThemeFactory, UserFactory, WorkFactory
from tests.forms import form_data
from tests.wiki.moderation_helpers import (
    create_url,
    edit,
    edit_url,
    form_of,
    lift_proposal_limits,
)
from wiki import moderation, search
from wiki.diff import diff_text
from wiki.models import Notification, Proposal
from wiki.services import latest_revision, page_publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal(client, person, contributor):
    client.force_login(contributor)
    response = client.post(edit_url(person), edit(person, body="Carol's body."))
    assert response.status_code == 302, response.content.decode()[:2000]
    client.logout()
    return Proposal.objects.get()


@pytest.fixture
def users(contributor, moderator, admin_user):
    return {
        "anonymous": None,
        "contributor": contributor,
        "moderator": moderator,
        "admin": admin_user,
        "other": UserFactory(username="dave"),
    }


def _url(name, proposal, person):
    if name in ("page_edit",):
        return edit_url(person)
    if name == "page_create":
        return create_url("people")
    if name in ("review_queue", "contributions", "notifications"):
        return reverse(f"moderation:{name}")
    return reverse(f"moderation:{name}", kwargs={"pk": proposal.pk})


# (url name, method) -> expected status for anonymous, author (contributor),
# another contributor, moderator, admin.  302 for anonymous is the login page.
MATRIX = {
    ("page_edit", "get"): (302, 200, 200, 200, 200),
    ("page_create", "get"): (302, 200, 200, 200, 200),
    ("proposal_detail", "get"): (302, 200, 403, 200, 200),
    ("proposal_amend", "get"): (302, 200, 403, 200, 200),
    ("proposal_withdraw", "post"): (302, 302, 403, 403, 403),
    ("contributions", "get"): (302, 200, 200, 200, 200),
    ("notifications", "get"): (302, 200, 200, 200, 200),
    ("review_queue", "get"): (302, 403, 403, 200, 200),
    ("review_detail", "get"): (302, 403, 403, 200, 200),
    ("review_approve", "post"): (302, 403, 403, 302, 302),
    ("review_reject", "post"): (302, 403, 403, 302, 302),
}
ROLES = ["anonymous", "contributor", "other", "moderator", "admin"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "method"), list(MATRIX))
def test_permission_matrix(client, users, proposal, person, role, name, method):
    user = users[role]
    if user is not None:
        client.force_login(user)
    url = _url(name, proposal, person)
    data = (
        {
            "reason": "Not sourced.",
            "note": "",
            "seen_version": "1",
            "seen_revision": str(latest_revision(person).pk),
        }
        if method == "post"
        else None
    )
    response = getattr(client, method)(url, data)
    expected = MATRIX[(name, method)][ROLES.index(role)]
    assert response.status_code == expected, (url, role)
    if role == "anonymous":
        assert response["Location"].startswith("/accounts/login/?next=")


def test_a_contributor_posting_approve_gets_403_and_nothing_changes(
    client, proposal, contributor, person
):
    client.force_login(contributor)
    response = client.post(reverse("moderation:review_approve", args=[proposal.pk]))
    assert response.status_code == 403
    proposal.refresh_from_db()
    assert proposal.is_pending
    assert Person.objects.get(pk=person.pk).body.startswith("Ada wrote")


# -- the edit form ---------------------------------------------------------------


def test_the_edit_form_shows_every_field_and_row(client, person, contributor):
    client.force_login(contributor)
    html = client.get(edit_url(person)).content.decode()
    data = form_data(html, "edit-form")
    assert data["title"] == "Ada Lovelace"
    assert data["known_for"] == "Notes on the Engine"
    assert data["affiliations-0-organization"] == "Analytical Engine Society"
    assert data["affiliations-0-role"] == "translator"
    assert data["themes-0-theme"] == "Computing"
    assert data["citations-0-source"] == "menabrea1843"
    assert data["related-0-target"] == "Computing (theme)"
    assert data["edit-base_revision"] == str(latest_revision(person).pk)
    assert 'class="markdownx"' in html
    assert "markdownx/js/markdownx" in html
    assert "js/editor.js" in html
    assert "[[Title]]" in html and "[@key]" in html
    assert "Submit for review" in html


def test_a_contributor_submits_and_the_public_page_is_unchanged(
    client, person, contributor
):
    client.force_login(contributor)
    data = form_of(client, edit_url(person))
    data.update({"body": "A better body.", "edit-summary": "Rewrite"})
    response = client.post(edit_url(person), data)
    proposal = Proposal.objects.get()
    assert response["Location"] == proposal.get_absolute_url()
    assert proposal.author == contributor
    page_html = client.get(person.get_absolute_url()).content.decode()
    assert "Ada wrote the first program." in page_html
    assert "1 pending change" in page_html
    detail = client.get(proposal.get_absolute_url()).content.decode()
    assert "Pending review" in detail
    assert "<del>wrote</del><ins>better</ins>" in detail


def test_readers_do_not_see_pending_changes(client, proposal, person):
    html = client.get(person.get_absolute_url()).content.decode()
    assert "pending change" not in html
    assert "Edit this page" in html


def test_a_double_click_makes_one_proposal(client, person, contributor):
    client.force_login(contributor)
    data = edit(person, body="Clicked twice.")
    first = client.post(edit_url(person), data)
    second = client.post(edit_url(person), data)
    assert Proposal.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_the_create_form_is_prefilled_and_warns_about_similar_titles(
    client, person, contributor
):
    client.force_login(contributor)
    html = client.get(create_url("people") + "?title=Ada+Lovelac").content.decode()
    assert form_data(html, "edit-form")["title"] == "Ada Lovelac"
    assert "Similar pages already exist" in html
    assert 'href="/people/ada-lovelace/"' in html


def test_a_contributor_proposes_a_new_page(client, contributor, roles):
    client.force_login(contributor)
    data = form_of(client, create_url("themes"))
    data.update({"title": "Scaling laws", "body": "Bigger.", "edit-summary": "New"})
    response = client.post(create_url("themes"), data)
    proposal = Proposal.objects.get()
    assert response["Location"] == proposal.get_absolute_url()
    assert proposal.page is None
    assert proposal.kind == "theme"
    assert proposal.title == "Scaling laws"


def test_a_moderator_publishes_directly(client, person, moderator):
    client.force_login(moderator)
    data = form_of(client, edit_url(person))
    assert "Publish" in client.get(edit_url(person)).content.decode()
    data.update({"body": "Published at once.", "edit-summary": "Direct"})
    response = client.post(edit_url(person), data)
    assert response["Location"] == person.get_absolute_url()
    assert Person.objects.get(pk=person.pk).body == "Published at once."
    revision = latest_revision(person)
    assert (revision.user, revision.meta.approved_by) == (moderator, moderator)


def test_a_moderator_amends_and_approves_in_one_step(client, proposal, moderator):
    client.force_login(moderator)
    url = reverse("moderation:proposal_amend", args=[proposal.pk])
    data = form_of(client, url)
    data.update(
        {"body": "Carol's body, tidied.", "edit-approve": "1", "edit-note": "Tidied"}
    )
    response = client.post(url, data)
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.APPROVED
    revision = proposal.revision_meta.revision
    assert revision.user == proposal.author
    assert revision.meta.approved_by == moderator
    assert revision.meta.note == "Tidied"
    assert Person.objects.get(pk=proposal.page_id).body == "Carol's body, tidied."


def test_the_author_withdraws(client, proposal, contributor):
    client.force_login(contributor)
    client.post(reverse("moderation:proposal_withdraw", args=[proposal.pk]))
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.WITHDRAWN
    html = client.get(reverse("moderation:contributions")).content.decode()
    assert "Withdrawn" in html


# -- bad input ------------------------------------------------------------------


def _errors_page(response, status: int = 400) -> str:
    assert response.status_code == status
    return response.content.decode()


def test_a_body_over_the_limit_is_refused_with_the_text_kept(
    client, person, contributor, settings
):
    settings.LINEAGE_MAX_BODY_CHARS = 100
    client.force_login(contributor)
    long_text = "word " * 40 + "the end of my long text"
    html = _errors_page(client.post(edit_url(person), edit(person, body=long_text)))
    assert "too long" in html
    assert form_data(html, "edit-form")["body"] == long_text
    assert not Proposal.objects.exists()


def test_a_duplicate_slug_is_refused(client, person, contributor):
    client.force_login(contributor)
    data = form_of(client, create_url("people"))
    data.update({"title": "Ada", "slug": "ada-lovelace", "edit-summary": "New"})
    html = _errors_page(client.post(create_url("people"), data))
    assert "already has the address" in html
    assert form_data(html, "edit-form")["title"] == "Ada"


def test_a_title_that_differs_from_another_pages_only_in_case_is_refused(
    client, person, contributor
):
    client.force_login(contributor)
    data = form_of(client, create_url("people"))
    data.update({"title": "ADA LOVELACE", "slug": "ada-2", "edit-summary": "New"})
    html = _errors_page(client.post(create_url("people"), data))
    assert "A person is already titled “Ada Lovelace” (…/ada-lovelace/)." in html
    assert not Proposal.objects.exists()


def test_a_row_naming_a_shared_title_gets_the_texts_to_type_and_keeps_the_edit(
    client, person, contributor
):
    ThemeFactory(title="Transformer", slug="transformer")
    WorkFactory(title="Transformer", slug="transformer")
    client.force_login(contributor)
    data = edit(person, body="Kept.", **{"related-0-target": "Transformer"})
    html = _errors_page(client.post(edit_url(person), data))
    assert (
        "Several pages are titled “Transformer”: type “Transformer (theme)” or "
        "“Transformer (work)”." in html
    )
    data = edit(person, body="Kept.", **{"related-0-target": "Transformer (work)"})
    assert client.post(edit_url(person), data).status_code == 302


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("affiliations-0-start_year", "19x9", "Enter a whole number."),
        ("affiliations-0-end_year", "99999", "less than or equal to 2999"),
        ("portrait_url", "not a url", "Enter a valid URL."),
        (
            "portrait_url",
            "https://tracker.example/me.jpg",
            "Portraits are shown from this site or, over https, from "
            "upload.wikimedia.org",
        ),
        ("affiliations-0-organization", "Nowhere Inc", "No organization is titled"),
        ("edit-summary", "", "Say briefly what you changed"),
    ],
)
def test_invalid_values_get_a_clear_message_and_keep_the_text(
    client, person, contributor, field, value, message
):
    client.force_login(contributor)
    if field == "edit-summary":
        data = edit(person, body="My careful rewrite.", summary=value)
    else:
        data = edit(person, body="My careful rewrite.", **{field: value})
    html = _errors_page(client.post(edit_url(person), data))
    assert message in html
    assert form_data(html, "edit-form")["body"] == "My careful rewrite."
    assert not Proposal.objects.exists()


@pytest.mark.parametrize(
    ("start_from_the_form", "overrides"),
    [
        (False, {}),
        (False, {"title": "", "slug": "", "body": "x"}),
        (True, {"slug": "", "title": ""}),
        (True, {"affiliations-0-id": "9" * 20}),
    ],
)
def test_a_mangled_or_empty_post_is_a_400_on_the_page_as_stored(
    client, person, contributor, start_from_the_form, overrides
):
    client.force_login(contributor)
    posted = edit(person, body="Kept text.") if start_from_the_form else {}
    posted.update(overrides)
    html = _errors_page(client.post(edit_url(person), posted))
    assert f'href="{person.get_absolute_url()}"' in html
    assert not Proposal.objects.exists()


def test_an_affiliation_ending_before_it_starts_is_refused(client, person, contributor):
    client.force_login(contributor)
    data = edit(
        person,
        **{"affiliations-0-start_year": "2020", "affiliations-0-end_year": "2010"},
    )
    assert "The end date is before the start date." in _errors_page(
        client.post(edit_url(person), data)
    )


def test_a_stale_form_shows_the_conflict_and_keeps_the_typed_text(
    client, person, contributor, moderator
):
    client.force_login(contributor)
    data = form_of(client, edit_url(person))
    fresh = Person.objects.get(pk=person.pk)
    fresh.body = "Someone else's body."
    page_publish(page=fresh, user=moderator, summary="Meanwhile")

    data.update({"body": "My body, typed with care.", "edit-summary": "Mine"})
    response = client.post(edit_url(person), data)

    html = _errors_page(response, status=409)
    assert response.status_code == 409
    assert "Edit conflict" in html
    assert "My body, typed with care." in html  # shown as "your version"
    resubmit = form_data(html, "edit-form")
    assert resubmit["body"] == "Someone else's body."
    assert resubmit["edit-base_revision"] == str(latest_revision(person).pk)
    assert not Proposal.objects.exists()


def test_a_stale_form_that_changed_other_fields_is_merged(
    client, person, contributor, moderator
):
    client.force_login(contributor)
    data = form_of(client, edit_url(person))
    fresh = Person.objects.get(pk=person.pk)
    fresh.known_for = "Someone else's notes"
    page_publish(page=fresh, user=moderator, summary="Meanwhile")

    data.update({"body": "My body.", "edit-summary": "Mine"})
    response = client.post(edit_url(person), data)
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.data["body"] == ["My body."]
    assert proposal.data["known_for"] == ["Someone else's notes"]
    assert proposal.base_revision == latest_revision(person)


def test_a_moderators_stale_direct_edit_gets_the_conflict_screen(
    client, person, moderator
):
    client.force_login(moderator)
    data = form_of(client, edit_url(person))
    fresh = Person.objects.get(pk=person.pk)
    fresh.body = "Published meanwhile."
    page_publish(page=fresh, user=UserFactory(username="x"), summary="Meanwhile")
    data.update({"body": "My direct edit.", "edit-summary": "Mine"})
    html = _errors_page(client.post(edit_url(person), data), status=409)
    assert "My direct edit." in html
    assert Person.objects.get(pk=person.pk).body == "Published meanwhile."


def test_a_decided_proposal_cannot_be_amended(client, proposal, contributor, moderator):
    moderation.proposal_reject(
        proposal=proposal,
        by=moderator,
        seen=moderation.seen_now(proposal),
        reason="No.",
    )
    client.force_login(contributor)
    response = client.get(reverse("moderation:proposal_amend", args=[proposal.pk]))
    assert response.status_code == 302
    assert "rejected" in client.get(response["Location"]).content.decode()


# -- review ------------------------------------------------------------------------


def test_the_review_page_shows_the_diff_and_the_rendered_result(
    client, proposal, moderator
):
    client.force_login(moderator)
    html = client.get(
        reverse("moderation:review_detail", args=[proposal.pk])
    ).content.decode()
    assert "<ins>Carol&#x27;s</ins>" in html
    assert '<div class="body"><p>Carol’s body.</p></div>' in html
    assert "Approve and publish" in html
    assert "new account" in html


def decision_form(client, proposal, form_id: str, **values) -> dict:
    """The review page's approve or reject form as a browser would post it."""
    html = client.get(
        reverse("moderation:review_detail", args=[proposal.pk])
    ).content.decode()
    return {**form_data(html, form_id), **values}


def decide(client, proposal, action: str, data: dict):
    return client.post(reverse(f"moderation:review_{action}", args=[proposal.pk]), data)


def test_approving_through_the_site(client, proposal, moderator, person):
    client.force_login(moderator)
    data = decision_form(client, proposal, "approve-form", note="Good")
    assert data["seen_version"] == "1"
    assert data["seen_revision"] == str(latest_revision(person).pk)
    response = decide(client, proposal, "approve", data)
    assert response["Location"] == reverse("moderation:review_queue")
    assert Person.objects.get(pk=person.pk).body == "Carol's body."


def _amend_through_the_site(client, proposal, author, **changes):
    client.force_login(author)
    url = reverse("moderation:proposal_amend", args=[proposal.pk])
    data = form_of(client, url)
    data.update(changes)
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]


def test_a_proposal_amended_while_the_moderator_reviews_is_not_published(
    client, proposal, moderator, contributor, person
):
    client.force_login(moderator)
    approve = decision_form(client, proposal, "approve-form")
    _amend_through_the_site(
        client, proposal, contributor, body="Buy pills at https://spam.example/"
    )
    client.force_login(moderator)
    response = decide(client, proposal, "approve", approve)
    assert response.status_code == 409
    html = response.content.decode()
    assert "The proposal was amended after you opened it" in html
    assert "You reviewed version 1; it is now version 2." in html
    assert (
        '<div class="diff-text"><del>Carol&#x27;s</del><ins>Buy</ins> <del>body</del>'
        "<ins>pills at https://spam</ins>.<ins>example/</ins></div>" in html
    )
    # The fresh form names the new version, so the moderator decides on it.
    assert form_data(html, "approve-form")["seen_version"] == "2"
    proposal.refresh_from_db()
    assert proposal.is_pending
    assert Person.objects.get(pk=person.pk).body.startswith("Ada wrote")


def test_a_proposal_amended_while_the_moderator_reviews_is_not_rejected(
    client, proposal, moderator, contributor
):
    client.force_login(moderator)
    reject = decision_form(client, proposal, "reject-form", reason="Unsourced.")
    _amend_through_the_site(client, proposal, contributor, body="Now sourced.")
    client.force_login(moderator)
    response = decide(client, proposal, "reject", reject)
    assert response.status_code == 409
    assert "The proposal was amended after you opened it" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.PENDING


def test_a_page_changed_while_the_moderator_reviews_is_not_overwritten(
    client, proposal, moderator, person
):
    client.force_login(moderator)
    approve = decision_form(client, proposal, "approve-form")
    page_publish(page=Person.objects.get(pk=person.pk), user=moderator, summary="Touch")
    moved = Person.objects.get(pk=person.pk)
    moved.known_for = "The Notes"
    page_publish(page=moved, user=moderator, summary="Known for")
    response = decide(client, proposal, "approve", approve)
    assert response.status_code == 409
    html = response.content.decode()
    assert "The page changed after you opened this review" in html
    shown = html[html.index("moved-on-heading") : html.index("review-stale")]
    assert "<h3>Known for</h3>" in shown
    assert str(diff_text("Notes on the Engine", "The Notes")) in shown
    assert "<h3>Body</h3>" not in shown
    proposal.refresh_from_db()
    assert proposal.is_pending
    assert Person.objects.get(pk=person.pk).body.startswith("Ada wrote")


@pytest.mark.parametrize("action", ["approve", "reject"])
@pytest.mark.parametrize("missing", ["seen_version", "all"])
def test_a_decision_that_does_not_name_what_was_reviewed_is_refused(
    client, proposal, moderator, person, action, missing
):
    client.force_login(moderator)
    data = decision_form(client, proposal, f"{action}-form", reason="No.")
    if missing == "all":
        data = {"reason": "No.", "note": ""}
    else:
        del data[missing]
    response = decide(client, proposal, action, data)
    assert response.status_code == 400
    assert "does not say which version of the proposal you reviewed" in (
        response.content.decode()
    )
    proposal.refresh_from_db()
    assert proposal.is_pending


def test_the_review_state_says_when_the_review_page_went_stale(
    client, proposal, moderator, contributor, person
):
    url = reverse("moderation:review_state", args=[proposal.pk])
    client.force_login(contributor)
    assert client.get(url).status_code == 403
    client.force_login(moderator)
    revision = latest_revision(person).pk
    assert client.get(url).json() == {
        "status": "pending",
        "version": 1,
        "revision": revision,
    }
    _amend_through_the_site(client, proposal, contributor, body="Amended.")
    client.force_login(moderator)
    assert client.get(url).json() == {
        "status": "pending",
        "version": 2,
        "revision": revision,
    }


def test_an_amendment_from_a_stale_tab_is_refused_and_keeps_what_was_typed(
    client, proposal, contributor, moderator
):
    client.force_login(contributor)
    url = reverse("moderation:proposal_amend", args=[proposal.pk])
    old_tab = form_of(client, url)
    _amend_through_the_site(client, proposal, moderator, body="The moderator's fix.")
    client.force_login(contributor)
    old_tab["body"] = "My own second thoughts."
    response = client.post(url, old_tab)
    assert response.status_code == 409
    html = response.content.decode()
    assert "this proposal was amended while you were editing" in html
    assert "Amended meanwhile: what changed in version 2" in html
    resent = form_data(html, "edit-form")
    assert resent["body"] == "My own second thoughts."
    assert resent["edit-proposal_version"] == "2"
    proposal.refresh_from_db()
    assert proposal.data["body"] == ["The moderator's fix."]
    assert client.post(url, resent).status_code == 302
    proposal.refresh_from_db()
    assert proposal.data["body"] == ["My own second thoughts."]
    assert proposal.version == 3


def test_rejecting_without_a_reason_is_refused(client, proposal, moderator):
    client.force_login(moderator)
    response = decide(
        client, proposal, "reject", decision_form(client, proposal, "reject-form")
    )
    assert response.status_code == 400
    assert "Give a reason" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.is_pending


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("decision", "form"), [("approved", "approve-form"), ("rejected", "reject-form")]
)
def test_a_title_stored_with_a_line_break_is_decided_and_mailed_on_one_line(
    client, proposal, moderator, mailoutbox, decision, form
):
    # Titles are one line since they are cleaned on input; older ones may not be.
    Proposal.objects.filter(pk=proposal.pk).update(title="Ada\r\nBcc: all@example.org")
    client.force_login(moderator)
    review = reverse("moderation:review_detail", args=[proposal.pk])
    data = form_data(client.get(review).content.decode(), form)
    data["reason"] = "Not sourced."
    url = reverse(f"moderation:review_{form.split('-')[0]}", args=[proposal.pk])
    response = client.post(url, data)
    assert response.status_code == 302
    assert Proposal.objects.get(pk=proposal.pk).status == decision
    assert [message.subject for message in mailoutbox] == [
        f"Your change to Ada Bcc: all@example.org was {decision}"
    ]


def test_the_review_page_shows_a_conflict_three_ways_and_resolves_it(
    client, proposal, person, moderator
):
    other = moderation.page_edit_publish(
        kind="person",
        page=person,
        data=edit(person, body="Mod's body."),
        base_revision_id=latest_revision(person).pk,
        summary="Meanwhile",
        minor=False,
        author=moderator,
    )
    assert other.status == "approved"
    client.force_login(moderator)
    url = reverse("moderation:review_detail", args=[proposal.pk])
    html = client.get(url).content.decode()
    assert "The page changed after this proposal was made" in html
    assert "When the proposal began" in html
    assert "Mod&#x27;s body." in html and "Carol&#x27;s body." in html
    assert re.search(r'<button type="submit" class="button-primary"\s+disabled', html)

    approve = reverse("moderation:review_approve", args=[proposal.pk])
    refused = client.post(approve, {**form_data(html, "approve-form"), "note": "x"})
    assert refused.status_code == 409

    chosen = client.get(url, {"resolve-body": "proposal"}).content.decode()
    data = form_data(chosen, "approve-form")
    assert data["resolve-body"] == "proposal"
    assert client.post(approve, data).status_code == 302
    assert Person.objects.get(pk=person.pk).body == "Carol's body."


def test_the_queue_lists_pending_proposals_oldest_first_with_filters(
    client, person, contributor, moderator
):
    client.force_login(contributor)
    client.post(edit_url(person), edit(person, summary="Older", body="First."))
    client.post(
        edit_url(person),
        edit(person, summary="Newer", **{"citations-0-DELETE": "on"}),
    )
    client.force_login(moderator)
    html = client.get(reverse("moderation:review_queue")).content.decode()
    assert html.index("Older") < html.index("Newer")
    assert "new account" in html
    assert "2 pending proposals" in html
    assert "citations removed" in html
    filtered = client.get(
        reverse("moderation:review_queue"), {"flag": "citations-removed"}
    ).content.decode()
    assert "1 pending proposal," in filtered
    assert (
        "1 pending proposal,"
        in client.get(
            reverse("moderation:review_queue"),
            {"kind": "person", "flag": "citations-removed"},
        ).content.decode()
    )
    assert (
        "0 pending proposals"
        in client.get(
            reverse("moderation:review_queue"), {"kind": "work"}
        ).content.decode()
    )


def test_external_images_and_links_show_in_the_queue_and_on_the_review_page(
    client, person, contributor, moderator
):
    client.force_login(contributor)
    body = "![](https://upload.wikimedia.org/p.gif) [away](//example.org/)"
    client.post(edit_url(person), edit(person, body=body))
    proposal = Proposal.objects.get()
    client.force_login(moderator)
    queue = client.get(
        reverse("moderation:review_queue"), {"flag": "external-images-added"}
    ).content.decode()
    assert "1 pending proposal," in queue
    assert '<option value="external-images-added" selected>' in queue
    review = client.get(
        reverse("moderation:review_detail", kwargs={"pk": proposal.pk})
    ).content.decode()
    assert '<span class="badge badge-flag">external links added</span>' in review
    assert '<span class="badge badge-flag">external images added</span>' in review


def _proposals(person, contributor, count):
    for number in range(count):
        moderation.proposal_submit(
            kind="person", page=person, data=edit(person, body=f"Body {number}"),
            base_revision=latest_revision(person), base_data={},
            summary=f"Edit {number}", minor=False, author=contributor,
        )  # fmt: skip


@pytest.mark.parametrize("count", [1, 8])
def test_the_queue_costs_the_same_queries_however_many_proposals(
    client, person, contributor, moderator, django_assert_num_queries, count
):
    lift_proposal_limits(contributor, by=moderator)
    _proposals(person, contributor, count)
    client.force_login(moderator)
    url = reverse("moderation:review_queue")
    client.get(url)
    # session, user, permissions (user, groups), count, page of proposals,
    # and the header's two counts
    with django_assert_num_queries(8):
        response = client.get(url)
    assert response.content.decode().count("Edit ") >= count


def test_the_review_page_costs_a_pinned_number_of_queries(
    client, proposal, moderator, django_assert_num_queries
):
    client.force_login(moderator)
    url = reverse("moderation:review_detail", args=[proposal.pk])
    client.get(url)
    # the proposal, the page and its rows, the base revision, the proposal
    # applied in a savepoint and read back (its title and slug checked for
    # clashes: 2), its red links' wanted counts recounted in the savepoint (2),
    # its citation coverage and cited keys stored and the pages it links to
    # counted again in the savepoint (4), the header counts, its discussion
    with django_assert_num_queries(77):
        client.get(url)


# -- contributions, notifications, autocomplete ----------------------------------------


def test_contributions_list_the_authors_proposals_with_their_status(
    client, proposal, contributor, moderator
):
    moderation.proposal_reject(
        proposal=proposal,
        by=moderator,
        seen=moderation.seen_now(proposal),
        reason="Cite it.",
    )
    client.force_login(contributor)
    html = client.get(reverse("moderation:contributions")).content.decode()
    assert "Rejected" in html
    assert "Cite it." in html


def test_notifications_count_in_the_header_and_are_listed(
    client, proposal, contributor, moderator
):
    moderation.proposal_approve(
        proposal=proposal,
        by=moderator,
        seen=moderation.seen_now(proposal),
        note="Thanks!",
    )
    client.force_login(contributor)
    home = client.get("/").content.decode()
    assert '<span class="count" aria-label="1 unread">1</span>' in home
    html = client.get(reverse("moderation:notifications")).content.decode()
    assert "was <strong>approved</strong>" in html
    assert "Thanks!" in html
    client.post(reverse("moderation:notifications"))
    assert not Notification.objects.filter(
        recipient=contributor, read_at__isnull=True
    ).exists()
    assert "1 unread" not in client.get("/").content.decode()


def test_autocomplete_suggests_titles_and_source_keys(client, person, contributor):
    # The fixture's theme and source are made by factories, outside the write
    # path that indexes them for search (wiki/search.py): index everything.
    search.rebuild()
    client.force_login(contributor)
    pages = client.get(
        reverse("moderation:autocomplete", args=["pages"]),
        {"q": "analyt", "kind": "organization"},
    ).json()
    assert pages["results"][0]["value"] == "Analytical Engine Society"
    anything = client.get(
        reverse("moderation:autocomplete", args=["pages"]), {"q": "comput"}
    ).json()
    assert anything["results"][0]["value"] == "Computing (theme)"
    sources = client.get(
        reverse("moderation:autocomplete", args=["sources"]), {"q": "sketch"}
    ).json()
    assert sources["results"][0]["value"] == "menabrea1843"


def test_autocomplete_is_for_signed_in_editors(client, person):
    response = client.get(
        reverse("moderation:autocomplete", args=["pages"]), {"q": "a"}
    )
    assert response.status_code == 403


def test_a_red_link_leads_to_the_create_form_with_the_title(client, contributor):
    html = client.get(
        reverse("wiki:resolve"), {"title": "Grace Hopper"}
    ).content.decode()
    assert 'href="/people/new/?title=Grace%20Hopper"' in html
    client.force_login(contributor)
    form = form_of(client, "/people/new/?title=Grace%20Hopper")
    assert form["title"] == "Grace Hopper"


@pytest.mark.parametrize(
    ("section", "slug", "field", "value", "message"),
    [
        ("works", "w", "year", "20x0", "Enter a whole number."),
        ("works", "w", "url", "htp:/bad", "Enter a valid URL."),
        ("organizations", "o", "founded_year", "12", "greater than or equal to 1000"),
        ("organizations", "o", "website", "nope", "Enter a valid URL."),
    ],
)
def test_every_kind_checks_years_and_urls(
    client, contributor, moderator, section, slug, field, value, message
):
    from tests.factories import OrganizationFactory, WorkFactory

    factory = WorkFactory if section == "works" else OrganizationFactory
    page = factory.build(title=f"Page {slug}", slug=slug)
    page_publish(page=page, user=moderator, summary="Create")
    client.force_login(contributor)
    data = edit(page, body="Kept text.", **{field: value})
    html = _errors_page(client.post(edit_url(page), data))
    assert message in html
    assert form_data(html, "edit-form")["body"] == "Kept text."


def test_a_work_is_edited_with_its_authors_in_order(client, person, moderator):
    from tests.factories import WorkFactory

    work = WorkFactory.build(title="Notes", slug="notes")
    page_publish(page=work, user=moderator, summary="Create")
    client.force_login(moderator)
    data = form_of(client, edit_url(work))
    data.update(
        {
            "authorships-0-person": "Ada Lovelace",
            "themes-0-theme": "Computing",
            "edit-summary": "Authors",
        }
    )
    assert client.post(edit_url(work), data).status_code == 302
    work.refresh_from_db()
    assert [a.person.title for a in work.authorships.all()] == ["Ada Lovelace"]
    assert [t.title for t in work.themes.all()] == ["Computing"]


def test_submitting_an_unchanged_form_is_refused(client, person, contributor):
    client.force_login(contributor)
    data = form_of(client, edit_url(person))
    data["edit-summary"] = "Nothing"
    html = _errors_page(client.post(edit_url(person), data))
    assert "You have not changed anything yet." in html
    assert not Proposal.objects.exists()


def test_the_admin_lists_proposals_read_only(admin_client, proposal):
    response = admin_client.get(reverse("admin:wiki_proposal_changelist"))
    assert response.status_code == 200
    assert f'href="/review/{proposal.pk}/"' in response.content.decode()
    assert admin_client.get(reverse("admin:wiki_proposal_add")).status_code == 403


def test_a_moderator_combines_a_conflicting_proposal_by_amending_it(
    client, proposal, person, moderator
):
    fresh = Person.objects.get(pk=person.pk)
    fresh.body = "Mod's body."
    page_publish(page=fresh, user=moderator, summary="Meanwhile")
    client.force_login(moderator)
    url = reverse("moderation:proposal_amend", args=[proposal.pk])
    html = client.get(url).content.decode()
    assert "Edit conflict" in html
    assert "The proposal's version" in html
    assert "Carol&#x27;s body." in html
    data = form_data(html, "edit-form")
    assert data["body"] == "Mod's body."
    assert data["edit-base_revision"] == str(latest_revision(person).pk)

    data.update({"body": "Mod's and Carol's body.", "edit-approve": "1"})
    assert client.post(url, data).status_code == 302
    assert Person.objects.get(pk=person.pk).body == "Mod's and Carol's body."
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.APPROVED
    assert proposal.revision_meta.revision.user == proposal.author


def test_a_form_naming_another_pages_revision_merges_nothing_silently(
    client, person, contributor, moderator
):
    other = Person(title="Other", slug="other")
    page_publish(page=other, user=moderator, summary="Create")
    fresh = Person.objects.get(pk=person.pk)
    fresh.body = "Changed meanwhile."
    page_publish(page=fresh, user=moderator, summary="Meanwhile")
    client.force_login(contributor)
    data = edit(person, body="Mine.")
    data["edit-base_revision"] = [str(latest_revision(other).pk)]
    response = client.post(edit_url(person), data)
    assert response.status_code == 409
    assert "Edit conflict" in response.content.decode()
    assert Person.objects.get(pk=other.pk).body == ""


def test_a_tampered_form_is_a_400_with_a_message(client, person, contributor):
    client.force_login(contributor)
    data = edit(person, body="Mine.")
    del data["affiliations-TOTAL_FORMS"]
    response = client.post(edit_url(person), data)
    assert response.status_code == 400
    assert "ManagementForm data is missing" in response.content.decode()
