"""Forms of the history pages: confirmations and the recent-changes filter."""

import datetime

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone

from wiki import registry
from wiki.text import LineFormField


class SummaryForm(forms.Form):
    summary = LineFormField(
        label="Summary (optional)",
        max_length=500,
        required=False,
        help_text="Added to the revision's summary.",
    )


class DeleteForm(forms.Form):
    reason = LineFormField(
        max_length=500,
        help_text="Shown to readers who follow a link to the deleted page.",
    )


# Filter dates are days the site can have had changes on, far from the ends of
# Python's calendar (the day after 31 December 9999 does not exist).
_FILTER_DAYS = [
    MinValueValidator(
        datetime.date(1000, 1, 1), "Choose a date between the years 1000 and 2999."
    ),
    MaxValueValidator(
        datetime.date(2999, 12, 31), "Choose a date between the years 1000 and 2999."
    ),
]


def _day_field(label: str) -> forms.DateField:
    return forms.DateField(
        required=False,
        label=label,
        validators=_FILTER_DAYS,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class ChangesFilterForm(forms.Form):
    kind = forms.ChoiceField(required=False, label="Kind")
    user = LineFormField(required=False, max_length=150, label="User")
    since = _day_field("From")
    until = _day_field("To")
    hide_minor = forms.BooleanField(required=False, label="Hide minor edits")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "All kinds")] + [
            (t.kind, t.plural) for t in registry.page_types()
        ]

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            raise forms.ValidationError("The start date is after the end date.")
        return data

    def filter(self, versions):
        """``versions`` (history.page_versions()) narrowed to the valid filters."""
        if not self.is_valid():
            return versions
        data = self.cleaned_data
        if data["kind"]:
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
