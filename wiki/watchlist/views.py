"""The watchlist, the watch button and the watching preferences."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe

from wiki import history, registry
from wiki.history_forms import ChangesFilterForm
from wiki.models import HEAVY_FIELDS, Page, Proposal, Watch
from wiki.moderation.permissions import can_review
from wiki.pagination import paginate
from wiki.watchlist import services
from wiki.watchlist.forms import WatchForm, WatchPreferencesForm

CHANGES_PER_PAGE = 50
WATCHED_PER_PAGE = 100
# Pending proposals listed above the changes: the newest, then a count of more.
PROPOSALS_SHOWN = 50


def _next_or(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    if (
        target.startswith("/")
        and target.isprintable()
        and url_has_allowed_host_and_scheme(
            target,
            allowed_hosts={request.get_host()},
            require_https=request.is_secure(),
        )
    ):
        return target
    return fallback


@login_required
@require_safe
def watchlist(request):
    """Published revisions of the pages the user watches, newest first, and
    the proposals waiting on them, with the filters of recent changes."""
    user = request.user
    form = ChangesFilterForm(request.GET or None)
    watched = Watch.objects.filter(user=user)
    chosen = services.watched_changes(
        user, form, by_author=bool(request.GET.get("user", "").strip())
    )
    listed = paginate(request, chosen, CHANGES_PER_PAGE, counted=False)
    ids = list(listed["object_list"])
    listed["object_list"] = sorted(
        history.page_versions().filter(pk__in=ids), key=lambda v: -v.revision_id
    )
    context = {
        "form": form,
        **listed,
        "watched_count": watched.count(),
        "preferences_form": WatchPreferencesForm(
            instance=services.preferences_for(user)
        ),
    }
    context["entries"] = history.entries(context["object_list"], with_pages=True)
    reviewer = can_review(user)
    proposals = form.filter_proposals(
        Proposal.objects.pending().filter(page__in=watched.values("page_id")),
        sees=Q() if reviewer else Q(author=user),
    )
    proposals = list(
        proposals.select_related("author", "page")
        .defer("data", "base_data", *(f"page__{name}" for name in HEAVY_FIELDS))
        .order_by("-created_at", "-pk")[: PROPOSALS_SHOWN + 1]
    )
    context["proposals"] = [
        (proposal, reviewer or proposal.author_id == user.pk)
        for proposal in proposals[:PROPOSALS_SHOWN]
    ]
    context["more_proposals"] = len(proposals) > PROPOSALS_SHOWN
    context["reviewer"] = reviewer
    return render(request, "wiki/watchlist/watchlist.html", context)


@login_required
@require_safe
def watched_pages(request):
    """The pages the user watches, newest watch first, to unwatch any."""
    watches = (
        Watch.objects.filter(user=request.user)
        .select_related("page")
        .only("created_at", "page__title", "page__slug", "page__kind")
        .order_by("-created_at", "-id")
    )
    context = paginate(request, watches, WATCHED_PER_PAGE)
    return render(request, "wiki/watchlist/watched_pages.html", context)


@login_required
@require_POST
def page_watch(request, section, slug):
    """Watch or unwatch a page (the button on it, or the list of watched pages)."""
    page_type = registry.page_type_for_section(section)
    if page_type is None:
        raise Http404("No such section.")
    page = get_object_or_404(
        Page.objects.published().of_kind(page_type.kind).only("title", "slug", "kind"),
        slug=slug,
    )
    form = WatchForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "wiki/watchlist/watch_refused.html",
            {"page": page, "form": form},
            status=400,
        )
    if form.cleaned_data["action"] == "watch":
        services.page_watch(user=request.user, page=page)
        messages.success(
            request,
            f"You are watching {page.title}: its changes show on your watchlist.",
        )
    else:
        services.page_unwatch(user=request.user, page=page)
        messages.success(request, f"You no longer watch {page.title}.")
    return redirect(_next_or(request, page.get_absolute_url()))


@login_required
@require_POST
def preferences(request):
    form = WatchPreferencesForm(
        request.POST, instance=services.preferences_for(request.user)
    )
    if not form.is_valid():  # check boxes: only a forged form gets here
        return render(
            request,
            "wiki/watchlist/watch_refused.html",
            {"form": form},
            status=400,
        )
    services.preferences_save(preferences=form.save(commit=False))
    messages.success(request, "Your watchlist preferences are saved.")
    return redirect(_next_or(request, reverse("watchlist:watchlist")))
