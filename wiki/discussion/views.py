"""Discussion pages: comments on a proposal, a page's talk page and its
history, editing and hiding a comment."""

import contextlib
import functools
import html

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.views.decorators.http import require_POST

from wiki import discussion, registry
from wiki.ids import parse_id
from wiki.models import Comment, Proposal
from wiki.pagination import paginate

HISTORY_PER_PAGE = 50


def _parent(data) -> Comment | None:
    """The comment replied to, or None; CommentRefused if it is not one."""
    raw = data.get("parent", "")
    if not raw:
        return None
    try:
        return Comment.objects.select_related("parent").get(pk=parse_id(raw))
    except (ValueError, Comment.DoesNotExist) as error:
        raise discussion.CommentRefused(
            "The comment you reply to is gone or not in this discussion; "
            "nothing was posted."
        ) from error


def _compose(request, *, on, back: str, data, heading: str, error=None, topic=False):
    """The comment form again with what was typed: with why it was refused
    (``error``), or else with a preview of it (the Preview button).  A reply
    quotes the comment it answers if that is in this discussion (``on``, a
    proposal or a page) and shown."""
    preview, status, replying_to = None, 200, None
    with contextlib.suppress(discussion.CommentRefused):
        parent = _parent(data)
        if (
            parent is not None
            and not parent.is_hidden
            and on.pk in (parent.proposal_id, parent.page_id)
            and isinstance(on, Proposal) == (parent.proposal_id is not None)
        ):
            replying_to = parent
    previewing = error is None
    if error is None:
        try:
            preview = discussion.comment_preview(data.get("text", ""))
        except discussion.CommentRefused as refused:
            error = refused
    if error is not None:
        status = error.status
    return render(
        request,
        "wiki/discussion/compose.html",
        {
            "error": str(error) if error is not None else "",
            "preview": preview,
            "back": back,
            "action": request.path,
            "text": data.get("text", ""),
            "subject": data.get("subject", ""),
            "parent": data.get("parent", ""),
            "replying_to": replying_to,
            "quoted": _excerpt(replying_to) if replying_to else "",
            "thread": replying_to.parent or replying_to if replying_to else None,
            "previewing": previewing,
            "mentions": "proposal" if isinstance(on, Proposal) else "page",
            # A previewed form keeps its token (it is not used yet), so a
            # post from the preview and one from the first form are one post.
            "token": (preview and data.get("token")) or discussion.new_token(),
            "heading": heading,
            "topic": topic and not data.get("parent"),
        },
        status=status,
    )


def _excerpt(comment: Comment, most: int = 120) -> str:
    """The start of ``comment`` as a reader sees it: its rendered text, not
    its Markdown."""
    return Truncator(html.unescape(strip_tags(comment.html))).chars(most)


@login_required
@require_POST
def proposal_comment(request, pk):
    proposal = get_object_or_404(Proposal.objects.select_related("author"), pk=pk)
    if not discussion.can_comment_on(request.user, proposal):
        raise PermissionDenied
    compose = functools.partial(
        _compose,
        request,
        on=proposal,
        back=proposal.get_absolute_url(),
        data=request.POST,
        heading=f"Comment on the proposal “{proposal.title}”",
    )
    if "preview" in request.POST:
        return compose()
    try:
        comment = discussion.comment_post(
            author=request.user,
            text=request.POST.get("text", ""),
            proposal=proposal,
            parent=_parent(request.POST),
            token=request.POST.get("token", ""),
        )
    except discussion.CommentRefused as error:
        return compose(error=error)
    messages.success(request, "Your comment is posted.")
    return redirect(comment)


def _talk_page(section, slug):
    page_type = registry.page_type_for_section(section)
    return get_object_or_404(page_type.model.objects.published(), slug=slug)


def talk(request, section, slug):
    page = _talk_page(section, slug)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        compose = functools.partial(
            _compose,
            request,
            on=page,
            back=request.path,
            data=request.POST,
            heading=f"Talk: {page.title}",
            topic=True,
        )
        if "preview" in request.POST:
            return compose()
        try:
            comment = discussion.comment_post(
                author=request.user,
                text=request.POST.get("text", ""),
                page=page,
                parent=_parent(request.POST),
                subject=request.POST.get("subject", ""),
                token=request.POST.get("token", ""),
            )
        except discussion.CommentRefused as error:
            return compose(error=error)
        messages.success(request, "Your comment is posted.")
        return redirect(comment)
    context = paginate(
        request, discussion.talk_topics(page), discussion.TOPICS_PER_PAGE
    )
    discussion.with_replies(list(context["page_obj"]))
    return render(
        request,
        "wiki/discussion/talk.html",
        {
            **context,
            "page": page,
            "section": section,
            "token": discussion.new_token(),
            "can_moderate": discussion.can_moderate(request.user),
        },
    )


def talk_history(request, section, slug):
    page = _talk_page(section, slug)
    context = paginate(request, discussion.talk_history(page), HISTORY_PER_PAGE)
    return render(
        request,
        "wiki/discussion/talk_history.html",
        {
            **context,
            "page": page,
            "section": section,
            "can_moderate": discussion.can_moderate(request.user),
        },
    )


def _comment(pk) -> Comment:
    return get_object_or_404(
        Comment.objects.select_related("proposal__author", "page", "author"), pk=pk
    )


def _may_read(user, comment: Comment) -> bool:
    return comment.proposal is None or discussion.can_comment_on(user, comment.proposal)


@login_required
def comment_edit(request, pk):
    comment = _comment(pk)
    if not _may_read(request.user, comment) or request.user != comment.author:
        raise PermissionDenied
    text = comment.text
    error = preview = None
    status = 200
    if request.method == "POST":
        text = request.POST.get("text", "")
        try:
            if "preview" in request.POST:
                preview = discussion.comment_preview(text)
            else:
                discussion.comment_edit(comment=comment, by=request.user, text=text)
        except discussion.CommentRefused as refused:
            error, status = str(refused), refused.status
        else:
            if preview is None:
                messages.success(
                    request, "Your comment is changed; the old text is kept."
                )
                return redirect(comment)
    return render(
        request,
        "wiki/discussion/edit.html",
        {"comment": comment, "text": text, "error": error, "preview": preview},
        status=status,
    )


@login_required
@require_POST
def comment_visibility(request, pk):
    comment = _comment(pk)
    if not discussion.can_moderate(request.user):
        raise PermissionDenied
    try:
        if request.POST.get("hide") == "0":
            discussion.comment_show(comment=comment, by=request.user)
            messages.success(request, "The comment is shown again.")
        else:
            discussion.comment_hide(
                comment=comment, by=request.user, reason=request.POST.get("reason", "")
            )
            messages.success(request, "The comment is hidden; the reason is shown.")
    except discussion.CommentRefused as error:
        return render(
            request,
            "wiki/discussion/hide_refused.html",
            {"comment": comment, "error": str(error)},
            status=error.status,
        )
    return redirect(comment)
