from django.urls import path

from people import views

app_name = "people"
urlpatterns = [
    path("people/", views.person_index, name="person_index"),
    path("organizations/", views.organization_index, name="organization_index"),
]
