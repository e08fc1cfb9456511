"""The proposal lifecycle: submit, amend, approve, reject, withdraw, and a
moderator's edit published at once, with one body for pages and records
(the differences live in ``wiki.moderation.targets``).

A contributor's edit is stored as a pending ``Proposal`` (the form data and
the revision it started from); a moderator approves it, which replays the
data through the same form against the page as it is then, in one revision
whose author is the contributor.  If the page changed meanwhile the two are
merged field by field and fields both sides changed wait for the moderator's
choice: nothing is overwritten silently.
"""

import uuid

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from reversion.models import Revision

from wiki import limits
from wiki.editing import Editor, FormData
from wiki.models import Proposal, ProposalVersion
from wiki.moderation import rebase
from wiki.moderation.errors import (
    EditConflict,
    ModerationError,
    PageChanged,
    ProposalChanged,
    ProposalLimitReached,
)
from wiki.moderation.flags import Assessment
from wiki.moderation.notify import notify_decision
from wiki.moderation.permissions import can_publish, can_review
from wiki.moderation.seen import Seen, require_seen
from wiki.moderation.targets import target_for
from wiki.watchlist import services as watching


def _require_pending(proposal: Proposal) -> None:
    if not proposal.is_pending:
        raise ModerationError(
            f"This proposal is already {proposal.get_status_display().lower()}."
        )


def _locked(proposal: Proposal) -> Proposal:
    # The proposal row alone: locking its author's row too would deadlock
    # with an approval recording that user as its approver.
    return Proposal.objects.select_for_update(no_key=True).get(pk=proposal.pk)


def _save_once(proposal: Proposal) -> Proposal:
    """Save a new proposal (as its version 1), or return the one its form
    token already made.

    The token is unique per author, so a double click that races past the
    view's check still makes one proposal.
    """
    try:
        with transaction.atomic():
            proposal.save()
            _record_version(proposal, by=proposal.author)
    except IntegrityError:
        existing = _existing_for_token(
            author=proposal.author, token=proposal.submit_token
        )
        if existing is None:
            raise
        return existing
    return proposal


def _existing_for_token(*, author, token: uuid.UUID | None) -> Proposal | None:
    if token is None:
        return None
    return Proposal.objects.filter(author=author, submit_token=token).first()


def _record_version(proposal: Proposal, *, by) -> ProposalVersion:
    return ProposalVersion.objects.create(
        proposal=proposal,
        number=proposal.version,
        title=proposal.title,
        data=proposal.data,
        summary=proposal.summary,
        minor=proposal.minor,
        created_by=by,
    )


def _record_assessment(proposal: Proposal, assessment: Assessment) -> None:
    proposal.flags = " " + " ".join(assessment.flags) + " " if assessment.flags else ""
    proposal.size_delta = assessment.size_delta
    proposal.changed_fields = [change.label for change in assessment.changes]


def _check_resubmission(old: Proposal | None, *, author, page, kind: str) -> None:
    if old is None:
        return
    if old.author_id != author.pk:
        raise ModerationError("Only its author may resubmit a proposal.")
    if not old.can_be_resubmitted:
        raise ModerationError(
            f"Proposal {old.pk} is {old.get_status_display().lower()}: only a "
            "rejected or withdrawn proposal can be resubmitted."
        )
    if old.kind != kind or old.page_id != (page.pk if page is not None else None):
        raise ModerationError(
            f"Proposal {old.pk} changed another page; it cannot be resubmitted here."
        )


def proposal_submit(
    *,
    kind: str,
    page,
    data: FormData,
    base_revision: Revision | None,
    base_data: FormData,
    summary: str,
    minor: bool,
    author,
    token: uuid.UUID | None = None,
    resubmitted_from: Proposal | None = None,
) -> Proposal:
    """Store an edit of ``page`` (a page, a record of a record kind, or None
    for a new one) as a pending proposal; nothing published changes.

    Submitting the same form twice (same ``token``) returns the first proposal.
    ``resubmitted_from`` is the author's rejected or withdrawn proposal that
    this one revises.
    """
    existing = _existing_for_token(author=author, token=token)
    if existing is not None:
        return existing
    if refusal := limits.proposal_refusal(author):
        raise ProposalLimitReached(refusal)
    target = target_for(kind)
    _check_resubmission(
        resubmitted_from, author=author, page=target.page_of(page), kind=kind
    )
    applied = target.checked_apply(page, data)
    proposal = Proposal(
        kind=kind,
        page=target.page_of(page),
        title=target.title_of(applied),
        data=data,
        base_revision=base_revision,
        base_data=base_data,
        summary=summary,
        minor=minor,
        author=author,
        submit_token=token,
        resubmitted_from=resubmitted_from,
    )
    _record_assessment(proposal, target.assess(page, applied))
    with transaction.atomic():
        # Again with the author locked: two forms sent at once by one author
        # are counted one after the other.  FOR NO KEY UPDATE, as every row
        # lock here: it does not block the key check of a row referring to
        # the locked one (a notification to this author from another's
        # proposal), which FOR UPDATE turned into deadlocks.
        get_user_model().objects.select_for_update(no_key=True).filter(
            pk=author.pk
        ).first()
        existing = _existing_for_token(author=author, token=token)
        if existing is not None:
            return existing
        if refusal := limits.proposal_refusal(author):
            raise ProposalLimitReached(refusal)
        saved = _save_once(proposal)
        if saved is proposal:
            target.attach(proposal, record=page, proposed=applied.editor.form.instance)
            watching.proposal_submitted(proposal=proposal)
    return saved


def proposal_amend(
    *,
    proposal: Proposal,
    data: FormData,
    base_revision: Revision | None,
    base_data: FormData,
    summary: str,
    minor: bool,
    by,
    seen_version: int,
) -> Proposal:
    """Replace a pending proposal's data (its author or a moderator amends it)
    with a new version; any decision form showing an older version goes stale.

    Raise ``ProposalChanged`` if the proposal is no longer at ``seen_version``
    (amended meanwhile, e.g. in another tab or by a moderator).
    """
    target = target_for(proposal.kind)
    with transaction.atomic():
        proposal = _locked(proposal)
        _require_pending(proposal)
        if not proposal.can_amend(by):
            raise ModerationError("Only the author or a moderator may amend this.")
        if proposal.version != seen_version:
            raise ProposalChanged(proposal, seen_version=seen_version)
        record = target.record_of(proposal)
        applied = target.checked_apply(record, data)
        proposal.data = data
        proposal.title = target.title_of(applied)
        proposal.base_revision = base_revision
        proposal.base_data = base_data
        proposal.summary = summary
        proposal.minor = minor
        _record_assessment(proposal, target.assess(record, applied))
        proposal.version += 1
        proposal.save()
        _record_version(proposal, by=by)
        target.attach(proposal, record=record, proposed=applied.editor.form.instance)
    return proposal


def proposal_amend_approve(
    *,
    proposal: Proposal,
    data: FormData,
    base_revision: Revision | None,
    base_data: FormData,
    summary: str,
    minor: bool,
    by,
    seen_version: int,
    note: str = "",
) -> Revision:
    """A moderator's amendment, approved as amended, in one transaction: what
    is published is the version they just wrote, on the page (or record) they
    rebased it on."""
    with transaction.atomic():
        amended = proposal_amend(
            proposal=proposal,
            data=data,
            base_revision=base_revision,
            base_data=base_data,
            summary=summary,
            minor=minor,
            by=by,
            seen_version=seen_version,
        )
        return proposal_approve(
            proposal=amended,
            by=by,
            seen=Seen(amended.version, base_revision.pk if base_revision else None),
            note=note,
        )


def proposal_withdraw(*, proposal: Proposal, by) -> Proposal:
    with transaction.atomic():
        proposal = _locked(proposal)
        if by != proposal.author:
            raise ModerationError("Only the author may withdraw a proposal.")
        _require_pending(proposal)
        proposal.status = Proposal.Status.WITHDRAWN
        proposal.save(update_fields=["status", "updated_at"])
    return proposal


def _decide(proposal: Proposal, *, status, by, note: str) -> None:
    proposal.status = status
    proposal.reviewer = by
    proposal.reviewed_at = timezone.now()
    proposal.review_note = note.strip()
    proposal.save()
    notify_decision(proposal=proposal)


def proposal_reject(*, proposal: Proposal, by, reason: str, seen: Seen) -> Proposal:
    """Reject with a reason the author is shown (and mailed).

    Raise ``ProposalChanged`` if the proposal was amended since ``seen``: the
    author may have fixed what the moderator is rejecting.
    """
    reason = reason.strip()
    if not reason:
        raise ModerationError("Give a reason: the contributor will read it.")
    if not can_review(by):
        raise ModerationError("Only moderators may reject proposals.")
    with transaction.atomic():
        proposal = _locked(proposal)
        _require_pending(proposal)
        if proposal.version != seen.version:
            raise ProposalChanged(proposal, seen_version=seen.version)
        _decide(proposal, status=Proposal.Status.REJECTED, by=by, note=reason)
    return proposal


def proposal_approve(
    *,
    proposal: Proposal,
    by,
    seen: Seen,
    note: str = "",
    resolutions: dict[str, str] | None = None,
) -> Revision:
    """Publish a pending proposal as one revision authored by its author.

    The page and proposal rows are locked, so what is published is exactly
    what the moderator reviewed: raise ``ProposalChanged`` if the proposal was
    amended since ``seen``, ``PageChanged`` if the page has a newer revision,
    ``EditConflict`` if fields both sides changed are not in ``resolutions``,
    ``EditInvalid`` if the data no longer validates.
    """
    if not can_review(by):
        raise ModerationError("Only moderators may approve proposals.")
    target = target_for(proposal.kind)
    with transaction.atomic():
        proposal = _locked(proposal)
        _require_pending(proposal)
        record = target.record_of(proposal, lock=True)
        target.check_approvable(record)
        require_seen(proposal, target, record, seen)
        merged = rebase.proposal_merge(proposal=proposal, resolutions=resolutions)
        if merged.conflicts:
            raise EditConflict(merged)
        proposal.kept_fields = rebase.kept_from_page(proposal, merged, page=record)
        revision = target.publish(
            record=record,
            data=merged.data,
            author=proposal.author,
            approver=by,
            summary=proposal.summary,
            minor=proposal.minor,
            proposal=proposal,
            note=note,
        )
        _decide(proposal, status=Proposal.Status.APPROVED, by=by, note=note)
    return revision


def page_edit_publish(
    *,
    kind: str,
    page,
    data: FormData,
    base_revision_id: int | None,
    summary: str,
    minor: bool,
    author,
    token: uuid.UUID | None = None,
    resubmitted_from: Proposal | None = None,
) -> Proposal:
    """Publish a moderator's (or publisher's) edit of ``page`` (a page, a
    record, or None for a new one) at once, as an approved proposal.

    Raise ``PageChanged`` if the page has a newer revision than the form began
    from; the caller rebases the edit (``edit_prepare``) and asks again.
    """
    if not can_publish(author):
        raise ModerationError("You may propose changes, not publish them.")
    existing = _existing_for_token(author=author, token=token)
    if existing is not None:
        return existing
    if refusal := limits.proposal_refusal(author):
        raise ProposalLimitReached(refusal)
    target = target_for(kind)
    _check_resubmission(
        resubmitted_from, author=author, page=target.page_of(page), kind=kind
    )
    with transaction.atomic():
        base, base_data = None, {}
        if page is not None:
            page = target.fresh(page, lock=True)
            base = target.latest_revision(page)
            if base is not None and base.pk != base_revision_id:
                raise PageChanged(
                    f"The {target.label} changed since you began editing."
                )
            base_data = Editor(kind, page=page).initial_data()
        proposal = Proposal(
            kind=kind,
            page=target.page_of(page),
            title=data.get("title", [""])[-1][:255],
            data=data,
            base_revision=base,
            base_data=base_data,
            summary=summary,
            minor=minor,
            author=author,
            submit_token=token,
            status=Proposal.Status.APPROVED,
            reviewer=author,
            reviewed_at=timezone.now(),
            resubmitted_from=resubmitted_from,
        )
        saved = _save_once(proposal)
        if saved is not proposal:  # the same form was sent twice
            return saved
        target.publish(
            record=page,
            data=data,
            author=author,
            approver=author,
            summary=summary,
            minor=minor,
            proposal=proposal,
        )
        if proposal.page is not None:
            proposal.title = proposal.page.title
        proposal.save(update_fields=["page", "title"])
    return proposal
