"""URLs of editing and moderation (namespace ``moderation``)."""

from django.urls import path

from wiki.moderation import edit_views, proposal_views, review_views

app_name = "moderation"
urlpatterns = [
    path("<section:section>/new/", edit_views.page_create, name="page_create"),
    path("<section:section>/<slug:slug>/edit/", edit_views.page_edit, name="page_edit"),
    path("proposals/<id:pk>/", proposal_views.proposal_detail, name="proposal_detail"),
    path("proposals/<id:pk>/amend/", edit_views.proposal_amend, name="proposal_amend"),
    path(
        "proposals/<id:pk>/resubmit/",
        edit_views.proposal_resubmit,
        name="proposal_resubmit",
    ),
    path(
        "proposals/<id:pk>/withdraw/",
        proposal_views.proposal_withdraw,
        name="proposal_withdraw",
    ),
    path("review/", review_views.review_queue, name="review_queue"),
    path("review/<id:pk>/", review_views.review_detail, name="review_detail"),
    path("review/<id:pk>/approve/", review_views.review_approve, name="review_approve"),
    path("review/<id:pk>/reject/", review_views.review_reject, name="review_reject"),
    path("review/<id:pk>/state/", review_views.review_state, name="review_state"),
    path(
        "users/<str:username>/limits/",
        review_views.proposal_limits,
        name="proposal_limits",
    ),
    path("me/contributions/", proposal_views.contributions, name="contributions"),
    path("me/notifications/", proposal_views.notifications, name="notifications"),
    path(
        "autocomplete/<slug:lookup>/", proposal_views.autocomplete, name="autocomplete"
    ),
]
