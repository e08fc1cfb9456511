"""One diff for review and history: field by field, words for text.

A *snapshot* is what a revision says a page was: its own fields and the rows it
owns (affiliations, authorships, citations, related pages...), each as text a
person can read.  ``diff_snapshots`` compares two snapshots.
"""

import difflib
import re
from dataclasses import dataclass, field

from django.db import models
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from wiki.models import Page

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")
HIDDEN_FIELDS = {
    "id", "page_ptr", "kind", "body_html", "toc_html", "reading_html", "fields_html",
    "render_data", "created_at", "updated_at", "is_deleted", "position",
}  # fmt: skip


@dataclass
class Snapshot:
    fields: dict[str, "FieldValue"] = field(default_factory=dict)


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


def diff_text(old: str, new: str) -> SafeString:
    """Word-level inline diff of two texts: removals in <del>, additions in <ins>.

    Lines are matched first and only changed runs of lines are compared word by
    word, so long texts with small edits stay fast.
    """
    old_lines = (old or "").splitlines(keepends=True)
    new_lines = (new or "").splitlines(keepends=True)
    out: list[str] = []
    lines = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in lines.get_opcodes():
        if tag == "equal":
            out.append(escape("".join(old_lines[i1:i2])))
            continue
        out.extend(_diff_words("".join(old_lines[i1:i2]), "".join(new_lines[j1:j2])))
    return mark_safe("".join(out))  # noqa: S308 (every piece is escaped above)


def _diff_words(old: str, new: str) -> list[str]:
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    out = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(
        None, a, b, autojunk=False
    ).get_opcodes():
        if tag == "equal":
            out.append(escape("".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if j2 > j1:
            out.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
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


def _describe_row(obj, owner_field: str) -> str:
    """One owned row as text, e.g. "organization: OpenAI · role: researcher"."""
    parts = []
    for f in type(obj)._meta.concrete_fields:
        if f.name in HIDDEN_FIELDS or f.name == owner_field:
            continue
        if f.is_relation:
            related_id = getattr(obj, f.attname)
            if related_id is None:
                continue
            related = f.related_model._base_manager.filter(pk=related_id).first()
            value = str(related) if related else f"#{related_id} (deleted)"
        else:
            value = _display(f, getattr(obj, f.attname))
        if value:
            parts.append(f"{f.verbose_name}: {value}")
    return " · ".join(parts)


def snapshot_from_versions(versions, page: Page) -> Snapshot:
    """Build the snapshot of ``page`` from the versions of one revision."""
    snapshot = Snapshot()
    page_models = {Page, type(page)}
    rows: dict[str, list[tuple[int, str]]] = {}
    labels: dict[str, str] = {}
    for version in versions:
        model = version._model
        if model is None:
            continue
        data = version.field_dict
        if model in page_models and str(version.object_id) == str(page.pk):
            for f in model._meta.local_fields + model._meta.local_many_to_many:
                if f.name in HIDDEN_FIELDS or not f.editable:
                    continue
                if f.many_to_many:
                    ids = data.get(f.name) or []
                    names = sorted(
                        str(o) for o in f.related_model._base_manager.filter(pk__in=ids)
                    )
                    value = FieldValue(str(f.verbose_name), "items", names)
                else:
                    value = FieldValue(
                        str(f.verbose_name),
                        _field_kind(f),
                        _display(f, data.get(f.attname)),
                    )
                snapshot.fields[f.name] = value
            continue
        owner = _owner_field(model, data, page)
        if owner is None:
            continue
        obj = version._object_version.object
        name = model._meta.model_name
        labels[name] = str(model._meta.verbose_name_plural)
        rows.setdefault(name, []).append(
            (getattr(obj, "position", 0), _describe_row(obj, owner))
        )
    for name, items in rows.items():
        snapshot.fields[name] = FieldValue(
            labels[name], "items", [text for _, text in sorted(items)]
        )
    return snapshot


def _owner_field(model, data: dict, page: Page) -> str | None:
    """The name of the foreign key by which a row belongs to ``page``, if any."""
    for f in model._meta.concrete_fields:
        if (
            f.many_to_one
            and issubclass(type(page), f.related_model)
            and data.get(f.attname) == page.pk
            and f.remote_field.on_delete is models.CASCADE
        ):
            return f.name
    return None


def diff_snapshots(old: Snapshot, new: Snapshot) -> list[FieldChange]:
    """The fields that differ between two snapshots, in a stable order."""
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
            change.diff_html = diff_text(old_value, new_value)
        elif ref.kind == "items":
            change.added = [item for item in new_value if item not in old_value]
            change.removed = [item for item in old_value if item not in new_value]
        changes.append(change)
    return changes


def revision_snapshot(revision, page: Page) -> Snapshot:
    return snapshot_from_versions(revision.version_set.all(), page)


def diff_revisions(old_revision, new_revision, page: Page) -> list[FieldChange]:
    return diff_snapshots(
        revision_snapshot(old_revision, page), revision_snapshot(new_revision, page)
    )
