from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models, router
from django.db.models import F
from django.db.models.functions import Cast, Coalesce, Length, Lower, Substr, Upper
from django.urls import reverse
from markdownx.models import MarkdownxField

from wiki import registry
from wiki.identifiers import IdentifierField, identifiers_of
from wiki.text import BlockField, TitleField

slug_validator = RegexValidator(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
    "Use lowercase letters, digits and single hyphens, e.g. alec-radford.",
)


def page_versions_filter() -> dict:
    """Filter arguments for reversion's versions of Page rows (one per revision).

    The content type is a scalar subquery rather than a join, so the database
    reads versions from reversion's (db, content type, object id, revision)
    index in revision order, without a query of its own.
    """
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.filter(app_label="wiki", model="page")
    return {
        "db": router.db_for_write(Page),
        "content_type": models.Subquery(content_type.values("pk")[:1]),
    }


def latest_version_subquery(field: str) -> models.Subquery:
    """``field`` of the latest reversion version of the page in the outer query."""
    from reversion.models import Version

    return models.Subquery(
        Version.objects.filter(
            object_id=Cast(models.OuterRef("pk"), output_field=models.CharField()),
            **page_versions_filter(),
        )
        .order_by("-revision_id")
        .values(field)[:1]
    )


LIVE = models.Q(is_deleted=False)
# The letter a title is listed under in an index (``?letter=``).
INITIAL = Upper(Substr("title", 1, 1))


# The text and rendered HTML of a page: what only its own view reads, never a
# list or a link to it.
HEAVY_FIELDS = (
    "body",
    "reading",
    "body_html",
    "toc_html",
    "reading_html",
    "fields_html",
    "render_data",
)


class PageQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_deleted=False)

    def of_kind(self, kind):
        return self.filter(kind=kind)

    def for_page_view(self):
        """What any page view shows beside the page: related pages, app extras
        and what its kind prefetches."""
        declaration = registry.page_type_for_model(self.model)
        related = RelatedPage.objects.select_related("target").defer(
            *(f"target__{name}" for name in HEAVY_FIELDS)
        )
        queryset = self.prefetch_related(
            models.Prefetch("related_links", related),
            *registry.page_prefetches(declaration.kind if declaration else None),
            *(declaration.prefetches if declaration else ()),
        )
        return queryset.with_last_edit()

    def with_last_edit(self):
        """Annotate each page's latest revision, in the same query:
        ``last_revision_id``, ``last_edited_at``, ``last_editor`` (a username)
        and ``last_editor_hidden`` (whether that name is hidden from the public).
        """
        return self.annotate(
            last_revision_id=latest_version_subquery("revision_id"),
            last_edited_at=latest_version_subquery("revision__date_created"),
            last_editor=latest_version_subquery("revision__user__username"),
            last_editor_hidden=latest_version_subquery("revision__meta__author_hidden"),
        )

    def specific(self) -> list:
        """These pages, each as its own kind, in this queryset's order: one
        query for the pages and one per kind among them."""
        pages = list(self)
        by_kind: dict[str, list[int]] = {}
        for page in pages:
            by_kind.setdefault(page.kind, []).append(page.pk)
        found = {}
        for kind, ids in by_kind.items():
            model = registry.page_type(kind).model
            if model is self.model:
                found.update((p.pk, p) for p in pages if p.kind == kind)
            else:
                found.update(model.objects.in_bulk(ids))
        return [found[page.pk] for page in pages if page.pk in found]

    def titled(self, titles):
        """Pages whose title or short title matches any of ``titles``, ignoring case."""
        lowered = {title.casefold() for title in titles}
        return self.annotate(
            title_lower=Lower("title"), short_lower=Lower("short_title")
        ).filter(models.Q(title_lower__in=lowered) | models.Q(short_lower__in=lowered))


class Page(models.Model):
    """Everything with a page: people, organizations, works, themes.

    Links, search, related pages, citations and proposals all point here.
    """

    # A registered kind (wiki.registry.Kind), set from the model on save.
    kind = models.CharField(max_length=20, editable=False)
    title = TitleField(max_length=255)
    short_title = TitleField(
        max_length=100,
        blank=True,
        help_text="A common short name that links may use, e.g. CLIP or GPT-2.",
    )
    slug = models.CharField(max_length=255, validators=[slug_validator])
    summary = BlockField(
        "lede", blank=True, help_text="The opening paragraph: who or what, and why."
    )
    body = MarkdownxField(
        blank=True,
        help_text="Markdown. Link with [[Title]] or [[Title|label]]; "
        "cite with [@key] or [@key, p. 5].",
    )
    reading_title = TitleField(
        max_length=120,
        blank=True,
        help_text='Heading of the interpretive reading, e.g. "Spiralist Reading".',
    )
    reading = MarkdownxField(
        blank=True,
        help_text="An interpretive reading, shown apart from the factual sections.",
    )
    body_html = models.TextField(blank=True, editable=False)
    toc_html = models.TextField(blank=True, editable=False)
    reading_html = models.TextField(blank=True, editable=False)
    fields_html = models.JSONField(
        default=dict,
        blank=True,
        editable=False,
        help_text="Other Markdown fields, rendered.",
    )
    render_data = models.JSONField(
        default=dict,
        blank=True,
        editable=False,
        help_text="What the last render found.",
    )
    related_pages = models.ManyToManyField(
        "self",
        through="RelatedPage",
        through_fields=("page", "target"),
        symmetrical=False,
        related_name="related_from",
        blank=True,
    )
    is_deleted = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PageQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "slug"], name="page_unique_slug_per_kind"
            ),
            # Links and page fields name pages by title: two of one kind
            # titled alike could never be told apart.  Also the index that
            # finds pages by title.
            models.UniqueConstraint(
                Lower("title"),
                "kind",
                name="page_title_unique_ci",
                violation_error_message="A page of this kind already has this "
                "title (letter case aside).",
            ),
        ]
        # Live pages only: what readers' lists read, each list by an index
        # in the order it shows, so a page of it reads only the rows it shows.
        indexes = [
            # An index A–Z, and one letter of it (``?letter=``).
            models.Index(
                F("kind"), F("title"), name="page_live_kind_title", condition=LIVE
            ),
            models.Index(
                F("kind"),
                INITIAL,
                F("title"),
                name="page_live_kind_initial",
                condition=LIVE,
            ),
            # The home page's featured profile: the richest page of a kind.
            models.Index(
                F("kind"),
                Length("body").desc(),
                F("title"),
                name="page_live_kind_richness",
                condition=LIVE,
            ),
            # Links resolve by short title as well as by title (``titled``).
            models.Index(Lower("short_title"), name="page_short_title_lower"),
            # A page's address (/people/<slug>/) is found by its slug: the
            # unique (kind, slug) index leads with the kind, which the views
            # of a kind's model do not name, so without this every profile
            # view walked that whole index (4 ms at 100,000 pages).
            models.Index(fields=["slug"], name="page_slug"),
            # The home page's "Recently updated".
            models.Index(
                F("updated_at").desc(), name="page_live_updated", condition=LIVE
            ),
            # The sitemaps (wiki/sitemaps.py): the live pages of a kind in id
            # order, a page of them at a time, and the newest change of a kind.
            models.Index(
                fields=["kind", "id"],
                condition=models.Q(is_deleted=False),
                name="page_live_kind_id",
            ),
            models.Index(
                fields=["kind", "updated_at"],
                condition=models.Q(is_deleted=False),
                name="page_live_kind_updated",
            ),
            # The deleted pages, few: what a watchlist leaves out of the
            # pages a user watches (wiki/watchlist/services.py) without
            # reading every live page.
            models.Index(
                fields=["id"],
                condition=models.Q(is_deleted=True),
                name="page_deleted_id",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.kind:
            self.kind = _kind_of(type(self))
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse(
            "wiki:page_detail",
            kwargs={
                "section": registry.page_type(self.kind).section,
                "slug": self.slug,
            },
        )

    @property
    def identifiers(self) -> list:
        """The page's external identifiers that are set (wiki/identifiers.py)."""
        return identifiers_of(self)

    def validate_constraints(self, exclude=None):
        # A blank identifier is unique by definition; checking each one's
        # conditional constraint would cost a query every time a form of the
        # kind is validated (an applied proposal, a preview of the review).
        blank = {
            field.name
            for field in self._meta.concrete_fields
            if isinstance(field, IdentifierField) and not getattr(self, field.attname)
        }
        super().validate_constraints(exclude={*(exclude or ()), *blank})

    def clean(self):
        super().clean()
        kind = self.kind or _kind_of(type(self))
        if registry.kind(kind) is None:
            raise ValidationError({"kind": f"“{kind}” is not a registered kind."})
        errors = {clash.field: clash.fact + clash.advice for clash in self.clashes()}
        if errors:
            raise ValidationError(errors)

    def clashes(self) -> list["Clash"]:
        """Why this page could not be saved as it is: its title or slug belongs
        to another page of its kind, or its slug is kept for the redirect of a
        renamed page.  Two queries."""
        kind = self.kind or _kind_of(type(self))
        if not kind or not (self.title or self.slug):
            return []
        clashes = []
        others = (
            Page.objects.filter(kind=kind)
            .exclude(pk=self.pk)
            .annotate(
                title_lower=Lower("title"),
                wanted_lower=Lower(models.Value(self.title or "")),
            )
            .filter(models.Q(title_lower=F("wanted_lower")) | models.Q(slug=self.slug))
            .only("title", "slug", "is_deleted")
        )
        name = registry.page_type(kind).model._meta.verbose_name
        for other in others:
            gone = " (deleted; a moderator can recover it)" if other.is_deleted else ""
            if self.title and other.title_lower == other.wanted_lower:
                clashes.append(
                    Clash(
                        "title",
                        f"A {name} is already titled “{other.title}” "
                        f"(…/{other.slug}/){gone}",
                        ". Titles of one kind must differ by more than letter case: "
                        "add what sets this one apart.",
                    )
                )
            if self.slug and other.slug == self.slug:
                clashes.append(
                    Clash(
                        "slug",
                        f"“{other.title}”{gone} already has the address …/{self.slug}/",
                        "; choose another slug.",
                    )
                )
        if self.slug and not any(clash.field == "slug" for clash in clashes):
            kept = (
                PageRedirect.objects.filter(kind=kind, slug=self.slug)
                .exclude(page_id=self.pk)
                .select_related("page")
                .first()
            )
            # A page that already has the slug keeps it (older data).
            if kept is not None and not (
                self.pk and Page.objects.filter(pk=self.pk, slug=self.slug).exists()
            ):
                clashes.append(
                    Clash(
                        "slug",
                        f"…/{self.slug}/ is an old address of “{kept.page.title}”, "
                        "kept so that links to it still arrive there",
                        ". Choose another slug, or ask a moderator to free this one "
                        "(Admin › Page redirects).",
                    )
                )
        return clashes

    @property
    def section(self) -> str:
        return registry.page_type(self.kind).section

    @property
    def display_title(self) -> str:
        return self.short_title or self.title

    def preview_details(self) -> dict:
        """What a link's preview card shows beside the title, kind and lede
        (wiki/previews.py): a kind adds its own, e.g. a person's portrait as
        ``image`` (``{"src", "alt"}``) and a ``description``."""
        return {}

    @property
    def html(self) -> dict:
        """Rendered Markdown fields by name, for templates: ``page.html.known_for``."""
        return {
            "body": self.body_html,
            "reading": self.reading_html,
            **self.fields_html,
        }

    def markdown_field_names(self) -> list[str]:
        """This kind's Markdown fields besides the body and the reading."""
        return [
            f.name
            for f in type(self)._meta.concrete_fields
            if isinstance(f, MarkdownxField) and f.name not in ("body", "reading")
        ]

    def get_kind_display(self) -> str:
        """The kind as a heading names it: "Person", "Work"..."""
        return kind_display(self.kind)

    @property
    def specific(self):
        """This page as its own kind (a Person, a Work...): itself if it is
        one already, else one query."""
        if isinstance(self, registry.page_type(self.kind).model):
            return self
        return self.as_own_kind()

    def as_own_kind(self, *, lock: bool = False):
        """A fresh copy of this page as its own kind, as the database has it
        now (its row locked if asked, inside a transaction)."""
        model = registry.page_type(self.kind).model
        queryset = (
            model.objects.select_for_update(no_key=True) if lock else model.objects
        )
        return queryset.get(pk=self.pk)


class Clash(NamedTuple):
    """A field of a page that another page (or an old address) already holds."""

    field: str
    fact: str
    advice: str  # what a form tells the editor to do, after the fact


def kind_display(kind: str) -> str:
    declaration = registry.kind(kind)
    label = declaration.label if declaration else kind
    return label[:1].upper() + label[1:]


def _kind_of(model) -> str:
    """The kind ``model`` is registered for ("" for Page itself)."""
    declaration = registry.page_type_for_model(model)
    return declaration.kind if declaration else ""


class RelatedPage(models.Model):
    """A curated "related page" link, in the order the editors chose."""

    page = models.ForeignKey(
        Page, on_delete=models.CASCADE, related_name="related_links"
    )
    # PROTECT: deleting a page must not silently edit the pages that list it.
    target = models.ForeignKey(Page, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["page", "target"], name="related_page_once"
            ),
            models.CheckConstraint(
                condition=~models.Q(page=models.F("target")),
                name="related_page_not_self",
            ),
        ]
        # The pages listing one as related, in order, a few at a time (the
        # relationship graph, wiki/graph.py).
        indexes = [models.Index(fields=["target", "page"], name="related_target_page")]

    def __str__(self):
        return f"{self.page} → {self.target}"


THEME = "theme"  # the wiki's own kind, declared in wiki/themes.py


class Theme(Page):
    """A topic or concept, e.g. Generative pretraining."""

    objects = PageQuerySet.as_manager()


class PageLink(models.Model):
    """A ``[[wikilink]]`` found in a page's text when it was last published.

    Derived data, rebuilt at every publish, so not versioned.
    """

    source = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="links_out")
    target_title = models.CharField(max_length=255)
    target = models.ForeignKey(
        Page, null=True, blank=True, on_delete=models.SET_NULL, related_name="links_in"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target_title"], name="page_link_once"
            ),
        ]
        indexes = [
            models.Index(Lower("target_title"), name="page_link_target_lower"),
            # The pages linking to one, in order, a few at a time (the
            # relationship graph, wiki/graph.py).
            models.Index(fields=["target", "source"], name="page_link_target_source"),
        ]

    def __str__(self):
        return f"{self.source} → [[{self.target_title}]]"


class PageInbound(models.Model):
    """How many other live pages link to a page: none makes it an orphan.

    Derived from the stored links (``PageLink``) whenever a page's links are
    recorded, for the pages they point to before and after, so that the
    maintenance page lists orphans through an index.
    """

    page = models.OneToOneField(
        Page, on_delete=models.CASCADE, primary_key=True, related_name="inbound"
    )
    pages = models.PositiveIntegerField(
        default=0, help_text="Other live pages linking here."
    )

    class Meta:
        indexes = [
            models.Index(
                fields=["page"],
                name="page_inbound_orphans",
                condition=models.Q(pages=0),
            )
        ]

    def __str__(self):
        return f"{self.page}: linked from {self.pages} pages"


class KindTally(models.Model):
    """How many live pages a kind has, in all and per initial letter.

    Counted again after every publish of a page of that kind
    (``wiki.tallies``), so that the home page's counts, an index's letters and
    its number of pages read one row, not every page.
    """

    kind = models.CharField(max_length=20, primary_key=True)
    pages = models.PositiveIntegerField(default=0)
    initials = models.JSONField(
        default=dict, blank=True, help_text="Live pages per initial letter."
    )

    def __str__(self):
        return f"{self.kind}: {self.pages} pages"


class WantedPage(models.Model):
    """A title that live pages link to and no page has: the wanted pages list.

    Derived from the stored links (``PageLink``) whenever a page's links are
    recorded, so that the list reads the rows it shows rather than every link.
    """

    key = models.CharField(max_length=255, unique=True, help_text="Lower-cased.")
    title = models.CharField(max_length=255, help_text="As first written.")
    links = models.PositiveIntegerField(help_text="Live pages linking to it.")

    class Meta:
        ordering = ["-links", "key"]
        indexes = [models.Index(fields=["-links", "key"], name="wanted_most_first")]

    def __str__(self):
        return f"{self.title} ({self.links})"


class PageRedirect(models.Model):
    """An old address of a renamed page, answered with a 301 to where it lives now."""

    kind = models.CharField(max_length=20)
    slug = models.CharField(max_length=255)
    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="redirects")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "slug"], name="page_redirect_once_per_slug"
            ),
        ]

    def __str__(self):
        return f"{self.kind}/{self.slug} → {self.page}"


class RevisionMeta(models.Model):
    """What Lineage records beside each django-reversion revision."""

    class Action(models.TextChoices):
        EDIT = "edit", "Edit"
        IMPORT = "import", "Import"
        REVERT = "revert", "Revert"
        DELETE = "delete", "Delete"
        RECOVER = "recover", "Recover"

    revision = models.OneToOneField(
        "reversion.Revision", on_delete=models.CASCADE, related_name="meta"
    )
    page = models.ForeignKey(
        Page,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="revision_metas",
    )
    action = models.CharField(
        max_length=10, choices=Action.choices, default=Action.EDIT
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    minor = models.BooleanField(default=False)
    size = models.IntegerField(
        default=0, help_text="Characters of text after the change."
    )
    size_delta = models.IntegerField(default=0)
    proposal = models.OneToOneField(
        "Proposal",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="revision_meta",
        help_text="The proposal this revision published, if any.",
    )
    note = models.TextField(blank=True, help_text="The approving moderator's note.")
    # Revision deletion: parts of the revision hidden from the public.  The
    # latest reason is kept here so that lists need no query of their own; the
    # log (RevisionVisibilityChange) keeps every change.
    text_hidden = models.BooleanField(
        default=False, help_text="The content is hidden from the public."
    )
    summary_hidden = models.BooleanField(
        default=False, help_text="The edit summary is hidden from the public."
    )
    author_hidden = models.BooleanField(
        default=False, help_text="The author's name is hidden from the public."
    )
    hidden_reason = models.CharField(
        max_length=500,
        blank=True,
        help_text="Why, as logged with the latest change of what is hidden.",
    )

    class Meta:
        permissions = [
            ("revert_page", "Can revert, undo and roll back page revisions"),
            (
                "hide_revision",
                "Can hide and show revisions' text, summary or author, "
                "and see what is hidden",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    text_hidden=False, summary_hidden=False, author_hidden=False
                )
                | ~models.Q(hidden_reason=""),
                name="revision_meta_hidden_has_reason",
                violation_error_message="Give a reason for hiding.",
            ),
        ]

    def __str__(self):
        return f"{self.get_action_display()} of revision {self.revision_id}"

    @property
    def hidden_parts(self) -> list[str]:
        """The parts hidden from the public, in RevisionVisibilityChange.Part order."""
        return [
            part.value
            for part in RevisionVisibilityChange.Part
            if getattr(self, f"{part.value}_hidden")
        ]


class RevisionVisibilityChange(models.Model):
    """One entry of the revision-deletion log: parts of a revision hidden or shown
    again by a moderator, with the reason."""

    class Part(models.TextChoices):
        TEXT = "text", "text"
        SUMMARY = "summary", "edit summary"
        AUTHOR = "author", "author"

    revision = models.ForeignKey(
        "reversion.Revision",
        on_delete=models.CASCADE,
        related_name="visibility_changes",
    )
    page = models.ForeignKey(
        Page,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The moderator who changed it.",
    )
    hidden = models.CharField(
        max_length=40, blank=True, help_text="Parts hidden, space-separated."
    )
    shown = models.CharField(
        max_length=40, blank=True, help_text="Parts shown again, space-separated."
    )
    reason = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["-created_at", "-id"], name="visibility_log_newest_first"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(reason=""),
                name="visibility_change_has_reason",
                violation_error_message="Give a reason.",
            ),
            models.CheckConstraint(
                condition=~models.Q(hidden="", shown=""),
                name="visibility_change_changes_something",
            ),
        ]

    def __str__(self):
        return f"Revision {self.revision_id}: {self.description}"

    @property
    def hidden_parts(self) -> list[str]:
        return self.hidden.split()

    @property
    def shown_parts(self) -> list[str]:
        return self.shown.split()

    @property
    def description(self) -> str:
        """What changed, in words: "hid the text and the author; showed ..."."""
        said = []
        for verb, parts in (("hid", self.hidden_parts), ("showed", self.shown_parts)):
            if parts:
                said.append(f"{verb} {self.parts_in_words(parts)}")
        return "; ".join(said)

    @classmethod
    def parts_in_words(cls, parts: list[str]) -> str:
        """Say ``["text", "author"]`` as "the text and the author"."""
        words = [f"the {cls.Part(part).label}" for part in parts]
        if len(words) < 2:
            return "".join(words)
        return f"{', '.join(words[:-1])} and {words[-1]}"


class ProposalQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=Proposal.Status.PENDING)

    def by(self, user):
        return self.filter(author=user)

    def for_page(self, page):
        return self.filter(page=page)

    def with_flag(self, flag: str):
        return self.filter(flags__contains=f" {flag} ")

    def for_queue(self):
        """Pending proposals, oldest first, with what the queue shows of each."""
        approved = (
            Proposal.objects.filter(
                author=models.OuterRef("author"), status=Proposal.Status.APPROVED
            )
            .order_by()
            .values("author")
            .annotate(n=models.Count("pk"))
            .values("n")
        )
        return (
            self.pending()
            .select_related("page", "author")
            .annotate(author_approved=Coalesce(models.Subquery(approved), 0))
            .order_by("created_at", "pk")
        )


class Proposal(models.Model):
    """A change to a page (or a new page) as submitted through the edit form.

    ``data`` is the submitted form data, formsets included, so approving can
    replay it through the same form against the page as it is then.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        WITHDRAWN = "withdrawn", "Withdrawn"

    kind = models.CharField(max_length=20)
    page = models.ForeignKey(
        Page,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
        help_text="Empty for a proposed new page until it is approved.",
    )
    title = models.CharField(max_length=255, help_text="The title as proposed.")
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING
    )
    data = models.JSONField(default=dict, help_text="The submitted form data.")
    base_revision = models.ForeignKey(
        "reversion.Revision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The revision the edit form started from.",
    )
    base_data = models.JSONField(
        default=dict,
        blank=True,
        help_text="The form data of the page at the base revision.",
    )
    summary = models.CharField("edit summary", max_length=255)
    minor = models.BooleanField("minor edit", default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="proposals"
    )
    submit_token = models.UUIDField(null=True, blank=True, editable=False)
    flags = models.CharField(
        max_length=255,
        blank=True,
        editable=False,
        help_text="What a moderator should look at, space-separated.",
    )
    size_delta = models.IntegerField(default=0, editable=False)
    changed_fields = models.JSONField(default=list, blank=True, editable=False)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(
        blank=True, help_text="Why it was rejected, or the approver's note."
    )
    version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Counts the proposal's versions: each amendment adds one. "
        "Decisions name the version they were made on.",
    )
    resubmitted_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resubmissions",
        help_text="The rejected or withdrawn proposal this one revises.",
    )
    kept_fields = models.JSONField(
        default=list,
        blank=True,
        editable=False,
        help_text="Fields the proposal changed that approval kept as they were on "
        "the page: [{name, label, proposed, kept}], recorded when it was approved.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        permissions = [
            ("publish_page", "Can publish page edits without review"),
            ("review_proposal", "Can review, approve and reject proposals"),
            (
                "file_unlimited_proposals",
                "Can file proposals beyond the limits on pending and hourly ones",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "submit_token"],
                name="proposal_one_per_submit_token",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="rejected") | ~models.Q(review_note=""),
                name="proposal_rejection_has_reason",
                violation_error_message="Give a reason for the rejection.",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"]),
            # The abuse limits count a contributor's recent proposals.
            models.Index(
                fields=["author", "created_at"], name="proposal_author_created"
            ),
        ]

    def __str__(self):
        return f"{self.get_status_display()} change to {self.title} by {self.author}"

    def get_absolute_url(self):
        return reverse("moderation:proposal_detail", kwargs={"pk": self.pk})

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def is_new_page(self) -> bool:
        """Whether it proposes a new page (or a new record, e.g. a source):
        a change to something that exists starts from one of its revisions."""
        return (
            self.page_id is None
            and self.base_revision_id is None
            and self.status != self.Status.APPROVED
        )

    @property
    def kind_label(self) -> str:
        """What it changes, as a reader names it: "person", "source"..."""
        record_kind = registry.record_kind(self.kind)
        if record_kind is not None:
            return record_kind.label
        return registry.page_type(self.kind).label

    def get_kind_display(self) -> str:
        return kind_display(self.kind)

    @property
    def flag_list(self) -> list[str]:
        return self.flags.split()

    @property
    def can_be_resubmitted(self) -> bool:
        return self.status in (self.Status.REJECTED, self.Status.WITHDRAWN)

    def can_amend(self, user) -> bool:
        """Whether ``user`` may amend it now: its author or a moderator, while
        it is pending."""
        return self.is_pending and (
            user.pk == self.author_id
            or (user.is_authenticated and user.has_perm("wiki.review_proposal"))
        )

    def can_withdraw(self, user) -> bool:
        """Whether ``user`` may withdraw it now: its author, while it is pending."""
        return self.is_pending and user.pk == self.author_id

    @property
    def kept_summary(self) -> str:
        """What an approval left out, in words: "Known for kept as it was on
        the page" (empty when everything proposed was published)."""
        labels = [str(kept["label"]) for kept in self.kept_fields]
        if not labels:
            return ""
        labels = [labels[0][:1].upper() + labels[0][1:]] + [
            label[:1].lower() + label[1:] if label[1:2].islower() else label
            for label in labels[1:]
        ]
        if len(labels) == 1:
            return f"{labels[0]} kept as it was on the page"
        names = ", ".join(labels[:-1]) + f" and {labels[-1]}"
        return f"{names} kept as they were on the page"

    @property
    def decision_label(self) -> str:
        """The status as the author reads it: "Approved, except: Known for
        kept as it was on the page", or "Rejected", "Pending"..."""
        if self.status == self.Status.APPROVED and self.kept_fields:
            return f"Approved, except: {self.kept_summary}"
        return self.get_status_display()


class ProposalVersion(models.Model):
    """One version of a proposal as it was submitted or amended, kept for good.

    A decision names the version it was made on; when the proposal moved on,
    the moderator is shown what changed since the version they reviewed.
    """

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=255)
    data = models.JSONField(default=dict)
    summary = models.CharField("edit summary", max_length=255)
    minor = models.BooleanField("minor edit", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["proposal", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "number"], name="proposal_version_once"
            ),
        ]

    def __str__(self):
        return f"Version {self.number} of proposal {self.proposal_id}"


class Comment(models.Model):
    """A post in a discussion: on a proposal (its author and moderators), or
    on a page's talk page (a topic, with ``subject``, or a reply to one).

    Replies nest one level: a reply is to a comment without a parent.  The
    text is Markdown, rendered once when it is posted or edited (``html``);
    every post, edit and hiding is logged (``CommentEvent``).
    """

    proposal = models.ForeignKey(
        Proposal,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="comments",
    )
    page = models.ForeignKey(
        Page,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="talk",
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="comments",
    )
    subject = models.CharField(max_length=200, blank=True)
    text = models.TextField()
    html = models.TextField(editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.CharField(max_length=500, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The form's one-time token: a second submit of the same form is refused.
    # NULL (not "") where there is none, so that those do not clash.
    token = models.CharField(  # noqa: DJ001
        max_length=64, unique=True, null=True, editable=False
    )

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["proposal", "created_at"], name="comment_proposal"),
            models.Index(
                fields=["page", "parent", "-created_at"], name="comment_talk_topics"
            ),
            models.Index(fields=["parent", "created_at"], name="comment_replies"),
            models.Index(fields=["author", "-created_at"], name="comment_author"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(proposal__isnull=True, page__isnull=False)
                | models.Q(proposal__isnull=False, page__isnull=True),
                name="comment_on_proposal_or_page",
            ),
        ]

    def __str__(self):
        return f"Comment {self.pk} by {self.author}"

    def get_absolute_url(self):
        if self.proposal_id is not None:
            detail = reverse(
                "moderation:proposal_detail", kwargs={"pk": self.proposal_id}
            )
            return f"{detail}#comment-{self.pk}"
        section = registry.page_type(self.page.kind).section
        talk = reverse(
            "discussion:talk", kwargs={"section": section, "slug": self.page.slug}
        )
        return f"{talk}#comment-{self.pk}"

    @property
    def is_hidden(self) -> bool:
        return bool(self.hidden_reason)


class CommentEvent(models.Model):
    """One entry of a discussion's history, never changed: a comment posted,
    edited (with the text it had before), hidden or shown again."""

    class Action(models.TextChoices):
        POSTED = "posted", "posted"
        EDITED = "edited", "edited"
        HIDDEN = "hidden", "hid"
        SHOWN = "shown", "showed again"

    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, related_name="events"
    )
    page = models.ForeignKey(
        Page, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=10, choices=Action.choices)
    old_text = models.TextField(blank=True)
    reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["page", "-created_at", "-id"], name="comment_log_page")
        ]

    def __str__(self):
        return f"{self.user} {self.get_action_display()} comment {self.comment_id}"


class Notification(models.Model):
    """Tells a user what became of their proposal, that a comment on one
    mentions them, or that a page they watch was changed or has a proposed
    change waiting."""

    class Verb(models.TextChoices):
        APPROVED = "approved", "approved"
        REJECTED = "rejected", "rejected"
        MENTIONED = "mentioned", "mentioned"
        CHANGED = "changed", "changed"  # a watched page: a published revision
        PROPOSED = "proposed", "proposed"  # a watched page: a pending proposal

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    proposal = models.ForeignKey(
        Proposal,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    # A watched page's notifications name the page, and the revision changing it.
    page = models.ForeignKey(
        Page, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    revision = models.ForeignKey(
        "reversion.Revision",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    comment = models.ForeignKey(
        Comment,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    verb = models.CharField(max_length=10, choices=Verb.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # When the mail about it went out: the mail task sends it once only.
    mailed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "revision"],
                condition=models.Q(verb="changed"),
                name="notification_changed_once",
            ),
            models.UniqueConstraint(
                fields=["recipient", "proposal"],
                condition=models.Q(verb="proposed"),
                name="notification_proposed_once",
            ),
        ]

    def __str__(self):
        about = self.proposal.title if self.proposal_id else self.page.title
        return f"{self.recipient}: {about} {self.verb}"


class Watch(models.Model):
    """A user watches a page: its changes show on their watchlist and in
    their notifications."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="watches",
        db_index=False,  # the unique constraint's index leads with it
    )
    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="watches")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "page"], name="watch_once"),
        ]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="watch_user_newest"),
        ]

    def __str__(self):
        return f"{self.user} watches {self.page}"


class WatchPreferences(models.Model):
    """What a user chose about watching; a user without a row has the defaults."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="watch_preferences",
    )
    watch_edits = models.BooleanField(
        "Watch the pages I edit or propose changes to", default=True
    )
    daily_digest = models.BooleanField(
        "Mail me a daily digest of changes to my watched pages", default=False
    )
    # The last day a digest was mailed for: a second run sends nothing.
    digest_day = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name_plural = "watch preferences"

    def __str__(self):
        return f"Watch preferences of {self.user}"


class PurgeRecord(models.Model):
    """What a purge removed for good: a deleted page and all its revisions.

    Purging is the only hard delete of a page, and needs its own permission
    (``wiki.purge_page``), which no role is given: superusers hold it.
    """

    title = models.CharField(max_length=255)
    kind = models.CharField(max_length=20)
    slug = models.SlugField(max_length=255, allow_unicode=True)
    page_id = models.PositiveBigIntegerField()
    revision_count = models.PositiveIntegerField()
    reason = models.TextField()
    purged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    purged_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-purged_at", "-id"]
        permissions = [("purge_page", "Can purge a deleted page and its history")]

    def __str__(self):
        return f"{self.title} ({self.kind}), purged {self.purged_at:%Y-%m-%d}"


class ParagraphOrigin(models.Model):
    """The first revision of a page whose body held a paragraph: derived from
    history by wiki/attribution.py, never edited."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="+")
    # A hash of the paragraph's text and of how many times the same text
    # comes before it in the body (the second copy of a text has its own).
    digest = models.CharField(max_length=32)
    revision = models.ForeignKey(
        "reversion.Revision", on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["page", "digest"], name="paragraph_origin_unique"
            ),
        ]

    def __str__(self):
        return f"{self.digest} of page {self.page_id}: revision {self.revision_id}"


class PageAttribution(models.Model):
    """Who wrote what, as of one revision of a page: for each paragraph of its
    body, in order, the revision that introduced it (wiki/attribution.py)."""

    revision = models.OneToOneField(
        "reversion.Revision",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
    )
    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="+")
    origins = models.JSONField(default=list)

    class Meta:
        indexes = [
            models.Index(fields=["page", "-revision"], name="page_attribution_latest")
        ]

    def __str__(self):
        return f"Attribution of revision {self.revision_id}"


class SiteGeneration(models.Model):
    """One row: the site's content generation (wiki/cache.py).

    Every write path replaces ``number`` once its transaction commits; cached
    anonymous pages are keyed by it, so a change makes them all unreachable.
    It lives in the database, the one store every app process shares.
    """

    number = models.BigIntegerField()
    # When the generation last changed and the time before that, in
    # microseconds since the epoch (never decreasing): Last-Modified.
    changed_us = models.BigIntegerField()
    previous_changed_us = models.BigIntegerField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="one_site_generation")
        ]

    def __str__(self):
        return f"generation {self.number}"


class SearchEntry(models.Model):
    """What search reads of one live page or record (wiki/search.py).

    The write path keeps it in step, in the transaction of each change; the
    text is plain (Markdown rendered, tags dropped).  Each backend ranks it
    with its own index: on PostgreSQL a weighted ``tsvector`` column computed
    from these fields and trigram indexes on the titles; on SQLite an FTS5
    table kept by triggers (both made in migration 0017).
    """

    kind = models.CharField(max_length=20)
    object_id = models.BigIntegerField()
    page = models.OneToOneField(
        Page,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="search_entry",
        help_text="The page, for page kinds (empty for records such as sources).",
    )
    title = models.CharField(max_length=500)
    # Short title, old titles, citation key: what else it is called.
    other_titles = models.TextField(blank=True)
    lede = models.TextField(blank=True)
    body = models.TextField(blank=True)
    reading = models.TextField(blank=True)
    url = models.CharField(max_length=600)
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id"], name="search_entry_once"
            )
        ]
        verbose_name_plural = "search entries"

    def __str__(self):
        return f"{self.kind}: {self.title}"


class SearchFacet(models.Model):
    """A page a search entry belongs under (a person's organizations and
    themes, a work's themes): what the theme and organization filters read."""

    entry = models.ForeignKey(
        SearchEntry, on_delete=models.CASCADE, related_name="facets"
    )
    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["page", "entry"], name="search_facet_once")
        ]

    def __str__(self):
        return f"{self.entry} under {self.page_id}"


class AccountSignup(models.Model):
    """Where an account was made from, for the limit on sign-ups per address
    (wiki/limits.py): a keyed hash of the address, never the address."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signup"
    )
    address_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["address_hash", "created_at"], name="signup_address_created"
            )
        ]

    def __str__(self):
        return f"{self.user} signed up {self.created_at:%Y-%m-%d %H:%M}"
