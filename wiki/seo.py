"""What machines read: JSON-LD, canonical URLs, OpenGraph."""

import json

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from wiki import registry

_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def json_ld_script(data: dict) -> SafeString:
    """A JSON-LD block whose text cannot close the script element early."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True).translate(_JSON_ESCAPES)
    # Safe: every <, > and & is escaped above, so the text cannot leave the element.
    return format_html(
        '<script type="application/ld+json">{}</script>', mark_safe(text)
    )  # noqa: S308


def structured_data(page, request) -> dict:
    def url_of(target) -> str:
        path = target if isinstance(target, str) else target.get_absolute_url()
        return request.build_absolute_uri(path)

    data = {
        "@context": "https://schema.org",
        "@type": "Thing",
        "name": page.title,
        "url": url_of(page),
    }
    if page.summary:
        data["description"] = page.summary
    builder = registry.structured_data_builder(page.kind)
    if builder:
        data.update(builder(page, url_of))
    return data
