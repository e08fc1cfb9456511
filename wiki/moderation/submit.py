"""One service for whatever an edit form submits: it decides between
proposing, publishing at once, amending a proposal and amending-and-approving
it, for pages, sections of a page and records (sources) alike, and returns
an outcome the views map to a response."""

import enum
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from wiki.editing import FormData
from wiki.models import Proposal
from wiki.moderation.errors import (
    EditInvalid,
    ModerationError,
    PageChanged,
    ProposalChanged,
)
from wiki.moderation.permissions import can_publish, can_review
from wiki.moderation.proposals import (
    page_edit_publish,
    proposal_amend,
    proposal_amend_approve,
    proposal_submit,
)
from wiki.moderation.rebase import Prepared, edit_prepare
from wiki.moderation.targets import target_for


class Result(enum.StrEnum):
    PROPOSED = "proposed"  # a pending proposal
    PUBLISHED = "published"  # live at once (a moderator's or publisher's edit)
    AMENDED = "amended"  # a new version of a pending proposal
    APPROVED = "approved"  # amended and approved by a moderator, live
    CONFLICT = "conflict"  # fields both sides changed: nothing saved
    CHANGED_AGAIN = "changed-again"  # the page changed as it was saved
    INVALID = "invalid"  # the data does not fit (any more): nothing saved
    AMENDED_MEANWHILE = "amended-meanwhile"  # the proposal moved on: nothing saved
    REFUSED = "refused"  # not allowed now (e.g. the proposal was decided)


SAVED = {Result.PROPOSED, Result.PUBLISHED, Result.AMENDED, Result.APPROVED}


@dataclass
class EditOutcome:
    """What became of a submitted edit.

    ``proposal`` is what was saved (or the proposal being amended);
    ``prepared`` the edit rebased onto the latest revision (after
    ``CHANGED_AGAIN``, onto the one that appeared meanwhile); ``merged``
    whether the page had changed in other fields, merged in; ``error`` why
    nothing was saved.
    """

    result: Result
    proposal: Proposal | None
    prepared: Prepared
    merged: bool = False
    error: ModerationError | None = None

    @property
    def saved(self) -> bool:
        return self.result in SAVED


def submitted_before(*, author, token: uuid.UUID | None) -> Proposal | None:
    """The proposal this form (its ``token``) already made: a double click."""
    if token is None:
        return None
    return Proposal.objects.filter(author=author, submit_token=token).first()


def shown_after_save(proposal: Proposal):
    """What a user is shown once their edit is saved: the page (or record)
    when it is live, else the proposal."""
    if proposal.status == Proposal.Status.APPROVED:
        published = target_for(proposal.kind).record_of(proposal)
        if published is not None:
            return published
    return proposal


def edit_submit(
    *,
    kind: str,
    page,
    data: FormData,
    base_revision_id: int | None,
    summary: str,
    minor: bool,
    user,
    token: uuid.UUID | None = None,
    proposal: Proposal | None = None,
    seen_version: int = 0,
    approve: bool = False,
    note: str = "",
    resubmitted_from: Proposal | None = None,
    prepare: Callable[[], Prepared] | None = None,
) -> EditOutcome:
    """Save an edit of ``page`` (a page, a record, or None for a new one)
    begun at ``base_revision_id``, as the user may: amend ``proposal`` if
    given (and approve it, if ``approve`` and they review), else publish it
    if they may publish, else propose it.

    ``prepare`` rebases the edit onto the latest revision (by default a
    whole-form edit of ``data``; a section edit passes its own).
    """
    if prepare is None:
        same_base = proposal is not None and (
            base_revision_id == proposal.base_revision_id
        )

        def prepare() -> Prepared:
            return edit_prepare(
                kind=kind,
                page=page,
                data=data,
                base_revision_id=base_revision_id,
                base_data=(proposal.base_data or None) if same_base else None,
            )

    prepared = prepare()
    merged = prepared.merged and not prepared.conflicts
    outcome = EditOutcome(Result.CONFLICT, proposal, prepared, merged)
    if prepared.conflicts:
        return outcome
    edit = {"kind": kind, "page": page, "summary": summary, "minor": minor}
    try:
        if proposal is not None:
            outcome.result, outcome.proposal = _amend(
                proposal, prepared, edit, user=user, seen_version=seen_version,
                approve=approve, note=note,
            )  # fmt: skip
        elif can_publish(user):
            outcome.result = Result.PUBLISHED
            outcome.proposal = page_edit_publish(
                **edit, data=prepared.data, author=user, token=token,
                base_revision_id=_pk(prepared.base_revision),
                resubmitted_from=resubmitted_from,
            )  # fmt: skip
        else:
            outcome.result = Result.PROPOSED
            outcome.proposal = proposal_submit(
                **edit, data=prepared.data, author=user, token=token,
                base_revision=prepared.base_revision, base_data=prepared.base_data,
                resubmitted_from=resubmitted_from,
            )  # fmt: skip
    except ModerationError as error:
        outcome.error = error
        outcome.result = _failure(error)
        if outcome.result == Result.CHANGED_AGAIN:
            outcome.prepared = prepare()
    return outcome


def _amend(proposal, prepared, edit, *, user, seen_version, approve, note):
    amendment = {
        "proposal": proposal,
        "data": prepared.data,
        "base_revision": prepared.base_revision,
        "base_data": prepared.base_data,
        "summary": edit["summary"],
        "minor": edit["minor"],
        "by": user,
        "seen_version": seen_version,
    }
    if approve and can_review(user):
        proposal_amend_approve(**amendment, note=note)
        return Result.APPROVED, Proposal.objects.get(pk=proposal.pk)
    return Result.AMENDED, proposal_amend(**amendment)


def _failure(error: ModerationError) -> Result:
    if isinstance(error, EditInvalid):
        return Result.INVALID
    if isinstance(error, ProposalChanged):
        return Result.AMENDED_MEANWHILE
    if isinstance(error, PageChanged):
        return Result.CHANGED_AGAIN
    return Result.REFUSED


def _pk(obj):
    return obj.pk if obj is not None else None
