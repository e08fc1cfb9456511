"""A page as some form data would leave it: applied in a savepoint, read,
rolled back, so previews and review run the real form code without
publishing anything."""

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html import unescape

from django.db import IntegrityError, models, transaction
from reversion.errors import RevertError
from reversion.models import Revision

from wiki.diff import Snapshot, snapshot_from_page
from wiki.editing import Editor, FormData
from wiki.external import ExternalRef, leaves_site
from wiki.models import Page
from wiki.services import page_render, page_sync_derived, page_text_size

logger = logging.getLogger(__name__)
# Every address in sanitised HTML: only <a href> and <img src> are allowed.
# Read anywhere in the text, not tag by tag, so no markup can hide one.
_HREF = re.compile(r'\s(href|src)="([^"]*)"')


def current_data(page: Page) -> FormData:
    return Editor(page.kind, page=page.as_own_kind()).initial_data()


def data_at_revision(page: Page, revision: Revision) -> FormData | None:
    """The form data of ``page`` as ``revision`` left it, or None if unreadable.

    The revision is reverted inside a savepoint that is rolled back, so the
    same form code reads it as it reads the live page.
    """
    try:
        with transaction.atomic():
            revision.revert(delete=True)
            data = current_data(page)
            transaction.set_rollback(True)
    except (RevertError, IntegrityError, LookupError, ValueError) as error:
        logger.warning("Cannot read revision %s back: %s", revision.pk, error)
        return None
    return data


@dataclass
class Applied:
    """A page as some form data would leave it, computed and rolled back."""

    editor: Editor
    valid: bool
    snapshot: Snapshot = field(default_factory=Snapshot)
    html: dict[str, str] = field(default_factory=dict)
    external_links: set[ExternalRef] = field(default_factory=set)
    size: int = 0  # page_text_size of the page as the data leaves it
    inspected: object = None  # what apply_preview's ``inspect`` returned
    error: str = ""


def apply_preview(
    *,
    kind: str,
    page: Page | None,
    data: FormData,
    inspect: Callable[[Page], object] | None = None,
) -> Applied:
    """Apply ``data`` through the edit form in a savepoint, read, roll back.

    ``inspect(page)``, if given, runs on the changed page before the rollback
    (e.g. to render it as readers would see it); ``Applied.inspected`` keeps
    what it returns.
    """
    with transaction.atomic():
        target = page.as_own_kind() if page is not None else None
        editor = Editor(kind, page=target, data=data)
        if not editor.is_valid():
            return Applied(editor, valid=False)
        applied = Applied(editor, valid=True)
        try:
            with transaction.atomic():
                page_obj = editor.form.instance
                rendered = page_render(page_obj)
                page_obj.save()
                editor.save_related()
                page_sync_derived(page=page_obj, rendered=rendered)
                applied.snapshot = snapshot_from_page(page_obj.as_own_kind())
                applied.html = dict(page_obj.html)
                applied.external_links = external_links(page_obj)
                applied.size = page_text_size(page_obj)
                if inspect is not None:
                    applied.inspected = inspect(page_obj)
                transaction.set_rollback(True)
        except IntegrityError as error:
            applied.valid = False
            applied.error = f"The change cannot be saved: {error}"
        transaction.set_rollback(True)
    return applied


def external_links(page: Page) -> set[ExternalRef]:
    """What leaves the site: links and images in the page's rendered text
    (protocol-relative ones included), and its URL fields."""
    refs = set()
    for html in page.html.values():
        for attribute, url in _HREF.findall(html or ""):
            url = unescape(url)
            if leaves_site(url):
                refs.add(ExternalRef("image" if attribute == "src" else "link", url))
    for f in type(page)._meta.concrete_fields:
        if isinstance(f, models.URLField):
            value = getattr(page, f.attname)
            if value:
                refs.add(ExternalRef("link", value))
    return refs
