"""Forms of the history pages: confirmations and the recent-changes filter."""

import datetime

from django import forms
from django.utils import timezone

from wiki import registry


class ConfirmForm(forms.Form):
    """A history action's confirmation.  It carries the revision the page was
    at when the plan was shown, so the plan shown is the plan that runs: if
    the page moved on meanwhile, the action is refused (409)."""

    seen_revision = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={
            "required": "This confirmation does not say which revision of the "
            "page it was shown for; nothing was done. Check the plan and confirm "
            "again.",
        },
    )

    def __init__(self, *args, seen_revision_id: int | None = None, **kwargs):
        kwargs.setdefault("initial", {})["seen_revision"] = seen_revision_id
        super().__init__(*args, **kwargs)


class SummaryForm(ConfirmForm):
    summary = forms.CharField(
        label="Summary (optional)",
        max_length=500,
        required=False,
        help_text="Added to the revision's summary.",
    )


class DeleteForm(ConfirmForm):
    reason = forms.CharField(
        max_length=500,
        help_text="Shown to readers who follow a link to the deleted page.",
    )


class ChangesFilterForm(forms.Form):
    kind = forms.ChoiceField(required=False, label="Kind")
    user = forms.CharField(required=False, max_length=150, label="User")
    since = forms.DateField(
        required=False, label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        required=False, label="To", widget=forms.DateInput(attrs={"type": "date"})
    )
    hide_minor = forms.BooleanField(required=False, label="Hide minor edits")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            ("", "All kinds"),
            *((t.kind, t.plural) for t in registry.page_types()),
            *((r.kind, r.plural) for r in registry.record_kinds()),
        ]

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            raise forms.ValidationError("The start date is after the end date.")
        return data

    def filter(self, versions):
        """``versions`` (history.change_versions()) narrowed to the valid filters."""
        if not self.is_valid():
            return versions
        data = self.cleaned_data
        record_kind = registry.record_kind(data["kind"])
        if record_kind is not None:
            opts = record_kind.model._meta
            versions = versions.filter(
                content_type__app_label=opts.app_label,
                content_type__model=opts.model_name,
            )
        elif data["kind"]:
            versions = versions.filter(revision__meta__page__kind=data["kind"])
        if data["user"]:
            versions = versions.filter(revision__user__username=data["user"].strip())
        if data["since"]:
            versions = versions.filter(revision__date_created__gte=_day(data["since"]))
        if data["until"]:
            end = _day(data["until"] + datetime.timedelta(days=1))
            versions = versions.filter(revision__date_created__lt=end)
        if data["hide_minor"]:
            versions = versions.exclude(revision__meta__minor=True)
        return versions


def _day(date: datetime.date) -> datetime.datetime:
    """The start of ``date`` in the site's time zone."""
    return timezone.make_aware(datetime.datetime.combine(date, datetime.time()))
