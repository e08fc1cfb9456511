"""The maintenance page's lists of citations (wiki.maintenance).

Each list is one query, ordered by an index in the order it shows (with the
page id or key last, so the order is stable from one page of it to the
next), and reads only the rows of the page shown.
"""

from django.db.models import QuerySet

from sources.models import CitationUse, PageCoverage, SourceUsage
from wiki import maintenance
from wiki.maintenance import Section

# The page fields a list shows (a link to each page and its kind).
PAGE_FIELDS = ("page__kind", "page__slug", "page__title")


def lowest_coverage() -> QuerySet:
    """Pages with body paragraphs, the least cited first (index
    ``coverage_lowest_first``)."""
    return (
        PageCoverage.objects.filter(paragraphs__gt=0, page__is_deleted=False)
        .select_related("page")
        .only("paragraphs", "cited", "needed", "share", *PAGE_FIELDS)
        .order_by("share", "-paragraphs", "page_id")
    )


def citation_needed() -> QuerySet:
    """Pages with "citation needed" markers, the most first."""
    return (
        PageCoverage.objects.filter(needed__gt=0, page__is_deleted=False)
        .select_related("page")
        .only("paragraphs", "cited", "needed", "share", *PAGE_FIELDS)
        .order_by("-needed", "page_id")
    )


def unknown_keys() -> QuerySet:
    """Citation keys pages cite that no source has, by key."""
    return (
        CitationUse.objects.filter(source__isnull=True, page__is_deleted=False)
        .select_related("page")
        .only("key", *PAGE_FIELDS)
        .order_by("key", "page_id")
    )


def uncited_sources() -> QuerySet:
    """Sources no live page's text cites with ``[@key]``, oldest first (index
    ``source_usage_uncited``): those only listed under a page's references,
    or nowhere at all."""
    return (
        SourceUsage.objects.filter(pages=0)
        .select_related("source")
        .only("source__key", "source__title")
        .order_by("source_id")
    )


def register() -> None:
    maintenance.register(
        Section(
            key="coverage",
            title="Lowest citation coverage",
            about="Pages by the share of their body paragraphs that cite a "
            "source, lowest first. Body paragraphs are the paragraphs and list "
            "items at the top level of a page’s body (not its lede, infobox, "
            "headings, code, tables or quotations); one cites a source when it "
            "holds a citation [@key] of a source that exists, not [@?] or an "
            "unknown key.",
            empty="No page has body paragraphs yet.",
            rows=lowest_coverage,
            template="sources/maintenance/coverage.html",
            order=10,
        )
    )
    maintenance.register(
        Section(
            key="citation-needed",
            title="Citation needed",
            about="Pages with claims marked [citation needed], the most first. "
            "Writing [@?] after a claim marks it; replace the marker with "
            "[@key] once a source supports the claim.",
            empty="No page has a claim marked [citation needed].",
            rows=citation_needed,
            template="sources/maintenance/citation_needed.html",
            order=20,
        )
    )
    maintenance.register(
        Section(
            key="unknown-keys",
            title="Unknown citation keys",
            about="Keys that pages cite with [@key] but that no source has: "
            "create the source, or correct the key on the page.",
            empty="Every cited key has its source.",
            rows=unknown_keys,
            template="sources/maintenance/unknown_key.html",
            order=30,
        )
    )
    maintenance.register(
        Section(
            key="uncited-sources",
            title="Sources cited in no page’s body",
            about="Sources that no page’s body cites with [@key], oldest first. "
            "Some are listed among a page’s references, or cited only in a "
            "field such as an affiliation’s note: cite them where the body "
            "makes the claim.",
            empty="Every source is cited in a page’s body.",
            rows=uncited_sources,
            template="sources/maintenance/uncited_source.html",
            order=40,
        )
    )
