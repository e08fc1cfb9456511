"""Fixtures for editing and moderation: the roles, and a page with rows."""

import pytest
from django.contrib.auth.models import Group

from people.models import Person
from tests.factories import (
    AffiliationFactory,
    CitationFactory,
    OrganizationFactory,
    PersonFactory,
    RelatedPageFactory,
    SourceFactory,
    ThemeFactory,
    UserFactory,
)
from wiki.roles import CONTRIBUTORS, MODERATORS, ensure_roles
from wiki.services import page_publish


@pytest.fixture
def roles(db):
    ensure_roles()


@pytest.fixture
def contributor(roles):
    user = UserFactory(username="carol")
    user.groups.add(Group.objects.get(name=CONTRIBUTORS))
    return user


@pytest.fixture
def moderator(roles):
    user = UserFactory(username="mod")
    user.groups.add(Group.objects.get(name=MODERATORS))
    return user


@pytest.fixture
def person(db):
    """Ada Lovelace, published once, with an affiliation, a citation, a related
    page and a theme."""
    author = UserFactory(username="first-author")
    engine = OrganizationFactory(title="Analytical Engine Society", slug="aes")
    page_publish(page=engine, user=author, summary="Create")
    source = SourceFactory(key="menabrea1843", title="Sketch of the Engine")
    theme = ThemeFactory(title="Computing", slug="computing")
    person = PersonFactory.build(
        title="Ada Lovelace",
        slug="ada-lovelace",
        summary="Mathematician.",
        body="Ada wrote the first program.\n\nShe worked with [[Charles Babbage]].\n",
        known_for="Notes on the Engine",
    )

    def related():
        AffiliationFactory(person=person, organization=engine, role="translator")
        CitationFactory(page=person, source=source)
        RelatedPageFactory(page=person, target=theme)
        person.themes.add(theme)

    page_publish(page=person, user=author, summary="Create", save_related=related)
    return Person.objects.get(pk=person.pk)
