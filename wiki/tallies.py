"""Counts kept beside the pages, so that readers' pages never count every row.

- ``KindTally``: live pages per kind and per initial letter (the home page's
  counts, an index's A–Z letters and its number of pages).  Counted again,
  for the kind of a published page, once its publishing transaction commits.
- ``WantedPage``: titles that live pages link to and no page has, with how
  many pages link to each.  Counted again, for the titles a page's links
  named before and after, whenever its links are recorded.

Both are derived data: ``refresh_all()`` rebuilds them from the pages and
links (after a bulk load that bypassed the write path, e.g. a generated
corpus; ``manage.py recount_tallies``).
"""

from collections.abc import Iterable
from functools import reduce
from operator import or_

from django.db import transaction
from django.db.models import Count, F, Min, Q, QuerySet, Value
from django.db.models.functions import Lower

from wiki.models import INITIAL, KindTally, Page, PageInbound, PageLink, WantedPage

# Titles recounted per query when a page's wanted links change.
WANTED_BATCH = 500


def kind_tally(kind: str) -> KindTally:
    """The tally of ``kind`` (an empty one if none was counted yet)."""
    return KindTally.objects.filter(kind=kind).first() or KindTally(kind=kind)


def kind_tallies() -> dict[str, KindTally]:
    return {tally.kind: tally for tally in KindTally.objects.all()}


def refresh_kind(kind: str) -> KindTally:
    """Count the live pages of ``kind`` again, per initial letter."""
    return refresh_tally(kind, Page.objects.published().filter(kind=kind))


def refresh_tally(key: str, queryset: QuerySet) -> KindTally:
    """Count the rows of ``queryset`` (titled) again, per initial letter, as
    the tally ``key`` (a page kind, or a kind of record such as "source").

    The tally's row is locked first, so that of two publishes counting at
    once, the later count (which sees both commits) is the one kept.
    """
    with transaction.atomic():
        KindTally.objects.get_or_create(kind=key)
        tally = KindTally.objects.select_for_update().get(kind=key)
        rows = (
            queryset.order_by()
            .annotate(initial=INITIAL)
            .values_list("initial")
            .annotate(n=Count("pk"))
        )
        tally.initials = {initial: n for initial, n in rows if initial}
        tally.pages = sum(n for _, n in rows)
        if tally.pages:
            tally.save()
        else:  # a kind with no pages has no row, however it came to none
            tally.delete()
    return tally


# What else keeps a tally (e.g. the sources app's), run by refresh_all().
_refreshers: list = []


def register_refresher(refresh) -> None:
    if refresh not in _refreshers:
        _refreshers.append(refresh)


def refresh_kind_on_commit(kind: str) -> None:
    transaction.on_commit(lambda: refresh_kind(kind))


def refresh_wanted(titles: Iterable[str]) -> None:
    """Count again the live pages linking to each of ``titles`` (in any
    letter case) while no page has that title; drop the titles no longer
    wanted.  Titles are lower-cased by the database, as the list groups them."""
    titles = sorted({title for title in titles if title})
    for start in range(0, len(titles), WANTED_BATCH):
        batch = titles[start : start + WANTED_BATCH]
        named = reduce(or_, (Q(key=Lower(Value(title))) for title in batch))
        counted = {
            row["key"]: row
            for row in PageLink.objects.filter(
                target__isnull=True, source__is_deleted=False
            )
            .annotate(key=Lower("target_title"))
            .filter(named)
            .values("key")
            .annotate(title=Min("target_title"), links=Count("source", distinct=True))
        }
        WantedPage.objects.filter(named).exclude(key__in=list(counted)).delete()
        if counted:
            WantedPage.objects.bulk_create(
                [
                    WantedPage(key=key, title=row["title"], links=row["links"])
                    for key, row in counted.items()
                ],
                update_conflicts=True,
                unique_fields=["key"],
                update_fields=["title", "links"],
            )


def inbound_counts(page_ids=None) -> QuerySet:
    """(target id, other live pages linking to it), for ``page_ids`` (all
    pages linked to if None)."""
    links = PageLink.objects.filter(source__is_deleted=False, target__isnull=False)
    if page_ids is not None:
        links = links.filter(target__in=page_ids)
    return (
        links.exclude(source=F("target"))
        .order_by()
        .values("target")
        .annotate(n=Count("source", distinct=True))
        .values_list("target", "n")
    )


def refresh_counts(model, field: str, ids: Iterable[int], counts) -> None:
    """Store, for each of ``ids``, the number of pages ``counts(ids)`` (pairs
    of id and count) gives it, 0 if none, as the ``pages`` of the row of
    ``model`` whose one-to-one ``field`` is that id: created or updated, in
    one query.  The count tables (pages linking to a page, pages citing a
    source) are refreshed this way."""
    ids = sorted(set(ids))
    if not ids:
        return
    counted = dict(counts(ids))
    model.objects.bulk_create(
        [model(**{f"{field}_id": pk, "pages": counted.get(pk, 0)}) for pk in ids],
        update_conflicts=True,
        unique_fields=[field],
        update_fields=["pages"],
    )


def refresh_inbound(page_ids: Iterable[int]) -> None:
    """Count again the other live pages linking to each of ``page_ids``."""
    refresh_counts(PageInbound, "page", page_ids, inbound_counts)


def refresh_all_inbound() -> None:
    """Rebuild every page's count of pages linking to it."""
    with transaction.atomic():
        PageInbound.objects.all().delete()
        counted = dict(inbound_counts())
        ids = Page.objects.order_by("pk").values_list("pk", flat=True)
        PageInbound.objects.bulk_create(
            (
                PageInbound(page_id=pk, pages=counted.get(pk, 0))
                for pk in ids.iterator(chunk_size=2000)
            ),
            batch_size=1000,
        )


def refresh_all() -> None:
    """Rebuild every tally and the wanted pages from the pages and links."""
    from wiki import registry

    kinds = set(Page.objects.order_by().values_list("kind", flat=True).distinct())
    kinds |= {t.kind for t in registry.page_types()}
    for kind in sorted(kinds):
        refresh_kind(kind)
    for hook in _refreshers:
        hook()
    refresh_all_inbound()
    with transaction.atomic():
        WantedPage.objects.all().delete()
        wanted = (
            PageLink.objects.filter(target__isnull=True, source__is_deleted=False)
            .annotate(key=Lower("target_title"))
            .order_by()
            .values("key")
            .annotate(title=Min("target_title"), links=Count("source", distinct=True))
        )
        WantedPage.objects.bulk_create(
            (WantedPage(**row) for row in wanted.iterator(chunk_size=2000)),
            batch_size=1000,
        )
