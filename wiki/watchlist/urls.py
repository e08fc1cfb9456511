"""URLs of watchlists (namespace ``watchlist``)."""

from django.urls import path

from wiki.watchlist import views

app_name = "watchlist"
urlpatterns = [
    path("watchlist/", views.watchlist, name="watchlist"),
    path("watchlist/pages/", views.watched_pages, name="watched_pages"),
    path("watchlist/preferences/", views.preferences, name="preferences"),
    path("<section:section>/<slug:slug>/watch/", views.page_watch, name="page_watch"),
]
