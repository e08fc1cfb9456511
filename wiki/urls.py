from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.urls import include, path, register_converter
from django.views.generic import RedirectView

from wiki import registry, views
from wiki.ids import IdConverter
from wiki.sitemaps import sitemaps


class SectionConverter:
    """Matches the URL section of a registered page kind (people, works...)."""

    @property
    def regex(self):
        return "|".join(t.section for t in registry.page_types()) or "(?!)"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(SectionConverter, "section")
register_converter(IdConverter, "id")

wiki_patterns = [
    path("", views.home, name="home"),
    path("go/", views.resolve_title, name="resolve"),
    path("themes/", views.theme_index, name="theme_index"),
    path("wanted/", views.wanted_pages, name="wanted"),
    path("preview/markdown/", views.markdown_preview, name="markdown_preview"),
    path("<section:section>/<slug:slug>/", views.page_detail, name="page_detail"),
    path("", include("wiki.history_urls")),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path(
        "sitemap.xml",
        sitemap_view,
        {"sitemaps": sitemaps()},
        name="sitemap",
    ),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path(
        "favicon.ico",
        RedirectView.as_view(url=f"{settings.STATIC_URL}favicon.svg", permanent=True),
        name="favicon",
    ),
    path("accounts/", include("wiki.accounts")),
    path("", include("wiki.moderation.urls")),
    # Each app that declares a kind: its index pages and its own views.
    *(path("", include(module)) for module in registry.url_modules()),
    path("", include((wiki_patterns, "wiki"))),
]
handler404 = "wiki.views.not_found"
