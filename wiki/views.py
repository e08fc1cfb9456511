from django.conf import settings
from django.contrib import messages
from django.db.models.functions import Length
from django.http import (
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from wiki import cache, history_views, redirects, registry, tallies
from wiki.links import normalize_title, qualified_title, resolve_titles, split_kind
from wiki.markdown import limit_problems, markdownify
from wiki.models import HEAVY_FIELDS, INITIAL, Page, Theme, WantedPage
from wiki.pagination import paginate
from wiki.search import close_matches
from wiki.seo import json_ld_script, structured_data
from wiki.text import clean_block


def home(request):
    pages = Page.objects.published()
    counts = tallies.kind_tallies()
    sections = [
        {
            "type": t,
            "count": (counts[t.kind].pages if t.kind in counts else 0)
            if t.is_page
            else None,
            "url": section_index_url(t),
        }
        for t in registry.kinds()
        if t.index
    ]
    return render(
        request,
        "wiki/home.html",
        {
            "sections": sections,
            "featured": featured_page(),
            "recent": pages.order_by("-updated_at").only(
                "kind", "title", "slug", "updated_at"
            )[:10],
        },
    )


def featured_page() -> Page | None:
    """The richest live page (longest text) of the kinds that can be featured:
    one row read per kind, from the ``page_live_kind_richness`` index."""
    richest = [
        Page.objects.published()
        .filter(kind=t.kind)
        .annotate(richness=Length("body"))
        .order_by("-richness", "title")
        .only("kind", "title", "slug", "summary")
        .first()
        for t in registry.page_types()
        if t.featured
    ]
    richest = [page for page in richest if page is not None]
    return min(richest, key=lambda p: (-p.richness, p.title), default=None)


def section_index_url(page_type) -> str:
    return page_type.index_url


# The cached parts of a page view (templates/wiki/page_detail.html).
FRAGMENTS = ("json_ld", "article")


def page_detail(request, section, slug):
    page_type = registry.page_type_for_section(section)
    live = page_type.model.objects.published().filter(slug=slug)
    # The article and its JSON-LD are the same for every reader (but for the
    # names hidden from the public, which the footer may show): when both are
    # cached for this generation, what only they show is not read at all.
    fragments = cache.Fragments(
        request,
        "page",
        page_type.kind,
        slug,
        get_language(),
        request.user.has_perm("wiki.hide_revision"),
        names=FRAGMENTS,
    )
    if fragments.complete:
        page = live.defer(*HEAVY_FIELDS).first()
    else:
        page = live.for_page_view().first()
    if page is None:
        gone_or_moved = history_views.page_missing(
            request, page_type=page_type, slug=slug
        )
        return gone_or_moved or not_found(request, slug=slug)
    context = {
        "page": page,
        "page_type": page_type,
        "section_url": section_index_url(page_type),
        "fragments": fragments,
    }
    if not fragments.complete:
        context.update(
            navigation=registry.navigation_for(page),
            structured_data=json_ld_script(structured_data(page, request)),
            **registry.page_context(page),
        )
    return render(
        request,
        page_type.templates,
        context,
    )


def theme_index(request):
    themes = Theme.objects.published().order_by("title")
    return render(request, "wiki/theme_index.html", index_context(request, themes))


def index_context(
    request,
    queryset,
    *,
    per_page: int = 50,
    letters: bool = True,
    tally: str | None = None,
):
    """Paginate an index, with A–Z jumps (``?letter=``) over the titles.

    For a list of every live page of a kind (or every record of the
    ``tally`` named), the letters and the number of entries come from its
    tally (``wiki.tallies``), and the page of entries from an index in title
    order: a fixed number of rows read.
    """
    context = {}
    declaration = registry.page_type_for_model(queryset.model)
    count = None
    if declaration is not None:
        # Redundant for a kind's own model, but it lets the database read
        # the kind's index (``page_live_kind_title``) in title order.
        queryset = queryset.filter(kind=declaration.kind)
        tally = declaration.kind
    tally = tallies.kind_tally(tally) if tally else None
    if letters:
        letter = request.GET.get("letter", "")[:1].upper()
        if tally is not None:
            context["letters"] = sorted(tally.initials)
            count = tally.initials.get(letter, 0) if letter else tally.pages
        else:
            initials = queryset.order_by().annotate(initial=INITIAL)
            context["letters"] = sorted(
                initials.values_list("initial", flat=True).distinct()
            )
        if letter:
            queryset = queryset.alias(initial=INITIAL).filter(initial=letter)
        context["letter"] = letter
    elif tally is not None:
        count = tally.pages
    filters = request.GET.copy()
    for name in ("page", "letter"):
        filters.pop(name, None)
    # Other filters than the letter narrow the list: the tally does not count it.
    counted = count if not filters else None
    context.update(paginate(request, queryset, per_page, count=counted))
    context.update(
        items=context["page_obj"].object_list, filter_query=filters.urlencode()
    )
    return context


def wanted_pages(request):
    """Titles that pages link to but that have no page yet, most wanted first
    (as ``wiki.tallies`` keeps them)."""
    return render(
        request, "wiki/wanted.html", paginate(request, WantedPage.objects.all(), 100)
    )


def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /preview/",
        "Disallow: /go/",
        "Disallow: /search/",
        f"Sitemap: {sitemap}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


def resolve_title(request):
    """Where a [[wikilink]] goes: the page, a choice of pages, or a missing page."""
    title = " ".join(request.GET.get("title", "").split())[:255]
    pages = resolve_titles([title])[normalize_title(title)] if title else []
    if len(pages) == 1:
        return redirect(pages[0])
    if not pages and title:
        renamed = redirects.renamed_from(title)
        if renamed is not None:
            messages.info(request, f"Redirected from “{title}”.")
            return redirect(renamed)
    for page in pages:
        page.link_text = qualified_title(page)
    new_title, new_kind = split_kind(title)
    status = 200 if pages else 404
    return render(
        request,
        "wiki/resolve.html",
        {
            "title": title,
            "pages": pages,
            "suggestions": close_matches(title),
            "new_title": new_title,
            "new_kind": new_kind,
        },
        status=status,
    )


@require_POST
def markdown_preview(request):
    """django-markdownx's live preview, through the one sanitising renderer."""
    if not request.user.is_authenticated:
        return HttpResponseForbidden("Log in to preview.")
    content = request.POST.get("content")
    if content is None:
        return HttpResponseBadRequest("The preview needs a “content” field.")
    # As the forms clean it: PostgreSQL refuses a NUL in the links' lookups.
    content = clean_block(content)
    if len(content) > settings.LINEAGE_MAX_BODY_CHARS:
        limit = settings.LINEAGE_MAX_BODY_CHARS
        return HttpResponseBadRequest(
            f"The text is too long to preview (over {limit:,} characters)."
        )
    # Too many links cost lookups: refused, as the form refuses them.  Lists
    # nested too deep preview as the page would show them (flattened).
    problems = limit_problems(content, nesting=False)
    if problems:
        return HttpResponseBadRequest(" ".join(problems))
    return HttpResponse(markdownify(content))


def not_found(request, exception=None, *, slug=""):
    """The 404 page: a search box and the closest titles."""
    if not slug:
        slug = request.path.strip("/").rsplit("/", 1)[-1]
    query = slug.replace("-", " ")
    return render(
        request,
        "404.html",
        {"query": query, "suggestions": close_matches(query)},
        status=404,
    )
