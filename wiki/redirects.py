"""Renamed pages keep their old addresses: each old slug answers with a 301."""

from django.utils.text import slugify

from wiki.models import Page, PageRedirect


def stored_slug(page: Page) -> str | None:
    """The slug ``page`` has in the database now (None for a new page)."""
    if page.pk is None:
        return None
    return Page.objects.filter(pk=page.pk).values_list("slug", flat=True).first()


def record_rename(*, page: Page, previous_slug: str | None) -> None:
    """Send ``previous_slug`` on to ``page`` if it was just renamed from it.

    Every earlier slug already points at the page itself, so a chain of renames
    still answers with a single redirect.
    """
    if not previous_slug or previous_slug == page.slug:
        return
    PageRedirect.objects.filter(kind=page.kind, slug=page.slug).delete()
    PageRedirect.objects.update_or_create(
        kind=page.kind, slug=previous_slug, defaults={"page": page}
    )


def redirect_target(*, kind: str, slug: str) -> Page | None:
    """The page an old slug now leads to, if any."""
    found = (
        PageRedirect.objects.filter(kind=kind, slug=slug).select_related("page").first()
    )
    return found.page if found else None


def renamed_from(title: str) -> Page | None:
    """The one live page that was renamed away from ``title``, if any.

    A page keeps the address of its old title (its slug, unless the rename
    changed it, in which case the old slug redirects), so the old title's slug
    finds it.
    """
    slug = slugify(title)
    if not slug:
        return None
    # A union of two index lookups: an OR of them would read every page.
    ids = (
        Page.objects.filter(slug=slug)
        .values("pk")
        .union(PageRedirect.objects.filter(slug=slug).values("page_id"))
    )
    moved = Page.objects.published().filter(pk__in=ids)
    found = list(moved[:2])
    return found[0] if len(found) == 1 else None
