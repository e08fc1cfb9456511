"""Where a person, an organization or a theme leads: colleagues and shared themes."""

from people.models import Affiliation, Person
from wiki import registry
from wiki.models import THEME
from wiki.registry import NavGroup, NavItem

NEIGHBOURS = 24  # at most this many people sharing themes


def colleagues(person) -> list[NavGroup]:
    """People in the same organizations (``person.affiliations`` is prefetched)."""
    org_ids = {a.organization_id for a in person.affiliations.all()}
    rows = (
        Affiliation.objects.filter(
            organization_id__in=org_ids, person__is_deleted=False
        )
        .exclude(person_id=person.pk)
        .select_related("person", "organization")
        .order_by("person__title")
    )
    items: dict[int, NavItem] = {}
    for row in rows:
        item = items.setdefault(row.person_id, NavItem(row.person, ""))
        item.note = ", ".join(filter(None, [item.note, row.organization.title]))
    return [
        NavGroup(
            key="colleagues",
            title="People in the same organizations",
            items=list(items.values()),
            order=40,
        )
    ]


def people_sharing_themes(person) -> list[NavGroup]:
    theme_ids = [t.pk for t in person.themes.all()]
    rows = (
        Person.themes.through.objects.filter(
            theme_id__in=theme_ids, person__is_deleted=False
        )
        .exclude(person_id=person.pk)
        .select_related("person", "theme")
    )
    shared: dict[int, tuple[Person, list[str]]] = {}
    for row in rows:
        shared.setdefault(row.person_id, (row.person, []))[1].append(row.theme.title)
    ranked = sorted(shared.values(), key=lambda pair: (-len(pair[1]), pair[0].title))
    items = [NavItem(p, ", ".join(sorted(themes))) for p, themes in ranked[:NEIGHBOURS]]
    return [
        NavGroup(
            key="theme-people", title="People sharing themes", items=items, order=50
        )
    ]


def organization_people(organization) -> list[NavGroup]:
    items = [
        NavItem(a.person, ", ".join(filter(None, [a.role, a.period_display])))
        for a in organization.affiliations.all()
        if not a.person.is_deleted
    ]
    return [NavGroup(key="members", title="People", items=items, order=20)]


def theme_people(theme) -> list[NavGroup]:
    people = Person.objects.published().filter(themes=theme).order_by("title")
    items = [NavItem(p, p.short_description) for p in people]
    return [NavGroup(key="theme-people", title="People", items=items, order=20)]


def register() -> None:
    """What people add to other kinds' pages (their own are in people/kinds.py)."""
    registry.register_navigation(theme_people, kinds=[THEME])


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
    return data


def organization_structured_data(organization, url_of) -> dict:
    data = {"@type": "Organization"}
    if organization.website:
        data["sameAs"] = organization.website
    if organization.founded_year:
        data["foundingDate"] = str(organization.founded_year)
    return data
