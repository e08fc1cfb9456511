"""Builders shared by the history tests: moderators and pages with a past."""

from django.contrib.auth.models import Group

from people.models import Person
from tests.factories import PersonFactory, UserFactory
from wiki.roles import MODERATORS, ensure_roles
from wiki.services import page_publish


def make_moderator(username: str = "moderator"):
    ensure_roles()
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name=MODERATORS))
    return user


def published_ada(moderator, **fields) -> Person:
    """Ada Lovelace, a mathematician who wrote the first program, published
    once by ``moderator`` (with ``fields`` besides); read back fresh."""
    person = Person(
        title="Ada Lovelace",
        slug="ada-lovelace",
        short_description="Mathematician",
        summary="Wrote the first program.",
        **fields,
    )
    page_publish(page=person, user=moderator, summary="Create")
    return Person.objects.get(pk=person.pk)


def person_with_history(*bodies: str, authors=None, title="Ada Lovelace", **fields):
    """A person published once per body (authors in turn); return it and revisions."""
    authors = authors or [UserFactory(username="author")]
    person = PersonFactory.build(
        title=title, slug=title.lower().replace(" ", "-"), body=bodies[0], **fields
    )
    revisions = []
    for number, body in enumerate(bodies):
        person.body = body
        revisions.append(
            page_publish(
                page=person,
                user=authors[number % len(authors)],
                summary=f"Edit {number + 1}",
            )
        )
    return Person.objects.get(pk=person.pk), revisions


def publish(page, user, summary="Edit", save_related=None, **changes):
    """Change fields of ``page`` (a fresh copy) and publish; return the revision."""
    page = type(page).objects.get(pk=page.pk)
    for name, value in changes.items():
        setattr(page, name, value)
    return page_publish(
        page=page, user=user, summary=summary, save_related=save_related
    )
