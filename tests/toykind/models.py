from wiki.models import Page, PageQuerySet
from wiki.text import LineField

DATASET = "dataset"  # Page.kind of datasets


class Dataset(Page):
    """A collection of data models are trained on, e.g. WebText."""

    licence = LineField(max_length=100, blank=True)

    objects = PageQuerySet.as_manager()
