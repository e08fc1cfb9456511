"""The sitemap index (/sitemap.xml) and its paged sitemaps, one section per
page kind (/sitemap-people.xml?p=2) and per record kind that has one
(sources): every live page, a bounded number of URLs per sitemap page."""

from urllib.parse import quote

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse
from django.utils.http import RFC3986_SUBDELIMS

from wiki import registry
from wiki.models import Page


class PagedSitemap(Sitemap):
    """A sitemap read as ``(path part, updated_at)`` rows, in pages of
    ``LINEAGE_SITEMAP_PAGE_SIZE`` URLs (``?p=``, an OFFSET over an index):
    only the columns it prints, no model instances, no query per item.

    Subclasses give ``rows()`` (a values_list QuerySet ordered by an index)
    and ``prefix``, the path before each row's part.
    """

    changefreq = "weekly"

    @property
    def limit(self) -> int:
        return settings.LINEAGE_SITEMAP_PAGE_SIZE

    def rows(self):
        raise NotImplementedError

    def items(self):
        return self.rows()

    def location(self, row) -> str:
        # reverse() for each of thousands of rows costs more than the query:
        # the path is the prefix reverse() gives once, then the row's part
        # quoted as reverse() quotes it.
        return f"{self.prefix}{quote(row[0], safe=RFC3986_SUBDELIMS + '/~:@')}/"

    def lastmod(self, row):
        return row[1]

    def get_latest_lastmod(self):
        """The newest change in the section, one aggregate (Django's default
        reads every item)."""
        return self.rows().order_by().aggregate(latest=Max("updated_at"))["latest"]


def path_prefix(url_name: str, **kwargs) -> str:
    """The path of ``url_name`` before its last argument, which is "x"."""
    return reverse(url_name, kwargs=kwargs).removesuffix("x/")


class PageSitemap(PagedSitemap):
    """The live pages of one kind, oldest first."""

    kind = ""

    @property
    def prefix(self) -> str:
        section = registry.page_type(self.kind).section
        return path_prefix("wiki:page_detail", section=section, slug="x")

    def rows(self):
        return (
            Page.objects.published()
            .filter(kind=self.kind)
            .order_by("id")
            .values_list("slug", "updated_at")
        )


def page_sitemap(kind: str) -> type[PageSitemap]:
    return type(f"{kind.title()}Sitemap", (PageSitemap,), {"kind": kind})


def sitemaps() -> dict[str, type[Sitemap]]:
    """Each page kind's pages by its URL section, then what each kind that is
    not a page adds (sources...)."""
    return {
        **{k.section: page_sitemap(k.kind) for k in registry.page_types()},
        **{k.section: k.sitemap for k in registry.kinds() if k.sitemap is not None},
    }
