"""What a proposal changed, whatever became of it: the diff its author
follows on the proposal's page."""

from dataclasses import dataclass

from reversion.models import Revision

from wiki.diff import (
    DIFF_CONTEXT,
    FieldChange,
    RevisionDataError,
    Snapshot,
    diff_snapshots,
    diff_text,
    revision_snapshot,
    revision_snapshots,
)
from wiki.editing import Editor
from wiki.history import page_history
from wiki.models import Page, Proposal, RevisionMeta
from wiki.moderation.preview import apply_preview
from wiki.moderation.rebase import proposal_as_submitted
from wiki.moderation.targets import target_for


@dataclass
class ProposalChanges:
    """What the author of a proposal is shown it changed, field by field."""

    changes: list[FieldChange]
    against: str  # "page", "base", "published" or "fields" (see proposal_changes)
    revision: Revision | None = None  # the revision it became, when approved


def proposal_changes(proposal: Proposal) -> ProposalChanges:
    """The full diff of a decided proposal, for its author.

    Approved: what the revision it became changed on the page (what was
    actually published).  Rejected or withdrawn: what it changed from the page
    as it was when the proposal began (its base).  When that cannot be
    computed any more (the data no longer fits the page), each field as
    submitted against the same field at the base, as text.  A record's
    proposal (a source) is always shown field by field against its base.
    """
    if not target_for(proposal.kind).is_page:
        return ProposalChanges(_field_changes(proposal), against="fields")
    if proposal.status == Proposal.Status.APPROVED:
        published = _published_changes(proposal)
        if published is not None:
            return published
    if proposal.page_id is None:
        applied = apply_preview(kind=proposal.kind, page=None, data=proposal.data)
        if applied.valid:
            return ProposalChanges(
                diff_snapshots(Snapshot(), applied.snapshot, context=DIFF_CONTEXT),
                against="base",
            )
        return ProposalChanges(_field_changes(proposal), against="fields")
    page = proposal.page.as_own_kind()
    editor = Editor(proposal.kind, page=page)
    before = _base_snapshot(proposal, page, editor)
    theirs = apply_preview(
        kind=proposal.kind,
        page=page,
        data=proposal_as_submitted(
            editor, current=editor.initial_data(), theirs=proposal.data
        ),
    )
    if before is None or not theirs.valid:
        return ProposalChanges(_field_changes(proposal), against="fields")
    return ProposalChanges(
        diff_snapshots(before, theirs.snapshot, context=DIFF_CONTEXT), against="base"
    )


def _published_changes(proposal: Proposal) -> ProposalChanges | None:
    meta = RevisionMeta.objects.filter(proposal=proposal).select_related("page")
    meta = meta.first()
    if meta is None or meta.page is None:
        return None
    page = meta.page
    version = page_history(page).filter(revision_id=meta.revision_id).first()
    if version is None:
        return None
    previous = version.previous_revision_id
    ids = [meta.revision_id, *([previous] if previous else [])]
    try:
        snapshots = revision_snapshots(ids, page)
    except RevisionDataError:
        return None
    before = snapshots[previous] if previous else Snapshot()
    return ProposalChanges(
        diff_snapshots(before, snapshots[meta.revision_id], context=DIFF_CONTEXT),
        against="published",
        revision=version.revision,
    )


def _base_snapshot(proposal: Proposal, page: Page, editor: Editor) -> Snapshot | None:
    """The page as the proposal found it: its base revision, or else the form
    data recorded with it applied to the page."""
    if proposal.base_revision_id is not None:
        try:
            return revision_snapshot(proposal.base_revision, page)
        except RevisionDataError:
            pass
    if not proposal.base_data:
        return None
    applied = apply_preview(
        kind=proposal.kind,
        page=page,
        data=proposal_as_submitted(
            editor, current=editor.initial_data(), theirs=proposal.base_data
        ),
    )
    return applied.snapshot if applied.valid else None


def _field_changes(proposal: Proposal) -> list[FieldChange]:
    """Each field as the proposal has it against the same field at its base,
    as text (what the form data says, without applying it)."""
    page = proposal.page.as_own_kind() if proposal.page_id else None
    editor = Editor(proposal.kind, page=page)
    base = proposal.base_data or {}
    changes = []
    for group in editor.groups():
        before = editor.describe(group, base) if base else ""
        after = editor.describe(group, proposal.data)
        if before != after:
            changes.append(
                FieldChange(
                    group.name,
                    group.label,
                    "text",
                    before,
                    after,
                    diff_html=diff_text(before, after, context=DIFF_CONTEXT),
                )
            )
    return changes
