"""Forms of the history pages: confirmations and the recent-changes filter."""

import datetime

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import CharField, Q
from django.db.models.functions import Cast, Lower
from django.utils import timezone

from wiki import registry
from wiki.models import SearchEntry
from wiki.revision_visibility import sees_hidden
from wiki.text import LineFormField


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
    summary = LineFormField(
        label="Summary (optional)",
        max_length=500,
        required=False,
        help_text="Added to the revision's summary.",
    )


class DeleteForm(ConfirmForm):
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
    q = LineFormField(
        required=False,
        max_length=100,
        label="Title or summary",
        help_text="Changes to pages (or sources) whose title holds these words, "
        "or whose edit summary does.",
    )
    kind = forms.ChoiceField(required=False, label="Kind")
    user = LineFormField(required=False, max_length=150, label="User")
    since = _day_field("From")
    until = _day_field("To")
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

    def filter(self, versions, *, viewer=None):
        """``versions`` (history.change_versions()) narrowed to the valid
        filters.  A summary hidden from ``viewer`` is not searched."""
        if not self.is_valid():
            return versions
        data = self.cleaned_data
        if data["q"]:
            versions = versions.filter(_text_filter(data["q"], viewer))
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

    def filter_proposals(self, proposals, *, sees: Q):
        """``proposals`` narrowed to the valid filters, as ``filter`` narrows
        revisions.  ``sees`` selects those whose author and summary the viewer
        may read: the others are matched by title, kind and date only, so a
        filter never tells who wrote a proposal they may not see."""
        if not self.is_valid():
            return proposals
        data = self.cleaned_data
        if data["q"]:
            titled = Q()
            for word in data["q"].split():
                titled &= Q(title__icontains=word)
            proposals = proposals.filter(
                titled | (sees & Q(summary__icontains=data["q"]))
            )
        if registry.record_kind(data["kind"]) is not None:
            proposals = proposals.none()  # a watchlist holds pages only
        elif data["kind"]:
            proposals = proposals.filter(page__kind=data["kind"])
        if data["user"]:
            proposals = proposals.filter(sees, author__username=data["user"].strip())
        if data["since"]:
            proposals = proposals.filter(created_at__gte=_day(data["since"]))
        if data["until"]:
            end = _day(data["until"] + datetime.timedelta(days=1))
            proposals = proposals.filter(created_at__lt=end)
        if data["hide_minor"]:
            proposals = proposals.exclude(sees & Q(minor=True))
        return proposals


def _text_filter(text: str, viewer) -> Q:
    """Versions of what is titled with ``text`` (its words, in any order;
    current, short or old titles, through the search entries), or whose
    edit summary holds it."""
    entries = SearchEntry.objects.all()
    for word in text.casefold().split():
        entries = entries.alias(
            title_lower=Lower("title"), others_lower=Lower("other_titles")
        ).filter(Q(title_lower__contains=word) | Q(others_lower__contains=word))
    titled = Q(
        revision__meta__page_id__in=entries.filter(page__isnull=False).values("page_id")
    )
    for record_kind in registry.record_kinds():
        opts = record_kind.model._meta
        ids = entries.filter(kind=record_kind.kind).annotate(
            text_id=Cast("object_id", CharField())
        )
        titled |= Q(
            content_type__app_label=opts.app_label,
            content_type__model=opts.model_name,
            object_id__in=ids.values("text_id"),
        )
    summary = Q(revision__comment__icontains=text)
    if not sees_hidden(viewer):
        summary &= ~Q(revision__meta__summary_hidden=True)
    return titled | summary


def _day(date: datetime.date) -> datetime.datetime:
    """The start of ``date`` in the site's time zone."""
    return timezone.make_aware(datetime.datetime.combine(date, datetime.time()))


class VisibilityForm(forms.Form):
    """What to hide or show of the chosen revisions, and why (revision deletion).

    A part the chosen revisions share a state for is a checkbox ("Hide the
    text"), checked when it is hidden; a part hidden on some of them only
    offers to leave it as it is, hide it on all or show it on all.
    """

    PARTS = {
        "text": (
            "Hide the text",
            "The content: the revision's page, and diffs to and from it. "
            "The current revision's text cannot be hidden.",
        ),
        "summary": ("Hide the edit summary", ""),
        "author": ("Hide the author's name", ""),
    }
    MIXED_CHOICES = [
        ("", "Leave as it is (hidden on some)"),
        ("hide", "Hide on all"),
        ("show", "Show on all"),
    ]

    reason = forms.CharField(
        max_length=500,
        help_text="Logged with the change; moderators see it beside what is hidden.",
    )

    def __init__(self, *args, states: dict[str, set[bool]], **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for part, (label, help_text) in self.PARTS.items():
            if len(states[part]) > 1:
                self.fields[part] = forms.ChoiceField(
                    label=label,
                    help_text=help_text,
                    choices=self.MIXED_CHOICES,
                    required=False,
                    widget=forms.RadioSelect,
                )
            else:
                self.fields[part] = forms.BooleanField(
                    label=label,
                    help_text=help_text,
                    required=False,
                    initial=True in states[part],
                )
        self.order_fields([*self.PARTS, "reason"])

    def changes(self) -> dict[str, bool]:
        """Part -> hide (True) or show (False); parts left as they are are absent."""
        wanted = {}
        for part in self.PARTS:
            value = self.cleaned_data[part]
            if value in (True, "hide"):
                wanted[part] = True
            elif value in (False, "show"):
                wanted[part] = False
        return wanted
