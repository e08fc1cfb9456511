"""The search page (/search/?q=) and the suggestions behind every title box
(/search/suggest/?q=)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from wiki import redirects, registry, search
from wiki.links import choose, normalize_title, resolve_titles


class _Window:
    """The results of one page, as a Paginator's list of ``count`` entries."""

    def __init__(self, hits, count: int):
        self.hits, self.count = hits, count

    def __len__(self):
        return self.count

    def __getitem__(self, item):
        return self.hits


def _page_number(request) -> int:
    """``?page=``: anything but a page number that can hold results is a 404."""
    raw = request.GET.get("page", "1")
    try:
        number = int(raw)
    except ValueError:
        raise Http404("That page number is not a number.") from None
    if not 1 <= number <= search.MAX_PAGES:
        raise Http404("There is no such page of results.")
    return number


def _facet_kinds() -> list:
    """The kinds a search can be narrowed to pages filed under (themes,
    organizations: ``Kind.search_within``)."""
    return [t for t in registry.page_types() if t.search_within]


def _within_context() -> dict:
    kinds = _facet_kinds()
    labels = [k.label for k in kinds]
    label = " or ".join(
        [", ".join(labels[:-1]), labels[-1]] if len(labels) > 1 else labels
    )
    return {"within_kinds": kinds, "within_label": label}


def _within(title: str):
    """The theme or organization a search is narrowed to, by title; None if
    no such page (a message says so)."""
    kinds = {t.kind for t in _facet_kinds()}
    found = resolve_titles([title])[normalize_title(title)]
    pages = [p for p in choose(title, found) if p.kind in kinds] or [
        p for p in found if p.kind in kinds
    ]
    return pages[0] if len(pages) == 1 else None


def search_page(request):
    raw = request.GET.get("q", "")
    query = search.clean_query(raw)
    kinds = [k for k in request.GET.getlist("kind") if k]
    known = {k.kind for k in registry.kinds()}
    unknown = [k for k in kinds if k not in known]
    if unknown:
        return render(
            request,
            "wiki/search.html",
            _empty_context(request, query, error=f"There is no kind “{unknown[0]}”."),
            status=400,
        )
    number = _page_number(request)
    within_title = " ".join(request.GET.get("within", "").split())[:300]
    filtered = bool(kinds or within_title)
    # "Go": the exact title (or short or old title) of one page opens it.
    if (
        query
        and number == 1
        and not filtered
        and not request.GET.get("fulltext")
        and (target := _exact_page(query)) is not None
    ):
        return redirect(target)
    if not query:
        return render(request, "wiki/search.html", _empty_context(request, query))
    within = _within(within_title) if within_title else None
    context = {
        **_within_context(),
        "query": query,
        "cut": len(raw.strip()) > search.MAX_QUERY,
        "max_query": search.MAX_QUERY,
        "kinds": registry.kinds(),
        "chosen_kinds": kinds,
        "within_title": within_title,
        "within": within,
        "can_review": request.user.has_perm("wiki.review_proposal"),
        "with_proposals": bool(request.GET.get("proposals")),
    }
    if within_title and within is None:
        context["within_missing"] = True
        results = search.Results(query=query, hits=[], total=0)
    else:
        results = search.search(
            query,
            filters=search.Filters(kinds=kinds, facet=within.pk if within else None),
            page=number,
        )
    counted = min(results.total, search.MAX_COUNTED)
    paginator = Paginator(_Window(results.hits, counted), search.PER_PAGE)
    if number > 1 and number > paginator.num_pages:
        raise Http404("There is no such page of results.")
    page_obj = paginator.page(number)
    context.update(
        results=results,
        paginator=paginator,
        page_obj=page_obj,
        page_numbers=list(
            paginator.get_elided_page_range(number, on_each_side=2, on_ends=1)
        ),
        first=(number - 1) * search.PER_PAGE + 1,
        last=(number - 1) * search.PER_PAGE + len(results.hits),
    )
    if context["can_review"] and context["with_proposals"]:
        context["proposals"] = search.pending_proposals(query)
    if context["cut"]:
        messages.info(
            request,
            f"Searched for the first {search.MAX_QUERY} characters of your query.",
        )
    return render(request, "wiki/search.html", context)


def _empty_context(request, query: str, *, error: str = "") -> dict:
    """No query: what to browse instead."""
    return {
        **_within_context(),
        "query": query,
        "error": error,
        "max_query": search.MAX_QUERY,
        "kinds": registry.kinds(),
        "sections": [k for k in registry.kinds() if k.index],
    }


def _exact_page(query: str):
    """The one live page titled (or short-titled) ``query``, or renamed from
    it; None when none or several are."""
    pages = resolve_titles([query])[normalize_title(query)]
    if len(pages) == 1:
        return pages[0]
    if not pages:
        return redirects.renamed_from(query)
    return None


def suggest(request):
    """Titles for what is being typed: the header's search box and the edit
    form's page and source fields.  ``kind`` (repeatable) narrows them,
    ``pages=1`` to pages; ``limit`` up to ``search.MAX_SUGGESTIONS``.  Each
    result's ``link`` is what names it in Markdown: a page's title (with its
    kind when another page has the title), a source's citation key."""
    query = search.clean_query(request.GET.get("q", ""))
    kinds = [k for k in request.GET.getlist("kind") if k]
    known = {k.kind for k in registry.kinds()}
    unknown = [k for k in kinds if k not in known]
    if unknown:
        return JsonResponse({"error": f"Unknown kind: {unknown[0]}."}, status=400)
    if request.GET.get("pages"):  # pages only: what [[links]] name
        page_kinds = [t.kind for t in registry.page_types()]
        kinds = [k for k in kinds if k in page_kinds] or page_kinds
    try:
        limit = int(request.GET.get("limit", search.SUGGESTIONS))
    except ValueError:
        return JsonResponse({"error": "limit is not a number."}, status=400)
    if not 1 <= limit <= search.MAX_SUGGESTIONS:
        return JsonResponse(
            {"error": f"limit is from 1 to {search.MAX_SUGGESTIONS}."}, status=400
        )
    found = search.suggest(query, kinds=kinds, limit=limit) if query else []
    shared = search.shared_titles(found)
    response = JsonResponse(
        {
            "query": query,
            "results": [s.as_json(shared_titles=shared) for s in found],
            "search_url": f"{reverse('wiki:search')}?{urlencode({'q': query})}"
            if query
            else "",
        }
    )
    response["Cache-Control"] = "max-age=60"
    return response
