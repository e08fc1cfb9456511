"""Proposals: submit, amend, withdraw, approve, reject, conflicts and merges."""

import uuid

import pytest
from reversion.models import Revision, Version

from people.models import Affiliation, Person
from tests.factories import OrganizationFactory, UserFactory
from tests.wiki.moderation_helpers import page_data, submit
from wiki import moderation
from wiki.diff import revision_snapshot, snapshot_from_page
from wiki.editing import Editor, formset_rows
from wiki.models import Notification, Page, Proposal
from wiki.services import latest_revision, page_publish

pytestmark = pytest.mark.django_db


ADA_BODY = "Ada wrote the first program.\n\nShe worked with [[Charles Babbage]].\n"


def fresh(page) -> Person:
    return Person.objects.get(pk=page.pk)


# -- snapshots ---------------------------------------------------------------


def test_a_snapshot_of_the_live_page_equals_the_snapshot_of_its_revision(person):
    revision = latest_revision(person)
    live = snapshot_from_page(fresh(person))
    recorded = revision_snapshot(revision, person)
    assert live.fields == recorded.fields
    assert {"body", "themes", "affiliation", "citation", "relatedpage"} <= set(
        live.fields
    )


def test_the_form_reads_back_a_page_unchanged(person):
    editor = Editor("person", page=fresh(person), data=page_data(person))
    assert editor.is_valid(), (editor.form.errors, [f.errors for f in editor.formsets])
    assert not editor.form.has_changed()
    assert all(not formset.has_changed() for formset in editor.formsets)


# -- submit ------------------------------------------------------------------


def test_a_submitted_proposal_is_pending_and_leaves_the_page_unchanged(
    person, contributor
):
    revisions = Revision.objects.count()
    proposal = submit(person, contributor, body="A new body.")

    assert proposal.status == Proposal.Status.PENDING
    assert proposal.base_revision == latest_revision(person)
    assert proposal.data["body"] == ["A new body."]
    assert proposal.changed_fields == ["body"]
    assert fresh(person).body.startswith("Ada wrote the first program.")
    assert Revision.objects.count() == revisions


def test_submitting_the_same_form_twice_makes_one_proposal(person, contributor):
    token = uuid.uuid4()
    first = submit(person, contributor, body="Once.", token=token)
    second = submit(person, contributor, body="Once.", token=token)
    assert first == second
    assert Proposal.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "flag"),
    [
        ({"citations-0-DELETE": "on"}, "citations-removed"),
        ({"affiliations-0-role": "president"}, "affiliations-changed"),
        ({"body": "See [the site](https://example.com/)."}, "external-links-added"),
        ({"body": "See [the site](//example.com/)."}, "external-links-added"),
        ({"body": '<a href="/\\example.com/">the site</a>'}, "external-links-added"),
        ({"body": "![](https://upload.wikimedia.org/p.gif)"}, "external-images-added"),
        ({"body": '<img src="//upload.wikimedia.org/p.gif">'}, "external-images-added"),
        (
            {"reading": "![](https://upload.wikimedia.org/p.gif)"},
            "external-images-added",
        ),
    ],
)
def test_proposals_are_flagged_for_what_moderators_care_about(
    person, contributor, changes, flag
):
    proposal = submit(person, contributor, **changes)
    assert proposal.flag_list == [flag]
    assert list(Proposal.objects.with_flag(flag)) == [proposal]


def test_an_image_from_a_host_readers_may_not_call_is_dropped_not_flagged(
    person, contributor
):
    proposal = submit(person, contributor, body="![](https://tracker.example/p.gif)")
    assert proposal.flag_list == []
    applied = moderation.apply_preview(kind="person", page=person, data=proposal.data)
    assert "tracker.example" not in applied.html["body"]


def test_an_invalid_proposal_is_refused_with_the_form_errors(person, contributor):
    with pytest.raises(moderation.EditInvalid) as error:
        submit(person, contributor, **{"affiliations-0-organization": "Nowhere Inc"})
    assert "organization" in error.value.editor.formsets[0].errors[0]
    assert not Proposal.objects.exists()


# -- amend and withdraw ---------------------------------------------------------


def test_the_author_amends_a_pending_proposal(person, contributor):
    proposal = submit(person, contributor, body="First try.")
    moderation.proposal_amend(
        proposal=proposal,
        data=page_data(person, body="Second try."),
        base_revision=proposal.base_revision,
        base_data=proposal.base_data,
        summary="Better",
        minor=True,
        by=contributor,
        seen_version=1,
    )
    proposal.refresh_from_db()
    assert proposal.data["body"] == ["Second try."]
    assert (proposal.summary, proposal.minor) == ("Better", True)


def test_someone_else_cannot_amend_or_withdraw_a_proposal(person, contributor):
    proposal = submit(person, contributor, body="Mine.")
    other = UserFactory(username="other")
    with pytest.raises(moderation.ModerationError):
        moderation.proposal_amend(
            proposal=proposal,
            data=page_data(person, body="Theirs."),
            base_revision=proposal.base_revision,
            base_data=proposal.base_data,
            summary="x",
            minor=False,
            by=other,
            seen_version=1,
        )
    with pytest.raises(moderation.ModerationError):
        moderation.proposal_withdraw(proposal=proposal, by=other)
    proposal.refresh_from_db()
    assert proposal.is_pending


def test_a_withdrawn_proposal_cannot_be_approved(person, contributor, moderator):
    proposal = submit(person, contributor, body="Never mind.")
    moderation.proposal_withdraw(proposal=proposal, by=contributor)
    with pytest.raises(moderation.ModerationError, match="withdrawn"):
        moderation.proposal_approve(
            proposal=proposal, by=moderator, seen=moderation.seen_now(proposal)
        )
    assert fresh(person).body.startswith("Ada wrote")


# -- approve and reject -----------------------------------------------------------


def test_approving_publishes_one_revision_by_the_author_approved_by_the_moderator(
    person, contributor, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    contributor.email = "carol@example.org"
    contributor.save()
    proposal = submit(
        person,
        contributor,
        summary="Fix the body and the role",
        body="Ada wrote the first published program.",
        **{"affiliations-0-role": "collaborator"},
    )
    before = Revision.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        revision = moderation.proposal_approve(
            proposal=proposal,
            by=moderator,
            seen=moderation.seen_now(proposal),
            note="Checked against the sources",
        )

    assert Revision.objects.count() == before + 1
    assert revision.user == contributor
    assert revision.comment == "Fix the body and the role"
    assert revision.meta.approved_by == moderator
    assert revision.meta.approved_at is not None
    assert revision.meta.proposal == proposal
    assert revision.meta.note == "Checked against the sources"
    page = fresh(person)
    assert page.body == "Ada wrote the first published program."
    assert page.body_html == "<p>Ada wrote the first published program.</p>"
    assert Affiliation.objects.get(person=page).role == "collaborator"
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.APPROVED
    assert proposal.reviewer == moderator
    notification = Notification.objects.get(recipient=contributor, proposal=proposal)
    assert notification.verb == "approved"
    assert len(mailoutbox) == 1
    assert "approved" in mailoutbox[0].subject
    assert mailoutbox[0].to == ["carol@example.org"]


def test_approving_twice_publishes_once(person, contributor, moderator):
    proposal = submit(person, contributor, body="Once only.")
    moderation.proposal_approve(
        proposal=proposal, by=moderator, seen=moderation.seen_now(proposal)
    )
    with pytest.raises(moderation.ModerationError, match="already approved"):
        moderation.proposal_approve(
            proposal=proposal, by=moderator, seen=moderation.seen_now(proposal)
        )
    assert Revision.objects.filter(meta__proposal=proposal).count() == 1


def test_a_contributor_cannot_approve(person, contributor):
    proposal = submit(person, contributor, body="Self-approved?")
    with pytest.raises(moderation.ModerationError):
        moderation.proposal_approve(
            proposal=proposal, by=contributor, seen=moderation.seen_now(proposal)
        )
    assert fresh(person).body.startswith("Ada wrote")


def test_rejecting_needs_a_reason_which_the_author_is_told(
    person, contributor, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    contributor.email = "carol@example.org"
    contributor.save()
    proposal = submit(person, contributor, body="Unsourced claim.")
    with pytest.raises(moderation.ModerationError, match="reason"):
        moderation.proposal_reject(
            proposal=proposal,
            by=moderator,
            seen=moderation.seen_now(proposal),
            reason="  ",
        )
    with django_capture_on_commit_callbacks(execute=True):
        moderation.proposal_reject(
            proposal=proposal,
            by=moderator,
            seen=moderation.seen_now(proposal),
            reason="Please cite a source.",
        )
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.REJECTED
    assert proposal.review_note == "Please cite a source."
    assert Notification.objects.get(recipient=contributor).verb == "rejected"
    assert "Please cite a source." in mailoutbox[0].body
    assert fresh(person).body.startswith("Ada wrote")


def test_a_proposed_new_page_is_created_on_approval(contributor, moderator):
    data = Editor("person").initial_data()
    data.update(title=["Grace Hopper"], slug=[""], body=["Admiral."])
    proposal = moderation.proposal_submit(
        kind="person",
        page=None,
        data=data,
        base_revision=None,
        base_data={},
        summary="New page",
        minor=False,
        author=contributor,
    )
    assert not Person.objects.filter(title="Grace Hopper").exists()
    revision = moderation.proposal_approve(
        proposal=proposal, by=moderator, seen=moderation.seen_now(proposal)
    )
    page = Person.objects.get(slug="grace-hopper")
    assert page.body == "Admiral."
    assert revision.user == contributor
    proposal.refresh_from_db()
    assert proposal.page.pk == page.pk


def test_a_new_page_whose_slug_was_taken_meanwhile_cannot_be_approved(
    contributor, moderator
):
    data = Editor("person").initial_data()
    data.update(title=["Grace Hopper"], slug=["grace-hopper"])
    proposal = moderation.proposal_submit(
        kind="person", page=None, data=data, base_revision=None, base_data={},
        summary="New page", minor=False, author=contributor,
    )  # fmt: skip
    taken = Person(title="Grace B. Hopper", slug="grace-hopper")
    page_publish(page=taken, user=moderator, summary="Create")
    with pytest.raises(moderation.EditInvalid) as error:
        moderation.proposal_approve(
            proposal=proposal, by=moderator, seen=moderation.seen_now(proposal)
        )
    assert "slug" in error.value.editor.form.errors
    proposal.refresh_from_db()
    assert proposal.is_pending


# -- conflicts ---------------------------------------------------------------------


def test_non_overlapping_changes_merge_cleanly(person, contributor, moderator):
    mine = submit(person, contributor, body="The body, edited by Carol.")
    theirs = submit(person, moderator, known_for="The Notes, edited by Mod.")
    moderation.proposal_approve(
        proposal=theirs, by=moderator, seen=moderation.seen_now(theirs)
    )

    review = moderation.proposal_review(proposal=mine)
    assert review.stale
    assert review.merge.conflicts == []
    assert [c.name for c in review.changes] == ["body"]

    moderation.proposal_approve(
        proposal=mine, by=moderator, seen=moderation.seen_now(mine)
    )
    page = fresh(person)
    assert page.body == "The body, edited by Carol."
    assert page.known_for == "The Notes, edited by Mod."


def test_changes_to_one_field_on_both_sides_are_a_conflict(
    person, contributor, moderator
):
    mine = submit(person, contributor, body="Carol's body.")
    theirs = submit(person, moderator, body="Mod's body.")
    moderation.proposal_approve(
        proposal=theirs, by=moderator, seen=moderation.seen_now(theirs)
    )

    review = moderation.proposal_review(proposal=mine)
    assert [g.name for g in review.merge.conflicts] == ["body"]
    [conflict] = review.conflicts
    assert conflict.base.startswith("Ada wrote the first program.")
    assert conflict.current == "Mod's body."
    assert conflict.proposal == "Carol's body."
    assert "<ins>Mod&#x27;s</ins>" in conflict.current_diff
    assert "<ins>Carol&#x27;s</ins>" in conflict.proposal_diff
    with pytest.raises(moderation.EditConflict):
        moderation.proposal_approve(
            proposal=mine, by=moderator, seen=moderation.seen_now(mine)
        )
    assert fresh(person).body == "Mod's body."


@pytest.mark.parametrize(
    ("choice", "body"), [("current", "Mod's body."), ("proposal", "Carol's body.")]
)
def test_the_moderator_resolves_a_conflict_by_choosing_a_side(
    person, contributor, moderator, choice, body
):
    mine = submit(person, contributor, body="Carol's body.", known_for="Carol's notes")
    theirs = submit(person, moderator, body="Mod's body.")
    moderation.proposal_approve(
        proposal=theirs, by=moderator, seen=moderation.seen_now(theirs)
    )
    moderation.proposal_approve(
        proposal=mine,
        by=moderator,
        seen=moderation.seen_now(mine),
        resolutions={"body": choice},
    )
    page = fresh(person)
    assert page.body == body
    assert page.known_for == "Carol's notes"


def test_rows_removed_meanwhile_do_not_break_a_proposal_that_kept_them(
    person, contributor, moderator
):
    mine = submit(person, contributor, body="Carol's body.")
    other_org = OrganizationFactory(title="Royal Society", slug="royal-society")
    page_publish(page=other_org, user=moderator, summary="Create")
    theirs = submit(
        person,
        moderator,
        **{
            "affiliations-0-organization": "Royal Society",
            "affiliations-0-role": "fellow",
        },
    )
    moderation.proposal_approve(
        proposal=theirs, by=moderator, seen=moderation.seen_now(theirs)
    )
    moderation.proposal_approve(
        proposal=mine, by=moderator, seen=moderation.seen_now(mine)
    )
    page = fresh(person)
    assert page.body == "Carol's body."
    assert [a.organization.title for a in page.affiliations.all()] == ["Royal Society"]


def test_a_conflict_on_rows_keeps_the_proposal_rows_when_chosen(
    person, contributor, moderator
):
    mine = submit(person, contributor, **{"affiliations-0-role": "analyst"})
    theirs = submit(person, moderator, **{"affiliations-0-DELETE": "on"})
    moderation.proposal_approve(
        proposal=theirs, by=moderator, seen=moderation.seen_now(theirs)
    )
    assert not Affiliation.objects.filter(person=person).exists()

    review = moderation.proposal_review(proposal=mine)
    assert [g.name for g in review.merge.conflicts] == ["affiliations"]
    moderation.proposal_approve(
        proposal=mine,
        by=moderator,
        seen=moderation.seen_now(mine),
        resolutions={"affiliations": "proposal"},
    )
    assert [a.role for a in Affiliation.objects.filter(person=person)] == ["analyst"]


def test_approving_what_the_moderator_did_not_see_is_refused(
    person, contributor, moderator
):
    proposal = submit(person, contributor, body="Carol's body.")
    seen = moderation.seen_now(proposal)
    page_publish(page=fresh(person), user=moderator, summary="Touch")
    with pytest.raises(moderation.PageChanged):
        moderation.proposal_approve(proposal=proposal, by=moderator, seen=seen)
    proposal.refresh_from_db()
    assert proposal.is_pending
    assert fresh(person).body == ADA_BODY


def _amend(proposal, by, *, seen_version, **changes):
    return moderation.proposal_amend(
        proposal=proposal,
        data=page_data(proposal.page.specific, **changes),
        base_revision=proposal.base_revision,
        base_data=proposal.base_data,
        summary="Amended",
        minor=False,
        by=by,
        seen_version=seen_version,
    )


def test_a_proposal_amended_after_review_cannot_be_approved_as_reviewed(
    person, contributor, moderator
):
    proposal = submit(person, contributor, body="Harmless text.")
    seen = moderation.seen_now(proposal)  # the moderator opens the review page
    _amend(
        proposal, contributor, seen_version=1, body="Buy [pills](https://spam.example)"
    )
    with pytest.raises(moderation.ProposalChanged) as refused:
        moderation.proposal_approve(proposal=proposal, by=moderator, seen=seen)
    assert str(refused.value) == (
        "The proposal was amended after you opened it: you saw version 1, it is "
        "now version 2. Review what changed, then decide again."
    )
    proposal.refresh_from_db()
    assert proposal.is_pending
    assert fresh(person).body == ADA_BODY
    assert Version.objects.get_for_object(fresh(person)).count() == 1


def test_a_proposal_amended_after_review_cannot_be_rejected_as_reviewed(
    person, contributor, moderator
):
    proposal = submit(person, contributor, body="Unsourced claim.")
    seen = moderation.seen_now(proposal)
    _amend(proposal, contributor, seen_version=1, body="Sourced claim [@menabrea1843].")
    with pytest.raises(moderation.ProposalChanged):
        moderation.proposal_reject(
            proposal=proposal, by=moderator, reason="Unsourced.", seen=seen
        )
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.PENDING
    assert proposal.review_note == ""


def test_each_amendment_is_a_new_version_and_the_old_ones_are_kept(person, contributor):
    proposal = submit(person, contributor, body="First.")
    _amend(proposal, contributor, seen_version=1, body="Second.")
    _amend(proposal, contributor, seen_version=2, body="Third.")
    proposal.refresh_from_db()
    assert proposal.version == 3
    assert [
        (v.number, v.data["body"], v.created_by) for v in proposal.versions.all()
    ] == [
        (1, ["First."], contributor),
        (2, ["Second."], contributor),
        (3, ["Third."], contributor),
    ]


def test_an_amendment_written_on_an_old_version_is_refused(
    person, contributor, moderator
):
    proposal = submit(person, contributor, body="First.")
    _amend(proposal, moderator, seen_version=1, body="The moderator's fix.")
    with pytest.raises(moderation.ProposalChanged):
        _amend(proposal, contributor, seen_version=1, body="The author's old tab.")
    proposal.refresh_from_db()
    assert proposal.data["body"] == ["The moderator's fix."]
    assert proposal.version == 2


def test_what_changed_since_a_version_names_each_changed_field(person, contributor):
    proposal = submit(person, contributor, body="Harmless text.")
    _amend(proposal, contributor, seen_version=1, body="Spam text.", known_for="Spam")
    proposal.refresh_from_db()
    changes = moderation.changes_since_version(proposal, 1)
    assert [(c.name, c.old, c.new) for c in changes] == [
        ("known_for", "Notes on the Engine", "Spam"),
        ("body", "Harmless text.", "Spam text."),
        ("edit-summary", "Improve", "Amended"),
    ]
    assert str(changes[1].diff_html) == "<del>Harmless</del><ins>Spam</ins> text."


def test_a_stale_edit_is_rebased_onto_the_current_page(person, contributor, moderator):
    base = latest_revision(person).pk
    data = page_data(person, body="Carol's body.")
    theirs = submit(person, moderator, known_for="Mod's notes")
    moderation.proposal_approve(
        proposal=theirs, by=moderator, seen=moderation.seen_now(theirs)
    )

    prepared = moderation.edit_prepare(
        kind="person", page=person, data=data, base_revision_id=base
    )
    assert prepared.conflicts == []
    assert prepared.merged
    assert prepared.data["body"] == ["Carol's body."]
    assert prepared.data["known_for"] == ["Mod's notes"]
    assert prepared.base_revision == latest_revision(person)


def test_a_stale_edit_that_overlaps_keeps_the_current_value_and_reports_it(
    person, contributor, moderator
):
    base = latest_revision(person).pk
    data = page_data(person, body="Carol's body.")
    theirs = submit(person, moderator, body="Mod's body.")
    moderation.proposal_approve(
        proposal=theirs, by=moderator, seen=moderation.seen_now(theirs)
    )

    prepared = moderation.edit_prepare(
        kind="person", page=person, data=data, base_revision_id=base
    )
    assert [g.name for g in prepared.conflicts] == ["body"]
    assert prepared.data["body"] == ["Mod's body."]


# -- direct edits ---------------------------------------------------------------------


def test_a_moderators_edit_publishes_at_once_as_one_revision(person, moderator):
    proposal = moderation.page_edit_publish(
        kind="person",
        page=person,
        data=page_data(person, body="Straight to the page."),
        base_revision_id=latest_revision(person).pk,
        summary="Direct",
        minor=True,
        author=moderator,
    )
    assert proposal.status == Proposal.Status.APPROVED
    revision = latest_revision(person)
    assert revision.user == moderator
    assert revision.meta.proposal == proposal
    assert revision.meta.minor is True
    assert fresh(person).body == "Straight to the page."
    # No decision to tell anyone of (watchers of the page hear of the edit).
    assert not Notification.objects.filter(proposal=proposal).exists()


def test_a_direct_edit_from_an_old_revision_is_refused(person, moderator):
    base = latest_revision(person).pk
    page_publish(page=fresh(person), user=moderator, summary="Meanwhile")
    with pytest.raises(moderation.PageChanged):
        moderation.page_edit_publish(
            kind="person", page=person,
            data=page_data(person, body="Late."), base_revision_id=base,
            summary="Late", minor=False, author=moderator,
        )  # fmt: skip
    assert fresh(person).body.startswith("Ada wrote")


def test_a_contributor_cannot_publish_directly(person, contributor):
    with pytest.raises(moderation.ModerationError):
        moderation.page_edit_publish(
            kind="person", page=person, data=page_data(person, body="No."),
            base_revision_id=latest_revision(person).pk, summary="x", minor=False,
            author=contributor,
        )  # fmt: skip


def test_reordering_rows_keeps_positions_unique(person, moderator):
    second = OrganizationFactory(title="Royal Society", slug="royal-society")
    page_publish(page=second, user=moderator, summary="Create")
    data = page_data(person)
    rows = formset_rows("affiliations", data)
    data.update(
        {
            "affiliations-TOTAL_FORMS": ["2"],
            "affiliations-0-ORDER": ["2"],
            "affiliations-1-organization": ["Royal Society"],
            "affiliations-1-role": ["fellow"],
            "affiliations-1-ORDER": ["1"],
        }
    )
    assert len(rows) == 1
    moderation.page_edit_publish(
        kind="person", page=person, data=data,
        base_revision_id=latest_revision(person).pk, summary="Order", minor=False,
        author=moderator,
    )  # fmt: skip
    assert [a.role for a in Affiliation.objects.filter(person=person)] == [
        "fellow",
        "translator",
    ]
    assert Page.objects.filter(pk=person.pk).exists()


def test_a_proposal_for_a_page_deleted_meanwhile_cannot_be_approved(
    person, contributor, moderator
):
    from wiki.history import page_delete

    proposal = submit(person, contributor, body="Too late.")
    page_delete(page=fresh(person), user=moderator, reason="Duplicate")
    with pytest.raises(moderation.ModerationError, match="deleted"):
        moderation.proposal_approve(
            proposal=proposal, by=moderator, seen=moderation.seen_now(proposal)
        )
    assert fresh(person).is_deleted
    proposal.refresh_from_db()
    assert proposal.is_pending
