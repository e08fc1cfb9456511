from django.urls import path

from sources import views

app_name = "sources"
urlpatterns = [
    path("sources/<str:key>/", views.source_detail, name="source_detail"),
]
