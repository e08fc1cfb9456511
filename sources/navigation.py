"""Where pages lead through works and sources: works, co-authors, citing pages.

Each list is a bounded ``NavList`` (see wiki/registry.py).  Co-authors and
works sharing themes are ranked by a GROUP BY and COUNT in the database over
the authorship and theme link tables (their indexes on the work and the theme
side): exact at every read, where a ranking precomputed on publish would have
to be rewritten for thousands of pages whenever one work's authors or themes
changed.
"""

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Window
from django.db.models.functions import RowNumber
from django.urls import NoReverseMatch, reverse

from people.models import PERSON
from people.navigation import joined_notes, listed_people, shared_theme_notes, themes_of
from sources import coverage
from sources.csl import formatted_references
from sources.models import WORK, Authorship, Citation, Work
from wiki import graph, registry
from wiki.identifiers import structured_identifiers
from wiki.models import THEME, Page
from wiki.navigation import LISTED
from wiki.registry import GraphLink, NavList

WORK_COLUMNS = (*LISTED, "year", "month", "day")
# How many shared works a co-author's note names before "and N more".
NOTE_WORKS = 3
NEWEST_FIRST = (F("year").desc(nulls_last=True), "title", "pk")
# The relationship graph's order of a person's works: the latest added first,
# by the index on (person, work), however many works there are.
LATEST_WORKS = (F("work_id").desc(),)
# How many of a person's works the graph follows to their co-authors.
GRAPH_WORKS = 50


def _works():
    return Work.objects.published().only(*WORK_COLUMNS)


def person_work_entries(person):
    """Works by ``person``, newest first (undated last), then A–Z."""
    authored = Authorship.objects.filter(person=person, work=OuterRef("pk"))
    return _works().filter(Exists(authored)).order_by(*NEWEST_FIRST)


person_works = NavList(
    key="works",
    title="Works",
    noun="works",
    entries=person_work_entries,
    note=lambda work: work.date_display,
    order=20,
)


def _works_of(person):
    return Authorship.objects.filter(person=person, work__is_deleted=False).values(
        "work_id"
    )


def coauthor_entries(person):
    """People who share works with ``person``, most shared works first, A–Z."""
    return (
        listed_people()
        .exclude(pk=person.pk)
        .filter(authorships__work__in=_works_of(person))
        .annotate(shared=Count("authorships"))
        .order_by("-shared", "title", "pk")
    )


def coauthor_notes(person, entries) -> dict[int, str]:
    """The works each co-author shares with ``person``, newest first: the
    first ``NOTE_WORKS`` of them and how many more (a window function keeps
    the rows read bounded however many works two people share)."""
    rows = (
        Authorship.objects.filter(
            person__in=[e.pk for e in entries], work__in=_works_of(person)
        )
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by="person_id",
                order_by=[
                    F("work__year").desc(nulls_last=True),
                    "work__title",
                    "work_id",
                ],
            )
        )
        .filter(rank__lte=NOTE_WORKS)
        .order_by("person_id", "rank")
        .values_list("person_id", "work__short_title", "work__title")
    )
    names = joined_notes((pk, short or title) for pk, short, title in rows)
    for entry in entries:
        more = entry.shared - NOTE_WORKS
        if more > 0 and entry.pk in names:
            names[entry.pk] += f" and {more} more"
    return names


def coauthor_rows(person_ids: list[int], limit: int) -> list[tuple]:
    """The co-authors of each of ``person_ids`` as the relationship graph
    follows them (wiki/graph.py): through each person's latest
    ``GRAPH_WORKS`` works (a prolific author has thousands), the first
    ``limit`` of each, most shared works first, then A–Z, ranked and cut in
    one query."""
    coauthor = "work__authorships__person"
    latest = graph.first_rows(
        Authorship, "person_id", LATEST_WORKS, person_ids, GRAPH_WORKS
    )
    return list(
        Authorship.objects.filter(
            pk__in=latest,
            work__is_deleted=False,
            **{f"{coauthor}__is_deleted": False},
        )
        .values("person_id", coauthor_id=F(coauthor))
        .exclude(coauthor_id=F("person_id"))
        .annotate(shared=Count("work_id", distinct=True))
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=F("person_id"),
                order_by=[F("shared").desc(), F(f"{coauthor}__title"), F(coauthor)],
            ),
            total=Window(Count("*"), partition_by=F("person_id")),
        )
        .filter(rank__lte=limit)
        .order_by("person_id", "rank")
        .values_list(
            "person_id",
            "coauthor_id",
            f"{coauthor}__kind",
            f"{coauthor}__slug",
            f"{coauthor}__title",
            f"{coauthor}__short_title",
            "total",
        )
    )


coauthors = NavList(
    key="coauthors",
    title="Co-authors",
    noun="co-authors",
    entries=coauthor_entries,
    notes=coauthor_notes,
    order=30,
)


def works_sharing_themes_entries(page):
    """Works sharing themes with ``page`` (a person or a work), most themes
    shared first, A–Z; a person's own works are listed already."""
    works = (
        _works()
        .exclude(pk=page.pk)
        .filter(themes__in=themes_of(page))
        .annotate(shared=Count("themes"))
        .order_by("-shared", "title", "pk")
    )
    if page.kind == PERSON:
        own = Authorship.objects.filter(person=page, work=OuterRef("pk"))
        works = works.filter(~Exists(own))
    return works


works_sharing_themes = NavList(
    key="works-sharing-themes",
    title="Works sharing themes",
    noun="works sharing themes",
    entries=works_sharing_themes_entries,
    notes=shared_theme_notes(Work.themes.through, "work_id"),
    order=60,
)


def citing_page_entries(work):
    """Pages citing a source that is this work, A–Z."""
    cites = Citation.objects.filter(source__work=work, page=OuterRef("pk"))
    return (
        Page.objects.published()
        .filter(Exists(cites))
        .only(*LISTED)
        .order_by("title", "pk")
    )


citing_pages = NavList(
    key="cited-by",
    title="Cited by",
    noun="citing pages",
    entries=citing_page_entries,
    order=25,
)


def theme_work_entries(theme):
    """Works about ``theme``, newest first (undated last), then A–Z."""
    tagged = Work.themes.through.objects.filter(theme=theme, work=OuterRef("pk"))
    return _works().filter(Exists(tagged)).order_by(*NEWEST_FIRST)


theme_works = NavList(
    key="works",
    title="Works",
    noun="works",
    entries=theme_work_entries,
    note=lambda work: work.date_display,
    order=25,
)


def citing_pages_of_source(source):
    """Pages citing ``source``, A–Z (the source page's "Cited by")."""
    cites = Citation.objects.filter(source=source, page=OuterRef("pk"))
    return (
        Page.objects.published()
        .filter(Exists(cites))
        .only(*LISTED)
        .order_by("title", "pk")
    )


def references(page) -> dict:
    """The numbered references of a page, each with links back to where it is cited.

    Reads ``page.citations`` (prefetched with sources by the page view).
    """
    counts = page.render_data.get("citation", {}).get("counts", {})
    citations = list(page.citations.all())
    formatted = formatted_references([c.source for c in citations])
    refs = []
    for number, citation in enumerate(citations, start=1):
        key = citation.source.key
        backlinks = [
            (chr(ord("a") + i) if i < 26 else str(i + 1), f"cite-{key}-{i + 1}")
            for i in range(counts.get(key, 0))
        ]
        refs.append(
            {
                "number": number,
                "source": citation.source,
                "backlinks": backlinks,
                "formatted": formatted[citation.source.pk],
            }
        )
    return {"references": refs, "references_downloads": _downloads(page)}


def _downloads(page) -> dict[str, str]:
    """Where a page's references download as BibTeX and CSL-JSON (none for a
    page not yet published, as a new page's preview)."""
    if page.pk is None or not page.slug:
        return {}
    section = registry.page_type(page.kind).section
    try:
        return {
            fmt: reverse(
                f"sources:page_references_{fmt}",
                kwargs={"section": section, "slug": page.slug},
            )
            for fmt in ("bibtex", "csl")
        }
    except NoReverseMatch:
        return {}


def coverage_context(page) -> dict:
    """How many of the page's body paragraphs cite a source, as last rendered."""
    return {"coverage": coverage.of_page(page)}


def work_structured_data(work, url_of) -> dict:
    data = {
        "@type": "ScholarlyArticle"
        if work.work_type == Work.Type.PAPER
        else "CreativeWork",
        "headline": work.title,
        "author": [
            {"@type": "Person", "name": a.person.title, "url": url_of(a.person)}
            for a in work.authorships.all()
        ],
        "about": [theme.title for theme in work.themes.all()],
    }
    if work.year:
        data["datePublished"] = "-".join(
            f"{part:02d}" for part in (work.year, work.month, work.day) if part
        )
    if work.venue:
        data["publisher"] = {"@type": "Organization", "name": work.venue}
    data.update(structured_identifiers(work, also=(work.url,)))
    return data


def register() -> None:
    """What works and sources add to every page and to other kinds' pages
    (what works' own pages show is in sources/kinds.py)."""
    registry.register_navigation(person_works, kinds=[PERSON])
    registry.register_navigation(coauthors, kinds=[PERSON])
    registry.register_navigation(works_sharing_themes, kinds=[PERSON])
    registry.register_navigation(theme_works, kinds=[THEME])
    # What the relationship graph (wiki/graph.py) follows through authorships
    # and works' themes, both ways.
    link = registry.register_graph_link
    themes = Work.themes.through
    by_position = ("position", "id")
    link(
        GraphLink(
            "works",
            "Works",
            Authorship,
            "person",
            "work",
            LATEST_WORKS,
            note="written by this person",
        ),
        kinds=[PERSON],
    )
    link(
        GraphLink(
            "authors",
            "Authors",
            Authorship,
            "work",
            "person",
            by_position,
            note="author",
        ),
        kinds=[WORK],
    )
    link(
        GraphLink("themes", "Themes", themes, "work", "theme", note="theme"),
        kinds=[WORK],
    )
    # A theme may have thousands of works: the latest added first, by the
    # index on (theme, work).
    latest = ("-work_id",)
    link(
        GraphLink("works", "Works", themes, "theme", "work", latest, note="about it"),
        kinds=[THEME],
    )
    link(
        GraphLink("coauthors", "Co-authors", rows=coauthor_rows, note="co-author"),
        kinds=[PERSON],
    )
    registry.register_page_context(references)
    registry.register_page_context(coverage_context)
    registry.register_page_prefetch(
        Prefetch("citations", Citation.objects.select_related("source"))
    )
    # A person's works are a bounded list (person_works), not a prefetch: a
    # person can have hundreds.
