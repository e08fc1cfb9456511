"""``[@key]`` in short plain-text fields (an affiliation's note): a numbered
link to the page's reference, matching the numbers of the page's text."""

import re

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from sources.citations import CITATION, parse_items

register = template.Library()


@register.filter
def with_citations(text: str, references) -> SafeString:
    """``text`` escaped, its citations of sources in ``references`` (the page's
    numbered references) made links; anything else stays as it was typed."""
    numbers = {ref["source"].key: ref["number"] for ref in references or []}
    pieces, last = [], 0
    for match in re.finditer(CITATION, text or ""):
        items = parse_items(match.group(1))
        if not items or any(key not in numbers for key, _ in items):
            continue
        pieces.append(conditional_escape(text[last : match.start()]))
        for key, locator in items:
            label = f"[{numbers[key]}, {locator}]" if locator else f"[{numbers[key]}]"
            pieces.append(
                format_html(
                    '<sup class="cite"><a href="#ref-{}">{}</a></sup>', key, label
                )
            )
        last = match.end()
    pieces.append(conditional_escape((text or "")[last:]))
    return mark_safe("".join(pieces))  # noqa: S308 (every piece is escaped above)
