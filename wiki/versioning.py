"""What django-reversion records: a page with everything it owns, in one revision."""

import reversion

_page_follows: list[str] = ["related_links"]


def register_core() -> None:
    from wiki.models import Page, RelatedPage, Theme

    reversion.register(RelatedPage)
    reversion.register(Page, follow=tuple(_page_follows))
    reversion.register(Theme, follow=["page_ptr"])


def follow_from_pages(relation: str) -> None:
    """Version ``relation`` (a reverse relation of Page) with every page."""
    from wiki.models import Page

    _page_follows.append(relation)
    reversion.unregister(Page)
    reversion.register(Page, follow=tuple(_page_follows))
