"""Watching pages: who watches what, the notifications a change to a
watched page makes, and the changes a watchlist lists."""

from django.db import connections, router
from django.db.models import CharField, DateTimeField, IntegerField, QuerySet, Value
from django.db.models.functions import Cast
from django.utils import timezone
from reversion.models import Revision, Version

from wiki.models import (
    Notification,
    Page,
    Proposal,
    Watch,
    WatchPreferences,
    page_versions_filter,
)


def page_watch(*, user, page: Page) -> Watch:
    """``user`` watches ``page`` (again: the watch they have)."""
    watch, _ = Watch.objects.get_or_create(user=user, page=page)
    return watch


def page_unwatch(*, user, page: Page) -> bool:
    """``user`` stops watching ``page``: whether they were watching it."""
    deleted, _ = Watch.objects.filter(user=user, page=page).delete()
    return bool(deleted)


def is_watching(user, page: Page) -> bool:
    if not user.is_authenticated or page.pk is None:
        return False
    return Watch.objects.filter(user=user, page=page).exists()


def watched_changes(user, form, *, by_author: bool = False) -> QuerySet:
    """The ids of the published versions of the pages ``user`` watches that
    they may list, narrowed by ``form`` (a ``ChangesFilterForm``), newest
    first: a watchlist's page of them is read in full after.

    The pages are chosen live here (unless the user may read deleted pages'
    history), so no version is joined to its revision, meta and page to
    leave deleted pages out; with every column joined in before the sort,
    all versions of 1,000 watched pages were read.
    """
    from wiki import revision_visibility  # it reads history, which imports this

    pages = Watch.objects.filter(user=user)
    if not revision_visibility.sees_deleted_history(user):
        # Less the few deleted pages (an index of them), rather than joined
        # to the pages to keep the live ones: PostgreSQL then hashed every
        # live page (15 of 24 ms for 1,000 watched pages of 100,000).
        deleted = Page.objects.filter(is_deleted=True).values("pk")
        pages = pages.exclude(page_id__in=deleted)
    object_ids = pages.annotate(text_id=Cast("page_id", CharField()))
    versions = Version.objects.filter(
        **page_versions_filter(), object_id__in=object_ids.values("text_id")
    )
    return (
        revision_visibility.listable(
            form.filter(versions, viewer=user),
            user,
            by_author=by_author,
            deleted_left_out=True,
        )
        .order_by("-revision_id")
        .values_list("pk", flat=True)
    )


def preferences_for(user) -> WatchPreferences:
    """``user``'s preferences, the defaults (unsaved) if they never chose."""
    try:
        return user.watch_preferences
    except WatchPreferences.DoesNotExist:
        return WatchPreferences(user=user)


def preferences_save(*, preferences: WatchPreferences) -> WatchPreferences:
    preferences.save()
    return preferences


def watch_edited(*, user, page: Page) -> None:
    """``user`` edited or proposed a change to ``page``: they watch it from
    now on, unless they turned that off.  Two queries at most."""
    if user is None or not getattr(user, "pk", None) or page.pk is None:
        return
    if WatchPreferences.objects.filter(user_id=user.pk, watch_edits=False).exists():
        return
    Watch.objects.bulk_create(
        [Watch(user_id=user.pk, page=page)], ignore_conflicts=True
    )


def page_published(*, page: Page, revision: Revision | None, user, approver) -> None:
    """A revision of ``page`` was published (inside the publishing
    transaction): its author watches the page, and everyone else watching it
    is notified, in one statement however many they are."""
    watch_edited(user=user, page=page)
    if revision is None:
        return
    _notify_watchers(
        page_id=page.pk,
        verb=Notification.Verb.CHANGED,
        revision_id=revision.pk,
        proposal_id=None,
        except_ids={getattr(user, "pk", None), getattr(approver, "pk", None)},
    )


def proposal_submitted(*, proposal: Proposal) -> None:
    """A proposal was made to change a page (inside its transaction): its
    author watches the page, and the page's other watchers are notified."""
    if proposal.page_id is None:
        return  # a new page: watched once it is published
    watch_edited(user=proposal.author, page=proposal.page)
    _notify_watchers(
        page_id=proposal.page_id,
        verb=Notification.Verb.PROPOSED,
        revision_id=None,
        proposal_id=proposal.pk,
        except_ids={proposal.author_id},
    )


def _notify_watchers(
    *,
    page_id: int,
    verb: str,
    revision_id: int | None,
    proposal_id: int | None,
    except_ids: set,
) -> int:
    """Insert a notification for each watcher of the page (but ``except_ids``)
    with one INSERT ... SELECT: no row goes through Python, so a page ten
    thousand people watch costs one statement, not ten thousand."""
    alias = router.db_for_write(Notification)
    connection = connections[alias]
    fields = {f.name: f for f in Notification._meta.concrete_fields}
    watchers = (
        Watch.objects.using(alias)
        .filter(page_id=page_id)
        .exclude(user_id__in=[pk for pk in except_ids if pk is not None])
        .filter(user__is_active=True)
        .order_by()
        .annotate(
            n_page=Value(page_id, output_field=IntegerField()),
            n_revision=Cast(Value(revision_id), IntegerField()),
            n_proposal=Cast(Value(proposal_id), IntegerField()),
            n_verb=Value(verb),
            n_created=Value(timezone.now(), output_field=DateTimeField()),
        )
        .values_list(
            "user_id", "n_page", "n_revision", "n_proposal", "n_verb", "n_created"
        )
    )
    select, params = watchers.query.sql_with_params()
    columns = ", ".join(
        connection.ops.quote_name(fields[name].column)
        for name in ("recipient", "page", "revision", "proposal", "verb", "created_at")
    )
    table = connection.ops.quote_name(Notification._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({columns}) {select}", params)  # noqa: S608
        return cursor.rowcount
