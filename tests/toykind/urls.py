from django.urls import path

from tests.toykind import views

app_name = "toykind"
urlpatterns = [
    path("datasets/", views.dataset_index, name="dataset_index"),
]
