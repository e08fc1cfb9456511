from django.contrib import admin
from django.urls import include, path, register_converter

from wiki import registry, views


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

wiki_patterns = [
    path("", views.home, name="home"),
    path("go/", views.resolve_title, name="resolve"),
    path("preview/markdown/", views.markdown_preview, name="markdown_preview"),
    path("<section:section>/<slug:slug>/", views.page_detail, name="page_detail"),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("sources.urls")),
    path("", include((wiki_patterns, "wiki"))),
]
handler404 = "wiki.views.not_found"
