"""A page's relationship graph (wiki/graph.py): ``/<section>/<slug>/graph.json``
for the drawing and ``/<section>/<slug>/network/``, the same pages as a list
that needs no JavaScript."""

import json

from django.db.models import Prefetch
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from wiki import cache, graph, history_views, registry
from wiki.models import HEAVY_FIELDS, RelatedPage
from wiki.navigation import LISTED
from wiki.views import not_found


def graph_data(request, page_type, slug) -> dict | None:
    """The graph of the live page ``slug``, None if there is none: cached
    like the page's own fragments, for this generation of the site."""
    fragments = cache.Fragments(
        request, "graph", page_type.kind, slug, names=("graph",)
    )
    cached = fragments.html("graph")
    if cached is not None:
        return json.loads(cached)
    # With is_deleted, which the related pages' list reads of each target
    # (deferred, it cost a query per related page).
    related = RelatedPage.objects.select_related("target").only(
        "page_id",
        "position",
        "target__is_deleted",
        *(f"target__{name}" for name in LISTED),
    )
    page = (
        page_type.model.objects.published()
        .filter(slug=slug)
        .defer(*HEAVY_FIELDS)
        .prefetch_related(Prefetch("related_links", related), *page_type.prefetches)
        .first()
    )
    if page is None:
        return None
    data = graph.neighbourhood(page)
    fragments.store("graph", json.dumps(data, separators=(",", ":")))
    return data


@require_safe
def page_graph_json(request, section, slug):
    page_type = registry.page_type_for_section(section)
    data = graph_data(request, page_type, slug)
    if data is None:
        return JsonResponse(
            {"error": "not_found", "detail": f"No {page_type.label} at this address."},
            status=404,
        )
    return JsonResponse(data)


@require_safe
def page_network(request, section, slug):
    page_type = registry.page_type_for_section(section)
    data = graph_data(request, page_type, slug)
    if data is None:
        gone_or_moved = history_views.page_missing(
            request, page_type=page_type, slug=slug
        )
        return gone_or_moved or not_found(request, slug=slug)
    return render(
        request,
        "wiki/network.html",
        {
            "graph": data,
            "steps": graph.as_list(data),
            "page_type": page_type,
            "section_url": page_type.index_url,
            "graph_src": reverse(
                "wiki:page_graph", kwargs={"section": section, "slug": slug}
            ),
        },
    )
