import factory
from django.contrib.auth import get_user_model

from people.models import Affiliation, Organization, Person
from sources.models import Authorship, Citation, Source, Work
from wiki.models import RelatedPage, Theme


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct horse battery")


class PageFactoryBase(factory.django.DjangoModelFactory):
    title = factory.Sequence(lambda n: f"Page {n}")
    slug = factory.LazyAttribute(lambda p: p.title.lower().replace(" ", "-"))


class ThemeFactory(PageFactoryBase):
    class Meta:
        model = Theme

    title = factory.Sequence(lambda n: f"Theme {n}")


class PersonFactory(PageFactoryBase):
    class Meta:
        model = Person

    title = factory.Sequence(lambda n: f"Person {n}")
    short_description = "AI researcher"


class OrganizationFactory(PageFactoryBase):
    class Meta:
        model = Organization

    title = factory.Sequence(lambda n: f"Organization {n}")


class WorkFactory(PageFactoryBase):
    class Meta:
        model = Work

    title = factory.Sequence(lambda n: f"Work {n}")
    work_type = Work.Type.PAPER
    year = 2020


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    key = factory.Sequence(lambda n: f"source{n}")
    title = factory.Sequence(lambda n: f"Source title {n}")
    authors = "A. Author"
    year = 2020


class AffiliationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Affiliation

    person = factory.SubFactory(PersonFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = "researcher"


class AuthorshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Authorship

    work = factory.SubFactory(WorkFactory)
    person = factory.SubFactory(PersonFactory)
    position = factory.Sequence(lambda n: n)


class CitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Citation

    page = factory.SubFactory(PersonFactory)
    source = factory.SubFactory(SourceFactory)


class RelatedPageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RelatedPage

    page = factory.SubFactory(PersonFactory)
    target = factory.SubFactory(ThemeFactory)
