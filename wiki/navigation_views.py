"""The "see all" pages of the bounded lists a page leads to (wiki/registry.py
``NavList``): ``/<section>/<slug>/<key>/``, e.g. /people/alec-radford/coauthors/
or /works/clip/links-here/ (Wikipedia's WhatLinksHere)."""

from django.conf import settings
from django.http import HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import reverse

from wiki import history_views, redirects, registry
from wiki.pagination import page_numbers, paginate
from wiki.views import not_found


def nav_list_url(page, key: str) -> str:
    return reverse(
        "wiki:nav_list", kwargs={"section": page.section, "slug": page.slug, "key": key}
    )


def nav_list_page(request, section, slug, key):
    """Every entry of one of a page's lists, a page at a time, with the notes
    the list shows on the page.

    Pages are numbered (``?page=``, OFFSET over the list's indexed order): a
    list holds thousands of entries at most, and readers jump to a page.
    """
    page_type = registry.page_type_for_section(section)
    nav_list = registry.nav_list(page_type.kind, key)
    page = page_type.model.objects.published().filter(slug=slug).first()
    if page is None or nav_list is None:
        return _missing(request, page_type=page_type, slug=slug, key=key, page=page)
    context = paginate(request, nav_list.entries(page), settings.LINEAGE_NAV_PAGE_SIZE)
    context.update(
        page=page,
        page_type=page_type,
        nav_list=nav_list,
        items=nav_list.items(page, list(context["object_list"])),
        section_url=page_type.index_url,
        page_numbers=page_numbers(context["page_obj"]),
    )
    return render(request, "wiki/nav_list.html", context)


def _missing(request, *, page_type, slug, key, page):
    """As the page view answers for the page: 410 when it is deleted, a 301
    to the same list of its new address when it was renamed; else 404 (for a
    live page, with the lists it does have)."""
    if page is None:
        gone_or_moved = history_views.page_missing(
            request, page_type=page_type, slug=slug
        )
        if isinstance(gone_or_moved, HttpResponsePermanentRedirect):
            moved = redirects.redirect_target(kind=page_type.kind, slug=slug)
            if registry.nav_list(page_type.kind, key) is not None:
                return HttpResponsePermanentRedirect(nav_list_url(moved, key))
            return not_found(request, slug=key)
        if gone_or_moved is not None:
            return gone_or_moved
        return not_found(request, slug=slug)
    # The page is there but has no such list: say so, and name those it has.
    lists = [
        (nav_list.title, nav_list_url(page, nav_list.key))
        for nav_list in registry.nav_lists(page_type.kind)
    ]
    return render(
        request,
        "wiki/nav_list_missing.html",
        {"page": page, "page_type": page_type, "key": key, "lists": lists},
        status=404,
    )
