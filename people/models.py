from django.db import models
from django.db.models import Q
from markdownx.models import MarkdownxField

from wiki.dates import MONTHS, partial_date, year_validators
from wiki.external import image_source
from wiki.identifiers import IdentifierField, unique_identifier
from wiki.models import Page, PageQuerySet
from wiki.text import LineField, UrlField

PERSON = "person"  # Page.kind of people
ORGANIZATION = "organization"


class PersonQuerySet(PageQuerySet):
    pass


class OrganizationQuerySet(PageQuerySet):
    pass


class Person(Page):
    short_description = LineField(
        max_length=160,
        blank=True,
        help_text='Shown under the name, e.g. "AI researcher".',
    )
    known_for = MarkdownxField(blank=True)
    why_they_matter = MarkdownxField(blank=True)
    open_questions = MarkdownxField(
        blank=True, help_text="A Markdown list of questions the record leaves open."
    )
    themes = models.ManyToManyField(
        "wiki.Theme", blank=True, related_name="people", verbose_name="core themes"
    )
    portrait_url = UrlField(blank=True)
    portrait_credit = LineField(max_length=255, blank=True)
    homepage = UrlField(blank=True)
    orcid = IdentifierField(
        "ORCID iD", scheme="orcid", help_text="E.g. 0000-0002-1825-0097."
    )
    wikidata = IdentifierField(
        "Wikidata item", scheme="wikidata", help_text="E.g. Q42."
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "people"
        constraints = [
            unique_identifier(
                "orcid",
                name="person_unique_orcid",
                message="Another person has this ORCID iD.",
            ),
            unique_identifier(
                "wikidata",
                name="person_unique_wikidata",
                message="Another person has this Wikidata item.",
            ),
        ]

    def save(self, *args, **kwargs):
        self.kind = PERSON
        super().save(*args, **kwargs)

    def affiliations_by_organization(self) -> list[tuple["Organization", list]]:
        """Each organization once, with the person's roles there in order
        (``affiliations`` is prefetched by page views)."""
        groups: dict[int, tuple] = {}
        for affiliation in self.affiliations.all():
            organization = affiliation.organization
            groups.setdefault(organization.pk, (organization, []))[1].append(
                affiliation
            )
        return list(groups.values())

    def preview_details(self) -> dict:
        details = {"description": self.short_description}
        if self.portrait_src:
            details["image"] = {
                "src": self.portrait_src,
                "alt": f"Portrait of {self.title}",
            }
        return details

    @property
    def portrait_src(self) -> str | None:
        """The portrait's address if pages may show it (see wiki/external.py)."""
        return image_source(self.portrait_url) if self.portrait_url else None


class Organization(Page):
    class Type(models.TextChoices):
        COMPANY = "company", "Company"
        LAB = "lab", "Research lab"
        UNIVERSITY = "university", "University"
        NONPROFIT = "nonprofit", "Non-profit"
        GOVERNMENT = "government", "Government body"
        OTHER = "other", "Other"

    org_type = models.CharField(
        "type", max_length=20, choices=Type.choices, default=Type.OTHER, blank=True
    )
    website = UrlField(blank=True)
    founded_year = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=year_validators
    )
    wikidata = IdentifierField(
        "Wikidata item", scheme="wikidata", help_text="E.g. Q2007036."
    )
    ror = IdentifierField(
        "ROR id",
        scheme="ror",
        help_text="The Research Organization Registry's id, e.g. 00f54p054.",
    )

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        constraints = [
            unique_identifier(
                "wikidata",
                name="organization_unique_wikidata",
                message="Another organization has this Wikidata item.",
            ),
            unique_identifier(
                "ror",
                name="organization_unique_ror",
                message="Another organization has this ROR id.",
            ),
        ]

    def save(self, *args, **kwargs):
        self.kind = ORGANIZATION
        super().save(*args, **kwargs)


class Affiliation(models.Model):
    """A person's role at an organization, with dates as precise as the record is."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="affiliations"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="affiliations"
    )
    role = LineField(max_length=160, blank=True)
    start_year = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=year_validators
    )
    start_month = models.PositiveSmallIntegerField(
        null=True, blank=True, choices=MONTHS
    )
    end_year = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=year_validators
    )
    end_month = models.PositiveSmallIntegerField(null=True, blank=True, choices=MONTHS)
    note = LineField(
        max_length=500,
        blank=True,
        help_text="E.g. what the reporting said about leaving.",
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_year__isnull=True)
                | Q(end_year__isnull=True)
                | Q(end_year__gt=models.F("start_year"))
                | (
                    Q(end_year=models.F("start_year"))
                    & (
                        Q(start_month__isnull=True)
                        | Q(end_month__isnull=True)
                        | Q(end_month__gte=models.F("start_month"))
                    )
                ),
                name="affiliation_end_not_before_start",
                violation_error_message="The end date is before the start date.",
            ),
            models.CheckConstraint(
                condition=Q(start_month__isnull=True) | Q(start_year__isnull=False),
                name="affiliation_start_month_needs_year",
                violation_error_message="Give a start year with the start month.",
            ),
            models.CheckConstraint(
                condition=Q(end_month__isnull=True) | Q(end_year__isnull=False),
                name="affiliation_end_month_needs_year",
                violation_error_message="Give an end year with the end month.",
            ),
        ]
        # An organization's members in order, read a few at a time (the
        # relationship graph, wiki/graph.py).
        indexes = [
            models.Index(
                fields=["organization", "person"], name="affiliation_org_person"
            )
        ]

    def __str__(self):
        return f"{self.person} at {self.organization}"

    def get_absolute_url(self):
        return self.person.get_absolute_url()

    @property
    def start_display(self) -> str:
        return partial_date(self.start_year, self.start_month)

    @property
    def end_display(self) -> str:
        return partial_date(self.end_year, self.end_month)

    @property
    def period_display(self) -> str:
        start, end = self.start_display, self.end_display
        if start and end:
            return f"{start} – {end}"
        if end:
            return f"until {end}"
        if start:
            return f"since {start}"
        return ""
