from itertools import groupby

from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, render

from sources.models import Authorship, Source, Work
from wiki.views import index_context


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


def source_index(request):
    sources = Source.objects.order_by("title").annotate(
        cited=Count("citations", filter=Q(citations__page__is_deleted=False))
    )
    source_type = request.GET.get("type", "")
    if source_type in Source.Type.values:
        sources = sources.filter(source_type=source_type)
    else:
        source_type = ""
    context = index_context(request, sources)
    context.update(source_type=source_type, source_types=Source.Type.choices)
    return render(request, "sources/source_index.html", context)


def source_detail(request, key):
    source = get_object_or_404(Source.objects.select_related("work"), key=key)
    citing = [
        citation.page
        for citation in source.citations.select_related("page").filter(
            page__is_deleted=False
        )
    ]
    return render(
        request, "sources/source_detail.html", {"source": source, "citing": citing}
    )
