"""Rebasing: an edit (or a proposal) begun at one revision made to apply to
the page or record as it is now, field by field (``wiki.editing.merge``)."""

from dataclasses import dataclass

from django.db import transaction
from reversion.models import Revision

from wiki.editing import Editor, FormData, Group, Merge, merge
from wiki.models import Page, Proposal
from wiki.moderation.targets import target_for


@dataclass
class Prepared:
    """Submitted form data made to apply to the page as it is now."""

    data: FormData
    base_revision: Revision | None
    base_data: FormData
    merge: Merge | None = None

    @property
    def merged(self) -> bool:
        return self.merge is not None and bool(self.merge.changed_meanwhile)

    @property
    def conflicts(self) -> list[Group]:
        return self.merge.conflicts if self.merge else []


def edit_prepare(
    *,
    kind: str,
    page,
    data: FormData,
    base_revision_id: int | None,
    base_data: FormData | None = None,
) -> Prepared:
    """Rebase an edit begun at ``base_revision_id`` onto the latest revision
    of ``page`` (a page, or a record of a record kind).

    What the page gained meanwhile is kept; fields both changed are conflicts
    (``Prepared.conflicts``), which keep the current value in ``data``.
    """
    if page is None:
        return Prepared(data=data, base_revision=None, base_data={})
    target = target_for(kind)
    live, current_revision, editor, now = snapshot(target, kind, page)
    if current_revision is None or base_revision_id == current_revision.pk:
        return Prepared(data=data, base_revision=current_revision, base_data=now)
    if base_data is None and base_revision_id is not None:
        base_data = target.data_at(live, base_revision_id)
    merged = merge(editor, base=base_data, current=now, theirs=data)
    return Prepared(
        data=merged.data, base_revision=current_revision, base_data=now, merge=merged
    )


def snapshot(target, kind: str, page):
    """``page`` as it is now: the row, its latest revision, its editor and
    form data, read as one state.

    Read in turn, a publish committed between them pairs a revision with the
    text before it, and the edit rebased on that is stored as begun at a
    revision it never saw: approving it would quietly undo that revision.
    The page's row is locked for the reads, as a publish locks it (on
    SQLite, the transaction's one snapshot does the same).
    """
    with transaction.atomic():
        live = target.fresh(page, lock=True)
        current_revision = target.latest_revision(live)
        editor = Editor(kind, page=live)
        return live, current_revision, editor, editor.initial_data()


def form_start(target, page):
    """``page`` and the revision an edit form of it begins at, read as one
    state: the revision, then the page, then the revision again, until the
    two revisions agree.

    Read page first and revision after, a publish committed between the two
    reads would put the newer revision on a form showing the older text; the
    edit, taken as begun at the latest revision, would be published over it
    and undo it.  Should publishes keep landing between the reads, the page
    read last is newer than the revision: the edit is then rebased
    (``edit_prepare``), a merge or a conflict to resolve, never a loss.
    """
    revision = target.latest_revision(page)
    for _ in range(3):
        page = target.fresh(page)
        again = target.latest_revision(page)
        if pk_of(again) == pk_of(revision):
            break
        revision = again
    return page, revision


def pk_of(record) -> int | None:
    return record.pk if record is not None else None


def proposal_merge(
    *,
    proposal: Proposal,
    resolutions: dict[str, str] | None = None,
    editor: Editor | None = None,
    current: FormData | None = None,
) -> Merge:
    """The proposal's data made to apply to its page (or record) as it is now."""
    target = target_for(proposal.kind)
    if editor is None:
        record = target.record_of(proposal)
        if record is None:
            return Merge(data=proposal.data)
        editor = Editor(proposal.kind, page=record)
    revision = target.latest_revision(editor.page)
    if revision is not None and proposal.base_revision_id == revision.pk:
        return Merge(data=proposal.data)
    return merge(
        editor,
        base=proposal.base_data or None,
        current=current if current is not None else editor.initial_data(),
        theirs=proposal.data,
        resolutions=resolutions,
    )


def proposal_as_submitted(editor: Editor, *, current: FormData, theirs: FormData):
    """``theirs`` in full, made to apply to the page's current rows."""
    return merge(
        editor,
        base=None,
        current=current,
        theirs=theirs,
        resolutions={group.name: "proposal" for group in editor.groups()},
    ).data


def kept_from_page(proposal: Proposal, merged: Merge, *, page: Page | None) -> list:
    """The fields the proposal changed that ``merged`` keeps as the page has
    them (the moderator chose the current version in a conflict), each with
    both versions as text: what the author is told was not published."""
    if page is None:
        return []
    editor = Editor(proposal.kind, page=page)
    return [
        {
            "name": group.name,
            "label": group.label,
            "proposed": editor.describe(group, proposal.data),
            "kept": editor.describe(group, merged.data),
        }
        for group in merged.changed
        if merged.resolved.get(group.name) == "current"
    ]
