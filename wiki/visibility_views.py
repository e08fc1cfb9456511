"""Revision deletion pages: moderators hide or show parts of revisions, and
read the log (the rules are in wiki/revision_visibility.py)."""

from django.contrib import messages
from django.shortcuts import redirect, render

from wiki import history, revision_visibility
from wiki.history_forms import VisibilityForm
from wiki.history_views import moderator_only, problem, with_page
from wiki.ids import parse_id
from wiki.pagination import paginate

LOG_PER_PAGE = 50


def _chosen_ids(request) -> list[int] | str:
    """The revision ids of ``?ids=``, or what is wrong with them."""
    raw = request.GET.getlist("ids")
    if not raw:
        return "Choose at least one revision in the history."
    if len(raw) > revision_visibility.MAX_REVISIONS:
        return f"Choose at most {revision_visibility.MAX_REVISIONS} revisions."
    try:
        return sorted({parse_id(value) for value in raw}, reverse=True)
    except ValueError:
        return "Revision ids are whole numbers."


@moderator_only(revision_visibility.HIDE_PERMISSION)
@with_page
def revision_visibility_change(request, page, page_type):
    """Hide or show the text, summary or author of revisions (?ids=) of a page."""
    ids = _chosen_ids(request)
    if isinstance(ids, str):
        return problem(
            request, status=400, title="Choose revisions", message=ids, page=page
        )
    found = history.page_entries(page, ids)
    missing = [i for i in ids if i not in found]
    if missing:
        return problem(
            request,
            status=404,
            title="No such revision",
            message=f"Revision {missing[0]} is not a revision of {page}.",
            page=page,
        )
    entries = [found[i] for i in ids]
    states = {
        part: {getattr(entry, f"{part}_hidden") for entry in entries}
        for part in VisibilityForm.PARTS
    }
    form = VisibilityForm(request.POST or None, states=states)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            log = revision_visibility.revisions_set_visibility(
                page=page,
                revision_ids=ids,
                changes=form.changes(),
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except revision_visibility.VisibilityError as error:
            form.add_error(None, str(error))
            status = 409
        else:
            count = len(log)
            messages.success(
                request,
                f"Changed the visibility of {count} revision{'s' if count > 1 else ''}"
                f" of {page}.",
            )
            return redirect(
                "wiki:page_history", section=page_type.section, slug=page.slug
            )
    context = {
        "page": page,
        "page_type": page_type,
        "entries": entries,
        "form": form,
        "current_id": page.last_revision_id if page.last_revision_id in ids else None,
        "log": revision_visibility.visibility_log().filter(revision_id__in=ids)[:50],
    }
    return render(
        request, "wiki/history/revision_visibility.html", context, status=status
    )


@moderator_only(revision_visibility.HIDE_PERMISSION)
def visibility_log(request):
    """Every hide and show of parts of revisions, newest first."""
    context = paginate(request, revision_visibility.visibility_log(), LOG_PER_PAGE)
    return render(request, "wiki/history/visibility_log.html", context)
