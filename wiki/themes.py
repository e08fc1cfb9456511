"""The wiki's own kind of page: themes, the topics and ideas pages share."""

from wiki.forms import ThemeForm
from wiki.models import THEME, Theme
from wiki.registry import Kind


def theme_structured_data(theme, url_of) -> dict:
    return {"@type": "DefinedTerm"}


THEME_KIND = Kind(
    kind=THEME,
    model=Theme,
    section="themes",
    search_within=True,
    plural="Themes",
    form=ThemeForm,
    json_ld=theme_structured_data,
    index="wiki:theme_index",
    moderated_models=(("wiki", "theme"),),
    menu=30,
    order=40,
)
