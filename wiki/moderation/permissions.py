"""Who may do what in moderation: Django permissions, checked one way."""

from django.core.exceptions import PermissionDenied

PUBLISH = "wiki.publish_page"
REVIEW = "wiki.review_proposal"


def can_publish(user) -> bool:
    return user.is_authenticated and user.has_perm(PUBLISH)


def can_review(user) -> bool:
    return user.is_authenticated and user.has_perm(REVIEW)


def require_involved(user, proposal) -> None:
    """A proposal is shown to its author and to moderators: raise
    ``PermissionDenied`` for anyone else."""
    if user != proposal.author and not can_review(user):
        raise PermissionDenied
