"""Editing on the site: create and edit pages, amend and withdraw proposals,
the contributor's own pages, and autocomplete for the edit forms."""

import functools
import re
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe

from wiki import moderation, registry, sections
from wiki.diff import (
    DIFF_CONTEXT,
    Snapshot,
    diff_snapshots,
    diff_text,
    snapshot_from_page,
)
from wiki.editing import Editor, data_from_post, form_errors
from wiki.forms import EditMetaForm
from wiki.history_views import problem
from wiki.ids import parse_id
from wiki.models import Proposal
from wiki.moderation import form_flow
from wiki.moderation.permissions import require_involved
from wiki.search import close_matches
from wiki.services import latest_revision
from wiki.text import clean_line
from wiki.views import section_index_url


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
        return _section_edit(request, kind=page_type.kind, page=page)
    return _edit(request, kind=page_type.kind, page=page)


@login_required
def proposal_amend(request, pk):
    proposal = get_object_or_404(Proposal.objects.select_related("page"), pk=pk)
    require_involved(request.user, proposal)
    if not proposal.can_amend(request.user):
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
    look = next((name for name in LOOKS if name in request.POST), None)
    if look is not None:
        return _edit_look(request, kind=kind, page=page, proposal=proposal, look=look)
    form = {"kind": kind, "page": page, "proposal": proposal,
            "editor": Editor(kind, page=page, data=request.POST),
            "meta": EditMetaForm(request.POST)}  # fmt: skip
    refused = form_flow.refused_form(
        request, editor=form["editor"], meta=form["meta"], proposal=proposal,
        changes_existing=page is not None,
        render=functools.partial(_render_edit, request, **form),
    )  # fmt: skip
    if refused is not None:
        return refused
    outcome = form_flow.submit_posted(
        request, kind=kind, page=page, proposal=proposal, meta=form["meta"],
        note=clean_line(request.POST.get("edit-note", "")),
        resubmitted_from=_resubmission(form["meta"]) if proposal is None else None,
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
            return _show_conflict(request, **conflict)
        case Result.CHANGED_AGAIN:
            return _show_conflict(request, **conflict, changed_again=True)
        case Result.AMENDED_MEANWHILE:
            return _show_amended(
                request, kind=form["kind"], page=form["page"], meta=form["meta"],
                error=outcome.error,
            )  # fmt: skip
        case Result.INVALID:
            messages.error(request, str(outcome.error))
            form = {**form, "editor": outcome.error.editor}
            return _render_edit(request, **form, status=400)
    messages.error(request, str(outcome.error))
    return _render_edit(request, **form, status=409)


# The form's buttons that show the edit without saving it: the whole page as
# it would read, or what it changes on the page as it is now.
LOOKS = {"edit-preview": "preview", "edit-show-changes": "changes"}


def _edit_look(request, *, kind, page, proposal, look):
    """ "Preview" and "Show changes": the form as typed, with the page as it
    would read or its diff against the current page above it.  Nothing is
    saved; the form's own checks apply, so errors show up here too."""
    editor = Editor(kind, page=page, data=request.POST)
    meta = _meta_as_typed(request.POST)
    args = {"request": request, "kind": kind, "page": page, "proposal": proposal}
    if not editor.is_valid():
        return _render_edit(**args, editor=editor, meta=meta, status=400)
    data = data_from_post(request.POST)
    live = moderation.page_for_edit(page) if page is not None else None
    if live is not None:
        # Rows are matched to the page's rows now, as approval would match them.
        data = moderation.proposal_as_submitted(
            Editor(kind, page=live), current=moderation.current_data(live), theirs=data
        )
    applied = moderation.apply_preview(
        kind=kind,
        page=live,
        data=data,
        inspect=(lambda changed: _page_as_read(request, changed))
        if LOOKS[look] == "preview"
        else None,
    )
    if not applied.valid:
        messages.error(
            request, applied.error or "The change does not fit the page as it is now."
        )
        return _render_edit(**args, editor=editor, meta=meta, status=400)
    shown = {"look": LOOKS[look]}
    if LOOKS[look] == "preview":
        shown["preview_html"] = applied.inspected
    else:
        before = snapshot_from_page(live) if live is not None else Snapshot()
        changes = diff_snapshots(before, applied.snapshot, context=DIFF_CONTEXT)
        shown["changes"] = in_form_order(editor, changes)
    return _render_edit(**args, editor=editor, meta=meta, shown=shown)


def in_form_order(editor: Editor, changes: list) -> list:
    """``changes`` in the order the form shows their fields."""
    order = [group.snapshot_field for group in editor.groups()]
    return sorted(
        changes,
        key=lambda c: order.index(c.name) if c.name in order else len(order),
    )


def _meta_as_typed(post) -> EditMetaForm:
    """The edit summary and the rest as typed, shown without errors: a preview
    does not need a summary yet."""
    typed = EditMetaForm(post)
    typed.is_valid()
    values = typed.cleaned_data
    return EditMetaForm(
        initial={
            "summary": post.get(typed.add_prefix("summary"), "")[:255],
            "minor": values.get("minor", False),
            "base_revision": values.get("base_revision"),
            "proposal_version": values.get("proposal_version"),
            "token": values.get("token") or uuid.uuid4(),
        }
    )


_ARTICLE = re.compile(r"<article\b.*</article>", re.DOTALL)


def _page_as_read(request, changed) -> str:
    """The article of ``changed`` as its page shows it to readers, rendered
    with the page's own template (infobox, navigation, references...)."""
    page_type = registry.page_type(changed.kind)
    page = page_type.model.objects.for_page_view().get(pk=changed.pk)
    meta = type(page)._meta
    context = {
        "page": page,
        "page_type": page_type,
        "section_url": section_index_url(page_type),
        "navigation": registry.navigation_for(page),
        "structured_data": "",
        **registry.page_context(page),
    }
    html = render_to_string(
        [f"{meta.app_label}/{meta.model_name}_detail.html", "wiki/page_detail.html"],
        context,
        request=request,
    )
    match = _ARTICLE.search(html)
    # Our own template's output, its Markdown sanitised when it was rendered.
    return mark_safe(match.group(0)) if match else ""


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
            "resubmits": meta.cleaned_data.get("resubmits"),
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
    amended=(), shown=None,
):  # fmt: skip
    page_type = registry.page_type(kind)
    if page is not None and editor.is_bound:
        # Validating the form wrote the typed values onto the page object; the
        # breadcrumbs and form address need the page as it is stored.
        page = type(page).objects.filter(pk=page.pk).first() or page
    title = editor.form["title"].value() or ""
    similar = close_matches(title) if page is None and title else []
    publishes = proposal is None and moderation.can_publish(request.user)
    errors = editor.field_errors() + form_errors(meta)
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
            "errors": errors,
            "cancel_url": _cancel_url(page, proposal),
            **(shown or {}),
            "can_review": moderation.can_review(request.user),
            "resubmitting": _resubmission(meta, author=request.user),
        },
        status=status,
    )


def _cancel_url(page, proposal) -> str:
    if proposal is not None:
        return proposal.get_absolute_url()
    return page.get_absolute_url() if page is not None else reverse("wiki:home")


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
            "base_revision": _pk(prepared.base_revision),
            "resubmits": old.pk,
        }
    )
    return _render_edit(
        request, kind=old.kind, page=page, proposal=None, editor=editor, meta=meta,
        conflicts=_conflict_views(editor, prepared, theirs=old.data),
    )  # fmt: skip


def _resubmission(meta, *, author=None) -> Proposal | None:
    """The proposal an edit form resubmits (its hidden ``resubmits`` field);
    with ``author``, only if it is theirs (it is shown to them)."""
    value = meta["resubmits"].value()
    try:
        pk = parse_id(str(value)) if value not in (None, "") else None
    except ValueError:
        return None
    if pk is None:
        return None
    proposals = Proposal.objects.select_related("reviewer")
    if author is not None:
        proposals = proposals.filter(author=author)
    return proposals.filter(pk=pk).first()


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


# -- editing one section of the body ----------------------------------------------


def _section_number(value: str) -> int | None:
    try:
        return parse_id(value or "")
    except ValueError:
        return None


def _section_edit(request, *, kind, page):
    """The edit form on one section of the body (``?section=N``); submitting
    merges it back into the whole body, with a full edit's conflict rules."""
    source = request.POST if request.method == "POST" else request.GET
    key = "edit-section" if request.method == "POST" else "section"
    number = _section_number(source.get(key, ""))
    if number is None:
        return problem(
            request, status=400, title="No such section", page=page,
            message="A section is given by its number, e.g. ?section=2.",
        )  # fmt: skip
    if request.method == "POST":
        return _section_edit_post(request, kind=kind, page=page, number=number)
    try:
        text = sections.section_text(page.body, number)
        title = sections.section_title(page.body, number)
    except sections.SectionMissing:
        return _no_such_section(request, page=page, number=number)
    editor = Editor(kind, page=page)
    form = sections.SectionForm(
        body_field=editor.form.fields["body"], title=title, initial={"body": text}
    )
    meta = EditMetaForm(
        initial={
            "summary": f"/* {title} */ " if title else "",
            "base_revision": _pk(latest_revision(page)),
        }
    )
    return _render_section(
        request, kind=kind, page=page, number=number, title=title, form=form,
        meta=meta, editor=editor,
    )  # fmt: skip


def _no_such_section(request, *, page, number):
    return problem(
        request, status=404, title="No such section", page=page,
        message=f"{page.title} has no section {number} now: the page may have "
        "changed since you opened it. Open the page again, or edit the whole page.",
    )  # fmt: skip


def _section_edit_post(request, *, kind, page, number):
    editor = Editor(kind, page=page)
    title = request.POST.get("edit-section_title", "")[:255]
    form = sections.SectionForm(
        request.POST, body_field=editor.form.fields["body"], title=title
    )
    meta = EditMetaForm(request.POST)
    again = {"kind": kind, "page": page, "number": number, "title": title,
             "form": form, "meta": meta, "editor": editor}  # fmt: skip
    if not (form.is_valid() and meta.is_valid()):
        messages.error(request, "Please correct the marked fields; nothing was saved.")
        return _render_section(request, **again, status=400)
    existing = moderation.submitted_before(
        author=request.user, token=meta.cleaned_data["token"]
    )
    if existing is not None:  # the same form sent twice (a double click)
        return redirect(moderation.shown_after_save(existing))

    try:
        prepared = moderation.section_edit_prepare(
            page=page,
            number=number,
            text=form.cleaned_data["body"],
            base_revision_id=meta.cleaned_data["base_revision"],
        )
    except sections.SectionMissing:
        return _no_such_section(request, page=page, number=number)
    if not prepared.conflicts and not prepared.body_changed:
        messages.error(request, "You have not changed anything yet.")
        return _render_section(request, **again, status=400)
    outcome = moderation.edit_submit(
        kind=kind,
        page=page,
        data=prepared.data,
        base_revision_id=meta.cleaned_data["base_revision"],
        summary=meta.cleaned_data["summary"],
        minor=meta.cleaned_data["minor"],
        user=request.user,
        token=meta.cleaned_data["token"],
        prepare=lambda: prepared,
    )
    return _section_outcome(request, outcome, again=again)


def _section_outcome(request, outcome, *, again):
    """The response to ``edit_submit``'s outcome for the section edit form."""
    Result = moderation.Result
    if outcome.merged:
        messages.info(
            request,
            "The page changed while you were editing, outside this section; your "
            "section was merged into it.",
        )
    if outcome.saved:
        return form_flow.saved_response(request, outcome)
    match outcome.result:
        case Result.CONFLICT:
            title = again["title"]
            messages.warning(
                request,
                f"The section you edited{f' (“{title}”)' if title else ''} was "
                "changed on the page while you were editing. Below is the whole "
                "page as it is now, with your version of the body beside it.",
            )
            return _show_conflict(
                request, kind=again["kind"], page=again["page"], proposal=None,
                meta=again["meta"], prepared=outcome.prepared,
                theirs=outcome.prepared.mine,
            )  # fmt: skip
        case Result.INVALID:
            _section_errors(request, again["form"], outcome.error)
            return _render_section(request, **again, status=400)
        case Result.CHANGED_AGAIN:
            messages.warning(
                request,
                "The page changed again as you submitted; nothing was saved. "
                "Submit again to merge your section into it.",
            )
            return _render_section(request, **again, status=409)
    messages.error(request, str(outcome.error))
    return _render_section(request, **again, status=409)


def _section_errors(request, form, error) -> None:
    """Show why the page refused the section: the body's errors on the
    section's field, the others in words."""
    for message in error.editor.form.errors.get("body", []):
        form.add_error("body", message)
    others = {k: v for k, v in error.editor.form.errors.items() if k != "body"}
    messages.error(
        request,
        str(error)
        if not others
        else f"{error} The page's other fields no longer fit it: "
        + "; ".join(f"{k}: {' '.join(v)}" for k, v in others.items()),
    )


def _render_section(
    request, *, kind, page, number, title, form, meta, editor, status=200
):  # fmt: skip
    return render(
        request,
        "wiki/edit/section_form.html",
        {
            "kind": kind,
            "page_type": registry.page_type(kind),
            "page": page,
            "number": number,
            "section_title": title,
            "form": form,
            "meta": meta,
            "media": editor.media,
            "publishes": moderation.can_publish(request.user),
        },
        status=status,
    )
