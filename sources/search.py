"""What search reads of sources, and what it files works under."""

from sources.models import SOURCE_KIND, Source, Work
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
