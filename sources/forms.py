"""Edit forms of works, and the references every page's form has."""

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html

from people.models import Person
from sources.citations import cited_keys
from sources.models import (
    SOURCE_KIND,
    Authorship,
    Citation,
    Source,
    SourceProposal,
    Work,
    source_create_url,
)
from wiki import registry, search
from wiki.forms import (
    PAGE_FIELDS,
    AutocompleteInput,
    OrderedInlineFormSet,
    PageForm,
    PageTitleField,
    RowChoiceField,
    RowForm,
    themes_formset,
)
from wiki.markdown import render
from wiki.models import Page
from wiki.text import clean_line


class WorkForm(PageForm):
    class Meta(PageForm.Meta):
        model = Work
        fields = [
            *PAGE_FIELDS[:3],
            "work_type",
            "year",
            "month",
            "day",
            "venue",
            "url",
            "doi",
            "arxiv_id",
            "authors_incomplete",
            *PAGE_FIELDS[3:],
        ]


class AuthorshipForm(RowForm):
    person = PageTitleField(model=Person, label="Author")

    class Meta:
        model = Authorship
        fields = ["person"]


class AuthorshipFormSet(OrderedInlineFormSet):
    unique_field = "person"
    duplicate_message = "This person is listed twice."

    def queryset_for_edit(self, queryset):
        return queryset.select_related("person")


authorships_formset = forms.inlineformset_factory(
    Work,
    Authorship,
    form=AuthorshipForm,
    formset=AuthorshipFormSet,
    extra=1,
    can_order=True,
    can_delete=True,
)


class SourceKeyField(RowChoiceField):
    """A source named by its citation key (the key in [@key])."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 100)
        kwargs.setdefault(
            "widget", AutocompleteInput(lookup="sources", attrs={"size": 30})
        )
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return value.key if isinstance(value, Source) else value

    def to_python(self, value):
        return clean_line(super().to_python(value)).lstrip("@")

    def resolve_many(self, values) -> dict:
        keys = {self.to_python(v) for v in values if v} - {""}
        found = dict.fromkeys(keys)
        if keys:
            found.update((s.key, s) for s in Source.objects.filter(key__in=keys))
        return found

    def choose(self, key: str, found):
        if found is not None:
            return found
        if SourceProposal.objects.pending_keys([key]):
            raise ValidationError(
                format_html(
                    "The source “{}” is still waiting for review: list it here "
                    "once it is approved, or cite it in the text as [@{}].",
                    key,
                    key,
                ),
                code="pending",
            )
        raise ValidationError(unknown_key_message(key), code="unknown")


class CitationForm(RowForm):
    source = SourceKeyField(label="Source (citation key)")

    class Meta:
        model = Citation
        fields = ["source"]


class CitationFormSet(OrderedInlineFormSet):
    unique_field = "source"
    duplicate_message = "This source is listed twice."

    def queryset_for_edit(self, queryset):
        return queryset.select_related("source")


citations_formset = forms.inlineformset_factory(
    Page,
    Citation,
    form=CitationForm,
    formset=CitationFormSet,
    extra=1,
    can_order=True,
    can_delete=True,
)


class SourceForm(forms.ModelForm):
    """A source's edit form: what contributors propose and moderators publish."""

    work = PageTitleField(
        model=Work,
        label="Work page",
        required=False,
        help_text="The work this source is, if Lineage has a page for it.",
    )

    class Meta:
        model = Source
        fields = [
            "key",
            "source_type",
            "authors",
            "title",
            "publisher",
            "year",
            "month",
            "day",
            "url",
            "doi",
            "arxiv_id",
            "work",
        ]
        labels = {"arxiv_id": "arXiv identifier"}
        widgets = {
            "key": forms.TextInput(attrs={"size": 30, "spellcheck": "false"}),
            "authors": forms.TextInput(attrs={"size": 60}),
            "title": forms.TextInput(attrs={"size": 60}),
            "year": forms.NumberInput(attrs={"size": 5, "class": "year"}),
            "day": forms.NumberInput(attrs={"size": 3}),
            "url": forms.URLInput(attrs={"size": 60}),
            "doi": forms.TextInput(attrs={"size": 40, "spellcheck": "false"}),
            "arxiv_id": forms.TextInput(attrs={"size": 20, "spellcheck": "false"}),
        }

    def __init__(self, *args, kind: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        source = self.instance
        if source.pk and source.work_id:
            self.initial["work"] = source.work
        if source.pk and source.citations.exists():
            # Read-only rather than disabled: a proposal replayed after the
            # source was first cited must be refused (Source.clean), not have
            # its new key dropped in silence.
            key = self.fields["key"]
            key.widget.attrs["readonly"] = True
            key.help_text = (
                f"Pages cite it as [@{source.key}], so its key cannot change."
            )

    def clean_key(self):
        return self._unique("key", self.cleaned_data["key"].strip().lstrip("@"))

    def clean_doi(self):
        return self._unique(
            "doi", _strip_prefixes(self.cleaned_data["doi"], DOI_PREFIXES)
        )

    def clean_arxiv_id(self):
        value = _strip_prefixes(self.cleaned_data["arxiv_id"], ARXIV_PREFIXES)
        return self._unique("arxiv_id", value.removesuffix(".pdf"))

    def _unique(self, name: str, value: str) -> str:
        """Say on the field which source has ``value`` already (the database's
        constraints would say it above the form, without naming it)."""
        if not value:
            return value
        other = Source.objects.filter(**{name: value}).exclude(pk=self.instance.pk)
        other = other.first()
        if other is not None:
            raise ValidationError(
                format_html(
                    'Another source has this {}: <a href="{}">{}</a>.',
                    UNIQUE_LABELS[name],
                    other.get_absolute_url(),
                    other,
                ),
                code="unique",
            )
        return value


UNIQUE_LABELS = {"key": "citation key", "doi": "DOI", "arxiv_id": "arXiv identifier"}


DOI_PREFIXES = ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/",
                "http://dx.doi.org/", "doi.org/", "doi:")  # fmt: skip
ARXIV_PREFIXES = ("https://arxiv.org/abs/", "http://arxiv.org/abs/",
                  "https://arxiv.org/pdf/", "http://arxiv.org/pdf/", "arxiv.org/abs/",
                  "arxiv:")  # fmt: skip


def _strip_prefixes(value: str, prefixes: tuple[str, ...]) -> str:
    """A DOI or arXiv id as pasted from a link or a citation: just the id."""
    value = value.strip()
    for prefix in prefixes:
        if value.lower().startswith(prefix):
            return value[len(prefix) :].strip()
    return value


def unknown_key_message(key: str):
    return format_html(
        "No source has the citation key “{}”: "
        '<a href="{}" target="_blank" rel="noopener">create this source</a> '
        "(opens in a new tab), or correct the key.",
        key,
        source_create_url(key),
    )


def check_citations(form, *, publishing: bool) -> None:
    """Refuse text citing a key no source has.

    A key proposed for a new source is accepted while that proposal waits for
    review, so a contributor can cite the source they just proposed; such text
    can only go live (``publishing``) once the source is approved.
    """
    texts = {
        name: form.cleaned_data[name]
        for name in form.markdown_field_names()
        if form.cleaned_data.get(name)
    }
    if not any("[@" in text for text in texts.values()):
        return
    state = render(*texts.values()).syntax_state.get("citation")
    if state is None or not (state.unknown or state.pending):
        return
    for key in [*state.unknown, *state.pending]:
        pending = state.pending.get(key)
        if pending and not publishing:
            continue
        if pending:
            review = reverse("moderation:review_detail", kwargs={"pk": pending})
            message = format_html(
                "The source “{}” is still waiting for review: "
                '<a href="{}">review it</a> and approve it first.',
                key,
                review,
            )
        else:
            message = unknown_key_message(key)
        for name, text in texts.items():
            if f"@{key}" in text:
                form.add_error(name, ValidationError(message, code="unknown-source"))


def _cites_proposed_source(assessment) -> bool:
    """Whether the text cites a source that is still only proposed: approve
    that proposal first (approving this one is refused until then)."""
    keys = set()
    for value in assessment.after.fields.values():
        if value.kind == "text" and "[@" in value.value:
            keys |= cited_keys(value.value)
    if not keys:
        return False
    missing = keys - set(
        Source.objects.filter(key__in=keys).values_list("key", flat=True)
    )
    return bool(missing) and bool(SourceProposal.objects.pending_keys(missing))


def source_suggestions(query: str, kind: str = "") -> list[dict]:
    """Autocomplete for citation keys, from the search index: sources whose
    key or title has a word starting with ``query``."""
    return [
        {"value": found.names[0], "label": f"{found.title} ({found.lede})"}
        for found in search.suggest(
            query, kinds=[SOURCE_KIND], limit=search.MAX_SUGGESTIONS
        )
    ]


def _citations_removed(assessment) -> bool:
    before = assessment.before.fields.get("citation")
    after = assessment.after.fields.get("citation")
    kept = set(after.value) if after else set()
    return bool(before) and any(item not in kept for item in before.value)


WORK_ROWS = (
    registry.FormsetSpec(
        prefix="authorships",
        label="Authors",
        formset=authorships_formset,
        snapshot_field="authorship",
        help_text="In the order printed. Tick “more authors” above when "
        "only the first are listed.",
    ),
    registry.FormsetSpec(
        prefix="themes",
        label="Themes",
        formset=themes_formset,
        snapshot_field="themes",
    ),
)


def register() -> None:
    registry.register_page_formset(
        registry.FormsetSpec(
            prefix="citations",
            label="References",
            formset=citations_formset,
            snapshot_field="citation",
            help_text="Sources cited with [@key] in the text are added when the "
            "page is published; list here the ones the text does not cite.",
        )
    )
    registry.register_lookup("sources", source_suggestions)
    registry.register_page_form_check(check_citations)
    registry.register_review_flag(
        registry.ReviewFlag(
            "citations-removed", "citations removed", _citations_removed
        )
    )
    registry.register_review_flag(
        registry.ReviewFlag(
            "cites-proposed-source",
            "cites a source awaiting review",
            _cites_proposed_source,
        )
    )
