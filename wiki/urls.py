from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, register_converter
from django.views.generic import RedirectView

from wiki import (
    graph_views,
    maintenance_views,
    navigation_views,
    previews,
    registry,
    search_views,
    views,
)
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
    path("search/", search_views.search_page, name="search"),
    path("search/suggest/", search_views.suggest, name="search_suggest"),
    path("themes/", views.theme_index, name="theme_index"),
    path("wanted/", views.wanted_pages, name="wanted"),
    path("maintenance/", maintenance_views.maintenance_overview, name="maintenance"),
    path(
        "maintenance/<slug:section>/",
        maintenance_views.maintenance_section,
        name="maintenance_section",
    ),
    path("preview/markdown/", views.markdown_preview, name="markdown_preview"),
    path(
        "preview/<section:section>/<slug:slug>/",
        previews.page_preview,
        name="page_preview",
    ),
    path("<section:section>/<slug:slug>/", views.page_detail, name="page_detail"),
    path("", include("wiki.history_urls")),
    path(
        "<section:section>/<slug:slug>/graph.json",
        graph_views.page_graph_json,
        name="page_graph",
    ),
    path(
        "<section:section>/<slug:slug>/network/",
        graph_views.page_network,
        name="page_network",
    ),
    # A page's bounded lists in full (co-authors, what links here...): after
    # the history URLs, whose segments (history/, diff/...) are no list's key.
    path(
        "<section:section>/<slug:slug>/<slug:key>/",
        navigation_views.nav_list_page,
        name="nav_list",
    ),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    # An index of paged sitemaps, one section per kind (sitemap-people.xml?p=2).
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": sitemaps(), "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<slug:section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": sitemaps()},
        name="sitemap_section",
    ),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path(
        "favicon.ico",
        RedirectView.as_view(url=f"{settings.STATIC_URL}favicon.svg", permanent=True),
        name="favicon",
    ),
    path("accounts/", include("wiki.accounts")),
    path("api/", include("api.urls")),
    path("", include("wiki.moderation.urls")),
    path("", include("wiki.discussion.urls")),
    path("", include("wiki.watchlist.urls")),
    # Each app that declares a kind: its index pages and its own views.
    *(path("", include(module)) for module in registry.url_modules()),
    path("", include((wiki_patterns, "wiki"))),
]
handler404 = "wiki.views.not_found"
handler500 = "wiki.errors.server_error"
