from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse

from wiki.dates import (
    MONTHS,
    PartialDateMixin,
    day_validators,
    partial_date_constraints,
    year_validators,
)
from wiki.models import Page, PageQuerySet, Theme
from wiki.text import LineField, TitleField, UrlField

citation_key_validator = RegexValidator(
    r"^[A-Za-z][\w:.-]{0,99}$",
    "A citation key starts with a letter and uses letters, digits, and _ : . - "
    "(e.g. radford2019language).",
)


class WorkQuerySet(PageQuerySet):
    def with_navigation(self):
        return self.prefetch_related(
            models.Prefetch("themes", Theme.objects.published()),
            "sources",
            models.Prefetch("authorships", Authorship.objects.select_related("person")),
        )


class Work(PartialDateMixin, Page):
    """A paper, model, system, book or post."""

    class Type(models.TextChoices):
        PAPER = "paper", "Paper"
        MODEL = "model", "Model"
        SYSTEM = "system", "System"
        BOOK = "book", "Book"
        POST = "post", "Post"
        OTHER = "other", "Other"

    work_type = models.CharField("type", max_length=20, choices=Type.choices)
    year = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=year_validators
    )
    month = models.PositiveSmallIntegerField(null=True, blank=True, choices=MONTHS)
    day = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=day_validators
    )
    venue = LineField(max_length=255, blank=True, help_text="E.g. arXiv, NeurIPS.")
    url = UrlField("URL", blank=True)
    authors_incomplete = models.BooleanField(
        "more authors",
        default=False,
        help_text="Tick when only the first authors are listed (shown as et al.).",
    )
    themes = models.ManyToManyField("wiki.Theme", blank=True, related_name="works")

    objects = WorkQuerySet.as_manager()

    class Meta:
        constraints = partial_date_constraints("work")

    def save(self, *args, **kwargs):
        self.kind = Page.Kind.WORK
        super().save(*args, **kwargs)


class Authorship(models.Model):
    """One author of a work, in the order printed."""

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="authorships")
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="authorships"
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["work", "position"],
                name="authorship_one_author_per_position",
                violation_error_message="Two authors cannot share a position.",
            ),
            models.UniqueConstraint(
                fields=["work", "person"],
                name="authorship_person_once_per_work",
                violation_error_message="This person is already an author of this.",
            ),
        ]

    def __str__(self):
        return f"{self.person} on {self.work}"

    def get_absolute_url(self):
        return self.work.get_absolute_url()


class Source(PartialDateMixin, models.Model):
    """A citable reference, cited in page text as ``[@key]``."""

    class Type(models.TextChoices):
        PAPER = "paper", "Paper"
        PREPRINT = "preprint", "Preprint"
        REPORT = "report", "Report"
        BOOK = "book", "Book"
        BLOG = "blog", "Blog post"
        NEWS = "news", "News article"
        WEB = "web", "Web page"
        OTHER = "other", "Other"

    key = models.CharField(
        "citation key",
        max_length=100,
        validators=[citation_key_validator],
        help_text="Cite it in text as [@key], e.g. radford2019language.",
    )
    source_type = models.CharField(
        "type", max_length=20, choices=Type.choices, default=Type.OTHER
    )
    authors = LineField(
        max_length=500, blank=True, help_text="As printed, e.g. Alec Radford et al."
    )
    title = TitleField(max_length=500)
    publisher = LineField(
        "publisher or venue",
        max_length=255,
        blank=True,
        help_text="E.g. arXiv, OpenAI.",
    )
    year = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=year_validators
    )
    month = models.PositiveSmallIntegerField(null=True, blank=True, choices=MONTHS)
    day = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=day_validators
    )
    url = UrlField("URL", blank=True)
    work = models.ForeignKey(
        Work,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sources",
        help_text="The work this source is, if it has a page.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["key"]
        constraints = [
            models.UniqueConstraint(
                fields=["key"],
                name="source_unique_key",
                violation_error_message="Another source has this citation key.",
            ),
            *partial_date_constraints("source"),
        ]

    def __str__(self):
        return f"{self.key}: {self.title}"

    def get_absolute_url(self):
        return reverse("sources:source_detail", kwargs={"key": self.key})

    @property
    def reference_parts(self) -> list[str]:
        """The parts of the printed reference: authors, title, publisher, date."""
        return [
            p
            for p in (self.authors, self.title, self.publisher, self.date_display)
            if p
        ]


class Citation(models.Model):
    """A page cites a source; ``position`` orders the references list."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="citations")
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="citations"
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["page", "source"],
                name="citation_source_once_per_page",
                violation_error_message="This page already cites this source.",
            ),
        ]

    def __str__(self):
        return f"{self.page} cites {self.source.key}"

    def get_absolute_url(self):
        return self.page.get_absolute_url()
