"""Revision deletion, as MediaWiki calls it: moderators hide a revision's text,
edit summary or author from the public, with a logged reason, and can show
them again.

Nothing is erased.  Those who hold ``wiki.hide_revision`` still see the hidden
parts, marked as hidden with the reason; everyone else sees "(hidden)" where
they would be, and a notice instead of a hidden text (the old revision's page,
a diff involving it).  The text of a page's current revision cannot be hidden:
it is what the page shows.

The history of a deleted page (its revisions, diffs, feed entries) is for those
who may delete and recover pages (``wiki.delete_page``).
"""

import unicodedata

from django.db import transaction
from django.db.models import QuerySet

from wiki.cache import bump
from wiki.history import page_history
from wiki.models import Page, RevisionMeta, RevisionVisibilityChange

HIDE_PERMISSION = "wiki.hide_revision"
DELETED_HISTORY_PERMISSION = "wiki.delete_page"
HIDDEN = "(hidden)"
# How many revisions one change may cover (a history page lists 50).
MAX_REVISIONS = 100

Part = RevisionVisibilityChange.Part


class VisibilityError(Exception):
    """A change of visibility that cannot be made; the message says why."""


def sees_hidden(user) -> bool:
    """Whether ``user`` may read what is hidden of revisions."""
    return user is not None and user.has_perm(HIDE_PERMISSION)


def sees_deleted_history(user) -> bool:
    """Whether ``user`` may read the history of deleted pages."""
    return user is not None and user.has_perm(DELETED_HISTORY_PERMISSION)


def listable(
    versions: QuerySet,
    viewer,
    *,
    by_author: bool = False,
    deleted_left_out: bool = False,
) -> QuerySet:
    """``versions`` (history.page_versions()) without what ``viewer`` may not list.

    Revisions of deleted pages are left out unless the viewer may read their
    history (or ``deleted_left_out``: the caller chose live pages' versions
    already).  A list chosen by author (``by_author``: a contributor's page, a
    filter by user) leaves out the revisions whose author is hidden, unless the
    viewer sees hidden parts: listing them would name the author.
    """
    if not deleted_left_out and not sees_deleted_history(viewer):
        versions = versions.exclude(revision__meta__page__is_deleted=True)
    if by_author and not sees_hidden(viewer):
        versions = versions.exclude(revision__meta__author_hidden=True)
    return versions


def _checked_request(
    reason: str, changes: dict, revision_ids: list[int]
) -> tuple[str, dict, list[int]]:
    """The reason on one line, the parts and the revision ids asked for;
    raise VisibilityError when one is missing or too many are chosen."""
    # One line, without control characters: it is shown in lists and feeds.
    reason = " ".join(
        "".join(ch for ch in reason if unicodedata.category(ch) != "Cc").split()
    )
    if not reason:
        raise VisibilityError("Give a reason: it is logged, and moderators see it.")
    changes = {Part(part): bool(hide) for part, hide in changes.items()}
    if not changes:
        raise VisibilityError("Choose what to hide or show.")
    wanted = sorted(set(revision_ids))
    if not wanted:
        raise VisibilityError("Choose at least one revision.")
    if len(wanted) > MAX_REVISIONS:
        raise VisibilityError(f"Choose at most {MAX_REVISIONS} revisions at a time.")
    return reason, changes, wanted


def _check_revisions_of(page: Page, wanted: list[int], *, hiding_text: bool) -> None:
    """Raise VisibilityError unless every id is a revision of ``page`` and,
    when its text is to be hidden, none is the current one."""
    ids = list(page_history(page).values_list("revision_id", flat=True)[:1])
    latest = ids[0] if ids else None
    found = set(
        page_history(page)
        .filter(revision_id__in=wanted)
        .values_list("revision_id", flat=True)
    )
    for revision_id in wanted:
        if revision_id not in found:
            raise VisibilityError(
                f"Revision {revision_id} is not a revision of {page}."
            )
    if hiding_text and latest in found:
        raise VisibilityError(
            f"Revision {latest} is the current revision of {page}: its text "
            "cannot be hidden, since the page shows it. Edit or revert the "
            "page first; its summary and author can be hidden."
        )


def revisions_set_visibility(
    *,
    page: Page,
    revision_ids: list[int],
    changes: dict[str, bool],
    reason: str,
    by,
) -> list[RevisionVisibilityChange]:
    """Hide (True) or show again (False) parts of revisions of ``page``.

    ``changes`` maps parts ("text", "summary", "author") to what to do; parts
    left out stay as they are.  Each revision that changes gets one log entry;
    revisions already as asked are skipped.  Raise VisibilityError (changing
    nothing) for a missing reason, a revision of another page, the current
    revision's text, or when nothing would change.
    """
    reason, changes, wanted = _checked_request(reason, changes, revision_ids)
    with transaction.atomic():
        _check_revisions_of(page, wanted, hiding_text=bool(changes.get(Part.TEXT)))
        metas = {
            meta.revision_id: meta
            for meta in RevisionMeta.objects.select_for_update(no_key=True).filter(
                revision_id__in=wanted
            )
        }
        log = []
        for revision_id in wanted:
            meta = metas.get(revision_id) or RevisionMeta(
                revision_id=revision_id, page=page
            )
            entry = _apply(meta, changes, reason=reason)
            if entry is None:
                continue
            entry.revision_id = revision_id
            entry.page = page
            entry.user = by
            entry.save()
            log.append(entry)
        if not log:
            raise VisibilityError(
                "Nothing changes: the chosen revisions are already like that."
            )
        bump()  # history, diffs and feeds show or hide these parts
    return log


def _apply(
    meta: RevisionMeta, changes: dict[str, bool], *, reason: str
) -> RevisionVisibilityChange | None:
    """Change ``meta`` as ``changes`` says and save it; return the unsaved log entry."""
    hidden, shown = [], []
    for part in Part:
        if part not in changes:
            continue
        field = f"{part.value}_hidden"
        if changes[part] and not getattr(meta, field):
            hidden.append(part.value)
        elif not changes[part] and getattr(meta, field):
            shown.append(part.value)
        setattr(meta, field, changes[part])
    if not hidden and not shown:
        return None
    if hidden:
        meta.hidden_reason = reason
    elif not meta.hidden_parts:
        meta.hidden_reason = ""
    # else: only shown again, and what stays hidden keeps the reason it had.
    meta.save()
    return RevisionVisibilityChange(
        hidden=" ".join(hidden), shown=" ".join(shown), reason=reason
    )


def visibility_log() -> QuerySet:
    """The log, newest first, with what each entry shows."""
    return RevisionVisibilityChange.objects.select_related("user", "page")


def text_hidden(revision_id: int | None) -> bool:
    """Whether the text of revision ``revision_id`` is hidden from the public."""
    if revision_id is None:
        return False
    return RevisionMeta.objects.filter(
        revision_id=revision_id, text_hidden=True
    ).exists()
