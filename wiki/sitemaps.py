from django.contrib.sitemaps import Sitemap

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


class SourceSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.3

    def items(self):
        from django.apps import apps

        return apps.get_model("sources", "Source").objects.order_by("id")

    def lastmod(self, source):
        return source.updated_at
