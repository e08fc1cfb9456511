"""History pages: a page's revisions, diffs, old revisions, citing, reverting,
deleting and recovering; recent changes; contributors; deleted pages."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from reversion.models import Version

from wiki import history, redirects, registry, revision_visibility
from wiki.diff import RevisionDataError
from wiki.history_forms import ChangesFilterForm, DeleteForm, SummaryForm
from wiki.ids import parse_id
from wiki.models import Proposal
from wiki.pagination import paginate

HISTORY_PER_PAGE = 50
CHANGES_PER_PAGE = 50
REVERT_PERMISSION = "wiki.revert_page"
DELETE_PERMISSION = "wiki.delete_page"


def problem(request, *, status: int, title: str, message: str, page=None):
    """A clear page for a request that cannot be answered."""
    context = {"title": title, "message": message, "page": page}
    return render(request, "wiki/history/problem.html", context, status=status)


def with_page(view):
    """Give ``view`` the page of /<section>/<slug>/..., deleted pages included.

    A renamed page's old slug answers with a 301 to the same view at the new one.
    """

    @wraps(view)
    def wrapper(request, section, slug, **kwargs):
        page_type = registry.page_type_for_section(section)
        page = page_type.model.objects.with_last_edit().filter(slug=slug).first()
        if page is None:
            moved = redirects.redirect_target(kind=page_type.kind, slug=slug)
            if moved is None:
                raise Http404(f"No {page_type.kind} at {slug}")
            match = request.resolver_match
            url = reverse(match.view_name, kwargs={**match.kwargs, "slug": moved.slug})
            query = request.META.get("QUERY_STRING")
            return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)
        if page.is_deleted and not revision_visibility.sees_deleted_history(
            request.user
        ):
            return deleted_history(request, page=page, page_type=page_type)
        return view(request, page=page, page_type=page_type, **kwargs)

    return wrapper


def moderator_only(permission: str):
    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(request, *args, **kwargs):
            if not request.user.has_perm(permission):
                return problem(
                    request,
                    status=403,
                    title="Moderators only",
                    message="Only moderators can do this.",
                )
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


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
    # What the revision does not hold (a person's works...) is shown as it is now.
    for name, cached in current._prefetched_objects_cache.items():
        old._prefetched_objects_cache.setdefault(name, cached)
    meta = type(old)._meta
    context = {
        "page": old,
        "page_type": page_type,
        "current_page": current,
        "revision_entry": entry,
        "section_url": reverse(page_type.extra.get("index", "wiki:home")),
        "navigation": registry.navigation_for(old),
        **registry.page_context(old),
    }
    return render(
        request,
        [f"{meta.app_label}/{meta.model_name}_detail.html", "wiki/page_detail.html"],
        context,
    )


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


def _confirm(request, *, page, page_type, action: str, form, context: dict, status=200):
    if form is not None and form.is_bound and form.errors:
        status = max(status, 400)
        if "seen_revision" in form.errors:
            # A form that does not say what it was shown for cannot run; offer
            # the plan as it is now, keeping what was typed.
            messages.error(request, form.errors["seen_revision"][0])
            typed = {name: form.data.get(name, "") for name in form.fields}
            typed.pop("seen_revision")
            form = type(form)(initial=typed, seen_revision_id=_seen(page))
    context = {
        "page": page,
        "page_type": page_type,
        "action": action,
        "form": form,
        **context,
    }
    return render(request, "wiki/history/confirm.html", context, status=status)


def _done(request, page, text: str):
    messages.success(request, text)
    section = registry.page_type(page.kind).section
    return redirect("wiki:page_history", section=section, slug=page.slug)


def _refused(request, *, page, page_type, action, form, error, context=None):
    return _confirm(
        request,
        page=page,
        page_type=page_type,
        action=action,
        form=form,
        context={"error": str(error), "blocked": True, **(context or {})},
        status=409,
    )


def _deleted_refusal(request, page, page_type, entry=None):
    return _refused(
        request,
        page=page,
        page_type=page_type,
        action="revert",
        form=None,
        error=f"{page} is deleted. Recover it first.",
        context={"entry": entry},
    )


def _seen(page) -> int | None:
    latest = history.latest_entry(page)
    return latest.id if latest else None


def _confirm_form(request, form_class, page):
    """The confirmation form; unbound, it names the page's latest revision."""
    return form_class(request.POST or None, seen_revision_id=_seen(page))


def _moved_on(request, page, form_class, error: history.PageMovedOn):
    """The page moved on since the confirmation was shown: say so, show what
    changed, and offer the plan as it stands now with a fresh form (409)."""
    messages.error(request, str(error))
    form = form_class(seen_revision_id=_seen(page))
    return form, {"moved_on": history.changes_since(page, error.seen_revision_id)}


@moderator_only(REVERT_PERMISSION)
@with_page
def revision_revert(request, page, page_type, revision_id):
    entry, response = _entry_or_problem(request, page, revision_id)
    if response:
        return response
    if page.is_deleted:
        return _deleted_refusal(request, page, page_type, entry)
    form = _confirm_form(request, SummaryForm, page)
    context, status = {"entry": entry}, 200
    if request.method == "POST" and form.is_valid():
        try:
            history.page_revert(
                page=page,
                revision=entry.revision,
                user=request.user,
                summary=form.cleaned_data["summary"],
                seen_revision_id=form.cleaned_data["seen_revision"],
            )
        except history.PageMovedOn as error:
            form, moved = _moved_on(request, page, SummaryForm, error)
            context, status = {**context, **moved}, 409
        except history.HistoryError as error:
            return _refused(
                request,
                page=page,
                page_type=page_type,
                action="revert",
                form=form,
                error=error,
                context=context,
            )
        else:
            return _done(request, page, f"Reverted {page} to revision {entry.id}.")
    latest = history.latest_entry(page)
    if latest.id == entry.id:
        return _refused(
            request,
            page=page,
            page_type=page_type,
            action="revert",
            form=form,
            error=f"Revision {entry.id} is already the current one.",
            context=context,
        )
    try:
        history.check_text_shown(entry.id, "restored by a revert")
    except history.HistoryError as error:
        return _refused(
            request,
            page=page,
            page_type=page_type,
            action="revert",
            form=form,
            error=error,
            context=context,
        )
    try:
        context["changes"] = history.compare(page, latest, entry)
    except RevisionDataError as error:
        return unreadable(request, page, error)
    context["latest"] = latest
    return _confirm(
        request,
        page=page,
        page_type=page_type,
        action="revert",
        form=form,
        context=context,
        status=status,
    )


@moderator_only(REVERT_PERMISSION)
@with_page
def revision_undo(request, page, page_type, revision_id):
    entry, response = _entry_or_problem(request, page, revision_id)
    if response:
        return response
    if page.is_deleted:
        return _deleted_refusal(request, page, page_type, entry)
    form = _confirm_form(request, SummaryForm, page)
    context, status = {"entry": entry}, 200
    try:
        if request.method == "POST" and form.is_valid():
            try:
                history.page_undo(
                    page=page,
                    revision=entry.revision,
                    user=request.user,
                    summary=form.cleaned_data["summary"],
                    seen_revision_id=form.cleaned_data["seen_revision"],
                )
            except history.PageMovedOn as error:
                form, moved = _moved_on(request, page, SummaryForm, error)
                context, status = {**context, **moved}, 409
            else:
                return _done(request, page, f"Undid revision {entry.id} of {page}.")
        if entry.previous_id is None:
            raise history.HistoryError(
                "The first revision of a page cannot be undone; "
                "delete the page instead."
            )
        context["changes"], _ = history.undo_plan(page, entry)
    except RevisionDataError as error:
        return unreadable(request, page, error)
    except history.HistoryError as error:
        return _refused(
            request,
            page=page,
            page_type=page_type,
            action="undo",
            form=form,
            error=error,
            context=context,
        )
    return _confirm(
        request,
        page=page,
        page_type=page_type,
        action="undo",
        form=form,
        context=context,
        status=status,
    )


@moderator_only(REVERT_PERMISSION)
@with_page
def page_rollback(request, page, page_type):
    if page.is_deleted:
        return _deleted_refusal(request, page, page_type)
    form = _confirm_form(request, SummaryForm, page)
    context, status = {}, 200
    try:
        if request.method == "POST" and form.is_valid():
            try:
                history.page_rollback(
                    page=page,
                    user=request.user,
                    summary=form.cleaned_data["summary"],
                    seen_revision_id=form.cleaned_data["seen_revision"],
                )
            except history.PageMovedOn as error:
                form, moved = _moved_on(request, page, SummaryForm, error)
                context, status = moved, 409
            else:
                return _done(request, page, f"Rolled back the latest edits of {page}.")
        context["run"], context["entry"] = history.rollback_plan(page)
    except history.HistoryError as error:
        return _refused(
            request,
            page=page,
            page_type=page_type,
            action="rollback",
            form=form,
            error=error,
            context=context,
        )
    return _confirm(
        request,
        page=page,
        page_type=page_type,
        action="rollback",
        form=form,
        context=context,
        status=status,
    )


@moderator_only(DELETE_PERMISSION)
@with_page
def page_delete(request, page, page_type):
    form = _confirm_form(request, DeleteForm, page)
    if page.is_deleted:
        return _refused(
            request,
            page=page,
            page_type=page_type,
            action="delete",
            form=form,
            error=f"{page} is already deleted.",
        )
    context, status = {}, 200
    if request.method == "POST" and form.is_valid():
        try:
            history.page_delete(
                page=page,
                user=request.user,
                reason=form.cleaned_data["reason"],
                seen_revision_id=form.cleaned_data["seen_revision"],
            )
        except history.PageMovedOn as error:
            reason = form.cleaned_data["reason"]
            form, context = _moved_on(request, page, DeleteForm, error)
            form.initial["reason"] = reason
            status = 409
        else:
            return _done(request, page, f"Deleted {page}.")
    return _confirm(
        request,
        page=page,
        page_type=page_type,
        action="delete",
        form=form,
        context=context,
        status=status,
    )


@moderator_only(DELETE_PERMISSION)
@with_page
def page_recover(request, page, page_type):
    form = _confirm_form(request, SummaryForm, page)
    if not page.is_deleted:
        return _refused(
            request,
            page=page,
            page_type=page_type,
            action="recover",
            form=form,
            error=f"{page} is not deleted.",
        )
    context, status = {}, 200
    if request.method == "POST" and form.is_valid():
        try:
            history.page_recover(
                page=page,
                user=request.user,
                summary=form.cleaned_data["summary"],
                seen_revision_id=form.cleaned_data["seen_revision"],
            )
        except history.PageMovedOn as error:
            form, context = _moved_on(request, page, SummaryForm, error)
            status = 409
        else:
            return _done(request, page, f"Recovered {page}.")
    context["deletion"] = history.deletion_entry(page)
    return _confirm(
        request,
        page=page,
        page_type=page_type,
        action="recover",
        form=form,
        context=context,
        status=status,
    )


def recent_changes(request):
    form = ChangesFilterForm(request.GET or None)
    versions = revision_visibility.listable(
        form.filter(history.change_versions()),
        request.user,
        by_author=bool(request.GET.get("user", "").strip()),
    )
    context = {
        "form": form,
        **paginate(request, versions, CHANGES_PER_PAGE),
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
    person = get_object_or_404(get_user_model(), username=username)
    versions = revision_visibility.listable(
        history.change_versions().filter(revision__user=person),
        request.user,
        by_author=True,
    )
    context = {
        "person": person,
        **paginate(request, versions, CHANGES_PER_PAGE),
        "proposals": contributor_proposals(request.user, person),
    }
    context["entries"] = history.entries(context["object_list"], with_pages=True)
    return render(request, "wiki/history/contributor.html", context)


def contributor_proposals(viewer, person):
    """``person``'s proposals, newest first, if ``viewer`` may see them (else None)."""
    if viewer != person and not viewer.has_perm("wiki.review_proposal"):
        return None
    return (
        Proposal.objects.by(person).select_related("page").order_by("-created_at")[:100]
    )


@moderator_only(DELETE_PERMISSION)
def deleted_pages(request):
    pages = history.deleted_pages().order_by("-deleted_at")
    context = paginate(request, pages, CHANGES_PER_PAGE)
    return render(request, "wiki/history/deleted_pages.html", context)
