"""The edit form as shown: with errors, with an edit conflict, with a
proposal amended meanwhile; shared by the page, section and preview views."""

from django.contrib import messages
from django.shortcuts import render
from django.urls import reverse

from wiki import moderation, registry
from wiki.diff import (
    diff_text,
)
from wiki.editing import Editor, form_errors
from wiki.forms import EditMetaForm
from wiki.ids import parse_id
from wiki.models import Proposal
from wiki.moderation.rebase import pk_of
from wiki.search import close_matches


def show_amended(request, *, kind, page, meta, error):
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
    return render_edit(
        request, kind=kind, page=page, proposal=proposal, editor=editor,
        meta=fresh_meta, status=409,
        amended=moderation.changes_since_version(proposal, error.seen_version),
    )  # fmt: skip


def show_conflict(
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
            "base_revision": pk_of(prepared.base_revision),
            "resubmits": meta.cleaned_data.get("resubmits"),
        }
    )
    conflicts = conflict_views(editor, prepared, theirs=theirs)
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
    return render_edit(
        request, kind=kind, page=page, proposal=proposal, editor=editor,
        meta=fresh_meta, conflicts=conflicts, status=409,
    )  # fmt: skip


def conflict_views(editor, prepared, *, theirs) -> list[dict]:
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


def render_edit(
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
            "cancel_url": cancel_url(page, proposal),
            **(shown or {}),
            "can_review": moderation.can_review(request.user),
            "resubmitting": resubmission(meta, author=request.user),
        },
        status=status,
    )


def cancel_url(page, proposal) -> str:
    if proposal is not None:
        return proposal.get_absolute_url()
    return page.get_absolute_url() if page is not None else reverse("wiki:home")


def resubmission(meta, *, author=None) -> Proposal | None:
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
