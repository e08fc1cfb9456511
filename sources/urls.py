from django.urls import path

from sources import edit_views, exchange_views, views

app_name = "sources"
urlpatterns = [
    path("works/", views.work_index, name="work_index"),
    path("sources/", views.source_index, name="source_index"),
    path("sources/new/", edit_views.source_create, name="source_create"),
    path("sources/import/", exchange_views.source_import, name="source_import"),
    path(
        "sources/all.bib",
        exchange_views.sources_export,
        {"fmt": "bibtex"},
        name="sources_bibtex",
    ),
    path(
        "sources/all.json",
        exchange_views.sources_export,
        {"fmt": "csl"},
        name="sources_csl",
    ),
    path(
        "sources/<str:key>/cite.bib",
        exchange_views.source_export,
        {"fmt": "bibtex"},
        name="source_bibtex",
    ),
    path(
        "sources/<str:key>/cite.json",
        exchange_views.source_export,
        {"fmt": "csl"},
        name="source_csl",
    ),
    # A page's references, as files (a page's own URLs end in a slash).
    path(
        "<section:section>/<slug:slug>/references.bib",
        exchange_views.page_references_export,
        {"fmt": "bibtex"},
        name="page_references_bibtex",
    ),
    path(
        "<section:section>/<slug:slug>/references.json",
        exchange_views.page_references_export,
        {"fmt": "csl"},
        name="page_references_csl",
    ),
    path(
        "sources/proposals/<id:pk>/amend/",
        edit_views.proposal_amend,
        name="proposal_amend",
    ),
    path("sources/<str:key>/", views.source_detail, name="source_detail"),
    path("sources/<str:key>/edit/", edit_views.source_edit, name="source_edit"),
    path("sources/<str:key>/history/", views.source_history, name="source_history"),
    path("sources/<str:key>/cited-by/", views.source_cited_by, name="source_cited_by"),
]
