from django.conf import settings
from django.db.models import Prefetch
from django.http import (
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
)
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from wiki import registry
from wiki.links import normalize_title, resolve_titles
from wiki.markdown import markdownify
from wiki.models import Page, RelatedPage
from wiki.search import close_matches


def home(request):
    recent = Page.objects.published().order_by("-updated_at")[:10]
    return render(request, "wiki/home.html", {"recent": recent})


def page_detail(request, section, slug):
    page_type = registry.page_type_for_section(section)
    queryset = page_type.model.objects.published()
    if hasattr(queryset, "with_navigation"):
        queryset = queryset.with_navigation()
    page = (
        queryset.prefetch_related(
            Prefetch("related_links", RelatedPage.objects.select_related("target")),
            "citations__source",
        )
        .filter(slug=slug)
        .first()
    )
    if page is None:
        return not_found(request, slug=slug)
    meta = model_meta(page)
    return render(
        request,
        [f"{meta.app_label}/{meta.model_name}_detail.html", "wiki/page_detail.html"],
        {"page": page, "page_type": page_type},
    )


def model_meta(page):
    return type(page)._meta


def resolve_title(request):
    """Where a [[wikilink]] goes: the page, a choice of pages, or a missing page."""
    title = " ".join(request.GET.get("title", "").split())[:255]
    pages = resolve_titles([title]).get(normalize_title(title), []) if title else []
    if len(pages) == 1:
        return redirect(pages[0])
    status = 200 if pages else 404
    return render(
        request,
        "wiki/resolve.html",
        {"title": title, "pages": pages, "suggestions": close_matches(title)},
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
    if len(content) > settings.LINEAGE_MAX_BODY_CHARS:
        limit = settings.LINEAGE_MAX_BODY_CHARS
        return HttpResponseBadRequest(
            f"The text is too long to preview (over {limit:,} characters)."
        )
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
