from django.db.models import Exists, OuterRef, Prefetch
from django.shortcuts import render

from people.models import ORGANIZATION, Affiliation, Organization, Person
from wiki.models import THEME, Theme
from wiki.views import index_context

# Entries of each filter's menu on the people index: the first in A–Z order
# (and the one chosen), each found by an index, however many there are.
FILTER_CHOICES = 100


def person_index(request):
    """People A–Z, filtered by theme and organization."""
    people = Person.objects.published().order_by("title")
    theme_slug = request.GET.get("theme", "")
    organization_slug = request.GET.get("organization", "")
    theme = theme_slug and Theme.objects.published().filter(slug=theme_slug).first()
    organization = (
        organization_slug
        and Organization.objects.published().filter(slug=organization_slug).first()
    )
    if theme:
        people = people.filter(
            Exists(
                Person.themes.through.objects.filter(person=OuterRef("pk"), theme=theme)
            )
        )
    if organization:
        people = people.filter(
            Exists(
                Affiliation.objects.filter(
                    person=OuterRef("pk"), organization=organization
                )
            )
        )
    people = people.prefetch_related(
        Prefetch("affiliations", Affiliation.objects.select_related("organization"))
    )
    context = index_context(request, people)
    # The first themes and organizations A–Z, read by an index (whether each
    # has people would mean reading every membership).
    context.update(
        theme=theme,
        organization=organization,
        themes=_choices(Theme.objects.published().filter(kind=THEME), theme),
        organizations=_choices(
            Organization.objects.published().filter(kind=ORGANIZATION), organization
        ),
    )
    return render(request, "people/person_index.html", context)


def _choices(queryset, chosen) -> list:
    """The first ``FILTER_CHOICES`` of ``queryset`` A–Z, and ``chosen`` among them."""
    choices = list(queryset.order_by("title").only("title", "slug")[:FILTER_CHOICES])
    if chosen and chosen not in choices:
        choices = sorted([*choices, chosen], key=lambda page: page.title)
    return choices


def organization_index(request):
    organizations = Organization.objects.published().order_by("title")
    return render(
        request, "people/organization_index.html", index_context(request, organizations)
    )
