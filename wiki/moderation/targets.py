"""What a proposal changes, behind one interface: a page, or a record of a
registered record kind (``registry.RecordKind``, e.g. a source).

The proposal lifecycle (submit, amend, approve, review...) has one body;
these adapters say how the thing is read, applied, snapshotted and
published.  ``PageTarget`` is the core's; ``RecordTarget`` wraps what an
app registered.
"""

from django.db import IntegrityError, transaction
from django.utils.html import strip_tags
from reversion.models import Revision, Version

from wiki import history, registry
from wiki.diff import (
    DIFF_CONTEXT,
    Snapshot,
    diff_snapshots,
    revision_snapshot,
    snapshot_from_page,
)
from wiki.editing import Editor, FormData
from wiki.models import Page, Proposal
from wiki.moderation.errors import EditInvalid, ModerationError
from wiki.moderation.flags import Assessment, assessment
from wiki.moderation.preview import (
    Applied,
    apply_preview,
    data_at_revision,
    external_links,
)
from wiki.services import latest_revision, page_publish, page_text_size


def _saving(editor: Editor, save):
    """Run ``save()`` in a savepoint; a database refusal (e.g. another page
    took the slug between validation and saving) becomes ``EditInvalid``."""
    try:
        with transaction.atomic():
            return save()
    except IntegrityError as error:
        editor.form.add_error(None, f"This could not be saved: {error}")
        raise EditInvalid(editor) from error


class PageTarget:
    """Pages of any registered page kind."""

    is_page = True
    label = "page"

    def __init__(self, kind: str):
        self.kind = kind

    def record_of(self, proposal: Proposal, *, lock: bool = False) -> Page | None:
        if proposal.page_id is None:
            return None
        return proposal.page.as_own_kind(lock=lock)

    def fresh(self, record: Page, *, lock: bool = False) -> Page:
        return record.as_own_kind(lock=lock)

    def page_of(self, record: Page | None) -> Page | None:
        return record

    def latest_revision(self, record: Page | None) -> Revision | None:
        return latest_revision(record) if record is not None else None

    def data_at(self, record: Page, revision_id: int) -> FormData | None:
        # Only a revision of this page can be read back (the id comes from a form).
        versions = Version.objects.get_for_object(record, model_db=None)
        base = Revision.objects.filter(
            pk=revision_id, pk__in=versions.values("revision_id")
        ).first()
        return data_at_revision(record, base) if base is not None else None

    def apply(self, record: Page | None, data: FormData) -> Applied:
        return apply_preview(kind=self.kind, page=record, data=data)

    def checked_apply(self, record: Page | None, data: FormData) -> Applied:
        applied = self.apply(record, data)
        if not applied.valid:
            raise EditInvalid(applied.editor, applied.error)
        return applied

    def title_of(self, applied: Applied) -> str:
        return applied.editor.form.cleaned_data.get("title") or ""

    def assess(self, record: Page | None, applied: Applied) -> Assessment:
        if record is None:
            before, links, size = Snapshot(), set(), 0
        else:
            live = record.as_own_kind()
            before, links = snapshot_from_page(live), external_links(live)
            size = page_text_size(live)
        return assessment(
            kind=self.kind,
            before=before,
            after=applied.snapshot,
            links_before=links,
            links_after=applied.external_links,
            size_delta=applied.size - size,
        )

    def attach(self, proposal: Proposal, *, record, proposed) -> None:
        """A page's proposal names its page itself."""

    def check_approvable(self, record: Page | None) -> None:
        if record is not None and record.is_deleted:
            raise ModerationError(
                "The page was deleted; recover it before approving changes to it."
            )

    def snapshot(self, record: Page) -> Snapshot:
        return snapshot_from_page(record)

    def base_snapshot(self, record: Page, proposal: Proposal) -> Snapshot | None:
        if proposal.base_revision is None:
            return None
        return revision_snapshot(proposal.base_revision, record)

    def changes_since(self, proposal: Proposal, revision_id: int | None):
        return history.changes_since(proposal.page, revision_id)

    def publish(self, *, record, data, author, approver, summary, minor, proposal,
                note="") -> Revision:  # fmt: skip
        editor = Editor(self.kind, page=record, data=data)
        if not editor.is_valid():
            raise EditInvalid(editor)
        _check_publishable(editor)

        def save():
            revision = page_publish(
                page=editor.form.instance,
                user=author,
                summary=summary,
                approved_by=approver,
                minor=minor,
                save_related=editor.save_related,
            )
            meta = revision.meta
            meta.proposal = proposal
            meta.note = note.strip()
            meta.save(update_fields=["proposal", "note"])
            return revision

        revision = _saving(editor, save)
        proposal.page = revision.meta.page
        return revision


def _check_publishable(editor: Editor) -> None:
    """Run the apps' checks of what may go live (e.g. no [@key] whose source
    is still only proposed); raise ``EditInvalid`` with their errors."""
    for check in registry.page_form_checks():
        check(editor.form, publishing=True)
    if editor.form.errors:
        problems = [
            strip_tags(str(message))
            for errors in editor.form.errors.values()
            for message in errors
        ]
        raise EditInvalid(editor, " ".join(problems))


def record_size(snapshot: Snapshot) -> int:
    """Characters of text a record holds: every field but lists."""
    return sum(
        len(str(value.value))
        for value in snapshot.fields.values()
        if value.kind in ("text", "short")
    )


class RecordTarget:
    """Records of a registered record kind (not pages): sources."""

    is_page = False

    def __init__(self, record_kind: registry.RecordKind):
        self.records = record_kind
        self.kind = record_kind.kind
        self.label = record_kind.label

    def record_of(self, proposal: Proposal, *, lock: bool = False):
        return self.records.record_of(proposal, lock=lock)

    def fresh(self, record, *, lock: bool = False):
        queryset = type(record).objects
        return (queryset.select_for_update(no_key=True) if lock else queryset).get(
            pk=record.pk
        )

    def page_of(self, record) -> None:
        return None

    def latest_revision(self, record) -> Revision | None:
        return self.records.latest_revision(record) if record is not None else None

    def data_at(self, record, revision_id: int) -> FormData | None:
        base = self.records.at_revision(record, revision_id)
        return Editor(self.kind, page=base).initial_data() if base is not None else None

    def apply(self, record, data: FormData) -> Applied:
        """The record as ``data`` would leave it (nothing is saved)."""
        # Validating writes the data onto the instance: give it a copy.
        target = self.fresh(record) if record is not None else None
        editor = Editor(self.kind, page=target, data=data)
        if not editor.is_valid():
            return Applied(editor, valid=False)
        proposed = editor.form.instance
        return Applied(
            editor,
            valid=True,
            snapshot=self.records.snapshot(proposed),
            external_links=self.records.external_links(proposed),
        )

    def checked_apply(self, record, data: FormData) -> Applied:
        applied = self.apply(record, data)
        if not applied.valid:
            raise EditInvalid(
                applied.editor, "Nothing was saved; see the marked fields."
            )
        return applied

    def title_of(self, applied: Applied) -> str:
        return str(applied.editor.form.instance.title)[:255]

    def assess(self, record, applied: Applied) -> Assessment:
        exists = record is not None
        before = self.records.snapshot(record) if exists else Snapshot()
        return assessment(
            kind=self.kind,
            before=before,
            after=applied.snapshot,
            links_before=self.records.external_links(record) if exists else set(),
            links_after=applied.external_links,
            size_delta=record_size(applied.snapshot) - record_size(before),
        )

    def attach(self, proposal: Proposal, *, record, proposed) -> None:
        self.records.attach(proposal, record=record, proposed=proposed)

    def check_approvable(self, record) -> None:
        pass

    def snapshot(self, record) -> Snapshot:
        return self.records.snapshot(record)

    def base_snapshot(self, record, proposal: Proposal) -> Snapshot | None:
        base_id = proposal.base_revision_id
        if base_id is None:
            return None
        return self.records.revision_snapshots(record, [base_id]).get(base_id)

    def changes_since(self, proposal: Proposal, revision_id: int | None):
        record = self.record_of(proposal)
        if record is None:
            return []
        before = Snapshot()
        if revision_id is not None:
            snapshots = self.records.revision_snapshots(record, [revision_id])
            before = snapshots.get(revision_id, before)
        return diff_snapshots(before, self.snapshot(record), context=DIFF_CONTEXT)

    def publish(self, *, record, data, author, approver, summary, minor, proposal,
                note="") -> Revision:  # fmt: skip
        editor = Editor(self.kind, page=record, data=data)
        if not editor.is_valid():
            raise EditInvalid(editor)
        revision = _saving(
            editor,
            lambda: self.records.publish(
                record=editor.form.instance,
                author=author,
                approver=approver,
                summary=summary,
                minor=minor,
                proposal=proposal,
                note=note.strip(),
            ),
        )
        published = editor.form.instance
        self.attach(proposal, record=published, proposed=published)
        proposal.title = str(published.title)[:255]
        return revision


def target_for(kind: str) -> PageTarget | RecordTarget:
    """The adapter for proposals of ``kind``."""
    record_kind = registry.record_kind(kind)
    return RecordTarget(record_kind) if record_kind is not None else PageTarget(kind)
