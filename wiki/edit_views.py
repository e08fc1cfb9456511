"""Editing on the site: create and edit pages, amend and withdraw proposals,
the contributor's own pages, and autocomplete for the edit forms."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from wiki import moderation, registry
from wiki.diff import diff_text
from wiki.editing import Editor, data_from_post
from wiki.forms import EditMetaForm
from wiki.models import Notification, Proposal
from wiki.search import close_matches
from wiki.services import latest_revision


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
    return _edit(request, kind=page_type.kind, page=page)


@login_required
def proposal_amend(request, pk):
    proposal = get_object_or_404(Proposal.objects.select_related("page"), pk=pk)
    if request.user != proposal.author and not moderation.can_review(request.user):
        raise PermissionDenied
    if not proposal.is_pending:
        messages.error(
            request,
            f"This proposal is {proposal.get_status_display().lower()}; it can no "
            "longer be changed.",
        )
        return redirect(proposal)
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
        prepared = moderation.edit_prepare(
            kind=kind,
            page=page,
            data=proposal.data,
            base_revision_id=proposal.base_revision_id,
            base_data=proposal.base_data or None,
        )
        editor = Editor(kind, page=page, data=prepared.data)
        conflicts = _conflict_views(editor, prepared, theirs=proposal.data)
        meta = EditMetaForm(
            initial={
                "summary": proposal.summary,
                "minor": proposal.minor,
                "base_revision": _pk(prepared.base_revision),
                "proposal_version": proposal.version,
            }
        )
    else:
        editor = Editor(kind, page=page)
        initial = {"base_revision": _pk(latest_revision(page)) if page else None}
        if page is None and request.GET.get("title"):
            editor.form.initial["title"] = " ".join(request.GET["title"].split())[:255]
        meta = EditMetaForm(initial=initial)
    return _render_edit(
        request,
        kind=kind,
        page=page,
        proposal=proposal,
        editor=editor,
        meta=meta,
        conflicts=conflicts,
    )


def _edit_post(request, *, kind, page, proposal):
    user = request.user
    editor = Editor(kind, page=page, data=request.POST)
    meta = EditMetaForm(request.POST)
    meta_valid = meta.is_valid()
    if meta_valid and proposal is None:
        existing = Proposal.objects.filter(
            author=user, submit_token=meta.cleaned_data["token"]
        ).first()
        if existing is not None:  # the same form sent twice (a double click)
            return redirect(_after_save(existing))
    if not (editor.is_valid() and meta_valid):
        messages.error(request, "Please correct the marked fields; nothing was saved.")
        return _render_edit(
            request, kind=kind, page=page, proposal=proposal, editor=editor, meta=meta,
            status=400,
        )  # fmt: skip
    if page is not None and proposal is None and not editor.has_changed():
        messages.error(request, "You have not changed anything yet.")
        return _render_edit(
            request, kind=kind, page=page, proposal=proposal, editor=editor, meta=meta,
            status=400,
        )  # fmt: skip
    data = data_from_post(request.POST)
    base_revision_id = meta.cleaned_data["base_revision"]
    same_base = proposal is not None and base_revision_id == proposal.base_revision_id
    prepared = moderation.edit_prepare(
        kind=kind,
        page=page,
        data=data,
        base_revision_id=base_revision_id,
        base_data=(proposal.base_data or None) if same_base else None,
    )
    if prepared.conflicts:
        return _show_conflict(
            request, kind=kind, page=page, proposal=proposal, meta=meta,
            prepared=prepared, theirs=data,
        )  # fmt: skip
    if prepared.merged:
        messages.info(
            request,
            "The page changed while you were editing; your changes were merged "
            "with it (no field was changed by both).",
        )
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
                proposal.refresh_from_db()
                messages.success(request, "Amended, approved and published.")
                return redirect(proposal.page)
            proposal = moderation.proposal_amend(**amendment)
            messages.success(request, "The proposal is updated.")
            return redirect(proposal)
        if moderation.can_publish(user):
            published = moderation.page_edit_publish(
                kind=kind,
                page=page,
                data=prepared.data,
                base_revision_id=_pk(prepared.base_revision),
                summary=summary,
                minor=minor,
                author=user,
                token=token,
            )
            messages.success(request, "Published.")
            return redirect(_after_save(published))
        submitted = moderation.proposal_submit(
            kind=kind,
            page=page,
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
            "Thank you: your change is waiting for a moderator. The page shows "
            "it once it is approved.",
        )
        return redirect(submitted)
    except moderation.EditInvalid as error:
        messages.error(request, str(error))
        return _render_edit(
            request, kind=kind, page=page, proposal=proposal, editor=error.editor,
            meta=meta, status=400,
        )  # fmt: skip
    except moderation.ProposalChanged as error:
        return _show_amended(request, kind=kind, page=page, meta=meta, error=error)
    except moderation.PageChanged:
        again = moderation.edit_prepare(
            kind=kind, page=page, data=data, base_revision_id=base_revision_id
        )
        return _show_conflict(
            request, kind=kind, page=page, proposal=proposal, meta=meta,
            prepared=again, theirs=data, changed_again=True,
        )  # fmt: skip
    except moderation.ModerationError as error:
        messages.error(request, str(error))
        return _render_edit(
            request, kind=kind, page=page, proposal=proposal, editor=editor,
            meta=meta, status=409,
        )  # fmt: skip


def _show_amended(request, *, kind, page, meta, error):
    """The proposal was amended by someone else while this amendment was being
    written: keep what was typed in the form, show what changed meanwhile, and
    let the user submit again on top of the new version."""
    proposal = error.proposal
    messages.error(
        request,
        f"Nothing was saved: this proposal was amended while you were editing "
        f"(version {error.seen_version} is now version {proposal.version}). What "
        "you typed is still in the form; the changes made meanwhile are listed "
        "above it. Submitting again replaces them.",
    )
    fresh_meta = EditMetaForm(
        initial={
            **meta.cleaned_data,
            "proposal_version": proposal.version,
        }
    )
    editor = Editor(kind, page=page, data=request.POST)
    editor.is_valid()
    return _render_edit(
        request, kind=kind, page=page, proposal=proposal, editor=editor,
        meta=fresh_meta, status=409,
        amended=moderation.changes_since_version(proposal, error.seen_version),
    )  # fmt: skip


def _after_save(proposal: Proposal):
    if proposal.status == Proposal.Status.APPROVED and proposal.page_id:
        return proposal.page
    return proposal


def _show_conflict(
    request, *, kind, page, proposal, meta, prepared, theirs, changed_again=False
):
    """The edit-conflict screen: the form holds the page as it is now, merged
    with every change of yours that conflicts with nothing; your version of
    each conflicting field is shown beside it, so nothing you typed is lost."""
    editor = Editor(kind, page=page, data=prepared.data)
    editor.is_valid()
    fresh_meta = EditMetaForm(
        initial={
            "summary": meta.cleaned_data["summary"],
            "minor": meta.cleaned_data["minor"],
            "token": meta.cleaned_data["token"],
            "base_revision": _pk(prepared.base_revision),
        }
    )
    conflicts = _conflict_views(editor, prepared, theirs=theirs)
    if conflicts:
        messages.warning(
            request,
            "Someone published a change to this page while you were editing, in "
            "fields you changed too. The form now shows the current version of "
            "those fields; your version is shown beside each. Nothing is saved "
            "until you submit again.",
        )
    elif changed_again:
        messages.warning(
            request,
            "The page changed again as you submitted; your changes are merged "
            "below. Check them and submit again.",
        )
    return _render_edit(
        request, kind=kind, page=page, proposal=proposal, editor=editor,
        meta=fresh_meta, conflicts=conflicts, status=409,
    )  # fmt: skip


def _conflict_views(editor, prepared, *, theirs) -> list[dict]:
    if not prepared.conflicts:
        return []
    current = moderation.current_data(editor.page)
    views = []
    for group in prepared.conflicts:
        mine = editor.describe(group, theirs)
        now = editor.describe(group, current)
        views.append(
            {
                "group": group,
                "mine": mine,
                "current": now,
                "diff_html": diff_text(now, mine),
            }
        )
    return views


def _pk(obj):
    return obj.pk if obj is not None else None


def _render_edit(
    request, *, kind, page, proposal, editor, meta, conflicts=(), status=200,
    amended=(),
):  # fmt: skip
    page_type = registry.page_type(kind)
    if page is not None and editor.is_bound:
        # Validating the form wrote the typed values onto the page object; the
        # breadcrumbs and form address need the page as it is stored.
        page = type(page).objects.filter(pk=page.pk).first() or page
    title = editor.form["title"].value() or ""
    similar = close_matches(title) if page is None and title else []
    publishes = proposal is None and moderation.can_publish(request.user)
    return render(
        request,
        "wiki/edit/page_form.html",
        {
            "kind": kind,
            "page_type": page_type,
            "page": page,
            "proposal": proposal,
            "editor": editor,
            "meta": meta,
            "media": editor.media,
            "conflicts": conflicts,
            "amended": amended,
            "similar": similar,
            "publishes": publishes,
            "can_review": moderation.can_review(request.user),
        },
        status=status,
    )


@login_required
def proposal_detail(request, pk):
    proposal = get_object_or_404(
        Proposal.objects.select_related("page", "author", "reviewer"), pk=pk
    )
    reviewer = moderation.can_review(request.user)
    if request.user != proposal.author and not reviewer:
        raise PermissionDenied
    review = (
        moderation.proposal_review(proposal=proposal) if proposal.is_pending else None
    )
    return render(
        request,
        "wiki/edit/proposal_detail.html",
        {
            "proposal": proposal,
            "review": review,
            "is_author": request.user == proposal.author,
            "can_review": reviewer,
            "revision_meta": getattr(proposal, "revision_meta", None)
            if proposal.status == Proposal.Status.APPROVED
            else None,
        },
    )


@login_required
@require_POST
def proposal_withdraw(request, pk):
    proposal = get_object_or_404(Proposal, pk=pk)
    if request.user != proposal.author:
        raise PermissionDenied
    try:
        moderation.proposal_withdraw(proposal=proposal, by=request.user)
        messages.success(request, "You withdrew this proposal.")
    except moderation.ModerationError as error:
        messages.error(request, str(error))
    return redirect(proposal)


@login_required
def contributions(request):
    proposals = (
        Proposal.objects.by(request.user)
        .select_related("page", "reviewer")
        .order_by("-created_at", "-pk")
    )
    page_obj = Paginator(proposals, 50).get_page(request.GET.get("page"))
    return render(request, "wiki/edit/contributions.html", {"page_obj": page_obj})


@login_required
def notifications(request):
    if request.method == "POST":
        count = moderation.notifications_mark_read(user=request.user)
        messages.success(request, f"Marked {count} as read.")
        return redirect("moderation:notifications")
    items = Notification.objects.filter(recipient=request.user).select_related(
        "proposal", "proposal__reviewer"
    )
    page_obj = Paginator(items, 50).get_page(request.GET.get("page"))
    return render(request, "wiki/edit/notifications.html", {"page_obj": page_obj})


def autocomplete(request, lookup):
    """Suggestions for an edit form's page and source fields, as JSON."""
    if not request.user.is_authenticated:
        return JsonResponse({"error": "Log in to edit."}, status=403)
    function = registry.lookup(lookup)
    if function is None:
        raise Http404("No such lookup.")
    query = " ".join(request.GET.get("q", "").split())[:100]
    kind = request.GET.get("kind", "")
    if kind and kind not in {t.kind for t in registry.page_types()}:
        return JsonResponse({"error": "Unknown kind."}, status=400)
    results = function(query, kind) if len(query) >= 1 else []
    return JsonResponse({"results": results})
