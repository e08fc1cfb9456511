"""Link previews: the card a reader sees on hovering or focusing a link to a page.

``/preview/<section>/<slug>/`` answers a small JSON object (title, kind, lede,
the kind's own details such as a portrait) that static/js/previews.js draws.
Anonymous requests are served by the page cache (wiki/cache.py) like any
page; for signed-in readers the answer is kept as a fragment under the same
content generation, so a preview is never older than the last publish.  Both
are one read of the page's row on a miss.
"""

import json

from django.http import HttpResponse
from django.views.decorators.http import require_safe

from wiki import cache, registry
from wiki.models import HEAVY_FIELDS

LEDE_CHARACTERS = 320


def _lede(summary: str) -> str:
    if len(summary) <= LEDE_CHARACTERS:
        return summary
    cut = summary[:LEDE_CHARACTERS].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "…"


def preview_data(page_type, slug: str) -> dict | None:
    """The preview of the live page of ``page_type`` at ``slug``, or None."""
    page = (
        page_type.model.objects.published()
        .filter(slug=slug)
        .defer(*HEAVY_FIELDS)
        .first()
    )
    if page is None:
        return None
    return {
        "title": page.title,
        "kind": page_type.label,
        "url": page.get_absolute_url(),
        "lede": _lede(page.summary),
        "description": "",
        "image": None,
        **page.preview_details(),
    }


def _json(body: str, status: int = 200) -> HttpResponse:
    return HttpResponse(body, status=status, content_type="application/json")


@require_safe
def page_preview(request, section, slug):
    page_type = registry.page_type_for_section(section)
    fragments = cache.Fragments(request, "preview", section, slug, names=("preview",))
    body = fragments.html("preview")
    if body is None:
        data = preview_data(page_type, slug)
        if data is None:
            return _json(json.dumps({"error": "No such page."}), status=404)
        body = json.dumps(data)
        fragments.store("preview", body)
    return _json(body)
