"""The maintenance page (/maintenance/): lists of what needs an editor.

The core lists red links and orphan pages; apps add theirs (e.g. citation
coverage) with ``register``.  Each list is one query ordered by an index in
the order it shows, with a unique column last so its order is stable from
one page of it to the next, and reads only the rows of the page shown.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.urls import reverse

from wiki.models import PageInbound, WantedPage


@dataclass(frozen=True)
class Section:
    key: str  # its anchor on the maintenance page and its own page's URL segment
    title: str
    about: str  # what it lists, for readers
    empty: str  # what an empty list says
    rows: Callable[[], QuerySet]
    template: str  # renders one entry (``row``) as the inside of an <li>
    order: int = 50
    own_page: str = ""  # URL name of a page listing it already (wanted pages)

    @property
    def more_url(self) -> str:
        if self.own_page:
            return reverse(self.own_page)
        return reverse("wiki:maintenance_section", kwargs={"section": self.key})


_sections: dict[str, Section] = {}


def register(section: Section) -> None:
    _sections[section.key] = section


def sections() -> list[Section]:
    return sorted(_sections.values(), key=lambda s: (s.order, s.key))


def section(key: str) -> Section | None:
    """The list ``key`` that has its own page here."""
    found = _sections.get(key)
    return found if found is not None and not found.own_page else None


def red_links() -> QuerySet:
    """Titles pages link to that have no page: the wanted pages list."""
    return WantedPage.objects.order_by("-links", "key")


def orphans() -> QuerySet:
    """Live pages no other live page links to, oldest first (index
    ``page_inbound_orphans``)."""
    return (
        PageInbound.objects.filter(pages=0, page__is_deleted=False)
        .select_related("page")
        .only("page__kind", "page__slug", "page__title")
        .order_by("page_id")
    )


register(
    Section(
        key="red-links",
        title="Red links",
        about="Titles that pages link to but that have no page yet, most linked first.",
        empty="No wanted pages: every link has its page.",
        rows=red_links,
        template="wiki/maintenance/red_link.html",
        order=80,
        own_page="wiki:wanted",
    )
)
register(
    Section(
        key="orphans",
        title="Orphan pages",
        about="Pages that no other page links to, oldest first.",
        empty="Every page has a page linking to it.",
        rows=orphans,
        template="wiki/maintenance/orphan.html",
        order=90,
    )
)
