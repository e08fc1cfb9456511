from django.shortcuts import get_object_or_404, render

from sources.models import Source


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
