"""The read API, under /api/ (wiki/urls.py includes it)."""

from django.urls import path, re_path
from drf_spectacular.renderers import OpenApiJsonRenderer
from drf_spectacular.views import SpectacularAPIView

from api import views

app_name = "api"

page = "pages/<id:page_id>"

urlpatterns = [
    path(
        "schema/",
        SpectacularAPIView.as_view(
            renderer_classes=[OpenApiJsonRenderer],
            http_method_names=["get", "head", "options"],
        ),
        name="schema",
    ),
    path("pages/", views.PageList.as_view(), name="page_list"),
    path(f"{page}/", views.PageDetail.as_view(), name="page_detail"),
    *(
        path(f"{page}/{name}/", view.as_view(), name=f"page_{name}")
        for name, view in views.RELATION_VIEWS.items()
    ),
    path(f"{page}/revisions/", views.RevisionList.as_view(), name="page_revisions"),
    path(
        f"{page}/revisions/<id:revision_id>/",
        views.RevisionDetail.as_view(),
        name="revision_detail",
    ),
    path("changes/", views.RecentChanges.as_view(), name="recent_changes"),
    path("sources/", views.SourceList.as_view(), name="source_list"),
    path("sources/<id:source_id>/", views.SourceDetail.as_view(), name="source_detail"),
    path(
        "sources/<id:source_id>/citations/",
        views.SourceCitations.as_view(),
        name="source_citations",
    ),
    # Any other address under /api/: a 404 in JSON, not the site's HTML page.
    re_path(r"^", views.NotFound.as_view(), name="not_found"),
]
