"""URLs of discussion (namespace ``discussion``)."""

from django.urls import path

from wiki.discussion import views

app_name = "discussion"
urlpatterns = [
    path(
        "proposals/<id:pk>/comments/", views.proposal_comment, name="proposal_comment"
    ),
    path("<section:section>/<slug:slug>/talk/", views.talk, name="talk"),
    path(
        "<section:section>/<slug:slug>/talk/history/",
        views.talk_history,
        name="talk_history",
    ),
    path("comments/<id:pk>/edit/", views.comment_edit, name="comment_edit"),
    path(
        "comments/<id:pk>/visibility/",
        views.comment_visibility,
        name="comment_visibility",
    ),
]
