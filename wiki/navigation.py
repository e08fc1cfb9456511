"""What every page leads to, whatever its kind: curated related pages and backlinks."""

from django.db.models import Exists, OuterRef, Q

from wiki import registry
from wiki.models import Page, PageLink, RelatedPage
from wiki.registry import GraphLink, NavGroup, NavItem, NavList

# The columns a list of pages shows: a link (kind, slug) named by its title.
LISTED = ("kind", "slug", "title", "short_title")


def related_by_kind(page) -> list[NavGroup]:
    """The editors' related pages, grouped by kind, in their chosen order.

    Reads ``page.related_links`` (prefetched with targets by the page view):
    the page's own rows, as many as its edit form allows.
    """
    by_kind: dict[str, list[NavItem]] = {}
    for link in page.related_links.all():
        if not link.target.is_deleted:
            by_kind.setdefault(link.target.kind, []).append(NavItem(link.target))
    return [
        NavGroup(
            key=f"related-{page_type.kind}",
            title=f"Related {page_type.plural.lower()}",
            items=by_kind[page_type.kind],
            order=10 + position,
        )
        for position, page_type in enumerate(
            sorted(registry.page_types(), key=lambda t: t.order)
        )
        if page_type.kind in by_kind
    ]


def pages_linking_here(page):
    """Pages that link here in their text or list this page as related, once
    each (a page may link by several titles), A–Z.

    Two indexed semi-joins (links by target, related pages by target) and the
    pages by primary key: the database reads only the rows that point here.
    """
    linking = PageLink.objects.filter(target=page).values("source_id")
    listing = RelatedPage.objects.filter(target=page).values("page_id")
    return (
        Page.objects.published()
        .filter(Q(pk__in=linking) | Q(pk__in=listing))
        .annotate(only_related=~Exists(linking.filter(source_id=OuterRef("pk"))))
        .only(*LISTED)
        .order_by("title", "pk")
    )


links_here = NavList(
    key="links-here",
    title="What links here",
    noun="pages linking here",
    entries=pages_linking_here,
    note=lambda source: "as a related page" if source.only_related else "",
    order=90,
)


def register() -> None:
    registry.register_navigation(related_by_kind)
    registry.register_navigation(links_here)
    register_graph_links()


def register_graph_links() -> None:
    """What the relationship graph follows from every page (wiki/graph.py)."""
    link = registry.register_graph_link
    link(
        GraphLink(
            "links-to",
            "Links to",
            PageLink,
            "source",
            "target",
            note="linked from this page",
        )
    )
    link(
        GraphLink(
            "related",
            "Related pages",
            RelatedPage,
            "page",
            "target",
            order_by=("position", "id"),
            note="related page",
        )
    )
    # What links here, from the page itself only; thousands of pages may, so
    # the first of them by the index on (target, source).
    link(
        GraphLink(
            "links-here",
            "Links here",
            PageLink,
            "target",
            "source",
            order_by=("source_id",),
            second_step=False,
            note="links to this page",
        )
    )
    link(
        GraphLink(
            "listed-here",
            "Lists it as related",
            RelatedPage,
            "target",
            "page",
            order_by=("page_id",),
            second_step=False,
            note="lists this page as related",
        )
    )
