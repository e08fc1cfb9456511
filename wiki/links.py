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


def split_kind(title: str) -> tuple[str, str]:
    """``("Transformer", "work")`` for "Transformer (work)", the way to name one
    of several pages that share a title; ``(title, "")`` when the brackets do
    not name a kind of page (e.g. "Mercury (planet)")."""
    if title.endswith(")"):
        start = title.rfind("(")
        base = title[:start].strip()
        kind = title[start + 1 : -1].strip().casefold()
        if start > 0 and base and kind in {t.kind for t in registry.page_types()}:
            return base, kind
    return title, ""


def qualified_title(page) -> str:
    """What names ``page`` alone in a link or a page field: "Title (kind)".

    Titles are unique per kind (ignoring case), so this always picks one page.
    """
    return f"{page.title} ({page.kind})"


def choose(title: str, pages) -> list:
    """The pages that ``title`` names among candidate ``pages``.

    A kind in brackets picks among the pages of that kind, and the title as
    written is tried after it; a page's title beats another's short title.
    """
    base, kind = split_kind(title)
    if kind:
        chosen = _named(title=base, pages=[p for p in pages if p.kind == kind])
        if chosen:
            return chosen
    return _named(title=title, pages=pages)


def _named(*, title: str, pages) -> list:
    name = normalize_title(title)
    titled = [page for page in pages if normalize_title(page.title) == name]
    return titled or [p for p in pages if normalize_title(p.short_title) == name]


def lookup_names(title: str) -> set[str]:
    """The normalized names to look ``title`` up by: as written, and without
    its kind in brackets."""
    base, _ = split_kind(title)
    return {normalize_title(title), normalize_title(base)} - {""}


def resolve_titles(titles, pages=None) -> dict[str, list]:
    """Map each normalized title to the pages it names (one, several, or none:
    an empty list).  Blank titles are left out.

    ``pages`` is the queryset to look in (published pages of every kind unless
    given); one query in all.  The one title lookup: links, the "go to" page
    and the forms' page fields all use it.
    """
    from wiki.models import Page

    wanted = {title: lookup_names(title) for title in titles if title.strip()}
    names = set().union(*wanted.values())
    if not names:
        return {}
    if pages is None:
        pages = Page.objects.published().only(
            "id", "kind", "slug", "title", "short_title"
        )
    by_name: dict[str, list] = defaultdict(list)
    for page in pages.titled(names):
        for name in {normalize_title(page.title), normalize_title(page.short_title)}:
            if name in names:
                by_name[name].append(page)
    found = {}
    for title, keys in wanted.items():
        candidates = {page.pk: page for key in keys for page in by_name.get(key, ())}
        chosen = choose(title, list(candidates.values()))
        if chosen or normalize_title(title) not in found:
            found[normalize_title(title)] = chosen
    return found


def link_names(page, *, also=()) -> set[str]:
    """The normalized link texts that may name ``page``: its title and short
    title, bare and with its kind in brackets (``also``: names it had before)."""
    names = set()
    for name in (page.title, page.short_title, *also):
        if name and name.strip():
            names.add(normalize_title(name))
            names.add(normalize_title(f"{name} ({page.kind})"))
    return names


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


def record_links(*, page, titles: list[str], resolved=None) -> None:
    """Replace the stored outgoing links of ``page`` with ``titles``.

    ``resolved``: what ``resolve_titles(titles)`` returns, when the caller has
    it already (a render of the page just resolved them).
    """
    from wiki.models import PageLink

    if resolved is None:
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
    targets = {link.target_id for link in existing.values()}
    red = {link.target_title for link in existing.values() if not link.target_id}
    red |= {title for title, target in wanted.values() if target is None}
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
    from wiki import tallies

    tallies.refresh_wanted(red)
    targets |= {target.pk for _, target in wanted.values() if target is not None}
    # The page itself too: it has a count from its first publish on, and one
    # deleted or recovered changes the count of every page it links to.
    tallies.refresh_inbound((targets | {page.pk}) - {None})
