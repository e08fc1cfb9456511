"""edit_submit: one service decides what an edit form's submission becomes;
Proposal.can_amend/can_withdraw; the review queue's pages keep its filters."""

import pytest
from django.urls import reverse
from reversion.models import Revision

from people.models import Person
from tests.factories import UserFactory
from tests.wiki.moderation_helpers import lift_proposal_limits, page_data, submit
from wiki import moderation
from wiki.models import Proposal
from wiki.services import latest_revision

pytestmark = pytest.mark.django_db


def _submit(person, user, **kwargs):
    return moderation.edit_submit(
        kind=person.kind,
        page=person,
        data=kwargs.pop("data", None) or page_data(person, body="Changed body."),
        base_revision_id=kwargs.pop("base_revision_id", latest_revision(person).pk),
        summary="Edit",
        minor=False,
        user=user,
        **kwargs,
    )


def test_a_contributors_edit_becomes_a_pending_proposal(person, contributor):
    outcome = _submit(person, contributor)

    assert outcome.result == moderation.Result.PROPOSED
    assert outcome.proposal.status == Proposal.Status.PENDING
    assert outcome.proposal.data["body"] == ["Changed body."]
    assert Person.objects.get(pk=person.pk).body != "Changed body."
    assert moderation.shown_after_save(outcome.proposal) == outcome.proposal


def test_a_moderators_edit_is_published_at_once(person, moderator):
    revisions = Revision.objects.count()
    outcome = _submit(person, moderator)

    assert outcome.result == moderation.Result.PUBLISHED
    assert outcome.proposal.status == Proposal.Status.APPROVED
    assert Person.objects.get(pk=person.pk).body == "Changed body."
    assert Revision.objects.count() == revisions + 1
    shown = moderation.shown_after_save(outcome.proposal)
    assert shown.get_absolute_url() == person.get_absolute_url()


def test_a_moderator_amends_and_approves_a_proposal_in_one_step(
    person, contributor, moderator
):
    proposal = submit(person, contributor, body="Contributor's body.")

    outcome = _submit(
        person,
        moderator,
        data=page_data(person, body="Moderator's body."),
        proposal=proposal,
        seen_version=proposal.version,
        approve=True,
        note="Tightened",
    )

    assert outcome.result == moderation.Result.APPROVED
    assert outcome.proposal.status == Proposal.Status.APPROVED
    assert outcome.proposal.version == 2
    assert Person.objects.get(pk=person.pk).body == "Moderator's body."


def test_approve_is_ignored_for_an_author_who_does_not_review(person, contributor):
    proposal = submit(person, contributor, body="First try.")

    outcome = _submit(
        person,
        contributor,
        data=page_data(person, body="Second try."),
        proposal=proposal,
        seen_version=proposal.version,
        approve=True,
    )

    assert outcome.result == moderation.Result.AMENDED
    assert outcome.proposal.status == Proposal.Status.PENDING
    assert outcome.proposal.data["body"] == ["Second try."]


def test_an_amendment_from_an_older_version_saves_nothing(person, contributor):
    proposal = submit(person, contributor, body="First try.")

    outcome = _submit(
        person,
        contributor,
        proposal=proposal,
        seen_version=proposal.version - 1,
    )

    assert outcome.result == moderation.Result.AMENDED_MEANWHILE
    assert not outcome.saved
    assert Proposal.objects.get(pk=proposal.pk).version == 1


def test_a_field_both_sides_changed_is_a_conflict_and_saves_nothing(
    person, contributor, moderator
):
    base = latest_revision(person).pk
    _submit(person, moderator, data=page_data(person, body="Theirs."))
    proposals = Proposal.objects.count()

    outcome = _submit(
        person, contributor, data=page_data(person, body="Mine."), base_revision_id=base
    )

    assert outcome.result == moderation.Result.CONFLICT
    assert [group.name for group in outcome.prepared.conflicts] == ["body"]
    assert Proposal.objects.count() == proposals
    assert Person.objects.get(pk=person.pk).body == "Theirs."


def test_invalid_data_saves_nothing_and_keeps_the_form(person, contributor):
    outcome = _submit(person, contributor, data=page_data(person, title=""))

    assert outcome.result == moderation.Result.INVALID
    assert "title" in outcome.error.editor.form.errors
    assert not Proposal.objects.exists()


def test_the_author_and_moderators_may_amend_a_pending_proposal(
    person, contributor, moderator
):
    proposal = submit(person, contributor, body="A change.")
    stranger = UserFactory()

    assert proposal.can_amend(contributor)
    assert proposal.can_amend(moderator)
    assert not proposal.can_amend(stranger)
    assert proposal.can_withdraw(contributor)
    assert not proposal.can_withdraw(moderator)

    moderation.proposal_withdraw(proposal=proposal, by=contributor)
    proposal.refresh_from_db()
    assert not proposal.can_amend(contributor)
    assert not proposal.can_amend(moderator)
    assert not proposal.can_withdraw(contributor)


def test_the_proposal_page_offers_amend_and_withdraw_as_the_model_allows(
    client, person, contributor, moderator
):
    proposal = submit(person, contributor, body="A change.")
    url = reverse("moderation:proposal_detail", kwargs={"pk": proposal.pk})
    amend = reverse("moderation:proposal_amend", kwargs={"pk": proposal.pk})
    withdraw = reverse("moderation:proposal_withdraw", kwargs={"pk": proposal.pk})

    client.force_login(contributor)
    html = client.get(url).content.decode()
    assert f'href="{amend}"' in html
    assert f'action="{withdraw}"' in html

    client.force_login(moderator)
    html = client.get(url).content.decode()
    assert f'href="{amend}"' in html
    assert f'action="{withdraw}"' not in html


def test_the_review_queues_next_page_keeps_its_filters(
    client, person, contributor, moderator
):
    lift_proposal_limits(contributor, by=moderator)
    for number in range(51):
        submit(person, contributor, summary=f"Edit {number}", body=f"Body {number}.")
    client.force_login(moderator)

    html = client.get(
        reverse("moderation:review_queue"), {"kind": "person"}
    ).content.decode()

    assert "51 pending proposals" in html
    assert "Page 1 of 2" in html
    assert 'href="?kind=person&amp;page=2"' in html


def test_a_page_past_the_end_of_the_queue_shows_the_last_page(
    client, person, contributor, moderator
):
    submit(person, contributor, summary="Only edit", body="Body.")
    client.force_login(moderator)
    queue = reverse("moderation:review_queue")

    for page in ["9", "x"]:
        response = client.get(queue, {"page": page})
        assert response.status_code == 200
        assert "Only edit" in response.content.decode()
