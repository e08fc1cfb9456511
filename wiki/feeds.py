"""Atom feeds of recent changes, site-wide and per page."""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from wiki import history, registry
from wiki.history_forms import ChangesFilterForm

FEED_ITEMS = 50


def diff_url(entry: history.Entry, page) -> str:
    """The diff an entry introduced, or the revision itself if it is the first."""
    kwargs = {"section": page.section, "slug": page.slug}
    if entry.previous_id is None:
        return reverse(
            "wiki:revision_detail", kwargs={**kwargs, "revision_id": entry.id}
        )
    url = reverse("wiki:page_diff", kwargs=kwargs)
    return f"{url}?from={entry.previous_id}&to={entry.id}"


class RecentChangesFeed(Feed):
    feed_type = Atom1Feed
    title = "Lineage: recent changes"
    subtitle = "Every published revision of every page, newest first."
    description_template = "wiki/history/feed_item.html"

    def get_object(self, request):
        return ChangesFilterForm(request.GET or None)

    def link(self, form):
        return reverse("wiki:recent_changes")

    def items(self, form):
        versions = form.filter(history.change_versions())[:FEED_ITEMS]
        entries = history.entries(versions, with_pages=True)
        return [e for e in entries if e.page or e.record]

    def item_title(self, entry):
        title = entry.page.title if entry.page else entry.title
        return f"{title}: {entry.summary or entry.action_label}"

    def item_link(self, entry):
        if entry.page is None:
            return f"{entry.record_history_url}#revision-{entry.id}"
        return diff_url(entry, entry.page)

    def item_guid(self, entry):
        return f"lineage-revision-{entry.id}"

    item_guid_is_permalink = False

    def item_pubdate(self, entry):
        return entry.revision.date_created

    def item_updateddate(self, entry):
        return entry.revision.date_created

    def item_author_name(self, entry):
        user = entry.revision.user
        return user.get_username() if user else None


class PageHistoryFeed(RecentChangesFeed):
    def get_object(self, request, section, slug):
        page_type = registry.page_type_for_section(section)
        page = page_type.model.objects.filter(slug=slug).first()
        if page is None:
            raise Http404(f"No page at {slug}")
        return page

    def title(self, page):
        return f"Lineage: history of {page.title}"

    def subtitle(self, page):
        return f"Every published revision of {page.title}, newest first."

    def link(self, page):
        return reverse(
            "wiki:page_history", kwargs={"section": page.section, "slug": page.slug}
        )

    def items(self, page):
        entries = history.entries(history.page_history(page)[:FEED_ITEMS])
        for entry in entries:
            entry.page = page
        return entries
