"""Discussion: comments on a proposal (its author and moderators) and a talk
page for each page (anyone signed in), in the same sanitised Markdown as pages.

Replies nest one level: a reply to a reply joins its thread.  Every post, edit
and hiding is kept in ``CommentEvent``, the talk page's history; an edit keeps
the text it replaced.  A ``@username`` in a comment on a proposal notifies that
user, if they may see the proposal.
"""

import re
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from wiki import cache, limits, markdown
from wiki.models import Comment, CommentEvent, Notification, Page, Proposal
from wiki.moderation.permissions import can_review
from wiki.text import clean_block, clean_line

# Bounds on what one thread shows (each is one indexed query on its page).
MAX_PROPOSAL_COMMENTS = 200
MAX_REPLIES = 100
MAX_MENTIONS = 20
TOPICS_PER_PAGE = 20
# "@name" where a name starts: not inside a word, an address or "[@key]".
MENTION = re.compile(r"(?<![\w@.\[/-])@([\w.+-]{1,150})")


class CommentRefused(Exception):
    """A comment that cannot be posted or changed; the message says why and
    ``status`` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


def new_token() -> str:
    """A one-time token for a comment form: posting it twice is refused."""
    return secrets.token_urlsafe(24)


def can_comment_on(user, proposal: Proposal) -> bool:
    """A proposal's author and moderators discuss it; nobody else sees it."""
    return user.is_authenticated and (user == proposal.author or can_review(user))


def can_moderate(user) -> bool:
    """Whether ``user`` may hide comments and read hidden ones."""
    return can_review(user)


def text_problems(text: str) -> list[str]:
    """What is wrong with a comment's text, for its author; no query."""
    if not text.strip():
        return ["Write something first: the comment is empty."]
    most = settings.LINEAGE_MAX_COMMENT_CHARS
    if len(text) > most:
        return [
            f"This comment is too long: keep it to {most:,} characters or fewer "
            f"(it has {len(text):,})."
        ]
    return markdown.limit_problems(text)


def render(text: str) -> str:
    """A comment's HTML: the one renderer, nothing recorded (no link graph, no
    red-link tallies: a comment is not a page)."""
    return markdown.render(text).html


def comment_preview(text: str) -> str:
    """The HTML ``text`` would be posted as, for its author to check before
    posting; CommentRefused (with why) if it could not be posted.  Nothing is
    saved and nobody is notified."""
    text = clean_block(text)
    if problems := text_problems(text):
        raise CommentRefused(" ".join(problems))
    return render(text)


def mentioned(text: str) -> list[str]:
    """The usernames ``@mentioned`` in ``text``, in order, at most
    ``MAX_MENTIONS``; time linear in the text."""
    names: list[str] = []
    for match in MENTION.finditer(text):
        name = match.group(1).rstrip(".-")
        if name and name not in names:
            names.append(name)
            if len(names) == MAX_MENTIONS:
                break
    return names


def _notify_mentions(comment: Comment) -> list[Notification]:
    """Tell the users ``@mentioned`` in ``comment`` who may read it: anyone
    active on a talk page, the author and moderators on a proposal."""
    names = mentioned(comment.text)
    if not names:
        return []
    proposal = comment.proposal
    users = get_user_model().objects.filter(username__in=names, is_active=True)
    return [
        Notification.objects.create(
            recipient=user,
            proposal=proposal,
            page=comment.page,
            comment=comment,
            verb=Notification.Verb.MENTIONED,
        )
        for user in users
        if user != comment.author
        and (proposal is None or can_comment_on(user, proposal))
    ]


def _thread_of(parent: Comment | None) -> Comment | None:
    """The comment a reply hangs from: replies nest one level."""
    if parent is None or parent.parent_id is None:
        return parent
    return parent.parent


def comment_post(
    *,
    author,
    text: str,
    proposal: Proposal | None = None,
    page: Page | None = None,
    parent: Comment | None = None,
    subject: str = "",
    token: str = "",
) -> Comment:
    """Post a comment on ``proposal`` or on ``page``'s talk page (a topic
    with a ``subject``, or a reply to ``parent``); raise CommentRefused."""
    if (proposal is None) == (page is None):
        raise ValueError("A comment is on a proposal or on a page.")
    text, subject = clean_block(text), clean_line(subject)
    if proposal is not None and not can_comment_on(author, proposal):
        raise CommentRefused(
            "Only the proposal's author and moderators discuss it.", status=403
        )
    if problems := text_problems(text):
        raise CommentRefused(" ".join(problems))
    subject = subject[:200]
    parent = _thread_of(parent)
    if parent is not None and (
        parent.proposal_id != (proposal.pk if proposal else None)
        or parent.page_id != (page.pk if page else None)
    ):
        raise CommentRefused(
            "The comment you reply to is not in this discussion; nothing was posted."
        )
    if page is not None and parent is None and not subject:
        raise CommentRefused("Give the new topic a subject.")
    if parent is not None:
        subject = ""
    if refusal := limits.comment_refusal(author):
        raise CommentRefused(refusal, status=429)
    if token and Comment.objects.filter(token=token).exists():
        raise CommentRefused(
            "This form was posted already (sent twice?): your comment is above. "
            "Nothing more was posted.",
            status=409,
        )
    if proposal is not None:
        full = proposal.comments.all()[:MAX_PROPOSAL_COMMENTS].count()
        if full >= MAX_PROPOSAL_COMMENTS:
            raise CommentRefused(
                f"This proposal has {MAX_PROPOSAL_COMMENTS} comments, the most it "
                "may have. Nothing was posted.",
                status=409,
            )
    if parent is not None:
        full = parent.replies.all()[:MAX_REPLIES].count()
        if full >= MAX_REPLIES:
            raise CommentRefused(
                f"This thread has {MAX_REPLIES} replies, the most one may have: "
                "start a new topic. Nothing was posted.",
                status=409,
            )
    try:
        with transaction.atomic():
            comment = Comment.objects.create(
                proposal=proposal,
                page=page,
                parent=parent,
                author=author,
                subject=subject,
                text=text,
                html=render(text),
                token=token or None,
            )
            CommentEvent.objects.create(
                comment=comment,
                page=page,
                user=author,
                action=CommentEvent.Action.POSTED,
            )
            _notify_mentions(comment)
            _shown_changed(comment)
    except IntegrityError as error:  # the same form, posted twice at once
        raise CommentRefused(
            "This form was posted already (sent twice?). Nothing more was posted.",
            status=409,
        ) from error
    return comment


def _shown_changed(comment: Comment) -> None:
    """A talk page's comments are public: anonymous readers' cached copies of
    it go stale once this commits (wiki.cache).  A proposal's are not cached."""
    if comment.page_id is not None:
        cache.bump()


@transaction.atomic
def comment_edit(*, comment: Comment, by, text: str) -> Comment:
    """Change a comment's text (its author only); the old text is logged."""
    if by != comment.author:
        raise CommentRefused("Only its author may edit a comment.", status=403)
    if comment.is_hidden:
        raise CommentRefused("A moderator hid this comment; it cannot be edited.", 409)
    text = clean_block(text)
    if problems := text_problems(text):
        raise CommentRefused(" ".join(problems))
    if text == comment.text:
        raise CommentRefused("The text is unchanged; nothing was saved.")
    CommentEvent.objects.create(
        comment=comment,
        page=comment.page,
        user=by,
        action=CommentEvent.Action.EDITED,
        old_text=comment.text,
    )
    comment.text = text
    comment.html = render(text)
    comment.edited_at = timezone.now()
    comment.save(update_fields=["text", "html", "edited_at"])
    _shown_changed(comment)
    return comment


@transaction.atomic
def comment_hide(*, comment: Comment, by, reason: str) -> Comment:
    """Hide a comment's text from all but moderators, with a logged reason."""
    if not can_moderate(by):
        raise CommentRefused("Only moderators hide comments.", status=403)
    reason = clean_line(reason)[:500]
    if not reason:
        raise CommentRefused("Give a reason: readers see it instead of the text.")
    if comment.is_hidden:
        raise CommentRefused("This comment is hidden already.", status=409)
    comment.hidden_reason = reason
    comment.hidden_by = by
    comment.save(update_fields=["hidden_reason", "hidden_by"])
    CommentEvent.objects.create(
        comment=comment,
        page=comment.page,
        user=by,
        action=CommentEvent.Action.HIDDEN,
        reason=reason,
    )
    _shown_changed(comment)
    return comment


@transaction.atomic
def comment_show(*, comment: Comment, by) -> Comment:
    """Show a hidden comment again (a moderator), logged."""
    if not can_moderate(by):
        raise CommentRefused("Only moderators show hidden comments.", status=403)
    if not comment.is_hidden:
        raise CommentRefused("This comment is not hidden.", status=409)
    CommentEvent.objects.create(
        comment=comment,
        page=comment.page,
        user=by,
        action=CommentEvent.Action.SHOWN,
        reason=comment.hidden_reason,
    )
    comment.hidden_reason = ""
    comment.hidden_by = None
    comment.save(update_fields=["hidden_reason", "hidden_by"])
    _shown_changed(comment)
    return comment


def proposal_thread(proposal: Proposal) -> list[Comment]:
    """A proposal's comments as threads: each top comment with ``thread`` (its
    replies).  One query, at most ``MAX_PROPOSAL_COMMENTS`` rows."""
    comments = list(
        proposal.comments.select_related("author", "hidden_by").order_by(
            "created_at", "id"
        )[:MAX_PROPOSAL_COMMENTS]
    )
    return _threads(comments, [c for c in comments if c.parent_id is None])


def _threads(comments: list[Comment], tops: list[Comment]) -> list[Comment]:
    by_parent: dict[int, list[Comment]] = {}
    for comment in comments:
        if comment.parent_id is not None:
            by_parent.setdefault(comment.parent_id, []).append(comment)
    for top in tops:
        top.thread = by_parent.get(top.pk, [])
    return tops


def talk_topics(page: Page):
    """A page's talk topics, newest first (paginate them)."""
    return (
        Comment.objects.filter(page=page, parent__isnull=True)
        .select_related("author", "hidden_by")
        .order_by("-created_at", "-id")
    )


def with_replies(topics: list[Comment]) -> list[Comment]:
    """``topics`` with their replies (``thread``): one query, at most
    ``MAX_REPLIES`` rows a topic."""
    replies = list(
        Comment.objects.filter(parent__in=[t.pk for t in topics])
        .select_related("author", "hidden_by")
        .order_by("created_at", "id")[: MAX_REPLIES * max(len(topics), 1)]
    )
    return _threads(replies, topics)


def talk_history(page: Page):
    """The talk page's history, newest first (paginate it)."""
    return (
        CommentEvent.objects.filter(page=page)
        .select_related("user", "comment", "comment__author")
        .order_by("-created_at", "-id")
    )
