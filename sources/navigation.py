"""Where pages lead through works and sources: works, co-authors, citing pages."""

from django.db.models import Prefetch

from people.models import PERSON
from sources.models import Authorship, Citation, Work
from wiki import registry
from wiki.models import THEME
from wiki.registry import NavGroup, NavItem

NEIGHBOURS = 24


def _newest_first(works):
    return sorted(works, key=lambda w: (-(w.year or 0), w.title))


def person_works(person) -> list[NavGroup]:
    """Works by this person (``person.authorships`` is prefetched with works)."""
    works = [a.work for a in person.authorships.all() if not a.work.is_deleted]
    items = [NavItem(w, w.date_display) for w in _newest_first(works)]
    return [NavGroup(key="works", title="Works", items=items, order=20)]


def coauthors(person) -> list[NavGroup]:
    """Co-authors from shared works, each with the works they share."""
    work_ids = [a.work_id for a in person.authorships.all()]
    rows = (
        Authorship.objects.filter(
            work_id__in=work_ids, person__is_deleted=False, work__is_deleted=False
        )
        .exclude(person_id=person.pk)
        .select_related("person", "work")
    )
    shared: dict[int, tuple] = {}
    for row in rows:
        shared.setdefault(row.person_id, (row.person, []))[1].append(row.work)
    ranked = sorted(shared.values(), key=lambda pair: (-len(pair[1]), pair[0].title))
    items = [
        NavItem(p, ", ".join(w.display_title for w in _newest_first(works)))
        for p, works in ranked
    ]
    return [NavGroup(key="coauthors", title="Co-authors", items=items, order=30)]


def works_sharing_themes(page) -> list[NavGroup]:
    theme_ids = [t.pk for t in page.themes.all()]
    rows = (
        Work.themes.through.objects.filter(
            theme_id__in=theme_ids, work__is_deleted=False
        )
        .exclude(work_id=page.pk)
        .select_related("work", "theme")
    )
    shared: dict[int, tuple] = {}
    for row in rows:
        shared.setdefault(row.work_id, (row.work, []))[1].append(row.theme.title)
    if page.kind == PERSON:  # the person's own works are listed already
        own = {a.work_id for a in page.authorships.all()}
        shared = {k: v for k, v in shared.items() if k not in own}
    ranked = sorted(shared.values(), key=lambda pair: (-len(pair[1]), pair[0].title))
    items = [NavItem(w, ", ".join(sorted(t))) for w, t in ranked[:NEIGHBOURS]]
    return [
        NavGroup(key="theme-works", title="Works sharing themes", items=items, order=60)
    ]


def citing_pages(work) -> list[NavGroup]:
    """Pages citing a source that is this work."""
    rows = (
        Citation.objects.filter(source__work=work, page__is_deleted=False)
        .select_related("page")
        .order_by("page__title")
    )
    pages = list({row.page_id: row.page for row in rows}.values())
    return [
        NavGroup(key="cited-by", title="Cited by", items=[NavItem(p) for p in pages],
                 order=25)
    ]  # fmt: skip


def theme_works(theme) -> list[NavGroup]:
    works = Work.objects.published().filter(themes=theme)
    items = [NavItem(w, w.date_display) for w in _newest_first(works)]
    return [NavGroup(key="theme-works", title="Works", items=items, order=25)]


def references(page) -> dict:
    """The numbered references of a page, each with links back to where it is cited.

    Reads ``page.citations`` (prefetched with sources by the page view).
    """
    counts = page.render_data.get("citation", {}).get("counts", {})
    refs = []
    for number, citation in enumerate(page.citations.all(), start=1):
        key = citation.source.key
        backlinks = [
            (chr(ord("a") + i) if i < 26 else str(i + 1), f"cite-{key}-{i + 1}")
            for i in range(counts.get(key, 0))
        ]
        refs.append(
            {"number": number, "source": citation.source, "backlinks": backlinks}
        )
    return {"references": refs}


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
    if work.url:
        data["sameAs"] = work.url
    return data


def register() -> None:
    """What works and sources add to every page and to other kinds' pages
    (what works' own pages show is in sources/kinds.py)."""
    registry.register_navigation(person_works, kinds=[PERSON])
    registry.register_navigation(coauthors, kinds=[PERSON])
    registry.register_navigation(works_sharing_themes, kinds=[PERSON])
    registry.register_navigation(theme_works, kinds=[THEME])
    registry.register_page_context(references)
    registry.register_page_prefetch(
        Prefetch("citations", Citation.objects.select_related("source"))
    )
    registry.register_page_prefetch(
        Prefetch("authorships", Authorship.objects.select_related("work")),
        kinds=[PERSON],
    )
