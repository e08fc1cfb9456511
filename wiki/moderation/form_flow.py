"""What every edit form's POST does before and after ``edit_submit``: the
page, section and source edit views share it and differ only in how they
render their form and word their messages."""

from collections.abc import Callable, Mapping

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect

from wiki.editing import Editor, data_from_post
from wiki.forms import EditMetaForm
from wiki.moderation.permissions import require_involved
from wiki.moderation.rebase import Prepared, edit_prepare
from wiki.moderation.submit import (
    EditOutcome,
    Result,
    edit_submit,
    shown_after_save,
    submitted_before,
)

SAVED_MESSAGES = {
    Result.APPROVED: "Amended, approved and published.",
    Result.AMENDED: "The proposal is updated.",
    Result.PUBLISHED: "Published.",
    Result.PROPOSED: "Thank you: your change is waiting for a moderator. The "
    "page shows it once it is approved.",
}


def refused_amendment(request, proposal) -> HttpResponse | None:
    """None when the user may amend ``proposal``; otherwise the redirect to
    it that says why not (``PermissionDenied`` for someone not involved)."""
    require_involved(request.user, proposal)
    if proposal.can_amend(request.user):
        return None
    messages.error(
        request,
        f"This proposal is {proposal.get_status_display().lower()}; it can no "
        "longer be changed.",
    )
    return redirect(proposal)


def amendment_form(*, kind: str, page, proposal) -> tuple[Prepared, Editor, object]:
    """The edit form of a pending proposal, rebased onto its page (or record)
    as it is now: the rebase, the form and the Save fieldset's form."""
    prepared = edit_prepare(
        kind=kind,
        page=page,
        data=proposal.data,
        base_revision_id=proposal.base_revision_id,
        base_data=proposal.base_data or None,
    )
    editor = Editor(kind, page=page, data=prepared.data)
    revision = prepared.base_revision
    meta = EditMetaForm(
        initial={
            "summary": proposal.summary,
            "minor": proposal.minor,
            "base_revision": revision.pk if revision is not None else None,
            "proposal_version": proposal.version,
        }
    )
    return prepared, editor, meta


def refused_form(
    request,
    *,
    editor: Editor,
    meta,
    proposal,
    changes_existing: bool,
    render: Callable[..., HttpResponse],
    invalid_message: str = "",
) -> HttpResponse | None:
    """The response to a form that is not saved as sent (sent twice,
    invalid, or changing nothing of what exists), or None to save it."""
    meta_valid = meta.is_valid()
    if meta_valid and proposal is None:
        existing = submitted_before(
            author=request.user, token=meta.cleaned_data["token"]
        )
        if existing is not None:  # the same form sent twice (a double click)
            return redirect(shown_after_save(existing))
    if not (editor.is_valid() and meta_valid):
        if invalid_message:
            messages.error(request, invalid_message)
        return render(status=400)
    if changes_existing and proposal is None and not editor.has_changed():
        messages.error(request, "You have not changed anything yet.")
        return render(status=400)
    return None


def submit_posted(
    request, *, kind: str, page, proposal, meta, note: str, resubmitted_from=None
) -> EditOutcome:
    """``edit_submit`` with what the edit form posted."""
    typed = meta.cleaned_data
    return edit_submit(
        kind=kind,
        page=page,
        data=data_from_post(request.POST),
        base_revision_id=typed["base_revision"],
        summary=typed["summary"],
        minor=typed["minor"],
        user=request.user,
        token=typed["token"],
        proposal=proposal,
        seen_version=typed["proposal_version"] or 0,
        approve="edit-approve" in request.POST,
        note=note,
        resubmitted_from=resubmitted_from,
    )


def saved_response(
    request, outcome: EditOutcome, saved_messages: Mapping[Result, str] = SAVED_MESSAGES
) -> HttpResponse:
    """Once an edit is saved: say so, and show the page (or the proposal)."""
    messages.success(request, saved_messages[outcome.result])
    return redirect(shown_after_save(outcome.proposal))
