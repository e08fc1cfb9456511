"""The kinds of page this app declares: people and organizations."""

from django.db.models import Prefetch

from people import forms, navigation
from people.models import ORGANIZATION, PERSON, Affiliation, Organization, Person
from people.search import person_facets
from wiki.models import Theme
from wiki.registry import Kind

PERSON_KIND = Kind(
    kind=PERSON,
    model=Person,
    section="people",
    plural="People",
    form=forms.PersonForm,
    formsets=forms.PERSON_ROWS,
    navigation=(navigation.colleagues, navigation.people_sharing_themes),
    prefetches=(
        Prefetch("themes", Theme.objects.published()),
        Prefetch("affiliations", Affiliation.objects.select_related("organization")),
    ),
    template="people/person_detail.html",
    json_ld=navigation.person_structured_data,
    og_type="profile",
    search_facets=person_facets,
    featured=True,
    index="people:person_index",
    urls="people.urls",
    moderated_models=(("people", "person"), ("people", "affiliation")),
    menu=10,
    order=10,
)

ORGANIZATION_KIND = Kind(
    kind=ORGANIZATION,
    model=Organization,
    section="organizations",
    plural="Organizations",
    form=forms.OrganizationForm,
    # Its members are a bounded list (navigation.organization_people), not a
    # prefetch: an organization can have thousands.
    navigation=(navigation.organization_people,),
    template="people/organization_detail.html",
    search_within=True,
    json_ld=navigation.organization_structured_data,
    index="people:organization_index",
    urls="people.urls",
    moderated_models=(("people", "organization"),),
    menu=40,
    order=20,
)
