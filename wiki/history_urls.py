"""History URLs, included in the ``wiki`` namespace by wiki/urls.py."""

from django.urls import path

from wiki import feeds, history_views, visibility_views

page = "<section:section>/<slug:slug>"

urlpatterns = [
    path(f"{page}/history/", history_views.page_history, name="page_history"),
    path(f"{page}/history/feed/", feeds.PageHistoryFeed(), name="page_history_feed"),
    path(f"{page}/diff/", history_views.page_diff, name="page_diff"),
    path(
        f"{page}/revisions/<id:revision_id>/",
        history_views.revision_detail,
        name="revision_detail",
    ),
    path(
        f"{page}/revisions/<id:revision_id>/revert/",
        history_views.RevisionRevertView.as_view(),
        name="revision_revert",
    ),
    path(
        f"{page}/revisions/<id:revision_id>/undo/",
        history_views.RevisionUndoView.as_view(),
        name="revision_undo",
    ),
    path(
        f"{page}/revisions/visibility/",
        visibility_views.RevisionVisibilityView.as_view(),
        name="revision_visibility",
    ),
    path(
        f"{page}/rollback/",
        history_views.PageRollbackView.as_view(),
        name="page_rollback",
    ),
    path(f"{page}/delete/", history_views.PageDeleteView.as_view(), name="page_delete"),
    path(
        f"{page}/recover/", history_views.PageRecoverView.as_view(), name="page_recover"
    ),
    path(f"{page}/cite/", history_views.page_cite, name="page_cite"),
    path(
        f"{page}/attribution/",
        history_views.page_attribution,
        name="page_attribution",
    ),
    path("changes/", history_views.recent_changes, name="recent_changes"),
    path("changes/feed/", feeds.RecentChangesFeed(), name="recent_changes_feed"),
    path("users/<str:username>/", history_views.contributor, name="contributor"),
    path("deleted/", history_views.DeletedPagesView.as_view(), name="deleted_pages"),
    path(
        "log/visibility/",
        visibility_views.VisibilityLogView.as_view(),
        name="visibility_log",
    ),
]
