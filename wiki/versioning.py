"""What django-reversion records: a page with everything it owns, in one revision.

This is the one module that knows django-reversion's private attributes; the
rest of the site asks it (``version_model``, ``stored_object``,
``followed_objects``), so a reversion upgrade is checked here alone.
"""

from collections.abc import Iterator

import reversion
from django.core import serializers
from django.utils.encoding import force_str
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


def unsaved_version(obj, *, db: str) -> Version:
    """The version of ``obj`` alone that a revision records (no revision set,
    not saved), serialized with its registered options as reversion does.

    For the one bulk writer, ``generate_pages``, which records revisions itself;
    ``followed_objects(obj)`` gives the rows a revision of ``obj`` holds.
    """
    options = revisions._get_options(type(obj))
    return Version(
        content_type=revisions._get_content_type(type(obj), db),
        object_id=force_str(getattr(obj, options.object_id_field)),
        db=db,
        format=options.format,
        serialized_data=serializers.serialize(
            options.format,
            (obj,),
            fields=options.fields,
            use_natural_foreign_keys=options.use_natural_foreign_keys,
        ),
        object_repr=force_str(obj),
    )
