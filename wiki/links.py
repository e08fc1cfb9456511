"""``[[Wikilinks]]``: resolving titles to pages and recording the link graph."""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse

from wiki import registry
from wiki.markdown import element

# A link may wrap across lines of a paragraph (hard-wrapped Markdown).
WIKILINK = r"\[\[([^\[\]|]{1,255})(?:\|([^\[\]]{1,255}))?\]\]"


def normalize_title(title: str) -> str:
    return " ".join(title.split()).casefold()


@dataclass
class WikilinkState:
    pages: dict[str, list] = field(default_factory=dict)
    titles: list[str] = field(default_factory=list)  # as written, in order, unique


def resolve_titles(titles: list[str]) -> dict[str, list]:
    """Map each normalized title to the pages it names (none, one, or several)."""
    from wiki.models import Page

    found: dict[str, list] = defaultdict(list)
    wanted = {normalize_title(t) for t in titles if t.strip()}
    if not wanted:
        return {}
    for page in (
        Page.objects.published()
        .titled(wanted)
        .only("id", "kind", "slug", "title", "short_title")
    ):
        for name in {normalize_title(page.title), normalize_title(page.short_title)}:
            if name in wanted:
                found[name].append(page)
    return dict(found)


def _prepare(matches: list[re.Match]) -> WikilinkState:
    names = (" ".join(m.group(1).split()) for m in matches)
    titles = list(dict.fromkeys(name for name in names if name))
    return WikilinkState(pages=resolve_titles(titles), titles=titles)


def resolve_url(title: str) -> str:
    return reverse("wiki:resolve") + "?" + urlencode({"title": title})


def _render(match: re.Match, state: WikilinkState, md):
    title = " ".join(match.group(1).split())
    label = " ".join((match.group(2) or "").split()) or title
    if not title:
        return None
    pages = state.pages.get(normalize_title(title), [])
    if len(pages) == 1:
        return element("a", label, href=pages[0].get_absolute_url(), class_="wikilink")
    if len(pages) > 1:
        return element(
            "a",
            label,
            href=resolve_url(title),
            class_="wikilink wikilink-ambiguous",
            title=f"{title} (several pages)",
        )
    return element(
        "a",
        label,
        href=resolve_url(title),
        class_="wikilink wikilink-missing",
        title=f"{title} (page does not exist)",
    )


def register() -> None:
    registry.register_inline_syntax(
        registry.InlineSyntax(
            name="wikilink",
            pattern=WIKILINK,
            prepare=_prepare,
            render=_render,
            summarize=lambda state: {"titles": state.titles},
        )
    )


def links_to_titles(names: set[str]):
    """Stored links whose target title is one of ``names`` (normalized)."""
    from django.db.models.functions import Lower

    from wiki.models import PageLink

    return PageLink.objects.annotate(title_lower=Lower("target_title")).filter(
        title_lower__in=names
    )


def record_links(*, page, titles: list[str]) -> None:
    """Replace the stored outgoing links of ``page`` with ``titles``."""
    from wiki.models import PageLink

    resolved = resolve_titles(titles)
    wanted = {}
    for title in titles:
        key = normalize_title(title)
        if key and key not in wanted:
            pages = resolved.get(key, [])
            wanted[key] = (title[:255], pages[0] if len(pages) == 1 else None)
    existing = {
        normalize_title(link.target_title): link for link in page.links_out.all()
    }
    for key, link in existing.items():
        if key not in wanted:
            link.delete()
    for key, (title, target) in wanted.items():
        link = existing.get(key)
        if link is None:
            PageLink.objects.create(source=page, target_title=title, target=target)
        elif link.target_id != (target.pk if target else None):
            link.target = target
            link.save(update_fields=["target"])
