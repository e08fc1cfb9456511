"""Every view of the hostile site (tests/security/hostile_site.py), found by
walking what it holds: each page's views, each proposal's, each user's, the
lists, feeds, JSON endpoints, previews and the admin's pages."""

from urllib.parse import quote, urlencode, urlsplit

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import resolve, reverse
from reversion.admin import VersionAdmin

from sources.bibtex import to_bibtex
from sources.models import Source
from tests.security.hostile_site import HostileSite, markdown_document, one_line
from tests.security.payloads import PAYLOADS
from wiki import registry
from wiki.history import page_history
from wiki.models import Page
from wiki.text import clean_line, clean_title

# Routes of the site that show no user-written text, and why.
NOT_SHOWING_USER_TEXT = {
    "robots.txt": "fixed text",
    "favicon.ico": "a redirect to a static file",
    "accounts/signup/": "an empty form (usernames allow letters, digits, @.+-_)",
    "accounts/login/": "an empty form",
    "accounts/logout/": "POST only, redirects",
    "users/<str:username>/limits/": "POST only (moderators), redirects",
    "accounts/password/": "the user's own password form",
    "accounts/password/done/": "fixed text",
    "accounts/password/reset/": "an empty form",
    "accounts/password/reset/sent/": "fixed text",
    "accounts/password/reset/<uidb64>/<token>/": "a password form",
    "accounts/password/reset/done/": "fixed text",
    "proposals/<id:pk>/withdraw/": "POST only, redirects",
    "comments/<id:pk>/visibility/": "POST only (moderators), redirects",
    "watchlist/preferences/": "POST only, redirects (its form: the watchlist's)",
    "<section:section>/<slug:slug>/watch/": (
        "POST only, redirects; a forged action's 400 names the page as it does"
    ),
    "review/<id:pk>/reject/": "POST only (shown through the review page)",
    "review/<id:pk>/state/": "numbers and a status, as JSON",
    "<section:section>/<slug:slug>/revisions/<id:revision_id>/undo/": (
        "a confirmation whose plan is the diff view's"
    ),
    "<section:section>/<slug:slug>/rollback/": "a confirmation naming the page",
    "<section:section>/<slug:slug>/recover/": "a confirmation naming the page",
    "sources/proposals/<id:pk>/amend/": "the source form, as sources/<key>/edit/",
    "proposals/<id:pk>/amend/": "the edit form, as <section>/<slug>/edit/",
    "proposals/<id:pk>/resubmit/": "the edit form, as <section>/<slug>/edit/",
    "api/^": "a fixed 404 in JSON for addresses the API does not have",
    "sources/all.bib": "BibTeX, a download (tests/security/test_downloads.py)",
    "sources/<str:key>/cite.bib": "BibTeX, a download (test_downloads.py)",
    "<section:section>/<slug:slug>/references.bib": (
        "BibTeX, a download (tests/security/test_downloads.py)"
    ),
}


def site_views(site: HostileSite) -> list[tuple[str, str, str]]:
    """(who, method, url) of every view to fetch: who is "anonymous",
    "contributor", "moderator" or "admin"; POSTs are previews."""
    views: list[tuple[str, str, str]] = []

    def get(url, who="moderator"):
        views.append((who, "GET", url))

    marker = one_line(PAYLOADS[0].text)
    get("/", "anonymous")
    for page_type in registry.page_types():
        get(page_type.index_url, "anonymous")
        get(reverse("moderation:page_create", kwargs={"section": page_type.section}))
    get(reverse("wiki:theme_index"), "anonymous")
    for page in Page.objects.order_by("pk"):
        url = f"/{registry.page_type(page.kind).section}/{page.slug}/"
        get(url, "anonymous")
        get(url)
        get(url + "attribution/", "anonymous")
        get(url + "talk/", "anonymous")
        get(url + "talk/history/", "anonymous")
        get(f"/preview{url}", "anonymous")  # a link's preview card, as JSON
        for end in (
            "history/",
            "history/feed/",
            "edit/",
            "cite/",
            "delete/",
            "attribution/",
            "talk/",
            "talk/history/",
        ):
            get(url + end)
        revisions = list(page_history(page).values_list("revision_id", flat=True))
        for revision in revisions:
            get(f"{url}revisions/{revision}/")
            get(f"{url}revisions/{revision}/revert/")
        get(f"{url}diff/?" + urlencode({"from": revisions[-1], "to": revisions[0]}))
        for nav_list in registry.nav_lists(page.kind):
            get(f"{url}{nav_list.key}/", "anonymous")
        get(url + "network/", "anonymous")
        get(url + "graph.json", "anonymous")
    for key in [*site.keys, "hostile-proposed"]:
        for end in ("", "history/", "cited-by/", "edit/"):
            get(f"/sources/{key}/{end}")
    for key in site.keys:
        get(f"/sources/{key}/cite.json", "anonymous")
    get("/sources/all.json", "anonymous")
    for page in Page.objects.filter(citations__isnull=False).distinct():
        section = registry.page_type(page.kind).section
        get(f"/{section}/{page.slug}/references.json", "anonymous")
    get("/sources/import/")
    views.append(("moderator", "POST", "/sources/import/"))
    page_url, revision = site.hidden
    get(f"{page_url}revisions/visibility/?ids={revision}")
    for pk in [*site.proposals, site.pending]:
        get(reverse("moderation:review_detail", kwargs={"pk": pk}))
        get(reverse("moderation:proposal_detail", kwargs={"pk": pk}), "contributor")
    get(reverse("discussion:comment_edit", kwargs={"pk": site.comment}), "contributor")
    # A comment too long to post: the form again, with what was typed.
    comment = reverse("discussion:proposal_comment", kwargs={"pk": site.pending})
    views.append(("contributor", "POST", comment))
    get(reverse("moderation:review_queue") + "?status=all")
    get(reverse("moderation:review_queue"))
    for who in ("contributor", "moderator"):
        get(reverse("moderation:contributions"), who)
        get(reverse("moderation:notifications"), who)
        get(reverse("watchlist:watchlist"), who)
        get(reverse("watchlist:watched_pages"), who)
    get(reverse("watchlist:watchlist") + "?" + urlencode({"q": marker, "user": marker}))
    get("/changes/", "anonymous")
    get("/changes/", "moderator")
    get("/changes/feed/", "anonymous")
    get("/changes/?" + urlencode({"q": marker, "user": marker}))
    for user in get_user_model().objects.all():
        get(f"/users/{quote(user.username)}/")
    get("/deleted/")
    get("/log/visibility/")
    get("/wanted/", "anonymous")
    get("/maintenance/", "anonymous")
    for section in ("coverage", "citation-needed", "unknown-keys", "orphans"):
        get(f"/maintenance/{section}/", "anonymous")
    get("/maintenance/uncited-sources/", "anonymous")
    get("/search/?" + urlencode({"q": "alert"}), "anonymous")
    get("/search/?" + urlencode({"q": marker}), "anonymous")
    get("/search/suggest/?" + urlencode({"q": "Hthe"}), "anonymous")
    get("/autocomplete/pages/?" + urlencode({"q": "H"}))
    get("/autocomplete/sources/?" + urlencode({"q": "hostile"}))
    get("/go/?" + urlencode({"title": marker}), "anonymous")
    get("/sources/new/")
    get("/sources/", "anonymous")
    get("/sitemap.xml", "anonymous")
    for page_type in registry.kinds():
        get(f"/sitemap-{page_type.section}.xml", "anonymous")
    views.extend(api_views(site))
    views.append(("moderator", "POST", "/preview/markdown/"))
    # A decision on the version the moderator opened, after an amendment: the
    # review page again (409), with what changed since that version.
    approve = reverse("moderation:review_approve", kwargs={"pk": site.pending})
    views.append(("moderator", "POST", approve))
    return views


def api_views(site: HostileSite) -> list[tuple[str, str, str]]:
    """The read API's answers about every page and source (JSON)."""
    from api.relations import relations_of
    from sources.models import Source

    views = []

    def get(url):
        views.append(("anonymous", "GET", url))

    get("/api/schema/")
    get("/api/pages/?page_size=100")
    get("/api/changes/?page_size=100")
    get("/api/sources/?page_size=100")
    for page in Page.objects.order_by("pk"):
        base = f"/api/pages/{page.pk}/"
        get(base)
        for relation in relations_of(page.kind):
            get(f"{base}{relation.name}/?page_size=100")
        get(f"{base}revisions/?page_size=100")
        for revision in page_history(page).values_list("revision_id", flat=True):
            get(f"{base}revisions/{revision}/")
    for source in Source.objects.order_by("pk"):
        get(f"/api/sources/{source.pk}/")
        get(f"/api/sources/{source.pk}/citations/")
    return views


def admin_views() -> list[tuple[str, str, str]]:
    """The admin's list, change and history page of each registered model.

    The suite's toy kind (tests/toykind) has no admin, so the admin's page
    list cannot link its pages: the test drops them before these are fetched.
    """
    views = []

    def get(url, who="admin"):
        views.append((who, "GET", url))

    for model in admin.site._registry:
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        get(base, "admin")
        first = model._default_manager.order_by("-pk").first()
        if first is not None:
            get(f"{base}{first.pk}/change/", "admin")
            if isinstance(admin.site._registry[model], VersionAdmin):
                get(f"{base}{first.pk}/history/", "admin")
    return views


PREVIEW_DATA = {"content": markdown_document()}
STALE_DECISION = {"seen_version": "1", "seen_revision": "", "note": ""}


def import_data() -> dict:
    """A bibliography whose every text is a payload, previewed for import."""
    entries = [
        to_bibtex(
            Source(
                key=f"hostileimport{payload.number}",
                title=clean_title(one_line(payload.text))[:500],
                authors=clean_line(one_line(payload.text))[:500],
                publisher=clean_line(one_line(payload.text))[:255],
                year=2020,
            )
        )
        for payload in PAYLOADS
    ]
    return {
        "bibtex": "\n".join(entries),
        "summary": clean_line(one_line(PAYLOADS[0].text))[:255],
        "action": "preview",
    }


def post(url: str) -> tuple[dict, int]:
    """What to post to ``url`` (a POST of site_views), and the status expected."""
    if url == "/preview/markdown/":
        return PREVIEW_DATA, 200
    if url == "/sources/import/":
        return import_data(), 200
    if url.endswith("/comments/"):
        text = "\n\n".join(p.text for p in PAYLOADS)
        return {"text": text + "x" * 10000, "token": "too-long"}, 400
    return STALE_DECISION, 409


def route_of(url: str) -> str:
    path = urlsplit(url).path
    return resolve(path).route if not path.startswith("/admin/") else "admin/"
