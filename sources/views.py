from dataclasses import dataclass, field
from itertools import groupby

from django.conf import settings
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery, Window
from django.shortcuts import get_object_or_404, render
from reversion.models import Version

from sources.csl import formatted_references
from sources.models import Authorship, Citation, Source, Work
from sources.navigation import citing_pages_of_source
from sources.services import SOURCE_TALLY
from sources.snapshots import source_snapshots
from wiki.diff import RevisionDataError, Snapshot, deserialized, diff_snapshots
from wiki.history import meta_of
from wiki.pagination import page_numbers, paginate
from wiki.views import index_context

HISTORY_PER_PAGE = 50


def work_index(request):
    """Works newest first, grouped by year, filtered by type."""
    works = Work.objects.published().order_by("-year", "title")
    work_type = request.GET.get("type", "")
    if work_type in Work.Type.values:
        works = works.filter(work_type=work_type)
    else:
        work_type = ""
    works = works.prefetch_related(
        Prefetch("authorships", Authorship.objects.select_related("person"))
    )
    context = index_context(request, works, letters=False)
    context["years"] = [
        (year, list(group))
        for year, group in groupby(context["items"], lambda w: w.year)
    ]
    context.update(work_type=work_type, work_types=Work.Type.choices)
    return render(request, "sources/work_index.html", context)


# The most citing pages the sources index counts per source.
CITED_SHOWN = 100


class CountOf(Subquery):
    """How many rows a (sliced) subquery returns."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) AS counted)"
    output_field = IntegerField()


def source_index(request):
    sources = Source.objects.order_by("title")
    source_type = request.GET.get("type", "")
    if source_type in Source.Type.values:
        sources = sources.filter(source_type=source_type)
    else:
        source_type = ""
    context = index_context(request, sources, tally=SOURCE_TALLY)
    # Each line is the reference as pages print it (the CSL processor's,
    # cached per source), not one built here by hand.
    items = context["items"]
    formatted = formatted_references(items)
    cited = cited_counts([source.pk for source in items])
    for source in items:
        source.formatted = formatted[source.pk]
        source.cited = cited[source.pk]
    context.update(
        source_type=source_type,
        source_types=Source.Type.choices,
        cited_shown=CITED_SHOWN,
    )
    return render(request, "sources/source_index.html", context)


def cited_counts(source_ids: list[int]) -> dict[int, int]:
    """How many live pages cite each source, counted up to CITED_SHOWN + 1
    ("cited by 100+ pages": a source may be cited by thousands), in one
    query for the sources shown.  Counted apart from the index's own query:
    there, PostgreSQL counted for every row its OFFSET skipped (2.9 s for
    the last page of 50,414 sources)."""
    citing = Citation.objects.filter(
        source=OuterRef("pk"), page__is_deleted=False
    ).values("pk")[: CITED_SHOWN + 1]
    return dict(
        Source.objects.filter(pk__in=source_ids)
        .annotate(cited=CountOf(citing))
        .values_list("pk", "cited")
    )


def source_detail(request, key):
    source = get_object_or_404(Source.objects.select_related("work"), key=key)
    # The first pages citing it and how many there are (COUNT(*) OVER ()),
    # the rest on its "cited by" page: a source can be cited thousands of times.
    citing = list(
        citing_pages_of_source(source).annotate(total=Window(Count("*")))[
            : settings.LINEAGE_NAV_LIST_SIZE
        ]
    )
    context = {
        "source": source,
        "formatted": formatted_references([source])[source.pk],
        "citing": citing,
        "citing_count": citing[0].total if citing else 0,
    }
    return render(request, "sources/source_detail.html", context)


def source_cited_by(request, key):
    """Every page citing a source, a page at a time (OFFSET over its A–Z order)."""
    source = get_object_or_404(Source.objects.select_related("work"), key=key)
    pages = paginate(
        request, citing_pages_of_source(source), settings.LINEAGE_NAV_PAGE_SIZE
    )
    return render(
        request,
        "sources/source_cited_by.html",
        {"source": source, "page_numbers": page_numbers(pages["page_obj"]), **pages},
    )


@dataclass
class SourceEntry:
    """One revision of a source, with what it changed."""

    version: Version
    changes: list = field(default_factory=list)
    first: bool = False

    @property
    def revision(self):
        return self.version.revision

    @property
    def meta(self):
        return meta_of(self.version.revision)


def source_history(request, key):
    """Every published revision of a source, newest first, each with its changes."""
    source = get_object_or_404(Source, key=key)
    versions = (
        Version.objects.get_for_object(source, model_db=None)
        .select_related("revision__user", "revision__meta__approved_by")
        .order_by("-revision_id")
    )
    pages = paginate(request, versions, HISTORY_PER_PAGE)
    shown = list(pages["object_list"])
    # The revision before the oldest shown, to say what that one changed.
    before = (
        versions.filter(revision_id__lt=shown[-1].revision_id).first()
        if shown
        else None
    )
    chain = [*shown, *([before] if before else [])]
    snapshots = _snapshots(chain)
    entries = []
    for index, version in enumerate(shown):
        older = chain[index + 1] if index + 1 < len(chain) else None
        new = snapshots.get(version.pk)
        old = snapshots.get(older.pk) if older else Snapshot()
        readable = new is not None and old is not None
        changes = diff_snapshots(old, new) if readable else []
        entries.append(SourceEntry(version, changes, first=older is None))
    return render(
        request,
        "sources/source_history.html",
        {"source": source, **pages, "entries": entries},
    )


def _snapshots(versions) -> dict:
    """Snapshots of the source at ``versions``, by version id (if readable)."""
    readable = {}
    for version in versions:
        try:
            readable[version.pk] = deserialized(version).object
        except RevisionDataError:
            continue
    ids = list(readable)
    return dict(zip(ids, source_snapshots([readable[i] for i in ids]), strict=True))
