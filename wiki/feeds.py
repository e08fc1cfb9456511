"""Atom feeds of recent changes, site-wide and per page."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from wiki import history, history_views, registry, revision_visibility
from wiki.history_forms import ChangesFilterForm
from wiki.text import xml_safe

FEED_ITEMS = 50


def _xml_safe(value):
    if isinstance(value, str):
        return xml_safe(value)
    if isinstance(value, list | tuple):
        return type(value)(_xml_safe(item) for item in value)
    return value


class SafeAtom1Feed(Atom1Feed):
    """Atom without the characters XML cannot carry (a control character in a
    title or summary stored before input was cleaned), rather than no feed."""

    def __init__(self, *args, **kwargs):
        super().__init__(
            *map(_xml_safe, args), **{k: _xml_safe(v) for k, v in kwargs.items()}
        )

    def add_item(self, *args, **kwargs):
        super().add_item(
            *map(_xml_safe, args), **{k: _xml_safe(v) for k, v in kwargs.items()}
        )


def diff_url(entry: history.Entry, page) -> str:
    """The diff an entry introduced, or the revision itself if it is the first."""
    kwargs = {"section": page.section, "slug": page.slug}
    if entry.previous_id is None:
        return reverse(
            "wiki:revision_detail", kwargs={**kwargs, "revision_id": entry.id}
        )
    url = reverse("wiki:page_diff", kwargs=kwargs)
    return f"{url}?from={entry.previous_id}&to={entry.id}"


def with_viewer(entries: list[history.Entry], viewer) -> list[history.Entry]:
    """Mark ``entries`` with whether ``viewer`` sees their hidden parts."""
    sees = any(e.hidden_parts for e in entries) and revision_visibility.sees_hidden(
        viewer
    )
    for entry in entries:
        entry.sees_hidden = sees
    return entries


class DeletedPage(Exception):
    """A deleted page's feed, asked for by someone who may not read its history."""

    def __init__(self, page, page_type):
        self.page, self.page_type = page, page_type


class RecentChangesFeed(Feed):
    feed_type = SafeAtom1Feed
    title = "Lineage: recent changes"
    subtitle = "Every published revision of every page, newest first."
    description_template = "wiki/history/feed_item.html"

    def get_object(self, request):
        form = ChangesFilterForm(request.GET or None)
        form.viewer = request.user  # what the entries may show depends on who asks
        return form

    def link(self, form):
        return reverse("wiki:recent_changes")

    def items(self, form):
        versions = revision_visibility.listable(
            form.filter(history.change_versions(), viewer=form.viewer),
            form.viewer,
            by_author=bool(form.data.get("user", "").strip()),
        )[:FEED_ITEMS]
        entries = history.entries(versions, with_pages=True)
        entries = [e for e in entries if e.page or e.record]
        return with_viewer(entries, form.viewer)

    def item_title(self, entry):
        title = entry.page.title if entry.page else entry.title
        summary = entry.summary
        if entry.summary_hidden:
            summary = (
                f"{summary} (summary hidden from the public)"
                if entry.sees_hidden
                else revision_visibility.HIDDEN
            )
        return f"{title}: {summary or entry.action_label}"

    def item_link(self, entry):
        if entry.page is None:
            return f"{entry.record_history_url}#revision-{entry.id}"
        if entry.text_hidden and not entry.sees_hidden:
            # Its diff would answer 403: point at its row in the history.
            history_url = reverse(
                "wiki:page_history",
                kwargs={"section": entry.page.section, "slug": entry.page.slug},
            )
            return f"{history_url}#revision-{entry.id}"
        return diff_url(entry, entry.page)

    def item_guid(self, entry):
        """A tag URI (RFC 4151): an IRI, as Atom requires, that names the
        revision on this site for good, whatever its page is called later."""
        host = urlsplit(settings.LINEAGE_SITE_URL).hostname or "localhost"
        return f"tag:{host},2026:revision-{entry.id}"

    item_guid_is_permalink = False

    def item_pubdate(self, entry):
        return entry.revision.date_created

    def item_updateddate(self, entry):
        return entry.revision.date_created

    def item_author_name(self, entry):
        if entry.author_hidden and not entry.sees_hidden:
            return revision_visibility.HIDDEN
        user = entry.revision.user
        return user.get_username() if user else None


class PageHistoryFeed(RecentChangesFeed):
    def __call__(self, request, *args, **kwargs):
        try:
            return super().__call__(request, *args, **kwargs)
        except DeletedPage as deleted:
            return history_views.deleted_history(
                request, page=deleted.page, page_type=deleted.page_type
            )

    def get_object(self, request, section, slug):
        page_type = registry.page_type_for_section(section)
        page = page_type.model.objects.filter(slug=slug).first()
        if page is None:
            raise Http404(f"No page at {slug}")
        if page.is_deleted and not revision_visibility.sees_deleted_history(
            request.user
        ):
            raise DeletedPage(page, page_type)
        page.viewer = request.user
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
        return with_viewer(entries, page.viewer)
