from django import forms

from wiki.models import WatchPreferences


class WatchPreferencesForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    class Meta:
        model = WatchPreferences
        fields = ["watch_edits", "daily_digest"]
        help_texts = {
            "daily_digest": "Once a day, the day's published changes to the pages "
            "you watch, to the address on your account.",
        }


class WatchForm(forms.Form):
    """The watch button: what to do, said outright, so a second click of a
    stale button does what it says rather than undo the first."""

    action = forms.ChoiceField(choices=[("watch", "Watch"), ("unwatch", "Unwatch")])
