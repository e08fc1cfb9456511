from django.urls import path

from sources import edit_views, views

app_name = "sources"
urlpatterns = [
    path("works/", views.work_index, name="work_index"),
    path("sources/", views.source_index, name="source_index"),
    path("sources/new/", edit_views.source_create, name="source_create"),
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
