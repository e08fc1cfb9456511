from sources.models import Source
from wiki.sitemaps import PagedSitemap, path_prefix


class SourceSitemap(PagedSitemap):
    changefreq = "monthly"
    priority = 0.3

    @property
    def prefix(self) -> str:
        return path_prefix("sources:source_detail", key="x")

    def rows(self):
        return Source.objects.order_by("id").values_list("key", "updated_at")
