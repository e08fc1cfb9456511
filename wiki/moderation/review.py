"""The review page's read model: a proposal compared with its page (or
record) as it is now, its conflicts, and what changed since a decision form
was shown."""

from dataclasses import dataclass, field

from reversion.models import Revision

from wiki.diff import DIFF_CONTEXT, FieldChange, Snapshot, diff_snapshots, diff_text
from wiki.editing import Editor, FormData, Group, Merge
from wiki.models import Page, Proposal
from wiki.moderation.preview import Applied
from wiki.moderation.rebase import proposal_as_submitted, proposal_merge
from wiki.moderation.seen import Seen
from wiki.moderation.targets import target_for


def changes_since_version(proposal: Proposal, version: int) -> list[FieldChange]:
    """What the proposal's amendments changed since its ``version``, field by
    field (the fields as the edit form describes them, and the edit summary)."""
    old = proposal.versions.filter(number=version).first()
    if old is None:
        return []
    page = proposal.page.as_own_kind() if proposal.page_id else None
    editor = Editor(proposal.kind, page=page)
    pairs = [
        (group.name, group.label, editor.describe(group, old.data),
         editor.describe(group, proposal.data))
        for group in editor.groups()
    ]  # fmt: skip
    pairs.append(("edit-summary", "edit summary", old.summary, proposal.summary))
    return [
        FieldChange(
            name,
            label,
            "text",
            before,
            after,
            diff_html=diff_text(before, after, context=DIFF_CONTEXT),
        )  # fmt: skip
        for name, label, before, after in pairs
        if before != after
    ]


@dataclass
class ConflictView:
    """One field both sides changed: its three versions, and each side's
    changes since the proposal began (when that is known)."""

    group: Group
    base: str
    current: str
    proposal: str
    choice: str = ""
    known_base: bool = True

    @property
    def current_diff(self):
        return diff_text(self.base, self.current, context=DIFF_CONTEXT)

    @property
    def proposal_diff(self):
        return diff_text(self.base, self.proposal, context=DIFF_CONTEXT)


@dataclass
class Review:
    """What the review page shows of a proposal."""

    proposal: Proposal
    page: Page | None
    current_revision: Revision | None
    stale: bool
    merge: Merge
    changes: list[FieldChange]  # what approving would change now
    proposal_changes: list[FieldChange]  # what the contributor changed
    result: Applied | None
    changed_meanwhile: list[FieldChange] = field(default_factory=list)
    conflicts: list[ConflictView] = field(default_factory=list)
    base_missing: bool = False
    record: object = None  # what a proposal of a record kind changes (a source)

    @property
    def seen(self) -> Seen:
        """What this review shows, for its decision forms to name."""
        revision = self.current_revision
        return Seen(self.proposal.version, revision.pk if revision else None)

    @property
    def rendered_changes(self) -> list[tuple[str, str]]:
        """The changed Markdown fields as they will read: (label, html)."""
        if self.result is None or not self.result.valid:
            return []
        html = self.result.html
        return [
            (change.label, html[change.name])
            for change in self.changes
            if change.kind == "text" and change.name in html
        ]


def _diff(before: Snapshot, applied: Applied) -> list[FieldChange]:
    if not applied.valid:
        return []
    return diff_snapshots(before, applied.snapshot, context=DIFF_CONTEXT)


def proposal_review(
    *, proposal: Proposal, resolutions: dict[str, str] | None = None
) -> Review:
    """Compare a proposal with its page (or record): its changes, conflicts
    and the result."""
    target = target_for(proposal.kind)
    record = target.record_of(proposal)
    if record is None:
        result = target.apply(None, proposal.data)
        changes = _diff(Snapshot(), result)
        return Review(
            proposal=proposal,
            page=None,
            current_revision=None,
            stale=False,
            merge=Merge(data=proposal.data),
            changes=changes,
            proposal_changes=changes,
            result=result,
        )
    editor = Editor(proposal.kind, page=record)
    now = editor.initial_data()
    current_revision = target.latest_revision(record)
    stale = current_revision is not None and (
        proposal.base_revision_id != current_revision.pk
    )
    merged = proposal_merge(
        proposal=proposal, resolutions=resolutions, editor=editor, current=now
    )
    current = target.snapshot(record)
    result = target.apply(record, merged.data)
    changes = _diff(current, result)
    review = Review(
        proposal=proposal,
        page=target.page_of(record),
        current_revision=current_revision,
        stale=stale,
        merge=merged,
        changes=changes,
        proposal_changes=changes,
        result=result,
        base_missing=stale and not proposal.base_data,
        record=None if target.is_page else record,
    )
    if not stale:
        return review
    base = target.base_snapshot(record, proposal)
    theirs = target.apply(
        record, proposal_as_submitted(editor, current=now, theirs=proposal.data)
    )
    if base is not None:
        review.changed_meanwhile = diff_snapshots(base, current, context=DIFF_CONTEXT)
        review.proposal_changes = _diff(base, theirs) if theirs.valid else changes
    review.conflicts = _conflict_views(editor, proposal, merged, now)
    return review


def _conflict_views(
    editor: Editor, proposal: Proposal, merged: Merge, now: FormData
) -> list[ConflictView]:
    return [
        ConflictView(
            group=group,
            base=editor.describe(group, proposal.base_data)
            if proposal.base_data
            else "",
            current=editor.describe(group, now),
            proposal=editor.describe(group, proposal.data),
            choice=merged.resolved.get(group.name, ""),
            known_base=bool(proposal.base_data),
        )
        for group in editor.groups()
        if group in merged.conflicts or group.name in merged.resolved
    ]


def changes_since_seen(proposal: Proposal, revision_id: int | None):
    """What the page (or record) of ``proposal`` changed after ``revision_id``,
    field by field: what a moderator who decided on it then missed."""
    return target_for(proposal.kind).changes_since(proposal, revision_id)
