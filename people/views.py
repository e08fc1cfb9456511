from django.db.models import Prefetch
from django.shortcuts import render

from people.models import Affiliation, Organization, Person
from wiki.models import Theme
from wiki.views import index_context


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
        people = people.filter(themes=theme)
    if organization:
        people = people.filter(affiliations__organization=organization).distinct()
    people = people.prefetch_related(
        Prefetch("affiliations", Affiliation.objects.select_related("organization"))
    )
    context = index_context(request, people)
    context.update(
        theme=theme,
        organization=organization,
        themes=Theme.objects.published().filter(people__isnull=False).distinct(),
        organizations=Organization.objects.published()
        .filter(affiliations__isnull=False)
        .distinct(),
    )
    return render(request, "people/person_index.html", context)


def organization_index(request):
    organizations = Organization.objects.published().order_by("title")
    return render(
        request, "people/organization_index.html", index_context(request, organizations)
    )
