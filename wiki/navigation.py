"""What every page leads to, whatever its kind: curated related pages and backlinks."""

from wiki import registry
from wiki.models import Page, PageLink
from wiki.registry import NavGroup, NavItem


def related_by_kind(page) -> list[NavGroup]:
    """The editors' related pages, grouped by kind, in their chosen order.

    Reads ``page.related_links`` (prefetched with targets by the page view).
    """
    by_kind: dict[str, list[NavItem]] = {}
    for link in page.related_links.all():
        if not link.target.is_deleted:
            by_kind.setdefault(link.target.kind, []).append(NavItem(link.target))
    order = [choice for choice, _ in Page.Kind.choices]
    return [
        NavGroup(
            key=f"related-{kind}",
            title=f"Related {registry.page_type(kind).plural.lower()}",
            items=by_kind[kind],
            order=10 + order.index(kind),
        )
        for kind in order
        if kind in by_kind
    ]


def links_here(page) -> list[NavGroup]:
    links = (
        PageLink.objects.filter(target=page, source__is_deleted=False)
        .select_related("source")
        .order_by("source__title", "source_id")
    )
    # A page linking here by several titles (short and full) is listed once.
    sources = {link.source_id: link.source for link in links}
    items = [NavItem(source) for source in sources.values()]
    return [NavGroup(key="links-here", title="What links here", items=items, order=90)]


def register() -> None:
    registry.register_navigation(related_by_kind)
    registry.register_navigation(links_here)
