"""Revision deletion pages: moderators hide or show parts of revisions, and
read the log (the rules are in wiki/revision_visibility.py)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.generic import TemplateView, View

from wiki import history, revision_visibility
from wiki.history_forms import VisibilityForm
from wiki.history_views import ModeratorsOnlyMixin, page_for, problem
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


class RevisionVisibilityView(ModeratorsOnlyMixin, View):
    """Hide or show the text, summary or author of revisions (?ids=) of a page."""

    permission_required = revision_visibility.HIDE_PERMISSION

    def get(self, request, section, slug):
        page, page_type, response = page_for(request, section, slug)
        if response is not None:
            return response
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
        return self.change(page, page_type, ids, [found[i] for i in ids])

    post = get

    def change(self, page, page_type, ids: list[int], entries: list):
        states = {
            part: {getattr(entry, f"{part}_hidden") for entry in entries}
            for part in VisibilityForm.PARTS
        }
        form = VisibilityForm(self.request.POST or None, states=states)
        status = 200
        if self.request.method == "POST" and form.is_valid():
            try:
                log = revision_visibility.revisions_set_visibility(
                    page=page,
                    revision_ids=ids,
                    changes=form.changes(),
                    reason=form.cleaned_data["reason"],
                    by=self.request.user,
                )
            except revision_visibility.VisibilityError as error:
                form.add_error(None, str(error))
                status = 409
            else:
                revisions = f"{len(log)} revision{'s' if len(log) > 1 else ''}"
                messages.success(
                    self.request,
                    f"Changed the visibility of {revisions} of {page}.",
                )
                return redirect(
                    "wiki:page_history", section=page_type.section, slug=page.slug
                )
        current = page.last_revision_id
        log = revision_visibility.visibility_log().filter(revision_id__in=ids)
        context = {
            "page": page,
            "page_type": page_type,
            "entries": entries,
            "form": form,
            "current_id": current if current in ids else None,
            "log": log[:50],
        }
        return render(
            self.request,
            "wiki/history/revision_visibility.html",
            context,
            status=status,
        )


class VisibilityLogView(ModeratorsOnlyMixin, TemplateView):
    """Every hide and show of parts of revisions, newest first."""

    permission_required = revision_visibility.HIDE_PERMISSION
    template_name = "wiki/history/visibility_log.html"

    def get_context_data(self, **kwargs):
        changes = revision_visibility.visibility_log()
        return {
            **super().get_context_data(**kwargs),
            **paginate(self.request, changes, LOG_PER_PAGE),
        }
