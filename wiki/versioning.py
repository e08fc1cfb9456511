"""What django-reversion records: a page with everything it owns, in one revision.

This is the one module that knows django-reversion's private attributes; the
rest of the site asks it (``version_model``, ``stored_object``,
``followed_objects``), so a reversion upgrade is checked here alone.
"""

from collections.abc import Iterator

import reversion
from reversion import revisions
from reversion.models import Version

_page_follows: list[str] = ["related_links"]


def register_core() -> None:
    from wiki.models import Page, RelatedPage, Theme

    reversion.register(RelatedPage)
    reversion.register(Page, follow=tuple(_page_follows))
    reversion.register(Theme, follow=["page_ptr"])


def follow_from_pages(relation: str) -> None:
    """Version ``relation`` (a reverse relation of Page) with every page."""
    from wiki.models import Page

    _page_follows.append(relation)
    reversion.unregister(Page)
    reversion.register(Page, follow=tuple(_page_follows))


def version_model(version: Version):
    """The model class ``version`` stored a row of; None if it no longer exists."""
    return version._model


def stored_object(version: Version):
    """The row ``version`` stored, deserialized (reversion's DeserializedObject).

    Raises what deserializing raises (RevertError, DeserializationError...) when
    the stored data no longer fits the model.
    """
    return version._object_version


def followed_objects(obj) -> Iterator:
    """``obj`` and every object a revision of it records (its follow relations),
    as reversion walks them when it saves a revision."""
    return revisions._follow_relations_recursive(obj)
