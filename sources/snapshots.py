"""Sources as diffs read them: each field as text (``wiki.diff.Snapshot``)."""

from sources.models import Source, Work
from wiki.diff import FieldValue, Snapshot

SNAPSHOT_FIELDS = [
    "key",
    "source_type",
    "authors",
    "title",
    "publisher",
    "url",
    "doi",
    "arxiv_id",
]


def source_snapshots(sources: list[Source]) -> list[Snapshot]:
    """Snapshots of sources (saved or not), their work pages named in one query."""
    work_ids = {s.work_id for s in sources if s.work_id}
    works = dict(
        Work._base_manager.filter(pk__in=work_ids).values_list("pk", "title")
        if work_ids
        else []
    )
    snapshots = []
    for source in sources:
        snapshot = Snapshot()
        for name in SNAPSHOT_FIELDS:
            model_field = Source._meta.get_field(name)
            value = getattr(source, name)
            snapshot.values[name] = value
            shown = value
            if model_field.choices:
                shown = str(dict(model_field.flatchoices).get(value, value))
            snapshot.fields[name] = FieldValue(
                str(model_field.verbose_name), "short", shown or ""
            )
            if name == "publisher":  # the reference's order: date after venue
                snapshot.fields["date"] = FieldValue(
                    "date", "short", source.date_display
                )
        work = works.get(source.work_id, "") if source.work_id else ""
        snapshot.fields["work"] = FieldValue("work page", "short", work)
        snapshots.append(snapshot)
    return snapshots


def source_size(source: Source) -> int:
    """Characters of text a source holds, as its diffs show it (every field)."""
    return sum(len(str(v.value)) for v in source_snapshots([source])[0].fields.values())
