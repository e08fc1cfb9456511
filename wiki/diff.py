"""One diff for review and history: field by field, words for text.

A *snapshot* is what a revision says a page was: its own fields and the rows it
owns (affiliations, authorships, citations, related pages...), each as text a
person can read.  ``diff_snapshots`` compares two snapshots.
"""

import difflib
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.serializers.base import DeserializationError
from django.db import models
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from reversion.errors import RevertError
from reversion.models import Version

from wiki import registry
from wiki.models import Page

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")
HIDDEN_FIELDS = {
    "id",
    "page_ptr",
    "kind",
    "body_html",
    "toc_html",
    "reading_html",
    "fields_html",
    "render_data",
    "created_at",
    "updated_at",
    "is_deleted",
    "position",
}


@dataclass
class Snapshot:
    fields: dict[str, "FieldValue"] = field(default_factory=dict)
    # What it takes to restore a field (undo): the stored values of the page's
    # own fields by name (ids for many-to-many), and the versions of the rows it
    # owns with, per row name, their model and the foreign key to the page.
    values: dict[str, object] = field(default_factory=dict)
    row_versions: dict[str, list] = field(default_factory=dict)
    row_models: dict[str, tuple] = field(default_factory=dict)


@dataclass
class FieldValue:
    label: str
    kind: str  # "text", "short" or "items"
    value: object


@dataclass
class FieldChange:
    name: str
    label: str
    kind: str
    old: object
    new: object
    diff_html: SafeString | None = None
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def diff_text(old: str, new: str, *, context: int | None = None) -> SafeString:
    """Word-level inline diff of two texts: removals in <del>, additions in <ins>.

    Lines are matched first and only changed runs of lines are compared word by
    word, so long texts with small edits stay fast.  With ``context``, runs of
    unchanged lines keep only that many lines next to a change; the rest is
    summed up in a ``diff-skip`` line.
    """
    old_lines = (old or "").splitlines(keepends=True)
    new_lines = (new or "").splitlines(keepends=True)
    out: list[str] = []
    lines = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    opcodes = lines.get_opcodes()
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            out.extend(
                _unchanged(
                    old_lines[i1:i2],
                    context,
                    first=index == 0,
                    last=index == len(opcodes) - 1,
                )
            )
            continue
        out.extend(_diff_words("".join(old_lines[i1:i2]), "".join(new_lines[j1:j2])))
    return mark_safe("".join(out))  # noqa: S308 (every piece is escaped above)


def _unchanged(lines: list[str], context: int | None, *, first, last) -> list[str]:
    """Unchanged lines, escaped, cut down to ``context`` lines beside changes."""
    keep_before = 0 if first else context or 0
    keep_after = 0 if last else context or 0
    if context is None or len(lines) <= keep_before + keep_after + 1:
        return [escape("".join(lines))]
    skipped = len(lines) - keep_before - keep_after
    marker = (
        f'<span class="diff-skip">… {skipped} unchanged '
        f"line{'s' if skipped != 1 else ''} …</span>"
    )
    head = escape("".join(lines[:keep_before]))
    tail = escape("".join(lines[len(lines) - keep_after :]))
    return [head, marker, tail]


def _diff_words(old: str, new: str) -> list[str]:
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    # Most edits touch a few words of a paragraph: match the common start and
    # end first, so the (quadratic) matcher only sees what changed.
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end = 0
    while end < min(len(a), len(b)) - start and a[-1 - end] == b[-1 - end]:
        end += 1
    out = [escape("".join(a[:start]))]
    a_mid, b_mid = a[start : len(a) - end], b[start : len(b) - end]
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(
        None, a_mid, b_mid, autojunk=False
    ).get_opcodes():
        if tag == "equal":
            out.append(escape("".join(a_mid[i1:i2])))
            continue
        if i2 > i1:
            out.append(f"<del>{escape(''.join(a_mid[i1:i2]))}</del>")
        if j2 > j1:
            out.append(f"<ins>{escape(''.join(b_mid[j1:j2]))}</ins>")
    out.append(escape("".join(a[len(a) - end :])))
    return out


def _field_kind(model_field) -> str:
    if isinstance(model_field, models.TextField):
        return "text"
    return "short"


def _display(model_field, value) -> str:
    if value in (None, ""):
        return ""
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.BooleanField):
        return "yes" if value else "no"
    return str(value)


class RevisionDataError(Exception):
    """A revision's stored data no longer fits the models (it predates a migration)."""


def deserialized(version):
    """The object ``version`` stored (reversion's DeserializedObject).

    Raise RevisionDataError when the data cannot be read any more: its model is
    gone, or a field changed type since it was recorded.
    """
    if version._model is None:
        raise RevisionDataError(
            f"Revision {version.revision_id} holds data of a model that no longer "
            "exists."
        )
    try:
        return version._object_version
    except (RevertError, DeserializationError, ValidationError, ValueError) as error:
        raise RevisionDataError(
            f"Revision {version.revision_id} was recorded in an older data format "
            f"and can no longer be read ({version.object_repr})."
        ) from error


class _Names:
    """What related rows are called, fetched in one query per model.

    Snapshots name the organizations, sources, pages... their rows point to;
    collecting every wanted id first keeps a snapshot (or several) at a fixed
    number of queries, however many rows a page owns.
    """

    def __init__(self):
        self.wanted: dict[type, set] = defaultdict(set)
        self.names: dict[type, dict] = {}

    def want(self, model, pk) -> None:
        if pk is not None:
            self.wanted[model].add(pk)

    def fetch(self) -> None:
        for model, pks in self.wanted.items():
            rows = model._base_manager.filter(pk__in=pks)
            self.names[model] = {row.pk: str(row) for row in rows}

    def name(self, model, pk) -> str:
        return self.names.get(model, {}).get(pk, f"#{pk} (deleted)")


@dataclass
class _PendingSnapshot:
    """A snapshot read from versions, waiting for the names of related rows."""

    snapshot: Snapshot
    relations: dict[str, tuple] = field(default_factory=dict)  # name -> (f, value)
    m2m: dict[str, tuple] = field(default_factory=dict)  # name -> (f, ids)
    rows: dict[str, list] = field(default_factory=dict)  # name -> [(pos, parts)]

    def finish(self, names: _Names) -> Snapshot:
        fields = self.snapshot.fields
        for name, (f, value) in self.relations.items():
            label = names.name(f.related_model, value) if value is not None else ""
            fields[name] = FieldValue(str(f.verbose_name), "short", label)
        for name, (f, ids) in self.m2m.items():
            items = sorted(names.name(f.related_model, pk) for pk in ids)
            fields[name] = FieldValue(str(f.verbose_name), "items", items)
        for name, rows in self.rows.items():
            texts = []
            for position, parts in rows:
                shown = []
                for label, model, value in parts:
                    text = names.name(model, value) if model else value
                    if text:
                        shown.append(f"{label}: {text}")
                texts.append((position, " · ".join(shown)))
            model = self.snapshot.row_models[name][0]
            label = str(model._meta.verbose_name_plural)
            fields[name] = FieldValue(label, "items", [t for _, t in sorted(texts)])
        return self.snapshot


def _read_object(
    pending: _PendingSnapshot, names: _Names, obj, *, page: Page, page_model, m2m_ids
) -> str | None:
    """Add one recorded object (the page's row or a row it owns) to a snapshot.

    ``m2m_ids(field)`` gives the ids a many-to-many field held.  Returns the
    model name when ``obj`` is a row the page owns, else None.
    """
    snapshot = pending.snapshot
    model = type(obj)
    if model in (Page, page_model) and obj.pk == page.pk:
        for f in model._meta.local_fields + model._meta.local_many_to_many:
            if f.name in HIDDEN_FIELDS or not f.editable:
                continue
            if f.many_to_many:
                if not f.remote_field.through._meta.auto_created:
                    continue  # a through model's rows are versioned as rows
                ids = list(m2m_ids(f))
                snapshot.values[f.name] = ids
                for pk in ids:
                    names.want(f.related_model, pk)
                pending.m2m[f.name] = (f, ids)
                continue
            value = getattr(obj, f.attname)
            snapshot.values[f.name] = value
            if f.is_relation:
                names.want(f.related_model, value)
                pending.relations[f.name] = (f, value)
            else:
                snapshot.fields[f.name] = FieldValue(
                    str(f.verbose_name), _field_kind(f), _display(f, value)
                )
        return None
    owner = _owner_field(model, obj, page_model, page.pk)
    if owner is None:
        return None
    name = model._meta.model_name
    snapshot.row_models[name] = (model, owner)
    parts = []
    for f in model._meta.concrete_fields:
        if f.name in HIDDEN_FIELDS or f.name == owner:
            continue
        value = getattr(obj, f.attname)
        if f.is_relation:
            if value is None:
                continue
            names.want(f.related_model, value)
            parts.append((f.verbose_name, f.related_model, value))
        else:
            parts.append((f.verbose_name, None, _display(f, value)))
    pending.rows.setdefault(name, []).append((getattr(obj, "position", 0), parts))
    return name


def _read_versions(versions, page: Page, names: _Names) -> _PendingSnapshot:
    page_model = registry.page_type(page.kind).model
    pending = _PendingSnapshot(Snapshot())
    for version in versions:
        stored = deserialized(version)
        m2m_data = stored.m2m_data or {}
        row = _read_object(
            pending,
            names,
            stored.object,
            page=page,
            page_model=page_model,
            m2m_ids=lambda f, data=m2m_data: data.get(f.name, []),
        )
        if row:
            pending.snapshot.row_versions.setdefault(row, []).append(version)
    return pending


def snapshots_from_versions(versions_by_key: dict, page: Page) -> dict:
    """Snapshots of ``page``, one per list of versions, in one query per model."""
    names = _Names()
    pending = {
        key: _read_versions(versions, page, names)
        for key, versions in versions_by_key.items()
    }
    names.fetch()
    return {key: item.finish(names) for key, item in pending.items()}


def snapshot_from_versions(versions, page: Page) -> Snapshot:
    """Build the snapshot of ``page`` from the versions of one revision."""
    return snapshots_from_versions({None: list(versions)}, page)[None]


def _owner_field(model, obj, page_model, page_pk) -> str | None:
    """The name of the foreign key by which a row belongs to the page, if any."""
    for f in model._meta.concrete_fields:
        if (
            f.many_to_one
            and issubclass(page_model, f.related_model)
            and getattr(obj, f.attname) == page_pk
            and f.remote_field.on_delete is models.CASCADE
        ):
            return f.name
    return None


def diff_snapshots(
    old: Snapshot, new: Snapshot, *, context: int | None = None
) -> list[FieldChange]:
    """The fields that differ between two snapshots, in a stable order.

    ``context`` trims long unchanged stretches of text (see ``diff_text``).
    """
    changes = []
    names = list(dict.fromkeys([*old.fields, *new.fields]))
    for name in names:
        before, after = old.fields.get(name), new.fields.get(name)
        ref = after or before
        empty = [] if ref.kind == "items" else ""
        old_value = before.value if before else empty
        new_value = after.value if after else empty
        if old_value == new_value:
            continue
        change = FieldChange(name, ref.label, ref.kind, old_value, new_value)
        if ref.kind == "text":
            change.diff_html = diff_text(old_value, new_value, context=context)
        elif ref.kind == "items":
            change.added = [item for item in new_value if item not in old_value]
            change.removed = [item for item in old_value if item not in new_value]
        changes.append(change)
    return changes


def revision_snapshots(revisions, page: Page) -> dict[int, Snapshot]:
    """Snapshots of ``page`` at each of ``revisions`` (or revision ids), by id.

    One query reads every version; related rows are named in one query per model.
    """
    ids = [getattr(revision, "pk", revision) for revision in revisions]
    by_revision: dict[int, list] = {pk: [] for pk in ids}
    for version in Version.objects.filter(revision_id__in=ids).order_by("pk"):
        by_revision[version.revision_id].append(version)
    return snapshots_from_versions(by_revision, page)


def revision_snapshot(revision, page: Page) -> Snapshot:
    return revision_snapshots([revision], page)[revision.pk]


def diff_revisions(old_revision, new_revision, page: Page) -> list[FieldChange]:
    snapshots = revision_snapshots([old_revision, new_revision], page)
    return diff_snapshots(snapshots[old_revision.pk], snapshots[new_revision.pk])


def snapshot_from_page(page: Page) -> Snapshot:
    """The snapshot of ``page`` as its live rows are now.

    It equals the snapshot of a revision recorded in the same state: it reads
    the objects django-reversion records in a revision of the page (the
    page's follow relations), the way ``_read_versions`` reads their versions.
    """
    from reversion.revisions import _follow_relations_recursive

    names = _Names()
    pending = _PendingSnapshot(Snapshot())
    page_model = registry.page_type(page.kind).model
    for obj in _follow_relations_recursive(page):
        _read_object(
            pending,
            names,
            obj,
            page=page,
            page_model=page_model,
            m2m_ids=lambda f, obj=obj: [r.pk for r in getattr(obj, f.name).all()],
        )
    names.fetch()
    return pending.finish(names)
