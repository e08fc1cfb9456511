"""The moderators' side: the review queue, the review page, approve and reject."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST
from django.views.generic import ListView

from wiki import limits, moderation, registry
from wiki.ids import parse_id
from wiki.models import Proposal
from wiki.moderation.proposal_views import discussion_context
from wiki.pagination import PaginatedListMixin
from wiki.text import clean_block, clean_line

RESOLVE_PREFIX = "resolve-"


# Views only moderators reach: logged-in users without the permission get a 403.
reviewer_required = permission_required(
    moderation.permissions.REVIEW, raise_exception=True
)


def author_is_new(proposal: Proposal) -> bool:
    return limits.account_is_new(
        proposal.author, approved=getattr(proposal, "author_approved", None)
    )


@method_decorator(login_required, name="dispatch")
class ReviewQueueView(PermissionRequiredMixin, PaginatedListMixin, ListView):
    """Pending proposals, oldest first, filtered by kind and flag."""

    permission_required = moderation.permissions.REVIEW
    permission_denied_message = "Only moderators review proposals."
    raise_exception = True
    template_name = "wiki/review/queue.html"
    paginate_by = 50

    def get_queryset(self):
        self.kinds = {t.kind: t.plural for t in registry.kinds()}
        self.flags = moderation.flag_labels()
        self.kind = self.request.GET.get("kind", "")
        self.flag = self.request.GET.get("flag", "")
        proposals = Proposal.objects.for_queue()
        if self.kind in self.kinds:
            proposals = proposals.filter(kind=self.kind)
        else:
            self.kind = ""
        if self.flag in self.flags:
            proposals = proposals.with_flag(self.flag)
        else:
            self.flag = ""
        return proposals

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for proposal in context["page_obj"]:
            proposal.author_is_new = author_is_new(proposal)
            proposal.flag_labels = [self.flags.get(f, f) for f in proposal.flag_list]
        filters = {"kind": self.kind, "flag": self.flag}
        return {
            **context,
            "kinds": self.kinds,
            "flags": self.flags,
            **filters,
            "query_string": urlencode({k: v for k, v in filters.items() if v}),
        }


review_queue = ReviewQueueView.as_view()


def _resolutions(data) -> dict[str, str]:
    return {
        key[len(RESOLVE_PREFIX) :]: value
        for key, value in data.items()
        if key.startswith(RESOLVE_PREFIX) and value in ("current", "proposal")
    }


def _render_review(
    request, proposal, *, resolutions=None, status=200, note="", moved_on=None
):
    review = (
        moderation.proposal_review(proposal=proposal, resolutions=resolutions)
        if proposal.is_pending
        else None
    )
    if review is not None:
        proposal.author_is_new = author_is_new(proposal)
    flags = moderation.flag_labels()
    return render(
        request,
        "wiki/review/detail.html",
        {
            "proposal": proposal,
            "review": review,
            "seen": review.seen if review is not None else None,
            "flag_labels": [flags.get(f, f) for f in proposal.flag_list],
            "note": note,
            "moved_on": moved_on,
            **discussion_context(request, proposal),
        },
        status=status,
    )


def _seen(data) -> moderation.Seen | None:
    """What the decision form showed, or None if the form does not say."""
    try:
        version = parse_id(data.get("seen_version", ""))
        revision = data.get("seen_revision", "")
        return moderation.Seen(version, parse_id(revision) if revision else None)
    except ValueError:
        return None


def _moved_on(proposal, error) -> dict:
    """What changed since the decision form was shown, for the 409 page."""
    if isinstance(error, moderation.ProposalChanged):
        return {
            "what": "proposal",
            "seen": error.seen_version,
            "changes": moderation.changes_since_version(proposal, error.seen_version),
        }
    return {
        "what": "page",
        "seen": error.seen_revision_id,
        "changes": moderation.changes_since_seen(proposal, error.seen_revision_id),
    }


def _decide(request, proposal, decide, *, resolutions=None, note="", error_status=409):
    """Run ``decide(seen)``; map what can go wrong to the review page again."""
    seen = _seen(request.POST)
    if seen is None:
        messages.error(
            request,
            "This form does not say which version of the proposal you reviewed; "
            "nothing was done. Review the proposal below and decide again.",
        )
        return _render_review(request, proposal, status=400, note=note)
    try:
        decide(seen)
    except (moderation.ProposalChanged, moderation.PageChanged) as error:
        proposal.refresh_from_db()
        messages.error(request, f"Nothing was done. {error}")
        return _render_review(
            request,
            proposal,
            resolutions=resolutions,
            status=409,
            note=note,
            moved_on=_moved_on(proposal, error),
        )
    except moderation.EditConflict:
        messages.error(
            request,
            "Choose, for each field changed both on the page and in the proposal, "
            "which version to keep (or amend the proposal).",
        )
        return _render_review(
            request, proposal, resolutions=resolutions, status=409, note=note
        )
    except moderation.EditInvalid as error:
        messages.error(request, f"{error} Amend the proposal to fix it, or reject it.")
        return _render_review(
            request, proposal, resolutions=resolutions, status=409, note=note
        )
    except moderation.ModerationError as error:
        messages.error(request, str(error))
        proposal.refresh_from_db()
        return _render_review(
            request, proposal, resolutions=resolutions, status=error_status, note=note
        )
    return None


def _proposal(pk) -> Proposal:
    return get_object_or_404(
        Proposal.objects.select_related("page", "author", "reviewer", "base_revision"),
        pk=pk,
    )


@login_required
@reviewer_required
def review_detail(request, pk):
    proposal = _proposal(pk)
    return _render_review(request, proposal, resolutions=_resolutions(request.GET))


@login_required
@require_POST
@reviewer_required
def review_approve(request, pk):
    proposal = _proposal(pk)
    resolutions = _resolutions(request.POST)
    note = clean_line(request.POST.get("note", ""))
    refused = _decide(
        request,
        proposal,
        lambda seen: moderation.proposal_approve(
            proposal=proposal,
            by=request.user,
            seen=seen,
            note=note,
            resolutions=resolutions,
        ),
        resolutions=resolutions,
        note=note,
    )
    if refused:
        return refused
    proposal.refresh_from_db()
    messages.success(request, f"Approved and published: {proposal.title}.")
    return redirect("moderation:review_queue")


@login_required
@require_POST
@reviewer_required
def review_reject(request, pk):
    proposal = _proposal(pk)
    reason = clean_block(request.POST.get("reason", ""))
    refused = _decide(
        request,
        proposal,
        lambda seen: moderation.proposal_reject(
            proposal=proposal, by=request.user, reason=reason, seen=seen
        ),
        error_status=400,
    )
    if refused:
        return refused
    messages.success(request, f"Rejected: {proposal.title}. The author is told why.")
    return redirect("moderation:review_queue")


@login_required
@reviewer_required
def review_state(request, pk):
    """The proposal's version and its page's latest revision, as JSON: the
    review page asks, to say when what it shows has gone stale."""
    proposal = _proposal(pk)
    seen = moderation.seen_now(proposal)
    return JsonResponse(
        {
            "status": proposal.status,
            "version": seen.version,
            "revision": seen.revision_id,
        }
    )


@login_required
@reviewer_required
@require_POST
def proposal_limits(request, username):
    """A moderator lifts (or restores) a contributor's proposal limits."""
    contributor = get_object_or_404(get_user_model(), username=username)
    lifted = request.POST.get("lifted") == "1"
    limits.proposal_limits_set(user=contributor, lifted=lifted, by=request.user)
    messages.success(
        request,
        f"{contributor.get_username()} may now file proposals without limits."
        if lifted
        else f"{contributor.get_username()}'s proposals are limited again.",
    )
    return redirect("wiki:contributor", username=contributor.get_username())
