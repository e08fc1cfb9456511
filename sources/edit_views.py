"""Proposing sources on the site: new sources and changes to sources go
through the same proposals and review as pages (``wiki.moderation``'s record
functions); moderators publish directly."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render

from sources.models import SOURCE_KIND, Source, SourceProposal
from sources.proposals import SourceRecords
from wiki import moderation
from wiki.editing import Editor, data_from_post
from wiki.forms import EditMetaForm
from wiki.models import Proposal

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
    if request.user != proposal.author and not moderation.can_review(request.user):
        raise PermissionDenied
    if not proposal.is_pending:
        messages.error(
            request,
            f"This proposal is {proposal.get_status_display().lower()}; it can no "
            "longer be changed.",
        )
        return redirect(proposal)
    source = records.record_of(proposal)
    return _source_form(request, source=source, proposal=proposal)


def _source_form(request, *, source, proposal, key=""):
    if request.method == "POST":
        return _source_post(request, source=source, proposal=proposal)
    if proposal is not None:
        prepared = moderation.record_prepare(
            kind=SOURCE_KIND,
            record=source,
            data=proposal.data,
            base_revision_id=proposal.base_revision_id,
            base_data=proposal.base_data or None,
        )
        editor = Editor(SOURCE_KIND, page=source, data=prepared.data)
        meta = EditMetaForm(
            initial={
                "summary": proposal.summary,
                "minor": proposal.minor,
                "base_revision": _pk(prepared.base_revision),
                "proposal_version": proposal.version,
            }
        )
        conflicts = [group.label for group in prepared.conflicts]
    else:
        editor = Editor(SOURCE_KIND, page=source)
        if source is None and key:
            editor.form.initial["key"] = key
        revision = records.latest_revision(source) if source is not None else None
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
    user = request.user
    editor = Editor(SOURCE_KIND, page=_fresh(source), data=request.POST)
    meta = EditMetaForm(request.POST)
    meta_valid = meta.is_valid()
    if meta_valid and proposal is None:
        existing = Proposal.objects.filter(
            author=user, submit_token=meta.cleaned_data["token"]
        ).first()
        if existing is not None:  # the same form sent twice (a double click)
            return redirect(_after_save(existing))
    invalid = {"source": source, "proposal": proposal, "editor": editor, "meta": meta}
    if not (editor.is_valid() and meta_valid):
        messages.error(request, "Please correct the marked fields; nothing was saved.")
        return _render(request, **invalid, status=400)
    if source is not None and proposal is None and not editor.has_changed():
        messages.error(request, "You have not changed anything yet.")
        return _render(request, **invalid, status=400)
    data = data_from_post(request.POST)
    base_revision_id = meta.cleaned_data["base_revision"]
    same_base = proposal is not None and base_revision_id == proposal.base_revision_id
    prepared = moderation.record_prepare(
        kind=SOURCE_KIND,
        record=source,
        data=data,
        base_revision_id=base_revision_id,
        base_data=(proposal.base_data or None) if same_base else None,
    )
    if prepared.conflicts:
        return _show_conflict(request, source=source, proposal=proposal, meta=meta,
                              prepared=prepared)  # fmt: skip
    summary, minor = meta.cleaned_data["summary"], meta.cleaned_data["minor"]
    token = meta.cleaned_data["token"]
    try:
        if proposal is not None:
            amendment = {
                "proposal": proposal,
                "data": prepared.data,
                "base_revision": prepared.base_revision,
                "base_data": prepared.base_data,
                "summary": summary,
                "minor": minor,
                "by": user,
                "seen_version": meta.cleaned_data["proposal_version"] or 0,
            }
            if "edit-approve" in request.POST and moderation.can_review(user):
                moderation.proposal_amend_approve(
                    **amendment, note=request.POST.get("edit-note", "")
                )
                messages.success(request, "Amended, approved and published.")
                return redirect(_after_save(Proposal.objects.get(pk=proposal.pk)))
            amended = moderation.proposal_amend(**amendment)
            messages.success(request, "The proposal is updated.")
            return redirect(amended)
        if moderation.can_publish(user):
            published = moderation.record_edit_publish(
                kind=SOURCE_KIND,
                record=source,
                data=prepared.data,
                base_revision_id=_pk(prepared.base_revision),
                summary=summary,
                minor=minor,
                author=user,
                token=token,
            )
            messages.success(request, "Published.")
            return redirect(_after_save(published))
        submitted = moderation.record_submit(
            kind=SOURCE_KIND,
            record=source,
            data=prepared.data,
            base_revision=prepared.base_revision,
            base_data=prepared.base_data,
            summary=summary,
            minor=minor,
            author=user,
            token=token,
        )
        messages.success(
            request,
            "Thank you: your source is waiting for a moderator. You can cite it "
            "in a page's text already; that change is published once the source "
            "is approved.",
        )
        return redirect(submitted)
    except moderation.EditInvalid as error:
        messages.error(request, str(error))
        return _render(request, **{**invalid, "editor": error.editor}, status=400)
    except moderation.ProposalChanged as error:
        messages.error(
            request,
            f"Nothing was saved: this proposal was amended while you were editing "
            f"(version {error.seen_version} is now version {error.proposal.version})."
            " Reload it to see the changes, then amend again.",
        )
        return _render(request, **invalid, status=409)
    except moderation.PageChanged:
        again = moderation.record_prepare(
            kind=SOURCE_KIND, record=source, data=data,
            base_revision_id=base_revision_id,
        )  # fmt: skip
        return _show_conflict(request, source=source, proposal=proposal, meta=meta,
                              prepared=again)  # fmt: skip
    except moderation.ModerationError as error:
        messages.error(request, str(error))
        return _render(request, **invalid, status=409)


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
        },
        status=status,
    )


def _fresh(source: Source | None) -> Source | None:
    """A copy to validate against: validating writes the data onto it."""
    return Source.objects.get(pk=source.pk) if source is not None else None


def _after_save(proposal: Proposal):
    source = records.record_of(proposal)
    if proposal.status == Proposal.Status.APPROVED and source is not None:
        return source
    return proposal


def _pk(obj):
    return obj.pk if obj is not None else None
