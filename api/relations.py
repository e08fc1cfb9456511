"""What a page of the API lists beside its own fields: its rows and the pages
they lead to, each a list that can grow (a person with 60,000 works).

A page's detail embeds the first ``LINEAGE_API_EMBEDDED`` rows of each list
with their total (one query a list), and links to the whole list, paginated
by the same key (``/api/pages/<id>/<name>/``).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet, Window

from api.pagination import Key
from people.models import Affiliation
from sources.models import Authorship, Citation
from wiki import registry
from wiki.models import Page, PageLink, RelatedPage

PAGE_REF_FIELDS = ("id", "kind", "slug", "title")
BY_ID = (Key("id"),)
BY_POSITION = (Key("position"), Key("id"))


@dataclass(frozen=True)
class Relation:
    name: str  # the key in a page's detail and the URL segment of its list
    description: str
    row: str  # which serializer shows a row (api/serializers.py ROWS)
    keys: tuple[Key, ...]
    # kind -> rows(page): the page's rows, live pages only, for the kinds
    # that have this list.
    rows_by_kind: dict[str | None, Callable[[Page], QuerySet]] = field(
        default_factory=dict
    )

    def applies_to(self, kind: str) -> bool:
        return kind in self.rows_by_kind or None in self.rows_by_kind

    def rows(self, page: Page) -> QuerySet:
        rows = self.rows_by_kind.get(page.kind) or self.rows_by_kind[None]
        return rows(page)

    def first(self, page: Page, limit: int) -> tuple[list, int]:
        """The first ``limit`` rows and how many there are, in one query."""
        ordered = self.rows(page).order_by(*(key.order_by for key in self.keys))
        rows = list(ordered.annotate(api_total=Window(Count("*")))[:limit])
        return rows, (rows[0].api_total if rows else 0)


def _ref(prefix: str) -> list[str]:
    return [f"{prefix}__{name}" for name in PAGE_REF_FIELDS]


def _related(page):
    return (
        RelatedPage.objects.filter(page=page, target__is_deleted=False)
        .select_related("target")
        .only("id", "position", "page_id", *_ref("target"))
    )


def _citations(page):
    return Citation.objects.filter(page=page).select_related("source")


def _links(page):
    return (
        PageLink.objects.filter(source=page)
        .select_related("target")
        .only("id", "target_title", "source_id", "target__is_deleted", *_ref("target"))
    )


def _affiliations(page):
    return (
        Affiliation.objects.filter(person_id=page.pk, organization__is_deleted=False)
        .select_related("organization", "person")
        .only(*_affiliation_fields())
    )


def _members(page):
    return (
        Affiliation.objects.filter(organization_id=page.pk, person__is_deleted=False)
        .select_related("organization", "person")
        .only(*_affiliation_fields())
    )


def _affiliation_fields() -> list[str]:
    own = [
        f.attname
        for f in Affiliation._meta.concrete_fields
        if f.name not in ("person", "organization")
    ]
    return [*own, *_ref("person"), *_ref("organization")]


def _works(page):
    return (
        Authorship.objects.filter(person_id=page.pk, work__is_deleted=False)
        .select_related("work")
        .only("id", "position", "person_id", *_ref("work"), "work__year")
    )


def _authors(page):
    return (
        Authorship.objects.filter(work_id=page.pk, person__is_deleted=False)
        .select_related("person")
        .only("id", "position", "work_id", *_ref("person"))
    )


def _many_to_many(name: str) -> dict:
    """rows(page) of the many-to-many field ``name`` of each kind that has one
    to pages (a person's or a work's themes): the live pages it leads to."""
    found = {}
    for page_type in registry.page_types():
        for m2m in page_type.model._meta.many_to_many:
            if m2m.name != name or m2m.model is Page:
                continue
            lookup = m2m.related_query_name()

            def rows(page, target=m2m.related_model, lookup=lookup):
                return target.objects.filter(
                    **{lookup: page.pk}, is_deleted=False
                ).only(*PAGE_REF_FIELDS)

            found[page_type.kind] = rows
    return found


def _m2m_names() -> list[str]:
    names = {
        m2m.name
        for page_type in registry.page_types()
        for m2m in page_type.model._meta.many_to_many
        if m2m.model is not Page and issubclass(m2m.related_model, Page)
    }
    return sorted(names)


def relations() -> list[Relation]:
    """Every list a page may have, in the order its detail shows them."""
    found = [
        Relation(
            "related",
            "The related pages its editors chose, in their order.",
            "related",
            BY_POSITION,
            {None: _related},
        ),
        Relation(
            "citations",
            "The sources it cites, in the order of its references.",
            "citation",
            BY_POSITION,
            {None: _citations},
        ),
        Relation(
            "links",
            "The [[wikilinks]] in its text: the page each names, or null for a "
            "page that does not exist.",
            "link",
            BY_ID,
            {None: _links},
        ),
        Relation(
            "affiliations",
            "A person's roles at organizations, in order.",
            "affiliation",
            BY_POSITION,
            {"person": _affiliations},
        ),
        Relation(
            "members",
            "The people affiliated with an organization, with their roles.",
            "affiliation",
            BY_ID,
            {"organization": _members},
        ),
        Relation(
            "works",
            "A person's works, with their place among the work's authors.",
            "work",
            BY_ID,
            {"person": _works},
        ),
        Relation(
            "authors",
            "A work's authors, in the order printed.",
            "author",
            BY_POSITION,
            {"work": _authors},
        ),
    ]
    for name in _m2m_names():
        found.append(
            Relation(
                name,
                f"The pages it is filed under as its {name}.",
                "page",
                BY_ID,
                _many_to_many(name),
            )
        )
    return [relation for relation in found if relation.rows_by_kind]


def relations_of(kind: str) -> list[Relation]:
    return [relation for relation in relations() if relation.applies_to(kind)]
