"""Publishing: the one way published page content changes, always inside a revision."""

from collections.abc import Callable
from functools import cache

import reversion
from django.db import models, transaction
from django.tasks import task
from django.utils import timezone
from reversion.models import Revision, Version

from wiki import links, redirects, registry, search, tallies
from wiki.cache import bump
from wiki.markdown import Rendered, render
from wiki.models import Page, PurgeRecord, RevisionMeta
from wiki.watchlist import services as watching


@cache
def text_fields(model: type[Page]) -> tuple[str, ...]:
    """The attribute names of a page model's text: every field a person writes
    in words (title, lede, body, short description, portrait credit...), not its
    address (slug, URLs), choices or the HTML rendered from it."""
    return tuple(
        f.attname
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField)
        and f.editable
        and not f.choices
        and not isinstance(f, models.URLField)
        and f.name != "slug"
    )


def page_text_size(page: Page) -> int:
    """Characters of text ``page`` holds, over every text field of its own.

    The one measure of size: a revision's size and size change and a proposal's
    size change are all differences of it.
    """
    return sum(len(getattr(page, name) or "") for name in text_fields(type(page)))


def page_render(page: Page) -> Rendered:
    """Render a page's Markdown into its stored HTML fields (not saved).

    All its Markdown fields render as one document, so citation numbers run on.
    """
    others = page.markdown_field_names()
    rendered = render(page.body, page.reading, *(getattr(page, f) for f in others))
    page.body_html = rendered.html
    page.toc_html = rendered.toc_html
    page.reading_html = rendered.more_html[0]
    page.fields_html = dict(zip(others, rendered.more_html[1:], strict=True))
    page.render_data = rendered.data
    return rendered


def page_sync_derived(*, page: Page, rendered: Rendered) -> None:
    """Bring what is derived from page text (links, citations) in step with it."""
    titles = page.render_data.get("wikilink", {}).get("titles", [])
    links.record_links(page=page, titles=titles)
    for hook in registry.publish_hooks():
        hook(page=page, rendered=rendered)
    for hook in registry.render_hooks():
        hook(page=page, rendered=rendered)


def revision_meta_values(*, page: Page) -> dict:
    size = page_text_size(page)
    previous = RevisionMeta.objects.filter(page=page).order_by("-revision_id").first()
    return {
        "page": page,
        "size": size,
        "size_delta": size - (previous.size if previous else 0),
    }


def page_publish(
    *,
    page: Page,
    user,
    summary: str,
    approved_by=None,
    action: str = RevisionMeta.Action.EDIT,
    minor: bool = False,
    save_related: Callable[[], None] | None = None,
) -> Revision:
    """Publish ``page`` (and what ``save_related`` saves) as one revision."""
    with transaction.atomic():
        with reversion.create_revision():
            previous_slug = redirects.stored_slug(page)
            previous_names = stored_names(page)
            rendered = page_render(page)
            page.save()
            redirects.record_rename(page=page, previous_slug=previous_slug)
            if save_related is not None:
                save_related()
            page_sync_derived(page=page, rendered=rendered)
            search.index_page(page, previous_names=previous_names)
            reversion.set_user(user)
            reversion.set_comment(summary)
            approver = approved_by or user
            reversion.add_meta(
                RevisionMeta,
                action=action,
                minor=minor,
                approved_by=approver,
                approved_at=timezone.now() if approver else None,
                **revision_meta_values(page=page),
            )
            bump()
        revision = latest_revision(page)
        watching.page_published(
            page=page, revision=revision, user=user, approver=approver
        )
    refresh_pages_linking_to(page, also=previous_names)
    tallies.refresh_kind_on_commit(page.kind)
    return revision


def stored_names(page: Page) -> set[str]:
    """The titles the stored row of ``page`` answers to (before an edit)."""
    if page.pk is None:
        return set()
    row = Page.objects.filter(pk=page.pk).values("title", "short_title").first()
    return {row["title"], row["short_title"]} if row else set()


# Pages re-rendered per transaction when what they link to or cite changed.
RERENDER_BATCH = 200


def refresh_pages_linking_to(page: Page, *, also: set[str] = frozenset()) -> None:
    """Once the publishing transaction commits, enqueue the re-rendering of
    the pages whose [[links]] name ``page``, so red links turn blue.

    ``also`` names the titles it had before an edit: links to a title it no
    longer has must stop pointing at it.  Nothing is enqueued if the
    transaction rolls back (a preview).
    """
    names = sorted(links.link_names(page, also=also))
    page_id = page.pk
    transaction.on_commit(
        lambda: rerender_pages_linking_to_task.enqueue(names=names, except_id=page_id)
    )


@task
def rerender_pages_linking_to_task(*, names: list[str], except_id: int | None) -> int:
    """The task (settings.TASKS) that runs ``rerender_pages_linking_to``."""
    return rerender_pages_linking_to(names=names, except_id=except_id)


def rerender_pages_linking_to(*, names: list[str], except_id: int | None) -> int:
    """Re-render the pages with a stored link to one of ``names`` (normalized
    titles), except page ``except_id``.

    Safe to run late or twice: it reads the links and the text as they are
    when it runs, so a page deleted or edited since is skipped or rendered
    from its current text.
    """
    ids = (
        Page.objects.filter(links_out__in=links.links_to_titles(set(names)))
        .exclude(pk=except_id)
        .values_list("pk", flat=True)
        .distinct()
    )
    return rerender_pages(ids)


def rerender_pages(ids) -> int:
    """Render again the pages whose ids ``ids`` (a queryset of ids) selects,
    ``RERENDER_BATCH`` at a time, each batch in its own transaction: memory and
    lock time stay bounded however many pages there are."""
    count, last = 0, 0
    try:
        while True:
            batch = list(ids.filter(pk__gt=last).order_by("pk")[:RERENDER_BATCH])
            if not batch:
                return count
            with transaction.atomic():
                # Locked: a publish of one of them waits, or is waited for, so
                # the HTML written is always that of the text stored (a worker
                # runs this late, beside requests).  Deleted pages are skipped:
                # their recovery renders them again.
                pages = (
                    Page.objects.select_for_update(no_key=True)
                    .filter(pk__in=batch, is_deleted=False)
                    .order_by("pk")
                    .specific()
                )
                count += pages_rerender(pages)
            last = batch[-1]
    finally:
        if count:
            # Cached pages may show the HTML just replaced (even if a later
            # batch failed).
            bump()


def pages_rerender(pages) -> int:
    """Render ``pages`` again, e.g. after what they link to or cite changed.

    Their text is unchanged, only the HTML derived from it, so it is written
    with ``update()``: no revision is recorded for a cache refresh.
    """
    count = 0
    for source in pages:
        source = source.specific
        rendered = page_render(source)
        Page.objects.filter(pk=source.pk).update(
            body_html=source.body_html,
            toc_html=source.toc_html,
            reading_html=source.reading_html,
            fields_html=source.fields_html,
            render_data=source.render_data,
        )
        # The render resolved the titles just now, after the change committed.
        state = rendered.syntax_state.get("wikilink")
        links.record_links(
            page=source,
            titles=rendered.data["wikilink"]["titles"],
            resolved=state.pages if state else None,
        )
        for hook in registry.render_hooks():
            hook(page=source, rendered=rendered)
        count += 1
    return count


def latest_revision(page: Page) -> Revision | None:
    version = (
        Version.objects.get_for_object(page, model_db=None)
        .select_related("revision")
        .order_by("-revision_id")
        .first()
    )
    return version.revision if version else None


class PurgeRefused(Exception):
    pass


@transaction.atomic
def page_purge(*, page: Page, user, reason: str) -> PurgeRecord:
    """Remove a deleted page and every revision of it for good, recording
    what was removed (the only hard delete of a page).

    Its rows go with it (links, citations, relations, its place in other
    pages' themes); pages linking to it are rendered again, as red links.
    """
    from django.contrib.contenttypes.models import ContentType

    page = Page.objects.select_for_update().get(pk=page.pk).specific
    if not page.is_deleted:
        raise PurgeRefused(f"{page} is not deleted; delete it first.")
    if not reason.strip():
        raise PurgeRefused("Give a reason for purging the page.")
    content_types = ContentType.objects.get_for_models(Page, type(page)).values()
    revision_ids = set(
        Version.objects.filter(
            content_type__in=content_types, object_id=str(page.pk)
        ).values_list("revision_id", flat=True)
    )
    record = PurgeRecord.objects.create(
        title=page.title,
        kind=page.kind,
        slug=page.slug,
        page_id=page.pk,
        revision_count=len(revision_ids),
        reason=reason.strip(),
        purged_by=user,
    )
    names = sorted(links.link_names(page))
    Revision.objects.filter(pk__in=revision_ids).delete()
    page.delete()
    bump()
    transaction.on_commit(
        lambda: rerender_pages_linking_to_task.enqueue(names=names, except_id=None)
    )
    return record
