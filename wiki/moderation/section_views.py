"""Editing one section of a page's body (``?section=N``)."""

from django.contrib import messages
from django.shortcuts import redirect, render

from wiki import moderation, registry, sections
from wiki.editing import Editor
from wiki.forms import EditMetaForm
from wiki.history_views import problem
from wiki.ids import parse_id
from wiki.moderation import form_flow, rebase
from wiki.moderation.edit_render import (
    pk_of,
    show_conflict,
)
from wiki.moderation.targets import target_for


def _section_number(value: str) -> int | None:
    try:
        return parse_id(value or "")
    except ValueError:
        return None


def section_edit(request, *, kind, page):
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
    page, revision = rebase.form_start(target_for(kind), page)
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
            "base_revision": pk_of(revision),
        }
    )
    return render_section(
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
        return render_section(request, **again, status=400)
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
        return render_section(request, **again, status=400)
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
            return show_conflict(
                request, kind=again["kind"], page=again["page"], proposal=None,
                meta=again["meta"], prepared=outcome.prepared,
                theirs=outcome.prepared.mine,
            )  # fmt: skip
        case Result.INVALID:
            _section_errors(request, again["form"], outcome.error)
            return render_section(request, **again, status=400)
        case Result.CHANGED_AGAIN:
            messages.warning(
                request,
                "The page changed again as you submitted; nothing was saved. "
                "Submit again to merge your section into it.",
            )
            return render_section(request, **again, status=409)
    messages.error(request, str(outcome.error))
    return render_section(request, **again, status=outcome.error.status)


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


def render_section(
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
