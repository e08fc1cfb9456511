"""Where a person, an organization or a theme leads: colleagues and shared themes.

Each list is a bounded ``NavList`` (see wiki/registry.py): ranked in the
database, sliced, with a "see all" page.  Rankings by what two pages share
(organizations, themes) are a GROUP BY and COUNT over the link table, read
through its index on the shared side: computing them at read time keeps them
exact without rewriting thousands of rows whenever one person's themes change,
which a table precomputed on publish would need.
"""

from collections import defaultdict

from django.db.models import Count, Exists, OuterRef

from people.models import ORGANIZATION, PERSON, Affiliation, Person
from wiki import registry
from wiki.identifiers import structured_identifiers
from wiki.models import THEME
from wiki.navigation import LISTED
from wiki.registry import GraphLink, NavList

PERSON_COLUMNS = (*LISTED, "short_description")


def listed_people():
    return Person.objects.published().only(*PERSON_COLUMNS)


def _organizations_of(person) -> set[int]:
    """The person's organizations, from its own affiliations (prefetched by
    the page view; as the revision had them on an old revision's page)."""
    return {a.organization_id for a in person.affiliations.all()}


def colleague_entries(person):
    """People in the same organizations, most organizations shared first, A–Z."""
    return (
        listed_people()
        .exclude(pk=person.pk)
        .filter(affiliations__organization__in=_organizations_of(person))
        .annotate(shared=Count("affiliations__organization", distinct=True))
        .order_by("-shared", "title", "pk")
    )


def colleague_notes(person, entries) -> dict[int, str]:
    """The organizations each colleague shares with ``person``, A–Z."""
    rows = (
        Affiliation.objects.filter(
            person__in=[e.pk for e in entries],
            organization__in=_organizations_of(person),
        )
        .order_by("organization__title")
        .values_list("person_id", "organization__title")
        .distinct()
    )
    return joined_notes(rows)


colleagues = NavList(
    key="colleagues",
    title="People in the same organizations",
    noun="people in the same organizations",
    entries=colleague_entries,
    notes=colleague_notes,
    order=40,
)


def themes_of(page) -> list[int]:
    """The live themes of ``page`` (a person or a work), from its own rows
    (prefetched by the page view; as the revision had them on an old
    revision's page)."""
    return [theme.pk for theme in page.themes.all() if not theme.is_deleted]


def people_sharing_themes_entries(person):
    """People sharing themes with ``person``, most themes shared first, A–Z."""
    return (
        listed_people()
        .exclude(pk=person.pk)
        .filter(themes__in=themes_of(person))
        .annotate(shared=Count("themes"))
        .order_by("-shared", "title", "pk")
    )


def shared_theme_notes(through, column: str):
    """Notes naming the themes each entry shares with the page, A–Z: rows of
    ``through`` (a themes link table) whose ``column`` is an entry's pk."""

    def notes(page, entries) -> dict[int, str]:
        rows = (
            through.objects.filter(
                **{f"{column}__in": [e.pk for e in entries]},
                theme__in=themes_of(page),
            )
            .order_by("theme__title")
            .values_list(column, "theme__title")
        )
        return joined_notes(rows)

    return notes


people_sharing_themes = NavList(
    key="people-sharing-themes",
    title="People sharing themes",
    noun="people sharing themes",
    entries=people_sharing_themes_entries,
    notes=shared_theme_notes(Person.themes.through, "person_id"),
    order=50,
)


def member_entries(organization):
    """People with a role at the organization, once each, A–Z."""
    roles = Affiliation.objects.filter(organization=organization, person=OuterRef("pk"))
    return listed_people().filter(Exists(roles)).order_by("title", "pk")


def member_notes(organization, entries) -> dict[int, str]:
    """Each member's roles at the organization with their periods, in order."""
    notes: dict[int, list[str]] = defaultdict(list)
    rows = Affiliation.objects.filter(
        organization=organization, person__in=[e.pk for e in entries]
    ).only("person_id", "role", "start_year", "start_month", "end_year", "end_month")
    for row in rows:
        note = ", ".join(filter(None, [row.role, row.period_display]))
        if note:
            notes[row.person_id].append(note)
    return {pk: "; ".join(parts) for pk, parts in notes.items()}


organization_people = NavList(
    key="members",
    title="People",
    noun="people",
    entries=member_entries,
    notes=member_notes,
    order=20,
)


def theme_people_entries(theme):
    """People whose core themes include ``theme``, A–Z."""
    tagged = Person.themes.through.objects.filter(theme=theme, person=OuterRef("pk"))
    return listed_people().filter(Exists(tagged)).order_by("title", "pk")


theme_people = NavList(
    key="people",
    title="People",
    noun="people",
    entries=theme_people_entries,
    note=lambda person: person.short_description,
    order=20,
)


def joined_notes(rows) -> dict[int, str]:
    """``(pk, name)`` rows as one note per pk: the names, comma-separated."""
    names: dict[int, list[str]] = defaultdict(list)
    for pk, name in rows:
        names[pk].append(name)
    return {pk: ", ".join(parts) for pk, parts in names.items()}


def register() -> None:
    """What people add to other kinds' pages (their own are in people/kinds.py)."""
    registry.register_navigation(theme_people, kinds=[THEME])
    # What the relationship graph (wiki/graph.py) follows through affiliations
    # and core themes, both ways.
    link = registry.register_graph_link
    themes = Person.themes.through
    link(
        GraphLink(
            "affiliations",
            "Affiliations",
            Affiliation,
            "person",
            "organization",
            note="affiliation",
        ),
        kinds=[PERSON],
    )
    # An organization or a theme may have thousands of people: the first
    # added, by the indexes on (organization, person) and (theme, person).
    first = ("person_id",)
    link(
        GraphLink(
            "members",
            "Members",
            Affiliation,
            "organization",
            "person",
            first,
            note="member",
        ),
        kinds=[ORGANIZATION],
    )
    link(
        GraphLink(
            "themes", "Core themes", themes, "person", "theme", note="core theme"
        ),
        kinds=[PERSON],
    )
    link(
        GraphLink(
            "people",
            "People",
            themes,
            "theme",
            "person",
            first,
            note="has it as a core theme",
        ),
        kinds=[THEME],
    )


def person_structured_data(person, url_of) -> dict:
    data = {
        "@type": "Person",
        "affiliation": [
            {
                "@type": "Organization",
                "name": organization.title,
                "url": url_of(organization),
            }
            for organization, _ in person.affiliations_by_organization()
        ],  # fmt: skip
        "knowsAbout": [theme.title for theme in person.themes.all()],
    }
    if person.short_description:
        data["jobTitle"] = person.short_description
    if person.portrait_src:
        data["image"] = person.portrait_src
    data.update(structured_identifiers(person, also=(person.homepage,)))
    return data


def organization_structured_data(organization, url_of) -> dict:
    data = {
        "@type": "Organization",
        **structured_identifiers(organization, also=(organization.website,)),
    }
    if organization.founded_year:
        data["foundingDate"] = str(organization.founded_year)
    return data
