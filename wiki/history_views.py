"""History pages: a page's revisions, diffs, old revisions, citing, reverting,
deleting and recovering; recent changes; contributors; deleted pages."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.generic import TemplateView, View
from reversion.models import Version

from wiki import (
    attribution,
    cache,
    history,
    limits,
    redirects,
    registry,
    revision_visibility,
)
from wiki.diff import RevisionDataError
from wiki.history_forms import ChangesFilterForm, DeleteForm, SummaryForm
from wiki.ids import parse_id
from wiki.models import Proposal
from wiki.pagination import paginate
from wiki.sections import blocks
from wiki.watchlist import services as watching
from wiki.watchlist.forms import WatchPreferencesForm

HISTORY_PER_PAGE = 50
CHANGES_PER_PAGE = 50
REVERT_PERMISSION = "wiki.revert_page"
DELETE_PERMISSION = "wiki.delete_page"
REVIEW_PERMISSION = "wiki.review_proposal"


def problem(request, *, status: int, title: str, message: str, page=None):
    """A clear page for a request that cannot be answered."""
    context = {"title": title, "message": message, "page": page}
    return render(request, "wiki/history/problem.html", context, status=status)


def page_for(request, section: str, slug: str):
    """The page of /<section>/<slug>/..., deleted pages included, and its type;
    or instead the answer to give: a 301 from a renamed page's old slug to the
    same address at the new one, a 410 notice for a deleted page to those who
    may not read its history.  Raise Http404 when there is no such page.
    """
    page_type = registry.page_type_for_section(section)
    page = page_type.model.objects.with_last_edit().filter(slug=slug).first()
    if page is None:
        moved = redirects.redirect_target(kind=page_type.kind, slug=slug)
        if moved is None:
            raise Http404(f"No {page_type.kind} at {slug}")
        match = request.resolver_match
        url = reverse(match.view_name, kwargs={**match.kwargs, "slug": moved.slug})
        if query := request.META.get("QUERY_STRING"):
            url = f"{url}?{query}"
        return None, None, HttpResponsePermanentRedirect(url)
    if page.is_deleted and not revision_visibility.sees_deleted_history(request.user):
        return None, None, deleted_history(request, page=page, page_type=page_type)
    return page, page_type, None


def with_page(view):
    """Give ``view`` the page of /<section>/<slug>/... (see ``page_for``)."""

    @wraps(view)
    def wrapper(request, section, slug, **kwargs):
        page, page_type, response = page_for(request, section, slug)
        if response is not None:
            return response
        return view(request, page=page, page_type=page_type, **kwargs)

    return wrapper


class ModeratorsOnlyMixin(PermissionRequiredMixin):
    """Send anonymous users to log in; refuse (403) users without
    ``permission_required``."""

    permission_denied_message = "Only moderators can do this."


def deleted_history(request, *, page, page_type):
    """The history of a deleted page, to those who may not read it: a 410 notice."""
    context = {
        "page": page,
        "page_type": page_type,
        "deletion": history.deletion_entry(page),
        "history_withheld": True,
    }
    return render(request, "wiki/history/page_gone.html", context, status=410)


def page_missing(request, *, page_type, slug: str):
    """For the page view's miss: 410 for a deleted page, 301 for a renamed one.

    None when there is neither, so the caller answers 404.
    """
    page = page_type.model.objects.filter(slug=slug, is_deleted=True).first()
    if page is not None:
        context = {
            "page": page,
            "page_type": page_type,
            "deletion": history.deletion_entry(page),
        }
        return render(request, "wiki/history/page_gone.html", context, status=410)
    moved = redirects.redirect_target(kind=page_type.kind, slug=slug)
    if moved is not None:
        return HttpResponsePermanentRedirect(moved.get_absolute_url())
    return None


@with_page
def page_history(request, page, page_type):
    context = {
        "page": page,
        "page_type": page_type,
        **paginate(request, history.page_history(page), HISTORY_PER_PAGE),
    }
    context["entries"] = history.entries(context["object_list"])
    return render(request, "wiki/history/page_history.html", context)


def _revision_ids(request) -> tuple[int, int] | str:
    """The ``from`` and ``to`` revision ids, or what is wrong with them."""
    try:
        ids = parse_id(request.GET["from"]), parse_id(request.GET["to"])
    except KeyError:
        return "Choose two revisions to compare."
    except ValueError:
        return "Revision ids are whole numbers."
    if ids[0] == ids[1]:
        return "Choose two different revisions to compare."
    return ids


@with_page
def page_diff(request, page, page_type):
    ids = _revision_ids(request)
    if isinstance(ids, str):
        return problem(
            request, status=400, title="Cannot compare", message=ids, page=page
        )
    found = history.page_entries(page, list(ids))
    missing = [i for i in ids if i not in found]
    if missing:
        return problem(
            request,
            status=404,
            title="No such revision",
            message=f"Revision {missing[0]} is not a revision of {page}.",
            page=page,
        )
    old, new = (found[i] for i in sorted(ids))
    context = {"page": page, "page_type": page_type, "old": old, "new": new}
    withheld = [e.id for e in (old, new) if e.text_hidden]
    if withheld and not revision_visibility.sees_hidden(request.user):
        # Its metadata stays (as the viewer may see it), its text does not.
        context["withheld"] = withheld
        return render(request, "wiki/history/page_diff.html", context, status=403)
    try:
        context["changes"] = history.compare(page, old, new)
    except RevisionDataError as error:
        return unreadable(request, page, error)
    return render(request, "wiki/history/page_diff.html", context)


def unreadable(request, page, error):
    return problem(
        request,
        status=410,
        title="Revision unreadable",
        message=str(error),
        page=page,
    )


def _entry_or_problem(request, page, revision_id):
    try:
        return history.page_entry(page, revision_id), None
    except Version.DoesNotExist:
        return None, problem(
            request,
            status=404,
            title="No such revision",
            message=f"Revision {revision_id} is not a revision of {page}.",
            page=page,
        )


@with_page
def revision_detail(request, page, page_type, revision_id):
    """The page exactly as revision ``revision_id`` recorded it."""
    entry, response = _entry_or_problem(request, page, revision_id)
    if response:
        return response
    if entry.text_hidden and not revision_visibility.sees_hidden(request.user):
        context = {"page": page, "page_type": page_type, "entry": entry}
        return render(request, "wiki/history/revision_hidden.html", context, status=403)
    current = page_type.model.objects.for_page_view().get(pk=page.pk)
    try:
        old = history.page_at_revision(current, revision_id)
    except RevisionDataError as error:
        return unreadable(request, page, error)
    # What the revision does not hold (rows of other pages that point to this
    # one) is shown as it is now.
    for name, cached in current._prefetched_objects_cache.items():
        old._prefetched_objects_cache.setdefault(name, cached)
    context = {
        "page": old,
        "page_type": page_type,
        "current_page": current,
        "revision_entry": entry,
        "section_url": page_type.index_url,
        "navigation": registry.navigation_for(old),
        **registry.page_context(old),
    }
    return render(request, page_type.templates, context)


@with_page
def page_cite(request, page, page_type):
    """A ready citation of a revision (the latest unless ``?revision=`` names one)."""
    revision_id = request.GET.get("revision")
    if revision_id:
        try:
            revision_id = parse_id(revision_id)
        except ValueError:
            return problem(
                request,
                status=400,
                title="Cannot cite",
                message="Revision ids are whole numbers.",
                page=page,
            )
        entry, response = _entry_or_problem(request, page, revision_id)
        if response:
            return response
    else:
        entry = history.latest_entry(page)
        if entry is None:
            raise Http404("This page has no revisions yet.")
    permanent = request.build_absolute_uri(
        reverse(
            "wiki:revision_detail",
            kwargs={
                "section": page_type.section,
                "slug": page.slug,
                "revision_id": entry.id,
            },
        )
    )
    context = {
        "page": page,
        "page_type": page_type,
        "entry": entry,
        "permanent_url": permanent,
    }
    return render(request, "wiki/history/page_cite.html", context)


@with_page
def page_attribution(request, page, page_type):
    """The page's text with, beside each paragraph, the revision that brought
    it: its author, approver, date and diff (wiki/attribution.py).

    A long text is shown ``attribution.PER_PAGE`` paragraphs at a time.  The
    attributed text is a cached fragment, as a page's article is: the same for
    every reader who may (or may not) see hidden names.
    """
    texts = blocks(page.body)
    context = {
        "page": page,
        "page_type": page_type,
        **paginate(request, range(len(texts)), attribution.PER_PAGE),
    }
    window = context["object_list"]
    context["fragments"] = fragments = cache.Fragments(
        request,
        "attribution",
        page_type.kind,
        page.slug,
        context["page_obj"].number,
        get_language(),
        revision_visibility.sees_hidden(request.user),
        names=("attribution",),
    )
    if not fragments.complete:
        context["paragraphs"] = attribution.attributed(
            page, texts, window.start, window.stop
        )
    return render(request, "wiki/history/page_attribution.html", context)


def _seen(page) -> int | None:
    latest = history.latest_entry(page)
    return latest.id if latest else None


class HistoryActionView(ModeratorsOnlyMixin, View):
    """A moderator's action on a page's history, confirmed in two steps.

    GET shows what the action would change (``plan``).  POST runs it
    (``run``, a service of wiki/history.py) when the confirmation names the
    revision the page is still at, and redirects to the history with
    ``success_message``; a page that moved on meanwhile gets the plan as it is
    now (409), an action the page's state forbids (``refusal``) or that its
    service refuses gets the reason (409).  Each action declares these.
    """

    action: str  # what confirm.html words it as
    form_class = SummaryForm
    success_message: str  # formatted with ``page`` and ``entry``
    template_name = "wiki/history/confirm.html"

    def get(self, request, section, slug, revision_id=None):
        self.page, self.page_type, response = page_for(request, section, slug)
        self.context = {}
        if response is None and revision_id is not None:
            self.context["entry"], response = _entry_or_problem(
                request, self.page, revision_id
            )
        return response or self.respond()

    post = get

    def respond(self):
        form = self.form_class(
            self.request.POST or None, seen_revision_id=_seen(self.page)
        )
        refusal = self.refusal()
        if refusal:
            return self.refused(form, refusal)
        try:
            if self.request.method == "POST" and form.is_valid():
                return self.submit(form)
            self.plan()
        except RevisionDataError as error:
            return unreadable(self.request, self.page, error)
        except history.HistoryError as error:
            return self.refused(form, error)
        return self.confirmation(form, status=200)

    def submit(self, form):
        try:
            self.run(form.cleaned_data)
        except history.PageMovedOn as error:
            form = self.moved_on(form, error)
            self.plan()
            return self.confirmation(form, status=409)
        entry = self.context.get("entry")
        messages.success(
            self.request, self.success_message.format(page=self.page, entry=entry)
        )
        return redirect(
            "wiki:page_history", section=self.page_type.section, slug=self.page.slug
        )

    def refusal(self) -> str | None:
        """Why the page's state rules the action out, if it does."""
        return None

    def run(self, data: dict) -> None:
        """Do the action through its service."""
        raise NotImplementedError

    def plan(self) -> None:
        """Put what the action would change in ``self.context``; raise
        HistoryError if it cannot be done."""

    def moved_on(self, form, error: history.PageMovedOn):
        """Say that the page moved on, show what changed, and give a fresh
        form for the plan as it stands now, keeping what was typed."""
        messages.error(self.request, str(error))
        self.context["moved_on"] = history.changes_since(
            self.page, error.seen_revision_id
        )
        typed = {k: v for k, v in form.cleaned_data.items() if k != "seen_revision"}
        return self.form_class(initial=typed, seen_revision_id=_seen(self.page))

    def refused(self, form, error):
        self.context.update(error=str(error), blocked=True)
        return self.confirmation(form, status=409)

    def confirmation(self, form, *, status: int):
        if form.is_bound and form.errors:
            status = max(status, 400)
            if "seen_revision" in form.errors:
                # A form that does not say what it was shown for cannot run;
                # offer the plan as it is now, keeping what was typed.
                messages.error(self.request, form.errors["seen_revision"][0])
                typed = {name: form.data.get(name, "") for name in form.fields}
                typed.pop("seen_revision")
                form = self.form_class(initial=typed, seen_revision_id=_seen(self.page))
        context = {
            "page": self.page,
            "page_type": self.page_type,
            "action": self.action,
            "form": form,
            **self.context,
        }
        return render(self.request, self.template_name, context, status=status)


class _LivePageAction(HistoryActionView):
    """An action that publishes a revision of a page that is not deleted."""

    permission_required = REVERT_PERMISSION

    def refusal(self):
        return (
            f"{self.page} is deleted. Recover it first."
            if self.page.is_deleted
            else None
        )


class _RevisionAction(_LivePageAction):
    """Revert to, or undo, the revision the address names, through ``service``."""

    service = None  # history.page_revert or history.page_undo

    def run(self, data):
        self.service(
            page=self.page,
            revision=self.context["entry"].revision,
            user=self.request.user,
            summary=data["summary"],
            seen_revision_id=data["seen_revision"],
        )


class RevisionRevertView(_RevisionAction):
    action = "revert"
    service = staticmethod(history.page_revert)
    success_message = "Reverted {page} to revision {entry.id}."

    def plan(self):
        entry, latest = self.context["entry"], history.latest_entry(self.page)
        if latest.id == entry.id:
            raise history.HistoryError(
                f"Revision {entry.id} is already the current one."
            )
        history.check_text_shown(entry.id, "restored by a revert")
        self.context["changes"] = history.compare(self.page, latest, entry)
        self.context["latest"] = latest


class RevisionUndoView(_RevisionAction):
    action = "undo"
    service = staticmethod(history.page_undo)
    success_message = "Undid revision {entry.id} of {page}."

    def plan(self):
        entry = self.context["entry"]
        history.check_undoable(entry)
        self.context["changes"], _ = history.undo_plan(self.page, entry)


class PageRollbackView(_LivePageAction):
    action = "rollback"
    success_message = "Rolled back the latest edits of {page}."

    def run(self, data):
        history.page_rollback(
            page=self.page,
            user=self.request.user,
            summary=data["summary"],
            seen_revision_id=data["seen_revision"],
        )

    def plan(self):
        self.context["run"], self.context["entry"] = history.rollback_plan(self.page)


class PageDeleteView(HistoryActionView):
    action = "delete"
    permission_required = DELETE_PERMISSION
    form_class = DeleteForm
    success_message = "Deleted {page}."

    def refusal(self):
        return f"{self.page} is already deleted." if self.page.is_deleted else None

    def run(self, data):
        history.page_delete(
            page=self.page,
            user=self.request.user,
            reason=data["reason"],
            seen_revision_id=data["seen_revision"],
        )


class PageRecoverView(HistoryActionView):
    action = "recover"
    permission_required = DELETE_PERMISSION
    success_message = "Recovered {page}."

    def refusal(self):
        return None if self.page.is_deleted else f"{self.page} is not deleted."

    def run(self, data):
        history.page_recover(
            page=self.page,
            user=self.request.user,
            summary=data["summary"],
            seen_revision_id=data["seen_revision"],
        )

    def plan(self):
        self.context["deletion"] = history.deletion_entry(self.page)


def recent_changes(request):
    form = ChangesFilterForm(request.GET or None)
    versions = revision_visibility.listable(
        form.filter(history.change_versions(), viewer=request.user),
        request.user,
        by_author=bool(request.GET.get("user", "").strip()),
    )
    context = {
        "form": form,
        # Every change ever made: pages without counting them all.
        **paginate(request, versions, CHANGES_PER_PAGE, counted=False),
        "feed_query": form_query(request),
    }
    context["entries"] = history.entries(context["object_list"], with_pages=True)
    return render(request, "wiki/history/recent_changes.html", context)


def form_query(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def contributor(request, username):
    """A contributor's published revisions and, to them and moderators, proposals."""
    contributor = get_object_or_404(get_user_model(), username=username)
    versions = revision_visibility.listable(
        history.change_versions().filter(revision__user=contributor),
        request.user,
        by_author=True,
    )
    context = {
        "contributor": contributor,
        **paginate(request, versions, CHANGES_PER_PAGE),
        "proposals": contributor_proposals(request.user, contributor),
    }
    if request.user == contributor:
        context["preferences_form"] = WatchPreferencesForm(
            instance=watching.preferences_for(contributor)
        )
    if context["proposals"] is not None:
        context["limits"] = limits.proposal_limits(contributor)
        context["limits_lifted"] = limits.limits_lifted(contributor)
    context["entries"] = history.entries(context["object_list"], with_pages=True)
    return render(request, "wiki/history/contributor.html", context)


def contributor_proposals(viewer, contributor):
    """``contributor``'s proposals, newest first, if ``viewer`` may see them
    (else None)."""
    if viewer != contributor and not viewer.has_perm(REVIEW_PERMISSION):
        return None
    return (
        Proposal.objects.by(contributor)
        .select_related("page")
        .order_by("-created_at")[:100]
    )


class DeletedPagesView(ModeratorsOnlyMixin, TemplateView):
    permission_required = DELETE_PERMISSION
    template_name = "wiki/history/deleted_pages.html"

    def get_context_data(self, **kwargs):
        pages = history.deleted_pages().order_by("-deleted_at")
        return {
            **super().get_context_data(**kwargs),
            **paginate(self.request, pages, CHANGES_PER_PAGE),
        }
