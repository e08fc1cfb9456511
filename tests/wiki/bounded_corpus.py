"""A corpus with lists far longer than a page shows (tests of bounded navigation).

One "hub" of each list: a person with many co-authors and colleagues, an
organization with many members, a theme with many people and works, a page
many pages link to, a work and a source many pages cite.
"""

from dataclasses import dataclass

from people.models import Affiliation, Organization, Person
from sources.models import Authorship, Citation, Source, Work
from tests.factories import (
    OrganizationFactory,
    PersonFactory,
    SourceFactory,
    ThemeFactory,
    WorkFactory,
)
from wiki.models import PageLink, RelatedPage, Theme


@dataclass
class Hub:
    person: Person
    organization: Organization
    theme: Theme
    work: Work
    source: Source
    people: list[Person]
    works: list[Work]


def build_hub(size: int) -> Hub:
    """``size`` people and ``size`` works around one hub of each kind."""
    theme = ThemeFactory(title="Big Theme", slug="big-theme")
    other_theme = ThemeFactory(title="Other Theme", slug="other-theme")
    organization = OrganizationFactory(title="Big Lab", slug="big-lab")
    hub = PersonFactory(title="Hub Person", slug="hub-person")
    people = [
        PersonFactory(title=f"Member {n:04d}", slug=f"member-{n:04d}")
        for n in range(size)
    ]
    works = [
        WorkFactory(title=f"Paper {n:04d}", slug=f"paper-{n:04d}", year=1990 + n % 30)
        for n in range(size)
    ]
    source = SourceFactory(key="hubsource", work=works[0])
    hub.themes.add(theme, other_theme)
    Person.themes.through.objects.bulk_create(
        Person.themes.through(person=p, theme=theme) for p in people
    )
    Work.themes.through.objects.bulk_create(
        Work.themes.through(work=w, theme=theme) for w in works
    )
    Affiliation.objects.bulk_create(
        Affiliation(person=p, organization=organization, role="researcher")
        for p in [hub, *people]
    )
    # The hub writes every work, each with one other person.
    Authorship.objects.bulk_create(
        row
        for n, (work, person) in enumerate(zip(works, people, strict=True))
        for row in (
            Authorship(work=work, person=hub, position=0),
            Authorship(work=work, person=person, position=1 + n % 2),
        )
    )
    PageLink.objects.bulk_create(
        PageLink(source=p, target=hub, target_title=hub.title) for p in people
    )
    RelatedPage.objects.bulk_create(
        RelatedPage(page=w, target=hub, position=0) for w in works[: size // 2]
    )
    Citation.objects.bulk_create(Citation(page=p, source=source) for p in people)
    return Hub(hub, organization, theme, works[0], source, people, works)
