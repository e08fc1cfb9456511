"""The site's edit forms: the page fields every kind shares, and the pieces
(title fields with autocomplete, ordered row formsets) the apps build theirs from.
"""

import json
import uuid
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.formsets import DELETION_FIELD_NAME, ORDERING_FIELD_NAME
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils.text import slugify
from markdownx.models import MarkdownxField

from wiki import registry, search
from wiki.links import normalize_title, qualified_title, resolve_titles, split_kind
from wiki.markdown import limit_problems
from wiki.models import Page, RelatedPage, Theme, kind_display
from wiki.text import BlockFormField, LineFormField, clean_title
from wiki.widgets import MarkdownWidget

PAGE_FIELDS = [
    "title",
    "short_title",
    "slug",
    "summary",
    "body",
    "reading_title",
    "reading",
]
RESERVED_SLUGS = {"new"}  # /<section>/new/ is the create form


def create_links(kind: str = "", title: str = "") -> list[dict]:
    """Where to create a page titled ``title``: of ``kind``, or of every kind."""
    query = f"?{urlencode({'title': title})}" if title else ""
    return [
        {
            "kind": page_type.kind,
            "label": str(page_type.model._meta.verbose_name),
            "url": reverse(
                "moderation:page_create", kwargs={"section": page_type.section}
            )
            + query,
        }
        for page_type in registry.page_types()
        if not kind or page_type.kind == kind
    ]


class AutocompleteInput(forms.TextInput):
    """A text input that suggests values from /autocomplete/<lookup>/ as you type.

    With ``create``, a title that names no page offers to create that page
    (``data-create``: the create forms of the kinds it may be).
    """

    def __init__(self, *, lookup: str, kind: str = "", create=False, attrs=None):
        self.lookup = lookup
        self.kind = kind
        self.create = create
        super().__init__(attrs)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        url = reverse("moderation:autocomplete", kwargs={"lookup": self.lookup})
        if self.kind:
            url += f"?kind={self.kind}"
        context["widget"]["attrs"].update(
            {"data-autocomplete": url, "autocomplete": "off"}
        )
        if self.create:
            context["widget"]["attrs"]["data-create"] = json.dumps(
                create_links(self.kind)
            )
        return context

    class Media:
        js = ["js/editor.js"]


class RowChoiceField(forms.CharField):
    """A row's foreign key typed as text: a page by its title, a source by its
    key.  A formset looks up what all its rows name in one query
    (``resolve_row_choices`` sets ``resolved``); a lone form looks up its own.

    Subclasses say how text is looked up (``lookup_key``, ``resolve_many``:
    every key typed, found or not) and what a lookup yields (``choose``).
    """

    def lookup_key(self, text: str) -> str:
        return text

    def has_changed(self, initial, data):
        before = self.lookup_key(self.to_python(self.prepare_value(initial) or ""))
        return before != self.lookup_key(self.to_python(data))

    def resolve_many(self, values) -> dict:
        raise NotImplementedError

    def choose(self, text: str, found):
        """The row named by ``text`` from what was found; raise ValidationError."""
        raise NotImplementedError

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        key = self.lookup_key(text)
        resolved = getattr(self, "resolved", None) or {}
        if key not in resolved:
            resolved = self.resolve_many([text])
        return self.choose(text, resolved[key])


class PageTitleField(RowChoiceField):
    """A page named by its title, as typed or picked from the suggestions.

    ``model`` limits it to one kind (e.g. Organization); with ``Page`` any kind
    is allowed and "Title (kind)" picks one of several pages with one title.
    """

    def __init__(self, *, model=Page, **kwargs):
        self.model = model
        kind = "" if model is Page else model._meta.model_name
        kwargs.setdefault("max_length", 300)
        kwargs.setdefault(
            "widget",
            AutocompleteInput(
                lookup="pages", kind=kind, create=True, attrs={"size": 30}
            ),
        )
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, Page):
            return self.text_for(value)
        return value

    def text_for(self, page: Page) -> str:
        """What to type to name ``page`` alone in this field."""
        return qualified_title(page) if self.model is Page else page.title

    def to_python(self, value):
        return clean_title(super().to_python(value))

    def lookup_key(self, text: str) -> str:
        return normalize_title(text)

    def create_offer(self, value) -> dict:
        """The title in ``value`` and the create forms of the kinds it may be."""
        title, kind = split_kind(self.to_python(value or ""))
        if self.model is not Page:
            kind = self.model._meta.model_name
        return {"title": title, "links": create_links(kind, title)}

    def resolve_many(self, values) -> dict[str, list]:
        """Candidate pages for many typed titles at once, by normalised title."""
        titles = {self.to_python(v) for v in values if v}
        return resolve_titles(titles, self.model.objects.published())

    def choose(self, text: str, found):
        name = self.model._meta.verbose_name if self.model is not Page else "page"
        if not found:
            raise ValidationError(
                f"No {name} is titled “{text}”. Pick one of the suggestions, or "
                "create the page first.",
                code="unknown",
            )
        if len(found) > 1:
            choices = sorted(f"“{self.text_for(page)}”" for page in found)
            raise ValidationError(
                f"Several pages are titled “{text}”: type "
                + ", ".join(choices[:-1])
                + f" or {choices[-1]}.",
                code="ambiguous",
            )
        return found[0]


def resolve_row_choices(formset) -> None:
    """Look up what a bound formset's rows name (pages, sources) in one query
    per field, instead of one per row."""
    if not formset.is_bound:
        return
    for name, field in formset.form.base_fields.items():
        if not isinstance(field, RowChoiceField):
            continue
        values = [
            formset.data.get(f"{formset.add_prefix(index)}-{name}")
            for index in range(formset.total_form_count())
        ]
        resolved = field.resolve_many(values)
        for form in formset.forms:
            form.fields[name].resolved = resolved


class RowIdField(forms.Field):
    """The hidden id of an existing row, looked up among the rows already read
    (Django's own field queries the database once per row)."""

    widget = forms.HiddenInput

    def __init__(self, rows, **kwargs):
        self.rows = rows
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return getattr(value, "pk", value)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return self.rows()[int(value)]
        except (KeyError, TypeError, ValueError):
            raise ValidationError(
                "This row is no longer on the page; reload the form.",
                code="invalid_choice",
            ) from None

    def has_changed(self, initial, data):
        return str(self.prepare_value(initial) or "") != str(data or "")


class BlankRowMixin:
    """A row added in the form is filled in only if one of its own fields is.

    The form's script writes an order number into every row it adds or moves,
    and Django would then validate a row the user never touched ("This field
    is required").  Such a row is ignored whatever its order or "Remove" box.
    Rows the page already has are compared as Django does, order included, so
    moving one is a change.
    """

    row_controls = frozenset({ORDERING_FIELD_NAME, DELETION_FIELD_NAME})

    def has_changed(self):
        if not self.empty_permitted:  # a row the page has (or one required)
            return super().has_changed()
        return any(name not in self.row_controls for name in self.changed_data)


class RowForm(BlankRowMixin, forms.ModelForm):
    """A row a page owns (an affiliation, a citation...), edited in a formset."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A saved row shows what it points to as typed (a title, a key), not
        # as the id ModelForm gives it.
        if self.instance.pk is None:
            return
        for name, field in self.fields.items():
            if (
                isinstance(field, RowChoiceField)
                and getattr(self.instance, f"{name}_id", None) is not None
            ):
                self.initial[name] = getattr(self.instance, name)

    def validate_constraints(self):
        # Uniqueness among a page's rows is the formset's business: checked
        # row by row against the database, a row removed and added back in
        # one edit would clash with itself.  Check constraints still apply.
        exclude = self._get_validation_exclusions()
        errors = []
        for model, constraints in self.instance.get_constraints():
            for constraint in constraints:
                if isinstance(constraint, models.CheckConstraint):
                    try:
                        constraint.validate(model, self.instance, exclude=exclude)
                    except ValidationError as error:
                        errors.append(error)
        if errors:
            self._update_errors(ValidationError(errors))


def validate_markdown_size(value: str) -> None:
    """No longer than the renderer's size limit (read when validating)."""
    limit = settings.LINEAGE_MAX_BODY_CHARS
    if len(value) > limit:
        raise ValidationError(
            f"This text is too long: keep it to {limit:,} characters or fewer "
            f"(it has {len(value):,}).",
            code="max_length",
        )


def validate_markdown_limits(value: str) -> None:
    """Links and nesting within the limits (the size has its own validator)."""
    if len(value) <= settings.LINEAGE_MAX_BODY_CHARS:
        problems = limit_problems(value)
        if problems:
            raise ValidationError(problems, code="markdown_limits")


class MarkdownFormField(BlockFormField):
    """Markdown as typed (a trailing newline is part of it), with the newlines
    of the page's own text rather than a browser's CRLF, within the renderer's
    limits (size, links, nesting) wherever it is edited: the site or the admin."""

    def __init__(self, **kwargs):
        kwargs["strip"] = False
        super().__init__(**kwargs)
        self.validators += [validate_markdown_size, validate_markdown_limits]


def markdown_formfield(model_field, **kwargs):
    if isinstance(model_field, MarkdownxField):
        return model_field.formfield(form_class=MarkdownFormField, **kwargs)
    return model_field.formfield(**kwargs)


def markdown_widget(rows: int = 12) -> MarkdownWidget:
    return MarkdownWidget(attrs={"rows": rows, "class": "markdown-input"})


class PageForm(forms.ModelForm):
    """The fields every page has; each kind's form extends it."""

    markdown_hint = (
        "Markdown. Link pages with [[Title]] or [[Title|label]], and with the kind "
        "in brackets, e.g. [[Transformer (work)]], when pages of several kinds share "
        "a title; cite sources with [@key] or [@key, p. 5], and mark a claim that "
        "needs one with [@?]. The preview marks links to missing pages in red and "
        "unknown citation keys."
    )

    class Meta:
        model = Page
        fields = PAGE_FIELDS
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}
        formfield_callback = markdown_formfield

    class Media:
        js = ["js/editor.js"]

    def __init__(self, *args, kind: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if kind and not self.instance.kind:
            self.instance.kind = kind
        self.fields["slug"].required = False
        self.fields["slug"].help_text = (
            "The last part of the address, e.g. alec-radford. Left empty, it is "
            "made from the title."
        )
        for name, field in self.fields.items():
            if not isinstance(field, MarkdownFormField):
                continue
            field.widget = markdown_widget(
                rows=16 if name in ("body", "reading") else 5
            )
            if name == "body":
                field.help_text = self.markdown_hint

    def clean(self):
        cleaned_data = super().clean()
        for check in registry.page_form_checks():
            check(self, publishing=False)
        return cleaned_data

    def markdown_field_names(self) -> list[str]:
        """The form's Markdown fields (the body, the reading, a kind's own)."""
        return [
            name
            for name, field in self.fields.items()
            if isinstance(field, MarkdownFormField)
        ]

    def clean_slug(self):
        slug = self.cleaned_data.get("slug") or slugify(
            self.cleaned_data.get("title", "")
        )
        if not slug:
            return slug
        if slug in RESERVED_SLUGS:
            raise ValidationError(
                f"“{slug}” is reserved for the site's own pages; choose another.",
                code="reserved",
            )
        taken = (
            Page.objects.filter(kind=self.instance.kind, slug=slug)
            .exclude(pk=self.instance.pk)
            .first()
        )
        if taken is not None:
            raise ValidationError(
                f"“{taken.title}” already has the address …/{slug}/; choose "
                "another slug.",
                code="duplicate",
            )
        return slug


class ThemeForm(PageForm):
    class Meta(PageForm.Meta):
        model = Theme


class EditMetaForm(forms.Form):
    """What every edit carries besides the page: summary, minor, base, token."""

    summary = LineFormField(
        label="Edit summary",
        max_length=255,
        help_text="Briefly, what you changed and why (shown in the history).",
        widget=forms.TextInput(attrs={"size": 60}),
        error_messages={"required": "Say briefly what you changed and why."},
    )
    minor = forms.BooleanField(
        label="This is a minor edit (typos, formatting)", required=False
    )
    base_revision = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # When amending: the version of the proposal the form was opened on.
    proposal_version = forms.IntegerField(
        required=False, min_value=1, widget=forms.HiddenInput
    )
    # When resubmitting: the author's rejected or withdrawn proposal revised.
    resubmits = forms.IntegerField(
        required=False, min_value=1, max_value=10**18 - 1, widget=forms.HiddenInput
    )
    token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "edit")
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("token", uuid.uuid4())
        super().__init__(*args, **kwargs)


class OrderedInlineFormSet(BaseInlineFormSet):
    """Rows a page owns, kept in the order the editor gives (``position``).

    ``unique_field`` names the field no two rows may share (e.g. the target
    of a related page); the rows are compared as submitted.
    """

    unique_field = ""
    duplicate_message = "This is listed twice."

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.queryset = self.queryset_for_edit(self.queryset)
        self._rows = None

    def queryset_for_edit(self, queryset):
        return queryset

    def rows_by_pk(self) -> dict:
        if self._rows is None:
            self._rows = {row.pk: row for row in self.get_queryset()}
        return self._rows

    def add_fields(self, form, index):
        super().add_fields(form, index)
        name = self._pk_field.name
        field = form.fields.get(name)
        if isinstance(field, forms.ModelChoiceField):
            form.fields[name] = RowIdField(
                self.rows_by_pk, required=False, initial=field.initial
            )

    def full_clean(self):
        resolve_row_choices(self)
        super().full_clean()

    def validate_unique(self):
        pass  # see clean(): duplicates are reported on the row

    def clean(self):
        super().clean()
        if not self.unique_field:
            return
        seen = set()
        for form in self.forms:
            if not form.cleaned_data or self._should_delete_form(form):
                continue
            value = form.cleaned_data.get(self.unique_field)
            if value is None:
                continue
            if value.pk in seen:
                form.add_error(self.unique_field, self.duplicate_message)
            seen.add(value.pk)

    def save_rows(self) -> None:
        """Save after the page: deletions, then rows in their new order.

        Rows that move go to free positions first, so unique (owner, position)
        constraints never see two rows in one place.
        """
        for form in self.deleted_forms:
            if form.instance.pk is not None:
                form.instance.delete()
        ordered = [
            form
            for form in self.ordered_forms
            if form.cleaned_data and not self._should_delete_form(form)
        ]
        top = max([row.position for row in self.rows_by_pk().values()] + [0]) + 1
        top = max(top, len(ordered) + 1)
        moving = [
            form
            for position, form in enumerate(ordered)
            if form.instance.pk is not None and form.instance.position != position
        ]
        for offset, form in enumerate(moving):
            form.instance.position = top + offset
            form.instance.save(update_fields=["position"])
        for position, form in enumerate(ordered):
            unchanged = (
                form.instance.pk is not None
                and form.instance.position == position
                and not form.has_changed()
            )
            if unchanged:
                continue
            row = form.save(commit=False)
            setattr(row, self.fk.name, self.instance)
            row.position = position
            row.save()


class RelatedPageForm(RowForm):
    target = PageTitleField(label="Page")

    class Meta:
        model = RelatedPage
        fields = ["target"]


class RelatedPageFormSet(OrderedInlineFormSet):
    unique_field = "target"
    duplicate_message = "This page is listed twice."

    def queryset_for_edit(self, queryset):
        return queryset.select_related("target")

    def clean(self):
        super().clean()
        for form in self.forms:
            target = form.cleaned_data.get("target") if form.cleaned_data else None
            if (
                target is not None
                and self.instance.pk
                and target.pk == self.instance.pk
            ):
                form.add_error("target", "A page cannot be related to itself.")


related_pages_formset = forms.inlineformset_factory(
    Page,
    RelatedPage,
    form=RelatedPageForm,
    formset=RelatedPageFormSet,
    fk_name="page",
    extra=1,
    can_order=True,
    can_delete=True,
)


class ThemeRowForm(BlankRowMixin, forms.Form):
    theme = PageTitleField(model=Theme, label="Theme")


class BaseThemesFormSet(forms.BaseFormSet):
    """A page's themes (a many-to-many field), one per row."""

    def __init__(self, data=None, *, instance, prefix=None, **kwargs):
        self.instance = instance
        initial = (
            [{"theme": theme} for theme in instance.themes.all()] if instance.pk else []
        )
        super().__init__(data, prefix=prefix, initial=initial, **kwargs)

    def full_clean(self):
        resolve_row_choices(self)
        super().full_clean()

    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            theme = form.cleaned_data.get("theme") if form.cleaned_data else None
            if theme is None or self._should_delete_form(form):
                continue
            if theme.pk in seen:
                form.add_error("theme", "This theme is listed twice.")
            seen.add(theme.pk)

    def chosen(self) -> list:
        return [
            form.cleaned_data["theme"]
            for form in self.forms
            if form.cleaned_data
            and form.cleaned_data.get("theme")
            and not self._should_delete_form(form)
        ]

    def save_rows(self) -> None:
        self.instance.themes.set(self.chosen())


themes_formset = forms.formset_factory(
    ThemeRowForm, formset=BaseThemesFormSet, extra=1, can_delete=True
)


def register() -> None:
    registry.register_page_formset(
        registry.FormsetSpec(
            prefix="related",
            label="Related pages",
            formset=related_pages_formset,
            snapshot_field="relatedpage",
            help_text="Pages a reader should see next, in this order.",
        )
    )
    registry.register_lookup("pages", page_suggestions)


def page_suggestions(query: str, kind: str = "") -> list[dict]:
    """Autocomplete for page fields, from the search index
    (``search.suggest``): titles with a word starting with ``query``."""
    kinds = [kind] if kind else [t.kind for t in registry.page_types()]
    return [
        {
            "value": found.title if kind else f"{found.title} ({found.kind})",
            "label": kind_display(found.kind)
            + (f" · {short}" if (short := found.names[0]) else ""),
            "names": [name for name in (found.title, short) if name],
        }
        for found in search.suggest(query, kinds=kinds, limit=search.MAX_SUGGESTIONS)
    ]
