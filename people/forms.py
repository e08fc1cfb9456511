"""Edit forms of people and organizations, plugged into the site's editor."""

from django import forms

from people.models import PERSON, Affiliation, Organization, Person
from wiki import registry
from wiki.external import image_hosts, image_source
from wiki.forms import (
    PAGE_FIELDS,
    OrderedInlineFormSet,
    PageForm,
    PageTitleField,
    RowForm,
    themes_formset,
)


class PersonForm(PageForm):
    class Meta(PageForm.Meta):
        model = Person
        fields = [
            "title",
            "short_title",
            "slug",
            "short_description",
            "summary",
            "known_for",
            "why_they_matter",
            "body",
            "reading_title",
            "reading",
            "open_questions",
            "portrait_url",
            "portrait_credit",
            "homepage",
            "orcid",
            "wikidata",
        ]

    def clean_portrait_url(self):
        url = self.cleaned_data.get("portrait_url", "")
        if url and image_source(url) is None:
            hosts = ", ".join(sorted(image_hosts())) or "no other host"
            raise forms.ValidationError(
                "Portraits are shown from this site or, over https, from "
                f"{hosts}; readers' browsers are sent nowhere else. Use a "
                "portrait from there.",
                code="image_host",
            )
        return url


class OrganizationForm(PageForm):
    class Meta(PageForm.Meta):
        model = Organization
        fields = [
            *PAGE_FIELDS[:3],
            "org_type",
            "website",
            "founded_year",
            "wikidata",
            "ror",
            *PAGE_FIELDS[3:],
        ]


class AffiliationForm(RowForm):
    organization = PageTitleField(model=Organization)

    class Meta:
        model = Affiliation
        fields = [
            "organization",
            "role",
            "start_year",
            "start_month",
            "end_year",
            "end_month",
            "note",
        ]
        widgets = {
            "start_year": forms.NumberInput(attrs={"size": 5, "class": "year"}),
            "end_year": forms.NumberInput(attrs={"size": 5, "class": "year"}),
            "role": forms.TextInput(attrs={"size": 20}),
            "note": forms.TextInput(attrs={"size": 30}),
        }


class AffiliationFormSet(OrderedInlineFormSet):
    def queryset_for_edit(self, queryset):
        return queryset.select_related("organization")


affiliations_formset = forms.inlineformset_factory(
    Person,
    Affiliation,
    form=AffiliationForm,
    formset=AffiliationFormSet,
    extra=1,
    can_order=True,
    can_delete=True,
)


def _affiliations_changed(assessment) -> bool:
    before = assessment.before.fields.get("affiliation")
    after = assessment.after.fields.get("affiliation")
    return assessment.kind == PERSON and (
        (before.value if before else []) != (after.value if after else [])
    )


PERSON_ROWS = (
    registry.FormsetSpec(
        prefix="affiliations",
        label="Affiliations",
        formset=affiliations_formset,
        snapshot_field="affiliation",
        help_text="Roles at organizations, most important first. Dates as "
        "precise as the record is: a year, or a month and year.",
    ),
    registry.FormsetSpec(
        prefix="themes",
        label="Core themes",
        formset=themes_formset,
        snapshot_field="themes",
    ),
)


def register() -> None:
    registry.register_review_flag(
        registry.ReviewFlag(
            "affiliations-changed",
            "affiliations of a person changed",
            _affiliations_changed,
        )
    )
