"""What search reads of sources, and what it files works under."""

from sources.models import SOURCE_KIND, Authorship, Source, Work
from wiki.search import Document


def source_document(source: Source) -> Document:
    """A source is found by its title, its citation key, its authors and
    where it appeared."""
    return Document(
        kind=SOURCE_KIND,
        object_id=source.pk,
        title=source.title,
        url=source.get_absolute_url(),
        other_titles=[source.key],
        lede=" · ".join(
            part
            for part in (source.authors, source.publisher, source.date_display)
            if part
        ),
        body=" ".join(part for part in (source.doi, source.arxiv_id) if part),
    )


def work_facets(page_ids: list[int]) -> dict[int, list[int]]:
    """For each work, its themes (one query for any number of works)."""
    found: dict[int, list[int]] = {pk: [] for pk in page_ids}
    for work_id, theme_id in Work.themes.through.objects.filter(
        work_id__in=page_ids
    ).values_list("work_id", "theme_id"):
        found[work_id].append(theme_id)
    return found


def work_authors(page_ids: list[int]) -> dict[int, str]:
    """For each work, "By" its authors in order (one query for any number of
    works), so a search for a person finds their works."""
    names: dict[int, list[str]] = {}
    for work_id, title in (
        Authorship.objects.filter(work_id__in=page_ids)
        .order_by("work_id", "position", "pk")
        .values_list("work_id", "person__title")
    ):
        names.setdefault(work_id, []).append(title)
    return {
        work_id: "By "
        + (", ".join(found[:-1]) + " and " if len(found) > 1 else "")
        + found[-1]
        + "."
        for work_id, found in names.items()
    }
