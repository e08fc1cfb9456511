from django.contrib import admin

from people.forms import AffiliationForm
from people.models import Affiliation, Organization, Person
from wiki.admin import PageAdmin


class AffiliationInline(admin.TabularInline):
    model = Affiliation
    extra = 0
    autocomplete_fields = ["organization"]
    fields = [*AffiliationForm.Meta.fields, "position"]


@admin.register(Person)
class PersonAdmin(PageAdmin):
    list_display = ["title", "short_description", "slug", "updated_at"]
    list_filter = ["themes", "affiliations__organization", "is_deleted"]
    search_fields = [
        *PageAdmin.search_fields,
        "short_description",
        "=orcid",
        "=wikidata",
    ]
    autocomplete_fields = ["themes"]
    kind_fields = [
        "short_description",
        "known_for",
        "why_they_matter",
        "themes",
        "open_questions",
        "portrait_url",
        "portrait_credit",
        "homepage",
        "orcid",
        "wikidata",
    ]
    inlines = [AffiliationInline, *PageAdmin.inlines]


@admin.register(Organization)
class OrganizationAdmin(PageAdmin):
    list_display = ["title", "org_type", "founded_year", "member_count"]
    list_filter = ["org_type", "is_deleted"]
    kind_fields = ["org_type", "website", "founded_year", "wikidata", "ror"]

    @admin.display(description="people")
    def member_count(self, obj):
        return obj.affiliations.count()
