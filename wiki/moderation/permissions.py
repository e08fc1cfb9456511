"""Who may do what in moderation: Django permissions, checked one way."""

PUBLISH = "wiki.publish_page"
REVIEW = "wiki.review_proposal"


def can_publish(user) -> bool:
    return user.is_authenticated and user.has_perm(PUBLISH)


def can_review(user) -> bool:
    return user.is_authenticated and user.has_perm(REVIEW)
