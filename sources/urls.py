from django.urls import path

from sources import views

app_name = "sources"
urlpatterns = [
    path("works/", views.work_index, name="work_index"),
    path("sources/", views.source_index, name="source_index"),
    path("sources/<str:key>/", views.source_detail, name="source_detail"),
]
