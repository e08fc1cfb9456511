"""A proposal's own pages: what it changed and became, withdrawing it; the
contributor's lists (contributions, notifications); autocomplete for the
edit forms."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from django.views.generic import ListView

from wiki import discussion, moderation, registry, revision_visibility
from wiki.diff import diff_text
from wiki.models import Notification, Proposal
from wiki.moderation.permissions import require_involved
from wiki.pagination import PaginatedListMixin


@login_required
def proposal_detail(request, pk):
    proposal = get_object_or_404(
        Proposal.objects.select_related("page", "author", "reviewer"), pk=pk
    )
    require_involved(request.user, proposal)
    review = (
        moderation.proposal_review(proposal=proposal) if proposal.is_pending else None
    )
    if (
        review is not None
        and review.stale
        and not revision_visibility.sees_hidden(request.user)
        and revision_visibility.text_hidden(proposal.base_revision_id)
    ):
        # The diff from the revision it began on would show a text hidden
        # since; show what approving would change on the page as it is now.
        review.proposal_changes = review.changes
    return render(
        request,
        "wiki/edit/proposal_detail.html",
        {
            "proposal": proposal,
            "review": review,
            "changes": None if review else moderation.proposal_changes(proposal),
            "kept": [
                {**kept, "diff_html": diff_text(kept["kept"], kept["proposed"])}
                for kept in proposal.kept_fields
            ],
            "resubmissions": proposal.resubmissions.order_by("-created_at", "-pk")[
                :RESUBMISSIONS_SHOWN
            ],
            "is_author": request.user == proposal.author,
            "can_review": moderation.can_review(request.user),
            "can_amend": proposal.can_amend(request.user),
            "can_withdraw": proposal.can_withdraw(request.user),
            **discussion_context(request, proposal),
            "revision_meta": getattr(proposal, "revision_meta", None)
            if proposal.status == Proposal.Status.APPROVED
            else None,
        },
    )


RESUBMISSIONS_SHOWN = 10


def discussion_context(request, proposal) -> dict:
    """What the proposal's discussion shows: its comments, threaded."""
    return {
        "comments": discussion.proposal_thread(proposal),
        "token": discussion.new_token(),
        "can_moderate": discussion.can_moderate(request.user),
    }


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


class ContributionsView(LoginRequiredMixin, PaginatedListMixin, ListView):
    """The user's own proposals, newest first."""

    template_name = "wiki/edit/contributions.html"
    paginate_by = 50

    def get_queryset(self):
        return (
            Proposal.objects.by(self.request.user)
            .select_related("page", "reviewer")
            .order_by("-created_at", "-pk")
        )


contributions = ContributionsView.as_view()


class NotificationsView(LoginRequiredMixin, PaginatedListMixin, ListView):
    """What became of the user's proposals; POST marks them all read."""

    template_name = "wiki/edit/notifications.html"
    paginate_by = 50

    def get_queryset(self):
        return Notification.objects.filter(recipient=self.request.user).select_related(
            "proposal__reviewer", "proposal__author", "page", "comment__author"
        )

    def post(self, request):
        count = moderation.notifications_mark_read(user=request.user)
        messages.success(request, f"Marked {count} as read.")
        return redirect("moderation:notifications")


notifications = NotificationsView.as_view()


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
