"""Proposals and review: how an edit made on the site becomes a revision.

A contributor's edit is stored as a pending ``Proposal`` (the form data and the
revision it started from); a moderator approves it, which replays the data
through the same form against the page as it is then, in one revision whose
author is the contributor.  If the page changed meanwhile the two are merged
field by field (``wiki.editing.merge``) and fields both sides changed wait for
the moderator's choice: nothing is overwritten silently.  Moderators' own
edits are proposals approved at once.
"""

import logging
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from html import unescape

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, models, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from reversion.errors import RevertError
from reversion.models import Revision, Version

from wiki import registry, sections
from wiki.diff import (
    FieldChange,
    RevisionDataError,
    Snapshot,
    deserialized,
    diff_snapshots,
    diff_text,
    revision_snapshot,
    revision_snapshots,
    snapshot_from_page,
)
from wiki.editing import Editor, FormData, Group, Merge, merge
from wiki.external import ExternalRef, leaves_site
from wiki.history import page_history
from wiki.models import (
    Notification,
    Page,
    Proposal,
    ProposalVersion,
    RevisionMeta,
)
from wiki.services import (
    latest_revision,
    page_publish,
    page_render,
    page_sync_derived,
    page_text_size,
)
from wiki.text import clean_line

logger = logging.getLogger(__name__)
User = get_user_model()
# Every address in sanitised HTML: only <a href> and <img src> are allowed.
# Read anywhere in the text, not tag by tag, so no markup can hide one.
_HREF = re.compile(r'\s(href|src)="([^"]*)"')
DIFF_CONTEXT = 2  # unchanged lines shown around each change in a text diff


class ModerationError(Exception):
    """A moderation step that cannot happen; the message says why, for people."""


class EditInvalid(ModerationError):
    """The form data does not validate (any more) against the page."""

    def __init__(self, editor: Editor, message: str = ""):
        self.editor = editor
        super().__init__(
            message or "The change no longer fits the page; see the marked fields."
        )


class EditConflict(ModerationError):
    """The page changed since the edit began, in fields the edit also changed."""

    def __init__(self, merged: Merge, message: str = ""):
        self.merge = merged
        super().__init__(
            message
            or "The page changed since this edit began, in fields it also changes."
        )


class PageChanged(ModerationError):
    """The page changed after the form (or the review page) was shown."""

    def __init__(self, message: str, *, seen_revision_id: int | None = None):
        self.seen_revision_id = seen_revision_id
        super().__init__(message)


class ProposalChanged(ModerationError):
    """The proposal was amended after the decision form was shown."""

    def __init__(self, proposal: Proposal, *, seen_version: int):
        self.proposal = proposal
        self.seen_version = seen_version
        super().__init__(
            f"The proposal was amended after you opened it: you saw version "
            f"{seen_version}, it is now version {proposal.version}. Review what "
            "changed, then decide again."
        )


@dataclass(frozen=True)
class Seen:
    """What a decision form showed: the proposal's version and the page's
    latest revision (None for a new page).  A decision is refused when
    either has moved on."""

    version: int
    revision_id: int | None


def seen_now(proposal: Proposal) -> Seen:
    """The proposal and its page as a decision form shows them now."""
    if registry.record_kind(proposal.kind) is not None:
        return record_seen_now(proposal)
    revision = latest_revision(proposal.page) if proposal.page_id else None
    return Seen(version=proposal.version, revision_id=revision.pk if revision else None)


def _require_seen(proposal: Proposal, page: Page | None, seen: Seen) -> None:
    """Raise if ``proposal`` or ``page`` moved on from what the form showed."""
    if proposal.version != seen.version:
        raise ProposalChanged(proposal, seen_version=seen.version)
    if page is None:
        return
    revision = latest_revision(page)
    if (revision.pk if revision else None) != seen.revision_id:
        raise PageChanged(
            "The page changed while you were reviewing; look again.",
            seen_revision_id=seen.revision_id,
        )


def can_publish(user) -> bool:
    return user.is_authenticated and user.has_perm("wiki.publish_page")


def can_review(user) -> bool:
    return user.is_authenticated and user.has_perm("wiki.review_proposal")


# -- reading a page's state --------------------------------------------------


def page_for_edit(page: Page, *, lock: bool = False) -> Page:
    """``page`` as its own kind, fresh from the database (locked if asked)."""
    model = registry.page_type(page.kind).model
    queryset = model.objects.select_for_update() if lock else model.objects
    return queryset.get(pk=page.pk)


def current_data(page: Page) -> FormData:
    return Editor(page.kind, page=page_for_edit(page)).initial_data()


def data_at_revision(page: Page, revision: Revision) -> FormData | None:
    """The form data of ``page`` as ``revision`` left it, or None if unreadable.

    The revision is reverted inside a savepoint that is rolled back, so the
    same form code reads it as it reads the live page.
    """
    try:
        with transaction.atomic():
            revision.revert(delete=True)
            data = current_data(page)
            transaction.set_rollback(True)
    except (RevertError, IntegrityError, LookupError, ValueError) as error:
        logger.warning("Cannot read revision %s back: %s", revision.pk, error)
        return None
    return data


@dataclass
class Applied:
    """A page as some form data would leave it, computed and rolled back."""

    editor: Editor
    valid: bool
    snapshot: Snapshot = field(default_factory=Snapshot)
    html: dict[str, str] = field(default_factory=dict)
    external_links: set[ExternalRef] = field(default_factory=set)
    size: int = 0  # page_text_size of the page as the data leaves it
    inspected: object = None  # what apply_preview's ``inspect`` returned
    error: str = ""


def apply_preview(
    *,
    kind: str,
    page: Page | None,
    data: FormData,
    inspect: Callable[[Page], object] | None = None,
) -> Applied:
    """Apply ``data`` through the edit form in a savepoint, read, roll back.

    ``inspect(page)``, if given, runs on the changed page before the rollback
    (e.g. to render it as readers would see it); ``Applied.inspected`` keeps
    what it returns.
    """
    with transaction.atomic():
        target = page_for_edit(page) if page is not None else None
        editor = Editor(kind, page=target, data=data)
        if not editor.is_valid():
            return Applied(editor, valid=False)
        applied = Applied(editor, valid=True)
        try:
            with transaction.atomic():
                page_obj = editor.form.instance
                rendered = page_render(page_obj)
                page_obj.save()
                editor.save_related()
                page_sync_derived(page=page_obj, rendered=rendered)
                applied.snapshot = snapshot_from_page(page_for_edit(page_obj))
                applied.html = dict(page_obj.html)
                applied.external_links = external_links(page_obj)
                applied.size = page_text_size(page_obj)
                if inspect is not None:
                    applied.inspected = inspect(page_obj)
                transaction.set_rollback(True)
        except IntegrityError as error:
            applied.valid = False
            applied.error = f"The change cannot be saved: {error}"
        transaction.set_rollback(True)
    return applied


def external_links(page: Page) -> set[ExternalRef]:
    """What leaves the site: links and images in the page's rendered text
    (protocol-relative ones included), and its URL fields."""
    refs = set()
    for html in page.html.values():
        for attribute, url in _HREF.findall(html or ""):
            url = unescape(url)
            if leaves_site(url):
                refs.add(ExternalRef("image" if attribute == "src" else "link", url))
    for f in type(page)._meta.concrete_fields:
        if isinstance(f, models.URLField):
            value = getattr(page, f.attname)
            if value:
                refs.add(ExternalRef("link", value))
    return refs


# -- assessing a change -------------------------------------------------------


@dataclass
class Assessment:
    """What a change does to a page: what flags and the queue show."""

    kind: str
    before: Snapshot
    after: Snapshot
    changes: list[FieldChange]
    links_before: set[ExternalRef]
    links_after: set[ExternalRef]
    size_delta: int
    flags: list[str]


def assess(*, kind: str, page: Page | None, applied: Applied) -> Assessment:
    if page is not None:
        live = page_for_edit(page)
        before = snapshot_from_page(live)
        links_before = external_links(live)
        size_before = page_text_size(live)
    else:
        before, links_before, size_before = Snapshot(), set(), 0
    assessment = Assessment(
        kind=kind,
        before=before,
        after=applied.snapshot,
        changes=diff_snapshots(before, applied.snapshot),
        links_before=links_before,
        links_after=applied.external_links,
        size_delta=applied.size - size_before,
        flags=[],
    )
    assessment.flags = [
        flag.name for flag in registry.review_flags() if flag.test(assessment)
    ]
    return assessment


def _external_added(kind: str):
    def test(assessment: Assessment) -> bool:
        added = assessment.links_after - assessment.links_before
        return any(ref.kind == kind for ref in added)

    return test


def register() -> None:
    registry.register_review_flag(
        registry.ReviewFlag(
            "external-links-added", "external links added", _external_added("link")
        )
    )
    registry.register_review_flag(
        registry.ReviewFlag(
            "external-images-added",
            "external images added",
            _external_added("image"),
        )
    )


def flag_labels() -> dict[str, str]:
    return {flag.name: flag.label for flag in registry.review_flags()}


# -- preparing an edit --------------------------------------------------------


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
    page: Page | None,
    data: FormData,
    base_revision_id: int | None,
    base_data: FormData | None = None,
) -> Prepared:
    """Rebase an edit begun at ``base_revision_id`` onto the page's latest revision.

    What the page gained meanwhile is kept; fields both changed are conflicts
    (``Prepared.conflicts``), which keep the current value in ``data``.
    """
    if page is None:
        return Prepared(data=data, base_revision=None, base_data={})
    current_revision = latest_revision(page)
    now = current_data(page)
    if current_revision is None or base_revision_id == current_revision.pk:
        return Prepared(data=data, base_revision=current_revision, base_data=now)
    if base_data is None and base_revision_id is not None:
        # Only a revision of this page can be read back (the id comes from a form).
        versions = Version.objects.get_for_object(page, model_db=None)
        base = Revision.objects.filter(
            pk=base_revision_id, pk__in=versions.values("revision_id")
        ).first()
        if base is not None:
            base_data = data_at_revision(page, base)
    editor = Editor(kind, page=page_for_edit(page))
    merged = merge(editor, base=base_data, current=now, theirs=data)
    return Prepared(
        data=merged.data, base_revision=current_revision, base_data=now, merge=merged
    )


# -- proposals ----------------------------------------------------------------


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


def _checked_apply(*, kind: str, page: Page | None, data: FormData) -> Applied:
    applied = apply_preview(kind=kind, page=page, data=data)
    if not applied.valid:
        raise EditInvalid(applied.editor, applied.error)
    return applied


def _title_of(applied: Applied) -> str:
    return applied.editor.form.cleaned_data.get("title") or ""


def proposal_submit(
    *,
    kind: str,
    page: Page | None,
    data: FormData,
    base_revision: Revision | None,
    base_data: FormData,
    summary: str,
    minor: bool,
    author,
    token: uuid.UUID | None = None,
    resubmitted_from: Proposal | None = None,
) -> Proposal:
    """Store an edit as a pending proposal; the page does not change.

    Submitting the same form twice (same ``token``) returns the first proposal.
    ``resubmitted_from`` is the author's rejected or withdrawn proposal that
    this one revises.
    """
    existing = _existing_for_token(author=author, token=token)
    if existing is not None:
        return existing
    _check_resubmission(resubmitted_from, author=author, page=page, kind=kind)
    applied = _checked_apply(kind=kind, page=page, data=data)
    proposal = Proposal(
        kind=kind,
        page=page,
        title=_title_of(applied),
        data=data,
        base_revision=base_revision,
        base_data=base_data,
        summary=summary,
        minor=minor,
        author=author,
        submit_token=token,
        resubmitted_from=resubmitted_from,
    )
    _record_assessment(proposal, assess(kind=kind, page=page, applied=applied))
    return _save_once(proposal)


def _check_resubmission(
    old: Proposal | None, *, author, page: Page | None, kind: str
) -> None:
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
    if registry.record_kind(proposal.kind) is not None:
        return record_amend(
            proposal=proposal,
            data=data,
            base_revision=base_revision,
            base_data=base_data,
            summary=summary,
            minor=minor,
            by=by,
            seen_version=seen_version,
        )
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        _require_pending(proposal)
        if by != proposal.author and not can_review(by):
            raise ModerationError("Only the author or a moderator may amend this.")
        if proposal.version != seen_version:
            raise ProposalChanged(proposal, seen_version=seen_version)
        applied = _checked_apply(kind=proposal.kind, page=proposal.page, data=data)
        proposal.data = data
        proposal.title = _title_of(applied)
        proposal.base_revision = base_revision
        proposal.base_data = base_data
        proposal.summary = summary
        proposal.minor = minor
        _record_assessment(
            proposal, assess(kind=proposal.kind, page=proposal.page, applied=applied)
        )
        proposal.version += 1
        proposal.save()
        _record_version(proposal, by=by)
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
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if by != proposal.author:
            raise ModerationError("Only the author may withdraw a proposal.")
        _require_pending(proposal)
        proposal.status = Proposal.Status.WITHDRAWN
        proposal.save(update_fields=["status", "updated_at"])
    return proposal


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
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        _require_pending(proposal)
        if proposal.version != seen.version:
            raise ProposalChanged(proposal, seen_version=seen.version)
        proposal.status = Proposal.Status.REJECTED
        proposal.reviewer = by
        proposal.reviewed_at = timezone.now()
        proposal.review_note = reason
        proposal.save()
        notify_decision(proposal=proposal)
    return proposal


def _require_pending(proposal: Proposal) -> None:
    if not proposal.is_pending:
        raise ModerationError(
            f"This proposal is already {proposal.get_status_display().lower()}."
        )


def proposal_merge(
    *,
    proposal: Proposal,
    resolutions: dict[str, str] | None = None,
    editor: Editor | None = None,
    current: FormData | None = None,
) -> Merge:
    """The proposal's data made to apply to the page as it is now."""
    if proposal.page_id is None:
        return Merge(data=proposal.data)
    if editor is None:
        editor = Editor(proposal.kind, page=page_for_edit(proposal.page))
    revision = latest_revision(editor.page)
    if revision is not None and proposal.base_revision_id == revision.pk:
        return Merge(data=proposal.data)
    return merge(
        editor,
        base=proposal.base_data or None,
        current=current if current is not None else editor.initial_data(),
        theirs=proposal.data,
        resolutions=resolutions,
    )


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
    if registry.record_kind(proposal.kind) is not None:
        return record_approve(
            proposal=proposal, by=by, seen=seen, note=note, resolutions=resolutions
        )
    with transaction.atomic():
        # Lock the proposal row alone: locking its author's row too would
        # deadlock with an approval recording that user as its approver.
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        _require_pending(proposal)
        page = None
        if proposal.page_id is not None:
            page = page_for_edit(proposal.page, lock=True)
            if page.is_deleted:
                raise ModerationError(
                    "The page was deleted; recover it before approving changes to it."
                )
        _require_seen(proposal, page, seen)
        merged = proposal_merge(proposal=proposal, resolutions=resolutions)
        if merged.conflicts:
            raise EditConflict(merged)
        kept = kept_from_page(proposal, merged, page=page)
        revision = _publish(
            kind=proposal.kind,
            page=page,
            data=merged.data,
            author=proposal.author,
            approver=by,
            summary=proposal.summary,
            minor=proposal.minor,
            proposal=proposal,
            note=note,
        )
        proposal.status = Proposal.Status.APPROVED
        proposal.page = revision.meta.page
        proposal.reviewer = by
        proposal.reviewed_at = timezone.now()
        proposal.review_note = note.strip()
        proposal.kept_fields = kept
        proposal.save()
        notify_decision(proposal=proposal)
    return revision


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


def _publish(
    *,
    kind: str,
    page: Page | None,
    data: FormData,
    author,
    approver,
    summary: str,
    minor: bool,
    proposal: Proposal,
    note: str = "",
) -> Revision:
    editor = Editor(kind, page=page, data=data)
    if not editor.is_valid():
        raise EditInvalid(editor)
    _check_publishable(editor)
    try:
        with transaction.atomic():
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
    except IntegrityError as error:
        # E.g. another page took the slug between validation and saving.
        editor.form.add_error(None, f"This could not be saved: {error}")
        raise EditInvalid(editor) from error
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


def page_edit_publish(
    *,
    kind: str,
    page: Page | None,
    data: FormData,
    base_revision_id: int | None,
    summary: str,
    minor: bool,
    author,
    token: uuid.UUID | None = None,
    resubmitted_from: Proposal | None = None,
) -> Proposal:
    """Publish a moderator's (or publisher's) edit at once, as an approved proposal.

    Raise ``PageChanged`` if the page has a newer revision than the form began
    from; the caller rebases the edit (``edit_prepare``) and asks again.
    """
    if not can_publish(author):
        raise ModerationError("You may propose changes, not publish them.")
    existing = _existing_for_token(author=author, token=token)
    if existing is not None:
        return existing
    _check_resubmission(resubmitted_from, author=author, page=page, kind=kind)
    with transaction.atomic():
        base = None
        if page is not None:
            page = page_for_edit(page, lock=True)
            base = latest_revision(page)
            if base is not None and base.pk != base_revision_id:
                raise PageChanged("The page changed since you began editing.")
        proposal = Proposal(
            kind=kind,
            page=page,
            title=data.get("title", [""])[-1][:255],
            data=data,
            base_revision=base,
            base_data=current_data(page) if page is not None else {},
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
        revision = _publish(
            kind=kind,
            page=page,
            data=data,
            author=author,
            approver=author,
            summary=summary,
            minor=minor,
            proposal=proposal,
        )
        proposal.page = revision.meta.page
        proposal.title = proposal.page.title
        proposal.save(update_fields=["page", "title"])
    return proposal


# -- notifications ------------------------------------------------------------


def notify_decision(*, proposal: Proposal) -> Notification | None:
    """Tell the author what became of their proposal: on the site and by mail."""
    if proposal.reviewer_id == proposal.author_id:
        return None  # a moderator's own edit
    notification = Notification.objects.create(
        recipient=proposal.author,
        proposal=proposal,
        verb=proposal.status,
    )
    if proposal.author.email:
        transaction.on_commit(lambda: _mail_decision(proposal))
    return notification


def _mail_decision(proposal: Proposal) -> None:
    path = reverse("moderation:proposal_detail", kwargs={"pk": proposal.pk})
    resubmit = reverse("moderation:proposal_resubmit", kwargs={"pk": proposal.pk})
    context = {
        "proposal": proposal,
        "url": settings.LINEAGE_SITE_URL + path,
        "resubmit_url": settings.LINEAGE_SITE_URL + resubmit,
    }
    status = proposal.get_status_display().lower()
    # A title stored before titles were one line must not break the header.
    subject = clean_line(f"Your change to {proposal.title} was {status}")
    if proposal.kept_fields:
        labels = ", ".join(str(kept["label"]) for kept in proposal.kept_fields)
        subject += f", except: {labels}"
    try:
        send_mail(
            subject,
            render_to_string("wiki/email/proposal_decided.txt", context),
            settings.DEFAULT_FROM_EMAIL,
            [proposal.author.email],
        )
    except OSError:  # SMTP errors too: the notification on the site stands
        logger.exception(
            "Could not mail %s about proposal %s", proposal.author, proposal.pk
        )


def notifications_mark_read(*, user) -> int:
    count = 0
    for notification in Notification.objects.filter(
        recipient=user, read_at__isnull=True
    ):
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        count += 1
    return count


# -- review -------------------------------------------------------------------


def changes_since_version(proposal: Proposal, version: int) -> list[FieldChange]:
    """What the proposal's amendments changed since its ``version``, field by
    field (the fields as the edit form describes them, and the edit summary)."""
    old = proposal.versions.filter(number=version).first()
    if old is None:
        return []
    page = page_for_edit(proposal.page) if proposal.page_id else None
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


def proposal_review(
    *, proposal: Proposal, resolutions: dict[str, str] | None = None
) -> Review:
    """Compare a proposal with the page: its changes, conflicts and the result."""
    if registry.record_kind(proposal.kind) is not None:
        return record_review(proposal=proposal, resolutions=resolutions)
    if proposal.page_id is None:
        result = apply_preview(kind=proposal.kind, page=None, data=proposal.data)
        changes = (
            diff_snapshots(Snapshot(), result.snapshot, context=DIFF_CONTEXT)
            if result.valid
            else []
        )
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
    page = page_for_edit(proposal.page)
    editor = Editor(proposal.kind, page=page)
    now = editor.initial_data()
    current_revision = latest_revision(page)
    stale = current_revision is not None and (
        proposal.base_revision_id != current_revision.pk
    )
    merged = proposal_merge(
        proposal=proposal, resolutions=resolutions, editor=editor, current=now
    )
    current = snapshot_from_page(page)
    result = apply_preview(kind=proposal.kind, page=page, data=merged.data)
    changes = (
        diff_snapshots(current, result.snapshot, context=DIFF_CONTEXT)
        if result.valid
        else []
    )
    review = Review(
        proposal=proposal,
        page=page,
        current_revision=current_revision,
        stale=stale,
        merge=merged,
        changes=changes,
        proposal_changes=changes,
        result=result,
        base_missing=stale and not proposal.base_data,
    )
    if not stale:
        return review
    base = (
        revision_snapshot(proposal.base_revision, page)
        if proposal.base_revision is not None
        else None
    )
    theirs = apply_preview(
        kind=proposal.kind,
        page=page,
        data=proposal_as_submitted(editor, current=now, theirs=proposal.data),
    )
    if base is not None:
        review.changed_meanwhile = diff_snapshots(base, current, context=DIFF_CONTEXT)
        if theirs.valid:
            review.proposal_changes = diff_snapshots(
                base, theirs.snapshot, context=DIFF_CONTEXT
            )
    for group in editor.groups():
        if group in merged.conflicts or group.name in merged.resolved:
            review.conflicts.append(
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
            )
    return review


def proposal_as_submitted(editor: Editor, *, current: FormData, theirs: FormData):
    """``theirs`` in full, made to apply to the page's current rows."""
    return merge(
        editor,
        base=None,
        current=current,
        theirs=theirs,
        resolutions={group.name: "proposal" for group in editor.groups()},
    ).data


# -- what a proposal changed, whatever became of it ---------------------------


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
    if registry.record_kind(proposal.kind) is not None:
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
    page = page_for_edit(proposal.page)
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
    page = page_for_edit(proposal.page) if proposal.page_id else None
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


# -- editing one section of the body ------------------------------------------


@dataclass
class SectionPrepared(Prepared):
    """A section edit made into an edit of the whole page."""

    mine: FormData = field(default_factory=dict)  # the page as the editor meant it
    body_changed: bool = True


def body_at_revision(page: Page, revision_id: int | None) -> str | None:
    """The body ``page`` had at ``revision_id``, if that is one of its revisions."""
    if revision_id is None:
        return None
    version = (
        Version.objects.get_for_object_reference(Page, page.pk, model_db=None)
        .filter(revision_id=revision_id)
        .first()
    )
    if version is None:
        return None
    try:
        return deserialized(version).object.body
    except RevisionDataError:
        return None


def section_edit_prepare(
    *, page: Page, number: int, text: str, base_revision_id: int | None
) -> SectionPrepared:
    """Make an edit of section ``number`` of the body, begun at
    ``base_revision_id``, into form data for the whole page as it is now.

    If the page changed meanwhile, the section is merged back into the body
    as the page has it now (``sections.merge_section``); if that section
    itself changed, the body is a conflict, as in a full edit.  Raise
    ``sections.SectionMissing`` if the body had no such section.
    """
    live = page_for_edit(page)
    current_revision = latest_revision(live)
    editor = Editor(live.kind, page=live)
    now = editor.initial_data()
    if current_revision is not None and base_revision_id == current_revision.pk:
        base_body = live.body
    else:
        base_body = body_at_revision(live, base_revision_id)
    body = next(group for group in editor.groups() if group.name == "body")
    merged_body = None
    if base_body is not None:
        mine_body = sections.replace_section(base_body, number, text)
        merged_body = sections.merge_section(
            base=base_body, current=live.body, number=number, new=text
        )
    else:
        mine_body = text
    mine = {**now, "body": [mine_body]}
    changed_meanwhile = [body] if base_body is None or base_body != live.body else []
    if merged_body is None:
        return SectionPrepared(
            data=now,
            base_revision=current_revision,
            base_data=now,
            merge=Merge(
                data=now,
                changed=[body],
                changed_meanwhile=changed_meanwhile,
                conflicts=[body],
            ),
            mine=mine,
        )
    data = {**now, "body": [merged_body]}
    return SectionPrepared(
        data=data,
        base_revision=current_revision,
        base_data=now,
        merge=Merge(data=data, changed=[body], changed_meanwhile=changed_meanwhile),
        mine=mine,
        body_changed=editor.group_value(body, data) != editor.group_value(body, now),
    )


def changes_since_seen(proposal: Proposal, revision_id: int | None):
    """What the page (or record) of ``proposal`` changed after ``revision_id``,
    field by field: what a moderator who decided on it then missed."""
    if registry.record_kind(proposal.kind) is not None:
        return record_changes_since(proposal, revision_id)
    from wiki import history

    return history.changes_since(proposal.page, revision_id)


# -- records: what is not a page but changes the same way (sources) ------------
#
# A record kind (``registry.RecordKind``) is proposed, reviewed, approved and
# amended with the same proposals, versions, decisions and notifications as
# pages, and its edit form is an ``Editor`` like theirs; what differs is how
# the record is read, snapshotted and published, which its kind says.


def _record_kind(kind: str) -> registry.RecordKind:
    record_kind = registry.record_kind(kind)
    if record_kind is None:
        raise LookupError(f"{kind!r} is not a record kind.")
    return record_kind


def record_data(kind: str, record) -> FormData:
    """The form data of ``record`` as it is stored now (empty for a new one)."""
    return Editor(kind, page=record).initial_data()


def _latest_of(record_kind, record) -> Revision | None:
    return record_kind.latest_revision(record) if record is not None else None


def record_seen_now(proposal: Proposal) -> Seen:
    record_kind = _record_kind(proposal.kind)
    revision = _latest_of(record_kind, record_kind.record_of(proposal))
    return Seen(version=proposal.version, revision_id=revision.pk if revision else None)


def record_prepare(
    *,
    kind: str,
    record,
    data: FormData,
    base_revision_id: int | None,
    base_data: FormData | None = None,
) -> Prepared:
    """``edit_prepare`` for a record: rebase an edit onto its latest revision."""
    if record is None:
        return Prepared(data=data, base_revision=None, base_data={})
    record_kind = _record_kind(kind)
    current_revision = record_kind.latest_revision(record)
    now = record_data(kind, record)
    if current_revision is None or base_revision_id == current_revision.pk:
        return Prepared(data=data, base_revision=current_revision, base_data=now)
    if base_data is None and base_revision_id is not None:
        base = record_kind.at_revision(record, base_revision_id)
        if base is not None:
            base_data = record_data(kind, base)
    merged = merge(Editor(kind, page=record), base=base_data, current=now, theirs=data)
    return Prepared(
        data=merged.data, base_revision=current_revision, base_data=now, merge=merged
    )


def record_apply(*, kind: str, record, data: FormData) -> Applied:
    """The record as ``data`` would leave it (nothing is saved)."""
    record_kind = _record_kind(kind)
    # Validating writes the data onto the instance: give it a copy.
    target = type(record).objects.get(pk=record.pk) if record is not None else None
    editor = Editor(kind, page=target, data=data)
    if not editor.is_valid():
        return Applied(editor, valid=False)
    proposed = editor.form.instance
    return Applied(
        editor,
        valid=True,
        snapshot=record_kind.snapshot(proposed),
        external_links=record_kind.external_links(proposed),
    )


def _checked_record_apply(*, kind: str, record, data: FormData) -> Applied:
    applied = record_apply(kind=kind, record=record, data=data)
    if not applied.valid:
        raise EditInvalid(applied.editor, "Nothing was saved; see the marked fields.")
    return applied


def record_size(snapshot: Snapshot) -> int:
    """Characters of text a record holds: every field but lists."""
    return sum(
        len(str(value.value))
        for value in snapshot.fields.values()
        if value.kind in ("text", "short")
    )


def record_assess(*, kind: str, record, applied: Applied) -> Assessment:
    record_kind = _record_kind(kind)
    before = record_kind.snapshot(record) if record is not None else Snapshot()
    links_before = record_kind.external_links(record) if record is not None else set()
    assessment = Assessment(
        kind=kind,
        before=before,
        after=applied.snapshot,
        changes=diff_snapshots(before, applied.snapshot),
        links_before=links_before,
        links_after=applied.external_links,
        size_delta=record_size(applied.snapshot) - record_size(before),
        flags=[],
    )
    assessment.flags = [
        flag.name for flag in registry.review_flags() if flag.test(assessment)
    ]
    return assessment


def record_submit(
    *,
    kind: str,
    record,
    data: FormData,
    base_revision: Revision | None,
    base_data: FormData,
    summary: str,
    minor: bool,
    author,
    token: uuid.UUID | None = None,
) -> Proposal:
    """Store a change to a record (or a new one) as a pending proposal.

    Submitting the same form twice (same ``token``) returns the first proposal.
    """
    existing = _existing_for_token(author=author, token=token)
    if existing is not None:
        return existing
    applied = _checked_record_apply(kind=kind, record=record, data=data)
    proposed = applied.editor.form.instance
    proposal = Proposal(
        kind=kind,
        page=None,
        title=str(proposed.title)[:255],
        data=data,
        base_revision=base_revision,
        base_data=base_data,
        summary=summary,
        minor=minor,
        author=author,
        submit_token=token,
    )
    _record_assessment(
        proposal, record_assess(kind=kind, record=record, applied=applied)
    )
    with transaction.atomic():
        saved = _save_once(proposal)
        if saved is proposal:
            _record_kind(kind).attach(proposal, record=record, proposed=proposed)
    return saved


def record_amend(
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
    """``proposal_amend`` for a record's proposal: a new version of it."""
    record_kind = _record_kind(proposal.kind)
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        _require_pending(proposal)
        if by != proposal.author and not can_review(by):
            raise ModerationError("Only the author or a moderator may amend this.")
        if proposal.version != seen_version:
            raise ProposalChanged(proposal, seen_version=seen_version)
        record = record_kind.record_of(proposal)
        applied = _checked_record_apply(kind=proposal.kind, record=record, data=data)
        proposed = applied.editor.form.instance
        proposal.data = data
        proposal.title = str(proposed.title)[:255]
        proposal.base_revision = base_revision
        proposal.base_data = base_data
        proposal.summary = summary
        proposal.minor = minor
        _record_assessment(
            proposal, record_assess(kind=proposal.kind, record=record, applied=applied)
        )
        proposal.version += 1
        proposal.save()
        _record_version(proposal, by=by)
        record_kind.attach(proposal, record=record, proposed=proposed)
    return proposal


def _record_publish(
    *,
    kind: str,
    record,
    data: FormData,
    author,
    approver,
    summary: str,
    minor: bool,
    proposal: Proposal,
    note: str = "",
) -> Revision:
    record_kind = _record_kind(kind)
    editor = Editor(kind, page=record, data=data)
    if not editor.is_valid():
        raise EditInvalid(editor)
    try:
        with transaction.atomic():
            revision = record_kind.publish(
                record=editor.form.instance,
                author=author,
                approver=approver,
                summary=summary,
                minor=minor,
                proposal=proposal,
                note=note.strip(),
            )
    except IntegrityError as error:
        # E.g. another source took the key between validation and saving.
        editor.form.add_error(None, f"This could not be saved: {error}")
        raise EditInvalid(editor) from error
    published = editor.form.instance
    record_kind.attach(proposal, record=published, proposed=published)
    proposal.title = str(published.title)[:255]
    return revision


def record_edit_publish(
    *,
    kind: str,
    record,
    data: FormData,
    base_revision_id: int | None,
    summary: str,
    minor: bool,
    author,
    token: uuid.UUID | None = None,
) -> Proposal:
    """``page_edit_publish`` for a record: a moderator's edit, live at once.

    Raise ``PageChanged`` if the record has a newer revision than the form
    began from; the caller rebases the edit (``record_prepare``) and asks again.
    """
    if not can_publish(author):
        raise ModerationError("You may propose changes, not publish them.")
    existing = _existing_for_token(author=author, token=token)
    if existing is not None:
        return existing
    record_kind = _record_kind(kind)
    with transaction.atomic():
        base = None
        if record is not None:
            record = type(record).objects.select_for_update().get(pk=record.pk)
            base = record_kind.latest_revision(record)
            if base is not None and base.pk != base_revision_id:
                raise PageChanged(
                    f"The {record_kind.label} changed since you began editing."
                )
        proposal = Proposal(
            kind=kind,
            page=None,
            title=data.get("title", [""])[-1][:255],
            data=data,
            base_revision=base,
            base_data=record_data(kind, record) if record is not None else {},
            summary=summary,
            minor=minor,
            author=author,
            submit_token=token,
            status=Proposal.Status.APPROVED,
            reviewer=author,
            reviewed_at=timezone.now(),
        )
        saved = _save_once(proposal)
        if saved is not proposal:  # the same form was sent twice
            return saved
        _record_publish(
            kind=kind,
            record=record,
            data=data,
            author=author,
            approver=author,
            summary=summary,
            minor=minor,
            proposal=proposal,
        )
        proposal.save(update_fields=["title"])
    return proposal


def _record_merge(
    proposal: Proposal, record, resolutions: dict[str, str] | None = None
) -> Merge:
    """``proposal_merge`` for a record: its data made to apply to it now."""
    if record is None:
        return Merge(data=proposal.data)
    record_kind = _record_kind(proposal.kind)
    revision = record_kind.latest_revision(record)
    if revision is not None and proposal.base_revision_id == revision.pk:
        return Merge(data=proposal.data)
    editor = Editor(proposal.kind, page=record)
    return merge(
        editor,
        base=proposal.base_data or None,
        current=editor.initial_data(),
        theirs=proposal.data,
        resolutions=resolutions,
    )


def record_approve(
    *,
    proposal: Proposal,
    by,
    seen: Seen,
    note: str = "",
    resolutions: dict[str, str] | None = None,
) -> Revision:
    """``proposal_approve`` for a record's proposal (it calls this one)."""
    if not can_review(by):
        raise ModerationError("Only moderators may approve proposals.")
    record_kind = _record_kind(proposal.kind)
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        _require_pending(proposal)
        record = record_kind.record_of(proposal, lock=True)
        if proposal.version != seen.version:
            raise ProposalChanged(proposal, seen_version=seen.version)
        latest = _latest_of(record_kind, record)
        if record is not None and (latest.pk if latest else None) != seen.revision_id:
            raise PageChanged(
                f"The {record_kind.label} changed while you were reviewing; "
                "look again.",
                seen_revision_id=seen.revision_id,
            )
        merged = _record_merge(proposal, record, resolutions)
        if merged.conflicts:
            raise EditConflict(merged)
        revision = _record_publish(
            kind=proposal.kind,
            record=record,
            data=merged.data,
            author=proposal.author,
            approver=by,
            summary=proposal.summary,
            minor=proposal.minor,
            proposal=proposal,
            note=note,
        )
        proposal.status = Proposal.Status.APPROVED
        proposal.reviewer = by
        proposal.reviewed_at = timezone.now()
        proposal.review_note = note.strip()
        proposal.save()
        notify_decision(proposal=proposal)
    return revision


def record_review(
    *, proposal: Proposal, resolutions: dict[str, str] | None = None
) -> Review:
    """``proposal_review`` for a record's proposal (it calls this one)."""
    kind = proposal.kind
    record_kind = _record_kind(kind)
    record = record_kind.record_of(proposal)
    if record is None:
        result = record_apply(kind=kind, record=None, data=proposal.data)
        changes = (
            diff_snapshots(Snapshot(), result.snapshot, context=DIFF_CONTEXT)
            if result.valid
            else []
        )
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
    current_revision = record_kind.latest_revision(record)
    stale = current_revision is not None and (
        proposal.base_revision_id != current_revision.pk
    )
    editor = Editor(kind, page=record)
    now = editor.initial_data()
    merged = _record_merge(proposal, record, resolutions)
    current = record_kind.snapshot(record)
    result = record_apply(kind=kind, record=record, data=merged.data)
    changes = (
        diff_snapshots(current, result.snapshot, context=DIFF_CONTEXT)
        if result.valid
        else []
    )
    review = Review(
        proposal=proposal,
        page=None,
        current_revision=current_revision,
        stale=stale,
        merge=merged,
        changes=changes,
        proposal_changes=changes,
        result=result,
        base_missing=stale and not proposal.base_data,
        record=record,
    )
    if not stale:
        return review
    base_id = proposal.base_revision_id
    snapshots = record_kind.revision_snapshots(record, [base_id]) if base_id else {}
    theirs = record_apply(
        kind=kind,
        record=record,
        data=proposal_as_submitted(editor, current=now, theirs=proposal.data),
    )
    if base_id in snapshots:
        review.changed_meanwhile = diff_snapshots(
            snapshots[base_id], current, context=DIFF_CONTEXT
        )
        if theirs.valid:
            review.proposal_changes = diff_snapshots(
                snapshots[base_id], theirs.snapshot, context=DIFF_CONTEXT
            )
    review.conflicts = _conflict_views(editor, proposal, merged, now)
    return review


def _conflict_views(editor: Editor, proposal: Proposal, merged: Merge, now):
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


def record_changes_since(proposal: Proposal, revision_id: int | None):
    """What the record of ``proposal`` changed after ``revision_id``."""
    record_kind = _record_kind(proposal.kind)
    record = record_kind.record_of(proposal)
    if record is None:
        return []
    before = Snapshot()
    if revision_id is not None:
        snapshots = record_kind.revision_snapshots(record, [revision_id])
        before = snapshots.get(revision_id, before)
    return diff_snapshots(before, record_kind.snapshot(record), context=DIFF_CONTEXT)
