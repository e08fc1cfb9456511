from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F
from django.urls import reverse

from wiki.dates import (
    MONTHS,
    PartialDateMixin,
    day_validators,
    partial_date_constraints,
    year_validators,
)
from wiki.identifiers import (
    IdentifierField,
    arxiv_validator,
    doi_validator,
    unique_identifier,
)
from wiki.models import INITIAL, Page, PageQuerySet
from wiki.text import LineField, TitleField, UrlField

citation_key_validator = RegexValidator(
    r"^[A-Za-z][\w:.-]{0,99}\Z",
    "A citation key starts with a letter and uses letters, digits, and _ : . - "
    "(e.g. radford2019language).",
)
WORK = "work"  # Page.kind of works
SOURCE_KIND = "source"  # Proposal.kind of proposals of sources
RESERVED_KEYS = {"new", "import"}  # /sources/new/, /sources/import/


class WorkQuerySet(PageQuerySet):
    pass


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
    doi = IdentifierField(
        scheme="doi", help_text="E.g. 10.1145/3442188.3445922 (or its doi.org address)."
    )
    arxiv_id = IdentifierField(
        "arXiv identifier",
        scheme="arxiv",
        help_text="E.g. 2103.00020, or hep-th/9901001 for older papers.",
    )
    authors_incomplete = models.BooleanField(
        "more authors",
        default=False,
        help_text="Tick when only the first authors are listed (shown as et al.).",
    )
    themes = models.ManyToManyField("wiki.Theme", blank=True, related_name="works")

    objects = WorkQuerySet.as_manager()

    class Meta:
        constraints = [
            *partial_date_constraints("work"),
            unique_identifier(
                "doi",
                name="work_unique_doi",
                message="Another work has this DOI.",
            ),
            unique_identifier(
                "arxiv_id",
                name="work_unique_arxiv_id",
                message="Another work has this arXiv identifier.",
            ),
        ]
        # The works index, newest first, of every type or of one.
        indexes = [
            models.Index(fields=["-year"], name="work_newest_first"),
            models.Index(fields=["work_type", "-year"], name="work_type_newest_first"),
        ]

    def save(self, *args, **kwargs):
        self.kind = WORK
        super().save(*args, **kwargs)

    def preview_details(self) -> dict:
        parts = [self.get_work_type_display(), self.venue, self.date_display]
        return {"description": " · ".join(filter(None, parts))}


class Authorship(models.Model):
    """One author of a work, in the order printed."""

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="authorships")
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="authorships"
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        # A person's works, the latest added first, a few at a time (the
        # relationship graph, wiki/graph.py).
        indexes = [
            models.Index(fields=["person", "work"], name="authorship_person_work")
        ]
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
    doi = LineField(
        "DOI",
        max_length=255,
        blank=True,
        validators=[doi_validator],
        help_text="E.g. 10.1145/3442188.3445922, without https://doi.org/.",
    )
    arxiv_id = LineField(
        "arXiv identifier",
        max_length=40,
        blank=True,
        validators=[arxiv_validator],
        help_text="E.g. 2103.00020, or hep-th/9901001 for older papers.",
    )
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
        # The sources index A–Z, and one letter of it (``?letter=``).
        indexes = [
            models.Index(fields=["title"], name="source_title"),
            models.Index(INITIAL, F("title"), name="source_initial_title"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["key"],
                name="source_unique_key",
                violation_error_message="Another source has this citation key.",
            ),
            unique_identifier(
                "doi",
                name="source_unique_doi",
                message="Another source has this DOI.",
            ),
            unique_identifier(
                "arxiv_id",
                name="source_unique_arxiv_id",
                message="Another source has this arXiv identifier.",
            ),
            *partial_date_constraints("source"),
        ]

    def __str__(self):
        return f"{self.key}: {self.title}"

    def get_absolute_url(self):
        return reverse("sources:source_detail", kwargs={"key": self.key})

    def clean(self):
        if self.key in RESERVED_KEYS:
            raise ValidationError(
                {"key": f"“{self.key}” is reserved for the site; choose another key."}
            )
        if self.pk is None:
            return
        stored = Source.objects.filter(pk=self.pk).values_list("key", flat=True)
        stored_key = stored.first()
        if stored_key and stored_key != self.key and self.citations.exists():
            raise ValidationError(
                {
                    "key": f"Pages cite this source as [@{stored_key}]: its key "
                    "cannot change while they do."
                }
            )

    @property
    def doi_url(self) -> str:
        return f"https://doi.org/{self.doi}" if self.doi else ""

    @property
    def arxiv_url(self) -> str:
        return f"https://arxiv.org/abs/{self.arxiv_id}" if self.arxiv_id else ""

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


def source_create_url(key: str) -> str:
    """The form proposing a new source with the citation key ``key``."""
    return reverse("sources:source_create") + "?" + urlencode({"key": key})


class SourceProposalQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(proposal__status="pending")

    def pending_keys(self, keys) -> dict[str, int]:
        """Keys among ``keys`` that pending proposals propose: key -> proposal id
        (the newest, if several do)."""
        rows = self.pending().filter(key__in=list(keys)).order_by("proposal_id")
        return dict(rows.values_list("key", "proposal_id"))


class SourceProposal(models.Model):
    """What a proposal of kind "source" is about: the core's ``Proposal`` knows
    pages only, so the source it changes (or, once approved, the source it
    created) and the key it proposes are kept here, beside it."""

    proposal = models.OneToOneField(
        "wiki.Proposal", on_delete=models.CASCADE, related_name="source_proposal"
    )
    source = models.ForeignKey(
        Source,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
        help_text="The source it changes; for a new source, the one approving it "
        "created.",
    )
    key = models.CharField(
        "citation key",
        max_length=100,
        db_index=True,
        help_text="The citation key as proposed.",
    )

    objects = SourceProposalQuerySet.as_manager()

    class Meta:
        verbose_name = "source proposal"

    def __str__(self):
        return f"Proposal {self.proposal_id} for [@{self.key}]"

    def get_absolute_url(self):
        return self.proposal.get_absolute_url()


class GeneratedRow(models.Model):
    """A row ``manage.py generate_pages`` made (a page, a source or a user), so
    that ``generate_pages --delete`` removes exactly those and what hangs from
    them, and nothing of the seed or of hand-made pages."""

    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField()
    seed = models.BigIntegerField(help_text="The --seed of the run that made it.")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="generated_row_once"
            ),
        ]

    def __str__(self):
        return f"generated {self.content_type.model} {self.object_id}"


class PageCoverage(models.Model):
    """How many of a page's body paragraphs cite a source (``sources.coverage``).

    Derived from the page's rendered body whenever it is stored (published or
    rendered again), so that the maintenance page sorts pages by coverage
    through an index instead of reading every body.
    """

    page = models.OneToOneField(
        Page, on_delete=models.CASCADE, primary_key=True, related_name="coverage"
    )
    paragraphs = models.PositiveIntegerField(default=0)
    cited = models.PositiveIntegerField(
        default=0, help_text="Paragraphs citing at least one source."
    )
    needed = models.PositiveIntegerField(
        default=0, help_text="“Citation needed” markers ([@?]) in the body."
    )
    share = models.PositiveSmallIntegerField(
        default=0, help_text="Cited paragraphs per thousand."
    )

    class Meta:
        indexes = [
            # Lowest coverage first, the longest of equals first.
            models.Index(
                F("share"),
                F("paragraphs").desc(),
                F("page"),
                name="coverage_lowest_first",
                condition=models.Q(paragraphs__gt=0),
            ),
            models.Index(
                F("needed").desc(),
                F("page"),
                name="coverage_most_needed",
                condition=models.Q(needed__gt=0),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(cited__lte=F("paragraphs")),
                name="coverage_cited_within_paragraphs",
            ),
        ]

    def __str__(self):
        return f"{self.page}: {self.cited} of {self.paragraphs} paragraphs cited"


class CitationUse(models.Model):
    """A citation key a page's text cites with ``[@key]``, and the source it
    names (none while no source has the key).

    Derived from the page's last render, like ``PageCoverage``: the
    maintenance page's unknown keys and sources cited nowhere read it.
    """

    page = models.ForeignKey(
        Page, on_delete=models.CASCADE, related_name="citation_uses"
    )
    key = models.CharField(max_length=100)
    source = models.ForeignKey(
        Source,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="uses",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["page", "key"], name="citation_use_once"),
        ]
        indexes = [
            models.Index(
                fields=["key", "page"],
                name="citation_use_unknown",
                condition=models.Q(source__isnull=True),
            ),
        ]

    def __str__(self):
        return f"{self.page} cites [@{self.key}]"


class SourceUsage(models.Model):
    """How many live pages cite a source in their text (``CitationUse``):
    none puts it among the sources cited nowhere.

    Counted again for the sources a page's citations named before and after,
    whenever they are recorded, and for a source when it is published.
    """

    source = models.OneToOneField(
        Source, on_delete=models.CASCADE, primary_key=True, related_name="usage"
    )
    pages = models.PositiveIntegerField(
        default=0, help_text="Live pages citing it with [@key]."
    )

    class Meta:
        indexes = [
            models.Index(
                fields=["source"],
                name="source_usage_uncited",
                condition=models.Q(pages=0),
            )
        ]

    def __str__(self):
        return f"{self.source}: cited by {self.pages} pages"
