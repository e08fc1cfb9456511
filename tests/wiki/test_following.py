"""Proposals their authors can follow: the diff in every state, revise and
resubmit, partial approvals, a pending proposal of one's own, pending links."""

import re

import pytest
from django.urls import reverse

from people.models import Person
from tests.factories import UserFactory
from tests.forms import form_data
from tests.wiki.moderation_helpers import edit, edit_url, submit
from wiki import moderation
from wiki.models import Notification, Proposal
from wiki.services import latest_revision, page_publish

pytestmark = pytest.mark.django_db

PROPOSED_BODY = (
    "Ada wrote the first published program.\n\nShe worked with [[Charles Babbage]].\n"
)
BODY_DIFF = "Ada wrote the first <ins>published </ins>program."


def publish(page, by, **fields) -> None:
    fresh = Person.objects.get(pk=page.pk)
    for name, value in fields.items():
        setattr(fresh, name, value)
    page_publish(page=fresh, user=by, summary="Meanwhile")


def detail(client, proposal) -> str:
    response = client.get(proposal.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def approve(proposal, moderator, **kwargs):
    return moderation.proposal_approve(
        proposal=proposal, by=moderator, seen=moderation.seen_now(proposal), **kwargs
    )


def reject(proposal, moderator, reason="Cite a source."):
    return moderation.proposal_reject(
        proposal=proposal,
        by=moderator,
        seen=moderation.seen_now(proposal),
        reason=reason,
    )


# -- the diff, whatever the state -------------------------------------------------


@pytest.mark.parametrize(
    ("state", "heading"),
    [
        ("pending", "What it changes"),
        ("approved", "What was published"),
        ("rejected", "What it proposed"),
        ("withdrawn", "What it proposed"),
    ],
)
def test_the_author_sees_the_full_diff_of_their_proposal_in_every_state(
    client, person, contributor, moderator, state, heading
):
    proposal = submit(person, contributor, body=PROPOSED_BODY)
    if state == "approved":
        approve(proposal, moderator)
    elif state == "rejected":
        reject(proposal, moderator)
    elif state == "withdrawn":
        moderation.proposal_withdraw(proposal=proposal, by=contributor)
    client.force_login(contributor)
    html = detail(client, proposal)
    assert f'<h2 id="changes-heading">{heading}</h2>' in html
    assert BODY_DIFF in html
    assert "Fields it changed" not in html


def test_a_rejected_proposal_is_compared_with_its_base_not_with_the_page_now(
    client, person, contributor, moderator
):
    proposal = submit(person, contributor, body=PROPOSED_BODY)
    reject(proposal, moderator)
    publish(person, moderator, known_for="Changed meanwhile")
    client.force_login(contributor)
    html = detail(client, proposal)
    assert "Compared with the page as it was when the proposal began." in html
    assert BODY_DIFF in html
    assert "Changed meanwhile" not in html


def test_an_approved_proposal_shows_what_its_revision_published(
    client, person, contributor, moderator
):
    proposal = submit(person, contributor, body=PROPOSED_BODY, known_for="Carol's")
    publish(person, moderator, known_for="Mod's")
    approve(proposal, moderator, resolutions={"known_for": "current"})
    revision = latest_revision(person)
    client.force_login(contributor)
    html = detail(client, proposal)
    assert f"revision {revision.pk}</a>, the revision this proposal became" in html
    published = html.split('id="changes-heading"')[1]
    assert BODY_DIFF in published
    assert "Known for" not in published  # not published: the page's was kept


def test_a_proposed_new_page_shows_every_field_it_proposed_once_rejected(
    client, contributor, moderator, roles
):
    client.force_login(contributor)
    url = reverse("moderation:page_create", kwargs={"section": "themes"})
    data = form_data(client.get(url).content.decode(), "edit-form")
    data.update({"title": "Scaling laws", "body": "Bigger.", "edit-summary": "New"})
    client.post(url, data)
    proposal = Proposal.objects.get()
    reject(proposal, moderator)
    html = detail(client, proposal)
    assert "The new page as proposed." in html
    assert "<ins>Scaling laws</ins>" in html
    assert "<ins>Bigger.</ins>" in html


# -- revise and resubmit ----------------------------------------------------------


def resubmit_url(proposal) -> str:
    return reverse("moderation:proposal_resubmit", args=[proposal.pk])


def test_a_rejected_proposal_is_resubmitted_as_a_new_prefilled_proposal(
    client, person, contributor, moderator
):
    old = submit(person, contributor, summary="Add a word", body=PROPOSED_BODY)
    reject(old, moderator, reason="Which program? Cite it.")
    client.force_login(contributor)
    assert f'href="{resubmit_url(old)}">Revise and resubmit</a>' in detail(client, old)

    html = client.get(resubmit_url(old)).content.decode()
    assert "Revising proposal" in html
    assert "Reason: Which program? Cite it." in html
    data = form_data(html, "edit-form")
    assert data["body"] == PROPOSED_BODY
    assert data["edit-summary"] == "Add a word"
    assert data["edit-resubmits"] == str(old.pk)
    data["body"] = PROPOSED_BODY.replace("program.", "program [@menabrea1843].")
    data["edit-summary"] = "Add a word, with its source"
    response = client.post(resubmit_url(old), data)

    new = Proposal.objects.exclude(pk=old.pk).get()
    assert response["Location"] == new.get_absolute_url()
    assert new.is_pending
    assert new.resubmitted_from == old
    assert new.author == contributor
    assert new.summary == "Add a word, with its source"
    assert new.data["body"] == [data["body"]]
    old.refresh_from_db()
    assert old.status == Proposal.Status.REJECTED
    assert f'<a href="/proposals/{old.pk}/">proposal {old.pk}</a>' in detail(
        client, new
    )
    assert f'<a href="/proposals/{new.pk}/">proposal {new.pk}</a> (pending)' in detail(
        client, old
    )


def test_a_resubmission_is_rebased_onto_the_page_as_it_is_now(
    client, person, contributor, moderator
):
    old = submit(person, contributor, body=PROPOSED_BODY)
    moderation.proposal_withdraw(proposal=old, by=contributor)
    publish(person, moderator, known_for="Changed meanwhile")
    client.force_login(contributor)
    data = form_data(client.get(resubmit_url(old)).content.decode(), "edit-form")
    assert data["body"] == PROPOSED_BODY
    assert data["known_for"] == "Changed meanwhile"
    assert data["edit-base_revision"] == str(latest_revision(person).pk)


def test_a_resubmission_whose_fields_changed_on_the_page_shows_the_conflict(
    client, person, contributor, moderator
):
    old = submit(person, contributor, body=PROPOSED_BODY)
    reject(old, moderator)
    publish(person, moderator, body="Rewritten meanwhile.")
    client.force_login(contributor)
    html = client.get(resubmit_url(old)).content.decode()
    assert "Edit conflict: 1 field changed by someone else too" in html
    assert form_data(html, "edit-form")["body"] == "Rewritten meanwhile."
    assert "Ada wrote the first published program." in html  # kept beside


@pytest.mark.parametrize(
    ("who", "status", "expected"),
    [("other", "rejected", 403), ("author", "pending", 302)],
)
def test_only_the_author_resubmits_and_only_a_decided_proposal(
    client, person, contributor, moderator, who, status, expected
):
    proposal = submit(person, contributor, body=PROPOSED_BODY)
    if status == "rejected":
        reject(proposal, moderator)
    client.force_login(contributor if who == "author" else UserFactory())
    response = client.get(resubmit_url(proposal))
    assert response.status_code == expected
    if expected == 302:
        assert response["Location"] == proposal.get_absolute_url()
    assert Proposal.objects.count() == 1


def test_a_resubmission_naming_someone_elses_proposal_is_refused(
    client, person, contributor, moderator
):
    others = submit(person, UserFactory(), body=PROPOSED_BODY)
    reject(others, moderator)
    client.force_login(contributor)
    data = edit(person, body="Mine.")
    data["edit-resubmits"] = [str(others.pk)]
    response = client.post(edit_url(person), data)
    assert response.status_code == 409
    assert "Only its author may resubmit a proposal." in response.content.decode()
    assert Proposal.objects.count() == 1


# -- partial approval -------------------------------------------------------------


def test_a_partial_approval_is_labelled_field_by_field_on_the_site_and_by_mail(
    client,
    person,
    contributor,
    moderator,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    contributor.email = "carol@example.org"
    contributor.save()
    proposal = submit(person, contributor, body=PROPOSED_BODY, known_for="Carol's")
    publish(person, moderator, known_for="Mod's")
    with django_capture_on_commit_callbacks(execute=True):
        approve(proposal, moderator, resolutions={"known_for": "current"})

    proposal.refresh_from_db()
    assert proposal.kept_fields == [
        {"name": "known_for", "label": "Known for", "proposed": "Carol's",
         "kept": "Mod's"},
    ]  # fmt: skip
    assert proposal.decision_label == (
        "Approved, except: Known for kept as it was on the page"
    )
    client.force_login(contributor)
    html = detail(client, proposal)
    assert (
        "<strong>Approved, except:</strong> Known for kept as it was on the page."
        in html
    )
    assert '<pre class="conflict-text kept-proposed">Carol&#x27;s</pre>' in html
    assert '<pre class="conflict-text kept-current">Mod&#x27;s</pre>' in html

    notification = Notification.objects.get(recipient=contributor, proposal=proposal)
    assert notification.verb == "approved"
    notifications = client.get(reverse("moderation:notifications")).content.decode()
    assert (
        'was <strong>approved</strong> by mod, <strong class="kept-summary">'
        "except: Known for kept as it was on the page</strong>"
    ) in notifications
    contributions = client.get(reverse("moderation:contributions")).content.decode()
    assert "Approved, except: Known for kept as it was on the page" in contributions

    [mail] = mailoutbox
    assert mail.subject == "Your change to Ada Lovelace was approved, except: Known for"
    assert (
        'your change to "Ada Lovelace" (Improve) was approved by mod, except: '
        "Known for kept as it was on the page."
    ) in mail.body
    assert "  Yours:   Carol's\n  Kept:    Mod's" in mail.body


def test_a_full_approval_is_simply_approved(client, person, contributor, moderator):
    proposal = submit(person, contributor, body=PROPOSED_BODY, known_for="Carol's")
    publish(person, moderator, known_for="Mod's")
    approve(proposal, moderator, resolutions={"known_for": "proposal"})
    proposal.refresh_from_db()
    assert proposal.kept_fields == []
    assert proposal.decision_label == "Approved"
    client.force_login(contributor)
    assert "except" not in detail(client, proposal)


def test_several_kept_fields_are_named_together(person, contributor, moderator):
    proposal = submit(
        person, contributor, body="Carol's body.", known_for="Carol's notes"
    )
    publish(person, moderator, body="Mod's body.", known_for="Mod's notes")
    approve(
        proposal, moderator, resolutions={"body": "current", "known_for": "current"}
    )
    proposal.refresh_from_db()
    assert proposal.kept_summary == "Known for and body kept as they were on the page"


# -- a pending proposal of one's own --------------------------------------------


def test_editing_a_page_with_ones_own_pending_proposal_offers_to_amend_it(
    client, person, contributor
):
    proposal = submit(person, contributor, summary="First go", body=PROPOSED_BODY)
    client.force_login(contributor)
    response = client.get(edit_url(person))
    html = response.content.decode()
    assert response.status_code == 200
    assert "You already have a pending change to Ada Lovelace" in html
    amend = reverse("moderation:proposal_amend", args=[proposal.pk])
    assert (
        f'<a class="button button-primary" href="{amend}">Amend this proposal' in html
    )
    assert f'<a class="button" href="{edit_url(person)}?another=1">' in html
    assert 'id="edit-form"' not in html

    another = client.get(edit_url(person) + "?another=1").content.decode()
    assert 'id="edit-form"' in another
    data = form_data(another, "edit-form")
    data.update({"known_for": "A second change", "edit-summary": "Second go"})
    client.post(edit_url(person) + "?another=1", data)
    assert Proposal.objects.pending().by(contributor).count() == 2


def test_editing_without_a_pending_proposal_of_ones_own_opens_the_form(
    client, person, contributor
):
    submit(person, UserFactory(), body=PROPOSED_BODY)
    client.force_login(contributor)
    assert 'id="edit-form"' in client.get(edit_url(person)).content.decode()


# -- "N pending changes" links ---------------------------------------------------


def _pending_line(html: str) -> str:
    return re.search(r'<span class="pending-changes">(.*?)</span>', html, re.S)[1]


def test_pending_changes_link_to_the_readers_own_proposals(client, person, contributor):
    mine = submit(person, contributor, summary="Mine", body=PROPOSED_BODY)
    client.force_login(contributor)
    line = _pending_line(client.get(person.get_absolute_url()).content.decode())
    assert line == (
        f'<a href="/proposals/{mine.pk}/">1 pending change</a> (yours), awaiting review'
    )
    submit(person, UserFactory(), summary="Theirs", known_for="Other")
    line = _pending_line(client.get(person.get_absolute_url()).content.decode())
    assert " ".join(line.split()) == (
        f'2 pending changes, awaiting review, including <a href="/proposals/'
        f'{mine.pk}/">your “Mine”</a>'
    )


def test_pending_changes_link_moderators_to_their_review(
    client, person, contributor, moderator
):
    first = submit(person, contributor, summary="Mine", body=PROPOSED_BODY)
    client.force_login(moderator)
    line = _pending_line(client.get(person.get_absolute_url()).content.decode())
    assert line == (
        f'<a href="/review/{first.pk}/">1 pending change</a>, awaiting review'
    )
    second = submit(person, UserFactory(username="dave"), summary="Theirs")
    line = _pending_line(client.get(person.get_absolute_url()).content.decode())
    assert " ".join(line.split()) == (
        f'2 pending changes, awaiting review: <a href="/review/{first.pk}/">“Mine” '
        f'by carol</a>, <a href="/review/{second.pk}/">“Theirs” by dave</a>'
    )


def test_other_contributors_see_how_many_changes_wait_without_links(
    client, person, contributor
):
    submit(person, contributor, body=PROPOSED_BODY)
    client.force_login(UserFactory())
    html = client.get(person.get_absolute_url()).content.decode()
    assert _pending_line(html) == "1 pending change, awaiting review"


def test_the_rejection_mail_offers_to_revise_and_resubmit(
    person, contributor, moderator, mailoutbox, django_capture_on_commit_callbacks,
    settings,
):  # fmt: skip
    settings.LINEAGE_SITE_URL = "https://lineage.example"
    contributor.email = "carol@example.org"
    contributor.save()
    proposal = submit(person, contributor, body=PROPOSED_BODY)
    with django_capture_on_commit_callbacks(execute=True):
        reject(proposal, moderator, reason="Cite it.")
    [mail] = mailoutbox
    assert (
        "You can revise it and submit it again: "
        f"https://lineage.example/proposals/{proposal.pk}/resubmit/\n"
    ) in mail.body


def test_a_proposal_to_a_page_deleted_since_cannot_be_resubmitted(
    client, person, contributor, moderator
):
    from wiki.history import page_delete

    proposal = submit(person, contributor, body=PROPOSED_BODY)
    reject(proposal, moderator)
    page_delete(page=person, user=moderator, reason="Duplicate")
    client.force_login(contributor)
    response = client.get(resubmit_url(proposal), follow=True)
    assert response.redirect_chain == [(proposal.get_absolute_url(), 302)]
    assert "Ada Lovelace was deleted" in response.content.decode()


def test_a_section_edit_with_a_pending_proposal_offers_to_amend_it_too(
    client, person, contributor
):
    submit(person, contributor, body="## One\nFirst.\n")
    client.force_login(contributor)
    html = client.get(edit_url(person) + "?section=1").content.decode()
    assert "You already have a pending change to Ada Lovelace" in html
    assert f'href="{edit_url(person)}?section=1&amp;another=1"' in html
