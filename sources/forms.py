"""Edit forms of works, and the references every page's form has."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q

from people.models import Person
from sources.models import Authorship, Citation, Source, Work
from wiki import registry
from wiki.forms import (
    PAGE_FIELDS,
    AutocompleteInput,
    OrderedInlineFormSet,
    PageForm,
    PageTitleField,
    RowForm,
    themes_formset,
)
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
            "authors_incomplete",
            *PAGE_FIELDS[3:],
        ]


class AuthorshipForm(RowForm):
    person = PageTitleField(model=Person, label="Author")

    class Meta:
        model = Authorship
        fields = ["person"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.person_id:
            self.initial["person"] = self.instance.person


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


class SourceKeyField(forms.CharField):
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

    def has_changed(self, initial, data):
        return self.to_python(self.prepare_value(initial) or "") != self.to_python(data)

    def resolve_many(self, values) -> dict:
        keys = {self.to_python(v) for v in values if v} - {""}
        return {s.key: s for s in Source.objects.filter(key__in=keys)} if keys else {}

    def clean(self, value):
        key = super().clean(value)
        if not key:
            return None
        resolved = getattr(self, "resolved", None)
        if resolved is None:
            resolved = self.resolve_many([key])
        source = resolved.get(key)
        if source is None:
            raise ValidationError(
                f"No source has the citation key “{key}”. Pick one of the "
                "suggestions; new sources are added in the admin.",
                code="unknown",
            )
        return source


class CitationForm(RowForm):
    source = SourceKeyField(label="Source (citation key)")

    class Meta:
        model = Citation
        fields = ["source"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.source_id:
            self.initial["source"] = self.instance.source


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


def source_suggestions(query: str, kind: str = "") -> list[dict]:
    sources = Source.objects.filter(
        Q(key__icontains=query)
        | Q(title__icontains=query)
        | Q(authors__icontains=query)
    ).order_by("key")[:10]
    return [{"value": s.key, "label": f"{s.title} ({s.date_display})"} for s in sources]


def _citations_removed(assessment) -> bool:
    before = assessment.before.fields.get("citation")
    after = assessment.after.fields.get("citation")
    kept = set(after.value) if after else set()
    return bool(before) and any(item not in kept for item in before.value)


def register() -> None:
    registry.register_editor(
        kind=Page.Kind.WORK,
        form=WorkForm,
        formsets=[
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
        ],
    )
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
    registry.register_review_flag(
        registry.ReviewFlag(
            "citations-removed", "citations removed", _citations_removed
        )
    )
