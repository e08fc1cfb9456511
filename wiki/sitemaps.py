from django.contrib.sitemaps import Sitemap

from wiki import registry
from wiki.models import Page


class PageSitemap(Sitemap):
    changefreq = "weekly"
    limit = 5000

    def items(self):
        return (
            Page.objects.published().only("kind", "slug", "updated_at").order_by("id")
        )

    def lastmod(self, page):
        return page.updated_at


def sitemaps() -> dict[str, type[Sitemap]]:
    """Every page, then what each kind that is not a page adds (sources...)."""
    return {
        "pages": PageSitemap,
        **{k.section: k.sitemap for k in registry.kinds() if k.sitemap is not None},
    }
