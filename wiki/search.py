"""Finding pages by title (full-text search arrives with its own issue)."""

import difflib

from django.db.models.functions import Lower

from wiki.models import Page

# Titles read on each side of a query (and of each of its words) in A–Z order:
# the candidates the closest are chosen from, whatever the number of pages.
NEIGHBOURS = 20


def close_matches(query: str, *, limit: int = 5) -> list[Page]:
    """Pages whose titles are closest to ``query`` (for 404s and missing links).

    The candidates are the titles next to the query in A–Z order, and those
    starting with one of its two longest words (so "radford" finds "Radford
    Neal", and a typo in a first name still finds the pages of that surname),
    each read through the index on lower-cased titles: at most four queries
    of a bounded number of rows, however many pages there are.
    """
    query = " ".join(query.split()).casefold()
    if not query:
        return []
    titles = (
        Page.objects.published()
        .alias(title_lower=Lower("title"))
        .only("kind", "title", "slug")
    )
    near = [
        titles.filter(title_lower__gte=query).order_by("title_lower"),
        titles.filter(title_lower__lt=query).order_by("-title_lower"),
    ]
    words = sorted({w for w in query.split(" ") if len(w) > 2} - {query}, key=len)
    near += [
        titles.filter(title_lower__gte=word).order_by("title_lower")
        for word in words[-2:]
    ]
    candidates: dict[str, Page] = {}
    for part in near:
        for page in part[:NEIGHBOURS]:
            candidates.setdefault(page.title.casefold(), page)
    names = difflib.get_close_matches(query, list(candidates), n=limit, cutoff=0.5)
    contains = [t for t in candidates if query in t and t not in names]
    return [candidates[name] for name in [*names, *contains][:limit]]
