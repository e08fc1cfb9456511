"""Publishing sources: every change is one revision, as for pages."""

import reversion
from django.db import transaction
from django.db.models import Q
from django.tasks import task
from django.utils import timezone
from reversion.models import Revision, Version

from sources.coverage import refresh_usage
from sources.models import Source
from sources.search import source_document
from sources.snapshots import source_size
from wiki import search, tallies
from wiki.cache import bump
from wiki.history import meta_of
from wiki.models import Page, RevisionMeta
from wiki.services import rerender_pages


def source_latest_revision(source: Source) -> Revision | None:
    version = (
        Version.objects.get_for_object(source, model_db=None)
        .select_related("revision")
        .order_by("-revision_id")
        .first()
    )
    return version.revision if version else None


def source_publish(
    *,
    source: Source,
    user,
    summary: str,
    approved_by=None,
    minor: bool = False,
    action: str = RevisionMeta.Action.EDIT,
    proposal=None,
    note: str = "",
) -> Revision:
    """Save ``source`` as one revision (who, approver, summary, size), then
    render again the pages that cite it, so their references read as it does."""
    with transaction.atomic():
        approver = approved_by or user
        with reversion.create_revision():
            sizes = source_meta_values(source)
            source.save()
            refresh_usage([source.pk])
            search.index_record(source_document(source))
            reversion.set_user(user)
            reversion.set_comment(summary)
            reversion.add_meta(
                RevisionMeta,
                action=action,
                minor=minor,
                approved_by=approver,
                approved_at=timezone.now() if approver else None,
                proposal=proposal,
                note=note,
                **sizes,
            )
        bump()
        refresh_citing_pages(source)
        transaction.on_commit(refresh_source_tally)
    return source_latest_revision(source)


def sources_import(*, sources: list[Source], user, summary: str) -> Revision:
    """Create ``sources`` (new, unsaved) together as one revision by ``user``:
    all of them or, if any cannot be saved (another source took its key, DOI
    or arXiv id meanwhile: ``IntegrityError``), none."""
    if not sources:
        raise ValueError("An import creates at least one source.")
    with transaction.atomic():
        size = 0
        with reversion.create_revision():
            for source in sources:
                source.save()
                search.index_record(source_document(source))
                size += source_size(source)
            reversion.set_user(user)
            reversion.set_comment(summary)
            reversion.add_meta(
                RevisionMeta,
                action=RevisionMeta.Action.IMPORT,
                approved_by=user,
                approved_at=timezone.now(),
                size=size,
                size_delta=size,
            )
        bump()
        transaction.on_commit(refresh_source_tally)
    return source_latest_revision(sources[0])


# The sources index's letters and count (wiki.tallies).
SOURCE_TALLY = "source"


def refresh_source_tally() -> None:
    tallies.refresh_tally(SOURCE_TALLY, Source.objects.all())


def source_meta_values(source: Source) -> dict:
    """The size of ``source`` as it is about to be recorded, and its change
    since its latest revision."""
    previous = source_latest_revision(source) if source.pk else None
    previous_meta = meta_of(previous) if previous else None
    size = source_size(source)
    return {
        "size": size,
        "size_delta": size - (previous_meta.size if previous_meta else 0),
    }


def refresh_citing_pages(source: Source) -> None:
    """Once the publishing transaction commits, enqueue the rendering again of
    the pages citing ``source`` (their [@key] tooltips carry its title); their
    reference lists read the source live."""
    source_id = source.pk
    transaction.on_commit(
        lambda: rerender_citing_pages_task.enqueue(source_id=source_id)
    )


@task
def rerender_citing_pages_task(*, source_id: int) -> int:
    """The task (settings.TASKS) that runs ``rerender_citing_pages``."""
    return rerender_citing_pages(source_id=source_id)


def rerender_citing_pages(*, source_id: int) -> int:
    """Render again the pages citing source ``source_id``, in bounded batches,
    and those citing its key while no source had it (their "unknown source"
    markers become numbered citations).

    Safe to run late or twice: the citations and the source are read as they
    are when it runs (a source deleted since has no citing pages left).
    """
    key = Source.objects.filter(pk=source_id).values_list("key", flat=True).first()
    cites = Q(citations__source_id=source_id)
    if key is not None:
        cites |= Q(citation_uses__key=key, citation_uses__source__isnull=True)
    ids = Page.objects.filter(cites).values_list("pk", flat=True)
    return rerender_pages(ids.distinct())
