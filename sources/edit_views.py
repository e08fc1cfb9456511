"""Proposing sources on the site: new sources and changes to sources go
through the same proposals, review and edit flow as pages
(``wiki.moderation.edit_submit`` and ``form_flow``); moderators publish
directly.  Only the form's rendering is the source's own."""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from sources.models import SOURCE_KIND, Source, SourceProposal
from sources.proposals import SourceRecords
from wiki import moderation
from wiki.editing import Editor
from wiki.forms import EditMetaForm
from wiki.models import Proposal
from wiki.moderation import form_flow, rebase
from wiki.moderation.targets import target_for

records = SourceRecords()


@login_required
def source_create(request):
    key = " ".join(request.GET.get("key", "").split())[:100].lstrip("@")
    if request.method == "GET" and key:
        existing = Source.objects.filter(key=key).first()
        if existing is not None:
            messages.info(request, f"A source with the key “{key}” exists already.")
            return redirect(existing)
    return _source_form(request, source=None, proposal=None, key=key)


@login_required
def source_edit(request, key):
    source = get_object_or_404(Source, key=key)
    return _source_form(request, source=source, proposal=None)


@login_required
def proposal_amend(request, pk):
    proposal = get_object_or_404(Proposal, pk=pk, kind=SOURCE_KIND)
    if refused := form_flow.refused_amendment(request, proposal):
        return refused
    source = records.record_of(proposal)
    return _source_form(request, source=source, proposal=proposal)


def _source_form(request, *, source, proposal, key=""):
    if request.method == "POST":
        return _source_post(request, source=source, proposal=proposal)
    if proposal is not None:
        prepared, editor, meta = form_flow.amendment_form(
            kind=SOURCE_KIND, page=source, proposal=proposal
        )
        conflicts = [group.label for group in prepared.conflicts]
    else:
        revision = None
        if source is not None:
            source, revision = rebase.form_start(target_for(SOURCE_KIND), source)
        editor = Editor(SOURCE_KIND, page=source)
        if source is None and key:
            editor.form.initial["key"] = key
        meta = EditMetaForm(initial={"base_revision": _pk(revision)})
        conflicts = []
    return _render(
        request,
        source=source,
        proposal=proposal,
        editor=editor,
        meta=meta,
        conflicts=conflicts,
        key=key,
    )


def _source_post(request, *, source, proposal):
    editor = Editor(SOURCE_KIND, page=_fresh(source), data=request.POST)
    meta = EditMetaForm(request.POST)
    form = {"source": source, "proposal": proposal, "editor": editor, "meta": meta}
    refused = form_flow.refused_form(
        request, editor=editor, meta=meta, proposal=proposal,
        changes_existing=source is not None,
        render=functools.partial(_render, request, **form),
        invalid_message="Please correct the marked fields; nothing was saved.",
    )  # fmt: skip
    if refused is not None:
        return refused
    outcome = form_flow.submit_posted(
        request, kind=SOURCE_KIND, page=source, proposal=proposal, meta=meta,
        note=request.POST.get("edit-note", ""),
    )  # fmt: skip
    return _source_outcome(request, outcome, form=form)


_NEW_SOURCE_MESSAGES = {
    **form_flow.SAVED_MESSAGES,
    moderation.Result.PROPOSED: "Thank you: your source is waiting for a "
    "moderator. You can cite it in a page's text already; that change is "
    "published once the source is approved.",
}
_CHANGED_SOURCE_MESSAGES = {
    **form_flow.SAVED_MESSAGES,
    moderation.Result.PROPOSED: "Thank you: your change to this source is "
    "waiting for a moderator. The source shows it once it is approved.",
}


def _source_outcome(request, outcome, *, form):
    """The response to ``edit_submit``'s outcome for the source form."""
    Result = moderation.Result
    if outcome.saved:
        new = form["source"] is None
        return form_flow.saved_response(
            request, outcome, _NEW_SOURCE_MESSAGES if new else _CHANGED_SOURCE_MESSAGES
        )
    error = outcome.error
    match outcome.result:
        case Result.CONFLICT | Result.CHANGED_AGAIN:
            return _show_conflict(
                request, source=form["source"], proposal=form["proposal"],
                meta=form["meta"], prepared=outcome.prepared,
            )  # fmt: skip
        case Result.INVALID:
            messages.error(request, str(error))
            return _render(request, **{**form, "editor": error.editor}, status=400)
        case Result.AMENDED_MEANWHILE:
            messages.error(
                request,
                f"Nothing was saved: this proposal was amended while you were "
                f"editing (version {error.seen_version} is now version "
                f"{error.proposal.version}). Reload it to see the changes, then "
                "amend again.",
            )
            return _render(request, **form, status=409)
    messages.error(request, str(error))
    return _render(request, **form, status=error.status)


def _show_conflict(request, *, source, proposal, meta, prepared):
    """The source changed while it was being edited: the form holds it as it
    is now with every change of yours that conflicts with nothing merged in."""
    editor = Editor(SOURCE_KIND, page=_fresh(source), data=prepared.data)
    editor.is_valid()
    labels = [group.label for group in prepared.conflicts]
    if labels:
        messages.warning(
            request,
            "Someone published a change to this source while you were editing, "
            f"in fields you changed too ({', '.join(labels)}): the form shows "
            "their current version. Nothing is saved until you submit again.",
        )
    else:
        messages.warning(
            request,
            "The source changed while you were editing; your changes are merged "
            "below. Check them and submit again.",
        )
    fresh_meta = EditMetaForm(
        initial={
            "summary": meta.cleaned_data["summary"],
            "minor": meta.cleaned_data["minor"],
            "token": meta.cleaned_data["token"],
            "base_revision": _pk(prepared.base_revision),
            "proposal_version": meta.cleaned_data.get("proposal_version"),
        }
    )
    return _render(request, source=source, proposal=proposal, editor=editor,
                   meta=fresh_meta, conflicts=labels, status=409)  # fmt: skip


def _render(request, *, source, proposal, editor, meta, conflicts=(), key="",
            status=200):  # fmt: skip
    key = key or (editor.form["key"].value() or "")
    pending = (
        SourceProposal.objects.pending()
        .filter(key=key, source__isnull=True)
        .exclude(proposal=proposal)
        .select_related("proposal")
        .first()
        if key and source is None
        else None
    )
    user = request.user
    return render(
        request,
        "sources/source_form.html",
        {
            "source": source,
            "proposal": proposal,
            "editor": editor,
            "meta": meta,
            "media": editor.media,
            "conflicts": conflicts,
            "key": key,
            "pending": pending,
            "pending_visible": pending is not None
            and (pending.proposal.author_id == user.pk or moderation.can_review(user)),
            "publishes": proposal is None and moderation.can_publish(user),
            "can_review": moderation.can_review(user),
            "cancel_url": _cancel_url(source, proposal),
        },
        status=status,
    )


def _cancel_url(source, proposal) -> str:
    if proposal is not None:
        return proposal.get_absolute_url()
    return (
        source.get_absolute_url()
        if source is not None
        else reverse("sources:source_index")
    )


def _fresh(source: Source | None) -> Source | None:
    """A copy to validate against: validating writes the data onto it."""
    return Source.objects.get(pk=source.pk) if source is not None else None


def _pk(obj):
    return obj.pk if obj is not None else None
