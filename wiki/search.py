"""Finding pages by title (full-text search arrives with its own issue)."""

import difflib

from wiki.models import Page


def close_matches(query: str, *, limit: int = 5) -> list[Page]:
    """Pages whose titles are closest to ``query`` (for 404s and missing links)."""
    query = " ".join(query.split()).casefold()
    if not query:
        return []
    titles = dict(Page.objects.published().values_list("id", "title").order_by()[:5000])
    by_title = {title.casefold(): pk for pk, title in titles.items()}
    names = difflib.get_close_matches(query, list(by_title), n=limit, cutoff=0.5)
    contains = [t for t in by_title if query in t and t not in names]
    ids = [by_title[name] for name in [*names, *contains][:limit]]
    pages = Page.objects.in_bulk(ids)
    return [pages[pk] for pk in ids if pk in pages]
