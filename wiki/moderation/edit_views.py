"""Editing on the site: create and edit pages, amend proposals and resubmit
decided ones, and the offer to amend one's pending proposal."""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from wiki import moderation, registry
from wiki.editing import Editor, data_from_post
from wiki.forms import EditMetaForm
from wiki.models import Proposal
from wiki.moderation import form_flow, rebase
from wiki.moderation.edit_render import (
    conflict_views,
    pk_of,
    render_edit,
    resubmission,
    show_amended,
    show_conflict,
)
from wiki.moderation.look_views import LOOKS, edit_look
from wiki.moderation.section_views import section_edit
from wiki.moderation.targets import target_for
from wiki.text import clean_line


def _page_type(section: str):
    page_type = registry.page_type_for_section(section)
    if page_type is None:
        raise Http404("No such section.")
    return page_type


@login_required
def page_create(request, section):
    page_type = _page_type(section)
    return _edit(request, kind=page_type.kind, page=None)


@login_required
def page_edit(request, section, slug):
    page_type = _page_type(section)
    page = get_object_or_404(page_type.model.objects.published(), slug=slug)
    if request.method == "GET" and not request.GET.get("another"):
        pending = _own_pending(request.user, page)
        if pending:
            return _offer_amend(request, page=page, pending=pending)
    if "edit-section" in request.POST or (
        request.method == "GET" and "section" in request.GET
    ):
        return section_edit(request, kind=page_type.kind, page=page)
    return _edit(request, kind=page_type.kind, page=page)


@login_required
def proposal_amend(request, pk):
    proposal = get_object_or_404(Proposal.objects.select_related("page"), pk=pk)
    if refused := form_flow.refused_amendment(request, proposal):
        return refused
    record_kind = registry.record_kind(proposal.kind)
    if record_kind is not None:  # e.g. a source: its app has the form
        return redirect(record_kind.amend_url(proposal))
    page = proposal.page.specific if proposal.page is not None else None
    return _edit(request, kind=proposal.kind, page=page, proposal=proposal)


def _edit(request, *, kind: str, page, proposal: Proposal | None = None):
    """The edit form: one view for new pages, edits and amendments."""
    if request.method == "POST":
        return _edit_post(request, kind=kind, page=page, proposal=proposal)
    conflicts = []
    if proposal is not None:
        prepared, editor, meta = form_flow.amendment_form(
            kind=kind, page=page, proposal=proposal
        )
        conflicts = conflict_views(editor, prepared, theirs=proposal.data)
    else:
        revision = None
        if page is not None:
            page, revision = rebase.form_start(target_for(kind), page)
        editor = Editor(kind, page=page)
        initial = {"base_revision": pk_of(revision)}
        if page is None and request.GET.get("title"):
            editor.form.initial["title"] = " ".join(request.GET["title"].split())[:255]
        meta = EditMetaForm(initial=initial)
    return render_edit(
        request,
        kind=kind,
        page=page,
        proposal=proposal,
        editor=editor,
        meta=meta,
        conflicts=conflicts,
    )


def _edit_post(request, *, kind, page, proposal):
    look = next((name for name in LOOKS if name in request.POST), None)
    if look is not None:
        return edit_look(request, kind=kind, page=page, proposal=proposal, look=look)
    form = {"kind": kind, "page": page, "proposal": proposal,
            "editor": Editor(kind, page=page, data=request.POST),
            "meta": EditMetaForm(request.POST)}  # fmt: skip
    refused = form_flow.refused_form(
        request, editor=form["editor"], meta=form["meta"], proposal=proposal,
        changes_existing=page is not None,
        render=functools.partial(render_edit, request, **form),
    )  # fmt: skip
    if refused is not None:
        return refused
    outcome = form_flow.submit_posted(
        request, kind=kind, page=page, proposal=proposal, meta=form["meta"],
        note=clean_line(request.POST.get("edit-note", "")),
        resubmitted_from=resubmission(form["meta"]) if proposal is None else None,
    )  # fmt: skip
    if outcome.merged:
        messages.info(
            request,
            "The page changed while you were editing; your changes were merged "
            "with it (no field was changed by both).",
        )
    return _edit_outcome(request, outcome, form=form, data=data_from_post(request.POST))


def _edit_outcome(request, outcome, *, form, data):
    """The response to ``edit_submit``'s outcome for the page edit form."""
    Result = moderation.Result
    if outcome.saved:
        return form_flow.saved_response(request, outcome)
    conflict = {"kind": form["kind"], "page": form["page"],
                "proposal": form["proposal"], "meta": form["meta"],
                "prepared": outcome.prepared, "theirs": data}  # fmt: skip
    match outcome.result:
        case Result.CONFLICT:
            return show_conflict(request, **conflict)
        case Result.CHANGED_AGAIN:
            return show_conflict(request, **conflict, changed_again=True)
        case Result.AMENDED_MEANWHILE:
            return show_amended(
                request, kind=form["kind"], page=form["page"], meta=form["meta"],
                error=outcome.error,
            )  # fmt: skip
        case Result.INVALID:
            messages.error(request, str(outcome.error))
            form = {**form, "editor": outcome.error.editor}
            return render_edit(request, **form, status=400)
    messages.error(request, str(outcome.error))
    return render_edit(request, **form, status=outcome.error.status)


@login_required
def proposal_resubmit(request, pk):
    """Revise a rejected or withdrawn proposal and submit it as a new one: the
    edit form, pre-filled with it and rebased onto the page as it is now."""
    old = get_object_or_404(Proposal.objects.select_related("page"), pk=pk)
    if request.user != old.author:
        raise PermissionDenied
    if not old.can_be_resubmitted:
        messages.error(
            request,
            f"This proposal is {old.get_status_display().lower()}; only a rejected "
            "or withdrawn proposal can be revised and resubmitted.",
        )
        return redirect(old)
    page = old.page.specific if old.page is not None else None
    if page is not None and page.is_deleted:
        messages.error(
            request,
            f"{page.title} was deleted; it can be changed again once it is recovered.",
        )
        return redirect(old)
    if request.method == "POST":
        return _edit(request, kind=old.kind, page=page)
    prepared = moderation.edit_prepare(
        kind=old.kind,
        page=page,
        data=old.data,
        base_revision_id=old.base_revision_id,
        base_data=old.base_data or None,
    )
    editor = Editor(old.kind, page=page, data=prepared.data)
    meta = EditMetaForm(
        initial={
            "summary": old.summary,
            "minor": old.minor,
            "base_revision": pk_of(prepared.base_revision),
            "resubmits": old.pk,
        }
    )
    return render_edit(
        request, kind=old.kind, page=page, proposal=None, editor=editor, meta=meta,
        conflicts=conflict_views(editor, prepared, theirs=old.data),
    )  # fmt: skip


# -- a pending proposal of one's own: amend it, or start another ---------------


PENDING_SHOWN = 10


def _own_pending(user, page) -> list[Proposal]:
    return list(
        Proposal.objects.pending()
        .by(user)
        .for_page(page)
        .order_by("-created_at", "-pk")[:PENDING_SHOWN]
    )


def _offer_amend(request, *, page, pending):
    """Before a second, competing proposal: offer to amend the pending one."""
    params = request.GET.copy()
    params["another"] = "1"
    return render(
        request,
        "wiki/edit/pending_offer.html",
        {
            "page": page,
            "page_type": registry.page_type(page.kind),
            "pending": pending,
            "another_url": f"{request.path}?{params.urlencode()}",
            "section_number": request.GET.get("section", ""),
        },
    )
