from django.contrib.sitemaps import Sitemap

from sources.models import Source


class SourceSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.3

    def items(self):
        return Source.objects.order_by("id")

    def lastmod(self, source):
        return source.updated_at
